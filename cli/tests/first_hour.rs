//! What a new user runs in the first hour, and what a program or a payroll clerk imports:
//! the bundled rules checked as they lie, every exit status, `-` and several event files,
//! I/O errors that name their path, the CSV and JSON contracts, tables in the file's
//! language, shell completions and the manual page.

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The workspace root: commands run here, so that file names in reports are relative.
const WORKSPACE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

const SAMPLE: &str = "examples/events/2025-08.jsonl";

/// The binary under test (`RULEBOOK_BIN` runs these tests against another build).
fn binary() -> PathBuf {
    std::env::var_os("RULEBOOK_BIN").map_or_else(
        || PathBuf::from(env!("CARGO_BIN_EXE_rulebook")),
        PathBuf::from,
    )
}

fn command(args: &[&str]) -> Command {
    let mut command = Command::new(binary());
    command
        .args(args)
        .current_dir(WORKSPACE)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE");
    command
}

fn rulebook(args: &[&str]) -> Output {
    command(args).output().expect("the binary runs")
}

/// `rulebook args` with `input` on standard input.
fn with_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = command(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        // The binary may stop reading early (a usage error): that is not this test's failure.
        let _ = stdin.write_all(&input);
    });
    let output = child.wait_with_output().expect("the binary ends");
    writer.join().expect("the writer ends");
    output
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

/// A scratch directory of this test binary.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("first_hour")
        .join(name);
    std::fs::create_dir_all(&dir).expect("the scratch directory is made");
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("the scratch file is written");
    path.to_str().expect("a UTF-8 path").to_owned()
}

/// The sample split in two files after line 25: (first, second).
fn sample_in_two(dir: &Path) -> (String, String) {
    let sample = std::fs::read_to_string(Path::new(WORKSPACE).join(SAMPLE)).unwrap();
    let lines: Vec<&str> = sample.lines().collect();
    let first = write(dir, "a.jsonl", &(lines[..25].join("\n") + "\n"));
    let second = write(dir, "b.jsonl", &(lines[25..].join("\n") + "\n"));
    (first, second)
}

// ── Item 4: the bundled rules, checked as they lie ───────────────────────────────────────

#[test]
fn check_rules_checks_each_language_as_its_own_policy() {
    for dir in ["rules", "rules/"] {
        let output = rulebook(&["check", dir]);
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "check {dir}: {stderr}");
        assert!(stderr.is_empty(), "{stderr}");
        let stdout = text(&output.stdout);
        let lines: Vec<&str> = stdout.lines().collect();
        assert_eq!(lines.len(), 3, "one line per language:\n{stdout}");
        assert!(
            lines[0].starts_with("rules/en/c-tower.rules: C Tower"),
            "{stdout}"
        );
        assert!(
            lines[1].starts_with("rules/zh-Hans/c-tower.rules：C大厦"),
            "{stdout}"
        );
        assert!(
            lines[2].starts_with("rules/zh-Hant/c-tower.rules：C大廈"),
            "{stdout}"
        );
    }
}

#[test]
fn eval_of_a_directory_of_policies_says_which_to_name() {
    let output = rulebook(&["eval", "--rules", "rules", SAMPLE]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        text(&output.stderr),
        "error: `rules` holds no `.rules` file, but 3 directories of rules (`rules/en`, `rules/zh-Hans`, `rules/zh-Hant`): name the one to evaluate by, such as `--rules rules/en`\n"
    );
    // Each language directory is a policy.
    for dir in ["rules/en", "rules/zh-Hans", "rules/zh-Hant"] {
        let output = rulebook(&["eval", "--rules", dir, "--format", "json", SAMPLE]);
        assert_eq!(output.status.code(), Some(3), "{dir}");
    }
}

// ── Item 5: every exit status ────────────────────────────────────────────────────────────

/// Events enough for more output than a pipe holds.
fn many_events(dir: &Path) -> String {
    let lines: String = (0..3000)
        .map(|i| {
            format!(
                "{{\"at\": \"2025-08-{:02}T09:00:00+08:00\", \"who\": \"E{}\", \"event\": \"messy desk\"}}\n",
                16 + i % 14,
                i % 50
            )
        })
        .collect();
    write(dir, "many.jsonl", &lines)
}

