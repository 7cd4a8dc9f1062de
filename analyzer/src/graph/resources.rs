//! Nodes for every loaded resource, and the edges their configuration declares: trigger
//! sources and destinations, scheduler targets, queue targets, subscriptions, dead letters and
//! (soft) topics named in service environments.

use super::url::{classify, UrlTarget};
use super::{short_name, Attempts, Edge, EdgeKind, Graph, NodeKind};
use crate::model::{Destination, JobTarget, ResourceKind, Trigger};
use crate::source::Loc;
use crate::Workspace;
use petgraph::graph::NodeIndex;

/// Adds a node for every resource, and remembers the hosts services answer on.
pub fn declare(graph: &mut Graph, workspace: &Workspace) {
    for (i, resource) in workspace.resources.iter().enumerate() {
        let n = graph.ensure(node_kind(&resource.kind), &resource.name, resource.loc);
        // The same resource may come in several files (YAML and JSON twins): the first wins.
        if graph.graph[n].resource.is_none() {
            graph.graph[n].resource = Some(i);
            graph.graph[n].loc = resource.loc;
        }
        if let ResourceKind::Service(service) = &resource.kind {
            for url in &service.urls {
                if let Some((host, _)) = super::url::host_and_path(url) {
                    graph.hosts.entry(host).or_insert(n);
                }
            }
        }
    }
}

pub fn connect(graph: &mut Graph, workspace: &Workspace) {
    for (i, resource) in workspace.resources.iter().enumerate() {
        let id = format!("{}:{}", node_kind(&resource.kind).as_str(), resource.name);
        let Some(from) = graph.find(&id) else {
            continue;
        };
        if graph.node(from).resource != Some(i) {
            continue; // a second copy of the same resource
        }
        match &resource.kind {
            ResourceKind::Trigger(trigger) => connect_trigger(graph, from, trigger, resource.loc),
            ResourceKind::Job(job) => {
                let Some(target) = &job.target else { continue };
                let attempts = Attempts::Finite(
                    job.retry_count
                        .and_then(|n| u64::try_from(n).ok())
                        .unwrap_or(0)
                        .saturating_add(1),
                );
                let (to, label, auth) = match &target.value {
                    JobTarget::Http { uri, method, auth } => (
                        graph.url_node(uri, uri, &resource.name, target.loc),
                        method.clone().unwrap_or_else(|| "POST".into()),
                        Some(*auth),
                    ),
                    JobTarget::PubSub { topic } => (
                        graph.ensure(NodeKind::Topic, short_name(topic), target.loc),
                        "publish".into(),
                        None,
                    ),
                    JobTarget::AppEngine { service, .. } => (
                        app_engine(graph, service.as_deref(), target.loc),
                        "app engine".into(),
                        None,
                    ),
                };
                let mut edge = Edge::new(EdgeKind::Schedule, target.loc, label);
                edge.attempts = attempts;
                edge.auth = auth;
                graph.connect(from, to, edge);
            }
            ResourceKind::Queue(queue) => {
                let attempts = queue_attempts(queue.retry.max_attempts.as_ref().map(|a| a.value));
                let target = match (&queue.target_override, &queue.app_engine_target) {
                    (Some(url), _) => {
                        let host = if url.value.contains("://") {
                            url.value.clone()
                        } else {
                            format!("https://{}", url.value)
                        };
                        Some((
                            graph.url_node(&host, &url.value, &resource.name, url.loc),
                            url.loc,
                        ))
                    }
                    (None, Some(service)) if !queue.pull => Some((
                        app_engine(graph, Some(&service.value), service.loc),
                        service.loc,
                    )),
                    _ => None,
                };
                if let Some((to, loc)) = target {
                    let mut edge = Edge::new(EdgeKind::Dispatch, loc, "");
                    edge.attempts = attempts;
                    graph.connect(from, to, edge);
                }
            }
            ResourceKind::Subscription(sub) => {
                if let Some(topic) = &sub.topic {
                    if topic.value != "_deleted-topic_" {
                        let t = graph.ensure(NodeKind::Topic, short_name(&topic.value), topic.loc);
                        graph.connect(t, from, Edge::new(EdgeKind::Deliver, topic.loc, ""));
                    }
                }
                // Without a dead-letter topic a failing message is redelivered until it expires.
                let attempts = match (&sub.dead_letter_topic, sub.max_delivery_attempts) {
                    (Some(_), n) => {
                        Attempts::Finite(n.and_then(|n| u64::try_from(n).ok()).unwrap_or(5))
                    }
                    (None, _) => Attempts::Unlimited,
                };
                if let Some(push) = &sub.push {
                    let to = graph.url_node(
                        &push.value.endpoint,
                        &push.value.endpoint,
                        &resource.name,
                        push.loc,
                    );
                    let mut edge = Edge::new(EdgeKind::Deliver, push.loc, "push");
                    edge.attempts = attempts;
                    edge.auth = Some(push.value.auth);
                    graph.connect(from, to, edge);
                }
                if let Some(table) = &sub.bigquery_table {
                    let to = graph.ensure(
                        NodeKind::External,
                        &format!("bigquery/{table}"),
                        resource.loc,
                    );
                    graph.connect(
                        from,
                        to,
                        Edge::new(EdgeKind::Deliver, resource.loc, "bigquery"),
                    );
                }
                if let Some(bucket) = &sub.storage_bucket {
                    let to = graph.ensure(NodeKind::EventSource, bucket, resource.loc);
                    let mut edge = Edge::new(EdgeKind::Deliver, resource.loc, "cloud storage");
                    edge.fires = Some("finalized");
                    graph.connect(from, to, edge);
                }
                if let Some(dlq) = &sub.dead_letter_topic {
                    let to = graph.ensure(NodeKind::Topic, short_name(&dlq.value), dlq.loc);
                    graph.connect(from, to, Edge::new(EdgeKind::DeadLetter, dlq.loc, ""));
                }
            }
            ResourceKind::Service(service) => {
                for env in &service.env {
                    let (name, value) = &env.value;
                    if let Some(to) = soft_target(graph, value, env.loc) {
                        let kind = if graph.graph[to].kind == NodeKind::Topic {
                            EdgeKind::Publish
                        } else {
                            EdgeKind::SyncCall
                        };
                        let mut edge = Edge::new(kind, env.loc, format!("env {name}"));
                        edge.soft = true;
                        graph.connect(from, to, edge);
                    }
                }
            }
            ResourceKind::Workflow(_) | ResourceKind::Topic(_) => {}
        }
    }
}

