//! The ledger: statements per person and month (fines, rewards, net, entries, outcomes),
//! ignored and rejected lines — what a host reads, and what `rulebook eval` prints.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::calendar::Month;
use crate::eval::why::{IgnoreWhy, ignored_why, posting_why};
use crate::eval::{Approval, OutcomePosting, PersonId, Posting, Rejection, Sink, Source, label};
use crate::money::Money;
use crate::rulebook::{Direction, OutcomeKind, Rulebook, Unit};

/// Everything an evaluation produced, kept compact; [`Ledger::report`] puts it into words.
#[derive(Debug, Clone)]
pub struct Ledger {
    rulebook: Arc<Rulebook>,
    people: Vec<PersonLedger>,
    ignored: Vec<(Option<u64>, u32, IgnoreWhy)>,
    rejected: Vec<(u64, Rejection)>,
    postings: u64,
    ignored_lines: u64,
    /// Whether entries and ignored lines are kept (else only totals and outcomes).
    keep_entries: bool,
}

#[derive(Debug, Clone, Default)]
struct PersonLedger {
    name: String,
    months: Vec<MonthLedger>,
}

#[derive(Debug, Clone)]
struct MonthLedger {
    month: Month,
    totals: Totals,
    postings: Vec<Posting>,
    outcomes: Vec<OutcomePosting>,
}

/// Fines and rewards, in money and in points.
#[derive(Debug, Clone, Copy, Default)]
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
            (Direction::Fine, _) => &mut self.point_fines,
            (Direction::Reward, _) => &mut self.point_rewards,
        }
    }
}

impl Ledger {
    /// An empty ledger for evaluations by `rulebook`.
    pub fn new(rulebook: Arc<Rulebook>) -> Ledger {
        Ledger {
            rulebook,
            people: Vec::new(),
            ignored: Vec::new(),
            rejected: Vec::new(),
            postings: 0,
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

    /// How many lines were ignored so far.
    pub fn ignored_count(&self) -> u64 {
        self.ignored_lines
    }

    /// How many lines were rejected so far.
    pub fn rejected_count(&self) -> usize {
        self.rejected.len()
    }

    /// How many entries the ledger holds.
    pub fn entry_count(&self) -> u64 {
        self.postings
    }

    fn month(&self, person: PersonId, month: Month) -> Option<&MonthLedger> {
        let months = &self.people.get(person.index())?.months;
        months
            .binary_search_by_key(&month, |m| m.month)
            .ok()
            .and_then(|i| months.get(i))
    }

    fn month_mut(
        &mut self,
        person: PersonId,
        name: &str,
        month: Month,
    ) -> Option<&mut MonthLedger> {
        if self.people.len() <= person.index() {
            self.people
                .resize_with(person.index() + 1, PersonLedger::default);
        }
        let ledger = self.people.get_mut(person.index())?;
        if ledger.name.is_empty() {
            name.clone_into(&mut ledger.name);
        }
        let index = match ledger.months.last() {
            Some(last) if last.month == month => ledger.months.len() - 1,
            _ => match ledger.months.binary_search_by_key(&month, |m| m.month) {
                Ok(i) => i,
                Err(i) => {
                    ledger.months.insert(
                        i,
                        MonthLedger {
                            month,
                            totals: Totals::default(),
                            postings: Vec::new(),
                            outcomes: Vec::new(),
                        },
                    );
                    i
                }
            },
        };
        ledger.months.get_mut(index)
    }

    /// The statements, ignored and rejected lines, in the order and words of `semantics.md`
    /// §7: statements by person, then month; entries by time, then line, with period rules
    /// last in their month.
    pub fn report(&self) -> Report {
        let rulebook = &self.rulebook;
        let name_of = |person: PersonId| {
            self.people
                .get(person.index())
                .map_or_else(String::new, |p| p.name.clone())
        };
        let mut people: Vec<&PersonLedger> = self
            .people
            .iter()
            .filter(|p| !p.months.is_empty())
            .collect();
        people.sort_by(|a, b| a.name.cmp(&b.name));
        let mut statements = Vec::new();
        for person in people {
            for month in &person.months {
                let empty = month.totals.fines == Money::ZERO
                    && month.totals.rewards == Money::ZERO
                    && month.totals.point_fines == Money::ZERO
                    && month.totals.point_rewards == Money::ZERO;
                if month.postings.is_empty() && month.outcomes.is_empty() && empty {
                    continue;
                }
                let mut postings: Vec<&Posting> = month.postings.iter().collect();
                postings.sort_by_key(|p| {
                    (
                        matches!(p.source, Source::Period(_)),
                        p.at.instant(),
                        p.line,
                    )
                });
                let entries = postings
                    .into_iter()
                    .map(|p| Entry {
                        line: p.line,
                        at: p.at.to_string(),
                        rule: label(rulebook, p.source),
                        kind: p.direction,
                        unit: p.unit,
                        base: p.base,
                        amount: p.amount,
                        why: posting_why(rulebook, p, &name_of),
                    })
                    .collect();
                let outcomes = month
                    .outcomes
                    .iter()
                    .map(|o| OutcomeEntry {
                        line: o.line,
                        rule: label(rulebook, Source::Rule(o.rule)),
                        kind: match o.kind {
                            OutcomeKind::Dismissal => "dismissal",
                            OutcomeKind::Remedy => "remedy",
                            _ => "promotion",
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
                let points = (!(t.point_fines == Money::ZERO && t.point_rewards == Money::ZERO))
                    .then(|| Points {
                        fines: t.point_fines,
                        rewards: t.point_rewards,
                        net: t
                            .point_rewards
                            .checked_sub(t.point_fines)
                            .unwrap_or(Money::ZERO),
                    });
                statements.push(Statement {
                    who: person.name.clone(),
                    month: month.month,
                    fines: t.fines,
                    rewards: t.rewards,
                    net: t.rewards.checked_sub(t.fines).unwrap_or(Money::ZERO),
                    points,
                    entries,
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
                line: *line,
                why: rejection.to_string(),
            })
            .collect();
        rejected.sort_by_key(|r| r.line);
        Report {
            statements,
            ignored,
            rejected,
        }
    }
}

impl Sink for Ledger {
    fn fits(
        &self,
        person: PersonId,
        month: Month,
        direction: Direction,
        unit: Unit,
        amount: Money,
    ) -> bool {
        let mut totals = self
            .month(person, month)
            .map_or_else(Totals::default, |m| m.totals);
        totals.slot(direction, unit).checked_add(amount).is_some()
    }

    fn posting(&mut self, person: PersonId, name: &str, month: Month, posting: Posting) {
        let keep = self.keep_entries;
        if let Some(ledger) = self.month_mut(person, name, month) {
            let slot = ledger.totals.slot(posting.direction, posting.unit);
            // `fits` was asked first, so this never saturates.
            *slot = slot.checked_add(posting.amount).unwrap_or(Money::MAX);
            if keep {
                ledger.postings.push(posting);
            }
            self.postings += 1;
        }
    }

    fn outcome(&mut self, person: PersonId, name: &str, month: Month, outcome: OutcomePosting) {
        if let Some(ledger) = self.month_mut(person, name, month) {
            ledger.outcomes.push(outcome);
        }
    }

    fn ignored(&mut self, line: Option<u64>, rule: u32, why: IgnoreWhy) {
        self.ignored_lines += 1;
        if self.keep_entries {
            self.ignored.push((line, rule, why));
        }
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

/// A line that could not be applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RejectedLine {
    /// The input line.
    pub line: u64,
    /// Why, in words.
    pub why: String,
}
