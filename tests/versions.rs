//! Versions of a policy: the set is checked as a whole, each event is judged by the version in
//! force at its instant, and counts run across a change of version (`docs/semantics.md` §5).

mod common;

use std::sync::Arc;

use common::{report_of, scratch};
use rulebook::{Problem, ProblemKind, Rejection, Report, Rulebook, VersionErrors};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/versions");
const OLD: &str = include_str!("fixtures/versions/c-tower-2024-12-08.rules");
const NEW: &str = include_str!("../rules/en/c-tower.rules");

fn run(rulebook: Rulebook, events: &str) -> Report {
    report_of(Arc::new(rulebook), events)
}

/// `who month: fines/rewards` per statement, then each entry as `line rule amount`.
fn summary(report: &Report) -> Vec<String> {
    let mut out = Vec::new();
    for s in &report.statements {
        out.push(format!("{} {}: {}/{}", s.who, s.month, s.fines, s.rewards));
        for e in &s.entries {
            out.push(format!("  {} {} {}", e.line.unwrap_or(0), e.rule, e.amount));
        }
    }
    out
}

#[test]
fn an_august_stream_is_split_across_the_two_versions() {
    let rulebook = Rulebook::from_dir(FIXTURES).unwrap();
    let versions = rulebook.versions();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0].effective().to_string(), "2024-12-08");
    assert_eq!(
        versions[0].until().map(|d| d.to_string()).as_deref(),
        Some("2025-08-14")
    );
    assert_eq!(versions[1].effective().to_string(), "2025-08-15");
    assert_eq!(versions[1].until(), None);

    let events = std::fs::read_to_string(format!("{FIXTURES}/2025-08.jsonl")).unwrap();
    let report = run(rulebook, &events);
    assert_eq!(
        summary(&report),
        [
            // July: the old version, its 4.1 of 10.
            "E1 2025-07: 10/10",
            "  3 1.3 10",
            "  0 4.1 10",
            // Two fines under the old version, the third under the new one: 3.9 counts all
            // three and doubles the heaviest base so far (150, of the old version).
            "E1 2025-08: 460/15",
            "  4 1.3 10",
            "  5 3.11 150",
            "  6 1.3 300",
            "  0 4.1 15",
            "E2 2025-07: 0/10",
            "  0 4.1 10",
            // Two rewards under the old version, the third under the new: 5.4 doubles it.
            // The late arrival of the 5th (old version) voids August's 4.1 (new version).
            "E2 2025-08: 0/75",
            "  8 4.2 15",
            "  9 5.1 20",
            "  10 4.2 40",
            "E3 2025-07: 0/10",
            "  0 4.1 10",
            // 4 rings a second before midnight: the old version (more than 4); at midnight:
            // the new (more than 3). The service star exists from the 15th only.
            "E3 2025-08: 15/265",
            "  13 1.2 15",
            "  14 5.5 250",
            "  0 4.1 15",
        ]
    );
    let ignored: Vec<u64> = report.ignored.iter().filter_map(|i| i.line).collect();
    assert_eq!(ignored, [7, 12]);
    let rejected: Vec<(Option<u64>, &str)> = report
        .rejected
        .iter()
        .map(|r| (r.line, r.why.as_str()))
        .collect();
    assert_eq!(
        rejected,
        [
            (
                Some(11),
                "event kind \"service star\" is not in the version in force on 2025-08-10 (the version of 2024-12-08)"
            ),
            (Some(15), "no rulebook in force on 2024-11-30"),
        ]
    );
}

#[test]
fn the_order_of_the_files_does_not_matter_and_one_version_is_the_file_alone() {
    let events = std::fs::read_to_string(format!("{FIXTURES}/2025-08.jsonl")).unwrap();
    let forward = Rulebook::from_versions(&[("old.rules", OLD), ("new.rules", NEW)]).unwrap();
    let backward = Rulebook::from_versions(&[("new.rules", NEW), ("old.rules", OLD)]).unwrap();
    assert_eq!(
        summary(&run(forward, &events)),
        summary(&run(backward, &events))
    );
    let alone = Rulebook::from_versions(&[("new.rules", NEW)]).unwrap();
    let parsed = Rulebook::parse("new.rules", NEW).unwrap();
    assert_eq!(
        summary(&run(alone, &events)),
        summary(&run(parsed, &events))
    );
}

