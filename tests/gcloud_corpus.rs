//! The gcloud corpus (`../shared/corpus-gcloud`: public repositories whose shell scripts,
//! Makefiles, READMEs and Cloud Build files wire Google Cloud events with `gcloud` and
//! `gsutil` commands), read in place as `baton graph <repository>` reads it: every repository
//! loads without a panic, every finding and every resource points at a line of a file that
//! was read, the corpus keeps at least today's nodes and edges, and the edges a careful
//! reader draws by hand for eleven of the repositories are in the graph, between the right
//! nodes.
//!
//! Each pinned edge names the file and line it comes from. Edges Baton draws wrongly or
//! misses are not pinned (neither their presence nor their absence); only absences that are
//! right (a topic nothing in the repository reads) are. What a reader draws and Baton does
//! not is listed in each test's documentation, so that the test can grow with the loader.

// Tests and benches fail loudly on what they did not expect.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use baton_analyzer::graph::{EdgeKind, Node, NodeKind};
use baton_analyzer::model::{visit_steps, Auth, ResourceKind};
use baton_analyzer::{analyze, FileId, Loc, Report, SourceFile};

use EdgeKind::{Deliver, Dispatch, Enqueue, Event, Publish, Schedule, SyncCall};
use NodeKind::{EventSource, External, Function, GoogleApi, Job, Queue, RunJob, Service};
use NodeKind::{Subscription, Topic, Trigger, Workflow};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus-gcloud")
}

/// The repositories: every top-level folder of the corpus.
fn repositories() -> Vec<String> {
    let mut repos: Vec<String> = std::fs::read_dir(corpus_dir())
        .expect("the gcloud corpus sits beside the repository")
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().into_string().unwrap())
        .collect();
    repos.sort();
    repos
}

/// Folders the CLI never walks (`src/files.rs`).
const SKIPPED: [&str; 2] = [".git", "node_modules"];

/// The first line of a file without an extension: a shebang makes it a script.
fn first_line(path: &Path) -> String {
    use std::io::Read;
    if path.extension().is_some() {
        return String::new();
    }
    let mut head = [0u8; 128];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    String::from_utf8_lossy(&head[..n])
        .lines()
        .next()
        .unwrap_or("")
        .to_string()
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
                if !SKIPPED.contains(&entry.file_name().to_string_lossy().as_ref()) {
                    walk(&path, out);
                }
            } else if kind.is_file()
                && baton_analyzer::reads(&path.to_string_lossy(), &first_line(&path))
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
    /// The path of each file read, relative to the repository, by `FileId`.
    paths: Vec<String>,
    report: Report,
}

fn repo(name: &'static str) -> Repo {
    let files = read_repository(name);
    let prefix = format!("{}/{name}/", corpus_dir().display());
    Repo {
        name,
        paths: files
            .iter()
            .map(|f| f.path.strip_prefix(&prefix).unwrap_or(&f.path).to_string())
            .collect(),
        report: analyze(&files),
    }
}

