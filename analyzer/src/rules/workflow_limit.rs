use super::{Checker, Rule};
use crate::diagnostic::{Severity, Subject};
use crate::limits::format_size;
use crate::model::{ParallelWork, StepBody, StepKind};
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
          branches:          # eleven branches: Workflows allows ten
            - b1: {steps: [{s1: {return: 1}}]}
            - b2: {steps: [{s2: {return: 2}}]}
            - b3: {steps: [{s3: {return: 3}}]}
            - b4: {steps: [{s4: {return: 4}}]}
            - b5: {steps: [{s5: {return: 5}}]}
            - b6: {steps: [{s6: {return: 6}}]}
            - b7: {steps: [{s7: {return: 7}}]}
            - b8: {steps: [{s8: {return: 8}}]}
            - b9: {steps: [{s9: {return: 9}}]}
            - b10: {steps: [{s10: {return: 10}}]}
            - b11: {steps: [{s11: {return: 11}}]}
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
    check: Some(check),
};

/// Largest workflow source the service accepts, in bytes.
pub const MAX_SOURCE_BYTES: usize = 128 * 1024;
pub const MAX_ASSIGNMENTS: usize = 50;
pub const MAX_CONDITIONS: usize = 50;
pub const MAX_BRANCHES: usize = 10;

fn check(cx: &mut Checker<'_>) {
    let analysis = cx.analysis;
    for wf in &analysis.workflows {
        if let Some(size) = &wf.workflow.source_size {
            if size.value > MAX_SOURCE_BYTES {
                let message = format!(
                    "workflow source is {} ({} bytes); Workflows allows at most {}",
                    format_size(size.value),
                    size.value,
                    format_size(MAX_SOURCE_BYTES)
                );
                cx.report(size.loc, Subject::Resource(wf.id), message);
            }
        }
        for (s, flow) in wf.subworkflows.iter().enumerate() {
            for (i, flow_step) in flow.steps.iter().enumerate() {
                let step = flow_step.step;
                let at = Subject::Step(wf.step_ref(s, i));
                check_body(cx, &step.body, &step.name, step.loc, at);
            }
        }
    }
}

/// Checks a step's body and the inline bodies it holds (switch conditions, a `try` body);
/// nested step lists are visited as steps.
fn check_body(cx: &mut Checker<'_>, body: &StepBody, name: &str, loc: Loc, at: Subject) {
    let mut over = |what: &str, count: usize, unit: &str, max: usize| {
        if count > max {
            let message =
                format!("{what} step `{name}` has {count} {unit}; Workflows allows at most {max}");
            cx.report(loc, at, message);
        }
    };
    match &body.kind {
        StepKind::Assign(assignments) => {
            over("assign", assignments.len(), "assignments", MAX_ASSIGNMENTS);
        }
        StepKind::Switch(conditions) => {
            over("switch", conditions.len(), "conditions", MAX_CONDITIONS);
            for condition in conditions {
                check_body(cx, &condition.body, name, condition.loc, at);
            }
        }
        StepKind::Parallel(parallel) => {
            if let ParallelWork::Branches(branches) = &parallel.work {
                over("parallel", branches.len(), "branches", MAX_BRANCHES);
            }
        }
        StepKind::Try(t) => check_body(cx, &t.body, name, loc, at),
        StepKind::Jump
        | StepKind::Call(_)
        | StepKind::For(_)
        | StepKind::Raise(_)
        | StepKind::Return(_)
        | StepKind::Steps(_) => {}
    }
}
