//! Terraform (../shared/docs/formats.md §7): every `.tf` file of a folder is one module, with
//! `terraform.tfvars` and `*.auto.tfvars` setting a root's variables. Baton finds the root
//! modules (folders no other loaded module calls), evaluates each as `terraform plan` would
//! without a cloud (`eval.rs`), and reads the `google_*` resources it models (`google.rs`).
//! Resources keep their Terraform address and root; references between them are exact
//! (`computed.rs`). Workflow sources read with `file()` or `templatefile()` keep positions in
//! their own file, and those files are not loaded a second time on their own.

mod computed;
mod eval;
mod functions;
mod google;
mod json;
pub(crate) mod module;
mod value;

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::diagnostic::{Diagnostic, Subject};
use crate::limits::Limits;
use crate::model::{Resource, ResourceKind};
use crate::rules::RuleId;
use crate::source::{FileId, Loc, Pos, SourceFile};

use eval::Evaluator;
use google::{Locator, Reader};
use module::{Module, Parsed};

/// Deepest bracket nesting a `.tf` file may have: HCL's parser and Baton's evaluator recurse,
/// and the browser's stack is small. Real configurations nest a dozen deep.
const MAX_NESTING: usize = 64;

/// What the Terraform files of an input give.
#[derive(Default)]
pub(crate) struct Loaded {
    pub resources: Vec<Resource>,
    pub diagnostics: Vec<Diagnostic>,
    /// Files that `file()` or `templatefile()` read: they are not loaded again on their own.
    pub consumed: HashSet<FileId>,
}

/// What Terraform makes of a file, by its name.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// `.tf`: part of its folder's module.
    Config,
    /// `terraform.tfvars`, `*.auto.tfvars`: values for its folder's root.
    Values,
    /// Other `.tfvars` files: only `-var-file` uses them.
    OtherValues,
}

/// Templates (`.tftpl`, `.tpl`) are read only through `templatefile()`.
pub(crate) fn is_template(path: &str) -> bool {
    path.ends_with(".tftpl") || path.ends_with(".tpl")
}

pub(crate) fn role(path: &str) -> Option<Role> {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    // The JSON syntax of each: `main.tf.json`, `terraform.tfvars.json`.
    let name = name.strip_suffix(".json").unwrap_or(name);
    if name.ends_with(".tf") {
        Some(Role::Config)
    } else if name == "terraform.tfvars" || name.ends_with(".auto.tfvars") {
        Some(Role::Values)
    } else if name.ends_with(".tfvars") {
        Some(Role::OtherValues)
    } else {
        None
    }
}

fn folder(path: &str) -> String {
    let path = module::normalize(&path.replace('\\', "/"));
    path.rsplit_once('/')
        .map_or(String::new(), |(dir, _)| dir.to_string())
}

