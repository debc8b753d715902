//! The file watcher (feature `watch`): saves in place, saves by rename, deletions and bursts
//! of saves each lead to one reload once the files are quiet.

mod common;

use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use rulebook::{Error, LiveRules, Rulebook};

const NEW: &str = include_str!("../rules/en/c-tower.rules");
const DEBOUNCE: Duration = Duration::from_millis(150);
/// Long enough for any event to arrive and settle on a loaded machine.
const PATIENCE: Duration = Duration::from_secs(10);

use common::scratch;

type Outcome = Result<Arc<Rulebook>, String>;

fn watched(path: &Path) -> (Arc<LiveRules>, rulebook::watch::Watch, Receiver<Outcome>) {
    let live = Arc::new(LiveRules::load(path).unwrap());
    let (sender, receiver) = mpsc::channel();
    let watch = live
        .watch(DEBOUNCE, move |outcome: Result<Arc<Rulebook>, Error>| {
            let _ = sender.send(outcome.map_err(|e| e.to_string()));
        })
        .unwrap();
    (live, watch, receiver)
}

fn next(receiver: &Receiver<Outcome>) -> Outcome {
    receiver
        .recv_timeout(PATIENCE)
        .expect("a reload within 10 s")
}

/// Nothing more arrives for a while.
fn quiet(receiver: &Receiver<Outcome>) {
    assert!(
        receiver.recv_timeout(DEBOUNCE * 4).is_err(),
        "an extra reload"
    );
}

#[test]
fn a_save_in_place_and_a_save_by_rename_each_reload_once() {
    let dir = scratch("watch-save");
    let file = dir.join("c-tower.rules");
    std::fs::write(&file, NEW).unwrap();
    let (live, _watch, reloads) = watched(&file);

    std::fs::write(
        &file,
        NEW.replace("1.3 messy desk: fine 15", "1.3 messy desk: fine 16"),
    )
    .unwrap();
    assert!(next(&reloads).is_ok());
    quiet(&reloads);
    assert_eq!(live.generation(), 1);

    // As editors save: a temporary file in the same directory, renamed over the original.
    let temporary = dir.join(".c-tower.rules.swp");
    std::fs::write(
        &temporary,
        NEW.replace("1.3 messy desk: fine 15", "1.3 messy desk: fine 17"),
    )
    .unwrap();
    std::fs::rename(&temporary, &file).unwrap();
    let rulebook = next(&reloads).unwrap();
    assert!(rulebook.to_string().contains("1.3 messy desk: fine 17"));
    quiet(&reloads);
    assert_eq!(live.generation(), 2);

    // Other files of the directory are not the rules.
    std::fs::write(dir.join("notes.txt"), "x").unwrap();
    quiet(&reloads);
}

#[test]
fn a_broken_save_and_a_deletion_keep_the_last_good_rules() {
    let dir = scratch("watch-broken");
    let file = dir.join("c-tower.rules");
    std::fs::write(&file, NEW).unwrap();
    let (live, _watch, reloads) = watched(&file);
    let good = live.current();

    std::fs::write(
        &file,
        NEW.replace("1.3 messy desk: fine 15", "1.3 messy desk: fien 15"),
    )
    .unwrap();
    let problem = next(&reloads).unwrap_err();
    assert!(problem.contains("1 problem"), "{problem}");
    assert!(Arc::ptr_eq(&good, &live.current()));

    std::fs::remove_file(&file).unwrap();
    assert!(next(&reloads).unwrap_err().starts_with("cannot read"));
    assert!(Arc::ptr_eq(&good, &live.current()));

    std::fs::write(&file, NEW).unwrap();
    assert!(next(&reloads).is_ok());
    assert_eq!(live.generation(), 1);
}

#[test]
fn a_burst_of_saves_makes_one_reload_of_the_last() {
    let dir = scratch("watch-burst");
    std::fs::write(dir.join("c-tower.rules"), NEW).unwrap();
    let (live, _watch, reloads) = watched(&dir);
    for amount in 20..40 {
        std::fs::write(
            dir.join("c-tower.rules"),
            NEW.replace(
                "1.3 messy desk: fine 15",
                &format!("1.3 messy desk: fine {amount}"),
            ),
        )
        .unwrap();
        std::thread::sleep(Duration::from_millis(5));
    }
    let rulebook = next(&reloads).unwrap();
    assert!(rulebook.to_string().contains("1.3 messy desk: fine 39"));
    quiet(&reloads);
    assert_eq!(live.generation(), 1);
}

#[test]
fn dropping_the_watch_stops_it() {
    let dir = scratch("watch-drop");
    let file = dir.join("c-tower.rules");
    std::fs::write(&file, NEW).unwrap();
    let (live, watch, reloads) = watched(&file);
    drop(watch);
    std::fs::write(
        &file,
        NEW.replace("1.3 messy desk: fine 15", "1.3 messy desk: fine 16"),
    )
    .unwrap();
    assert!(reloads.recv_timeout(DEBOUNCE * 4).is_err());
    assert_eq!(live.generation(), 0);
}

#[test]
#[cfg(unix)]
fn a_rule_file_that_is_a_link_is_watched_where_it_points() {
    let dir = scratch("watch-link");
    // In a folder of the directory: a link out of it is refused (tests/versions.rs).
    let elsewhere = dir.join("sources");
    std::fs::create_dir(&elsewhere).unwrap();
    let target = elsewhere.join("policy.txt");
    std::fs::write(&target, NEW).unwrap();
    std::os::unix::fs::symlink(&target, dir.join("c-tower.rules")).unwrap();
    let (live, _watch, reloads) = watched(&dir);
    std::fs::write(
        &target,
        NEW.replace("1.3 messy desk: fine 15", "1.3 messy desk: fine 18"),
    )
    .unwrap();
    let rulebook = next(&reloads).unwrap();
    assert!(rulebook.to_string().contains("1.3 messy desk: fine 18"));
    assert_eq!(live.generation(), 1);
}
