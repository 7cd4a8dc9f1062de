//! What a drawn node is, as a typed value: a node of the interaction graph, one step of an
//! expanded workflow, or a closed folder. View options, the selection, highlights and finding placement all use
//! these keys, so nothing in the app builds or reads an id string. Keys are made of
//! [`NodeKey`]s, which stay the same when the files are edited and analysed again: an
//! expanded workflow stays expanded, a selected node stays selected.

use crate::graph::{NodeKey, NodeKind};
use crate::model::{visit_steps, Step, Subworkflow, Workflow};
use crate::{Report, ResourceKind, StepRef};
use petgraph::graph::NodeIndex;

/// One node of the scene.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SceneKey {
    /// A node of the interaction graph.
    Node(NodeKey),
    /// A step of a workflow shown as its steps.
    Step(StepKey),
    /// A closed folder (or file) of a grouped overview, by path (see `folders`).
    Folder(String),
}

/// A step: by position, not by name, since a workflow may reuse a step name.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StepKey {
    /// The workflow's node.
    pub workflow: NodeKey,
    /// Which of the node's definitions (see [`definitions`]): two files may define one
    /// workflow, and they need not agree.
    pub definition: u32,
    /// Index in `Workflow::subworkflows`.
    pub subworkflow: u32,
    /// Index among the subworkflow's steps in source order at every depth, as
    /// `SubworkflowFlow::steps` and `Subworkflow::step` count them.
    pub step: u32,
}

impl SceneKey {
    /// The key of graph node `n`, if the graph has it.
    pub fn of_node(report: &Report, n: NodeIndex) -> Option<SceneKey> {
        let node = report.graph.graph.node_weight(n)?;
        Some(SceneKey::Node(node.key()))
    }

    /// True for the node of a workflow (which can be shown as its steps).
    pub fn is_workflow(&self) -> bool {
        matches!(self, SceneKey::Node(key) if key.kind == NodeKind::Workflow)
    }
}

impl StepKey {
    /// The drawn step a finding's [`StepRef`] names. `None` when the graph has no node for
    /// the workflow.
    pub fn of(report: &Report, at: StepRef) -> Option<StepKey> {
        let graph = &report.graph;
        let node = graph.graph.node_weight(graph.resource_node(at.workflow)?)?;
        let definition = node.definitions.iter().position(|&d| d == at.workflow)?;
        Some(StepKey {
            workflow: node.key(),
            definition: u32::try_from(definition).unwrap_or(u32::MAX),
            subworkflow: at.subworkflow,
            step: at.step,
        })
    }
}

/// The definitions of the workflow node `n`, in load order: usually one; a second file with
/// the same workflow (a JSON twin, an updated copy) shares the node.
pub fn definitions(report: &Report, n: NodeIndex) -> Vec<&Workflow> {
    let Some(node) = report.graph.graph.node_weight(n) else {
        return Vec::new();
    };
    (node.definitions.iter())
        .filter_map(|&id| match &report.workspace.resource(id)?.kind {
            ResourceKind::Workflow(workflow) => Some(workflow),
            _ => None,
        })
        .collect()
}

/// The step `key` names.
pub fn step<'r>(report: &'r Report, key: &StepKey) -> Option<(&'r Subworkflow, &'r Step)> {
    let n = report.graph.find_key(&key.workflow)?;
    let workflow = *definitions(report, n).get(key.definition as usize)?;
    let subworkflow = workflow.subworkflows.get(key.subworkflow as usize)?;
    Some((subworkflow, subworkflow.step(key.step as usize)?))
}

/// How many steps `subworkflow` has at every depth.
pub fn step_count(subworkflow: &Subworkflow) -> usize {
    let mut count = 0;
    visit_steps(&subworkflow.steps, &mut |_| count += 1);
    count
}
