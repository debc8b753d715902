//! The rules a long-running host judges by: a handle that holds the current rulebook (every
//! version in force) and replaces it, on request, with one read again from disk — only once
//! the new one has been parsed and checked completely. An evaluation takes a snapshot and
//! keeps it to the end, so it sees one set of rules, never a mix; a broken edit never
//! replaces a good set.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant, SystemTime};

use crate::error::Error;
use crate::rulebook::Rulebook;

/// A handle on the rules in force, shared by the threads of a host (`Arc<LiveRules>`):
/// [`current`](LiveRules::current) gives the rulebook to evaluate with,
/// [`reload`](LiveRules::reload) reads the files again.
///
/// ```
/// # fn main() -> Result<(), rulebook::Error> {
/// let live = rulebook::LiveRules::load("rules/en/c-tower.rules")?;
/// let rulebook = live.current(); // hold it for a whole evaluation
/// assert_eq!(rulebook.versions().len(), 1);
/// match live.reload() {
///     Ok(newer) => assert_eq!(newer.header().title, rulebook.header().title),
///     Err(problems) => eprintln!("kept the rules in force: {problems}"),
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct LiveRules {
    path: PathBuf,
    current: RwLock<Loaded>,
    settle: Duration,
}

/// How long the rule files must have been still — no size or time of change moving — before
/// [`LiveRules::reload`] reads them, unless told otherwise ([`LiveRules::with_settle`]).
pub const DEFAULT_SETTLE: Duration = Duration::from_millis(100);

/// How many settling times a reload waits, at most, for files that keep changing.
const MOST_SETTLES: u32 = 50;

/// The rulebook in force and how many times it was replaced.
#[derive(Debug, Clone)]
struct Loaded {
    rulebook: Arc<Rulebook>,
    generation: u64,
}

impl LiveRules {
    /// Loads the rules at `path`: one rule file, or a directory whose `*.rules` files are
    /// the versions of one policy. Fails, with every problem, if they do not check.
    pub fn load(path: impl AsRef<Path>) -> Result<LiveRules, Error> {
        let path = path.as_ref().to_owned();
        let rulebook = Arc::new(Rulebook::load(&path)?);
        Ok(LiveRules {
            path,
            current: RwLock::new(Loaded {
                rulebook,
                generation: 0,
            }),
            settle: DEFAULT_SETTLE,
        })
    }

    /// The same, with reloads waiting for the files to have been still for `settle` (see
    /// [`LiveRules::reload`]); [`Duration::ZERO`] reads them at once.
    #[must_use]
    pub fn with_settle(mut self, settle: Duration) -> LiveRules {
        self.settle = settle;
        self
    }

    /// The file or directory the rules are read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The rulebook in force now. Keep it for the whole of an evaluation: a reload meanwhile
    /// does not change it.
    pub fn current(&self) -> Arc<Rulebook> {
        Arc::clone(&self.loaded().rulebook)
    }

    /// How many times the rules have been replaced since they were loaded.
    pub fn generation(&self) -> u64 {
        self.loaded().generation
    }

    /// Reads the rules again and, if they check, puts them in force and returns them. If
    /// they do not (a file is broken, deleted or unreadable), the rules in force stay as
    /// they were and the problems are returned.
    ///
    /// A file being saved in place is read only once it has been still for the settling
    /// time ([`DEFAULT_SETTLE`]), and read again if it changed while it was read, so that a
    /// reload racing a save does not put half a file in force; files that keep changing for
    /// fifty settling times are [`Error::StillChanging`]. A save that pauses longer than that
    /// in the middle can still be read half-written: save by writing a new file and renaming
    /// it over the old one, as most editors do, and the reload sees one whole file or the
    /// other.
    pub fn reload(&self) -> Result<Arc<Rulebook>, Error> {
        // Parsed and checked completely before the lock is taken: readers never wait for it.
        let rulebook = Arc::new(self.read_settled()?);
        let mut current = match self.current.write() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        *current = Loaded {
            rulebook: Arc::clone(&rulebook),
            generation: current.generation.saturating_add(1),
        };
        Ok(rulebook)
    }

    /// The rules read once the files have been still for the settling time, and unchanged
    /// while they were read.
    fn read_settled(&self) -> Result<Rulebook, Error> {
        let deadline = Instant::now() + self.settle.saturating_mul(MOST_SETTLES);
        loop {
            let before = stamps(&self.path);
            let wait = before
                .iter()
                .filter_map(|(_, _, changed)| changed.elapsed().ok())
                .map(|age| self.settle.saturating_sub(age))
                .max()
                .unwrap_or(Duration::ZERO);
            if !wait.is_zero() {
                if Instant::now() + wait > deadline {
                    return Err(Error::StillChanging {
                        path: self.path.clone(),
                    });
                }
                std::thread::sleep(wait);
                continue;
            }
            let read = Rulebook::load(&self.path);
            if stamps(&self.path) == before {
                return read;
            }
            if Instant::now() > deadline {
                return Err(Error::StillChanging {
                    path: self.path.clone(),
                });
            }
        }
    }

    fn loaded(&self) -> Loaded {
        // A panic elsewhere while holding the lock cannot leave a half-written value: the
        // value is replaced whole, so a poisoned lock still holds a good one.
        match self.current.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }
}

/// The size and time of last change of the rule file at `path`, or of a directory and each
/// of its `*.rules` files (what cannot be read is left out: loading reports it).
fn stamps(path: &Path) -> Vec<(PathBuf, u64, SystemTime)> {
    let mut paths = vec![path.to_owned()];
    if path.is_dir() {
        paths.extend(crate::compile::rule_files(path).unwrap_or_default());
    }
    paths
        .into_iter()
        .filter_map(|path| {
            let metadata = std::fs::metadata(&path).ok()?;
            let changed = metadata.modified().ok()?;
            Some((path, metadata.len(), changed))
        })
        .collect()
}
