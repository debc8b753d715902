//! Watching rule files (feature `watch`): a change on disk calls back once the saves have
//! settled. Editors save in different ways — writing in place, or writing a temporary file
//! and renaming it over the original — so the directory is watched, not the file, and every
//! change to a `*.rules` file of it counts: written, created, renamed, or deleted. A rule file
//! that is a symbolic link is watched where it points as well (links made after the watch
//! starts are not followed). Changes that come in a burst (an editor's several writes, a
//! `git checkout`) make one call.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::Duration;

use notify::{RecursiveMode, Watcher as _};

use crate::error::Error;
use crate::live::LiveRules;
use crate::rulebook::Rulebook;

/// How long the files must be quiet before a change is acted on, unless told otherwise.
pub const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(200);

/// A running watch. Dropping it stops watching (and waits for a call in progress to end).
#[derive(Debug)]
pub struct Watch {
    watcher: Option<notify::RecommendedWatcher>,
    thread: Option<JoinHandle<()>>,
}

impl Drop for Watch {
    fn drop(&mut self) {
        // Dropping the watcher closes the channel, which ends the thread.
        drop(self.watcher.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Calls `on_change` each time the rule file at `path` — or any `*.rules` file of the
/// directory at `path` — changes, once changes have stopped for `debounce`.
pub fn on_change(
    path: impl AsRef<Path>,
    debounce: Duration,
    mut on_change: impl FnMut() + Send + 'static,
) -> Result<Watch, Error> {
    let path = path.as_ref();
    let watch_error = |error: notify::Error| Error::Watch {
        path: path.to_owned(),
        reason: error.to_string(),
    };
    // A file is watched through its directory, so that a rename over it is seen.
    let (directory, file): (PathBuf, Option<std::ffi::OsString>) = if path.is_dir() {
        (path.to_owned(), None)
    } else {
        let parent = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
            _ => PathBuf::from("."),
        };
        (parent, path.file_name().map(ToOwned::to_owned))
    };
    // A rule file that is a symbolic link is edited where it points: that file is watched
    // too, through its own directory.
    let linked: Vec<PathBuf> = match &file {
        Some(_) => vec![path.to_owned()],
        None => crate::compile::rule_files(path).unwrap_or_default(),
    }
    .into_iter()
    .filter(|p| {
        p.symlink_metadata()
            .is_ok_and(|m| m.file_type().is_symlink())
    })
    .filter_map(|p| p.canonicalize().ok())
    .collect();
    let mut directories = vec![directory.clone()];
    for target in &linked {
        if let Some(parent) = target.parent()
            && !directories.iter().any(|d| d == parent)
        {
            directories.push(parent.to_owned());
        }
    }
    let (sender, receiver) = mpsc::channel::<()>();
    let relevant = move |changed: &Path| {
        linked.iter().any(|target| target == changed)
            || match &file {
                Some(name) => changed.file_name() == Some(name.as_os_str()),
                None => changed.extension().is_some_and(|e| e == "rules"),
            }
    };
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event
            && !event.kind.is_access()
            && event.paths.iter().any(|p| relevant(p))
        {
            let _ = sender.send(());
        }
    })
    .map_err(watch_error)?;
    for directory in &directories {
        watcher
            .watch(directory, RecursiveMode::NonRecursive)
            .map_err(watch_error)?;
    }
    let thread = std::thread::Builder::new()
        .name("rulebook-watch".to_owned())
        .spawn(move || {
            // Wait for a change, then for quiet, then act; until the watcher is dropped.
            while receiver.recv().is_ok() {
                loop {
                    match receiver.recv_timeout(debounce) {
                        Ok(()) => continue,
                        Err(RecvTimeoutError::Timeout) => break,
                        Err(RecvTimeoutError::Disconnected) => return,
                    }
                }
                on_change();
            }
        })
        .map_err(|error| Error::Watch {
            path: path.to_owned(),
            reason: error.to_string(),
        })?;
    Ok(Watch {
        watcher: Some(watcher),
        thread: Some(thread),
    })
}

impl LiveRules {
    /// Reloads the rules each time their files change (see [`on_change`]), and tells
    /// `on_reload` what came of it: the new rules in force, or the problems that kept the
    /// old ones in force.
    pub fn watch(
        self: &Arc<Self>,
        debounce: Duration,
        mut on_reload: impl FnMut(Result<Arc<Rulebook>, Error>) + Send + 'static,
    ) -> Result<Watch, Error> {
        let live = Arc::clone(self);
        on_change(self.path(), debounce, move || on_reload(live.reload()))
    }
}
