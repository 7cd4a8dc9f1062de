//! The Terraform corpus (`../shared/corpus-terraform`: public repositories that wire Google
//! Cloud events in Terraform), read in place as `baton graph <repository>` reads it: every
//! repository loads without a panic, no Terraform file is dropped without a located finding,
//! the corpus keeps at least today's edges, and the edges a careful reader draws by hand for
//! eleven of the repositories are in the graph, between the right nodes of the right root.
//!
//! Each pinned edge names where in the repository it comes from. Edges Baton draws wrongly
//! or misses are not pinned (neither their presence nor their absence); only absences that
//! are right (a topic nobody reads, a resource whose `count` is 0) are.

// Tests and benches fail loudly on what they did not expect.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use baton_analyzer::graph::{EdgeKind, Node, NodeKind};
use baton_analyzer::model::{visit_steps, ResourceKind};
use baton_analyzer::{analyze, FileId, Report, RuleId, SourceFile};

use EdgeKind::{DeadLetter, Deliver, Event, Publish, Schedule, SyncCall};
use EdgeKind::{Dispatch, Enqueue};
use NodeKind::{EventSource, External, Function, GoogleApi, Job, Queue, RunJob, Service};
use NodeKind::{Subscription, Topic, Trigger, Workflow};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus-terraform")
}

/// What the CLI reads in a folder (`src/files.rs`): these extensions, recursively.
const EXTENSIONS: [&str; 7] = ["yaml", "yml", "json", "tf", "tfvars", "tftpl", "tpl"];

/// The resource types the Terraform loader models (`google::modelled`).
const MODELLED: [&str; 12] = [
    "google_workflows_workflow",
    "google_eventarc_trigger",
    "google_cloud_tasks_queue",
    "google_cloud_scheduler_job",
    "google_pubsub_topic",
    "google_pubsub_subscription",
    "google_cloud_run_service",
    "google_cloud_run_v2_service",
    "google_cloudfunctions_function",
    "google_cloudfunctions2_function",
    "google_storage_bucket",
    "google_storage_notification",
];

/// The repositories: every top-level folder of the corpus.
fn repositories() -> Vec<String> {
    let mut repos: Vec<String> = std::fs::read_dir(corpus_dir())
        .expect("the Terraform corpus sits beside the repository")
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().into_string().unwrap())
        .collect();
    repos.sort();
    repos
}

/// The files `baton graph <corpus>/<repo>` reads, in its order, with its paths.
fn read_repository(repo: &str) -> Vec<SourceFile> {
    fn walk(dir: &Path, out: &mut Vec<SourceFile>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap())
            .collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let path = entry.path();
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                walk(&path, out);
            } else if kind.is_file()
                && path
                    .extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
            {
                let bytes = std::fs::read(&path).unwrap();
                out.push(SourceFile::from_bytes(path.to_str().unwrap(), bytes));
            }
        }
    }
    let mut files = Vec::new();
    walk(&corpus_dir().join(repo), &mut files);
    files
}

/// One analysed repository.
struct Repo {
    name: &'static str,
    /// The path of each file read, by `FileId`.
    paths: Vec<String>,
    report: Report,
}

fn repo(name: &'static str) -> Repo {
    let files = read_repository(name);
    Repo {
        name,
        paths: files.iter().map(|f| f.path.clone()).collect(),
        report: analyze(&files),
    }
}

