//! Cloud Functions as `gcloud` and Config Connector write them, Cloud Run jobs, and project
//! exports from Cloud Asset Inventory (NDJSON exports, `asset list` arrays, search results):
//! each shape fills the model as the Terraform reader does, and an export gives the graph the
//! same resources give when `gcloud describe` prints them. Fixtures are in
//! `tests/fixtures/load/`, written by hand.

// Tests and benches fail loudly on what they did not expect.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use baton_analyzer::graph::{Attempts, Graph};
use baton_analyzer::model::{Function, FunctionTrigger, RunJob};
use baton_analyzer::{analyze, Report, Resource, ResourceKind, RuleId, SourceFile, Subject};

fn fixture(name: &str) -> SourceFile {
    let path = format!("{}/tests/fixtures/load/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    SourceFile::new(name, text)
}

fn analyze_fixtures(names: &[&str]) -> Report {
    let files: Vec<SourceFile> = names.iter().map(|n| fixture(n)).collect();
    analyze(&files)
}

/// `from -kind-> to` for every edge, by node id (`kind:name@project/location`).
fn edges(graph: &Graph) -> BTreeSet<String> {
    graph
        .graph
        .edge_indices()
        .map(|e| {
            let (a, b) = graph.graph.edge_endpoints(e).unwrap();
            format!(
                "{} -{}-> {}",
                graph.node(a).id,
                graph.graph[e].kind.as_str(),
                graph.node(b).id
            )
        })
        .collect()
}

fn node_ids(graph: &Graph) -> BTreeSet<String> {
    graph.nodes().map(|n| graph.node(n).id.clone()).collect()
}

/// The attempts of the one edge from node `from` to node `to`.
fn attempts(graph: &Graph, from: &str, to: &str) -> Attempts {
    let (from, to) = (graph.find(from).unwrap(), graph.find(to).unwrap());
    let edge = graph.graph.find_edge(from, to).unwrap();
    graph.graph[edge].attempts
}

fn resource<'r>(report: &'r Report, name: &str) -> &'r Resource {
    report
        .workspace
        .resources
        .iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("no resource {name}"))
}

fn function<'r>(report: &'r Report, name: &str) -> &'r Function {
    match &resource(report, name).kind {
        ResourceKind::Function(f) => f,
        other => panic!("{name} is a {}", other.label()),
    }
}

fn run_job<'r>(report: &'r Report, name: &str) -> &'r RunJob {
    match &resource(report, name).kind {
        ResourceKind::RunJob(job) => job,
        other => panic!("{name} is a {}", other.label()),
    }
}

fn trigger(function: &Function) -> &FunctionTrigger {
    &function
        .event_trigger
        .as_ref()
        .expect("an event trigger")
        .value
}

/// Environment variables as (name, value, line).
fn env(function: &Function) -> Vec<(&str, &str, u32)> {
    function
        .env
        .iter()
        .map(|e| (e.value.0.as_str(), e.value.1.as_str(), e.loc.line))
        .collect()
}

fn rules(report: &Report, rule: RuleId) -> Vec<u32> {
    report
        .findings
        .iter()
        .filter(|d| d.rule == rule)
        .map(|d| d.loc.line)
        .collect()
}

