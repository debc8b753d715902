//! The ledger: statements per person and month (fines, rewards, net, entries, outcomes),
//! ignored and rejected lines — what a host reads, and what `rulebook eval` prints.
//!
//! While folding it keeps compact postings in one append-only list and the running totals
//! per person and month; [`Ledger::report`] groups, orders and explains them.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

mod explain;
mod record;

pub use record::{Approval, PersonId};
pub(crate) use record::{
    Extra, Failed, IgnoreWhy, OutcomePosting, Posting, Shown, Sink, Source, label,
};

use crate::calendar::Month;
use crate::money::Money;
use crate::rejection::Rejection;
use crate::rulebook::{OutcomeKind, Rulebook};
use crate::vocab::{Direction, Unit};
use explain::{Replayed, ignored_why, posting_why};

/// Everything an evaluation produced, kept compact; [`Ledger::report`] puts it into words.
#[derive(Debug, Clone)]
pub struct Ledger {
    rulebook: Arc<Rulebook>,
    people: Vec<PersonLedger>,
    /// Every posting, in the order applied (empty when only totals are kept).
    postings: Postings,
    /// The rarer details of postings, by [`Posting::extra`].
    extras: Vec<Extra>,
    ignored: Vec<(Option<u64>, u32, IgnoreWhy)>,
    rejected: Vec<(u64, Rejection)>,
    /// Period rules' entries refused for a person and month: who, which month, why.
    refused: Vec<(String, Month, Rejection)>,
    /// The evaluation whose entries the ledger holds, once one has written to it.
    lineage: Option<u64>,
    posted: u64,
    ignored_lines: u64,
    /// Whether entries and ignored lines are kept (else only totals and outcomes).
    keep_entries: bool,
}

#[derive(Debug, Clone, Default)]
struct PersonLedger {
    name: String,
    months: Vec<MonthLedger>,
    /// The index in `months` of the month last touched: events come in time order.
    current: usize,
}

#[derive(Debug, Clone)]
struct MonthLedger {
    month: Month,
    totals: Totals,
    postings: u32,
    outcomes: Vec<OutcomePosting>,
}

/// An append-only list of postings in fixed-size chunks: growing never copies what is there,
/// and each chunk is small enough for the allocator to reuse its memory.
#[derive(Debug, Clone, Default)]
struct Postings {
    chunks: Vec<Vec<Posting>>,
}

/// Postings per chunk (a chunk is 512 KiB).
const CHUNK: usize = 8192;

impl Postings {
    #[inline]
    fn push(&mut self, posting: Posting) {
        match self.chunks.last_mut() {
            Some(chunk) if chunk.len() < CHUNK => chunk.push(posting),
            _ => self.push_to_new_chunk(posting),
        }
    }

    /// Once in 8,192 postings: kept out of line so that `push` stays small enough to inline.
    #[cold]
    #[inline(never)]
    fn push_to_new_chunk(&mut self, posting: Posting) {
        let mut chunk = Vec::with_capacity(CHUNK);
        chunk.push(posting);
        self.chunks.push(chunk);
    }

    fn get(&self, index: usize) -> Option<&Posting> {
        self.chunks.get(index / CHUNK)?.get(index % CHUNK)
    }

    fn iter(&self) -> impl Iterator<Item = &Posting> {
        self.chunks.iter().flatten()
    }
}

/// The order of entries in a month: period rules last, then time, then line.
type EntryOrder = (bool, i64, u32, u64);

/// Fines and rewards, in money and in points.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Totals {
    fines: Money,
    rewards: Money,
    point_fines: Money,
    point_rewards: Money,
}

impl Totals {
    fn slot(&mut self, direction: Direction, unit: Unit) -> &mut Money {
        match (direction, unit) {
            (Direction::Fine, Unit::Currency) => &mut self.fines,
            (Direction::Reward, Unit::Currency) => &mut self.rewards,
            (Direction::Fine, Unit::Points) => &mut self.point_fines,
            (Direction::Reward, Unit::Points) => &mut self.point_rewards,
        }
    }
}

impl PersonLedger {
    /// The month's ledger, created if new; the month last touched is found first.
    #[inline]
    fn month_mut(&mut self, month: Month) -> Option<&mut MonthLedger> {
        if self
            .months
            .get(self.current)
            .is_some_and(|m| m.month == month)
        {
            return self.months.get_mut(self.current);
        }
        self.other_month_mut(month)
    }

