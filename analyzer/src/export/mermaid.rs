//! Mermaid `flowchart`: node ids are positional (`n0`, `n1`, ...) because Mermaid ids cannot
//! hold every character a resource name may; names go into quoted, escaped labels.

use std::fmt::Write;

use crate::graph::{EdgeKind, Graph, NodeKind};

pub fn mermaid(graph: &Graph) -> String {
    let mut out = String::from("flowchart LR\n");
    for n in graph.nodes() {
        let node = graph.node(n);
        let label = format!("\"{}<br/>{}\"", escape(&node.name), node.kind.as_str());
        let (open, close) = match node.kind {
            NodeKind::Workflow => ("[[", "]]"),
            NodeKind::Service | NodeKind::Function | NodeKind::External => ("[", "]"),
            NodeKind::RunJob => ("[/", "\\]"),
            NodeKind::GoogleApi => ("([", "])"),
            NodeKind::Trigger => (">", "]"),
            NodeKind::EventSource => ("((", "))"),
            NodeKind::Queue => ("[(", ")]"),
            NodeKind::Topic => ("[/", "/]"),
            NodeKind::Subscription => ("[\\", "\\]"),
            NodeKind::Job => ("{{", "}}"),
            NodeKind::Unresolved => ("{", "}"),
        };
        let _ = writeln!(out, "  n{}{open}{label}{close}", n.index());
    }
    for e in graph.graph.edge_indices() {
        let Some((from, to)) = graph.graph.edge_endpoints(e) else {
            continue;
        };
        let edge = &graph.graph[e];
        let arrow = match edge.kind {
            EdgeKind::SyncCall => "-->",
            EdgeKind::DeadLetter => "-.-x",
            _ => "-.->",
        };
        let _ = writeln!(
            out,
            "  n{} {arrow}|\"{}\"| n{}",
            from.index(),
            escape(&edge.caption()),
            to.index()
        );
    }
    out
}

/// Mermaid entity codes for characters that end or break a quoted label.
fn escape(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '#' => out.push_str("#35;"),
            '|' => out.push_str("#124;"),
            '\n' | '\r' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}
