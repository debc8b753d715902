//! Time as the rulebook reads it: an event's instant, its local date and time in the
//! rulebook's fixed-offset zone, calendar months and the windows (month, quarter, year) that
//! escalation and period rules count in.

use std::fmt;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use serde::{Deserialize, Serialize};

use crate::vocab::Period;

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
    /// Reads an event's `at`, exactly in one of these forms and nothing else:
    ///
    /// ```text
    /// at      = date [ sep time [ zone ] ]
    /// date    = YYYY "-" MM "-" DD        four-digit year, month 01–12, a day of that month
    /// sep     = "T" | " "                 exactly one: an upper-case T or one space
    /// time    = hh ":" mm [ ":" ss [ "." fraction ] ]
    ///                                     hour 00–23, minute 00–59, seconds 00–59,
    ///                                     fraction 1 to 9 digits (up to nanoseconds)
    /// zone    = "Z" | ( "+" | "-" ) hh ":" mm
    ///                                     offset minutes 00–59, at most 14:00 either way
    /// ```
    ///
    /// Every field has exactly the digits shown (ASCII digits only). A date alone is local
    /// midnight and takes no zone; a time without a zone is local time in `zone` (the
    /// rulebook's). Nothing may come before or after the value — no spaces, no line end — and
    /// `t` and `z` must be upper case. Anything else is an error saying what is wrong.
    ///
    /// ```
    /// use chrono::FixedOffset;
    /// use rulebook::Stamp;
    /// let zone = FixedOffset::east_opt(8 * 3600).unwrap();
    /// let shown = |at| Stamp::parse(at, zone).map(|s| s.to_string());
    /// assert_eq!(shown("2025-08-18 09:30").unwrap(), "2025-08-18T09:30:00+08:00");
    /// assert_eq!(shown("2025-08-18T01:30Z").unwrap(), "2025-08-18T09:30:00+08:00");
    /// assert_eq!(shown("2025-08-18").unwrap(), "2025-08-18");
    /// assert_eq!(
    ///     shown("2025-08-18T10:17:60").unwrap_err().to_string(),
    ///     "seconds 60 out of range (00–59)"
    /// );
    /// assert_eq!(
    ///     shown("2025-08-1810:00").unwrap_err().to_string(),
    ///     "the day must have 2 digits, not 4 (`1810`)"
    /// );
    /// ```
    pub fn parse(text: &str, zone: FixedOffset) -> Result<Stamp, TimestampError> {
        let read = Reader::new(text).read()?;
        let unrepresentable = || TimestampError::OutOfCalendar;
        let Some((time, offset)) = read.time else {
            return Stamp::from_date(read.date, zone).ok_or_else(unrepresentable);
        };
        let local = read.date.and_time(time);
        match offset {
            None => Stamp::from_local(local, zone, false),
            Some(seconds) => FixedOffset::east_opt(seconds)
                .and_then(|offset| local.and_local_timezone(offset).single())
                .and_then(|at| Stamp::from_instant(at, zone, false)),
        }
        .ok_or_else(unrepresentable)
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

/// Why an event's `at` is not in one of the forms [`Stamp::parse`] reads.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum TimestampError {
    /// The text is empty.
    #[error("it is empty")]
    Empty,
    /// White space (a space, a tab, a line end, …) before or after the value.
    #[error("space before or after the timestamp")]
    SurroundingSpace,
    /// A field has more or fewer digits than its form.
    #[error("the {field} must have {width} digits, not {found} (`{digits}`)")]
    Digits {
        /// The field: `year`, `month`, `day`, `hour`, `minute`, `seconds`, `offset hours`,
        /// `offset minutes`.
        field: &'static str,
        /// The digits it must have.
        width: usize,
        /// The digits it has.
        found: usize,
        /// The digits (the first 16, when there are more).
        digits: String,
    },
    /// Something else where a field or a separator was expected.
    #[error(
        "expected {expected}{}, found {}",
        if after.is_empty() { String::new() } else { format!(" after `{after}`") },
        describe(*found)
    )]
    Expected {
        /// What was expected.
        expected: &'static str,
        /// The text read up to there (ASCII digits and separators only).
        after: String,
        /// The character found instead, or `None` at the end of the text.
        found: Option<char>,
    },
    /// Two separators between the date and the time (`2025-08-18  09:30`, `TT`, `T `).
    #[error("more than one separator between the date and the time")]
    RepeatedSeparator,
    /// A lower-case `t` or `z`.
    #[error("lowercase `{letter}`: write `{}`", letter.to_ascii_uppercase())]
    Lowercase {
        /// The letter.
        letter: char,
    },
    /// A field outside its range (month 13, hour 24, seconds 60, …).
    #[error("{field} {value:02} out of range ({range})")]
    OutOfRange {
        /// The field: `month`, `day`, `hour`, `minute`, `seconds`, `offset minutes`.
        field: &'static str,
        /// Its value.
        value: u32,
        /// The values it may take.
        range: &'static str,
    },
    /// A day the month does not have (`2025-02-29`, `2025-09-31`).
    #[error("{year:04}-{month:02} has no day {day}")]
    NoSuchDay {
        /// The year.
        year: u32,
        /// The month.
        month: u32,
        /// The day.
        day: u32,
    },
    /// A fraction of more than 9 digits: finer than a nanosecond.
    #[error("the fraction has {digits} digits; it may have at most 9 (nanoseconds)")]
    FractionTooLong {
        /// The digits it has.
        digits: usize,
    },
    /// A fraction after the minutes (`09:30.5`).
    #[error("a fraction needs seconds (`09:30:00.5`)")]
    FractionWithoutSeconds,
    /// An offset beyond ±14:00, the widest any zone uses.
    #[error("offset {sign}{hours:02}:{minutes:02} is beyond ±14:00")]
    OffsetTooLarge {
        /// `+` or `-`.
        sign: char,
        /// Its hours.
        hours: u32,
        /// Its minutes.
        minutes: u32,
    },
    /// A zone after a date without a time (`2025-08-18Z`, `2025-08-18+08:00`).
    #[error("a date without a time takes no offset (`2025-08-18T00:00+08:00` has one)")]
    OffsetOnDate,
    /// A value the calendar cannot hold (not reached by four-digit years; kept so that the
    /// reader never has to assume it).
    #[error("the instant is outside the calendar")]
    OutOfCalendar,
}

