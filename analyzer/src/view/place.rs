//! Where a finding is on the graph, read from its typed subjects alone: the finding's own and
//! those of its related locations. A node is that node, a resource is the node it became, an
//! edge is the edge and its two ends, a step is its workflow's node and the step, a subworkflow
//! is its workflow's node and every step of it; a finding about a position only (a syntax
//! error) is nowhere on the graph. Pure, tested natively.

use std::collections::BTreeSet;

use crate::model::ResourceKind;
use crate::{Diagnostic, Report, StepRef, Subject, SubworkflowRef};
use petgraph::graph::EdgeIndex;

use super::key::{step_count, SceneKey, StepKey};

/// The graph elements of one finding.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Place {
    /// Graph nodes, and the steps shown when their workflow is expanded.
    pub nodes: BTreeSet<SceneKey>,
    /// Interaction-graph edges.
    pub edges: BTreeSet<EdgeIndex>,
}

impl Place {
    /// The place of `finding`, a finding of `report`.
    pub fn of(report: &Report, finding: &Diagnostic) -> Place {
        let mut place = Place::default();
        let related = finding.related.iter().map(|r| r.subject);
        for subject in std::iter::once(finding.subject).chain(related) {
            place.add(report, subject);
        }
        place
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty() && self.edges.is_empty()
    }

    fn add(&mut self, report: &Report, subject: Subject) {
        let graph = &report.graph;
        match subject {
            Subject::Position => {}
            Subject::Node(n) => self.nodes.extend(SceneKey::of_node(report, n)),
            Subject::Resource(r) => {
                if let Some(n) = graph.resource_node(r) {
                    self.nodes.extend(SceneKey::of_node(report, n));
                }
            }
            Subject::Edge(e) => {
                if let Some((from, to)) = graph.graph.edge_endpoints(e) {
                    self.edges.insert(e);
                    self.nodes.extend(SceneKey::of_node(report, from));
                    self.nodes.extend(SceneKey::of_node(report, to));
                }
            }
            Subject::Step(at) => {
                self.add(report, Subject::Resource(at.workflow));
                self.nodes
                    .extend(StepKey::of(report, at).map(SceneKey::Step));
            }
            Subject::Subworkflow(at) => {
                self.add(report, Subject::Resource(at.workflow));
                let first = StepRef::new(at.workflow, at.subworkflow as usize, 0);
                if let Some(first) = StepKey::of(report, first) {
                    let steps = (0..steps_of(report, at)).map(|step| StepKey {
                        step: u32::try_from(step).unwrap_or(u32::MAX),
                        ..first.clone()
                    });
                    self.nodes.extend(steps.map(SceneKey::Step));
                }
            }
        }
    }
}

/// How many steps the subworkflow `at` has (0 when the workspace has no such subworkflow).
fn steps_of(report: &Report, at: SubworkflowRef) -> usize {
    match report.workspace.resource(at.workflow).map(|r| &r.kind) {
        Some(ResourceKind::Workflow(workflow)) => workflow
            .subworkflows
            .get(at.subworkflow as usize)
            .map_or(0, step_count),
        _ => 0,
    }
}
