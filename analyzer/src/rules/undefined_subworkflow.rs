use super::{Checker, Rule};
use crate::diagnostic::{Severity, Subject};
use crate::flow::CallKind;

pub const RULE: Rule = Rule {
    name: "undefined-subworkflow",
    code: "ORC005",
    severity: Severity::Error,
    summary: "a call of a name that is neither a subworkflow nor a standard-library function or connector",
    docs: r#"## What it finds
A `call:`, a function call inside an expression (`${name(x)}`) or a custom retry predicate that
names no subworkflow of the workflow and no standard-library function (`http.*`, `sys.*`,
`text.*`, `default`, `len`, ...) or connector (`googleapis.*`).

## Why it matters
Google Cloud rejects the workflow at deploy time. Often the subworkflow lives in another file
that a build step (such as Terraform) concatenates: load that file too.

## Example
```yaml
main:
  steps:
    - greet:
        call: make_greeting     # defined nowhere
        result: text
```

## How to fix
Define the subworkflow, load the file that defines it, or correct the name.
"#,
    check: Some(check),
};

/// Expression helpers without a namespace (Workflows reference: "Expression helpers").
const BUILTINS: &[&str] = &[
    "default", "if", "keys", "len", "get_type", "type", "int", "double", "string", "bool",
];

/// Subworkflow names have no dots, so any dotted name is a library function or connector
/// (`http.get`, `gke.request`, `googleapis.run.v2...`); Baton keeps no list of them that
/// could go stale and turn new library functions into false findings.
pub fn is_library_function(name: &str) -> bool {
    name.contains('.') || BUILTINS.contains(&name)
}

fn check(cx: &mut Checker<'_>) {
    let analysis = cx.analysis;
    for wf in &analysis.workflows {
        for (s, flow) in wf.subworkflows.iter().enumerate() {
            for call in &flow.calls {
                if wf.workflow.subworkflow(&call.callee).is_some()
                    || is_library_function(&call.callee)
                {
                    continue;
                }
                let how = match call.kind {
                    CallKind::Step => format!("`call: {}`", call.callee),
                    CallKind::Expression => format!("`{}(...)`", call.callee),
                    CallKind::RetryPredicate => format!("retry predicate `{}`", call.callee),
                };
                let message = format!("{how} names no subworkflow of `{}` and no standard-library function or connector", wf.resource.name);
                cx.report(call.loc, Subject::Step(wf.step_ref(s, call.step)), message);
            }
        }
    }
}
