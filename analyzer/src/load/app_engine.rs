//! App Engine `queue.yaml` (Cloud Tasks queues) and `cron.yaml` (Cloud Scheduler jobs).

use crate::model::*;
use crate::tree::Node;

use super::ctx::duration_seconds;
use super::Ctx;

/// Loads `doc` when it is a `queue.yaml` or `cron.yaml`; false when it is neither.
pub fn load(ctx: &mut Ctx<'_>, doc: &Node, out: &mut Vec<Resource>) -> bool {
    let is_list = |key: &str| doc.get(key).is_some_and(|v| v.as_seq().is_some());
    if is_list("queue")
        && doc.as_map().is_some_and(|m| {
            m.iter()
                .all(|(k, _)| matches!(k.as_str(), Some("queue" | "total_storage_limit")))
        })
    {
        for item in doc.get("queue").and_then(Node::as_seq).unwrap_or_default() {
            out.extend(queue(ctx, item));
        }
        return true;
    }
    if is_list("cron") && doc.as_map().is_some_and(|m| m.len() == 1) {
        for item in doc.get("cron").and_then(Node::as_seq).unwrap_or_default() {
            out.extend(cron(ctx, item));
        }
        return true;
    }
    false
}

fn queue(ctx: &mut Ctx<'_>, item: &Node) -> Option<Resource> {
    let Some(name) = ctx.string(item, "name") else {
        ctx.invalid(item, "a queue.yaml entry needs a `name`");
        return None;
    };
    let mut queue = Queue {
        pull: ctx.string(item, "mode").as_deref() == Some("pull"),
        app_engine_target: ctx.string_at(item, "target"),
        ..Queue::default()
    };
    queue.max_concurrent_dispatches = ctx.int(item, "max_concurrent_requests");
    if let Some(retry) = ctx.map(item, "retry_parameters") {
        queue.retry.loc = Some(ctx.loc(retry));
        // `task_retry_limit` counts retries; Cloud Tasks' `maxAttempts` counts the first attempt too.
        queue.retry.max_attempts = ctx.int_at(retry, "task_retry_limit").map(|l| At {
            value: l.value + 1,
            loc: l.loc,
        });
        queue.retry.max_retry_duration = ctx.string_at(retry, "task_age_limit").and_then(|d| {
            Some(At {
                value: duration_seconds(&d.value)?,
                loc: d.loc,
            })
        });
    }
    Some(Resource {
        name,
        full_name: None,
        project: None,
        location: None,
        loc: ctx.loc(item),
        kind: ResourceKind::Queue(queue),
        terraform: None,
        settings_known: true,
    })
}

fn cron(ctx: &mut Ctx<'_>, item: &Node) -> Option<Resource> {
    let Some(url) = ctx.string_at(item, "url") else {
        ctx.invalid(item, "a cron.yaml entry needs a `url`");
        return None;
    };
    let target = At {
        value: JobTarget::AppEngine {
            service: ctx.string(item, "target"),
            relative_uri: Some(url.value.clone()),
        },
        loc: url.loc,
    };
    let retry_count = ctx
        .map(item, "retry_parameters")
        .and_then(|r| ctx.int(r, "job_retry_limit"));
    let job = Job {
        schedule: ctx.string_at(item, "schedule"),
        schedule_syntax: ScheduleSyntax::AppEngine,
        time_zone: ctx.string_at(item, "timezone"),
        target: Some(target),
        retry_count,
        paused: false,
    };
    Some(Resource {
        name: url.value,
        full_name: None,
        project: None,
        location: None,
        loc: ctx.loc(item),
        kind: ResourceKind::Job(job),
        terraform: None,
        settings_known: true,
    })
}
