//! Time as the rulebook reads it: an event's instant, its local date and time in the
//! rulebook's fixed-offset zone, calendar months and the windows (month, quarter, year) that
//! escalation and period rules count in.

use std::fmt;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use serde::{Deserialize, Serialize};

use crate::rulebook::Period;

/// A calendar month of the rulebook's zone, such as `2025-08`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct Month {
    year: i32,
    /// 1 to 12.
    month: u8,
}

impl Month {
    /// The month `year-month`, if `month` is 1 to 12 and the year is one chrono represents.
    pub fn new(year: i32, month: u32) -> Option<Month> {
        NaiveDate::from_ymd_opt(year, month, 1)?;
        Some(Month {
            year,
            month: u8::try_from(month).ok()?,
        })
    }

    /// The month a date falls in.
    pub fn of(date: NaiveDate) -> Month {
        Month {
            year: date.year(),
            month: date.month() as u8,
        }
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month of the year, 1 to 12.
    pub fn month(self) -> u32 {
        u32::from(self.month)
    }

    /// The first day of the month.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month(), 1).unwrap_or(NaiveDate::MIN)
    }

    /// The last day of the month.
    pub fn last_day(self) -> NaiveDate {
        self.next()
            .and_then(|next| next.first_day().pred_opt())
            .unwrap_or(NaiveDate::MAX)
    }

    /// The month after this one, if representable.
    pub fn next(self) -> Option<Month> {
        if self.month == 12 {
            Month::new(self.year.checked_add(1)?, 1)
        } else {
            Month::new(self.year, self.month() + 1)
        }
    }

    /// The window of `period` this month lies in.
    #[inline]
    pub(crate) fn window(self, period: Period) -> Window {
        let index = match period {
            Period::Month => u32::from(self.month) - 1,
            Period::Quarter => (u32::from(self.month) - 1) / 3,
            Period::Year => 0,
        };
        Window {
            year: self.year,
            index: index as u8,
        }
    }

    /// Whether this month is the last of its window of `period` (every month ends a month;
    /// March, June, September and December end quarters; December ends a year).
    pub(crate) fn ends(self, period: Period) -> bool {
        match period {
            Period::Month => true,
            Period::Quarter => self.month.is_multiple_of(3),
            Period::Year => self.month == 12,
        }
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl From<Month> for String {
    fn from(month: Month) -> String {
        month.to_string()
    }
}

impl TryFrom<String> for Month {
    type Error = String;

    fn try_from(text: String) -> Result<Month, String> {
        text.parse()
    }
}

impl std::str::FromStr for Month {
    type Err = String;

    fn from_str(text: &str) -> Result<Month, String> {
        let bad = || format!("`{text}` is not a month such as `2025-08`");
        let (year, month) = text.rsplit_once('-').ok_or_else(bad)?;
        Month::new(
            year.parse().map_err(|_| bad())?,
            month.parse().map_err(|_| bad())?,
        )
        .ok_or_else(bad)
    }
}

/// One month, quarter or year of one calendar year: what escalation counts and period rules
/// run in. Which period it is follows from the declaration that uses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub(crate) struct Window {
    year: i32,
    /// Month 0–11, quarter 0–3, or 0 for a year.
    index: u8,
}

impl Window {
    /// The window before this one in the same period.
    pub(crate) fn previous(self, period: Period) -> Option<Window> {
        let per_year = match period {
            Period::Month => 12,
            Period::Quarter => 4,
            Period::Year => 1,
        };
        Some(if self.index == 0 {
            Window {
                year: self.year.checked_sub(1)?,
                index: per_year - 1,
            }
        } else {
            Window {
                year: self.year,
                index: self.index - 1,
            }
        })
    }

    /// The window's name: `2025-08`, `2025-Q3` or `2025`.
    pub(crate) fn name(self, period: Period) -> String {
        match period {
            Period::Month => format!("{:04}-{:02}", self.year, self.index + 1),
            Period::Quarter => format!("{:04}-Q{}", self.year, self.index + 1),
            Period::Year => format!("{:04}", self.year),
        }
    }
}

/// When an event happened: its instant, and its local date and time in the rulebook's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    /// Seconds since the Unix epoch, and nanoseconds: the order of events.
    seconds: i64,
    nanos: u32,
    /// Local date and time in the rulebook's zone.
    local: NaiveDateTime,
    /// The rulebook zone's offset from UTC, in seconds.
    offset: i32,
    /// Whether the event gave a date without a time.
    date_only: bool,
}

impl Stamp {
    /// Reads an event's `at`: an RFC 3339 timestamp with an offset, a local date and time
    /// (`2025-08-18T09:30:00`, `2025-08-18 09:30`), or a date (`2025-08-18`, local midnight).
    /// Local values are in `zone`.
    pub fn parse(text: &str, zone: FixedOffset) -> Option<Stamp> {
        let text = text.trim();
        if let Ok(at) = DateTime::parse_from_rfc3339(text) {
            return Stamp::from_instant(at, zone, false);
        }
        const LOCAL: [&str; 4] = [
            "%Y-%m-%dT%H:%M:%S%.f",
            "%Y-%m-%d %H:%M:%S%.f",
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%d %H:%M",
        ];
        if let Some(local) = LOCAL
            .iter()
            .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
        {
            return Stamp::from_local(local, zone, false);
        }
        let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
        Stamp::from_local(date.and_time(NaiveTime::MIN), zone, true)
    }

