use super::{Checker, Rule};
use petgraph::graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;

use crate::diagnostic::{Severity, Subject};
use crate::graph::{EdgeKind, NodeKind};
use crate::retry::http_calls;

pub const RULE: Rule = Rule {
    name: "workflow-trigger-no-retry",
    code: "RES006",
    severity: Severity::Warning,
    summary: "an Eventarc-triggered workflow with an `http.*` call that nothing retries",
    docs: r#"## What it finds
A workflow that is the destination of an Eventarc trigger (in the same input) and makes at
least one `http.*` call that no retry policy covers (see `call-without-retry` for what counts
as covered). The trigger's `destination.workflow` is resolved like every reference (see
`ambiguous-reference`): a short name means the trigger's own project and location. Workflows that only use connectors
(`googleapis.*`, which retry by default) are not reported.

The finding sits on the workflow, with the trigger's destination as a related location.

## Why it matters
Eventarc considers an event delivered as soon as the workflow execution starts; an execution
that starts and then fails is never retried (Workflows docs, "Trigger a workflow with events or
Pub/Sub messages"). So a single transient HTTP error loses the event for good: the file stays
unprocessed, the message is gone, and only the failed execution in the logs tells.

## Example
```yaml
name: projects/demo/locations/europe-west1/triggers/on-upload
destination:
  workflow: projects/demo/locations/europe-west1/workflows/image-pipeline
---
name: projects/demo/locations/europe-west1/workflows/image-pipeline   # reported here
sourceContents: |
  main:
    params: [event]
    steps:
      - resize:
          call: http.post            # not retried: the event is lost if it fails
          args:
            url: https://resize-abcdefghij-ew.a.run.app
```

## How to fix
Retry every external call in the workflow (`try` + `retry: ${http.default_retry}` or a custom
policy), and catch what still fails so the event can be recorded or re-queued (for example, to
a Pub/Sub topic or a Cloud Tasks queue).
"#,
    check: Some(check),
};

fn check(cx: &mut Checker<'_>) {
    let analysis = cx.analysis;
    let graph = &analysis.graph;
    for wf in &analysis.workflows {
        let Some(node) = graph.resource_node(wf.id) else {
            continue;
        };
        if graph.node(node).resource != Some(wf.id) {
            continue; // a second copy of the same workflow
        }
        let triggers: Vec<(EdgeIndex, NodeIndex)> = graph
            .graph
            .edges_directed(node, Direction::Incoming)
            .filter(|e| {
                e.weight().kind == EdgeKind::Deliver
                    && graph.node(e.source()).kind == NodeKind::Trigger
            })
            .map(|e| (e.id(), e.source()))
            .collect();
        if triggers.is_empty() {
            continue;
        }
        let calls = http_calls(wf);
        let Some(first) = calls.iter().find(|c| !c.retried) else {
            continue;
        };
        for (edge, trigger) in triggers {
            let trigger = &graph.node(trigger).name;
            let message = format!(
                "workflow `{}` is started by eventarc trigger `{trigger}`, which never retries a failed execution, but its `{}` call in step `{}` has no retry policy",
                wf.resource.name, first.call.function.value, first.step.name
            );
            cx.report(wf.resource.loc, Subject::Resource(wf.id), message)
                .related_to(
                    graph.graph[edge].loc,
                    Subject::Edge(edge),
                    format!("trigger `{trigger}` starts the workflow here"),
                )
                .related_to(first.step.loc, Subject::Step(first.at), "this call is not retried");
        }
    }
}
