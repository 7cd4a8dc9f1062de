//! Layered (Sugiyama) layout for drawing graphs: the web app measures each node's label and
//! asks for a centre per node, a route per edge and the size of the whole drawing.
//!
//! The input is generic ([`layout`]: node sizes and directed edges as index pairs);
//! [`interaction_layout`] is the convenience for the interaction graph. The phases are the
//! classic ones, each in its own file: `rank.rs` reverses back edges (found by a depth-first
//! search) and assigns first layers (longest path, then sources pulled towards their
//! successors), which `simplex.rs` improves to the shortest total edge span (network simplex,
//! as dot ranks, within a linear work budget);
//! `order.rs` inserts a dummy item per layer crossed by a long edge and reduces crossings
//! (barycenter sweeps, adjacent swaps, best ordering kept); `place.rs` places items along each
//! layer (repeated weighted averaging of neighbours, solved exactly under the separation
//! constraints by pool-adjacent-violators); `route.rs` turns each edge into a polyline that
//! crosses every layer through its dummy's slot, so **no edge is drawn through a node**.
//! Disconnected components are laid out alone and packed in rows.
//!
//! **Invariants:** deterministic (no hash-order iteration), never panics (sizes that are not
//! finite or negative count as 0, edges with an endpoint out of range get an empty route), and
//! no phase is worse than O((V + D) log V) per sweep, where D is the number of dummy items.

mod order;
mod place;
mod rank;
mod route;
mod simplex;

use petgraph::graph::NodeIndex;

use crate::graph::Graph;

/// Which way edges flow.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Layers are rows; edges point down.
    #[default]
    TopDown,
    /// Layers are columns; edges point right.
    LeftRight,
}

/// Spacing, in the same unit as the node sizes (CSS pixels in the app).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Options {
    pub direction: Direction,
    /// Between neighbouring nodes of one layer.
    pub node_gap: f64,
    /// Between consecutive layers.
    pub layer_gap: f64,
    /// Between edges running side by side, and the size of self-loops.
    pub edge_gap: f64,
    /// Between disconnected components.
    pub component_gap: f64,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            direction: Direction::TopDown,
            node_gap: 40.0,
            layer_gap: 60.0,
            edge_gap: 12.0,
            component_gap: 60.0,
        }
    }
}

impl Options {
    pub fn with_direction(direction: Direction) -> Options {
        Options {
            direction,
            ..Options::default()
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

/// How one edge is drawn.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EdgeRoute {
    /// A polyline from the border of the source node to the border of the target node (the
    /// arrow head goes at the last point). Empty when an endpoint does not exist.
    pub points: Vec<Point>,
    /// The edge runs against the flow (it closes a cycle) or is a self-loop.
    pub back_edge: bool,
}

/// The drawing: every coordinate is in `[0, width] x [0, height]`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Layout {
    /// The centre of node `i`.
    pub nodes: Vec<Point>,
    /// The route of edge `i`.
    pub edges: Vec<EdgeRoute>,
    pub width: f64,
    pub height: f64,
    /// Items inserted where edges span several layers (the total span of the edges minus
    /// their number): how stretched the layering is, for benches.
    pub dummies: usize,
}

/// Lays out nodes of the given `(width, height)` and the directed `edges` between them
/// (indices into `sizes`). Parallel edges get distinct routes, self-loops a loop on the side
/// of their node.
pub fn layout(sizes: &[(f64, f64)], edges: &[(usize, usize)], options: &Options) -> Layout {
    layout_near(sizes, edges, options, &Previous::default())
}

/// Work per node and edge for mending old layers (see `simplex::rank_within`).
const MEND_PER_ITEM: usize = 20;

/// Old routes by their edge's ends (parallel edges in order), in top-down coordinates.
type OldRoutes = std::collections::BTreeMap<(usize, usize), Vec<Vec<(f64, f64)>>>;

/// What was drawn before, in the indices of the graph laid out now.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Previous {
    /// Where node `i` was (`None` for a node that is new).
    pub nodes: Vec<Option<Point>>,
    /// How edges were drawn, by their ends (`(source, target)`; parallel edges in order).
    pub routes: Vec<((usize, usize), Vec<Point>)>,
}