/// Loads the Terraform files of `files`; resource `i` of the result will be `ResourceId(i)`.
pub(crate) fn load(files: &[SourceFile], limits: &Limits) -> Loaded {
    let mut loaded = Loaded::default();
    let mut parsed: Vec<(Role, Parsed)> = Vec::new();
    let mut translations: HashMap<FileId, json::Translation> = HashMap::new();
    for (i, file) in files.iter().enumerate() {
        let Some(role) = role(&file.path) else {
            continue;
        };
        let id = FileId(u32::try_from(i).unwrap_or(u32::MAX));
        if role == Role::OtherValues {
            continue;
        }
        let json = file.path.ends_with(".json").then_some(match role {
            Role::Config => json::Kind::Config,
            _ => json::Kind::Values,
        });
        let parsed_file = match json {
            Some(kind) => translate(id, file, kind, limits).and_then(|translation| {
                let body = parse(id, &translation.text, limits).map_err(|mut d| {
                    let text = &translation.text;
                    let offset = crate::source::LineIndex::new(text).offset(text, d.loc.pos());
                    d.loc = Loc::new(id, translation.pos(offset));
                    d
                });
                translations.insert(id, translation);
                body
            }),
            None => check_size_and_encoding(id, file, limits)
                .and_then(|()| parse(id, &file.text, limits)),
        };
        match parsed_file {
            Ok(body) => parsed.push((role, Parsed { file: id, body })),
            Err(diagnostic) => loaded.diagnostics.push(diagnostic),
        }
    }
    if parsed.is_empty() {
        return loaded;
    }
    let mut modules: BTreeMap<String, Module<'_>> = BTreeMap::new();
    for (role, p) in &parsed {
        let dir = folder(&files[p.file.0 as usize].path);
        let module = modules.entry(dir.clone()).or_insert_with(|| Module {
            dir,
            ..Module::default()
        });
        match role {
            Role::Config => module.add(p),
            Role::Values | Role::OtherValues => module.add_tfvars(p),
        }
    }
    let modules: Vec<Module<'_>> = modules.into_values().collect();
    let roots = roots(&modules);
    let given: Vec<String> = files.iter().map(|f| folder(&f.path)).collect();
    let names = root_names(
        &roots
            .iter()
            .map(|&m| modules[m].dir.as_str())
            .collect::<Vec<_>>(),
        &given.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    let mut ev = Evaluator::new(files, &translations, modules, google::modelled);
    let mut root_of = Vec::new();
    for (&module, name) in roots.iter().zip(names) {
        let instance = ev.add_root(module);
        root_of.push((instance, name));
        ev.expand_all(instance);
    }
    let mut locator = Locator::new(files, &translations);
    if let Some(why) = ev.over_limit.take() {
        let at = ev.modules.first().map_or(Loc::default(), |m| {
            m.resources
                .first()
                .map_or(Loc::default(), |r| locator.loc(r.body.file, r.body.start))
        });
        loaded.diagnostics.push(Diagnostic::new(
            RuleId::ParseError,
            at,
            format!(
                "the Terraform configuration expands to {why}, Baton's limit: the rest is not read"
            ),
        ));
    }
    not_followed(&mut ev, &mut locator, &mut loaded.diagnostics);
    let root_name = |ev: &Evaluator<'_>, instance: usize| {
        let root = ev.instances[instance].root;
        root_of
            .iter()
            .find(|(r, _)| *r == root)
            .map_or_else(String::new, |(_, name)| name.clone())
    };
    let mut reader = Reader {
        ev: &mut ev,
        locator: &mut locator,
        diagnostics: &mut loaded.diagnostics,
        limits: *limits,
    };
    let mut modelled: Vec<(usize, Resource)> = Vec::new();
    for i in 0..reader.ev.resources.len() {
        if reader.ev.resources[i].model.is_none() {
            continue;
        }
        let root = root_name(reader.ev, reader.ev.resources[i].module_instance);
        let mark = reader.diagnostics.len();
        if let Some(resource) = reader.resource(i, &root) {
            let index = modelled.len();
            for d in reader.diagnostics.iter_mut().skip(mark) {
                if d.subject == Subject::Position && d.rule == RuleId::InvalidDefinition {
                    d.subject = Subject::Resource(crate::model::ResourceId::new(index));
                }
            }
            modelled.push((i, resource));
        }
    }
    // Invoker bindings for `allUsers` make their service or function public.
    for i in 0..reader.ev.resources.len() {
        let ty = {
            let r = &reader.ev.resources[i];
            reader.ev.modules[reader.ev.instances[r.module_instance].module].resources[r.decl].ty
        };
        if !google::invoker_binding(ty) {
            continue;
        }
        let Some((target, loc)) = reader.public_binding(i) else {
            continue;
        };
        let root = reader.ev.instances[reader.ev.resources[i].module_instance].root;
        let named = computed::parse_token(&target)
            .filter(|&m| m < modelled.len())
            .or_else(|| {
                modelled.iter().position(|(j, r)| {
                    reader.ev.instances[reader.ev.resources[*j].module_instance].root == root
                        && r.name == crate::graph::short_name(&target)
                        && matches!(r.kind, ResourceKind::Service(_) | ResourceKind::Function(_))
                })
            });
        if let Some(m) = named {
            match &mut modelled[m].1.kind {
                ResourceKind::Service(s) => s.public = Some(loc),
                ResourceKind::Function(f) => f.public = Some(loc),
                _ => {}
            }
        }
    }
    loaded.consumed = std::mem::take(&mut ev.consumed);
    loaded.resources = modelled.into_iter().map(|(_, r)| r).collect();
    loaded
}

