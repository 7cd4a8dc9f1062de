use super::{Checker, Rule};
use crate::diagnostic::{Severity, Subject};

pub const RULE: Rule = Rule {
    name: "duplicate-resource",
    code: "TF003",
    severity: Severity::Error,
    summary: "two Terraform resources that create the same resource in one project",
    docs: r#"## What it finds
Two Terraform resource instances (in one root module or in two) that create a resource of the
same kind with the same name, project and location: two scheduler jobs named `nightly` in
project `demo`, a topic created by a dev and a prod root that both set `project = "demo"`.
Resources whose project Terraform only knows at `apply` time are not compared, and neither are
a `gcloud` export and the Terraform that creates it.

## Why it matters
Google Cloud names are unique per project and location: the second `apply` fails with "already
exists", or, where a resource is adopted, two roots fight over one resource and each `apply`
undoes the other's changes.

## Example
```hcl
resource "google_cloud_scheduler_job" "nightly" {
  name     = "nightly"
  project  = "demo"
  region   = "europe-west1"
  schedule = "0 3 * * *"
  pubsub_target {
    topic_name = "projects/demo/topics/nightly"
  }
}

resource "google_cloud_scheduler_job" "nightly_copy" {
  name     = "nightly"
  project  = "demo"
  region   = "europe-west1"
  schedule = "0 4 * * *"
  pubsub_target {
    topic_name = "projects/demo/topics/nightly"
  }
}
```

## How to fix
Give each resource its own name (a suffix per environment or root), or create it in one root
and refer to it from the other with a data source.
"#,
    check: Some(check),
};

fn check(cx: &mut Checker<'_>) {
    let analysis = cx.analysis;
    let graph = &analysis.graph;
    for n in graph.nodes() {
        let node = graph.node(n);
        if node.project.is_none() {
            continue;
        }
        let created: Vec<_> = node
            .definitions
            .iter()
            .filter_map(|&id| {
                let resource = analysis.workspace.resource(id)?;
                Some((id, resource, resource.terraform.as_ref()?))
            })
            .collect();
        let Some(&(_, first, first_origin)) = created.first() else {
            continue;
        };
        for &(id, resource, origin) in &created[1..] {
            if origin.root == first_origin.root && origin.address == first_origin.address {
                continue;
            }
            let message = format!(
                "`{}` in `{}` creates {} `{}` in project `{}` again: `{}` in `{}` creates it too",
                origin.address,
                origin.root,
                resource.kind.label(),
                node.name,
                node.project.as_deref().unwrap_or(""),
                first_origin.address,
                first_origin.root
            );
            cx.report(resource.loc, Subject::Resource(id), message)
                .related_to(first.loc, Subject::Node(n), "first created here");
        }
    }
}