/// How a pinned node is recognised.
#[derive(Clone, Copy, Debug)]
enum By {
    /// Its name as the graph has it.
    Name(&'static str),
    /// The end of its name (a BigQuery table whose project only `apply` knows).
    NameEnd(&'static str),
    /// Its Terraform address, for resources whose name only `apply` knows.
    Address(&'static str),
}

/// A node: its kind, how it is recognised and, for Terraform resources, the root module
/// folder (relative to the repository, `.` for the repository itself) it belongs to.
#[derive(Clone, Copy, Debug)]
struct N {
    kind: NodeKind,
    by: By,
    root: Option<&'static str>,
}

fn name(kind: NodeKind, name: &'static str) -> N {
    N {
        kind,
        by: By::Name(name),
        root: None,
    }
}

fn name_end(kind: NodeKind, end: &'static str) -> N {
    N {
        kind,
        by: By::NameEnd(end),
        root: None,
    }
}

fn addr(kind: NodeKind, address: &'static str) -> N {
    N {
        kind,
        by: By::Address(address),
        root: None,
    }
}

impl N {
    fn root(self, root: &'static str) -> N {
        N {
            root: Some(root),
            ..self
        }
    }
}

impl Repo {
    /// Whether a node's root is the `expected` folder: relative to the folder holding every
    /// file read (the repository, or `infra/` where all of them are there), `.` for the
    /// repository's top, which Baton names by its folder name.
    fn is_root(&self, root: &str, expected: &str) -> bool {
        match expected {
            "." => root == self.name,
            _ => root == expected,
        }
    }

    fn matches(&self, n: &N, node: &Node) -> bool {
        if node.kind != n.kind {
            return false;
        }
        let named = match n.by {
            By::Name(name) => node.name == name,
            By::NameEnd(end) => node.name.ends_with(end),
            By::Address(address) => node
                .terraform
                .as_ref()
                .is_some_and(|t| t.address == address),
        };
        let rooted = match n.root {
            None => true,
            Some(root) => node
                .terraform
                .as_ref()
                .is_some_and(|t| self.is_root(&t.root, root)),
        };
        named && rooted
    }

    fn describe(&self, node: &Node) -> String {
        match &node.terraform {
            Some(t) => format!("{} [{} in {}]", node.id, t.address, t.root),
            None => node.id.clone(),
        }
    }

    /// Every edge, for failure messages.
    fn dump(&self) -> String {
        let graph = &self.report.graph;
        let mut out = Vec::new();
        for from in graph.nodes() {
            for (to, edge) in graph.edges_out(from) {
                out.push(format!(
                    "  {} -{}-> {}",
                    self.describe(graph.node(from)),
                    edge.caption(),
                    self.describe(graph.node(to))
                ));
            }
        }
        out.sort();
        out.join("\n")
    }

    /// The id of the one node `n` means; two would mean Baton merged or split what the
    /// reader did not.
    fn id(&self, n: &N) -> String {
        let graph = &self.report.graph;
        let found: Vec<&Node> = graph
            .nodes()
            .map(|i| graph.node(i))
            .filter(|node| self.matches(n, node))
            .collect();
        match found[..] {
            [one] => one.id.clone(),
            [] => panic!(
                "{}: no node {n:?}; the edges are:\n{}",
                self.name,
                self.dump()
            ),
            _ => panic!(
                "{}: {n:?} is {} nodes: {:?}",
                self.name,
                found.len(),
                found
                    .iter()
                    .map(|node| self.describe(node))
                    .collect::<Vec<_>>()
            ),
        }
    }

    /// Asserts every `(from, kind, to)` is an edge of the graph.
    fn assert_edges(&self, expected: &[(N, EdgeKind, N)]) {
        let graph = &self.report.graph;
        let mut missing = Vec::new();
        for (from, kind, to) in expected {
            let a = graph.find(&self.id(from)).unwrap();
            let b = graph.find(&self.id(to)).unwrap();
            if !graph
                .edges_out(a)
                .any(|(target, edge)| target == b && edge.kind == *kind)
            {
                missing.push(format!(
                    "  {} -{}-> {}",
                    self.describe(graph.node(a)),
                    kind.as_str(),
                    self.describe(graph.node(b))
                ));
            }
        }
        assert!(
            missing.is_empty(),
            "{}: missing edges:\n{}\nthe edges are:\n{}",
            self.name,
            missing.join("\n"),
            self.dump()
        );
    }

    /// Asserts nothing goes out of `n`.
    fn assert_no_edges_out(&self, n: &N) {
        let i = self.report.graph.find(&self.id(n)).unwrap();
        assert_eq!(
            self.report.graph.edges_out(i).count(),
            0,
            "{}: {n:?} should lead nowhere; the edges are:\n{}",
            self.name,
            self.dump()
        );
    }

    /// Asserts nothing comes into `n`.
    fn assert_no_edges_in(&self, n: &N) {
        let i = self.report.graph.find(&self.id(n)).unwrap();
        assert_eq!(
            self.report.graph.edges_in(i).count(),
            0,
            "{}: nothing should lead to {n:?}; the edges are:\n{}",
            self.name,
            self.dump()
        );
    }

    /// The path of `file`.
    fn path(&self, file: FileId) -> &str {
        self.paths.get(file.0 as usize).map_or("", String::as_str)
    }
}

/// `(folder, path in the repository)` of the Workflows sources that Terraform reads with
/// `file()` or `templatefile()` (kind `workflow` in MANIFEST.tsv).
fn workflow_sources() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(corpus_dir().join("MANIFEST.tsv")).unwrap();
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            (cols.get(4) == Some(&"workflow"))
                .then(|| (cols[0].replace('/', "__"), cols[3].to_string()))
        })
        .collect()
}

/// `resource "<modelled type>" "<name>"` blocks of a `.tf` file: (first line, last line,
/// `type.name`), found as MANIFEST.tsv found them, at the start of a line.
fn modelled_blocks(text: &str) -> Vec<(u32, u32, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(rest) = line.strip_prefix("resource \"") else {
            continue;
        };
        let parts: Vec<&str> = rest.split('"').collect();
        let (Some(ty), Some(name)) = (parts.first(), parts.get(2)) else {
            continue;
        };
        if !MODELLED.contains(ty) {
            continue;
        }
        let end = lines[i..]
            .iter()
            .position(|l| l.trim_end() == "}")
            .map_or(lines.len(), |n| i + n);
        out.push((i as u32 + 1, end as u32 + 1, format!("{ty}.{name}")));
    }
    out
}

/// Templates no modelled resource reads (Baton reads a template only through the
/// `templatefile()` of a resource it models).
const TEMPLATES_NOT_READ: [(&str, &str); 3] = [
    // Scheduled-query SQL for `google_bigquery_data_transfer_config` (modules/bigquery/main.tf).
    (
        "google-marketing-solutions__image-inventory",
        "terraform/modules/bigquery/templates/get_all_products.tftpl",
    ),
    (
        "google-marketing-solutions__image-inventory",
        "terraform/modules/bigquery/templates/get_new_products.tftpl",
    ),
    (
        "google-marketing-solutions__image-inventory",
        "terraform/modules/bigquery/templates/get_product_image_classifications.tftpl",
    ),
];

