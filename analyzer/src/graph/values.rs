//! What string a workflow value can hold, statically (../shared/docs/formats.md §1.8): string literals, `+`
//! concatenation, variables assigned literally anywhere in the workflow, parameter defaults and
//! `sys.get_env`, and the URL in the result of a connector call that reads a Cloud Run service
//! or a Cloud Function (`googleapis.run.v2.projects.locations.services.get` → `result.uri`).
//! Flow-insensitive on purpose: a variable assigned several values yields every one of them,
//! so a call gets an edge to each place it may go.
//!
//! A result is a template: the parts that cannot be known are `{expression}` placeholders.

use std::collections::HashMap;

use super::url::{is_static, segment_after};
use crate::expr::expression;
use crate::model::{visit_steps, StepKind, Workflow};
use crate::tree::{Node, Value};

/// Most candidates kept per value; beyond it the rest is dropped (the graph stays readable).
const MAX_CANDIDATES: usize = 8;
/// How deep variables may refer to variables.
const MAX_DEPTH: usize = 8;

/// A value as far as it is known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    pub text: String,
    /// The expression as written, for naming an unresolved target.
    pub source: String,
}

impl Template {
    pub fn is_static(&self) -> bool {
        super::url::is_static(&self.text)
    }
}

/// The assignments of one workflow.
pub struct Values<'a> {
    vars: HashMap<String, Vec<&'a Node>>,
    /// Results of connector calls that read a service or function, by result variable.
    described: HashMap<String, Vec<Described<'a>>>,
    env: &'a [(String, String)],
}

/// What reads a Cloud Run service or a Cloud Function, and where its result holds the URL
/// the service or function is reached at.
const DESCRIBERS: &[(&str, &str, Reached)] = &[
    (
        "googleapis.run.v2.projects.locations.services.get",
        "uri",
        Reached::Service,
    ),
    (
        "googleapis.run.v1.namespaces.services.get",
        "status.url",
        Reached::Service,
    ),
    (
        "googleapis.cloudfunctions.v2.projects.locations.functions.get",
        "serviceConfig.uri",
        Reached::Function,
    ),
    (
        "googleapis.cloudfunctions.v1.projects.locations.functions.get",
        "httpsTrigger.url",
        Reached::Function,
    ),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reached {
    Service,
    Function,
}

/// A connector call that reads a service or function: its `name` (and v1's `location`).
struct Described<'a> {
    field: &'static str,
    reached: Reached,
    name: &'a Node,
    location: Option<&'a Node>,
}

