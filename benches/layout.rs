//! Layout time on generated architectures of 300 and 1000 nodes (target: 300 nodes in well
//! under 300 ms in the browser). Also prints the drawing's quality: edge crossings and edges
//! drawn through a node (must be 0). Run with `cargo bench --bench layout`.

// Tests and benches fail loudly on what they did not expect.
#![allow(clippy::unwrap_used, clippy::expect_used)]

/// Node sizes and edges, as `layout` takes them.
type Input = (Vec<(f64, f64)>, Vec<(usize, usize)>);

use std::time::Instant;

use baton_analyzer::layout::{layout, Layout, Options, Point};

fn main() {
    for (name, n) in [
        ("architecture", 300usize),
        ("architecture", 1000),
        ("worst case", 300),
    ] {
        let (sizes, edges) = if name == "worst case" {
            worst_case(n)
        } else {
            architecture(n, 7)
        };
        let mut times = Vec::new();
        let mut result = Layout::default();
        for _ in 0..11 {
            let start = Instant::now();
            result = layout(&sizes, &edges, &Options::default());
            times.push(start.elapsed().as_secs_f64() * 1e3);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "layout, {name}: {n} nodes, {} edges: median of 11 {:.1} ms; {} crossings, {} edges through a node; {:.0} x {:.0}",
            edges.len(),
            times[times.len() / 2],
            crossings(&edges, &result),
            through_nodes(&sizes, &edges, &result),
            result.width,
            result.height,
        );
    }
}

/// A path of n nodes plus an edge from the first to every other: the edges span O(n) layers
/// each, so the layered graph gets O(n²) dummies.
fn worst_case(n: usize) -> Input {
    let mut edges: Vec<(usize, usize)> = (1..n).map(|i| (i - 1, i)).collect();
    edges.extend((2..n).map(|i| (0, i)));
    (vec![(120.0, 36.0); n], edges)
}

/// Pairs of edges without a common endpoint whose routes cross.
fn crossings(edges: &[(usize, usize)], result: &Layout) -> usize {
    let mut count = 0;
    for i in 0..edges.len() {
        for j in i + 1..edges.len() {
            let ((a, b), (c, d)) = (edges[i], edges[j]);
            if a == c || a == d || b == c || b == d {
                continue;
            }
            let (p, q) = (&result.edges[i].points, &result.edges[j].points);
            if p.windows(2)
                .any(|s| q.windows(2).any(|t| segments_cross(s[0], s[1], t[0], t[1])))
            {
                count += 1;
            }
        }
    }
    count
}

fn segments_cross(p1: Point, p2: Point, p3: Point, p4: Point) -> bool {
    let side = |a: Point, b: Point, c: Point| (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
    let (d1, d2) = (side(p3, p4, p1), side(p3, p4, p2));
    let (d3, d4) = (side(p1, p2, p3), side(p1, p2, p4));
    d1 * d2 < 0.0 && d3 * d4 < 0.0
}

/// Edges with a sampled point strictly inside a node other than their endpoints.
fn through_nodes(sizes: &[(f64, f64)], edges: &[(usize, usize)], result: &Layout) -> usize {
    edges
        .iter()
        .zip(&result.edges)
        .filter(|((a, b), route)| {
            route.points.windows(2).any(|s| {
                (0..=32).any(|k| {
                    let t = k as f64 / 32.0;
                    let (x, y) = (
                        s[0].x + (s[1].x - s[0].x) * t,
                        s[0].y + (s[1].y - s[0].y) * t,
                    );
                    result
                        .nodes
                        .iter()
                        .zip(sizes)
                        .enumerate()
                        .any(|(i, (c, &(w, h)))| {
                            i != *a
                                && i != *b
                                && (x - c.x).abs() < w / 2.0 - 0.5
                                && (y - c.y).abs() < h / 2.0 - 0.5
                        })
                })
            })
        })
        .count()
}

/// A deterministic generated architecture of about `n` nodes shaped like real ones: workflows
/// fanning out to services, queues, topics and subscriptions, shared Google APIs (hubs), some
/// cycles (a subscription delivering back to the workflow that caused it, services starting
/// executions) and a few cross-system links. Returns node sizes (label-like widths) and edges.
pub fn architecture(n: usize, seed: u64) -> Input {
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut rand = move |below: usize| -> usize {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 33) as usize) % below.max(1)
    };
    let mut sizes: Vec<(f64, f64)> = Vec::new();
    let mut edges = Vec::new();
    let add = |sizes: &mut Vec<(f64, f64)>, rand: &mut dyn FnMut(usize) -> usize| {
        let label = 8 + rand(24);
        sizes.push((40.0 + 7.0 * label as f64, 36.0));
        sizes.len() - 1
    };
    let hubs: Vec<usize> = (0..4).map(|_| add(&mut sizes, &mut rand)).collect();
    let mut topics: Vec<usize> = Vec::new();
    let mut workflows: Vec<usize> = Vec::new();
    while sizes.len() + 12 <= n.max(16) {
        let workflow = add(&mut sizes, &mut rand);
        let job = add(&mut sizes, &mut rand);
        edges.push((job, workflow));
        let source = add(&mut sizes, &mut rand);
        let trigger = add(&mut sizes, &mut rand);
        edges.push((source, trigger));
        edges.push((trigger, workflow));
        let mut services = Vec::new();
        for _ in 0..2 + rand(3) {
            let service = add(&mut sizes, &mut rand);
            edges.push((workflow, service));
            services.push(service);
        }
        edges.push((workflow, hubs[rand(hubs.len())]));
        let queue = add(&mut sizes, &mut rand);
        let handler = add(&mut sizes, &mut rand);
        edges.push((workflow, queue));
        edges.push((queue, handler));
        edges.push((handler, hubs[rand(hubs.len())]));
        let topic = add(&mut sizes, &mut rand);
        edges.push((handler, topic));
        if rand(2) == 0 {
            // Published twice (two steps): parallel edges.
            edges.push((handler, topic));
        }
        for _ in 0..1 + rand(3) {
            let subscription = add(&mut sizes, &mut rand);
            edges.push((topic, subscription));
            let target = if rand(3) == 0 {
                workflow
            } else {
                services[rand(services.len())]
            };
            edges.push((subscription, target));
            if rand(3) == 0 {
                let dead_letter = add(&mut sizes, &mut rand);
                edges.push((subscription, dead_letter));
            }
        }
        if rand(4) == 0 {
            edges.push((services[0], workflow));
        }
        if rand(5) == 0 {
            edges.push((services[0], services[0]));
        }
        if !topics.is_empty() && rand(3) == 0 {
            edges.push((services[rand(services.len())], topics[rand(topics.len())]));
        }
        if !workflows.is_empty() && rand(4) == 0 {
            edges.push((workflow, workflows[rand(workflows.len())]));
        }
        topics.push(topic);
        workflows.push(workflow);
    }
    while sizes.len() < n {
        let lonely = add(&mut sizes, &mut rand);
        if lonely > 0 && rand(2) == 0 {
            edges.push((lonely - 1, lonely));
        }
    }
    (sizes, edges)
}