/// The problems of a set that fails, as `file:line: message`.
fn set_problems(files: &[(&str, &str)]) -> Vec<String> {
    let errors: VersionErrors = Rulebook::from_versions(files).unwrap_err();
    errors
        .files()
        .iter()
        .flat_map(|file| {
            file.problems()
                .iter()
                .map(move |p: &Problem| format!("{}:{}: {}", file.name(), p.location().line, p))
        })
        .collect()
}

fn version(effective: &str, extra_header: &str) -> String {
    format!(
        "title: t\neffective: {effective}\n{extra_header}currency: CNY\ntime zone: +08:00\n1.1 late: fine 5\n"
    )
}

#[test]
fn two_versions_taking_effect_the_same_day_are_refused() {
    let a = version("2025-01-01", "");
    let b = version("2025-01-01", "");
    assert_eq!(
        set_problems(&[("a.rules", &a), ("b.rules", &b)]),
        ["b.rules:2: the version of `2025-01-01` in `a.rules` also takes effect on `2025-01-01`"]
    );
}

#[test]
fn a_version_that_does_not_repeal_the_one_before_is_refused() {
    let a = version("2025-01-01", "");
    let b = version("2025-06-01", "");
    assert_eq!(
        set_problems(&[("a.rules", &a), ("b.rules", &b)]),
        [
            "b.rules:2: both this version and the version of `2025-01-01` in `a.rules` would be in force from `2025-06-01`"
        ]
    );
    // Repealing a version that is loaded but not the one just before leaves that one in force.
    let c = version("2025-09-01", "repeals: the version of 2025-01-01\n");
    let b = version("2025-06-01", "repeals: the version of 2025-01-01\n");
    assert_eq!(
        set_problems(&[("a.rules", &a), ("b.rules", &b), ("c.rules", &c)]),
        [
            "c.rules:2: both this version and the version of `2025-06-01` in `b.rules` would be in force from `2025-09-01`"
        ]
    );
}

#[test]
fn a_repeal_naming_a_version_that_is_not_loaded_is_refused_unless_older_than_all() {
    let a = version("2025-01-01", "repeals: the version of 2024-01-01\n");
    let b = version(
        "2025-06-01",
        "repeals: the versions of 2025-01-01, 2025-03-01, 2023-05-01\n",
    );
    // 2025-03-01 lies between the loaded versions: it should be there. 2024-01-01 and
    // 2023-05-01 are older than every loaded version: a history not kept.
    let errors = Rulebook::from_versions(&[("a.rules", &a), ("b.rules", &b)]).unwrap_err();
    let [file] = errors.files() else {
        panic!("one file: {errors:?}")
    };
    let [problem] = file.problems() else {
        panic!("one problem: {errors:?}")
    };
    assert_eq!(
        problem.to_string(),
        "the repealed version of `2025-03-01` is not among the versions loaded (`2025-01-01`, `2025-06-01`)"
    );
    // The date itself is underlined.
    assert_eq!(
        (problem.location().line, problem.location().column),
        (3, 38)
    );
}