    /// A month other than the one last touched: kept out of line (see `month_mut`).
    #[cold]
    #[inline(never)]
    fn other_month_mut(&mut self, month: Month) -> Option<&mut MonthLedger> {
        let index = match self.months.binary_search_by_key(&month, |m| m.month) {
            Ok(i) => i,
            Err(i) => {
                self.months.insert(
                    i,
                    MonthLedger {
                        month,
                        totals: Totals::default(),
                        postings: 0,
                        outcomes: Vec::new(),
                    },
                );
                i
            }
        };
        self.current = index;
        self.months.get_mut(index)
    }
}

impl Ledger {
    /// An empty ledger for evaluations by `rulebook`.
    pub fn new(rulebook: Arc<Rulebook>) -> Ledger {
        Ledger {
            rulebook,
            people: Vec::new(),
            postings: Postings::default(),
            extras: Vec::new(),
            ignored: Vec::new(),
            rejected: Vec::new(),
            refused: Vec::new(),
            lineage: None,
            posted: 0,
            ignored_lines: 0,
            keep_entries: true,
        }
    }

    /// A ledger that keeps each person's monthly totals and outcomes, but not the entries
    /// themselves nor the ignored lines (only their number): its memory grows with people ×
    /// months, not with events. Its report's statements have no entries.
    pub fn totals_only(rulebook: Arc<Rulebook>) -> Ledger {
        Ledger {
            keep_entries: false,
            ..Ledger::new(rulebook)
        }
    }

    /// The rulebook the entries were made by.
    pub fn rulebook(&self) -> &Arc<Rulebook> {
        &self.rulebook
    }

    /// Records a rejected line.
    pub fn reject(&mut self, line: u64, rejection: Rejection) {
        self.rejected.push((line, rejection));
    }

    /// Whether nothing has been recorded yet: no entry, outcome, ignored or rejected line.
    pub(crate) fn is_untouched(&self) -> bool {
        self.people.is_empty()
            && self.posted == 0
            && self.ignored_lines == 0
            && self.rejected.is_empty()
            && self.refused.is_empty()
    }

    /// How many lines were ignored so far.
    pub fn ignored_count(&self) -> u64 {
        self.ignored_lines
    }

    /// How many lines (and period rules' entries, see [`RejectedLine`]) were rejected so far.
    pub fn rejected_count(&self) -> usize {
        self.rejected.len() + self.refused.len()
    }

    /// How many entries the ledger holds.
    pub fn entry_count(&self) -> u64 {
        self.posted
    }

    #[inline]
    fn person_mut(&mut self, person: PersonId, name: &str) -> Option<&mut PersonLedger> {
        if self.people.len() <= person.index() {
            self.people
                .resize_with(person.index() + 1, PersonLedger::default);
        }
        let ledger = self.people.get_mut(person.index())?;
        if ledger.name.is_empty() {
            name.clone_into(&mut ledger.name);
        }
        Some(ledger)
    }

