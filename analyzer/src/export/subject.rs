//! A finding's subject for people (the name of what it is about) and for tools (which node,
//! edge or step, by the graph's stable ids).

use serde_json::{json, Value};

use crate::diagnostic::{StepRef, Subject, SubworkflowRef};
use crate::model::{ResourceKind, Step, Subworkflow};
use crate::Report;

/// The name of what `subject` is about: a step, a resource, `a → b` for an edge.
pub fn subject_name(report: &Report, subject: Subject) -> Option<String> {
    let graph = &report.graph;
    match subject {
        Subject::Position => None,
        Subject::Resource(id) => Some(report.workspace.resource(id)?.name.clone()),
        Subject::Node(n) => Some(graph.graph.node_weight(n)?.name.clone()),
        Subject::Edge(e) => {
            let (from, to) = graph.graph.edge_endpoints(e)?;
            Some(format!(
                "{} → {}",
                graph.node(from).name,
                graph.node(to).name
            ))
        }
        Subject::Subworkflow(at) => Some(subworkflow(report, at)?.name.clone()),
        Subject::Step(at) => Some(step(report, at)?.name.clone()),
    }
}

/// `subject` for tools: `{"kind": "step", "workflow": "workflow:w", "subworkflow": "main",
/// "step": "init", "index": 0}` and the like; node ids are those of the graph output.
pub fn subject_json(report: &Report, subject: Subject) -> Value {
    let graph = &report.graph;
    let node_id = |id| graph.resource_node(id).map(|n| graph.node(n).id.clone());
    let value = match subject {
        Subject::Position => None,
        Subject::Resource(id) => Some(json!({"kind": "resource", "node": node_id(id)})),
        Subject::Node(n) => graph
            .graph
            .node_weight(n)
            .map(|node| json!({"kind": "node", "node": node.id})),
        Subject::Edge(e) => graph.graph.edge_endpoints(e).map(|(from, to)| {
            json!({
                "kind": "edge",
                "from": graph.node(from).id,
                "to": graph.node(to).id,
                "edge": graph.graph[e].kind.as_str(),
                "index": e.index(),
            })
        }),
        Subject::Subworkflow(at) => subworkflow(report, at).map(|sub| {
            json!({
                "kind": "subworkflow",
                "workflow": node_id(at.workflow),
                "subworkflow": sub.name,
            })
        }),
        Subject::Step(at) => subworkflow(report, at.subworkflow())
            .zip(step(report, at))
            .map(|(sub, step)| {
                json!({
                    "kind": "step",
                    "workflow": node_id(at.workflow),
                    "subworkflow": sub.name,
                    "step": step.name,
                    "index": at.step,
                })
            }),
    };
    let mut value = value.unwrap_or_else(|| json!({"kind": "position"}));
    // What it is in Terraform: the node's, or the step's workflow's, address and root.
    let node = match subject {
        Subject::Node(n) => Some(n),
        Subject::Resource(id) => graph.resource_node(id),
        Subject::Step(at) => graph.resource_node(at.workflow),
        Subject::Subworkflow(at) => graph.resource_node(at.workflow),
        Subject::Edge(_) | Subject::Position => None,
    };
    if let Some(terraform) = node.and_then(|n| graph.graph.node_weight(n)?.terraform.as_ref()) {
        value["address"] = json!(terraform.address);
        value["root"] = json!(terraform.root);
    }
    value
}

fn subworkflow(report: &Report, at: SubworkflowRef) -> Option<&Subworkflow> {
    match &report.workspace.resource(at.workflow)?.kind {
        ResourceKind::Workflow(w) => w.subworkflows.get(at.subworkflow as usize),
        _ => None,
    }
}

fn step(report: &Report, at: StepRef) -> Option<&Step> {
    subworkflow(report, at.subworkflow())?.step(at.step as usize)
}
