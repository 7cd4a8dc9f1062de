//! Terraform input: each resource type read with its fields, each resolution feature (variables,
//! tfvars, locals, functions, conditionals, modules, `count` and `for_each`, data sources,
//! `file()` and `templatefile()`), roots kept apart, mixed input, and what stays unknown.
//! Fixtures are written inline, one string per file, so that a test shows its whole input.

// Tests and benches fail loudly on what they did not expect.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use baton_analyzer::graph::{Graph, NodeKind};
use baton_analyzer::model::{Auth, Destination, JobTarget, ResourceKind};
use baton_analyzer::{analyze, Report, RuleId, SourceFile};

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

fn resource<'r>(report: &'r Report, address: &str) -> &'r baton_analyzer::Resource {
    report
        .workspace
        .resources
        .iter()
        .find(|r| r.terraform.as_ref().is_some_and(|t| t.address == address))
        .unwrap_or_else(|| panic!("no resource {address}"))
}

fn rules(report: &Report) -> Vec<(&'static str, u32)> {
    report
        .findings
        .iter()
        .map(|d| (d.rule.name(), d.loc.line))
        .collect()
}

const WIRING: &str = r#"
variable "project" {
  default = "shop"
}

variable "region" {}

locals {
  prefix = "orders"
  topics = ["created", "paid"]
}

resource "google_pubsub_topic" "events" {
  for_each = toset(local.topics)
  name     = "${local.prefix}-${each.key}"
  project  = var.project
}

resource "google_pubsub_subscription" "billing" {
  name    = "billing"
  project = var.project
  topic   = google_pubsub_topic.events["paid"].id
  push_config {
    push_endpoint = "${google_cloud_run_v2_service.billing.uri}/push"
    oidc_token {
      service_account_email = "push@shop.iam.gserviceaccount.com"
    }
  }
  dead_letter_policy {
    dead_letter_topic     = google_pubsub_topic.dead.id
    max_delivery_attempts = 7
  }
}

resource "google_pubsub_topic" "dead" {
  name    = "orders-dead"
  project = var.project
}

resource "google_cloud_run_v2_service" "billing" {
  name     = "billing"
  project  = var.project
  location = var.region
  ingress  = "INGRESS_TRAFFIC_INTERNAL_ONLY"
  template {
    scaling {
      max_instance_count = 1
    }
    containers {
      image = "europe-docker.pkg.dev/shop/billing"
      env {
        name  = "RECEIPTS_TOPIC"
        value = google_pubsub_topic.events["created"].id
      }
    }
  }
}

resource "google_cloud_scheduler_job" "nightly" {
  name      = "nightly-report"
  project   = var.project
  region    = var.region
  schedule  = "30 2 * * *"
  time_zone = "Europe/Berlin"
  retry_config {
    retry_count = 2
  }
  http_target {
    uri         = "https://workflowexecutions.googleapis.com/v1/${google_workflows_workflow.report.id}/executions"
    http_method = "POST"
    oauth_token {
      service_account_email = "run@shop.iam.gserviceaccount.com"
    }
  }
}

resource "google_workflows_workflow" "report" {
  name            = "report"
  project         = var.project
  region          = var.region
  source_contents = templatefile("${path.module}/report.yaml.tftpl", {
    billing_url = google_cloud_run_v2_service.billing.uri
  })
}

resource "google_eventarc_trigger" "on_paid" {
  name     = "on-paid"
  project  = var.project
  location = var.region
  matching_criteria {
    attribute = "type"
    value     = "google.cloud.pubsub.topic.v1.messagePublished"
  }
  transport {
    pubsub {
      topic = google_pubsub_topic.events["paid"].id
    }
  }
  destination {
    workflow = google_workflows_workflow.report.id
  }
}

resource "google_cloud_tasks_queue" "mails" {
  name     = "mails"
  project  = var.project
  location = var.region
  retry_config {
    max_attempts       = -1
    max_retry_duration = "0s"
  }
  rate_limits {
    max_dispatches_per_second = 5
  }
  http_target {
    uri_override {
      host = "mailer-123456789012.europe-west1.run.app"
    }
  }
}
"#;

const REPORT_TEMPLATE: &str = r#"main:
  steps:
    - fetch:
        call: http.get
        args:
          url: ${billing_url}/totals
        result: totals
    - done:
        return: $${totals.body}
    - never:
        return: 0
"#;

