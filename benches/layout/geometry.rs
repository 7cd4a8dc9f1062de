//! Drawing quality, counted in near-linear time with a uniform grid (the drawings have up to
//! 10,000 nodes and 15,000 edges, too many for all pairs).

use std::collections::{HashMap, HashSet};

use baton_analyzer::layout::Point;

const CELL: f64 = 160.0;

type Cell = (i64, i64);

fn cell_of(p: Point) -> Cell {
    ((p.x / CELL).floor() as i64, (p.y / CELL).floor() as i64)
}

/// The cells a segment passes through (grid traversal, so long segments cost their length).
fn cells_on(a: Point, b: Point) -> Vec<Cell> {
    let (mut c, end) = (cell_of(a), cell_of(b));
    let mut out = vec![c];
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let step = |d: f64| if d > 0.0 { 1 } else { -1 };
    let (sx, sy) = (step(dx), step(dy));
    let next_boundary =
        |p: f64, cell: i64, s: i64| (cell + if s > 0 { 1 } else { 0 }) as f64 * CELL - p;
    let mut t_max_x = if dx == 0.0 {
        f64::INFINITY
    } else {
        next_boundary(a.x, c.0, sx) / dx
    };
    let mut t_max_y = if dy == 0.0 {
        f64::INFINITY
    } else {
        next_boundary(a.y, c.1, sy) / dy
    };
    let t_dx = if dx == 0.0 {
        f64::INFINITY
    } else {
        CELL / dx.abs()
    };
    let t_dy = if dy == 0.0 {
        f64::INFINITY
    } else {
        CELL / dy.abs()
    };
    let limit = (end.0 - c.0).abs() + (end.1 - c.1).abs();
    for _ in 0..limit {
        if t_max_x < t_max_y {
            c.0 += sx;
            t_max_x += t_dx;
        } else {
            c.1 += sy;
            t_max_y += t_dy;
        }
        out.push(c);
    }
    out
}

/// The point where two segments cross properly (not at an end), if they do.
fn crossing(p1: Point, p2: Point, p3: Point, p4: Point) -> Option<Point> {
    let side = |a: Point, b: Point, c: Point| (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
    let (d1, d2) = (side(p3, p4, p1), side(p3, p4, p2));
    let (d3, d4) = (side(p1, p2, p3), side(p1, p2, p4));
    if d1 * d2 < 0.0 && d3 * d4 < 0.0 {
        let t = d1 / (d1 - d2);
        Some(Point {
            x: p1.x + (p2.x - p1.x) * t,
            y: p1.y + (p2.y - p1.y) * t,
        })
    } else {
        None
    }
}

/// Crossing points between edges that share no endpoint; each point is counted once, in the
/// cell that holds it.
fn count_crossings(edges: &[(usize, usize)], polylines: &[Vec<Point>]) -> usize {
    let mut grid: HashMap<Cell, Vec<(usize, Point, Point)>> = HashMap::new();
    for (e, line) in polylines.iter().enumerate() {
        for s in line.windows(2) {
            for c in cells_on(s[0], s[1]) {
                grid.entry(c).or_default().push((e, s[0], s[1]));
            }
        }
    }
    let mut count = 0;
    for (&cell, segments) in &grid {
        for (i, &(e, a, b)) in segments.iter().enumerate() {
            for &(f, c, d) in &segments[i + 1..] {
                let ((p, q), (r, s)) = (edges[e], edges[f]);
                if e == f || p == r || p == s || q == r || q == s {
                    continue;
                }
                if let Some(x) = crossing(a, b, c, d) {
                    if cell_of(x) == cell {
                        count += 1;
                    }
                }
            }
        }
    }
    count
}

pub fn straight_crossings(edges: &[(usize, usize)], nodes: &[Point]) -> usize {
    let lines: Vec<Vec<Point>> = edges
        .iter()
        .map(|&(a, b)| {
            if a == b {
                Vec::new()
            } else {
                vec![nodes[a], nodes[b]]
            }
        })
        .collect();
    count_crossings(edges, &lines)
}

pub fn routed_crossings(edges: &[(usize, usize)], routes: &[Vec<Point>]) -> usize {
    count_crossings(edges, routes)
}

/// Node rectangles, shrunk by half a unit (touching is fine), bucketed by the cells they cover.
fn node_grid(sizes: &[(f64, f64)], nodes: &[Point]) -> HashMap<Cell, Vec<usize>> {
    let mut grid: HashMap<Cell, Vec<usize>> = HashMap::new();
    for (i, (c, &(w, h))) in nodes.iter().zip(sizes).enumerate() {
        let lo = cell_of(Point {
            x: c.x - w / 2.0,
            y: c.y - h / 2.0,
        });
        let hi = cell_of(Point {
            x: c.x + w / 2.0,
            y: c.y + h / 2.0,
        });
        for x in lo.0..=hi.0 {
            for y in lo.1..=hi.1 {
                grid.entry((x, y)).or_default().push(i);
            }
        }
    }
    grid
}

/// Edges with a point strictly inside a node that is not one of their ends.
pub fn through_nodes(
    sizes: &[(f64, f64)],
    edges: &[(usize, usize)],
    nodes: &[Point],
    routes: &[Vec<Point>],
) -> usize {
    let grid = node_grid(sizes, nodes);
    let inside = |p: Point, i: usize| {
        let (c, (w, h)) = (nodes[i], sizes[i]);
        (p.x - c.x).abs() < w / 2.0 - 0.5 && (p.y - c.y).abs() < h / 2.0 - 0.5
    };
    edges
        .iter()
        .zip(routes)
        .filter(|(&(a, b), route)| {
            route.windows(2).any(|s| {
                cells_on(s[0], s[1]).iter().any(|cell| {
                    grid.get(cell).into_iter().flatten().any(|&i| {
                        i != a
                            && i != b
                            && (0..=64).any(|k| {
                                let t = k as f64 / 64.0;
                                let p = Point {
                                    x: s[0].x + (s[1].x - s[0].x) * t,
                                    y: s[0].y + (s[1].y - s[0].y) * t,
                                };
                                inside(p, i)
                            })
                    })
                })
            })
        })
        .count()
}

/// Pairs of nodes whose rectangles overlap by more than half a unit.
pub fn overlaps(sizes: &[(f64, f64)], nodes: &[Point]) -> usize {
    let grid = node_grid(sizes, nodes);
    let mut pairs = HashSet::new();
    for members in grid.values() {
        for (k, &i) in members.iter().enumerate() {
            for &j in &members[k + 1..] {
                let (a, b) = (nodes[i], nodes[j]);
                let (wa, ha) = sizes[i];
                let (wb, hb) = sizes[j];
                if (a.x - b.x).abs() < (wa + wb) / 2.0 - 0.5
                    && (a.y - b.y).abs() < (ha + hb) / 2.0 - 0.5
                {
                    pairs.insert((i.min(j), i.max(j)));
                }
            }
        }
    }
    pairs.len()
}
