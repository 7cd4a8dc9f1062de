use super::{Checker, Rule};
use crate::diagnostic::Severity;
use crate::graph::{EdgeKind, NodeKind};

pub const RULE: Rule = Rule {
    name: "unused-queue",
    code: "EVT003",
    severity: Severity::Warning,
    summary: "a Cloud Tasks queue that nothing in the loaded files enqueues into",
    docs: r#"## What it finds
A Cloud Tasks queue defined in the loaded files into which no loaded workflow creates tasks
(`googleapis.cloudtasks.v2.projects.locations.queues.tasks.create` with the queue as `parent`).

Services create tasks from their code, which Baton cannot see: if a service fills the queue,
suppress the finding on the queue with `# baton: ignore[unused-queue]`.

## Why it matters
A queue nobody uses is dead configuration, or a sign that the producer points at another
queue (a typo in `parent`, a queue renamed on one side only), so its tasks go elsewhere.

## Example
```yaml
name: projects/demo/locations/europe-west1/queues/thumbnails
---
main:
  steps:
    - enqueue:
        call: googleapis.cloudtasks.v2.projects.locations.queues.tasks.create
        args:
          parent: projects/demo/locations/europe-west1/queues/thumbnail   # not `thumbnails`
          body: {task: {httpRequest: {url: "https://example.com"}}}
```

## How to fix
Point the producer at the queue, or delete the queue.
"#,
    check: Some(check),
};

fn check(cx: &mut Checker<'_>) {
    let analysis = cx.analysis;
    let graph = &analysis.graph;
    for n in graph.nodes() {
        let node = graph.node(n);
        if node.kind != NodeKind::Queue || !graph.is_defined(n) {
            continue;
        }
        // Tasks a command creates (`gcloud tasks create-http-task`) are enqueued by a person.
        let from_commands = node
            .resource
            .and_then(|id| analysis.workspace.resource(id))
            .is_some_and(|r| matches!(&r.kind, crate::model::ResourceKind::Queue(q) if !q.tasks.is_empty()));
        if !from_commands && !graph.edges_in(n).any(|(_, e)| e.kind == EdgeKind::Enqueue) {
            cx.on_node(
                n,
                format!(
                    "nothing in the loaded files enqueues tasks into queue `{}`",
                    node.name
                ),
            );
        }
    }
}