    /// The statements, ignored and rejected lines, in the order and words of `docs/semantics.md`
    /// §7: statements by person, then month; entries by time, then line, with period rules
    /// last in their month.
    pub fn report(&self) -> Report {
        let rulebook = &self.rulebook;
        let zone = rulebook.header().time_zone;
        let name_of = |person: PersonId| {
            self.people
                .get(person.index())
                .map_or_else(String::new, |p| p.name.clone())
        };
        let extra_of = |posting: &Posting| posting.extra_index().and_then(|i| self.extras.get(i));

        // Each person's postings in the order applied, explained by replaying escalations.
        let mut by_person: Vec<Vec<usize>> = vec![Vec::new(); self.people.len()];
        for (index, posting) in self.postings.iter().enumerate() {
            if let Some(list) = by_person.get_mut(posting.person().index()) {
                list.push(index);
            }
        }
        let mut people: Vec<usize> = (0..self.people.len()).collect();
        people.sort_by(|a, b| {
            let name = |i: &usize| self.people.get(*i).map_or("", |p| p.name.as_str());
            name(a).cmp(name(b))
        });
        let mut statements = Vec::new();
        let mut unshown = Vec::new();
        for person in people {
            let Some(ledger) = self.people.get(person) else {
                continue;
            };
            let postings = by_person.get(person).map_or(&[][..], Vec::as_slice);
            // The entries each escalation counted, by its count and window: what a later
            // entry's reason names as the earlier ones.
            let mut counted = Counted::default();
            let mut entries: Vec<(Month, EntryOrder, Entry)> = Vec::with_capacity(postings.len());
            for &index in postings {
                let Some(posting) = self.postings.get(index) else {
                    continue;
                };
                let extra = extra_of(posting);
                // A posting's time is an event's or a month end's, which the calendar always
                // shows; should one not be, its line is told, not its amount lost silently.
                let Some(stamp) = posting.stamp(extra, zone) else {
                    unshown.push(RejectedLine {
                        code: "internal_error".to_owned(),
                        line: posting.line(),
                        who: Some(ledger.name.clone()),
                        month: None,
                        why: format!(
                            "internal error: the entry of rule {} for \"{}\" ({} {}) has a time that cannot be shown; its month's totals count it",
                            label(rulebook, posting.source()),
                            ledger.name,
                            posting.amount,
                            match posting.direction() {
                                Direction::Fine => "fine",
                                Direction::Reward => "reward",
                            },
                        ),
                    });
                    continue;
                };
                let month = stamp.month();
                let replayed = counted.note(rulebook, posting, month);
                entries.push((
                    month,
                    posting.order(extra),
                    Entry {
                        line: posting.line(),
                        at: stamp.to_string(),
                        rule: label(rulebook, posting.source()),
                        kind: posting.direction(),
                        unit: posting.unit(),
                        base: posting.base,
                        amount: posting.amount,
                        why: posting_why(rulebook, posting, extra, replayed.as_ref(), &name_of),
                    },
                ));
            }
            entries.sort_by_key(|(month, order, _)| (*month, *order));
            let mut entries = entries.into_iter().peekable();
            for month in &ledger.months {
                let mut month_entries = Vec::new();
                while let Some((_, _, entry)) = entries.next_if(|(m, _, _)| *m == month.month) {
                    month_entries.push(entry);
                }
                if month.postings == 0 && month.outcomes.is_empty() {
                    continue;
                }
                let outcomes = month
                    .outcomes
                    .iter()
                    .map(|o| OutcomeEntry {
                        line: o.line,
                        rule: label(rulebook, o.source),
                        kind: match o.kind {
                            OutcomeKind::Dismissal => "dismissal",
                            OutcomeKind::Remedy => "remedy",
                            OutcomeKind::Promotion { .. } => "promotion",
                        }
                        .to_owned(),
                        status: o.approval,
                        grades: match o.kind {
                            OutcomeKind::Promotion { grades, .. } => Some(grades),
                            _ => None,
                        },
                    })
                    .collect();
                let t = month.totals;
                let points =
                    (t.point_fines != Money::ZERO || t.point_rewards != Money::ZERO).then(|| {
                        Points {
                            fines: t.point_fines,
                            rewards: t.point_rewards,
                            net: t
                                .point_rewards
                                .checked_sub(t.point_fines)
                                .unwrap_or(Money::ZERO),
                        }
                    });
                statements.push(Statement {
                    who: ledger.name.clone(),
                    month: month.month,
                    fines: t.fines,
                    rewards: t.rewards,
                    // Both are totals of positive amounts, at most `Money::MAX`: the
                    // difference always fits.
                    net: t.rewards.checked_sub(t.fines).unwrap_or(Money::ZERO),
                    points,
                    entries: month_entries,
                    outcomes,
                });
            }
        }
        let mut ignored: Vec<IgnoredLine> = self
            .ignored
            .iter()
            .map(|(line, rule, why)| IgnoredLine {
                line: *line,
                rule: label(rulebook, Source::Rule(*rule)),
                why: ignored_why(rulebook, *rule, why),
            })
            .collect();
        ignored.sort_by_key(|i| i.line);
        let mut rejected: Vec<RejectedLine> = self
            .rejected
            .iter()
            .map(|(line, rejection)| RejectedLine {
                line: Some(*line),
                who: None,
                month: None,
                code: rejection_code(rejection),
                why: rejection.to_string(),
            })
            .chain(unshown)
            .collect();
        rejected.sort_by_key(|r| (r.line.is_none(), r.line));
        // Refused period entries after the lines, by person then month.
        let mut refused: Vec<RejectedLine> = self
            .refused
            .iter()
            .map(|(who, month, rejection)| RejectedLine {
                line: None,
                who: Some(who.clone()),
                month: Some(*month),
                code: rejection_code(rejection),
                why: rejection.to_string(),
            })
            .collect();
        refused.sort_by(|a, b| (&a.who, a.month).cmp(&(&b.who, b.month)));
        rejected.extend(refused);
        Report {
            statements,
            ignored,
            rejected,
        }
    }
}

