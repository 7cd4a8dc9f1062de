use std::collections::{BTreeMap, BTreeSet};

use petgraph::algo::dominators::simple_fast;
use petgraph::graph::NodeIndex;

use super::{Checker, Rule};
use crate::analysis::Analysis;
use crate::diagnostic::Severity;
use crate::graph::{Graph, NodeKind};
use crate::model::{ResourceKind, Service};

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
    // Candidate → the entry points it cuts off, and what they lose directly (its children in
    // their dominator trees). One pass over the dominator tree of each entry: O(entries × E).
    let mut cuts: BTreeMap<NodeIndex, (BTreeSet<NodeIndex>, BTreeSet<NodeIndex>)> = BTreeMap::new();
    for entry in independent_entries(analysis) {
        let dominators = simple_fast(&graph.graph, entry);
        for work in graph.nodes() {
            let Some(d) = dominators.immediate_dominator(work) else {
                continue;
            };
            if d != entry && graph.node(d).kind.can_fail_alone() {
                let (entries, lost) = cuts.entry(d).or_default();
                entries.insert(entry);
                lost.insert(work);
            }
        }
    }
    for (node, (entries, lost)) in &cuts {
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
                names(graph, entries),
                names(graph, lost),
            ),
        );
    }
    for n in graph.nodes() {
        let Some(service) = service(analysis, n) else {
            continue;
        };
        if service.max_scale != Some(1) || cuts.get(&n).is_some_and(|(e, _)| e.len() >= 2) {
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

/// Entry points that no other entry point leads to: a trigger fed by a public service's topic
/// is the same flow as the service, not a second one. Of entry points that reach each other,
/// the first is kept.
fn independent_entries(analysis: &Analysis<'_>) -> Vec<NodeIndex> {
    let graph = &analysis.graph.graph;
    let entries: Vec<NodeIndex> = analysis
        .graph
        .nodes()
        .filter(|&n| is_entry(analysis, n))
        .collect();
    let is_entry: BTreeSet<NodeIndex> = entries.iter().copied().collect();
    let mut reaches: BTreeMap<NodeIndex, BTreeSet<NodeIndex>> = BTreeMap::new();
    for &entry in &entries {
        let mut seen = BTreeSet::from([entry]);
        let mut todo = vec![entry];
        while let Some(n) = todo.pop() {
            for next in graph.neighbors(n) {
                if seen.insert(next) {
                    todo.push(next);
                }
            }
        }
        seen.remove(&entry);
        reaches.insert(entry, seen.intersection(&is_entry).copied().collect());
    }
    let reached_by =
        |e: NodeIndex, other: NodeIndex| reaches.get(&other).is_some_and(|r| r.contains(&e));
    entries
        .iter()
        .copied()
        .filter(|&e| {
            !entries.iter().any(|&other| {
                other != e && reached_by(e, other) && (!reached_by(other, e) || other < e)
            })
        })
        .collect()
}

/// Triggers, Scheduler jobs and Cloud Run services that accept traffic from the internet.
fn is_entry(analysis: &Analysis<'_>, n: NodeIndex) -> bool {
    match analysis.graph.node(n).kind {
        NodeKind::Trigger | NodeKind::Job => true,
        NodeKind::Service => service(analysis, n).is_some_and(|s| {
            matches!(
                s.ingress.as_deref(),
                None | Some("all" | "INGRESS_TRAFFIC_ALL")
            )
        }),
        _ => false,
    }
}

fn service<'a>(analysis: &'a Analysis<'_>, n: NodeIndex) -> Option<&'a Service> {
    let graph: &Graph = &analysis.graph;
    match &analysis
        .workspace
        .resources
        .get(graph.node(n).resource?.index())?
        .kind
    {
        ResourceKind::Service(s) => Some(s),
        _ => None,
    }
}

/// Up to five names in backticks, sorted, then how many more.
fn names(graph: &Graph, nodes: &BTreeSet<NodeIndex>) -> String {
    let mut names: Vec<&str> = nodes.iter().map(|&n| graph.node(n).name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    let shown: Vec<String> = names.iter().take(5).map(|n| format!("`{n}`")).collect();
    match names.len() {
        0..=5 => shown.join(", "),
        more => format!("{} and {} more", shown.join(", "), more - 5),
    }
}