#[test]
fn a_reader_that_stops_early_is_no_failure() {
    let dir = scratch("closed-pipe");
    let events = many_events(&dir);
    for format in ["json", "csv", "table"] {
        let mut child = command(&["eval", "--rules", "rules/en", "--format", format, &events])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut head = [0u8; 100];
        child.stdout.take().unwrap().read_exact(&mut head).unwrap();
        // The pipe is closed here, with most of the output unwritten (`| head -c 100`).
        let output = child.wait_with_output().unwrap();
        assert_eq!(
            output.status.code(),
            Some(0),
            "{format}: every line applied; stderr: {}",
            text(&output.stderr)
        );
        assert_eq!(text(&output.stderr), "", "{format}");
    }
}

#[test]
fn output_that_cannot_be_written_has_its_own_status() {
    if !Path::new("/dev/full").exists() {
        return;
    }
    for args in [
        &["eval", "--rules", "rules/en", SAMPLE][..],
        &["check", "rules/en"][..],
    ] {
        let output = command(args)
            .stdout(std::fs::File::create("/dev/full").unwrap())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(74), "{args:?}");
        assert_eq!(
            text(&output.stderr),
            "error: cannot write to standard output: No space left on device (os error 28)\n",
            "{args:?}"
        );
    }
}

#[test]
fn help_lists_every_exit_status() {
    for args in [
        &["--help"][..],
        &["eval", "--help"][..],
        &["check", "--help"][..],
    ] {
        let output = rulebook(args);
        assert_eq!(output.status.code(), Some(0));
        let help = text(&output.stdout);
        for status in ["0", "2", "3", "70", "74"] {
            assert!(
                help.contains(&format!("\n  {status:<3} ")),
                "{args:?} does not explain {status}:\n{help}"
            );
        }
    }
}

// ── Item 6: `-` everywhere, and several event files ──────────────────────────────────────

#[test]
fn dash_reads_standard_input_wherever_a_file_is_read() {
    let rules = std::fs::read(Path::new(WORKSPACE).join("rules/zh-Hant/c-tower.rules")).unwrap();
    let output = with_stdin(&["check", "-"], &rules);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(
        text(&output.stdout).starts_with("<stdin>：C大廈客服中心獎懲細則 — 2025-08-15 起生效"),
        "{}",
        text(&output.stdout)
    );
    let broken =
        std::fs::read(Path::new(WORKSPACE).join("tests/broken/02-missing-colon.rules")).unwrap();
    let output = with_stdin(&["check", "-"], &broken);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("╭─[<stdin>:9:16]"),
        "{}",
        text(&output.stderr)
    );

    // The same result whichever input is standard input.
    let expected = rulebook(&[
        "eval",
        "--rules",
        "rules/en/c-tower.rules",
        "--roster",
        "examples/roster.txt",
        "--format",
        "json",
        SAMPLE,
    ]);
    let expected = text(&expected.stdout).replace("rules/en/c-tower.rules", "<stdin>");
    let roster = std::fs::read(Path::new(WORKSPACE).join("examples/roster.txt")).unwrap();
    let english = std::fs::read(Path::new(WORKSPACE).join("rules/en/c-tower.rules")).unwrap();
    let output = with_stdin(
        &[
            "eval",
            "--rules",
            "-",
            "--roster",
            "examples/roster.txt",
            "--format",
            "json",
            SAMPLE,
        ],
        &english,
    );
    assert_eq!(output.status.code(), Some(3), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout), expected);
    let output = with_stdin(
        &[
            "eval",
            "--rules",
            "rules/en/c-tower.rules",
            "--roster",
            "-",
            "--format",
            "json",
            SAMPLE,
        ],
        &roster,
    );
    assert_eq!(output.status.code(), Some(3), "{}", text(&output.stderr));
    assert_eq!(
        text(&output.stdout),
        expected.replace("<stdin>", "rules/en/c-tower.rules")
    );

    // Standard input can be read once.
    let output = with_stdin(&["eval", "--rules", "-", "--roster", "-", SAMPLE], b"");
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        text(&output.stderr),
        "error: standard input (`-`) can be read only once, but is given for `--rules` and `--roster`\n"
    );
    let output = with_stdin(&["check", "-", "-"], b"");
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn one_input_prints_the_same_from_a_file_or_standard_input() {
    let sample = std::fs::read(Path::new(WORKSPACE).join(SAMPLE)).unwrap();
    for format in ["json", "csv", "table"] {
        let args = ["eval", "--rules", "rules/en", "--format", format];
        let from_file = rulebook(&[&args[..], &[SAMPLE]].concat());
        let from_stdin = with_stdin(&[&args[..], &["-"]].concat(), &sample);
        assert_eq!(from_stdin.status.code(), Some(3));
        assert_eq!(from_file.stdout, from_stdin.stdout, "{format}");
        assert_eq!(from_file.stderr, from_stdin.stderr, "{format}");
    }
}

