use std::collections::HashMap;

use super::Rule;
use crate::analysis::Analysis;
use crate::diagnostic::{Diagnostic, Severity};

pub const RULE: Rule = Rule {
    name: "duplicate-step",
    code: "ORC004",
    severity: Severity::Error,
    summary: "two steps with one name in one subworkflow",
    docs: r#"## What it finds
Two steps with the same name anywhere in one subworkflow, nested steps included. Different
subworkflows may reuse names.

## Why it matters
Step names must be unique within a subworkflow: Google Cloud rejects the workflow, and a `next`
to that name would be ambiguous.

## Example
```yaml
- init:
    assign: [{a: 1}]
- init:
    assign: [{b: 2}]
```

## How to fix
Rename one of the steps (and the `next`s that mean it).
"#,
};

pub fn check(analysis: &Analysis<'_>, out: &mut Vec<Diagnostic>) {
    for wf in &analysis.workflows {
        for flow in &wf.subworkflows {
            let mut first = HashMap::new();
            for step in &flow.steps {
                let step = step.step;
                match first.get(step.name.as_str()) {
                    None => {
                        first.insert(step.name.as_str(), step.loc);
                    }
                    Some(&earlier) => {
                        let message = format!(
                            "step name `{}` is used twice in subworkflow `{}` (first at line {})",
                            step.name, flow.subworkflow.name, earlier.line
                        );
                        out.push(
                            Diagnostic::new(RULE.name, RULE.severity, step.loc, message)
                                .with_subject(&step.name)
                                .with_related(earlier, "first defined here"),
                        );
                    }
                }
            }
        }
    }
}
