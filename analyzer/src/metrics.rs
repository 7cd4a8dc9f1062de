//! Coupling metrics of the interaction graph: per node afferent and efferent coupling (Ca, Ce),
//! instability and sync/async fan-in and fan-out; per system the share of synchronous edges,
//! the longest chain of synchronous calls and the cycles. Plain data: the CLI and the app
//! serialize it, the `sync-chain`, `dependency-cycle` and `high-coupling` rules read it.
//!
//! Synchronous means [`EdgeKind::is_sync`], soft edges included: a URL of a loaded service in an
//! environment variable is the only trace of a service's outgoing calls. A soft self loop (a
//! service that knows its own URL, usually to build callbacks) is not a cycle.
//!
//! Every function here is O(V + E log E) at worst (sorting neighbour lists), and iterative: no
//! recursion that a long chain could overflow.

use petgraph::algo::kosaraju_scc;
use petgraph::graph::{EdgeIndex, NodeIndex};
use petgraph::visit::{EdgeFiltered, EdgeRef};
use petgraph::Direction;

use crate::graph::Graph;

/// Everything [`metrics`] measures.
#[derive(Clone, Debug, PartialEq)]
pub struct Metrics {
    /// One entry per node, in node order.
    pub nodes: Vec<NodeMetrics>,
    pub system: SystemMetrics,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NodeMetrics {
    pub node: NodeIndex,
    pub id: String,
    /// Afferent coupling: distinct other nodes with an edge into this one.
    pub ca: usize,
    /// Efferent coupling: distinct other nodes this one has an edge to.
    pub ce: usize,
    /// Ce / (Ca + Ce): 0 is maximally stable (only depended upon), 1 maximally unstable.
    /// `None` for an isolated node.
    pub instability: Option<f64>,
    /// Synchronous edges in and out (edges, not distinct nodes).
    pub sync_in: usize,
    pub sync_out: usize,
    /// Asynchronous edges in and out.
    pub async_in: usize,
    pub async_out: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SystemMetrics {
    pub sync_edges: usize,
    pub async_edges: usize,
    /// sync / (sync + async); `None` without edges.
    pub sync_share: Option<f64>,
    /// The longest chain of synchronous calls, as node ids (empty without sync edges).
    pub longest_sync_chain: Vec<String>,
    /// Cycles over every kind of edge: strongly connected components with more than one node
    /// or a self loop, as sorted node ids, sorted.
    pub cycles: Vec<Vec<String>>,
    /// The same over synchronous edges only.
    pub sync_cycles: Vec<Vec<String>>,
}

impl SystemMetrics {
    pub fn longest_sync_chain_hops(&self) -> usize {
        self.longest_sync_chain.len().saturating_sub(1)
    }
}

/// A path of synchronous calls: `nodes[i]` calls `nodes[i + 1]` through `edges[i]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyncChain {
    pub nodes: Vec<NodeIndex>,
    pub edges: Vec<EdgeIndex>,
}

impl SyncChain {
    pub fn hops(&self) -> usize {
        self.edges.len()
    }
}

/// Measures `graph`.
pub fn metrics(graph: &Graph) -> Metrics {
    let g = &graph.graph;
    let mut nodes = Vec::with_capacity(g.node_count());
    let mut neighbours = Vec::new();
    for n in g.node_indices() {
        let mut count = |direction: Direction| {
            neighbours.clear();
            let (mut sync, mut asynchronous) = (0, 0);
            for e in g.edges_directed(n, direction) {
                if e.weight().kind.is_sync() {
                    sync += 1;
                } else {
                    asynchronous += 1;
                }
                let other = if direction == Direction::Incoming {
                    e.source()
                } else {
                    e.target()
                };
                if other != n {
                    neighbours.push(other);
                }
            }
            neighbours.sort_unstable();
            neighbours.dedup();
            (neighbours.len(), sync, asynchronous)
        };
        let (ca, sync_in, async_in) = count(Direction::Incoming);
        let (ce, sync_out, async_out) = count(Direction::Outgoing);
        let instability = (ca + ce > 0).then(|| ce as f64 / (ca + ce) as f64);
        nodes.push(NodeMetrics {
            node: n,
            id: g[n].id.clone(),
            ca,
            ce,
            instability,
            sync_in,
            sync_out,
            async_in,
            async_out,
        });
    }
    let sync_edges = g.edge_weights().filter(|e| e.kind.is_sync()).count();
    let async_edges = g.edge_count() - sync_edges;
    let ids = |list: &[NodeIndex]| -> Vec<String> {
        let mut ids: Vec<String> = list.iter().map(|&n| g[n].id.clone()).collect();
        ids.sort();
        ids
    };
    let mut cycles: Vec<Vec<String>> = cyclic_components(graph, false)
        .iter()
        .map(|c| ids(c))
        .collect();
    cycles.sort();
    let mut sync_cycles: Vec<Vec<String>> = cyclic_components(graph, true)
        .iter()
        .map(|c| ids(c))
        .collect();
    sync_cycles.sort();
    let longest_sync_chain = longest_sync_chain(graph)
        .map(|chain| chain.nodes.iter().map(|&n| g[n].id.clone()).collect())
        .unwrap_or_default();
    Metrics {
        nodes,
        system: SystemMetrics {
            sync_edges,
            async_edges,
            sync_share: (g.edge_count() > 0).then(|| sync_edges as f64 / g.edge_count() as f64),
            longest_sync_chain,
            cycles,
            sync_cycles,
        },
    }
}

/// Strongly connected components with more than one node, or with a self loop that is not
/// soft, over synchronous edges only when `sync_only`. Each lists its nodes in index order;
/// components come in index order of their first node.
pub fn cyclic_components(graph: &Graph, sync_only: bool) -> Vec<Vec<NodeIndex>> {
    let g = &graph.graph;
    let filtered = EdgeFiltered::from_fn(g, |e: petgraph::graph::EdgeReference<'_, _>| {
        !sync_only || e.weight().kind.is_sync()
    });
    let mut out: Vec<Vec<NodeIndex>> = kosaraju_scc(&filtered)
        .into_iter()
        .filter(|component| {
            component.len() > 1
                || component.iter().any(|&n| {
                    g.edges_connecting(n, n)
                        .any(|e| !e.weight().soft && (!sync_only || e.weight().kind.is_sync()))
                })
        })
        .map(|mut component| {
            component.sort_unstable();
            component
        })
        .collect();
    out.sort_unstable();
    out
}

