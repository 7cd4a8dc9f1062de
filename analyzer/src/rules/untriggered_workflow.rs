use super::{Checker, Rule};
use crate::diagnostic::Severity;
use crate::graph::NodeKind;

pub const RULE: Rule = Rule {
    name: "untriggered-workflow",
    code: "EVT004",
    severity: Severity::Info,
    summary: "a workflow that nothing in the loaded files starts",
    docs: r#"## What it finds
A workflow that no loaded Eventarc trigger, Scheduler job, Cloud Tasks task, push subscription
or other workflow starts.

## Why it matters
Either it is started from outside the loaded files (a person, a CI job, application code), or
the trigger that should start it is missing. It is worth knowing which: a workflow started by
hand is an operational dependency on someone remembering to do it.

## Example
```yaml
main:
  steps:
    - nightly_cleanup:
        call: http.post
        args: {url: "https://cleanup-123456789012.europe-west1.run.app"}
```
and no Scheduler job whose target is this workflow's executions URL.

## How to fix
Load the trigger or job that starts it, add one, or suppress the finding when it is started by
hand on purpose (`# baton: ignore[untriggered-workflow]` on its first line).
"#,
    check: Some(check),
};

fn check(cx: &mut Checker<'_>) {
    let analysis = cx.analysis;
    let graph = &analysis.graph;
    for n in graph.nodes() {
        let node = graph.node(n);
        if node.kind != NodeKind::Workflow || !graph.is_defined(n) {
            continue;
        }
        if graph.edges_in(n).next().is_none() {
            cx.on_node(
                n,
                format!(
                    "nothing in the loaded files starts workflow `{}` (no trigger, schedule, task, push or execution call)",
                    node.name
                ),
            );
        }
    }
}