/// Modelled resource blocks that no root creates an instance of (their `count` or
/// `for_each` is empty with the values every root gives), checked by hand.
const NO_INSTANCE: [(&str, &str, &str); 13] = [
    // A root of its own: `count = var.bucket_config == null ? 0 : 1`, default null.
    (
        "GoogleCloudPlatform__cloud-foundation-fabric",
        "modules/cloud-function-v1/bundle.tf",
        "google_storage_bucket.bucket",
    ),
    // A root of its own: `var.type == "SERVICE" && !var.managed_revision`, defaults
    // "SERVICE" and true (the managed `service[0]` is created instead).
    (
        "GoogleCloudPlatform__cloud-foundation-fabric",
        "modules/cloud-run-v2/service-unmanaged.tf",
        "google_cloud_run_v2_service.service_unmanaged",
    ),
    // Called twice by the secops template, without `notification_config` (default null):
    // `local.notification` and `local.topic_create` are false.
    (
        "GoogleCloudPlatform__cloud-foundation-fabric",
        "modules/gcs/main.tf",
        "google_storage_notification.notification",
    ),
    (
        "GoogleCloudPlatform__cloud-foundation-fabric",
        "modules/gcs/main.tf",
        "google_pubsub_topic.topic",
    ),
    // A root of its own: `for_each = var.subscriptions`, default {}.
    (
        "GoogleCloudPlatform__cloud-foundation-fabric",
        "modules/pubsub/main.tf",
        "google_pubsub_subscription.default",
    ),
    // `count = var.artifacts.enabled ? 1 : 0` and `var.commit_review_status.enabled`: the
    // example root sets neither, both default to `{ enabled = false }`.
    (
        "abcxyz__github-metrics-aggregator",
        "terraform/gma/job_artifacts.tf",
        "google_cloud_scheduler_job.artifacts_scheduler",
    ),
    (
        "abcxyz__github-metrics-aggregator",
        "terraform/gma/job_artifacts.tf",
        "google_storage_bucket.artifacts_storage_bucket",
    ),
    (
        "abcxyz__github-metrics-aggregator",
        "terraform/gma/job_commit_review_status.tf",
        "google_cloud_scheduler_job.commit_review_status_scheduler",
    ),
    // `count = var.enable_relay_service ? 1 : 0`; example_main.tf sets it to false.
    (
        "abcxyz__github-metrics-aggregator",
        "terraform/gma/service_relay.tf",
        "google_pubsub_subscription.relay",
    ),
    // The module root (its examples call it by registry address): the four subscription
    // families iterate over lists that default to [].
    (
        "terraform-google-modules__terraform-google-pubsub",
        "main.tf",
        "google_pubsub_subscription.push_subscriptions",
    ),
    (
        "terraform-google-modules__terraform-google-pubsub",
        "main.tf",
        "google_pubsub_subscription.pull_subscriptions",
    ),
    (
        "terraform-google-modules__terraform-google-pubsub",
        "main.tf",
        "google_pubsub_subscription.bigquery_subscriptions",
    ),
    (
        "terraform-google-modules__terraform-google-pubsub",
        "main.tf",
        "google_pubsub_subscription.cloud_storage_subscriptions",
    ),
];

/// What of `files` Baton drops without a finding: a Terraform file that is read by nothing,
/// a modelled resource block that gives no resource, a Workflows source that gives no step.
fn silent_drops(repo: &str, files: &[SourceFile], report: &Report) -> Vec<String> {
    let prefix = format!("{}/{repo}/", corpus_dir().display());
    let sources = workflow_sources();
    let mut out = Vec::new();
    for (i, file) in files.iter().enumerate() {
        let id = FileId(u32::try_from(i).unwrap());
        let path = file.path.strip_prefix(&prefix).unwrap_or(&file.path);
        let name = path.rsplit('/').next().unwrap_or(path);
        let findings: Vec<(RuleId, u32)> = report
            .findings
            .iter()
            .flat_map(|d| {
                std::iter::once((d.rule, d.loc))
                    .chain(d.related.iter().map(move |r| (d.rule, r.loc)))
            })
            .filter(|(_, loc)| loc.file == id)
            .map(|(rule, loc)| (rule, loc.line))
            .collect();
        let mut steps_here = 0;
        for resource in &report.workspace.resources {
            if let ResourceKind::Workflow(w) = &resource.kind {
                for sub in &w.subworkflows {
                    visit_steps(&sub.steps, &mut |s| {
                        if s.loc.file == id {
                            steps_here += 1;
                        }
                    });
                }
            }
        }
        let extension = name.rsplit('.').next().unwrap_or("");
        match extension {
            "tf" if findings.iter().any(|(rule, _)| *rule == RuleId::ParseError) => {}
            "tf" => {
                for (first, last, address) in modelled_blocks(&file.text) {
                    let loaded = report
                        .workspace
                        .resources
                        .iter()
                        .any(|r| r.loc.file == id && r.loc.line == first);
                    let found = findings.iter().any(|(_, l)| (first..=last).contains(l));
                    let zero = NO_INSTANCE
                        .iter()
                        .any(|&(r, p, a)| r == repo && p == path && a == address);
                    if !(loaded || found || zero) {
                        out.push(format!(
                            "{repo}/{path}:{first}: `{address}` gives no resource and no finding"
                        ));
                    }
                }
            }
            "tfvars" if name == "terraform.tfvars" || name.ends_with(".auto.tfvars") => {}
            "tfvars" if findings.is_empty() => out.push(format!(
                "{repo}/{path}: no root reads it (only `-var-file` would) and no finding says so"
            )),
            "tftpl" | "tpl" => {
                let not_read = TEMPLATES_NOT_READ.contains(&(repo, path));
                if steps_here == 0 && findings.is_empty() && !not_read {
                    out.push(format!(
                        "{repo}/{path}: template read by nothing, no finding"
                    ));
                }
                if steps_here > 0 && not_read {
                    out.push(format!(
                        "{repo}/{path}: now read, update TEMPLATES_NOT_READ"
                    ));
                }
            }
            _ if sources.iter().any(|(r, p)| r == repo && p == path) && steps_here == 0 => {
                out.push(format!(
                    "{repo}/{path}: a Workflows source Terraform reads, yet no step ({findings:?})"
                ));
            }
            _ => {}
        }
    }
    out
}

/// Edges and nodes of the whole corpus when this test was last updated: more is fine, fewer
/// means something stopped being drawn (or, for nodes, that two were rightly merged: then
/// lower the figure and say why in the commit).
const EDGES_TODAY: usize = 135;
const NODES_TODAY: usize = 224;

