use super::{Checker, Rule};
use crate::diagnostic::{Severity, Subject};
use crate::model::{ResourceId, ResourceKind, ScheduleSyntax};
use crate::schedule::{self, CronSchedule};

pub const RULE: Rule = Rule {
    name: "invalid-cron",
    code: "SCH001",
    severity: Severity::Error,
    summary: "a Scheduler job schedule that is not valid unix-cron",
    docs: r#"## What it finds
A Cloud Scheduler job whose `schedule` is not unix-cron as Cloud Scheduler accepts it: five
fields (minute 0-59, hour 0-23, day-of-month 1-31, month 1-12 or `JAN`-`DEC`, day-of-week 0-7
or `SUN`-`SAT`, where 0 and 7 are Sunday), each `*`, a value, a range `a-b`, a step `*/n` or
`a-b/n`, or a comma-separated list of those. Seconds or year fields, `@daily`-style
nicknames and Quartz extensions (`L`, `W`, `#`, `?`) are reported too. The message names the
field and the value at fault.

Schedules in the English-like App Engine form (`every 5 minutes`, `every monday 09:00`,
`1st monday of sep 09:00`), which Cloud Scheduler also accepts, are not checked; neither are
App Engine `cron.yaml` entries, which only take that form.

## Why it matters
Cloud Scheduler rejects the job at deploy time, or, when the schedule comes from another
cron dialect, the job runs at times other than intended.

## Example
```yaml
name: projects/p/locations/europe-west1/jobs/nightly
schedule: 0 24 * * *       # hour 24 does not exist
timeZone: Europe/Berlin
httpTarget:
  uri: https://example.com/nightly
```

## How to fix
Write five fields with values in range, e.g. `0 0 * * *` for midnight. Replace `L`, `W`,
`#` and `?` with explicit lists (`?` is `*`), and drop a leading seconds field.
"#,
    check: Some(check),
};

fn check(cx: &mut Checker<'_>) {
    let analysis = cx.analysis;
    for (i, resource) in analysis.workspace.resources.iter().enumerate() {
        let ResourceKind::Job(job) = &resource.kind else {
            continue;
        };
        let Some(text) = &job.schedule else {
            continue;
        };
        if job.schedule_syntax == ScheduleSyntax::AppEngine || schedule::is_english(&text.value) {
            continue;
        }
        if let Err(problem) = CronSchedule::parse(&text.value) {
            cx.report(
                text.loc,
                Subject::Resource(ResourceId::new(i)),
                format!("`{}` is not valid unix-cron: {problem}", text.value.trim()),
            );
        }
    }
}