fn node_kind(kind: &ResourceKind) -> NodeKind {
    match kind {
        ResourceKind::Workflow(_) => NodeKind::Workflow,
        ResourceKind::Trigger(_) => NodeKind::Trigger,
        ResourceKind::Queue(_) => NodeKind::Queue,
        ResourceKind::Job(_) => NodeKind::Job,
        ResourceKind::Topic(_) => NodeKind::Topic,
        ResourceKind::Subscription(_) => NodeKind::Subscription,
        ResourceKind::Service(_) => NodeKind::Service,
    }
}

fn connect_trigger(graph: &mut Graph, trigger_node: NodeIndex, trigger: &Trigger, loc: Loc) {
    let event_type = trigger.filter("type").unwrap_or("");
    let label = event_type
        .strip_prefix("google.cloud.storage.")
        .or_else(|| event_type.strip_prefix("google.cloud."))
        .unwrap_or(event_type);
    let source = if event_type.contains("pubsub") {
        trigger
            .transport_topic
            .as_ref()
            .map(|t| graph.ensure(NodeKind::Topic, short_name(&t.value), t.loc))
    } else if let Some(bucket) = trigger.filter("bucket") {
        Some(graph.ensure(NodeKind::EventSource, bucket, loc))
    } else if event_type == "google.cloud.audit.log.v1.written" {
        let service = trigger.filter("serviceName").unwrap_or("any service");
        let name = match trigger.filter("methodName") {
            Some(method) => format!("audit log: {service} {method}"),
            None => format!("audit log: {service}"),
        };
        Some(graph.ensure(NodeKind::EventSource, &name, loc))
    } else if let Some(channel) = &trigger.channel {
        Some(graph.ensure(NodeKind::EventSource, short_name(channel), loc))
    } else if !event_type.is_empty() {
        Some(graph.ensure(NodeKind::EventSource, event_type, loc))
    } else {
        None
    };
    if let Some(source) = source {
        let mut edge = Edge::new(EdgeKind::Event, loc, label);
        edge.fires = storage_event(event_type);
        graph.connect(source, trigger_node, edge);
    }
    let Some(destination) = &trigger.destination else {
        return;
    };
    let dloc = destination.loc;
    let (to, attempts) = match &destination.value {
        Destination::CloudRun { service, .. } => (
            graph.ensure(NodeKind::Service, short_name(service), dloc),
            Attempts::Unlimited,
        ),
        // Eventarc acknowledges the event once the execution starts.
        Destination::Workflow(w) => (
            graph.ensure(NodeKind::Workflow, short_name(w), dloc),
            Attempts::Finite(1),
        ),
        Destination::CloudFunction(f) => {
            (function(graph, short_name(f), dloc), Attempts::Unlimited)
        }
        Destination::Gke { service } => (
            graph.ensure(NodeKind::External, &format!("gke/{service}"), dloc),
            Attempts::Unlimited,
        ),
        Destination::HttpEndpoint(uri) => (
            graph.url_node(
                uri,
                uri,
                &format!("trigger {}", graph.graph[trigger_node].name),
                dloc,
            ),
            Attempts::Unlimited,
        ),
    };
    let mut edge = Edge::new(EdgeKind::Deliver, dloc, "");
    edge.attempts = attempts;
    graph.connect(trigger_node, to, edge);
}

