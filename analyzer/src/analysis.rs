//! The entry point that runs everything: load, build control flow, run the rules.

use crate::diagnostic::Diagnostic;
use crate::flow::SubworkflowFlow;
use crate::graph::Graph;
use crate::model::{Resource, ResourceKind, Workflow};
use crate::rules;
use crate::source::SourceFile;
use crate::Workspace;

/// A loaded workflow with the control flow of each of its subworkflows.
pub struct WorkflowFlow<'a> {
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
            .filter_map(|resource| match &resource.kind {
                ResourceKind::Workflow(workflow) => Some(WorkflowFlow {
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
    /// Per-rule severity, or `None` to switch a rule off.
    pub rule_severity: Vec<(String, Option<crate::diagnostic::Severity>)>,
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
            rule_severity: Vec::new(),
            thresholds: Thresholds::default(),
            limits: crate::limits::Limits::default(),
            // 2027-01-01T00:00:00Z: a fixed instant keeps results reproducible in tests.
            now: 1_798_761_600,
        }
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
}

impl Default for Thresholds {
    fn default() -> Thresholds {
        Thresholds {
            sync_chain: 3,
            retry_amplification: 50,
            high_coupling: 8,
        }
    }
}

/// Loads and analyzes `files` with the default settings.
pub fn analyze(files: &[SourceFile]) -> Report {
    analyze_with(files, &Config::default())
}

/// Loads and analyzes `files`; `FileId(i)` in findings refers to `files[i]`.
pub fn analyze_with(files: &[SourceFile], config: &Config) -> Report {
    let mut workspace = crate::load_with(files, &config.limits);
    let mut findings = std::mem::take(&mut workspace.diagnostics);
    let analysis = Analysis::new(&workspace, config);
    rules::check(&analysis, &mut findings);
    let graph = analysis.graph;
    let mut suppressions = crate::suppress::Suppressions::new(files);
    findings.retain(|d| !suppressions.is_suppressed(d.loc.file, d.loc.line, d.rule));
    for (rule, severity) in &config.rule_severity {
        match severity {
            Some(severity) => findings
                .iter_mut()
                .filter(|d| d.rule == rule)
                .for_each(|d| d.severity = *severity),
            None => findings.retain(|d| d.rule != rule),
        }
    }
    findings.sort_by(|a, b| (a.loc, a.rule, &a.message).cmp(&(b.loc, b.rule, &b.message)));
    Report {
        workspace,
        graph,
        findings,
    }
}
