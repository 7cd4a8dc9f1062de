//! Graphviz dot and dagre on the bench's graphs, for `--compare`: the same sizes and gaps,
//! their drawings read back as centres and polylines. Times are theirs as measured in the same
//! run (dot: the whole process, which is how it is used; dagre: `layout()` inside node).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use baton_analyzer::layout::{Options, Point};
use serde_json::Value;

use super::{Drawing, Input};

const DPI: f64 = 72.0;

pub fn others(input: &Input) -> Vec<(&'static str, Result<Drawing, String>)> {
    vec![("dot", dot(input)), ("dagre", dagre(input))]
}

fn run(mut command: Command, stdin: &[u8]) -> Result<(Vec<u8>, f64), String> {
    let start = Instant::now();
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run it ({e}); scripts/layout-compare.sh installs it"))?;
    let mut input = child.stdin.take().ok_or("no stdin")?;
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || input.write_all(&data));
    let output = child.wait_with_output().map_err(|e| e.to_string())?;
    let millis = start.elapsed().as_secs_f64() * 1e3;
    let _ = writer.join();
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).into_owned());
    }
    Ok((output.stdout, millis))
}

fn dot(input: &Input) -> Result<Drawing, String> {
    let (sizes, edges) = input;
    let o = Options::default();
    let mut text = format!(
        "digraph G {{ graph [nodesep={:.4}, ranksep={:.4}]; node [shape=box, fixedsize=true, label=\"\"];\n",
        o.node_gap / DPI,
        o.layer_gap / DPI
    );
    for (i, (w, h)) in sizes.iter().enumerate() {
        text.push_str(&format!(
            "n{i} [width={:.4}, height={:.4}];\n",
            w / DPI,
            h / DPI
        ));
    }
    for (a, b) in edges {
        text.push_str(&format!("n{a} -> n{b};\n"));
    }
    text.push_str("}\n");
    let (out, millis) = run(
        {
            let mut c = Command::new("dot");
            c.arg("-Tplain");
            c
        },
        text.as_bytes(),
    )?;
    let out = String::from_utf8_lossy(&out);
    let mut nodes = vec![Point::default(); sizes.len()];
    let mut routes: Vec<Vec<Point>> = Vec::new();
    let (mut width, mut height) = (0.0, 0.0);
    let index = |name: &str| name.trim_start_matches('n').parse::<usize>().ok();
    for line in out.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        let num = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0) * DPI;
        match f.first() {
            Some(&"graph") => (width, height) = (num(2), num(3)),
            Some(&"node") => {
                if let Some(i) = f.get(1).and_then(|n| index(n)) {
                    nodes[i] = Point {
                        x: num(2),
                        y: num(3),
                    };
                }
            }
            Some(&"edge") => {
                let count = f.get(3).and_then(|v| v.parse::<usize>().ok()).unwrap_or(0);
                let controls: Vec<Point> = (0..count)
                    .map(|k| Point {
                        x: num(4 + 2 * k),
                        y: num(5 + 2 * k),
                    })
                    .collect();
                routes.push(bezier(&controls));
            }
            _ => {}
        }
    }
    // `-Tplain` lists edges in input order.
    routes.resize(edges.len(), Vec::new());
    let dummies = dummies_by_levels(edges, &nodes);
    Ok(Drawing {
        nodes,
        edges: routes,
        width,
        height,
        dummies,
        millis,
    })
}

/// Cubic Bézier pieces (dot's control points: 3k + 1 of them) sampled into a polyline.
fn bezier(c: &[Point]) -> Vec<Point> {
    if c.len() < 4 {
        return c.to_vec();
    }
    let mut out = vec![c[0]];
    for i in (0..c.len() - 3).step_by(3) {
        let (p0, p1, p2, p3) = (c[i], c[i + 1], c[i + 2], c[i + 3]);
        for k in 1..=8 {
            let t = k as f64 / 8.0;
            let u = 1.0 - t;
            let (a, b, cc, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
            out.push(Point {
                x: a * p0.x + b * p1.x + cc * p2.x + d * p3.x,
                y: a * p0.y + b * p1.y + cc * p2.y + d * p3.y,
            });
        }
    }
    out
}

/// Dummies of a layered drawing read from its levels: each distinct node `y` is a layer.
fn dummies_by_levels(edges: &[(usize, usize)], nodes: &[Point]) -> usize {
    let mut levels: Vec<f64> = nodes.iter().map(|p| (p.y * 10.0).round() / 10.0).collect();
    levels.sort_by(f64::total_cmp);
    levels.dedup();
    let rank = |y: f64| levels.partition_point(|&l| l < (y * 10.0).round() / 10.0 - 0.05);
    edges
        .iter()
        .map(|&(a, b)| {
            rank(nodes[a].y)
                .abs_diff(rank(nodes[b].y))
                .saturating_sub(1)
        })
        .sum()
}

const DAGRE_SCRIPT: &str = r#"
const path = require('path');
const dagre = require(path.resolve(process.env.DAGRE_TOOLS, 'node_modules/@dagrejs/dagre'));
const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const g = new dagre.graphlib.Graph({ multigraph: true });
g.setGraph({ nodesep: input.nodesep, ranksep: input.ranksep, edgesep: input.edgesep });
g.setDefaultEdgeLabel(() => ({}));
input.sizes.forEach(([w, h], i) => g.setNode(String(i), { width: w, height: h }));
input.edges.forEach(([a, b], i) => g.setEdge(String(a), String(b), {}, 'e' + i));
const start = performance.now();
dagre.layout(g);
const millis = performance.now() - start;
const nodes = input.sizes.map((_, i) => { const n = g.node(String(i)); return [n.x, n.y]; });
const edges = input.edges.map(([a, b], i) => (g.edge(String(a), String(b), 'e' + i).points || []).map(p => [p.x, p.y]));
const graph = g.graph();
process.stdout.write(JSON.stringify({ millis, nodes, edges, width: graph.width, height: graph.height }));
"#;

fn dagre(input: &Input) -> Result<Drawing, String> {
    let (sizes, edges) = input;
    let tools = Path::new(env!("CARGO_MANIFEST_DIR")).join(".tools");
    if !tools.join("node_modules/@dagrejs/dagre").exists() {
        return Err("not installed; scripts/layout-compare.sh installs it".into());
    }
    let o = Options::default();
    let json = serde_json::json!({
        "sizes": sizes, "edges": edges,
        "nodesep": o.node_gap, "ranksep": o.layer_gap, "edgesep": o.edge_gap,
    });
    let (out, _) = run(
        {
            let mut c = Command::new("node");
            c.args(["--stack-size=65500", "-e", DAGRE_SCRIPT])
                .env("DAGRE_TOOLS", &tools);
            c
        },
        json.to_string().as_bytes(),
    )?;
    let v: Value = serde_json::from_slice(&out).map_err(|e| e.to_string())?;
    let point = |p: &Value| Point {
        x: p[0].as_f64().unwrap_or(0.0),
        y: p[1].as_f64().unwrap_or(0.0),
    };
    let nodes: Vec<Point> = v["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(point)
        .collect();
    let routes: Vec<Vec<Point>> = v["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| e.as_array().into_iter().flatten().map(point).collect())
        .collect();
    let dummies = dummies_by_levels(edges, &nodes);
    Ok(Drawing {
        nodes,
        edges: routes,
        width: v["width"].as_f64().unwrap_or(0.0),
        height: v["height"].as_f64().unwrap_or(0.0),
        dummies,
        millis: v["millis"].as_f64().unwrap_or(0.0),
    })
}
