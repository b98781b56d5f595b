//! Digest periods: a local day or an ISO week in the subscriber's time zone, as an interval
//! `[start, end)` of UTC instants. A period starts at the first instant of its first local
//! day: midnight, or the end of a daylight-saving gap when midnight does not exist there.
//! So a local day lasts 23, 24 or 25 hours and a week 167, 168 or 169.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, Days, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// How often a subscriber gets a workstream's digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Frequency {
    Daily,
    Weekly,
}

impl Frequency {
    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Daily => "daily",
            Frequency::Weekly => "weekly",
        }
    }
}

impl FromStr for Frequency {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "daily" => Ok(Frequency::Daily),
            "weekly" => Ok(Frequency::Weekly),
            _ => Err(format!("unknown frequency `{s}`: use daily or weekly")),
        }
    }
}

/// Parses an IANA time-zone name, naming the problem.
pub fn parse_time_zone(name: &str) -> Result<Tz, String> {
    name.parse::<Tz>()
        .map_err(|_| format!("`{name}` is not an IANA time zone such as Europe/Paris or UTC"))
}

/// One digest period of a subscriber.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub frequency: Frequency,
    /// The first local day of the period.
    pub first_day: NaiveDate,
    pub time_zone: Tz,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// The first instant of a local day.
fn day_start(day: NaiveDate, tz: Tz) -> DateTime<Utc> {
    let mut local = day.and_time(NaiveTime::MIN);
    // A gap is at most a few hours; step through it a quarter of an hour at a time.
    for _ in 0..(4 * 24) {
        match tz.from_local_datetime(&local) {
            LocalResult::Single(t) => return t.with_timezone(&Utc),
            LocalResult::Ambiguous(first, _) => return first.with_timezone(&Utc),
            LocalResult::None => local += chrono::Duration::minutes(15),
        }
    }
    // Unreachable with real zones: read the day as UTC rather than fail.
    Utc.from_utc_datetime(&day.and_time(NaiveTime::MIN))
}

fn week_monday(day: NaiveDate) -> NaiveDate {
    day - Days::new(u64::from(day.weekday().num_days_from_monday()))
}

impl Period {
    fn starting(frequency: Frequency, first_day: NaiveDate, time_zone: Tz) -> Self {
        let next_day = match frequency {
            Frequency::Daily => first_day + Days::new(1),
            Frequency::Weekly => first_day + Days::new(7),
        };
        Self {
            frequency,
            first_day,
            time_zone,
            start: day_start(first_day, time_zone),
            end: day_start(next_day, time_zone),
        }
    }

    /// The period that contains an instant.
    pub fn containing(at: DateTime<Utc>, time_zone: Tz, frequency: Frequency) -> Self {
        let local_day = at.with_timezone(&time_zone).date_naive();
        // Between midnight and the end of a gap, the local date is already the new day
        // but its first instant lies ahead: such an instant belongs to the day before.
        let mut day = match frequency {
            Frequency::Daily => local_day,
            Frequency::Weekly => week_monday(local_day),
        };
        let mut period = Self::starting(frequency, day, time_zone);
        if at < period.start {
            day = match frequency {
                Frequency::Daily => day - Days::new(1),
                Frequency::Weekly => day - Days::new(7),
            };
            period = Self::starting(frequency, day, time_zone);
        }
        period
    }

    /// The latest period that has ended by `at`.
    pub fn last_complete(at: DateTime<Utc>, time_zone: Tz, frequency: Frequency) -> Self {
        Self::containing(at, time_zone, frequency).previous()
    }

    pub fn previous(&self) -> Self {
        let back = match self.frequency {
            Frequency::Daily => Days::new(1),
            Frequency::Weekly => Days::new(7),
        };
        Self::starting(self.frequency, self.first_day - back, self.time_zone)
    }

    pub fn next(&self) -> Self {
        Self::containing(self.end, self.time_zone, self.frequency)
    }

    /// `2026-W48` for a week, `2026-11-30` for a day.
    pub fn label(&self) -> String {
        match self.frequency {
            Frequency::Daily => self.first_day.format("%Y-%m-%d").to_string(),
            Frequency::Weekly => {
                let w = self.first_day.iso_week();
                format!("{}-W{:02}", w.year(), w.week())
            }
        }
    }

    /// How the subject names the period: `week 48` or `30 November 2026`.
    pub fn title(&self) -> String {
        match self.frequency {
            Frequency::Daily => self.first_day.format("%-d %B %Y").to_string(),
            Frequency::Weekly => format!("week {}", self.first_day.iso_week().week()),
        }
    }

