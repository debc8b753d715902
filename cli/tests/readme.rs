//! The README's examples of output are snapshots: each block of output it shows is marked
//! with the command that prints it, and compared here with what `rulebook` prints, so the
//! README cannot drift from the program.
//!
//! A marked block is an HTML comment (invisible once rendered) followed by a `text` block:
//!
//! ```text
//! <!-- output of: rulebook check rules | stdout | exit 0 -->
//! ```
//!
//! In the block, a line that is only `…` stands for any number of lines left out, and `…`
//! inside a line for any text on that line. Trailing spaces are not compared.

use std::path::Path;
use std::process::Command;

const WORKSPACE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
const MARKER: &str = "<!-- output of: rulebook ";

/// One marked block of the README.
#[derive(Debug)]
struct Shown {
    /// The README line of the marker.
    line: usize,
    args: Vec<String>,
    stderr: bool,
    exit: i32,
    block: Vec<String>,
}

fn marked_blocks(readme: &str) -> Vec<Shown> {
    let lines: Vec<&str> = readme.lines().collect();
    let mut shown = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let Some(rest) = line.strip_prefix(MARKER) else {
            continue;
        };
        let rest = rest
            .strip_suffix(" -->")
            .unwrap_or_else(|| panic!("README line {}: a marker ends with ` -->`", index + 1));
        let parts: Vec<&str> = rest.split(" | ").collect();
        let [args, stream, exit] = parts[..] else {
            panic!(
                "README line {}: `<!-- output of: rulebook ARGS | stdout|stderr | exit N -->`",
                index + 1
            );
        };
        let exit = exit
            .strip_prefix("exit ")
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("README line {}: `exit N`", index + 1));
        assert_eq!(
            lines.get(index + 1).copied(),
            Some("```text"),
            "README line {}: the marker is followed by a ```text block",
            index + 1
        );
        let block: Vec<String> = lines[index + 2..]
            .iter()
            .take_while(|l| **l != "```")
            .map(|l| (*l).to_owned())
            .collect();
        shown.push(Shown {
            line: index + 1,
            args: args.split_whitespace().map(str::to_owned).collect(),
            stderr: match stream {
                "stdout" => false,
                "stderr" => true,
                other => panic!(
                    "README line {}: `{other}` is not stdout or stderr",
                    index + 1
                ),
            },
            exit,
            block,
        });
    }
    shown
}

