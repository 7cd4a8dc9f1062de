use super::Rule;
use crate::analysis::Analysis;
use crate::diagnostic::{Diagnostic, Severity};
use crate::load::parse_resource_name;
use crate::model::{Destination, ResourceKind};
use crate::retry::http_calls;

pub const RULE: Rule = Rule {
    name: "workflow-trigger-no-retry",
    code: "RES006",
    severity: Severity::Warning,
    summary: "an Eventarc-triggered workflow with an `http.*` call that nothing retries",
    docs: r#"## What it finds
A workflow that is the destination of an Eventarc trigger (in the same input) and makes at
least one `http.*` call that no retry policy covers (see `call-without-retry` for what counts
as covered). The trigger's `destination.workflow` is matched against workflows by short name,
and by project and location when both sides give them. Workflows that only use connectors
(`googleapis.*`, which retry by default) are not reported.

The finding sits on the workflow, with the trigger's destination as a related location.

## Why it matters
Eventarc considers an event delivered as soon as the workflow execution starts; an execution
that starts and then fails is never retried (Workflows docs, "Trigger a workflow with events or
Pub/Sub messages"). So a single transient HTTP error loses the event for good: the file stays
unprocessed, the message is gone, and only the failed execution in the logs tells.

## Example
```yaml
name: projects/demo/locations/europe-west1/triggers/on-upload
destination:
  workflow: projects/demo/locations/europe-west1/workflows/image-pipeline
---
name: projects/demo/locations/europe-west1/workflows/image-pipeline   # reported here
sourceContents: |
  main:
    params: [event]
    steps:
      - resize:
          call: http.post            # not retried: the event is lost if it fails
          args:
            url: https://resize-abcdefghij-ew.a.run.app
```

## How to fix
Retry every external call in the workflow (`try` + `retry: ${http.default_retry}` or a custom
policy), and catch what still fails so the event can be recorded or re-queued (for example, to
a Pub/Sub topic or a Cloud Tasks queue).
"#,
};

pub fn check(analysis: &Analysis<'_>, out: &mut Vec<Diagnostic>) {
    for trigger in &analysis.workspace.resources {
        let ResourceKind::Trigger(t) = &trigger.kind else {
            continue;
        };
        let Some(destination) = &t.destination else {
            continue;
        };
        let Destination::Workflow(target) = &destination.value else {
            continue;
        };
        let target = parse_resource_name(target);
        // A short destination name means the trigger's own project and location.
        let project = target.project.or(trigger.project.as_deref());
        let location = target.location.or(trigger.location.as_deref());
        let same = |a: Option<&str>, b: Option<&String>| match (a, b) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        };
        for wf in &analysis.workflows {
            let resource = wf.resource;
            if resource.name != target.id
                || !same(project, resource.project.as_ref())
                || !same(location, resource.location.as_ref())
            {
                continue;
            }
            let calls = http_calls(wf);
            let Some(first) = calls.iter().find(|c| !c.retried) else {
                continue;
            };
            out.push(
                Diagnostic::new(
                    RULE.name,
                    RULE.severity,
                    resource.loc,
                    format!(
                        "workflow `{}` is started by eventarc trigger `{}`, which never retries a failed execution, but its `{}` call in step `{}` has no retry policy",
                        resource.name, trigger.name, first.call.function.value, first.step.name
                    ),
                )
                .with_subject(&resource.name)
                .with_related(destination.loc, format!("trigger `{}` starts the workflow here", trigger.name))
                .with_related(first.step.loc, "this call is not retried"),
            );
        }
    }
}