#[test]
fn a_gap_between_versions_is_refused_and_an_end_is_kept() {
    let a = version("2025-01-01", "in force until: 2025-03-31\n");
    let b = version("2025-06-01", "");
    assert_eq!(
        set_problems(&[("a.rules", &a), ("b.rules", &b)]),
        [
            "b.rules:2: no version is in force from `2025-04-01` to `2025-05-31`: the version in `a.rules` ends before"
        ]
    );
    // No gap: the later version takes effect the day after, without repealing.
    let b = version("2025-04-01", "");
    let rulebook = Rulebook::from_versions(&[("a.rules", &a), ("b.rules", &b)]).unwrap();
    assert_eq!(
        rulebook.versions()[0].until().unwrap().to_string(),
        "2025-03-31"
    );
    // After the last version ends, nothing is in force.
    let alone = Rulebook::from_versions(&[("a.rules", &a)]).unwrap();
    let report = run(
        alone,
        r#"{"at": "2025-03-31T23:59:59", "who": "E1", "event": "late"}
{"at": "2025-04-01", "who": "E1", "event": "late"}"#,
    );
    assert_eq!(report.statements.len(), 1);
    assert_eq!(report.rejected.len(), 1);
    assert_eq!(report.rejected[0].why, "no rulebook in force on 2025-04-01");
    // An end before the start is a problem of the file itself.
    let reversed = version("2025-01-01", "in force until: 2024-12-31\n");
    assert!(matches!(
        Rulebook::parse("r.rules", &reversed)
            .unwrap_err()
            .problems()[0]
            .kind(),
        ProblemKind::UntilBeforeEffective { .. }
    ));
}

#[test]
fn versions_agree_on_time_zone_currency_and_measure_types() {
    let a = version("2025-01-01", "");
    let b = "title: t\neffective: 2025-06-01\nrepeals: the version of 2025-01-01\ncurrency: USD\ntime zone: +09:00\n1.1 late: fine 5\n";
    assert_eq!(
        set_problems(&[("a.rules", &a), ("b.rules", b)]),
        [
            "b.rules:4: the currency is `USD` here but `CNY` in `a.rules`",
            "b.rules:5: the time zone is `+09:00` here but `+08:00` in `a.rules`",
        ]
    );
    let a = format!(
        "{}measure rings: whole number\n1.2 phone unanswered with more than 3 rings: fine 5\n",
        version("2025-01-01", "")
    );
    let b = format!(
        "{}measure rings: number\n1.2 phone unanswered with more than 3 rings: fine 5\n",
        version("2025-06-01", "repeals: the version of 2025-01-01\n")
    );
    assert_eq!(
        set_problems(&[("a.rules", &a), ("b.rules", &b)]),
        ["b.rules:7: measure `rings` is `number` here but `whole number` in `a.rules`"]
    );
}

#[test]
fn a_measure_implied_by_use_is_pointed_at_where_it_is_used() {
    let a = format!(
        "{}1.2 phone unanswered with more than 3 rings: fine 5\n",
        version("2025-01-01", "")
    );
    let b = format!(
        "{}1.2 phone unanswered when rings: fine 5\n",
        version("2025-06-01", "repeals: the version of 2025-01-01\n")
    );
    let errors = Rulebook::from_versions(&[("a.rules", &a), ("b.rules", &b)]).unwrap_err();
    let problem = &errors.files()[0].problems()[0];
    assert_eq!(
        problem.to_string(),
        "measure `rings` is `flag` here but `number` in `a.rules`"
    );
    assert_eq!(
        (problem.location().line, problem.location().column),
        (7, 27)
    );
}

#[test]
fn a_file_with_problems_is_reported_with_its_own_and_nothing_is_merged() {
    let a = version("2025-01-01", "");
    let broken =
        "title: t\neffective: 2025-06-01\ncurrency: CNY\ntime zone: +08:00\n1.1 late: fien 5\n";
    let problems = set_problems(&[("a.rules", &a), ("broken.rules", broken)]);
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].starts_with("broken.rules:5: expected"),
        "{problems:?}"
    );
}

