//! Graphviz DOT: shapes by node kind; sync edges solid, asynchronous dashed, schedules dotted,
//! dead letters red.

use std::fmt::Write;

use crate::graph::{EdgeKind, Graph, NodeKind};

pub fn dot(graph: &Graph) -> String {
    let mut out =
        String::from("digraph baton {\n  rankdir=LR;\n  node [fontname=\"sans-serif\"];\n");
    for n in graph.nodes() {
        let node = graph.node(n);
        let shape = match node.kind {
            NodeKind::Workflow => "box3d",
            NodeKind::Service | NodeKind::Function => "box",
            NodeKind::RunJob => "box, peripheries=2",
            NodeKind::External => "box, style=dashed",
            NodeKind::GoogleApi => "component",
            NodeKind::Trigger => "cds",
            NodeKind::EventSource => "cylinder",
            NodeKind::Queue => "box, style=rounded",
            NodeKind::Topic => "parallelogram",
            NodeKind::Subscription => "invhouse",
            NodeKind::Job => "octagon",
            NodeKind::Unresolved => "diamond, style=dashed",
        };
        let _ = writeln!(
            out,
            "  {} [label={}, shape={shape}];",
            quote(&node.id),
            quote(&format!("{}\n{}", node.name, node.kind.as_str()))
        );
    }
    for e in graph.graph.edge_indices() {
        let Some((from, to)) = graph.graph.edge_endpoints(e) else {
            continue;
        };
        let edge = &graph.graph[e];
        let style = match edge.kind {
            EdgeKind::SyncCall => "solid",
            EdgeKind::Schedule => "dotted",
            _ => "dashed",
        };
        let color = if edge.kind == EdgeKind::DeadLetter {
            ", color=red"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  {} -> {} [label={}, style={style}{color}];",
            quote(&graph.node(from).id),
            quote(&graph.node(to).id),
            quote(&edge.caption()),
        );
    }
    out.push_str("}\n");
    out
}

fn quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
