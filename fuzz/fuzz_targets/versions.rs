//! Versions of a policy, then events judged by them: the input is up to four rule files and
//! then JSON Lines, separated by lines holding only `%%`. Whatever they hold, no panic; a set
//! that checks judges every event line.
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use rulebook::{LineContent, Rulebook, read_events};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut parts: Vec<&str> = text.split("\n%%\n").collect();
    let events = if parts.len() > 1 {
        parts.pop().unwrap_or("")
    } else {
        ""
    };
    parts.truncate(4);
    let files: Vec<(String, &str)> = parts
        .iter()
        .enumerate()
        .map(|(i, source)| (format!("v{i}.rules"), *source))
        .collect();
    let rulebook = match Rulebook::from_versions(&files) {
        Ok(rulebook) => Arc::new(rulebook),
        Err(errors) => {
            for file in errors.files() {
                for problem in file.problems() {
                    let _ = problem.to_string();
                }
            }
            return;
        }
    };
    assert!(!rulebook.versions().is_empty());
    let lines = read_events(events.as_bytes())
        .take(64)
        .filter_map(Result::ok)
        .filter_map(|line| match line.content {
            LineContent::Skipped => None,
            LineContent::Event(event) => Some((line.number, event)),
        });
    if let Ok(ledger) = rulebook::evaluate(rulebook, lines, None) {
        let _ = ledger.report();
    }
});
