use super::{Checker, Rule};
use crate::diagnostic::Severity;
use crate::graph::{EdgeKind, NodeKind};

pub const RULE: Rule = Rule {
    name: "topic-without-subscribers",
    code: "EVT002",
    severity: Severity::Warning,
    summary: "a Pub/Sub topic that no loaded subscription or trigger listens to",
    docs: r#"## What it finds
A Pub/Sub topic defined in the loaded files that no loaded subscription reads and no Eventarc
trigger listens to (`transport.pubsub.topic` of a `messagePublished` trigger).

## Why it matters
Pub/Sub keeps messages only for subscriptions that exist when they are published: a message
sent to a topic without subscriptions is dropped at once, and nobody notices.

## Example
```yaml
name: projects/demo/topics/order-created      # nothing subscribes
---
name: projects/demo/subscriptions/billing
topic: projects/demo/topics/order-placed       # a different topic
```

## How to fix
Create the subscription (or trigger) that should consume the topic, or point the existing one
at it; delete the topic if it is no longer used.
"#,
    check: Some(check),
};

fn check(cx: &mut Checker<'_>) {
    let analysis = cx.analysis;
    let graph = &analysis.graph;
    for n in graph.nodes() {
        let node = graph.node(n);
        if node.kind != NodeKind::Topic || !graph.is_defined(n) {
            continue;
        }
        let listened = graph
            .edges_out(n)
            .any(|(_, e)| matches!(e.kind, EdgeKind::Deliver | EdgeKind::Event));
        if !listened {
            cx.on_node(
                n,
                format!(
                    "no loaded subscription or trigger reads topic `{}`: messages published to it are dropped",
                    node.name
                ),
            );
        }
    }
}
