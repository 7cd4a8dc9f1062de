//! The layout engine: geometric checks on hand-made graphs, generated ones, the
//! image-pipeline example and corpus folders. Every layout must be deterministic, keep nodes
//! apart, start and end each edge on its nodes' borders and never draw an edge through a node.

// Tests and benches fail loudly on what they did not expect.
#![allow(clippy::unwrap_used, clippy::expect_used)]

/// Node sizes and edges, as `layout` takes them.
type Input = (Vec<(f64, f64)>, Vec<(usize, usize)>);

use std::path::{Path, PathBuf};

use baton_analyzer::layout::{
    interaction_layout, layout, layout_near, Direction, Layout, Options, Point, Previous,
};
use baton_analyzer::{analyze, SourceFile};

const EPS: f64 = 1e-6;

/// Lays out in both directions and checks every invariant; returns the top-down layout.
fn check(sizes: &[(f64, f64)], edges: &[(usize, usize)]) -> Layout {
    let mut first = None;
    for direction in [Direction::TopDown, Direction::LeftRight] {
        let options = Options::with_direction(direction);
        let result = layout(sizes, edges, &options);
        assert_eq!(result, layout(sizes, edges, &options), "deterministic");
        check_geometry(sizes, edges, &result);
        first.get_or_insert(result);
    }
    first.unwrap_or_default()
}

#[derive(Clone, Copy)]
struct Rect {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

fn rect(c: Point, (w, h): (f64, f64)) -> Rect {
    Rect {
        x0: c.x - w / 2.0,
        y0: c.y - h / 2.0,
        x1: c.x + w / 2.0,
        y1: c.y + h / 2.0,
    }
}

fn on_border(p: Point, r: Rect) -> bool {
    let inside_closed =
        p.x >= r.x0 - EPS && p.x <= r.x1 + EPS && p.y >= r.y0 - EPS && p.y <= r.y1 + EPS;
    let near_edge = (p.x - r.x0).abs() < EPS
        || (p.x - r.x1).abs() < EPS
        || (p.y - r.y0).abs() < EPS
        || (p.y - r.y1).abs() < EPS;
    inside_closed && near_edge
}

/// Whether segment ab meets the open interior of r (Liang–Barsky clipping), plus a dense
/// sampling as a second opinion.
fn segment_enters(a: Point, b: Point, r: Rect) -> bool {
    let (x0, y0, x1, y1) = (r.x0 + EPS, r.y0 + EPS, r.x1 - EPS, r.y1 - EPS);
    if x0 >= x1 || y0 >= y1 {
        return false;
    }
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, a.x - x0),
        (dx, x1 - a.x),
        (-dy, a.y - y0),
        (dy, y1 - a.y),
    ] {
        if p.abs() < 1e-12 {
            if q <= 0.0 {
                return false;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    let clipped = t0 < t1;
    let sampled = (0..=64).any(|k| {
        let t = k as f64 / 64.0;
        let (x, y) = (a.x + dx * t, a.y + dy * t);
        x > x0 && x < x1 && y > y0 && y < y1
    });
    clipped || sampled
}

fn check_geometry(sizes: &[(f64, f64)], edges: &[(usize, usize)], result: &Layout) {
    assert_eq!(result.nodes.len(), sizes.len());
    assert_eq!(result.edges.len(), edges.len());
    let rects: Vec<Rect> = result
        .nodes
        .iter()
        .zip(sizes)
        .map(|(&c, &s)| rect(c, s))
        .collect();
    let within = |p: Point| {
        p.x.is_finite()
            && p.y.is_finite()
            && p.x >= -EPS
            && p.y >= -EPS
            && p.x <= result.width + EPS
            && p.y <= result.height + EPS
    };
    for (i, r) in rects.iter().enumerate() {
        assert!(
            within(Point { x: r.x0, y: r.y0 }) && within(Point { x: r.x1, y: r.y1 }),
            "node {i} inside the box"
        );
    }
    // No two nodes overlap (sweep on x keeps this cheap on big graphs).
    let mut by_x: Vec<usize> = (0..rects.len()).collect();
    by_x.sort_by(|&a, &b| rects[a].x0.total_cmp(&rects[b].x0));
    for (k, &i) in by_x.iter().enumerate() {
        for &j in &by_x[k + 1..] {
            if rects[j].x0 >= rects[i].x1 - EPS {
                break;
            }
            let overlap_y = rects[i].y0 < rects[j].y1 - EPS && rects[j].y0 < rects[i].y1 - EPS;
            assert!(!overlap_y, "nodes {i} and {j} overlap");
        }
    }
    for (e, (&(a, b), route)) in edges.iter().zip(&result.edges).enumerate() {
        if a >= sizes.len() || b >= sizes.len() {
            assert!(route.points.is_empty(), "edge {e} has a missing endpoint");
            continue;
        }
        let points = &route.points;
        assert!(points.len() >= 2, "edge {e} has a route");
        assert!(points.iter().all(|&p| within(p)), "edge {e} inside the box");
        assert!(
            on_border(points[0], rects[a]),
            "edge {e} starts on its source's border"
        );
        assert!(
            on_border(points[points.len() - 1], rects[b]),
            "edge {e} ends on its target's border"
        );
        for segment in points.windows(2) {
            for (i, &r) in rects.iter().enumerate() {
                if i != a && i != b {
                    assert!(
                        !segment_enters(segment[0], segment[1], r),
                        "edge {e} ({a}->{b}) goes through node {i}"
                    );
                }
            }
        }
    }
}

/// A deterministic random graph with cycles, self-loops, parallel edges and isolated nodes.
fn random_graph(n: usize, m: usize, seed: u64) -> Input {
    let mut state = seed;
    let mut next = move |below: usize| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 33) as usize) % below
    };
    let sizes = (0..n)
        .map(|_| (20.0 + next(200) as f64, 20.0 + next(40) as f64))
        .collect();
    let edges = (0..m).map(|_| (next(n), next(n))).collect();
    (sizes, edges)
}

