//! Google Cloud Workflows definitions (../shared/docs/formats.md §1): both top-level forms, every step kind,
//! and definitions embedded as a string in a deployed resource (`sourceContents`).

use crate::diagnostic::Diagnostic;
use crate::expr::expression;
use crate::model::*;
use crate::rules::RuleId;
use crate::source::Pos;
use crate::tree::{self, Node, Value};

use super::Ctx;

/// Keys that decide what a step does; exactly one may appear (or none, for a pure jump).
const KIND_KEYS: [&str; 9] = [
    "assign", "call", "switch", "for", "parallel", "raise", "return", "steps", "try",
];
/// Every key a step body may have.
const STEP_KEYS: [&str; 13] = [
    "assign", "call", "args", "result", "next", "switch", "for", "parallel", "raise", "try",
    "retry", "except", "return",
];

/// True when `items` look like a bare step list (the implicit-`main` form).
pub fn is_step_list(items: &[Node]) -> bool {
    items.first().is_some_and(is_step_item)
}

fn is_step_item(item: &Node) -> bool {
    let Some([(_, body)]) = item.as_map() else {
        return false;
    };
    match body.as_map() {
        Some(entries) => entries.iter().any(|(k, _)| {
            k.as_str()
                .is_some_and(|k| STEP_KEYS.contains(&k) || k == "steps")
        }),
        None => body.is_null(),
    }
}

/// True when a map looks like the subworkflow form: `main` (or any entry) holding `steps`.
fn is_subworkflow_map(doc: &Node) -> bool {
    let Some(entries) = doc.as_map() else {
        return false;
    };
    let has_steps = |v: &Node| {
        v.get("steps")
            .is_some_and(|s| s.as_seq().is_some() || s.is_null())
    };
    match doc.get("main") {
        Some(main) => main.as_map().is_some(),
        None => !entries.is_empty() && entries.iter().all(|(_, v)| has_steps(v)),
    }
}

/// Loads a definition document (map form); returns false when `doc` is not one.
pub fn load_definition(ctx: &mut Ctx<'_>, doc: &Node, path: &str, out: &mut Vec<Resource>) -> bool {
    if !is_subworkflow_map(doc) {
        return false;
    }
    out.extend(from_definition(ctx, doc, &name_from_path(path)));
    true
}

/// A workflow resource from a parsed definition document (either form).
pub fn from_definition(ctx: &mut Ctx<'_>, doc: &Node, name: &str) -> Option<Resource> {
    let mut workflow = definition(ctx, doc)?;
    // The file is the definition the service would get.
    workflow.source_size = Some(At {
        value: ctx.text.len(),
        loc: ctx.loc(doc),
    });
    Some(Resource {
        name: name.to_string(),
        full_name: None,
        project: None,
        location: None,
        loc: ctx.loc(doc),
        kind: ResourceKind::Workflow(workflow),
        terraform: None,
        settings_known: true,
    })
}

/// Parses a definition held in a string (`sourceContents`), with positions in the host file.
pub fn from_source(ctx: &mut Ctx<'_>, source: &Node) -> Option<Workflow> {
    let Some(scalar) = source.scalar() else {
        ctx.invalid(
            source,
            format!(
                "the workflow source should be a string, found {}",
                source.kind_name()
            ),
        );
        return None;
    };
    let host = source.pos;
    // A `|` block maps line for line onto the host file; other styles (quoted strings with
    // `\n` escapes) cannot, so their positions all point at the string itself.
    let origin = tree::literal_block_origin(ctx.text, source);
    let remap = |pos: Pos| match origin {
        Some((first_line, indent)) => Pos::new(first_line + pos.line - 1, pos.column + indent),
        None => host,
    };
    let (docs, errors) = tree::parse(&scalar.text, ctx.limits);
    for error in errors {
        let loc = crate::source::Loc::new(ctx.file, remap(error.pos));
        ctx.report(Diagnostic::new(
            RuleId::ParseError,
            loc,
            format!(
                "syntax error in the embedded workflow source: {}",
                error.message
            ),
        ));
    }
    let mut doc = docs.into_iter().next()?;
    doc.remap(&remap);
    if !(is_subworkflow_map(&doc) || doc.as_seq().is_some_and(is_step_list)) {
        ctx.invalid(
            source,
            "the workflow source is neither a list of steps nor a map with `main`",
        );
        return None;
    }
    let mut workflow = definition(ctx, &doc)?;
    workflow.source_size = Some(At {
        value: scalar.text.len(),
        loc: ctx.loc(source),
    });
    Some(workflow)
}

