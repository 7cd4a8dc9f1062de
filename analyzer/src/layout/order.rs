//! The layered graph (real nodes plus one dummy item per layer crossed by a long edge) and
//! crossing reduction.

use super::Options;

/// A real node or a dummy, in top-down coordinates.
#[derive(Clone, Debug)]
pub(super) struct Item {
    pub layer: usize,
    /// Extent left and right of the centre along the layer (self-loops widen the right).
    pub left: f64,
    pub right: f64,
    /// Extent across the layer.
    pub height: f64,
    pub dummy: bool,
}

pub(super) struct LayeredGraph {
    /// Real nodes first (same indices as the component's nodes), then dummies.
    pub items: Vec<Item>,
    /// Per edge of the acyclic graph, its items from top to bottom: source, dummies, target.
    pub chains: Vec<Vec<usize>>,
    pub up: Vec<Vec<usize>>,
    pub down: Vec<Vec<usize>>,
    /// Items of each layer, left to right.
    pub layers: Vec<Vec<usize>>,
    /// Index of each item in its layer.
    pub position: Vec<usize>,
}

impl LayeredGraph {
    /// Cost: O(V + E + D), D the number of dummies (the total span of the edges).
    pub fn build(
        sizes: &[(f64, f64)],
        loops_per_node: &[usize],
        dag: &[(usize, usize)],
        layer_of: &[usize],
        options: &Options,
    ) -> LayeredGraph {
        let mut items: Vec<Item> = sizes
            .iter()
            .enumerate()
            .map(|(v, &(w, h))| {
                let loops = loops_per_node.get(v).copied().unwrap_or(0);
                let loop_space = if loops > 0 {
                    options.edge_gap * (loops as f64 + 0.5)
                } else {
                    0.0
                };
                Item {
                    layer: layer_of.get(v).copied().unwrap_or(0),
                    left: w / 2.0,
                    right: w / 2.0 + loop_space,
                    height: h,
                    dummy: false,
                }
            })
            .collect();
        let mut chains = Vec::with_capacity(dag.len());
        for &(a, b) in dag {
            let (top, bottom) = (items[a].layer, items[b].layer);
            let mut chain = vec![a];
            if bottom > top {
                for layer in top + 1..bottom {
                    chain.push(items.len());
                    items.push(Item {
                        layer,
                        left: options.edge_gap / 2.0,
                        right: options.edge_gap / 2.0,
                        height: 0.0,
                        dummy: true,
                    });
                }
            }
            chain.push(b);
            chains.push(chain);
        }
        let mut up = vec![Vec::new(); items.len()];
        let mut down = vec![Vec::new(); items.len()];
        for chain in &chains {
            for pair in chain.windows(2) {
                // Only links between consecutive layers take part in ordering.
                if items[pair[1]].layer == items[pair[0]].layer + 1 {
                    down[pair[0]].push(pair[1]);
                    up[pair[1]].push(pair[0]);
                }
            }
        }
        let layer_count = items.iter().map(|i| i.layer + 1).max().unwrap_or(0);
        let mut graph = LayeredGraph {
            items,
            chains,
            up,
            down,
            layers: vec![Vec::new(); layer_count],
            position: Vec::new(),
        };
        graph.initial_order();
        graph
    }

    /// Depth-first discovery order, so that what hangs below a node starts out together.
    fn initial_order(&mut self) {
        let n = self.items.len();
        let mut seen = vec![false; n];
        let roots: Vec<usize> = (0..n)
            .filter(|&v| self.items[v].layer == 0)
            .chain(0..n)
            .collect();
        let mut stack = Vec::new();
        for root in roots {
            if seen[root] {
                continue;
            }
            seen[root] = true;
            stack.push(root);
            while let Some(v) = stack.pop() {
                self.layers[self.items[v].layer].push(v);
                for &w in self.down[v].iter().rev() {
                    if !seen[w] {
                        seen[w] = true;
                        stack.push(w);
                    }
                }
            }
        }
        self.position = vec![0; n];
        self.renumber();
    }

