//! What `rulebook` prints for people never carries a control character from its input raw:
//! escape sequences, bells, backspaces, line breaks and bidi overrides in `who`, event kinds,
//! `at` values and file names are shown escaped (`\u{1b}`); rule files holding one are
//! refused; and CSV text cells cannot start a spreadsheet formula.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root: commands run here.
const WORKSPACE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

/// Characters that must never reach a terminal from the input: ESC, BEL, BS, CR, DEL, CSI
/// (U+009B), the right-to-left override and a right-to-left isolate.
const RAW: [char; 8] = [
    '\u{1b}', '\u{7}', '\u{8}', '\r', '\u{7f}', '\u{9b}', '\u{202e}', '\u{2067}',
];

fn rulebook(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .args(args)
        .current_dir(WORKSPACE)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .expect("the binary runs")
}

/// A scratch file under the target directory holding `text`.
fn scratch(name: &str, text: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("safe_output");
    std::fs::create_dir_all(&dir).expect("the scratch directory is made");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("the scratch file is written");
    path
}

/// One event line; `who`, `event` and `at` are JSON-escaped here, so the file holds them as
/// JSON escapes (`\u001b`) and the binary reads the raw characters.
fn event(at: &str, who: &str, kind: &str) -> String {
    serde_json::json!({"at": at, "who": who, "event": kind}).to_string()
}

/// Events whose `who`, kind and `at` carry control characters: two people whose statements
/// are printed (one `who` holding a line break meant to forge a statement block of its
/// own), one unknown kind and one bad timestamp, both rejected.
fn hostile_events() -> String {
    [
        event("2025-08-18", "E\u{1b}[2J\u{1b}]0;owned\u{7}1", "messy desk"),
        event(
            "2025-08-18",
            "E2\r\nE001 · 2025-08\n  line  at  rule  kind  base  amount  why\u{8}\u{7f}",
            "messy desk",
        ),
        event("2025-08-18", "E3\u{9b}31m\u{202e}\u{2067}", "messy desk"),
        event("2025-08-18", "E4", "messy desk\u{1b}[8m"),
        event("2025-08-18\u{7}\u{9b}", "E5", "messy desk"),
    ]
    .join("\n")
        + "\n"
}

/// Fails naming the first raw control character found in `text`.
fn assert_no_raw_controls(what: &str, text: &str) {
    if let Some(c) = text.chars().find(|c| RAW.contains(c)) {
        panic!("{what} holds a raw {c:?}:\n{}", text.escape_debug());
    }
}

fn assert_contains(what: &str, text: &str, expected: &str) {
    assert!(
        text.contains(expected),
        "{what} should contain `{expected}`:\n{}",
        text.escape_debug()
    );
}

#[test]
fn the_table_shows_control_characters_escaped() {
    let events = scratch("hostile-table.jsonl", &hostile_events());
    let output = rulebook(&[
        "eval",
        "--rules",
        "rules/en/c-tower.rules",
        events.to_str().expect("a UTF-8 path"),
    ]);
    assert_eq!(output.status.code(), Some(3), "lines are rejected");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8 output");
    let stderr = String::from_utf8(output.stderr).expect("UTF-8 output");
    assert_no_raw_controls("the table", &stdout);
    assert_no_raw_controls("stderr", &stderr);
    // (`docs/semantics.md` §6 wants such a `who` rejected: shown in a statement's heading or in a
    // rejection, it is escaped either way.)
    for expected in [
        "E\\u{1b}[2J\\u{1b}]0;owned\\u{7}1",
        "E2\\r\\nE001 · 2025-08\\n  line  at  rule  kind  base  amount  why\\u{8}\\u{7f}",
        "E3\\u{9b}31m\\u{202e}\\u{2067}",
        "unknown event kind \"messy desk\\u{1b}[8m\"",
        "bad timestamp \"2025-08-18\\u{7}\\u{9b}\"",
    ] {
        assert_contains("the table", &stdout, expected);
    }
    // The `who` holding a line break forged no block of its own.
    assert!(
        !stdout
            .lines()
            .any(|line| line.starts_with("E001 · 2025-08")),
        "a forged statement heading:\n{stdout}"
    );
}

