//! What the fold produces, in compact form: postings (one fine or reward for one person),
//! their rare extra details, outcomes, and the sink they go to. A posting is a few machine
//! words — ids and numbers, no text — so that keeping a million of them is cheap; their
//! reasons are put into words only when a ledger is reported.

use rust_decimal::Decimal;

use serde::{Deserialize, Serialize};

use crate::calendar::{Month, Stamp, Window};
use crate::money::Money;
use crate::rejection::Rejection;
use crate::rulebook::{KindId, OutcomeKind, Rulebook};
use crate::vocab::{Direction, Unit};

/// A person the evaluator has met, by a dense index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PersonId(pub(crate) u32);

impl PersonId {
    /// The dense index of the person.
    pub const fn index(self) -> usize {
        self.0 as usize
    }
}

/// Why a valid line had no consequence, in compact form.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum IgnoreWhy {
    /// No rule's conditions held for the kind judged: the first condition that failed of
    /// each of the first three rules, and how many more rules failed.
    Unmet {
        failed: [Option<Failed>; 3],
        others: u32,
    },
    /// The kind is recorded without consequence of its own.
    Recorded,
    /// The measure fell in no band.
    NoBand { value: Decimal },
    /// The rule applied, but none of its consequences did (a conditional outcome, nothing
    /// beyond a free allowance).
    NothingApplies,
}

/// One rule's first condition that did not hold, and the event's value there.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Failed {
    /// The rule, by index into the rulebook's rules.
    pub(crate) rule: u32,
    /// The condition, by index into the rule's conditions.
    pub(crate) condition: u16,
    /// The event's value of the condition's measure.
    pub(crate) shown: Option<Shown>,
}

/// An event's value, as a reason shows it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Shown {
    Number(Decimal),
    Flag(bool),
}

/// Where a posting comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// An occurrence rule, by index.
    Rule(u32),
    /// A period rule, by index.
    Period(u32),
}

/// The top bit of [`Posting::source`] marks a period rule.
const PERIOD: u32 = 1 << 31;
/// [`Posting::value_scale`] when there is no value.
const NO_VALUE: u8 = u8::MAX;

const DATE_ONLY: u8 = 1;
const REWARD: u8 = 2;
const POINTS: u8 = 4;
/// `value` holds the index of the posting's [`Extra`] (which then holds the value).
const HAS_EXTRA: u8 = 8;

/// One fine or reward for one person: 64 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Posting {
    /// The instant, in seconds since the epoch.
    seconds: i64,
    pub(crate) base: Money,
    pub(crate) amount: Money,
    /// The input line, or 0 for none (period rules, or hosts that give no lines).
    line: u64,
    /// The mantissa of the event's value that decided the entry (the first compared
    /// measure), or with [`HAS_EXTRA`] the index of the posting's extra details.
    value: i32,
    person: u32,
    source: u32,
    /// The entry's count for the escalation that changed it (at most 65,535), or 0.
    pub(crate) escalated: u16,
    /// The escalation that counted the entry, by index + 1 (0 for none): what the reason
    /// of a later entry it made heavier names it by.
    pub(crate) counted_by: u16,
    /// For an escalated entry, the line of the entry whose base it multiplied, or 0.
    pub(crate) level_line: u64,
    value_scale: u8,
    flags: u8,
}

/// The rarer details of a posting, kept beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Extra {
    /// Nanoseconds of the instant.
    pub(crate) nanos: u32,
    /// The event's kind, when a `counts as` sent it to another kind's rule.
    pub(crate) kind: Option<KindId>,
    /// The value of a second compared measure.
    pub(crate) second_value: Option<Decimal>,
    /// The value of the banded measure, for a banded rule.
    pub(crate) band_value: Option<Decimal>,
    /// The value of a per-unit or percentage measure.
    pub(crate) detail_value: Option<Decimal>,
    /// Which money consequence of the rule (of its band, for a banded rule) made the
    /// posting, by index, when the list holds more than one.
    pub(crate) consequence: Option<u16>,
    /// For a posting to a related person, the person at fault.
    pub(crate) on_behalf: Option<PersonId>,
    /// For an ordinal amount: the occurrence it was for.
    pub(crate) occurrence: Option<u64>,
    /// For a period rule: its window, the events counted, and the run of windows it held.
    pub(crate) period: Option<(Window, u64, u64)>,
    /// The first compared value (a posting with extra details keeps its value here).
    pub(crate) wide_value: Option<Decimal>,
}

impl Posting {
    /// A posting with no decisive value and no escalation.
    #[inline]
    #[allow(clippy::too_many_arguments)] // the fields of a compact record, each its own type
    pub(crate) fn new(
        line: Option<u64>,
        seconds: i64,
        date_only: bool,
        person: PersonId,
        source: Source,
        direction: Direction,
        unit: Unit,
        base: Money,
    ) -> Posting {
        let mut flags = 0;
        if date_only {
            flags |= DATE_ONLY;
        }
        if direction == Direction::Reward {
            flags |= REWARD;
        }
        if unit == Unit::Points {
            flags |= POINTS;
        }
        Posting {
            line: line.unwrap_or(0),
            seconds,
            base,
            amount: base,
            value: 0,
            person: person.0,
            source: match source {
                Source::Rule(i) => i,
                Source::Period(i) => i | PERIOD,
            },
            escalated: 0,
            counted_by: 0,
            level_line: 0,
            value_scale: NO_VALUE,
            flags,
        }
    }

