use std::collections::BTreeSet;

use petgraph::algo::dominators::simple_fast;
use petgraph::graph::NodeIndex;

use super::entries::{self, Cut};
use super::{Checker, Rule};
use crate::diagnostic::Severity;
use crate::graph::{Graph, NodeKind};

pub const RULE: Rule = Rule {
    name: "central-orchestrator",
    code: "RES007",
    severity: Severity::Info,
    summary: "a workflow that is the only way from its entry point to the components it orchestrates",
    docs: r#"## What it finds
A workflow that is the only path from its entry point (an Eventarc trigger, a Scheduler job, a
public Cloud Run service) to three or more services, functions, Cloud Run jobs, APIs, queues or
child workflows it calls (`[thresholds] orchestrated-components` in `baton.toml`). The message
lists them and what stops behind them. This is the orchestration pattern's known trade-off:
the orchestrator is a single point of failure. (When one workflow cuts off two or more entry
points, `single-point-of-failure` reports it instead, as a warning.)

## Why it matters
If the orchestrator cannot run (a bad deploy, a quota, an outage of Workflows in the region, a
step that fails without a retry), none of the orchestrated work happens, and an Eventarc event
that started it is not delivered again: Eventarc does not retry a failed workflow execution.
Choreography spreads that risk; orchestration concentrates it where it is easy to see and to
protect.

## Example
```yaml
# A trigger starts `image-added`, which calls Vision, a function, Firestore and a queue.
name: projects/demo/locations/europe-west1/workflows/image-added
sourceContents: |
  main:
    params: [event]
    steps:
      - labels:
          call: googleapis.vision.v1.images.annotate
          args: {body: {requests: []}}
      - metadata:
          call: http.post
          args: {url: "https://europe-west1-demo.cloudfunctions.net/extract-metadata"}
      - store:
          call: googleapis.firestore.v1.projects.databases.documents.patch
          args: {name: projects/demo/databases/(default)/documents/images/x}
      - thumbnail:
          call: googleapis.cloudtasks.v2.projects.locations.queues.tasks.create
          args:
            parent: projects/demo/locations/europe-west1/queues/thumbnails
            body: {task: {httpRequest: {url: "https://thumbnails-123456789012.europe-west1.run.app"}}}
---
name: projects/demo/locations/europe-west1/triggers/image-uploaded
eventFilters:
  - {attribute: type, value: google.cloud.storage.object.v1.finalized}
  - {attribute: bucket, value: images}
destination:
  workflow: image-added
```

## How to fix
Reduce what one failure stops: retry the steps' calls (`try` with a `retry` policy) so that
transient errors do not fail the execution; put a queue or a Pub/Sub subscription with retries
in front of the workflow so that events wait instead of being lost; split the workflow per
flow, or hand parts of the work to events (choreography) where they do not need a central
view; deploy the workflow in the regions its triggers run in.
"#,
    check: Some(check),
};

/// What an orchestrator calls that stops when it fails.
fn orchestrated(kind: NodeKind) -> bool {
    matches!(
        kind,
        NodeKind::Service
            | NodeKind::Function
            | NodeKind::RunJob
            | NodeKind::GoogleApi
            | NodeKind::External
            | NodeKind::Queue
            | NodeKind::Workflow
    )
}

fn check(cx: &mut Checker<'_>) {
    let analysis = cx.analysis;
    let graph = &analysis.graph;
    let threshold = analysis.config.thresholds.orchestrated_components;
    for (&node, Cut { entries, lost }) in &entries::cuts(analysis) {
        // Two or more entry points: `single-point-of-failure`'s case.
        let [entry] = entries.iter().copied().collect::<Vec<_>>()[..] else {
            continue;
        };
        if graph.node(node).kind != NodeKind::Workflow {
            continue;
        }
        let called: BTreeSet<NodeIndex> = graph.graph.neighbors(node).collect();
        let components: BTreeSet<NodeIndex> = lost
            .iter()
            .copied()
            .filter(|n| called.contains(n) && orchestrated(graph.node(*n).kind))
            .collect();
        if components.len() < threshold.max(1) {
            continue;
        }
        // Everything only the orchestrator leads to, from its entry point.
        let dominators = simple_fast(&graph.graph, entry);
        let behind: BTreeSet<NodeIndex> = graph
            .nodes()
            .filter(|&n| n != node && !components.contains(&n))
            .filter(|&n| {
                dominators
                    .dominators(n)
                    .is_some_and(|mut chain| chain.any(|d| d == node))
            })
            .filter(|&n| graph.node(n).kind.can_fail_alone())
            .collect();
        let e = graph.node(entry);
        let n = graph.node(node);
        let behind = match behind.len() {
            0 => String::new(),
            _ => format!(", and with them {}", described(graph, &behind)),
        };
        cx.on_node(
            node,
            format!(
                "workflow `{}` is the only way from {} `{}` to the {} components it orchestrates ({}): if it cannot run, they all stop{behind}",
                n.name,
                e.kind.as_str(),
                e.name,
                components.len(),
                described(graph, &components),
            ),
        );
    }
}

/// Up to five components as `kind \`name\``, sorted, then how many more.
fn described(graph: &Graph, nodes: &BTreeSet<NodeIndex>) -> String {
    let mut all: Vec<String> = nodes
        .iter()
        .map(|&n| {
            let node = graph.node(n);
            format!("{} `{}`", node.kind.as_str(), node.name)
        })
        .collect();
    all.sort_unstable();
    all.dedup();
    match all.len() {
        0..=5 => all.join(", "),
        more => format!("{} and {} more", all[..5].join(", "), more - 5),
    }
}
