use super::{Checker, Rule};
use crate::diagnostic::Severity;
use crate::graph::NodeKind;
use crate::metrics::metrics;

pub const RULE: Rule = Rule {
    name: "high-coupling",
    code: "CPL003",
    severity: Severity::Info,
    summary: "a workflow, service or function connected to too many other resources",
    docs: r#"## What it finds
A workflow, Cloud Run service or Cloud Function whose afferent coupling (Ca: how many other
resources have an edge into it) plus efferent coupling (Ce: how many it has edges to) is more
than `[thresholds] high-coupling` (8 by default). Edges of every kind count: calls, tasks,
messages, events, schedules. The message gives Ca, Ce and the instability Ce / (Ca + Ce):
near 0 the resource is depended upon (changes to it ripple out), near 1 it depends on others
(changes elsewhere break it).

## Why it matters
A hub is where changes, outages and deployments meet: a service called by ten others cannot
change its contract or go down without ten teams noticing, and a workflow that talks to ten
services breaks whenever one of them changes.

## Example
```yaml
# workflow `nightly` calls nine different services
main:
  steps:
    - a: {call: http.get, args: {url: "https://a-123456789012.europe-west1.run.app"}}
    - b: {call: http.get, args: {url: "https://b-123456789012.europe-west1.run.app"}}
    - c: {call: http.get, args: {url: "https://c-123456789012.europe-west1.run.app"}}
    - d: {call: http.get, args: {url: "https://d-123456789012.europe-west1.run.app"}}
    - e: {call: http.get, args: {url: "https://e-123456789012.europe-west1.run.app"}}
    - f: {call: http.get, args: {url: "https://f-123456789012.europe-west1.run.app"}}
    - g: {call: http.get, args: {url: "https://g-123456789012.europe-west1.run.app"}}
    - h: {call: http.get, args: {url: "https://h-123456789012.europe-west1.run.app"}}
    - i: {call: http.get, args: {url: "https://i-123456789012.europe-west1.run.app"}}
```

## How to fix
Split the hub along its responsibilities (one workflow per business process, one service per
bounded context), put a topic between a producer and its many consumers, or raise
`high-coupling` in `baton.toml` for a deliberate hub such as an API gateway.
"#,
    check: Some(check),
};

fn check(cx: &mut Checker<'_>) {
    let analysis = cx.analysis;
    let graph = &analysis.graph;
    let threshold = analysis.config.thresholds.high_coupling;
    for m in metrics(graph).nodes {
        let node = graph.node(m.node);
        if !matches!(
            node.kind,
            NodeKind::Workflow | NodeKind::Service | NodeKind::Function | NodeKind::RunJob
        ) || m.ca + m.ce <= threshold
        {
            continue;
        }
        let instability = m
            .instability
            .map_or_else(|| "n/a".to_string(), |i| format!("{i:.2}"));
        cx.on_node(m.node, format!(
                    "{} `{}` has Ca + Ce = {} (more than {threshold}): Ca {} (resources that depend on it), Ce {} (resources it depends on), instability {instability}",
                    node.kind.as_str(),
                    node.name,
                    m.ca + m.ce,
                    m.ca,
                    m.ce,
                ));
    }
}
