use super::{Checker, Rule};
use crate::diagnostic::{Severity, Subject};
use crate::graph::NodeKind;
use crate::expr::expression;
use crate::model::{Auth, Call, JobTarget, ResourceId, ResourceKind};
use crate::retry::body_calls;
use crate::source::Loc;
use crate::tree::Node;

pub const RULE: Rule = Rule {
    name: "unauthenticated-target",
    code: "SEC001",
    severity: Severity::Warning,
    summary: "a push to a Cloud Run or Cloud Functions URL without an OIDC token",
    docs: r#"## What it finds
A push to a Cloud Run (`*.run.app`) or Cloud Functions (`*.cloudfunctions.net`) URL that
carries no OIDC token:
- a Cloud Scheduler job's `httpTarget` without `oidcToken`;
- a Pub/Sub push subscription whose `pushConfig` has no `oidcToken`;
- a Cloud Tasks task created by a workflow
  (`googleapis.cloudtasks.v2.projects.locations.queues.tasks.create`) whose
  `body.task.httpRequest` has no `oidcToken`.

An `oauthToken` is reported too: Scheduler and Cloud Tasks document OAuth access tokens as
meant for Google APIs on `*.googleapis.com`, while Cloud Run and Cloud Functions check an ID
(OIDC) token, so such a push only works if the target accepts unauthenticated calls.

A task URL is read when it is a literal or an expression that starts with a literal holding
the host (`${"https://resize-abcdefghij-ew.a.run.app/" + path}`); when the host cannot be seen
(`${url}`, `${"https://" + host}`) nothing is reported. A queue-level `httpTarget` that adds a
token to every task is not taken into account.

## Why it matters
Without a token the push can only succeed if the service allows unauthenticated invocations
(`allUsers` as invoker), so anyone on the internet can call the endpoint that was meant for
Scheduler, Pub/Sub or Cloud Tasks: fake events, replayed jobs, cost. If the service does
require authentication, every push fails with `401`/`403` instead.

## Example
```yaml
name: projects/demo/locations/europe-west1/jobs/nightly-report
schedule: 0 3 * * *
httpTarget:
  uri: https://report-abcdefghij-ew.a.run.app/run    # no oidcToken
  httpMethod: POST
```

## How to fix
Send an OIDC token from a service account that has `roles/run.invoker` on the target, and
remove unauthenticated access from the service:
```yaml
httpTarget:
  uri: https://report-abcdefghij-ew.a.run.app/run
  oidcToken:
    serviceAccountEmail: scheduler@demo.iam.gserviceaccount.com
    audience: https://report-abcdefghij-ew.a.run.app
```
(`gcloud scheduler jobs update http J --oidc-service-account-email=...`,
`gcloud pubsub subscriptions update S --push-auth-service-account=...`, or `oidcToken` in the
task's `httpRequest`).
"#,
    check: Some(check),
};

const TASKS_CREATE: &str = "googleapis.cloudtasks.v2.projects.locations.queues.tasks.create";

fn check(cx: &mut Checker<'_>) {
    let analysis = cx.analysis;
    let graph = &analysis.graph;
    for (i, resource) in analysis.workspace.resources.iter().enumerate() {
        let id = ResourceId::new(i);
        // The push is the node's out-edge written at `loc`; what it reaches is a Cloud Run
        // service or Cloud Function when its host says so or the graph resolved it to one.
        let push = |loc: Loc, url: &str| -> Option<(Subject, String)> {
            let edge = graph
                .resource_node(id)
                .and_then(|n| graph.edge_at(n, loc));
            let target = edge
                .and_then(|e| graph.graph.edge_endpoints(e))
                .map(|(_, to)| graph.node(to))
                .filter(|n| matches!(n.kind, NodeKind::Service | NodeKind::Function));
            let shown = match target {
                // A Terraform reference (`google_cloud_run_v2_service.x.uri`) is shown as
                // what it names.
                Some(node) if url.contains("tf~") => format!("{} `{}`", node.kind.as_str(), node.name),
                Some(_) => format!("`{url}`"),
                None => format!("`{}`", serverless_host(url).map(|_| url)?),
            };
            Some((edge.map_or(Subject::Resource(id), Subject::Edge), shown))
        };
        match &resource.kind {
            ResourceKind::Job(job) => {
                let Some(target) = &job.target else {
                    continue;
                };
                let JobTarget::Http { uri, auth, .. } = &target.value else {
                    continue;
                };
                let (Some((subject, shown)), Some(why)) = (push(target.loc, uri), missing_token(*auth))
                else {
                    continue;
                };
                let message = format!("scheduler job `{}` calls {shown} {why}", resource.name);
                cx.report(target.loc, subject, message);
            }
            ResourceKind::Subscription(sub) => {
                let Some(p) = &sub.push else {
                    continue;
                };
                let (Some((subject, shown)), Some(why)) =
                    (push(p.loc, &p.value.endpoint), missing_token(p.value.auth))
                else {
                    continue;
                };
                let message = format!(
                    "push subscription `{}` delivers to {shown} {why}",
                    resource.name
                );
                cx.report(p.loc, subject, message);
            }
            _ => {}
        }
    }
    for wf in &analysis.workflows {
        for (s, flow) in wf.subworkflows.iter().enumerate() {
            for (i, flow_step) in flow.steps.iter().enumerate() {
                let step = flow_step.step;
                for call in body_calls(&step.body) {
                    let Some((url, host, auth)) = task_target(call) else {
                        continue;
                    };
                    if let Some(why) = missing_token(auth) {
                        cx.report(
                            Loc::new(step.loc.file, url.pos),
                            Subject::Step(wf.step_ref(s, i)),
                            format!("the task that step `{}` creates calls `{host}` {why}", step.name),
                        );
                    }
                }
            }
        }
    }
}

/// The URL node, Cloud Run or Functions host and authentication of the HTTP task a
/// `tasks.create` call creates.
fn task_target(call: &Call) -> Option<(&Node, String, Auth)> {
    if call.function.value != TASKS_CREATE {
        return None;
    }
    let request = call.args.as_ref()?.path(&["body", "task", "httpRequest"])?;
    let url = request.get("url")?;
    let host = serverless_host(&url.as_str().and_then(task_host)?)?;
    Some((url, host, node_auth(request)))
}

/// Why `auth` does not authenticate to Cloud Run or Cloud Functions; `None` for OIDC.
fn missing_token(auth: Auth) -> Option<&'static str> {
    match auth {
        Auth::Oidc => None,
        Auth::OAuth => Some(
            "with an OAuth token, which Cloud Run and Cloud Functions do not accept: use an OIDC token",
        ),
        Auth::None => Some("without an OIDC token: the target must allow unauthenticated calls"),
    }
}