impl<'a> Values<'a> {
    pub fn new(workflow: &'a Workflow) -> Values<'a> {
        let mut vars: HashMap<String, Vec<&'a Node>> = HashMap::new();
        let mut described: HashMap<String, Vec<Described<'a>>> = HashMap::new();
        for sub in &workflow.subworkflows {
            for param in &sub.params {
                if let Some(default) = &param.default {
                    vars.entry(param.name.clone()).or_default().push(default);
                }
            }
            visit_steps(&sub.steps, &mut |step| match &step.body.kind {
                StepKind::Assign(assignments) => {
                    for a in assignments {
                        vars.entry(normalize(&a.target)).or_default().push(&a.value);
                    }
                }
                StepKind::Call(call) => {
                    let describer = DESCRIBERS
                        .iter()
                        .find(|(function, _, _)| *function == call.function.value);
                    let args = call.args.as_ref();
                    let name = args.and_then(|a| a.get("name"));
                    if let (Some(&(_, field, reached)), Some(result), Some(name)) =
                        (describer, &call.result, name)
                    {
                        described
                            .entry(normalize(result))
                            .or_default()
                            .push(Described {
                                field,
                                reached,
                                name,
                                location: args.and_then(|a| a.get("location")),
                            });
                    }
                }
                _ => {}
            });
        }
        Values {
            vars,
            described,
            env: &workflow.env,
        }
    }

    /// Every string `node` may hold.
    pub fn eval(&self, node: &Node) -> Vec<Template> {
        self.node(node, 0)
    }

    fn node(&self, node: &Node, depth: usize) -> Vec<Template> {
        let Value::Scalar(scalar) = &node.value else {
            return Vec::new();
        };
        match expression(&scalar.text) {
            Some(expr) => self
                .expr(expr, depth)
                .into_iter()
                .map(|text| Template {
                    text,
                    source: expr.trim().to_string(),
                })
                .collect(),
            None => vec![Template {
                text: scalar.text.clone(),
                source: scalar.text.clone(),
            }],
        }
    }

    /// The strings an expression may produce.
    fn expr(&self, expr: &str, depth: usize) -> Vec<String> {
        let mut out = vec![String::new()];
        for term in split_top_level(expr, '+') {
            let options = self.term(term.trim(), depth);
            let mut next = Vec::new();
            for prefix in &out {
                for option in &options {
                    if next.len() < MAX_CANDIDATES {
                        next.push(format!("{prefix}{option}"));
                    }
                }
            }
            out = next;
        }
        out.dedup();
        out
    }

    fn term(&self, term: &str, depth: usize) -> Vec<String> {
        let unknown = || vec![format!("{{{term}}}")];
        if let Some(literal) = string_literal(term) {
            return vec![literal];
        }
        if let Some(inner) = term.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
            if balanced(inner) {
                return self.expr(inner, depth);
            }
        }
        if let Some(args) = term
            .strip_prefix("sys.get_env(")
            .and_then(|t| t.strip_suffix(')'))
        {
            let mut args = split_top_level(args, ',').into_iter();
            let name = args.next().and_then(|a| string_literal(a.trim()));
            let default = args.next().and_then(|a| string_literal(a.trim()));
            return match name {
                Some(name) => match self.env.iter().find(|(k, _)| *k == name) {
                    Some((_, value)) => vec![value.clone()],
                    None => vec![default.unwrap_or(format!("{{{name}}}"))],
                },
                None => unknown(),
            };
        }
        if depth < MAX_DEPTH && is_path(term) {
            let found = self.lookup(&normalize(term), depth);
            if !found.is_empty() {
                return found;
            }
        }
        unknown()
    }

    /// The values of a variable path such as `urls.thumbnails`: assigned whole, or a field of
    /// an assigned map.
    fn lookup(&self, path: &str, depth: usize) -> Vec<String> {
        let segments: Vec<&str> = path.split('.').collect();
        if let Some((result, field)) = path.split_once('.') {
            let urls: Vec<String> = self
                .described
                .get(result)
                .into_iter()
                .flatten()
                .filter(|d| d.field == field)
                .flat_map(|d| self.reached_at(d, depth))
                .take(MAX_CANDIDATES)
                .collect();
            if !urls.is_empty() {
                return urls;
            }
        }
        for split in (1..=segments.len()).rev() {
            let Some(nodes) = self.vars.get(&segments[..split].join(".")) else {
                continue;
            };
            let mut out = Vec::new();
            for node in nodes {
                let Some(field) = node.path(&segments[split..]) else {
                    continue;
                };
                for t in self.node(field, depth + 1) {
                    if out.len() < MAX_CANDIDATES && !out.contains(&t.text) {
                        out.push(t.text);
                    }
                }
            }
            return out;
        }
        Vec::new()
    }
}

impl Values<'_> {
    /// The URL a read service or function is reached at, as far as its name is known: a Cloud
    /// Run service at `https://SERVICE-{PROJECT_NUMBER}.REGION.run.app` (the form whose parts
    /// the name gives), a function at `https://REGION-PROJECT.cloudfunctions.net/NAME`.
    fn reached_at(&self, d: &Described<'_>, depth: usize) -> Vec<String> {
        let location = d
            .location
            .and_then(|l| self.node(l, depth + 1).into_iter().next())
            .map(|t| t.text);
        let mut out = Vec::new();
        for t in self.node(d.name, depth + 1) {
            let segment = |key| segment_after(&t.text, key).map(str::to_string);
            let region = segment("locations")
                .or_else(|| location.clone())
                .unwrap_or_else(|| "{location}".into());
            let url = match d.reached {
                Reached::Service => segment("services")
                    .filter(|s| is_static(s))
                    .map(|s| format!("https://{s}-{{PROJECT_NUMBER}}.{region}.run.app")),
                Reached::Function => segment("functions").filter(|f| is_static(f)).map(|f| {
                    let project = segment("projects").unwrap_or_else(|| "{project}".into());
                    format!("https://{region}-{project}.cloudfunctions.net/{f}")
                }),
            };
            out.extend(url);
        }
        out
    }
}

