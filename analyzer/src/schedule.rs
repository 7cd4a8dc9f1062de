//! Cloud Scheduler schedules: strict unix-cron parsing (as Cloud Scheduler accepts it), IANA
//! time zones, and where a schedule meets a daylight-saving change.
//!
//! Parsing and matching use `croner`; this module first checks the text against the narrower
//! syntax Cloud Scheduler documents (5 fields, `*`, ranges, lists, steps, month and weekday
//! names; no seconds, `L`, `W`, `#`, `?` or `@nicknames`), so that messages name the field
//! and the value at fault. Time zones and their transitions come from `chrono-tz`.

use std::str::FromStr;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Offset, TimeZone};
use chrono_tz::{OffsetComponents, Tz};
use croner::parser::{CronParser, Seconds};
use croner::Cron;

/// A parsed unix-cron schedule.
#[derive(Clone, Debug)]
pub struct CronSchedule {
    cron: Cron,
    /// Bit `h` set when the hour field allows hour `h`.
    hours: u64,
}

impl CronSchedule {
    /// Parses `text` as unix-cron the way Cloud Scheduler accepts it; the error says what is
    /// wrong (lowercase, no trailing period).
    pub fn parse(text: &str) -> Result<CronSchedule, String> {
        let fields: Vec<&str> = text.split_whitespace().collect();
        if fields.is_empty() {
            return Err("the schedule is empty".to_string());
        }
        if fields[0].starts_with('@') {
            return Err(format!(
                "`{}` is not unix-cron: Cloud Scheduler takes 5 fields (minute hour day-of-month month day-of-week)",
                fields[0]
            ));
        }
        if fields.len() != 5 {
            let hint = if fields.len() == 6 || fields.len() == 7 {
                " (Cloud Scheduler has no seconds or year field)"
            } else {
                ""
            };
            return Err(format!(
                "expected 5 fields (minute hour day-of-month month day-of-week), found {}{hint}",
                fields.len()
            ));
        }
        let mut hours = 0;
        let mut normalized = Vec::with_capacity(5);
        for (spec, field) in FIELDS.iter().zip(&fields) {
            let bits = check_field(spec, field)?;
            if spec.name == "hour" {
                hours = bits;
            }
            // croner rejects `5/15`, which cron reads as `5-<max>/15`.
            let items: Vec<String> = field
                .split(',')
                .map(|item| match item.split_once('/') {
                    Some((start, step)) if start != "*" && !start.contains('-') => {
                        format!("{start}-{}/{step}", spec.max)
                    }
                    _ => item.to_string(),
                })
                .collect();
            normalized.push(items.join(","));
        }
        let cron = CronParser::builder()
            .seconds(Seconds::Disallowed)
            .build()
            .parse(&normalized.join(" "))
            .map_err(|e| format!("not accepted by the cron parser: {e}"))?;
        Ok(CronSchedule { cron, hours })
    }

    /// Whether the schedule fires at this wall-clock minute (seconds are ignored).
    pub fn fires_at(&self, local: NaiveDateTime) -> bool {
        use chrono::Timelike;
        let Some(minute) = local.with_second(0).and_then(|t| t.with_nanosecond(0)) else {
            return false;
        };
        self.cron.is_time_matching(&minute).unwrap_or(false)
    }

    /// Whether the hour field allows every hour of the day (`*`, `*/1`, `0-23`).
    pub fn every_hour(&self) -> bool {
        self.hours == (1 << 24) - 1
    }
}

/// Whether `text` is the English-like App Engine form (`every 5 minutes`, `every day 09:00`,
/// `1st monday of sep 09:00`, `1 of jan,april 00:00`) rather than unix-cron. A unix-cron
/// schedule starts with the minute field, which never holds letters, and never has `:` or the
/// words `every` and `of`.
pub fn is_english(text: &str) -> bool {
    let text = text.trim();
    text.starts_with(|c: char| c.is_alphabetic())
        || text.contains(':')
        || text
            .split_whitespace()
            .any(|word| word.eq_ignore_ascii_case("every") || word.eq_ignore_ascii_case("of"))
}