#[test]
fn every_repository_loads_without_panic_and_no_terraform_file_is_silently_dropped() {
    let repos = repositories();
    assert!(
        repos.len() >= 20,
        "expected the whole corpus, found {repos:?}"
    );
    let mut counts: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    let mut failures = Vec::new();
    for repo in &repos {
        let files = read_repository(repo);
        let Ok(report) = catch_unwind(AssertUnwindSafe(|| analyze(&files))) else {
            failures.push(format!("{repo}: panicked"));
            continue;
        };
        counts.insert(
            repo,
            (
                files.len(),
                report.graph.graph.node_count(),
                report.graph.graph.edge_count(),
            ),
        );
        failures.extend(silent_drops(repo, &files, &report));
    }
    let table: String = counts
        .iter()
        .map(|(repo, (files, nodes, edges))| {
            format!("\n  {repo:60} {files:4} files {nodes:4} nodes {edges:4} edges")
        })
        .collect();
    assert!(failures.is_empty(), "{}{table}", failures.join("\n"));
    let nodes: usize = counts.values().map(|c| c.1).sum();
    let edges: usize = counts.values().map(|c| c.2).sum();
    assert!(
        edges >= EDGES_TODAY,
        "{edges} edges, {EDGES_TODAY} before:{table}"
    );
    assert!(
        nodes >= NODES_TODAY,
        "{nodes} nodes, {NODES_TODAY} before:{table}"
    );
    println!("{nodes} nodes, {edges} edges:{table}");
}

/// akimchik/khortytsia (`pipeline/main.tf`, `workflow.yaml`): a scheduler starts the
/// ingestion, six gen1 functions are chained by topics, a BigQuery subscription stores the
/// final analysis, and the workflow calls three functions by their `cloudfunctions.net` URLs.
///
/// Not drawn, and not pinned: which topic each function publishes to (only comments on
/// project-level `roles/pubsub.publisher` grants say so), and that `core_analysis` starts the
/// workflow (only a `roles/workflows.invoker` grant says so).
#[test]
fn khortytsia() {
    let r = repo("akimchik__khortytsia");
    let f = |n| name(Function, n).root("pipeline");
    let topic = |n| name(Topic, n).root("pipeline");
    r.assert_edges(&[
        // google_cloud_scheduler_job.trigger_ingestion_cycle_scheduler: GET on the function's
        // `https_trigger_url`.
        (
            name(Job, "trigger-ingestion-cycle-scheduler").root("pipeline"),
            Schedule,
            f("trigger_ingestion_cycle"),
        ),
        // The `event_trigger { event_type = "google.pubsub.topic.publish" }` of each function.
        (topic("source-to-fetch"), Deliver, f("fetch_source_data")),
        (
            topic("article-to-filter"),
            Deliver,
            f("filter_article_content"),
        ),
        (topic("article-to-analyze"), Deliver, f("core_analysis")),
        (
            topic("external-verification"),
            Deliver,
            f("external_verification"),
        ),
        (topic("internal-qc"), Deliver, f("internal_qc")),
        (topic("final-leads"), Deliver, f("delivery_alerter")),
        // google_pubsub_subscription.final_analysis_to_bigquery: topic, then `bigquery_config`
        // table `"${project}:${dataset_id}.${table_id}"` of google_bigquery_table.approved_leads.
        (
            topic("final-analysis"),
            Deliver,
            name(Subscription, "final-analysis-to-bigquery-sub").root("pipeline"),
        ),
        (
            name(Subscription, "final-analysis-to-bigquery-sub").root("pipeline"),
            Deliver,
            name_end(External, ":khortytsia_results.approved_leads"),
        ),
        // workflow.yaml (`source_contents = file("../workflow.yaml")`): the two parallel
        // branches and `trigger_decision_engine` POST to
        // `https://us-central1-${project_id}.cloudfunctions.net/<function>`.
        (
            name(Workflow, "khortytsia-workflow").root("pipeline"),
            SyncCall,
            f("external_verification"),
        ),
        (
            name(Workflow, "khortytsia-workflow").root("pipeline"),
            SyncCall,
            f("internal_qc"),
        ),
        (
            name(Workflow, "khortytsia-workflow").root("pipeline"),
            SyncCall,
            f("decision_engine"),
        ),
    ]);
    // The workflow's calls are located in workflow.yaml, at their `call: http.post` lines.
    let graph = &r.report.graph;
    let workflow = graph
        .find(&r.id(&name(Workflow, "khortytsia-workflow")))
        .unwrap();
    let mut calls: Vec<(String, u32)> = graph
        .edges_out(workflow)
        .map(|(_, e)| (r.path(e.loc.file).to_string(), e.loc.line))
        .collect();
    calls.sort();
    assert_eq!(
        calls
            .iter()
            .map(|(path, line)| (path.ends_with("/akimchik__khortytsia/workflow.yaml"), *line))
            .collect::<Vec<_>>(),
        [(true, 25), (true, 33), (true, 49)],
        "{calls:?}"
    );
    // Nothing in the repository reads `decision-engine-queue` (google_pubsub_topic
    // .decision_engine_queue): published messages go nowhere.
    r.assert_no_edges_out(&topic("decision-engine-queue"));
}