    /// The stamp of an instant, seen in `zone`.
    pub fn from_instant(
        at: DateTime<FixedOffset>,
        zone: FixedOffset,
        date_only: bool,
    ) -> Option<Stamp> {
        let local = at.with_timezone(&zone).naive_local();
        Some(Stamp {
            seconds: at.timestamp(),
            nanos: at.timestamp_subsec_nanos(),
            local,
            offset: zone.local_minus_utc(),
            date_only,
        })
    }

    /// The stamp of a local date and time in `zone`.
    pub fn from_local(local: NaiveDateTime, zone: FixedOffset, date_only: bool) -> Option<Stamp> {
        let at = local.and_local_timezone(zone).single()?;
        Stamp::from_instant(at, zone, date_only)
    }

    /// The stamp of a date: local midnight in `zone`, shown as a date.
    pub fn from_date(date: NaiveDate, zone: FixedOffset) -> Option<Stamp> {
        Stamp::from_local(date.and_time(NaiveTime::MIN), zone, true)
    }

    /// The key events sort by: the instant.
    pub fn instant(&self) -> (i64, u32) {
        (self.seconds, self.nanos)
    }

    /// Whether the event gave a date without a time.
    pub fn is_date_only(&self) -> bool {
        self.date_only
    }

    /// The local date in the rulebook's zone.
    pub fn date(&self) -> NaiveDate {
        self.local.date()
    }

    /// The calendar month in the rulebook's zone.
    pub fn month(&self) -> Month {
        Month::of(self.local.date())
    }
}

impl fmt::Display for Stamp {
    /// `2025-08-18` for a date, else `2025-08-18T09:30:00+08:00` in the rulebook's zone.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.date_only {
            return write!(f, "{}", self.local.date().format("%Y-%m-%d"));
        }
        write!(f, "{}", self.local.format("%Y-%m-%dT%H:%M:%S"))?;
        if self.local.nanosecond() != 0 {
            write!(f, "{}", self.local.format("%.f"))?;
        }
        let sign = if self.offset < 0 { '-' } else { '+' };
        let offset = self.offset.unsigned_abs();
        write!(f, "{sign}{:02}:{:02}", offset / 3600, offset % 3600 / 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone() -> FixedOffset {
        FixedOffset::east_opt(8 * 3600).unwrap()
    }

    #[test]
    fn reads_every_form_of_at() {
        let cases = [
            ("2025-08-18T09:30:00+08:00", "2025-08-18T09:30:00+08:00"),
            ("2025-08-31T17:00:00Z", "2025-09-01T01:00:00+08:00"),
            ("2025-08-18T09:30:00", "2025-08-18T09:30:00+08:00"),
            ("2025-08-18 09:30", "2025-08-18T09:30:00+08:00"),
            ("2025-08-18", "2025-08-18"),
            (
                "2025-08-18T09:30:00.250+08:00",
                "2025-08-18T09:30:00.250+08:00",
            ),
        ];
        for (text, shown) in cases {
            let stamp = Stamp::parse(text, zone()).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(stamp.to_string(), shown, "{text}");
        }
        for bad in [
            "",
            "yesterday",
            "2025-02-30",
            "2025-08-18T25:00",
            "2025-13-01",
        ] {
            assert!(Stamp::parse(bad, zone()).is_none(), "{bad}");
        }
    }

    #[test]
    fn months_follow_the_rulebook_zone() {
        let stamp = Stamp::parse("2025-08-31T17:00:00Z", zone()).unwrap();
        assert_eq!(stamp.month().to_string(), "2025-09");
        let midnight = Stamp::parse("2025-08-18", zone()).unwrap();
        let explicit = Stamp::parse("2025-08-18T00:00:00", zone()).unwrap();
        assert_eq!(midnight.instant(), explicit.instant());
    }

    #[test]
    fn month_arithmetic() {
        let august = Month::new(2025, 8).unwrap();
        assert_eq!(august.last_day().to_string(), "2025-08-31");
        assert_eq!(
            Month::new(2024, 2).unwrap().last_day().to_string(),
            "2024-02-29"
        );
        assert_eq!(
            Month::new(2025, 12).unwrap().next().unwrap().to_string(),
            "2026-01"
        );
        assert!(august.ends(Period::Month));
        assert!(!august.ends(Period::Quarter));
        assert!(Month::new(2025, 9).unwrap().ends(Period::Quarter));
        assert_eq!(
            august.window(Period::Quarter).name(Period::Quarter),
            "2025-Q3"
        );
        assert_eq!("2025-08".parse::<Month>(), Ok(august));
    }
}
