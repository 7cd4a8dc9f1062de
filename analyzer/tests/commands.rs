//! Commands as input: `gcloud` lines in shell scripts, READMEs, Makefiles, Cloud Build and
//! GitHub Actions become resources and edges, with findings on the command's line. Fixtures
//! are written inline, one string per file, so that a test shows its whole input.

// Tests and benches fail loudly on what they did not expect.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use baton_analyzer::graph::{Graph, NodeKind};
use baton_analyzer::model::ResourceKind;
use baton_analyzer::{analyze, Report, SourceFile};

fn files(files: &[(&str, &str)]) -> Vec<SourceFile> {
    files
        .iter()
        .map(|(path, text)| SourceFile::new(*path, *text))
        .collect()
}

/// `from -kind-> to` for every edge, by node label (`kind:name`).
fn edges(graph: &Graph) -> BTreeSet<String> {
    graph
        .graph
        .edge_indices()
        .map(|e| {
            let (a, b) = graph.graph.edge_endpoints(e).unwrap();
            format!(
                "{} -{}-> {}",
                graph.node(a).label,
                graph.graph[e].kind.as_str(),
                graph.node(b).label
            )
        })
        .collect()
}

fn rules(report: &Report) -> Vec<(&'static str, u32, u32)> {
    report
        .findings
        .iter()
        .map(|d| (d.rule.name(), d.loc.file.0, d.loc.line))
        .collect()
}

fn has_edges(report: &Report, expected: &[&str]) {
    let got = edges(&report.graph);
    for edge in expected {
        assert!(got.contains(*edge), "{edge} missing from {got:#?}");
    }
}

const WORKFLOW: &str = "main:\n  steps:\n    - call_api:\n        call: http.get\n        args:\n          url: ${sys.get_env(\"API_URL\")}\n        result: r\n    - done:\n        return: ${r.body}\n";

/// A README's code blocks, read in order: variables carry from block to block, a console
/// block's output is skipped, `update` changes the resource `create` made, and findings point
/// at the README's lines.
#[test]
fn readme_code_blocks() {
    let readme = r#"# Deploy

Set your project:

```bash
export PROJECT_ID=shop
export REGION=europe-west1
gcloud config set project $PROJECT_ID
```

Deploy the API and the workflow:

```sh
gcloud run deploy api --region=$REGION --image=gcr.io/shop/api --allow-unauthenticated
API_URL=$(gcloud run services describe api --region=$REGION --format='value(status.url)')
gcloud workflows deploy orders --location=$REGION --source=workflow.yaml \
  --set-env-vars=API_URL=$API_URL
```

```console
$ gcloud pubsub topics create orders
Created topic [projects/shop/topics/orders].
$ gcloud pubsub subscriptions create audit --topic=orders \
>   --push-endpoint=$API_URL/audit
Created subscription.
```

Later, to make it private:

```bash
gcloud run services update api --region=$REGION --no-allow-unauthenticated
```

```python
gcloud_is_not_run_here = True
```
"#;
    let report = analyze(&files(&[
        ("app/README.md", readme),
        ("app/workflow.yaml", WORKFLOW),
    ]));
    has_edges(
        &report,
        &[
            "workflow:orders -sync-call-> service:api",
            "topic:orders -deliver-> subscription:audit",
            "subscription:audit -deliver-> service:api",
        ],
    );
    let names: Vec<(&str, u32)> = report
        .workspace
        .resources
        .iter()
        .map(|r| (r.name.as_str(), r.loc.line))
        .collect();
    assert_eq!(
        names,
        [("api", 14), ("orders", 16), ("orders", 21), ("audit", 23)]
    );
    // The update took `--allow-unauthenticated` back.
    let ResourceKind::Service(api) = &report.workspace.resources[0].kind else {
        panic!("not a service")
    };
    assert_eq!(api.public, None);
    // The workflow's steps are in workflow.yaml, which is not a second workflow.
    let ResourceKind::Workflow(w) = &report.workspace.resources[1].kind else {
        panic!("not a workflow")
    };
    assert_eq!(w.file.0, 1);
    assert_eq!(w.subworkflows[0].steps[0].loc.line, 3);
    // `call-without-retry` is on the workflow file's line; `untriggered-workflow` on the
    // README's `gcloud workflows deploy`.
    let found = rules(&report);
    assert!(found.contains(&("call-without-retry", 1, 3)), "{found:?}");
    assert!(
        found.contains(&("untriggered-workflow", 0, 16)),
        "{found:?}"
    );
    // The push has no OIDC token.
    assert!(
        found.contains(&("unauthenticated-target", 0, 24)),
        "{found:?}"
    );
}