/// For every chain head whose longest chain of synchronous calls has more than `longer_than`
/// hops, that chain; longest first, then by head id. A head is a node with synchronous calls
/// out and none in from outside its own cycle. Calls between members of one cycle are not
/// counted (a chain never goes round a cycle: `dependency-cycle` reports those), so a chain is
/// a path in the condensation of the synchronous subgraph, which makes the longest one
/// computable in linear time.
pub fn sync_chains(graph: &Graph, longer_than: usize) -> Vec<SyncChain> {
    let table = ChainTable::build(graph);
    let g = &graph.graph;
    let mut heads: Vec<NodeIndex> = table
        .heads
        .iter()
        .copied()
        .filter(|&n| table.down[n.index()] > longer_than)
        .collect();
    heads.sort_by(|&a, &b| {
        table.down[b.index()]
            .cmp(&table.down[a.index()])
            .then_with(|| g[a].id.cmp(&g[b].id))
    });
    heads
        .into_iter()
        .map(|head| table.chain(graph, head))
        .collect()
}

/// The longest chain of synchronous calls (ties broken by head id), if there is a call at all.
pub fn longest_sync_chain(graph: &Graph) -> Option<SyncChain> {
    let table = ChainTable::build(graph);
    let g = &graph.graph;
    let head = table.heads.iter().copied().min_by(|&a, &b| {
        table.down[b.index()]
            .cmp(&table.down[a.index()])
            .then_with(|| g[a].id.cmp(&g[b].id))
    })?;
    Some(table.chain(graph, head))
}

struct ChainTable {
    /// `down[n]`: hops of the longest chain from `n`.
    down: Vec<usize>,
    /// `next[n]`: the first edge of that chain.
    next: Vec<Option<EdgeIndex>>,
    heads: Vec<NodeIndex>,
}