#[test]
fn gcloud_functions_describe_fills_both_generations() {
    let report = analyze_fixtures(&["describe-functions.yaml"]);
    let resize = resource(&report, "resize");
    assert_eq!(
        (
            resize.project.as_deref(),
            resize.location.as_deref(),
            resize.loc.line
        ),
        (Some("shop-prod"), Some("us-central1"), 3)
    );
    let resize = function(&report, "resize");
    assert_eq!(resize.generation, 1);
    assert!(resize.event_trigger.is_none());
    assert_eq!(
        (resize.max_instances, resize.ingress.as_deref()),
        (Some(5), Some("ALLOW_ALL"))
    );
    assert_eq!(
        env(resize),
        [
            ("OUTPUT_BUCKET", "shop-thumbnails", 16),
            ("DONE_TOPIC", "projects/shop-prod/topics/resized", 17)
        ]
    );

    let on_order = function(&report, "on-order");
    let at = on_order.event_trigger.as_ref().unwrap().loc.line;
    assert_eq!(
        (on_order.generation, trigger(on_order), at),
        (
            1,
            &FunctionTrigger {
                event_type: "google.pubsub.topic.publish".into(),
                resource: Some("projects/shop-prod/topics/orders".into()),
                retry: true,
                ..FunctionTrigger::default()
            },
            28
        )
    );
    assert_eq!(
        (on_order.max_instances, on_order.ingress.as_deref()),
        (Some(20), Some("ALLOW_INTERNAL_ONLY"))
    );
    let on_upload = trigger(function(&report, "on-upload"));
    assert_eq!(
        on_upload.resource.as_deref(),
        Some("projects/_/buckets/shop-uploads")
    );
    // `failurePolicy: {}` without `retry` does not retry.
    assert!(!on_upload.retry);

    let thumbnail = function(&report, "thumbnail");
    assert_eq!(thumbnail.generation, 2);
    let t = trigger(thumbnail);
    assert_eq!(t.event_type, "google.cloud.storage.object.v1.finalized");
    assert_eq!(
        t.filters
            .iter()
            .map(|f| (f.attribute.as_str(), f.value.as_str()))
            .collect::<Vec<_>>(),
        [("bucket", "shop-uploads")]
    );
    assert!(t.retry && t.resource.is_none() && t.topic.is_none());
    assert_eq!(
        (thumbnail.max_instances, thumbnail.ingress.as_deref()),
        (Some(3), Some("ALLOW_INTERNAL_ONLY"))
    );
    assert_eq!(
        env(thumbnail),
        [
            ("LOG_EXECUTION_ID", "true", 62),
            ("RESULTS_TOPIC", "projects/shop-prod/topics/thumbnails", 63)
        ]
    );
    let render = function(&report, "render");
    assert_eq!(
        (
            render.generation,
            render.max_instances,
            render.event_trigger.is_none()
        ),
        (2, Some(100), true)
    );
}

#[test]
fn function_triggers_and_urls_become_edges() {
    let report = analyze_fixtures(&["describe-functions.yaml"]);
    let edges = edges(&report.graph);
    for edge in [
        "topic:orders@shop-prod -deliver-> function:on-order@shop-prod/us-central1",
        "event-source:shop-uploads -event-> function:on-upload@shop-prod/us-central1",
        "event-source:shop-uploads -event-> function:thumbnail@shop-prod/us-central1",
        // Environment values that name topics are soft edges.
        "function:resize@shop-prod/us-central1 -publish-> topic:resized@shop-prod",
        "function:thumbnail@shop-prod/us-central1 -publish-> topic:thumbnails@shop-prod",
        // The first generation's URL, and the second's Cloud Run URL, reach the functions.
        "job:resize-backlog@shop-prod/us-central1 -schedule-> function:resize@shop-prod/us-central1",
        "workflow:publish-catalog@shop-prod/us-central1 -sync-call-> function:render@shop-prod/us-central1",
    ] {
        assert!(edges.contains(edge), "{edge} not in {edges:#?}");
    }
    assert_eq!(edges.len(), 7, "{edges:#?}");
    // A retried function is retried until the event expires; the others run once.
    let graph = &report.graph;
    assert_eq!(
        attempts(
            graph,
            "topic:orders@shop-prod",
            "function:on-order@shop-prod/us-central1"
        ),
        Attempts::Unlimited
    );
    assert_eq!(
        attempts(
            graph,
            "event-source:shop-uploads",
            "function:on-upload@shop-prod/us-central1"
        ),
        Attempts::Finite(1)
    );
    assert_eq!(rules(&report, RuleId::InvalidDefinition), Vec::<u32>::new());
    assert_eq!(
        rules(&report, RuleId::UnrecognizedDocument),
        Vec::<u32>::new()
    );
}

#[test]
fn gcloud_functions_list_is_an_array_of_both_generations() {
    let report = analyze_fixtures(&["list-functions.json"]);
    let tally = function(&report, "tally");
    assert_eq!(
        (
            tally.generation,
            trigger(tally).topic.as_deref(),
            trigger(tally).retry
        ),
        (2, Some("projects/shop-prod/topics/orders"), false)
    );
    assert_eq!(
        resource(&report, "tally").location.as_deref(),
        Some("europe-west1")
    );
    let ping = function(&report, "ping");
    assert_eq!((ping.generation, ping.event_trigger.is_none()), (1, true));
    assert_eq!(
        edges(&report.graph),
        BTreeSet::from([
            "topic:orders@shop-prod -deliver-> function:tally@shop-prod/europe-west1".to_string()
        ])
    );
}

