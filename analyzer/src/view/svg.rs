//! The scene as SVG text: one renderer for the live view (set as the view's markup, events by
//! delegation on `data-node-id`) and for export (standalone, with its styles inside). Every
//! name goes through [`escape`], so no input can add markup or script.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use crate::graph::NodeKind;
use crate::layout::Point;

use petgraph::graph::EdgeIndex;

use super::folders;
use super::key::SceneKey;
use super::place::Place;
use super::scene::{cut, label, Scene, SceneEdgeKind, SceneKind, SceneNode, MAX_SUMMARY};
use crate::{Report, RuleId, Severity, Subject};

/// Per-node decorations and what is highlighted.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Marks {
    pub highlighted_nodes: BTreeSet<SceneKey>,
    pub highlighted_edges: BTreeSet<EdgeIndex>,
    /// The nodes matching the search, while there is one: the others are dimmed.
    pub matches: Option<BTreeSet<SceneKey>>,
    pub selected: Option<SceneKey>,
    /// `(errors, warnings, infos)` per node.
    pub findings: BTreeMap<SceneKey, (usize, usize, usize)>,
    /// Nodes outlined as single points of failure.
    pub spof: BTreeSet<SceneKey>,
    /// Coupling heat per node in `[0, 1]`, when the overlay is on.
    pub heat: Option<BTreeMap<SceneKey, f64>>,
}

impl Marks {
    /// The marks of the findings alone (no selection, search or overlay): per node its
    /// findings by severity, and the single points of failure outlined. `places[i]` is where
    /// finding `i` of `report` is drawn.
    pub fn of_findings(report: &Report, places: &[Place]) -> Marks {
        let mut marks = Marks::default();
        for (d, place) in report.findings.iter().zip(places) {
            for key in &place.nodes {
                let c = marks.findings.entry(key.clone()).or_default();
                match d.severity {
                    Severity::Error => c.0 += 1,
                    Severity::Warning => c.1 += 1,
                    Severity::Info => c.2 += 1,
                }
            }
            if let (RuleId::SinglePointOfFailure, Subject::Node(n)) = (d.rule, d.subject) {
                marks.spof.extend(SceneKey::of_node(report, n));
            }
        }
        marks
    }

    /// True when a search is on and `node` does not match it (a closed folder matches when
    /// one of its nodes does).
    fn dimmed(&self, node: &SceneNode) -> bool {
        self.matches
            .as_ref()
            .is_some_and(|m| !any_member(node, |key| m.contains(key)))
    }

    /// `(errors, warnings, infos)` on `node`, or on the nodes of a closed folder.
    fn findings_on(&self, node: &SceneNode) -> (usize, usize, usize) {
        let of = |key: &SceneKey| self.findings.get(key).copied().unwrap_or_default();
        match &node.kind {
            SceneKind::Folder { members, .. } => members
                .iter()
                .map(of)
                .fold((0, 0, 0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2)),
            _ => of(&node.key),
        }
    }
}

/// Whether `test` holds for `node`, or for one of the nodes of a closed folder.
fn any_member(node: &SceneNode, test: impl Fn(&SceneKey) -> bool) -> bool {
    match &node.kind {
        SceneKind::Folder { members, .. } => test(&node.key) || members.iter().any(test),
        _ => test(&node.key),
    }
}

/// The live view's SVG (styled by the page's CSS).
pub fn render(scene: &Scene, marks: &Marks) -> String {
    draw(scene, marks, false)
}

/// A standalone SVG document of the whole graph, with its styles and legend inside: what the
/// app exports and `baton graph --format svg` writes.
pub fn standalone(scene: &Scene, marks: &Marks) -> String {
    draw(scene, marks, true)
}

const PAD: f64 = 24.0;

/// What each node shape and edge style means: the app's legend panel and the legend of a
/// standalone SVG are drawn from these.
pub const LEGEND_NODES: &[(NodeKind, &str)] = &[
    (NodeKind::Workflow, "workflow (double-click: steps)"),
    (NodeKind::Service, "Cloud Run service"),
    (NodeKind::Function, "Cloud Function"),
    (NodeKind::RunJob, "Cloud Run job"),
    (NodeKind::Trigger, "Eventarc trigger"),
    (NodeKind::EventSource, "event source"),
    (NodeKind::Queue, "Cloud Tasks queue"),
    (NodeKind::Topic, "Pub/Sub topic"),
    (NodeKind::Subscription, "subscription"),
    (NodeKind::Job, "Scheduler job"),
    (NodeKind::GoogleApi, "Google API"),
    (NodeKind::External, "external endpoint"),
    (NodeKind::Unresolved, "unresolved target"),
];

