//! Layout of hub-heavy architectures at 50, 200, 1,000, 3,000 and 10,000 nodes (flows of
//! 160 × 40 boxes, about 1.5 edges per node, shared services called from every depth: the
//! shape that makes layered layouts stretch and cross). For each size it prints the time, the
//! crossings of straight lines between centres and of the drawn routes, the dummy items
//! (how stretched the layering is), the area and aspect ratio, the edges drawn through a node
//! and the overlapping nodes (both must be 0), and how far unchanged nodes move after one edge
//! is added (stability, in node widths).
//!
//!   cargo bench --bench layout                # Baton alone
//!   cargo bench --bench layout -- --compare   # also Graphviz dot and dagre on the same graphs
//!   cargo bench --bench layout -- --sizes 50,200
//!
//! `--compare` needs `dot` (Debian `graphviz`) and dagre (`npm install --prefix .tools
//! @dagrejs/dagre`); `scripts/layout-compare.sh` installs both and runs this.

// Tests and benches fail loudly on what they did not expect.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "layout/compare.rs"]
mod compare;
#[path = "layout/geometry.rs"]
mod geometry;

use std::time::Instant;

use baton_analyzer::layout::{layout, layout_near, Layout, Options, Point, Previous};

/// Node sizes and edges, as `layout` takes them.
pub type Input = (Vec<(f64, f64)>, Vec<(usize, usize)>);

/// What one layout engine drew: centres and one polyline per edge.
pub struct Drawing {
    pub nodes: Vec<Point>,
    pub edges: Vec<Vec<Point>>,
    pub width: f64,
    pub height: f64,
    /// Items added for long edges (the total span of the edges minus their count).
    pub dummies: usize,
    pub millis: f64,
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let compare = args.iter().any(|a| a == "--compare");
    let sizes: Vec<usize> = args
        .iter()
        .position(|a| a == "--sizes")
        .and_then(|i| args.get(i + 1))
        .map(|s| s.split(',').filter_map(|n| n.parse().ok()).collect())
        .unwrap_or_else(|| vec![50, 200, 1000, 3000, 10_000]);
    println!(
        "{:>6} {:>6} {:>8} {:>10} {:>10} {:>8} {:>7} {:>7} {:>6} {:>7} {:>9}  engine",
        "nodes",
        "edges",
        "ms",
        "straight×",
        "routed×",
        "dummies",
        "area M",
        "aspect",
        "thru",
        "overlap",
        "moved"
    );
    for &n in &sizes {
        let input = hub_flow(n, 7);
        let baton = run_baton(&input, n);
        let moved = stability(&input, &baton);
        report(&input, &baton, "baton", Some(moved));
        if compare {
            for (name, drawing) in compare::others(&input) {
                match drawing {
                    Ok(d) => {
                        report(&input, &d, name, None);
                        println!(
                            "{:>6} {:>6} ratio baton/{name}: time {:.3}, routed crossings {:.2}, dummies {:.2}",
                            "", "",
                            baton.millis / d.millis.max(1e-9),
                            geometry::routed_crossings(&input.1, &baton.edges) as f64
                                / (geometry::routed_crossings(&input.1, &d.edges).max(1)) as f64,
                            baton.dummies as f64 / d.dummies.max(1) as f64,
                        );
                    }
                    Err(e) => println!("{:>6} {name}: {e}", n),
                }
            }
        }
    }
}

fn run_baton(input: &Input, n: usize) -> Drawing {
    let (sizes, edges) = input;
    let runs = match n {
        0..=200 => 11,
        201..=1000 => 5,
        _ => 1,
    };
    let mut times = Vec::new();
    let mut result = Layout::default();
    for _ in 0..runs {
        let start = Instant::now();
        result = layout(sizes, edges, &Options::default());
        times.push(start.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    Drawing {
        nodes: result.nodes.clone(),
        edges: result.edges.iter().map(|r| r.points.clone()).collect(),
        width: result.width,
        height: result.height,
        dummies: result.dummies,
        millis: times[times.len() / 2],
    }
}

fn report(input: &Input, d: &Drawing, engine: &str, moved: Option<f64>) {
    let (sizes, edges) = input;
    let aspect = d.width.max(d.height) / d.width.min(d.height).max(1.0);
    println!(
        "{:>6} {:>6} {:>8.1} {:>10} {:>10} {:>8} {:>7.1} {:>6.1}:1 {:>6} {:>7} {:>9}  {engine}{}",
        sizes.len(),
        edges.len(),
        d.millis,
        geometry::straight_crossings(edges, &d.nodes),
        geometry::routed_crossings(edges, &d.edges),
        d.dummies,
        d.width * d.height / 1e6,
        aspect,
        geometry::through_nodes(sizes, edges, &d.nodes, &d.edges),
        geometry::overlaps(sizes, &d.nodes),
        moved.map_or("-".to_string(), |m| format!("{m:.3}")),
        if d.width > d.height { " (wide)" } else { "" },
    );
}

/// Mean distance, in node widths, that the nodes a change does not touch move when one edge
/// is added between two nodes that already exist and the graph is laid out again near the
/// old drawing (averaged over a few such changes).
fn stability(input: &Input, before: &Drawing) -> f64 {
    let (sizes, edges) = input;
    let n = sizes.len();
    if n < 4 {
        return 0.0;
    }
    let mut total = 0.0;
    let trials = 3;
    for t in 0..trials {
        let mut changed = edges.clone();
        changed.push(((t * 7919) % n, (t * 104_729 + n / 2) % n));
        let previous = Previous {
            nodes: before.nodes.iter().copied().map(Some).collect(),
            routes: edges
                .iter()
                .copied()
                .zip(before.edges.iter().cloned())
                .collect(),
        };
        let after = layout_near(sizes, &changed, &Options::default(), &previous);
        // The nodes the change does not touch.
        let (a, b) = changed[changed.len() - 1];
        let moved: f64 = before
            .nodes
            .iter()
            .zip(&after.nodes)
            .zip(sizes)
            .enumerate()
            .filter(|&(i, _)| i != a && i != b)
            .map(|(_, ((p, q), (w, _)))| ((p.x - q.x).hypot(p.y - q.y)) / w.max(1.0))
            .sum();
        total += moved / (n - 2) as f64;
    }
    total / trials as f64
}

/// A deterministic hub-heavy flow of `n` boxes of 160 × 40: entry points start flows of
/// steps (each node called by a recent one, so flows run deep), every node also calls a
/// shared service with probability 1/2 (about 2 % of the nodes are such hubs, called from
/// every depth), and a few calls go back up (cycles): about 1.5 edges per node.
pub fn hub_flow(n: usize, seed: u64) -> Input {
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut rand = move |below: usize| -> usize {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 33) as usize) % below.max(1)
    };
    let sizes = vec![(160.0, 40.0); n];
    let hubs = (n / 50).max(2).min(n);
    let mut edges = Vec::new();
    for v in hubs..n {
        // A new flow every 40 nodes or so; otherwise called by one of the last 30 nodes.
        if v > hubs && rand(40) != 0 {
            let back = 1 + rand(30.min(v - hubs));
            edges.push((v - back, v));
        }
        if rand(2) == 0 {
            edges.push((v, rand(hubs)));
        }
        if rand(50) == 0 && v > hubs + 10 {
            edges.push((v, v - 1 - rand(10)));
        }
    }
    // Hubs call each other a little.
    for h in 1..hubs {
        if rand(3) == 0 {
            edges.push((h, rand(h)));
        }
    }
    (sizes, edges)
}