impl ChainTable {
    fn build(graph: &Graph) -> ChainTable {
        let g = &graph.graph;
        let filtered = EdgeFiltered::from_fn(g, |e: petgraph::graph::EdgeReference<'_, _>| {
            e.weight().kind.is_sync()
        });
        // Kosaraju lists components in reverse topological order: callees before callers.
        let components = kosaraju_scc(&filtered);
        let mut component_of = vec![usize::MAX; g.node_count()];
        for (i, component) in components.iter().enumerate() {
            for n in component {
                component_of[n.index()] = i;
            }
        }
        let crosses = |e: &petgraph::graph::EdgeReference<'_, crate::graph::Edge>| {
            e.weight().kind.is_sync()
                && component_of[e.source().index()] != component_of[e.target().index()]
        };
        let mut down = vec![0usize; g.node_count()];
        let mut next: Vec<Option<EdgeIndex>> = vec![None; g.node_count()];
        for component in &components {
            for &n in component {
                for e in g.edges_directed(n, Direction::Outgoing) {
                    if !crosses(&e) {
                        continue;
                    }
                    let hops = down[e.target().index()] + 1;
                    let better = match next[n.index()] {
                        None => true,
                        Some(current) => {
                            hops > down[n.index()]
                                || (hops == down[n.index()] && chain_key(graph, e.id(), current))
                        }
                    };
                    if better {
                        down[n.index()] = hops;
                        next[n.index()] = Some(e.id());
                    }
                }
            }
        }
        let heads = g
            .node_indices()
            .filter(|&n| next[n.index()].is_some())
            .filter(|&n| {
                !g.edges_directed(n, Direction::Incoming)
                    .any(|e| crosses(&e))
            })
            .collect();
        ChainTable { down, next, heads }
    }

    fn chain(&self, graph: &Graph, head: NodeIndex) -> SyncChain {
        let mut chain = SyncChain {
            nodes: vec![head],
            edges: Vec::new(),
        };
        let mut at = head;
        // Each step moves to a component further down, so this ends after at most V steps.
        while let Some(e) = self.next[at.index()] {
            let Some((_, to)) = graph.graph.edge_endpoints(e) else {
                break;
            };
            chain.edges.push(e);
            chain.nodes.push(to);
            at = to;
        }
        chain
    }
}

