use super::{Checker, Rule};
use crate::diagnostic::{Severity, Subject};
use crate::library::{self, Kind};

pub const RULE: Rule = Rule {
    name: "undefined-subworkflow",
    code: "ORC005",
    severity: Severity::Error,
    summary: "a call of a name that is neither a subworkflow nor an expression helper",
    docs: r#"## What it finds
A `call:`, a function call inside an expression (`${name(x)}`) or a custom retry predicate that
names no subworkflow of the workflow and no expression helper (`default`, `len`, `keys`,
`int`, ...). Dotted names (`http.get`, `googleapis...`) are library functions and connectors:
`unknown-function` checks those.

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

fn check(cx: &mut Checker<'_>) {
    let analysis = cx.analysis;
    for wf in &analysis.workflows {
        for (s, flow) in wf.subworkflows.iter().enumerate() {
            for call in &flow.calls {
                let helper = library::lookup(&call.callee).is_some_and(|f| f.kind == Kind::Helper);
                if call.callee.contains('.')
                    || helper
                    || wf.workflow.subworkflow(&call.callee).is_some()
                {
                    continue;
                }
                let how = call.describe();
                let message = format!(
                    "{how} names no subworkflow of `{}` and no expression helper",
                    wf.resource.name
                );
                cx.report(call.loc, Subject::Step(wf.step_ref(s, call.step)), message);
            }
        }
    }
}