/// Whether `line` of the output is what the README shows (`…` for any text).
fn line_matches(shown: &str, actual: &str) -> bool {
    let (shown, actual) = (shown.trim_end(), actual.trim_end());
    let mut parts = shown.split('…');
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = actual.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    for (i, part) in parts.iter().enumerate() {
        if i + 1 == parts.len() {
            return rest.ends_with(part);
        }
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.is_empty()
}

/// Where the README's block does not match the output, if anywhere.
fn mismatch(block: &[String], actual: &[&str]) -> Option<String> {
    let segments: Vec<&[String]> = block.split(|l| l.trim() == "…").collect();
    let open_start = block.first().is_some_and(|l| l.trim() == "…");
    let open_end = block.last().is_some_and(|l| l.trim() == "…");
    let mut cursor = 0;
    for (index, segment) in segments.iter().enumerate() {
        if segment.is_empty() {
            continue;
        }
        let fits = |at: usize| {
            at + segment.len() <= actual.len()
                && segment
                    .iter()
                    .zip(&actual[at..])
                    .all(|(shown, actual)| line_matches(shown, actual))
        };
        let anchored = index == 0 && !open_start;
        let found = if anchored {
            fits(0).then_some(0)
        } else {
            (cursor..actual.len()).find(|&at| fits(at))
        };
        let Some(at) = found else {
            return Some(format!(
                "these lines are not in the output{}:\n{}",
                if anchored { " at its start" } else { "" },
                segment.join("\n")
            ));
        };
        cursor = at + segment.len();
    }
    if !open_end && cursor != actual.len() {
        return Some(format!(
            "the output goes on after the block; add a `…` line or the rest:\n{}",
            actual[cursor..].join("\n")
        ));
    }
    None
}

#[test]
fn the_readme_shows_what_rulebook_prints() {
    let readme = std::fs::read_to_string(Path::new(WORKSPACE).join("README.md")).unwrap();
    let shown = marked_blocks(&readme);
    let commands: Vec<String> = shown.iter().map(|s| s.args.join(" ")).collect();
    // The examples the README must keep showing (a marker taken away fails here).
    for expected in [
        "eval --rules rules/en --roster examples/roster.txt examples/events/2025-08.jsonl",
        "eval --rules rules/en --roster examples/roster.txt --format csv examples/events/2025-08.jsonl",
        "eval --rules rules/en --roster examples/roster.txt --format json examples/events/2025-08.jsonl",
        "check rules",
        "check tests/broken/02-missing-colon.rules",
        "check tests/fixtures/versions",
        "check tests/broken/24-zh-misspelled-keyword.rules",
    ] {
        assert!(
            commands.iter().any(|c| c == expected),
            "the README no longer shows the output of `rulebook {expected}`"
        );
    }
    let mut failures = Vec::new();
    for example in &shown {
        let output = Command::new(env!("CARGO_BIN_EXE_rulebook"))
            .args(&example.args)
            .current_dir(WORKSPACE)
            .env("NO_COLOR", "1")
            .env_remove("CLICOLOR_FORCE")
            .output()
            .expect("the binary runs");
        let printed = if example.stderr {
            &output.stderr
        } else {
            &output.stdout
        };
        let printed = String::from_utf8_lossy(printed);
        let actual: Vec<&str> = printed.lines().collect();
        let command = format!("rulebook {}", example.args.join(" "));
        if output.status.code() != Some(example.exit) {
            failures.push(format!(
                "README line {}: `{command}` exits {:?}, the README says {}",
                example.line,
                output.status.code(),
                example.exit
            ));
        }
        if let Some(problem) = mismatch(&example.block, &actual) {
            failures.push(format!(
                "README line {}: `{command}` prints otherwise: {problem}\n--- it prints:\n{printed}",
                example.line
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The first command of "Try it" is the one whose output the README shows below it.
#[test]
fn the_first_command_is_the_one_shown() {
    let readme = std::fs::read_to_string(Path::new(WORKSPACE).join("README.md")).unwrap();
    let try_it = readme
        .split("```sh\n")
        .nth(1)
        .expect("a ```sh block in the README");
    let first = try_it.lines().next().unwrap();
    let args = first
        .strip_prefix("cargo run -- ")
        .expect("`cargo run -- …` first");
    let shown = marked_blocks(&readme);
    assert_eq!(shown[0].args.join(" "), args);
    assert_eq!(try_it.lines().nth(1), Some("cargo test"));
}

#[test]
fn the_matcher_can_tell() {
    let actual = ["a", "b", "c", "d"];
    let block = |lines: &[&str]| lines.iter().map(|l| (*l).to_owned()).collect::<Vec<_>>();
    assert_eq!(mismatch(&block(&["a", "b", "c", "d"]), &actual), None);
    assert_eq!(mismatch(&block(&["a", "…", "d"]), &actual), None);
    assert_eq!(mismatch(&block(&["…", "c", "…"]), &actual), None);
    assert!(mismatch(&block(&["a", "c"]), &actual).is_some());
    assert!(
        mismatch(&block(&["b", "…"]), &actual).is_some(),
        "anchored at the start"
    );
    assert!(
        mismatch(&block(&["a", "b"]), &actual).is_some(),
        "output goes on"
    );
    assert!(mismatch(&block(&["…", "d", "c"]), &actual).is_some());
    assert!(line_matches("x … z", "x y y z"));
    assert!(line_matches("x …", "x y"));
    assert!(!line_matches("x … z", "x y"));
    assert!(line_matches("x  ", "x"));
    assert!(!line_matches("x", "xy"));
}
