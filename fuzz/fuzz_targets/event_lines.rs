//! Any bytes as an events file, judged by the bundled rulebook: every line is accounted for.
#![no_main]

use std::sync::{Arc, LazyLock};

use libfuzzer_sys::fuzz_target;
use rulebook::{Evaluator, Ledger, LineContent, Rulebook, read_events};

static BUNDLED: LazyLock<Arc<Rulebook>> = LazyLock::new(|| {
    Arc::new(
        Rulebook::parse("c-tower.rules", include_str!("../../rules/en/c-tower.rules"))
            .expect("the bundled rulebook checks"),
    )
});

fuzz_target!(|data: &[u8]| {
    let rulebook = Arc::clone(&BUNDLED);
    let mut evaluator = Evaluator::new(Arc::clone(&rulebook));
    let mut ledger = Ledger::new(rulebook);
    let (mut read, mut skipped, mut rejected) = (0u64, 0u64, 0u64);
    for line in read_events(data) {
        let Ok(line) = line else {
            panic!("reading from memory cannot fail");
        };
        read += 1;
        assert_eq!(line.number, read);
        match line.content {
            LineContent::Skipped => skipped += 1,
            LineContent::Event(event) => {
                let applied = event
                    .and_then(|e| evaluator.prepare(Some(line.number), &e))
                    .and_then(|e| evaluator.apply_prepared(&e, &mut ledger));
                if let Err(rejection) = applied {
                    assert!(!rejection.to_string().is_empty());
                    ledger.reject(line.number, rejection);
                    rejected += 1;
                }
            }
        }
    }
    let newlines = data.iter().filter(|b| **b == b'\n').count() as u64;
    let unterminated = u64::from(!data.is_empty() && data.last() != Some(&b'\n'));
    assert_eq!(read, newlines + unterminated, "every line is read");
    let report = ledger.report();
    assert_eq!(report.rejected.len() as u64, rejected);
    let _ = skipped;
    let _ = evaluator.close_all(None, &mut ledger);
    let _ = ledger.report();
});
