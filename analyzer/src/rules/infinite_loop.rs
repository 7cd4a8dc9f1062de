use super::{Checker, Rule};
use crate::diagnostic::{Severity, Subject};

pub const RULE: Rule = Rule {
    name: "infinite-loop",
    code: "ORC007",
    severity: Severity::Warning,
    summary: "a cycle of jumps with no way out",
    docs: r#"## What it finds
Reachable steps that form a cycle from which no path leads to the end of the subworkflow, a
`return` or a `raise`: no `switch` condition, loop exit or jump leaves it.

## Why it matters
The execution runs until an error stops it (a failed call, or the limit of steps per execution)
and is then reported as failed, after burning steps and calls.

## Example
```yaml
- poll:
    call: http.get
    args: {url: https://example.com/status}
    result: status
- wait:
    call: sys.sleep
    args: {seconds: 10}
    next: poll         # nothing ever leaves this loop
```

## How to fix
Add a `switch` that leaves the loop when the work is done, or bound it with a `for` loop.
"#,
    check: Some(check),
};

fn check(cx: &mut Checker<'_>) {
    let analysis = cx.analysis;
    for wf in &analysis.workflows {
        for (s, flow) in wf.subworkflows.iter().enumerate() {
            for group in flow.stuck_cycles() {
                let names: Vec<String> = group
                    .iter()
                    .map(|&i| format!("`{}`", flow.steps[i].step.name))
                    .collect();
                let first = group[0];
                let message = format!(
                    "steps {} loop forever: no path leaves the loop (only an error can end it)",
                    names.join(", ")
                );
                let at = Subject::Step(wf.step_ref(s, first));
                cx.report(flow.steps[first].step.loc, at, message);
            }
        }
    }
}