fn wiring() -> Vec<SourceFile> {
    files(&[
        ("shop/main.tf", WIRING),
        ("shop/terraform.tfvars", "region = \"europe-west1\"\n"),
        ("shop/report.yaml.tftpl", REPORT_TEMPLATE),
    ])
}

#[test]
fn every_resource_type_is_read_with_its_fields() {
    let report = analyze(&wiring());
    let r = resource(&report, "google_pubsub_subscription.billing");
    let ResourceKind::Subscription(sub) = &r.kind else {
        panic!()
    };
    assert_eq!(
        (r.name.as_str(), r.project.as_deref()),
        ("billing", Some("shop"))
    );
    let push = sub.push.as_ref().unwrap();
    assert_eq!((push.value.auth, push.loc.line), (Auth::Oidc, 24));
    assert_eq!(sub.max_delivery_attempts, Some(7));

    let r = resource(&report, "google_cloud_run_v2_service.billing");
    let ResourceKind::Service(service) = &r.kind else {
        panic!()
    };
    assert_eq!(
        r.location.as_deref(),
        Some("europe-west1"),
        "from terraform.tfvars"
    );
    assert_eq!(service.max_scale, Some(1));
    assert_eq!(
        service.ingress.as_deref(),
        Some("INGRESS_TRAFFIC_INTERNAL_ONLY")
    );
    assert_eq!(service.env[0].value.0, "RECEIPTS_TOPIC");

    let r = resource(&report, "google_cloud_scheduler_job.nightly");
    let ResourceKind::Job(job) = &r.kind else {
        panic!()
    };
    assert_eq!(
        job.schedule
            .as_ref()
            .map(|s| (s.value.as_str(), s.loc.line)),
        Some(("30 2 * * *", 63))
    );
    assert_eq!(job.retry_count, Some(2));
    assert!(matches!(
        job.target.as_ref().unwrap().value,
        JobTarget::Http {
            auth: Auth::OAuth,
            ..
        }
    ));

    let r = resource(&report, "google_eventarc_trigger.on_paid");
    let ResourceKind::Trigger(trigger) = &r.kind else {
        panic!()
    };
    assert_eq!(
        trigger.filter("type"),
        Some("google.cloud.pubsub.topic.v1.messagePublished")
    );
    assert!(matches!(
        trigger.destination.as_ref().unwrap().value,
        Destination::Workflow(_)
    ));

    let r = resource(&report, "google_cloud_tasks_queue.mails");
    let ResourceKind::Queue(queue) = &r.kind else {
        panic!()
    };
    assert_eq!(queue.retry.max_attempts.as_ref().map(|a| a.value), Some(-1));
    assert_eq!(queue.max_dispatches_per_second, Some(5.0));

    for key in ["created", "paid"] {
        let r = resource(&report, &format!("google_pubsub_topic.events[\"{key}\"]"));
        assert_eq!(r.name, format!("orders-{key}"));
    }
}

#[test]
fn references_become_edges_that_follow_the_flow() {
    let report = analyze(&wiring());
    let got = edges(&report.graph);
    let want = [
        "topic:orders-paid -deliver-> subscription:billing",
        "subscription:billing -deliver-> service:billing",
        "subscription:billing -dead-letter-> topic:orders-dead",
        "service:billing -publish-> topic:orders-created",
        "job:nightly-report -schedule-> workflow:report",
        "topic:orders-paid -event-> trigger:on-paid",
        "trigger:on-paid -deliver-> workflow:report",
        // The template's `${billing_url}` is the service's URI: the call reaches it.
        "workflow:report -sync-call-> service:billing",
        "queue:mails -dispatch-> service:mailer",
    ];
    for edge in want {
        assert!(
            got.contains(edge),
            "missing {edge}; got:\n{}",
            got.iter().cloned().collect::<Vec<_>>().join("\n")
        );
    }
    assert_eq!(got.len(), want.len(), "{got:#?}");
}