/// google-marketing-solutions/video-exclusion-toolbox (`terraform/`, one file per resource
/// type): two schedulers, then a fan-out of gen1 and gen2 functions through six topics, each
/// publish known only from an environment variable naming the topic. Every edge a reader
/// draws is here; nothing is missing.
#[test]
fn video_exclusion_toolbox() {
    let r = repo("google-marketing-solutions__video-exclusion-toolbox");
    let f = |n| name(Function, n).root("terraform");
    let topic = |n| name(Topic, n).root("terraform");
    r.assert_edges(&[
        // resource_google_cloud_scheduler_job.tf: `uri` is the gen1 `https_trigger_url`, and
        // the gen2 `service_config[0].uri`.
        (
            name(Job, "video_exclusion_toolbox").root("terraform"),
            Schedule,
            f("vid-excl-google_ads_accounts"),
        ),
        (
            name(Job, "vet-evaluate-thumbnail-age").root("terraform"),
            Schedule,
            f("vet-thumbnail-age-evaluation-dispatcher"),
        ),
        // resource_google_cloudfunctions_function.tf: `environment_variables` naming a
        // topic (publish), and `event_trigger` with the legacy
        // `providers/cloud.pubsub/eventTypes/topic.publish` (deliver).
        (
            f("vid-excl-google_ads_accounts"),
            Publish,
            topic("vid-excl-google-ads-account"),
        ),
        (
            topic("vid-excl-google-ads-account"),
            Deliver,
            f("vid-excl-google_ads_exclusions"),
        ),
        (
            topic("vid-excl-google-ads-account"),
            Deliver,
            f("vid-excl-google_ads_report_video"),
        ),
        (
            topic("vid-excl-google-ads-account"),
            Deliver,
            f("vid-excl-google_ads_report_channel"),
        ),
        (
            f("vid-excl-google_ads_report_video"),
            Publish,
            topic("vid-excl-youtube-video"),
        ),
        (
            f("vid-excl-google_ads_report_channel"),
            Publish,
            topic("vid-excl-youtube-channel"),
        ),
        (
            topic("vid-excl-youtube-channel"),
            Deliver,
            f("vid-excl-youtube_channels"),
        ),
        (
            topic("vid-excl-youtube-video"),
            Deliver,
            f("vid-excl-youtube_videos"),
        ),
        (
            topic("vid-excl-youtube-video"),
            Deliver,
            f("vid-excl-youtube_thumbnails_dispatch"),
        ),
        (
            f("vid-excl-youtube_thumbnails_dispatch"),
            Publish,
            topic("vid-excl-youtube-thumbnails-to-process"),
        ),
        (
            topic("vid-excl-youtube-thumbnails-to-process"),
            Deliver,
            f("vid-excl-youtube_thumbnails_identify_objects"),
        ),
        (
            f("vid-excl-youtube_thumbnails_identify_objects"),
            Publish,
            topic("vid-excl-youtube-thumbnails-to-generate-cropouts"),
        ),
        (
            topic("vid-excl-youtube-thumbnails-to-generate-cropouts"),
            Deliver,
            f("vid-excl-youtube_thumbnails_generate_cropouts"),
        ),
        // resource_google_cloudfunctions2_function.tf: the dispatcher's env
        // `VET_THUMBNAIL_AGE_EVALUATION_TOPIC`, the processor's gen2 `event_trigger.pubsub_topic`.
        (
            f("vet-thumbnail-age-evaluation-dispatcher"),
            Publish,
            topic("vet-youtube-thumbnails-to-evaluate-age"),
        ),
        (
            topic("vet-youtube-thumbnails-to-evaluate-age"),
            Deliver,
            f("vet-thumbnail-age-evaluation-processor"),
        ),
    ]);
    // Every publish here is inferred from an environment variable: soft.
    let graph = &r.report.graph;
    let publishes: Vec<bool> = graph
        .graph
        .edge_weights()
        .filter(|e| e.kind == Publish)
        .map(|e| e.soft)
        .collect();
    assert!(publishes.iter().all(|soft| *soft), "{publishes:?}");
    // google_cloudfunctions_function.google_ads_excluder is HTTP-only and called from outside
    // the repository.
    r.assert_no_edges_in(&f("vid-excl-google_ads_excluder"));
}

