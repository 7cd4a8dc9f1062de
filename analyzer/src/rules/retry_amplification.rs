use std::collections::HashMap;

use petgraph::algo::{condensation, toposort};
use petgraph::graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;

use super::{Checker, Rule};
use crate::diagnostic::{Severity, Subject};
use crate::graph::{Attempts, Edge, EdgeKind, Graph, NodeKind};

pub const RULE: Rule = Rule {
    name: "retry-amplification",
    code: "RES005",
    severity: Severity::Warning,
    summary: "retries stacked along one path multiply into many attempts on one target",
    docs: r#"## What it finds
A path on which several layers retry, each on the failure of the next, so that one failing call
at the end is attempted the **product** of their attempt counts. Reported when that product
exceeds the threshold (default 50; `retry-amplification` under `[thresholds]` in
`baton.toml`) and at least two layers retry.

A failure travels back up a path only while the caller waits for the callee: synchronous calls
(`http.*`, connectors, `executions.run`) and HTTP pushes whose response decides the retry
(Cloud Tasks dispatch, push subscriptions, Scheduler HTTP targets) to a service. It stops at a
queue, a topic, a started execution or an Eventarc trigger of a workflow, which succeed as soon
as the work is accepted. Attempts per layer: `http.default_retry` 6, a custom policy
`max_retries + 1`, a queue's `maxAttempts` (100 by default), a subscription's
`maxDeliveryAttempts` with a dead-letter topic (5 by default), a job's `retryCount + 1`.
Unlimited retries are counted once here (`unbounded-retries` and `missing-dead-letter` report
them).

## Why it matters
When the target is overloaded, stacked retries turn a small outage into a retry storm that
keeps it down; they also multiply side effects of non-idempotent calls.

## Example
```yaml
# `parent` retries `child` 10 times; `child` retries `billing` 6 times: 60 attempts on billing.
name: projects/demo/locations/europe-west1/workflows/parent
sourceContents: |
  main:
    steps:
      - run_child:
          try:
            call: googleapis.workflowexecutions.v1.projects.locations.workflows.executions.run
            args: {workflow_id: child}
          retry: {predicate: "${http.default_retry_predicate}", max_retries: 9}
---
name: projects/demo/locations/europe-west1/workflows/child
sourceContents: |
  main:
    steps:
      - charge:
          try:
            call: http.post
            args: {url: "https://billing-123456789012.europe-west1.run.app/charge"}
          retry: ${http.default_retry}
```

## How to fix
Retry in one layer only (usually the outermost, with backoff), make the inner layers fail fast,
or lower the counts so the product stays small.
"#,
    check: Some(check),
};

/// The worst chain of waiting edges that ends with one edge.
#[derive(Clone)]
struct Chain {
    product: u64,
    layers: u32,
    edges: Vec<EdgeIndex>,
}

fn check(cx: &mut Checker<'_>) {
    let analysis = cx.analysis;
    let graph = &analysis.graph;
    let threshold = analysis.config.thresholds.retry_amplification;
    // Visit nodes in topological order of the condensation; edges inside a cycle are ignored
    // (cycles are `event-loop` and `dependency-cycle`).
    let condensed = condensation(graph.graph.map(|n, _| n, |_, _| ()), true);
    let Ok(order) = toposort(&condensed, None) else {
        return;
    };
    let component: HashMap<NodeIndex, usize> = order
        .iter()
        .flat_map(|&c| condensed[c].iter().map(move |&n| (n, c.index())))
        .collect();
    // The worst chain arriving at each node over edges whose failure travels back.
    let mut arriving: HashMap<NodeIndex, Chain> = HashMap::new();
    let mut worst: HashMap<NodeIndex, Chain> = HashMap::new();
    for c in order {
        for &node in &condensed[c] {
            for e in graph.graph.edges(node) {
                let (to, edge) = (e.target(), e.weight());
                if component.get(&to) == component.get(&node) || !waits(graph, edge, to) {
                    continue;
                }
                let attempts = match edge.attempts {
                    Attempts::Finite(n) => n.max(1),
                    Attempts::Unlimited => 1,
                };
                let mut chain = match arriving.get(&node) {
                    Some(before) if edge.kind.is_sync() => before.clone(),
                    _ => Chain {
                        product: 1,
                        layers: 0,
                        edges: Vec::new(),
                    },
                };
                chain.product = chain.product.saturating_mul(attempts);
                if attempts > 1 {
                    chain.layers += 1;
                }
                chain.edges.push(e.id());
                if attempts > 1 && chain.layers >= 2 && chain.product > threshold {
                    let better = worst.get(&to).is_none_or(|w| chain.product > w.product);
                    if better {
                        worst.insert(to, chain.clone());
                    }
                }
                let better = arriving.get(&to).is_none_or(|a| chain.product > a.product);
                if better {
                    arriving.insert(to, chain);
                }
            }
        }
    }
    let mut found: Vec<(NodeIndex, Chain)> = worst.into_iter().collect();
    found.sort_by_key(|(n, _)| *n);
    for (target, chain) in found {
        let Some(&last) = chain.edges.last() else {
            continue;
        };
        let hops: Vec<String> = chain
            .edges
            .iter()
            .filter_map(|&e| {
                let (from, to) = graph.graph.edge_endpoints(e)?;
                let edge = &graph.graph[e];
                let times = match edge.attempts {
                    Attempts::Finite(n) => format!("{n}×"),
                    Attempts::Unlimited => "unlimited".into(),
                };
                Some(format!(
                    "`{}` → `{}` {times}",
                    graph.node(from).name,
                    graph.node(to).name
                ))
            })
            .collect();
        let name = &graph.node(target).name;
        let message = format!(
            "up to {} attempts reach `{name}` when it fails: {}",
            chain.product,
            hops.join(", ")
        );
        let d = cx.report(graph.graph[last].loc, Subject::Edge(last), message);
        for &e in &chain.edges[..chain.edges.len() - 1] {
            d.related_to(
                graph.graph[e].loc,
                Subject::Edge(e),
                format!(
                    "{} attempts here",
                    match graph.graph[e].attempts {
                        Attempts::Finite(n) => n.to_string(),
                        Attempts::Unlimited => "unlimited".into(),
                    }
                ),
            );
        }
    }
}

/// Whether the source of `edge` waits for `to` to finish, so that `to`'s failure makes it retry.
fn waits(graph: &Graph, edge: &Edge, to: NodeIndex) -> bool {
    match edge.kind {
        EdgeKind::SyncCall => true,
        EdgeKind::Dispatch | EdgeKind::Deliver | EdgeKind::Schedule => matches!(
            graph.node(to).kind,
            NodeKind::Service | NodeKind::Function | NodeKind::External
        ),
        _ => false,
    }
}