impl Previous {
    /// A layout of the same nodes and edges, as the next layout's starting point.
    pub fn of(layout: &Layout, edges: &[(usize, usize)]) -> Previous {
        Previous {
            nodes: layout.nodes.iter().copied().map(Some).collect(),
            routes: edges
                .iter()
                .zip(&layout.edges)
                .map(|(&e, r)| (e, r.points.clone()))
                .collect(),
        }
    }
}

/// Like [`layout`], for a graph that was drawn before. Nodes keep their layers, their order
/// in them and their places, and edges their course, where the change allows; components stay
/// where they were. A redraw after a small edit moves little (the live editor and the what-if
/// views depend on it), and an unchanged component not at all.
pub fn layout_near(
    sizes: &[(f64, f64)],
    edges: &[(usize, usize)],
    options: &Options,
    previous: &Previous,
) -> Layout {
    let options = sanitize_options(options);
    let n = sizes.len();
    // Work top-down: for left-right layouts swap the sizes now and the coordinates at the end.
    let sizes: Vec<(f64, f64)> = sizes
        .iter()
        .map(|&(w, h)| {
            let (w, h) = (clean(w), clean(h));
            match options.direction {
                Direction::TopDown => (w, h),
                Direction::LeftRight => (h, w),
            }
        })
        .collect();
    let components = components(n, edges);
    // Hints in top-down coordinates, like everything inside.
    let inside = |p: Point| match options.direction {
        Direction::TopDown => (p.x, p.y),
        Direction::LeftRight => (p.y, p.x),
    };
    let hints: Vec<Option<(f64, f64)>> = (0..n)
        .map(|v| {
            let (x, y) = inside(previous.nodes.get(v).copied().flatten()?);
            (x.is_finite() && y.is_finite()).then_some((x, y))
        })
        .collect();
    let mut old_routes = OldRoutes::new();
    for (ends, route) in &previous.routes {
        old_routes
            .entry(*ends)
            .or_default()
            .push(route.iter().map(|&p| inside(p)).collect());
    }
    let mut centres = vec![(0.0, 0.0); n];
    let mut routes: Vec<EdgeRoute> = vec![EdgeRoute::default(); edges.len()];
    let mut boxes = Vec::with_capacity(components.len());
    let mut placed_components = Vec::with_capacity(components.len());
    let mut anchored = Vec::with_capacity(components.len());
    let mut sizes_of = Vec::with_capacity(components.len());
    for component in &components {
        // A component drawn as before (all its nodes where a fresh layout puts them, up to a
        // shift) keeps that drawing exactly; only a changed one is laid out near the old.
        let fresh = lay_out_component(component, &sizes, edges, &options, &[], &old_routes);
        let placed = match drawn_as_before(component, &fresh, &hints) {
            true => fresh,
            false => lay_out_component(component, &sizes, edges, &options, &hints, &old_routes),
        };
        sizes_of.push(component.nodes.len());
        boxes.push((placed.width, placed.height));
        anchored.push(anchor(component, &placed, &hints));
        placed_components.push(placed);
    }
    let offsets = if anchored.iter().any(Option::is_some) {
        pack_near(&boxes, &anchored, &sizes_of, options.component_gap)
    } else {
        pack(&boxes, options.component_gap)
    };
    let (mut total_w, mut total_h) = (0.0f64, 0.0f64);
    for ((component, placed), &(dx, dy)) in components.iter().zip(&placed_components).zip(&offsets)
    {
        for (local, &node) in component.nodes.iter().enumerate() {
            let (x, y) = placed.centres[local];
            centres[node] = (x + dx, y + dy);
        }
        for (edge, route, back_edge) in &placed.routes {
            routes[*edge] = EdgeRoute {
                points: route
                    .iter()
                    .map(|&(x, y)| to_point(x + dx, y + dy, options.direction))
                    .collect(),
                back_edge: *back_edge,
            };
        }
        total_w = total_w.max(dx + placed.width);
        total_h = total_h.max(dy + placed.height);
    }
    let nodes = centres
        .iter()
        .map(|&(x, y)| to_point(x, y, options.direction))
        .collect();
    let (width, height) = match options.direction {
        Direction::TopDown => (total_w, total_h),
        Direction::LeftRight => (total_h, total_w),
    };
    Layout {
        nodes,
        edges: routes,
        width,
        height,
        dummies: placed_components.iter().map(|p| p.dummies).sum(),
    }
}

