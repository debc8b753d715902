//! The rules a long-running host judges by: a handle that holds the current rulebook (every
//! version in force) and replaces it, on request, with one read again from disk — only once
//! the new one has been parsed and checked completely. An evaluation takes a snapshot and
//! keeps it to the end, so it sees one set of rules, never a mix; a broken edit never
//! replaces a good set.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

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
}

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
        })
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
    pub fn reload(&self) -> Result<Arc<Rulebook>, Error> {
        // Parsed and checked completely before the lock is taken: readers never wait for it.
        let rulebook = Arc::new(Rulebook::load(&self.path)?);
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

    fn loaded(&self) -> Loaded {
        // A panic elsewhere while holding the lock cannot leave a half-written value: the
        // value is replaced whole, so a poisoned lock still holds a good one.
        match self.current.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }
}
