use std::collections::{BTreeMap, HashMap, HashSet};

use super::{Checker, Rule};
use crate::diagnostic::{Severity, Subject};
use crate::expr::expression;
use crate::graph::url::host_and_path;
use crate::graph::values::{is_path, normalize, split_top_level, string_literal};
use crate::model::{Call, StepBody, StepKind};
use crate::source::{FileId, Loc, Pos};
use crate::tree::{Node, Value};

pub const RULE: Rule = Rule {
    name: "hardcoded-endpoint",
    code: "CPL004",
    severity: Severity::Info,
    summary: "a Cloud Run or Cloud Functions URL written literally in a workflow",
    docs: r#"## What it finds
A literal Cloud Run (`*.run.app`) or Cloud Functions (`*.cloudfunctions.net`) URL in a
workflow, where a call uses it: the `url` of an `http.*` call, the `httpRequest.url` of a Cloud
Tasks task, or a string assigned to a variable (or a parameter default) that such a URL is
built from. Each literal is reported once, at the literal, however many calls use it. URLs
built from `sys.get_env`, parameters or runtime values are fine, and so are literal
`googleapis.com` URLs, which are the same in every project.

## Why it matters
Such a URL names one deployment: the project (its number or the service's hash), the region
and the service name. The workflow cannot be deployed to a staging project or another region
without editing its source, and it silently keeps calling the old service when the service
moves.

## Example
```yaml
main:
  steps:
    - call_thumbnails:
        call: http.post
        args:
          url: https://thumbnails-wvdg6hhtla-ew.a.run.app/generate
          auth: {type: OIDC}
```

## How to fix
Pass the URL in: a `userEnvVars` entry read with `sys.get_env("THUMBNAILS_URL")` (set per
deployment by `gcloud workflows deploy --set-env-vars` or Terraform), or a field of the
execution argument.
"#,
    check: Some(check),
};

/// How deep variables may refer to variables (as in [`crate::graph::values`]).
const MAX_DEPTH: usize = 8;

fn check(cx: &mut Checker<'_>) {
    let analysis = cx.analysis;
    for wf in &analysis.workflows {
        let file = wf.workflow.file;
        let mut tracer = Tracer {
            file,
            vars: HashMap::new(),
            found: BTreeMap::new(),
            visited: HashSet::new(),
        };
        for (s, flow) in wf.subworkflows.iter().enumerate() {
            for param in &flow.subworkflow.params {
                if let Some(default) = &param.default {
                    let written = Subject::Subworkflow(wf.subworkflow_ref(s));
                    let vars = tracer.vars.entry(param.name.clone()).or_default();
                    vars.push((default, written));
                }
            }
            for (i, flow_step) in flow.steps.iter().enumerate() {
                if let StepKind::Assign(assignments) = &flow_step.step.body.kind {
                    for a in assignments {
                        let written = Subject::Step(wf.step_ref(s, i));
                        let vars = tracer.vars.entry(normalize(&a.target)).or_default();
                        vars.push((&a.value, written));
                    }
                }
            }
        }
        for (s, flow) in wf.subworkflows.iter().enumerate() {
            for (i, flow_step) in flow.steps.iter().enumerate() {
                let step = flow_step.step;
                for call in inline_calls(&step.body) {
                    let Some(url) = url_of(call) else { continue };
                    let user = Use {
                        loc: call.function.loc,
                        step: Subject::Step(wf.step_ref(s, i)),
                        text: format!("used by `{}` in step `{}`", call.function.value, step.name),
                        url: url.pos,
                    };
                    tracer.visited.clear();
                    tracer.node(url, user.step, &user, 0);
                }
            }
        }
        for (loc, literal) in tracer.found {
            let message = format!(
                "{} URL `{}` is hardcoded: it ties the workflow to one project, region and deployment",
                literal.platform, literal.url
            );
            let d = cx.report(loc, literal.written, message);
            let mut uses = literal.uses;
            uses.sort_by(|a, b| (a.loc, &a.text).cmp(&(b.loc, &b.text)));
            uses.dedup();
            for u in uses {
                d.related_to(u.loc, u.step, u.text);
            }
        }
    }
}

/// A call that uses a literal.
#[derive(Clone, PartialEq, Eq)]
struct Use {
    loc: Loc,
    /// The step that makes the call.
    step: Subject,
    text: String,
    /// Where the call's URL is written.
    url: Pos,
}

struct Literal {
    url: String,
    platform: &'static str,
    /// The step (or subworkflow, for a parameter default) where the literal is written.
    written: Subject,
    uses: Vec<Use>,
}

/// Follows a URL value back to the literals it is built from.
struct Tracer<'a> {
    file: FileId,
    /// Every value assigned to a variable path, with the step (or subworkflow) that assigns it.
    vars: HashMap<String, Vec<(&'a Node, Subject)>>,
    /// Literal Cloud Run or Functions URLs found, by where they are written.
    found: BTreeMap<Loc, Literal>,
    /// Values already followed for the current call: each is looked at once per call, which
    /// keeps self-referring and diamond-shaped assignments linear.
    visited: HashSet<Pos>,
}

impl<'a> Tracer<'a> {
    fn node(&mut self, node: &'a Node, written: Subject, user: &Use, depth: usize) {
        let Value::Scalar(scalar) = &node.value else {
            return;
        };
        if !self.visited.insert(node.pos) {
            return;
        }
        match expression(&scalar.text) {
            None => self.literal(node, &scalar.text, written, user),
            Some(expr) => self.expr(node, expr, written, user, depth),
        }
    }

    /// The literals of an expression: string literals joined with `+`, and the values of the
    /// variables it names. Function calls (`sys.get_env`, `text.concat`, ...) are not followed.
    fn expr(&mut self, node: &'a Node, expr: &str, written: Subject, user: &Use, depth: usize) {
        for term in split_top_level(expr, '+') {
            let term = term.trim();
            if let Some(literal) = string_literal(term) {
                self.literal(node, &literal, written, user);
            } else if let Some(inner) = term.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
                if depth < MAX_DEPTH {
                    self.expr(node, inner, written, user, depth + 1);
                }
            } else if depth < MAX_DEPTH && is_path(term) {
                self.variable(&normalize(term), user, depth);
            }
        }
    }

    /// The values of a variable path such as `urls.thumbnails`: assigned whole, or a field of
    /// an assigned map (the longest assigned prefix wins, as in constant propagation).
    fn variable(&mut self, path: &str, user: &Use, depth: usize) {
        let segments: Vec<&str> = path.split('.').collect();
        for split in (1..=segments.len()).rev() {
            let Some(values) = self.vars.get(&segments[..split].join(".")) else {
                continue;
            };
            let fields: Vec<(&'a Node, Subject)> = values
                .iter()
                .filter_map(|&(value, step)| Some((value.path(&segments[split..])?, step)))
                .collect();
            for (field, step) in fields {
                self.node(field, step, user, depth + 1);
            }
            return;
        }
    }

    fn literal(&mut self, node: &'a Node, text: &str, written: Subject, user: &Use) {
        let text = text.trim();
        let Some((host, _)) = host_and_path(text) else {
            return;
        };
        let platform = if host.ends_with(".run.app") {
            "Cloud Run"
        } else if host.ends_with(".cloudfunctions.net") {
            "Cloud Functions"
        } else {
            return;
        };
        let literal = self
            .found
            .entry(Loc::new(self.file, node.pos))
            .or_insert_with(|| Literal {
                url: crate::tree::truncate(text, 100),
                platform,
                written,
                uses: Vec::new(),
            });
        // A literal written in the call itself needs no pointer to that call.
        if node.pos != user.url {
            literal.uses.push(user.clone());
        }
    }
}

/// The calls a step body makes itself: its own `call`, or the one inline in its `try` or in a
/// switch condition (nested step lists are visited as steps of their own).
fn inline_calls(body: &StepBody) -> Vec<&Call> {
    let mut out = Vec::new();
    let mut todo = vec![body];
    while let Some(body) = todo.pop() {
        match &body.kind {
            StepKind::Call(call) => out.push(call),
            StepKind::Try(t) => todo.push(&t.body),
            StepKind::Switch(conditions) => todo.extend(conditions.iter().map(|c| &c.body)),
            _ => {}
        }
    }
    out
}

/// The URL a call sends a request to: `http.*`'s `url`, a Cloud Tasks task's
/// `httpRequest.url`.
fn url_of(call: &Call) -> Option<&Node> {
    let function = call.function.value.as_str();
    let args = call.args.as_ref()?;
    if let Some(method) = function.strip_prefix("http.") {
        return matches!(
            method,
            "get" | "post" | "put" | "patch" | "delete" | "request"
        )
        .then(|| args.get("url"))
        .flatten();
    }
    if function.starts_with("googleapis.cloudtasks.") && function.ends_with(".tasks.create") {
        return args.path(&["body", "task", "httpRequest", "url"]);
    }
    None
}
