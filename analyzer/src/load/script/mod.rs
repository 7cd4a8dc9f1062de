//! Architecture written as commands: `gcloud` (and `gsutil`) command lines in shell scripts,
//! Makefiles, Markdown code blocks, Cloud Build steps and GitHub Actions `run:` blocks
//! (`chunk.rs`), read as a reader follows them (`shell.rs`, `run.rs`) into the resources they
//! create (`commands.rs`). `gcloud workflows deploy --source FILE` makes FILE that workflow's
//! definition, so it is not loaded a second time on its own.

pub(crate) mod chunk;
pub(crate) mod commands;
pub(crate) mod run;
pub(crate) mod shell;

use std::collections::{HashMap, HashSet};

use crate::diagnostic::Diagnostic;
use crate::limits::Limits;
use crate::model::{At, Resource, ResourceKind};
use crate::source::{FileId, LineIndex, Loc, SourceFile};

use super::terraform::module::{join, normalize};

/// What the command files of an input give.
#[derive(Default)]
pub(crate) struct Loaded {
    pub resources: Vec<Resource>,
    pub diagnostics: Vec<Diagnostic>,
    /// For each resource a `create` made, its settings as written (to compare two creations).
    pub settings: Vec<Option<Vec<(String, String)>>>,
    /// Files read here (Cloud Build and Actions YAML, workflow sources): not loaded again.
    pub consumed: HashSet<FileId>,
}

/// Whether `path` holds commands rather than definitions: never loaded as YAML or JSON.
pub(crate) fn is_script(path: &str, text: &str) -> bool {
    chunk::source(path, text).is_some()
}

/// The loaded files, by normalised path, for `source` and `--source`.
struct Files<'f> {
    files: &'f [SourceFile],
    by_path: HashMap<String, usize>,
}

impl Files<'_> {
    /// The file a command names: relative to the script's folder, or to a folder above it
    /// (Cloud Build and many scripts run from the repository's root).
    fn find(&self, folder: &str, path: &str) -> Option<usize> {
        let path = path.trim_matches(['"', '\'']);
        if path.contains('{') || path.is_empty() {
            return None;
        }
        let mut folder = folder.to_string();
        loop {
            if let Some(&i) = self.by_path.get(&join(&folder, path)) {
                return Some(i);
            }
            match folder.rsplit_once('/') {
                Some((parent, _)) => folder = parent.to_string(),
                None if !folder.is_empty() => folder.clear(),
                None => return None,
            }
        }
    }
}

impl run::Sources for Files<'_> {
    fn source(&self, folder: &str, path: &str) -> Option<String> {
        self.find(folder, path).map(|i| self.files[i].text.clone())
    }
}

fn folder(path: &str) -> String {
    normalize(&path.replace('\\', "/"))
        .rsplit_once('/')
        .map_or(String::new(), |(dir, _)| dir.to_string())
}

/// Loads the commands of `files`.
pub(crate) fn load(files: &[SourceFile], limits: &Limits) -> Loaded {
    let mut loaded = Loaded::default();
    let index = Files {
        files,
        by_path: files
            .iter()
            .enumerate()
            .map(|(i, f)| (normalize(&f.path.replace('\\', "/")), i))
            .collect(),
    };
    for (i, file) in files.iter().enumerate() {
        let Some(source) = chunk::source(&file.path, &file.text) else {
            continue;
        };
        if file.text.len() > limits.max_file_size || file.text.contains('\0') {
            continue; // the YAML loader reports these
        }
        let id = FileId(u32::try_from(i).unwrap_or(u32::MAX));
        if matches!(source, chunk::Source::CloudBuild | chunk::Source::Actions) {
            loaded.consumed.insert(id);
        }
        let dir = folder(&file.path);
        let mut runner = run::Runner::new(&index, &dir);
        for chunk in chunk::chunks(source, &file.text, *limits) {
            runner.chunk(&chunk);
        }
        let lines = LineIndex::new(&file.text);
        let env_file = |path: &str| env_file(&index, &dir, path, limits);
        let mut reader = commands::Reader::new(id, &file.text, &lines, &env_file);
        for invocation in &runner.out {
            reader.invocation(invocation);
        }
        let defined = reader.finish();
        for ((mut resource, settings), source) in defined
            .resources
            .into_iter()
            .zip(defined.settings)
            .zip(defined.sources)
        {
            if let (ResourceKind::Workflow(workflow), Some((path, at))) =
                (&mut resource.kind, source)
            {
                let at = Loc::new(id, lines.pos(&file.text, at));
                if let Some(j) = index.find(&dir, &path) {
                    let source_id = FileId(u32::try_from(j).unwrap_or(u32::MAX));
                    if let Some(mut definition) =
                        workflow_source(source_id, &files[j], at, limits, &mut loaded.diagnostics)
                    {
                        definition.env = std::mem::take(&mut workflow.env);
                        *workflow = definition;
                    }
                    loaded.consumed.insert(source_id);
                }
            }
            loaded.resources.push(resource);
            loaded.settings.push(settings);
        }
    }
    loaded
}

/// The variables of a `--env-vars-file` (a YAML map) of the input.
fn env_file(
    files: &Files<'_>,
    dir: &str,
    path: &str,
    limits: &Limits,
) -> Option<Vec<(String, String)>> {
    let file = &files.files[files.find(dir, path)?];
    let (docs, _) = crate::tree::parse(&file.text, *limits);
    let entries = docs.first()?.as_map()?;
    Some(
        entries
            .iter()
            .filter_map(|(k, v)| Some((k.as_str()?.to_string(), v.as_str()?.to_string())))
            .collect(),
    )
}

/// A workflow's definition from the file `--source` names, positioned in that file.
fn workflow_source(
    file: FileId,
    source: &SourceFile,
    at: Loc,
    limits: &Limits,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<crate::model::Workflow> {
    let mut ctx = super::Ctx::new(file, &source.text);
    ctx.limits = *limits;
    let workflow = super::workflow::from_text(&mut ctx, &source.text, &|pos| pos, at);
    diagnostics.extend(ctx.into_diagnostics());
    workflow.map(|mut w| {
        w.source_size = Some(At {
            value: source.text.len(),
            loc: Loc::new(file, crate::source::Pos::new(1, 1)),
        });
        w
    })
}