/// The IANA tz database zone named `name` (exact spelling, as Cloud Scheduler wants it).
pub fn time_zone(name: &str) -> Option<Tz> {
    Tz::from_str(name).ok()
}

/// A zone name that differs from `name` only in letter case or `_`/space, for a "did you
/// mean" hint.
pub fn time_zone_suggestion(name: &str) -> Option<&'static str> {
    let normalize = |s: &str| s.to_ascii_lowercase().replace(' ', "_");
    let wanted = normalize(name.trim());
    chrono_tz::TZ_VARIANTS
        .iter()
        .map(|tz| tz.name())
        .find(|candidate| normalize(candidate) == wanted)
}

/// One change of a zone's UTC offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Transition {
    /// The first instant (Unix seconds) with the new offset.
    pub at: i64,
    /// UTC offsets in seconds before and after.
    pub offset_before: i32,
    pub offset_after: i32,
    /// Whether daylight saving time starts or ends here (rather than a change of standard time).
    pub daylight_saving: bool,
}

impl Transition {
    /// True when clocks move forward, so some wall-clock times do not exist.
    pub fn skips(&self) -> bool {
        self.offset_after > self.offset_before
    }

    /// The wall-clock times that are skipped (clocks forward) or occur twice (clocks back),
    /// as a half-open interval `[start, end)`.
    pub fn local_interval(&self) -> Option<(NaiveDateTime, NaiveDateTime)> {
        let before = self.at.checked_add(i64::from(self.offset_before))?;
        let after = self.at.checked_add(i64::from(self.offset_after))?;
        let (start, end) = (before.min(after), before.max(after));
        Some((
            DateTime::from_timestamp(start, 0)?.naive_utc(),
            DateTime::from_timestamp(end, 0)?.naive_utc(),
        ))
    }
}

/// The offset changes of `tz` in `[from, to)` (Unix seconds), in order.
///
/// Samples the offset every 6 hours and bisects each change to the second: about 3,000
/// lookups for two years, whatever the schedule. Two changes less than 6 hours apart would be
/// missed; no zone has them today.
pub fn transitions(tz: Tz, from: i64, to: i64) -> Vec<Transition> {
    const STEP: i64 = 6 * 3600;
    let mut out = Vec::new();
    let Some(mut previous) = offset_at(tz, from) else {
        return out;
    };
    let mut t = from;
    while t < to {
        let Some(next_t) = t.checked_add(STEP) else {
            break;
        };
        let Some(next) = offset_at(tz, next_t) else {
            break;
        };
        if next.0 != previous.0 {
            // Bisect: `low` has the old offset, `high` the new one.
            let (mut low, mut high) = (t, next_t);
            while high - low > 1 {
                let mid = low + (high - low) / 2;
                match offset_at(tz, mid) {
                    Some(o) if o.0 == previous.0 => low = mid,
                    _ => high = mid,
                }
            }
            out.push(Transition {
                at: high,
                offset_before: previous.0,
                offset_after: next.0,
                daylight_saving: previous.1 != next.1,
            });
        }
        previous = next;
        t = next_t;
    }
    out
}

/// The total UTC offset and the daylight-saving part, in seconds, at `unix` seconds.
fn offset_at(tz: Tz, unix: i64) -> Option<(i32, i64)> {
    let utc = DateTime::from_timestamp(unix, 0)?.naive_utc();
    let offset = tz.offset_from_utc_datetime(&utc);
    Some((
        offset.fix().local_minus_utc(),
        offset.dst_offset().num_seconds(),
    ))
}

/// How a schedule meets the offset changes of its zone.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DstConflicts {
    /// Local date of the first change whose skipped wall-clock times hold a run.
    pub skipped: Option<NaiveDate>,
    /// Local date of the first change whose repeated wall-clock times hold a run.
    pub doubled: Option<NaiveDate>,
    /// Whether every change involved is a daylight-saving one.
    pub daylight_saving: bool,
}

