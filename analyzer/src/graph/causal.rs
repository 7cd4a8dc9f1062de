//! Cycles of cause and effect: a write to a bucket causes exactly the object events it fires,
//! so `workflow → bucket → trigger` is a step of a cycle only when the write (e.g.
//! `objects.insert` → `finalized`) matches the trigger's event type. Reads cause nothing.

use std::collections::{HashMap, VecDeque};

use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;

use super::{EdgeKind, Graph, NodeKind};

/// A cycle as the original edges it follows, in order.
pub type Cycle = Vec<EdgeIndex>;

/// One cycle for every strongly connected part of the causal graph that contains an
/// asynchronous edge, through one of those asynchronous edges.
pub fn async_cycles(graph: &Graph) -> Vec<Cycle> {
    let g = &graph.graph;
    // Causal edges: node indices are shared with the interaction graph; weights are the original
    // edges they stand for.
    let mut causal: DiGraph<(), Vec<EdgeIndex>> = DiGraph::with_capacity(g.node_count(), 0);
    for _ in g.node_indices() {
        causal.add_node(());
    }
    for e in g.edge_references() {
        let source_kind = g[e.source()].kind;
        let target_kind = g[e.target()].kind;
        if target_kind == NodeKind::EventSource {
            let Some(fires) = e.weight().fires else {
                continue;
            };
            for out in g.edges(e.target()) {
                if out.weight().kind == EdgeKind::Event && out.weight().fires == Some(fires) {
                    causal.add_edge(e.source(), out.target(), vec![e.id(), out.id()]);
                }
            }
        } else if source_kind != NodeKind::EventSource {
            causal.add_edge(e.source(), e.target(), vec![e.id()]);
        }
    }
    let mut cycles: Vec<Cycle> = Vec::new();
    for scc in tarjan_scc(&causal) {
        let members: HashMap<NodeIndex, ()> = scc.iter().map(|&n| (n, ())).collect();
        let inside = |e: &petgraph::graph::EdgeReference<'_, Vec<EdgeIndex>>| {
            members.contains_key(&e.source()) && members.contains_key(&e.target())
        };
        let asynchronous = scc
            .iter()
            .flat_map(|&n| causal.edges(n))
            .filter(|e| inside(e))
            .filter(|e| e.weight().iter().any(|&o| !g[o].kind.is_sync()))
            .min_by_key(|e| g[e.weight()[0]].loc);
        let Some(first) = asynchronous else { continue };
        // The shortest way back from the edge's target to its source, inside the component.
        let mut back: HashMap<NodeIndex, EdgeIndex> = HashMap::new();
        let mut queue = VecDeque::from([first.target()]);
        let mut seen = HashMap::from([(first.target(), ())]);
        while let Some(n) = queue.pop_front() {
            if n == first.source() {
                break;
            }
            for e in causal.edges(n) {
                if inside(&e) && seen.insert(e.target(), ()).is_none() {
                    back.insert(e.target(), e.id());
                    queue.push_back(e.target());
                }
            }
        }
        let mut path = vec![first.id()];
        let mut at = first.source();
        while at != first.target() {
            let Some(&e) = back.get(&at) else { break };
            path.push(e);
            let Some((from, _)) = causal.edge_endpoints(e) else {
                break;
            };
            at = from;
        }
        path[1..].reverse();
        cycles.push(
            path.into_iter()
                .flat_map(|e| causal[e].iter().copied())
                .collect(),
        );
    }
    cycles.sort_by_key(|c| c.first().map(|&e| g[e].loc));
    cycles
}
