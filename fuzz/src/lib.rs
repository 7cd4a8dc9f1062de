//! Shared by the fuzz targets: how each target turns bytes into documents, and the invariants
//! every target checks beyond "no panic".
//!
//! The loaders choose a document's kind by its content, so a target for one loader prefixes
//! fixed text that makes the document that kind; the first input byte picks among the shapes
//! that loader reads, and the rest is the fuzzed text.

use baton_analyzer::layout::Layout;
use baton_analyzer::{Diagnostic, Loc, SourceFile};

/// The input as text: invalid UTF-8 becomes U+FFFD, so every input reaches the parser.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Splits off the selector byte: `(selector, rest as text)`.
fn select(bytes: &[u8]) -> (u8, String) {
    match bytes.split_first() {
        Some((&first, rest)) => (first, text(rest)),
        None => (0, String::new()),
    }
}

/// Every line of `body` indented by `spaces`.
fn indent(body: &str, spaces: usize) -> String {
    let pad = " ".repeat(spaces);
    body.split('\n')
        .map(|line| format!("{pad}{line}\n"))
        .collect()
}

/// A Workflows definition. Selector `'0'` (mod 3): the text as it is; `'1'`: the text as the
/// step list of `main`; `'2'`: the text embedded in `sourceContents` of a described workflow
/// (exercises the mapping of embedded positions onto the host file).
pub fn workflow(bytes: &[u8]) -> String {
    let (selector, body) = select(bytes);
    match selector % 3 {
        0 => body,
        1 => format!("main:\n  steps:\n{}", indent(&body, 4)),
        _ => format!(
            "name: projects/p/locations/l/workflows/w\nsourceContents: |\n{}",
            indent(&body, 2)
        ),
    }
}

/// Collections of `projects/p/locations/l/<collection>/x` the gcloud/REST loader reads.
const GCLOUD: [&str; 7] = [
    "queues",
    "triggers",
    "jobs",
    "topics",
    "subscriptions",
    "services",
    "workflows",
];

/// A gcloud / REST resource: the selector picks the collection of its `name` (or, past the
/// collections, a Knative service); the text follows as more fields.
pub fn gcloud(bytes: &[u8]) -> String {
    let (selector, body) = select(bytes);
    match GCLOUD.get(usize::from(selector) % (GCLOUD.len() + 1)) {
        Some(collection) => format!("name: projects/p/locations/l/{collection}/x\n{body}"),
        None => format!("apiVersion: serving.knative.dev/v1\nkind: Service\n{body}"),
    }
}

/// Kinds the Config Connector loader models.
const CONFIG_CONNECTOR: [(&str, &str); 6] = [
    ("pubsub", "PubSubSubscription"),
    ("pubsub", "PubSubTopic"),
    ("eventarc", "EventarcTrigger"),
    ("cloudscheduler", "CloudSchedulerJob"),
    ("run", "RunService"),
    ("workflows", "WorkflowsWorkflow"),
];

/// A Config Connector object: the selector picks its kind; the text follows as more fields.
pub fn config_connector(bytes: &[u8]) -> String {
    let (selector, body) = select(bytes);
    let (group, kind) = CONFIG_CONNECTOR[usize::from(selector) % CONFIG_CONNECTOR.len()];
    format!("apiVersion: {group}.cnrm.cloud.google.com/v1beta1\nkind: {kind}\n{body}")
}

/// An App Engine `queue.yaml` (even selector) or `cron.yaml` (odd); the text is the list.
pub fn app_engine(bytes: &[u8]) -> String {
    let (selector, body) = select(bytes);
    let key = if selector % 2 == 0 { "queue" } else { "cron" };
    format!("{key}:\n{body}")
}

/// Up to three files, separated by NUL bytes in the input (the rest stays in the third).
pub fn files(bytes: &[u8]) -> Vec<SourceFile> {
    bytes
        .splitn(3, |&b| b == 0)
        .enumerate()
        .map(|(i, part)| SourceFile::new(format!("f{i}.yaml"), text(part)))
        .collect()
}

/// Lines a location may point at in `text`: 1 to the line count + 1 (the end of the file).
fn line_in(text: &str, line: u32) -> bool {
    let lines = text.lines().count();
    line >= 1 && usize::try_from(line).is_ok_and(|l| l <= lines + 1)
}

/// Panics unless `loc` points into one of `files`, at a line that exists, column >= 1.
pub fn check_loc(files: &[SourceFile], loc: Loc, what: &str) {
    let Some(file) = files.get(loc.file.0 as usize) else {
        panic!(
            "{what}: file {} out of range ({} files)",
            loc.file.0,
            files.len()
        );
    };
    assert!(
        line_in(&file.text, loc.line) && loc.column >= 1,
        "{what}: {}:{}:{} is outside the file ({} lines)",
        file.path,
        loc.line,
        loc.column,
        file.text.lines().count()
    );
}

