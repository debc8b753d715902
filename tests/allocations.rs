//! Nothing is allocated per event on the hot path but the output entries: applying prepared
//! events allocates in proportion to people × months (a month's totals, its outcomes), and
//! entries are stored in chunks — never once per event. Counted with a global allocator.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use rulebook::{Evaluator, Event, Ledger, PreparedEvent, Rulebook};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const PEOPLE: usize = 50;
const EVENTS: usize = 60_000;

/// A month of events for `PEOPLE` people: fines with and without thresholds, ranged and
/// fixed rewards, outcomes, attendance events, collective fines, thresholds not met.
fn events() -> Vec<Event> {
    let kinds: [(&str, &str); 10] = [
        ("messy desk", ""),
        ("phone unanswered", r#", "rings": 5"#),
        ("phone unanswered", r#", "rings": 2"#),
        ("discourtesy", ""),
        ("thank-you letter", ""),
        ("adopted suggestion", r#", "amount": 40"#),
        ("soliciting tips", r#", "severe": true"#),
        ("late", ""),
        ("personal phone call", r#", "minutes": 7.5"#),
        ("service star", r#", "amount": 250, "outstanding": true"#),
    ];
    (0..EVENTS)
        .map(|i| {
            let (kind, extra) = kinds[i % kinds.len()];
            let seconds = 1_756_000_000 + i as i64 * 30; // within August 2025, +08:00
            let at = chrono::DateTime::from_timestamp(seconds, 0)
                .unwrap()
                .to_rfc3339();
            let who = if i % 97 == 0 {
                format!(r#"["E{}", "E{}"]"#, i % PEOPLE, (i + 1) % PEOPLE)
            } else {
                format!(r#""E{}""#, i % PEOPLE)
            };
            let kind = if i % 97 == 0 {
                "passing the buck"
            } else {
                kind
            };
            let extra = if i % 97 == 0 { "" } else { extra };
            Event::from_json(&format!(
                r#"{{"at": "{at}", "who": {who}, "event": "{kind}"{extra}}}"#
            ))
            .unwrap()
        })
        .collect()
}

/// Allocations made while applying every prepared event into `ledger`.
fn allocations_while_applying(ledger: Ledger) -> usize {
    let rulebook = Arc::clone(ledger.rulebook());
    let mut evaluator = Evaluator::new(rulebook);
    let prepared: Vec<PreparedEvent> = events()
        .iter()
        .enumerate()
        .map(|(i, e)| evaluator.prepare(Some(i as u64 + 1), e).unwrap())
        .collect();
    let mut ledger = ledger;
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    for event in &prepared {
        evaluator.apply_prepared(event, &mut ledger).unwrap();
    }
    let after = ALLOCATIONS.load(Ordering::Relaxed);
    assert!(ledger.entry_count() > EVENTS as u64 / 2);
    after - before
}

fn bundled() -> Arc<Rulebook> {
    Arc::new(
        Rulebook::from_path(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/rules/en/c-tower.rules"
        ))
        .unwrap(),
    )
}

/// One test, so that no other test allocates while it counts.
#[test]
fn applying_allocates_per_person_month_and_chunk_not_per_event() {
    // Totals only: per person and month, the ledger's entry, its outcomes' growth, the
    // escalation and period-rule state: a few dozen at most, against 60,000 events.
    let totals_only = allocations_while_applying(Ledger::totals_only(bundled()));
    assert!(
        totals_only < PEOPLE * 40,
        "{totals_only} allocations for {EVENTS} events of {PEOPLE} people, totals only"
    );
    // Keeping entries adds the chunks they are kept in (8,192 a chunk) and the ignored lines.
    let kept = allocations_while_applying(Ledger::new(bundled()));
    assert!(
        kept < PEOPLE * 40 + 200,
        "{kept} allocations for {EVENTS} events of {PEOPLE} people, entries kept"
    );
    eprintln!(
        "allocations while applying {EVENTS} events: {totals_only} (totals only), {kept} (entries kept)"
    );
}
