//! Event input from other systems, wrong in every way: each bad line is rejected with its line
//! number and the reason, the lines after it are still judged, and every line read is
//! accounted for as applied, ignored, rejected or skipped.

use std::io::{BufRead, BufReader, Read};
use std::sync::Arc;

use rulebook::limits::MAX_EVENT_LINE_BYTES;
use rulebook::{Applied, Evaluator, Ledger, LineContent, Rejection, Rulebook, read_events};

fn bundled() -> Arc<Rulebook> {
    Arc::new(Rulebook::parse("c-tower.rules", include_str!("../rules/en/c-tower.rules")).unwrap())
}

/// What became of one line.
#[derive(Debug, PartialEq)]
enum Fate {
    Skipped,
    Posted,
    Ignored,
    Rejected(Rejection),
}

/// How many lines met each fate.
#[derive(Debug, Default, PartialEq)]
struct Tally {
    read: u64,
    skipped: u64,
    posted: u64,
    ignored: u64,
    rejected: u64,
}

/// Reads and judges every line of `input` as `rulebook eval --stream` does, calling `each`
/// with each line's number and fate; the ledger is checked against the fates at the end.
fn judge(input: impl BufRead, mut each: impl FnMut(u64, Fate)) -> Tally {
    let rulebook = bundled();
    let mut evaluator = Evaluator::new(Arc::clone(&rulebook));
    let mut ledger = Ledger::totals_only(rulebook);
    let mut tally = Tally::default();
    for line in read_events(input) {
        let line = line.expect("reading from memory does not fail");
        tally.read += 1;
        assert_eq!(
            line.number, tally.read,
            "lines are numbered from 1, none left out"
        );
        let fate = match line.content {
            LineContent::Skipped => Fate::Skipped,
            LineContent::Event(event) => match event
                .and_then(|e| evaluator.prepare(Some(line.number), &e))
                .and_then(|e| evaluator.apply_prepared(&e, &mut ledger))
            {
                Ok(Applied::Posted) => Fate::Posted,
                Ok(Applied::Ignored) => Fate::Ignored,
                Err(rejection) => {
                    ledger.reject(line.number, rejection.clone());
                    Fate::Rejected(rejection)
                }
            },
        };
        match fate {
            Fate::Skipped => tally.skipped += 1,
            Fate::Posted => tally.posted += 1,
            Fate::Ignored => tally.ignored += 1,
            Fate::Rejected(_) => tally.rejected += 1,
        }
        each(line.number, fate);
    }
    assert_eq!(
        tally.skipped + tally.posted + tally.ignored + tally.rejected,
        tally.read
    );
    assert_eq!(ledger.rejected_count() as u64, tally.rejected);
    tally
}

fn fates(input: &[u8]) -> Vec<Fate> {
    let mut fates = Vec::new();
    judge(input, |_, fate| fates.push(fate));
    fates
}

const GOOD: &str = r#"{"at": "2025-08-18T09:00:00", "who": "E1", "event": "messy desk"}"#;

/// `bad`, then a good line: the bad one is rejected and the good one still posts.
fn rejected_then_good(bad: &[u8]) -> Rejection {
    let mut input = bad.to_vec();
    input.push(b'\n');
    input.extend_from_slice(GOOD.as_bytes());
    match fates(&input).as_slice() {
        [Fate::Rejected(rejection), Fate::Posted] => rejection.clone(),
        other => panic!("{:?}: {other:?}", String::from_utf8_lossy(bad)),
    }
}

