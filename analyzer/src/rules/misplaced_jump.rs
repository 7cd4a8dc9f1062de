use super::{Checker, Rule};
use crate::diagnostic::{Severity, Subject};
use crate::flow::{BlockKind, JumpIssue};

pub const RULE: Rule = Rule {
    name: "misplaced-jump",
    code: "ORC003",
    severity: Severity::Error,
    summary:
        "`break`/`continue` outside a loop, or a `next` into a nested block or out of a loop body",
    docs: r#"## What it finds
- `next: break` or `next: continue` outside a `for` loop (error).
- A `next` that jumps into a nested block (a `steps` group, a switch condition's steps, a
  `try`/`except` body, a loop body or a parallel branch) from outside it (warning).
- A `next` that leaves a `for` or `parallel` body for a step outside it (warning): use `break`,
  or let the body finish.

## Why it matters
`break`/`continue` outside a loop are rejected at deploy time. Jumps into blocks skip the
block's set-up (loop variables, the `try` that should protect it) and jumps out of loop and
parallel bodies abandon iterations or branches halfway; the Workflows documentation describes
neither as supported.

## Example
```yaml
- first:
    next: inner        # jumps into the group below
- group:
    steps:
      - inner:
          return: 1
```

## How to fix
Jump to the block's own step (`group`) instead of into it, use `break` to leave a loop, and move
`break`/`continue` inside the `for` they belong to.
"#,
    check: Some(check),
};

fn check(cx: &mut Checker<'_>) {
    let analysis = cx.analysis;
    for wf in &analysis.workflows {
        for (s, flow) in wf.subworkflows.iter().enumerate() {
            let name = |i: usize| flow.steps[i].step.name.as_str();
            for issue in &flow.jump_issues {
                let (severity, loc, from, message) = match issue {
                    JumpIssue::Undefined { .. } => continue,
                    JumpIssue::OutsideLoop { from, target, loc } => (
                        Severity::Error,
                        loc,
                        from,
                        format!("`next: {target}` is only allowed inside a `for` loop"),
                    ),
                    JumpIssue::IntoBlock { from, to, loc } => (
                        Severity::Warning,
                        loc,
                        from,
                        format!(
                            "`next: {}` jumps into a nested block that does not contain step `{}`",
                            name(*to),
                            name(*from)
                        ),
                    ),
                    JumpIssue::OutOfLoop {
                        from,
                        to,
                        kind,
                        loc,
                    } => {
                        let body = if *kind == BlockKind::For {
                            "a `for` body"
                        } else {
                            "a `parallel` branch"
                        };
                        (
                            Severity::Warning,
                            loc,
                            from,
                            format!(
                                "`next: {}` leaves {body}; use `break` or let the body finish",
                                name(*to)
                            ),
                        )
                    }
                };
                cx.report(*loc, Subject::Step(wf.step_ref(s, *from)), message)
                    .severity(severity);
            }
        }
    }
}
