//! Entry points and what each one depends on alone: shared by `single-point-of-failure` and
//! `central-orchestrator`.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use petgraph::algo::dominators::simple_fast;
use petgraph::graph::NodeIndex;

use crate::analysis::Analysis;
use crate::graph::{Graph, NodeKind};
use crate::model::{ResourceKind, Service};

/// What the failure of one component cuts off.
#[derive(Debug, Default)]
pub(super) struct Cut {
    /// The independent entry points that cannot reach some of their work without it.
    pub entries: BTreeSet<NodeIndex>,
    /// What they lose directly: its children in their dominator trees.
    pub lost: BTreeSet<NodeIndex>,
}

/// Every component that can fail alone (a workflow, service, function, job or external
/// endpoint) and dominates work of an independent entry point, with what it cuts off. One pass
/// over the dominator tree of each entry, visiting only what the entry reaches.
pub(super) fn cuts(analysis: &Analysis<'_>) -> BTreeMap<NodeIndex, Cut> {
    let graph = &analysis.graph;
    let mut cuts: BTreeMap<NodeIndex, Cut> = BTreeMap::new();
    let mut walk = Walk::new(graph.graph.node_count());
    for entry in independent_entries(analysis) {
        let dominators = simple_fast(&graph.graph, entry);
        for &work in walk.from(graph, entry) {
            let Some(d) = dominators.immediate_dominator(work) else {
                continue;
            };
            if d != entry && graph.node(d).kind.can_fail_alone() {
                let cut = cuts.entry(d).or_default();
                cut.entries.insert(entry);
                cut.lost.insert(work);
            }
        }
    }
    cuts
}

/// Entry points that no other entry point leads to: a trigger fed by a public service's topic
/// is the same flow as the service, not a second one. Of entry points that reach each other,
/// the first is kept.
pub(super) fn independent_entries(analysis: &Analysis<'_>) -> Vec<NodeIndex> {
    let graph = &analysis.graph;
    let entries: Vec<NodeIndex> = graph.nodes().filter(|&n| is_entry(analysis, n)).collect();
    let mut is_entry = vec![false; graph.graph.node_count()];
    for e in &entries {
        is_entry[e.index()] = true;
    }
    // The entries each entry reaches, and by which it is reached.
    let mut reaches: HashMap<NodeIndex, HashSet<NodeIndex>> = HashMap::new();
    let mut reached_by: HashMap<NodeIndex, Vec<NodeIndex>> = HashMap::new();
    let mut walk = Walk::new(graph.graph.node_count());
    for &entry in &entries {
        let reached: HashSet<NodeIndex> = (walk.from(graph, entry).iter().copied())
            .filter(|&n| n != entry && is_entry[n.index()])
            .collect();
        for &other in &reached {
            reached_by.entry(other).or_default().push(entry);
        }
        reaches.insert(entry, reached);
    }
    let reaches_entry =
        |from: NodeIndex, to: NodeIndex| reaches.get(&from).is_some_and(|r| r.contains(&to));
    entries
        .iter()
        .copied()
        .filter(|&e| {
            let by = reached_by.get(&e).map_or(&[][..], Vec::as_slice);
            !by.iter()
                .any(|&other| !reaches_entry(e, other) || other < e)
        })
        .collect()
}

/// A depth-first walk that reuses its memory: graphs of thousands of entry points are walked
/// once per entry.
struct Walk {
    /// The walk that last saw each node.
    seen: Vec<u32>,
    walk: u32,
    reached: Vec<NodeIndex>,
    todo: Vec<NodeIndex>,
}

impl Walk {
    fn new(nodes: usize) -> Walk {
        Walk {
            seen: vec![0; nodes],
            walk: 0,
            reached: Vec::new(),
            todo: Vec::new(),
        }
    }

    /// Every node `start` reaches, itself included.
    fn from(&mut self, graph: &Graph, start: NodeIndex) -> &[NodeIndex] {
        self.walk += 1;
        self.reached.clear();
        self.todo.clear();
        self.todo.push(start);
        while let Some(n) = self.todo.pop() {
            let Some(seen) = self.seen.get_mut(n.index()) else {
                continue;
            };
            if *seen == self.walk {
                continue;
            }
            *seen = self.walk;
            self.reached.push(n);
            self.todo.extend(graph.graph.neighbors(n));
        }
        &self.reached
    }
}

/// Triggers, Scheduler jobs and Cloud Run services that accept traffic from the internet.
fn is_entry(analysis: &Analysis<'_>, n: NodeIndex) -> bool {
    match analysis.graph.node(n).kind {
        NodeKind::Trigger | NodeKind::Job => true,
        NodeKind::Service => service(analysis, n).is_some_and(|s| {
            matches!(
                s.ingress.as_deref(),
                None | Some("all" | "INGRESS_TRAFFIC_ALL")
            )
        }),
        _ => false,
    }
}

pub(super) fn service<'a>(analysis: &'a Analysis<'_>, n: NodeIndex) -> Option<&'a Service> {
    let graph: &Graph = &analysis.graph;
    match &analysis
        .workspace
        .resources
        .get(graph.node(n).resource?.index())?
        .kind
    {
        ResourceKind::Service(s) => Some(s),
        _ => None,
    }
}

/// Up to five names in backticks, sorted, then how many more.
pub(super) fn names(graph: &Graph, nodes: &BTreeSet<NodeIndex>) -> String {
    let mut names: Vec<&str> = nodes.iter().map(|&n| graph.node(n).name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    let shown: Vec<String> = names.iter().take(5).map(|n| format!("`{n}`")).collect();
    match names.len() {
        0..=5 => shown.join(", "),
        more => format!("{} and {} more", shown.join(", "), more - 5),
    }
}
