//! The interaction graph: one node per workflow, service, queue, topic, ... and one edge per
//! interaction between them, across orchestration (calls, tasks, schedules) and choreography
//! (events, messages). Built from the model; every reference becomes an edge, and a target
//! that cannot be named statically becomes an `unresolved` node rather than being dropped.

pub mod causal;
mod key;
mod resources;
pub mod url;
pub mod values;
mod workflows;

use std::collections::{HashMap, HashSet};

use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;

use crate::diagnostic::StepRef;
use crate::model::{Auth, ResourceId, TerraformOrigin};
use crate::source::Loc;
use crate::Workspace;
pub use key::{NodeKey, Part, Target};
use url::UrlTarget;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NodeKind {
    Workflow,
    /// A Cloud Run service (Cloud Functions gen2 are Cloud Run services too).
    Service,
    /// A Cloud Function known only by its `cloudfunctions.net` URL or trigger destination.
    Function,
    /// A Cloud Run job, started by `jobs.run` (a scheduler's or workflow's call of the Admin API).
    RunJob,
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
            NodeKind::RunJob => "run-job",
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
            NodeKind::Workflow
                | NodeKind::Service
                | NodeKind::Function
                | NodeKind::RunJob
                | NodeKind::External
        )
    }

    /// Kinds whose resources live in a location (a region), not in the project as a whole.
    pub fn has_location(self) -> bool {
        matches!(
            self,
            NodeKind::Workflow
                | NodeKind::Service
                | NodeKind::Function
                | NodeKind::RunJob
                | NodeKind::Trigger
                | NodeKind::Queue
                | NodeKind::Job
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
    /// Stable and unique: [`NodeKey`] as text (`queue:jobs@alpha/us-central1`), with `#2`,
    /// `#3`... when two keys read the same (same-named definitions in two folders).
    pub id: String,
    /// How messages name it: `kind:name`, or the `id` when another node has the same kind and
    /// name (two projects' `queue:jobs`).
    pub label: String,
    pub kind: NodeKind,
    pub name: String,
    pub project: Option<String>,
    pub location: Option<String>,
    /// The folder of a definition that names no project.
    pub origin: Option<String>,
    /// Unresolved targets: the node whose text they are.
    pub scope: Option<String>,
    /// The definition, or the first reference when the node is not defined in the input.
    pub loc: Loc,
    /// The first definition of the node in the input, if any: its edges are drawn.
    pub resource: Option<ResourceId>,
    /// Every definition of the node, first first: a JSON twin, or another file with the same
    /// resource, shares the node.
    pub definitions: Vec<ResourceId>,
    /// Terraform's address and root of the first Terraform definition, if any.
    pub terraform: Option<TerraformOrigin>,
}

impl Node {
    fn new(key: NodeKey, loc: Loc) -> Node {
        Node {
            id: key.base_id(),
            label: format!("{}:{}", key.kind.as_str(), key.name),
            kind: key.kind,
            name: key.name,
            project: key.project,
            location: key.location,
            origin: key.origin,
            scope: key.scope,
            loc,
            resource: None,
            definitions: Vec::new(),
            terraform: None,
        }
    }

    pub fn key(&self) -> NodeKey {
        NodeKey {
            kind: self.kind,
            name: self.name.clone(),
            project: self.project.clone(),
            location: self.location.clone(),
            origin: self.origin.clone(),
            scope: self.scope.clone(),
        }
    }

    /// The name with what is known of project and location, as Google writes full names:
    /// `projects/alpha/locations/us-central1/…/jobs`, or just `jobs`.
    pub fn qualified_name(&self) -> String {
        match (&self.project, &self.location) {
            (None, None) => self.name.clone(),
            (Some(p), None) => format!("projects/{p}/…/{}", self.name),
            (None, Some(l)) => format!("locations/{l}/…/{}", self.name),
            (Some(p), Some(l)) => format!("projects/{p}/locations/{l}/…/{}", self.name),
        }
    }
}

/// A reference that could mean several loaded resources: it has a node of its own.
#[derive(Clone, Debug, PartialEq)]
pub struct Ambiguity {
    /// The reference's own node.
    pub node: NodeIndex,
    /// Where the reference is written.
    pub loc: Loc,
    pub candidates: Vec<NodeIndex>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Edge {
    pub kind: EdgeKind,
    /// Where the interaction is written.
    pub loc: Loc,
    /// What happens, e.g. `http.post`, `tasks.create`, `object.v1.finalized`.
    pub label: String,
    /// The workflow step that makes the call.
    pub step: Option<EdgeStep>,
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

/// The workflow step that makes a call.
#[derive(Clone, Debug, PartialEq)]
pub struct EdgeStep {
    pub at: StepRef,
    pub name: String,
}

/// The whole system as one directed graph.
#[derive(Debug, Default)]
pub struct Graph {
    pub graph: DiGraph<Node, Edge>,
    index: HashMap<NodeKey, NodeIndex>,
    /// Defined nodes by kind and name: what references resolve to.
    defined: HashMap<(NodeKind, String), Vec<NodeIndex>>,
    /// Hosts that loaded services answer on (`status.url` and friends).
    hosts: HashMap<String, NodeIndex>,
    /// Terraform resources whose name only `apply` knows, by the name as far as it is known
    /// (`{var.prefix}-events`): the same text elsewhere in their root means them.
    aliases: HashMap<(NodeKind, String), Vec<NodeIndex>>,
    /// The node of each resource, by [`ResourceId`] (bucket notifications have none).
    resource_nodes: Vec<Option<NodeIndex>>,
    ambiguities: Vec<Ambiguity>,
    /// The nodes of `ambiguities`.
    ambiguous: HashSet<NodeIndex>,
}

/// What becomes of a node when the graph is rebuilt.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fate {
    Keep,
    Merge(NodeIndex),
    Drop,
}

/// What a reference may mean among the defined nodes.
enum Choice {
    One(NodeIndex),
    None,
    Several(Vec<NodeIndex>),
}

impl Graph {
    /// Builds the graph of everything in `workspace`. Cost: linear in the input.
    pub fn build(workspace: &Workspace) -> Graph {
        let mut graph = Graph::default();
        resources::declare(&mut graph, workspace);
        resources::connect(&mut graph, workspace);
        workflows::connect(&mut graph, workspace);
        graph.unify_references();
        graph.drop_idle_buckets(workspace);
        graph.assign_ids();
        // One finding per reference, however often it was resolved.
        graph.ambiguities.sort_by_key(|a| (a.loc, a.node));
        graph
            .ambiguities
            .dedup_by(|a, b| (a.loc, a.node) == (b.loc, b.node));
        graph.ambiguous = graph.ambiguities.iter().map(|a| a.node).collect();
        graph
    }

    /// The node whose [`Node::id`] is `id`.
    pub fn find(&self, id: &str) -> Option<NodeIndex> {
        self.graph.node_indices().find(|&n| self.graph[n].id == id)
    }

    /// The node of `key`.
    pub fn find_key(&self, key: &NodeKey) -> Option<NodeIndex> {
        self.index.get(key).copied()
    }

    pub fn node(&self, n: NodeIndex) -> &Node {
        &self.graph[n]
    }

    /// The node a loaded resource became (twins of one resource share it).
    pub fn resource_node(&self, resource: ResourceId) -> Option<NodeIndex> {
        self.resource_nodes.get(resource.index()).copied().flatten()
    }

    /// References that could mean several loaded resources.
    pub fn ambiguities(&self) -> &[Ambiguity] {
        &self.ambiguities
    }

    /// The edge out of `from` written at `loc`.
    pub fn edge_at(&self, from: NodeIndex, loc: Loc) -> Option<EdgeIndex> {
        self.graph
            .edges_directed(from, Direction::Outgoing)
            .find(|e| e.weight().loc == loc)
            .map(|e| e.id())
    }

    /// True when `n` is the node of a reference that could mean several loaded resources.
    pub fn is_ambiguous(&self, n: NodeIndex) -> bool {
        self.ambiguous.contains(&n)
    }

    /// The node of `key`, added (at `loc`) when missing.
    pub(crate) fn ensure(&mut self, key: NodeKey, loc: Loc) -> NodeIndex {
        if let Some(&n) = self.index.get(&key) {
            return n;
        }
        let n = self.graph.add_node(Node::new(key.clone(), loc));
        self.index.insert(key, n);
        n
    }

    /// Declares the definition of resource `id` with `key`; the first definition of a key
    /// gives the node its location.
    pub(crate) fn define(&mut self, key: NodeKey, id: ResourceId, loc: Loc) -> NodeIndex {
        let n = self.ensure(key, loc);
        let node = &mut self.graph[n];
        node.definitions.push(id);
        if node.resource.is_none() {
            node.resource = Some(id);
            node.loc = loc;
            self.defined
                .entry((node.kind, node.name.clone()))
                .or_default()
                .push(n);
        }
        if self.resource_nodes.len() <= id.index() {
            self.resource_nodes.resize(id.index() + 1, None);
        }
        self.resource_nodes[id.index()] = Some(n);
        n
    }

    /// Registers `text` as another name of the Terraform resource node `n`.
    pub(crate) fn alias(&mut self, n: NodeIndex, text: &str) {
        let kind = self.graph[n].kind;
        let nodes = self.aliases.entry((kind, text.to_string())).or_default();
        // A node defined twice (two files describe one resource) is still one candidate.
        if !nodes.contains(&n) {
            nodes.push(n);
        }
    }

    /// The one node of `kind` that `text` is an alias of, among those of `origin` (the
    /// referrer's Terraform root).
    pub(crate) fn aliased(
        &self,
        origin: Option<&str>,
        kind: NodeKind,
        text: &str,
    ) -> Option<NodeIndex> {
        let nodes = self.aliases.get(&(kind, short_name(text).to_string()))?;
        let mut fits = nodes
            .iter()
            .filter(|&&n| self.graph[n].origin.as_deref() == origin);
        match (fits.next(), fits.next()) {
            (Some(&n), None) => Some(n),
            _ => None,
        }
    }

    /// Adds another definition of node `n` (the first one keeps drawing its edges).
    pub(crate) fn add_definition(&mut self, n: NodeIndex, id: ResourceId) -> NodeIndex {
        self.graph[n].definitions.push(id);
        if self.resource_nodes.len() <= id.index() {
            self.resource_nodes.resize(id.index() + 1, None);
        }
        self.resource_nodes[id.index()] = Some(n);
        n
    }

    /// The defined nodes of `target`'s kind and name whose project and location fit it.
    pub(crate) fn defined_nodes(&self, target: &Target) -> Vec<NodeIndex> {
        let project = target.project.effective(None);
        let location = target.location.effective(None);
        self.defined
            .get(&(target.kind, target.name.clone()))
            .map(|nodes| {
                nodes
                    .iter()
                    .copied()
                    .filter(|&n| {
                        let node = &self.graph[n];
                        key::same_project(project, node.project.as_deref())
                            && key::same_location(location, node.location.as_deref())
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The node `target` means when `from` refers to it at `loc`: the one defined node it can
    /// mean, else a node of its own (and, when several defined nodes fit, an [`Ambiguity`]).
    pub fn resolve(&mut self, from: NodeIndex, target: &Target, loc: Loc) -> NodeIndex {
        match self.choose(from, target) {
            Choice::One(n) => n,
            Choice::None => self.ensure(self.own_key(from, target), loc),
            Choice::Several(candidates) => {
                let n = self.ensure(self.own_key(from, target), loc);
                self.ambiguities.push(Ambiguity {
                    node: n,
                    loc,
                    candidates,
                });
                n
            }
        }
    }

    /// The one defined node `target` means, if there is exactly one.
    pub fn defined_target(&self, from: NodeIndex, target: &Target) -> Option<NodeIndex> {
        match self.choose(from, target) {
            Choice::One(n) => Some(n),
            Choice::None | Choice::Several(_) => None,
        }
    }

    /// The defined nodes `target` can mean; among several, those that match what is known
    /// exactly and sit in the referrer's folder are preferred.
    fn choose(&self, from: NodeIndex, target: &Target) -> Choice {
        if let Some(n) = target.exact.and_then(|id| self.resource_node(id)) {
            return Choice::One(n);
        }
        let referrer = &self.graph[from];
        let project = target.project.effective(referrer.project.as_deref());
        let location = target.location.effective(referrer.location.as_deref());
        let Some(defined) = self.defined.get(&(target.kind, target.name.clone())) else {
            return Choice::None;
        };
        let fits: Vec<NodeIndex> = defined
            .iter()
            .copied()
            .filter(|&n| {
                let node = &self.graph[n];
                key::same_project(project, node.project.as_deref())
                    && key::same_location(location, node.location.as_deref())
            })
            .collect();
        match fits.len() {
            0 => return Choice::None,
            1 => return Choice::One(fits[0]),
            _ => {}
        }
        let score = |n: NodeIndex| {
            let node = &self.graph[n];
            let exact = usize::from(project.is_some() && project == node.project.as_deref())
                + usize::from(location.is_some() && location == node.location.as_deref());
            let same_folder = node.origin.is_some() && node.origin == referrer.origin;
            (exact, same_folder)
        };
        let best = fits.iter().map(|&n| score(n)).max();
        let top: Vec<NodeIndex> = fits
            .iter()
            .copied()
            .filter(|&n| Some(score(n)) == best)
            .collect();
        match top[..] {
            [one] => Choice::One(one),
            _ => Choice::Several(fits),
        }
    }

    /// The key of a reference that means no single defined node.
    fn own_key(&self, from: NodeIndex, target: &Target) -> NodeKey {
        let referrer = &self.graph[from];
        NodeKey {
            kind: target.kind,
            name: target.name.clone(),
            project: target
                .project
                .effective(referrer.project.as_deref())
                .map(str::to_string),
            location: target
                .location
                .effective(referrer.location.as_deref())
                .map(str::to_string),
            origin: None,
            scope: None,
        }
    }

    /// The node `url` points at, added when missing. `source` is the text the URL came from;
    /// `from` is the node it is written in: together they name an unresolved target.
    pub fn url_node(&mut self, from: NodeIndex, url: &str, source: &str, loc: Loc) -> NodeIndex {
        if let Some(n) = self.host_node(url) {
            return n;
        }
        match url::classify(url) {
            // A gen2 function answers on a Cloud Run URL of its own name.
            UrlTarget::Service(target) => match self.defined_target(from, &target) {
                Some(n) => n,
                None => match self.defined_target(from, &target.as_kind(NodeKind::Function)) {
                    Some(n) => n,
                    None => self.resolve(from, &target, loc),
                },
            },
            UrlTarget::Function(target) => resources::function(self, from, &target, loc),
            UrlTarget::WorkflowExecutions(target) | UrlTarget::RunJob(target) => {
                self.resolve(from, &target, loc)
            }
            UrlTarget::GoogleApi(host) => {
                self.ensure(NodeKey::global(NodeKind::GoogleApi, host), loc)
            }
            UrlTarget::External(host) => {
                self.ensure(NodeKey::global(NodeKind::External, host), loc)
            }
            UrlTarget::Unknown => self.unresolved(from, source, loc),
        }
    }

    /// The loaded service that answers on `url`'s host, or the resource a Terraform token
    /// host (`https://tf~7`) names.
    pub(crate) fn host_node(&self, url: &str) -> Option<NodeIndex> {
        let (host, _) = url::host_and_path(url.trim())?;
        if let Some(id) = key::token_resource(&host) {
            return self.resource_node(id);
        }
        self.hosts.get(&host).copied()
    }

    /// A target written as `source` in node `from` that cannot be named statically.
    pub fn unresolved(&mut self, from: NodeIndex, source: &str, loc: Loc) -> NodeIndex {
        let referrer = &self.graph[from];
        let key = NodeKey {
            kind: NodeKind::Unresolved,
            name: crate::tree::truncate(source.trim(), 80),
            project: referrer.project.clone(),
            location: referrer.location.clone(),
            origin: referrer.origin.clone(),
            scope: Some(format!("{}:{}", referrer.kind.as_str(), referrer.name)),
        };
        self.ensure(key, loc)
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

    /// Nodes that are only referenced, whose key leaves project or location open, are merged
    /// into the one referenced node of the same kind and name that fills them in
    /// (`projects/{project}/topics/t` and `projects/p/topics/t`), when there is one; with
    /// several, the reference is an [`Ambiguity`]. Defined nodes were resolved already.
    fn unify_references(&mut self) {
        let mut groups: HashMap<(NodeKind, &str), Vec<NodeIndex>> = HashMap::new();
        for n in self.graph.node_indices() {
            let node = &self.graph[n];
            if node.resource.is_none() && node.scope.is_none() && node.kind.is_loadable() {
                groups
                    .entry((node.kind, node.name.as_str()))
                    .or_default()
                    .push(n);
            }
        }
        let mut merge: Vec<Option<NodeIndex>> = vec![None; self.graph.node_count()];
        let fate = |merge: &[Option<NodeIndex>]| -> Vec<Fate> {
            merge
                .iter()
                .map(|m| m.map_or(Fate::Keep, Fate::Merge))
                .collect()
        };
        let mut ambiguities = Vec::new();
        for (_, mut group) in groups {
            if group.len() < 2 {
                continue;
            }
            let known = |n: NodeIndex| {
                let node = &self.graph[n];
                usize::from(node.project.is_some()) + usize::from(node.location.is_some())
            };
            // Most qualified first, so that each node's own merge is known before the nodes
            // that could merge into it.
            group.sort_by_key(|&n| (std::cmp::Reverse(known(n)), n));
            for (i, &n) in group.iter().enumerate() {
                let node = &self.graph[n];
                let mut into: Vec<NodeIndex> = group[..i]
                    .iter()
                    .copied()
                    .filter(|&m| {
                        let other = &self.graph[m];
                        known(m) > known(n)
                            && (node.project.is_none() || node.project == other.project)
                            && (node.location.is_none() || node.location == other.location)
                    })
                    .map(|m| merge[m.index()].unwrap_or(m))
                    .collect();
                into.sort();
                into.dedup();
                match into[..] {
                    [] => {}
                    [one] => merge[n.index()] = Some(one),
                    _ => ambiguities.push(Ambiguity {
                        node: n,
                        loc: node.loc,
                        candidates: into,
                    }),
                }
            }
        }
        self.ambiguities.extend(ambiguities);
        if merge.iter().any(Option::is_some) {
            self.rebuild(&fate(&merge));
        }
    }

    /// Rebuilds the graph with each node kept, merged into another (its edges follow) or
    /// dropped (it has no edges).
    fn rebuild(&mut self, fates: &[Fate]) {
        let (nodes, edges) = std::mem::take(&mut self.graph).into_nodes_edges();
        let mut graph = DiGraph::with_capacity(nodes.len(), edges.len());
        // Merged and dropped nodes keep a placeholder: `at` sends merged ones to their
        // target's new index.
        let map: Vec<NodeIndex> = nodes
            .into_iter()
            .enumerate()
            .map(|(i, node)| match fates[i] {
                Fate::Keep => graph.add_node(node.weight),
                Fate::Merge(_) | Fate::Drop => NodeIndex::end(),
            })
            .collect();
        let at = |n: NodeIndex| match fates[n.index()] {
            Fate::Merge(into) => map[into.index()],
            Fate::Keep | Fate::Drop => map[n.index()],
        };
        let kept = |n: &NodeIndex| *n != NodeIndex::end();
        for edge in edges {
            graph.add_edge(at(edge.source()), at(edge.target()), edge.weight);
        }
        self.graph = graph;
        self.index = self
            .graph
            .node_indices()
            .map(|n| (self.graph[n].key(), n))
            .collect();
        for list in self.defined.values_mut().chain(self.aliases.values_mut()) {
            list.iter_mut().for_each(|n| *n = at(*n));
            list.retain(kept);
        }
        self.hosts.values_mut().for_each(|n| *n = at(*n));
        self.hosts.retain(|_, n| kept(n));
        for slot in &mut self.resource_nodes {
            *slot = slot.map(at).filter(kept);
        }
        for ambiguity in &mut self.ambiguities {
            ambiguity.node = at(ambiguity.node);
            ambiguity.candidates.iter_mut().for_each(|n| *n = at(*n));
        }
    }

    /// Buckets that no trigger, notification or write involves: a function's source bucket
    /// is no part of the event flow.
    fn drop_idle_buckets(&mut self, workspace: &Workspace) {
        let fates: Vec<Fate> = self
            .graph
            .node_indices()
            .map(|n| {
                let node = &self.graph[n];
                let bucket = node
                    .resource
                    .and_then(|r| workspace.resource(r))
                    .is_some_and(|r| matches!(r.kind, crate::model::ResourceKind::Bucket));
                let idle = self.graph.neighbors_undirected(n).next().is_none();
                match bucket && idle {
                    true => Fate::Drop,
                    false => Fate::Keep,
                }
            })
            .collect();
        if fates.contains(&Fate::Drop) {
            self.rebuild(&fates);
        }
    }

    /// Gives every node its [`Node::id`] (the key as text, numbered when two read the same) and
    /// its [`Node::label`].
    fn assign_ids(&mut self) {
        let mut names: HashMap<(NodeKind, &str), usize> = HashMap::new();
        for node in self.graph.node_weights() {
            *names.entry((node.kind, node.name.as_str())).or_insert(0) += 1;
        }
        let shared: Vec<bool> = self
            .graph
            .node_weights()
            .map(|node| names.get(&(node.kind, node.name.as_str())).copied() > Some(1))
            .collect();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for n in self.graph.node_indices() {
            let base = self.graph[n].key().base_id();
            // Two keys that read the same (`#2`): same-named definitions in two folders.
            let count = seen.entry(base.clone()).or_insert(0);
            *count += 1;
            let node = &mut self.graph[n];
            node.id = match *count {
                1 => base,
                k => format!("{base}#{k}"),
            };
            node.label = match shared[n.index()] {
                true => node.id.clone(),
                false => format!("{}:{}", node.kind.as_str(), node.name),
            };
        }
    }
}

/// The short name in a resource path: `projects/p/topics/t` → `t`.
pub fn short_name(name: &str) -> &str {
    name.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(name)
}