#[test]
fn config_connector_functions_and_run_jobs() {
    let report = analyze_fixtures(&["config-connector-functions.yaml"]);
    assert_eq!(
        rules(&report, RuleId::UnrecognizedDocument),
        Vec::<u32>::new()
    );
    // `spec.resourceID` names it in Google Cloud.
    let on_order = resource(&report, "on-order");
    assert_eq!(
        (
            on_order.project.as_deref(),
            on_order.location.as_deref(),
            on_order.loc.line
        ),
        (Some("shop-prod"), Some("us-central1"), 9)
    );
    let on_order = function(&report, "on-order");
    assert_eq!(
        (
            on_order.generation,
            on_order.max_instances,
            on_order.ingress.as_deref()
        ),
        (1, Some(10), Some("ALLOW_INTERNAL_ONLY"))
    );
    assert_eq!(
        trigger(on_order),
        &FunctionTrigger {
            event_type: "providers/cloud.pubsub/eventTypes/topic.publish".into(),
            resource: Some("orders".into()),
            retry: true,
            ..FunctionTrigger::default()
        }
    );
    assert_eq!(
        env(on_order),
        [(
            "INVOICE_QUEUE",
            "projects/shop-prod/locations/us-central1/queues/invoices",
            24
        )]
    );
    let on_upload = trigger(function(&report, "on-upload"));
    assert_eq!(
        (on_upload.resource.as_deref(), on_upload.retry),
        (Some("shop-uploads"), false)
    );
    assert!(function(&report, "hello-http").event_trigger.is_none());
    assert_eq!(
        resource(&report, "hello-http").location.as_deref(),
        Some("europe-west1")
    );

    let job = run_job(&report, "nightly-export");
    assert_eq!(job.max_retries, Some(1));
    let env: Vec<(&str, u32)> = job
        .env
        .iter()
        .map(|e| (e.value.0.as_str(), e.loc.line))
        .collect();
    assert_eq!(env, [("EXPORT_TOPIC", 76), ("LOG_LEVEL", 78)]);

    assert_eq!(
        edges(&report.graph),
        BTreeSet::from([
            "topic:orders@shop-prod -deliver-> function:on-order@shop-prod/us-central1".to_string(),
            "function:on-order@shop-prod/us-central1 -enqueue-> queue:invoices@shop-prod/us-central1".to_string(),
            "event-source:shop-uploads -event-> function:on-upload@shop-prod/us-central1".to_string(),
            "run-job:nightly-export@shop-prod/us-central1 -publish-> topic:exports@shop-prod".to_string(),
        ])
    );
}

#[test]
fn cloud_run_jobs_in_both_api_shapes() {
    // `gcloud run jobs describe` prints the v1 API's job; the REST v2 job nests the same.
    let v1 = r#"apiVersion: run.googleapis.com/v1
kind: Job
metadata:
  name: reindex
  namespace: '481516234200'
  labels:
    cloud.googleapis.com/location: europe-west1
spec:
  template:
    spec:
      taskCount: 2
      template:
        spec:
          maxRetries: 5
          containers:
          - image: europe-docker.pkg.dev/shop-prod/jobs/reindex:2
            env:
            - name: SOURCE_TOPIC
              value: projects/shop-prod/topics/catalog
"#;
    let v2 = r#"{
  "name": "projects/shop-prod/locations/us-central1/jobs/backfill",
  "template": {
    "taskCount": 1,
    "template": {
      "maxRetries": 0,
      "containers": [{"image": "us-docker.pkg.dev/shop-prod/jobs/backfill:1"}]
    }
  }
}
"#;
    let report = analyze(&[
        SourceFile::new("reindex.yaml", v1),
        SourceFile::new("backfill.json", v2),
    ]);
    let reindex = resource(&report, "reindex");
    assert_eq!(
        (reindex.project.as_deref(), reindex.location.as_deref()),
        (Some("481516234200"), Some("europe-west1"))
    );
    let job = run_job(&report, "reindex");
    assert_eq!((job.max_retries, job.env.len()), (Some(5), 1));
    assert_eq!(job.env[0].loc.line, 19);
    let backfill = run_job(&report, "backfill");
    assert_eq!((backfill.max_retries, backfill.env.len()), (Some(0), 0));
    assert_eq!(
        resource(&report, "backfill").location.as_deref(),
        Some("us-central1")
    );
}