/// Edge classes and what they mean (see [`LEGEND_NODES`]).
pub const LEGEND_EDGES: &[(&str, &str)] = &[
    ("sync-call", "synchronous call"),
    ("publish", "asynchronous (event, message, task)"),
    ("schedule", "schedule"),
    ("dead-letter", "dead letter"),
];

/// The legend's height in pixels.
pub fn legend_height() -> f64 {
    (LEGEND_NODES.len() * 24 + LEGEND_EDGES.len() * 22 + 16) as f64
}

/// The legend's shapes and lines with their texts, with its top-left at the origin.
pub fn legend() -> String {
    let mut out = String::new();
    for (i, (kind, text)) in LEGEND_NODES.iter().enumerate() {
        let _ = write!(
            out,
            r#"<g class="node node-{kind}" transform="translate(4,{y})"><rect class="shape" width="26" height="18" rx="4"></rect><text class="name" x="36" y="13">{text}</text></g>"#,
            kind = kind.as_str(),
            y = 6 + i * 24,
        );
    }
    for (i, (kind, text)) in LEGEND_EDGES.iter().enumerate() {
        let y = 6 + LEGEND_NODES.len() * 24 + i * 22 + 10;
        let _ = write!(
            out,
            r#"<g><path class="edge edge-{kind}" d="M4 {y}H30"></path><text class="legend-text" x="36" y="{ty}">{text}</text></g>"#,
            ty = y + 4,
        );
    }
    out
}