/// The report without what names a line (`line`, `file`, and reasons naming lines).
fn without_lines(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            map.remove("line");
            map.remove("file");
            if map
                .get("why")
                .and_then(|why| why.as_str())
                .is_some_and(|why| why.contains("line"))
            {
                map.remove("why");
            }
            map.values_mut().for_each(without_lines);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(without_lines),
        _ => {}
    }
}

#[test]
fn several_event_files_are_read_in_order_and_every_reference_names_its_file() {
    let dir = scratch("several");
    let (a, b) = sample_in_two(&dir);
    let roster = ["--roster", "examples/roster.txt"];
    let json = |events: &[&str]| {
        let args = [
            &["eval", "--rules", "rules/en", "--format", "json"][..],
            &roster,
            events,
        ];
        let output = rulebook(&args.concat());
        assert_eq!(output.status.code(), Some(3), "{}", text(&output.stderr));
        serde_json::from_slice::<serde_json::Value>(&output.stdout).expect("one JSON document")
    };
    let one = json(&[SAMPLE]);
    let two = json(&[&a, &b]);

    // Lines are numbered per file, and each item names its file.
    let (a_name, b_name) = (a.as_str(), b.as_str());
    let e001 = &two["statements"][0];
    assert_eq!(e001["entries"][0]["line"], 5);
    assert_eq!(e001["entries"][0]["file"], a_name);
    assert_eq!(e001["entries"][3]["line"], 2, "line 27 of the sample");
    assert_eq!(e001["entries"][3]["file"], b_name);
    assert_eq!(
        e001["entries"][2]["why"],
        format!(
            "discourtesy; 3rd fine in 2025-08 (after lines {a}:5 and {a}:8), doubled by 3.9: 2 × 20, the heaviest base so far"
        )
    );
    assert_eq!(two["rejected"][0]["line"], 3);
    assert_eq!(two["rejected"][0]["file"], a_name);
    assert_eq!(two["rejected"][2]["line"], 5, "line 30 of the sample");
    assert_eq!(two["rejected"][2]["file"], b_name);
    assert_eq!(two["ignored"][2]["file"], b_name);
    let e001_september = &two["statements"][1];
    assert_eq!(e001_september["outcomes"][0]["line"], 23);
    assert_eq!(e001_september["outcomes"][0]["file"], b_name);
    // One input: no `file` at all.
    assert!(!text(&serde_json::to_vec(&one).unwrap()).contains("\"file\": \"examples"));
    assert!(one["statements"][0]["entries"][0].get("file").is_none());

    // Otherwise the same result as the one file.
    let (mut one, mut two) = (one, two);
    without_lines(&mut one);
    without_lines(&mut two);
    assert_eq!(one, two);

    // The table, the CSV and its rejected lines name the file too.
    let table = rulebook(&["eval", "--rules", "rules/en", &a, &b]);
    let table = text(&table.stdout);
    assert!(table.contains(&format!("  {a}:9  ")), "{table}");
    assert!(
        table.contains(&format!("(after lines {b}:2 and {b}:3)")),
        "{table}"
    );
    assert!(
        table
            .lines()
            .any(|row| row.starts_with(&format!("  line {b}:5 "))
                && row.ends_with("`amount` 60 is outside 30..=50 for \"adopted suggestion\"")),
        "{table}"
    );
    let csv = rulebook(&["eval", "--rules", "rules/en", "--format", "csv", &a, &b]);
    assert!(
        text(&csv.stdout).contains(&format!("(rule 5.5, line {b}:23)")),
        "{}",
        text(&csv.stdout)
    );
    assert!(
        text(&csv.stderr).starts_with(&format!(
            "line {a}:3: no rulebook in force on 2025-08-14\nline {a}:14: unknown event kind"
        )),
        "{}",
        text(&csv.stderr)
    );

    // Streaming reads them in order as well: each person's events must keep time order
    // across the files, as they do here.
    let streamed = rulebook(&[
        "eval", "--rules", "rules/en", "--stream", "--format", "csv", &a, &b,
    ]);
    assert_eq!(streamed.stdout, csv.stdout);
}

