//! Bad input of every kind gives an answer, never a panic: arbitrary text and mutations of the
//! bundled rulebook parse to a rulebook or to problems whose spans lie inside the input, and
//! arbitrary bytes as event lines are each accounted for.

use std::sync::Arc;

use proptest::prelude::*;
use rulebook::{Evaluator, Ledger, LineContent, Rulebook, read_events};

const BUNDLED: &str = include_str!("../rules/en/c-tower.rules");

/// Parses `text` and checks that every problem points inside it.
fn parses_or_points_inside(text: &str) -> Result<(), TestCaseError> {
    match Rulebook::parse("fuzz.rules", text) {
        Ok(rulebook) => {
            // A rulebook that checks prints to text that checks again.
            let printed = rulebook.to_string();
            prop_assert!(
                Rulebook::parse("printed", &printed).is_ok(),
                "printed form fails:\n{printed}"
            );
        }
        Err(errors) => {
            prop_assert!(!errors.problems().is_empty());
            for problem in errors.problems() {
                let span = problem.span();
                prop_assert!(
                    span.start <= span.end && span.end <= text.len(),
                    "{span:?} outside {} bytes",
                    text.len()
                );
                prop_assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
                prop_assert!(problem.location().line >= 1 && problem.location().column >= 1);
                prop_assert!(!problem.to_string().is_empty());
            }
        }
    }
    Ok(())
}

/// Tokens of the bundled file, for mutations that keep most of it intact.
fn tokens() -> Vec<&'static str> {
    BUNDLED.split_inclusive([' ', '\n', ':', ',']).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: ProptestConfig::default().cases.max(256), ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        parses_or_points_inside(&text)?;
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        match Rulebook::from_bytes("fuzz.rules", &bytes) {
            Ok(_) => prop_assert!(std::str::from_utf8(&bytes).is_ok()),
            Err(errors) => {
                for problem in errors.problems() {
                    let span = problem.span();
                    // Spans index the text shown: the bytes, any bad sequence replaced.
                    let shown = String::from_utf8_lossy(&bytes);
                    prop_assert!(span.start <= span.end && span.end <= shown.len());
                    prop_assert!(problem.location().line >= 1 && problem.location().column >= 1);
                }
                prop_assert!(errors.reports().count() == errors.problems().len());
            }
        }
    }

    #[test]
    fn arbitrary_lines_of_language_words_never_panic(
        lines in proptest::collection::vec(
            proptest::collection::vec(
                prop_oneof![
                    Just("title:"), Just("effective: 2025-08-15"), Just("currency: CNY"),
                    Just("time zone: +08:00"), Just("section 1: x"), Just("1.1"), Just("late"),
                    Just("with"), Just("more than"), Just("3"), Just("rings"), Just(":"), Just("fine"),
                    Just("reward"), Just("15"), Just("to"), Just("50"), Just(","), Just("and"),
                    Just("dismissal"), Just("when"), Just("severe"), Just("counts as"), Just("-"),
                    Just("in the same month"), Just("from the 3rd fine on"), Just("2 times"),
                    Just("the heaviest base so far"), Just("each month"), Just("every person on the roster"),
                    Just("with no"), Just("("), Just(")"), Just("\""), Just("遲到"), Just("："), Just("#"),
                    Just("99999999999999999999999999999999"), Just("0"), Just("-5"), Just("3th"),
                ],
                0..12,
            ),
            0..10,
        )
    ) {
        let text: String = lines.iter().map(|words| words.join(" ")).collect::<Vec<_>>().join("\n");
        parses_or_points_inside(&text)?;
    }

    #[test]
    fn mutations_of_the_bundled_rulebook_never_panic(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), 0u8..3, any::<prop::sample::Index>()), 1..5)
    ) {
        let mut tokens = tokens();
        for (at, how, other) in edits {
            if tokens.is_empty() {
                break;
            }
            let i = at.index(tokens.len());
            let j = other.index(tokens.len());
            match how {
                0 => { tokens.remove(i); }
                1 => { let t = tokens[i]; tokens.insert(j, t); }
                _ => tokens.swap(i, j),
            }
        }
        parses_or_points_inside(&tokens.concat())?;
    }

    #[test]
    fn arbitrary_event_lines_are_each_accounted_for(
        lines in proptest::collection::vec(
            prop_oneof![
                proptest::collection::vec(any::<u8>(), 0..80),
                "\\PC{0,80}".prop_map(String::into_bytes),
                Just(br#"{"at": "2025-08-18", "who": "E1", "event": "messy desk"}"#.to_vec()),
                Just(br#"{"at": "2025-08-18", "who": ["E1", "E2"], "event": "passing the buck"}"#.to_vec()),
                Just(br#"{"at": "2025-08-18", "who": "E1", "event": "phone unanswered", "rings": 1e400}"#.to_vec()),
                Just(br#"{"at": "99999-08-18", "who": "E1", "event": "messy desk"}"#.to_vec()),
                Just(br#"{"at": "2025-08-18", "who": "E1", "event": "adopted suggestion", "amount": 1e30}"#.to_vec()),
                Just(b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]".to_vec()),
                Just(b"\0\0\0".to_vec()),
            ],
            0..30,
        )
    ) {
        let rulebook = Arc::new(Rulebook::parse("c-tower.rules", BUNDLED).unwrap());
        let mut input: Vec<u8> = Vec::new();
        for line in &lines {
            input.extend(line.iter().filter(|b| **b != b'\n'));
            input.push(b'\n');
        }
        let mut evaluator = Evaluator::new(Arc::clone(&rulebook));
        let mut ledger = Ledger::new(Arc::clone(&rulebook));
        let (mut read, mut skipped, mut rejected) = (0u64, 0u64, 0u64);
        for line in read_events(input.as_slice()) {
            let line = line.unwrap();
            read += 1;
            match line.content {
                LineContent::Skipped => skipped += 1,
                LineContent::Event(event) => {
                    let applied = event
                        .and_then(|e| evaluator.prepare(Some(line.number), &e))
                        .and_then(|e| evaluator.apply_prepared(&e, &mut ledger));
                    if let Err(rejection) = applied {
                        prop_assert!(!rejection.to_string().is_empty());
                        rejected += 1;
                    }
                }
            }
        }
        // A lone CR ends a line too; a CR just before the LF added is part of that line end.
        let expected: u64 = lines
            .iter()
            .map(|line| {
                let line: Vec<u8> = line.iter().copied().filter(|b| *b != b'\n').collect();
                let crs = line.iter().filter(|b| **b == b'\r').count() as u64;
                1 + crs - u64::from(line.last() == Some(&b'\r'))
            })
            .sum();
        prop_assert_eq!(read, expected);
        let applied = read - skipped - rejected;
        let report = ledger.report();
        let entry_lines: std::collections::BTreeSet<u64> = report
            .statements
            .iter()
            .flat_map(|s| s.entries.iter().filter_map(|e| e.line).chain(s.outcomes.iter().filter_map(|o| o.line)))
            .chain(report.ignored.iter().filter_map(|i| i.line))
            .collect();
        prop_assert_eq!(entry_lines.len() as u64, applied, "applied + ignored lines");
        evaluator.close_all(None, &mut ledger).unwrap();
    }
}
