use super::{Checker, Rule};
use crate::diagnostic::{Severity, Subject};
use crate::model::{ResourceId, ResourceKind, ScheduleSyntax};
use crate::schedule::{self, CronSchedule};

pub const RULE: Rule = Rule {
    name: "dst-sensitive-schedule",
    code: "SCH003",
    severity: Severity::Warning,
    summary:
        "a Scheduler job that fires at a wall-clock time a daylight-saving change skips or repeats",
    docs: r#"## What it finds
A Cloud Scheduler job with a valid unix-cron `schedule` in a `timeZone` with daylight saving
time that fires at a local time that does not exist when clocks go forward, or that occurs
twice when they go back. Baton takes the zone's real transitions from the tz database for the
two years after the analysis time, and tests the schedule against each wall-clock minute of
each skipped or repeated interval; the message gives the date of the next skipped and of the
next repeated run. Schedules that fire every hour (`*/5 * * * *`, `0 * * * *`) meet every
change and get a shorter message.

English-like schedules (`every day 02:30`) are not evaluated.

## Why it matters
Cron schedules are wall-clock times. Cloud Scheduler's documentation only says that the
zone's daylight-saving rules apply; under cron's wall-clock semantics a time that does not
exist (02:30 on the day Europe/Berlin moves from 02:00 to 03:00) does not come, so that run
is skipped, and a time that occurs twice (02:30 on the day clocks go back from 03:00 to
02:00) can run twice. A nightly export then misses a day or runs twice the same night. For
jobs that fire every few minutes this only changes the number of runs that local day.

## Example
```yaml
name: projects/p/locations/europe-west1/jobs/nightly
schedule: 30 2 * * *       # 02:30 is skipped in March and repeated in October
timeZone: Europe/Berlin
httpTarget:
  uri: https://example.com/nightly
```

## How to fix
Move the run out of the change window (in Europe 02:00-03:00 local time, in the US
01:00-03:00), e.g. `30 4 * * *`, or use a zone without daylight saving time such as `UTC`,
and make the target idempotent so a repeated run does no harm.
"#,
    check: Some(check),
};

fn check(cx: &mut Checker<'_>) {
    let analysis = cx.analysis;
    for (i, resource) in analysis.workspace.resources.iter().enumerate() {
        let ResourceKind::Job(job) = &resource.kind else {
            continue;
        };
        let (Some(text), Some(zone)) = (&job.schedule, &job.time_zone) else {
            continue;
        };
        if job.schedule_syntax == ScheduleSyntax::AppEngine || schedule::is_english(&text.value) {
            continue;
        }
        let (Ok(cron), Some(tz)) = (
            CronSchedule::parse(&text.value),
            schedule::time_zone(&zone.value),
        ) else {
            continue;
        };
        let conflicts = schedule::dst_conflicts(&cron, tz, analysis.config.now);
        if conflicts.is_empty() {
            continue;
        }
        let why = if conflicts.daylight_saving {
            "daylight saving"
        } else {
            "utc offset change"
        };
        let shown = text.value.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut parts = Vec::new();
        let message = if cron.every_hour() {
            if let Some(date) = conflicts.skipped {
                parts.push(format!("next skipped hour {date}"));
            }
            if let Some(date) = conflicts.doubled {
                parts.push(format!("next repeated hour {date}"));
            }
            format!(
                "`{shown}` in {} fires inside every clock change ({}; {why})",
                zone.value,
                parts.join(", ")
            )
        } else {
            if let Some(date) = conflicts.skipped {
                parts.push(format!("is skipped on {date}"));
            }
            if let Some(date) = conflicts.doubled {
                parts.push(format!("runs twice on {date}"));
            }
            format!(
                "`{shown}` in {} {} ({why})",
                zone.value,
                parts.join(" and ")
            )
        };
        cx.report(text.loc, Subject::Resource(ResourceId::new(i)), message);
    }
}
