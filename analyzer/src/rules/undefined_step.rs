use super::{Checker, Rule};
use crate::diagnostic::{Severity, Subject};
use crate::flow::JumpIssue;

pub const RULE: Rule = Rule {
    name: "undefined-step",
    code: "ORC002",
    severity: Severity::Error,
    summary: "a `next` that names no step of its subworkflow",
    docs: r#"## What it finds
A `next` whose target is not `end`, `break`, `continue` or the name of a step in the same
subworkflow. Jumps never cross subworkflows: use `call` for that.

## Why it matters
Google Cloud rejects the workflow at deploy time.

## Example
```yaml
- check:
    next: finsh        # typo
- finish:
    return: ok
```

## How to fix
Correct the name, or add the missing step.
"#,
    check: Some(check),
};

fn check(cx: &mut Checker<'_>) {
    let analysis = cx.analysis;
    for wf in &analysis.workflows {
        for (s, flow) in wf.subworkflows.iter().enumerate() {
            for issue in &flow.jump_issues {
                if let JumpIssue::Undefined { from, target, loc } = issue {
                    let message = format!(
                        "`next: {target}` names no step of subworkflow `{}`",
                        flow.subworkflow.name
                    );
                    cx.report(*loc, Subject::Step(wf.step_ref(s, *from)), message);
                }
            }
        }
    }
}