/// How a pinned node is recognised by its name.
#[derive(Clone, Copy, Debug)]
enum By {
    /// Its name as the graph has it.
    Name(&'static str),
    /// The end of its name (a name whose start only the caller of a script knows).
    NameEnd(&'static str),
}

/// A node: its kind, its name and, where one repository has several nodes of that name (two
/// samples, two projects), the file its definition (or first reference) is in, its project or
/// its location.
#[derive(Clone, Copy, Debug)]
struct N {
    kind: NodeKind,
    by: By,
    file: Option<&'static str>,
    project: Option<&'static str>,
    location: Option<&'static str>,
}

fn name(kind: NodeKind, name: &'static str) -> N {
    N {
        kind,
        by: By::Name(name),
        file: None,
        project: None,
        location: None,
    }
}

fn name_end(kind: NodeKind, end: &'static str) -> N {
    N {
        kind,
        by: By::NameEnd(end),
        file: None,
        project: None,
        location: None,
    }
}

impl N {
    /// Defined (or first referenced) in `file`, relative to the repository.
    fn at(self, file: &'static str) -> N {
        N {
            file: Some(file),
            ..self
        }
    }

    fn project(self, project: &'static str) -> N {
        N {
            project: Some(project),
            ..self
        }
    }

    fn location(self, location: &'static str) -> N {
        N {
            location: Some(location),
            ..self
        }
    }
}

impl Repo {
    /// The path of `file`, relative to the repository.
    fn path(&self, file: FileId) -> &str {
        self.paths.get(file.0 as usize).map_or("", String::as_str)
    }

    fn matches(&self, n: &N, node: &Node) -> bool {
        let named = match n.by {
            By::Name(name) => node.name == name,
            By::NameEnd(end) => node.name.ends_with(end),
        };
        node.kind == n.kind
            && named
            && n.file.is_none_or(|f| self.path(node.loc.file) == f)
            && n.project.is_none_or(|p| node.project.as_deref() == Some(p))
            && n.location
                .is_none_or(|l| node.location.as_deref() == Some(l))
    }

    fn describe(&self, node: &Node) -> String {
        format!(
            "{} [{}:{}]",
            node.id,
            self.path(node.loc.file),
            node.loc.line
        )
    }

    fn at(&self, loc: Loc) -> String {
        format!("{}:{}", self.path(loc.file), loc.line)
    }

    /// Every edge, for failure messages.
    fn dump(&self) -> String {
        let graph = &self.report.graph;
        let mut out = Vec::new();
        for from in graph.nodes() {
            for (to, edge) in graph.edges_out(from) {
                out.push(format!(
                    "  {} -{}-> {} @{}",
                    graph.node(from).id,
                    edge.caption(),
                    graph.node(to).id,
                    self.at(edge.loc)
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

    /// Where each `kind` edge from `from` to `to` is written, as `path:line`.
    fn edge_locations(&self, from: &N, kind: EdgeKind, to: &N) -> Vec<String> {
        let graph = &self.report.graph;
        let a = graph.find(&self.id(from)).unwrap();
        let b = graph.find(&self.id(to)).unwrap();
        let mut at: Vec<String> = graph
            .edges_out(a)
            .filter(|(target, edge)| *target == b && edge.kind == kind)
            .map(|(_, edge)| self.at(edge.loc))
            .collect();
        at.sort();
        at
    }

    /// Asserts every `(from, kind, to)` is an edge of the graph.
    fn assert_edges(&self, expected: &[(N, EdgeKind, N)]) {
        let missing: Vec<String> = expected
            .iter()
            .filter(|(from, kind, to)| self.edge_locations(from, *kind, to).is_empty())
            .map(|(from, kind, to)| {
                format!("  {} -{}-> {}", self.id(from), kind.as_str(), self.id(to))
            })
            .collect();
        assert!(
            missing.is_empty(),
            "{}: missing edges:\n{}\nthe edges are:\n{}",
            self.name,
            missing.join("\n"),
            self.dump()
        );
    }

    /// Asserts the `kind` edges from `from` to `to` are written exactly at `lines`
    /// (`path:line`, sorted).
    fn assert_edges_at(&self, from: N, kind: EdgeKind, to: N, lines: &[&str]) {
        assert_eq!(
            self.edge_locations(&from, kind, &to),
            lines,
            "{}: {} -{}-> {}; the edges are:\n{}",
            self.name,
            self.id(&from),
            kind.as_str(),
            self.id(&to),
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

    /// The `file:line` of `n` (its definition, or its first reference).
    fn node_at(&self, n: &N) -> String {
        let graph = &self.report.graph;
        let node = graph.node(graph.find(&self.id(n)).unwrap());
        self.at(node.loc)
    }

    /// The file the workflow `n` is defined in (its `--source`) and the files its steps are
    /// in.
    fn workflow_source(&self, n: &N) -> (String, Vec<String>) {
        let graph = &self.report.graph;
        let node = graph.node(graph.find(&self.id(n)).unwrap());
        let id = *node.definitions.first().expect("a defined workflow");
        let Some(ResourceKind::Workflow(workflow)) =
            self.report.workspace.resource(id).map(|r| &r.kind)
        else {
            panic!("{}: {n:?} is not a workflow definition", self.name);
        };
        let mut files = Vec::new();
        for sub in &workflow.subworkflows {
            visit_steps(&sub.steps, &mut |step| {
                let path = self.path(step.loc.file).to_string();
                if !files.contains(&path) {
                    files.push(path);
                }
            });
        }
        (self.path(workflow.file).to_string(), files)
    }

    /// Asserts the workflow `n` is the definition in `source`: its steps are read from there.
    fn assert_workflow_source(&self, n: N, source: &str) {
        let (file, steps) = self.workflow_source(&n);
        assert_eq!(
            (file.as_str(), steps),
            (source, vec![source.to_string()]),
            "{}: {n:?}",
            self.name
        );
    }
}

/// Where `loc` points outside the files read: `None` when it is a line of one of them (or the
/// position just after the last line).
fn bad_location(files: &[SourceFile], loc: Loc) -> Option<String> {
    let Some(file) = files.get(loc.file.0 as usize) else {
        return Some(format!("file {} of {}", loc.file.0, files.len()));
    };
    let lines = file.text.lines().count() as u32;
    (loc.line < 1 || loc.line > lines + 1).then(|| {
        format!(
            "{}:{} (the file has {lines} lines)",
            file.path.rsplit('/').next().unwrap_or(&file.path),
            loc.line
        )
    })
}

/// Every location a repository's report holds that points nowhere: findings and their related
/// locations, resources, workflow steps, graph nodes and edges.
fn bad_locations(repo: &str, files: &[SourceFile], report: &Report) -> Vec<String> {
    let mut out = Vec::new();
    let mut check = |what: String, loc: Loc| {
        if let Some(problem) = bad_location(files, loc) {
            out.push(format!("{repo}: {what} at {problem}"));
        }
    };
    for finding in &report.findings {
        check(format!("finding {}", finding.rule.meta().name), finding.loc);
        for related in &finding.related {
            check(
                format!("related location of {}", finding.rule.meta().name),
                related.loc,
            );
        }
    }
    for resource in &report.workspace.resources {
        check(format!("resource {}", resource.name), resource.loc);
        if let ResourceKind::Workflow(workflow) = &resource.kind {
            for sub in &workflow.subworkflows {
                visit_steps(&sub.steps, &mut |step| {
                    check(format!("step {} of {}", step.name, resource.name), step.loc);
                });
            }
        }
    }
    let graph = &report.graph;
    for n in graph.nodes() {
        let node = graph.node(n);
        check(format!("node {}", node.id), node.loc);
        for (to, edge) in graph.edges_out(n) {
            check(
                format!("edge {} -> {}", node.id, graph.node(to).id),
                edge.loc,
            );
        }
    }
    out
}

/// Nodes and edges of the whole corpus when this test was last updated: more is fine, fewer
/// means something stopped being drawn (or, for nodes, that two were rightly merged: then
/// lower the figure and say why in the commit).
const NODES_TODAY: usize = 315;
const EDGES_TODAY: usize = 207;

#[test]
fn every_repository_loads_without_panic_and_every_location_is_a_line_read() {
    let repos = repositories();
    assert!(
        repos.len() >= 14,
        "expected the whole corpus, found {repos:?}"
    );
    let mut counts: BTreeMap<&str, (usize, usize, usize, usize)> = BTreeMap::new();
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
                report.findings.len(),
            ),
        );
        failures.extend(bad_locations(repo, &files, &report));
    }
    let table: String = counts
        .iter()
        .map(|(repo, (files, nodes, edges, findings))| {
            format!(
                "\n  {repo:45} {files:4} files {nodes:4} nodes {edges:4} edges {findings:4} findings"
            )
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

/// meteatamel/cloudtasks-samples: four READMEs around Cloud Tasks queues with HTTP targets.
///
/// Not drawn, and not pinned: the queues' targets. `gcloud tasks create-http-task` is not
/// read (queue-http-tasks/README.md:63 sends `http-queue`'s task to hello1, so `unused-queue`
/// says wrongly that nothing enqueues into it), and `--http-uri-override=host:$SERVICE_HOST`
/// gets its host from `$(echo $SERVICE_URL | sed 's,http[s]*://,,g')`, which Baton does not
/// follow: the dispatch goes to an unresolved node whose name is cut at the comma inside the
/// `sed` expression (queue-uri-override-http-tasks/README.md:180 → hello1,
/// queue-uri-override-http-tasks-buffer/README.md:46 → hello1,
/// tasks-buffer-pubsub-run/README.md:121 → hello).
#[test]
fn cloudtasks_samples() {
    let r = repo("meteatamel__cloudtasks-samples");
    // tasks-buffer-pubsub-run/README.md:69: `--destination-run-service=$SERVICE` (hello,
    // line 45) in `--destination-run-region=$REGION`.
    r.assert_edges_at(
        name(Trigger, "trigger-pubsub"),
        Deliver,
        name(Service, "hello").location("us-central1"),
        &["tasks-buffer-pubsub-run/README.md:70"],
    );
    // queue-http-tasks/README.md:47: `gcloud tasks queues create $QUEUE --location=$LOCATION`
    // with QUEUE=http-queue and LOCATION=us-central1 set in the same code block.
    assert_eq!(
        r.node_at(&name(Queue, "http-queue").location("us-central1")),
        "queue-http-tasks/README.md:47"
    );
    // queue-uri-override-http-tasks/README.md:71 creates the queue and line 179 updates it:
    // one queue, where it is created.
    assert_eq!(
        r.node_at(&name(Queue, "http-queue-uri-override")),
        "queue-uri-override-http-tasks/README.md:71"
    );
}

/// meteatamel/cloudrun-tutorial: one Markdown page per pattern.
///
/// Not drawn, and not pinned: the push and scheduler targets whose URL comes from
/// `$(gcloud run services list --filter=${SERVICE_NAME} --format='value(URL)')` (an
/// unresolved node instead of `event-display-storage`, docs/storage.md:78, and
/// `event-display-scheduled`, docs/scheduled.md:70, and `dbt-service`,
/// docs/scheduled-dbt-service-bigquery.md:186); the task of docs/tasks.md:83 (not read);
/// the job `dbt-job-run` running `dbt-job` (dbt-job/README.md:164: the job's name is only in
/// `messagebody.json`, line 156).
#[test]
fn cloudrun_tutorial() {
    let r = repo("meteatamel__cloudrun-tutorial");
    r.assert_edges(&[
        // docs/pubsub.md:78: `gcloud pubsub subscriptions create $TOPIC_NAME-subscription
        // --topic $TOPIC_NAME`, TOPIC_NAME=cloudrun-pubsub (line 42).
        (
            name(Topic, "cloudrun-pubsub"),
            Deliver,
            name(Subscription, "cloudrun-pubsub-subscription"),
        ),
        // docs/storage.md:77, with TOPIC_NAME=cloudrun-storage (line 41).
        (
            name(Topic, "cloudrun-storage"),
            Deliver,
            name(Subscription, "cloudrun-storage-subscription"),
        ),
    ]);
    // docs/pubsub.md:79: `--push-endpoint=$SERVICE_URL`, the `status.url` of event-display
    // (line 76), authenticated with `--push-auth-service-account` (line 80).
    r.assert_edges_at(
        name(Subscription, "cloudrun-pubsub-subscription"),
        Deliver,
        name(Service, "event-display").location("us-central1"),
        &["docs/pubsub.md:79"],
    );
    let graph = &r.report.graph;
    let sub = graph
        .find(&r.id(&name(Subscription, "cloudrun-pubsub-subscription")))
        .unwrap();
    let push: Vec<Option<Auth>> = graph.edges_out(sub).map(|(_, e)| e.auth).collect();
    assert_eq!(push, [Some(Auth::Oidc)]);
    // docs/auth.md:48 and :107: `--set-env-vars URL=$RECEIVING_SERVICE_URL`, the URL of
    // `receiving` (line 37): calling and authenticated call it (soft: only the environment
    // says so).
    for caller in ["calling", "authenticated"] {
        let line = if caller == "calling" { 48 } else { 107 };
        r.assert_edges_at(
            name(Service, caller),
            SyncCall,
            name(Service, "receiving"),
            &[format!("docs/auth.md:{line}").as_str()],
        );
    }
    assert!(graph
        .graph
        .edge_weights()
        .filter(|e| e.kind == SyncCall)
        .all(|e| e.soft));
    // docs/storage.md:95: `gsutil notification create -t ${TOPIC_NAME} -f json
    // gs://${BUCKET_NAME}` without `-e`: every object event, on the bucket of line 89.
    let bucket = graph
        .find(&r.id(&name(EventSource, "cloudrun-bucket")))
        .unwrap();
    let topic = graph.find(&r.id(&name(Topic, "cloudrun-storage"))).unwrap();
    let mut fires: Vec<&str> = graph
        .edges_out(bucket)
        .filter(|(to, e)| *to == topic && e.kind == Event)
        .filter_map(|(_, e)| e.fires)
        .collect();
    fires.sort_unstable();
    assert_eq!(
        fires,
        ["archived", "deleted", "finalized", "metadataUpdated"]
    );
    assert_eq!(
        r.node_at(&name(EventSource, "cloudrun-bucket")),
        "docs/storage.md:89"
    );
    // dbt-job/README.md:117: `gcloud alpha run jobs create dbt-job` after `gcloud config set
    // run/region ${REGION}` (line 115, REGION=europe-west1).
    assert_eq!(
        r.node_at(&name(RunJob, "dbt-job").location("europe-west1")),
        "dbt-job/README.md:117"
    );
}

/// Audit-log event sources of eventarc-samples: one node each, shared by every sample whose
/// trigger or function filters on that service and method.
const AUDIT_BIGQUERY_JOBS: &str = "audit log: bigquery.googleapis.com jobservice.jobcompleted";
const AUDIT_STORAGE_CREATES: &str = "audit log: storage.googleapis.com storage.objects.create";
const AUDIT_INSTANCE_INSERTS: &str =
    "audit log: compute.googleapis.com beta.compute.instances.insert";

/// GoogleCloudPlatform/eventarc-samples: Eventarc triggers to Cloud Run, GKE, Workflows and
/// functions, sample by sample.
///
/// Not drawn, and not pinned:
/// - buckets whose name holds the project (`$PROJECT_ID-...` with `PROJECT_ID=$(gcloud config
///   get-value project)`) created in the sample and named by a trigger's `bucket=` filter: the
///   trigger's source is an unresolved node, not the bucket
///   (eventarc-gke/.../06_create_eventarc_storage_trigger.sh:20 and :31,
///   eventarc-workflows-integration/eventarc-storage/README.md:73 and :81);
/// - sources that are a trigger's own topic, read back with `gcloud eventarc triggers describe
///   --format='value(transport.pubsub.topic)'`: query-runner publishing to chart-creator's
///   trigger (processing-pipelines/bigquery/README.md:201, :237), the schedulers publishing to
///   query-runner's trigger (:256, :279, :288);
/// - the `trigger-workflow-*` services starting their workflow (env `WORKFLOW_NAME`,
///   eventarc-auditlog-storage-cloudrun/README.md:49, eventarc-pubsub-cloudrun/README.md:49,
///   processing-pipelines/image-v2/README.md:307): `untriggered-workflow` says wrongly that
///   nothing starts them;
/// - image-v2's filter calling labeler, resizer and watermarker (env `*_URL`, image-v2/
///   README.md:307, from `gcloud functions describe --format 'value(httpsTrigger.url)'`): Baton
///   draws these soft edges on image-v2 alone, but not here, where image-v3 defines functions
///   of the same names in another project;
/// - image-v3's workflow calling the four functions (image-v3/README.md:312-315 `sed` their
///   URLs into workflow.yaml);
/// - the crfa pages' GKE triggers reaching the Cloud Run for Anthos services `gcloud run
///   deploy` creates there (an external `gke/...` node, and a separate service node);
/// - cross-project-eventing/README.md: topic `my-topic`, service `hello` and the trigger are
///   created in `[YOUR-PROJECT2]` (line 27) but land in `[YOUR-PROJECT1]` (set later, line 86),
///   so `my-topic` is two nodes and `topic-without-subscribers` is reported on line 36.
///
/// image-v1/README.md's triggers have no event filters: lines 127, 184, 226 and 273 end
/// without `\`, so the shell runs `--event-filters=...` as a command of its own, as Baton
/// reads it.
#[test]
fn eventarc_samples() {
    let r = repo("GoogleCloudPlatform__eventarc-samples");
    let bigquery_jobs = name(EventSource, AUDIT_BIGQUERY_JOBS);
    let storage_creates = name(EventSource, AUDIT_STORAGE_CREATES);
    let instance_inserts = name(EventSource, AUDIT_INSTANCE_INSERTS);
    r.assert_edges(&[
        // eventarc-workflows-integration/eventarc-auditlog-bigquery/README.md:84: audit log
        // filters serviceName=bigquery.googleapis.com, methodName=jobservice.jobcompleted,
        // and `--destination-workflow=$WORKFLOW_NAME` (line 86, the workflow of line 44).
        (
            bigquery_jobs,
            Event,
            name(Trigger, "trigger-auditlog-bigquery"),
        ),
        (
            name(Trigger, "trigger-auditlog-bigquery"),
            Deliver,
            name(Workflow, "eventarc-auditlog-bigquery-workflow"),
        ),
        // eventarc-pubsub/README.md:72 and eventarc-storage/README.md:81, to the workflows
        // deployed at lines 42 and 44.
        (
            name(Trigger, "trigger-pubsub-workflow"),
            Deliver,
            name(Workflow, "eventarc-pubsub-workflow"),
        ),
        (
            name(Trigger, "trigger-storage-workflow"),
            Deliver,
            name(Workflow, "eventarc-storage-workflow"),
        ),
        // eventarc-auditlog-storage-cloudrun/README.md:70 and eventarc-pubsub-cloudrun/
        // README.md:59: triggers named after the service they deliver to.
        (
            storage_creates,
            Event,
            name(Trigger, "trigger-workflow-auditlog-storage"),
        ),
        (
            name(Trigger, "trigger-workflow-auditlog-storage"),
            Deliver,
            name(Service, "trigger-workflow-auditlog-storage"),
        ),
        (
            name(Trigger, "trigger-workflow-pubsub"),
            Deliver,
            name(Service, "trigger-workflow-pubsub"),
        ),
        // cloudiot-events/setup.sh:48: type google.api.cloud.iot.v1.registryCreated, to the
        // hello service of line 43.
        (
            name(EventSource, "google.api.cloud.iot.v1.registryCreated"),
            Event,
            name(Trigger, "cloudiot-trigger"),
        ),
        (
            name(Trigger, "cloudiot-trigger"),
            Deliver,
            name(Service, "hello").at("cloudiot-events/setup.sh"),
        ),
        // cross-project-eventing/README.md:95: the bucket of line 89 notifies
        // `projects/$PROJECT2/topics/$TOPIC`, which the trigger of line 51 reads
        // (`--transport-topic`, line 56) and delivers to hello (line 52).
        (
            name(EventSource, "[YOUR-PROJECT1]-cross-project"),
            Event,
            name(Topic, "my-topic").project("[YOUR-PROJECT2]"),
        ),
        (
            name(Topic, "my-topic").project("[YOUR-PROJECT2]"),
            Event,
            name(Trigger, "trigger-cross-project-pubsub"),
        ),
        (
            name(Trigger, "trigger-cross-project-pubsub"),
            Deliver,
            name(Service, "hello").at("cross-project-eventing/README.md"),
        ),
        // eventarc-events/EventListGenerator/setup.sh:62: the scheduler POSTs to
        // `.../namespaces/$PROJECT_ID/jobs/${APP}:run` (line 64), the job of line 54.
        (
            name(Job, "event-list-generator"),
            Schedule,
            name(RunJob, "event-list-generator"),
        ),
        // eventarc-gke/trigger-gke-eventarc-events/scripts/0{4,6,8}_*.sh (names from
        // `source config.sh`): three triggers to the GKE service hello-gke, which kubectl
        // deploys (outside the repository).
        (
            name(Trigger, "trigger-pubsub-gke").at(
                "eventarc-gke/trigger-gke-eventarc-events/scripts/04_create_eventarc_pubsub_trigger.sh",
            ),
            Deliver,
            name(External, "gke/hello-gke"),
        ),
        (
            name(Trigger, "trigger-storage-gke"),
            Deliver,
            name(External, "gke/hello-gke"),
        ),
        (
            storage_creates,
            Event,
            name(Trigger, "trigger-auditlog-storage-gke"),
        ),
        (
            name(Trigger, "trigger-auditlog-storage-gke"),
            Deliver,
            name(External, "gke/hello-gke"),
        ),
        // gce-vm-labeler/run/README.md:107 (audit log of compute instances.insert) and the
        // two `functions deploy --trigger-event-filters` of gce-vm-labeler/gcf/*/deploy.sh:23.
        (
            instance_inserts,
            Event,
            name(Trigger, "gce-vm-labeler-trigger"),
        ),
        (
            name(Trigger, "gce-vm-labeler-trigger"),
            Deliver,
            name(Service, "gce-vm-labeler"),
        ),
        (
            instance_inserts,
            Event,
            name(Function, "gce-vm-labeler").at("gce-vm-labeler/gcf/csharp/deploy.sh"),
        ),
        (
            instance_inserts,
            Event,
            name(Function, "gce-vm-labeler").at("gce-vm-labeler/gcf/nodejs/deploy.sh"),
        ),
        // bigquery-jobs-notifier/gcf/README.md:110 (a function) and run/README.md:121 (a
        // trigger to a service).
        (
            bigquery_jobs,
            Event,
            name(Function, "bigquery-usage-notifier"),
        ),
        (
            bigquery_jobs,
            Event,
            name(Trigger, "bigquery-usage-notifier-trigger"),
        ),
        (
            name(Trigger, "bigquery-usage-notifier-trigger"),
            Deliver,
            name(Service, "bigquery-usage-notifier"),
        ),
        // processing-pipelines/bigquery/README.md:140, :192, :247 (`trigger-$SERVICE_NAME`).
        (
            storage_creates,
            Event,
            name(Trigger, "trigger-notifier"),
        ),
        (
            name(Trigger, "trigger-notifier"),
            Deliver,
            name(Service, "notifier").at("processing-pipelines/bigquery/README.md"),
        ),
        (
            name(Trigger, "trigger-chart-creator"),
            Deliver,
            name(Service, "chart-creator").at("processing-pipelines/bigquery/README.md"),
        ),
        (
            name(Trigger, "trigger-query-runner"),
            Deliver,
            name(Service, "query-runner").at("processing-pipelines/bigquery/README.md"),
        ),
        // processing-pipelines/image-v1/README.md:125, :182, :224, :271.
        (
            name(Trigger, "trigger-watermarker"),
            Deliver,
            name(Service, "watermarker").at("processing-pipelines/image-v1/README.md"),
        ),
        (
            name(Trigger, "trigger-resizer"),
            Deliver,
            name(Service, "resizer").at("processing-pipelines/image-v1/README.md"),
        ),
        (
            name(Trigger, "trigger-labeler"),
            Deliver,
            name(Service, "labeler").at("processing-pipelines/image-v1/README.md"),
        ),
        (
            name(Trigger, "trigger-filter").at("processing-pipelines/image-v1/README.md"),
            Deliver,
            name(Service, "filter").at("processing-pipelines/image-v1/README.md"),
        ),
        // processing-pipelines/image-v1/image-processing-pipeline-eventarc-crfa.md:262 and
        // :307: `--transport-topic=projects/$PROJECT_ID/topics/$TOPIC_FILE_UPLOADED`
        // (file-uploaded, created in the README of the same folder, line 173, and in this
        // page, line 253).
        (
            name(Topic, "file-uploaded"),
            Event,
            name(Trigger, "trigger-resizer-gke"),
        ),
        (
            name(Topic, "file-uploaded"),
            Event,
            name(Trigger, "trigger-labeler-gke"),
        ),
        // processing-pipelines/image-v2/README.md:319: finalized on `bucket=$BUCKET1`
        // ([YOUR-PROJECT-ID]-images-input, a global bucket name also created by image-v1,
        // line 85), to the filter service of line 304.
        (
            name(EventSource, "[YOUR-PROJECT-ID]-images-input"),
            Event,
            name(Trigger, "trigger-filter").at("processing-pipelines/image-v2/README.md"),
        ),
        (
            name(Trigger, "trigger-filter").at("processing-pipelines/image-v2/README.md"),
            Deliver,
            name(Service, "filter").at("processing-pipelines/image-v2/README.md"),
        ),
        // processing-pipelines/image-v3/README.md:387: finalized on `bucket=$BUCKET1` (the
        // bucket of line 45), to the workflow of line 323 (`--destination-workflow-location
        // =$REGION`, us-central1).
        (
            name(EventSource, "your-project-id-images-input"),
            Event,
            name(Trigger, "trigger-image-processing"),
        ),
        (
            name(Trigger, "trigger-image-processing"),
            Deliver,
            name(Workflow, "your-project-id-workflow").location("us-central1"),
        ),
        // publish-events/channel/setup.sh:35 and workspace-integration/
        // sheets-to-eventarc-custom/setup.sh:37: `--channel=$CHANNEL_NAME` (from `source
        // config.sh`) to that folder's hello service.
        (
            name(EventSource, "hello-custom-events-channel"),
            Event,
            name(Trigger, "hello-custom-events-trigger"),
        ),
        (
            name(Trigger, "hello-custom-events-trigger"),
            Deliver,
            name(Service, "hello").at("publish-events/channel/setup.sh"),
        ),
        (
            name(EventSource, "channel-sheets-custom"),
            Event,
            name(Trigger, "trigger-sheets-custom"),
        ),
        (
            name(Trigger, "trigger-sheets-custom"),
            Deliver,
            name(Service, "hello").at("workspace-integration/sheets-to-eventarc-custom/setup.sh"),
        ),
        // route-cloudguard-eventarc/README.md:244: the CloudGuard channel (line 73) to the
        // workflow deployed at line 218.
        (
            name(EventSource, "cloudguard-channel"),
            Event,
            name(Trigger, "cloudguard-workflows-trigger"),
        ),
        (
            name(Trigger, "cloudguard-workflows-trigger"),
            Deliver,
            name(Workflow, "cloudguard-events-logger"),
        ),
    ]);
    // The deliveries are written at the `--destination-*` flags.
    r.assert_edges_at(
        name(Trigger, "trigger-auditlog-bigquery"),
        Deliver,
        name(Workflow, "eventarc-auditlog-bigquery-workflow"),
        &["eventarc-workflows-integration/eventarc-auditlog-bigquery/README.md:86"],
    );
    r.assert_edges_at(
        name(Trigger, "trigger-image-processing"),
        Deliver,
        name(Workflow, "your-project-id-workflow"),
        &["processing-pipelines/image-v3/README.md:389"],
    );
    // processing-pipelines/image-v1/README.md:258 and the crfa page's line 345:
    // `--update-env-vars ...,TOPIC_ID=$TOPIC_FILE_UPLOADED`: filter publishes to file-uploaded.
    r.assert_edges_at(
        name(Service, "filter").at("processing-pipelines/image-v1/README.md"),
        Publish,
        name(Topic, "file-uploaded"),
        &["processing-pipelines/image-v1/README.md:258"],
    );
    r.assert_edges_at(
        name(Service, "filter")
            .at("processing-pipelines/image-v1/image-processing-pipeline-eventarc-crfa.md"),
        Publish,
        name(Topic, "file-uploaded"),
        &["processing-pipelines/image-v1/image-processing-pipeline-eventarc-crfa.md:345"],
    );
    // `gcloud workflows deploy NAME --source=workflow.yaml` reads the folder's workflow.yaml
    // as that workflow's definition.
    for (workflow, folder) in [
        (
            "eventarc-auditlog-bigquery-workflow",
            "eventarc-workflows-integration/eventarc-auditlog-bigquery",
        ),
        (
            "workflow-auditlog-storage",
            "eventarc-workflows-integration/eventarc-auditlog-storage-cloudrun",
        ),
        (
            "workflow-pubsub",
            "eventarc-workflows-integration/eventarc-pubsub-cloudrun",
        ),
        (
            "eventarc-pubsub-workflow",
            "eventarc-workflows-integration/eventarc-pubsub",
        ),
        (
            "eventarc-storage-workflow",
            "eventarc-workflows-integration/eventarc-storage",
        ),
        ("image-processing", "processing-pipelines/image-v2"),
        ("your-project-id-workflow", "processing-pipelines/image-v3"),
        ("cloudguard-events-logger", "route-cloudguard-eventarc"),
    ] {
        r.assert_workflow_source(name(Workflow, workflow), &format!("{folder}/workflow.yaml"));
    }
}

/// GoogleCloudPlatform/workflows-demos: workflows deployed from READMEs, `setup.sh` files and
/// Cloud Build, with the triggers, queues and topics around them.
///
/// Not drawn, and not pinned:
/// - cloud-run-jobs/README.md:59: the trigger is in `us` and says
///   `--destination-workflow-location=us-central1` (line 62), but with the project unknown
///   Baton drops that location and delivers to a second `cloud-run-job-workflow` node in `us`;
/// - gitops/cloudbuild.yaml:19 and :41 deploy `--source gitops/workflow.yaml`, a path from the
///   repository's root (where Cloud Build runs): Baton looks for it beside cloudbuild.yaml, so
///   both workflows have no steps and gitops/workflow.yaml is a workflow of its own;
/// - buckets named after the project (`$PROJECT_ID-bucket-callback`, callback-event/
///   setup.sh:42, `$PROJECT_ID-bucket`, event-payload-storer/test_storage.sh:37) are not the
///   sources of the triggers that name them (an unresolved node instead);
/// - the callback-event listener calling back the sample workflow (the URL is in Firestore).
#[test]
fn workflows_demos() {
    let r = repo("GoogleCloudPlatform__workflows-demos");
    let tasks = "workflow-tasks-workflow/README.md";
    let executes = "workflow-executes-other-workflows/README.md";
    r.assert_edges(&[
        // callback-event/setup.sh:72 (`--transport-topic=$TOPIC`, topic-callback of line 38)
        // and :81, both to the listener workflow of line 46.
        (
            name(Topic, "topic-callback"),
            Event,
            name(Trigger, "trigger-pubsub-events-listener"),
        ),
        (
            name(Trigger, "trigger-pubsub-events-listener"),
            Deliver,
            name(Workflow, "callback-event-listener"),
        ),
        (
            name(Trigger, "trigger-storage-events-listener"),
            Deliver,
            name(Workflow, "callback-event-listener"),
        ),
        // cloud-run-jobs-payload-gcs/create-trigger.sh:33: `--transport-topic=projects/
        // $PROJECT_ID/topics/$TOPIC_NAME` (line 28), to the workflow deploy-workflow.sh:26
        // deploys.
        (
            name(Topic, "message-payload-topic"),
            Event,
            name(Trigger, "message-payload-trigger"),
        ),
        (
            name(Trigger, "message-payload-trigger"),
            Deliver,
            name(Workflow, "message-payload-workflow"),
        ),
        // workflows-eventarc-integration/workflows-pubsub: the workflow publishes to
        // workflows-to-eventarc-topic (workflow.yaml:7), which the trigger of README.md:46
        // reads and delivers to hello (line 47).
        (
            name(Workflow, "workflows-to-eventarc"),
            Publish,
            name(Topic, "workflows-to-eventarc-topic"),
        ),
        (
            name(Topic, "workflows-to-eventarc-topic"),
            Event,
            name(Trigger, "hello-trigger"),
        ),
        (
            name(Trigger, "hello-trigger"),
            Deliver,
            name(Service, "hello"),
        ),
        // workflows-eventarc-integration/event-payload-storer/test_pubsub.sh:26 and
        // test_storage.sh:41, to the workflow setup.sh:30 deploys.
        (
            name(Trigger, "event-payload-storer-pubsub"),
            Deliver,
            name(Workflow, "event-payload-storer"),
        ),
        (
            name(Trigger, "event-payload-storer-storage"),
            Deliver,
            name(Workflow, "event-payload-storer"),
        ),
        // screenshot-jobs/README.md:250: finalized on the bucket of line 83, to the workflow
        // of line 241 in europe-west1 (`--destination-workflow-location`, line 253), while
        // the trigger itself is in `us`.
        (
            name(EventSource, "screenshot-jobs-[YOUR-PROJECT-ID]"),
            Event,
            name(Trigger, "screenshot-jobs-trigger").location("us"),
        ),
        (
            name(Trigger, "screenshot-jobs-trigger"),
            Deliver,
            name(Workflow, "screenshot-jobs-workflow").location("europe-west1"),
        ),
    ]);
    // Workflow calls, located in the file `--source` names.
    // cloud-run-jobs-payload-gcs/workflow.yaml:31 (`http.post` to the storage upload API)
    // and :41 (`googleapis.run.v1.namespaces.jobs.run` of message-payload-job, created by
    // message-payload-job/deploy-job.sh:47 in `run/region` us-central1).
    r.assert_edges_at(
        name(Workflow, "message-payload-workflow"),
        SyncCall,
        name(GoogleApi, "storage.googleapis.com"),
        &["cloud-run-jobs-payload-gcs/workflow.yaml:31"],
    );
    r.assert_edges_at(
        name(Workflow, "message-payload-workflow"),
        SyncCall,
        name(RunJob, "message-payload-job").location("us-central1"),
        &["cloud-run-jobs-payload-gcs/workflow.yaml:41"],
    );
    // cloud-run-jobs/workflow.yaml:34: `jobs.run` of parallel-job (created outside the
    // repository), from the workflow README.md:45 deploys in us-central1.
    r.assert_edges_at(
        name(Workflow, "cloud-run-job-workflow").location("us-central1"),
        SyncCall,
        name(RunJob, "parallel-job"),
        &["cloud-run-jobs/workflow.yaml:34"],
    );
    // callback-event: `--source=$WORKFLOW_NAME.yaml` (setup.sh:47 and :92), Firestore calls.
    r.assert_edges_at(
        name(Workflow, "callback-event-listener"),
        SyncCall,
        name(GoogleApi, "firestore.googleapis.com"),
        &["callback-event/callback-event-listener.yaml:36"],
    );
    r.assert_edges_at(
        name(Workflow, "callback-event-sample"),
        SyncCall,
        name(GoogleApi, "firestore.googleapis.com"),
        &[
            "callback-event/callback-event-sample.yaml:55",
            "callback-event/callback-event-sample.yaml:92",
        ],
    );
    // workflow-tasks-workflow/workflow-parent.yaml:42: `tasks.create` on
    // queue-workflow-child (README.md:28), whose task (line 49) starts workflow-child.
    r.assert_edges_at(
        name(Workflow, "workflow-parent").at(tasks),
        Enqueue,
        name(Queue, "queue-workflow-child"),
        &["workflow-tasks-workflow/workflow-parent.yaml:42"],
    );
    r.assert_edges_at(
        name(Queue, "queue-workflow-child"),
        Dispatch,
        name(Workflow, "workflow-child").at(tasks),
        &["workflow-tasks-workflow/workflow-parent.yaml:49"],
    );
    // workflow-executes-other-workflows/workflow-parent.yaml:40:
    // `workflowexecutions.v1.projects.locations.workflows.executions.run` of workflow-child,
    // the one of the same sample (README.md:59), not workflow-tasks-workflow's.
    r.assert_edges_at(
        name(Workflow, "workflow-parent").at(executes),
        SyncCall,
        name(Workflow, "workflow-child").at(executes),
        &["workflow-executes-other-workflows/workflow-parent.yaml:40"],
    );
    // service-chaining/workflow.yaml: two functions by their cloudfunctions.net URLs (README
    // lines 11 and 31 deploy them), an external API, and the Cloud Run service floor by its
    // `run.app` URL (README line 72).
    let chaining = name(Workflow, "workflow");
    for (to, line) in [
        (name(Function, "randomgen"), 15),
        (name(Function, "multiply"), 20),
        (name(External, "api.mathjs.org"), 27),
        (name(Service, "floor"), 34),
    ] {
        r.assert_edges_at(
            chaining,
            SyncCall,
            to,
            &[format!("service-chaining/workflow.yaml:{line}").as_str()],
        );
    }
    // retries-and-saga/ordering-v1.yaml: `url_order_service` (line 22) is POSTed (line 25)
    // and PUT (line 41), `url_customer_service` (line 23) POSTed (line 33); both services are
    // deployed by README.md:76 and :108.
    r.assert_edges_at(
        name(Workflow, "ordering-v1"),
        SyncCall,
        name(Service, "order-service"),
        &[
            "retries-and-saga/ordering-v1.yaml:25",
            "retries-and-saga/ordering-v1.yaml:41",
        ],
    );
    r.assert_edges_at(
        name(Workflow, "ordering-v1"),
        SyncCall,
        name(Service, "customer-service"),
        &["retries-and-saga/ordering-v1.yaml:33"],
    );
    // screenshot-jobs/workflow.yaml:27: the `http.get` download from storage.
    r.assert_edges_at(
        name(Workflow, "screenshot-jobs-workflow"),
        SyncCall,
        name(GoogleApi, "storage.googleapis.com"),
        &["screenshot-jobs/workflow.yaml:27"],
    );
    // The definitions are the files `--source` names, also through a variable
    // (`--source=$WORKFLOW_NAME.yaml`), and from Cloud Build's `args` list
    // (multi-env-deployment/cloudbuild.yaml:29, after a `bash -c` sed step).
    for (workflow, source) in [
        (
            name(Workflow, "callback-event-listener"),
            "callback-event/callback-event-listener.yaml",
        ),
        (
            name(Workflow, "callback-event-sample"),
            "callback-event/callback-event-sample.yaml",
        ),
        (
            name(Workflow, "message-payload-workflow"),
            "cloud-run-jobs-payload-gcs/workflow.yaml",
        ),
        (
            name(Workflow, "event-payload-storer"),
            "workflows-eventarc-integration/event-payload-storer/event-payload-storer.yaml",
        ),
        (
            name(Workflow, "workflow-gcloud")
                .at("workflows-executes-commands/using-standard-library/setup.sh"),
            "workflows-executes-commands/using-standard-library/workflow-gcloud.yaml",
        ),
        (
            name(Workflow, "multi-environment2-{$_ENV}"),
            "multi-env-deployment/workflow2.yaml",
        ),
        (
            name(Workflow, "workflow-parent").at(tasks),
            "workflow-tasks-workflow/workflow-parent.yaml",
        ),
    ] {
        r.assert_workflow_source(workflow, source);
    }
    // A file `--source` reads is not a workflow of its own.
    let graph = &r.report.graph;
    assert!(
        graph
            .nodes()
            .all(|n| r.path(graph.node(n).loc.file) != "multi-env-deployment/workflow2.yaml"),
        "{}",
        r.dump()
    );
}

/// GoogleCloudPlatform/training-data-analyst (a subset): pull subscriptions, Scheduler jobs,
/// functions on topics and buckets, and a workflow no file in the repository deploys.
///
/// Not drawn, and not pinned: the exercises' subscriptions
/// (courses/data_analysis/deepdive/pubsub-exercises/*/run.sh:10): their name
/// `pubsub-e2e-example-sub-$SUBSCRIPTION_KEY`, with SUBSCRIPTION_KEY=`date +"%H%M%S%N"`, is
/// split in two at the blank inside the unknown substitution, so each script creates two
/// subscriptions; the queue thumbnail-task-queue dispatching to create-thumbnail (its URL is
/// the result of a `services.get` connector call, image-add-workflow.yaml:115).
#[test]
fn training_data_analyst() {
    let r = repo("GoogleCloudPlatform__training-data-analyst");
    r.assert_edges(&[
        // blogs/goes16/README.md:43 and create_subscription.sh:2 (one subscription, two
        // places): `--topic=projects/gcp-public-data---goes-16/topics/gcp-public-data-goes-16`.
        (
            name(Topic, "gcp-public-data-goes-16").project("gcp-public-data---goes-16"),
            Deliver,
            name(Subscription, "testsubscription"),
        ),
        // quests/data-science-on-gcp-edition1_tf2/updates/scheduler/setup_cron.sh:12, and the
        // job of line 14 whose `--uri=$URL` (line 7) is the function's cloudfunctions.net URL.
        (
            name(Topic, "cron-topic"),
            Deliver,
            name(Subscription, "cron-sub"),
        ),
        (
            name(Job, "monthlyupdate")
                .at("quests/data-science-on-gcp-edition1_tf2/updates/scheduler/setup_cron.sh"),
            Schedule,
            name(Function, "ingest_flights_udwaxx86mVygAmOazUcijW8zBXWNxEVM"),
        ),
        // self-paced-labs/cloud-hero/background/README.md:16: `--trigger-topic=translate`.
        (
            name(Topic, "translate"),
            Deliver,
            name(Function, "Translate"),
        ),
    ]);
    // courses/orchestration-and-choreography/lab1/workflows/image-add-workflow.yaml, read on
    // its own: the Vision API (line 43), the function by its cloudfunctions.net URL built
    // from `extractMetadataFunctionName` (line 68), Firestore (line 90), and a task on
    // thumbnail-task-queue (line 127).
    let workflow = name(Workflow, "image-add-workflow");
    let file = "courses/orchestration-and-choreography/lab1/workflows/image-add-workflow.yaml";
    for (kind, to, line) in [
        (SyncCall, name(GoogleApi, "vision.googleapis.com"), 43),
        (SyncCall, name(Function, "extract-image-metadata"), 68),
        (SyncCall, name(GoogleApi, "firestore.googleapis.com"), 90),
        (Enqueue, name(Queue, "thumbnail-task-queue"), 127),
    ] {
        r.assert_edges_at(workflow, kind, to, &[format!("{file}:{line}").as_str()]);
    }
}

/// mchmarny/next19: conference demo scripts.
///
/// Not drawn as a reader would: SVR303/cmd/*.sh repeat the README's commands (one
/// subscription, one service), but as definitions of another folder they are second nodes
/// (`#2`), as are HYB218/cmd/deploy-*.sh's services.
#[test]
fn next19() {
    let r = repo("mchmarny__next19");
    let sub = name(Subscription, "cloud-build-push-notif-demo").at("SVR303/DEMO-2.md");
    r.assert_edges(&[
        // SVR303/DEMO-2.md:23: `--topic=cloud-builds` (the topic Cloud Build publishes to).
        (name(Topic, "cloud-builds"), Deliver, sub),
    ]);
    // SVR303/DEMO-2.md:25: `--push-endpoint=https://pubsubnotifs.next.demome.tech/push?...`,
    // a custom domain (of the pubsubnotifs service, line 15, which no file maps to it).
    r.assert_edges_at(
        sub,
        Deliver,
        name(External, "pubsubnotifs.next.demome.tech"),
        &["SVR303/DEMO-2.md:25"],
    );
}

/// GoogleCloudPlatform/cloud-build-notifiers: `setup.sh` with the commands in bash functions
/// called from `main`, on the notifier type `$1`.
///
/// Not drawn, and not pinned: the push to the notifier service (line 241: `${SERVICE_URL}`
/// is the `status.url` of `${SERVICE_NAME}`, `{$1}-notifier`, line 150, but a URL with an
/// unknown part is not matched to the service of the same unknown name). Not right either:
/// the subscription's name has the `sub-` prefix that line 135 adds only for googlechat
/// (`if` bodies are read as if they ran).
#[test]
fn cloud_build_notifiers() {
    let r = repo("GoogleCloudPlatform__cloud-build-notifiers");
    // setup.sh:239: `gcloud pubsub subscriptions create "${SUBSCRIPTION_NAME}"
    // --topic=cloud-builds` (line 240), SUBSCRIPTION_NAME="${NOTIFIER_TYPE}-subscription".
    r.assert_edges_at(
        name(Topic, "cloud-builds"),
        Deliver,
        name_end(Subscription, "{$1}-subscription"),
        &["setup.sh:240"],
    );
}

/// Five small repositories, a few edges each.
#[test]
fn small_repositories() {
    // GoogleCloudPlatform/emblem setup.sh:221: the website gets `EMBLEM_API_URL` (line 226),
    // the `status.url` of content-api (line 217): a soft call. The staging and production
    // deploys (line 237 on) name their projects only through variables, so they are the same
    // nodes.
    let emblem = repo("GoogleCloudPlatform__emblem");
    emblem.assert_edges(&[(
        name(Service, "website"),
        SyncCall,
        name(Service, "content-api"),
    )]);
    // GoogleCloudPlatform/nodejs-docs-samples: eventarc/audit-storage/README.md:46 and
    // eventarc/pubsub/README.md:27, `--destination-run-service`. (The audit-log source of
    // my-gcs-trigger, given with the legacy `--matching-criteria` flags, is not drawn.)
    let nodejs = repo("GoogleCloudPlatform__nodejs-docs-samples");
    nodejs.assert_edges(&[
        (
            name(Trigger, "my-gcs-trigger"),
            Deliver,
            name(Service, "gcs-service"),
        ),
        (
            name(Trigger, "pubsub-trigger"),
            Deliver,
            name(Service, "eventarc-pubsub"),
        ),
    ]);
    // GoogleCloudPlatform/golang-samples: eventarc/audit_iam/README.md:45 (audit log of
    // CreateServiceAccountKey, to the service audit-iam-keys deployed elsewhere) and
    // getting-started/background/README.md:11 (`--trigger-topic=translate`).
    let golang = repo("GoogleCloudPlatform__golang-samples");
    golang.assert_edges(&[
        (
            name(
                EventSource,
                "audit log: iam.googleapis.com google.iam.admin.v1.CreateServiceAccountKey",
            ),
            Event,
            name(Trigger, "audit-iam-trigger"),
        ),
        (
            name(Trigger, "audit-iam-trigger"),
            Deliver,
            name(Service, "audit-iam-keys"),
        ),
        (
            name(Topic, "translate"),
            Deliver,
            name(Function, "Translate"),
        ),
    ]);
    // GoogleCloudPlatform/python-docs-samples pubsub/streaming-analytics/README.md:95: the
    // job publishes to `--topic=cron-topic` (line 96), while the topic the README creates
    // (line 92) is `your-topic-id`, which nothing reads.
    let python = repo("GoogleCloudPlatform__python-docs-samples");
    python.assert_edges(&[(
        name(Job, "publisher-job"),
        Schedule,
        name(Topic, "cron-topic"),
    )]);
    python.assert_no_edges_out(&name(Topic, "your-topic-id"));
}
