//! Cycle removal and layer assignment.

use std::collections::VecDeque;

/// Which edges to reverse so that the graph becomes acyclic: the back edges of a depth-first
/// search that starts from the sources (in index order), then from any node left. Cost:
/// O(V + E), iterative.
pub(super) fn back_edges(n: usize, edges: &[(usize, usize)]) -> Vec<bool> {
    let mut out: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    let mut in_degree = vec![0usize; n];
    for (e, &(a, b)) in edges.iter().enumerate() {
        if a < n && b < n {
            out[a].push((b, e));
            in_degree[b] += 1;
        }
    }
    let mut reversed = vec![false; edges.len()];
    // 0: not seen, 1: on the stack, 2: done.
    let mut state = vec![0u8; n];
    let roots = (0..n).filter(|&v| in_degree[v] == 0).chain(0..n);
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for root in roots {
        if state[root] != 0 {
            continue;
        }
        state[root] = 1;
        stack.push((root, 0));
        while let Some(&(v, next)) = stack.last() {
            match out[v].get(next) {
                Some(&(w, e)) => {
                    if let Some(top) = stack.last_mut() {
                        top.1 += 1;
                    }
                    match state[w] {
                        0 => {
                            state[w] = 1;
                            stack.push((w, 0));
                        }
                        1 => reversed[e] = true,
                        _ => {}
                    }
                }
                None => {
                    state[v] = 2;
                    stack.pop();
                }
            }
        }
    }
    reversed
}

/// Layers of an acyclic graph: longest path from the sources, then every node with fewer
/// inputs than outputs moves down next to its closest successor (which shortens edges, e.g.
/// a scheduler job sits just above the workflow it starts). Every edge goes at least one
/// layer down. Cost: O(V + E).
pub(super) fn layers(n: usize, dag: &[(usize, usize)]) -> Vec<usize> {
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut in_degree = vec![0usize; n];
    for &(a, b) in dag {
        if a < n && b < n && a != b {
            out[a].push(b);
            in_degree[b] += 1;
        }
    }
    let mut remaining = in_degree.clone();
    let mut queue: VecDeque<usize> = (0..n).filter(|&v| in_degree[v] == 0).collect();
    let mut topological = Vec::with_capacity(n);
    let mut layer = vec![0usize; n];
    while let Some(v) = queue.pop_front() {
        topological.push(v);
        for &w in &out[v] {
            layer[w] = layer[w].max(layer[v] + 1);
            remaining[w] -= 1;
            if remaining[w] == 0 {
                queue.push_back(w);
            }
        }
    }
    // A cycle (impossible after `back_edges`) leaves nodes out: they keep layer 0 and the
    // router draws their edges without dummies.
    for &v in topological.iter().rev() {
        if out[v].is_empty() || in_degree[v] >= out[v].len() {
            continue;
        }
        if let Some(closest) = out[v].iter().map(|&w| layer[w]).min() {
            if closest > layer[v] + 1 {
                layer[v] = closest - 1;
            }
        }
    }
    let lowest = layer.iter().copied().min().unwrap_or(0);
    for l in &mut layer {
        *l -= lowest;
    }
    layer
}

/// Layers that keep where hinted nodes were (`levels`: the layer each was drawn in) as far as
/// the edges allow: in topological order, each node goes to its old layer or just below its
/// lowest predecessor, whichever is lower. Cost: O(V + E).
pub(super) fn seeded_layers(
    n: usize,
    dag: &[(usize, usize)],
    levels: &[Option<usize>],
) -> Vec<usize> {
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut remaining = vec![0usize; n];
    for &(a, b) in dag {
        if a < n && b < n && a != b {
            out[a].push(b);
            remaining[b] += 1;
        }
    }
    let mut layer: Vec<usize> = (0..n)
        .map(|v| levels.get(v).copied().flatten().unwrap_or(0))
        .collect();
    let mut queue: VecDeque<usize> = (0..n).filter(|&v| remaining[v] == 0).collect();
    while let Some(v) = queue.pop_front() {
        for &w in &out[v] {
            layer[w] = layer[w].max(layer[v] + 1);
            remaining[w] -= 1;
            if remaining[w] == 0 {
                queue.push_back(w);
            }
        }
    }
    layer
}