#[test]
fn an_asset_export_gives_the_graph_of_the_described_resources() {
    let described = analyze_fixtures(&["describe-architecture.yaml"]);
    let exported = analyze_fixtures(&["export-architecture.ndjson"]);
    assert_eq!(node_ids(&exported.graph), node_ids(&described.graph));
    assert_eq!(edges(&exported.graph), edges(&described.graph));
    // The queue's `uriOverride` and the task the workflow creates both dispatch to `fulfil`.
    assert_eq!(edges(&exported.graph).len(), 9);
    let rule_names = |report: &Report| -> BTreeSet<&str> {
        report.findings.iter().map(|d| d.rule.name()).collect()
    };
    assert_eq!(rule_names(&exported), rule_names(&described));

    // Every resource is at its record's line; the records of other types (a project, an
    // instance, a service account) are skipped without a finding.
    let lines: Vec<(&str, u32, u32)> = exported
        .workspace
        .resources
        .iter()
        .map(|r| (r.name.as_str(), r.loc.line, r.loc.column))
        .collect();
    assert_eq!(
        lines,
        [
            ("orders", 2, 1),
            ("orders-push", 3, 1),
            ("fulfil", 4, 1),
            ("nightly-report", 6, 1),
            ("reports", 7, 1),
            ("report", 8, 1),
            ("thumbnail", 10, 1),
            ("shop-uploads", 11, 1),
        ]
    );
    assert_eq!(
        rules(&exported, RuleId::UnrecognizedDocument),
        Vec::<u32>::new()
    );
    // The name comes from the asset name; Knative objects name their project by number.
    let report = resource(&exported, "report");
    assert_eq!(
        report.full_name.as_deref(),
        Some("projects/shop-prod/locations/us-central1/workflows/report")
    );
    let fulfil = resource(&exported, "fulfil");
    assert_eq!(
        (fulfil.project.as_deref(), fulfil.location.as_deref()),
        (Some("481516234200"), Some("us-central1"))
    );
    let bucket = resource(&exported, "shop-uploads");
    assert_eq!(
        (&bucket.kind, bucket.project.as_deref()),
        (&ResourceKind::Bucket, None)
    );
    // Findings inside an embedded workflow point at its record's line.
    let hardcoded = exported
        .findings
        .iter()
        .find(|d| d.rule == RuleId::HardcodedEndpoint)
        .unwrap();
    assert_eq!(hardcoded.loc.line, 8);
}

#[test]
fn asset_list_json_array_reads_like_the_export() {
    // `gcloud asset list --content-type=resource --format=json` prints the same records as
    // one array.
    let export = fixture("export-architecture.ndjson").text;
    let records: Vec<&str> = export.lines().filter(|l| !l.trim().is_empty()).collect();
    let array = format!("[\n{}\n]\n", records.join(",\n"));
    let listed = analyze(&[SourceFile::new("assets.json", array)]);
    let exported = analyze_fixtures(&["export-architecture.ndjson"]);
    assert_eq!(node_ids(&listed.graph), node_ids(&exported.graph));
    assert_eq!(edges(&listed.graph), edges(&exported.graph));
    assert_eq!(resource(&listed, "orders").loc.line, 3);
}

#[test]
fn search_results_give_nodes_with_default_settings() {
    let report = analyze_fixtures(&["search-all-resources.json"]);
    let kinds: Vec<(&str, &str, Option<&str>, Option<&str>)> = report
        .workspace
        .resources
        .iter()
        .map(|r| {
            (
                r.name.as_str(),
                r.kind.label(),
                r.project.as_deref(),
                r.location.as_deref(),
            )
        })
        .collect();
    let here = Some("us-central1");
    assert_eq!(
        kinds,
        [
            ("orders", "pub/sub topic", Some("shop-prod"), None),
            (
                "orders-push",
                "pub/sub subscription",
                Some("shop-prod"),
                None
            ),
            ("fulfil", "cloud run service", Some("shop-prod"), here),
            ("thumbnail", "cloud function", Some("shop-prod"), here),
            ("resize", "cloud function", Some("shop-prod"), here),
            ("report", "workflow", Some("shop-prod"), here),
            ("reports", "cloud tasks queue", Some("shop-prod"), here),
            ("nightly-report", "scheduler job", Some("shop-prod"), here),
            (
                "thumbnail-524839",
                "eventarc trigger",
                Some("shop-prod"),
                here
            ),
            ("nightly-export", "cloud run job", Some("shop-prod"), here),
            ("shop-uploads", "cloud storage bucket", None, None),
        ]
    );
    // `additionalAttributes` may change without notice: the subscription's topic is not read.
    match &resource(&report, "orders-push").kind {
        ResourceKind::Subscription(sub) => assert!(sub.topic.is_none()),
        other => panic!("{}", other.label()),
    }
    assert_eq!(function(&report, "resize").generation, 1);
    assert_eq!(function(&report, "thumbnail").generation, 2);
    // Every resource is a node, but a bucket nothing involves (Baton leaves those out).
    assert_eq!(report.graph.nodes().count(), 10);
    assert!(report
        .graph
        .find("workflow:report@shop-prod/us-central1")
        .is_some());
    assert_eq!(edges(&report.graph), BTreeSet::new());
    // Their settings are not in the input: no rule guesses at them (no "missing dead letter"
    // for the subscription, no "untriggered" workflow, no "topic without subscribers").
    assert!(report.findings.is_empty(), "{:?}", report.findings);
}

