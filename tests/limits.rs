//! Each limit of `rulebook::limits` turns input that would exhaust memory or time into a clear
//! problem at the right place.

use rulebook::limits::{
    MAX_ESCALATIONS, MAX_LAST_ENTRIES, MAX_PERIOD_RULES, MAX_RULE_FILE_BYTES, MAX_RULE_LINE_BYTES,
    MAX_RULES, MAX_RULES_PER_KIND,
};
use rulebook::{ProblemKind, RuleErrors, Rulebook};

const HEADER: &str =
    "title: Test rules\neffective: 2025-08-15\ncurrency: CNY\ntime zone: +08:00\nsection 1: a\n";

fn errors(source: &str) -> RuleErrors {
    match Rulebook::parse("limits.rules", source) {
        Ok(_) => panic!("the file loaded, but should not"),
        Err(errors) => errors,
    }
}

#[test]
fn a_rule_file_larger_than_the_limit_is_refused_before_parsing() {
    let mut source = HEADER.to_owned();
    while source.len() <= MAX_RULE_FILE_BYTES {
        source.push_str("1.1 messy desk: fine 15\n");
    }
    for errors in [
        errors(&source),
        Rulebook::from_bytes("huge.rules", source.as_bytes()).unwrap_err(),
    ] {
        assert!(matches!(
            errors.problems(),
            [p] if matches!(p.kind(), ProblemKind::FileTooLarge { bytes, limit } if *bytes == source.len() && *limit == MAX_RULE_FILE_BYTES)
        ));
    }
    // Cut in the middle of a character, as a file read up to the limit may be: still too large.
    let mut bytes = source.into_bytes();
    bytes.truncate(MAX_RULE_FILE_BYTES);
    bytes.extend_from_slice("遲".as_bytes().get(..1).unwrap());
    let errors = Rulebook::from_bytes("cut.rules", &bytes).unwrap_err();
    assert!(matches!(
        errors.problems(),
        [p] if matches!(p.kind(), ProblemKind::FileTooLarge { .. })
    ));
}

#[test]
fn bytes_that_are_not_utf8_are_a_problem_at_the_first_bad_byte() {
    let mut bytes = HEADER.as_bytes().to_vec();
    bytes.extend_from_slice(b"1.1 mes\xffsy desk: fine 15\n1.2 late: fine \xc3\n");
    let errors = Rulebook::from_bytes("latin1.rules", &bytes).unwrap_err();
    let [problem] = errors.problems() else {
        panic!("one problem expected: {errors:?}");
    };
    assert_eq!(problem.kind(), &ProblemKind::NotUtf8);
    assert_eq!((problem.location().line, problem.location().column), (6, 8));
    assert_eq!(problem.help(), Some("save the file as UTF-8"));
    // The report shows the text with the bad byte replaced, underlined.
    let report = errors.reports().next().unwrap();
    assert!(report.to_string().contains("not UTF-8"));
}

#[test]
fn a_line_longer_than_the_limit_is_a_problem_on_that_line_and_nothing_is_parsed() {
    let long_list: String = (0..1000).map(|i| format!("kind {i}, ")).collect();
    let source = format!(
        "{HEADER}1.1 messy desk: fine 15\n1.2 {long_list}late: no consequence\n1.3 nonsense without colon\n"
    );
    let errors = errors(&source);
    let [problem] = errors.problems() else {
        panic!("only the long line is reported: {errors:?}");
    };
    assert!(matches!(
        problem.kind(),
        ProblemKind::LineTooLong { bytes, limit } if *bytes == long_list.len() + 24 && *limit == MAX_RULE_LINE_BYTES
    ));
    assert_eq!(problem.location().line, 7);
    assert_eq!(problem.location().column, MAX_RULE_LINE_BYTES + 1);
    // A line of exactly the limit is fine as far as length goes.
    let filler = "x".repeat(MAX_RULE_LINE_BYTES - 2);
    assert!(
        Rulebook::parse(
            "ok.rules",
            &format!("{HEADER}# {filler}\n1.1 late: fine 5\n")
        )
        .is_ok()
    );
}

#[test]
fn more_rules_than_the_limit_are_refused_at_the_first_one_past_it() {
    let mut source = HEADER.to_owned();
    for _ in 0..=MAX_RULES {
        source.push_str("1.1 messy desk: fine 15\n");
    }
    let errors = errors(&source);
    let [problem] = errors.problems() else {
        panic!("one problem expected");
    };
    assert!(matches!(
        problem.kind(),
        ProblemKind::TooManyRules { count, limit, .. } if *count == MAX_RULES + 1 && *limit == MAX_RULES
    ));
    assert_eq!(problem.location().line, 5 + MAX_RULES + 1);
}