/// The entries one person's escalations counted, as the evaluator recorded them on each
/// posting (which escalation counted it; for an escalated one, its count and the line whose
/// base it multiplied): the first lines of each count's window, for the reasons of the
/// entries after them. Nothing is computed again: the ledger only groups what it holds.
#[derive(Default)]
struct Counted {
    /// By the count's slot (shared by versions that count the same entries) and window:
    /// how many entries were counted, and the lines of the first four.
    windows: std::collections::HashMap<(u32, crate::calendar::Window), (u64, Vec<u64>)>,
}

/// How many earlier lines a reason names.
const EARLIER_NAMED: usize = 4;

impl Counted {
    /// Records `posting`'s place in its escalation's window, and returns what its reason
    /// needs if it was escalated: the earlier entries' first lines and the base's line, when
    /// this ledger holds every earlier entry of the window (else none are named).
    fn note(&mut self, rulebook: &Rulebook, posting: &Posting, month: Month) -> Option<Replayed> {
        let index = usize::from(posting.counted_by.checked_sub(1)?);
        let declaration = rulebook.escalations().get(index)?;
        let slot = *rulebook.escalation_slots.get(index)?;
        let window = month.window(declaration.window);
        let (count, lines) = self.windows.entry((slot, window)).or_default();
        let replayed = (posting.escalated != 0).then(|| Replayed {
            earlier: if *count + 1 == u64::from(posting.escalated) {
                lines.clone()
            } else {
                Vec::new()
            },
            level_line: (posting.level_line != 0).then_some(posting.level_line),
        });
        *count += 1;
        if let Some(line) = posting.line()
            && lines.len() < EARLIER_NAMED
        {
            lines.push(line);
        }
        replayed
    }
}

impl Sink for Ledger {
    fn fits(
        &mut self,
        person: PersonId,
        month: Month,
        direction: Direction,
        unit: Unit,
        amount: Money,
    ) -> bool {
        let Some(ledger) = self.people.get_mut(person.index()) else {
            return true;
        };
        let Some(month) = ledger.month_mut(month) else {
            return true;
        };
        let mut totals = month.totals;
        totals.slot(direction, unit).checked_add(amount).is_some()
    }

    #[inline]
    fn try_post(&mut self, name: &str, month: Month, posting: Posting) -> bool {
        let keep = self.keep_entries;
        let Some(ledger) = self.person_mut(posting.person(), name) else {
            return false;
        };
        let Some(month) = ledger.month_mut(month) else {
            return false;
        };
        let slot = month.totals.slot(posting.direction(), posting.unit());
        let Some(total) = slot.checked_add(posting.amount) else {
            return false;
        };
        *slot = total;
        month.postings = month.postings.saturating_add(1);
        self.posted += 1;
        if keep {
            self.postings.push(posting);
        }
        true
    }

    fn posting(&mut self, name: &str, month: Month, posting: Posting, extra: Option<&Extra>) {
        let keep = self.keep_entries;
        let Some(ledger) = self.person_mut(posting.person(), name) else {
            return;
        };
        let Some(month) = ledger.month_mut(month) else {
            return;
        };
        let slot = month.totals.slot(posting.direction(), posting.unit());
        // `fits` was asked first, so this never saturates.
        *slot = slot.checked_add(posting.amount).unwrap_or(Money::MAX);
        month.postings = month.postings.saturating_add(1);
        self.posted += 1;
        if keep {
            let mut posting = posting;
            if let Some(extra) = extra {
                posting.set_extra(self.extras.len());
                self.extras.push(*extra);
            }
            self.postings.push(posting);
        }
    }

    fn person(&mut self, person: PersonId, name: &str) {
        self.person_mut(person, name);
    }

    fn outcome(&mut self, person: PersonId, name: &str, month: Month, outcome: OutcomePosting) {
        if let Some(month) = self
            .person_mut(person, name)
            .and_then(|l| l.month_mut(month))
        {
            month.outcomes.push(outcome);
        }
    }

    fn ignored(&mut self, line: Option<u64>, rule: u32, why: IgnoreWhy) {
        self.ignored_lines += 1;
        if self.keep_entries {
            self.ignored.push((line, rule, why));
        }
    }

    #[inline]
    fn claim(&mut self, lineage: u64) -> bool {
        *self.lineage.get_or_insert(lineage) == lineage
    }

    fn refused(&mut self, who: &str, month: Month, rejection: Rejection) {
        self.refused.push((who.to_owned(), month, rejection));
    }
}