fn draw(scene: &Scene, marks: &Marks, standalone: bool) -> String {
    // A standalone file carries its legend below the drawing.
    let legend_space = if standalone {
        legend_height() + PAD
    } else {
        0.0
    };
    let (w, h) = (
        (scene.width + 2.0 * PAD).max(if standalone { 260.0 } else { 0.0 }),
        scene.height + 2.0 * PAD + legend_space,
    );
    let mut out = String::with_capacity(256 + scene.nodes.len() * 600);
    if standalone {
        out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    }
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="baton-graph" width="{w:.0}" height="{h:.0}" viewBox="{x:.0} {x:.0} {w:.0} {h:.0}" role="img" aria-label="Architecture graph: {n} nodes, {e} edges">"#,
        x = -PAD,
        n = scene.nodes.len(),
        e = scene.edges.len()
    );
    if standalone {
        let _ = write!(out, "<style>{STANDALONE_CSS}</style><rect class=\"background\" x=\"{x:.0}\" y=\"{x:.0}\" width=\"{w:.0}\" height=\"{h:.0}\"/>", x = -PAD);
    }
    out.push_str(MARKERS);
    out.push_str("<g class=\"groups\">");
    for g in &scene.groups {
        let _ = write!(
            out,
            r#"<g class="group" data-group-id="{id}"><rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" rx="10"/><text x="{tx:.1}" y="{ty:.1}">{name}</text></g>"#,
            id = escape(&g.token),
            x = g.min.x,
            y = g.min.y,
            w = g.max.x - g.min.x,
            h = g.max.y - g.min.y,
            tx = g.min.x + 10.0,
            ty = g.min.y + 15.0,
            name = escape(&label(&g.name)),
        );
    }
    out.push_str("</g><g class=\"edges\">");
    for (i, edge) in scene.edges.iter().enumerate() {
        if edge.points.len() < 2 {
            continue;
        }
        let kind = edge.kind.as_str();
        let mut class = format!("edge edge-{kind}");
        if edge.soft {
            class.push_str(" soft");
        }
        let highlighted = edge
            .graph_edge
            .is_some_and(|e| marks.highlighted_edges.contains(&e));
        if highlighted {
            class.push_str(" highlighted");
        }
        let (from, to) = (&scene.nodes[edge.from], &scene.nodes[edge.to]);
        if marks.dimmed(from) && marks.dimmed(to) {
            class.push_str(" dimmed");
        }
        let marker = match edge.kind {
            SceneEdgeKind::Interaction(crate::graph::EdgeKind::DeadLetter) => "dead",
            _ => "arrow",
        };
        let _ = write!(
            out,
            r#"<path class="{class}" data-edge-kind="{kind}" data-edge-index="{i}"{graph_edge} data-edge-from="{source}" data-edge-to="{target}" d="{d}" marker-end="url(#baton-{marker})"><title>{title}</title></path>"#,
            graph_edge = edge
                .graph_edge
                .map(|e| format!(r#" data-edge-id="{}""#, e.index()))
                .unwrap_or_default(),
            source = escape(&from.token),
            target = escape(&to.token),
            d = path(&edge.points),
            title = escape(&format!("{} → {}: {}", from.name, to.name, edge.label)),
        );
    }
    out.push_str("</g><g class=\"nodes\">");
    for node in &scene.nodes {
        draw_node(&mut out, node, marks);
    }
    out.push_str("</g>");
    if standalone {
        let _ = write!(
            out,
            r#"<g class="legend" transform="translate(0,{y:.0})">{legend}</g>"#,
            y = scene.height + PAD,
            legend = legend(),
        );
    }
    out.push_str("</svg>");
    out
}

fn draw_node(out: &mut String, node: &SceneNode, marks: &Marks) {
    let kind = node.kind_str();
    let mut class = format!("node node-{kind}");
    if let SceneKind::Step { reachable: false } = node.kind {
        class.push_str(" unreachable");
    }
    if any_member(node, |key| marks.highlighted_nodes.contains(key)) {
        class.push_str(" highlighted");
    }
    if marks.selected.as_ref() == Some(&node.key) {
        class.push_str(" selected");
    }
    if marks.spof.contains(&node.key) {
        class.push_str(" spof");
    }
    match &marks.matches {
        Some(_) if marks.dimmed(node) => class.push_str(" dimmed"),
        Some(_) => class.push_str(" match"),
        None => {}
    }
    let (w, h) = (node.width, node.height);
    let (x, y) = (node.centre.x - w / 2.0, node.centre.y - h / 2.0);
    let rx = match node.kind {
        SceneKind::Node(NodeKind::GoogleApi | NodeKind::EventSource) => h / 2.0,
        SceneKind::Node(NodeKind::Queue | NodeKind::Topic | NodeKind::Subscription) => 4.0,
        SceneKind::Step { .. } => 6.0,
        SceneKind::Folder { .. } => 3.0,
        _ => 8.0,
    };
    let heat = marks
        .heat
        .as_ref()
        .and_then(|heat| heat.get(&node.key))
        .map(|v| format!(" heat-{}", heat_level(*v)))
        .unwrap_or_default();
    let _ = write!(
        out,
        r#"<g class="{class}" data-node-id="{id}" data-kind="{kind}" data-name="{name}" transform="translate({x:.1},{y:.1})" tabindex="-1"><title>{title}</title><rect class="shape{heat}" width="{w:.1}" height="{h:.1}" rx="{rx:.1}"/>"#,
        id = escape(&node.token),
        name = escape(&node.name),
        title = escape(&match &node.kind {
            SceneKind::Folder {
                path,
                members,
                kinds,
            } => format!(
                "{path}: {} nodes ({}); double-click to open",
                members.len(),
                folders::summary(kinds)
            ),
            _ => format!("{} ({kind})", node.name),
        }),
    );
    match &node.kind {
        SceneKind::Node(k) => {
            let _ = write!(
                out,
                r#"<text class="badge" x="10" y="18">{badge}</text><text class="name" x="10" y="35">{name}</text>"#,
                badge = badge(*k),
                name = escape(&label(&node.name)),
            );
        }
        SceneKind::Step { .. } => {
            let _ = write!(
                out,
                r#"<text class="name" x="10" y="{ty:.1}">{name}</text>"#,
                ty = h / 2.0 + 4.5,
                name = escape(&label(&node.name)),
            );
        }
        SceneKind::Folder { members, kinds, .. } => {
            let _ = write!(
                out,
                r#"<text class="badge" x="10" y="17">▤ {n} nodes</text><text class="name" x="10" y="35">{name}</text><text class="summary" x="10" y="52">{summary}</text>"#,
                n = members.len(),
                name = escape(&label(&node.name)),
                summary = escape(&cut(&folders::summary(kinds), MAX_SUMMARY)),
            );
        }
    }
    {
        let (errors, warnings, infos) = marks.findings_on(node);
        let (severity, count) = if errors > 0 {
            ("error", errors)
        } else if warnings > 0 {
            ("warning", warnings)
        } else {
            ("info", infos)
        };
        if count > 0 {
            let _ = write!(
                out,
                r#"<g class="count count-{severity}" transform="translate({cx:.1},0)"><circle r="9"/><text y="4">{count}</text></g>"#,
                cx = w,
            );
        }
    }
    out.push_str("</g>");
}

/// Short kind tags: legible at any size, no icon font needed.
pub fn badge(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Workflow => "WORKFLOW",
        NodeKind::Service => "CLOUD RUN",
        NodeKind::Function => "FUNCTION",
        NodeKind::RunJob => "CLOUD RUN JOB",
        NodeKind::External => "EXTERNAL",
        NodeKind::GoogleApi => "GOOGLE API",
        NodeKind::Trigger => "EVENTARC",
        NodeKind::EventSource => "EVENT SOURCE",
        NodeKind::Queue => "TASK QUEUE",
        NodeKind::Topic => "TOPIC",
        NodeKind::Subscription => "SUBSCRIPTION",
        NodeKind::Job => "SCHEDULER",
        NodeKind::Unresolved => "UNRESOLVED",
    }
}