impl DstConflicts {
    pub fn is_empty(&self) -> bool {
        self.skipped.is_none() && self.doubled.is_none()
    }
}

/// How far ahead [`dst_conflicts`] looks.
pub const DST_HORIZON_SECONDS: i64 = 2 * 365 * 86_400;

/// The first changes of `tz` within two years after `now` (Unix seconds) where `schedule`
/// fires at a wall-clock time that is skipped or repeated.
///
/// Cost: the transitions (see [`transitions`]) plus at most one schedule test per minute of
/// each skipped or repeated interval (60 for a one-hour change).
pub fn dst_conflicts(schedule: &CronSchedule, tz: Tz, now: i64) -> DstConflicts {
    let mut out = DstConflicts {
        daylight_saving: true,
        ..DstConflicts::default()
    };
    let to = now.saturating_add(DST_HORIZON_SECONDS);
    for transition in transitions(tz, now, to) {
        let slot = if transition.skips() {
            &mut out.skipped
        } else {
            &mut out.doubled
        };
        if slot.is_some() {
            continue;
        }
        let Some((start, end)) = transition.local_interval() else {
            continue;
        };
        if fires_between(schedule, start, end) {
            *slot = Some(start.date());
            out.daylight_saving &= transition.daylight_saving;
        }
        if out.skipped.is_some() && out.doubled.is_some() {
            break;
        }
    }
    out
}

/// Whether `schedule` fires at a whole wall-clock minute in `[start, end)`.
fn fires_between(schedule: &CronSchedule, start: NaiveDateTime, end: NaiveDateTime) -> bool {
    use chrono::{TimeDelta, Timelike};
    let mut minute = match start.with_second(0) {
        Some(m) if m < start => m + TimeDelta::minutes(1),
        Some(m) => m,
        None => return false,
    };
    // Offset changes are at most a few hours; the bound keeps a corrupt one cheap.
    for _ in 0..(24 * 60) {
        if minute >= end {
            return false;
        }
        if schedule.fires_at(minute) {
            return true;
        }
        minute += TimeDelta::minutes(1);
    }
    false
}

// ---------------------------------------------------------------------------------------
// Field checks

struct FieldSpec {
    name: &'static str,
    min: u32,
    max: u32,
    /// Three-letter names, the first standing for `name_base`.
    names: &'static [&'static str],
    name_base: u32,
    /// How to write a valid value, for messages.
    valid: &'static str,
}

const FIELDS: [FieldSpec; 5] = [
    FieldSpec {
        name: "minute",
        min: 0,
        max: 59,
        names: &[],
        name_base: 0,
        valid: "0-59",
    },
    FieldSpec {
        name: "hour",
        min: 0,
        max: 23,
        names: &[],
        name_base: 0,
        valid: "0-23",
    },
    FieldSpec {
        name: "day-of-month",
        min: 1,
        max: 31,
        names: &[],
        name_base: 1,
        valid: "1-31",
    },
    FieldSpec {
        name: "month",
        min: 1,
        max: 12,
        names: &[
            "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
        ],
        name_base: 1,
        valid: "1-12 or JAN-DEC",
    },
    FieldSpec {
        name: "day-of-week",
        min: 0,
        max: 7,
        names: &["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"],
        name_base: 0,
        valid: "0-7 or SUN-SAT",
    },
];