#[test]
fn rejections_on_standard_error_are_escaped() {
    let events = scratch("hostile-csv.jsonl", &hostile_events());
    for extra in [&[][..], &["--stream"][..]] {
        let args = [
            &[
                "eval",
                "--rules",
                "rules/en/c-tower.rules",
                "--format",
                "csv",
                events.to_str().expect("a UTF-8 path"),
            ][..],
            extra,
        ]
        .concat();
        let output = rulebook(&args);
        assert_eq!(output.status.code(), Some(3), "lines are rejected");
        let stderr = String::from_utf8(output.stderr).expect("UTF-8 output");
        assert_no_raw_controls("stderr", &stderr);
        assert_contains(
            "stderr",
            &stderr,
            "line 4: unknown event kind \"messy desk\\u{1b}[8m\"",
        );
        assert_contains(
            "stderr",
            &stderr,
            "line 5: bad timestamp \"2025-08-18\\u{7}\\u{9b}\"",
        );
    }
}

#[test]
fn json_shows_no_control_character_raw() {
    let kind = "messy desk\u{1b}[2J\u{9b}\u{7f}\u{202e}\u{2067}\u{200b}";
    let events = scratch(
        "hostile-json.jsonl",
        &(event("2025-08-18", "E1", kind) + "\n"),
    );
    let output = rulebook(&[
        "eval",
        "--rules",
        "rules/en/c-tower.rules",
        "--format",
        "json",
        events.to_str().expect("a UTF-8 path"),
    ]);
    assert_eq!(output.status.code(), Some(3));
    let stdout = String::from_utf8(output.stdout).expect("UTF-8 output");
    assert_no_raw_controls("the JSON", &stdout);
    assert!(!stdout.contains('\u{200b}'), "a raw zero-width space");
    // The reason quotes the kind escaped, as every reason the library writes does.
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("one JSON document");
    let why = report["rejected"][0]["why"].as_str().expect("a rejection");
    assert_eq!(
        why,
        format!(
            "unknown event kind \"{}\"",
            rulebook::display::escape_controls(kind)
        )
    );
}

#[test]
fn csv_text_cells_cannot_start_a_formula() {
    let whos = [
        "=HYPERLINK(\"http://evil.example\",\"pay\")",
        "+1+1",
        "-2+3",
        "@SUM(A1:A9)",
        "＝1+1",
        "E8",
    ];
    let lines: String = whos
        .iter()
        .map(|who| {
            // `late` on the same day takes away the monthly reward: the net is negative.
            event("2025-08-18", who, "messy desk") + "\n" + &event("2025-08-18", who, "late") + "\n"
        })
        .collect();
    let events = scratch("formulas.jsonl", &lines);
    let output = rulebook(&[
        "eval",
        "--rules",
        "rules/en/c-tower.rules",
        "--format",
        "csv",
        events.to_str().expect("a UTF-8 path"),
    ]);
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8(output.stdout).expect("UTF-8 output");
    // Text cells are neutralised; the amounts (`-15.00`) stay numbers.
    let expected = [
        "who,month,currency,fines,rewards,net,outcomes",
        "'+1+1,2025-08,CNY,15.00,0.00,-15.00,",
        "'-2+3,2025-08,CNY,15.00,0.00,-15.00,",
        "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"pay\"\")\",2025-08,CNY,15.00,0.00,-15.00,",
        "'@SUM(A1:A9),2025-08,CNY,15.00,0.00,-15.00,",
        "E8,2025-08,CNY,15.00,0.00,-15.00,",
        "'＝1+1,2025-08,CNY,15.00,0.00,-15.00,",
    ]
    .join("\n")
        + "\n";
    assert_eq!(stdout, expected);
}