/// Lays out the interaction graph: node `i` of the result is `NodeIndex::new(i)`, edge `i` is
/// `EdgeIndex::new(i)`. `sizes` gives each node's measured `(width, height)`.
pub fn interaction_layout(
    graph: &Graph,
    sizes: impl Fn(NodeIndex) -> (f64, f64),
    options: &Options,
) -> Layout {
    let node_sizes: Vec<(f64, f64)> = graph.graph.node_indices().map(sizes).collect();
    let edges: Vec<(usize, usize)> = graph
        .graph
        .raw_edges()
        .iter()
        .map(|e| (e.source().index(), e.target().index()))
        .collect();
    layout(&node_sizes, &edges, options)
}

/// One connected component: its nodes (ascending), its edges between distinct nodes and its
/// self-loops (edge indices, ascending).
struct Component {
    nodes: Vec<usize>,
    edges: Vec<usize>,
    loops: Vec<usize>,
}

/// An edge of a component: its index in the input, its polyline, whether it is a back edge.
type PlacedRoute = (usize, Vec<(f64, f64)>, bool);

/// A component laid out on its own, top-down, with its bounding box at the origin.
struct Placed {
    centres: Vec<(f64, f64)>,
    routes: Vec<PlacedRoute>,
    width: f64,
    height: f64,
    dummies: usize,
}

fn clean(v: f64) -> f64 {
    if v.is_finite() && v > 0.0 {
        v
    } else {
        0.0
    }
}

fn sanitize_options(options: &Options) -> Options {
    Options {
        direction: options.direction,
        node_gap: clean(options.node_gap),
        layer_gap: clean(options.layer_gap),
        edge_gap: clean(options.edge_gap),
        component_gap: clean(options.component_gap),
    }
}

fn to_point(x: f64, y: f64, direction: Direction) -> Point {
    match direction {
        Direction::TopDown => Point { x, y },
        Direction::LeftRight => Point { x: y, y: x },
    }
}

/// Connected components (ignoring direction), ordered by size (largest first) then by their
/// smallest node. Cost: O(V + E α(V)).
fn components(n: usize, edges: &[(usize, usize)]) -> Vec<Component> {
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(parent: &mut [usize], mut v: usize) -> usize {
        while parent[v] != v {
            parent[v] = parent[parent[v]];
            v = parent[v];
        }
        v
    }
    for &(a, b) in edges {
        if a < n && b < n {
            let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
            if ra != rb {
                // The smaller index becomes the root, so roots do not depend on edge order.
                parent[ra.max(rb)] = ra.min(rb);
            }
        }
    }
    let mut slot = vec![usize::MAX; n];
    let mut result: Vec<Component> = Vec::new();
    for v in 0..n {
        let root = find(&mut parent, v);
        if slot[root] == usize::MAX {
            slot[root] = result.len();
            result.push(Component {
                nodes: Vec::new(),
                edges: Vec::new(),
                loops: Vec::new(),
            });
        }
        result[slot[root]].nodes.push(v);
    }
    for (e, &(a, b)) in edges.iter().enumerate() {
        if a < n && b < n {
            let component = &mut result[slot[find(&mut parent, a)]];
            if a == b {
                component.loops.push(e);
            } else {
                component.edges.push(e);
            }
        }
    }
    // Stable sort: ties keep the order of their smallest node.
    result.sort_by_key(|c| std::cmp::Reverse(c.nodes.len()));
    result
}