#[test]
fn empty_and_single_node() {
    let empty = check(&[], &[]);
    assert_eq!((empty.width, empty.height), (0.0, 0.0));
    let single = check(&[(100.0, 40.0)], &[]);
    assert_eq!(single.nodes, [Point { x: 50.0, y: 20.0 }]);
    assert_eq!((single.width, single.height), (100.0, 40.0));
}

#[test]
fn chain_flows_in_the_direction_asked() {
    let sizes = [(80.0, 30.0); 3];
    let edges = [(0, 1), (1, 2)];
    let down = check(&sizes, &edges);
    assert!(down.nodes[0].y < down.nodes[1].y && down.nodes[1].y < down.nodes[2].y);
    let right = layout(
        &sizes,
        &edges,
        &Options::with_direction(Direction::LeftRight),
    );
    assert!(right.nodes[0].x < right.nodes[1].x && right.nodes[1].x < right.nodes[2].x);
}

#[test]
fn cycles_are_drawn_pointing_the_right_way() {
    let sizes = [(80.0, 30.0); 3];
    let result = check(&sizes, &[(0, 1), (1, 2), (2, 0)]);
    assert_eq!(result.edges.iter().filter(|e| e.back_edge).count(), 1);
    // Two-node cycle: both edges drawn, apart from each other.
    let two = check(&sizes[..2], &[(0, 1), (1, 0)]);
    assert_ne!(
        two.edges[0].points[0],
        two.edges[1].points[two.edges[1].points.len() - 1]
    );
}

#[test]
fn self_loops_and_parallel_edges_get_distinct_routes() {
    let sizes = [(80.0, 30.0); 2];
    let result = check(&sizes, &[(0, 0), (0, 0), (0, 1), (0, 1), (0, 1)]);
    for (i, j) in [(0, 1), (2, 3), (3, 4), (2, 4)] {
        assert_ne!(
            result.edges[i].points, result.edges[j].points,
            "edges {i} and {j}"
        );
    }
    assert!(result.edges[0].back_edge);
}

#[test]
fn disconnected_components_are_packed_without_overlap() {
    let sizes = vec![(60.0, 30.0); 40];
    let edges: Vec<(usize, usize)> = (0..20).map(|i| (2 * i, 2 * i + 1)).collect();
    let result = check(&sizes, &edges);
    // Packed in rows, not in one long line.
    assert!(result.width < 20.0 * 60.0 * 2.0, "width {}", result.width);
}

#[test]
fn bad_input_does_not_panic() {
    let sizes = [
        (f64::NAN, -3.0),
        (f64::INFINITY, 10.0),
        (0.0, 0.0),
        (1e12, 1e-9),
    ];
    let edges = [(0, 1), (1, 7), (9, 9), (2, 2), (3, 0), (0, 3), (2, 3)];
    let result = layout(&sizes, &edges, &Options::default());
    assert!(result.edges[1].points.is_empty() && result.edges[2].points.is_empty());
    let nonsense = Options {
        node_gap: f64::NAN,
        layer_gap: -1.0,
        edge_gap: f64::INFINITY,
        ..Options::default()
    };
    let result = layout(&sizes, &edges, &nonsense);
    assert!(result
        .nodes
        .iter()
        .all(|p| p.x.is_finite() && p.y.is_finite()));
}

#[test]
fn random_graphs() {
    for (n, m, seed) in [(5, 12, 1), (30, 45, 2), (120, 160, 3), (200, 400, 4)] {
        let (sizes, edges) = random_graph(n, m, seed);
        check(&sizes, &edges);
    }
}