#[test]
fn invalid_utf8_and_nul_bytes_are_rejected() {
    assert_eq!(
        rejected_then_good(b"{\"at\": \"2025-08-18\xff\"}"),
        Rejection::NotUtf8
    );
    assert_eq!(rejected_then_good(b"\xc3"), Rejection::NotUtf8);
    assert!(matches!(
        rejected_then_good(b"\0\0\0"),
        Rejection::NotJson { .. }
    ));
    assert!(matches!(
        rejected_then_good(
            b"{\"at\": \"2025-08-18\", \"who\": \"E1\0\", \"event\": \"messy desk\"}"
        ),
        Rejection::NotJson { .. }
    ));
    // An escaped NUL is valid JSON, but a staff id holds no control character.
    assert!(matches!(
        rejected_then_good(br#"{"at": "2025-08-18", "who": "E\u0000", "event": "messy desk"}"#),
        Rejection::BadStaffId { .. }
    ));
}

#[test]
fn a_line_longer_than_the_limit_is_rejected_and_the_next_line_judged() {
    let mut input = GOOD.as_bytes().to_vec();
    input.push(b'\n');
    let long = format!(
        r#"{{"at": "2025-08-18", "who": "E1", "event": "messy desk", "note": "{}"}}"#,
        "x".repeat(MAX_EVENT_LINE_BYTES)
    );
    input.extend_from_slice(long.as_bytes());
    input.push(b'\n');
    input.extend_from_slice(GOOD.as_bytes());
    match fates(&input).as_slice() {
        [
            Fate::Posted,
            Fate::Rejected(Rejection::LineTooLong { bytes, limit }),
            Fate::Posted,
        ] => {
            assert_eq!(*bytes, long.len() as u64 + 1);
            assert_eq!(*limit, MAX_EVENT_LINE_BYTES);
        }
        other => panic!("{other:?}"),
    }
    // Exactly at the limit (its newline included) a line is read.
    let padded = format!(
        r#"{{"at": "2025-08-18", "who": "E1", "event": "messy desk", "note": "{}"}}"#,
        "x".repeat(MAX_EVENT_LINE_BYTES - 69)
    );
    assert_eq!(padded.len() + 1, MAX_EVENT_LINE_BYTES);
    assert_eq!(fates(format!("{padded}\n").as_bytes()), [Fate::Posted]);
}

/// A reader of `len` bytes of `byte`, then `tail`, made as it is read.
struct Endless {
    left: u64,
    byte: u8,
    tail: std::io::Cursor<Vec<u8>>,
}

impl Read for Endless {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            return self.tail.read(buf);
        }
        let n = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        buf[..n].fill(self.byte);
        self.left -= n as u64;
        Ok(n)
    }
}