/// A character found where something else was expected, in words that show what it is.
fn describe(found: Option<char>) -> String {
    match found {
        None => "the end".to_owned(),
        Some(' ') => "a space".to_owned(),
        Some('\t') => "a tab".to_owned(),
        Some('\n') => "a line feed".to_owned(),
        Some('\r') => "a carriage return".to_owned(),
        Some('\u{a0}') => "a no-break space (U+00A0)".to_owned(),
        Some('\u{3000}') => "an ideographic space (U+3000)".to_owned(),
        Some(c) if c.is_whitespace() => format!("a space (U+{:04X})", u32::from(c)),
        Some(c) if c.is_control() || (!c.is_ascii() && c.escape_debug().count() > 1) => {
            format!("U+{:04X}", u32::from(c))
        }
        Some(c) if c.is_ascii() => format!("`{c}`"),
        Some(c) => format!("`{c}` (U+{:04X})", u32::from(c)),
    }
}

/// What [`Reader::read`] found: a date, and a time with its offset in seconds if given.
struct Read {
    date: NaiveDate,
    time: Option<(NaiveTime, Option<i32>)>,
}

/// The strict reader of [`Stamp::parse`]: one pass over the bytes, no allocation unless
/// the text is wrong.
struct Reader<'a> {
    text: &'a str,
    at: usize,
}

/// A field: its name for messages, its digits, and the words for it when it is missing.
struct Field {
    name: &'static str,
    width: usize,
    missing: &'static str,
}

const YEAR: Field = Field {
    name: "year",
    width: 4,
    missing: "the year (4 digits)",
};
const MONTH: Field = Field {
    name: "month",
    width: 2,
    missing: "the month (2 digits)",
};
const DAY: Field = Field {
    name: "day",
    width: 2,
    missing: "the day (2 digits)",
};
const HOUR: Field = Field {
    name: "hour",
    width: 2,
    missing: "the hour (2 digits)",
};
const MINUTE: Field = Field {
    name: "minute",
    width: 2,
    missing: "the minute (2 digits)",
};
const SECONDS: Field = Field {
    name: "seconds",
    width: 2,
    missing: "the seconds (2 digits)",
};
const OFFSET_HOURS: Field = Field {
    name: "offset hours",
    width: 2,
    missing: "the offset hours (2 digits)",
};
const OFFSET_MINUTES: Field = Field {
    name: "offset minutes",
    width: 2,
    missing: "the offset minutes (2 digits)",
};

/// The widest offset any zone uses, in minutes.
const MAX_OFFSET_MINUTES: u32 = 14 * 60;

impl<'a> Reader<'a> {
    fn new(text: &'a str) -> Reader<'a> {
        Reader { text, at: 0 }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    /// The character at the reader (the reader only ever steps over ASCII, so it is on a
    /// character boundary).
    fn found(&self) -> Option<char> {
        self.text
            .get(self.at..)
            .and_then(|rest| rest.chars().next())
    }

    fn expected(&self, expected: &'static str) -> TimestampError {
        TimestampError::Expected {
            expected,
            after: self.text.get(..self.at).unwrap_or_default().to_owned(),
            found: self.found(),
        }
    }

    /// Steps over `byte`, or says that `expected` was expected.
    fn byte(&mut self, byte: u8, expected: &'static str) -> Result<(), TimestampError> {
        if self.peek() == Some(byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.expected(expected))
        }
    }

    /// The run of ASCII digits at the reader, stepped over.
    fn digits(&mut self) -> &'a str {
        let start = self.at;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
        self.text.get(start..self.at).unwrap_or_default()
    }

