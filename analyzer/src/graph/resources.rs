//! Nodes for every loaded resource, and the edges their configuration declares: trigger
//! sources and destinations, scheduler targets, queue targets, subscriptions, dead letters,
//! Cloud Functions' event triggers, bucket notifications and (soft) topics, queues, workflows
//! and URLs named in service and function environments and queues' token audiences.

use super::url::{classify, UrlTarget};
use super::{Attempts, Edge, EdgeKind, Graph, NodeKey, NodeKind, Target};
use crate::model::{
    At, Destination, EventFilter, FunctionTrigger, JobTarget, Notification, Resource, ResourceId,
    ResourceKind, Trigger,
};
use crate::source::Loc;
use crate::Workspace;
use petgraph::graph::NodeIndex;

/// How a resource's names are read: configuration is literal; Terraform and scripts write
/// what they could not evaluate as `{expression}`, and a name with such a part may be another
/// resource's alias (the same expression, written where that resource is made).
#[derive(Clone, Copy)]
struct Names<'r> {
    /// The referrer's Terraform root, for Terraform input.
    terraform: Option<&'r str>,
    /// Where aliases are looked up: the Terraform root, or for a resource that names no
    /// project, its folder (as the nodes of both are told apart).
    origin: Option<&'r str>,
}

impl<'r> Names<'r> {
    fn of(resource: &'r Resource, workspace: &'r Workspace) -> Names<'r> {
        let terraform = resource.terraform.as_ref().map(|t| t.root.as_str());
        let origin = match (terraform, &resource.project) {
            (Some(root), _) => Some(root),
            (None, None) => Some(workspace.folder(resource.loc.file)),
            (None, Some(_)) => None,
        };
        Names { terraform, origin }
    }

    /// A name with `{...}` parts (Terraform's, or a script's unknown variables) is a template.
    fn parse(self, kind: NodeKind, text: &str) -> Option<Target> {
        match self.terraform.is_some() || text.contains('{') {
            true => Target::parse_template(kind, text),
            false => Target::parse(kind, text),
        }
    }

    /// The node of `kind` a partly unknown name stands for.
    fn alias(self, graph: &Graph, kind: NodeKind, text: &str) -> Option<NodeIndex> {
        if !text.contains('{') {
            return None;
        }
        self.origin
            .and_then(|origin| graph.aliased(Some(origin), kind, text))
            .or_else(|| graph.aliased(None, kind, text))
    }

    /// A name only `apply` (or a script's caller) knows: the referrer's own unresolved
    /// target, never a node shared with other resources.
    fn unknown(self, text: &str) -> bool {
        text.contains('{')
    }
}

