use super::{Checker, Rule};
use crate::diagnostic::{Severity, Subject};
use crate::retry::http_calls;

pub const RULE: Rule = Rule {
    name: "call-without-retry",
    code: "RES002",
    severity: Severity::Warning,
    summary: "an `http.*` call that no retry policy covers",
    docs: r#"## What it finds
A `call: http.get` (or `http.post`, `http.put`, `http.patch`, `http.delete`, `http.request`)
step that does not run under a `try` with a `retry`. A `retry` covers every step of its `try`
body, at any depth (nested `steps`, switch branches, loops, parallel branches), but not the
`except` steps. A call in a subworkflow counts as retried when every call of that subworkflow
is. A `try` with only `except` does not retry, and neither does `max_retries: 0`.

Connector calls (`googleapis.*`) are never reported: they retry by default. Calls written
inside expressions (`${http.get(...)}`), unreachable steps and subworkflows that are never
called are not looked at.

## Why it matters
One dropped connection, timeout or `503` fails the step and, unless something catches the
error, the whole execution. Transient errors are routine on the network; Workflows only retries
them when you ask.

## Example
```yaml
main:
  steps:
    - fetch:              # one failed request fails the execution
        call: http.get
        args:
          url: https://example.com/api
        result: resp
```

## How to fix
Wrap the call in a `try` with a retry policy: `${http.default_retry}` for idempotent requests,
`${http.default_retry_non_idempotent}` otherwise, or a custom `predicate`/`max_retries`/`backoff`.
```yaml
    - fetch:
        try:
          call: http.get
          args:
            url: https://example.com/api
          result: resp
        retry: ${http.default_retry}
```
"#,
    check: Some(check),
};

fn check(cx: &mut Checker<'_>) {
    let analysis = cx.analysis;
    for wf in &analysis.workflows {
        for call in http_calls(wf) {
            if call.retried {
                continue;
            }
            cx.report(
                call.step.loc,
                Subject::Step(call.at),
                format!(
                    "`{}` in step `{}` has no retry policy: one failed request fails the step",
                    call.call.function.value, call.step.name
                ),
            );
        }
    }
}
