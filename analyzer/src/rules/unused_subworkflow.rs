use std::collections::HashSet;

use super::{Checker, Rule};
use crate::diagnostic::{Severity, Subject};

pub const RULE: Rule = Rule {
    name: "unused-subworkflow",
    code: "ORC006",
    severity: Severity::Warning,
    summary: "a subworkflow that is never called",
    docs: r#"## What it finds
A subworkflow that no `call:`, expression (`${name(x)}`) or retry predicate (`predicate:
${name}`) reaches, starting from `main`. Files without `main` (fragments that a build step
concatenates) are skipped.

## Why it matters
Dead code: it is deployed and reviewed but never runs, or a call to it was lost.

## Example
```yaml
main:
  steps:
    - done:
        return: ok
old_helper:            # nothing calls it
  steps:
    - x:
        return: 1
```

## How to fix
Call it where it was meant to run, or delete it.
"#,
    check: Some(check),
};

fn check(cx: &mut Checker<'_>) {
    let analysis = cx.analysis;
    for wf in &analysis.workflows {
        let Some(main) = wf
            .subworkflows
            .iter()
            .position(|f| f.subworkflow.name == "main")
        else {
            continue;
        };
        // Reachability over the call graph, from `main`.
        let mut used = HashSet::from([main]);
        let mut todo = vec![main];
        while let Some(i) = todo.pop() {
            for call in &wf.subworkflows[i].calls {
                if let Some(j) = wf
                    .subworkflows
                    .iter()
                    .position(|f| f.subworkflow.name == call.callee)
                {
                    if used.insert(j) {
                        todo.push(j);
                    }
                }
            }
        }
        for (i, flow) in wf.subworkflows.iter().enumerate() {
            if !used.contains(&i) {
                let sub = flow.subworkflow;
                cx.report(
                    sub.loc,
                    Subject::Subworkflow(wf.subworkflow_ref(i)),
                    format!("subworkflow `{}` is never called", sub.name),
                );
            }
        }
    }
}
