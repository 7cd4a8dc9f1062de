//! What the graph view shows, laid out: the interaction graph with the user's choices applied
//! (focus on a node, expanded workflows shown as their steps) and every node and edge placed.
//! Pure: no DOM, so it is tested natively.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use crate::flow::{FlowNode, SubworkflowFlow};
use crate::graph::{EdgeKind, NodeKey, NodeKind};
use crate::layout::{layout_near, Direction, Options, Point, Previous};
use crate::model::Workflow;
use crate::Report;
use petgraph::graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;

use super::folders::{summary, Folders};
use super::key::{definitions, SceneKey, StepKey};

/// Longest name drawn in full; longer ones are cut (the full name is in the tooltip).
pub const MAX_LABEL: usize = 28;
const CHAR_WIDTH: f64 = 7.4;
const NODE_HEIGHT: f64 = 46.0;
const STEP_HEIGHT: f64 = 30.0;
const FOLDER_HEIGHT: f64 = 62.0;
/// A drawing of more nodes than this starts as the folder overview.
pub const GROUP_ABOVE: usize = 150;

/// The user's choices that change what is drawn.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ViewOptions {
    pub direction: Direction,
    /// Workflow nodes shown as their steps.
    pub expanded: BTreeSet<NodeKey>,
    /// Show only the nodes at most `hops` edges (either way) from this node.
    pub focus: Option<(NodeKey, usize)>,
    pub grouping: Grouping,
    /// Folders (by path) shown as their contents when grouped.
    pub opened: BTreeSet<String>,
}

/// Whether folders are drawn closed, as one box each.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Grouping {
    /// Grouped when more than [`GROUP_ABOVE`] nodes would be drawn.
    #[default]
    Auto,
    Folders,
    Flat,
}