#[test]
fn rules_fire_on_terraform_lines_and_template_lines() {
    let report = analyze(&wiring());
    let found = rules(&report);
    // The template's own lines: the unretried call and the step after `return`.
    let template = report
        .findings
        .iter()
        .filter(|d| d.loc.file.0 == 2)
        .map(|d| (d.rule, d.loc.line, d.loc.column))
        .collect::<Vec<_>>();
    assert!(
        template.contains(&(RuleId::CallWithoutRetry, 3, 7)),
        "{template:?}"
    );
    assert!(
        template.contains(&(RuleId::UnreachableStep, 10, 7)),
        "{template:?}"
    );
    // And the `.tf` lines: Berlin's 02:30 is skipped in March, the queue retries forever.
    assert!(found.contains(&("dst-sensitive-schedule", 63)), "{found:?}");
    assert!(found.contains(&("unbounded-retries", 109)), "{found:?}");
    // The template file is the workflow's definition, not a second, unnamed workflow.
    let workflows = report
        .workspace
        .resources
        .iter()
        .filter(|r| matches!(r.kind, ResourceKind::Workflow(_)))
        .count();
    assert_eq!(workflows, 1);
}

#[test]
fn modules_count_and_for_each_give_terraform_addresses() {
    let report = analyze(&files(&[
        (
            "stack/main.tf",
            r#"
module "events" {
  source   = "./modules/events"
  for_each = { a = "alpha", b = "beta" }
  name     = each.value
}

module "single" {
  source = "./modules/events"
  count  = 1
  name   = "solo"
}

resource "google_pubsub_subscription" "alpha_audit" {
  name  = "alpha-audit"
  topic = module.events["a"].topic_id
  dead_letter_policy {
    dead_letter_topic = module.single[0].topic_id
  }
}
"#,
        ),
        (
            "stack/modules/events/main.tf",
            r#"
variable "name" {}

resource "google_pubsub_topic" "t" {
  name = "${var.name}-events"
}

output "topic_id" {
  value = google_pubsub_topic.t.id
}
"#,
        ),
    ]));
    let addresses: BTreeSet<&str> = report
        .workspace
        .resources
        .iter()
        .filter_map(|r| Some(r.terraform.as_ref()?.address.as_str()))
        .collect();
    assert_eq!(
        addresses,
        BTreeSet::from([
            "google_pubsub_subscription.alpha_audit",
            "module.events[\"a\"].google_pubsub_topic.t",
            "module.events[\"b\"].google_pubsub_topic.t",
            "module.single[0].google_pubsub_topic.t",
        ])
    );
    let got = edges(&report.graph);
    assert!(
        got.contains("topic:alpha-events -deliver-> subscription:alpha-audit"),
        "{got:?}"
    );
    assert!(
        got.contains("subscription:alpha-audit -dead-letter-> topic:solo-events"),
        "{got:?}"
    );
    // The module folder is no root of its own.
    let roots: BTreeSet<&str> = report
        .workspace
        .resources
        .iter()
        .filter_map(|r| Some(r.terraform.as_ref()?.root.as_str()))
        .collect();
    assert_eq!(roots, BTreeSet::from(["stack"]));
}

#[test]
fn functions_conditionals_data_sources_and_heredocs() {
    let report = analyze(&files(&[(
        "app/main.tf",
        r#"
variable "env" {
  default = "prod"
}

locals {
  names  = { prod = "orders", dev = "orders-dev" }
  topic  = lookup(local.names, var.env, "none")
  suffix = var.env == "prod" ? "" : "-${var.env}"
  queues = [for q in ["a", "b"] : upper(q)]
}

resource "google_pubsub_topic" "orders" {
  name = format("%s%s", local.topic, local.suffix)
}

data "google_pubsub_topic" "existing" {
  name = "orders"
}

resource "google_cloud_tasks_queue" "q" {
  count    = length(local.queues)
  name     = lower("Q-${local.queues[count.index]}")
  location = "europe-west1"
}

resource "google_cloud_scheduler_job" "tick" {
  name     = "tick"
  region   = "europe-west1"
  schedule = "*/5 * * * *"
  pubsub_target {
    topic_name = data.google_pubsub_topic.existing.id
  }
}

resource "google_workflows_workflow" "inline" {
  name   = "inline"
  region = "europe-west1"
  source_contents = <<-EOF
    main:
      steps:
        - publish:
            call: googleapis.pubsub.v1.projects.topics.publish
            args:
              topic: ${google_pubsub_topic.orders.id}
              body:
                messages: [{data: '$${base64.encode(text.encode("hi"))}'}]
        - dead:
            next: end
        - gone:
            return: 1
  EOF
}
"#,
    )]));
    let names: BTreeSet<&str> = report
        .workspace
        .resources
        .iter()
        .map(|r| r.name.as_str())
        .collect();
    assert!(
        names.is_superset(&BTreeSet::from(["orders", "q-a", "q-b", "tick", "inline"])),
        "{names:?}"
    );
    let got = edges(&report.graph);
    // The data source names the managed topic: the job publishes to it.
    assert!(got.contains("job:tick -schedule-> topic:orders"), "{got:?}");
    assert!(
        got.contains("workflow:inline -publish-> topic:orders"),
        "{got:?}"
    );
    // Positions inside the heredoc are those of the `.tf` file.
    let gone = report
        .findings
        .iter()
        .find(|d| d.rule == RuleId::UnreachableStep)
        .unwrap();
    assert_eq!((gone.loc.line, gone.loc.column), (50, 11));
}