#[test]
fn a_kind_of_the_new_version_only_is_rejected_before_it() {
    let rulebook = Rulebook::from_versions(&[("old.rules", OLD), ("new.rules", NEW)]).unwrap();
    let report = run(
        rulebook,
        r#"{"at": "2025-08-14", "who": "E1", "event": "service star", "amount": 250}"#,
    );
    assert!(
        report
            .statements
            .iter()
            .all(|s| s.entries.iter().all(|e| e.rule != "5.5"))
    );
    assert_eq!(report.rejected.len(), 1);
    assert!(
        report.rejected[0].why.starts_with(
            "event kind \"service star\" is not in the version in force on 2025-08-14"
        )
    );
    // A kind no version knows is unknown, with a suggestion from them all.
    let rulebook = Rulebook::from_versions(&[("old.rules", OLD), ("new.rules", NEW)]).unwrap();
    let mut evaluator = rulebook::Evaluator::new(Arc::new(rulebook));
    let event = rulebook::Event::new("2025-08-20", "E1", "servce star");
    assert!(matches!(
        evaluator.prepare(None, &event),
        Err(Rejection::UnknownKind { suggestion: Some(s), .. }) if s == "service star"
    ));
}

/// The report of `events` judged by `source` alone and as the one file of a set.
fn alone_and_as_a_set(source: &str, events: &str) -> (Vec<String>, Vec<String>) {
    let alone = Rulebook::parse("a.rules", source).unwrap();
    let set = Rulebook::from_versions(&[("a.rules", source)]).unwrap();
    (summary(&run(alone, events)), summary(&run(set, events)))
}

#[test]
fn counts_of_one_version_are_never_shared_even_under_one_label() {
    let header = "title: t\neffective: 2025-01-01\ncurrency: CNY\ntime zone: +08:00\n";
    // Two period rules labelled 4.1, and two schedule rules labelled 3.12.
    let source = format!(
        "{header}1.1 late, absence: no consequence\n\
         4.1 each month, every person on the roster with no late: reward 15\n\
         4.1 each month, every person on the roster with no absence: reward 10\n\
         3.12 theft with a value of at most 10: fine 100 the 1st time, 200 from the 2nd time on\n\
         3.12 theft with a value of more than 10: fine 300 the 1st time, 400 from the 2nd time on\n"
    );
    let events = r#"{"at": "2025-03-03", "who": "E1", "event": "absence"}
{"at": "2025-03-04", "who": "E1", "event": "theft", "value": 5}
{"at": "2025-03-05", "who": "E1", "event": "theft", "value": 50}"#;
    let (alone, set) = alone_and_as_a_set(&source, events);
    assert_eq!(alone, set);
    assert_eq!(
        alone,
        [
            "E1 2025-03: 400/15",
            "  2 3.12 100",
            "  3 3.12 300",
            "  0 4.1 15",
        ]
    );
}

#[test]
fn a_quarterly_rule_of_a_new_version_counts_in_quarters() {
    let old = "title: t\neffective: 2025-01-01\ncurrency: CNY\ntime zone: +08:00\n\
               1.1 absence: no consequence\n\
               4.1 each month, every person on the roster with no absence: reward 15\n";
    let new = "title: t\neffective: 2025-04-01\nrepeals: the version of 2025-01-01\ncurrency: CNY\ntime zone: +08:00\n\
               1.1 absence: no consequence\n\
               4.1 each month, every person on the roster with no absence: reward 15\n\
               4.5 each quarter, every person on the roster with no absence: reward 100\n";
    let events = r#"{"at": "2025-03-31", "who": "E2", "event": "absence"}
{"at": "2025-04-05", "who": "E1", "event": "absence"}
{"at": "2025-06-30", "who": "E2", "event": "absence"}"#;
    let set = Rulebook::from_versions(&[("old.rules", old), ("new.rules", new)]).unwrap();
    let report = summary(&run(set, events));
    let alone = summary(&run(
        Rulebook::parse("new.rules", new).unwrap(),
        &events[events.find('\n').unwrap() + 1..],
    ));
    // E1 was absent in Q2: no 4.5, in both; E2 only in March (old version) and June.
    assert!(!report.iter().any(|l| l.contains("4.5")), "{report:?}");
    assert!(!alone.iter().any(|l| l.contains("4.5")), "{alone:?}");
    assert!(
        report.contains(&"E1 2025-05: 0/15".to_owned()),
        "{report:?}"
    );
}

