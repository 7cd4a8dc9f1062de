use super::{Checker, Rule};
use crate::diagnostic::{Severity, Subject};

pub const RULE: Rule = Rule {
    name: "unreachable-step",
    code: "ORC001",
    severity: Severity::Warning,
    summary: "a workflow step that no path from the start of its subworkflow reaches",
    docs: r#"## What it finds
A step that can never run: no path from the start of its subworkflow reaches it, following the
exact Workflows semantics (fall-through, `next`, `switch` fall-through when no condition matches,
`return`, `raise`, `try`/`except`, loops, parallel branches). True reachability, so a cycle of
steps that only jump to each other is found too, and so are the steps after a parallel step
one of whose branches can never complete, after a call of a subworkflow that can never return,
and in a `switch` condition that follows a literal `true`. Steps nested in an unreachable step are not
reported again. Subworkflows that are never called are reported by `unused-subworkflow` instead.

## Why it matters
Dead steps are usually a wrong `next` or a misplaced `return`: the work they were meant to do
silently never happens, and readers waste time on code that does not run.

## Example
```yaml
- log:
    call: sys.log
    args: {text: done}
    next: end
- notify:            # never runs: `log` ends the workflow
    call: http.post
    args: {url: https://example.com/notify}
```

## How to fix
Point a `next` at the step, move it before the jump, or delete it.
"#,
    check: Some(check),
};

fn check(cx: &mut Checker<'_>) {
    let analysis = cx.analysis;
    for wf in &analysis.workflows {
        for (s, flow) in wf.subworkflows.iter().enumerate() {
            for (i, step) in flow.steps.iter().enumerate() {
                let parent_unreachable = step.parent.is_some_and(|p| !flow.steps[p].reachable);
                if step.reachable || parent_unreachable {
                    continue;
                }
                let message = format!(
                    "step `{}` can never run: no path from the start of `{}` reaches it",
                    step.step.name, flow.subworkflow.name
                );
                cx.report(step.step.loc, Subject::Step(wf.step_ref(s, i)), message);
            }
        }
    }
}