/// Cloud Build steps: the gcloud builder's `args`, `bash -c` scripts, substitutions; the
/// config itself is not a YAML definition Baton reports as unrecognized.
#[test]
fn cloud_build_steps() {
    let build = r#"steps:
- name: gcr.io/cloud-builders/gcloud
  args: ['workflows', 'deploy', '${_WORKFLOW}', '--source=workflow.yaml', '--location=${_REGION}']
- name: gcr.io/google.com/cloudsdktool/cloud-sdk
  entrypoint: bash
  args:
  - -c
  - |
    gcloud scheduler jobs create http nightly \
      --location=${_REGION} --schedule="0 3 * * *" \
      --uri="https://workflowexecutions.googleapis.com/v1/projects/$PROJECT_ID/locations/${_REGION}/workflows/${_WORKFLOW}/executions" \
      --oauth-service-account-email=runner@shop.iam.gserviceaccount.com
substitutions:
  _REGION: us-central1
  _WORKFLOW: reports
"#;
    let report = analyze(&files(&[
        ("ci/cloudbuild.yaml", build),
        ("ci/workflow.yaml", WORKFLOW),
    ]));
    has_edges(&report, &["job:nightly -schedule-> workflow:reports"]);
    let found = rules(&report);
    assert!(
        !found.iter().any(|(r, _, _)| *r == "unrecognized-document"),
        "{found:?}"
    );
    let job = report
        .workspace
        .resources
        .iter()
        .find(|r| r.name == "nightly")
        .unwrap();
    assert_eq!(
        (job.loc.line, job.location.as_deref()),
        (9, Some("us-central1"))
    );
}

/// GitHub Actions `run:` blocks with the workflow's and step's `env`, and a Makefile recipe.
#[test]
fn actions_and_makefiles() {
    let actions = r#"name: deploy
on: push
env:
  REGION: us-east1
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: queue
        env:
          QUEUE: jobs
        run: |
          gcloud tasks queues create "$QUEUE" --location="$REGION" --max-attempts=-1
"#;
    let make = "REGION ?= us-east1\n\ntopics:\n\tgcloud pubsub topics create events --project=$(PROJECT)\n\t@gcloud pubsub subscriptions create events-sub --topic=events \\\n\t  --push-endpoint=https://hooks.example.com/events\n";
    let report = analyze(&files(&[
        ("repo/.github/workflows/deploy.yml", actions),
        ("repo/Makefile", make),
    ]));
    let queue = report
        .workspace
        .resources
        .iter()
        .find(|r| r.name == "jobs")
        .unwrap();
    assert_eq!(
        (queue.loc.line, queue.location.as_deref()),
        (14, Some("us-east1"))
    );
    let found = rules(&report);
    assert!(found.contains(&("unbounded-retries", 0, 14)), "{found:?}");
    has_edges(
        &report,
        &[
            "topic:events -deliver-> subscription:events-sub",
            "subscription:events-sub -deliver-> external:hooks.example.com",
        ],
    );
    let sub = report
        .workspace
        .resources
        .iter()
        .find(|r| r.name == "events-sub")
        .unwrap();
    assert_eq!((sub.loc.file.0, sub.loc.line), (1, 5));
}