/// Mean distance the nodes other than `changed` moved between two layouts, in widths of
/// their boxes.
fn moved(sizes: &[(f64, f64)], before: &Layout, after: &Layout, changed: &[usize]) -> f64 {
    let moves: Vec<f64> = before
        .nodes
        .iter()
        .zip(&after.nodes)
        .zip(sizes)
        .enumerate()
        .filter(|(i, _)| !changed.contains(i))
        .map(|(_, ((a, b), (w, _)))| (a.x - b.x).hypot(a.y - b.y) / w.max(1.0))
        .collect();
    moves.iter().sum::<f64>() / moves.len().max(1) as f64
}

/// Laid out again near its old drawing, an unchanged graph does not move at all, and one edge
/// more moves the other nodes little (under a tenth of their width on average, where a fresh
/// layout moves them by several widths); every invariant holds, in both directions.
#[test]
fn a_redraw_near_the_old_drawing_moves_little() {
    for (n, m, seed) in [(30, 45, 2), (120, 160, 3), (200, 400, 4)] {
        let (sizes, edges) = random_graph(n, m, seed);
        for direction in [Direction::TopDown, Direction::LeftRight] {
            let options = Options::with_direction(direction);
            let before = layout(&sizes, &edges, &options);
            let previous = Previous::of(&before, &edges);
            let same = layout_near(&sizes, &edges, &options, &previous);
            check_geometry(&sizes, &edges, &same);
            assert!(
                moved(&sizes, &before, &same, &[]) < 1e-9,
                "{n}: unchanged graph moved"
            );
            let mut changed = edges.clone();
            changed.push((1, n - 2));
            let after = layout_near(&sizes, &changed, &options, &previous);
            check_geometry(&sizes, &changed, &after);
            let fresh = layout(&sizes, &changed, &options);
            let (near, anew) = (
                moved(&sizes, &before, &after, &[1, n - 2]),
                moved(&sizes, &before, &fresh, &[1, n - 2]),
            );
            // The smallest graph's new edge joins two components, which cannot both stay.
            let limit = if n >= 100 { 0.1 } else { 0.5 };
            assert!(
                near < anew.min(limit),
                "{n}: moved {near} near, {anew} fresh"
            );
        }
    }
}

fn files_under(dir: &Path) -> Vec<SourceFile> {
    let mut paths: Vec<PathBuf> = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path
                .extension()
                .is_some_and(|x| x == "yaml" || x == "yml" || x == "json")
            {
                paths.push(path);
            }
        }
    }
    paths.sort();
    paths
        .into_iter()
        .filter_map(|p| {
            Some(SourceFile::new(
                p.display().to_string(),
                std::fs::read_to_string(&p).ok()?,
            ))
        })
        .collect()
}

/// Label-like sizes: wide for long names, as the app measures them.
fn check_interaction_graph(dir: &Path) -> usize {
    let report = analyze(&files_under(dir));
    let graph = &report.graph;
    let size = |n: petgraph::graph::NodeIndex| {
        (40.0 + 7.0 * graph.node(n).name.len().min(60) as f64, 36.0)
    };
    let sizes: Vec<(f64, f64)> = graph.nodes().map(size).collect();
    let edges: Vec<(usize, usize)> = graph
        .graph
        .raw_edges()
        .iter()
        .map(|e| (e.source().index(), e.target().index()))
        .collect();
    for direction in [Direction::TopDown, Direction::LeftRight] {
        let options = Options::with_direction(direction);
        let result = interaction_layout(graph, size, &options);
        assert_eq!(result, layout(&sizes, &edges, &options));
        check_geometry(&sizes, &edges, &result);
    }
    graph.graph.node_count()
}

#[test]
fn image_pipeline_example() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/examples/image-pipeline");
    assert_eq!(check_interaction_graph(&dir), 15);
}

#[test]
fn corpus_folders() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    for folder in [
        "GoogleCloudPlatform__eventarc-samples",
        "GoogleCloudPlatform__workflows-demos",
        "GoogleCloudPlatform__workflows-samples",
        "lemonberrylabs__gcw-emulator",
    ] {
        let nodes = check_interaction_graph(&corpus.join(folder));
        eprintln!("{folder}: {nodes} nodes");
        assert!(nodes > 5, "{folder}: {nodes} nodes");
    }
}

#[test]
fn the_checker_sees_an_edge_through_a_node() {
    let r = rect(Point { x: 50.0, y: 50.0 }, (20.0, 20.0));
    assert!(segment_enters(
        Point { x: 0.0, y: 0.0 },
        Point { x: 100.0, y: 100.0 },
        r
    ));
    assert!(segment_enters(
        Point { x: 50.0, y: 0.0 },
        Point { x: 50.0, y: 100.0 },
        r
    ));
    // Touching the border is not entering.
    assert!(!segment_enters(
        Point { x: 40.0, y: 0.0 },
        Point { x: 40.0, y: 100.0 },
        r
    ));
    assert!(!segment_enters(
        Point { x: 0.0, y: 0.0 },
        Point { x: 100.0, y: 0.0 },
        r
    ));
    assert!(on_border(Point { x: 45.0, y: 40.0 }, r) && !on_border(Point { x: 45.0, y: 45.0 }, r));
}