/// `a["b"].c` → `a.b.c`.
pub(crate) fn normalize(path: &str) -> String {
    path.trim()
        .replace("[\"", ".")
        .replace("['", ".")
        .replace("\"]", "")
        .replace("']", "")
}

/// A variable path: identifiers joined by `.` or `["key"]`.
pub(crate) fn is_path(term: &str) -> bool {
    let path = normalize(term);
    !path.is_empty()
        && path.split('.').all(|s| {
            s.chars()
                .next()
                .is_some_and(|c| c.is_alphabetic() || c == '_')
                && s.chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        })
}

/// The text of a `"..."` or `'...'` literal with its escapes undone.
pub(crate) fn string_literal(term: &str) -> Option<String> {
    let quote = term.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let inner = term.strip_prefix(quote)?.strip_suffix(quote)?;
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push(chars.next()?),
            c if c == quote => return None,
            c => out.push(c),
        }
    }
    Some(out)
}

/// Splits at `sep` outside string literals, parentheses and brackets.
pub(crate) fn split_top_level(text: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None => match c {
                '"' | '\'' => quote = Some(c),
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => depth -= 1,
                c if c == sep && depth == 0 => {
                    parts.push(&text[start..i]);
                    start = i + c.len_utf8();
                }
                _ => {}
            },
        }
    }
    parts.push(&text[start..]);
    parts
}

fn balanced(text: &str) -> bool {
    split_top_level(text, '\u{0}').len() == 1
        && text.chars().filter(|c| *c == '(').count() == text.chars().filter(|c| *c == ')').count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{FileId, SourceFile};

    fn values_of(yaml: &str, expr: &str) -> Vec<String> {
        let loaded = crate::load(
            &[SourceFile::new("w.yaml", yaml)],
            &crate::Limits::default(),
        );
        let Some(crate::ResourceKind::Workflow(workflow)) =
            loaded.resources.first().map(|r| &r.kind)
        else {
            panic!("no workflow: {:?}", loaded.diagnostics);
        };
        let _ = FileId(0);
        let values = Values::new(workflow);
        let (nodes, _) = crate::tree::parse(expr, crate::tree::Limits::default());
        values.eval(&nodes[0]).into_iter().map(|t| t.text).collect()
    }

    const WORKFLOW: &str = r#"
main:
  params: [args]
  steps:
    - init:
        assign:
          - base: "https://thumbnails-123456789012.europe-west1.run.app"
          - urls: {vision: "https://vision.googleapis.com/v1"}
          - project: ${sys.get_env("GOOGLE_CLOUD_PROJECT_ID")}
          - either: "a"
    - later:
        assign:
          - either: "b"
          - chained: ${base + "/x"}
"#;

    #[test]
    fn propagates_literals_concatenation_and_env() {
        assert_eq!(
            values_of(WORKFLOW, r#"'${chained + "?q=1"}'"#),
            ["https://thumbnails-123456789012.europe-west1.run.app/x?q=1"]
        );
        assert_eq!(
            values_of(WORKFLOW, r#"'${urls.vision + "/images:annotate"}'"#),
            ["https://vision.googleapis.com/v1/images:annotate"]
        );
        assert_eq!(
            values_of(WORKFLOW, r#"'${"https://" + project + ".example.com"}'"#),
            ["https://{GOOGLE_CLOUD_PROJECT_ID}.example.com"]
        );
        assert_eq!(values_of(WORKFLOW, "${either}"), ["a", "b"]);
        assert_eq!(
            values_of(WORKFLOW, "${args.urls.THUMBNAILS_URL}"),
            ["{args.urls.THUMBNAILS_URL}"]
        );
        assert_eq!(
            values_of(WORKFLOW, r#"'${text.replace_all(base, "a", "b")}'"#),
            [r#"{text.replace_all(base, "a", "b")}"#]
        );
    }

    #[test]
    fn self_reference_terminates() {
        let yaml = "main:\n  steps:\n    - a:\n        assign:\n          - x: ${x + \"a\"}\n";
        let out = values_of(yaml, "${x}");
        assert!(out.iter().all(|v| v.starts_with('{')), "{out:?}");
    }
}