fn lay_out_component(
    component: &Component,
    sizes: &[(f64, f64)],
    edges: &[(usize, usize)],
    options: &Options,
    hints: &[Option<(f64, f64)>],
    old_routes: &OldRoutes,
) -> Placed {
    let mut local = std::collections::BTreeMap::new();
    for (i, &v) in component.nodes.iter().enumerate() {
        local.insert(v, i);
    }
    let index = |v: usize| local.get(&v).copied().unwrap_or(0);
    let local_sizes: Vec<(f64, f64)> = component.nodes.iter().map(|&v| sizes[v]).collect();
    let local_edges: Vec<(usize, usize)> = component
        .edges
        .iter()
        .map(|&e| (index(edges[e].0), index(edges[e].1)))
        .collect();
    let mut loops_per_node = vec![0usize; component.nodes.len()];
    let loop_nodes: Vec<usize> = component
        .loops
        .iter()
        .map(|&e| {
            let v = index(edges[e].0);
            loops_per_node[v] += 1;
            v
        })
        .collect();

    let local_hints: Vec<Option<(f64, f64)>> = component
        .nodes
        .iter()
        .map(|&v| hints.get(v).copied().flatten())
        .collect();
    let seeded = local_hints.iter().any(Option::is_some);
    // An edge drawn pointing up before is reversed again, so that one new edge does not
    // turn the choice of back edges, and with it the layers, upside down.
    let upward: Vec<bool> = local_edges
        .iter()
        .map(|&(a, b)| match (local_hints[a], local_hints[b]) {
            (Some((_, ya)), Some((_, yb))) => ya > yb,
            _ => false,
        })
        .collect();
    let oriented: Vec<(usize, usize)> = local_edges
        .iter()
        .zip(&upward)
        .map(|(&(a, b), &up)| if up { (b, a) } else { (a, b) })
        .collect();
    let reversed: Vec<bool> = rank::back_edges(local_sizes.len(), &oriented)
        .into_iter()
        .zip(&upward)
        .map(|(r, &up)| r != up)
        .collect();
    let dag: Vec<(usize, usize)> = local_edges
        .iter()
        .zip(&reversed)
        .map(|(&(a, b), &r)| if r { (b, a) } else { (a, b) })
        .collect();
    // Near an old drawing, its layers stay (pushed down where an edge needs it) and are only
    // mended, with a small budget, rather than optimised again from scratch.
    let n = local_sizes.len();
    let layers = match seeded {
        true => {
            let old = rank::seeded_layers(n, &dag, &levels(&local_hints));
            simplex::rank_within(n, &dag, &old, MEND_PER_ITEM)
        }
        false => simplex::rank(n, &dag, &rank::layers(n, &dag)),
    };
    let mut graph =
        order::LayeredGraph::build(&local_sizes, &loops_per_node, &dag, &layers, options);
    let along = match seeded {
        true => {
            let keys = old_places(&graph, component, edges, &local_hints, old_routes);
            graph.seed_order(&keys);
            keys
        }
        false => Vec::new(),
    };
    order::reduce_crossings(&mut graph, seeded);
    let xs = place::coordinates(&graph, options, seeded.then_some(&along[..]));
    let routed = route::routes(&graph, &xs, &local_sizes, &reversed, &loop_nodes, options);

    // Bounding box of nodes (with their self-loops) and routes, moved to the origin.
    let (mut min_x, mut min_y, mut max_x, mut max_y) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for (i, &(x, y)) in routed.centres.iter().enumerate() {
        let (w, h) = local_sizes[i];
        min_x = min_x.min(x - w / 2.0);
        max_x = max_x.max(x + w / 2.0);
        min_y = min_y.min(y - h / 2.0);
        max_y = max_y.max(y + h / 2.0);
    }
    for route in routed.edges.iter().chain(&routed.loops) {
        for &(x, y) in route {
            min_x = min_x.min(x);
            max_x = max_x.max(x);
            min_y = min_y.min(y);
            max_y = max_y.max(y);
        }
    }
    if min_x > max_x {
        (min_x, min_y, max_x, max_y) = (0.0, 0.0, 0.0, 0.0);
    }
    let shift = |route: &[(f64, f64)]| -> Vec<(f64, f64)> {
        route.iter().map(|&(x, y)| (x - min_x, y - min_y)).collect()
    };
    let mut routes = Vec::with_capacity(component.edges.len() + component.loops.len());
    for (k, &e) in component.edges.iter().enumerate() {
        let route = routed.edges.get(k).map(|r| shift(r)).unwrap_or_default();
        routes.push((e, route, reversed.get(k).copied().unwrap_or(false)));
    }
    for (k, &e) in component.loops.iter().enumerate() {
        let route = routed.loops.get(k).map(|r| shift(r)).unwrap_or_default();
        routes.push((e, route, true));
    }
    Placed {
        dummies: graph.items.len() - local_sizes.len(),
        centres: routed
            .centres
            .iter()
            .map(|&(x, y)| (x - min_x, y - min_y))
            .collect(),
        routes,
        width: max_x - min_x,
        height: max_y - min_y,
    }
}

