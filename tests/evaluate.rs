//! The evaluator against `docs/semantics.md`, case by case, with hand-computed amounts: one test
//! per clause, the worked examples of §3, the month boundary of §1, collective fines, the
//! monthly 4.1 with and without a roster, every rejection reason of §6, and each alternative
//! of the escalation language.

use std::sync::Arc;

use rulebook::{Event, Report, Roster, Rulebook, evaluate};

fn bundled() -> Arc<Rulebook> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/rules/en/c-tower.rules");
    Arc::new(Rulebook::from_path(path).expect("the bundled rulebook loads"))
}

/// Evaluates JSON lines (numbered from 1) with the given rulebook and roster.
fn run(rulebook: &Arc<Rulebook>, lines: &[&str], roster: Option<&[&str]>) -> Report {
    let events = lines
        .iter()
        .enumerate()
        .map(|(i, line)| (i as u64 + 1, Event::from_json(line)));
    let roster = roster.map(|people| Roster::new(people.iter().copied()).unwrap());
    evaluate(Arc::clone(rulebook), events, roster.as_ref())
        .expect("a few months, a few people")
        .report()
}

/// Each statement as `who month: fines/rewards/net`, and each entry as `line rule base→amount`.
fn summary(report: &Report) -> Vec<String> {
    report
        .statements
        .iter()
        .map(|s| {
            let entries: Vec<String> = s
                .entries
                .iter()
                .map(|e| {
                    let line = e.line.map_or("-".to_owned(), |l| l.to_string());
                    if e.base == e.amount {
                        format!("{line}:{} {}", e.rule, e.amount)
                    } else {
                        format!("{line}:{} {}→{}", e.rule, e.base, e.amount)
                    }
                })
                .collect();
            format!(
                "{} {}: -{} +{} ={} [{}]",
                s.who,
                s.month,
                s.fines,
                s.rewards,
                s.net,
                entries.join(", ")
            )
        })
        .collect()
}

