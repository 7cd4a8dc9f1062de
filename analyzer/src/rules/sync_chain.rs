use super::{Checker, Rule};
use crate::diagnostic::{Severity, Subject};
use crate::graph::Edge;
use crate::metrics::sync_chains;

pub const RULE: Rule = Rule {
    name: "sync-chain",
    code: "CPL001",
    severity: Severity::Warning,
    summary: "a chain of synchronous calls longer than the threshold",
    docs: r#"## What it finds
A chain of synchronous calls (`http.*`, connectors, `executions.run`) longer than
`[thresholds] sync-chain` hops (3 by default): workflow `a` runs workflow `b`, which calls
service `c`, which calls service `d`, ... It is reported once, at the head of the chain (a
workflow or service that nothing in the chain calls), with the longest chain from there.

A service's own calls are only known from the URLs of loaded services or workflows in its
environment variables: those soft edges count, since they are the only trace of them. Calls
between members of a cycle do not count (`dependency-cycle` reports the cycle).

## Why it matters
Every synchronous hop adds its latency to the caller's and multiplies the probability of
failure: with 99.9% availability each, five services in a row are up 99.5% of the time, and
the head waits for the slowest path, retries included. Timeouts have to shrink along the chain
or an upstream caller gives up while the downstream work still runs.

## Example
```yaml
# checkout runs billing, which calls payments, which calls fraud, which calls scoring:
# four synchronous hops before checkout can answer.
name: projects/demo/locations/europe-west1/workflows/checkout
sourceContents: |
  main:
    steps:
      - run_billing:
          call: googleapis.workflowexecutions.v1.projects.locations.workflows.executions.run
          args: {workflow_id: billing}
---
name: projects/demo/locations/europe-west1/workflows/billing
sourceContents: |
  main:
    steps:
      - pay:
          call: http.post
          args: {url: "https://payments-123456789012.europe-west1.run.app/pay"}
---
apiVersion: serving.knative.dev/v1
kind: Service
metadata: {name: payments, namespace: "123456789012"}
spec:
  template:
    spec:
      containers:
        - image: europe-docker.pkg.dev/demo/payments
          env:
            - {name: FRAUD_URL, value: "https://fraud-123456789012.europe-west1.run.app"}
---
apiVersion: serving.knative.dev/v1
kind: Service
metadata: {name: fraud, namespace: "123456789012"}
spec:
  template:
    spec:
      containers:
        - image: europe-docker.pkg.dev/demo/fraud
          env:
            - {name: SCORING_URL, value: "https://scoring-123456789012.europe-west1.run.app"}
---
apiVersion: serving.knative.dev/v1
kind: Service
metadata: {name: scoring, namespace: "123456789012"}
spec:
  template:
    spec:
      containers:
        - image: europe-docker.pkg.dev/demo/scoring
```

## How to fix
Make the hops that need no answer asynchronous (Pub/Sub, Cloud Tasks,
`executions.create`), let the workflow orchestrate the services one after the other instead of
services calling services, or merge services that always call each other. Raise
`sync-chain` in `baton.toml` if the chain is deliberate.
"#,
    check: Some(check),
};

fn check(cx: &mut Checker<'_>) {
    let analysis = cx.analysis;
    let graph = &analysis.graph;
    let threshold = analysis.config.thresholds.sync_chain;
    for chain in sync_chains(graph, threshold) {
        let Some(&head) = chain.nodes.first() else {
            continue;
        };
        let path: Vec<&str> = chain
            .nodes
            .iter()
            .map(|&n| graph.node(n).label.as_str())
            .collect();
        let message = format!(
            "chain of {} synchronous calls (more than {threshold}): {}",
            chain.hops(),
            path.join(" → ")
        );
        let d = cx.on_node(head, message);
        for (i, (&e, pair)) in chain.edges.iter().zip(path.windows(2)).enumerate() {
            let edge = &graph.graph[e];
            d.related_to(edge.loc, Subject::Edge(e), hop(i + 1, edge, pair[0], pair[1]));
        }
    }
}

/// `hop 2: service:b → service:c (sync-call env C_URL, inferred)`.
fn hop(number: usize, edge: &Edge, from: &str, to: &str) -> String {
    let mut text = format!("hop {number}: {from} → {to} ({}", edge.caption());
    if let Some(step) = edge.step.as_ref().map(|s| &s.name) {
        text.push_str(&format!(" in step `{step}`"));
    }
    if edge.soft {
        text.push_str(", inferred from the environment");
    }
    text.push(')');
    text
}