/// What a script cannot know stays visible: an unset variable's target is an `unresolved`
/// node that shows the expression; a variable from a sourced `.env` of the folder is known.
#[test]
fn unknown_and_sourced_variables() {
    let script = "#!/bin/bash\nsource ./config.env\ngcloud eventarc triggers create on-upload --location=$REGION \\\n  --destination-run-service=\"$SERVICE\" \\\n  --event-filters=type=google.cloud.storage.object.v1.finalized \\\n  --event-filters=bucket=$BUCKET\n";
    let env = "REGION=europe-west1\nBUCKET=uploads-shop\n";
    let report = analyze(&files(&[("ops/setup.sh", script), ("ops/config.env", env)]));
    let got = edges(&report.graph);
    assert!(
        got.contains("event-source:uploads-shop -event-> trigger:on-upload"),
        "{got:?}"
    );
    let unresolved: Vec<&str> = report
        .graph
        .nodes()
        .map(|n| report.graph.node(n))
        .filter(|n| n.kind == NodeKind::Unresolved)
        .map(|n| n.name.as_str())
        .collect();
    assert_eq!(unresolved.len(), 1, "{got:?}");
    assert!(unresolved[0].contains("{$SERVICE}"), "{unresolved:?}");
    let trigger = report
        .workspace
        .resources
        .iter()
        .find(|r| r.name == "on-upload")
        .unwrap();
    assert_eq!(trigger.location.as_deref(), Some("europe-west1"));
}

/// Functions deployed with every trigger flag, a bucket notification, and a Cloud Run job
/// started by a scheduler.
#[test]
fn functions_notifications_and_jobs() {
    let script = r#"
gcloud config set project media
gcloud storage buckets create gs://media-in
gcloud pubsub topics create uploads
gcloud storage buckets notifications create gs://media-in --topic=uploads --event-types=OBJECT_FINALIZE
gcloud functions deploy index --gen2 --region=us-central1 --trigger-topic=uploads --retry
gcloud functions deploy resize --no-gen2 --region=us-central1 --trigger-bucket=media-in
gcloud functions deploy api --gen2 --region=us-central1 --trigger-http --allow-unauthenticated
gcloud run jobs create reindex --region=us-central1 --max-retries=2
gcloud scheduler jobs create http reindex-nightly --location=us-central1 --schedule="0 2 * * *" \
  --uri="https://us-central1-run.googleapis.com/apis/run.googleapis.com/v1/namespaces/media/jobs/reindex:run" \
  --http-method=POST --oauth-service-account-email=runner@media.iam.gserviceaccount.com
"#;
    let report = analyze(&files(&[("media/deploy.sh", script)]));
    has_edges(
        &report,
        &[
            "event-source:media-in -event-> topic:uploads",
            "topic:uploads -deliver-> function:index",
            "event-source:media-in -event-> function:resize",
            "job:reindex-nightly -schedule-> run-job:reindex",
        ],
    );
    let function = |name: &str| {
        report
            .workspace
            .resources
            .iter()
            .find_map(|r| match &r.kind {
                ResourceKind::Function(f) if r.name == name => Some(f.clone()),
                _ => None,
            })
            .unwrap()
    };
    assert_eq!(function("resize").generation, 1);
    assert!(function("index")
        .event_trigger
        .is_some_and(|t| t.value.retry));
    assert_eq!(function("api").public.map(|l| l.line), Some(8));
}

/// Hostile scripts load without panic and without hanging.
#[test]
fn hostile_scripts() {
    let deep = format!(
        "gcloud pubsub topics create {}x{}\n",
        "$(".repeat(5_000),
        ")".repeat(5_000)
    );
    let long_line = format!("gcloud pubsub topics create {}\n", "t ".repeat(100_000));
    let lots_of_loops = "for a in 1 2 3 4 5 6 7 8 9 10; do for b in 1 2 3 4 5 6 7 8 9 10; do for c in 1 2 3 4 5 6 7 8 9 10; do for d in 1 2 3 4 5 6 7 8 9 10; do gcloud pubsub topics create t$a$b$c$d; done; done; done; done\n";
    let self_source = "source ./a.sh\ngcloud pubsub topics create t\n";
    let unterminated = "gcloud pubsub topics create \"t\necho $(\n`\ncat <<EOF\n";
    let cases = [
        vec![("a.sh", deep.as_str())],
        vec![("a.sh", long_line.as_str())],
        vec![("a.sh", lots_of_loops)],
        vec![("a.sh", self_source)],
        vec![("a.sh", unterminated)],
        vec![("README.md", "```bash\n")],
        vec![("Makefile", "x:\n\t$(\n")],
    ];
    for case in cases {
        let files = files(&case);
        let report = analyze(&files);
        for d in &report.findings {
            assert!(d.loc.line >= 1, "{d:?}");
        }
        // Loops are bounded: at most 1,000 iterations per file.
        assert!(report.workspace.resources.len() <= 100_001);
    }
}