#[test]
fn a_line_of_a_gigabyte_is_rejected_without_being_held() {
    let input = Endless {
        left: 1 << 30,
        byte: b'[',
        tail: std::io::Cursor::new(format!("\n{GOOD}\n").into_bytes()),
    };
    let mut seen = Vec::new();
    judge(BufReader::with_capacity(1 << 16, input), |n, fate| {
        seen.push((n, fate))
    });
    match seen.as_slice() {
        [
            (1, Fate::Rejected(Rejection::LineTooLong { bytes, .. })),
            (2, Fate::Posted),
        ] => {
            assert_eq!(*bytes, (1 << 30) + 1);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn deeply_nested_json_is_rejected_without_overflowing_the_stack() {
    let deep = |open: &str, close: &str, n: usize| format!("{}{}", open.repeat(n), close.repeat(n));
    for line in [
        deep("[", "]", 100_000),
        deep("{\"a\":", "}", 100_000),
        format!(
            r#"{{"at": "2025-08-18", "who": {}, "event": "messy desk"}}"#,
            deep("[", "]", 10_000)
        ),
    ] {
        let rejection = rejected_then_good(line.as_bytes());
        assert!(
            matches!(
                rejection,
                Rejection::NotJson { .. }
                    | Rejection::NotAnObject
                    | Rejection::IllTypedField { .. }
            ),
            "{rejection:?}"
        );
    }
    // Deep nesting in an attribute no rule reads is valid JSON, stepped over without
    // recursion: the event posts.
    for depth in [100, 100_000] {
        let line = format!(
            r#"{{"at": "2025-08-18", "who": "E1", "event": "messy desk", "x": {}}}"#,
            deep("[", "]", depth)
        );
        assert_eq!(fates(line.as_bytes()), [Fate::Posted]);
    }
    // Where a rule reads it, it is the wrong type.
    let rings = format!(
        r#"{{"at": "2025-08-18", "who": "E1", "event": "phone unanswered", "rings": {}}}"#,
        deep("[", "]", 100_000)
    );
    assert!(matches!(
        rejected_then_good(rings.as_bytes()),
        Rejection::IllTypedAttribute { .. }
    ));
}

#[test]
fn numbers_of_four_hundred_digits_are_exact_or_rejected() {
    let digits = "9".repeat(400);
    // Where a rule reads the number, it is too large for it: rejected, with the attribute.
    let rings = format!(
        r#"{{"at": "2025-08-18", "who": "E1", "event": "phone unanswered", "rings": {digits}}}"#
    );
    let rejection = rejected_then_good(rings.as_bytes());
    assert!(rejection.to_string().contains("rings"), "{rejection}");
    let amount = format!(
        r#"{{"at": "2025-08-18", "who": "E1", "event": "adopted suggestion", "amount": {digits}}}"#
    );
    assert!(matches!(
        rejected_then_good(amount.as_bytes()),
        Rejection::AmountOutOfRange { .. } | Rejection::IllTypedAttribute { .. }
    ));
    let tiny = format!(
        r#"{{"at": "2025-08-18", "who": "E1", "event": "adopted suggestion", "amount": 0.{}1}}"#,
        "0".repeat(400)
    );
    assert!(matches!(
        rejected_then_good(tiny.as_bytes()),
        Rejection::AmountOutOfRange { .. }
            | Rejection::AmountNotExact { .. }
            | Rejection::IllTypedAttribute { .. }
    ));
    // Where no rule reads it, it is carried and ignored.
    let unread = format!(
        r#"{{"at": "2025-08-18", "who": "E1", "event": "messy desk", "note": -{digits}e999999}}"#
    );
    assert_eq!(fates(unread.as_bytes()), [Fate::Posted]);
}

#[test]
fn duplicate_keys_and_bad_who_are_rejected() {
    assert_eq!(
        rejected_then_good(
            br#"{"at": "2025-08-18", "who": "E1", "who": "E2", "event": "messy desk"}"#
        ),
        Rejection::DuplicateField {
            field: "who".to_owned()
        }
    );
    assert_eq!(
        rejected_then_good(br#"{"at": "2025-08-18", "who": "E1", "event": "phone unanswered", "rings": 5, "rings": 1}"#),
        Rejection::DuplicateField { field: "rings".to_owned() }
    );
    for who in [r#""""#, "[]", r#"["E1", ""]"#] {
        let line = format!(r#"{{"at": "2025-08-18", "who": {who}, "event": "passing the buck"}}"#);
        assert_eq!(
            rejected_then_good(line.as_bytes()),
            Rejection::EmptyPerson,
            "{who}"
        );
    }
    assert_eq!(
        rejected_then_good(
            br#"{"at": "2025-08-18", "who": ["E1", "E2", "E1"], "event": "passing the buck"}"#
        ),
        Rejection::DuplicatePerson {
            who: "E1".to_owned()
        }
    );
    for who in ["null", "5", "true", r#"{"id": "E1"}"#, r#"["E1", 2]"#] {
        let line = format!(r#"{{"at": "2025-08-18", "who": {who}, "event": "messy desk"}}"#);
        assert!(
            matches!(
                rejected_then_good(line.as_bytes()),
                Rejection::IllTypedField { field: "who", .. }
            ),
            "{who}"
        );
    }
}

#[test]
fn timestamps_out_of_range_are_rejected() {
    for at in [
        "99999-08-18",
        "+262143-01-01T00:00:00Z",
        "-0001-01-01",
        "2025-13-01",
        "2025-02-30",
        "2025-08-18T24:00:01",
        "2025-08-18T09:00:00+25:00",
        "",
        "\u{0}",
    ] {
        let at_json = serde_json::to_string(at).unwrap();
        let line = format!(r#"{{"at": {at_json}, "who": "E1", "event": "messy desk"}}"#);
        assert!(
            matches!(
                rejected_then_good(line.as_bytes()),
                Rejection::BadTimestamp { .. } | Rejection::NotInForce { .. }
            ),
            "{at}"
        );
    }
}

/// Ten million lines, made as they are read: every kind of line in turn.
struct TenMillion {
    next: u64,
    pending: Vec<u8>,
    at: usize,
}

const LINES: u64 = 10_000_000;
/// The lines, in turn; `{t}` is a time that only grows for each person, `{n}` the person.
const KINDS_OF_LINE: [&str; 10] = [
    r#"{"at": "2025-08-18T{t}", "who": "E{n}", "event": "messy desk"}"#,
    r#"{"at": "2025-08-18T{t}", "who": "E{n}", "event": "phone unanswered", "rings": 2}"#,
    r#"{"at": "2025-08-18T{t}", "who": "E{n}", "event": "late"}"#,
    "",
    "# a comment",
    r#"{"at": "2025-08-18T{t}", "who": "E{n}", "event": "mesy desk"}"#,
    "not json {n}",
    r#"{"at": "2025-08-18T{t}", "who": "", "event": "messy desk"}"#,
    r#"{"at": "2025-08-18T{t}", "who": "E{n}", "event": "thank-you letter"}"#,
    "\u{0}\u{1}",
];

impl Read for TenMillion {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.at == self.pending.len() {
            if self.next == LINES {
                return Ok(0);
            }
            self.pending.clear();
            self.at = 0;
            // A batch of lines at a time, each person a few times.
            for _ in 0..1000 {
                let n = self.next;
                let template = KINDS_OF_LINE[(n % 10) as usize];
                // 5,000 people, each with ten lines in a row, then again 200 times.
                let person = n / 10 % 5000;
                let second = n / 50_000 * 10 + n % 10;
                let time = format!(
                    "{:02}:{:02}:{:02}",
                    second / 3600,
                    second / 60 % 60,
                    second % 60
                );
                let line = template
                    .replace("{n}", &person.to_string())
                    .replace("{t}", &time);
                self.pending.extend_from_slice(line.as_bytes());
                self.pending.push(b'\n');
                self.next += 1;
            }
        }
        let n = buf.len().min(self.pending.len() - self.at);
        buf[..n].copy_from_slice(&self.pending[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

#[test]
fn ten_million_lines_are_each_accounted_for() {
    let input = TenMillion {
        next: 0,
        pending: Vec::new(),
        at: 0,
    };
    let tally = judge(BufReader::with_capacity(1 << 16, input), |_, _| {});
    assert_eq!(tally.read, LINES);
    assert_eq!(
        tally,
        Tally {
            read: LINES,
            skipped: 2 * LINES / 10,
            // messy desk, thank-you letter.
            posted: 2 * LINES / 10,
            // 2 rings, late.
            ignored: 2 * LINES / 10,
            // misspelled kind, not JSON, empty who, control bytes.
            rejected: 4 * LINES / 10,
        }
    );
}

#[test]
fn a_mistyped_year_is_rejected_instead_of_closing_thousands_of_months() {
    let input = format!(
        "{GOOD}\n{}\n{}\n",
        r#"{"at": "8698-08-18", "who": "E2", "event": "messy desk"}"#,
        r#"{"at": "2125-08-14", "who": "E3", "event": "messy desk"}"#
    );
    match fates(input.as_bytes()).as_slice() {
        [
            Fate::Posted,
            Fate::Rejected(Rejection::TooFarAhead { date, effective }),
            Fate::Posted,
        ] => {
            assert_eq!(
                (date.as_str(), effective.as_str()),
                ("8698-08-18", "2025-08-15")
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(
        rejected_then_good(br#"{"at": "2125-08-15", "who": "E2", "event": "messy desk"}"#)
            .to_string()
            .ends_with("is the year right?")
    );
}

/// The lines of `bytes`: each ends at LF, CRLF or a lone CR, and a last line may have no end.
fn line_count(bytes: &[u8]) -> u64 {
    let mut lines = 0;
    let mut open = false;
    let mut iter = bytes.iter().peekable();
    while let Some(byte) = iter.next() {
        match byte {
            b'\r' => {
                iter.next_if_eq(&&b'\n');
                lines += 1;
                open = false;
            }
            b'\n' => {
                lines += 1;
                open = false;
            }
            _ => open = true,
        }
    }
    lines + u64::from(open)
}

/// Inputs the fuzzers found (`fuzz/`), kept as they were found: each is judged in full.
#[test]
fn fuzz_findings_are_judged_line_by_line() {
    let folder = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fuzz_regressions/event_lines"
    );
    let mut files = 0;
    for entry in std::fs::read_dir(folder).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let tally = judge(bytes.as_slice(), |_, _| {});
        assert_eq!(tally.read, line_count(&bytes));
        files += 1;
    }
    assert!(files >= 1);
}

// ── Issue 11: `who`, exact numbers, line ends and byte order marks, long lists ─────────────

/// A rulebook whose 3.13 fines a related person named by a `text` measure.
fn with_manager() -> Arc<Rulebook> {
    Arc::new(
        Rulebook::parse(
            "t",
            "title: T\neffective: 2025-01-01\ncurrency: CNY\ntime zone: +08:00\nmeasure manager: text\n\
             3.13 lost keys: fine 50, and fine 10 for their manager\n",
        )
        .unwrap(),
    )
}

#[test]
fn who_must_name_someone() {
    // Blank, padded, with control characters (C0, DEL, C1) or with invisible ones.
    let bad_ids = [
        " ",
        "   ",
        "\t",
        "\u{3000}",
        "\u{a0}",
        " E1",
        "E1 ",
        "E1\u{1}",
        "E\u{0}",
        "E1\n",
        "E1\u{7f}",
        "E1\u{9b}31m",
        "E1\u{200b}",
        "\u{feff}E1",
        "E\u{202e}1",
        "E1\u{2060}",
    ];
    let mut wrong = Vec::new();
    for id in bad_ids {
        let id_json = serde_json::to_string(id).unwrap();
        let lines = [
            format!(r#"{{"at": "2025-08-18", "who": {id_json}, "event": "messy desk"}}"#),
            format!(
                r#"{{"at": "2025-08-18", "who": ["E1", {id_json}], "event": "passing the buck"}}"#
            ),
        ];
        for line in lines {
            let mut input = line.clone().into_bytes();
            input.push(b'\n');
            input.extend_from_slice(GOOD.as_bytes());
            match fates(&input).as_slice() {
                [Fate::Rejected(rejection), Fate::Posted] => {
                    let text = rejection.to_string();
                    // The reason names the field and never prints a control character.
                    if !text.starts_with("`who` must name a person")
                        || text.chars().any(|c| c.is_control())
                    {
                        wrong.push(format!("{line}: {text:?}"));
                    }
                }
                other => wrong.push(format!("{line}: {other:?}")),
            }
        }
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
    // Inner spaces and any script are fine.
    for id in ["Wang Fang", "王芳", "E-001", "é"] {
        let line = format!(r#"{{"at": "2025-08-18", "who": "{id}", "event": "messy desk"}}"#);
        assert_eq!(fates(line.as_bytes()), [Fate::Posted], "{id}");
    }
}

#[test]
fn a_related_person_must_be_named_like_who() {
    let rulebook = with_manager();
    let mut evaluator = Evaluator::new(Arc::clone(&rulebook));
    for manager in ["   ", "E1\u{9b}", "M1\u{200b}", " M1"] {
        let event = rulebook::Event::new("2025-08-18", "E4", "lost keys").with("manager", manager);
        let rejection = evaluator.prepare(Some(1), &event).unwrap_err();
        let text = rejection.to_string();
        assert!(
            text.starts_with("`manager` must name a person") && !text.contains('\u{9b}'),
            "{manager:?}: {text:?}"
        );
    }
    let event = rulebook::Event::new("2025-08-18", "E4", "lost keys").with("manager", "M1");
    assert!(evaluator.prepare(Some(1), &event).is_ok());
}

/// What `returned lost property` (reward 20 when `value` >= 300) makes of `value`.
fn lost_property(value: &str) -> Fate {
    let line = format!(
        r#"{{"at": "2025-08-18", "who": "E1", "event": "returned lost property", "value": {value}}}"#
    );
    match fates(line.as_bytes()).pop() {
        Some(fate) => fate,
        None => panic!("{line}: no fate"),
    }
}

#[test]
fn numbers_are_read_exactly_in_every_form_or_rejected() {
    // Just under 300, in exponent form: exact, so not rewarded; it was rounded to 300.
    for under in [
        "2.99999999999999999999999999999999e2",
        "299.999999999999999999999999999999",
        "29999999999999999999999999999999999e-32",
    ] {
        let fate = lost_property(under);
        match &fate {
            Fate::Rejected(rejection) => {
                let text = rejection.to_string();
                assert!(
                    text.contains("too many digits to hold exactly"),
                    "{under}: {text}"
                );
            }
            other => panic!("{under}: {other:?}"),
        }
    }
    // Exactly 300 in every form: rewarded.
    for exactly in [
        "300",
        "300.0",
        "3e2",
        "3E+2",
        "0.3e3",
        "30000e-2",
        "3.000000000000000000000000000000000e2",
        "300.0000000000000000000000000000000000000",
    ] {
        assert_eq!(lost_property(exactly), Fate::Posted, "{exactly}");
    }
    for under in ["2.9999e2", "299.99", "29999e-2"] {
        assert_eq!(lost_property(under), Fate::Ignored, "{under}");
    }
    // The largest number held exactly, and one more: too large, and said so.
    assert_eq!(lost_property("79228162514264337593543950335"), Fate::Posted);
    assert_eq!(
        lost_property("7.9228162514264337593543950335e28"),
        Fate::Posted
    );
    for too_large in [
        "79228162514264337593543950336",
        "7.9228162514264337593543950336e28",
        "1e29",
        "1e999999999999999999999",
        "-1e29",
    ] {
        match lost_property(too_large) {
            Fate::Rejected(rejection) => {
                let text = rejection.to_string();
                assert!(
                    text.contains("too large to hold exactly") && !text.contains("not an integer"),
                    "{too_large}: {text}"
                );
            }
            other => panic!("{too_large}: {other:?}"),
        }
    }
    // Too many decimals to hold, even though small.
    match lost_property("1e-29") {
        Fate::Rejected(rejection) => assert!(
            rejection
                .to_string()
                .contains("too many digits to hold exactly"),
            "{rejection}"
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_event_deserialized_with_serde_keeps_its_numbers_exact() {
    let line = |value: &str| {
        format!(
            r#"{{"at": "2025-08-18", "who": "E1", "event": "returned lost property", "value": {value}}}"#
        )
    };
    let mut evaluator = Evaluator::new(bundled());
    // Through serde, a number is what its text says, as with `Event::from_json`.
    for (value, exact) in [
        ("7.5", "7.5"),
        ("0.1", "0.1"),
        ("3e2", "300"),
        ("300.0", "300.0"),
    ] {
        let event: rulebook::Event = serde_json::from_str(&line(value)).unwrap();
        assert_eq!(
            event.attributes["value"]
                .as_decimal()
                .map(|d| d.to_string()),
            Some(exact.to_owned()),
            "{value}"
        );
        assert_eq!(event, rulebook::Event::from_json(&line(value)).unwrap());
    }
    // A number floating point would round is not rounded: the event is rejected.
    let event: rulebook::Event =
        serde_json::from_str(&line("2.99999999999999999999999999999999e2")).unwrap();
    assert_eq!(event.attributes["value"].as_decimal(), None);
    assert!(matches!(
        evaluator.prepare(Some(1), &event),
        Err(Rejection::IllTypedAttribute { .. })
    ));
    // A `Value` deserialized on its own gets floating point from serde_json: its digits are
    // lost, so it is no number at all rather than a rounded one.
    let value: rulebook::Value =
        serde_json::from_str("2.99999999999999999999999999999999e2").unwrap();
    assert_eq!(
        value,
        rulebook::Value::Other(rulebook::JsonType::FloatingPoint)
    );
    assert_eq!(value.as_decimal(), None);
    let value: rulebook::Value = serde_json::from_str("300").unwrap();
    assert_eq!(value, rulebook::Value::Integer(300));
    // An event built as a `serde_json::Value` is read from that value's text.
    let built = serde_json::json!({"at": "2025-08-18", "who": "E1", "event": "messy desk", "n": 7});
    let event: rulebook::Event = serde_json::from_value(built).unwrap();
    assert_eq!(event.attributes["n"], rulebook::Value::Integer(7));
    // A line `Event::from_json` rejects is an error through serde too.
    assert!(
        serde_json::from_str::<rulebook::Event>(
            r#"{"at": "2025-08-18", "at": "2025-08-19", "who": "E1", "event": "x"}"#
        )
        .is_err()
    );
}

#[test]
fn a_carriage_return_ends_a_line_and_hides_no_event() {
    // A file with CR line ends (classic Mac): one line each, the comment hides nothing.
    let input = format!("# exported\r{GOOD}\r{GOOD}\r");
    assert_eq!(
        fates(input.as_bytes()),
        [Fate::Skipped, Fate::Posted, Fate::Posted]
    );
    // CRLF is one line end, however the reads split it.
    let input = format!("# exported\r\n{GOOD}\r\n\r\n{GOOD}\r\n");
    for capacity in 1..=8 {
        let mut seen = Vec::new();
        let tally = judge(
            BufReader::with_capacity(capacity, input.as_bytes()),
            |_, f| seen.push(f),
        );
        assert_eq!(
            seen,
            [Fate::Skipped, Fate::Posted, Fate::Skipped, Fate::Posted],
            "capacity {capacity}"
        );
        assert_eq!(tally.read, 4);
    }
    // A CR inside a line ends it: each half is judged (and here rejected), none vanishes.
    let input = format!("{GOOD}\r# a comment\rnot json\n{GOOD}");
    match fates(input.as_bytes()).as_slice() {
        [
            Fate::Posted,
            Fate::Skipped,
            Fate::Rejected(Rejection::NotJson { .. }),
            Fate::Posted,
        ] => {}
        other => panic!("{other:?}"),
    }
    // CR, then CRLF: a blank line between.
    assert_eq!(
        fates(format!("{GOOD}\r\r\n{GOOD}").as_bytes()),
        [Fate::Posted, Fate::Skipped, Fate::Posted]
    );
}

#[test]
fn a_byte_order_mark_at_the_start_is_skipped_and_only_there() {
    let bom = "\u{feff}";
    assert_eq!(
        fates(format!("{bom}# exported\n{GOOD}\n").as_bytes()),
        [Fate::Skipped, Fate::Posted]
    );
    assert_eq!(fates(format!("{bom}{GOOD}").as_bytes()), [Fate::Posted]);
    assert_eq!(
        fates(format!("{bom}\r\n{GOOD}").as_bytes()),
        [Fate::Skipped, Fate::Posted]
    );
    // Anywhere else it is a character like any other: that line is not JSON.
    match fates(format!("{GOOD}\n{bom}{GOOD}\n").as_bytes()).as_slice() {
        [Fate::Posted, Fate::Rejected(Rejection::NotJson { .. })] => {}
        other => panic!("{other:?}"),
    }
}

/// A `who` list of 120,000 ids (`"0"`, `"1"`, …), one line of about 950 KB, then `tail`.
fn long_list(kind: &str, tail: &str) -> String {
    let mut line = String::from(r#"{"at": "2025-08-18", "event": ""#);
    line.push_str(kind);
    line.push_str(r#"", "who": ["#);
    for i in 0..120_000 {
        if i > 0 {
            line.push(',');
        }
        line.push('"');
        line.push_str(&i.to_string());
        line.push('"');
    }
    line.push_str(tail);
    line.push_str("]}");
    assert!(line.len() < MAX_EVENT_LINE_BYTES, "{}", line.len());
    line
}

#[test]
fn a_list_of_120000_people_is_judged_in_linear_time() {
    let start = std::time::Instant::now();
    // Every id once: each is fined.
    let distinct = long_list("passing the buck", "");
    assert_eq!(fates(distinct.as_bytes()), [Fate::Posted]);
    // The last one repeats the first.
    let repeated = long_list("passing the buck", r#","0""#);
    assert_eq!(
        fates(repeated.as_bytes()),
        [Fate::Rejected(Rejection::DuplicatePerson {
            who: "0".to_owned()
        })]
    );
    // A list for a kind that takes one person is rejected before looking for repeats.
    let not_collective = long_list("messy desk", r#","0""#);
    match fates(not_collective.as_bytes()).as_slice() {
        [Fate::Rejected(Rejection::NotCollective { .. })] => {}
        other => panic!("{other:?}"),
    }
    // Comparing every pair of the first list took 15 to 50 s in a debug build on the 2-core
    // machine this was written on; in linear time the three lines take about 0.4 s, so the
    // bound leaves twenty times that for a busy machine.
    let took = start.elapsed();
    assert!(
        took < std::time::Duration::from_secs(8),
        "three lines of 120,000 people took {took:?}"
    );
}