// ── Item 7: every I/O error names its path ───────────────────────────────────────────────

#[test]
fn every_input_that_cannot_be_read_is_named() {
    let cases: [(&[&str], &str); 6] = [
        (
            &["eval", "--rules", "rules/en", "examples/events"],
            "error: cannot read `examples/events`: it is a directory; name the event files in it (`examples/events/*.jsonl`)\n",
        ),
        (
            &["eval", "--rules", "rules/en", SAMPLE, "no-such.jsonl"],
            "error: cannot read `no-such.jsonl`: No such file or directory (os error 2)\n",
        ),
        (
            &[
                "eval", "--rules", "rules/en", "--roster", "examples", SAMPLE,
            ],
            "error: cannot read the roster `examples`: it is a directory\n",
        ),
        (
            &[
                "eval",
                "--rules",
                "rules/en",
                "--roster",
                "no-such.txt",
                SAMPLE,
            ],
            "error: cannot read the roster `no-such.txt`: No such file or directory (os error 2)\n",
        ),
        (
            &["eval", "--rules", "no-such.rules", SAMPLE],
            "error: cannot read `no-such.rules`: No such file or directory (os error 2)\n",
        ),
        (
            &["check", "no-such.rules"],
            "error: cannot read `no-such.rules`: No such file or directory (os error 2)\n",
        ),
    ];
    for (args, expected) in cases {
        let output = rulebook(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert_eq!(text(&output.stderr), expected, "{args:?}");
    }
}

// ── Item 9: the payroll CSV ──────────────────────────────────────────────────────────────

#[test]
fn the_csv_has_a_row_for_every_person_in_every_month_zero_or_not() {
    let dir = scratch("csv-rows");
    // E3 is on the roster and does nothing in September; E4 does nothing at all; E2 is
    // only late (no consequence, and no full-attendance reward).
    let roster = write(&dir, "roster.txt", "E1\nE2\nE3\nE4\n");
    let events = write(
        &dir,
        "events.jsonl",
        "{\"at\": \"2025-08-18\", \"who\": \"E1\", \"event\": \"messy desk\"}\n\
         {\"at\": \"2025-08-19\", \"who\": \"E2\", \"event\": \"late\"}\n\
         {\"at\": \"2025-08-20\", \"who\": \"E3\", \"event\": \"late\"}\n\
         {\"at\": \"2025-09-03\", \"who\": \"E2\", \"event\": \"late\"}\n\
         {\"at\": \"2025-09-04\", \"who\": \"E3\", \"event\": \"late\"}\n\
         {\"at\": \"2025-09-05\", \"who\": \"E1\", \"event\": \"late\"}\n\
         {\"at\": \"2125-09-05\", \"who\": \"E5\", \"event\": \"late\"}\n",
    );
    let expected = "who,month,currency,fines,rewards,net,outcomes\n\
        E1,2025-08,CNY,15.00,15.00,0.00,\n\
        E1,2025-09,CNY,0.00,0.00,0.00,\n\
        E2,2025-08,CNY,0.00,0.00,0.00,\n\
        E2,2025-09,CNY,0.00,0.00,0.00,\n\
        E3,2025-08,CNY,0.00,0.00,0.00,\n\
        E3,2025-09,CNY,0.00,0.00,0.00,\n\
        E4,2025-08,CNY,0.00,15.00,15.00,\n\
        E4,2025-09,CNY,0.00,15.00,15.00,\n";
    for mode in [&[][..], &["--stream"][..]] {
        let args = [
            &[
                "eval", "--rules", "rules/en", "--format", "csv", "--roster", &roster,
            ][..],
            mode,
            &[&events],
        ]
        .concat();
        let output = rulebook(&args);
        // The line a century ahead is rejected, and does not stretch the run.
        assert_eq!(
            output.status.code(),
            Some(3),
            "{mode:?}: {}",
            text(&output.stderr)
        );
        assert_eq!(text(&output.stdout), expected, "{mode:?}");
    }
    // Without a roster: everyone named on a line applied or ignored (not E4, not E5).
    for mode in [&[][..], &["--stream"][..]] {
        let args = [
            &["eval", "--rules", "rules/en", "--format", "csv"][..],
            mode,
            &[&events],
        ]
        .concat();
        let output = rulebook(&args);
        assert_eq!(
            text(&output.stdout),
            expected
                .lines()
                .filter(|row| !row.starts_with("E4"))
                .map(|row| format!("{row}\n"))
                .collect::<String>(),
            "{mode:?}"
        );
    }
}

// ── Item 10: JSON for programs ───────────────────────────────────────────────────────────

#[test]
fn the_json_names_its_schema_rulebook_versions_and_currency() {
    let output = rulebook(&[
        "eval",
        "--rules",
        "tests/fixtures/versions",
        "--format",
        "json",
        "tests/fixtures/versions/2025-08.jsonl",
    ]);
    assert_eq!(output.status.code(), Some(3));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["schema_version"], 1);
    assert_eq!(report["currency"], "CNY");
    let versions = report["rulebook"]["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(
        versions[0]["file"],
        "tests/fixtures/versions/c-tower-2024-12-08.rules"
    );
    assert_eq!(versions[0]["effective"], "2024-12-08");
    assert_eq!(versions[0]["until"], "2025-08-14");
    assert_eq!(versions[1]["effective"], "2025-08-15");
    assert_eq!(versions[1]["until"], serde_json::Value::Null);
    assert_eq!(report["rulebook"]["title"], versions[1]["title"]);
    // Every rejected line has a code beside its words.
    let codes: Vec<&str> = report["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().expect("a code"))
        .collect();
    assert_eq!(codes, ["kind_not_in_force", "not_in_force"]);

    let output = rulebook(&["eval", "--rules", "rules/en", "--format", "json", SAMPLE]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let codes: Vec<&str> = report["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().expect("a code"))
        .collect();
    assert_eq!(
        codes,
        [
            "not_in_force",
            "unknown_kind",
            "amount_out_of_range",
            "not_json",
            "missing_attribute",
            "ill_typed_attribute",
            "bad_timestamp",
            "amount_not_allowed"
        ]
    );
}

// ── Item 11: tables in the file's language ───────────────────────────────────────────────

#[test]
fn a_chinese_rulebook_gets_a_chinese_table() {
    for dir in ["rules/zh-Hant", "rules/zh-Hans"] {
        let output = rulebook(&[
            "eval",
            "--rules",
            dir,
            "--roster",
            "examples/roster.txt",
            SAMPLE,
        ]);
        assert_eq!(output.status.code(), Some(3));
        let table = text(&output.stdout);
        insta::assert_snapshot!(dir.replace('/', "-"), table);
    }
}

// ── Item 8: completions and the manual page ──────────────────────────────────────────────

#[test]
fn completions_for_bash_zsh_and_fish() {
    for (shell, marker) in [
        ("bash", "complete -F _rulebook"),
        ("zsh", "#compdef rulebook"),
        ("fish", "complete -c rulebook"),
    ] {
        let output = rulebook(&["completions", shell]);
        assert_eq!(output.status.code(), Some(0), "{shell}");
        let script = text(&output.stdout);
        assert!(script.contains(marker), "{shell}:\n{script}");
        for word in ["check", "eval", "roster", "format", "stream"] {
            assert!(script.contains(word), "{shell} completes {word}");
        }
    }
    let output = rulebook(&["completions", "tcsh"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn manual_pages_for_the_command_and_each_subcommand() {
    let output = rulebook(&["man"]);
    assert_eq!(output.status.code(), Some(0));
    let page = text(&output.stdout);
    assert!(page.contains(".TH rulebook 1"), "{page}");
    assert!(page.contains("rulebook\\-eval(1)"), "{page}");
    assert!(
        page.contains("74  the output could not be written"),
        "{page}"
    );
    for (command, option) in [("check", "\\-\\-watch"), ("eval", "\\-\\-roster")] {
        let output = rulebook(&["man", command]);
        assert_eq!(output.status.code(), Some(0));
        let page = text(&output.stdout);
        assert!(
            page.contains(&format!(".TH rulebook-{command} 1")),
            "{page}"
        );
        assert!(page.contains(option), "{page}");
        assert!(page.contains("Exit status:"), "{page}");
    }
}