#[test]
fn more_rules_about_one_kind_than_the_limit_are_refused() {
    let mut source = HEADER.to_owned();
    for i in 0..=MAX_RULES_PER_KIND {
        source.push_str(&format!(
            "1.{i} phone unanswered with exactly {i} rings: fine 15\n"
        ));
    }
    // Up to the limit, the rules load (none overlaps another).
    let at_limit: String = source
        .lines()
        .take(5 + MAX_RULES_PER_KIND)
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(Rulebook::parse("ok.rules", &at_limit).is_ok());
    let errors = errors(&source);
    let [problem] = errors.problems() else {
        panic!("one problem expected");
    };
    assert!(matches!(
        problem.kind(),
        ProblemKind::TooManyRules { what, limit, .. } if what == "event kind `phone unanswered`" && *limit == MAX_RULES_PER_KIND
    ));
    assert_eq!(problem.location().line, 5 + MAX_RULES_PER_KIND + 1);
}

#[test]
fn more_escalations_than_the_limit_are_refused() {
    let mut source = format!("{HEADER}1.1 late: fine 5\n");
    for i in 0..=MAX_ESCALATIONS {
        source.push_str(&format!(
            "1.{i} in the same month, from the 3rd fine on: 2 times the heaviest base so far\n"
        ));
    }
    let errors = errors(&source);
    let [problem] = errors.problems() else {
        panic!("one problem expected, not {}", errors.problems().len());
    };
    assert!(matches!(
        problem.kind(),
        ProblemKind::TooManyRules { limit, .. } if *limit == MAX_ESCALATIONS
    ));
}

#[test]
fn only_the_first_hundred_unknown_kinds_get_a_suggestion() {
    let mut source = format!("{HEADER}1.1 messy desk: fine 15\n");
    for i in 0..150 {
        source.push_str(&format!(
            "1.{} each month, every person on the roster with no mesy desk: reward 1\n",
            i + 2
        ));
    }
    let errors = errors(&source);
    let suggested = errors
        .problems()
        .iter()
        .filter(|p| matches!(p.kind(), ProblemKind::UnknownKind { .. }))
        .map(|p| p.help() == Some("did you mean `messy desk`?"))
        .collect::<Vec<bool>>();
    assert_eq!(suggested.len(), 150, "each unknown kind is reported");
    assert!(suggested[..100].iter().all(|s| *s));
    assert!(suggested[100..].iter().all(|s| !*s));
}

#[test]
fn more_period_rules_than_the_limit_are_refused() {
    let mut source = format!("{HEADER}1.1 late: fine 5\n");
    for i in 0..=MAX_PERIOD_RULES {
        source.push_str(&format!(
            "1.{} each month, every person on the roster with no late: reward 1\n",
            i + 2
        ));
    }
    let errors = errors(&source);
    let [problem] = errors.problems() else {
        panic!("one problem expected, not {}", errors.problems().len());
    };
    assert!(matches!(
        problem.kind(),
        ProblemKind::TooManyRules { what, limit, .. } if what == "a rule file's period rules" && *limit == MAX_PERIOD_RULES
    ));
    assert_eq!(problem.location().line, 7 + MAX_PERIOD_RULES);
}

#[test]
fn the_heaviest_base_of_the_last_n_is_bounded() {
    // Each entry compares the last N bases: "of the last 4294967295" made one person's
    // month of fines quadratic in time (40,000 fines took seconds, 200,000 minutes).
    let escalation = |n: u32| {
        format!(
            "{HEADER}1.1 late: fine 5\n1.9 in the same month, from the 3rd fine on: 2 times the heaviest base of the last {n}\n"
        )
    };
    assert!(Rulebook::parse("limits.rules", &escalation(MAX_LAST_ENTRIES)).is_ok());
    for n in [MAX_LAST_ENTRIES + 1, u32::MAX] {
        let errors = errors(&escalation(n));
        let [problem] = errors.problems() else {
            panic!("one problem expected, not {}", errors.problems().len());
        };
        assert!(
            matches!(problem.kind(), ProblemKind::TooLarge { text, .. } if *text == n.to_string()),
            "{problem}"
        );
        assert_eq!(
            problem.help(),
            Some(
                "an escalation compares the last 100 bases at most; for more, say `the heaviest base so far`"
            )
        );
    }
}