/// Adds a node for every resource, and remembers the hosts services answer on. Resources that
/// name their project come first, so that one that does not can join them: a resource
/// described twice in one folder (a `gcloud` export beside the Terraform that creates it) is
/// one node.
pub fn declare(graph: &mut Graph, workspace: &Workspace) {
    let (qualified, unqualified): (Vec<usize>, Vec<usize>) = (0..workspace.resources.len())
        .partition(|&i| {
            let r = &workspace.resources[i];
            r.project.is_some() || matches!(r.kind, ResourceKind::Bucket)
        });
    for i in qualified.into_iter().chain(unqualified) {
        let resource = &workspace.resources[i];
        let Some(kind) = node_kind(&resource.kind) else {
            continue;
        };
        let folder = workspace.folder(resource.loc.file);
        // A resource that names no project is told apart by its Terraform root, or else by
        // its folder.
        let origin = match (&resource.project, &resource.terraform) {
            (Some(_), _) => None,
            (None, Some(terraform)) => Some(terraform.root.clone()),
            (None, None) => Some(folder.to_string()),
        };
        let id = ResourceId::new(i);
        let n = match resource.kind {
            ResourceKind::Bucket => {
                let mut key = NodeKey::global(kind, resource.name.clone());
                // Bucket names are global, but one only `apply` (or a script's caller) knows
                // is its root's or folder's own.
                key.origin = match &resource.terraform {
                    Some(t) => t.name.is_some().then(|| t.root.clone()),
                    None => resource.name.contains('{').then(|| folder.to_string()),
                };
                graph.define(key, id, resource.loc)
            }
            _ => match twin(graph, workspace, resource, kind, folder) {
                Some(n) => graph.add_definition(n, id),
                None => {
                    let key = NodeKey {
                        kind,
                        name: resource.name.clone(),
                        project: resource.project.clone(),
                        location: resource.location.clone(),
                        origin,
                        scope: None,
                    };
                    graph.define(key, id, resource.loc)
                }
            },
        };
        // A name with unknown parts is written the same way where the resource is used.
        if resource.terraform.is_none() && resource.name.contains('{') {
            graph.alias(n, &resource.name);
        }
        if let Some(terraform) = &resource.terraform {
            if let Some(name) = &terraform.name {
                graph.alias(n, name);
            }
            graph.graph[n]
                .terraform
                .get_or_insert_with(|| terraform.clone());
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

/// For a resource that names no project: the one resource of its kind and name, defined with
/// a project in the same folder, that it describes too.
fn twin(
    graph: &Graph,
    workspace: &Workspace,
    resource: &Resource,
    kind: NodeKind,
    folder: &str,
) -> Option<NodeIndex> {
    if resource.project.is_some() {
        return None;
    }
    let target = Target::known(kind, &resource.name, None, resource.location.as_deref());
    let candidates: Vec<NodeIndex> = graph
        .defined_nodes(&target)
        .into_iter()
        .filter(|&n| {
            let node = graph.node(n);
            node.project.is_some()
                && node
                    .resource
                    .and_then(|r| workspace.resource(r))
                    .is_some_and(|r| workspace.folder(r.loc.file) == folder)
        })
        .collect();
    match candidates[..] {
        [one] => Some(one),
        _ => None,
    }
}

pub fn connect(graph: &mut Graph, workspace: &Workspace) {
    for (i, resource) in workspace.resources.iter().enumerate() {
        let names = Names::of(resource, workspace);
        if let ResourceKind::Notification(notification) = &resource.kind {
            connect_notification(graph, resource, notification, names);
            continue;
        }
        let Some(from) = graph.resource_node(ResourceId::new(i)) else {
            continue;
        };
        if graph.node(from).resource != Some(ResourceId::new(i)) {
            continue; // a second copy of the same resource
        }
        match &resource.kind {
            ResourceKind::Trigger(trigger) => {
                connect_trigger(graph, from, trigger, resource.loc, names)
            }
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
                        graph.url_node(from, uri, uri, target.loc),
                        method.clone().unwrap_or_else(|| "POST".into()),
                        Some(*auth),
                    ),
                    JobTarget::PubSub { topic } => (
                        named(graph, from, names, NodeKind::Topic, topic, target.loc),
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
                        Some((graph.url_node(from, &host, &url.value, url.loc), url.loc))
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
                // Tasks that commands create name their own URL.
                for task in &queue.tasks {
                    let url = &task.value.endpoint;
                    let to = graph.url_node(from, url, url, task.loc);
                    let mut edge = Edge::new(EdgeKind::Dispatch, task.loc, "task");
                    edge.attempts = attempts;
                    edge.auth = Some(task.value.auth);
                    graph.connect(from, to, edge);
                }
                // Otherwise tasks name their own URL: the one their tokens are for is a guess.
                let unknown = target.is_none() && queue.tasks.is_empty() && !queue.pull;
                if let Some(audience) = queue.audience.as_ref().filter(|_| unknown) {
                    let to = soft_target(graph, from, names, &audience.value, audience.loc)
                        .filter(|&to| graph.node(to).kind != NodeKind::Topic);
                    if let Some(to) = to {
                        let mut edge = Edge::new(EdgeKind::Dispatch, audience.loc, "OIDC audience");
                        edge.attempts = attempts;
                        edge.soft = true;
                        graph.connect(from, to, edge);
                    }
                }
            }
            ResourceKind::Subscription(sub) => {
                if let Some(topic) = &sub.topic {
                    if topic.value != "_deleted-topic_" {
                        let t = named(graph, from, names, NodeKind::Topic, &topic.value, topic.loc);
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
                    let endpoint = &push.value.endpoint;
                    let to = graph.url_node(from, endpoint, endpoint, push.loc);
                    let mut edge = Edge::new(EdgeKind::Deliver, push.loc, "push");
                    edge.attempts = attempts;
                    edge.auth = Some(push.value.auth);
                    graph.connect(from, to, edge);
                }
                if let Some(table) = &sub.bigquery_table {
                    let key = NodeKey::global(NodeKind::External, format!("bigquery/{table}"));
                    let to = graph.ensure(key, resource.loc);
                    graph.connect(
                        from,
                        to,
                        Edge::new(EdgeKind::Deliver, resource.loc, "bigquery"),
                    );
                }
                if let Some(name) = &sub.storage_bucket {
                    let to = bucket(graph, names, from, name, resource.loc);
                    let mut edge = Edge::new(EdgeKind::Deliver, resource.loc, "cloud storage");
                    edge.fires = Some("finalized");
                    graph.connect(from, to, edge);
                }
                if let Some(dlq) = &sub.dead_letter_topic {
                    let to = named(graph, from, names, NodeKind::Topic, &dlq.value, dlq.loc);
                    graph.connect(from, to, Edge::new(EdgeKind::DeadLetter, dlq.loc, ""));
                }
            }
            ResourceKind::Service(service) => connect_env(graph, from, names, &service.env),
            ResourceKind::Function(function) => {
                if let Some(trigger) = &function.event_trigger {
                    connect_function_trigger(graph, from, trigger, names);
                }
                connect_env(graph, from, names, &function.env);
            }
            ResourceKind::RunJob(job) => connect_env(graph, from, names, &job.env),
            ResourceKind::Workflow(_)
            | ResourceKind::Topic(_)
            | ResourceKind::Bucket
            | ResourceKind::Notification(_) => {}
        }
    }
}

/// The node kind of a resource; bucket notifications are edges, not nodes.
fn node_kind(kind: &ResourceKind) -> Option<NodeKind> {
    Some(match kind {
        ResourceKind::Workflow(_) => NodeKind::Workflow,
        ResourceKind::Trigger(_) => NodeKind::Trigger,
        ResourceKind::Queue(_) => NodeKind::Queue,
        ResourceKind::Job(_) => NodeKind::Job,
        ResourceKind::Topic(_) => NodeKind::Topic,
        ResourceKind::Subscription(_) => NodeKind::Subscription,
        ResourceKind::Service(_) => NodeKind::Service,
        ResourceKind::Function(_) => NodeKind::Function,
        ResourceKind::RunJob(_) => NodeKind::RunJob,
        ResourceKind::Bucket => NodeKind::EventSource,
        ResourceKind::Notification(_) => return None,
    })
}

/// Topics, queues, workflows and loaded services named in an environment: soft edges.
fn connect_env(graph: &mut Graph, from: NodeIndex, names: Names<'_>, env: &[At<(String, String)>]) {
    for env in env {
        let (name, value) = &env.value;
        // A bare name is a workflow only where the variable says so (`WORKFLOW_NAME=orders`).
        let workflow = name
            .to_ascii_uppercase()
            .contains("WORKFLOW")
            .then(|| names.parse(NodeKind::Workflow, value.trim()))
            .flatten()
            .filter(|_| !value.contains('/'))
            .and_then(|target| graph.defined_target(from, &target));
        if let Some(to) = workflow.or_else(|| soft_target(graph, from, names, value, env.loc)) {
            let kind = match graph.graph[to].kind {
                NodeKind::Topic => EdgeKind::Publish,
                NodeKind::Queue => EdgeKind::Enqueue,
                NodeKind::Workflow => EdgeKind::StartExecution,
                _ => EdgeKind::SyncCall,
            };
            let mut edge = Edge::new(kind, env.loc, format!("env {name}"));
            edge.soft = true;
            graph.connect(from, to, edge);
        }
    }
}

/// A bucket: the loaded one a Terraform token or alias names, or the one of that (global)
/// name. `from` is the referrer, whose own the bucket is when only `apply` knows its name.
fn bucket(graph: &mut Graph, names: Names<'_>, from: NodeIndex, name: &str, loc: Loc) -> NodeIndex {
    if let Some(n) = super::key::token_resource(name).and_then(|id| graph.resource_node(id)) {
        return n;
    }
    if let Some(n) = names.alias(graph, NodeKind::EventSource, name) {
        return n;
    }
    if names.unknown(name) {
        return graph.unresolved(from, name, loc);
    }
    let key = NodeKey::global(NodeKind::EventSource, super::short_name(name));
    graph.ensure(key, loc)
}

/// A bucket notification: the bucket's object events become messages on the topic.
fn connect_notification(
    graph: &mut Graph,
    resource: &Resource,
    notification: &Notification,
    names: Names<'_>,
) {
    let bucket_name = &notification.bucket;
    let from = match super::key::token_resource(&bucket_name.value)
        .and_then(|id| graph.resource_node(id))
        .or_else(|| names.alias(graph, NodeKind::EventSource, &bucket_name.value))
    {
        Some(n) => n,
        None => {
            let name = super::short_name(&bucket_name.value);
            graph.ensure(
                NodeKey::global(NodeKind::EventSource, name),
                bucket_name.loc,
            )
        }
    };
    let topic = &notification.topic;
    let to = match names.parse(NodeKind::Topic, &topic.value) {
        Some(target) => graph.resolve(from, &target, topic.loc),
        None => graph.unresolved(from, &topic.value, topic.loc),
    };
    let label = match notification.event_types.as_slice() {
        [] => "notification".to_string(),
        types => format!("notification {}", types.join(", ")),
    };
    let events: Vec<&'static str> = match notification.event_types.as_slice() {
        [] => vec!["finalized", "deleted", "archived", "metadataUpdated"],
        types => types.iter().filter_map(|t| notification_event(t)).collect(),
    };
    // One edge per object event, so that a write loops back only through the events it fires.
    for fires in events {
        let mut edge = Edge::new(EdgeKind::Event, resource.loc, label.clone());
        edge.fires = Some(fires);
        graph.connect(from, to, edge);
    }
}

/// `OBJECT_FINALIZE` → `finalized`.
fn notification_event(event_type: &str) -> Option<&'static str> {
    Some(match event_type {
        "OBJECT_FINALIZE" => "finalized",
        "OBJECT_DELETE" => "deleted",
        "OBJECT_ARCHIVE" => "archived",
        "OBJECT_METADATA_UPDATE" => "metadataUpdated",
        _ => return None,
    })
}

/// A Cloud Function's event trigger: an edge from the topic or event source that sets it off.
fn connect_function_trigger(
    graph: &mut Graph,
    function: NodeIndex,
    trigger: &At<FunctionTrigger>,
    names: Names<'_>,
) {
    let t = &trigger.value;
    let loc = trigger.loc;
    let (source, kind, fires) = match (legacy_event(&t.event_type), t.resource.as_deref()) {
        (Some(Legacy::PubSub), Some(topic)) => (
            named(graph, function, names, NodeKind::Topic, topic, loc),
            EdgeKind::Deliver,
            None,
        ),
        (Some(Legacy::Storage(fires)), Some(name)) => (
            bucket(graph, names, function, name, loc),
            EdgeKind::Event,
            fires,
        ),
        _ => {
            // Gen2: an Eventarc trigger in all but name.
            let as_trigger = Trigger {
                event_filters: std::iter::once(EventFilter {
                    attribute: "type".into(),
                    value: t.event_type.clone(),
                    operator: None,
                })
                .chain(t.filters.iter().cloned())
                .collect(),
                destination: None,
                transport_topic: t.topic.clone().map(|value| At { value, loc }),
                service_account: None,
                channel: None,
            };
            match trigger_source(graph, function, &as_trigger, loc, names) {
                Some((source, fires)) if graph.node(source).kind == NodeKind::Topic => {
                    (source, EdgeKind::Deliver, fires)
                }
                Some((source, fires)) => (source, EdgeKind::Event, fires),
                None if names.unknown(&t.event_type) => (
                    graph.unresolved(function, &t.event_type, loc),
                    EdgeKind::Event,
                    None,
                ),
                None => {
                    let key = NodeKey::global(NodeKind::EventSource, t.event_type.as_str());
                    (graph.ensure(key, loc), EdgeKind::Event, None)
                }
            }
        }
    };
    let label = match names.unknown(&t.event_type) {
        true => "",
        false => t
            .event_type
            .rsplit(['/', '.'])
            .next()
            .unwrap_or(&t.event_type),
    };
    let mut edge = Edge::new(kind, loc, label);
    // A retried function is retried until the event expires.
    edge.attempts = match t.retry {
        true => Attempts::Unlimited,
        false => Attempts::Finite(1),
    };
    edge.fires = fires;
    graph.connect(source, function, edge);
}

enum Legacy {
    PubSub,
    Storage(Option<&'static str>),
}

/// Gen1 event types (`google.pubsub.topic.publish`, `google.storage.object.finalize`, and the
/// older `providers/cloud.pubsub/eventTypes/topic.publish`), which name their source in
/// `resource`.
fn legacy_event(event_type: &str) -> Option<Legacy> {
    match event_type {
        "google.pubsub.topic.publish" | "providers/cloud.pubsub/eventTypes/topic.publish" => {
            Some(Legacy::PubSub)
        }
        "providers/cloud.storage/eventTypes/object.change" => {
            Some(Legacy::Storage(Some("finalized")))
        }
        t if t.starts_with("google.storage.object.") => Some(Legacy::Storage(storage_event(t))),
        _ => None,
    }
}

fn connect_trigger(
    graph: &mut Graph,
    trigger_node: NodeIndex,
    trigger: &Trigger,
    loc: Loc,
    names: Names<'_>,
) {
    if let Some((source, fires)) = trigger_source(graph, trigger_node, trigger, loc, names) {
        let event_type = trigger.filter("type").unwrap_or("");
        let label = match names.unknown(event_type) {
            true => "",
            false => event_type
                .strip_prefix("google.cloud.storage.")
                .or_else(|| event_type.strip_prefix("google.cloud."))
                .unwrap_or(event_type),
        };
        let mut edge = Edge::new(EdgeKind::Event, loc, label);
        edge.fires = fires;
        graph.connect(source, trigger_node, edge);
    }
    connect_destination(graph, trigger_node, trigger, names);
}

/// Where a trigger's events come from (its topic, bucket, audit log, channel or event type),
/// and the object event a bucket fires it on.
fn trigger_source(
    graph: &mut Graph,
    trigger_node: NodeIndex,
    trigger: &Trigger,
    loc: Loc,
    names: Names<'_>,
) -> Option<(NodeIndex, Option<&'static str>)> {
    let event_type = trigger.filter("type").unwrap_or("");
    let event_source = |graph: &mut Graph, name: &str| match names.unknown(name) {
        true => graph.unresolved(trigger_node, name, loc),
        false => graph.ensure(NodeKey::global(NodeKind::EventSource, name), loc),
    };
    let source = if event_type.contains("pubsub") {
        trigger
            .transport_topic
            .as_ref()
            .map(|t| named(graph, trigger_node, names, NodeKind::Topic, &t.value, t.loc))
    } else if let Some(name) = trigger.filter("bucket") {
        Some(bucket(graph, names, trigger_node, name, loc))
    } else if event_type == "google.cloud.audit.log.v1.written" {
        let service = trigger.filter("serviceName").unwrap_or("any service");
        let name = match trigger.filter("methodName") {
            Some(method) => format!("audit log: {service} {method}"),
            None => format!("audit log: {service}"),
        };
        Some(event_source(graph, &name))
    } else if let Some(channel) = &trigger.channel {
        Some(event_source(graph, super::short_name(channel)))
    } else if !event_type.is_empty() {
        Some(event_source(graph, event_type))
    } else {
        None
    };
    source.map(|source| (source, storage_event(event_type)))
}

fn connect_destination(
    graph: &mut Graph,
    trigger_node: NodeIndex,
    trigger: &Trigger,
    names: Names<'_>,
) {
    let Some(destination) = &trigger.destination else {
        return;
    };
    let dloc = destination.loc;
    let (to, attempts) = match &destination.value {
        Destination::CloudRun {
            service, region, ..
        } => (
            run_destination(graph, trigger_node, names, service, region.as_deref(), dloc),
            Attempts::Unlimited,
        ),
        // Eventarc acknowledges the event once the execution starts.
        Destination::Workflow(w) => (
            named(graph, trigger_node, names, NodeKind::Workflow, w, dloc),
            Attempts::Finite(1),
        ),
        Destination::CloudFunction(f) => {
            let to = match names.parse(NodeKind::Function, f) {
                Some(target) => function(graph, trigger_node, &target, dloc),
                None => graph.unresolved(trigger_node, f, dloc),
            };
            (to, Attempts::Unlimited)
        }
        Destination::Gke { service } => (
            graph.ensure(
                NodeKey::global(NodeKind::External, format!("gke/{service}")),
                dloc,
            ),
            Attempts::Unlimited,
        ),
        Destination::HttpEndpoint(uri) => (
            graph.url_node(trigger_node, uri, uri, dloc),
            Attempts::Unlimited,
        ),
    };
    let mut edge = Edge::new(EdgeKind::Deliver, dloc, "");
    edge.attempts = attempts;
    graph.connect(trigger_node, to, edge);
}

/// A Cloud Run destination: the loaded service it names, else the loaded gen2 function of that
/// name (a Cloud Run service underneath).
fn run_destination(
    graph: &mut Graph,
    from: NodeIndex,
    names: Names<'_>,
    service: &str,
    region: Option<&str>,
    loc: Loc,
) -> NodeIndex {
    for kind in [NodeKind::Service, NodeKind::Function] {
        if let Some(n) = names.alias(graph, kind, service) {
            return n;
        }
    }
    let Some(mut target) = names.parse(NodeKind::Service, service) else {
        return graph.unresolved(from, service, loc);
    };
    if let Some(region) = region {
        target.location = super::Part::Known(region.to_string());
    }
    match graph.defined_target(from, &target.as_kind(NodeKind::Function)) {
        Some(n) if graph.defined_target(from, &target).is_none() => n,
        _ => graph.resolve(from, &target, loc),
    }
}

/// The storage event an event type names, in both spellings (../shared/docs/formats.md §2).
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

/// The resource a name in any of its forms means, or an unresolved node when the name is not
/// known statically.
fn named(
    graph: &mut Graph,
    from: NodeIndex,
    names: Names<'_>,
    kind: NodeKind,
    text: &str,
    loc: Loc,
) -> NodeIndex {
    if let Some(n) = names.alias(graph, kind, text) {
        return n;
    }
    match names.parse(kind, text) {
        Some(target) => graph.resolve(from, &target, loc),
        None => graph.unresolved(from, text, loc),
    }
}

/// A Cloud Function: a loaded function, else the Cloud Run service of the same name when one
/// is loaded (gen2 functions are Cloud Run services).
pub fn function(graph: &mut Graph, from: NodeIndex, target: &Target, loc: Loc) -> NodeIndex {
    let function = target.as_kind(NodeKind::Function);
    if let Some(n) = graph.defined_target(from, &function) {
        return n;
    }
    match graph.defined_target(from, &target.as_kind(NodeKind::Service)) {
        Some(n) => n,
        None => graph.resolve(from, &function, loc),
    }
}

fn app_engine(graph: &mut Graph, service: Option<&str>, loc: Loc) -> NodeIndex {
    let name = format!("appengine/{}", service.unwrap_or("default"));
    graph.ensure(NodeKey::global(NodeKind::External, name), loc)
}

/// Cloud Tasks: `maxAttempts` -1 is unlimited, absent is the default of 100.
fn queue_attempts(max_attempts: Option<i64>) -> Attempts {
    match max_attempts {
        Some(n) if n < 0 => Attempts::Unlimited,
        Some(n) => Attempts::Finite(u64::try_from(n.max(1)).unwrap_or(1)),
        None => Attempts::Finite(100),
    }
}

/// A topic, queue, workflow or loaded service an environment value of `from` names, if any.
fn soft_target(
    graph: &mut Graph,
    from: NodeIndex,
    names: Names<'_>,
    value: &str,
    loc: Loc,
) -> Option<NodeIndex> {
    let value = value.trim();
    if value.starts_with("projects/") {
        let kinds = [
            (NodeKind::Topic, "/topics/"),
            (NodeKind::Queue, "/queues/"),
            (NodeKind::Workflow, "/workflows/"),
        ];
        for (kind, part) in kinds {
            if value.contains(part) {
                return Some(named(graph, from, names, kind, value, loc));
            }
        }
    }
    if value.starts_with("https://") || value.starts_with("http://") {
        if let Some(n) = graph.host_node(value) {
            return Some(n);
        }
        let target = match classify(value) {
            UrlTarget::Function(target) => {
                let function = target.as_kind(NodeKind::Function);
                if let Some(n) = graph.defined_target(from, &function) {
                    return Some(n);
                }
                target.as_kind(NodeKind::Service)
            }
            UrlTarget::Service(target) => target,
            UrlTarget::WorkflowExecutions(target) | UrlTarget::RunJob(target) => target,
            _ => return None,
        };
        return graph.defined_target(from, &target);
    }
    // A bare value is a topic or queue only when it names a loaded one.
    if value.contains('/') {
        return None;
    }
    [NodeKind::Topic, NodeKind::Queue]
        .into_iter()
        .find_map(|kind| {
            let target = names.parse(kind, value)?;
            graph.defined_target(from, &target)
        })
}