/// GoogleCloudPlatform/terraform-google-crmint: the module (`pubsub.tf`, `schedulers.tf`,
/// `services.tf`) through its two example roots. Names carry `random_id.suffix.hex`
/// (`random_suffix` defaults to true), so nodes are known by their addresses.
///
/// Not drawn, and not pinned: which service publishes to which topic (no configuration
/// names the topics to the services).
#[test]
fn crmint() {
    let r = repo("GoogleCloudPlatform__terraform-google-crmint");
    for root in ["examples/standard", "examples/disable_vpc"] {
        let topic = |key| addr(Topic, key).root(root);
        let sub = |key| addr(Subscription, key).root(root);
        let service = |a| addr(Service, a).root(root);
        r.assert_edges(&[
            // schedulers.tf, google_cloud_scheduler_job.heartbeat: `pubsub_target.topic_name =
            // google_pubsub_topic.topics["crmint-3-start-pipeline"].id`.
            (
                addr(Job, "module.crmint.google_cloud_scheduler_job.heartbeat").root(root),
                Schedule,
                topic(r#"module.crmint.google_pubsub_topic.topics["crmint-3-start-pipeline"]"#),
            ),
            // pubsub.tf: `for_each = local.subscriptions` topics and push subscriptions,
            // `topic = google_pubsub_topic.topics[each.key].id`...
            (
                topic(r#"module.crmint.google_pubsub_topic.topics["crmint-3-start-pipeline"]"#),
                Deliver,
                sub(r#"module.crmint.google_pubsub_subscription.subscriptions["crmint-3-start-pipeline"]"#),
            ),
            (
                topic(r#"module.crmint.google_pubsub_topic.topics["crmint-3-start-task"]"#),
                Deliver,
                sub(r#"module.crmint.google_pubsub_subscription.subscriptions["crmint-3-start-task"]"#),
            ),
            (
                topic(r#"module.crmint.google_pubsub_topic.topics["crmint-3-task-finished"]"#),
                Deliver,
                sub(r#"module.crmint.google_pubsub_subscription.subscriptions["crmint-3-task-finished"]"#),
            ),
            // ...and `push_endpoint = "${each.value.endpoint}?token=..."`, each endpoint a
            // `google_cloud_run_service.<svc>.status[0].url` in `local.subscriptions`.
            (
                sub(r#"module.crmint.google_pubsub_subscription.subscriptions["crmint-3-start-pipeline"]"#),
                Deliver,
                service("module.crmint.google_cloud_run_service.controller_run"),
            ),
            (
                sub(r#"module.crmint.google_pubsub_subscription.subscriptions["crmint-3-start-task"]"#),
                Deliver,
                service("module.crmint.google_cloud_run_service.jobs_run"),
            ),
            (
                sub(r#"module.crmint.google_pubsub_subscription.subscriptions["crmint-3-task-finished"]"#),
                Deliver,
                service("module.crmint.google_cloud_run_service.controller_run"),
            ),
        ]);
        // pubsub.tf, google_pubsub_topic.pipeline_finished: no subscription in Terraform.
        r.assert_no_edges_out(&topic(
            "module.crmint.google_pubsub_topic.pipeline_finished",
        ));
    }
}

/// abcxyz/github-metrics-aggregator (`terraform/example_main.tf` and its local modules),
/// with the example's placeholder values: `enable_relay_service = false`, and empty
/// `relay_topic_id` and `dead_letter_topic_id` given to `./pubsub` (so two of its topics are
/// named "" and are known here by address).
///
/// Not drawn, and not pinned: the webhook service (remote module `webhook_cloud_run`, not
/// followed) publishing to `github-metrics` and to the dead-letter topic (its `envvars`).
#[test]
fn github_metrics_aggregator() {
    let r = repo("abcxyz__github-metrics-aggregator");
    let topic = |a| addr(Topic, a).root("terraform");
    let sub = |a| addr(Subscription, a).root("terraform");
    r.assert_edges(&[
        // gma/pubsub.tf: google_pubsub_subscription.dead_letter on the dead-letter topic.
        (
            topic("module.gma.google_pubsub_topic.dead_letter"),
            Deliver,
            sub("module.gma.google_pubsub_subscription.dead_letter"),
        ),
        // pubsub/main.tf, google_pubsub_subscription.relay_optimized_events: `topic =
        // google_pubsub_topic.relay.id`, `bigquery_config.table =
        // "${var.project_id}:${var.dataset_id}.${var.optimized_events_table_id}"` and
        // `dead_letter_policy.dead_letter_topic = google_pubsub_topic.dead_letter.id`.
        (
            topic("module.pubsub.google_pubsub_topic.relay"),
            Deliver,
            sub("module.pubsub.google_pubsub_subscription.relay_optimized_events"),
        ),
        (
            sub("module.pubsub.google_pubsub_subscription.relay_optimized_events"),
            Deliver,
            name(
                External,
                "bigquery/<YOUR_PROJECT_ID>:github_metrics.optimized_events",
            ),
        ),
        (
            sub("module.pubsub.google_pubsub_subscription.relay_optimized_events"),
            DeadLetter,
            topic("module.pubsub.google_pubsub_topic.dead_letter"),
        ),
        // pubsub/main.tf: google_pubsub_subscription.dead_letter on that dead-letter topic.
        (
            topic("module.pubsub.google_pubsub_topic.dead_letter"),
            Deliver,
            sub("module.pubsub.google_pubsub_subscription.dead_letter"),
        ),
        // gma/job_retry.tf: google_cloud_scheduler_job.retry_scheduler, `http_target.uri` =
        // `https://${var.region}-run.googleapis.com/apis/run.googleapis.com/v1/namespaces/
        // ${var.project_id}/jobs/${google_cloud_run_v2_job.retry_job.name}:run`.
        (
            name(Job, "github-metrics-retry").root("terraform"),
            Schedule,
            name(RunJob, "github-metrics-retry").root("terraform"),
        ),
    ]);
    // gma/service_relay.tf: `count = var.enable_relay_service ? 1 : 0` is 0.
    let graph = &r.report.graph;
    assert!(
        graph
            .nodes()
            .all(|n| graph.node(n).terraform.as_ref().is_none_or(|t| !t
                .address
                .starts_with("module.gma.google_pubsub_subscription.relay"))),
        "{}",
        r.dump()
    );
}

/// google-marketing-solutions/image-inventory (`terraform/main.tf` and local modules).
///
/// Not pinned: the soft sync call push-products → classify-product Baton also draws (env
/// `CLOUD_FUNCTION_URL`, which push-products puts in its tasks rather than calls).
#[test]
fn image_inventory() {
    let r = repo("google-marketing-solutions__image-inventory");
    r.assert_edges(&[
        // modules/scheduler/main.tf, google_cloud_scheduler_job.push_products: `uri =
        // var.function_url`, given `module.functions_push_products.function_url` (the gen2
        // function's `url`) in main.tf.
        (
            name(Job, "scheduled-push-products").root("terraform"),
            Schedule,
            name(Function, "push-products-tf").root("terraform"),
        ),
        // main.tf: push-products' env `QUEUE_ID = module.tasks.queue_name` (soft).
        (
            name(Function, "push-products-tf").root("terraform"),
            Enqueue,
            name(Queue, "classify-products-queue").root("terraform"),
        ),
        // modules/tasks/main.tf: `http_target.oidc_token.audience = var.function_url`, given
        // classify-product's `function_url` (soft).
        (
            name(Queue, "classify-products-queue").root("terraform"),
            Dispatch,
            name(Function, "classify-product-tf").root("terraform"),
        ),
    ]);
    // The two instances of modules/functions are two functions.
    for (function, address) in [
        (
            "classify-product-tf",
            "module.functions_classify_product.google_cloudfunctions2_function.function",
        ),
        (
            "push-products-tf",
            "module.functions_push_products.google_cloudfunctions2_function.function",
        ),
    ] {
        let id = r.id(&addr(Function, address).root("terraform"));
        assert_eq!(id, r.id(&name(Function, function).root("terraform")));
    }
}

/// GoogleCloudPlatform/terraform-google-cloud-workflows: the module root (`main.tf`, its
/// inputs unknown) and the one example that calls a local module.
///
/// Not drawn, and not pinned: the five examples that call the module by its registry address
/// `GoogleCloudPlatform/cloud-workflows/google` (not followed), e.g. `test-pubsub-topic` →
/// Eventarc trigger → `wf-pubsub-eventarc`, and the schedulers of the `schedule_workflow*`
/// examples.
#[test]
fn cloud_workflows() {
    let r = repo("GoogleCloudPlatform__terraform-google-cloud-workflows");
    let workflow = addr(Workflow, "google_workflows_workflow.workflow").root(".");
    r.assert_edges(&[
        // main.tf: google_eventarc_trigger.workflow (`count = local.enable_eventarc`),
        // `destination.workflow = google_workflows_workflow.workflow.id`.
        (
            addr(Trigger, "google_eventarc_trigger.workflow").root("."),
            Deliver,
            workflow,
        ),
        // main.tf: google_cloud_scheduler_job.workflow (`count = local.enable_scheduler`),
        // POST to `https://workflowexecutions.googleapis.com/v1/${...workflow.id}/executions`.
        (
            addr(Job, "google_cloud_scheduler_job.workflow").root("."),
            Schedule,
            workflow,
        ),
        // examples/simple_workflow/main.tf → modules/simple_workflow: the heredoc workflow's
        // `http.get` to `https://en.wikipedia.org/w/api.php`.
        (
            name(Workflow, "standalone-workflow").root("examples/simple_workflow"),
            SyncCall,
            name(External, "en.wikipedia.org"),
        ),
    ]);
}

/// terraform-google-modules/terraform-docs-samples: 15 single-file roots.
#[test]
fn terraform_docs_samples() {
    let r = repo("terraform-google-modules__terraform-docs-samples");
    r.assert_edges(&[
        // cloud_scheduler/basic: `pubsub_target.topic_name = google_pubsub_topic.default.id`,
        // and a pull subscription on the topic.
        (
            name(Job, "test-job").root("cloud_scheduler/basic"),
            Schedule,
            name(Topic, "pubsub_topic").root("cloud_scheduler/basic"),
        ),
        (
            name(Topic, "pubsub_topic").root("cloud_scheduler/basic"),
            Deliver,
            name(Subscription, "pubsub_subscription").root("cloud_scheduler/basic"),
        ),
        // eventarc/basic: `matching_criteria` finalized on `google_storage_bucket.default
        // .name`, destination `cloud_run_service` hello-events.
        (
            addr(EventSource, "google_storage_bucket.default").root("eventarc/basic"),
            Event,
            name(Trigger, "trigger-storage-cloudrun-tf").root("eventarc/basic"),
        ),
        (
            name(Trigger, "trigger-storage-cloudrun-tf").root("eventarc/basic"),
            Deliver,
            name(Service, "hello-events").root("eventarc/basic"),
        ),
        // eventarc/basic_pubsub: `transport.pubsub.topic = google_pubsub_topic.default.id`.
        (
            name(Topic, "pubsub_topic").root("eventarc/basic_pubsub"),
            Event,
            name(Trigger, "trigger-pubsub-cloudrun-tf").root("eventarc/basic_pubsub"),
        ),
        (
            name(Trigger, "trigger-pubsub-cloudrun-tf").root("eventarc/basic_pubsub"),
            Deliver,
            name(Service, "hello-events").root("eventarc/basic_pubsub"),
        ),
        // eventarc/workflows: `destination.workflow = google_workflows_workflow.default.id`.
        (
            name(Trigger, "trigger-storage-workflows-tf").root("eventarc/workflows"),
            Deliver,
            name(Workflow, "storage-workflow-tf").root("eventarc/workflows"),
        ),
        // functions/basic_audit_logs: gen2 `event_trigger` on audit logs, `serviceName`
        // storage.googleapis.com and `methodName` storage.objects.create.
        (
            name(
                EventSource,
                "audit log: storage.googleapis.com storage.objects.create",
            ),
            Event,
            name(Function, "gcf-function").root("functions/basic_audit_logs"),
        ),
        // functions/basic_gcs: gen2 `event_trigger` finalized, `event_filters` bucket =
        // google_storage_bucket.trigger_bucket.name.
        (
            addr(EventSource, "google_storage_bucket.trigger_bucket").root("functions/basic_gcs"),
            Event,
            name(Function, "function").root("functions/basic_gcs"),
        ),
        // functions/pubsub: gen2 `event_trigger.pubsub_topic = google_pubsub_topic.default.id`.
        (
            name(Topic, "functions2-topic").root("functions/pubsub"),
            Deliver,
            name(Function, "function").root("functions/pubsub"),
        ),
        // run/image_processing: google_storage_notification.notification (bucket
        // imageproc_input, topic google_pubsub_topic.default.id), then a push subscription
        // to `google_cloud_run_v2_service.default.uri`.
        (
            addr(EventSource, "google_storage_bucket.imageproc_input").root("run/image_processing"),
            Event,
            name(Topic, "pubsub_topic").root("run/image_processing"),
        ),
        (
            name(Topic, "pubsub_topic").root("run/image_processing"),
            Deliver,
            name(Subscription, "pubsub_subscription").root("run/image_processing"),
        ),
        (
            name(Subscription, "pubsub_subscription").root("run/image_processing"),
            Deliver,
            name(Service, "pubsub-tutorial").root("run/image_processing"),
        ),
        // run/pubsub: push subscription with `oidc_token` to the service's `uri`.
        (
            name(Topic, "pubsub_topic").root("run/pubsub"),
            Deliver,
            name(Subscription, "pubsub_subscription").root("run/pubsub"),
        ),
        (
            name(Subscription, "pubsub_subscription").root("run/pubsub"),
            Deliver,
            name(Service, "pubsub-tutorial").root("run/pubsub"),
        ),
        // run/scheduled: `http_target.uri = google_cloud_run_v2_service.default.uri` with OIDC.
        (
            name(Job, "scheduled-cloud-run-job").root("run/scheduled"),
            Schedule,
            name(Service, "my-scheduled-service").root("run/scheduled"),
        ),
        // workflows/basic: `url: $${sys.get_env("url")}` from `user_env_vars.url`
        // (timeapi.io), then en.wikipedia.org.
        (
            name(Workflow, "sample-workflow").root("workflows/basic"),
            SyncCall,
            name(External, "timeapi.io"),
        ),
        (
            name(Workflow, "sample-workflow").root("workflows/basic"),
            SyncCall,
            name(External, "en.wikipedia.org"),
        ),
        // workflows/cloud_run_job: `destination.workflow = google_workflows_workflow.default.id`.
        (
            name(Trigger, "cloud-run-job-trigger").root("workflows/cloud_run_job"),
            Deliver,
            name(Workflow, "cloud-run-job-workflow").root("workflows/cloud_run_job"),
        ),
        // ... on its own bucket (`google_storage_bucket.default`, named at apply time, as in
        // eventarc/basic and eventarc/workflows: three buckets, not one).
        (
            addr(EventSource, "google_storage_bucket.default").root("workflows/cloud_run_job"),
            Event,
            name(Trigger, "cloud-run-job-trigger").root("workflows/cloud_run_job"),
        ),
        (
            addr(EventSource, "google_storage_bucket.default").root("eventarc/workflows"),
            Event,
            name(Trigger, "trigger-storage-workflows-tf").root("eventarc/workflows"),
        ),
        // ... whose workflow runs the job with `googleapis.run.v1.namespaces.jobs.run`.
        (
            name(Workflow, "cloud-run-job-workflow").root("workflows/cloud_run_job"),
            SyncCall,
            name(RunJob, "parallel-job").root("workflows/cloud_run_job"),
        ),
        // run/jobs_execute_jobs_on_schedule: `http_target.uri` is the job's `:run` URL.
        (
            name(Job, "schedule-job").root("run/jobs_execute_jobs_on_schedule"),
            Schedule,
            name(RunJob, "cloud-run-job").root("run/jobs_execute_jobs_on_schedule"),
        ),
    ]);
    // run/image_processing: a notification without `event_types` sends every object event,
    // one edge each (the count is what was checked).
    let graph = &r.report.graph;
    let bucket = graph
        .find(
            &r.id(&addr(EventSource, "google_storage_bucket.imageproc_input")
                .root("run/image_processing")),
        )
        .unwrap();
    let mut fires: Vec<&str> = graph
        .edges_out(bucket)
        .filter_map(|(_, e)| e.fires)
        .collect();
    fires.sort_unstable();
    assert_eq!(
        fires,
        ["archived", "deleted", "finalized", "metadataUpdated"]
    );
    // run/tasks: the queue has no `http_target`; tasks name their own targets.
    r.assert_no_edges_out(&name(Queue, "cloud-tasks-queue-name").root("run/tasks"));
}

/// terraform-google-modules/terraform-google-bigquery, `modules/data_warehouse` (its example
/// calls it by registry address): the workflow's source is `templatefile()` of
/// `templates/workflow.tftpl`, which gets `function_url =
/// google_cloudfunctions2_function.notebook_deploy_function.url`.
#[test]
fn bigquery_data_warehouse() {
    let r = repo("terraform-google-modules__terraform-google-bigquery");
    let workflow = name(Workflow, "initial-workflow").root("modules/data_warehouse");
    r.assert_edges(&[
        // invoke_function: `function_url: ${function_url}`, then `http.get` to
        // `$${function_url}`.
        (
            workflow,
            SyncCall,
            name(Function, "deploy-notebooks").root("modules/data_warehouse"),
        ),
        // copy_objects: `googleapis.storage.v1.objects.list` on bucket data-analytics-demos.
        (
            workflow,
            SyncCall,
            name(EventSource, "data-analytics-demos"),
        ),
        // create_tables: `googleapis.bigquery.v2.jobs.query`.
        (
            workflow,
            SyncCall,
            name(GoogleApi, "bigquery.googleapis.com"),
        ),
    ]);
    // The call of the function is located in the template, at its `call: http.get`.
    let graph = &r.report.graph;
    let from = graph.find(&r.id(&workflow)).unwrap();
    let to = graph
        .find(&r.id(&name(Function, "deploy-notebooks")))
        .unwrap();
    let (_, call) = graph.edges_out(from).find(|(t, _)| *t == to).unwrap();
    assert!(
        r.path(call.loc.file)
            .ends_with("modules/data_warehouse/templates/workflow.tftpl"),
        "{:?}",
        call.loc
    );
    assert_eq!(call.loc.line, 121);
}

/// Three small storage-triggered pipelines, one edge each.
///
#[test]
fn storage_triggered_functions() {
    // vigenair terraform/cloud_functions.tf: gen2 `event_trigger` finalized, `event_filters`
    // bucket = google_storage_bucket.backend_service_bucket.name.
    repo("google-marketing-solutions__vigenair").assert_edges(&[(
        addr(EventSource, "google_storage_bucket.backend_service_bucket").root("terraform"),
        Event,
        name(Function, "vigenair").root("terraform"),
    )]);
    // ml-image-annotation infra/modules/cloudfunctions/main.tf: `event_filters` bucket =
    // var.input-bucket, given module.storage.gcs_input (infra/modules/storage, vision-input).
    repo("GoogleCloudPlatform__terraform-ml-image-annotation-gcf").assert_edges(&[(
        addr(
            EventSource,
            "module.simple.module.storage.google_storage_bucket.vision-input",
        )
        .root("examples/simple_example"),
        Event,
        name(Function, "annotate_gcs").root("examples/simple_example"),
    )]);
    // genai-doc-summarization main.tf, google_eventarc_trigger.trigger: finalized on
    // google_storage_bucket.docs.name.
    // Its destination, `cloud_run_service { service =
    // google_cloudfunctions2_function.webhook.name }`: a gen2 function is a Cloud Run service.
    repo("GoogleCloudPlatform__terraform-genai-doc-summarization").assert_edges(&[
        (
            addr(EventSource, "module.simple.google_storage_bucket.docs")
                .root("examples/simple_example"),
            Event,
            name(Trigger, "summary-trigger").root("examples/simple_example"),
        ),
        (
            name(Trigger, "summary-trigger").root("examples/simple_example"),
            Deliver,
            name(Function, "summary-webhook").root("examples/simple_example"),
        ),
    ]);
}