impl Grouping {
    /// Whether a drawing of `nodes` graph nodes is grouped.
    pub fn groups(self, nodes: usize) -> bool {
        match self {
            Grouping::Auto => nodes > GROUP_ABOVE,
            Grouping::Folders => true,
            Grouping::Flat => false,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum SceneKind {
    Node(NodeKind),
    /// A step of an expanded workflow.
    Step {
        reachable: bool,
    },
    /// A closed folder: the graph nodes in it (at every depth) and how many of each kind.
    Folder {
        path: String,
        members: Vec<SceneKey>,
        kinds: Vec<(NodeKind, usize)>,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct SceneNode {
    pub key: SceneKey,
    /// The node's handle in the DOM (`data-node-id`): the graph node's id, or a token the
    /// scene makes for a step. Opaque: only [`Scene::by_token`] reads it back.
    pub token: String,
    pub kind: SceneKind,
    pub name: String,
    pub centre: Point,
    pub width: f64,
    pub height: f64,
}

impl SceneNode {
    pub fn kind_str(&self) -> &'static str {
        match self.kind {
            SceneKind::Node(kind) => kind.as_str(),
            SceneKind::Step { .. } => "step",
            SceneKind::Folder { .. } => "folder",
        }
    }

    /// The workflow a step belongs to.
    pub fn parent(&self) -> Option<&NodeKey> {
        match &self.key {
            SceneKey::Step(step) => Some(&step.workflow),
            SceneKey::Node(_) | SceneKey::Folder(_) => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum SceneEdgeKind {
    Interaction(EdgeKind),
    /// Control flow between steps of an expanded workflow.
    Flow,
    /// A step calling a subworkflow.
    Call,
}

impl SceneEdgeKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            SceneEdgeKind::Interaction(kind) => kind.as_str(),
            SceneEdgeKind::Flow => "flow",
            SceneEdgeKind::Call => "call",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct SceneEdge {
    /// The interaction-graph edge, for interaction edges.
    pub graph_edge: Option<EdgeIndex>,
    pub kind: SceneEdgeKind,
    pub from: usize,
    pub to: usize,
    pub label: String,
    pub soft: bool,
    pub points: Vec<Point>,
}

/// A box around the steps of an expanded workflow.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub workflow: NodeKey,
    /// The workflow node's id, for the DOM.
    pub token: String,
    pub name: String,
    pub min: Point,
    pub max: Point,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scene {
    pub nodes: Vec<SceneNode>,
    pub edges: Vec<SceneEdge>,
    pub groups: Vec<Group>,
    pub width: f64,
    pub height: f64,
    /// Which way it was laid out.
    pub direction: Direction,
    /// How long building and laying out took, in milliseconds (measured by the caller).
    pub build_ms: f64,
    /// Position in `nodes` by key and by DOM token.
    by_key: HashMap<SceneKey, usize>,
    by_token: HashMap<String, usize>,
}

impl Scene {
    pub fn node(&self, key: &SceneKey) -> Option<&SceneNode> {
        self.nodes.get(*self.by_key.get(key)?)
    }

    /// The node whose [`SceneNode::token`] is `token` (read back from the DOM).
    pub fn by_token(&self, token: &str) -> Option<&SceneNode> {
        self.nodes.get(*self.by_token.get(token)?)
    }

    /// Indexes the nodes by key and token; a step's token is made unique here.
    fn index(&mut self) {
        self.by_key = (self.nodes.iter().enumerate())
            .map(|(i, n)| (n.key.clone(), i))
            .collect();
        // Graph node ids are unique, and so are folder tokens (`folder` is no node kind); step
        // tokens are numbered and must not take one of them.
        self.by_token.clear();
        for (i, node) in self.nodes.iter().enumerate() {
            if let SceneKey::Node(_) | SceneKey::Folder(_) = node.key {
                self.by_token.insert(node.token.clone(), i);
            }
        }
        for (i, node) in self.nodes.iter_mut().enumerate() {
            if let SceneKey::Step(_) = node.key {
                while self.by_token.contains_key(&node.token) {
                    node.token.push('~');
                }
                self.by_token.insert(node.token.clone(), i);
            }
        }
    }
}

/// `name` cut to [`MAX_LABEL`] characters.
pub fn label(name: &str) -> String {
    cut(name, MAX_LABEL)
}

/// `name` as one line of inert text of at most `max` characters (and an ellipsis).
pub fn cut(name: &str, max: usize) -> String {
    let clean: String = name
        .chars()
        .map(|c| {
            if c.is_control() || is_bidi_control(c) {
                ' '
            } else {
                c
            }
        })
        .collect();
    match clean.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &clean[..at]),
        None => clean,
    }
}

/// A source line for display: bidi controls made visible, very long lines cut.
pub fn label_line(line: &str) -> String {
    let clean: String = line
        .chars()
        .map(|c| if is_bidi_control(c) { '\u{fffd}' } else { c })
        .collect();
    match clean.char_indices().nth(400) {
        Some((at, _)) => format!("{}…", &clean[..at]),
        None => clean,
    }
}

/// Characters that reorder the text around them (right-to-left overrides and friends).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
}

/// Longest summary line of a folder box.
pub const MAX_SUMMARY: usize = 36;

fn folder_size(name: &str, summary: &str) -> (f64, f64) {
    let chars = (label(name).chars().count()).max(cut(summary, MAX_SUMMARY).chars().count());
    let width = (chars as f64 * CHAR_WIDTH + 30.0).clamp(120.0, 300.0);
    (width, FOLDER_HEIGHT)
}

fn node_size(name: &str, kind: &str, step: bool) -> (f64, f64) {
    let chars = label(name).chars().count().max(kind.len() + 5) as f64;
    let width = (chars * CHAR_WIDTH + 30.0).clamp(80.0, 260.0);
    (width, if step { STEP_HEIGHT } else { NODE_HEIGHT })
}

/// Builds and lays out the scene.
pub fn build(report: &Report, options: &ViewOptions) -> Scene {
    build_near(report, options, None)
}

/// [`build`], laid out near the `previous` scene when it had the same direction and drew most
/// of what is drawn now: what is drawn in both keeps its place as far as the change allows (a
/// node focused, a file edited), so the picture stays still. A scene that is mostly new (a
/// workflow expanded into its steps) is laid out afresh: pinning the few old nodes would
/// only distort it.
pub fn build_near(report: &Report, options: &ViewOptions, previous: Option<&Scene>) -> Scene {
    let mut scene = assemble(report, options);
    let previous = previous.filter(|p| {
        let known = scene
            .nodes
            .iter()
            .filter(|n| p.node(&n.key).is_some())
            .count();
        p.direction == options.direction && known * 10 >= scene.nodes.len() * 9
    });
    lay_out(&mut scene, options.direction, previous);
    scene
}

/// What is drawn, not yet placed: the nodes, edges and groups with their sizes.
pub fn assemble(report: &Report, options: &ViewOptions) -> Scene {
    let graph = &report.graph;
    let visible = visible_nodes(report, options);
    let mut scene = Scene::default();
    let mut drawn: HashMap<NodeIndex, usize> = HashMap::new();
    let mut expanded: HashMap<NodeIndex, Steps> = HashMap::new();
    let folders = (options.grouping.groups(visible.len())).then(|| Folders::of(report));
    let mut folder_nodes: HashMap<u32, usize> = HashMap::new();

    for n in graph.nodes() {
        if !visible.contains(&n) {
            continue;
        }
        let node = graph.node(n);
        let key = node.key();
        if let Some((folders, level)) =
            (folders.as_ref()).and_then(|f| Some((f, f.closed(n, &options.opened)?)))
        {
            let at = *folder_nodes
                .entry(level)
                .or_insert_with(|| add_folder(&mut scene, folders, level));
            if let Some(SceneKind::Folder { members, kinds, .. }) =
                scene.nodes.get_mut(at).map(|f| &mut f.kind)
            {
                members.push(SceneKey::Node(key));
                match kinds.iter_mut().find(|(k, _)| *k == node.kind) {
                    Some((_, count)) => *count += 1,
                    None => kinds.push((node.kind, 1)),
                }
            }
            drawn.insert(n, at);
            continue;
        }
        let workflows = match node.kind {
            NodeKind::Workflow if options.expanded.contains(&key) => definitions(report, n),
            _ => Vec::new(),
        };
        if !workflows.is_empty() {
            let mut steps = Steps {
                entry: None,
                by_index: HashMap::new(),
            };
            // Edges are written in the first definition, so they attach to its steps.
            for (definition, workflow) in workflows.into_iter().enumerate() {
                let definition = u32::try_from(definition).unwrap_or(u32::MAX);
                steps = steps.or(expand(workflow, &key, definition, &mut scene));
            }
            scene.groups.push(Group {
                workflow: key,
                token: node.id.clone(),
                name: node.name.clone(),
                min: Point::default(),
                max: Point::default(),
            });
            expanded.insert(n, steps);
            continue;
        }
        let (width, height) = node_size(&node.name, node.kind.as_str(), false);
        drawn.insert(n, scene.nodes.len());
        scene.nodes.push(SceneNode {
            key: SceneKey::Node(key),
            token: node.id.clone(),
            kind: SceneKind::Node(node.kind),
            name: node.name.clone(),
            centre: Point::default(),
            width,
            height,
        });
    }
    // Edges to or from a closed folder are drawn once per pair of ends, with their count.
    let is_folder = |at: usize| matches!(scene.nodes[at].kind, SceneKind::Folder { .. });
    let mut between_folders: BTreeMap<(usize, usize), BTreeMap<EdgeKind, usize>> = BTreeMap::new();
    for e in graph.graph.edge_references() {
        let edge = e.weight();
        // An expanded workflow's edges start at the step that makes the call and end at its
        // entry step.
        let end = |n: NodeIndex, outgoing: bool| -> Option<usize> {
            match expanded.get(&n) {
                Some(steps) if outgoing => (edge.step.as_ref())
                    .and_then(|s| steps.by_index.get(&(s.at.subworkflow, s.at.step)))
                    .copied()
                    .or(steps.entry),
                Some(steps) => steps.entry,
                None => drawn.get(&n).copied(),
            }
        };
        let (Some(from), Some(to)) = (end(e.source(), true), end(e.target(), false)) else {
            continue;
        };
        if is_folder(from) || is_folder(to) {
            if from != to {
                let kinds = between_folders.entry((from, to)).or_default();
                *kinds.entry(edge.kind).or_default() += 1;
            }
            continue;
        }
        scene.edges.push(SceneEdge {
            graph_edge: Some(e.id()),
            kind: SceneEdgeKind::Interaction(edge.kind),
            from,
            to,
            label: edge.caption(),
            soft: edge.soft,
            points: Vec::new(),
        });
    }
    for ((from, to), kinds) in between_folders {
        scene.edges.push(folded_edge(from, to, &kinds));
    }
    for node in &mut scene.nodes {
        if let SceneKind::Folder { kinds, .. } = &node.kind {
            (node.width, node.height) = folder_size(&node.name, &summary(kinds));
        }
    }
    scene.index();
    scene
}

/// A closed folder's box, sized once its members are known.
fn add_folder(scene: &mut Scene, folders: &Folders, level: u32) -> usize {
    let path = folders
        .level(level)
        .map(|l| l.path.clone())
        .unwrap_or_default();
    scene.nodes.push(SceneNode {
        key: SceneKey::Folder(path.clone()),
        token: format!("folder:{path}"),
        kind: SceneKind::Folder {
            path,
            members: Vec::new(),
            kinds: Vec::new(),
        },
        name: folders.short_name(level),
        centre: Point::default(),
        width: 0.0,
        height: FOLDER_HEIGHT,
    });
    scene.nodes.len() - 1
}

/// The interactions between two ends, one of them a closed folder, as one edge: drawn as
/// their most common kind, labelled with every kind's count.
fn folded_edge(from: usize, to: usize, kinds: &BTreeMap<EdgeKind, usize>) -> SceneEdge {
    let most = kinds
        .iter()
        .max_by_key(|&(kind, n)| (*n, std::cmp::Reverse(*kind)));
    let kind = most.map_or(EdgeKind::SyncCall, |(kind, _)| *kind);
    let label = kinds
        .iter()
        .map(|(kind, n)| format!("{n} × {}", kind.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    SceneEdge {
        graph_edge: None,
        kind: SceneEdgeKind::Interaction(kind),
        from,
        to,
        label,
        soft: false,
        points: Vec::new(),
    }
}

/// Places the nodes and routes the edges of `scene`, and draws a box around each expanded
/// workflow's steps when it covers nothing else.
/// Where `previous` drew the nodes and edges of `scene`, matched by key.
fn old_drawing(scene: &Scene, previous: &Scene) -> Previous {
    let nodes = scene
        .nodes
        .iter()
        .map(|n| previous.node(&n.key).map(|old| old.centre))
        .collect();
    let routes = previous
        .edges
        .iter()
        .filter_map(|e| {
            let (from, to) = (
                &previous.nodes.get(e.from)?.key,
                &previous.nodes.get(e.to)?.key,
            );
            let ends = (*scene.by_key.get(from)?, *scene.by_key.get(to)?);
            Some((ends, e.points.clone()))
        })
        .collect();
    Previous { nodes, routes }
}

fn lay_out(scene: &mut Scene, direction: Direction, previous: Option<&Scene>) {
    let sizes: Vec<(f64, f64)> = scene.nodes.iter().map(|n| (n.width, n.height)).collect();
    let pairs: Vec<(usize, usize)> = scene.edges.iter().map(|e| (e.from, e.to)).collect();
    let old = previous.map(|p| old_drawing(scene, p)).unwrap_or_default();
    let laid = layout_near(&sizes, &pairs, &Options::with_direction(direction), &old);
    scene.direction = direction;
    for (node, centre) in scene.nodes.iter_mut().zip(&laid.nodes) {
        node.centre = *centre;
    }
    for (edge, route) in scene.edges.iter_mut().zip(laid.edges) {
        edge.points = route.points;
    }
    let nodes = &scene.nodes;
    for group in &mut scene.groups {
        let members = nodes.iter().filter(|n| n.parent() == Some(&group.workflow));
        let (mut min, mut max) = (
            Point {
                x: f64::MAX,
                y: f64::MAX,
            },
            Point {
                x: f64::MIN,
                y: f64::MIN,
            },
        );
        for n in members {
            min.x = min.x.min(n.centre.x - n.width / 2.0 - 10.0);
            min.y = min.y.min(n.centre.y - n.height / 2.0 - 22.0);
            max.x = max.x.max(n.centre.x + n.width / 2.0 + 10.0);
            max.y = max.y.max(n.centre.y + n.height / 2.0 + 10.0);
        }
        if min.x <= max.x {
            (group.min, group.max) = (min, max);
        }
    }
    // A box that would cover other nodes (the layout interleaves layers) says nothing: drop it.
    scene.groups.retain(|g| {
        g.min.x < g.max.x
            && !nodes.iter().any(|n| {
                n.parent() != Some(&g.workflow)
                    && n.centre.x > g.min.x
                    && n.centre.x < g.max.x
                    && n.centre.y > g.min.y
                    && n.centre.y < g.max.y
            })
    });
    scene.width = laid.width;
    scene.height = laid.height;
}

/// The steps of an expanded workflow in the scene.
struct Steps {
    /// The first step `main` runs.
    entry: Option<usize>,
    /// Each step of the first definition (the one whose calls are edges), by subworkflow and
    /// step index.
    by_index: HashMap<(u32, u32), usize>,
}

impl Steps {
    /// These steps, with what they lack taken from `other`.
    fn or(mut self, other: Steps) -> Steps {
        self.entry = self.entry.or(other.entry);
        for (at, step) in other.by_index {
            self.by_index.entry(at).or_insert(step);
        }
        self
    }
}

/// Adds one node per step of `workflow`, definition `definition` of the node with `key`, and
/// its control flow.
fn expand(workflow: &Workflow, key: &NodeKey, definition: u32, scene: &mut Scene) -> Steps {
    let mut by_index: HashMap<(u32, u32), usize> = HashMap::new();
    let mut first_steps: Vec<Option<usize>> = Vec::new();
    let flows: Vec<SubworkflowFlow<'_>> = SubworkflowFlow::build_all(workflow);
    let mut calls = Vec::new();
    for (sub, flow) in flows.iter().enumerate() {
        let base = scene.nodes.len();
        for (i, step) in flow.steps.iter().enumerate() {
            let (width, height) = node_size(&step.step.name, "step", true);
            let at = (
                u32::try_from(sub).unwrap_or(u32::MAX),
                u32::try_from(i).unwrap_or(u32::MAX),
            );
            by_index.insert(at, base + i);
            scene.nodes.push(SceneNode {
                key: SceneKey::Step(StepKey {
                    workflow: key.clone(),
                    definition,
                    subworkflow: at.0,
                    step: at.1,
                }),
                token: format!("step-{}", base + i),
                kind: SceneKind::Step {
                    reachable: step.reachable,
                },
                name: step.step.name.clone(),
                centre: Point::default(),
                width,
                height,
            });
        }
        // Control flow between steps, with inline bodies folded into their step and the
        // entry, exit and raise nodes left out.
        let step_of = |n: NodeIndex| match flow.graph[n] {
            FlowNode::Step(i) | FlowNode::Inline(i) => Some(base + i),
            _ => None,
        };
        let mut seen = BTreeSet::new();
        for e in flow.graph.edge_references() {
            if let (Some(a), Some(b)) = (step_of(e.source()), step_of(e.target())) {
                if a != b && seen.insert((a, b)) {
                    scene.edges.push(flow_edge(SceneEdgeKind::Flow, a, b));
                }
            }
        }
        let entry = flow
            .graph
            .edges(flow.entry)
            .filter_map(|e| step_of(e.target()))
            .min();
        first_steps.push(entry);
        for call in &flow.calls {
            calls.push((base + call.step, call.callee.as_str()));
        }
    }
    // A call names its subworkflow; the first of that name is the one that runs.
    let first_of = |name: &str| {
        let sub = workflow.subworkflows.iter().position(|s| s.name == name)?;
        first_steps.get(sub).copied().flatten()
    };
    let mut seen = BTreeSet::new();
    for (from, callee) in calls {
        if let Some(to) = first_of(callee) {
            if seen.insert((from, to)) {
                scene.edges.push(flow_edge(SceneEdgeKind::Call, from, to));
            }
        }
    }
    // `main` comes first when there is one (`Workflow::subworkflows`).
    let entry = first_steps.iter().flatten().next().copied();
    Steps { entry, by_index }
}

fn flow_edge(kind: SceneEdgeKind, from: usize, to: usize) -> SceneEdge {
    SceneEdge {
        graph_edge: None,
        label: kind.as_str().to_string(),
        kind,
        from,
        to,
        soft: false,
        points: Vec::new(),
    }
}

/// The graph nodes to draw: all, or those near the focus node.
fn visible_nodes(report: &Report, options: &ViewOptions) -> BTreeSet<NodeIndex> {
    let graph = &report.graph;
    let Some((focus, hops)) = &options.focus else {
        return graph.nodes().collect();
    };
    let Some(start) = graph.find_key(focus) else {
        return graph.nodes().collect();
    };
    let mut distance: BTreeMap<NodeIndex, usize> = BTreeMap::from([(start, 0)]);
    let mut queue = VecDeque::from([start]);
    while let Some(n) = queue.pop_front() {
        let d = distance.get(&n).copied().unwrap_or(0);
        if d >= *hops {
            continue;
        }
        for next in graph.graph.neighbors_undirected(n) {
            if let std::collections::btree_map::Entry::Vacant(slot) = distance.entry(next) {
                slot.insert(d + 1);
                queue.push_back(next);
            }
        }
    }
    distance.into_keys().collect()
}
