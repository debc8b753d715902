//! An event's `at` is read exactly in the forms `docs/semantics.md` §1 documents, and nothing else:
//! a table of accepted forms (with how each is shown back), a table of rejected ones (with the
//! reason given), and two proptests — every valid generated stamp is accepted and shown back
//! as an independent computation says, and every near miss of one is rejected with a reason
//! that names the forms expected.

use std::sync::Arc;

use chrono::{FixedOffset, NaiveDate, NaiveDateTime, TimeDelta};
use proptest::prelude::*;
use rulebook::{Evaluator, Event, Rejection, Rulebook, Stamp};

fn bundled() -> Arc<Rulebook> {
    Arc::new(Rulebook::parse("c-tower.rules", include_str!("../rules/en/c-tower.rules")).unwrap())
}

/// The bundled rulebook's zone.
fn zone() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).unwrap()
}

/// What the evaluator says about `at` on an otherwise good line.
fn judge(evaluator: &mut Evaluator, at: &str) -> Result<(), Rejection> {
    evaluator
        .prepare(Some(1), &Event::new(at, "E1", "messy desk"))
        .map(drop)
}

/// The part of every timestamp rejection that names the accepted forms.
const FORMS: &str = "; write a date such as \"2025-08-18\", a local time such as";

#[test]
fn each_documented_form_is_accepted_and_shown_back() {
    let cases = [
        ("2025-08-18", "2025-08-18"),
        ("2025-08-18T09:30", "2025-08-18T09:30:00+08:00"),
        ("2025-08-18 09:30", "2025-08-18T09:30:00+08:00"),
        ("2025-08-18T09:30:05", "2025-08-18T09:30:05+08:00"),
        ("2025-08-18 09:30:05", "2025-08-18T09:30:05+08:00"),
        ("2025-08-18T09:30:05.5", "2025-08-18T09:30:05.500+08:00"),
        (
            "2025-08-18T09:30:05.123456789",
            "2025-08-18T09:30:05.123456789+08:00",
        ),
        ("2025-08-18T09:30:05+08:00", "2025-08-18T09:30:05+08:00"),
        ("2025-08-18 09:30:05+08:00", "2025-08-18T09:30:05+08:00"),
        ("2025-08-18T09:30+08:00", "2025-08-18T09:30:00+08:00"),
        ("2025-08-18T01:30:00Z", "2025-08-18T09:30:00+08:00"),
        ("2025-08-18T01:30Z", "2025-08-18T09:30:00+08:00"),
        ("2025-08-18T01:30:00-00:00", "2025-08-18T09:30:00+08:00"),
        ("2025-08-18T23:30:00+14:00", "2025-08-18T17:30:00+08:00"),
        ("2025-08-18T00:00:00-14:00", "2025-08-18T22:00:00+08:00"),
        (
            "2025-08-18T09:30:00.250+05:45",
            "2025-08-18T11:45:00.250+08:00",
        ),
        ("2025-08-31T17:00:00Z", "2025-09-01T01:00:00+08:00"),
        ("2028-02-29T23:59:59", "2028-02-29T23:59:59+08:00"),
    ];
    let mut evaluator = Evaluator::new(bundled());
    for (at, shown) in cases {
        let stamp = Stamp::parse(at, zone()).expect(at);
        assert_eq!(stamp.to_string(), shown, "{at}");
        assert_eq!(judge(&mut evaluator, at), Ok(()), "{at}");
    }
}

