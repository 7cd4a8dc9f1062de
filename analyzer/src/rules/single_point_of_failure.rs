use super::entries::{self, Cut};
use super::{Checker, Rule};
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    name: "single-point-of-failure",
    code: "RES001",
    severity: Severity::Warning,
    summary: "a workflow or service on every path from several entry points to their work",
    docs: r#"## What it finds
Your own code (a workflow, Cloud Run service, function or external endpoint) whose failure cuts
**two or more entry points** (Eventarc triggers, Scheduler jobs, public Cloud Run services) off
from work they must reach: it dominates that work in the graph of every one of those entry
points, so there is no other way around it. The message lists the entry points and what
breaks.

Also a Cloud Run service limited to one instance (`maxScale: 1`) that two or more producers
call: when that instance is down, restarting or saturated, all of them fail at once.

Managed plumbing (topics, queues, triggers, Google APIs) is not reported: it is regional and
replicated by Google.

## Why it matters
One bad deploy, quota or outage of that component stops several independent flows at once,
and the blast radius is not visible from any single definition.

## Example
```yaml
# A trigger and a Scheduler job both start `orders`, which calls `pricing` and `inventory`:
# if `orders` fails, both entry points lose both services.
name: projects/demo/locations/europe-west1/workflows/orders
sourceContents: |
  main:
    steps:
      - price:
          call: http.post
          args: {url: "https://pricing-123456789012.europe-west1.run.app/quote"}
      - reserve:
          call: http.post
          args: {url: "https://inventory-123456789012.europe-west1.run.app/reserve"}
---
name: projects/demo/locations/europe-west1/triggers/on-order
eventFilters:
  - {attribute: type, value: google.cloud.pubsub.topic.v1.messagePublished}
transport:
  pubsub: {topic: projects/demo/topics/order-placed}
destination:
  workflow: orders
---
name: projects/demo/locations/europe-west1/jobs/retry-orders
schedule: "*/15 * * * *"
httpTarget:
  uri: https://workflowexecutions.googleapis.com/v1/projects/demo/locations/europe-west1/workflows/orders/executions
  oauthToken: {serviceAccountEmail: scheduler@demo.iam.gserviceaccount.com}
```

## How to fix
Decouple the flows (a queue or topic in between, so the work waits instead of failing), give
the component redundancy (more instances, several regions), or split it per flow.
"#,
    check: Some(check),
};

fn check(cx: &mut Checker<'_>) {
    let analysis = cx.analysis;
    let graph = &analysis.graph;
    let cuts = entries::cuts(analysis);
    for (node, Cut { entries, lost }) in &cuts {
        if entries.len() < 2 {
            continue;
        }
        let n = graph.node(*node);
        cx.on_node(
            *node,
            format!(
                "if {} `{}` fails, {} entry points ({}) cannot reach {}",
                n.kind.as_str(),
                n.name,
                entries.len(),
                entries::names(graph, entries),
                entries::names(graph, lost),
            ),
        );
    }
    for n in graph.nodes() {
        let Some(service) = entries::service(analysis, n) else {
            continue;
        };
        if service.max_scale != Some(1) || cuts.get(&n).is_some_and(|c| c.entries.len() >= 2) {
            continue;
        }
        let mut producers: Vec<&str> = graph
            .edges_in(n)
            .map(|(from, _)| graph.node(from).name.as_str())
            .collect();
        producers.sort_unstable();
        producers.dedup();
        if producers.len() < 2 {
            continue;
        }
        let node = graph.node(n);
        cx.on_node(
            n,
            format!(
                    "service `{}` runs at most one instance (maxScale: 1) and serves {} producers (`{}`): when it is down or saturated, all of them fail",
                    node.name,
                    producers.len(),
                producers.join("`, `")
            ),
        );
    }
}