    /// A field of exactly `field.width` digits.
    fn field(&mut self, field: &Field) -> Result<u32, TimestampError> {
        let digits = self.digits();
        if digits.is_empty() {
            return Err(self.expected(field.missing));
        }
        if digits.len() != field.width {
            return Err(TimestampError::Digits {
                field: field.name,
                width: field.width,
                found: digits.len(),
                digits: match digits.get(..16) {
                    Some(start) if digits.len() > 16 => format!("{start}…"),
                    _ => digits.to_owned(),
                },
            });
        }
        Ok(digits.bytes().fold(0, |n, b| n * 10 + u32::from(b - b'0')))
    }

    fn read(mut self) -> Result<Read, TimestampError> {
        let text = self.text;
        if text.is_empty() {
            return Err(TimestampError::Empty);
        }
        if text.starts_with(char::is_whitespace) || text.ends_with(char::is_whitespace) {
            return Err(TimestampError::SurroundingSpace);
        }
        let year = self.field(&YEAR)?;
        self.byte(b'-', "`-`")?;
        let month = self.field(&MONTH)?;
        in_range("month", month, 1..=12, "01–12")?;
        self.byte(b'-', "`-`")?;
        let day = self.field(&DAY)?;
        in_range("day", day, 1..=31, "01–31")?;
        let date = i32::try_from(year)
            .ok()
            .and_then(|y| NaiveDate::from_ymd_opt(y, month, day))
            .ok_or(TimestampError::NoSuchDay { year, month, day })?;
        match self.peek() {
            None => return Ok(Read { date, time: None }),
            Some(b'T' | b' ') => self.at += 1,
            Some(b't') => return Err(TimestampError::Lowercase { letter: 't' }),
            Some(b'Z' | b'z' | b'+' | b'-') => return Err(TimestampError::OffsetOnDate),
            Some(_) => return Err(self.expected("`T` or one space")),
        }
        if self
            .found()
            .is_some_and(|c| matches!(c, 'T' | 't') || c.is_whitespace())
        {
            return Err(TimestampError::RepeatedSeparator);
        }
        let hour = self.field(&HOUR)?;
        in_range("hour", hour, 0..=23, "00–23")?;
        self.byte(b':', "`:`")?;
        let minute = self.field(&MINUTE)?;
        in_range("minute", minute, 0..=59, "00–59")?;
        let mut second = 0;
        let mut nanos = 0;
        let mut next = "`:`, `Z`, an offset such as `+08:00`, or the end";
        match self.peek() {
            Some(b':') => {
                self.at += 1;
                second = self.field(&SECONDS)?;
                in_range("seconds", second, 0..=59, "00–59")?;
                next = "`.`, `Z`, an offset such as `+08:00`, or the end";
                if self.peek() == Some(b'.') {
                    self.at += 1;
                    let fraction = self.digits();
                    if fraction.is_empty() {
                        return Err(self.expected("the fraction (1 to 9 digits)"));
                    }
                    if fraction.len() > 9 {
                        return Err(TimestampError::FractionTooLong {
                            digits: fraction.len(),
                        });
                    }
                    nanos = fraction
                        .bytes()
                        .chain(std::iter::repeat(b'0'))
                        .take(9)
                        .fold(0, |n, b| n * 10 + u32::from(b - b'0'));
                    next = "`Z`, an offset such as `+08:00`, or the end";
                }
            }
            Some(b'.') => return Err(TimestampError::FractionWithoutSeconds),
            _ => {}
        }
        let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)
            .ok_or(TimestampError::OutOfCalendar)?;
        let offset = match self.peek() {
            None => None,
            Some(b'Z') => {
                self.at += 1;
                Some(0)
            }
            Some(b'z') => return Err(TimestampError::Lowercase { letter: 'z' }),
            Some(sign @ (b'+' | b'-')) => {
                self.at += 1;
                let hours = self.field(&OFFSET_HOURS)?;
                self.byte(b':', "`:`")?;
                let minutes = self.field(&OFFSET_MINUTES)?;
                in_range("offset minutes", minutes, 0..=59, "00–59")?;
                let total = hours * 60 + minutes;
                if total > MAX_OFFSET_MINUTES {
                    return Err(TimestampError::OffsetTooLarge {
                        sign: char::from(sign),
                        hours,
                        minutes,
                    });
                }
                // At most 50,400 seconds: it fits.
                let seconds = (total * 60) as i32;
                Some(if sign == b'-' { -seconds } else { seconds })
            }
            Some(_) => return Err(self.expected(next)),
        };
        if self.at != text.len() {
            return Err(self.expected("the end"));
        }
        Ok(Read {
            date,
            time: Some((time, offset)),
        })
    }
}

/// `value` of `field`, if it lies in `range`.
fn in_range(
    field: &'static str,
    value: u32,
    range: std::ops::RangeInclusive<u32>,
    words: &'static str,
) -> Result<u32, TimestampError> {
    if range.contains(&value) {
        Ok(value)
    } else {
        Err(TimestampError::OutOfRange {
            field,
            value,
            range: words,
        })
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
            let stamp = Stamp::parse(text, zone()).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(stamp.to_string(), shown, "{text}");
        }
        for bad in [
            "",
            "yesterday",
            "2025-02-30",
            "2025-08-18T25:00",
            "2025-13-01",
        ] {
            assert!(Stamp::parse(bad, zone()).is_err(), "{bad}");
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