/// Between two edges leading to equally long chains, prefer the one to the smaller node id,
/// then the earlier written: keeps the chosen chain independent of input order.
fn chain_key(graph: &Graph, candidate: EdgeIndex, current: EdgeIndex) -> bool {
    let g = &graph.graph;
    let key = |e: EdgeIndex| {
        let target = g.edge_endpoints(e).map(|(_, t)| g[t].id.as_str());
        (target, g[e].loc)
    };
    key(candidate) < key(current)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{Edge, EdgeKind, NodeKey, NodeKind};
    use crate::source::Loc;

    /// A graph from `a -> b` pairs of workflow names, with the given edge kind.
    fn graph_of(edges: &[(&str, &str, EdgeKind)]) -> Graph {
        let mut graph = Graph::default();
        for (i, (a, b, kind)) in edges.iter().enumerate() {
            let loc = Loc {
                line: i as u32 + 1,
                ..Loc::default()
            };
            let from = graph.ensure(NodeKey::global(NodeKind::Workflow, *a), loc);
            let to = graph.ensure(NodeKey::global(NodeKind::Workflow, *b), loc);
            graph.connect(from, to, Edge::new(*kind, loc, ""));
        }
        graph
    }

    fn of<'m>(m: &'m Metrics, id: &str) -> &'m NodeMetrics {
        match m.nodes.iter().find(|n| n.id == id) {
            Some(n) => n,
            None => panic!("no node {id}"),
        }
    }

    use EdgeKind::{Publish, SyncCall};

    #[test]
    fn counts_distinct_neighbours_and_edges_by_kind() {
        let graph = graph_of(&[
            ("a", "b", SyncCall),
            ("a", "b", SyncCall),
            ("a", "c", Publish),
            ("c", "b", SyncCall),
            ("b", "b", SyncCall),
        ]);
        let m = metrics(&graph);
        let b = of(&m, "workflow:b");
        assert_eq!((b.ca, b.ce, b.instability), (2, 0, Some(0.0)));
        assert_eq!(
            (b.sync_in, b.sync_out, b.async_in, b.async_out),
            (4, 1, 0, 0)
        );
        let a = of(&m, "workflow:a");
        assert_eq!((a.ca, a.ce, a.instability), (0, 2, Some(1.0)));
        assert_eq!((a.sync_out, a.async_out), (2, 1));
        assert_eq!(of(&m, "workflow:c").instability, Some(0.5));
        assert_eq!((m.system.sync_edges, m.system.async_edges), (4, 1));
        assert_eq!(m.system.sync_share, Some(0.8));
        assert_eq!(m.system.sync_cycles, [["workflow:b"]]);
    }

    #[test]
    fn an_isolated_node_has_no_instability() {
        let mut graph = Graph::default();
        graph.ensure(NodeKey::global(NodeKind::Service, "alone"), Loc::default());
        let m = metrics(&graph);
        assert_eq!(m.nodes[0].instability, None);
        assert_eq!(m.system.sync_share, None);
        assert!(m.system.longest_sync_chain.is_empty());
    }

    #[test]
    fn longest_chain_skips_async_edges_and_goes_around_cycles() {
        // a -> b -> c -> d, with c <-> x a cycle and d -> e asynchronous.
        let graph = graph_of(&[
            ("a", "b", SyncCall),
            ("b", "c", SyncCall),
            ("c", "x", SyncCall),
            ("x", "c", SyncCall),
            ("c", "d", SyncCall),
            ("d", "e", Publish),
            ("z", "b", SyncCall),
        ]);
        let m = metrics(&graph);
        assert_eq!(
            m.system.longest_sync_chain,
            ["workflow:a", "workflow:b", "workflow:c", "workflow:d"]
        );
        assert_eq!(m.system.longest_sync_chain_hops(), 3);
        assert_eq!(m.system.sync_cycles, [["workflow:c", "workflow:x"]]);
        // One chain per head (a and z), not one per suffix.
        let heads: Vec<&str> = sync_chains(&graph, 0)
            .iter()
            .map(|c| graph.node(c.nodes[0]).name.as_str())
            .collect();
        assert_eq!(heads, ["a", "z"]);
    }

    #[test]
    fn a_pure_cycle_has_no_chain_and_async_cycles_are_not_sync_cycles() {
        let graph = graph_of(&[
            ("a", "b", SyncCall),
            ("b", "c", SyncCall),
            ("c", "a", SyncCall),
            ("p", "q", Publish),
            ("q", "p", SyncCall),
        ]);
        let m = metrics(&graph);
        assert!(sync_chains(&graph, 1).is_empty());
        assert_eq!(
            m.system.sync_cycles,
            [vec!["workflow:a", "workflow:b", "workflow:c"]]
        );
        assert_eq!(
            m.system.cycles,
            [
                vec!["workflow:a", "workflow:b", "workflow:c"],
                vec!["workflow:p", "workflow:q"]
            ]
        );
    }

    #[test]
    fn a_long_chain_is_linear_and_does_not_overflow() {
        let names: Vec<String> = (0..20_000).map(|i| format!("w{i:05}")).collect();
        let edges: Vec<(&str, &str, EdgeKind)> = names
            .windows(2)
            .map(|w| (w[0].as_str(), w[1].as_str(), SyncCall))
            .collect();
        let m = metrics(&graph_of(&edges));
        assert_eq!(m.system.longest_sync_chain_hops(), 19_999);
    }

    #[test]
    fn soft_self_loops_are_not_cycles() {
        let mut graph = Graph::default();
        let s = graph.ensure(NodeKey::global(NodeKind::Service, "s"), Loc::default());
        let mut edge = Edge::new(SyncCall, Loc::default(), "env SELF_URL");
        edge.soft = true;
        graph.connect(s, s, edge);
        assert!(metrics(&graph).system.sync_cycles.is_empty());
    }
}
