//! A host that keeps judging events while managers edit the rules: the rules are reloaded on
//! every save, and a broken save leaves the last good rules in force.
//!
//! ```sh
//! cargo run --example live_reload --features watch -- tests/fixtures/versions [EVENTS.jsonl]
//! ```
//!
//! Then edit a file in that directory (change an amount, break a line, add a version) and
//! watch what the host says. It judges the events (by default the August 2025 sample) every
//! two seconds with the rules in force; stop it with Ctrl-C.

use std::sync::Arc;
use std::time::Duration;

use rulebook::{LiveRules, evaluate, read_events};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "tests/fixtures/versions".to_owned());
    let live = Arc::new(LiveRules::load(&path)?);
    let _watch = live.watch(rulebook::watch::DEFAULT_DEBOUNCE, |outcome| match outcome {
        Ok(rulebook) => {
            let versions: Vec<String> = rulebook
                .versions()
                .iter()
                .map(|v| v.effective().to_string())
                .collect();
            println!("reloaded: versions of {}", versions.join(", "));
        }
        // The host keeps running on the last good rules; the manager sees why.
        Err(problems) => eprintln!("kept the rules in force: {problems}"),
    })?;
    let events_path = std::env::args()
        .nth(2)
        .unwrap_or_else(|| "tests/fixtures/versions/2025-08.jsonl".to_owned());
    let events = std::fs::read_to_string(events_path)?;
    loop {
        // One snapshot for the whole evaluation: a reload meanwhile does not change it.
        let rulebook = live.current();
        let lines = read_events(events.as_bytes()).filter_map(|line| line.ok()?.into_event());
        let report = evaluate(rulebook, lines, None)?.report();
        let fines: i64 = report
            .statements
            .iter()
            .map(|s| s.fines.minor_units())
            .sum();
        println!(
            "generation {}: {} statements, fines {}.{:02}",
            live.generation(),
            report.statements.len(),
            fines / 100,
            fines % 100
        );
        std::thread::sleep(Duration::from_secs(2));
    }
}
