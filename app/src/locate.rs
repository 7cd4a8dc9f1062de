//! Where each finding is on the graph: the resources whose definitions hold its locations, the
//! edges written there, the step it names, and the node it is about. Pure, tested natively.

use std::collections::{BTreeMap, BTreeSet};

use baton_analyzer::{Diagnostic, Loc, Report};
use petgraph::visit::EdgeRef;

/// The graph elements of one finding.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Place {
    /// Node ids (and `step:` ids of the steps it is about, for expanded workflows).
    pub nodes: BTreeSet<String>,
    /// Interaction-graph edge indices.
    pub edges: BTreeSet<usize>,
}

/// Maps locations to the resource node whose definition contains them.
pub struct Locator {
    /// Per file: (start line, node id) of each defined resource, sorted.
    starts: BTreeMap<u32, Vec<(u32, String)>>,
    /// Edges by the location where they are written.
    edges: BTreeMap<Loc, Vec<usize>>,
}

impl Locator {
    pub fn new(report: &Report) -> Locator {
        let graph = &report.graph;
        let mut starts: BTreeMap<u32, Vec<(u32, String)>> = BTreeMap::new();
        for n in graph.nodes() {
            let node = graph.node(n);
            if let Some(resource) = node
                .resource
                .and_then(|i| report.workspace.resources.get(i))
            {
                starts
                    .entry(resource.loc.file.0)
                    .or_default()
                    .push((resource.loc.line, node.id.clone()));
            }
        }
        for list in starts.values_mut() {
            list.sort();
        }
        let mut edges: BTreeMap<Loc, Vec<usize>> = BTreeMap::new();
        for e in graph.graph.edge_references() {
            edges
                .entry(e.weight().loc)
                .or_default()
                .push(e.id().index());
        }
        Locator { starts, edges }
    }

    /// The node of the resource defined around `loc`.
    pub fn resource_at(&self, loc: Loc) -> Option<&str> {
        let list = self.starts.get(&loc.file.0)?;
        let i = list.partition_point(|(line, _)| *line <= loc.line);
        list.get(i.checked_sub(1)?).map(|(_, id)| id.as_str())
    }

    pub fn place(&self, report: &Report, finding: &Diagnostic) -> Place {
        let graph = &report.graph;
        let mut place = Place::default();
        let locs = std::iter::once(finding.loc).chain(finding.related.iter().map(|r| r.loc));
        for loc in locs {
            if let Some(id) = self.resource_at(loc) {
                place.nodes.insert(id.to_string());
            }
            for &e in self.edges.get(&loc).into_iter().flatten() {
                place.edges.insert(e);
                if let Some((a, b)) = graph
                    .graph
                    .edge_endpoints(petgraph::graph::EdgeIndex::new(e))
                {
                    place.nodes.insert(graph.node(a).id.clone());
                    place.nodes.insert(graph.node(b).id.clone());
                }
            }
        }
        if let Some(subject) = &finding.subject {
            // The node it is about, when its name is unambiguous among the involved ones or
            // in the whole graph (e.g. a missing target, which has no definition to contain).
            let named: Vec<&str> = graph
                .nodes()
                .map(|n| graph.node(n))
                .filter(|n| &n.name == subject)
                .map(|n| n.id.as_str())
                .collect();
            if named.len() == 1 {
                place.nodes.insert(named[0].to_string());
            }
            // A step of a workflow involved: its id in the expanded view.
            let workflows: Vec<String> = place
                .nodes
                .iter()
                .filter(|id| id.starts_with("workflow:"))
                .cloned()
                .collect();
            for workflow in workflows {
                if let Some(step) = step_id(report, &workflow, subject) {
                    place.nodes.insert(step);
                }
            }
        }
        place
    }
}

/// `step:WORKFLOW/SUB/STEP` of the first step named `step` in the workflow node `workflow`.
fn step_id(report: &Report, workflow: &str, step: &str) -> Option<String> {
    let node = report.graph.node(report.graph.find(workflow)?);
    let baton_analyzer::ResourceKind::Workflow(w) =
        &report.workspace.resources.get(node.resource?)?.kind
    else {
        return None;
    };
    for sub in &w.subworkflows {
        let mut found = false;
        baton_analyzer::model::visit_steps(&sub.steps, &mut |s| found |= s.name == step);
        if found {
            return Some(format!("step:{workflow}/{}/{step}", sub.name));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::examples::EXAMPLES;

    #[test]
    fn findings_land_on_their_resources_edges_and_steps() {
        let report = baton_analyzer::analyze(&EXAMPLES[0].sources());
        let locator = Locator::new(&report);
        let place_of = |rule: &str, subject: &str| {
            let d = report
                .findings
                .iter()
                .find(|d| d.rule == rule && d.subject.as_deref() == Some(subject))
                .unwrap_or_else(|| panic!("no {rule} on {subject}"));
            locator.place(&report, d)
        };
        let unreachable = place_of("unreachable-step", "never_reached");
        assert!(unreachable.nodes.contains("workflow:image-pipeline"));
        assert!(unreachable
            .nodes
            .contains("step:workflow:image-pipeline/main/never_reached"));
        let spof = place_of("single-point-of-failure", "collage");
        assert_eq!(spof.nodes, BTreeSet::from(["service:collage".to_string()]));
        // The hardcoded URL is used by the task: the dispatch edge and its ends light up.
        let hardcoded = place_of("hardcoded-endpoint", "init");
        assert!(
            hardcoded.nodes.contains("workflow:image-pipeline"),
            "{hardcoded:?}"
        );
    }
}