/// Parses a definition rendered from a template (Terraform's heredocs and `templatefile()`);
/// `remap` gives each position of `text` its place in `ctx`'s file, `at` is where the value is
/// written.
pub(crate) fn from_text(
    ctx: &mut Ctx<'_>,
    text: &str,
    remap: &impl Fn(Pos) -> Pos,
    at: crate::source::Loc,
) -> Option<Workflow> {
    let (docs, errors) = tree::parse(text, ctx.limits);
    for error in errors {
        let loc = crate::source::Loc::new(ctx.file, remap(error.pos));
        ctx.report(Diagnostic::new(
            RuleId::ParseError,
            loc,
            format!("syntax error in the workflow source: {}", error.message),
        ));
    }
    let mut doc = docs.into_iter().next()?;
    doc.remap(remap);
    if !(is_subworkflow_map(&doc) || doc.as_seq().is_some_and(is_step_list)) {
        ctx.report(Diagnostic::new(
            RuleId::InvalidDefinition,
            at,
            "the workflow source is neither a list of steps nor a map with `main`",
        ));
        return None;
    }
    let mut workflow = definition(ctx, &doc)?;
    workflow.source_size = Some(At {
        value: text.len(),
        loc: at,
    });
    Some(workflow)
}

/// Names a workflow after its file: `image-pipeline.workflows.yaml` → `image-pipeline`;
/// generic names (`workflow.yaml`, `main.yaml`) take their folder's name.
pub fn name_from_path(path: &str) -> String {
    let mut parts = path.rsplit(['/', '\\']);
    let file = parts.next().unwrap_or(path);
    let mut stem = file;
    for suffix in [".yaml", ".yml", ".json"] {
        stem = stem.strip_suffix(suffix).unwrap_or(stem);
    }
    for suffix in [".workflows", ".workflow"] {
        stem = stem.strip_suffix(suffix).unwrap_or(stem);
    }
    if matches!(
        stem,
        "workflow" | "workflows" | "main" | "definition" | "source"
    ) {
        if let Some(folder) = parts.find(|p| !p.is_empty() && *p != ".") {
            return folder.to_string();
        }
    }
    stem.to_string()
}

/// A workflow from its definition; `None` for a scalar or a workflow over the step limit.
fn definition(ctx: &mut Ctx<'_>, doc: &Node) -> Option<Workflow> {
    ctx.steps = 0;
    ctx.steps_over_limit = None;
    let workflow = definition_unbounded(ctx, doc)?;
    if let Some(at) = ctx.steps_over_limit.take() {
        ctx.report(Diagnostic::new(RuleId::ParseError,
            at,
            format!(
                "the workflow has more than {} steps, Baton's limit (`max_steps`); it is not analyzed",
                ctx.limits.max_steps
            ),
        ));
        return None;
    }
    Some(workflow)
}

fn definition_unbounded(ctx: &mut Ctx<'_>, doc: &Node) -> Option<Workflow> {
    match &doc.value {
        Value::Seq(_) => {
            let steps = steps(ctx, doc);
            Some(Workflow {
                subworkflows: vec![Subworkflow {
                    name: "main".into(),
                    loc: ctx.loc(doc),
                    params: Vec::new(),
                    steps,
                }],
                env: Vec::new(),
                source_size: None,
                file: ctx.file,
            })
        }
        Value::Map(entries) => {
            let mut subworkflows = Vec::new();
            for (key, value) in entries {
                let Some(name) = key.as_str() else {
                    ctx.invalid(key, "a subworkflow name should be a string");
                    continue;
                };
                subworkflows.push(subworkflow(ctx, name, key, value));
            }
            // `main` first: it is the entry point.
            if let Some(i) = subworkflows.iter().position(|s| s.name == "main") {
                let main = subworkflows.remove(i);
                subworkflows.insert(0, main);
            }
            Some(Workflow {
                subworkflows,
                env: Vec::new(),
                source_size: None,
                file: ctx.file,
            })
        }
        Value::Scalar(_) => None,
    }
}

