use super::{Checker, Rule};
use crate::diagnostic::{Severity, Subject};
use crate::graph::{EdgeKind, Graph, NodeKind};
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;

pub const RULE: Rule = Rule {
    name: "unknown-target",
    code: "EVT001",
    severity: Severity::Warning,
    summary:
        "a destination, target, topic or endpoint that names a resource not among the loaded ones",
    docs: r#"## What it finds
A reference to a workflow, Cloud Run service, queue or topic that none of the loaded files
defines, where the reference is one of: an Eventarc trigger destination, a Scheduler job target,
a Cloud Tasks task URL or queue target, a subscription's topic, a push endpoint, or the workflow
a workflow starts (`executions.run` / `executions.create` / the executions URL). When a loaded
resource has a similar name, the message suggests it.

Service URLs match by service name (both `run.app` forms, and `status.url`), so a renamed or
redeployed service shows up here.

## Why it matters
Events, tasks and messages sent to something that does not exist are lost or fail on every
attempt; often the cause is a typo or a resource that was renamed on one side only. If the
resource lives in files you did not load, load them too (or ignore the finding there).

## Example
```yaml
name: projects/demo/locations/europe-west1/triggers/on-upload
eventFilters:
  - {attribute: type, value: google.cloud.storage.object.v1.finalized}
  - {attribute: bucket, value: uploads}
destination:
  workflow: projects/demo/locations/europe-west1/workflows/image-pipline   # typo
---
main:          # loaded as workflow `image-pipeline`
  steps: [...]
```

## How to fix
Correct the name, or load the file that defines the resource.
"#,
    check: Some(check),
};

fn check(cx: &mut Checker<'_>) {
    let analysis = cx.analysis;
    let graph = &analysis.graph;
    for e in graph.graph.edge_references() {
        let (from, to, edge) = (e.source(), e.target(), e.weight());
        let (referrer, missing, what) = match (graph.node(from).kind, edge.kind) {
            (NodeKind::Trigger, EdgeKind::Deliver) => (from, to, "delivers events to"),
            (NodeKind::Job, EdgeKind::Schedule) => (from, to, "targets"),
            (NodeKind::Queue, EdgeKind::Dispatch) => (from, to, "dispatches tasks to"),
            (NodeKind::Subscription, EdgeKind::Deliver) => (from, to, "pushes to"),
            (NodeKind::Topic, EdgeKind::Deliver) => (to, from, "subscribes to"),
            (NodeKind::Workflow, EdgeKind::StartExecution | EdgeKind::SyncCall)
                if graph.node(to).kind == NodeKind::Workflow =>
            {
                (from, to, "starts")
            }
            _ => continue,
        };
        let node = graph.node(missing);
        // An ambiguous reference is among the loaded ones: `ambiguous-reference` says so.
        if graph.is_defined(missing)
            || !node.kind.is_loadable()
            || edge.soft
            || graph.is_ambiguous(missing)
        {
            continue;
        }
        let kind = node.kind.as_str();
        let mut message = format!(
            "{} `{}` {what} {kind} `{}`, which is not among the loaded {kind}s",
            graph.node(referrer).kind.as_str(),
            graph.node(referrer).name,
            node.name,
        );
        if let Some(similar) = similar(graph, missing) {
            message.push_str(&format!(": did you mean `{similar}`?"));
        }
        cx.report(edge.loc, Subject::Edge(e.id()), message);
    }
}

/// A defined node of the same kind with a name at most two edits away.
fn similar(graph: &Graph, missing: NodeIndex) -> Option<&str> {
    let node = graph.node(missing);
    graph
        .nodes()
        .filter(|&n| graph.is_defined(n) && graph.node(n).kind == node.kind)
        .map(|n| graph.node(n).name.as_str())
        .map(|name| (strsim::levenshtein(name, &node.name), name))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, name)| name)
}
