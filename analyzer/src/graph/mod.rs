//! The interaction graph: one node per workflow, service, queue, topic, ... and one edge per
//! interaction between them, across orchestration (calls, tasks, schedules) and choreography
//! (events, messages). Built from the model; every reference becomes an edge, and a target
//! that cannot be named statically becomes an `unresolved` node rather than being dropped.

pub mod causal;
mod resources;
pub mod url;
pub mod values;
mod workflows;

use std::collections::HashMap;

use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;

use crate::model::Auth;
use crate::source::Loc;
use crate::Workspace;
use url::UrlTarget;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NodeKind {
    Workflow,
    /// A Cloud Run service (Cloud Functions gen2 are Cloud Run services too).
    Service,
    /// A Cloud Function known only by its `cloudfunctions.net` URL or trigger destination.
    Function,
    /// An HTTP endpoint outside Google Cloud, or one Baton cannot map to a resource.
    External,
    /// A managed Google API such as `vision.googleapis.com`.
    GoogleApi,
    Trigger,
    /// What emits events: a bucket, an audit-log source, a channel.
    EventSource,
    Queue,
    Topic,
    Subscription,
    Job,
    /// A target that exists but cannot be named statically, e.g. a URL taken from `args`.
    Unresolved,
}

impl NodeKind {
    /// Stable kebab-case name, used in JSON and in the app.
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Workflow => "workflow",
            NodeKind::Service => "service",
            NodeKind::Function => "function",
            NodeKind::External => "external",
            NodeKind::GoogleApi => "google-api",
            NodeKind::Trigger => "trigger",
            NodeKind::EventSource => "event-source",
            NodeKind::Queue => "queue",
            NodeKind::Topic => "topic",
            NodeKind::Subscription => "subscription",
            NodeKind::Job => "job",
            NodeKind::Unresolved => "unresolved",
        }
    }

    /// Code the user writes and runs, or a third party's: unlike managed plumbing (topics,
    /// queues, Google APIs), it can fail on its own.
    pub fn can_fail_alone(self) -> bool {
        matches!(
            self,
            NodeKind::Workflow | NodeKind::Service | NodeKind::Function | NodeKind::External
        )
    }

    /// Kinds Baton loads definitions of; references to missing ones are suspicious.
    pub fn is_loadable(self) -> bool {
        matches!(
            self,
            NodeKind::Workflow
                | NodeKind::Service
                | NodeKind::Trigger
                | NodeKind::Queue
                | NodeKind::Topic
                | NodeKind::Subscription
                | NodeKind::Job
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EdgeKind {
    /// The caller waits for the answer: `http.*`, connectors, `executions.run`.
    SyncCall,
    /// A task is added to a Cloud Tasks queue.
    Enqueue,
    /// A queue delivers a task to its handler.
    Dispatch,
    /// A message is published to a topic.
    Publish,
    /// A topic hands a message to a subscription, a subscription or trigger to its target.
    Deliver,
    /// An event source fires a trigger.
    Event,
    /// A Scheduler job fires its target.
    Schedule,
    /// Undeliverable messages go to a dead-letter topic.
    DeadLetter,
    /// A workflow execution is started without waiting for it.
    StartExecution,
}

impl EdgeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::SyncCall => "sync-call",
            EdgeKind::Enqueue => "enqueue",
            EdgeKind::Dispatch => "dispatch",
            EdgeKind::Publish => "publish",
            EdgeKind::Deliver => "deliver",
            EdgeKind::Event => "event",
            EdgeKind::Schedule => "schedule",
            EdgeKind::DeadLetter => "dead-letter",
            EdgeKind::StartExecution => "start-execution",
        }
    }

    /// Synchronous edges couple the caller to the callee's availability and latency.
    pub fn is_sync(self) -> bool {
        self == EdgeKind::SyncCall
    }
}

/// How many times one interaction may be attempted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attempts {
    Finite(u64),
    Unlimited,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Stable id: `<kind>:<name>`, e.g. `service:thumbnails`.
    pub id: String,
    pub kind: NodeKind,
    pub name: String,
    /// The definition, or the first reference when the node is not defined in the input.
    pub loc: Loc,
    /// Index into [`Workspace::resources`] when the node is defined in the input.
    pub resource: Option<usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Edge {
    pub kind: EdgeKind,
    /// Where the interaction is written.
    pub loc: Loc,
    /// What happens, e.g. `http.post`, `tasks.create`, `object.v1.finalized`.
    pub label: String,
    /// The workflow step that makes the call.
    pub step: Option<String>,
    pub attempts: Attempts,
    /// For pushes to HTTP targets: how they authenticate.
    pub auth: Option<Auth>,
    /// Inferred from configuration (an environment variable naming a topic), not declared.
    pub soft: bool,
    /// Storage writes: the object event they fire (`finalized`, `deleted`, `metadataUpdated`).
    pub fires: Option<&'static str>,
}

