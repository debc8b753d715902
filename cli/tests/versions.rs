//! `rulebook eval --rules DIR` and `rulebook check DIR` take every version in the directory;
//! `rulebook check --watch` checks again on every save.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

const WORKSPACE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

fn rulebook(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .args(args)
        .current_dir(WORKSPACE)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

#[test]
fn eval_with_a_directory_judges_each_event_by_the_version_in_force() {
    let output = rulebook(&[
        "eval",
        "--rules",
        "tests/fixtures/versions",
        "--format",
        "csv",
        "tests/fixtures/versions/2025-08.jsonl",
    ]);
    assert_eq!(output.status.code(), Some(3), "two lines are rejected");
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "who,month,currency,fines,rewards,net,outcomes\n\
         E1,2025-07,CNY,10.00,10.00,0.00,\n\
         E1,2025-08,CNY,460.00,15.00,-445.00,\n\
         E2,2025-07,CNY,0.00,10.00,10.00,\n\
         E2,2025-08,CNY,0.00,75.00,75.00,\n\
         E3,2025-07,CNY,0.00,10.00,10.00,\n\
         E3,2025-08,CNY,15.00,265.00,250.00,\n"
    );
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains(
            "line 11: event kind \"service star\" is not in the version in force on 2025-08-10"
        ),
        "{stderr}"
    );
}

#[test]
fn check_with_a_directory_lists_the_versions_or_the_problems_of_the_set() {
    let output = rulebook(&["check", "tests/fixtures/versions"]);
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.starts_with("tests/fixtures/versions: 2 versions\n"),
        "{stdout}"
    );
    assert!(stdout.contains("effective 2024-12-08 until 2025-08-14, 5 sections, 33 rules"));

    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-versions-broken");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let new = std::fs::read_to_string(Path::new(WORKSPACE).join("rules/en/c-tower.rules")).unwrap();
    std::fs::write(dir.join("a.rules"), &new).unwrap();
    std::fs::write(dir.join("b.rules"), &new).unwrap();
    let output = rulebook(&["check", dir.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    // The message is wrapped to the terminal width wherever the path's length puts it.
    let flat = stderr
        .split_whitespace()
        .filter(|word| *word != "│")
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        flat.contains("a.rules` also takes effect on `2025-08-15`"),
        "{stderr}"
    );
    assert!(stderr.contains("b.rules:9:1]"), "the place: {stderr}");
}

#[test]
fn check_watch_checks_again_on_every_save() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-watch");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("c-tower.rules");
    let good =
        std::fs::read_to_string(Path::new(WORKSPACE).join("rules/en/c-tower.rules")).unwrap();
    std::fs::write(&file, &good).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .args(["check", "--watch", file.to_str().unwrap()])
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (sender, lines) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    let stderr = child.stderr.take().unwrap();
    for stream in [
        Box::new(stdout) as Box<dyn std::io::Read + Send>,
        Box::new(stderr),
    ] {
        let sender = sender.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                let _ = sender.send(line);
            }
        });
    }
    let wait_for = |needle: &str| loop {
        let line = lines
            .recv_timeout(Duration::from_secs(10))
            .unwrap_or_else(|_| panic!("no `{needle}` within 10 s"));
        if line.contains(needle) {
            break;
        }
    };
    wait_for("waiting for changes");
    std::fs::write(
        &file,
        good.replace("1.3 messy desk: fine 15", "1.3 messy desk: fien 15"),
    )
    .unwrap();
    // Problems go to standard error, the rest to standard output: their lines may arrive
    // in either order, so only one stream is waited on at a time.
    wait_for("help: did you mean `fine`?");
    std::fs::write(&file, &good).unwrap();
    wait_for("34 rules");
    child.kill().unwrap();
    let _ = child.wait();
}
