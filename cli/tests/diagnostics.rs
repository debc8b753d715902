//! Snapshot tests of the diagnostics `rulebook check` prints for broken rule files.
//!
//! Each file in `tests/broken/` (at the workspace root) holds a valid header, a few valid
//! rules and exactly one mistake, described by the comment on its first line. The rendered
//! report on stderr is compared with the snapshot in `cli/tests/snapshots/`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root: commands run here, so that file names in reports are relative.
const WORKSPACE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

/// Runs `rulebook check <file>` from the workspace root, without colour.
fn check(file: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .args(["check", file])
        .current_dir(WORKSPACE)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .expect("the rulebook binary runs")
}

/// `path` relative to the workspace root, with `/` separators.
fn relative_to_workspace(path: &Path) -> String {
    let root: PathBuf = Path::new(WORKSPACE)
        .canonicalize()
        .expect("the workspace root exists");
    let path = path.canonicalize().expect("the rule file exists");
    let relative = path
        .strip_prefix(&root)
        .expect("the rule file is inside the workspace");
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[test]
fn broken_rule_files() {
    // insta 1.49 refuses `..` inside the pattern (`"../../tests/broken/*.rules"` panics with
    // "Parent directory traversal is not supported"), so the folder is given as the base.
    insta::glob!("../../tests/broken", "*.rules", |path| {
        let file = relative_to_workspace(path);
        let output = check(&file);
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(2),
            "`rulebook check {file}` should exit 2; stderr:\n{stderr}"
        );
        assert!(
            stdout.is_empty(),
            "`rulebook check {file}` should print nothing on stdout, printed:\n{stdout}"
        );
        insta::assert_snapshot!(stderr);
    });
}

#[test]
fn good_rule_file_prints_a_summary() {
    let output = check("rules/en/c-tower.rules");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(0),
        "`rulebook check rules/en/c-tower.rules` should succeed; stderr:\n{stderr}"
    );
    assert!(stderr.is_empty(), "nothing on stderr, got:\n{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "a one-line summary, got:\n{stdout}");
    let summary = lines[0];
    assert!(
        summary.contains("C Tower Customer Service Center — Rules for Rewards and Penalties"),
        "the summary names the title: {summary}"
    );
    assert!(
        summary.contains("effective 2025-08-15"),
        "the summary gives the effective date: {summary}"
    );
}

/// Runs `rulebook check` on a file holding `text`, written under the target directory.
fn check_text(name: &str, text: &str) -> Output {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("diagnostics");
    std::fs::create_dir_all(&dir).expect("the scratch directory is made");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("the rule file is written");
    check(path.to_str().expect("a UTF-8 path"))
}

#[test]
fn a_chinese_rule_file_is_told_its_problems_in_chinese() {
    // Its first line is a rule about a Chinese kind; its header is missing.
    let output = check_text("遲到.rules", "1.1 遲到: fine 15\n1.2 早退: fine 0\n");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "stderr:\n{stderr}");
    for expected in [
        "× 表頭缺少 `標題：` 一行",
        "╰── 表頭到這裡結束",
        "help: 加上一行，例如 `標題：獎懲細則`",
        "× 金額 `0` 必須大於零",
        "help: 罰款和獎勵都是正數；`扣罰` 或 `獎勵` 表示方向",
    ] {
        assert!(
            stderr.contains(expected),
            "`{expected}` missing from:\n{stderr}"
        );
    }
    let last = stderr.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("error: `") && last.ends_with("遲到.rules` 中有 5 個問題"),
        "the count closes the report in Chinese: {last}"
    );
}

#[test]
fn a_simplified_rule_file_is_told_its_problems_in_simplified_characters() {
    let output = check_text("罚款.rules", "1.1 罚款: fine 15\n1.2 迟到: fine 0\n");
    let stderr = String::from_utf8_lossy(&output.stderr);
    for expected in [
        "× 表头缺少 `标题：` 一行",
        "× 金额 `0` 必须大于零",
        "help: 罚款和奖励都是正数；`扣罚` 或 `奖励` 表示方向",
        "罚款.rules` 中有 5 个问题",
    ] {
        assert!(
            stderr.contains(expected),
            "`{expected}` missing from:\n{stderr}"
        );
    }
}