#[test]
fn every_file_of_a_directory_is_reported_not_only_the_first_that_is_not_utf8() {
    let dir = scratch("versions-not-utf8");
    std::fs::write(
        dir.join("a.rules"),
        version("2025-01-01", "").replace("fine 5", "fien 5"),
    )
    .unwrap();
    let mut latin1 = version("2025-06-01", "").into_bytes();
    latin1.extend_from_slice(b"1.2 caf\xe9: fine 5\n");
    std::fs::write(dir.join("b.rules"), latin1).unwrap();
    let Err(rulebook::Error::Versions(errors)) = Rulebook::from_dir(&dir) else {
        panic!("both files have problems")
    };
    let problems: Vec<String> = errors
        .files()
        .iter()
        .flat_map(|f| {
            f.problems()
                .iter()
                .map(move |p| format!("{}: {p}", f.name()))
        })
        .collect();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].contains("a.rules: expected"), "{problems:?}");
    assert!(
        problems[1].contains("b.rules: the rule file is not UTF-8"),
        "{problems:?}"
    );
}

#[test]
fn too_many_versions_are_refused_before_any_is_read() {
    let dir = scratch("versions-too-many");
    for i in 0..=rulebook::limits::MAX_VERSIONS {
        // Not even rule files: they would fail if read.
        std::fs::write(dir.join(format!("{i:03}.rules")), b"\xff").unwrap();
    }
    let Err(rulebook::Error::Versions(errors)) = Rulebook::from_dir(&dir) else {
        panic!("refused")
    };
    assert!(matches!(
        errors.files()[0].problems()[0].kind(),
        ProblemKind::TooManyVersions { count, .. } if *count == rulebook::limits::MAX_VERSIONS + 1
    ));
}

#[test]
fn the_fixture_of_the_bundled_version_is_the_bundled_file() {
    // A copy, not a link (a link out of the directory is refused): it must not drift.
    let copy = std::fs::read_to_string(format!("{FIXTURES}/c-tower-2025-08-15.rules")).unwrap();
    let bundled = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/rules/en/c-tower.rules"
    ))
    .unwrap();
    assert_eq!(copy, bundled);
}

#[test]
fn a_link_out_of_the_directory_is_refused_and_never_read() {
    let dir = common::scratch("link-outside");
    let secret = common::scratch("link-outside-secret").join("shadow");
    std::fs::write(&secret, "root:$6$SECRETHASH:19000:0:99999:7:::\n").unwrap();
    std::fs::write(
        dir.join("c-tower.rules"),
        include_str!("../rules/en/c-tower.rules"),
    )
    .unwrap();
    std::os::unix::fs::symlink(&secret, dir.join("x.rules")).unwrap();
    match Rulebook::from_dir(&dir) {
        Err(error @ rulebook::Error::LinkOutside { .. }) => {
            let message = error.to_string();
            assert!(
                message.contains("x.rules` is a link to `")
                    && message.contains("outside `")
                    && !message.contains("SECRET"),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }
    // A dangling link is refused the same way; a link to a file inside is followed.
    std::fs::remove_file(dir.join("x.rules")).unwrap();
    std::os::unix::fs::symlink(dir.join("gone.txt"), dir.join("x.rules")).unwrap();
    assert!(matches!(
        Rulebook::from_dir(&dir),
        Err(rulebook::Error::LinkOutside { .. })
    ));
    std::fs::remove_file(dir.join("x.rules")).unwrap();
    std::fs::create_dir(dir.join("sources")).unwrap();
    std::fs::rename(dir.join("c-tower.rules"), dir.join("sources/policy.txt")).unwrap();
    std::os::unix::fs::symlink(dir.join("sources/policy.txt"), dir.join("c-tower.rules")).unwrap();
    assert_eq!(Rulebook::from_dir(&dir).unwrap().versions().len(), 1);
}
