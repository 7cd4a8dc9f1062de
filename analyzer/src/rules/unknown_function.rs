use super::{Checker, Rule};
use crate::diagnostic::{Severity, Subject};
use crate::library::{self, Suggestion};

pub const RULE: Rule = Rule {
    name: "unknown-function",
    code: "ORC008",
    severity: Severity::Error,
    summary: "a call of a library function or connector that does not exist",
    docs: r#"## What it finds
A `call:`, an expression (`${text.splitt(x)}`), a retry policy or a retry predicate that names
a dotted function which is neither in the Workflows standard library nor a connector method
(`googleapis.<service>.<version>.<resource path>.<method>`). Baton knows every function and
connector method Google documents (`analyzer/data/workflows-catalog.tsv`: the reference pages
and the connectors' Discovery documents, with their date) and suggests the closest one.

## Why it matters
Google Cloud rejects the workflow at deploy time, so the mistake is found late, in a pipeline
or by hand. Guessed names are common: `google.pubsub.topics.publish` looks right, but the
connector is `googleapis.pubsub.v1.projects.topics.publish`.

## Example
```yaml
main:
  steps:
    - publish:
        call: google.pubsub.topics.publish
        args:
          topic: projects/my-project/topics/orders
          body: {messages: [{data: "aGk="}]}
```

## How to fix
Use the name the message suggests, or look the method up in Google's connector reference
(https://cloud.google.com/workflows/docs/reference/googleapis). If Google has added the method
since the catalog's date, silence the finding with `# baton: ignore[unknown-function]` and
tell us.
"#,
    check: Some(check),
};

fn check(cx: &mut Checker<'_>) {
    let analysis = cx.analysis;
    for wf in &analysis.workflows {
        for (s, flow) in wf.subworkflows.iter().enumerate() {
            for call in &flow.calls {
                if !call.callee.contains('.') || library::lookup(&call.callee).is_some() {
                    continue;
                }
                let how = call.describe();
                let hint = match library::suggestion(&call.callee) {
                    Some(Suggestion::Function(name)) => format!("; did you mean `{name}`?"),
                    Some(Suggestion::Connector(prefix)) => {
                        format!("; the methods of that connector are `{prefix}.*`")
                    }
                    None => String::new(),
                };
                let message =
                    format!("{how} is no standard-library function or connector method{hint}");
                cx.report(call.loc, Subject::Step(wf.step_ref(s, call.step)), message);
            }
        }
    }
}