fn node_auth(request: &Node) -> Auth {
    if request.get("oidcToken").is_some() {
        Auth::Oidc
    } else if request.get("oauthToken").is_some() {
        Auth::OAuth
    } else {
        Auth::None
    }
}

/// The host of `url` when it is a Cloud Run or Cloud Functions host, lowercased.
fn serverless_host(url: &str) -> Option<String> {
    let host = host_of(url)?.to_ascii_lowercase();
    (host.ends_with(".run.app") || host.ends_with(".cloudfunctions.net")).then_some(host)
}

/// The host part of an `http(s)://` URL (possibly cut short, when the URL is a prefix).
fn host_of(url: &str) -> Option<&str> {
    let url = url.trim();
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        url.get(8..)?
    } else if lower.starts_with("http://") {
        url.get(7..)?
    } else {
        return None;
    };
    let end = rest.find(['/', '?', '#', ':']).unwrap_or(rest.len());
    rest.get(..end).filter(|h| !h.is_empty())
}

/// The URL text whose host can be seen in a task's `url`: the value itself when it is no
/// expression, else the string literal an expression starts with (`${"https://h/" + x}`).
fn task_host(value: &str) -> Option<String> {
    let Some(inner) = expression(value) else {
        return host_of(value).is_some().then(|| value.trim().to_string());
    };
    let literal = leading_literal(inner)?;
    host_of(&literal).is_some().then_some(literal)
}

/// The string literal at the start of an expression when the rest is empty or a `+`.
fn leading_literal(expr: &str) -> Option<String> {
    let expr = expr.trim_start();
    let mut chars = expr.char_indices();
    let (_, quote) = chars.next()?;
    if quote != '"' && quote != '\'' {
        return None;
    }
    let mut text = String::new();
    let mut escaped = false;
    for (i, c) in chars {
        if escaped {
            text.push(c);
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == quote {
            let rest = expr.get(i + c.len_utf8()..)?.trim_start();
            return (rest.is_empty() || rest.starts_with('+')).then_some(text);
        } else {
            text.push(c);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_of_literals_and_leading_literals() {
        assert_eq!(
            task_host(r#"${"https://resize-abc-ew.a.run.app/x" + id}"#)
                .and_then(|u| serverless_host(&u)),
            Some("resize-abc-ew.a.run.app".to_string())
        );
        assert_eq!(
            task_host("https://europe-west1-p.cloudfunctions.net/f")
                .and_then(|u| serverless_host(&u)),
            Some("europe-west1-p.cloudfunctions.net".to_string())
        );
        // The host is not in the literal.
        assert_eq!(
            task_host(r#"${"https://" + host + ".a.run.app"}"#).and_then(|u| serverless_host(&u)),
            None
        );
        assert_eq!(task_host("${url}"), None);
        assert_eq!(task_host(r#"${"https://x.a.run.app" == y}"#), None);
        assert_eq!(
            serverless_host("https://cloudtasks.googleapis.com/v2"),
            None
        );
        assert_eq!(serverless_host("not a url"), None);
    }
}
