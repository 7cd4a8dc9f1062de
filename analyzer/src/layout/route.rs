//! Node centres across the layers and edge routes.
//!
//! Every node sits centred in its layer's band (as tall as the layer's tallest node). An edge
//! leaves its source through a port on the bottom border, runs straight down to the band's
//! edge, crosses each gap between bands in one straight segment and each band it passes
//! through vertically in its dummy's slot, then enters its target through a port on the top
//! border. Bands hold nodes and gaps hold none, and a dummy's slot is kept clear of nodes by
//! the placement gaps, so no segment enters a node. Ports are spread over the middle of the
//! border in the order of the other ends, which keeps parallel edges apart.

use super::order::LayeredGraph;
use super::Options;

type P = (f64, f64);

pub(super) struct Routed {
    pub centres: Vec<P>,
    /// Per edge of the component (in its original direction).
    pub edges: Vec<Vec<P>>,
    /// Per self-loop.
    pub loops: Vec<Vec<P>>,
}

/// Cost: O(V + D + E log E).
pub(super) fn routes(
    graph: &LayeredGraph,
    x: &[f64],
    sizes: &[P],
    reversed: &[bool],
    loop_nodes: &[usize],
    options: &Options,
) -> Routed {
    let layer_count = graph.layers.len();
    let mut band_height = vec![0.0f64; layer_count];
    for item in &graph.items {
        if let Some(h) = band_height.get_mut(item.layer) {
            *h = h.max(item.height);
        }
    }
    let mut band_top = Vec::with_capacity(layer_count);
    let mut at = 0.0;
    for &h in &band_height {
        band_top.push(at);
        at += h + options.layer_gap;
    }
    let top = |l: usize| band_top.get(l).copied().unwrap_or(0.0);
    let bottom = |l: usize| top(l) + band_height.get(l).copied().unwrap_or(0.0);
    let x_of = |v: usize| x.get(v).copied().unwrap_or(0.0);

    let centres: Vec<P> = (0..sizes.len())
        .map(|v| {
            let layer = graph.items.get(v).map_or(0, |i| i.layer);
            (
                x_of(v),
                top(layer) + band_height.get(layer).copied().unwrap_or(0.0) / 2.0,
            )
        })
        .collect();

    // Ports: per node, the chains leaving at the bottom and entering at the top, ordered by
    // the position of the next item on the way.
    let mut bottom_ports: Vec<Vec<(f64, usize)>> = vec![Vec::new(); sizes.len()];
    let mut top_ports: Vec<Vec<(f64, usize)>> = vec![Vec::new(); sizes.len()];
    for (c, chain) in graph.chains.iter().enumerate() {
        if let (Some(&first), Some(&second), Some(&last), Some(&before_last)) = (
            chain.first(),
            chain.get(1),
            chain.last(),
            chain.len().checked_sub(2).and_then(|i| chain.get(i)),
        ) {
            if let Some(ports) = bottom_ports.get_mut(first) {
                ports.push((x_of(second), c));
            }
            if let Some(ports) = top_ports.get_mut(last) {
                ports.push((x_of(before_last), c));
            }
        }
    }
    let mut start_x = vec![0.0; graph.chains.len()];
    let mut end_x = vec![0.0; graph.chains.len()];
    for (v, &(w, _)) in sizes.iter().enumerate() {
        for (ports, slot) in [
            (&mut bottom_ports[v], &mut start_x),
            (&mut top_ports[v], &mut end_x),
        ] {
            ports.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let count = ports.len() as f64;
            for (i, &(_, c)) in ports.iter().enumerate() {
                let spread = w * 0.6 * ((i as f64 + 1.0) / (count + 1.0) - 0.5);
                if let Some(s) = slot.get_mut(c) {
                    *s = x_of(v) + spread;
                }
            }
        }
    }

    let mut edges = Vec::with_capacity(graph.chains.len());
    for (c, chain) in graph.chains.iter().enumerate() {
        let (Some(&a), Some(&b)) = (chain.first(), chain.last()) else {
            edges.push(Vec::new());
            continue;
        };
        let (la, lb) = (graph.items[a].layer, graph.items[b].layer);
        let (ca, cb) = (centres[a], centres[b]);
        let (ha, hb) = (sizes[a].1, sizes[b].1);
        let mut points = vec![(start_x[c], ca.1 + ha / 2.0)];
        if lb > la {
            points.push((start_x[c], bottom(la)));
            for &d in &chain[1..chain.len() - 1] {
                let l = graph.items[d].layer;
                points.push((x_of(d), top(l)));
                points.push((x_of(d), bottom(l)));
            }
            points.push((end_x[c], top(lb)));
        }
        points.push((end_x[c], cb.1 - hb / 2.0));
        let mut points = simplify(points);
        if reversed.get(c).copied().unwrap_or(false) {
            points.reverse();
        }
        edges.push(points);
    }

    let mut loop_count = vec![0usize; sizes.len()];
    for &v in loop_nodes {
        if let Some(count) = loop_count.get_mut(v) {
            *count += 1;
        }
    }
    let mut loop_seen = vec![0usize; sizes.len()];
    let loops = loop_nodes
        .iter()
        .map(|&v| {
            let (Some(&(cx, cy)), Some(&(w, h))) = (centres.get(v), sizes.get(v)) else {
                return Vec::new();
            };
            let j = loop_seen[v];
            loop_seen[v] += 1;
            let right = cx + w / 2.0;
            let reach = right + options.edge_gap * (j as f64 + 1.0);
            let half = h / 2.0 * (0.3 + 0.6 * (j as f64 + 1.0) / (loop_count[v] as f64 + 1.0));
            vec![
                (right, cy - half),
                (reach, cy - half),
                (reach, cy + half),
                (right, cy + half),
            ]
        })
        .collect();

    Routed {
        centres,
        edges,
        loops,
    }
}

/// Drops repeated points and the middle of straight runs; keeps at least the two ends.
fn simplify(points: Vec<P>) -> Vec<P> {
    let mut out: Vec<P> = Vec::with_capacity(points.len());
    for p in points {
        if let Some(&last) = out.last() {
            if (p.0 - last.0).abs() < 1e-9 && (p.1 - last.1).abs() < 1e-9 {
                continue;
            }
        }
        if out.len() >= 2 {
            let (a, b) = (out[out.len() - 2], out[out.len() - 1]);
            let (u, v) = ((b.0 - a.0, b.1 - a.1), (p.0 - b.0, p.1 - b.1));
            let cross = u.0 * v.1 - u.1 * v.0;
            let dot = u.0 * v.0 + u.1 * v.1;
            let scale = (u.0.hypot(u.1)) * (v.0.hypot(v.1));
            if cross.abs() <= 1e-9 * scale && dot > 0.0 {
                out.pop();
            }
        }
        out.push(p);
    }
    if out.len() == 1 {
        out.push(out[0]);
    }
    out
}