/// Where each item of the layered graph was along its layer before: real nodes from their
/// hints, dummies from the old route of their edge at the height their layer was drawn at.
fn old_places(
    graph: &order::LayeredGraph,
    component: &Component,
    edges: &[(usize, usize)],
    hints: &[Option<(f64, f64)>],
    old_routes: &OldRoutes,
) -> Vec<Option<f64>> {
    let mut keys: Vec<Option<f64>> = (0..graph.items.len())
        .map(|v| hints.get(v).copied().flatten().map(|(x, _)| x))
        .collect();
    // The height each layer was drawn at: the median old height of its hinted nodes.
    let mut heights: Vec<Vec<f64>> = vec![Vec::new(); graph.layers.len()];
    for (v, hint) in hints.iter().enumerate() {
        if let (Some((_, y)), Some(item)) = (hint, graph.items.get(v)) {
            heights[item.layer].push(*y);
        }
    }
    let heights: Vec<Option<f64>> = heights
        .into_iter()
        .map(|mut ys| {
            ys.sort_by(f64::total_cmp);
            ys.get(ys.len() / 2).copied()
        })
        .collect();
    // Parallel edges take the old routes of their ends in order.
    let mut used: std::collections::BTreeMap<(usize, usize), usize> = Default::default();
    for (k, chain) in graph.chains.iter().enumerate() {
        let Some(&e) = component.edges.get(k) else {
            continue;
        };
        let ends = edges[e];
        let nth = used.entry(ends).or_default();
        let route = old_routes.get(&ends).and_then(|r| r.get(*nth));
        *nth += 1;
        let Some(route) = route else {
            continue;
        };
        for &d in chain.iter().skip(1).take(chain.len().saturating_sub(2)) {
            let y = heights.get(graph.items[d].layer).copied().flatten();
            keys[d] = y.and_then(|y| x_at(route, y));
        }
    }
    keys
}

/// Where a polyline crosses height `y` first.
fn x_at(route: &[(f64, f64)], y: f64) -> Option<f64> {
    route.windows(2).find_map(|s| {
        let ((x0, y0), (x1, y1)) = (s[0], s[1]);
        let (lo, hi) = (y0.min(y1), y0.max(y1));
        if y < lo || y > hi {
            return None;
        }
        Some(if (y1 - y0).abs() < 1e-9 {
            x0
        } else {
            x0 + (x1 - x0) * (y - y0) / (y1 - y0)
        })
    })
}

/// The layer each hinted node was drawn in: its rank among the distinct `y` of the hints.
fn levels(hints: &[Option<(f64, f64)>]) -> Vec<Option<usize>> {
    let key = |y: f64| (y * 4.0).round() as i64;
    let mut ys: Vec<i64> = hints.iter().flatten().map(|&(_, y)| key(y)).collect();
    ys.sort_unstable();
    ys.dedup();
    hints
        .iter()
        .map(|h| h.map(|(_, y)| ys.partition_point(|&l| l < key(y))))
        .collect()
}

/// True when every node of `component` has a hint and the hints are `placed` shifted.
fn drawn_as_before(component: &Component, placed: &Placed, hints: &[Option<(f64, f64)>]) -> bool {
    let mut shift = None;
    component.nodes.iter().enumerate().all(|(local, &v)| {
        let (Some((x, y)), Some(&(px, py))) =
            (hints.get(v).copied().flatten(), placed.centres.get(local))
        else {
            return false;
        };
        let (dx, dy) = *shift.get_or_insert((x - px, y - py));
        (x - px - dx).abs() < 1e-6 && (y - py - dy).abs() < 1e-6
    })
}

/// Where a component goes so that its hinted nodes move least: the median of their
/// displacements, so that the few nodes a change moves far do not drag the rest (`None`
/// without hints).
fn anchor(
    component: &Component,
    placed: &Placed,
    hints: &[Option<(f64, f64)>],
) -> Option<(f64, f64)> {
    let (mut dx, mut dy): (Vec<f64>, Vec<f64>) = component
        .nodes
        .iter()
        .zip(&placed.centres)
        .filter_map(|(&v, &(px, py))| {
            let (x, y) = hints.get(v).copied().flatten()?;
            Some((x - px, y - py))
        })
        .unzip();
    let median = |values: &mut Vec<f64>| {
        values.sort_by(f64::total_cmp);
        values[values.len() / 2]
    };
    (!dx.is_empty()).then(|| (median(&mut dx), median(&mut dy)))
}

