//! Coordinates along the layers.
//!
//! Each item is pulled towards the weighted mean of its neighbours (links between two dummies
//! weigh most, so long edges straighten); each layer is then placed exactly: the positions
//! closest (least squares) to those targets that keep the order and the minimum gaps, found
//! by pool-adjacent-violators in O(layer size). Sweeps alternate downward and upward, then
//! use both sides.

use super::order::LayeredGraph;
use super::Options;

const SWEEPS: usize = 12;
/// How strongly a node is held where it was drawn before, against a neighbour's pull of 1.
const ANCHOR: f64 = 200.0;

/// The centre of every item along its layer; `anchors[v]`, where item `v` was drawn before,
/// holds it there. Cost: O(SWEEPS · (V + D + E')).
pub(super) fn coordinates(
    graph: &LayeredGraph,
    options: &Options,
    anchors: Option<&[Option<f64>]>,
) -> Vec<f64> {
    let anchor = |v: usize| anchors.and_then(|a| a.get(v).copied().flatten());
    let mut x = vec![0.0; graph.items.len()];
    for layer in &graph.layers {
        let mut at = 0.0;
        for (i, &v) in layer.iter().enumerate() {
            if i > 0 {
                at += gap(graph, layer[i - 1], v, options);
            }
            x[v] = at;
        }
        // Start from where the nodes were, as close as the order and gaps allow.
        if layer.iter().any(|&v| anchor(v).is_some()) {
            let targets: Vec<f64> = layer.iter().map(|&v| anchor(v).unwrap_or(x[v])).collect();
            let weights: Vec<f64> = layer
                .iter()
                .map(|&v| if anchor(v).is_some() { 1.0 } else { 1e-3 })
                .collect();
            let gaps: Vec<f64> = layer
                .windows(2)
                .map(|p| gap(graph, p[0], p[1], options))
                .collect();
            for (&v, p) in layer.iter().zip(closest_ordered(&targets, &weights, &gaps)) {
                x[v] = p;
            }
        }
    }
    let layer_count = graph.layers.len();
    for sweep in 0..SWEEPS {
        let (use_up, use_down) = match sweep {
            s if s + 2 >= SWEEPS => (true, true),
            s if s % 2 == 0 => (true, false),
            _ => (false, true),
        };
        let order: Vec<usize> = if use_up {
            (0..layer_count).collect()
        } else {
            (0..layer_count).rev().collect()
        };
        for l in order {
            place_layer(graph, l, &mut x, (use_up, use_down), &anchor, options);
        }
    }
    x
}

fn gap(graph: &LayeredGraph, left: usize, right: usize, options: &Options) -> f64 {
    let (a, b) = (&graph.items[left], &graph.items[right]);
    let space = match (a.dummy, b.dummy) {
        (true, true) => options.edge_gap,
        (false, false) => options.node_gap,
        _ => (options.node_gap + options.edge_gap) / 2.0,
    };
    a.right + space + b.left
}

fn weight(graph: &LayeredGraph, a: usize, b: usize) -> f64 {
    match (graph.items[a].dummy, graph.items[b].dummy) {
        (true, true) => 8.0,
        (false, false) => 1.0,
        _ => 2.0,
    }
}

fn place_layer(
    graph: &LayeredGraph,
    l: usize,
    x: &mut [f64],
    (use_up, use_down): (bool, bool),
    anchor: &impl Fn(usize) -> Option<f64>,
    options: &Options,
) {
    let Some(layer) = graph.layers.get(l) else {
        return;
    };
    if layer.is_empty() {
        return;
    }
    let mut targets = Vec::with_capacity(layer.len());
    let mut weights = Vec::with_capacity(layer.len());
    for &v in layer {
        let (mut sum, mut total) = (0.0, 0.0);
        let sides = [(use_up, &graph.up[v]), (use_down, &graph.down[v])];
        for (used, neighbours) in sides {
            if !used {
                continue;
            }
            for &u in neighbours {
                let w = weight(graph, u, v);
                sum += w * x[u];
                total += w;
            }
        }
        if let Some(at) = anchor(v) {
            sum += ANCHOR * at;
            total += ANCHOR;
        }
        if total > 0.0 {
            targets.push(sum / total);
            weights.push(total);
        } else {
            // Nothing pulls it: stay, weakly.
            targets.push(x[v]);
            weights.push(1e-3);
        }
    }
    let gaps: Vec<f64> = layer
        .windows(2)
        .map(|pair| gap(graph, pair[0], pair[1], options))
        .collect();
    let placed = closest_ordered(&targets, &weights, &gaps);
    for (&v, p) in layer.iter().zip(placed) {
        x[v] = p;
    }
}

/// Minimises Σ wᵢ (xᵢ − tᵢ)² subject to xᵢ₊₁ − xᵢ ≥ gapᵢ: with oᵢ the sum of the gaps before
/// i, yᵢ = xᵢ − oᵢ must be non-decreasing, which is weighted isotonic regression of tᵢ − oᵢ
/// (pool-adjacent-violators). Cost: O(n).
fn closest_ordered(targets: &[f64], weights: &[f64], gaps: &[f64]) -> Vec<f64> {
    let n = targets.len();
    let mut offsets = Vec::with_capacity(n);
    let mut at = 0.0;
    for i in 0..n {
        if i > 0 {
            at += gaps.get(i - 1).copied().unwrap_or(0.0);
        }
        offsets.push(at);
    }
    // Blocks of (weight, weighted sum, count).
    let mut blocks: Vec<(f64, f64, usize)> = Vec::with_capacity(n);
    for i in 0..n {
        let w = weights[i].max(1e-9);
        blocks.push((w, w * (targets[i] - offsets[i]), 1));
        while blocks.len() >= 2 {
            let last = blocks[blocks.len() - 1];
            let previous = blocks[blocks.len() - 2];
            if previous.1 / previous.0 <= last.1 / last.0 {
                break;
            }
            blocks.pop();
            if let Some(merged) = blocks.last_mut() {
                *merged = (merged.0 + last.0, merged.1 + last.1, merged.2 + last.2);
            }
        }
    }
    let mut result = Vec::with_capacity(n);
    for (w, sum, count) in blocks {
        let mean = sum / w;
        for _ in 0..count {
            let i = result.len();
            result.push(mean + offsets[i]);
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::closest_ordered;

    #[test]
    fn closest_ordered_keeps_gaps_and_targets() {
        assert_eq!(
            closest_ordered(&[0.0, 100.0], &[1.0, 1.0], &[10.0]),
            [0.0, 100.0]
        );
        // Both want 0: they share the violation equally.
        assert_eq!(
            closest_ordered(&[0.0, 0.0], &[1.0, 1.0], &[10.0]),
            [-5.0, 5.0]
        );
        // A heavy item barely moves.
        let placed = closest_ordered(&[0.0, 0.0], &[9.0, 1.0], &[10.0]);
        assert_eq!(placed, [-1.0, 9.0]);
    }
}