/// A file too large or not UTF-8 is not read.
fn check_size_and_encoding(
    file: FileId,
    source: &SourceFile,
    limits: &Limits,
) -> Result<(), Diagnostic> {
    let at = |pos: Pos| Loc::new(file, pos);
    if source.text.len() > limits.max_file_size {
        return Err(Diagnostic::new(
            RuleId::ParseError,
            at(Pos::new(1, 1)),
            format!(
                "file too large: {} bytes, over Baton's limit of {} (`max-file-size` in `[limits]`); not read",
                source.text.len(),
                limits.max_file_size
            ),
        ));
    }
    if let Some(pos) = source.invalid_utf8 {
        return Err(Diagnostic::new(
            RuleId::ParseError,
            at(pos),
            format!(
                "invalid UTF-8 at line {}, column {}: files must be UTF-8; not read",
                pos.line, pos.column
            ),
        ));
    }
    Ok(())
}

/// A `.tf.json` or `.tfvars.json` file in the native syntax.
fn translate(
    file: FileId,
    source: &SourceFile,
    kind: json::Kind,
    limits: &Limits,
) -> Result<json::Translation, Diagnostic> {
    check_size_and_encoding(file, source, limits)?;
    json::translate(&source.text, kind, *limits)
        .map_err(|(pos, message)| Diagnostic::new(RuleId::ParseError, Loc::new(file, pos), message))
}

/// Parses the native syntax of one file; a syntax error is a located `parse-error`.
fn parse(
    file: FileId,
    text: &str,
    limits: &Limits,
) -> Result<hcl_edit::structure::Body, Diagnostic> {
    let at = |pos: Pos| Loc::new(file, pos);
    // The parser recurses into nested brackets: refuse nesting past the limit before it does.
    let max_depth = limits.max_depth.min(MAX_NESTING);
    if let Some(offset) = too_deep(text, max_depth) {
        let pos = crate::source::LineIndex::new(text).pos(text, offset);
        return Err(Diagnostic::new(
            RuleId::ParseError,
            at(pos),
            format!("brackets nested deeper than {max_depth}, Baton's limit; not read"),
        ));
    }
    let mut text = std::borrow::Cow::Borrowed(text);
    // Terraform accepts an object constructor that repeats a key (hcl-edit does not): the
    // repeated key is renamed, at the same length so that positions stay, and parsing retried.
    for _ in 0..100 {
        let error = match hcl_edit::parser::parse_body(&text) {
            Ok(body) => return Ok(body),
            Err(error) => error,
        };
        let location = error.location();
        let pos = Pos::new(
            u32::try_from(location.line()).unwrap_or(u32::MAX),
            u32::try_from(location.column()).unwrap_or(u32::MAX),
        );
        if error.message().contains("redefined object key") {
            if let Some(renamed) = rename_key(&text, pos) {
                text = std::borrow::Cow::Owned(renamed);
                continue;
            }
        }
        return Err(Diagnostic::new(
            RuleId::ParseError,
            at(pos),
            format!("HCL syntax error: {}", error.message()),
        ));
    }
    Err(Diagnostic::new(
        RuleId::ParseError,
        at(Pos::new(1, 1)),
        "HCL syntax error: too many repeated object keys",
    ))
}

/// `text` with the object key at `pos` replaced by `_`s (inside its quotes, if quoted).
fn rename_key(text: &str, pos: Pos) -> Option<String> {
    let offset = crate::source::LineIndex::new(text).offset(text, pos);
    let rest = text.get(offset..)?;
    let (start, len) = match rest.strip_prefix('"') {
        Some(quoted) => (offset + 1, quoted.find('"')?),
        None => (
            offset,
            rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))?,
        ),
    };
    if len == 0 {
        return None;
    }
    let mut renamed = text.to_string();
    renamed.replace_range(start..start + len, &"_".repeat(len));
    Some(renamed)
}

