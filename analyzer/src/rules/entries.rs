//! Entry points and what each one depends on alone: shared by `single-point-of-failure` and
//! `central-orchestrator`.

use std::collections::{BTreeMap, BTreeSet};

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
/// over the dominator tree of each entry: O(entries × E).
pub(super) fn cuts(analysis: &Analysis<'_>) -> BTreeMap<NodeIndex, Cut> {
    let graph = &analysis.graph;
    let mut cuts: BTreeMap<NodeIndex, Cut> = BTreeMap::new();
    for entry in independent_entries(analysis) {
        let dominators = simple_fast(&graph.graph, entry);
        for work in graph.nodes() {
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
    let graph = &analysis.graph.graph;
    let entries: Vec<NodeIndex> = analysis
        .graph
        .nodes()
        .filter(|&n| is_entry(analysis, n))
        .collect();
    let is_entry: BTreeSet<NodeIndex> = entries.iter().copied().collect();
    let mut reaches: BTreeMap<NodeIndex, BTreeSet<NodeIndex>> = BTreeMap::new();
    for &entry in &entries {
        let mut seen = BTreeSet::from([entry]);
        let mut todo = vec![entry];
        while let Some(n) = todo.pop() {
            for next in graph.neighbors(n) {
                if seen.insert(next) {
                    todo.push(next);
                }
            }
        }
        seen.remove(&entry);
        reaches.insert(entry, seen.intersection(&is_entry).copied().collect());
    }
    let reached_by =
        |e: NodeIndex, other: NodeIndex| reaches.get(&other).is_some_and(|r| r.contains(&e));
    entries
        .iter()
        .copied()
        .filter(|&e| {
            !entries.iter().any(|&other| {
                other != e && reached_by(e, other) && (!reached_by(other, e) || other < e)
            })
        })
        .collect()
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
