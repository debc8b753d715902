//! `rulebook` at the edges of what one input may do: an amount that overflows costs one
//! statement's entry, not the run; what one input can amplify is bounded, with a sentence.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn rulebook(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs")
}

/// A fresh, empty directory under the target directory, for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("written");
    path.display().to_string()
}

const HEADER: &str = "\
title: Bounds
effective: 2025-08-15
currency: CNY
time zone: +08:00
";

#[test]
fn an_overflowing_period_rule_costs_one_statement_entry_not_the_run() {
    let dir = scratch("period-overflow");
    let rules = write(
        &dir,
        "bounds.rules",
        &format!(
            "{HEADER}measure units: number\n\nsection 1: rules\n\
             1.1 thank-you letter: reward 1 per units\n\
             4.1 each month, every person on the roster with no late: reward 15\n\
             4.1 late: no consequence\n"
        ),
    );
    // E1's rewards come to 7 fen short of what the money type holds: 4.1's 15 cannot be
    // added. E2 was late; E3 did nothing and is paid 4.1.
    let events = write(
        &dir,
        "events.jsonl",
        "{\"at\": \"2025-08-18\", \"who\": \"E1\", \"event\": \"thank-you letter\", \"units\": 92233720368547758}\n\
         {\"at\": \"2025-08-19\", \"who\": \"E2\", \"event\": \"late\"}\n",
    );
    let roster = write(&dir, "roster.txt", "E1\nE2\nE3\n");
    let output = rulebook(&[
        "eval", "--rules", &rules, "--roster", &roster, "--format", "json", &events,
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("the whole report is printed");
    let statements: Vec<String> = report["statements"]
        .as_array()
        .expect("statements")
        .iter()
        .map(|s| format!("{} {}", s["who"], s["rewards"]))
        .collect();
    assert_eq!(
        statements,
        ["\"E1\" 92233720368547758", "\"E3\" 15"],
        "E1's month stands without 4.1; E3's is paid"
    );
    assert_eq!(
        report["rejected"],
        serde_json::json!([{
            "line": null,
            "who": "E1",
            "month": "2025-08",
            "code": "overflow",
            "why": "the amounts of rule 4.1 are too large to add up"
        }])
    );

    // The table and the CSV say it too.
    let table = rulebook(&["eval", "--rules", &rules, "--roster", &roster, &events]);
    assert_eq!(table.status.code(), Some(3));
    let table = String::from_utf8_lossy(&table.stdout);
    assert!(
        table.contains("rejected\n  E1 · 2025-08  the amounts of rule 4.1 are too large to add up"),
        "{table}"
    );
    let csv = rulebook(&[
        "eval", "--rules", &rules, "--roster", &roster, "--format", "csv", &events,
    ]);
    assert_eq!(csv.status.code(), Some(3));
    // Every person on the roster has a row, E2 (late, so no 4.1) with zeros.
    assert_eq!(
        String::from_utf8_lossy(&csv.stdout),
        "who,month,currency,fines,rewards,net,outcomes\n\
         E1,2025-08,CNY,0.00,92233720368547758.00,92233720368547758.00,\n\
         E2,2025-08,CNY,0.00,0.00,0.00,\n\
         E3,2025-08,CNY,0.00,15.00,15.00,\n"
    );
    assert_eq!(
        String::from_utf8_lossy(&csv.stderr),
        "E1 · 2025-08: the amounts of rule 4.1 are too large to add up\n"
    );
}

#[test]
fn check_bounds_the_amounts_a_rule_file_may_write() {
    let dir = scratch("amount-bounds");
    let too_large = write(
        &dir,
        "large.rules",
        &format!(
            "{HEADER}\nsection 5: rewards\n5.5 service star: reward 1 to 92233720368547758.07\n"
        ),
    );
    let output = rulebook(&["check", &too_large]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("amount `92233720368547758.07` is too large")
            && stderr.contains("an amount in a rule file is at most 100000000"),
        "{stderr}"
    );
    let largest = write(
        &dir,
        "largest.rules",
        &format!(
            "{HEADER}\nsection 5: rewards\n5.5 service star: reward 1 to 100000000\n\
             5.4 in the same month, every 3rd reward: 100 times the highest base so far\n"
        ),
    );
    let output = rulebook(&["check", &largest]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let multiplier = write(
        &dir,
        "multiplier.rules",
        &format!(
            "{HEADER}\nsection 5: rewards\n5.5 service star: reward 1 to 100\n\
             5.4 in the same month, every 3rd reward: 101 times the highest base so far\n"
        ),
    );
    let output = rulebook(&["check", &multiplier]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("multiplier `101` is too large")
            && stderr.contains("an escalation multiplies by at most 100"),
        "{stderr}"
    );
}

#[test]
fn a_roster_that_never_ends_is_refused_before_it_fills_memory() {
    let output = rulebook(&[
        "eval",
        "--rules",
        "rules/en/c-tower.rules",
        "--roster",
        "/dev/zero",
        "examples/events/2025-08.jsonl",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: the roster `/dev/zero` is larger than 16 MiB, the most a roster may be (one staff id a line)\n"
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn a_century_of_months_for_ten_thousand_people_is_refused_with_its_lines() {
    let dir = scratch("person-months");
    let roster: String = (0..10_000).map(|i| format!("E{i}\n")).collect();
    let roster = write(&dir, "roster.txt", &roster);
    let events = write(
        &dir,
        "events.jsonl",
        "{\"at\": \"2025-08-18\", \"who\": \"E1\", \"event\": \"messy desk\"}\n\
         {\"at\": \"2125-07-18\", \"who\": \"E1\", \"event\": \"messy desk\"}\n",
    );
    let expected = "error: the events run from 2025-08 (line 1) to 2125-07 (line 2), 1200 months for 10000 people: 12000000 person-months to close, more than the 5000000 one evaluation closes; is a year mistyped?\n";
    for mode in [&[][..], &["--stream"][..]] {
        let mut args = vec![
            "eval",
            "--rules",
            "rules/en/c-tower.rules",
            "--roster",
            &roster,
        ];
        args.extend_from_slice(mode);
        args.push(&events);
        let output = rulebook(&args);
        assert_eq!(output.status.code(), Some(2), "{mode:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        if mode.is_empty() {
            assert_eq!(stderr, expected);
        } else {
            // Streaming closes months only at the end, when the lines are long gone.
            assert_eq!(
                stderr,
                expected.replace(" (line 1)", "").replace(" (line 2)", "")
            );
        }
    }
}

#[test]
fn a_file_that_is_not_rule_text_is_quoted_no_further_than_its_first_word() {
    let dir = scratch("not-rule-text");
    let secret = write(
        &dir,
        "shadow",
        "root:$6$SECRETHASH:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n",
    );
    // Named directly (a mistyped path): refused, and only `root` is shown.
    let output = rulebook(&["check", &secret]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("found `root`"), "{stderr}");
    for hidden in ["SECRET", "$6$", "19000", "daemon"] {
        assert!(!stderr.contains(hidden), "`{hidden}` is shown:\n{stderr}");
    }
    // Through a link in a directory of versions: refused before it is read.
    let rules = scratch("not-rule-text-dir");
    std::os::unix::fs::symlink(&secret, rules.join("x.rules")).expect("a link");
    let output = rulebook(&["check", &rules.display().to_string()]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("x.rules` is a link to `") && stderr.contains("outside"),
        "{stderr}"
    );
    assert!(!stderr.contains("root"), "{stderr}");
    // A rule file with a mistake further down is shown in place, as always.
    let mistaken = write(
        &dir,
        "mistaken.rules",
        &format!("{HEADER}\nsection 1: fines\n1.1 messy desk: fine 15\n1.2 stray words here\n"),
    );
    let output = rulebook(&["check", &mistaken]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("1.1 messy desk: fine 15"), "{stderr}");
}