/// Where brackets first nest deeper than `limit`, counting every bracket (even in strings:
/// a cheap, conservative bound).
fn too_deep(text: &str, limit: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'{' | b'[' | b'(' => {
                depth += 1;
                if depth > limit {
                    return Some(i);
                }
            }
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// The modules no other module calls by a local path; then, so that nothing is left out, the
/// first of any group of modules that only call each other.
fn roots(modules: &[Module<'_>]) -> Vec<usize> {
    let index = |dir: &str| modules.iter().position(|m| m.dir == dir);
    let calls: Vec<Vec<usize>> = modules
        .iter()
        .map(|m| {
            m.calls
                .iter()
                .filter_map(|c| c.source.as_deref())
                .filter(|s| s.starts_with("./") || s.starts_with("../"))
                .filter_map(|s| index(&module::join(&m.dir, s)))
                .collect()
        })
        .collect();
    let called: HashSet<usize> = calls.iter().flatten().copied().collect();
    let mut roots: Vec<usize> = (0..modules.len()).filter(|m| !called.contains(m)).collect();
    let mut reached: HashSet<usize> = HashSet::new();
    let mut todo = roots.clone();
    loop {
        while let Some(m) = todo.pop() {
            if reached.insert(m) {
                todo.extend(calls[m].iter().copied());
            }
        }
        match (0..modules.len()).find(|m| !reached.contains(m)) {
            Some(m) => {
                roots.push(m);
                todo.push(m);
            }
            None => break,
        }
    }
    roots
}

/// Reports each module call whose source is not a loaded local folder, once per call.
fn not_followed(ev: &mut Evaluator<'_>, locator: &mut Locator<'_>, out: &mut Vec<Diagnostic>) {
    let mut seen = HashSet::new();
    for &(instance, call) in &ev.not_followed {
        let module = ev.instances[instance].module;
        if !seen.insert((module, call)) {
            continue;
        }
        let c = &ev.modules[module].calls[call];
        let loc = locator.loc(c.body.file, c.body.start);
        let message = match c.source.as_deref() {
            Some(source) if source.starts_with("./") || source.starts_with("../") => format!(
                "module `{}` calls `{source}`, which is not among the loaded folders: its resources are not in the graph",
                c.name
            ),
            Some(source) => format!(
                "module `{}` comes from `{source}` (a registry or remote source, which Baton does not fetch): its resources are not in the graph",
                c.name
            ),
            None => format!("module `{}` has no `source`", c.name),
        };
        out.push(Diagnostic::new(RuleId::ModuleNotFollowed, loc, message));
    }
}

/// Each root's name: its folder relative to the folder all input is in (usually the path
/// given to the CLI, or the folder dropped in the app), so that a repository's `envs/dev` and
/// `envs/prod` are just that. A root that is that folder itself is named by its own name.
fn root_names(roots: &[&str], folders: &[&str]) -> Vec<String> {
    let parts = |dir: &'_ str| -> Vec<String> {
        dir.split('/')
            .filter(|part| !part.is_empty())
            .map(str::to_string)
            .collect()
    };
    let holder = folders
        .iter()
        .chain(roots)
        .map(|dir| parts(dir))
        .reduce(|common, next| {
            common
                .into_iter()
                .zip(next)
                .take_while(|(a, b)| a == b)
                .map(|(a, _)| a)
                .collect()
        });
    let skip = holder.map_or(0, |h| h.len());
    roots
        .iter()
        .map(|dir| {
            let mut name = parts(dir);
            if name.len() <= skip {
                return name.pop().unwrap_or_else(|| ".".to_string());
            }
            name.split_off(skip).join("/")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::root_names;

    #[test]
    fn roots_are_named_by_their_folder_in_the_one_given() {
        // A folder given (or dropped) that is a root.
        assert_eq!(root_names(&["infra"], &["infra"]), ["infra"]);
        assert_eq!(
            root_names(&["/work/x/pipeline"], &["/work/x/pipeline"]),
            ["pipeline"]
        );
        // A repository with several roots, and other files.
        let given = [
            "/r/repo",
            "/r/repo/envs/dev",
            "/r/repo/envs/prod/eu",
            "/r/repo/src",
        ];
        assert_eq!(
            root_names(&["/r/repo/envs/dev", "/r/repo/envs/prod/eu"], &given),
            ["envs/dev", "envs/prod/eu"]
        );
        assert_eq!(
            root_names(&["/r/repo", "/r/repo/examples/a"], &given),
            ["repo", "examples/a"]
        );
        // Files dropped without a folder, and a root below them.
        assert_eq!(root_names(&["", "sub"], &["", "sub"]), [".", "sub"]);
        assert_eq!(
            root_names(&["app", "apple"], &["app", "apple"]),
            ["app", "apple"]
        );
    }
}
