use super::{Checker, Rule};
use crate::diagnostic::{Severity, Subject};
use crate::model::{ResourceId, ResourceKind};

pub const RULE: Rule = Rule {
    name: "missing-dead-letter",
    code: "RES004",
    severity: Severity::Warning,
    summary: "a Pub/Sub push or pull subscription without a dead-letter topic",
    docs: r#"## What it finds
A Pub/Sub push or pull subscription with no `deadLetterPolicy`.

BigQuery and Cloud Storage subscriptions are not reported: Pub/Sub writes those itself, there
is no subscriber code for a single message to fail in, and their failures (permissions, schema)
stop every message and show in the subscription's `state`. A subscription whose topic was
deleted (`_deleted-topic_`) receives nothing and is not reported either.

## Why it matters
A message the subscriber cannot process (a poison message) is redelivered again and again until
the subscription's retention expires, 7 days by default, and is then silently dropped. Until
then it takes delivery attempts from good messages; afterwards there is no trace of it.

## Example
```yaml
name: projects/demo/subscriptions/orders-push
topic: projects/demo/topics/orders
pushConfig:
  pushEndpoint: https://orders-abcdefghij-ew.a.run.app/
  oidcToken:
    serviceAccountEmail: push@demo.iam.gserviceaccount.com
ackDeadlineSeconds: 10       # no deadLetterPolicy
```

## How to fix
Add a dead-letter topic and a delivery limit, and grant the Pub/Sub service agent publish
rights on it:
```yaml
deadLetterPolicy:
  deadLetterTopic: projects/demo/topics/orders-dead-letter
  maxDeliveryAttempts: 5
```
(`gcloud pubsub subscriptions update S --dead-letter-topic=T --max-delivery-attempts=5`).
"#,
    check: Some(check),
};

fn check(cx: &mut Checker<'_>) {
    let analysis = cx.analysis;
    for (i, resource) in analysis.workspace.resources.iter().enumerate() {
        let ResourceKind::Subscription(sub) = &resource.kind else {
            continue;
        };
        if sub.dead_letter_topic.is_some()
            || sub.bigquery_table.is_some()
            || sub.storage_bucket.is_some()
            || sub
                .topic
                .as_ref()
                .is_some_and(|t| t.value == "_deleted-topic_")
        {
            continue;
        }
        let kind = if sub.push.is_some() { "push" } else { "pull" };
        cx.report(
            resource.loc,
            Subject::Resource(ResourceId::new(i)),
            format!(
                "{kind} subscription `{}` has no dead-letter topic: a message that keeps failing is redelivered until retention expires, then dropped",
                resource.name
            ),
        );
    }
}
