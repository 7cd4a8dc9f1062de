use super::{Checker, Rule};
use crate::diagnostic::{Severity, Subject};
use crate::graph::causal::async_cycles;

pub const RULE: Rule = Rule {
    name: "event-loop",
    code: "EVT005",
    severity: Severity::Error,
    summary: "a cycle through asynchronous edges: every run sets off the next one",
    docs: r#"## What it finds
A cycle in the interaction graph that goes through at least one asynchronous edge (an event,
a message, a task, a started execution): for example a workflow that writes an object into the
bucket whose `finalized` trigger starts that same workflow, or a service that publishes to the
topic it is subscribed to. A storage write only counts for triggers on the event it fires
(`objects.insert` fires `finalized`, `objects.delete` fires `deleted`); reads fire nothing.

## Why it matters
Nothing stops the loop: each run causes the next, forever, at full speed, multiplying cost and
load until someone notices the bill. Purely synchronous cycles are `dependency-cycle`.

## Example
```yaml
name: projects/demo/locations/europe-west1/triggers/on-upload
eventFilters:
  - {attribute: type, value: google.cloud.storage.object.v1.finalized}
  - {attribute: bucket, value: images}
destination:
  workflow: projects/demo/locations/europe-west1/workflows/resize
---
name: projects/demo/locations/europe-west1/workflows/resize
sourceContents: |
  main:
    params: [event]
    steps:
      - write_thumbnail:
          call: googleapis.storage.v1.objects.insert
          args: {bucket: images, name: thumb.png}   # fires on-upload again
```

## How to fix
Break the cycle: write results to another bucket or topic, or filter the trigger (an object
name prefix, a message attribute) so that the output does not match it.
"#,
    check: Some(check),
};

fn check(cx: &mut Checker<'_>) {
    let analysis = cx.analysis;
    let graph = &analysis.graph;
    for cycle in async_cycles(graph) {
        let Some((start, _)) = cycle.first().and_then(|&e| graph.graph.edge_endpoints(e)) else {
            continue;
        };
        let mut names = Vec::new();
        for &e in &cycle {
            if let Some((from, _)) = graph.graph.edge_endpoints(e) {
                names.push(format!("{} ({})", graph.node(from).name, graph.graph[e].caption()));
            }
        }
        let first = &graph.graph[cycle[0]];
        let message = format!(
            "event loop: {} → {}; every run sets off the next one",
            names.join(" → "),
            graph.node(start).name
        );
        let d = cx.report(first.loc, Subject::Node(start), message);
        for &e in &cycle {
            if let Some((from, _)) = graph.graph.edge_endpoints(e) {
                let edge = &graph.graph[e];
                let text = format!("{} {}", graph.node(from).name, edge.caption());
                d.related_to(edge.loc, Subject::Edge(e), text);
            }
        }
    }
}