/// Every finding and its related locations point at lines that exist.
pub fn check_findings(files: &[SourceFile], findings: &[Diagnostic]) {
    for d in findings {
        check_loc(files, d.loc, &format!("finding {} ({})", d.rule, d.message));
        for related in &d.related {
            check_loc(files, related.loc, &format!("related of {}", d.rule));
        }
    }
}

/// Every coordinate is finite and inside the drawing (`[0, width] x [0, height]`, with a
/// tolerance for rounding).
pub fn check_layout(layout: &Layout) {
    assert!(
        layout.width.is_finite() && layout.height.is_finite(),
        "layout size {} x {}",
        layout.width,
        layout.height
    );
    let tolerance = 1e-6 * (1.0 + layout.width.max(layout.height));
    let inside = |x: f64, y: f64| {
        x.is_finite()
            && y.is_finite()
            && x >= -tolerance
            && y >= -tolerance
            && x <= layout.width + tolerance
            && y <= layout.height + tolerance
    };
    for (i, p) in layout.nodes.iter().enumerate() {
        assert!(inside(p.x, p.y), "node {i} at ({}, {})", p.x, p.y);
    }
    for (i, route) in layout.edges.iter().enumerate() {
        for p in &route.points {
            assert!(inside(p.x, p.y), "edge {i} point ({}, {})", p.x, p.y);
        }
    }
}

/// Loads one steered document and checks its findings.
pub fn load_one(text: String) {
    let files = [SourceFile::new("fuzz.yaml", text)];
    let workspace = baton_analyzer::load(&files, &baton_analyzer::Limits::default());
    check_findings(&files, &workspace.diagnostics);
    for resource in &workspace.resources {
        check_loc(&files, resource.loc, &format!("resource {}", resource.name));
    }
}

/// A Terraform input of three files, NUL-separated in the input: the root module's `main.tf`
/// (which calls the second and renders the third as a workflow template), a local module, and
/// a template. The selector wraps the first part in a `resource` block of one of the types
/// Baton models, or leaves it as it is; with its high bit set, the module is written in the
/// JSON syntax (`main.tf.json`) instead.
pub fn terraform(bytes: &[u8]) -> Vec<SourceFile> {
    const TYPES: [&str; 10] = [
        "google_workflows_workflow",
        "google_eventarc_trigger",
        "google_cloud_tasks_queue",
        "google_cloud_scheduler_job",
        "google_pubsub_subscription",
        "google_cloud_run_v2_service",
        "google_cloud_run_service",
        "google_cloudfunctions_function",
        "google_cloudfunctions2_function",
        "google_storage_notification",
    ];
    let (selector, rest) = match bytes.split_first() {
        Some((&first, rest)) => (first, rest),
        None => (0, &[][..]),
    };
    let mut parts = rest.splitn(3, |&b| b == 0).map(text);
    let (main, module, template) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    );
    let main = match TYPES.get(usize::from(selector & 0x7f) % (TYPES.len() + 1)) {
        Some(ty) => format!("resource \"{ty}\" \"x\" {{\n{main}\n}}\n"),
        None => main,
    };
    let root = format!(
        "{main}\nmodule \"m\" {{\n  source = \"./modules/m\"\n}}\n\nresource \"google_workflows_workflow\" \"t\" {{\n  name            = \"t\"\n  source_contents = templatefile(\"${{path.module}}/t.tftpl\", {{ url = module.m.url }})\n}}\n"
    );
    let module_path = match selector & 0x80 {
        0 => "root/modules/m/main.tf",
        _ => "root/modules/m/main.tf.json",
    };
    vec![
        SourceFile::new("root/main.tf", root),
        SourceFile::new(module_path, module),
        SourceFile::new("root/t.tftpl", template),
    ]
}

/// Commands: the first part is a file of the kind the selector picks (a shell script, a
/// README, a Makefile, a Cloud Build config, a GitHub Actions workflow); the second is
/// `workflow.yaml` (for `workflows deploy --source`), the third `env.sh` (for `source`).
pub fn script(bytes: &[u8]) -> Vec<SourceFile> {
    const NAMES: [&str; 5] = [
        "app/deploy.sh",
        "app/README.md",
        "app/Makefile",
        "app/cloudbuild.yaml",
        "app/.github/workflows/deploy.yml",
    ];
    let (selector, rest) = match bytes.split_first() {
        Some((&first, rest)) => (first, rest),
        None => (0, &[][..]),
    };
    let mut parts = rest.splitn(3, |&b| b == 0).map(text);
    let (commands, workflow, env) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    );
    let name = NAMES[usize::from(selector) % NAMES.len()];
    vec![
        SourceFile::new(name, commands),
        SourceFile::new("app/workflow.yaml", workflow),
        SourceFile::new("app/env.sh", env),
    ]
}
