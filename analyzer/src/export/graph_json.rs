//! `{"nodes":[{"id","kind","name","project","location","file","line"}],"edges":[{"from","to","kind"}]}`
//! plus details (labels, locations, whether a node is defined or only referenced). `project`
//! and `location` are `null` where the input does not say them; `address` and `root` are
//! Terraform's, for resources read from `.tf` files.

use serde_json::{json, Value};

use super::path;
use crate::graph::{Attempts, Graph};
use crate::source::SourceFile;

pub fn graph_json(graph: &Graph, files: &[SourceFile]) -> Value {
    let nodes: Vec<Value> = graph
        .nodes()
        .map(|n| {
            let node = graph.node(n);
            json!({
                "id": node.id,
                "kind": node.kind.as_str(),
                "name": node.name,
                "project": node.project,
                "location": node.location,
                "file": path(files, node.loc),
                "line": node.loc.line,
                "defined": node.resource.is_some(),
                "address": node.terraform.as_ref().map(|t| &t.address),
                "root": node.terraform.as_ref().map(|t| &t.root),
            })
        })
        .collect();
    let edges: Vec<Value> = graph
        .graph
        .edge_indices()
        .filter_map(|e| {
            let (from, to) = graph.graph.edge_endpoints(e)?;
            let edge = &graph.graph[e];
            Some(json!({
                "from": graph.node(from).id,
                "to": graph.node(to).id,
                "kind": edge.kind.as_str(),
                "label": edge.label,
                "file": path(files, edge.loc),
                "line": edge.loc.line,
                "step": edge.step.as_ref().map(|s| &s.name),
                "attempts": match edge.attempts {
                    Attempts::Finite(n) => json!(n),
                    Attempts::Unlimited => json!("unlimited"),
                },
                "soft": edge.soft,
                // The object event a storage edge is about (`finalized`, `deleted`...).
                "fires": edge.fires,
            }))
        })
        .collect();
    json!({ "nodes": nodes, "edges": edges })
}
