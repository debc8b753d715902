//! The evaluator's state: per person, only what open windows need (escalation counts and the
//! bases they compare, occurrence counts, period-rule tracks and streaks). It grows with
//! people × open periods, never with the number of events, and serializes for checkpoints.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use crate::calendar::{Month, Window};
use crate::money::Money;
use crate::rulebook::Rulebook;
use crate::rulebook::{EscalationEffect, Level};
use crate::vocab::Period;

/// Everything an [`Evaluator`](super::Evaluator) needs to resume where it stopped, with
/// identical results. Serialize it with serde after any event; give it back to
/// [`Evaluator::resume`](super::Evaluator::resume) with the same rulebook.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvalState {
    /// A fingerprint of the rulebook's canonical text.
    rulebook: String,
    pub(crate) people: Vec<PersonState>,
    pub(crate) first_month: Option<Month>,
    pub(crate) last_month: Option<Month>,
    pub(crate) closed_through: Option<Month>,
    /// Which evaluation this is: random for a new evaluator, kept by a checkpoint. A ledger
    /// takes the entries of one evaluation only.
    pub(crate) lineage: u64,
}

/// A number no other evaluation of this or another process has, as near as matters: the
/// standard library's randomly keyed hasher over a per-process count.
fn fresh_lineage() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNT: AtomicU64 = AtomicU64::new(0);
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(COUNT.fetch_add(1, Ordering::Relaxed));
    hasher.finish()
}

/// The state was taken with a different rulebook than the one given to resume it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the checkpoint was taken with a different rulebook (`{expected}`), not `{found}`")]
pub struct WrongRulebook {
    expected: String,
    found: String,
}

impl EvalState {
    pub(crate) fn new(rulebook: &Rulebook) -> EvalState {
        EvalState {
            rulebook: fingerprint(rulebook),
            people: Vec::new(),
            first_month: None,
            last_month: None,
            closed_through: None,
            lineage: fresh_lineage(),
        }
    }

    pub(crate) fn check_rulebook(&self, rulebook: &Rulebook) -> Result<(), WrongRulebook> {
        let found = fingerprint(rulebook);
        if found == self.rulebook {
            Ok(())
        } else {
            Err(WrongRulebook {
                expected: self.rulebook.clone(),
                found,
            })
        }
    }
}

/// The rulebook's title and effective date, and a 64-bit FNV-1a hash of the canonical text
/// of every version.
fn fingerprint(rulebook: &Rulebook) -> String {
    let text: String = rulebook
        .versions()
        .iter()
        .map(|version| version.canonical_text())
        .collect();
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    });
    let header = rulebook.header();
    format!("{} ({}) #{hash:016x}", header.title, header.effective)
}

/// How many escalation counts a person keeps: one per slot (escalations of different
/// versions that count the same entries share a slot).
pub(crate) fn escalation_slot_count(rulebook: &Rulebook) -> usize {
    rulebook
        .escalation_slots
        .iter()
        .max()
        .map_or(0, |slot| *slot as usize + 1)
}

