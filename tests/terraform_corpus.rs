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
    report: Report,
}

fn repo(name: &'static str) -> Repo {
    Repo {
        name,
        report: analyze(&read_repository(name)),
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

    /// The one node `n` means; two would mean Baton merged or split what the reader did not.
    fn node(&self, n: &N) -> petgraph_free::Index {
        let graph = &self.report.graph;
        let found: Vec<_> = graph
            .nodes()
            .filter(|&i| self.matches(n, graph.node(i)))
            .collect();
        match found[..] {
            [one] => petgraph_free::Index(one),
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
                    .map(|&i| self.describe(graph.node(i)))
                    .collect::<Vec<_>>()
            ),
        }
    }

    /// Asserts every `(from, kind, to)` is an edge of the graph.
    fn assert_edges(&self, expected: &[(N, EdgeKind, N)]) {
        let graph = &self.report.graph;
        let mut missing = Vec::new();
        for (from, kind, to) in expected {
            let (a, b) = (self.node(from).0, self.node(to).0);
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
        let i = self.node(n).0;
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
        let i = self.node(n).0;
        assert_eq!(
            self.report.graph.edges_in(i).count(),
            0,
            "{}: nothing should lead to {n:?}; the edges are:\n{}",
            self.name,
            self.dump()
        );
    }

    /// The file an edge or finding is located in, as the path ends.
    fn file_ends_with(&self, file: FileId, end: &str) -> bool {
        read_path(self, file).ends_with(end)
    }
}

fn read_path(repo: &Repo, file: FileId) -> String {
    // FileId(i) is the i-th file read, in the order `read_repository` reads them.
    read_repository(repo.name)
        .get(file.0 as usize)
        .map(|f| f.path.clone())
        .unwrap_or_default()
}

/// `NodeIndex` without naming petgraph (not a dependency of this package).
mod petgraph_free {
    pub struct Index(pub baton_analyzer::graph::NodeIndexAlias);
}