#[test]
fn two_roots_keep_the_same_address_apart() {
    let stack = |env: &str| {
        format!(
            r#"
resource "google_pubsub_topic" "orders" {{
  name = "orders"
}}

resource "google_pubsub_subscription" "audit" {{
  name  = "audit-{env}"
  topic = google_pubsub_topic.orders.id
}}
"#
        )
    };
    let (dev, prod) = (stack("dev"), stack("prod"));
    let report = analyze(&files(&[
        ("envs/dev/main.tf", &dev),
        ("envs/prod/main.tf", &prod),
    ]));
    let graph = &report.graph;
    let topics: Vec<_> = graph
        .nodes()
        .map(|n| graph.node(n))
        .filter(|n| n.kind == NodeKind::Topic)
        .map(|n| n.terraform.as_ref().unwrap().root.clone())
        .collect();
    assert_eq!(topics, ["dev", "prod"]);
    let got = edges(graph);
    assert!(
        got.contains("topic:orders@dev -deliver-> subscription:audit-dev")
            || got.iter().any(|e| e.ends_with("subscription:audit-dev")),
        "{got:?}"
    );
    // Each subscription reads its own root's topic.
    for e in graph.graph.edge_indices() {
        let (a, b) = graph.graph.edge_endpoints(e).unwrap();
        let root = |n| graph.node(n).terraform.as_ref().map(|t| t.root.clone());
        assert_eq!(root(a), root(b));
    }
    assert!(!report
        .findings
        .iter()
        .any(|d| d.rule == RuleId::AmbiguousReference));
}

#[test]
fn what_only_apply_knows_stays_visible() {
    let report = analyze(&files(&[(
        "main.tf",
        r#"
variable "target_url" {}

module "remote" {
  source = "terraform-google-modules/pubsub/google"
}

resource "google_cloud_scheduler_job" "ping" {
  name     = "ping"
  region   = "europe-west1"
  schedule = "* * * * *"
  http_target {
    uri = var.target_url
  }
}

resource "google_pubsub_subscription" "s" {
  name  = "s"
  topic = module.remote.topic
}
"#,
    )]));
    let graph = &report.graph;
    let unresolved: Vec<&str> = graph
        .nodes()
        .map(|n| graph.node(n))
        .filter(|n| n.kind == NodeKind::Unresolved)
        .map(|n| n.name.as_str())
        .collect();
    assert_eq!(unresolved, ["{var.target_url}", "{module.remote.topic}"]);
    assert_eq!(graph.graph.edge_count(), 2, "no edge is dropped");
    assert_eq!(
        rules(&report)
            .iter()
            .filter(|(r, _)| *r == "module-not-followed")
            .count(),
        1
    );
}

#[test]
fn bad_hcl_is_a_located_parse_error_and_the_rest_still_loads() {
    let report = analyze(&files(&[
        (
            "a/broken.tf",
            "resource \"google_pubsub_topic\" \"t\" {\n  name = \n}\n",
        ),
        (
            "a/good.tf",
            "resource \"google_pubsub_topic\" \"u\" {\n  name = \"u\"\n}\n",
        ),
        (
            "b/deep.tf",
            &format!(
                "locals {{\n  x = {}1{}\n}}\n",
                "[".repeat(500),
                "]".repeat(500)
            ),
        ),
    ]));
    let errors: Vec<(u32, u32, u32)> = report
        .findings
        .iter()
        .filter(|d| d.rule == RuleId::ParseError)
        .map(|d| (d.loc.file.0, d.loc.line, d.loc.column))
        .collect();
    assert_eq!(errors.len(), 2, "{:?}", report.findings);
    assert_eq!((errors[0].0, errors[0].1), (0, 2));
    assert_eq!((errors[1].0, errors[1].1), (2, 2));
    assert!(report.workspace.resources.iter().any(|r| r.name == "u"));
}