#[test]
fn a_malformed_line_is_a_located_parse_error_and_the_others_load() {
    let report = analyze_fixtures(&["broken-export.ndjson"]);
    let names: Vec<(&str, u32)> = report
        .workspace
        .resources
        .iter()
        .map(|r| (r.name.as_str(), r.loc.line))
        .collect();
    assert_eq!(names, [("orders", 1), ("hourly", 3)]);
    assert_eq!(rules(&report, RuleId::ParseError), [2]);
    // A wrong type in a record is about that record's resource.
    let invalid: Vec<_> = report
        .findings
        .iter()
        .filter(|d| d.rule == RuleId::InvalidDefinition)
        .collect();
    assert_eq!(invalid.len(), 1);
    assert_eq!(invalid[0].loc.line, 3);
    let hourly = report
        .workspace
        .resources
        .iter()
        .position(|r| r.name == "hourly")
        .unwrap();
    assert_eq!(
        invalid[0].subject,
        Subject::Resource(baton_analyzer::ResourceId::new(hourly))
    );
    assert!(edges(&report.graph)
        .contains("job:hourly@shop-prod/us-central1 -schedule-> topic:orders@shop-prod"));
}

#[test]
fn records_of_other_types_give_one_finding_per_file() {
    let records = concat!(
        r#"{"name":"//compute.googleapis.com/projects/p/zones/z/instances/a","assetType":"compute.googleapis.com/Instance","resource":{"data":{"name":"a"}}}"#,
        "\n",
        r#"{"name":"//compute.googleapis.com/projects/p/zones/z/instances/b","assetType":"compute.googleapis.com/Instance","resource":{"data":{"name":"b"}}}"#,
        "\n",
        r#"{"name":"//iam.googleapis.com/projects/p/serviceAccounts/1","assetType":"iam.googleapis.com/ServiceAccount"}"#,
        "\n",
    );
    // Recognised by its lines, whatever the file is called.
    let report = analyze(&[SourceFile::new("inventory.json", records)]);
    assert!(report.workspace.resources.is_empty());
    assert_eq!(rules(&report, RuleId::UnrecognizedDocument), [1]);
    assert_eq!(rules(&report, RuleId::ParseError), Vec::<u32>::new());
    // Other newline-delimited JSON (logs) is skipped the same way.
    let logs =
        "{\"severity\":\"INFO\",\"message\":\"a\"}\n{\"severity\":\"INFO\",\"message\":\"b\"}\n";
    let report = analyze(&[SourceFile::new("run.jsonl", logs)]);
    assert_eq!(rules(&report, RuleId::UnrecognizedDocument), [1]);
}

#[test]
fn second_generation_urls_in_every_form_reach_the_function() {
    // A gen2 function answers on its Functions URL and on both Cloud Run URL forms.
    let jobs: String = [
        "https://us-central1-shop-prod.cloudfunctions.net/render",
        "https://render-7xk2hq9d3a-uc.a.run.app/",
        "https://render-481516234200.us-central1.run.app/pdf",
    ]
    .iter()
    .enumerate()
    .map(|(i, uri)| {
        format!(
            "---\nname: projects/shop-prod/locations/us-central1/jobs/j{i}\nschedule: 0 * * * *\nhttpTarget:\n  uri: {uri}\n"
        )
    })
    .collect();
    let report = analyze(&[
        fixture("describe-functions.yaml"),
        SourceFile::new("jobs.yaml", jobs),
    ]);
    let edges = edges(&report.graph);
    for i in 0..3 {
        let edge = format!(
            "job:j{i}@shop-prod/us-central1 -schedule-> function:render@shop-prod/us-central1"
        );
        assert!(edges.contains(&edge), "{edge} not in {edges:#?}");
    }
}

/// A Config Connector bulk export: buckets, their notifications and queues are read too.
#[test]
fn bulk_export_buckets_notifications_and_queues() {
    let report = analyze_fixtures(&["bulk-export-krm.yaml"]);
    assert!(
        edges(&report.graph).contains("event-source:media-in -event-> topic:uploads@media"),
        "{:?}",
        edges(&report.graph)
    );
    match &resource(&report, "resize").kind {
        ResourceKind::Queue(q) => {
            assert_eq!(q.retry.max_attempts.as_ref().map(|a| a.value), Some(-1));
            assert_eq!(q.max_concurrent_dispatches, Some(10));
        }
        other => panic!("{}", other.label()),
    }
    assert!(rules(&report, RuleId::UnrecognizedDocument).is_empty());
}
