use super::{Checker, Rule};
use crate::diagnostic::{Severity, Subject};
use crate::flow::CallKind;
use crate::library;

pub const RULE: Rule = Rule {
    name: "blocking-call-in-expression",
    code: "ORC009",
    severity: Severity::Error,
    summary: "a blocking function (HTTP request, sleep, log, connector) called inside an expression",
    docs: r#"## What it finds
An expression that calls a blocking function: the `http.*` requests, `sys.sleep`,
`sys.sleep_until`, `sys.log`, `events.await_callback`, `experimental.executions.*` and the
connectors. Workflows allows those only as a `call:` step.

## Why it matters
Google Cloud rejects the workflow at deploy time ("blocking calls can't be used in
expressions"): a blocking call may wait, retry and be checkpointed, which an expression cannot.

## Example
```yaml
main:
  steps:
    - fetch:
        assign:
          - body: ${http.get("https://example.com/api").body}
```

## How to fix
Make the call a step of its own and use its result:
```yaml
    - fetch:
        call: http.get
        args: {url: "https://example.com/api"}
        result: response
    - use:
        assign:
          - body: ${response.body}
```
"#,
    check: Some(check),
};

fn check(cx: &mut Checker<'_>) {
    let analysis = cx.analysis;
    for wf in &analysis.workflows {
        for (s, flow) in wf.subworkflows.iter().enumerate() {
            for call in &flow.calls {
                let blocking = library::lookup(&call.callee).is_some_and(|f| f.blocking);
                if call.kind != CallKind::Expression || !blocking {
                    continue;
                }
                let message = format!(
                    "`{}` blocks, so it cannot be called inside an expression: make it a `call:` step and use its `result`",
                    call.callee
                );
                cx.report(call.loc, Subject::Step(wf.step_ref(s, call.step)), message);
            }
        }
    }
}