/// A polyline with rounded corners.
fn path(points: &[Point]) -> String {
    let mut d = String::new();
    let Some(first) = points.first() else {
        return d;
    };
    let _ = write!(d, "M{:.1} {:.1}", first.x, first.y);
    for i in 1..points.len() {
        let p = points[i];
        match points.get(i + 1) {
            Some(next) if i + 1 < points.len() => {
                let prev = points[i - 1];
                let r = 8.0_f64.min(dist(prev, p) / 2.0).min(dist(p, *next) / 2.0);
                let a = toward(p, prev, r);
                let b = toward(p, *next, r);
                let _ = write!(
                    d,
                    " L{:.1} {:.1} Q{:.1} {:.1} {:.1} {:.1}",
                    a.x, a.y, p.x, p.y, b.x, b.y
                );
            }
            _ => {
                let _ = write!(d, " L{:.1} {:.1}", p.x, p.y);
            }
        }
    }
    d
}

fn dist(a: Point, b: Point) -> f64 {
    ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt()
}

/// The point `r` away from `from` toward `to`.
fn toward(from: Point, to: Point, r: f64) -> Point {
    let d = dist(from, to);
    if d == 0.0 {
        return from;
    }
    Point {
        x: from.x + (to.x - from.x) * r / d,
        y: from.y + (to.y - from.y) * r / d,
    }
}

/// Coupling heat in six steps (`heat-0` pale to `heat-5` deep red, see `graph.css`): classes,
/// not inline styles, which the page's CSP forbids.
fn heat_level(v: f64) -> u8 {
    let v = if v.is_finite() {
        v.clamp(0.0, 1.0)
    } else {
        0.0
    };
    (v * 5.0).round() as u8
}

/// Text and attribute escaping: after it, a name is only text.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

const MARKERS: &str = r#"<defs><marker id="baton-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" class="marker"/></marker><marker id="baton-dead" viewBox="0 0 10 10" refX="5" refY="5" markerWidth="9" markerHeight="9" orient="auto"><path d="M1 1L9 9M9 1L1 9" class="marker-dead"/></marker></defs>"#;

/// The light theme of `style.css`, for SVG files opened outside the app.
const STANDALONE_CSS: &str = include_str!("graph.css");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounded_paths_keep_their_ends() {
        let points = [
            Point { x: 0.0, y: 0.0 },
            Point { x: 0.0, y: 50.0 },
            Point { x: 40.0, y: 50.0 },
        ];
        let d = path(&points);
        assert!(d.starts_with("M0.0 0.0"));
        assert!(d.ends_with("L40.0 50.0"));
        assert!(d.contains('Q'));
    }
}