    /// Reads a label: `2026-W48` is a week, `2026-11-30` a day.
    pub fn parse(label: &str, time_zone: Tz) -> Result<Self, String> {
        let bad = || {
            format!(
                "`{label}` is not a period: use a week such as 2026-W48 or a day such as 2026-11-30"
            )
        };
        if let Some((year, week)) = label.split_once("-W") {
            let year: i32 = year.parse().map_err(|_| bad())?;
            let week: u32 = week.parse().map_err(|_| bad())?;
            let monday = NaiveDate::from_isoywd_opt(year, week, Weekday::Mon).ok_or_else(bad)?;
            return Ok(Self::starting(Frequency::Weekly, monday, time_zone));
        }
        let day = NaiveDate::parse_from_str(label, "%Y-%m-%d").map_err(|_| bad())?;
        Ok(Self::starting(Frequency::Daily, day, time_zone))
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn an_iso_week_in_paris_starts_on_monday_midnight_local() {
        let tz: Tz = "Europe/Paris".parse().unwrap();
        let p = Period::containing(utc("2026-11-26T12:00:00Z"), tz, Frequency::Weekly);
        assert_eq!(p.label(), "2026-W48");
        assert_eq!(p.start, utc("2026-11-22T23:00:00Z"));
        assert_eq!(p.end, utc("2026-11-29T23:00:00Z"));
        assert_eq!(p.title(), "week 48");
        // Sunday 23:30 UTC is already Monday in Paris: the next week.
        let q = Period::containing(utc("2026-11-29T23:30:00Z"), tz, Frequency::Weekly);
        assert_eq!(q.label(), "2026-W49");
        assert_eq!(q.previous(), p);
        assert_eq!(p.next(), q);
    }

    #[test]
    fn the_same_instant_falls_in_different_days_by_zone() {
        let at = utc("2026-11-30T03:00:00Z");
        let tokyo = Period::containing(at, "Asia/Tokyo".parse().unwrap(), Frequency::Daily);
        let mexico =
            Period::containing(at, "America/Mexico_City".parse().unwrap(), Frequency::Daily);
        assert_eq!(tokyo.label(), "2026-11-30");
        assert_eq!(mexico.label(), "2026-11-29");
        assert_eq!(mexico.end, utc("2026-11-30T06:00:00Z"));
    }

    #[test]
    fn days_and_weeks_across_daylight_saving_changes() {
        let paris: Tz = "Europe/Paris".parse().unwrap();
        let spring = Period::parse("2026-03-29", paris).unwrap();
        assert_eq!((spring.end - spring.start).num_hours(), 23);
        let autumn = Period::parse("2026-10-25", paris).unwrap();
        assert_eq!((autumn.end - autumn.start).num_hours(), 25);
        let week = Period::parse("2026-W13", paris).unwrap();
        assert_eq!((week.end - week.start).num_hours(), 167);
        let week = Period::parse("2026-W43", paris).unwrap();
        assert_eq!((week.end - week.start).num_hours(), 169);
        // Consecutive periods tile time with no hole and no overlap.
        let mut p = Period::parse("2026-W10", paris).unwrap();
        for _ in 0..40 {
            let n = p.next();
            assert_eq!(n.start, p.end);
            p = n;
        }
    }

    #[test]
    fn a_day_whose_midnight_does_not_exist_starts_after_the_gap() {
        // Santiago moves its clocks forward at midnight: 2026-09-06 00:00 does not exist.
        let santiago: Tz = "America/Santiago".parse().unwrap();
        let day = Period::parse("2026-09-06", santiago).unwrap();
        assert_eq!(day.start, utc("2026-09-06T04:00:00Z"));
        assert_eq!((day.end - day.start).num_hours(), 23);
        let before = Period::containing(utc("2026-09-06T03:59:00Z"), santiago, Frequency::Daily);
        assert_eq!(before.label(), "2026-09-05");
        assert_eq!(before.end, day.start);
    }

    #[test]
    fn the_last_complete_period_ends_before_now() {
        let tz: Tz = "UTC".parse().unwrap();
        let now = utc("2026-12-01T02:30:00Z");
        assert_eq!(
            Period::last_complete(now, tz, Frequency::Weekly).label(),
            "2026-W48"
        );
        assert_eq!(
            Period::last_complete(now, tz, Frequency::Daily).label(),
            "2026-11-30"
        );
        // ISO week-years: the last days of 2026 belong to 2026-W53.
        let p = Period::containing(utc("2027-01-01T10:00:00Z"), tz, Frequency::Weekly);
        assert_eq!(p.label(), "2026-W53");
    }

    #[test]
    fn labels_are_read_back_and_bad_ones_are_explained() {
        let tz: Tz = "UTC".parse().unwrap();
        for label in ["2026-W48", "2026-11-30", "2026-W01"] {
            assert_eq!(Period::parse(label, tz).unwrap().label(), label);
        }
        for bad in ["2026-W60", "2026-13-01", "week 48", ""] {
            assert!(
                Period::parse(bad, tz).unwrap_err().contains("2026-W48"),
                "{bad}"
            );
        }
        assert!(parse_time_zone("Mars/Olympus").is_err());
        assert!(parse_time_zone("Europe/Paris").is_ok());
        assert_eq!("weekly".parse::<Frequency>(), Ok(Frequency::Weekly));
    }
}
