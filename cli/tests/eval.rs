//! `rulebook eval` end to end: the golden JSON of the bundled sample (the contract of
//! `docs/semantics.md` §7), the other formats, and the exit codes.

use std::process::{Command, Output};

fn rulebook(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

const SAMPLE: [&str; 6] = [
    "eval",
    "--rules",
    "rules/en/c-tower.rules",
    "--roster",
    "examples/roster.txt",
    "examples/events/2025-08.jsonl",
];

#[test]
fn golden_json_of_the_bundled_sample() {
    let output = rulebook(&[&SAMPLE[..], &["--format", "json"]].concat());
    assert_eq!(
        output.status.code(),
        Some(3),
        "the sample has rejected lines"
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("one JSON document");
    for statement in report["statements"].as_array().unwrap() {
        let sum = |kind: &str| -> f64 {
            statement["entries"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|e| e["kind"] == kind)
                .map(|e| e["amount"].as_f64().unwrap())
                .sum()
        };
        assert_eq!(statement["fines"].as_f64().unwrap(), sum("fine"));
        assert_eq!(statement["rewards"].as_f64().unwrap(), sum("reward"));
    }
    insta::assert_snapshot!("sample_json", stdout);
}

/// The report with the `why` of every entry and the rulebook's title and file taken out:
/// what the Chinese and English files must agree on. Rejected lines keep their reasons,
/// which name kinds as events do.
fn without_entry_reasons(mut report: serde_json::Value) -> serde_json::Value {
    for version in report["rulebook"]["versions"]
        .as_array_mut()
        .expect("versions")
    {
        let version = version.as_object_mut().expect("a version");
        version.remove("title");
        version.remove("file");
    }
    report["rulebook"]
        .as_object_mut()
        .expect("the rulebook")
        .remove("title");
    let statements = report["statements"].as_array_mut().expect("statements");
    for statement in statements {
        for entry in statement["entries"].as_array_mut().expect("entries") {
            entry.as_object_mut().expect("an entry").remove("why");
        }
    }
    report
}

#[test]
fn the_chinese_files_report_the_bundled_sample_as_the_english_one_does() {
    let json = |rules: &str| {
        let mut args = SAMPLE.to_vec();
        args[2] = rules;
        args.extend(["--format", "json"]);
        let output = rulebook(&args);
        assert_eq!(output.status.code(), Some(3), "{rules}");
        let report: serde_json::Value =
            serde_json::from_slice(&output.stdout).expect("one JSON document");
        report
    };
    let english = json("rules/en/c-tower.rules");
    assert!(
        english["statements"]
            .as_array()
            .is_some_and(|s| s.len() == 16)
    );
    for file in ["rules/zh-Hant/c-tower.rules", "rules/zh-Hans/c-tower.rules"] {
        let chinese = json(file);
        // The `why` texts do differ: 4.1 names its group of kinds as the file does.
        assert_ne!(chinese, english, "{file}");
        assert_eq!(
            without_entry_reasons(chinese),
            without_entry_reasons(english.clone()),
            "{file}"
        );
    }
}

#[test]
fn csv_and_table_of_the_bundled_sample() {
    let csv = rulebook(&[&SAMPLE[..], &["--format", "csv"]].concat());
    assert_eq!(csv.status.code(), Some(3));
    insta::assert_snapshot!("sample_csv", String::from_utf8(csv.stdout).unwrap());
    let table = rulebook(&SAMPLE);
    assert_eq!(table.status.code(), Some(3));
    insta::assert_snapshot!("sample_table", String::from_utf8(table.stdout).unwrap());
}

#[test]
fn exit_codes() {
    // 0: every line applied or ignored.
    let dir = std::env::temp_dir().join(format!("rulebook-eval-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let clean = dir.join("clean.jsonl");
    std::fs::write(
        &clean,
        "{\"at\": \"2025-08-18\", \"who\": \"E1\", \"event\": \"messy desk\"}\n{\"at\": \"2025-08-18\", \"who\": \"E1\", \"event\": \"late\"}\n",
    )
    .unwrap();
    let output = rulebook(&[
        "eval",
        "--rules",
        "rules/en/c-tower.rules",
        "--format",
        "csv",
        clean.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "who,month,currency,fines,rewards,net,outcomes\nE1,2025-08,CNY,15.00,0.00,-15.00,\n"
    );
    // 2: a broken rule file, with its diagnostics on standard error.
    let output = rulebook(&[
        "eval",
        "--rules",
        "tests/broken/01-misspelled-keyword.rules",
        clean.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8(output.stderr)
            .unwrap()
            .contains("did you mean `fine`?")
    );
    // 2: a wrong command line.
    let output = rulebook(&[
        "eval",
        "--rules",
        "rules/en/c-tower.rules",
        "--format",
        "yaml",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let output = rulebook(&[
        "eval",
        "--rules",
        "rules/en/c-tower.rules",
        "no-such-file.jsonl",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8(output.stderr)
            .unwrap()
            .contains("cannot read `no-such-file.jsonl`")
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn events_from_standard_input() {
    use std::io::Write as _;
    let mut child = Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .args([
            "eval",
            "--rules",
            "rules/en/c-tower.rules",
            "--format",
            "csv",
            "-",
        ])
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"{\"at\": \"2025-08-18\", \"who\": \"E1\", \"event\": \"soliciting tips\", \"severe\": true}\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "who,month,currency,fines,rewards,net,outcomes\nE1,2025-08,CNY,200.00,15.00,-185.00,\"dismissal (rule 3.11, line 1)\"\n"
    );
}

#[test]
fn a_roster_line_that_names_nobody_is_refused_with_its_line() {
    let dir = std::env::temp_dir().join(format!("rulebook-roster-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let events = dir.join("events.jsonl");
    std::fs::write(
        &events,
        "{\"at\": \"2025-08-18\", \"who\": \"E1\", \"event\": \"messy desk\"}\n",
    )
    .unwrap();
    let eval = |roster_text: &str| {
        let roster = dir.join("roster.txt");
        std::fs::write(&roster, roster_text).unwrap();
        rulebook(&[
            "eval",
            "--rules",
            "rules/en/c-tower.rules",
            "--roster",
            roster.to_str().unwrap(),
            "--format",
            "csv",
            events.to_str().unwrap(),
        ])
    };
    for (roster, line, shown) in [
        ("# staff\nE1\nE2\u{9b}31m\n", 3, r"\u{9b}"),
        ("E1\nE\u{1}2  # a comment\n", 2, r"\u{1}"),
        ("E1\nE2\u{200b}\n", 2, r"\u{200b}"),
    ] {
        let output = eval(roster);
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(output.status.code(), Some(2), "{roster:?}: {stderr}");
        assert!(output.stdout.is_empty(), "{roster:?}");
        assert!(
            stderr.contains(&format!("line {line}")) && stderr.contains(shown),
            "{roster:?}: {stderr}"
        );
        assert!(!stderr.contains('\u{9b}'), "{stderr:?}");
    }
    // A byte order mark at the start, and CR line ends, are read as a text editor shows them.
    let output = eval("\u{feff}# staff\rE1\rE2\r");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "who,month,currency,fines,rewards,net,outcomes\nE1,2025-08,CNY,15.00,15.00,0.00,\nE2,2025-08,CNY,0.00,15.00,15.00,\n"
    );
    std::fs::remove_dir_all(&dir).ok();
}
