use super::{Checker, Rule};
use crate::diagnostic::{Severity, Subject};
use crate::model::{ResourceId, ResourceKind};
use crate::schedule;

pub const RULE: Rule = Rule {
    name: "invalid-time-zone",
    code: "SCH002",
    severity: Severity::Error,
    summary: "a Scheduler job time zone that is not an IANA tz database name",
    docs: r#"## What it finds
A Cloud Scheduler job (or App Engine `cron.yaml` entry) whose `timeZone` (`timezone`) is not a
name from the IANA tz database, such as `Europe/Berlin`, `America/New_York` or `UTC`. Names are
matched exactly; when only the letter case or a space differs, the message suggests the right
spelling. A job without a time zone runs in UTC and is not reported.

## Why it matters
Cloud Scheduler rejects the job, so the deployment fails or the old schedule stays in force.
Abbreviations such as `CET` or `PST` are ambiguous and several are not zone names at all.

## Example
```yaml
name: projects/p/locations/europe-west1/jobs/nightly
schedule: 0 4 * * *
timeZone: Europe/Berln     # typo
httpTarget:
  uri: https://example.com/nightly
```

## How to fix
Use the zone's tz database name, e.g. `Europe/Berlin`; the list is at
<https://en.wikipedia.org/wiki/List_of_tz_database_time_zones>.
"#,
    check: Some(check),
};

fn check(cx: &mut Checker<'_>) {
    let analysis = cx.analysis;
    for (i, resource) in analysis.workspace.resources.iter().enumerate() {
        let ResourceKind::Job(job) = &resource.kind else {
            continue;
        };
        let Some(zone) = &job.time_zone else {
            continue;
        };
        if schedule::time_zone(&zone.value).is_some() {
            continue;
        }
        let mut message = format!("`{}` is not an IANA time zone name", zone.value);
        if let Some(suggestion) = schedule::time_zone_suggestion(&zone.value) {
            message.push_str(&format!(": did you mean `{suggestion}`?"));
        }
        cx.report(zone.loc, Subject::Resource(ResourceId::new(i)), message);
    }
}