#[test]
fn mixed_input_gives_one_graph() {
    let report = analyze(&files(&[
        (
            "sys/main.tf",
            r#"
resource "google_workflows_workflow" "w" {
  name            = "flow"
  region          = "europe-west1"
  source_contents = file("${path.module}/flow.yaml")
}
"#,
        ),
        (
            "sys/flow.yaml",
            "main:\n  steps:\n    - publish:\n        call: googleapis.pubsub.v1.projects.topics.publish\n        args:\n          topic: projects/p/topics/orders\n          body: {messages: [{data: e30=}]}\n",
        ),
        // A `gcloud` export of a topic and a subscription beside the Terraform.
        ("sys/topic.yaml", "name: projects/p/topics/orders\n"),
        (
            "sys/sub.yaml",
            "name: projects/p/subscriptions/audit\ntopic: projects/p/topics/orders\ndeadLetterPolicy:\n  deadLetterTopic: projects/p/topics/dlq\n",
        ),
    ]));
    let got = edges(&report.graph);
    assert!(
        got.contains("workflow:flow -publish-> topic:orders"),
        "{got:?}"
    );
    assert!(
        got.contains("topic:orders -deliver-> subscription:audit"),
        "{got:?}"
    );
    let workflows = report
        .workspace
        .resources
        .iter()
        .filter(|r| matches!(r.kind, ResourceKind::Workflow(_)))
        .count();
    assert_eq!(
        workflows, 1,
        "flow.yaml is the Terraform workflow's source, not a second workflow"
    );
}

/// Inputs built to hurt: long operator chains, self-referring locals and modules, a template
/// that renders itself, huge `count`s. Each loads (with findings where due), without panic.
#[test]
fn hostile_terraform_inputs_load_without_panic() {
    let long_sum = format!("locals {{\n  x = {}1\n}}\n", "1 + ".repeat(100_000));
    let long_concat = format!("locals {{\n  s = \"{}\"\n}}\n", "${local.s}".repeat(10_000));
    let cases: Vec<Vec<(&str, String)>> = vec![
        vec![("a/main.tf", long_sum)],
        vec![("a/main.tf", long_concat)],
        vec![(
            "a/main.tf",
            "locals {\n  a = local.b\n  b = local.a\n}\nresource \"google_pubsub_topic\" \"t\" {\n  name = local.a\n}\n".into(),
        )],
        vec![(
            "a/main.tf",
            "module \"self\" {\n  source = \"./\"\n}\nmodule \"up\" {\n  source = \"../a\"\n}\nresource \"google_pubsub_topic\" \"t\" {\n  name = \"t\"\n}\n".into(),
        )],
        vec![
            (
                "a/main.tf",
                "resource \"google_workflows_workflow\" \"w\" {\n  source_contents = templatefile(\"${path.module}/t.tftpl\", {})\n}\n".into(),
            ),
            ("a/t.tftpl", "${templatefile(\"t.tftpl\", {})}\n".into()),
        ],
        vec![(
            "a/main.tf",
            "resource \"google_pubsub_topic\" \"t\" {\n  count = 100000000\n  name = \"t${count.index}\"\n}\nresource \"google_pubsub_topic\" \"u\" {\n  for_each = { for i in range(100000) : i => i }\n  name = each.key\n}\n".into(),
        )],
        vec![(
            "a/main.tf",
            format!("locals {{\n  x = {}\n}}\n", "[for v in ".repeat(150) + "[1]" + &" : v]".repeat(150)),
        )],
        // Just under the nesting limit, and a long chain of locals.
        vec![(
            "a/main.tf",
            format!("locals {{\n  x = {}\n}}\n", "[for v in ".repeat(60) + "[1]" + &" : v]".repeat(60)),
        )],
        vec![(
            "a/main.tf",
            format!(
                "locals {{\n{}  l0 = 1\n}}\nresource \"google_pubsub_topic\" \"t\" {{\n  name = local.l999\n}}\n",
                (1..1000).map(|i| format!("  l{i} = local.l{}\n", i - 1)).collect::<String>()
            ),
        )],
        vec![("a/main.tf", "resource \"google_pubsub_topic\" {\n".into())],
        vec![("a/main.tf", "\u{feff}resource \"x\" \"y\" { a = \"\\u{0}\" }\n".into())],
    ];
    for files in cases {
        let files: Vec<SourceFile> = files
            .into_iter()
            .map(|(p, t)| SourceFile::new(p, t))
            .collect();
        let report = analyze(&files);
        for d in &report.findings {
            assert!(
                (d.loc.file.0 as usize) < files.len() && d.loc.line >= 1,
                "{d:?}"
            );
        }
    }
}