fn line(at: &str, who: &str, kind: &str, extra: &str) -> String {
    format!(r#"{{"at": "{at}", "who": "{who}", "event": "{kind}"{extra}}}"#)
}

/// One event of each kind for one person, far enough apart, each in its own month so that
/// no escalation or doubling interferes.
fn single(kind: &str, extra: &str) -> Report {
    let rulebook = bundled();
    let event = line("2025-08-20T10:00:00+08:00", "E1", kind, extra);
    run(&rulebook, &[&event], Some(&[]))
}

#[test]
fn every_clause_with_its_amount() {
    let cases: &[(&str, &str, &str)] = &[
        ("out of uniform", "", "E1 2025-08: -15 +0 =-15 [1:1.1 15]"),
        (
            "phone unanswered",
            r#", "rings": 4"#,
            "E1 2025-08: -15 +0 =-15 [1:1.2 15]",
        ),
        (
            "improper phone greeting",
            "",
            "E1 2025-08: -15 +0 =-15 [1:1.2 15]",
        ),
        ("messy desk", "", "E1 2025-08: -15 +0 =-15 [1:1.3 15]"),
        (
            "newspapers untidy",
            "",
            "E1 2025-08: -15 +0 =-15 [1:1.4 15]",
        ),
        ("discourtesy", "", "E1 2025-08: -20 +0 =-20 [1:2.1 20]"),
        ("venting emotions", "", "E1 2025-08: -20 +0 =-20 [1:2.2 20]"),
        ("idling on duty", "", "E1 2025-08: -20 +0 =-20 [1:2.3 20]"),
        (
            "personal phone call",
            r#", "minutes": 3.5"#,
            "E1 2025-08: -20 +0 =-20 [1:2.4 20]",
        ),
        (
            "unauthorized internet use",
            "",
            "E1 2025-08: -20 +0 =-20 [1:2.5 20]",
        ),
        (
            "taking office property",
            "",
            "E1 2025-08: -20 +0 =-20 [1:2.6 20]",
        ),
        (
            "task dispatch error",
            "",
            "E1 2025-08: -20 +0 =-20 [1:2.7 20]",
        ),
        (
            "handover or fee error",
            "",
            "E1 2025-08: -20 +0 =-20 [1:2.8 20]",
        ),
        ("passing the buck", "", "E1 2025-08: -20 +0 =-20 [1:2.9 20]"),
        (
            "facilities left on",
            "",
            "E1 2025-08: -30 +0 =-30 [1:3.1 30]",
        ),
        (
            "false leave reason",
            "",
            "E1 2025-08: -30 +0 =-30 [1:3.2 30]",
        ),
        ("missed meeting", "", "E1 2025-08: -30 +0 =-30 [1:3.3 30]"),
        (
            "duty not performed",
            "",
            "E1 2025-08: -30 +0 =-30 [1:3.4 30]",
        ),
        ("key log skipped", "", "E1 2025-08: -30 +0 =-30 [1:3.5 30]"),
        (
            "task not followed up",
            "",
            "E1 2025-08: -30 +0 =-30 [1:3.6 30]",
        ),
        ("records not kept", "", "E1 2025-08: -30 +0 =-30 [1:3.7 30]"),
        (
            "agenda not followed",
            "",
            "E1 2025-08: -30 +0 =-30 [1:3.8 30]",
        ),
        ("evading orders", "", "E1 2025-08: -50 +0 =-50 [1:3.10 50]"),
        (
            "soliciting tips",
            "",
            "E1 2025-08: -200 +0 =-200 [1:3.11 200]",
        ),
        ("thank-you letter", "", "E1 2025-08: -0 +20 =20 [1:4.2 20]"),
        (
            "returned lost property",
            r#", "value": 300"#,
            "E1 2025-08: -0 +20 =20 [1:4.3 20]",
        ),
        ("good samaritan", "", "E1 2025-08: -0 +30 =30 [1:5.1 30]"),
        (
            "adopted suggestion",
            r#", "amount": 42.5"#,
            "E1 2025-08: -0 +42.5 =42.5 [1:5.2 42.5]",
        ),
        (
            "emergency handled",
            r#", "loss_avoided": 500, "amount": 30"#,
            "E1 2025-08: -0 +30 =30 [1:5.3 30]",
        ),
        (
            "service star",
            r#", "amount": 200"#,
            "E1 2025-08: -0 +200 =200 [1:5.5 200]",
        ),
    ];
    for (kind, extra, expected) in cases {
        let report = single(kind, extra);
        assert_eq!(summary(&report), [*expected], "{kind}");
        assert!(
            report.ignored.is_empty() && report.rejected.is_empty(),
            "{kind}"
        );
    }
}

#[test]
fn thresholds_not_met_are_ignored_with_the_reason() {
    let cases = [
        (
            "phone unanswered",
            r#", "rings": 3"#,
            "1.2",
            "rings 3 is not over 3",
        ),
        (
            "personal phone call",
            r#", "minutes": 3"#,
            "2.4",
            "minutes 3 is not over 3",
        ),
        (
            "returned lost property",
            r#", "value": 299.99"#,
            "4.3",
            "value 299.99 is under 300",
        ),
        (
            "emergency handled",
            r#", "loss_avoided": 499, "amount": 40"#,
            "5.3",
            "loss_avoided 499 is under 500",
        ),
        ("late", "", "4.1", "late: no consequence of its own"),
    ];
    for (kind, extra, rule, why) in cases {
        let report = single(kind, extra);
        assert!(report.statements.is_empty(), "{kind}");
        let [ignored] = report.ignored.as_slice() else {
            panic!("{kind}: {:?}", report.ignored)
        };
        assert_eq!(
            (ignored.line, ignored.rule.as_str(), ignored.why.as_str()),
            (Some(1), rule, why)
        );
    }
}

#[test]
fn outcomes_dismissal_remedy_and_promotion() {
    let rulebook = bundled();
    let lines = [
        line(
            "2025-08-20T10:00:00+08:00",
            "E1",
            "evading orders",
            r#", "severe": true"#,
        ),
        line(
            "2025-08-20T11:00:00+08:00",
            "E2",
            "soliciting tips",
            r#", "severe": false"#,
        ),
        line("2025-08-20T12:00:00+08:00", "E3", "agenda not followed", ""),
        line(
            "2025-08-21T10:00:00+08:00",
            "E4",
            "service star",
            r#", "amount": 250, "outstanding": true"#,
        ),
        line(
            "2025-08-21T11:00:00+08:00",
            "E5",
            "service star",
            r#", "amount": 300, "outstanding": true, "approved": true"#,
        ),
        line(
            "2025-08-21T12:00:00+08:00",
            "E6",
            "service star",
            r#", "amount": 220, "approved": true"#,
        ),
    ];
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let report = run(&rulebook, &lines, Some(&[]));
    let outcomes: Vec<String> = report
        .statements
        .iter()
        .flat_map(|s| {
            s.outcomes.iter().map(move |o| {
                format!(
                    "{} {} {} {:?}",
                    s.who,
                    o.rule,
                    o.kind,
                    o.status.map(|s| serde_json::to_string(&s).unwrap())
                )
            })
        })
        .collect();
    assert_eq!(
        outcomes,
        [
            "E1 3.10 dismissal None",
            "E3 3.8 remedy None",
            "E4 5.5 promotion Some(\"\\\"pending approval\\\"\")",
            "E5 5.5 promotion Some(\"\\\"approved\\\"\")",
        ]
    );
}

#[test]
fn worked_example_of_section_3_fines() {
    let rulebook = bundled();
    let lines = [
        line("2025-08-18T09:00:00+08:00", "E1", "messy desk", ""),
        line("2025-08-18T10:00:00+08:00", "E1", "discourtesy", ""),
        line("2025-08-18T11:00:00+08:00", "E1", "messy desk", ""),
        line("2025-08-18T12:00:00+08:00", "E1", "out of uniform", ""),
    ];
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let report = run(&rulebook, &lines, Some(&[]));
    assert_eq!(
        summary(&report),
        ["E1 2025-08: -115 +0 =-115 [1:1.3 15, 2:2.1 20, 3:1.3 15→40, 4:1.1 15→40]"]
    );
    let why = &report.statements[0].entries[3].why;
    assert_eq!(
        why,
        "out of uniform; 4th fine in 2025-08 (after lines 1, 2 and 3), doubled by 3.9: 2 × 20, the heaviest base so far (line 2)"
    );
}

#[test]
fn worked_example_of_section_3_rewards() {
    let rulebook = bundled();
    let lines = [
        line("2025-08-18T09:00:00+08:00", "E1", "thank-you letter", ""),
        line("2025-08-18T10:00:00+08:00", "E1", "good samaritan", ""),
        line(
            "2025-08-18T11:00:00+08:00",
            "E1",
            "adopted suggestion",
            r#", "amount": 45"#,
        ),
        line("2025-08-19T09:00:00+08:00", "E1", "thank-you letter", ""),
        line("2025-08-19T10:00:00+08:00", "E1", "thank-you letter", ""),
        line("2025-08-19T11:00:00+08:00", "E1", "thank-you letter", ""),
    ];
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let report = run(&rulebook, &lines, Some(&[]));
    assert_eq!(
        summary(&report),
        [
            "E1 2025-08: -0 +270 =270 [1:4.2 20, 2:5.1 30, 3:5.2 45→90, 4:4.2 20, 5:4.2 20, 6:4.2 20→90]"
        ]
    );
    assert!(report.statements[0].entries[5].why.contains(
        "6th reward in 2025-08 (after 5 earlier rewards, the first on lines 1, 2, 3 and 4), doubled by 5.4: 2 × 45, the highest base so far (line 3)"
    ));
}

#[test]
fn counts_restart_each_month_and_4_1_is_never_counted() {
    let rulebook = bundled();
    let lines = [
        line("2025-08-28T09:00:00+08:00", "E1", "thank-you letter", ""),
        line("2025-08-29T09:00:00+08:00", "E1", "thank-you letter", ""),
        line("2025-08-30T09:00:00+08:00", "E1", "messy desk", ""),
        line("2025-08-30T10:00:00+08:00", "E1", "messy desk", ""),
        line("2025-09-01T09:00:00+08:00", "E1", "thank-you letter", ""),
        line("2025-09-01T10:00:00+08:00", "E1", "messy desk", ""),
    ];
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let report = run(&rulebook, &lines, Some(&["E1"]));
    assert_eq!(
        summary(&report),
        [
            "E1 2025-08: -30 +55 =25 [1:4.2 20, 2:4.2 20, 3:1.3 15, 4:1.3 15, -:4.1 15]",
            "E1 2025-09: -15 +35 =20 [5:4.2 20, 6:1.3 15, -:4.1 15]",
        ]
    );
}

#[test]
fn month_boundary_follows_the_rulebook_zone() {
    let rulebook = bundled();
    let lines = [
        line("2025-08-31T15:59:59Z", "E1", "messy desk", ""),
        line("2025-08-31T17:00:00Z", "E1", "messy desk", ""),
    ];
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let report = run(&rulebook, &lines, Some(&[]));
    assert_eq!(
        summary(&report),
        [
            "E1 2025-08: -15 +0 =-15 [1:1.3 15]",
            "E1 2025-09: -15 +0 =-15 [2:1.3 15]"
        ]
    );
    assert_eq!(
        report.statements[1].entries[0].at,
        "2025-09-01T01:00:00+08:00"
    );
}

#[test]
fn a_date_is_local_midnight_and_ties_keep_input_order() {
    let rulebook = bundled();
    let lines = [
        line("2025-08-18T08:00:00+08:00", "E1", "messy desk", ""),
        line("2025-08-18", "E1", "discourtesy", ""),
        line("2025-08-18T00:00:00", "E1", "soliciting tips", ""),
    ];
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let report = run(&rulebook, &lines, Some(&[]));
    // In time order: line 2 (midnight), line 3 (midnight, after line 2), line 1 (08:00,
    // the 3rd fine: 2 × 200).
    assert_eq!(
        summary(&report),
        ["E1 2025-08: -620 +0 =-620 [2:2.1 20, 3:3.11 200, 1:1.3 15→400]"]
    );
}

#[test]
fn a_collective_fine_charges_and_counts_each_person() {
    let rulebook = bundled();
    let lines = [
        line("2025-08-18T09:00:00+08:00", "E2", "messy desk", ""),
        line("2025-08-18T10:00:00+08:00", "E2", "messy desk", ""),
        r#"{"at": "2025-08-19", "who": ["E1", "E2", "E3"], "event": "passing the buck"}"#
            .to_owned(),
    ];
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let report = run(&rulebook, &lines, Some(&[]));
    assert_eq!(
        summary(&report),
        [
            "E1 2025-08: -20 +0 =-20 [3:2.9 20]",
            "E2 2025-08: -70 +0 =-70 [1:1.3 15, 2:1.3 15, 3:2.9 20→40]",
            "E3 2025-08: -20 +0 =-20 [3:2.9 20]",
        ]
    );
}

#[test]
fn full_attendance_with_and_without_a_roster() {
    let rulebook = bundled();
    let lines = [
        line("2025-08-18T09:00:00+08:00", "E1", "late", ""),
        line("2025-08-18T09:00:00+08:00", "E2", "messy desk", ""),
        line("2025-09-18T09:00:00+08:00", "E3", "messy desk", ""),
        r#"{"at": "2025-10-02", "who": "E4", "event": "nonsense"}"#.to_owned(),
    ];
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    // Without a roster: E1, E2 and E3 (named on applied or ignored lines), for August and
    // September (the rejected October line widens nothing); E1 was late in August.
    let report = run(&rulebook, &lines, None);
    assert_eq!(
        summary(&report),
        [
            "E1 2025-09: -0 +15 =15 [-:4.1 15]",
            "E2 2025-08: -15 +15 =0 [2:1.3 15, -:4.1 15]",
            "E2 2025-09: -0 +15 =15 [-:4.1 15]",
            "E3 2025-08: -0 +15 =15 [-:4.1 15]",
            "E3 2025-09: -15 +15 =0 [3:1.3 15, -:4.1 15]",
        ]
    );
    assert_eq!(report.statements[1].entries[1].at, "2025-08-31");
    assert_eq!(
        report.statements[1].entries[1].why,
        "no attendance event in 2025-08"
    );
    // With a roster: only those on it get 4.1; E3 is still fined.
    let report = run(&rulebook, &lines, Some(&["E1", "E9"]));
    assert_eq!(
        summary(&report),
        [
            "E1 2025-09: -0 +15 =15 [-:4.1 15]",
            "E2 2025-08: -15 +0 =-15 [2:1.3 15]",
            "E3 2025-09: -15 +0 =-15 [3:1.3 15]",
            "E9 2025-08: -0 +15 =15 [-:4.1 15]",
            "E9 2025-09: -0 +15 =15 [-:4.1 15]",
        ]
    );
}

#[test]
fn every_rejection_reason_of_section_6() {
    let rulebook = bundled();
    let lines = [
        "{not json",
        r#"["a"]"#,
        r#"{"who": "E1", "event": "messy desk"}"#,
        r#"{"at": "2025-08-18", "event": "messy desk"}"#,
        r#"{"at": "2025-08-18", "who": "E1"}"#,
        r#"{"at": 20250818, "who": "E1", "event": "messy desk"}"#,
        r#"{"at": "2025-08-18", "who": 7, "event": "messy desk"}"#,
        r#"{"at": "2025-08-18", "who": "", "event": "messy desk"}"#,
        r#"{"at": "2025-08-18", "who": ["E1", "E1"], "event": "passing the buck"}"#,
        r#"{"at": "2025-08-18", "who": ["E1", "E2"], "event": "messy desk"}"#,
        r#"{"at": "18/08/2025", "who": "E1", "event": "messy desk"}"#,
        r#"{"at": "2025-08-18", "who": "E1", "event": "mesy desk"}"#,
        r#"{"at": "2025-08-18", "who": "E1", "event": "phone unanswered"}"#,
        r#"{"at": "2025-08-18", "who": "E1", "event": "phone unanswered", "rings": 4.0}"#,
        r#"{"at": "2025-08-18", "who": "E1", "event": "evading orders", "severe": "true"}"#,
        r#"{"at": "2025-08-18", "who": "E1", "event": "adopted suggestion", "amount": 51}"#,
        r#"{"at": "2025-08-18", "who": "E1", "event": "adopted suggestion", "amount": 40.005}"#,
        r#"{"at": "2025-08-18", "who": "E1", "event": "messy desk", "amount": 15}"#,
        r#"{"at": "2025-08-14T23:59:59+08:00", "who": "E1", "event": "messy desk"}"#,
        r#"{"at": "2025-08-18", "who": "E1", "event": "emergency handled", "loss_avoided": 100, "amount": 20}"#,
    ];
    let report = run(&rulebook, &lines, Some(&[]));
    assert!(report.statements.is_empty());
    let whys: Vec<(u64, &str)> = report
        .rejected
        .iter()
        .map(|r| (r.line.expect("a line"), r.why.as_str()))
        .collect();
    let expected: Vec<(u64, &str)> = vec![
        (1, "not valid JSON: key must be a string"),
        (2, "not a JSON object"),
        (3, "missing field `at`"),
        (4, "missing field `who`"),
        (5, "missing field `event`"),
        (6, "`at` must be a string, not an integer"),
        (
            7,
            "`who` must be a staff id or a list of staff ids, not an integer",
        ),
        (8, "`who` must name a person: an empty staff id is not one"),
        (9, "`who` names \"E1\" twice"),
        (
            10,
            "`who` must be one staff id for \"messy desk\", not a list",
        ),
        (
            11,
            "bad timestamp \"18/08/2025\": the year must have 4 digits, not 2 (`18`); write a date such as \"2025-08-18\", a local time such as \"2025-08-18T09:30\" or \"2025-08-18 09:30:00.250\", or a time with an offset such as \"2025-08-18T09:30:00+08:00\" or \"2025-08-18T01:30:00Z\"",
        ),
        (
            12,
            "unknown event kind \"mesy desk\"; did you mean \"messy desk\"?",
        ),
        (13, "missing attribute `rings` for \"phone unanswered\""),
        (14, "attribute `rings` must be an integer, not a number"),
        (15, "attribute `severe` must be true or false, not a string"),
        (
            16,
            "`amount` 51 is outside 30..=50 for \"adopted suggestion\"",
        ),
        (17, "`amount` 40.005 has more than two decimals"),
        (
            18,
            "`amount` is given, but \"messy desk\" has a fixed amount",
        ),
        (19, "no rulebook in force on 2025-08-14"),
        (
            20,
            "`amount` 20 is outside 30..=50 for \"emergency handled\"",
        ),
    ];
    assert_eq!(whys, expected);
    assert!(report.ignored.is_empty());
}

#[test]
fn the_effective_date_is_read_in_the_rulebook_zone() {
    let report = single("messy desk", "");
    assert_eq!(report.statements.len(), 1);
    let rulebook = bundled();
    let in_force = line("2025-08-14T16:00:00Z", "E1", "messy desk", "");
    let report = run(&rulebook, &[&in_force], Some(&[]));
    assert_eq!(summary(&report), ["E1 2025-08: -15 +0 =-15 [1:1.3 15]"]);
}

#[test]
fn blank_and_comment_lines_are_skipped_and_unknown_keys_ignored() {
    let events: Vec<_> = rulebook::read_events(
        "# header\n\n{\"at\": \"2025-08-18\", \"who\": \"E1\", \"event\": \"messy desk\", \"note\": [1, 2]}\n".as_bytes(),
    )
    .map(Result::unwrap)
    .collect();
    assert_eq!(events.len(), 3);
    let lines: Vec<(u64, _)> = events
        .into_iter()
        .filter_map(rulebook::Line::into_event)
        .collect();
    let report = evaluate(bundled(), lines, Some(&Roster::default()))
        .expect("one month")
        .report();
    assert_eq!(summary(&report), ["E1 2025-08: -15 +0 =-15 [3:1.3 15]"]);
}

// ── Escalation alternatives, each with a hand-computed ledger ─────────────────────────────

/// A rulebook with three fines (10, 30, 20) in two sections, three rewards, and one
/// escalation declaration.
fn with_escalation(declaration: &str) -> Arc<Rulebook> {
    let text = format!(
        "title: T\neffective: 2025-01-01\ncurrency: CNY\ntime zone: +08:00\n\n\
         section 1: small\n1.1 a: fine 10\n1.2 b: fine 30\n\
         section 2: large\n2.1 c: fine 20\n\
         section 5: rewards\n5.1 r: reward 10\n5.2 s: reward 30\n\n{declaration}\n"
    );
    Arc::new(Rulebook::parse("t.rules", &text).unwrap_or_else(|e| panic!("{e:?}")))
}

/// Applies the kinds in order, one a day from 2025-01-01 (so crossing into February after
/// 31 events), and returns `base→amount` per entry.
fn amounts(rulebook: &Arc<Rulebook>, kinds: &[&str]) -> Vec<String> {
    let lines: Vec<String> = kinds
        .iter()
        .enumerate()
        .map(|(i, kind)| {
            let day =
                chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + chrono::Days::new(i as u64);
            line(&day.to_string(), "E1", kind, "")
        })
        .collect();
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let report = run(rulebook, &lines, Some(&[]));
    report
        .statements
        .iter()
        .flat_map(|s| s.entries.iter())
        .map(|e| {
            if e.base == e.amount {
                e.amount.to_string()
            } else {
                format!("{}→{}", e.base, e.amount)
            }
        })
        .collect()
}

macro_rules! escalation_cases {
    ($($name:ident: $declaration:expr, $kinds:expr => $expected:expr;)*) => {$(
        #[test]
        fn $name() {
            let rulebook = with_escalation($declaration);
            assert_eq!(amounts(&rulebook, &$kinds), $expected, "{}", $declaration);
        }
    )*};
}

escalation_cases! {
    from_the_3rd_on:
        "3.9 in the same month, from the 3rd fine on: 2 times the heaviest base so far",
        ["a", "b", "a", "c", "a"] => ["10", "30", "10→60", "20→60", "10→60"];
    only_the_3rd:
        "3.9 in the same month, only the 3rd fine: 2 times the heaviest base so far",
        ["a", "b", "a", "c", "a"] => ["10", "30", "10→60", "20", "10"];
    every_2nd:
        "3.9 in the same month, every 2nd fine: 2 times the heaviest base so far",
        ["a", "b", "a", "c", "a"] => ["10", "30→60", "10", "20→60", "10"];
    multiplier_3:
        "3.9 in the same month, from the 2nd fine on: 3 times the heaviest base so far",
        ["a", "a", "b"] => ["10", "10→30", "30→90"];
    heaviest_of_the_last_2:
        "3.9 in the same month, from the 2nd fine on: 2 times the heaviest base of the last 2",
        ["b", "a", "a", "c"] => ["30", "10→60", "10→20", "20→40"];
    own_base:
        "3.9 in the same month, from the 2nd fine on: 2 times its own base",
        ["b", "a", "c"] => ["30", "10→20", "20→40"];
    surcharge:
        "3.9 in the same month, from the 3rd fine on: an extra 5",
        ["a", "b", "a", "c"] => ["10", "30", "10→15", "20→25"];
    counting_one_section:
        "3.9 in the same month, from the 2nd fine in section 1 on: 2 times the heaviest base so far",
        ["a", "c", "c", "b", "a"] => ["10", "20", "20", "30→60", "10→60"];
    rewards_every_3rd:
        "5.4 in the same month, every 3rd reward: 2 times the highest base so far",
        ["r", "s", "r", "r", "r", "r"] => ["10", "30", "10→60", "10", "10", "10→60"];
}

#[test]
fn windows_of_a_month_a_quarter_and_a_year() {
    // 40 daily fines of 10: January has 31, February the rest. From the 31st on, doubled.
    let kinds = vec!["a"; 40];
    let by_month =
        with_escalation("3.9 in the same month, from the 31st fine on: 2 times its own base");
    let by_quarter =
        with_escalation("3.9 in the same quarter, from the 31st fine on: 2 times its own base");
    let by_year =
        with_escalation("3.9 in the same year, from the 31st fine on: 2 times its own base");
    let doubled = |rulebook: &Arc<Rulebook>| {
        amounts(rulebook, &kinds)
            .iter()
            .filter(|a| a.contains('→'))
            .count()
    };
    assert_eq!(doubled(&by_month), 1, "only January's 31st");
    assert_eq!(
        doubled(&by_quarter),
        10,
        "the 31st to the 40th of the quarter"
    );
    assert_eq!(doubled(&by_year), 10);
    let quarter_end =
        with_escalation("3.9 in the same quarter, from the 2nd fine on: 2 times its own base");
    let lines = [
        line("2025-03-31", "E1", "a", ""),
        line("2025-04-01", "E1", "a", ""),
        line("2025-04-02", "E1", "a", ""),
    ];
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let report = run(&quarter_end, &lines, Some(&[]));
    assert_eq!(
        summary(&report),
        [
            "E1 2025-03: -10 +0 =-10 [1:1.1 10]",
            "E1 2025-04: -30 +0 =-30 [2:1.1 10, 3:1.1 10→20]"
        ]
    );
}

#[test]
fn bands_per_unit_schedules_and_related_people_evaluate() {
    let rulebook = Arc::new(
        Rulebook::parse(
            "t",
            "title: T\neffective: 2025-01-01\ncurrency: CNY\ntime zone: +08:00\nmeasure manager: text\n\
             2.10 late, by minutes:\n  - less than 15: fine 15\n  - 15 to 60: fine 30\n  - more than 60: counts as absence\n\
             2.11 absence: fine 100\n\
             2.12 overtime chat: fine 0.5 per minutes beyond 10\n\
             3.12 theft: fine 100 the 1st time, 200 the 2nd time, and dismissal from the 3rd time on\n\
             3.13 lost keys: fine 50, and fine 10 for their manager\n",
        )
        .unwrap(),
    );
    let lines = [
        line("2025-01-02T09:00:00", "E1", "late", r#", "minutes": 5"#),
        line("2025-01-03T09:00:00", "E1", "late", r#", "minutes": 15"#),
        line("2025-01-04T09:00:00", "E1", "late", r#", "minutes": 90"#),
        line(
            "2025-01-05T09:00:00",
            "E2",
            "overtime chat",
            r#", "minutes": 17"#,
        ),
        line(
            "2025-01-05T10:00:00",
            "E2",
            "overtime chat",
            r#", "minutes": 8"#,
        ),
        line("2025-01-06T09:00:00", "E3", "theft", ""),
        line("2025-01-07T09:00:00", "E3", "theft", ""),
        line("2025-01-08T09:00:00", "E3", "theft", ""),
        line(
            "2025-01-09T09:00:00",
            "E4",
            "lost keys",
            r#", "manager": "E1""#,
        ),
        line(
            "2025-01-10T09:00:00",
            "E4",
            "lost keys",
            r#", "manager": "E4""#,
        ),
    ];
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let report = run(&rulebook, &lines, Some(&[]));
    assert_eq!(
        summary(&report),
        [
            "E1 2025-01: -155 +0 =-155 [1:2.10 15, 2:2.10 30, 3:2.11 100, 9:3.13 10]",
            "E2 2025-01: -3.5 +0 =-3.5 [4:2.12 3.5]",
            "E3 2025-01: -300 +0 =-300 [6:3.12 100, 7:3.12 200]",
            "E4 2025-01: -50 +0 =-50 [9:3.13 50]",
        ]
    );
    let theft = &report.statements[2];
    assert_eq!(theft.outcomes.len(), 1, "dismissal the 3rd time");
    assert_eq!(theft.outcomes[0].line, Some(8));
    assert_eq!(
        report.statements[0].entries[2].why,
        "late (counts as absence)"
    );
    assert_eq!(
        report.statements[0].entries[3].why,
        "lost keys: as the manager of \"E4\""
    );
    let ignored: Vec<(Option<u64>, &str)> = report
        .ignored
        .iter()
        .map(|i| (i.line, i.why.as_str()))
        .collect();
    assert_eq!(
        ignored,
        [(
            Some(5),
            "overtime chat: none of the rule's consequences applies"
        )]
    );
    let rejected: Vec<(Option<u64>, &str)> = report
        .rejected
        .iter()
        .map(|r| (r.line, r.why.as_str()))
        .collect();
    assert_eq!(
        rejected,
        [(Some(10), "\"E4\" is named as their own manager")]
    );
}

// ── Found by the reference model of the language (`tests/random_rulebooks.rs`) ───────────────

/// A rulebook of `body` taking effect on 2025-01-01.
fn rules(body: &str) -> Arc<Rulebook> {
    let text =
        format!("title: T\neffective: 2025-01-01\ncurrency: CNY\ntime zone: +08:00\n{body}\n");
    Arc::new(Rulebook::parse("t.rules", &text).unwrap_or_else(|e| panic!("{e:?}")))
}

/// Each statement's outcomes as `who month line rule kind`.
fn outcomes(report: &Report) -> Vec<String> {
    report
        .statements
        .iter()
        .flat_map(|s| {
            s.outcomes.iter().map(move |o| {
                let line = o.line.map_or("-".to_owned(), |l| l.to_string());
                format!("{} {} {line}:{} {}", s.who, s.month, o.rule, o.kind)
            })
        })
        .collect()
}

#[test]
fn a_period_rule_orders_its_outcome_beside_its_amount() {
    let rulebook = rules(
        "1.1 late: no consequence\n\
         4.1 each month, every person on the roster with more than 2 late: fine 1, and dismissal",
    );
    let lines = [
        line("2025-01-02", "E1", "late", ""),
        line("2025-01-03", "E1", "late", ""),
        line("2025-01-04", "E1", "late", ""),
        line("2025-01-04", "E2", "late", ""),
    ];
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let report = run(&rulebook, &lines, None);
    assert_eq!(summary(&report), ["E1 2025-01: -1 +0 =-1 [-:4.1 1]"]);
    assert_eq!(outcomes(&report), ["E1 2025-01 -:4.1 dismissal"]);
}

#[test]
fn the_nth_time_counts_the_occurrences_that_earned_nothing() {
    let rulebook = rules(
        "1.1 card signing: fine 20 from the 4th time on\n\
         1.2 theft: dismissal the 2nd time",
    );
    let lines = [
        line("2025-01-01", "E1", "card signing", ""),
        line("2025-01-02", "E1", "card signing", ""),
        line("2025-01-03", "E1", "card signing", ""),
        line("2025-01-04", "E1", "card signing", ""),
        line("2025-01-05", "E1", "card signing", ""),
        line("2025-01-06", "E2", "theft", ""),
        line("2025-01-07", "E2", "theft", ""),
    ];
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let report = run(&rulebook, &lines, Some(&[]));
    assert_eq!(
        summary(&report),
        [
            "E1 2025-01: -40 +0 =-40 [4:1.1 20, 5:1.1 20]",
            "E2 2025-01: -0 +0 =0 []"
        ]
    );
    assert_eq!(outcomes(&report), ["E2 2025-01 7:1.2 dismissal"]);
    let ignored: Vec<Option<u64>> = report.ignored.iter().map(|i| i.line).collect();
    assert_eq!(ignored, [Some(1), Some(2), Some(3), Some(6)]);
}

#[test]
fn an_amount_for_a_related_person_is_explained_by_its_own_rate() {
    let rulebook = rules(
        "measure manager: text\n\
         2.1 overtime: fine 20 per minutes, and fine 50 per minutes for their manager\n\
         2.2 loss: fine 15, and fine 10% of value for their manager",
    );
    let lines = [
        line(
            "2025-01-02",
            "E1",
            "overtime",
            r#", "minutes": 2, "manager": "E2""#,
        ),
        line(
            "2025-01-03",
            "E1",
            "loss",
            r#", "value": 300, "manager": "E2""#,
        ),
    ];
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let report = run(&rulebook, &lines, Some(&[]));
    let whys: Vec<(&str, &str)> = report
        .statements
        .iter()
        .flat_map(|s| {
            s.entries
                .iter()
                .map(move |e| (s.who.as_str(), e.why.as_str()))
        })
        .collect();
    assert_eq!(
        whys,
        [
            ("E1", "overtime: minutes 2: 2 beyond 0 at 20 each"),
            ("E1", "loss"),
            (
                "E2",
                "overtime: minutes 2: 2 beyond 0 at 50 each, as the manager of \"E1\""
            ),
            ("E2", "loss: 10% of value 300, as the manager of \"E1\""),
        ]
    );
}

#[test]
fn a_banded_percentage_is_explained_by_its_band_and_by_its_base() {
    let rulebook = rules("5.1 bonus, by points:\n  - at least 10: reward 5% of salary");
    let event = line(
        "2025-01-02",
        "E1",
        "bonus",
        r#", "points": 12, "salary": 3000"#,
    );
    let report = run(&rulebook, &[&event], Some(&[]));
    assert_eq!(summary(&report), ["E1 2025-01: -0 +150 =150 [1:5.1 150]"]);
    assert_eq!(
        report.statements[0].entries[0].why,
        "bonus: points 12, at least 10, 5% of salary 3000"
    );
}

#[test]
fn a_value_beyond_every_band_is_judged_by_the_rule_for_it() {
    let rulebook = rules(
        "2.10 late, by minutes:\n  - less than 15: fine 15\n\
         2.11 late with at least 15 minutes: fine 30",
    );
    let lines = [
        line("2025-01-02", "E1", "late", r#", "minutes": 5"#),
        line("2025-01-03", "E1", "late", r#", "minutes": 20"#),
    ];
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let report = run(&rulebook, &lines, Some(&[]));
    assert_eq!(
        summary(&report),
        ["E1 2025-01: -45 +0 =-45 [1:2.10 15, 2:2.11 30]"]
    );
    assert!(report.ignored.is_empty(), "{:?}", report.ignored);
}

#[test]
fn naming_the_person_at_fault_as_their_own_manager_is_refused_whatever_the_amount() {
    let rulebook = rules(
        "measure manager: text\n\
         3.13 lost keys: fine 50, and fine 5 per minutes beyond 10 for their manager",
    );
    let event = line(
        "2025-01-02",
        "E1",
        "lost keys",
        r#", "minutes": 3, "manager": "E1""#,
    );
    let report = run(&rulebook, &[&event], Some(&[]));
    assert!(report.statements.is_empty(), "{:?}", summary(&report));
    assert_eq!(
        report.rejected[0].why,
        "\"E1\" is named as their own manager"
    );
}

#[test]
fn every_person_a_collective_event_names_is_at_fault() {
    let rulebook = rules(
        "2.9 passing the buck when severe: fine 20 for every person named\n\
         2.10 passing the buck when not severe: fine 5, and ordered to remedy",
    );
    let event = r#"{"at": "2025-01-02", "who": ["E1", "E2"], "event": "passing the buck"}"#;
    let report = run(&rulebook, &[event], Some(&[]));
    assert_eq!(
        summary(&report),
        [
            "E1 2025-01: -5 +0 =-5 [1:2.10 5]",
            "E2 2025-01: -5 +0 =-5 [1:2.10 5]"
        ]
    );
    assert_eq!(
        outcomes(&report),
        ["E1 2025-01 1:2.10 remedy", "E2 2025-01 1:2.10 remedy"]
    );
}

#[test]
fn each_person_a_collective_event_names_has_their_own_count() {
    let rulebook = rules(
        "2.9 passing the buck: fine 10 the 1st time, 30 from the 2nd time on for every person named",
    );
    let lines = [
        r#"{"at": "2025-01-02", "who": "E1", "event": "passing the buck"}"#,
        r#"{"at": "2025-01-03", "who": ["E1", "E2"], "event": "passing the buck"}"#,
    ];
    let report = run(&rulebook, &lines, Some(&[]));
    assert_eq!(
        summary(&report),
        [
            "E1 2025-01: -40 +0 =-40 [1:2.9 10, 2:2.9 30]",
            "E2 2025-01: -10 +0 =-10 [2:2.9 10]"
        ]
    );
    assert!(
        report.statements[1].entries[0]
            .why
            .contains("the 1st time in 2025-01")
    );
}

#[test]
fn an_event_counts_in_period_rules_as_every_kind_it_counts_as() {
    let rulebook = rules(
        "1.1 late: counts as tardy\n\
         1.2 tardy: counts as absence\n\
         1.3 absence: no consequence\n\
         4.1 each month, every person on the roster with no tardy: reward 15",
    );
    let event = line("2025-01-02", "E1", "late", "");
    let report = run(&rulebook, &[&event], Some(&["E1", "E2"]));
    assert_eq!(summary(&report), ["E2 2025-01: -0 +15 =15 [-:4.1 15]"]);
}

#[test]
fn two_amounts_for_one_person_are_counted_one_after_the_other() {
    let rulebook = rules(
        "measure manager: text\nmeasure mentor: text\n\
         1.1 loss: fine 10 for their manager, and fine 20 for their mentor\n\
         3.9 in the same month, only the 1st fine: 2 times its own base",
    );
    let event = line(
        "2025-01-02",
        "E1",
        "loss",
        r#", "manager": "E2", "mentor": "E2""#,
    );
    let report = run(&rulebook, &[&event], Some(&[]));
    assert_eq!(
        summary(&report),
        ["E2 2025-01: -40 +0 =-40 [1:1.1 10→20, 1:1.1 20]"]
    );
}

#[test]
fn two_amounts_for_one_person_that_overflow_together_reject_the_line() {
    let rulebook = rules(
        "measure manager: text\nmeasure mentor: text\nmeasure units: number\n\
         1.1 loss: fine 100000000 per units for their manager, and fine 100000000 per units for their mentor",
    );
    // Each fine is 5 × 10¹⁸ fen, which the money type holds; the two together it does not.
    let event = line(
        "2025-01-02",
        "E1",
        "loss",
        r#", "manager": "E2", "mentor": "E2", "units": 500000000"#,
    );
    let report = run(&rulebook, &[&event], Some(&[]));
    assert!(report.statements.is_empty(), "{:?}", summary(&report));
    assert_eq!(
        report.rejected[0].why,
        "the amounts of rule 1.1 are too large to add up"
    );
}

#[test]
fn an_ignored_line_says_which_condition_failed_whatever_the_kind_reads() {
    let rulebook = rules(
        "1.1 x with more than 2 p and with more than 2 q and with more than 2 r and when not f: fine 5",
    );
    let event = line(
        "2025-01-02",
        "E1",
        "x",
        r#", "p": 3, "q": 3, "r": 3, "f": true"#,
    );
    let report = run(&rulebook, &[&event], Some(&[]));
    assert_eq!(report.ignored[0].why, "f is set");
}

#[test]
fn a_related_persons_reason_names_the_person_at_fault_who_owes_nothing() {
    let rulebook = rules("measure manager: text\n3.13 lost keys: fine 10 for their manager");
    let event = line("2025-01-02", "E1", "lost keys", r#", "manager": "E2""#);
    let report = run(&rulebook, &[&event], Some(&[]));
    assert_eq!(summary(&report), ["E2 2025-01: -10 +0 =-10 [1:3.13 10]"]);
    assert_eq!(
        report.statements[0].entries[0].why,
        "lost keys: as the manager of \"E1\""
    );
}

#[test]
fn an_event_prepared_by_another_evaluator_is_refused_not_charged_to_nobody() {
    use rulebook::{Evaluator, Ledger, Rejection};
    let rulebook = bundled();
    let mut preparer = Evaluator::new(Arc::clone(&rulebook));
    preparer
        .prepare(Some(1), &Event::new("2025-08-18", "E1", "messy desk"))
        .unwrap();
    let prepared = preparer
        .prepare(Some(2), &Event::new("2025-08-18", "E2", "messy desk"))
        .unwrap();
    let mut other = Evaluator::new(Arc::clone(&rulebook));
    let mut ledger = Ledger::new(Arc::clone(&rulebook));
    assert_eq!(
        other.apply_prepared(&prepared, &mut ledger),
        Err(Rejection::ForeignEvent)
    );
    assert!(ledger.report().statements.is_empty());
    // Its own evaluator applies it.
    preparer.apply_prepared(&prepared, &mut ledger).unwrap();
    assert_eq!(ledger.report().statements[0].who, "E2");
}

#[test]
fn an_unknown_person_has_no_name_rather_than_an_empty_one() {
    use rulebook::{Evaluator, Ledger, PersonId};
    let rulebook = bundled();
    let mut evaluator = Evaluator::new(Arc::clone(&rulebook));
    let prepared = evaluator
        .prepare(Some(1), &Event::new("2025-08-18", "E1", "messy desk"))
        .unwrap();
    evaluator
        .apply_prepared(&prepared, &mut Ledger::new(Arc::clone(&rulebook)))
        .unwrap();
    let known: PersonId = serde_json::from_str("0").unwrap();
    let unknown: PersonId = serde_json::from_str("7").unwrap();
    assert_eq!(evaluator.person_name(known), Some("E1"));
    assert_eq!(evaluator.person_name(unknown), None);
}

/// Streams `lines` (numbered from 1) through one evaluator, in the order given, into one
/// ledger; then closes every month.
fn streamed(rulebook: &Arc<Rulebook>, lines: &[&str]) -> Report {
    use rulebook::{Evaluator, Ledger};
    let mut evaluator = Evaluator::new(Arc::clone(rulebook));
    let mut ledger = Ledger::new(Arc::clone(rulebook));
    for (line, text) in (1..).zip(lines) {
        let applied = Event::from_json(text)
            .and_then(|event| evaluator.prepare(Some(line), &event))
            .and_then(|prepared| evaluator.apply_prepared(&prepared, &mut ledger));
        if let Err(rejection) = applied {
            ledger.reject(line, rejection);
        }
    }
    evaluator.close_all(None, &mut ledger).unwrap();
    ledger.report()
}

#[test]
fn a_stream_refuses_to_charge_a_related_person_out_of_time_order() {
    // The manager's own fines of September come first; then an August event of E1 (in time
    // order for E1) would charge the manager in August, after September. Counting it would
    // restart the manager's 3.9 count, and the 3rd fine of September would not be doubled.
    let rulebook = rules(
        "measure manager: text\n\
         1.1 messy desk: fine 15\n\
         1.2 lost keys: fine 50, and fine 10 for their manager\n\
         3.9 in the same month, from the 3rd fine on: 2 times the heaviest base so far",
    );
    let lines = [
        r#"{"at": "2025-09-10", "who": "M", "event": "messy desk"}"#,
        r#"{"at": "2025-08-20", "who": "E1", "event": "lost keys", "manager": "M"}"#,
        r#"{"at": "2025-09-11", "who": "M", "event": "messy desk"}"#,
        r#"{"at": "2025-09-12", "who": "M", "event": "messy desk"}"#,
    ];
    let report = streamed(&rulebook, &lines);
    assert_eq!(
        summary(&report),
        ["M 2025-09: -60 +0 =-60 [1:1.1 15, 3:1.1 15, 4:1.1 15→30]"]
    );
    assert_eq!(report.rejected.len(), 1);
    assert_eq!(report.rejected[0].line, Some(2));
    assert!(
        report.rejected[0]
            .why
            .starts_with(r#"out of time order: "M" already has an event at 2025-09-09T16:00:00"#),
        "{}",
        report.rejected[0].why
    );
    // In time order, the same lines are all applied, stream and batch alike.
    let ordered = [lines[1], lines[0], lines[2], lines[3]];
    assert_eq!(
        streamed(&rulebook, &ordered),
        run(&rulebook, &ordered, None)
    );
}

#[test]
fn a_month_is_closed_once_and_then_takes_no_more_events() {
    use rulebook::{EvaluateError, Evaluator, Ledger, Month, Rejection};
    let rulebook = rules(
        "4.1 each month, every person on the roster with no late: reward 15\n\
         4.1 late: no consequence\n\
         1.1 messy desk: fine 15",
    );
    let mut evaluator = Evaluator::new(Arc::clone(&rulebook));
    let mut ledger = Ledger::new(Arc::clone(&rulebook));
    let apply = |evaluator: &mut Evaluator, ledger: &mut Ledger, line, at, kind| {
        let prepared = evaluator.prepare(Some(line), &Event::new(at, "E1", kind))?;
        evaluator.apply_prepared(&prepared, ledger)
    };
    apply(&mut evaluator, &mut ledger, 1, "2025-08-10", "messy desk").unwrap();
    let (july, august, september) = (
        Month::new(2025, 7).unwrap(),
        Month::new(2025, 8).unwrap(),
        Month::new(2025, 9).unwrap(),
    );
    // September cannot be closed while August, which has an event, is open.
    assert!(matches!(
        evaluator.close_month(september, None, &mut ledger),
        Err(EvaluateError::MonthNotNext { .. })
    ));
    evaluator.close_month(august, None, &mut ledger).unwrap();
    // Closing August again would pay its 4.1 twice; closing July now would skip nothing
    // but come after August.
    let again = evaluator.close_month(august, None, &mut ledger);
    assert!(
        matches!(again, Err(EvaluateError::AlreadyClosed { .. })),
        "{again:?}"
    );
    assert_eq!(
        again.unwrap_err().to_string(),
        "2025-08 is already closed (months are closed through 2025-08): its period rules have been applied"
    );
    assert!(evaluator.close_month(july, None, &mut ledger).is_err());
    // A late arrival of August, told after August was closed, cannot take back its 4.1: it
    // is refused, out loud.
    let late = apply(&mut evaluator, &mut ledger, 2, "2025-08-20", "late");
    assert_eq!(
        late,
        Err(Rejection::MonthClosed {
            month: "2025-08".to_owned()
        })
    );
    assert_eq!(
        late.unwrap_err().to_string(),
        "2025-08 is already closed: its period rules have been applied, so an event of 2025-08 can no longer be counted"
    );
    // September goes on.
    apply(&mut evaluator, &mut ledger, 3, "2025-09-01", "messy desk").unwrap();
    evaluator.close_all(None, &mut ledger).unwrap();
    assert_eq!(
        summary(&ledger.report()),
        [
            "E1 2025-08: -15 +15 =0 [1:1.1 15, -:4.1 15]",
            "E1 2025-09: -15 +15 =0 [3:1.1 15, -:4.1 15]"
        ]
    );
}

#[test]
fn a_ledger_refuses_the_entries_of_an_evaluator_that_names_its_people_otherwise() {
    use rulebook::{Evaluator, Ledger, Rejection};
    let rulebook = bundled();
    let mut ledger = Ledger::new(Arc::clone(&rulebook));
    // Two evaluators, one ledger: each evaluator numbers its people from 0.
    let mut first = Evaluator::new(Arc::clone(&rulebook));
    let mut second = Evaluator::new(Arc::clone(&rulebook));
    let prepared = first
        .prepare(Some(1), &Event::new("2025-08-18", "E1", "messy desk"))
        .unwrap();
    first.apply_prepared(&prepared, &mut ledger).unwrap();
    let prepared = second
        .prepare(Some(2), &Event::new("2025-08-18", "E2", "messy desk"))
        .unwrap();
    let refused = second.apply_prepared(&prepared, &mut ledger);
    assert!(
        matches!(refused, Err(Rejection::ForeignLedger)),
        "{refused:?}"
    );
    assert_eq!(
        summary(&ledger.report()),
        ["E1 2025-08: -15 +0 =-15 [1:1.3 15]"]
    );
    // Closing months for people the ledger knows otherwise is refused too.
    let roster = Roster::new(["E2"]).unwrap();
    let august = rulebook::Month::new(2025, 8).unwrap();
    let refused = second.close_month(august, Some(&roster), &mut ledger);
    assert!(
        matches!(refused, Err(rulebook::EvaluateError::ForeignLedger)),
        "{refused:?}"
    );
    assert_eq!(
        summary(&ledger.report()),
        ["E1 2025-08: -15 +0 =-15 [1:1.3 15]"]
    );
}

#[test]
fn a_batch_evaluation_starts_from_an_empty_ledger() {
    use rulebook::{EvaluateError, Ledger, evaluate_into};
    // Two files of one month, each evaluated into the same ledger: the second would count
    // E1's fines from 1 again (the 3rd fine not doubled) and pay August's 4.1 a second time.
    let rulebook = bundled();
    let events = |lines: &[&str]| -> Vec<(u64, Result<Event, rulebook::Rejection>)> {
        (1..)
            .zip(lines)
            .map(|(n, l)| (n, Event::from_json(l)))
            .collect()
    };
    let first = [
        r#"{"at": "2025-08-18", "who": "E1", "event": "messy desk"}"#,
        r#"{"at": "2025-08-19", "who": "E1", "event": "messy desk"}"#,
    ];
    let second = [r#"{"at": "2025-08-20", "who": "E1", "event": "messy desk"}"#];
    let mut ledger = Ledger::new(Arc::clone(&rulebook));
    evaluate_into(&mut ledger, events(&first), None).unwrap();
    let before = ledger.report();
    let refused = evaluate_into(&mut ledger, events(&second), None);
    assert!(
        matches!(refused, Err(EvaluateError::LedgerInUse)),
        "{refused:?}"
    );
    assert_eq!(ledger.report(), before, "nothing was added");
    assert_eq!(
        summary(&before),
        ["E1 2025-08: -30 +15 =-15 [1:1.3 15, 2:1.3 15, -:4.1 15]"]
    );
    // A fresh ledger takes them.
    let mut fresh = Ledger::totals_only(Arc::clone(&rulebook));
    evaluate_into(&mut fresh, events(&second), None).unwrap();
}