/// Corpus cases, each reduced to its core: a later `config set` does not move earlier
/// resources; a workflow destination keeps its location when the project is unknown; Cloud
/// Build's `--source` is relative to the repository's root; the same unknown expression
/// names the same resource; the older `--matching-criteria` spelling is read.
#[test]
fn corpus_cases() {
    let report = analyze(&files(&[(
        "a/README.md",
        "```bash\ngcloud config set project p2\ngcloud pubsub topics create t\ngcloud config set project p1\ngcloud pubsub subscriptions create s --topic=projects/p2/topics/t\n```\n",
    )]));
    has_edges(&report, &["topic:t -deliver-> subscription:s"]);
    let topic = report
        .workspace
        .resources
        .iter()
        .find(|r| r.name == "t")
        .unwrap();
    assert_eq!(topic.project.as_deref(), Some("p2"));

    let report = analyze(&files(&[(
        "b/setup.sh",
        "gcloud workflows deploy w --location=us-central1 --source=w.yaml\ngcloud eventarc triggers create t --location=us --destination-workflow=w --destination-workflow-location=us-central1 --event-filters=type=google.cloud.storage.object.v1.finalized --event-filters=bucket=b\n",
    ), ("b/w.yaml", WORKFLOW)]));
    has_edges(&report, &["trigger:t -deliver-> workflow:w"]);
    let found = rules(&report);
    assert!(
        !found
            .iter()
            .any(|(r, _, _)| *r == "unknown-target" || *r == "untriggered-workflow"),
        "{found:?}"
    );

    let report = analyze(&files(&[
        ("repo/ci/cloudbuild.yaml", "steps:\n- name: gcr.io/cloud-builders/gcloud\n  args: ['workflows', 'deploy', 'w', '--source', 'ci/w.yaml']\n"),
        ("repo/ci/w.yaml", WORKFLOW),
        ("repo/README.md", "Run `gcloud builds submit`.\n"),
    ]));
    let ResourceKind::Workflow(w) = &report.workspace.resources[0].kind else {
        panic!("not a workflow")
    };
    assert_eq!(w.subworkflows.len(), 1);
    assert_eq!(report.workspace.resources.len(), 1, "w.yaml is w's source");

    let report = analyze(&files(&[(
        "c/setup.sh",
        "P=$(gcloud config get-value project)\ngsutil mb gs://$P-in\ngcloud beta eventarc triggers create t --location=eu --destination-run-service=s --matching-criteria=type=google.cloud.storage.object.v1.finalized --matching-criteria=bucket=$P-in\n",
    )]));
    has_edges(&report, &["event-source:{project}-in -event-> trigger:t"]);
}

/// Tasks created by a command give their queue a target and a use; a service starts a
/// workflow named in an env var that says it is one; sibling samples creating the same bucket
/// do not conflict, and neither do two `deploy`s.
#[test]
fn tasks_workflow_names_and_siblings() {
    let report = analyze(&files(&[
        (
            "q/setup.sh",
            "gcloud tasks queues create work --location=eu\ngcloud tasks create-http-task --queue=work --location=eu --url=https://worker.example.com/run --oidc-service-account-email=a@b.iam.gserviceaccount.com\ngcloud workflows deploy orders --location=eu --source=w.yaml\ngcloud run deploy api --region=eu --set-env-vars=WORKFLOW_NAME=orders\n",
        ),
        ("q/w.yaml", WORKFLOW),
        ("samples/v1/README.md", "```bash\ngsutil mb -l eu gs://shared-input\n```\n"),
        ("samples/v2/README.md", "```bash\ngsutil mb -l us gs://shared-input\n```\n"),
        ("deploy/a.sh", "gcloud run deploy app --region=eu --max-instances=1\n"),
        ("deploy/b.sh", "gcloud run deploy app --region=eu --max-instances=5\n"),
    ]));
    has_edges(
        &report,
        &[
            "queue:work -dispatch-> external:worker.example.com",
            "service:api -start-execution-> workflow:orders",
        ],
    );
    let found = rules(&report);
    for rule in [
        "unused-queue",
        "untriggered-workflow",
        "conflicting-definition",
    ] {
        assert!(
            !found.iter().any(|(r, _, _)| *r == rule),
            "{rule}: {found:?}"
        );
    }
}
