//! The entry point that runs everything: load, build control flow, run the rules.

use crate::diagnostic::Diagnostic;
use crate::flow::SubworkflowFlow;
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
    pub workflows: Vec<WorkflowFlow<'a>>,
}

impl<'a> Analysis<'a> {
    pub fn new(workspace: &'a Workspace) -> Analysis<'a> {
        let workflows = workspace
            .resources
            .iter()
            .filter_map(|resource| match &resource.kind {
                ResourceKind::Workflow(workflow) => Some(WorkflowFlow {
                    resource,
                    workflow,
                    subworkflows: workflow
                        .subworkflows
                        .iter()
                        .map(SubworkflowFlow::build)
                        .collect(),
                }),
                _ => None,
            })
            .collect();
        Analysis {
            workspace,
            workflows,
        }
    }
}

/// Loader and rule findings for a set of files.
pub struct Report {
    pub workspace: Workspace,
    /// Sorted by file, line, column.
    pub findings: Vec<Diagnostic>,
}

/// User settings (`baton.toml`): per-rule severity, or `None` to switch a rule off.
#[derive(Clone, Debug, Default)]
pub struct Config {
    pub rule_severity: Vec<(String, Option<crate::diagnostic::Severity>)>,
}

/// Loads and analyzes `files` with the default settings.
pub fn analyze(files: &[SourceFile]) -> Report {
    analyze_with(files, &Config::default())
}

/// Loads and analyzes `files`; `FileId(i)` in findings refers to `files[i]`.
pub fn analyze_with(files: &[SourceFile], config: &Config) -> Report {
    let mut workspace = crate::load(files);
    let mut findings = std::mem::take(&mut workspace.diagnostics);
    let analysis = Analysis::new(&workspace);
    rules::check(&analysis, &mut findings);
    findings.retain(|d| {
        !files
            .get(d.loc.file.0 as usize)
            .is_some_and(|f| crate::suppress::is_suppressed(&f.text, d.loc.line, d.rule))
    });
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
        findings,
    }
}
