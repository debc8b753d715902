//! Helpers shared by the tests of versions, reloading and watching.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rulebook::{Report, Rulebook, evaluate, read_events};

/// A fresh, empty directory under the target directory, for one test.
pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The report of the JSON Lines `events`, judged by `rulebook` in a batch.
#[allow(dead_code)] // not every test file evaluates
pub fn report_of(rulebook: Arc<Rulebook>, events: &str) -> Report {
    let lines = read_events(events.as_bytes()).filter_map(|line| line.ok()?.into_event());
    evaluate(rulebook, lines, None).unwrap().report()
}