/// The storage event an event type names, in both spellings (formats.md §2).
pub fn storage_event(event_type: &str) -> Option<&'static str> {
    let suffix = event_type
        .strip_prefix("google.cloud.storage.object.v1.")
        .or_else(|| event_type.strip_prefix("google.storage.object."))?;
    Some(match suffix {
        "finalized" | "finalize" => "finalized",
        "deleted" | "delete" => "deleted",
        "archived" | "archive" => "archived",
        "metadataUpdated" | "metadataUpdate" => "metadataUpdated",
        _ => return None,
    })
}

/// A Cloud Function: the Cloud Run service of the same name when one is loaded (gen2 functions
/// are Cloud Run services).
pub fn function(graph: &mut Graph, name: &str, loc: Loc) -> NodeIndex {
    match graph.find(&format!("service:{name}")) {
        Some(n) if graph.is_defined(n) => n,
        _ => graph.ensure(NodeKind::Function, name, loc),
    }
}

fn app_engine(graph: &mut Graph, service: Option<&str>, loc: Loc) -> NodeIndex {
    let name = format!("appengine/{}", service.unwrap_or("default"));
    graph.ensure(NodeKind::External, &name, loc)
}

/// Cloud Tasks: `maxAttempts` -1 is unlimited, absent is the default of 100.
fn queue_attempts(max_attempts: Option<i64>) -> Attempts {
    match max_attempts {
        Some(n) if n < 0 => Attempts::Unlimited,
        Some(n) => Attempts::Finite(u64::try_from(n.max(1)).unwrap_or(1)),
        None => Attempts::Finite(100),
    }
}

/// A topic or loaded service an environment value names, if any.
fn soft_target(graph: &mut Graph, value: &str, loc: Loc) -> Option<NodeIndex> {
    let value = value.trim();
    if value.starts_with("projects/") && value.contains("/topics/") {
        return Some(graph.ensure(NodeKind::Topic, short_name(value), loc));
    }
    if let Some(n) = graph.find(&format!("topic:{value}")) {
        return graph.is_defined(n).then_some(n);
    }
    if value.starts_with("https://") || value.starts_with("http://") {
        if let Some((host, _)) = super::url::host_and_path(value) {
            if let Some(&n) = graph.hosts.get(&host) {
                return Some(n);
            }
        }
        let id = match classify(value) {
            UrlTarget::Service(name) | UrlTarget::Function(name) => format!("service:{name}"),
            UrlTarget::WorkflowExecutions(name) => format!("workflow:{name}"),
            _ => return None,
        };
        return graph.find(&id).filter(|&n| graph.is_defined(n));
    }
    None
}
