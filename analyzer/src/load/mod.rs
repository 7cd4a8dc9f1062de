//! Loaders: text → model + findings. Loading never fails as a whole: every file gives
//! what could be read and a finding, with file and line, for everything that could not.
//!
//! Documents are recognised by their content, never by their file name (a `.ndjson` or
//! `.jsonl` name only says how the file splits into documents: one JSON value a line).

mod app_engine;
mod asset;
mod config_connector;
mod ctx;
mod gcloud;
pub(crate) mod script;
pub(crate) mod terraform;
pub(crate) mod workflow;

use crate::diagnostic::Diagnostic;
use crate::limits::{format_size, Limits};
use crate::model::Resource;
use crate::rules::RuleId;
use crate::source::{FileId, Loc, Pos, SourceFile};
use crate::tree::{self, Node, Value};

pub(crate) use ctx::duration_seconds;
pub use ctx::Ctx;

/// What one file gave.
#[derive(Debug, Default)]
pub struct Loaded {
    pub resources: Vec<Resource>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Loads every resource in one file, and reports where its bytes were not UTF-8. Findings
/// about a resource name it by its index among this file's resources.
pub fn load_source(file: FileId, source: &SourceFile, limits: &Limits) -> Loaded {
    load_checked(
        file,
        &source.path,
        &source.text,
        source.invalid_utf8,
        limits,
    )
}

/// The file-level checks (size, binary content, encoding), then the YAML/JSON documents.
fn load_checked(
    file: FileId,
    path: &str,
    text: &str,
    invalid_utf8: Option<Pos>,
    limits: &Limits,
) -> Loaded {
    let at_start = Loc::new(file, Pos::new(1, 1));
    let refuse = |message: String| Loaded {
        resources: Vec::new(),
        diagnostics: vec![Diagnostic::new(RuleId::ParseError, at_start, message)],
    };
    if text.len() > limits.max_file_size {
        return refuse(format!(
            "file too large: {} ({} bytes), over Baton's limit of {} (`max-file-size` in `[limits]`); not read",
            format_size(text.len()),
            text.len(),
            format_size(limits.max_file_size)
        ));
    }
    // NUL never appears in YAML or JSON text; it is the usual sign of a binary file (an
    // image, an archive), which deserves one finding rather than a flood of syntax errors.
    if let Some(nul) = text.bytes().position(|b| b == 0) {
        let before = &text[..nul];
        let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
        let column = before[before.rfind('\n').map_or(0, |i| i + 1)..]
            .chars()
            .count()
            + 1;
        return refuse(format!(
            "binary file (a NUL byte at line {line}, column {column}), not YAML or JSON; not read"
        ));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut ctx = Ctx::new(file, text);
    ctx.limits = *limits;
    if let Some(pos) = invalid_utf8 {
        ctx.report(Diagnostic::new(RuleId::ParseError,
            Loc::new(file, pos),
            format!(
                "invalid UTF-8 at line {}, column {}: files must be UTF-8 (the invalid bytes were read as U+FFFD)",
                pos.line, pos.column
            ),
        ));
    }
    let mut resources = Vec::new();
    let ndjson = asset::is_ndjson(path, text);
    let (docs, errors) = match ndjson {
        true => asset::parse_lines(text, *limits),
        false => tree::parse(text, *limits),
    };
    for error in errors {
        ctx.report(Diagnostic::new(
            RuleId::ParseError,
            Loc::new(file, error.pos),
            format!("syntax error: {}", error.message),
        ));
    }
    if docs.is_empty() && text.trim().is_empty() {
        ctx.report(Diagnostic::new(
            RuleId::UnrecognizedDocument,
            Loc::new(file, Pos::new(1, 1)),
            "the file is empty",
        ));
    }
    match (ndjson, docs.first()) {
        // The records of newline-delimited JSON are one list, as `--format=json` prints it.
        (true, Some(first)) => load_list(&mut ctx, path, first, &docs, &mut resources),
        _ => {
            for doc in &docs {
                load_document(&mut ctx, path, doc, &mut resources);
            }
        }
    }
    Loaded {
        resources,
        diagnostics: ctx.into_diagnostics(),
    }
}

fn load_document(ctx: &mut Ctx<'_>, path: &str, doc: &Node, out: &mut Vec<Resource>) {
    let (before, mark) = (out.len(), ctx.mark());
    read_document(ctx, path, doc, out);
    if out.len() == before + 1 {
        ctx.about_resource(mark, before);
    }
}

fn read_document(ctx: &mut Ctx<'_>, path: &str, doc: &Node, out: &mut Vec<Resource>) {
    match &doc.value {
        Value::Scalar(s) if s.is_null() => {}
        Value::Seq(items) if workflow::is_step_list(items) => out.extend(
            workflow::from_definition(ctx, doc, &workflow::name_from_path(path)),
        ),
        // `gcloud ... list --format=json` prints an array of resources.
        Value::Seq(items) if !items.is_empty() && items.iter().all(|i| i.as_map().is_some()) => {
            load_list(ctx, path, doc, items, out)
        }
        Value::Map(_) => {
            let before = out.len();
            let recognised = asset::load(ctx, doc, out)
                || config_connector::load(ctx, doc, out)
                || app_engine::load(ctx, doc, out)
                || gcloud::load(ctx, doc, out)
                || workflow::load_definition(ctx, doc, path, out);
            if !recognised && out.len() == before {
                unrecognized(
                    ctx,
                    doc,
                    "is not a Workflows definition nor a resource Baton reads".into(),
                );
            }
        }
        _ => unrecognized(
            ctx,
            doc,
            format!(
                "is {}, not a Workflows definition nor a resource Baton reads",
                doc.kind_name()
            ),
        ),
    }
}

/// Loads each item of a list; `at` is where the list is, for the one finding a list of
/// other things (a BigQuery schema, a config array) gets instead of one per item.
fn load_list(ctx: &mut Ctx<'_>, path: &str, at: &Node, items: &[Node], out: &mut Vec<Resource>) {
    let (before, mark) = (out.len(), ctx.mark());
    for item in items {
        load_document(ctx, path, item, out);
    }
    if out.len() == before && items.len() > 1 && ctx.only_skipped_since(mark) {
        ctx.forget_since(mark);
        let why = format!(
            "is a list of {} objects none of which is a resource Baton reads",
            items.len()
        );
        unrecognized(ctx, at, why);
    }
}

pub(crate) fn unrecognized(ctx: &mut Ctx<'_>, doc: &Node, why: String) {
    let loc = ctx.loc(doc);
    ctx.report(Diagnostic::new(
        RuleId::UnrecognizedDocument,
        loc,
        format!("document skipped: it {why}"),
    ));
}

/// Splits a resource name such as `projects/p/locations/l/queues/q` into (project, location,
/// collection, id). Short names (`q`) give only the id.
pub fn parse_resource_name(name: &str) -> ResourceName<'_> {
    let parts: Vec<&str> = name.trim_start_matches("//").split('/').collect();
    // `//pubsub.googleapis.com/projects/...`: the service host comes first.
    let start = parts.iter().position(|p| *p == "projects").unwrap_or(0);
    let parts = &parts[start..];
    let mut out = ResourceName {
        project: None,
        location: None,
        collection: None,
        id: parts.last().copied().unwrap_or(name),
    };
    let mut i = 0;
    while i + 1 < parts.len() {
        match parts[i] {
            "projects" | "namespaces" => out.project = Some(parts[i + 1]),
            "locations" => out.location = Some(parts[i + 1]),
            collection => {
                if i + 2 == parts.len() {
                    out.collection = Some(collection);
                }
            }
        }
        i += 2;
    }
    out
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResourceName<'a> {
    pub project: Option<&'a str>,
    pub location: Option<&'a str>,
    pub collection: Option<&'a str>,
    pub id: &'a str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_names() {
        let n = parse_resource_name("projects/p/locations/eu/queues/q1");
        assert_eq!(
            (n.project, n.location, n.collection, n.id),
            (Some("p"), Some("eu"), Some("queues"), "q1")
        );
        let n = parse_resource_name("projects/p/topics/t");
        assert_eq!(
            (n.project, n.location, n.collection, n.id),
            (Some("p"), None, Some("topics"), "t")
        );
        assert_eq!(parse_resource_name("just-a-name").id, "just-a-name");
        let n = parse_resource_name("//pubsub.googleapis.com/projects/p/topics/t");
        assert_eq!((n.project, n.id), (Some("p"), "t"));
    }
}