#[test]
fn a_rule_file_with_a_control_character_is_refused_and_shown_escaped() {
    let good = std::fs::read_to_string(Path::new(WORKSPACE).join("rules/en/c-tower.rules"))
        .expect("the bundled rule file");
    let title = good
        .lines()
        .find(|line| line.starts_with("title:"))
        .expect("a title line");
    let hostile = good.replacen(
        title,
        "title: Rules\u{1b}]0;owned\u{7}\u{1b}[2J\u{9b}1m of \u{202e}C Tower",
        1,
    );
    let path = scratch("hostile-title.rules", &hostile);
    for args in [
        vec!["check", path.to_str().expect("a UTF-8 path")],
        vec![
            "eval",
            "--rules",
            path.to_str().expect("a UTF-8 path"),
            "examples/events/2025-08.jsonl",
        ],
    ] {
        let output = rulebook(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stdout = String::from_utf8(output.stdout).expect("UTF-8 output");
        let stderr = String::from_utf8(output.stderr).expect("UTF-8 output");
        assert!(stdout.is_empty(), "{args:?}: {stdout}");
        assert_no_raw_controls("the diagnostics", &stderr);
        // Each character is a problem of its own, and the line is shown escaped.
        for c in ["\\u{1b}", "\\u{7}", "\\u{9b}", "\\u{202e}"] {
            assert_contains(
                "the diagnostics",
                &stderr,
                &format!("× the control character `{c}` cannot appear in a rule file"),
            );
        }
        assert_contains(
            "the diagnostics",
            &stderr,
            "title: Rules\\u{1b}]0;owned\\u{7}\\u{1b}[2J\\u{9b}1m of \\u{202e}C Tower",
        );
        assert!(
            stderr
                .lines()
                .last()
                .is_some_and(|line| line.starts_with("error: 5 problems in")),
            "{stderr}"
        );
    }
}

#[test]
fn a_chinese_rule_file_is_told_of_its_control_character_in_chinese() {
    let path = scratch(
        "控制字符.rules",
        "標題：獎懲\u{7}細則\n生效日期：2025-08-15\n貨幣：人民幣\n時區：北京時間\n",
    );
    let output = rulebook(&["check", path.to_str().expect("a UTF-8 path")]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).expect("UTF-8 output");
    assert_no_raw_controls("the diagnostics", &stderr);
    assert_contains(
        "the diagnostics",
        &stderr,
        "× 規則文件中不能有控制字符 `\\u{7}`",
    );
    assert_contains("the diagnostics", &stderr, "標題：獎懲\\u{7}細則");
}

#[test]
fn file_names_are_shown_escaped() {
    let good = std::fs::read_to_string(Path::new(WORKSPACE).join("rules/en/c-tower.rules"))
        .expect("the bundled rule file");
    let path = scratch("c\u{1b}[2Jtower\u{7}.rules", &good);
    let path = path.to_str().expect("a UTF-8 path");
    let output = rulebook(&["check", path]);
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8(output.stdout).expect("UTF-8 output");
    assert_no_raw_controls("the summary", &stdout);
    assert_contains(
        "the summary",
        &stdout,
        "c\\u{1b}[2Jtower\\u{7}.rules: C Tower",
    );
    // A file that cannot be read, named in an error.
    let missing = format!("{path}.missing\u{9b}");
    let output = rulebook(&["eval", "--rules", "rules/en/c-tower.rules", &missing]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).expect("UTF-8 output");
    assert_no_raw_controls("the error", &stderr);
    assert_contains("the error", &stderr, "tower\\u{7}.rules.missing\\u{9b}`");
    // A rule file with a mistake, named in its diagnostics.
    let broken = scratch("broken\u{1b}[2J.rules", "title: x\n");
    let output = rulebook(&["check", broken.to_str().expect("a UTF-8 path")]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).expect("UTF-8 output");
    assert_no_raw_controls("the diagnostics", &stderr);
    assert_contains("the diagnostics", &stderr, "broken\\u{1b}[2J.rules");
}
