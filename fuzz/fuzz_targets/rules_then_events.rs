//! A rule file, then a short stream of events judged by it: the input is the rule text, a line
//! holding only `%%`, then JSON Lines. Whatever both hold, no panic, and every line is judged.
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use rulebook::{Evaluator, Ledger, LineContent, Roster, Rulebook, read_events};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (rules, events) = text.split_once("\n%%\n").unwrap_or((text, ""));
    let Ok(rulebook) = Rulebook::parse("fuzz.rules", rules) else {
        return;
    };
    let rulebook = Arc::new(rulebook);
    let mut evaluator = Evaluator::new(Arc::clone(&rulebook));
    let mut ledger = Ledger::new(Arc::clone(&rulebook));
    for line in read_events(events.as_bytes()).take(64) {
        let Ok(line) = line else {
            panic!("reading from memory cannot fail");
        };
        if let LineContent::Event(event) = line.content {
            let applied = event
                .and_then(|e| evaluator.prepare(Some(line.number), &e))
                .and_then(|e| evaluator.apply_prepared(&e, &mut ledger));
            if let Err(rejection) = applied {
                ledger.reject(line.number, rejection);
            }
        }
    }
    let roster = Roster::parse("E1\nE2\nE3\n").expect("a valid roster");
    let _ = evaluator.close_all(Some(&roster), &mut ledger);
    let _ = ledger.report();
    // The batch path over the same lines gives an answer too.
    let lines = read_events(events.as_bytes())
        .take(64)
        .filter_map(Result::ok)
        .filter_map(|line| match line.content {
            LineContent::Skipped => None,
            LineContent::Event(event) => Some((line.number, event)),
        });
    let _ = rulebook::evaluate(Arc::clone(&rulebook), lines, Some(&roster));
});
