//! A host's handle on the rules in force: reloads replace them whole, only once the new ones
//! check, under concurrent evaluation.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use common::{report_of, scratch};
use rulebook::{Error, LiveRules, Report, Rulebook};

const OLD: &str = include_str!("fixtures/versions/c-tower-2024-12-08.rules");
const NEW: &str = include_str!("../rules/en/c-tower.rules");
const EVENTS: &str = include_str!("fixtures/versions/2025-08.jsonl");

fn report(rulebook: Arc<Rulebook>) -> Report {
    report_of(rulebook, EVENTS)
}

fn json(report: &Report) -> String {
    serde_json::to_string(report).unwrap()
}

#[test]
fn the_same_events_give_the_same_ledger_loaded_at_once_or_built_up_by_reloads() {
    let at_once = scratch("live-at-once");
    std::fs::write(at_once.join("old.rules"), OLD).unwrap();
    std::fs::write(at_once.join("new.rules"), NEW).unwrap();
    let expected = json(&report(LiveRules::load(&at_once).unwrap().current()));

    let built_up = scratch("live-built-up");
    std::fs::write(built_up.join("old.rules"), OLD).unwrap();
    let live = LiveRules::load(&built_up).unwrap();
    assert_eq!(live.current().versions().len(), 1);
    let before = json(&report(live.current()));
    assert_ne!(before, expected, "the old version alone judges differently");
    std::fs::write(built_up.join("new.rules"), NEW).unwrap();
    live.reload().unwrap();
    assert_eq!(live.generation(), 1);
    assert_eq!(live.current().versions().len(), 2);
    assert_eq!(json(&report(live.current())), expected);
}

#[test]
fn a_broken_edit_keeps_the_last_good_rules_and_reports_the_problem() {
    let dir = scratch("live-broken");
    let file = dir.join("c-tower.rules");
    std::fs::write(&file, NEW).unwrap();
    let live = LiveRules::load(&file).unwrap();
    let good = live.current();
    std::fs::write(
        &file,
        NEW.replace("1.3 messy desk: fine 15", "1.3 messy desk: fien 15"),
    )
    .unwrap();
    match live.reload() {
        Err(Error::Rules(errors)) => {
            assert_eq!(errors.problems().len(), 1);
            assert_eq!(errors.problems()[0].location().line, 36);
        }
        other => panic!("{other:?}"),
    }
    assert!(
        Arc::ptr_eq(&good, &live.current()),
        "the good rules stay in force"
    );
    assert_eq!(live.generation(), 0);
    // Deleted: the same.
    std::fs::remove_file(&file).unwrap();
    assert!(matches!(live.reload(), Err(Error::Read { .. })));
    assert!(Arc::ptr_eq(&good, &live.current()));
    // Mended: in force again.
    std::fs::write(&file, NEW).unwrap();
    assert!(live.reload().is_ok());
    assert_eq!(live.generation(), 1);
}

#[test]
fn deleting_a_version_reloads_the_set_without_it() {
    let dir = scratch("live-delete");
    std::fs::write(dir.join("old.rules"), OLD).unwrap();
    std::fs::write(dir.join("new.rules"), NEW).unwrap();
    let live = LiveRules::load(&dir).unwrap();
    assert_eq!(live.current().versions().len(), 2);
    std::fs::remove_file(dir.join("new.rules")).unwrap();
    assert_eq!(live.reload().unwrap().versions().len(), 1);
    // A set that no longer checks (a version that does not repeal the one before) is refused.
    std::fs::write(
        dir.join("new.rules"),
        NEW.replace("repeals: the version of 2024-12-08\n", ""),
    )
    .unwrap();
    assert!(matches!(live.reload(), Err(Error::Versions(_))));
    assert_eq!(live.current().versions().len(), 1);
}