/// What the evaluator remembers of one person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct PersonState {
    pub(crate) name: String,
    /// Named on a line that was applied or ignored (so on the roster when none is given).
    pub(crate) named: bool,
    /// The instant of the latest event applied for the person.
    pub(crate) last: Option<(i64, u32)>,
    /// One per escalation declaration of the rulebook.
    pub(crate) escalations: Vec<EscalationState>,
    /// Occurrences of rules that count them, in the current month.
    occurrences: Vec<Occurrences>,
    /// Events counted toward period rules, per open window.
    tracks: Vec<Track>,
    /// Runs of periods in which a period rule's test held.
    streaks: Vec<Streak>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Occurrences {
    rule: u32,
    month: Month,
    count: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Track {
    rule: u16,
    window: Window,
    /// The period of the window (for forgetting it once it has closed).
    period: Period,
    count: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Streak {
    rule: u16,
    window: Window,
    run: u64,
}

impl PersonState {
    pub(crate) fn new(name: &str, rulebook: &Rulebook) -> PersonState {
        PersonState {
            name: name.to_owned(),
            named: false,
            last: None,
            escalations: vec![EscalationState::default(); escalation_slot_count(rulebook)],
            occurrences: Vec::new(),
            tracks: Vec::new(),
            streaks: Vec::new(),
        }
    }

    /// The latest instant applied, as text for a message.
    pub(crate) fn last_text(&self) -> String {
        self.last
            .and_then(|(seconds, nanos)| chrono::DateTime::from_timestamp(seconds, nanos))
            .map_or_else(String::new, |at| at.to_rfc3339())
    }

    /// How many times `rule` has applied to the person in `month`.
    pub(crate) fn occurrences(&self, rule: u32, month: Month) -> u64 {
        self.occurrences
            .iter()
            .find(|o| o.rule == rule && o.month == month)
            .map_or(0, |o| o.count)
    }

    pub(crate) fn count_occurrence(&mut self, rule: u32, month: Month) {
        match self.occurrences.iter_mut().find(|o| o.rule == rule) {
            Some(o) if o.month == month => o.count = o.count.saturating_add(1),
            Some(o) => {
                o.month = month;
                o.count = 1;
            }
            None => self.occurrences.push(Occurrences {
                rule,
                month,
                count: 1,
            }),
        }
    }

    /// Counts one event toward period rule `rule` in `window`, a window of `period`.
    pub(crate) fn track(&mut self, rule: u16, window: Window, period: Period) {
        match self
            .tracks
            .iter_mut()
            .find(|t| t.rule == rule && t.window == window)
        {
            Some(track) => track.count = track.count.saturating_add(1),
            None => self.tracks.push(Track {
                rule,
                window,
                period,
                count: 1,
            }),
        }
    }

    /// The events counted toward `rule` in `window`, forgetting them (the window closes).
    pub(crate) fn take_track(&mut self, rule: u16, window: Window) -> u64 {
        match self
            .tracks
            .iter()
            .position(|t| t.rule == rule && t.window == window)
        {
            Some(i) => self.tracks.swap_remove(i).count,
            None => 0,
        }
    }

    /// Forgets the counts of windows that `month` closed or that closed before it, which no
    /// period rule took (none of that label was in force when they closed).
    pub(crate) fn forget_closed(&mut self, month: Month) {
        self.tracks.retain(|t| {
            let current = month.window(t.period);
            t.window > current || (t.window == current && !month.ends(t.period))
        });
    }

    /// Records whether `rule`'s test held in `window`; returns how many windows in a row
    /// (ending with this one) it has held.
    pub(crate) fn streak(&mut self, rule: u16, window: Window, period: Period, held: bool) -> u64 {
        let index = match self.streaks.iter().position(|s| s.rule == rule) {
            Some(i) => i,
            None => {
                self.streaks.push(Streak {
                    rule,
                    window,
                    run: 0,
                });
                self.streaks.len() - 1
            }
        };
        let Some(streak) = self.streaks.get_mut(index) else {
            return 0;
        };
        let continues = streak.run > 0 && window.previous(period) == Some(streak.window);
        streak.run = match (held, continues) {
            (false, _) => 0,
            (true, true) => streak.run.saturating_add(1),
            (true, false) => 1,
        };
        streak.window = window;
        streak.run
    }
}

/// One person's count for one escalation declaration, in its current window.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct EscalationState {
    pub(crate) window: Option<Window>,
    pub(crate) count: u64,
    /// The heaviest base so far in the window, and the line of its first entry.
    pub(crate) heaviest: Option<(Money, Option<u64>)>,
    /// The latest bases, for "the heaviest of the last N".
    pub(crate) recent: VecDeque<(Money, Option<u64>)>,
}

impl EscalationState {
    /// The count this entry would have in `window`, and the level (base and line) the
    /// escalation's effect would multiply, after the `earlier` entries (base and line) of the
    /// same event counted before it (an event that gives one person two amounts).
    #[inline]
    pub(crate) fn next<I>(
        &self,
        window: Window,
        earlier: I,
        base: Money,
        line: Option<u64>,
        effect: &EscalationEffect,
    ) -> (u64, (Money, Option<u64>))
    where
        I: Iterator<Item = (Money, Option<u64>)> + Clone,
    {
        let same = self.window == Some(window);
        let before = if same { self.count } else { 0 };
        let count = before
            .saturating_add(earlier.clone().count() as u64)
            .saturating_add(1);
        let level = match effect {
            EscalationEffect::Multiply { level, .. } => *level,
            _ => Level::OwnBase,
        };
        let this = (base, line);
        let heaviest = |earlier: &mut dyn Iterator<Item = (Money, Option<u64>)>| {
            earlier.fold(this, |best, (b, l)| {
                if b >= best.0 && (b > best.0 || l < best.1) {
                    (b, l)
                } else {
                    best
                }
            })
        };
        let heaviest_so_far = self.heaviest.filter(|_| same);
        let recent = self.recent.iter().copied().filter(|_| same);
        let level = match level {
            Level::HeaviestSoFar => heaviest(&mut heaviest_so_far.into_iter().chain(earlier)),
            Level::HeaviestOfLast(n) => {
                // The last n − 1 before this one: of the window's recent bases, then this
                // event's earlier ones.
                let keep = (n as usize).saturating_sub(1);
                let all = recent.clone().count() + earlier.clone().count();
                let skip = all.saturating_sub(keep);
                heaviest(&mut recent.chain(earlier).skip(skip))
            }
            Level::OwnBase => this,
        };
        (count, level)
    }

    /// Counts an entry with `base` in `window`, keeping at most `keep` recent bases.
    #[inline]
    pub(crate) fn record(&mut self, window: Window, base: Money, line: Option<u64>, keep: usize) {
        if self.window != Some(window) {
            *self = EscalationState {
                window: Some(window),
                ..EscalationState::default()
            };
        }
        self.count = self.count.saturating_add(1);
        if self.heaviest.is_none_or(|(heaviest, _)| base > heaviest) {
            self.heaviest = Some((base, line));
        }
        if keep > 0 {
            if self.recent.len() >= keep {
                self.recent.pop_front();
            }
            self.recent.push_back((base, line));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_of_closed_windows_are_forgotten_and_open_ones_kept() {
        let month = |m| Month::new(2025, m).unwrap();
        let mut person = PersonState {
            name: "E1".to_owned(),
            named: true,
            last: None,
            escalations: Vec::new(),
            occurrences: Vec::new(),
            tracks: Vec::new(),
            streaks: Vec::new(),
        };
        person.track(0, month(4).window(Period::Month), Period::Month);
        person.track(1, month(5).window(Period::Month), Period::Month);
        person.track(2, month(4).window(Period::Quarter), Period::Quarter);
        person.forget_closed(month(4));
        let left: Vec<u16> = person.tracks.iter().map(|t| t.rule).collect();
        assert_eq!(left, [1, 2], "April's month closed; May's and Q2 are open");
        person.forget_closed(month(6));
        assert!(person.tracks.is_empty(), "June closes May and Q2");
    }
}
