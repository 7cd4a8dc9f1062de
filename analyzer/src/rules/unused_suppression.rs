use super::Rule;
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    name: "unused-suppression",
    code: "BTN006",
    severity: Severity::Warning,
    summary: "a `# baton: ignore[...]` entry that names no rule or silences nothing",
    docs: r#"## What it finds
An entry of a `# baton: ignore[...]` comment that names no rule (by name or code), or that
silences no finding: no finding of that rule on the comment's line or, for a comment alone on
its line, on the line below. Entries for rules switched off in `baton.toml` are not reported:
they may silence findings under another configuration.

## Why it matters
A suppression outlives the finding it was written for: after the workflow changes, it stays
and silently hides the next, different problem on that line. A misspelt rule name silences
nothing at all, so the finding it was meant for is still there, or was never what the author
thought.

## Example
```yaml
main:
  steps:
    - done:                  # baton: ignore[unreachable-step]
        return: 1
```

## How to fix
Delete the entry (or the whole comment), or correct the rule name (`baton rules` lists names
and codes). To keep an entry on purpose, add `unused-suppression` to the same comment.
"#,
    // The checker reports it after it has applied the suppressions.
    check: None,
};