#[test]
fn evaluations_running_during_reloads_each_see_one_set_of_rules() {
    let dir = scratch("live-concurrent");
    std::fs::write(dir.join("old.rules"), OLD).unwrap();
    // Each file is whole when it is reloaded: no need to wait for it to settle.
    let live = Arc::new(
        LiveRules::load(&dir)
            .unwrap()
            .with_settle(std::time::Duration::ZERO),
    );
    let old_only = json(&report(live.current()));
    std::fs::write(dir.join("new.rules"), NEW).unwrap();
    live.reload().unwrap();
    let both = json(&report(live.current()));
    assert_ne!(old_only, both);

    let stop = Arc::new(AtomicBool::new(false));
    let evaluators: Vec<_> = (0..3)
        .map(|_| {
            let live = Arc::clone(&live);
            let stop = Arc::clone(&stop);
            let (old_only, both) = (old_only.clone(), both.clone());
            std::thread::spawn(move || {
                let mut seen = [0usize; 2];
                while !stop.load(Ordering::Relaxed) {
                    let result = json(&report(live.current()));
                    // One whole set or the other: never a mix.
                    if result == old_only {
                        seen[0] += 1;
                    } else if result == both {
                        seen[1] += 1;
                    } else {
                        panic!("a torn result:\n{result}");
                    }
                }
                seen
            })
        })
        .collect();
    // Flip between the two sets, and through broken edits that must change nothing.
    for round in 0..40 {
        if round % 2 == 0 {
            std::fs::rename(dir.join("new.rules"), dir.join("new.rules.off")).unwrap();
        } else {
            std::fs::rename(dir.join("new.rules.off"), dir.join("new.rules")).unwrap();
        }
        live.reload().unwrap();
        std::fs::write(dir.join("broken.rules"), "title: half-written\n").unwrap();
        assert!(live.reload().is_err());
        std::fs::remove_file(dir.join("broken.rules")).unwrap();
        std::thread::yield_now();
    }
    stop.store(true, Ordering::Relaxed);
    let mut total = [0usize; 2];
    for evaluator in evaluators {
        let seen = evaluator.join().expect("no evaluation saw a torn set");
        total[0] += seen[0];
        total[1] += seen[1];
    }
    assert!(total[0] + total[1] > 0);
    assert_eq!(live.generation(), 41);
}

#[test]
fn a_reload_racing_a_save_in_place_never_puts_part_of_the_file_in_force() {
    let dir = scratch("live-save-in-place");
    let file = dir.join("c-tower.rules");
    std::fs::write(&file, NEW).unwrap();
    // Settling for half a second: the writer pauses 2 ms between lines, so only a machine
    // too busy to run it for half a second would let a reload see half a file (the default,
    // 100 ms, is for an editor on a machine that is not also compiling).
    let live = Arc::new(
        LiveRules::load(&file)
            .unwrap()
            .with_settle(std::time::Duration::from_millis(500)),
    );
    let whole = live.current().written_rules();
    let done = Arc::new(AtomicBool::new(false));
    // An editor that saves in place: the file is emptied, then written a line at a time.
    let writer = {
        let (file, done) = (file.clone(), Arc::clone(&done));
        std::thread::spawn(move || {
            use std::io::Write as _;
            for _ in 0..2 {
                let mut out = std::fs::File::create(&file).unwrap();
                for line in NEW.split_inclusive('\n') {
                    out.write_all(line.as_bytes()).unwrap();
                    out.flush().unwrap();
                    std::thread::sleep(std::time::Duration::from_millis(2));
                }
            }
            done.store(true, Ordering::Relaxed);
        })
    };
    let mut seen = Vec::new();
    while !done.load(Ordering::Relaxed) {
        match live.reload() {
            Ok(rules) => seen.push(rules.written_rules()),
            Err(error) => panic!("a reload failed while the file was being saved: {error}"),
        }
    }
    writer.join().unwrap();
    seen.push(live.reload().unwrap().written_rules());
    assert!(
        seen.iter().all(|n| *n == whole),
        "rulebooks of {seen:?} rules were put in force; the file has {whole}"
    );
}