/// What one event produced, in words: [`Evaluator::apply`](crate::Evaluator::apply).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Verdict {
    /// Entries and outcomes, in the statements of the people and month they belong to (each
    /// statement holds only this event's part).
    Posted(Vec<Statement>),
    /// The line was valid but had no consequence.
    Ignored(IgnoredLine),
}

impl Verdict {
    pub(crate) fn from_report(mut report: Report) -> Verdict {
        match report.ignored.pop() {
            Some(ignored) if report.statements.is_empty() => Verdict::Ignored(ignored),
            _ => Verdict::Posted(report.statements),
        }
    }
}

/// The whole result, as `rulebook eval --format json` prints it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Report {
    /// One per person and month with an entry or an outcome, by person then month.
    pub statements: Vec<Statement>,
    /// Valid lines with no consequence, by line.
    pub ignored: Vec<IgnoredLine>,
    /// Lines that could not be applied, by line.
    pub rejected: Vec<RejectedLine>,
}

/// One person's month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Statement {
    /// The person.
    pub who: String,
    /// The month, such as `2025-08`.
    pub month: Month,
    /// The sum of the fines' amounts.
    pub fines: Money,
    /// The sum of the rewards' amounts.
    pub rewards: Money,
    /// Rewards minus fines.
    pub net: Money,
    /// Totals in points, for rules that count points; absent when there are none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<Points>,
    /// The entries, by time then line.
    pub entries: Vec<Entry>,
    /// The outcomes: dismissal, remedy, promotion.
    pub outcomes: Vec<OutcomeEntry>,
}

/// Fines and rewards counted in points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Points {
    /// Points taken.
    pub fines: Money,
    /// Points given.
    pub rewards: Money,
    /// Rewards minus fines.
    pub net: Money,
}

/// One fine or reward.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Entry {
    /// The input line of the event; `null` for a period rule.
    pub line: Option<u64>,
    /// When: the event's time in the rulebook's zone, or the date of a period rule.
    pub at: String,
    /// The label of the rule.
    pub rule: String,
    /// Fine or reward.
    pub kind: Direction,
    /// Money (omitted) or points.
    #[serde(default, skip_serializing_if = "is_currency")]
    pub unit: Unit,
    /// The amount before escalation or doubling.
    pub base: Money,
    /// The amount charged or paid.
    pub amount: Money,
    /// Why, in words: the rule, the condition that held, and for an escalated or doubled
    /// entry the count and the earlier entry whose base it multiplies.
    pub why: String,
}

fn is_currency(unit: &Unit) -> bool {
    *unit == Unit::Currency
}

/// One outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OutcomeEntry {
    /// The input line of the event.
    pub line: Option<u64>,
    /// The label of the rule.
    pub rule: String,
    /// `dismissal`, `remedy` or `promotion`.
    pub kind: String,
    /// For a promotion that needs approval: `approved` or `pending approval`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Approval>,
    /// For a promotion: by how many grades.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grades: Option<u32>,
}

/// A valid line with no consequence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct IgnoredLine {
    /// The input line.
    pub line: Option<u64>,
    /// The label of the rule that judged it.
    pub rule: String,
    /// Why it had no consequence.
    pub why: String,
}

/// A line that could not be applied — or a period rule's entry that could not be made for
/// one person and month (its amounts would overflow the month's totals): that one has no
/// line, and names the person and the month instead. Nothing is left out silently.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RejectedLine {
    /// The input line; `null` for a period rule's entry.
    pub line: Option<u64>,
    /// For a period rule's entry: the person it was for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub who: Option<String>,
    /// For a period rule's entry: the month it was for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub month: Option<Month>,
    /// Why, as a stable code for programs: the [`Rejection`]'s tag in snake case
    /// (`bad_timestamp`, `unknown_kind`, `overflow`, …). The `why` words may be reworded; the
    /// code is not.
    pub code: String,
    /// Why, in words.
    pub why: String,
}

/// A rejection's code: the tag its serde form carries (`#[serde(tag = "reason")]`, which
/// every variant has, as a string).
fn rejection_code(rejection: &Rejection) -> String {
    let value = serde_json::to_value(rejection);
    match value.as_ref().ok().and_then(|v| v.get("reason")?.as_str()) {
        Some(code) => code.to_owned(),
        // Not reachable: the tag is written first, and every field is a string or a number.
        None => "unknown".to_owned(),
    }
}