/// Components at their anchors, those with most nodes first, each where it was or at the
/// nearest free spot (so the fewest nodes move); components without an anchor are
/// shelf-packed below. Returns each box's top-left.
fn pack_near(
    boxes: &[(f64, f64)],
    anchors: &[Option<(f64, f64)>],
    nodes: &[usize],
    gap: f64,
) -> Vec<(f64, f64)> {
    let mut offsets = vec![(0.0, 0.0); boxes.len()];
    let mut placed: Vec<(f64, f64, f64, f64)> = Vec::new();
    let mut order: Vec<usize> = (0..boxes.len()).filter(|&i| anchors[i].is_some()).collect();
    order.sort_by(|&a, &b| {
        let (ya, yb) = (
            anchors[a].map_or(0.0, |p| p.1),
            anchors[b].map_or(0.0, |p| p.1),
        );
        nodes[b]
            .cmp(&nodes[a])
            .then(ya.total_cmp(&yb))
            .then(a.cmp(&b))
    });
    let overlaps = |(x, y, w, h): (f64, f64, f64, f64), p: &(f64, f64, f64, f64)| {
        x < p.0 + p.2 + gap && p.0 < x + w + gap && y < p.1 + p.3 + gap && p.1 < y + h + gap
    };
    for i in order {
        // Inside the drawing: a component that would stick out left or up is moved in
        // (moving everything else out instead would move every unchanged node).
        let (ax, ay) = anchors[i].unwrap_or_default();
        let (ax, ay) = (ax.max(0.0), ay.max(0.0));
        let (w, h) = boxes[i];
        let free = |x: f64, y: f64| {
            x >= 0.0 && y >= 0.0 && !placed.iter().any(|p| overlaps((x, y, w, h), p))
        };
        let (x, y) = if free(ax, ay) {
            (ax, ay)
        } else {
            // The nearest free spot beside, above or below a placed box; below everything
            // as a last resort.
            let bottom = placed.iter().map(|p| p.1 + p.3 + gap).fold(0.0, f64::max);
            placed
                .iter()
                .flat_map(|p| {
                    [
                        (p.0 - w - gap, ay),
                        (p.0 + p.2 + gap, ay),
                        (ax, p.1 - h - gap),
                        (ax, p.1 + p.3 + gap),
                    ]
                })
                .filter(|&(x, y)| free(x, y))
                .min_by(|a, b| {
                    let d = |(x, y): (f64, f64)| (x - ax).hypot(y - ay);
                    d(*a).total_cmp(&d(*b))
                })
                .unwrap_or((ax, bottom))
        };
        placed.push((x, y, w, h));
        offsets[i] = (x, y);
    }
    let rest: Vec<usize> = (0..boxes.len()).filter(|&i| anchors[i].is_none()).collect();
    if !rest.is_empty() {
        let bottom = placed.iter().map(|p| p.1 + p.3 + gap).fold(0.0, f64::max);
        let shelf: Vec<(f64, f64)> = rest.iter().map(|&i| boxes[i]).collect();
        for (&i, (x, y)) in rest.iter().zip(pack(&shelf, gap)) {
            offsets[i] = (x, bottom + y);
        }
    }
    offsets
}

/// Shelf packing: components in rows, each row as wide as the widest component or about the
/// side of a square holding them all, whichever is larger. Returns each box's top-left.
fn pack(boxes: &[(f64, f64)], gap: f64) -> Vec<(f64, f64)> {
    let widest = boxes.iter().map(|b| b.0).fold(0.0, f64::max);
    let area: f64 = boxes.iter().map(|b| (b.0 + gap) * (b.1 + gap)).sum();
    let row_width = widest.max(area.sqrt() * 1.5);
    let mut offsets = Vec::with_capacity(boxes.len());
    let (mut x, mut y, mut row_height) = (0.0f64, 0.0f64, 0.0f64);
    for &(w, h) in boxes {
        if x > 0.0 && x + w > row_width {
            x = 0.0;
            y += row_height + gap;
            row_height = 0.0;
        }
        offsets.push((x, y));
        x += w + gap;
        row_height = row_height.max(h);
    }
    offsets
}
