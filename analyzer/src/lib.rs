//! Baton's analyzer: loads Google Cloud orchestration and choreography definitions
//! (Workflows, Eventarc, Cloud Tasks, Cloud Scheduler, Pub/Sub, Cloud Run) into one model.
//!
//! **Invariant:** pure. Text in, model and findings out: no file system, terminal, DOM or
//! network, and no panic on any input. Builds for native targets and `wasm32-unknown-unknown`.
//!
//! **API boundary:** [`analyze_with`] and what its [`Report`] holds (the model, the graph,
//! findings), plus the views the CLI and the app build on it (`export`, `flow`, `layout`,
//! `metrics`, the rule catalog). Loading, value propagation, retries and schedules are
//! internal.

mod analysis;
pub mod diagnostic;
pub mod export;
mod expr;
pub mod flow;
pub mod graph;
pub mod layout;
pub mod library;
pub mod limits;
mod load;
pub mod metrics;
pub mod model;
mod retry;
pub mod rules;
mod schedule;
pub mod source;
mod suppress;
pub mod tree;
pub mod view;

pub use analysis::{analyze, analyze_with, Config, Report, Thresholds};
pub use diagnostic::{Diagnostic, Related, Severity, StepRef, Subject, SubworkflowRef};
pub use limits::Limits;
pub use model::{Resource, ResourceId, ResourceKind};
pub use rules::RuleId;
pub use source::{FileId, Loc, Pos, SourceFile};

/// Everything loaded from a set of files.
#[derive(Debug, Default)]
pub struct Workspace {
    pub resources: Vec<Resource>,
    /// Loader findings (`parse-error`, `unrecognized-document`, `invalid-definition`).
    pub diagnostics: Vec<Diagnostic>,
    /// The path of each file with `/` separators, by [`FileId`]: resources that name no
    /// project are told apart by their folder.
    paths: Vec<String>,
    /// The resources `gcloud` commands create, with their settings as written: two creations
    /// of one resource are compared (`conflicting-definition`).
    pub(crate) created: Vec<(ResourceId, Vec<(String, String)>)>,
}

impl Workspace {
    pub fn resource(&self, id: ResourceId) -> Option<&Resource> {
        self.resources.get(id.index())
    }

    /// The path of `file` as given, with `/` separators.
    pub fn path(&self, file: FileId) -> &str {
        self.paths.get(file.0 as usize).map_or("", String::as_str)
    }

    /// The folder `file` is in, as its path gives it (`""` for a bare file name).
    pub fn folder(&self, file: FileId) -> &str {
        let path = self.path(file);
        path.rsplit_once('/').map_or("", |(folder, _)| folder)
    }
}

/// Whether Baton reads a file of this name when it walks a folder: YAML and JSON definitions,
/// Terraform (`.tf`, `.tfvars`, templates), shell scripts (and `.env` files), Makefiles,
/// Markdown, and a file without an extension whose `first_line` is a shell's shebang.
pub fn reads(path: &str, first_line: &str) -> bool {
    let name = path
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(path)
        .to_ascii_lowercase();
    const EXTENSIONS: [&str; 13] = [
        ".yaml", ".yml", ".json", ".ndjson", ".jsonl", ".tf", ".tfvars", ".tftpl", ".tpl", ".sh",
        ".bash", ".md", ".mk",
    ];
    EXTENSIONS.iter().any(|e| name.ends_with(e))
        || matches!(name.as_str(), "makefile" | "gnumakefile" | ".env")
        || name.ends_with(".env")
        || (!name.contains('.') && load::script::chunk::is_shell_shebang(first_line))
}

/// Loads every file; `FileId(i)` in the result refers to `files[i]`. Terraform comes first
/// (its references name resources by index), then commands; a file a Terraform `file()` or
/// `templatefile()` reads, or a `gcloud workflows deploy --source`, is part of that resource,
/// not a resource of its own.
pub fn load(files: &[SourceFile], limits: &Limits) -> Workspace {
    let terraform = load::terraform::load(files, limits);
    let mut workspace = Workspace {
        resources: terraform.resources,
        diagnostics: terraform.diagnostics,
        paths: Vec::with_capacity(files.len()),
        created: Vec::new(),
    };
    let scripts = load::script::load(files, limits);
    let base = workspace.resources.len();
    workspace.created = scripts
        .settings
        .into_iter()
        .enumerate()
        .filter_map(|(i, settings)| Some((ResourceId::new(base + i), settings?)))
        .collect();
    workspace.resources.extend(scripts.resources);
    workspace.diagnostics.extend(scripts.diagnostics);
    for (i, file) in files.iter().enumerate() {
        let id = FileId(u32::try_from(i).unwrap_or(u32::MAX));
        let path = file.path.replace('\\', "/");
        let read_already = load::terraform::role(&path).is_some()
            || load::terraform::is_template(&path)
            || terraform.consumed.contains(&id)
            || scripts.consumed.contains(&id)
            || load::script::is_script(&path, &file.text);
        workspace.paths.push(path);
        if read_already {
            continue;
        }
        let loaded = load::load_source(id, file, limits);
        let base = workspace.resources.len();
        workspace.resources.extend(loaded.resources);
        workspace
            .diagnostics
            .extend(loaded.diagnostics.into_iter().map(|mut d| {
                if let Subject::Resource(local) = d.subject {
                    d.subject = Subject::Resource(ResourceId::new(base + local.index()));
                }
                d
            }));
    }
    workspace
}
