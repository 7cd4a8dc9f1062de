use super::Rule;
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    name: "parse-error",
    code: "BTN001",
    severity: Severity::Error,
    summary: "the file is not valid YAML or JSON, or is over one of Baton's safety limits",
    docs: r#"## What it finds
A YAML or JSON syntax error (tabs used as indentation included), a duplicate key, bytes that are
not UTF-8, a binary file, or an input over one of Baton's safety limits: file size (20 MB by
default, `[limits] max-file-size`), nesting depth (200), alias expansion (100,000 copied nodes),
steps per workflow (100,000). The finding points at the line and column where reading stopped
and says the limit; documents before that point are still loaded, and so are the other files.
A file over the size limit and a binary file are not read at all; a workflow over the step
limit is not analyzed. Invalid UTF-8 is reported at its first invalid byte and the rest of the
file is still read, with U+FFFD in place of the invalid bytes.

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
    check: None,
};
