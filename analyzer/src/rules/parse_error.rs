use super::Rule;
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    name: "parse-error",
    code: "BTN001",
    severity: Severity::Error,
    summary: "the file is not valid YAML or JSON",
    docs: r#"## What it finds
A YAML or JSON syntax error, a duplicate key, or a document that exceeds a safety limit
(nesting depth, alias expansion). The finding points at the line and column where reading stopped;
documents before that point are still loaded.

## Why it matters
Google Cloud rejects the definition, and Baton cannot see what the rest of the file describes.

## Example
```yaml
main:
  steps:
    - bad: [unclosed
```

## How to fix
Fix the syntax at the reported position. Expressions that contain `: ` or `#` must be quoted:
`'${"a: " + b}'`.
"#,
};