#[test]
fn the_provider_block_sets_project_and_region_defaults() {
    let report = analyze(&files(&[
        (
            "p/main.tf",
            r#"
provider "google" {
  project = "acme"
  region  = "us-east1"
}

module "m" {
  source = "./m"
}

resource "google_pubsub_topic" "t" {
  name = "t"
}
"#,
        ),
        (
            "p/m/main.tf",
            "resource \"google_cloud_tasks_queue\" \"q\" {\n  name = \"q\"\n}\n",
        ),
    ]));
    let t = resource(&report, "google_pubsub_topic.t");
    assert_eq!(
        (t.project.as_deref(), t.location.as_deref()),
        (Some("acme"), None)
    );
    let q = resource(&report, "module.m.google_cloud_tasks_queue.q");
    assert_eq!(
        (q.project.as_deref(), q.location.as_deref()),
        (Some("acme"), Some("us-east1"))
    );
}

/// `path.module` of the folder the input starts in is `.`: files named without a folder
/// (`main.tf`, `./flow.yaml`) still find each other.
#[test]
fn templates_beside_a_root_without_a_folder_are_found() {
    for (main, flow) in [("main.tf", "flow.yaml"), ("./main.tf", "./flow.yaml")] {
        let report = analyze(&files(&[
            (
                main,
                "resource \"google_workflows_workflow\" \"w\" {\n  name = \"w\"\n  source_contents = templatefile(\"${path.module}/flow.yaml\", { u = \"https://example.com\" })\n}\n",
            ),
            (flow, "main:\n  steps:\n    - get:\n        call: http.get\n        args:\n          url: ${u}\n"),
        ]));
        let got = edges(&report.graph);
        assert_eq!(
            got,
            BTreeSet::from(["workflow:w -sync-call-> external:example.com".to_string()]),
            "{main}"
        );
    }
}

/// Terraform's JSON syntax: `.tf.json` configuration and `.tfvars.json` values, beside `.tf`
/// files of the same module, with positions in the JSON.
#[test]
fn json_syntax_reads_like_the_native_one() {
    let main = r#"{
  "variable": {
    "topic": {"default": "unset"}
  },
  "resource": {
    "google_workflows_workflow": {
      "flow": {
        "name": "flow",
        "region": "europe-west1",
        "source_contents": "- publish:\n    call: googleapis.pubsub.v1.projects.topics.publish\n    args:\n      topic: ${google_pubsub_topic.events.id}\n- done:\n    return: $${sys.now()}\n"
      }
    },
    "google_pubsub_subscription": {
      "audit": {
        "name": "audit",
        "topic": "${google_pubsub_topic.events.name}",
        "labels": {"team": "ops"},
        "push_config": {
          "push_endpoint": "${google_cloud_run_v2_service.api.uri}",
          "oidc_token": [{"service_account_email": "push@shop.iam.gserviceaccount.com"}]
        },
        "dynamic": {
          "dead_letter_policy": {
            "for_each": "${var.dlq ? [1] : []}",
            "content": {"dead_letter_topic": "projects/shop/topics/dead"}
          }
        }
      }
    }
  }
}
"#;
    let report = analyze(&files(&[
        ("stack/main.tf.json", main),
        (
            "stack/topic.tf",
            "variable \"dlq\" {\n  default = false\n}\n\nresource \"google_pubsub_topic\" \"events\" {\n  name = var.topic\n}\n\nresource \"google_cloud_run_v2_service\" \"api\" {\n  name     = \"api\"\n  location = \"europe-west1\"\n  template {}\n}\n",
        ),
        ("stack/terraform.tfvars.json", "{\"topic\": \"orders\", \"dlq\": true}\n"),
    ]));
    let got = edges(&report.graph);
    for edge in [
        "workflow:flow -publish-> topic:orders",
        "topic:orders -deliver-> subscription:audit",
        "subscription:audit -deliver-> service:api",
        "subscription:audit -dead-letter-> topic:dead",
    ] {
        assert!(got.contains(edge), "{edge} missing from {got:?}");
    }
    let sub = resource(&report, "google_pubsub_subscription.audit");
    assert_eq!((sub.loc.file.0, sub.loc.line), (0, 14), "{:?}", sub.loc);
    // `$${` in a JSON string is a literal `${`, as in the native syntax: Workflows reads it.
    let flow = resource(&report, "google_workflows_workflow.flow");
    let ResourceKind::Workflow(workflow) = &flow.kind else {
        panic!("not a workflow")
    };
    assert_eq!(workflow.subworkflows[0].steps.len(), 2);
    assert!(
        report.findings.iter().all(|d| d.rule != RuleId::ParseError),
        "{:?}",
        rules(&report)
    );
}

