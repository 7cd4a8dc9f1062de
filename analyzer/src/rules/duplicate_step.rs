use std::collections::HashMap;

use super::{Checker, Rule};
use crate::diagnostic::{Severity, Subject};

pub const RULE: Rule = Rule {
    name: "duplicate-step",
    code: "ORC004",
    severity: Severity::Error,
    summary: "two steps with one name in one subworkflow",
    docs: r#"## What it finds
Two steps with the same name anywhere in one subworkflow, nested steps included. Different
subworkflows may reuse names.

## Why it matters
Step names must be unique within a subworkflow: Google Cloud rejects the workflow, and a `next`
to that name would be ambiguous.

## Example
```yaml
- init:
    assign: [{a: 1}]
- init:
    assign: [{b: 2}]
```

## How to fix
Rename one of the steps (and the `next`s that mean it).
"#,
    check: Some(check),
};

fn check(cx: &mut Checker<'_>) {
    let analysis = cx.analysis;
    for wf in &analysis.workflows {
        for (s, flow) in wf.subworkflows.iter().enumerate() {
            let mut first = HashMap::new();
            for (i, step) in flow.steps.iter().enumerate() {
                let (step, earlier) = (step.step, first.get(step.step.name.as_str()).copied());
                let Some((earlier, j)) = earlier else {
                    first.insert(step.name.as_str(), (step.loc, i));
                    continue;
                };
                let message = format!(
                    "step name `{}` is used twice in subworkflow `{}` (first at line {})",
                    step.name, flow.subworkflow.name, earlier.line
                );
                cx.report(step.loc, Subject::Step(wf.step_ref(s, i)), message)
                    .related_to(earlier, Subject::Step(wf.step_ref(s, j)), "first defined here");
            }
        }
    }
}
