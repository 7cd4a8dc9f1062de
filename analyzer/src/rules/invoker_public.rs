use petgraph::visit::EdgeRef;
use petgraph::Direction;

use super::{Checker, Rule};
use crate::diagnostic::{Severity, Subject};
use crate::graph::EdgeKind;
use crate::model::ResourceKind;

pub const RULE: Rule = Rule {
    name: "invoker-public",
    code: "TF002",
    severity: Severity::Info,
    summary: "a Cloud Run service or Cloud Function anyone may invoke, which events or schedules already call",
    docs: r#"## What it finds
A Cloud Run service or Cloud Function with an IAM binding that lets `allUsers` invoke it
(`roles/run.invoker` or `roles/cloudfunctions.invoker`, in a `google_cloud_run_service_iam_*`,
`google_cloud_run_v2_service_iam_*` or `google_cloudfunctions*_function_iam_*` resource) while
a Scheduler job, a push subscription, an Eventarc trigger, a Cloud Tasks queue or a Pub/Sub or
Storage event reaches it. The finding sits on the binding, with the calls that reach the
service as related locations.

## Why it matters
A handler built for events or schedules trusts that only they call it. Public, it can be called
by anyone on the internet: events can be forged or replayed, a nightly job run a thousand
times, and its cost and quotas used by strangers. The callers that need it can authenticate
with OIDC instead.

## Example
```hcl
resource "google_cloud_run_v2_service" "worker" {
  name     = "worker"
  location = "europe-west1"
  template {
    containers {
      image = "europe-docker.pkg.dev/demo/worker"
    }
  }
}

resource "google_cloud_run_v2_service_iam_member" "public" {
  name     = google_cloud_run_v2_service.worker.name
  location = "europe-west1"
  role     = "roles/run.invoker"
  member   = "allUsers"
}

resource "google_cloud_scheduler_job" "nightly" {
  name     = "nightly"
  region   = "europe-west1"
  schedule = "0 3 * * *"
  http_target {
    uri = google_cloud_run_v2_service.worker.uri
    oidc_token {
      service_account_email = "scheduler@demo.iam.gserviceaccount.com"
    }
  }
}
```

## How to fix
Remove the `allUsers` binding and grant the invoker role to the service accounts of the callers
(the job's `oidc_token`, the subscription's `push_config.oidc_token`, the trigger's
`service_account`). Keep it public only when people or other systems call it directly too, and
suppress the finding there.
"#,
    check: Some(check),
};

fn check(cx: &mut Checker<'_>) {
    let analysis = cx.analysis;
    let graph = &analysis.graph;
    for n in graph.nodes() {
        let node = graph.node(n);
        let public = node
            .resource
            .and_then(|r| analysis.workspace.resource(r))
            .and_then(|r| match &r.kind {
                ResourceKind::Service(s) => s.public,
                ResourceKind::Function(f) => f.public,
                _ => None,
            });
        let Some(binding) = public else {
            continue;
        };
        let callers: Vec<_> = graph
            .graph
            .edges_directed(n, Direction::Incoming)
            .filter(|e| {
                matches!(
                    e.weight().kind,
                    EdgeKind::Schedule | EdgeKind::Deliver | EdgeKind::Event | EdgeKind::Dispatch
                )
            })
            .collect();
        let Some(first) = callers.first() else {
            continue;
        };
        let message = format!(
            "{} `{}` lets `allUsers` invoke it, and {} `{}`{} already calls it: anyone can send it what only they should",
            node.kind.as_str(),
            node.name,
            graph.node(first.source()).kind.as_str(),
            graph.node(first.source()).name,
            match callers.len() {
                1 => String::new(),
                n => format!(" (and {} more)", n - 1),
            }
        );
        let d = cx.report(binding, Subject::Node(n), message);
        for e in &callers {
            let from = graph.node(e.source());
            d.related_to(
                e.weight().loc,
                Subject::Edge(e.id()),
                format!("{} `{}` calls it here", from.kind.as_str(), from.name),
            );
        }
    }
}