#[test]
fn bad_json_syntax_is_a_located_parse_error_and_the_module_still_loads() {
    let report = analyze(&files(&[
        (
            "m/broken.tf.json",
            "{\n  \"resource\": {\n    \"google_pubsub_topic\": [\n}\n",
        ),
        (
            "m/ok.tf",
            "resource \"google_pubsub_topic\" \"t\" {\n  name = \"t\"\n}\n",
        ),
    ]));
    let errors: Vec<_> = report
        .findings
        .iter()
        .filter(|d| d.rule == RuleId::ParseError)
        .map(|d| (d.loc.file.0, d.loc.line))
        .collect();
    assert_eq!(errors, [(0, 4)], "{:?}", rules(&report));
    resource(&report, "google_pubsub_topic.t");
}

/// An Eventarc `cloud_run_service` destination names a service by a name only `apply` knows
/// (`random_pet`), or a gen2 function (a Cloud Run service underneath): both reach the loaded
/// resource.
#[test]
fn run_destinations_reach_services_and_gen2_functions() {
    let report = analyze(&files(&[(
        "p/main.tf",
        r#"
resource "random_pet" "suffix" {}

resource "google_cloud_run_service" "svc" {
  name     = "svc-${random_pet.suffix.id}"
  location = "us-central1"
}

resource "google_cloudfunctions2_function" "hook" {
  name     = "hook"
  location = "us-central1"
}

resource "google_eventarc_trigger" "to_service" {
  name     = "to-service"
  location = "us-central1"
  matching_criteria {
    attribute = "type"
    value     = "google.cloud.pubsub.topic.v1.messagePublished"
  }
  destination {
    cloud_run_service {
      service = google_cloud_run_service.svc.name
      region  = "us-central1"
    }
  }
}

resource "google_eventarc_trigger" "to_function" {
  name     = "to-function"
  location = "us-central1"
  matching_criteria {
    attribute = "type"
    value     = "google.cloud.storage.object.v1.finalized"
  }
  destination {
    cloud_run_service {
      service = google_cloudfunctions2_function.hook.name
      region  = "us-central1"
    }
  }
}
"#,
    )]));
    let got = edges(&report.graph);
    assert!(
        got.contains("trigger:to-service -deliver-> service:google_cloud_run_service.svc"),
        "{got:?}"
    );
    assert!(
        got.contains("trigger:to-function -deliver-> function:hook"),
        "{got:?}"
    );
    assert!(
        report
            .findings
            .iter()
            .all(|d| d.rule != RuleId::UnknownTarget),
        "{:?}",
        rules(&report)
    );
}

/// Bucket names are global, but two roots' buckets whose names only `apply` knows are two.
#[test]
fn buckets_named_at_apply_time_stay_in_their_root() {
    let root = |trigger: &str| {
        format!(
            r#"
resource "random_id" "id" {{
  byte_length = 4
}}

resource "google_storage_bucket" "default" {{
  name     = "in-${{random_id.id.hex}}"
  location = "US"
}}

resource "google_eventarc_trigger" "t" {{
  name     = "{trigger}"
  location = "us"
  matching_criteria {{
    attribute = "type"
    value     = "google.cloud.storage.object.v1.finalized"
  }}
  matching_criteria {{
    attribute = "bucket"
    value     = google_storage_bucket.default.name
  }}
}}
"#
        )
    };
    let report = analyze(&files(&[
        ("eventarc/basic/main.tf", &root("basic")),
        ("eventarc/workflows/main.tf", &root("workflows")),
    ]));
    let buckets: Vec<_> = report
        .graph
        .nodes()
        .map(|n| report.graph.node(n))
        .filter(|n| n.kind == NodeKind::EventSource)
        .collect();
    assert_eq!(buckets.len(), 2, "{buckets:?}");
    for bucket in buckets {
        let n = report.graph.find(&bucket.id).unwrap();
        assert_eq!(report.graph.edges_out(n).count(), 1, "{}", bucket.id);
    }
}