    /// Orders each layer as it was drawn before (`along[v]`: where item `v` was along its
    /// layer). A dummy without a place of its own goes between where its edge's ends were;
    /// any other item with none follows the item before it in the depth-first order.
    pub fn seed_order(&mut self, along: &[Option<f64>]) {
        let mut key: Vec<Option<f64>> = (0..self.items.len())
            .map(|v| along.get(v).copied().flatten())
            .collect();
        for chain in &self.chains {
            let (Some(&first), Some(&last)) = (chain.first(), chain.last()) else {
                continue;
            };
            if let (Some(a), Some(b)) = (key[first], key[last]) {
                let steps = (chain.len() - 1).max(1) as f64;
                for (k, &d) in chain
                    .iter()
                    .enumerate()
                    .skip(1)
                    .take(chain.len().saturating_sub(2))
                {
                    key[d] = key[d].or(Some(a + (b - a) * k as f64 / steps));
                }
            }
        }
        for layer in &mut self.layers {
            let mut last = f64::MIN;
            let mut keyed: Vec<(f64, usize)> = layer
                .iter()
                .map(|&v| {
                    last = key[v].unwrap_or(last);
                    (last, v)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
            *layer = keyed.into_iter().map(|(_, v)| v).collect();
        }
        self.renumber();
    }

    fn renumber(&mut self) {
        for layer in &self.layers {
            for (i, &v) in layer.iter().enumerate() {
                self.position[v] = i;
            }
        }
    }

    /// Crossings between layer `l` and `l + 1` (Barth–Mutzel–Jünger accumulator).
    /// Cost: O(E' log V') for the E' links between the two layers.
    fn crossings_between(&self, l: usize) -> usize {
        let (Some(top), Some(bottom)) = (self.layers.get(l), self.layers.get(l + 1)) else {
            return 0;
        };
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        for &v in top {
            for &w in &self.down[v] {
                pairs.push((self.position[v], self.position[w]));
            }
        }
        pairs.sort_unstable();
        let size = bottom.len() + 1;
        let mut tree = vec![0usize; size + 1];
        let mut crossings = 0;
        for (seen, &(_, p)) in pairs.iter().enumerate() {
            // Count earlier links that end strictly right of p.
            let mut at_most = 0;
            let mut i = p + 1;
            while i > 0 {
                at_most += tree[i];
                i -= i & i.wrapping_neg();
            }
            crossings += seen - at_most;
            let mut i = p + 1;
            while i <= size {
                tree[i] += 1;
                i += i & i.wrapping_neg();
            }
        }
        crossings
    }

    pub fn crossings(&self) -> usize {
        (0..self.layers.len().saturating_sub(1))
            .map(|l| self.crossings_between(l))
            .sum()
    }

    /// Reorders layer `l` by the barycenters of its neighbours in the adjacent layer
    /// (`downward`: the layer above). Items without such neighbours keep their relative slot.
    fn sort_layer(&mut self, l: usize, downward: bool) {
        let Some(layer) = self.layers.get(l) else {
            return;
        };
        let len = layer.len().max(1) as f64;
        let mut keyed: Vec<(f64, usize)> = layer
            .iter()
            .map(|&v| {
                let neighbours = if downward { &self.up[v] } else { &self.down[v] };
                if neighbours.is_empty() {
                    return ((self.position[v] as f64 + 0.5) / len, v);
                }
                let sum: f64 = neighbours
                    .iter()
                    .map(|&u| {
                        let other = self.layers[self.items[u].layer].len().max(1) as f64;
                        (self.position[u] as f64 + 0.5) / other
                    })
                    .sum();
                (sum / neighbours.len() as f64, v)
            })
            .collect();
        keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
        let new_layer: Vec<usize> = keyed.into_iter().map(|(_, v)| v).collect();
        for (i, &v) in new_layer.iter().enumerate() {
            self.position[v] = i;
        }
        self.layers[l] = new_layer;
    }

    /// Crossings between `u` and `v` (in this order) with their neighbours in both
    /// adjacent layers. Cost: O(deg u · deg v).
    fn pair_crossings(&self, u: usize, v: usize) -> usize {
        let mut count = 0;
        for neighbours in [(&self.up[u], &self.up[v]), (&self.down[u], &self.down[v])] {
            for &a in neighbours.0 {
                for &b in neighbours.1 {
                    if self.position[a] > self.position[b] {
                        count += 1;
                    }
                }
            }
        }
        count
    }

    /// Swaps neighbours in a layer while that removes crossings; a few passes at most.
    fn transpose(&mut self) {
        for _ in 0..4 {
            let mut improved = false;
            for l in 0..self.layers.len() {
                for i in 1..self.layers[l].len() {
                    let (u, v) = (self.layers[l][i - 1], self.layers[l][i]);
                    // Skip pairs whose neighbour lists are huge (hubs): quadratic in degree.
                    let work = (self.up[u].len() + self.down[u].len())
                        * (self.up[v].len() + self.down[v].len());
                    if work > 4096 {
                        continue;
                    }
                    if self.pair_crossings(v, u) < self.pair_crossings(u, v) {
                        self.layers[l].swap(i - 1, i);
                        self.position[u] = i;
                        self.position[v] = i - 1;
                        improved = true;
                    }
                }
            }
            if !improved {
                break;
            }
        }
    }
}

/// Items (nodes and dummies) up to which ordering also starts from the mirrored order.
const MIRRORED_START_UP_TO: usize = 5_000;

/// Alternating barycenter sweeps with adjacent swaps; keeps the ordering with the fewest
/// crossings seen. At most 48 sweeps, each O((V + D) log(V + D)). A `seeded` ordering (the
/// one drawn before, with what is new slotted in) only gets adjacent swaps, which mend what
/// the change crossed without reshuffling the rest.
pub(super) fn reduce_crossings(graph: &mut LayeredGraph, seeded: bool) {
    let layer_count = graph.layers.len();
    if layer_count < 2 {
        return;
    }
    if seeded {
        graph.transpose();
        return;
    }
    // Two starts, as dot makes, where time allows: the depth-first order and its mirror
    // image. Each converges to a different local optimum; the better one is kept.
    let start = graph.layers.clone();
    let (best, mut best_layers) = sweeps(graph);
    if graph.items.len() <= MIRRORED_START_UP_TO {
        graph.layers = start
            .into_iter()
            .map(|l| l.into_iter().rev().collect())
            .collect();
        graph.renumber();
        let (mirrored, mirrored_layers) = sweeps(graph);
        if mirrored < best {
            best_layers = mirrored_layers;
        }
    }
    graph.layers = best_layers;
    graph.renumber();
}

/// Barycenter sweeps with adjacent swaps from the current order, until 8 sweeps in a row
/// bring nothing (48 at most); the fewest crossings seen and their order.
fn sweeps(graph: &mut LayeredGraph) -> (usize, Vec<Vec<usize>>) {
    let layer_count = graph.layers.len();
    let mut best = graph.crossings();
    let mut best_layers = graph.layers.clone();
    let mut stale = 0;
    for sweep in 0..48 {
        if best == 0 {
            break;
        }
        if sweep % 2 == 0 {
            for l in 1..layer_count {
                graph.sort_layer(l, true);
            }
        } else {
            for l in (0..layer_count - 1).rev() {
                graph.sort_layer(l, false);
            }
        }
        graph.transpose();
        let crossings = graph.crossings();
        if crossings < best {
            best = crossings;
            best_layers = graph.layers.clone();
            stale = 0;
        } else {
            stale += 1;
            if stale >= 8 {
                break;
            }
        }
    }
    (best, best_layers)
}