#[test]
fn everything_else_is_rejected_with_what_is_wrong() {
    // (at, a part of the reason that says what is wrong)
    let cases = [
        // The separator between date and time: one `T` or one space, nothing else.
        (
            "2025-08-1810:00",
            "the day must have 2 digits, not 4 (`1810`)",
        ),
        ("2025-08-18  10:00", "more than one"),
        ("2025-08-18TT10:00", "more than one"),
        ("2025-08-18T 10:00", "more than one"),
        ("2025-08-18\t10:00", "a tab"),
        ("2025-08-18\u{a0}10:00", "U+00A0"),
        ("2025-08-18\u{3000}10:00", "U+3000"),
        ("2025-08-18t10:00", "lowercase `t`"),
        // Every field has its number of digits.
        ("2025-8-18", "the month must have 2 digits, not 1"),
        ("2025-08-8", "the day must have 2 digits, not 1"),
        ("25-08-18", "the year must have 4 digits, not 2"),
        ("02025-08-18", "the year must have 4 digits, not 5"),
        ("2025-08-18T1:05", "the hour must have 2 digits, not 1"),
        ("2025-08-18T01:5", "the minute must have 2 digits, not 1"),
        (
            "2025-08-18T10:00:5",
            "the seconds must have 2 digits, not 1",
        ),
        (
            "2025-08-18T10:00:005",
            "the seconds must have 2 digits, not 3",
        ),
        ("2025-08-18T10", "expected `:`"),
        // Every field in its range.
        ("2025-08-18T10:17:60", "seconds 60 out of range (00–59)"),
        ("2025-08-18T10:60", "minute 60 out of range (00–59)"),
        ("2025-08-18T24:00", "hour 24 out of range (00–23)"),
        ("2025-13-01", "month 13 out of range (01–12)"),
        ("2025-00-01", "month 00 out of range (01–12)"),
        ("2025-08-32", "day 32 out of range (01–31)"),
        ("2025-02-29", "2025-02 has no day 29"),
        ("2025-09-31", "2025-09 has no day 31"),
        (
            "2025-08-18T",
            "expected the hour (2 digits) after `2025-08-18T`, found the end",
        ),
        (
            "2025-08-18T1005",
            "the hour must have 2 digits, not 4 (`1005`)",
        ),
        // The fraction: up to nanoseconds, after seconds.
        ("2025-08-18T10:00:00.1234567891", "at most 9"),
        (
            "2025-08-18T10:00:00.",
            "expected the fraction (1 to 9 digits)",
        ),
        ("2025-08-18T10:00.5", "a fraction needs seconds"),
        ("2025-08-18T10:00:00,5", "found `,`"),
        // The offset: `Z` or ±HH:MM, up to 14:00, and only after a time.
        (
            "2025-08-18T10:00:00+23:59",
            "offset +23:59 is beyond ±14:00",
        ),
        (
            "2025-08-18T10:00:00-14:01",
            "offset -14:01 is beyond ±14:00",
        ),
        (
            "2025-08-18T10:00:00+08:60",
            "offset minutes 60 out of range (00–59)",
        ),
        (
            "2025-08-18T10:00:00+0800",
            "the offset hours must have 2 digits, not 4 (`0800`)",
        ),
        (
            "2025-08-18T10:00:00+8:00",
            "the offset hours must have 2 digits, not 1",
        ),
        ("2025-08-18T10:00:00z", "lowercase `z`"),
        ("2025-08-18T10:00:00ZZ", "expected the end"),
        ("2025-08-18T10:00:00 +08:00", "found a space"),
        ("2025-08-18+08:00", "a date without a time takes no offset"),
        ("2025-08-18Z", "a date without a time takes no offset"),
        // Nothing around the value.
        (" 2025-08-18", "space before or after"),
        ("2025-08-18 ", "space before or after"),
        ("2025-08-18\n", "space before or after"),
        ("", "it is empty"),
        ("yesterday", "expected the year (4 digits), found `y`"),
        ("２０２５-08-18", "found `２` (U+FF12)"),
        ("+262143-01-01T00:00:00Z", "found `+`"),
    ];
    let mut evaluator = Evaluator::new(bundled());
    let mut wrong = Vec::new();
    for (at, problem) in cases {
        match judge(&mut evaluator, at) {
            Err(rejection @ Rejection::BadTimestamp { .. }) => {
                let text = rejection.to_string();
                if !(text.contains(problem) && text.contains(FORMS)) {
                    wrong.push(format!("{at:?}: {text}"));
                }
            }
            other => wrong.push(format!(
                "{at:?} was not rejected as a bad timestamp: {other:?}"
            )),
        }
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

#[test]
fn a_timestamp_is_quoted_back_with_its_control_characters_escaped() {
    let mut evaluator = Evaluator::new(bundled());
    let rejection = judge(&mut evaluator, "2025-08-18\u{9b}31m").unwrap_err();
    let text = rejection.to_string();
    assert!(!text.contains('\u{9b}'), "{text:?}");
    assert!(text.contains(r"\u{9b}"), "{text:?}");
}

// ── Generated stamps ────────────────────────────────────────────────────────────────────

/// One token of a generated timestamp: a field of digits or a separator.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    Digits(&'static str, String),
    Separator(&'static str, String),
}

impl Token {
    fn text(&self) -> &str {
        match self {
            Token::Digits(_, text) | Token::Separator(_, text) => text,
        }
    }
}

/// A valid timestamp, as its parts.
#[derive(Debug, Clone)]
struct Parts {
    date: NaiveDate,
    time: Option<Time>,
}

/// The time of a valid timestamp.
#[derive(Debug, Clone)]
struct Time {
    /// `T` or a space.
    separator: char,
    hour: u32,
    minute: u32,
    /// Seconds and the digits of their fraction (none for no fraction).
    seconds: Option<(u32, String)>,
    zone: Zone,
}

#[derive(Debug, Clone)]
enum Zone {
    Local,
    Z,
    /// An offset in minutes.
    Offset(i32),
}

impl Parts {
    fn tokens(&self) -> Vec<Token> {
        let date = self.date.format("%Y-%m-%d").to_string();
        let mut tokens = vec![
            Token::Digits("year", date[0..4].to_owned()),
            Token::Separator("-", "-".to_owned()),
            Token::Digits("month", date[5..7].to_owned()),
            Token::Separator("-", "-".to_owned()),
            Token::Digits("day", date[8..10].to_owned()),
        ];
        if let Some(time) = &self.time {
            tokens.push(Token::Separator("date-time", time.separator.to_string()));
            tokens.push(Token::Digits("hour", format!("{:02}", time.hour)));
            tokens.push(Token::Separator(":", ":".to_owned()));
            tokens.push(Token::Digits("minute", format!("{:02}", time.minute)));
            if let Some((second, fraction)) = &time.seconds {
                tokens.push(Token::Separator(":", ":".to_owned()));
                tokens.push(Token::Digits("seconds", format!("{second:02}")));
                if !fraction.is_empty() {
                    tokens.push(Token::Separator(".", ".".to_owned()));
                    tokens.push(Token::Digits("fraction", fraction.clone()));
                }
            }
            match time.zone {
                Zone::Local => {}
                Zone::Z => tokens.push(Token::Separator("Z", "Z".to_owned())),
                Zone::Offset(minutes) => {
                    let sign = if minutes < 0 { "-" } else { "+" };
                    let m = minutes.unsigned_abs();
                    tokens.push(Token::Separator("sign", sign.to_owned()));
                    tokens.push(Token::Digits("offset hours", format!("{:02}", m / 60)));
                    tokens.push(Token::Separator(":", ":".to_owned()));
                    tokens.push(Token::Digits("offset minutes", format!("{:02}", m % 60)));
                }
            }
        }
        tokens
    }

    fn text(&self) -> String {
        self.tokens().iter().map(Token::text).collect()
    }

    /// How the stamp is shown in +08:00, computed with chrono from the parts.
    fn shown(&self) -> String {
        let Some(time) = &self.time else {
            return self.date.format("%Y-%m-%d").to_string();
        };
        let (second, fraction) = time.seconds.clone().unwrap_or((0, String::new()));
        let nanos = if fraction.is_empty() {
            0
        } else {
            format!("{fraction:0<9}").parse::<u32>().unwrap()
        };
        let local: NaiveDateTime = self
            .date
            .and_hms_nano_opt(time.hour, time.minute, second, nanos)
            .unwrap();
        let offset_minutes = match time.zone {
            Zone::Local => 8 * 60,
            Zone::Z => 0,
            Zone::Offset(m) => m,
        };
        let in_zone = local + TimeDelta::minutes(i64::from(8 * 60 - offset_minutes));
        let mut shown = in_zone.format("%Y-%m-%dT%H:%M:%S").to_string();
        if nanos != 0 {
            shown.push_str(&in_zone.format("%.f").to_string());
        }
        shown.push_str("+08:00");
        shown
    }
}

/// Valid stamps; `years` bounds the year.
fn parts(years: std::ops::RangeInclusive<i32>) -> impl Strategy<Value = Parts> {
    let date = (years, 1u32..=12, 1u32..=31)
        .prop_filter_map("a day of the calendar", |(y, m, d)| {
            NaiveDate::from_ymd_opt(y, m, d)
        });
    let seconds = prop::option::of((0u32..=59, "[0-9]{0,9}"));
    let zone = prop_oneof![
        Just(Zone::Local),
        Just(Zone::Z),
        (-14i32 * 60..=14 * 60).prop_map(Zone::Offset),
    ];
    let time = prop::option::of(
        (
            prop_oneof![Just('T'), Just(' ')],
            0u32..=23,
            0u32..=59,
            seconds,
            zone,
        )
            .prop_map(|(separator, hour, minute, seconds, zone)| Time {
                separator,
                hour,
                minute,
                seconds,
                zone,
            }),
    );
    (date, time).prop_map(|(date, time)| Parts { date, time })
}

/// A way to spoil a valid stamp.
#[derive(Debug, Clone)]
enum Miss {
    /// A field one digit short.
    Short(prop::sample::Index),
    /// A field one digit long (a fraction: 10 digits).
    Long(prop::sample::Index),
    /// A separator doubled.
    Doubled(prop::sample::Index),
    /// A separator left out.
    Missing(prop::sample::Index),
    /// A separator replaced by a tab, a no-break space or an ideographic space.
    Replaced(prop::sample::Index, char),
    /// Seconds 60.
    SecondsSixty,
    /// An offset past 14:00.
    FarOffset(bool, u32),
    /// A character around the value.
    Around(bool, char),
    /// `t` or `z` in lower case.
    Lowercase,
}

fn miss() -> impl Strategy<Value = Miss> {
    let blank = prop_oneof![Just('\t'), Just('\u{a0}'), Just('\u{3000}')];
    prop_oneof![
        any::<prop::sample::Index>().prop_map(Miss::Short),
        any::<prop::sample::Index>().prop_map(Miss::Long),
        any::<prop::sample::Index>().prop_map(Miss::Doubled),
        any::<prop::sample::Index>().prop_map(Miss::Missing),
        (any::<prop::sample::Index>(), blank).prop_map(|(i, c)| Miss::Replaced(i, c)),
        Just(Miss::SecondsSixty),
        (any::<bool>(), 14 * 60 + 1..=23 * 60 + 59u32).prop_map(|(n, m)| Miss::FarOffset(n, m)),
        (
            any::<bool>(),
            prop_oneof![
                Just(' '),
                Just('\t'),
                Just('\n'),
                Just('\r'),
                Just('\u{a0}')
            ]
        )
            .prop_map(|(before, c)| Miss::Around(before, c)),
        Just(Miss::Lowercase),
    ]
}

/// `parts` spoiled by `miss`, or `None` when the miss does not apply to these parts.
fn spoil(parts: &Parts, miss: &Miss) -> Option<String> {
    let mut tokens = parts.tokens();
    let fields: Vec<usize> = (0..tokens.len())
        .filter(|i| matches!(tokens[*i], Token::Digits(..)))
        .collect();
    // `Z` left out is a valid local time; everything else left out is a near miss.
    let separators: Vec<usize> = (0..tokens.len())
        .filter(|i| matches!(tokens[*i], Token::Separator(..)))
        .collect();
    match miss {
        Miss::Short(i) => {
            let Token::Digits(name, text) = &mut tokens[*i.get(&fields)] else {
                unreachable!()
            };
            if *name == "fraction" {
                text.clear();
            } else {
                text.remove(0);
            }
        }
        Miss::Long(i) => {
            let Token::Digits(name, text) = &mut tokens[*i.get(&fields)] else {
                unreachable!()
            };
            if *name == "fraction" {
                *text = format!("{text:0<10}");
            } else {
                text.insert(0, '0');
            }
        }
        Miss::Doubled(i) => {
            let Token::Separator(_, text) = &mut tokens[*i.get(&separators)] else {
                unreachable!()
            };
            *text = text.repeat(2);
        }
        Miss::Missing(i) => {
            let Token::Separator(name, text) = &mut tokens[*i.get(&separators)] else {
                unreachable!()
            };
            if *name == "Z" {
                return None;
            }
            text.clear();
        }
        Miss::Replaced(i, blank) => {
            let Token::Separator(_, text) = &mut tokens[*i.get(&separators)] else {
                unreachable!()
            };
            *text = blank.to_string();
        }
        Miss::SecondsSixty => {
            let seconds = tokens
                .iter_mut()
                .find(|t| matches!(t, Token::Digits("seconds", _)))?;
            *seconds = Token::Digits("seconds", "60".to_owned());
        }
        Miss::FarOffset(negative, minutes) => {
            parts.time.as_ref()?;
            let at = tokens
                .iter()
                .position(|t| matches!(t, Token::Separator("sign" | "Z", _)))
                .unwrap_or(tokens.len());
            tokens.truncate(at);
            let sign = if *negative { "-" } else { "+" };
            tokens.push(Token::Separator(
                "sign",
                format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60),
            ));
        }
        Miss::Around(before, c) => {
            let token = Token::Separator("around", c.to_string());
            if *before {
                tokens.insert(0, token);
            } else {
                tokens.push(token);
            }
        }
        Miss::Lowercase => {
            let letter = tokens.iter_mut().find(|t| {
                matches!(
                    t,
                    Token::Separator("Z", _) | Token::Separator("date-time", _)
                ) && t.text() != " "
            })?;
            let Token::Separator(name, text) = letter else {
                unreachable!()
            };
            *letter = Token::Separator(name, text.to_lowercase());
        }
    }
    Some(tokens.iter().map(Token::text).collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Every valid stamp (years 0001–9998, so that it still has four digits in +08:00) is read and shown back as chrono computes
    /// it from the parts; showing it and reading that again gives the same instant.
    #[test]
    fn every_valid_stamp_is_accepted_and_shown_back(parts in parts(1..=9998)) {
        let text = parts.text();
        let stamp = Stamp::parse(&text, zone()).expect(&text);
        prop_assert_eq!(stamp.to_string(), parts.shown(), "{:?}", text);
        let again = Stamp::parse(&stamp.to_string(), zone()).expect(&text);
        prop_assert_eq!(again.instant(), stamp.instant());
    }

    /// Every near miss of a valid stamp in force is rejected as a bad timestamp, with the
    /// forms expected, and for seconds 60 and far offsets with what is wrong.
    #[test]
    fn every_near_miss_is_rejected(parts in parts(2026..=2124), miss in miss()) {
        let mut evaluator = Evaluator::new(bundled());
        prop_assert_eq!(judge(&mut evaluator, &parts.text()), Ok(()), "{:?}", parts.text());
        let Some(spoiled) = spoil(&parts, &miss) else {
            return Ok(());
        };
        match judge(&mut evaluator, &spoiled) {
            Err(rejection @ Rejection::BadTimestamp { .. }) => {
                let text = rejection.to_string();
                prop_assert!(text.contains(FORMS), "{}", text);
                match miss {
                    Miss::SecondsSixty => prop_assert!(text.contains("seconds 60 out of range"), "{}", text),
                    Miss::FarOffset(..) => prop_assert!(text.contains("is beyond ±14:00"), "{}", text),
                    _ => {}
                }
            }
            other => prop_assert!(false, "{:?} ({:?}) was not rejected: {:?}", spoiled, miss, other),
        }
    }
}