/// Checks one field; returns the set of allowed values as bits.
fn check_field(spec: &FieldSpec, field: &str) -> Result<u64, String> {
    let name = spec.name;
    if let Some(c) = field.chars().find(|c| matches!(c, 'L' | 'W' | '#' | '?')) {
        // Names like `JUL` or `WED` hold `L` and `W` too: only flag what is not a name.
        let is_name_char = !spec.names.is_empty() && c.is_ascii_alphabetic();
        if !is_name_char {
            return Err(format!(
                "{name} field `{field}`: `{c}` is not supported by unix-cron or Cloud Scheduler (no L, W, # or ?)"
            ));
        }
    }
    let mut bits = 0u64;
    for item in field.split(',') {
        if item.is_empty() {
            return Err(format!("{name} field `{field}` has an empty list item"));
        }
        let (range, step) = match item.split_once('/') {
            Some((range, step)) => (range, Some(step)),
            None => (item, None),
        };
        let step = match step {
            None => 1,
            Some(step) => {
                if step.is_empty() || !step.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(format!(
                        "{name} field `{item}`: the step `{step}` is not a number"
                    ));
                }
                match step.parse::<u32>() {
                    Ok(0) => return Err(format!("{name} field `{item}`: the step must be 1 or more")),
                    Ok(n) if n <= spec.max => n,
                    _ => {
                        return Err(format!(
                            "{name} field `{item}`: the step `{step}` is larger than the field's range {}-{}",
                            spec.min, spec.max
                        ))
                    }
                }
            }
        };
        let (low, high) = if range == "*" {
            (spec.min, spec.max)
        } else if let Some((a, b)) = range.split_once('-') {
            let (a, b) = (value(spec, a)?, value(spec, b)?);
            if a > b {
                return Err(format!(
                    "{name} field `{item}` is a backwards range (write the smaller value first)"
                ));
            }
            (a, b)
        } else {
            let a = value(spec, range)?;
            // `5/15` means from 5 to the end, every 15.
            (a, if item.contains('/') { spec.max } else { a })
        };
        let mut v = low;
        while v <= high {
            // Day-of-week 7 is Sunday, like 0.
            let bit = if name == "day-of-week" && v == 7 {
                0
            } else {
                v
            };
            bits |= 1 << bit;
            v += step;
        }
    }
    Ok(bits)
}

/// One number or name of a field, in range.
fn value(spec: &FieldSpec, text: &str) -> Result<u32, String> {
    let name = spec.name;
    if text.is_empty() {
        return Err(format!("{name} field has an empty value"));
    }
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return match text.parse::<u32>() {
            Ok(v) if (spec.min..=spec.max).contains(&v) => Ok(v),
            _ => Err(format!(
                "{name} field `{text}` is out of range {}-{}",
                spec.min, spec.max
            )),
        };
    }
    if let Some(i) = spec.names.iter().position(|n| n.eq_ignore_ascii_case(text)) {
        // At most 12 names: the index fits.
        return Ok(spec.name_base + i as u32);
    }
    let upper = text.to_ascii_uppercase();
    if upper == "L"
        || ((upper.contains('L') || upper.contains('W'))
            && upper.contains(|c: char| c.is_ascii_digit()))
    {
        return Err(format!(
            "{name} field `{text}`: L and W are not supported by unix-cron or Cloud Scheduler"
        ));
    }
    if text == "*" {
        return Err(format!(
            "{name} field: `*` cannot be part of a range (write `*` or `a-b`)"
        ));
    }
    Err(format!(
        "{name} field `{text}` is not a valid value (use {})",
        spec.valid
    ))
}

