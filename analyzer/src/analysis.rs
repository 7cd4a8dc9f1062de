//! The entry point that runs everything: load, build control flow, run the rules.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Severity, StepRef, SubworkflowRef};
use crate::flow::SubworkflowFlow;
use crate::graph::Graph;
use crate::model::{Resource, ResourceId, ResourceKind, Workflow};
use crate::rules::{self, RuleId};
use crate::source::SourceFile;
use crate::Workspace;

/// A loaded workflow with the control flow of each of its subworkflows.
pub struct WorkflowFlow<'a> {
    pub id: ResourceId,
    pub resource: &'a Resource,
    pub workflow: &'a Workflow,
    /// Same order as `workflow.subworkflows`.
    pub subworkflows: Vec<SubworkflowFlow<'a>>,
}

/// What the rules look at.
pub struct Analysis<'a> {
    pub workspace: &'a Workspace,
    pub config: &'a Config,
    pub workflows: Vec<WorkflowFlow<'a>>,
    pub graph: Graph,
}

impl<'a> Analysis<'a> {
    pub fn new(workspace: &'a Workspace, config: &'a Config) -> Analysis<'a> {
        let workflows = workspace
            .resources
            .iter()
            .enumerate()
            .filter_map(|(i, resource)| match &resource.kind {
                ResourceKind::Workflow(workflow) => Some(WorkflowFlow {
                    id: ResourceId::new(i),
                    resource,
                    workflow,
                    subworkflows: SubworkflowFlow::build_all(workflow),
                }),
                _ => None,
            })
            .collect();
        Analysis {
            workspace,
            config,
            workflows,
            graph: Graph::build(workspace),
        }
    }
}

impl WorkflowFlow<'_> {
    /// The `step`-th step (in [`SubworkflowFlow::steps`]) of the `subworkflow`-th subworkflow.
    pub fn step_ref(&self, subworkflow: usize, step: usize) -> StepRef {
        StepRef::new(self.id, subworkflow, step)
    }

    pub fn subworkflow_ref(&self, subworkflow: usize) -> SubworkflowRef {
        StepRef::new(self.id, subworkflow, 0).subworkflow()
    }
}

/// Loader and rule findings for a set of files.
pub struct Report {
    pub workspace: Workspace,
    pub graph: Graph,
    /// Sorted by file, line, column.
    pub findings: Vec<Diagnostic>,
}

/// User settings (`baton.toml`) and the facts the analyzer cannot know by itself.
#[derive(Clone, Debug)]
pub struct Config {
    /// Rules whose severity the user set (`[rules]` in `baton.toml`); `None` switches a rule
    /// off, and a rule switched off does not run.
    pub rules: BTreeMap<RuleId, Option<Severity>>,
    pub thresholds: Thresholds,
    /// Safety limits on the input (`[limits]` in `baton.toml`).
    pub limits: crate::limits::Limits,
    /// The current time as Unix seconds, for rules that talk about upcoming dates
    /// (the analyzer has no clock: the CLI and the app pass it in).
    pub now: i64,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            rules: BTreeMap::new(),
            thresholds: Thresholds::default(),
            limits: crate::limits::Limits::default(),
            // 2027-01-01T00:00:00Z: a fixed instant keeps results reproducible in tests.
            now: 1_798_761_600,
        }
    }
}

impl Config {
    /// False when the user switched `rule` off.
    pub fn is_enabled(&self, rule: RuleId) -> bool {
        !matches!(self.rules.get(&rule), Some(None))
    }

    /// The severity the user gave `rule`, if any.
    pub fn severity(&self, rule: RuleId) -> Option<Severity> {
        self.rules.get(&rule).copied().flatten()
    }
}

/// Rule thresholds (`[thresholds]` in `baton.toml`).
#[derive(Clone, Debug, PartialEq)]
pub struct Thresholds {
    /// `sync-chain`: longest allowed chain of synchronous calls, in hops.
    pub sync_chain: usize,
    /// `retry-amplification`: largest allowed product of attempts along one path.
    pub retry_amplification: u64,
    /// `high-coupling`: largest allowed Ca + Ce of one node.
    pub high_coupling: usize,
    /// `central-orchestrator`: fewest components one workflow orchestrates alone for a finding.
    pub orchestrated_components: usize,
}

impl Default for Thresholds {
    fn default() -> Thresholds {
        Thresholds {
            sync_chain: 3,
            retry_amplification: 50,
            high_coupling: 8,
            orchestrated_components: 3,
        }
    }
}

/// Loads and analyzes `files` with the default settings.
pub fn analyze(files: &[SourceFile]) -> Report {
    analyze_with(files, &Config::default())
}

/// Loads and analyzes `files`; `FileId(i)` in findings refers to `files[i]`.
pub fn analyze_with(files: &[SourceFile], config: &Config) -> Report {
    let mut workspace = crate::load(files, &config.limits);
    let loaded = std::mem::take(&mut workspace.diagnostics);
    let analysis = Analysis::new(&workspace, config);
    let findings = rules::run(&analysis, files, loaded);
    let graph = analysis.graph;
    Report {
        workspace,
        graph,
        findings,
    }
}
