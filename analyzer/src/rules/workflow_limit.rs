use super::Rule;
use crate::analysis::Analysis;
use crate::diagnostic::{Diagnostic, Severity};
use crate::limits::format_size;
use crate::model::{visit_steps, ParallelWork, StepBody, StepKind};
use crate::source::Loc;

pub const RULE: Rule = Rule {
    name: "workflow-limit",
    code: "BTN004",
    severity: Severity::Error,
    summary: "a workflow over one of the Workflows service's own size limits",
    docs: r#"## What it finds
A workflow over a limit of the Workflows service itself:

| Limit | Value | Source |
|---|---|---|
| Size of the source (the definition file, or the embedded `sourceContents`) | 128 KB (131,072 bytes) | Workflows quotas page |
| Assignments in one `assign` step (or inline `assign`) | 50 | Workflows syntax reference and JSON schema |
| Conditions in one `switch` | 50 | Workflows syntax reference (conditions) and JSON schema |
| Branches in one `parallel` step | 10 | Workflows quotas page, as summarised by a third party; **not verified** against a deploy |

Each finding says the limit and how far over it the workflow is. Baton's own safety limits
(file size, nesting, steps) are `parse-error`s instead.

## Why it matters
The service rejects the deployment: the workflow never runs, and the error appears only at
deploy time, often in a pipeline far from the author.

## Example
```yaml
main:
  steps:
    - fan_out:
        parallel:
          branches:   # eleven branches `b1` ... `b11`
            - b1: {steps: [{s: {return: 1}}]}
            # ...
```

## How to fix
Split the work: several `assign` steps instead of one, a nested `switch` or a lookup map instead
of a long one, a `parallel` `for` loop (or nested parallel steps) instead of many branches,
subworkflows moved into separate workflows (called with `googleapis.workflowexecutions`) when
the source is too large.

## Known limitations
Parallel steps have more limits (at most 20 branches or iterations running at once, nesting
depth 2) that Baton does not check; the parallel numbers are from secondary sources.
"#,
};

/// Largest workflow source the service accepts, in bytes.
pub const MAX_SOURCE_BYTES: usize = 128 * 1024;
pub const MAX_ASSIGNMENTS: usize = 50;
pub const MAX_CONDITIONS: usize = 50;
pub const MAX_BRANCHES: usize = 10;

pub fn check(analysis: &Analysis<'_>, out: &mut Vec<Diagnostic>) {
    for wf in &analysis.workflows {
        if let Some(size) = &wf.workflow.source_size {
            if size.value > MAX_SOURCE_BYTES {
                out.push(
                    Diagnostic::new(
                        RULE.name,
                        RULE.severity,
                        size.loc,
                        format!(
                            "workflow source is {} ({} bytes); Workflows allows at most {}",
                            format_size(size.value),
                            size.value,
                            format_size(MAX_SOURCE_BYTES)
                        ),
                    )
                    .with_subject(&wf.resource.name),
                );
            }
        }
        for sub in &wf.workflow.subworkflows {
            visit_steps(&sub.steps, &mut |step| {
                check_body(&step.body, &step.name, step.loc, out);
            });
        }
    }
}

/// Checks a step's body and the inline bodies it holds (switch conditions, a `try` body);
/// nested step lists are visited as steps.
fn check_body(body: &StepBody, name: &str, loc: Loc, out: &mut Vec<Diagnostic>) {
    let mut over = |what: &str, count: usize, unit: &str, max: usize| {
        if count > max {
            out.push(
                Diagnostic::new(
                    RULE.name,
                    RULE.severity,
                    loc,
                    format!(
                        "{what} step `{name}` has {count} {unit}; Workflows allows at most {max}"
                    ),
                )
                .with_subject(name),
            );
        }
    };
    match &body.kind {
        StepKind::Assign(assignments) => {
            over("assign", assignments.len(), "assignments", MAX_ASSIGNMENTS);
        }
        StepKind::Switch(conditions) => {
            over("switch", conditions.len(), "conditions", MAX_CONDITIONS);
            for condition in conditions {
                check_body(&condition.body, name, condition.loc, out);
            }
        }
        StepKind::Parallel(parallel) => {
            if let ParallelWork::Branches(branches) = &parallel.work {
                over("parallel", branches.len(), "branches", MAX_BRANCHES);
            }
        }
        StepKind::Try(t) => check_body(&t.body, name, loc, out),
        StepKind::Jump
        | StepKind::Call(_)
        | StepKind::For(_)
        | StepKind::Raise(_)
        | StepKind::Return(_)
        | StepKind::Steps(_) => {}
    }
}
