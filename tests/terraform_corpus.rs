//! The Terraform corpus (`../shared/corpus-terraform`: public repositories that wire Google
//! Cloud events in Terraform), read in place as `baton graph <repository>` reads it: every
//! repository loads without a panic, no Terraform file is dropped without a located finding,
//! the corpus keeps at least today's edges, and the edges a careful reader draws by hand for
//! ten of the repositories are in the graph, between the right nodes of the right root.
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

use EdgeKind::{DeadLetter, Deliver, Event, Schedule, SyncCall};
use NodeKind::{EventSource, External, Function, GoogleApi, Job, Queue, Service, Subscription};
use NodeKind::{Topic, Trigger, Workflow};

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
    /// A node's root folder relative to the repository. The graph has it relative to the
    /// folder given on the command line, or (today, when that folder is absolute) as an
    /// absolute path: both read the same here.
    fn relative_root<'a>(&self, root: &'a str) -> &'a str {
        match root.split_once(&format!("/{}", self.name)) {
            Some((_, "")) => ".",
            Some((_, rest)) => rest.trim_start_matches('/'),
            None => root,
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
                .is_some_and(|t| self.relative_root(&t.root) == root),
        };
        named && rooted
    }

    fn describe(&self, node: &Node) -> String {
        match &node.terraform {
            Some(t) => format!(
                "{} [{} in {}]",
                node.id,
                t.address,
                self.relative_root(&t.root)
            ),
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
            [] => panic!("{}: no node {n:?}; the edges are:\n{}", self.name, self.dump()),
            _ => panic!(
                "{}: {n:?} is {} nodes: {:?}",
                self.name,
                found.len(),
                found.iter().map(|node| self.describe(node)).collect::<Vec<_>>()
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
                    out.push(format!("{repo}/{path}: template read by nothing, no finding"));
                }
                if steps_here > 0 && not_read {
                    out.push(format!("{repo}/{path}: now read, update TEMPLATES_NOT_READ"));
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

/// Edges and nodes of the whole corpus when this test was written: more is fine, fewer
/// means something stopped being drawn.
const EDGES_TODAY: usize = 133;
const NODES_TODAY: usize = 225;

#[test]
fn every_repository_loads_without_panic_and_no_terraform_file_is_silently_dropped() {
    let repos = repositories();
    assert!(repos.len() >= 20, "expected the whole corpus, found {repos:?}");
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
