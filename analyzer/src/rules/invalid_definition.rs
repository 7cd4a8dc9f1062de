use super::Rule;
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    name: "invalid-definition",
    code: "BTN003",
    severity: Severity::Error,
    summary: "a recognised resource with a field the service would reject",
    docs: r#"## What it finds
A field of the wrong type (a list where a number belongs), an unknown key in a workflow step, a
step list item with more or fewer than one key, or a required field that is missing. The rest
of the resource and of the file still loads.

## Why it matters
Google Cloud refuses to deploy such a definition; what Baton shows about it is partial.

## Example
```yaml
main:
  steps:
    - two_keys:
        assign: [{a: 1}]
      extra: {return: 1}     # a step is a map with exactly one key
```

## How to fix
Follow the message: each step is a map with exactly one key, its name; each field has the type
the API documents.
"#,
    check: None,
};
