use std::collections::{BTreeMap, BTreeSet};

use petgraph::algo::dominators::simple_fast;
use petgraph::graph::NodeIndex;

use super::Rule;
use crate::analysis::Analysis;
use crate::diagnostic::{Diagnostic, Severity};
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
# Two triggers whose workflows both call `pricing` synchronously: if `pricing`
# fails, both flows stop.
```

## How to fix
Decouple the flows (a queue or topic in between, so the work waits instead of failing), give
the component redundancy (more instances, several regions), or split it per flow.
"#,
};

pub fn check(analysis: &Analysis<'_>, out: &mut Vec<Diagnostic>) {
    let graph = &analysis.graph;
    // Candidate → entry points it cuts off → what they lose.
    let mut cuts: BTreeMap<NodeIndex, BTreeMap<NodeIndex, BTreeSet<NodeIndex>>> = BTreeMap::new();
    for entry in graph.nodes().filter(|&n| is_entry(analysis, n)) {
        let dominators = simple_fast(&graph.graph, entry);
        for work in graph.nodes() {
            let Some(chain) = dominators.strict_dominators(work) else {
                continue;
            };
            // Every strict dominator of `work` other than the entry itself cuts it off.
            for d in chain {
                if d != entry && graph.node(d).kind.can_fail_alone() {
                    cuts.entry(d)
                        .or_default()
                        .entry(entry)
                        .or_default()
                        .insert(work);
                }
            }
        }
    }
    for (node, entries) in &cuts {
        if entries.len() < 2 {
            continue;
        }
        let names = |set: &mut dyn Iterator<Item = &NodeIndex>| {
            let mut v: Vec<&str> = set.map(|&n| graph.node(n).name.as_str()).collect();
            v.sort_unstable();
            v.dedup();
            v.join("`, `")
        };
        let lost: BTreeSet<NodeIndex> = entries.values().flatten().copied().collect();
        let n = graph.node(*node);
        out.push(
            Diagnostic::new(
                RULE.name,
                RULE.severity,
                n.loc,
                format!(
                    "if {} `{}` fails, {} entry points (`{}`) lose `{}`",
                    n.kind.as_str(),
                    n.name,
                    entries.len(),
                    names(&mut entries.keys()),
                    names(&mut lost.iter()),
                ),
            )
            .with_subject(&n.name),
        );
    }
    for n in graph.nodes() {
        let Some(service) = service(analysis, n) else {
            continue;
        };
        if service.max_scale != Some(1) || cuts.get(&n).is_some_and(|e| e.len() >= 2) {
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
        out.push(
            Diagnostic::new(
                RULE.name,
                RULE.severity,
                node.loc,
                format!(
                    "service `{}` runs at most one instance (maxScale: 1) and serves {} producers (`{}`): when it is down or saturated, all of them fail",
                    node.name,
                    producers.len(),
                    producers.join("`, `")
                ),
            )
            .with_subject(&node.name),
        );
    }
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
        .get(graph.node(n).resource?)?
        .kind
    {
        ResourceKind::Service(s) => Some(s),
        _ => None,
    }
}