    /// Keeps the event's decisive value, if it fits in 32 bits; returns it otherwise (to be
    /// kept in an extra).
    #[inline]
    pub(crate) fn set_value(&mut self, value: Decimal) -> Option<Decimal> {
        let mantissa = i32::try_from(value.mantissa()).ok();
        let scale = u8::try_from(value.scale()).ok().filter(|s| *s != NO_VALUE);
        match (mantissa, scale) {
            (Some(mantissa), Some(scale)) => {
                self.value = mantissa;
                self.value_scale = scale;
                None
            }
            _ => Some(value),
        }
    }

    pub(crate) fn line(&self) -> Option<u64> {
        (self.line != 0).then_some(self.line)
    }

    #[inline]
    pub(crate) fn person(&self) -> PersonId {
        PersonId(self.person)
    }

    pub(crate) fn source(&self) -> Source {
        if self.source & PERIOD == 0 {
            Source::Rule(self.source)
        } else {
            Source::Period(self.source & !PERIOD)
        }
    }

    #[inline]
    pub(crate) fn direction(&self) -> Direction {
        if self.flags & REWARD == 0 {
            Direction::Fine
        } else {
            Direction::Reward
        }
    }

    #[inline]
    pub(crate) fn unit(&self) -> Unit {
        if self.flags & POINTS == 0 {
            Unit::Currency
        } else {
            Unit::Points
        }
    }

    /// The event's decisive value, if one was kept.
    pub(crate) fn value(&self, extra: Option<&Extra>) -> Option<Decimal> {
        if self.flags & HAS_EXTRA != 0 || self.value_scale == NO_VALUE {
            return extra.and_then(|e| e.wide_value);
        }
        Some(Decimal::new(
            i64::from(self.value),
            u32::from(self.value_scale),
        ))
    }

    /// The index of the posting's extra details in its ledger, if it has some.
    pub(crate) fn extra_index(&self) -> Option<usize> {
        (self.flags & HAS_EXTRA != 0).then_some(self.value as u32 as usize)
    }

    /// Points the posting at its extra details (which then hold its value too).
    pub(crate) fn set_extra(&mut self, index: usize) {
        if let Ok(index) = u32::try_from(index) {
            self.value = index as i32;
            self.flags |= HAS_EXTRA;
        }
    }

    /// When, in the zone `offset`.
    pub(crate) fn stamp(
        &self,
        extra: Option<&Extra>,
        offset: chrono::FixedOffset,
    ) -> Option<Stamp> {
        let nanos = extra.map_or(0, |e| e.nanos);
        let at = chrono::DateTime::from_timestamp(self.seconds, nanos)?.with_timezone(&offset);
        Stamp::from_instant(at, offset, self.flags & DATE_ONLY != 0)
    }

    /// The key entries are listed by: period rules last in their month, then time, then line.
    pub(crate) fn order(&self, extra: Option<&Extra>) -> (bool, i64, u32, u64) {
        (
            self.source & PERIOD != 0,
            self.seconds,
            extra.map_or(0, |e| e.nanos),
            self.line,
        )
    }
}

/// Whether an ordered promotion still awaits approval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Approval {
    /// Approved, as the event's approval flag says.
    #[serde(rename = "approved")]
    Approved,
    /// Leadership has not approved it yet.
    #[serde(rename = "pending approval")]
    Pending,
}

/// One outcome for one person.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct OutcomePosting {
    pub(crate) line: Option<u64>,
    /// The rule that ordered it: an occurrence rule, or a period rule.
    pub(crate) source: Source,
    pub(crate) kind: OutcomeKind,
    pub(crate) approval: Option<Approval>,
}

/// Where the evaluator sends what an event produces.
pub(crate) trait Sink {
    /// Whether `amount` can be added to the person's totals for the month.
    fn fits(
        &mut self,
        person: PersonId,
        month: Month,
        direction: Direction,
        unit: Unit,
        amount: Money,
    ) -> bool;
    /// A fine or a reward with no extra details, if it fits the person's totals for the
    /// month (else nothing is recorded and `false` returned): the check and the record in one.
    fn try_post(&mut self, name: &str, month: Month, posting: Posting) -> bool;
    /// A fine or a reward, with its extra details if it has any.
    fn posting(&mut self, name: &str, month: Month, posting: Posting, extra: Option<&Extra>);
    /// The name of a person a posting names without being theirs (the person at fault, for
    /// an amount charged to a related person), so that its reason can name them.
    fn person(&mut self, person: PersonId, name: &str);
    /// An outcome.
    fn outcome(&mut self, person: PersonId, name: &str, month: Month, outcome: OutcomePosting);
    /// A valid line with no consequence.
    fn ignored(&mut self, line: Option<u64>, rule: u32, why: IgnoreWhy);
    /// Whether the sink takes the entries of the evaluation `lineage`: the first to write
    /// claims it, and another evaluation's are refused (it numbers its people otherwise).
    fn claim(&mut self, lineage: u64) -> bool;
    /// A period rule's entry for one person and month, refused (its amounts would overflow
    /// the month's totals).
    fn refused(&mut self, who: &str, month: Month, rejection: Rejection);
}

/// The label of the rule a posting comes from (a posting's source is an index the evaluator
/// took from this rulebook, so it is always there).
pub(crate) fn label(rulebook: &Rulebook, source: Source) -> String {
    match source {
        Source::Rule(i) => rulebook.rules().get(i as usize).map(|r| r.label.clone()),
        Source::Period(i) => rulebook
            .period_rules()
            .get(i as usize)
            .map(|r| r.label.clone()),
    }
    .unwrap_or_default()
}
