use super::{Checker, Rule};
use crate::diagnostic::{Severity, Subject};
use crate::model::{ResourceId, ResourceKind};

pub const RULE: Rule = Rule {
    name: "unbounded-retries",
    code: "RES003",
    severity: Severity::Warning,
    summary: "a Cloud Tasks queue that retries a failing task forever",
    docs: r#"## What it finds
A Cloud Tasks queue whose `retryConfig.maxAttempts` is `-1` (unlimited) and that sets no
`maxRetryDuration` (absent, or `0s`, which also means unlimited). Either limit alone bounds the
retries, so a queue with one of them is fine. An absent `maxAttempts` is not reported: Cloud
Tasks then uses its default of 100 attempts.

Workflows retry policies are always bounded (`max_retries` is a count; the predefined
policies stop after a few retries), so they are not reported. App Engine `queue.yaml` queues
are only reported through the same fields (`task_retry_limit` maps to `maxAttempts`).

## Why it matters
A task that can never succeed (a bad payload, a deleted target, a permanent `4xx`) is retried
for ever: it costs a dispatch at every backoff interval, keeps hitting the target, and no one
notices because nothing ever fails for good.

## Example
```yaml
name: projects/demo/locations/europe-west1/queues/thumbnails
retryConfig:
  maxAttempts: -1          # unlimited, and no maxRetryDuration
  maxBackoff: 3600s
  minBackoff: 0.100s
state: RUNNING
```

## How to fix
Give the queue a limit: a finite `maxAttempts` (`gcloud tasks queues update Q
--max-attempts=20`) or a `maxRetryDuration` (`--max-retry-duration=86400s`).
"#,
    check: Some(check),
};

fn check(cx: &mut Checker<'_>) {
    let analysis = cx.analysis;
    for (i, resource) in analysis.workspace.resources.iter().enumerate() {
        let ResourceKind::Queue(queue) = &resource.kind else {
            continue;
        };
        let Some(attempts) = &queue.retry.max_attempts else {
            continue;
        };
        if attempts.value != -1 {
            continue;
        }
        let duration_limited = queue
            .retry
            .max_retry_duration
            .as_ref()
            .is_some_and(|d| d.value > 0.0);
        if duration_limited {
            continue;
        }
        cx.report(
            attempts.loc,
            Subject::Resource(ResourceId::new(i)),
            format!(
                "queue `{}` retries a failing task forever: `maxAttempts` is -1 and no `maxRetryDuration` limits it",
                resource.name
            ),
        );
    }
}
