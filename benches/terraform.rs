//! A generated Terraform estate: one root calling 200 local modules, each with ten resources
//! wired together (a topic and its push subscription to a Cloud Run service, a Scheduler job
//! starting a workflow whose source is a `templatefile()` handed the service's URI, an Eventarc
//! trigger, a queue, a Cloud Function on a bucket notification's topic...): 2,000 resources
//! and 200 templated workflows. Target: load and analyze in < 1 s, native release.
//! Run with `cargo bench --bench terraform`.

// Tests and benches fail loudly on what they did not expect.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write;
use std::time::Instant;

use baton_analyzer::{analyze, RuleId, SourceFile};

const MODULES: usize = 200;
const STEPS: usize = 30;

fn main() {
    let files = estate(MODULES);
    let bytes: usize = files.iter().map(|f| f.text.len()).sum();
    let mut times = Vec::new();
    let mut summary = String::new();
    for _ in 0..5 {
        let start = Instant::now();
        let report = analyze(&files);
        times.push(start.elapsed().as_secs_f64());
        let broken: Vec<String> = report
            .findings
            .iter()
            .filter(|d| {
                matches!(
                    d.rule,
                    RuleId::ParseError | RuleId::InvalidDefinition | RuleId::UnrecognizedDocument
                )
            })
            .map(|d| format!("{} {}:{} {}", d.rule, d.loc.file.0, d.loc.line, d.message))
            .collect();
        assert!(
            broken.is_empty(),
            "generated input must load cleanly: {broken:?}"
        );
        summary = format!(
            "{} resources, {} nodes, {} edges, {} findings",
            report.workspace.resources.len(),
            report.graph.graph.node_count(),
            report.graph.graph.edge_count(),
            report.findings.len()
        );
    }
    times.sort_by(f64::total_cmp);
    println!(
        "terraform: {} files, {:.2} MB ({summary}): median {:.0} ms, best {:.0} ms (target < 1000 ms)",
        files.len(),
        bytes as f64 / 1e6,
        times[times.len() / 2] * 1e3,
        times[0] * 1e3,
    );
}

fn estate(modules: usize) -> Vec<SourceFile> {
    let mut files = Vec::new();
    let mut root = String::from(
        "variable \"project\" {\n  default = \"estate\"\n}\n\nlocals {\n  region = \"europe-west1\"\n}\n",
    );
    for m in 0..modules {
        let _ = write!(
            root,
            "\nmodule \"team{m}\" {{\n  source  = \"./modules/team{m}\"\n  project = var.project\n  region  = local.region\n  name    = \"team{m}\"\n  upstream_topic = {}\n}}\n",
            if m == 0 {
                "null".to_string()
            } else {
                format!("module.team{}.topic_id", m - 1)
            }
        );
        files.push(SourceFile::new(
            format!("estate/modules/team{m}/main.tf"),
            module(),
        ));
        files.push(SourceFile::new(
            format!("estate/modules/team{m}/flow.yaml.tftpl"),
            template(STEPS),
        ));
    }
    files.push(SourceFile::new("estate/main.tf", root));
    files.push(SourceFile::new(
        "estate/terraform.tfvars",
        "project = \"estate-prod\"\n",
    ));
    files
}

fn module() -> String {
    r#"
variable "project" {}
variable "region" {}
variable "name" {}
variable "upstream_topic" {
  default = null
}

resource "google_pubsub_topic" "events" {
  name    = "${var.name}-events"
  project = var.project
}

resource "google_pubsub_topic" "dead" {
  name    = "${var.name}-dead"
  project = var.project
}

resource "google_cloud_run_v2_service" "api" {
  name     = "${var.name}-api"
  project  = var.project
  location = var.region
  template {
    containers {
      image = "europe-docker.pkg.dev/estate/${var.name}"
      env {
        name  = "EVENTS_TOPIC"
        value = google_pubsub_topic.events.id
      }
    }
  }
}

resource "google_pubsub_subscription" "push" {
  name    = "${var.name}-push"
  project = var.project
  topic   = var.upstream_topic == null ? google_pubsub_topic.events.id : var.upstream_topic
  push_config {
    push_endpoint = "${google_cloud_run_v2_service.api.uri}/events"
    oidc_token {
      service_account_email = "push@${var.project}.iam.gserviceaccount.com"
    }
  }
  dead_letter_policy {
    dead_letter_topic     = google_pubsub_topic.dead.id
    max_delivery_attempts = 5
  }
}

resource "google_workflows_workflow" "flow" {
  name            = "${var.name}-flow"
  project         = var.project
  region          = var.region
  source_contents = templatefile("${path.module}/flow.yaml.tftpl", {
    api_url = google_cloud_run_v2_service.api.uri
    topic   = google_pubsub_topic.events.id
  })
}

resource "google_cloud_scheduler_job" "nightly" {
  name      = "${var.name}-nightly"
  project   = var.project
  region    = var.region
  schedule  = "0 4 * * *"
  time_zone = "UTC"
  http_target {
    uri         = "https://workflowexecutions.googleapis.com/v1/${google_workflows_workflow.flow.id}/executions"
    http_method = "POST"
    oauth_token {
      service_account_email = "run@${var.project}.iam.gserviceaccount.com"
    }
  }
}

resource "google_eventarc_trigger" "on_event" {
  name     = "${var.name}-on-event"
  project  = var.project
  location = var.region
  matching_criteria {
    attribute = "type"
    value     = "google.cloud.pubsub.topic.v1.messagePublished"
  }
  transport {
    pubsub {
      topic = google_pubsub_topic.events.id
    }
  }
  destination {
    workflow = google_workflows_workflow.flow.id
  }
}

resource "google_cloud_tasks_queue" "work" {
  name     = "${var.name}-work"
  project  = var.project
  location = var.region
  retry_config {
    max_attempts = 5
  }
}

resource "google_storage_bucket" "drop" {
  name     = "${var.project}-${var.name}-drop"
  location = "EU"
}

resource "google_storage_notification" "drop" {
  bucket         = google_storage_bucket.drop.name
  topic          = google_pubsub_topic.events.id
  payload_format = "JSON_API_V1"
  event_types    = ["OBJECT_FINALIZE"]
}

output "topic_id" {
  value = google_pubsub_topic.events.id
}
"#
    .to_string()
}

fn template(steps: usize) -> String {
    let mut out = String::from("main:\n  params: [event]\n  steps:\n");
    for s in 0..steps {
        let _ = match s % 3 {
            0 => write!(
                out,
                "    - call_{s}:\n        try:\n          call: http.post\n          args:\n            url: ${{api_url}}/step/{s}\n            auth:\n              type: OIDC\n          result: r{s}\n        retry: $${{http.default_retry}}\n"
            ),
            1 => write!(
                out,
                "    - publish_{s}:\n        call: googleapis.pubsub.v1.projects.topics.publish\n        args:\n          topic: ${{topic}}\n          body:\n            messages:\n              - data: $${{base64.encode(text.encode(\"{s}\"))}}\n"
            ),
            _ => write!(
                out,
                "    - assign_{s}:\n        assign:\n          - counter_{s}: $${{event.data.count + {s}}}\n"
            ),
        };
    }
    out.push_str("    - done:\n        return: ok\n");
    out
}