impl Edge {
    /// The kind, and the label when it adds something: `sync-call http.post`.
    pub fn caption(&self) -> String {
        if self.label.is_empty() {
            self.kind.as_str().to_string()
        } else {
            format!("{} {}", self.kind.as_str(), self.label)
        }
    }

    pub fn new(kind: EdgeKind, loc: Loc, label: impl Into<String>) -> Edge {
        Edge {
            kind,
            loc,
            label: label.into(),
            step: None,
            attempts: Attempts::Finite(1),
            auth: None,
            soft: false,
            fires: None,
        }
    }
}

/// The whole system as one directed graph.
#[derive(Debug, Default)]
pub struct Graph {
    pub graph: DiGraph<Node, Edge>,
    index: HashMap<String, NodeIndex>,
    /// Hosts that loaded services answer on (`status.url` and friends).
    hosts: HashMap<String, NodeIndex>,
}

impl Graph {
    /// Builds the graph of everything in `workspace`. Cost: linear in the input.
    pub fn build(workspace: &Workspace) -> Graph {
        let mut graph = Graph::default();
        resources::declare(&mut graph, workspace);
        resources::connect(&mut graph, workspace);
        workflows::connect(&mut graph, workspace);
        graph
    }

    pub fn find(&self, id: &str) -> Option<NodeIndex> {
        self.index.get(id).copied()
    }

    pub fn node(&self, n: NodeIndex) -> &Node {
        &self.graph[n]
    }

    /// The node of `kind` named `name`, added (at `loc`) when missing.
    pub fn ensure(&mut self, kind: NodeKind, name: &str, loc: Loc) -> NodeIndex {
        let id = format!("{}:{name}", kind.as_str());
        if let Some(&n) = self.index.get(&id) {
            return n;
        }
        let n = self.graph.add_node(Node {
            id: id.clone(),
            kind,
            name: name.to_string(),
            loc,
            resource: None,
        });
        self.index.insert(id, n);
        n
    }

    /// The node `url` points at, added when missing. `source` is the text the URL came from
    /// and `scope` the resource it is written in: together they name an unresolved target.
    pub fn url_node(&mut self, url: &str, source: &str, scope: &str, loc: Loc) -> NodeIndex {
        if let Some((host, _)) = url::host_and_path(url.trim()) {
            if let Some(&n) = self.hosts.get(&host) {
                return n;
            }
        }
        match url::classify(url) {
            UrlTarget::Service(name) => self.ensure(NodeKind::Service, &name, loc),
            UrlTarget::Function(name) => resources::function(self, &name, loc),
            UrlTarget::WorkflowExecutions(name) => self.ensure(NodeKind::Workflow, &name, loc),
            UrlTarget::GoogleApi(host) => self.ensure(NodeKind::GoogleApi, &host, loc),
            UrlTarget::External(host) => self.ensure(NodeKind::External, &host, loc),
            UrlTarget::Unknown => self.unresolved(scope, source, loc),
        }
    }

    /// A target written as `source` in `scope` that cannot be named statically.
    pub fn unresolved(&mut self, scope: &str, source: &str, loc: Loc) -> NodeIndex {
        let name = crate::tree::truncate(source.trim(), 80);
        let id = format!("unresolved:{scope}/{name}");
        if let Some(&n) = self.index.get(&id) {
            return n;
        }
        let n = self.graph.add_node(Node {
            id: id.clone(),
            kind: NodeKind::Unresolved,
            name,
            loc,
            resource: None,
        });
        self.index.insert(id, n);
        n
    }

    pub fn connect(&mut self, from: NodeIndex, to: NodeIndex, edge: Edge) -> EdgeIndex {
        self.graph.add_edge(from, to, edge)
    }

    /// True when the node is defined in the input rather than only referenced.
    pub fn is_defined(&self, n: NodeIndex) -> bool {
        self.graph[n].resource.is_some()
    }

    pub fn edges_in(&self, n: NodeIndex) -> impl Iterator<Item = (NodeIndex, &Edge)> + '_ {
        self.graph
            .edges_directed(n, Direction::Incoming)
            .map(|e| (e.source(), e.weight()))
    }

    pub fn edges_out(&self, n: NodeIndex) -> impl Iterator<Item = (NodeIndex, &Edge)> + '_ {
        self.graph
            .edges_directed(n, Direction::Outgoing)
            .map(|e| (e.target(), e.weight()))
    }

    pub fn nodes(&self) -> impl Iterator<Item = NodeIndex> + '_ {
        self.graph.node_indices()
    }

    /// `kind` nodes defined in the input exist at all: references to missing ones of a kind
    /// the user never loaded say nothing.
    pub fn has_defined(&self, kind: NodeKind) -> bool {
        self.graph
            .node_weights()
            .any(|n| n.kind == kind && n.resource.is_some())
    }
}

/// The short name in a resource path: `projects/p/topics/t` → `t`.
pub fn short_name(name: &str) -> &str {
    name.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(name)
}