/// A `dynamic` block's `for_each` over a list of objects: each element is one block.
#[test]
fn dynamic_blocks_iterate_lists_of_objects() {
    let report = analyze(&files(&[(
        "q/main.tf",
        r#"
variable "routing" {
  default = [{ service = "worker", version = "v1" }]
}

resource "google_cloud_tasks_queue" "q" {
  name     = "q"
  location = "us-central1"
  dynamic "app_engine_routing_override" {
    for_each = var.routing
    content {
      service = app_engine_routing_override.value["service"]
      version = app_engine_routing_override.value.version
    }
  }
}
"#,
    )]));
    let got = edges(&report.graph);
    assert!(
        got.contains("queue:q -dispatch-> external:appengine/worker"),
        "{got:?}"
    );
}

/// Environment variables that name a queue or a workflow, and a queue's token audience: soft
/// edges, as for topics and service URLs.
#[test]
fn environments_and_audiences_name_queues_workflows_and_functions() {
    let report = analyze(&files(&[(
        "f/main.tf",
        r#"
resource "google_cloud_tasks_queue" "jobs" {
  name     = "jobs"
  location = "us-central1"
  http_target {
    oidc_token {
      service_account_email = "tasks@p.iam.gserviceaccount.com"
      audience              = google_cloudfunctions2_function.worker.url
    }
  }
}

resource "google_workflows_workflow" "flow" {
  name            = "flow"
  region          = "us-central1"
  source_contents = "- done:\n    return: 1\n"
}

resource "google_cloudfunctions2_function" "worker" {
  name     = "worker"
  location = "us-central1"
}

resource "google_cloudfunctions2_function" "producer" {
  name     = "producer"
  location = "us-central1"
  service_config {
    environment_variables = {
      QUEUE    = google_cloud_tasks_queue.jobs.name
      WORKFLOW = google_workflows_workflow.flow.id
    }
  }
}
"#,
    )]));
    let got = edges(&report.graph);
    for edge in [
        "function:producer -enqueue-> queue:jobs",
        "function:producer -start-execution-> workflow:flow",
        "queue:jobs -dispatch-> function:worker",
    ] {
        assert!(got.contains(edge), "{edge} missing from {got:?}");
    }
    assert!(
        report
            .findings
            .iter()
            .all(|d| d.rule != RuleId::UnusedQueue),
        "{:?}",
        rules(&report)
    );
}

/// Placeholder values: an empty `project` is unset (the provider's is used), an empty `name`
/// names nothing (the address does), and a registry module with `count = 0` is nothing to
/// miss.
#[test]
fn empty_placeholders_and_modules_that_make_nothing() {
    let report = analyze(&files(&[(
        "p/main.tf",
        r#"
provider "google" {
  project = "acme"
}

variable "topic" {
  default = ""
}

module "off" {
  source = "terraform-google-modules/pubsub/google"
  count  = 0
}

module "on" {
  source = "terraform-google-modules/pubsub/google"
}

resource "google_pubsub_topic" "a" {
  project = ""
  name    = var.topic
}

resource "google_pubsub_topic" "b" {
  name = var.topic
}
"#,
    )]));
    let a = resource(&report, "google_pubsub_topic.a");
    assert_eq!(
        (a.name.as_str(), a.project.as_deref()),
        ("google_pubsub_topic.a", Some("acme"))
    );
    let b = resource(&report, "google_pubsub_topic.b");
    assert_eq!(b.name, "google_pubsub_topic.b");
    // Two topics, not one named "".
    assert_eq!(
        report
            .graph
            .nodes()
            .filter(|&n| report.graph.node(n).kind == NodeKind::Topic)
            .count(),
        2
    );
    let notes: Vec<u32> = report
        .findings
        .iter()
        .filter(|d| d.rule == RuleId::ModuleNotFollowed)
        .map(|d| d.loc.line)
        .collect();
    assert_eq!(notes, [15], "{:?}", rules(&report));
}