#[cfg(test)]
// Test inputs are fixed: a failed unwrap is a failed test.
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// 2027-01-01T00:00:00Z, the default `Config::now`.
    const NOW: i64 = 1_798_761_600;

    fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    fn conflicts(schedule: &str, zone: &str) -> DstConflicts {
        let schedule = CronSchedule::parse(schedule).unwrap();
        dst_conflicts(&schedule, time_zone(zone).unwrap(), NOW)
    }

    fn error(schedule: &str) -> String {
        CronSchedule::parse(schedule).unwrap_err()
    }

    #[test]
    fn accepts_the_documented_syntax() {
        for ok in [
            "* * * * *",
            "*/5 * * * *",
            "0 9 * * 1-5",
            "30 2 * * *",
            "0 0 1,15 * *",
            "0 0 * JAN-MAR,dec SUN",
            "0 0 * * 7",
            "5/15 * * * *",
            "0 8-18/2 * * MON-FRI",
            "  0  0  *  *  *  ",
        ] {
            assert!(
                CronSchedule::parse(ok).is_ok(),
                "{ok}: {:?}",
                CronSchedule::parse(ok).err()
            );
        }
    }

    #[test]
    fn matches_wall_clock_minutes() {
        let at = |y, m, d, h, min| {
            NaiveDate::from_ymd_opt(y, m, d)
                .and_then(|day| day.and_hms_opt(h, min, 0))
                .unwrap()
        };
        let quarter_past = CronSchedule::parse("5/15 * * * *").unwrap();
        assert!(quarter_past.fires_at(at(2027, 1, 1, 3, 20)));
        assert!(!quarter_past.fires_at(at(2027, 1, 1, 3, 15)));
        // 2027-01-03 is a Sunday: 0 and 7 both name it.
        for sunday in ["0 0 * * 0", "0 0 * * 7", "0 0 * * sun"] {
            let schedule = CronSchedule::parse(sunday).unwrap();
            assert!(schedule.fires_at(at(2027, 1, 3, 0, 0)), "{sunday}");
            assert!(!schedule.fires_at(at(2027, 1, 4, 0, 0)), "{sunday}");
        }
        // Day-of-month and day-of-week both restricted: either matches (2027-01-04 is a Monday).
        let either = CronSchedule::parse("0 0 1 * MON").unwrap();
        assert!(either.fires_at(at(2027, 1, 1, 0, 0)));
        assert!(either.fires_at(at(2027, 1, 4, 0, 0)));
        assert!(!either.fires_at(at(2027, 1, 5, 0, 0)));
    }

    #[test]
    fn says_what_is_wrong() {
        assert_eq!(
            error("61 * * * *"),
            "minute field `61` is out of range 0-59"
        );
        assert_eq!(error("0 24 * * *"), "hour field `24` is out of range 0-23");
        assert_eq!(
            error("0 0 0 * *"),
            "day-of-month field `0` is out of range 1-31"
        );
        assert_eq!(error("0 0 * 13 *"), "month field `13` is out of range 1-12");
        assert_eq!(
            error("0 0 * * 8"),
            "day-of-week field `8` is out of range 0-7"
        );
        assert_eq!(
            error("0 0 * * FOO"),
            "day-of-week field `FOO` is not a valid value (use 0-7 or SUN-SAT)"
        );
        assert_eq!(
            error("0 0 * * *  *"),
            "expected 5 fields (minute hour day-of-month month day-of-week), found 6 (Cloud Scheduler has no seconds or year field)"
        );
        assert_eq!(error(""), "the schedule is empty");
        assert!(error("0 0 L * *").contains("`L`"));
        assert!(error("0 0 * * 5#2").contains("`#`"));
        assert!(error("0 0 ? * MON").contains("`?`"));
        assert!(error("0 0 15W * *").contains("`W`"));
        assert!(error("@daily").starts_with("`@daily` is not unix-cron"));
        assert!(error("*/0 * * * *").contains("step must be 1 or more"));
        assert!(error("0 22-2 * * *").contains("backwards range"));
        assert!(error("1,,2 * * * *").contains("empty list item"));
        assert!(error("99999999999999999999 * * * *").contains("out of range"));
        assert!(error("*/99999999999999999999 * * * *").contains("larger than"));
        assert!(error("ä * * * *").contains("not a valid value"));
        assert!(error("0 0 * * MON-").contains("empty value"));
    }

    #[test]
    fn tells_english_schedules_apart() {
        for english in [
            "every 5 minutes",
            "every day 09:00",
            "1st monday of sep,oct,nov 17:00",
            "1 of jan,april,july,oct 00:00",
            "every 2 hours from 10:00 to 14:00",
        ] {
            assert!(is_english(english), "{english}");
        }
        for cron in ["0 9 * * *", "*/5 * * * *", "0 0 * JAN MON", "61 * * * *"] {
            assert!(!is_english(cron), "{cron}");
        }
    }

    #[test]
    fn time_zones() {
        assert!(time_zone("Europe/Berlin").is_some());
        assert!(time_zone("UTC").is_some());
        assert!(time_zone("Europe/Berln").is_none());
        assert!(time_zone("").is_none());
        assert_eq!(time_zone_suggestion("europe/berlin"), Some("Europe/Berlin"));
        assert_eq!(
            time_zone_suggestion("America/New York"),
            Some("America/New_York")
        );
    }

    #[test]
    fn berlin_2027() {
        let found = transitions(time_zone("Europe/Berlin").unwrap(), NOW, NOW + 365 * 86_400);
        assert_eq!(found.len(), 2);
        // 2027-03-28 01:00 UTC: 02:00 CET becomes 03:00 CEST.
        assert_eq!(found[0].at, 1_806_195_600);
        assert!(found[0].skips() && found[0].daylight_saving);
        assert!(!found[1].skips());
        let at_2_30 = conflicts("30 2 * * *", "Europe/Berlin");
        assert_eq!(at_2_30.skipped, date(2027, 3, 28));
        assert_eq!(at_2_30.doubled, date(2027, 10, 31));
        assert!(at_2_30.daylight_saving);
        // 02:00 is skipped (03:00 follows 01:59:59); 03:00 exists once in both changes.
        assert_eq!(
            conflicts("0 2 * * *", "Europe/Berlin").skipped,
            date(2027, 3, 28)
        );
        assert!(conflicts("0 3 * * *", "Europe/Berlin").is_empty());
        assert!(conflicts("0 4 * * *", "Europe/Berlin").is_empty());
        assert!(conflicts("59 1 * * *", "Europe/Berlin").is_empty());
    }

    #[test]
    fn only_on_the_days_the_schedule_runs() {
        // Sundays in March only: skipped on the last one, never repeated.
        let march = conflicts("30 2 * 3 SUN", "Europe/Berlin");
        assert_eq!(march.skipped, date(2027, 3, 28));
        assert_eq!(march.doubled, None);
        // The 1st of the month is never a change day in Berlin in 2027-2028.
        assert!(conflicts("30 2 1 * *", "Europe/Berlin").is_empty());
    }

    #[test]
    fn new_york_2027() {
        // Forward at 02:00 on 2027-03-14, back at 02:00 EDT on 2027-11-07 (01:00-01:59 twice).
        let at_2_30 = conflicts("30 2 * * *", "America/New_York");
        assert_eq!(at_2_30.skipped, date(2027, 3, 14));
        assert_eq!(at_2_30.doubled, None);
        let at_1_30 = conflicts("30 1 * * *", "America/New_York");
        assert_eq!(at_1_30.skipped, None);
        assert_eq!(at_1_30.doubled, date(2027, 11, 7));
    }

    #[test]
    fn sydney_is_the_other_way_round() {
        // Back at 03:00 AEDT on 2027-04-04 (02:00-02:59 twice), forward at 02:00 on 2027-10-03.
        let found = conflicts("30 2 * * *", "Australia/Sydney");
        assert_eq!(found.doubled, date(2027, 4, 4));
        assert_eq!(found.skipped, date(2027, 10, 3));
    }

    #[test]
    fn zones_without_changes() {
        assert!(conflicts("30 2 * * *", "Asia/Tokyo").is_empty());
        assert!(conflicts("* * * * *", "UTC").is_empty());
        let every_minute = conflicts("* * * * *", "Europe/Berlin");
        assert_eq!(every_minute.skipped, date(2027, 3, 28));
        assert_eq!(every_minute.doubled, date(2027, 10, 31));
        assert!(CronSchedule::parse("*/5 * * * *").unwrap().every_hour());
        assert!(!CronSchedule::parse("0 2 * * *").unwrap().every_hour());
    }

    #[test]
    fn extreme_now_values_do_not_panic() {
        let schedule = CronSchedule::parse("30 2 * * *").unwrap();
        let tz = time_zone("Europe/Berlin").unwrap();
        for now in [i64::MIN, i64::MAX, -1, 0, 253_402_300_799] {
            let _ = dst_conflicts(&schedule, tz, now);
        }
    }
}
