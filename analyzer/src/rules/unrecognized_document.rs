use super::Rule;
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    name: "unrecognized-document",
    code: "BTN002",
    severity: Severity::Info,
    summary: "a document that is no resource Baton reads",
    docs: r#"## What it finds
A document that is neither a Workflows definition nor a resource Baton models (Eventarc trigger,
Cloud Tasks queue, Cloud Scheduler job, Pub/Sub topic or subscription, Cloud Run service, in
gcloud, Config Connector or App Engine form), or an empty file.

## Why it matters
Nothing in it appears on the graph. That is fine for unrelated files, but a resource in an
unexpected shape would be missing silently.

## Example
```yaml
apiVersion: iam.cnrm.cloud.google.com/v1beta1
kind: IAMServiceAccount
metadata:
  name: invoker
```

## How to fix
Nothing, if the document is unrelated. Otherwise export the resource with
`gcloud ... describe --format=yaml` and load that.
"#,
    check: None,
};