fn subworkflow(ctx: &mut Ctx<'_>, name: &str, key: &Node, body: &Node) -> Subworkflow {
    let mut sub = Subworkflow {
        name: name.to_string(),
        loc: ctx.loc(key),
        params: Vec::new(),
        steps: Vec::new(),
    };
    let Some(entries) = body.as_map() else {
        ctx.invalid(
            body,
            format!(
                "subworkflow `{name}` should be a map with `steps`, found {}",
                body.kind_name()
            ),
        );
        return sub;
    };
    for (k, v) in entries {
        match k.as_str() {
            Some("steps") => sub.steps = steps(ctx, v),
            Some("params") => sub.params = params(ctx, v),
            _ => ctx.invalid(
                k,
                format!(
                    "unknown key `{}` in subworkflow `{name}` (expected `params` or `steps`)",
                    k.display()
                ),
            ),
        }
    }
    if body.get("steps").is_none() {
        ctx.invalid(key, format!("subworkflow `{name}` has no `steps`"));
    }
    sub
}

fn params(ctx: &mut Ctx<'_>, node: &Node) -> Vec<Param> {
    let Some(items) = node.as_seq() else {
        ctx.invalid(
            node,
            format!("`params` should be a list, found {}", node.kind_name()),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items {
        match (&item.value, item.as_str()) {
            (_, Some(name)) => out.push(Param {
                name: name.to_string(),
                default: None,
                loc: ctx.loc(item),
            }),
            (Value::Map(entries), _) if entries.len() == 1 => {
                let (k, v) = &entries[0];
                match k.as_str() {
                    Some(name) => out.push(Param {
                        name: name.to_string(),
                        default: Some(v.clone()),
                        loc: ctx.loc(item),
                    }),
                    None => ctx.invalid(k, "a parameter name should be a string"),
                }
            }
            _ => ctx.invalid(
                item,
                "a parameter should be a name or a one-key map `name: default`",
            ),
        }
    }
    out
}

fn steps(ctx: &mut Ctx<'_>, node: &Node) -> Vec<Step> {
    let Some(items) = node.as_seq() else {
        if !node.is_null() {
            ctx.invalid(
                node,
                format!(
                    "`steps` should be a list of steps, found {}",
                    node.kind_name()
                ),
            );
        }
        return Vec::new();
    };
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        // Past the limit nothing more is read: the workflow is dropped (see `definition`).
        ctx.steps += 1;
        if ctx.steps > ctx.limits.max_steps {
            if ctx.steps_over_limit.is_none() {
                ctx.steps_over_limit = Some(ctx.loc(item));
            }
            break;
        }
        match item.as_map() {
            Some([(key, body)]) => match key.as_str() {
                Some(name) => out.push(Step {
                    name: name.to_string(),
                    loc: ctx.loc(key),
                    body: step_body(ctx, body, name, &[]),
                }),
                None => ctx.invalid(key, "a step name should be a string"),
            },
            Some(entries) => {
                let keys: Vec<String> = entries
                    .iter()
                    .map(|(k, _)| format!("`{}`", k.display()))
                    .collect();
                ctx.invalid(
                    item,
                    format!(
                        "a step should be a map with exactly one key (its name), found {}: {}",
                        entries.len(),
                        keys.join(", ")
                    ),
                );
            }
            None => ctx.invalid(
                item,
                format!(
                    "a step should be a map `name: {{...}}`, found {}",
                    item.kind_name()
                ),
            ),
        }
    }
    out
}

/// Parses a step body; `ignore` lists keys the caller handles (`condition` in a switch).
fn step_body(ctx: &mut Ctx<'_>, node: &Node, name: &str, ignore: &[&str]) -> StepBody {
    let loc = ctx.loc(node);
    let mut body = StepBody {
        kind: StepKind::Jump,
        next: None,
        loc,
    };
    let Some(entries) = node.as_map() else {
        if node.is_null() {
            ctx.invalid(node, format!("step `{name}` has an empty body"));
        } else {
            ctx.invalid(
                node,
                format!("step `{name}` should be a map, found {}", node.kind_name()),
            );
        }
        return body;
    };
    let mut kind_key: Option<&Node> = None;
    for (k, v) in entries {
        let Some(key) = k.as_str() else {
            ctx.invalid(k, "a step key should be a string");
            continue;
        };
        if ignore.contains(&key) {
            continue;
        }
        if key == "next" {
            match v.as_str() {
                Some(target) => {
                    body.next = Some(At {
                        value: target.to_string(),
                        loc: ctx.loc(v),
                    })
                }
                None => ctx.invalid(
                    v,
                    format!("`next` should be a step name, found {}", v.kind_name()),
                ),
            }
        } else if KIND_KEYS.contains(&key) {
            match kind_key {
                Some(first) => ctx.invalid(
                    k,
                    format!(
                        "step `{name}` has both `{}` and `{key}`; a step does one thing",
                        first.display()
                    ),
                ),
                None => kind_key = Some(k),
            }
        } else if !STEP_KEYS.contains(&key) {
            ctx.invalid(k, format!("unknown key `{key}` in step `{name}`"));
        }
    }
    let kind = kind_key.and_then(|k| k.as_str()).unwrap_or("");
    // Keys that only make sense next to a particular kind.
    for (dependent, owner) in [
        ("args", "call"),
        ("result", "call"),
        ("retry", "try"),
        ("except", "try"),
    ] {
        if let Some((k, _)) = node.get_entry(dependent) {
            if kind != owner {
                ctx.invalid(
                    k,
                    format!(
                        "`{dependent}` is only allowed together with `{owner}` (step `{name}`)"
                    ),
                );
            }
        }
    }
    let Some(value) = node.get(kind) else {
        return body;
    };
    body.kind = match kind {
        "assign" => StepKind::Assign(assignments(ctx, value)),
        "call" => match value.as_str() {
            Some(function) => StepKind::Call(Call {
                function: At {
                    value: function.to_string(),
                    loc: ctx.loc(value),
                },
                args: node.get("args").cloned(),
                result: ctx.string(node, "result"),
            }),
            None => {
                ctx.invalid(
                    value,
                    format!(
                        "`call` should name a function or subworkflow, found {}",
                        value.kind_name()
                    ),
                );
                StepKind::Jump
            }
        },
        "switch" => StepKind::Switch(conditions(ctx, value, name)),
        "for" => match for_loop(ctx, value, name) {
            Some(f) => StepKind::For(f),
            None => StepKind::Jump,
        },
        "parallel" => match parallel(ctx, value, name) {
            Some(p) => StepKind::Parallel(p),
            None => StepKind::Jump,
        },
        "try" => StepKind::Try(Try {
            body: Box::new(step_body(ctx, value, name, &[])),
            retry: node.get("retry").and_then(|r| retry(ctx, r)),
            except: node.get("except").and_then(|e| except(ctx, e, name)),
        }),
        "raise" => StepKind::Raise(value.clone()),
        "return" => StepKind::Return(value.clone()),
        "steps" => StepKind::Steps(steps(ctx, value)),
        _ => StepKind::Jump,
    };
    body
}

fn assignments(ctx: &mut Ctx<'_>, node: &Node) -> Vec<Assignment> {
    let Some(items) = node.as_seq() else {
        ctx.invalid(
            node,
            format!(
                "`assign` should be a list of one-key maps, found {}",
                node.kind_name()
            ),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items {
        match item.as_map() {
            Some([(k, v)]) => match k.as_str() {
                Some(target) => out.push(Assignment {
                    target: target.to_string(),
                    value: v.clone(),
                    loc: ctx.loc(k),
                }),
                None => ctx.invalid(k, "an assignment target should be a variable name"),
            },
            _ => ctx.invalid(
                item,
                "each `assign` item should be a one-key map `variable: value`",
            ),
        }
    }
    out
}

fn conditions(ctx: &mut Ctx<'_>, node: &Node, name: &str) -> Vec<Condition> {
    let Some(items) = node.as_seq() else {
        ctx.invalid(
            node,
            format!(
                "`switch` should be a list of conditions, found {}",
                node.kind_name()
            ),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items {
        let Some(condition) = item.get("condition") else {
            ctx.invalid(
                item,
                format!("a switch condition in step `{name}` has no `condition`"),
            );
            continue;
        };
        let body = step_body(ctx, item, name, &["condition"]);
        out.push(Condition {
            condition: condition.clone(),
            body,
            loc: ctx.loc(item),
        });
    }
    out
}

fn for_loop(ctx: &mut Ctx<'_>, node: &Node, name: &str) -> Option<ForLoop> {
    if node.as_map().is_none() {
        ctx.invalid(
            node,
            format!("`for` should be a map, found {}", node.kind_name()),
        );
        return None;
    }
    for (k, _) in node.as_map().unwrap_or_default() {
        if !k
            .as_str()
            .is_some_and(|k| matches!(k, "value" | "index" | "in" | "range" | "steps"))
        {
            ctx.invalid(
                k,
                format!(
                    "unknown key `{}` in the `for` of step `{name}`",
                    k.display()
                ),
            );
        }
    }
    let value = ctx.string(node, "value");
    if value.is_none() {
        ctx.invalid(
            node,
            format!("the `for` of step `{name}` has no `value` variable"),
        );
    }
    let source = match (node.get("in"), node.get("range")) {
        (Some(list), None) => ForSource::In(list.clone()),
        (None, Some(range)) => ForSource::Range(range.clone()),
        (Some(_), Some(_)) => {
            ctx.invalid(
                node,
                format!("the `for` of step `{name}` has both `in` and `range`"),
            );
            ForSource::In(Node {
                pos: node.pos,
                value: Value::Seq(Vec::new()),
            })
        }
        (None, None) => {
            ctx.invalid(
                node,
                format!("the `for` of step `{name}` has neither `in` nor `range`"),
            );
            ForSource::In(Node {
                pos: node.pos,
                value: Value::Seq(Vec::new()),
            })
        }
    };
    let body = match node.get("steps") {
        Some(s) => steps(ctx, s),
        None => {
            ctx.invalid(node, format!("the `for` of step `{name}` has no `steps`"));
            Vec::new()
        }
    };
    Some(ForLoop {
        value: value.unwrap_or_default(),
        index: ctx.string(node, "index"),
        source,
        steps: body,
        loc: ctx.loc(node),
    })
}

fn parallel(ctx: &mut Ctx<'_>, node: &Node, name: &str) -> Option<Parallel> {
    if node.as_map().is_none() {
        ctx.invalid(
            node,
            format!("`parallel` should be a map, found {}", node.kind_name()),
        );
        return None;
    }
    for (k, _) in node.as_map().unwrap_or_default() {
        if !k.as_str().is_some_and(|k| {
            matches!(
                k,
                "shared" | "concurrency_limit" | "exception_policy" | "branches" | "for"
            )
        }) {
            ctx.invalid(
                k,
                format!(
                    "unknown key `{}` in the `parallel` of step `{name}`",
                    k.display()
                ),
            );
        }
    }
    let shared = ctx
        .seq(node, "shared")
        .unwrap_or_default()
        .iter()
        .filter_map(|s| s.as_str().map(str::to_string))
        .collect();
    let work = match (node.get("branches"), node.get("for")) {
        (Some(branches), None) => ParallelWork::Branches(steps(ctx, branches)),
        (None, Some(f)) => ParallelWork::For(for_loop(ctx, f, name)?),
        _ => {
            ctx.invalid(
                node,
                format!("the `parallel` of step `{name}` needs exactly one of `branches` or `for`"),
            );
            return None;
        }
    };
    Some(Parallel {
        shared,
        concurrency_limit: node.get("concurrency_limit").cloned(),
        exception_policy: ctx.string(node, "exception_policy"),
        work,
        loc: ctx.loc(node),
    })
}

fn retry(ctx: &mut Ctx<'_>, node: &Node) -> Option<Retry> {
    if let Some(text) = node.as_str() {
        let policy = expression(text).unwrap_or(text).trim().to_string();
        return Some(Retry::Policy(At {
            value: policy,
            loc: ctx.loc(node),
        }));
    }
    if node.as_map().is_none() {
        ctx.invalid(
            node,
            format!(
                "`retry` should be a policy expression or a map, found {}",
                node.kind_name()
            ),
        );
        return None;
    }
    let predicate = ctx.string_at(node, "predicate").map(|p| At {
        value: expression(&p.value).unwrap_or(&p.value).trim().to_string(),
        loc: p.loc,
    });
    let max_retries = node.get("max_retries").and_then(Node::as_i64);
    Some(Retry::Custom(RetryPolicy {
        predicate,
        max_retries,
        loc: ctx.loc(node),
    }))
}

/// `except: {as, steps}`, or, like `try`, one step written inline (`except: {as: e, raise:
/// ...}`, which Workflows accepts and Google's own blueprints use): that step is the block,
/// named after the `try` step.
fn except(ctx: &mut Ctx<'_>, node: &Node, try_step: &str) -> Option<Except> {
    if node.as_map().is_none() {
        ctx.invalid(
            node,
            format!(
                "`except` should be a map with `steps`, found {}",
                node.kind_name()
            ),
        );
        return None;
    }
    let inline = node.as_map().is_some_and(|entries| {
        entries
            .iter()
            .any(|(k, _)| k.as_str().is_some_and(|k| KIND_KEYS.contains(&k)))
    });
    let steps = match node.get("steps") {
        Some(s) => steps(ctx, s),
        None if inline => {
            let name = format!("{try_step} (except)");
            let body = step_body(ctx, node, &name, &["as"]);
            vec![Step {
                name,
                loc: ctx.loc(node),
                body,
            }]
        }
        None => {
            ctx.invalid(node, "`except` has no `steps`");
            Vec::new()
        }
    };
    Some(Except {
        var: ctx.string(node, "as"),
        steps,
        loc: ctx.loc(node),
    })
}
