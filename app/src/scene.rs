//! What the graph view shows, laid out: the interaction graph with the user's choices applied
//! (focus on a node, expanded workflows shown as their steps) and every node and edge placed.
//! Pure: no DOM, so it is tested natively.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use baton_analyzer::flow::{FlowNode, SubworkflowFlow};
use baton_analyzer::graph::{EdgeKind, NodeKind};
use baton_analyzer::layout::{layout, Direction, Options, Point};
use baton_analyzer::{Report, ResourceKind};
use petgraph::visit::EdgeRef;

/// Longest name drawn in full; longer ones are cut (the full name is in the tooltip).
pub const MAX_LABEL: usize = 28;
const CHAR_WIDTH: f64 = 7.4;
const NODE_HEIGHT: f64 = 46.0;
const STEP_HEIGHT: f64 = 30.0;

/// The user's choices that change what is drawn.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ViewOptions {
    pub direction: Direction,
    /// Ids of workflow nodes shown as their steps.
    pub expanded: BTreeSet<String>,
    /// Show only the nodes at most `hops` edges (either way) from this node.
    pub focus: Option<(String, usize)>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum SceneKind {
    Node(NodeKind),
    /// A step of an expanded workflow.
    Step {
        reachable: bool,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct SceneNode {
    /// Graph node id (`service:thumbnails`) or step id (`step:wf/main/init`).
    pub id: String,
    pub kind: SceneKind,
    pub name: String,
    /// The workflow a step belongs to.
    pub parent: Option<String>,
    pub centre: Point,
    pub width: f64,
    pub height: f64,
}

impl SceneNode {
    pub fn kind_str(&self) -> &'static str {
        match self.kind {
            SceneKind::Node(kind) => kind.as_str(),
            SceneKind::Step { .. } => "step",
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
    /// Index of the interaction-graph edge, for interaction edges.
    pub graph_edge: Option<usize>,
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
    pub id: String,
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
    /// How long building and laying out took, in milliseconds (measured by the caller).
    pub build_ms: f64,
}

impl Scene {
    pub fn node(&self, id: &str) -> Option<&SceneNode> {
        self.nodes.iter().find(|n| n.id == id)
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

fn node_size(name: &str, kind: &str, step: bool) -> (f64, f64) {
    let chars = label(name).chars().count().max(kind.len() + 5) as f64;
    let width = (chars * CHAR_WIDTH + 30.0).clamp(80.0, 260.0);
    (width, if step { STEP_HEIGHT } else { NODE_HEIGHT })
}

/// Builds and lays out the scene.
pub fn build(report: &Report, options: &ViewOptions) -> Scene {
    let graph = &report.graph;
    let visible = visible_nodes(report, options);
    let mut nodes: Vec<SceneNode> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    // Per expanded workflow: step name → scene index, and the index of its entry step.
    let mut expanded: HashMap<String, (HashMap<String, usize>, Option<usize>)> = HashMap::new();
    let mut edges: Vec<SceneEdge> = Vec::new();
    let mut groups = Vec::new();

    for n in graph.nodes() {
        let node = graph.node(n);
        if !visible.contains(&n.index()) {
            continue;
        }
        let workflow = node
            .resource
            .and_then(|i| match &report.workspace.resources.get(i)?.kind {
                ResourceKind::Workflow(w) => Some(w),
                _ => None,
            });
        if let (Some(workflow), true) = (workflow, options.expanded.contains(&node.id)) {
            let steps = expand(workflow, &node.id, &mut nodes, &mut edges);
            for (name, &i) in &steps.0 {
                index.insert(format!("step:{}/{name}", node.id), i);
            }
            groups.push(Group {
                id: node.id.clone(),
                name: node.name.clone(),
                min: Point::default(),
                max: Point::default(),
            });
            expanded.insert(node.id.clone(), steps);
            continue;
        }
        let (width, height) = node_size(&node.name, node.kind.as_str(), false);
        index.insert(node.id.clone(), nodes.len());
        nodes.push(SceneNode {
            id: node.id.clone(),
            kind: SceneKind::Node(node.kind),
            name: node.name.clone(),
            parent: None,
            centre: Point::default(),
            width,
            height,
        });
    }
    for e in graph.graph.edge_references() {
        let edge = e.weight();
        let end = |n: petgraph::graph::NodeIndex, outgoing: bool| -> Option<usize> {
            let id = &graph.node(n).id;
            if let Some((steps, entry)) = expanded.get(id) {
                let by_step = edge.step.as_ref().and_then(|s| steps.get(s)).copied();
                return if outgoing { by_step.or(*entry) } else { *entry };
            }
            index.get(id).copied()
        };
        let (Some(from), Some(to)) = (end(e.source(), true), end(e.target(), false)) else {
            continue;
        };
        edges.push(SceneEdge {
            graph_edge: Some(e.id().index()),
            kind: SceneEdgeKind::Interaction(edge.kind),
            from,
            to,
            label: edge.caption(),
            soft: edge.soft,
            points: Vec::new(),
        });
    }

    let sizes: Vec<(f64, f64)> = nodes.iter().map(|n| (n.width, n.height)).collect();
    let pairs: Vec<(usize, usize)> = edges.iter().map(|e| (e.from, e.to)).collect();
    let laid = layout(&sizes, &pairs, &Options::with_direction(options.direction));
    for (node, centre) in nodes.iter_mut().zip(&laid.nodes) {
        node.centre = *centre;
    }
    for (edge, route) in edges.iter_mut().zip(laid.edges) {
        edge.points = route.points;
    }
    for group in &mut groups {
        let members = nodes
            .iter()
            .filter(|n| n.parent.as_deref() == Some(group.id.as_str()));
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
    groups.retain(|g| {
        g.min.x < g.max.x
            && !nodes.iter().any(|n| {
                n.parent.as_deref() != Some(g.id.as_str())
                    && n.centre.x > g.min.x
                    && n.centre.x < g.max.x
                    && n.centre.y > g.min.y
                    && n.centre.y < g.max.y
            })
    });
    Scene {
        nodes,
        edges,
        groups,
        width: laid.width,
        height: laid.height,
        build_ms: 0.0,
    }
}

/// Adds the steps of `workflow` and its control flow; returns step name → scene index (the
/// first step of that name) and the entry step (the first step `main` runs).
fn expand(
    workflow: &baton_analyzer::model::Workflow,
    id: &str,
    nodes: &mut Vec<SceneNode>,
    edges: &mut Vec<SceneEdge>,
) -> (HashMap<String, usize>, Option<usize>) {
    let mut by_name: HashMap<String, usize> = HashMap::new();
    let mut first_steps: HashMap<String, usize> = HashMap::new();
    let flows: Vec<SubworkflowFlow<'_>> = SubworkflowFlow::build_all(workflow);
    let mut calls = Vec::new();
    for flow in &flows {
        let sub = &flow.subworkflow.name;
        let base = nodes.len();
        for step in &flow.steps {
            let name = format!("{sub}/{}", step.step.name);
            let (width, height) = node_size(&step.step.name, "step", true);
            by_name.entry(step.step.name.clone()).or_insert(nodes.len());
            nodes.push(SceneNode {
                id: format!("step:{id}/{name}"),
                kind: SceneKind::Step {
                    reachable: step.reachable,
                },
                name: step.step.name.clone(),
                parent: Some(id.to_string()),
                centre: Point::default(),
                width,
                height,
            });
        }
        // Control flow between steps, with inline bodies folded into their step and the
        // entry, exit and raise nodes left out.
        let step_of = |n: petgraph::graph::NodeIndex| match flow.graph[n] {
            FlowNode::Step(i) | FlowNode::Inline(i) => Some(base + i),
            _ => None,
        };
        let mut seen = BTreeSet::new();
        for e in flow.graph.edge_references() {
            if let (Some(a), Some(b)) = (step_of(e.source()), step_of(e.target())) {
                if a != b && seen.insert((a, b)) {
                    edges.push(flow_edge(SceneEdgeKind::Flow, a, b));
                }
            }
        }
        let entry = flow
            .graph
            .edges(flow.entry)
            .filter_map(|e| step_of(e.target()))
            .min();
        if let Some(entry) = entry {
            first_steps.insert(sub.clone(), entry);
        }
        for call in &flow.calls {
            calls.push((base + call.step, call.callee.clone()));
        }
    }
    let mut seen = BTreeSet::new();
    for (from, callee) in calls {
        if let Some(&to) = first_steps.get(&callee) {
            if seen.insert((from, to)) {
                edges.push(flow_edge(SceneEdgeKind::Call, from, to));
            }
        }
    }
    let entry = first_steps
        .get("main")
        .copied()
        .or_else(|| first_steps.values().min().copied());
    (by_name, entry)
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

/// Indices of the graph nodes to draw: all, or those near the focus node.
fn visible_nodes(report: &Report, options: &ViewOptions) -> BTreeSet<usize> {
    let graph = &report.graph;
    let Some((focus, hops)) = &options.focus else {
        return graph.nodes().map(|n| n.index()).collect();
    };
    let Some(start) = graph.find(focus) else {
        return graph.nodes().map(|n| n.index()).collect();
    };
    let mut distance: BTreeMap<usize, usize> = BTreeMap::from([(start.index(), 0)]);
    let mut queue = VecDeque::from([start]);
    while let Some(n) = queue.pop_front() {
        let d = distance.get(&n.index()).copied().unwrap_or(0);
        if d >= *hops {
            continue;
        }
        for next in graph.graph.neighbors_undirected(n) {
            if let std::collections::btree_map::Entry::Vacant(slot) = distance.entry(next.index()) {
                slot.insert(d + 1);
                queue.push_back(next);
            }
        }
    }
    distance.into_keys().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::examples::EXAMPLES;

    fn example() -> Report {
        baton_analyzer::analyze(&EXAMPLES[0].sources())
    }

    #[test]
    fn every_graph_node_and_edge_is_drawn() {
        let report = example();
        let scene = build(&report, &ViewOptions::default());
        assert_eq!(scene.nodes.len(), report.graph.graph.node_count());
        assert_eq!(scene.edges.len(), report.graph.graph.edge_count());
        assert!(scene.edges.iter().all(|e| e.points.len() >= 2));
        assert!(scene.width > 0.0 && scene.height > 0.0);
    }

    #[test]
    fn an_expanded_workflow_shows_its_steps_with_unreachable_ones_marked() {
        let report = example();
        let options = ViewOptions {
            expanded: BTreeSet::from(["workflow:image-pipeline".to_string()]),
            ..ViewOptions::default()
        };
        let scene = build(&report, &options);
        assert!(scene.node("workflow:image-pipeline").is_none());
        let never = scene
            .node("step:workflow:image-pipeline/main/never_reached")
            .expect("the step is drawn");
        assert_eq!(never.kind, SceneKind::Step { reachable: false });
        // The trigger now points at the first step, the queue is fed by the enqueuing step.
        let trigger = scene
            .nodes
            .iter()
            .position(|n| n.id == "trigger:on-image-uploaded")
            .unwrap();
        let into = scene.edges.iter().find(|e| e.from == trigger).unwrap();
        assert_eq!(
            scene.nodes[into.to].parent.as_deref(),
            Some("workflow:image-pipeline")
        );
        let queue = scene
            .nodes
            .iter()
            .position(|n| n.id == "queue:thumbnail-queue")
            .unwrap();
        let enqueue = scene.edges.iter().find(|e| e.to == queue).unwrap();
        assert_eq!(scene.nodes[enqueue.from].name, "enqueue_thumbnail");
        assert!(scene.edges.iter().any(|e| e.kind == SceneEdgeKind::Call));
    }

    #[test]
    fn focus_keeps_the_nodes_within_reach() {
        let report = example();
        let options = ViewOptions {
            focus: Some(("service:collage".into(), 1)),
            ..ViewOptions::default()
        };
        let mut ids: Vec<String> = build(&report, &options)
            .nodes
            .into_iter()
            .map(|n| n.id)
            .collect();
        ids.sort();
        assert_eq!(
            ids,
            [
                "job:collage-every-minute",
                "service:collage",
                "subscription:collage-on-thumbnail"
            ]
        );
    }

    #[test]
    fn labels_are_cut_and_inert() {
        assert_eq!(label("short"), "short");
        let long = "x".repeat(10_000);
        assert_eq!(label(&long).chars().count(), MAX_LABEL + 1);
        assert_eq!(label("a\u{202e}b\nc"), "a b c");
    }
}
