use super::Rule;
use crate::analysis::Analysis;
use crate::diagnostic::{Diagnostic, Severity};
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
};

pub fn check(analysis: &Analysis<'_>, out: &mut Vec<Diagnostic>) {
    for wf in &analysis.workflows {
        for flow in &wf.subworkflows {
            for issue in &flow.jump_issues {
                if let JumpIssue::Undefined { from, target, loc } = issue {
                    let message = format!(
                        "`next: {target}` names no step of subworkflow `{}`",
                        flow.subworkflow.name
                    );
                    out.push(
                        Diagnostic::new(RULE.name, RULE.severity, *loc, message)
                            .with_subject(&flow.steps[*from].step.name),
                    );
                }
            }
        }
    }
}
