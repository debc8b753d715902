//! The fold: events in time order → entries, outcomes and ignored lines, per person and
//! month; period rules when a month is closed.
//!
//! An event is first *prepared* (validated completely and resolved to interned ids: kind,
//! people, measures), then *applied*. Applying computes every consequence from the current
//! state without changing it, checks that nothing overflows, and only then commits — so a
//! rejected event leaves no trace in the counts.

mod apply;
mod batch;
mod bounds;
mod plan;
mod state;

use std::collections::HashMap;
use std::sync::Arc;

use rust_decimal::Decimal;

pub use crate::rejection::Rejection;
pub use batch::{Roster, RosterError, evaluate, evaluate_into};
pub use bounds::EvaluateError;
pub use state::EvalState;

use crate::calendar::{Month, Stamp};
use crate::event::{Event, Value, first_repeated};
pub use crate::ledger::{Approval, PersonId};
pub(crate) use crate::ledger::{Extra, OutcomePosting, Posting, Sink, Source, label};
use crate::ledger::{Ledger, Verdict};
use crate::limits::MAX_YEARS_AHEAD;
use crate::money::{Money, MoneyError};
use crate::rulebook::{
    Amount, Consequence, EscalationEffect, KindId, MeasureId, OutcomeKind, PeriodTest, Rulebook,
};
use crate::staff_id::{StaffIdProblem, check_staff_id};
use crate::vocab::{Direction, MeasureType, Nth, Unit};
use apply::Pending;
use plan::{AmountUse, Plan};
use state::PersonState;

/// An event checked completely and resolved to interned ids: ready to apply. Preparing does
/// all the validation (and the allocation); applying a prepared event does neither.
#[derive(Debug, Clone)]
pub struct PreparedEvent {
    /// The input line, or 0 for none.
    line: u64,
    /// The instant: seconds since the epoch, and nanoseconds.
    seconds: i64,
    nanos: u32,
    /// Whether the event gave a date without a time.
    date_only: bool,
    /// The calendar month of the instant in the rulebook's zone.
    month: Month,
    kind: KindId,
    /// The version in force at the instant (an index into the rulebook's versions).
    version: u16,
    /// The first person named; with `others`, every person named when there are several.
    person: PersonId,
    others: Box<[PersonId]>,
    values: Box<[(MeasureId, Prepared)]>,
    /// The amount the event supplies, for a ranged rule (when `has_amount`).
    amount: Money,
    has_amount: bool,
}

impl PreparedEvent {
    /// The input line the event came from.
    pub fn line(&self) -> Option<u64> {
        (self.line != 0).then_some(self.line)
    }

    /// When the event happened: seconds since the Unix epoch, and nanoseconds.
    pub fn instant(&self) -> (i64, u32) {
        (self.seconds, self.nanos)
    }

    /// The amount the event supplies, for a ranged rule.
    #[inline]
    fn amount(&self) -> Option<Money> {
        self.has_amount.then_some(self.amount)
    }

    #[inline]
    fn people(&self) -> &[PersonId] {
        if self.others.is_empty() {
            std::slice::from_ref(&self.person)
        } else {
            &self.others
        }
    }

    fn value(&self, measure: MeasureId) -> Option<Prepared> {
        self.values
            .iter()
            .find(|(m, _)| *m == measure)
            .map(|(_, v)| *v)
    }

    #[inline]
    fn number(&self, measure: MeasureId) -> Option<Decimal> {
        match self.value(measure) {
            Some(Prepared::Number(n)) => Some(n),
            _ => None,
        }
    }

    #[inline]
    fn flag(&self, measure: MeasureId) -> bool {
        matches!(self.value(measure), Some(Prepared::Flag(true)))
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Prepared {
    Number(Decimal),
    Flag(bool),
    Person(PersonId),
}

/// What applying one event did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// It made entries or outcomes.
    Posted,
    /// It was valid but had no consequence (a threshold not met, an attendance event).
    Ignored,
}

/// The evaluator: folds events into entries, one at a time, and fires period rules when told
/// that a month is closed. Its state ([`EvalState`]) serializes, so a host can checkpoint
/// after any event and resume in another process.
#[derive(Debug, Clone)]
pub struct Evaluator {
    rulebook: Arc<Rulebook>,
    plan: Plan,
    state: EvalState,
    people: HashMap<String, u32>,
    pending: Vec<Pending>,
    outcomes: Vec<(PersonId, OutcomePosting)>,
    extras: Vec<Extra>,
    /// Whether the commonest shape of rule takes the fast path (see
    /// [`Evaluator::general_path_only`]).
    fast_path: bool,
}

impl Evaluator {
    /// An evaluator with nothing applied yet.
    pub fn new(rulebook: Arc<Rulebook>) -> Evaluator {
        let state = EvalState::new(&rulebook);
        Evaluator::with_state(rulebook, state)
    }

    /// An evaluator that resumes from a checkpoint taken with [`Evaluator::state`]. Fails if
    /// the state was taken with a different rulebook.
    pub fn resume(
        rulebook: Arc<Rulebook>,
        state: EvalState,
    ) -> Result<Evaluator, state::WrongRulebook> {
        state.check_rulebook(&rulebook)?;
        Ok(Evaluator::with_state(rulebook, state))
    }

    fn with_state(rulebook: Arc<Rulebook>, state: EvalState) -> Evaluator {
        let people = state
            .people
            .iter()
            .enumerate()
            .map(|(i, p)| (p.name.clone(), i as u32))
            .collect();
        Evaluator {
            plan: Plan::new(&rulebook),
            rulebook,
            state,
            people,
            pending: Vec::new(),
            outcomes: Vec::new(),
            extras: Vec::new(),
            fast_path: true,
        }
    }

    /// Sends every event through the general path, never the fast one kept for the
    /// commonest shape of rule. The two must give the same ledger: `tests/random_rulebooks.rs`
    /// sends every generated case through both. For tests; a host has no use for it.
    #[doc(hidden)]
    pub fn general_path_only(&mut self) {
        self.fast_path = false;
    }

    /// The rulebook events are judged by.
    pub fn rulebook(&self) -> &Arc<Rulebook> {
        &self.rulebook
    }

    /// The state to checkpoint: everything needed to resume with identical results.
    pub fn state(&self) -> &EvalState {
        &self.state
    }

    /// The name of a person the evaluator has met; `None` for an id it did not give.
    pub fn person_name(&self, person: PersonId) -> Option<&str> {
        self.state
            .people
            .get(person.index())
            .map(|p| p.name.as_str())
    }

    /// The months from the first to the last of the lines applied or ignored so far.
    pub fn months(&self) -> Option<(Month, Month)> {
        self.state.first_month.zip(self.state.last_month)
    }

    /// The id of a person, meeting them if new.
    pub(crate) fn person(&mut self, name: &str) -> PersonId {
        if let Some(&id) = self.people.get(name) {
            return PersonId(id);
        }
        let id = self.state.people.len() as u32;
        self.state
            .people
            .push(PersonState::new(name, &self.rulebook));
        self.people.insert(name.to_owned(), id);
        PersonId(id)
    }

    /// How many people the evaluator has met (named, or named as a related person).
    pub(crate) fn people_met(&self) -> usize {
        self.state.people.len()
    }

    /// The people named on lines applied or ignored so far: the roster when none is given.
    pub(crate) fn named_people(&self) -> Vec<PersonId> {
        (0..self.state.people.len() as u32)
            .map(PersonId)
            .filter(|p| self.state.people.get(p.index()).is_some_and(|s| s.named))
            .collect()
    }

    // ── Preparing ────────────────────────────────────────────────────────────────────────

    /// Checks an event completely and resolves it: timestamp, kind, the rulebook in force,
    /// `who`, every attribute the kind's rules read, and the amount — before any threshold.
    pub fn prepare(
        &mut self,
        line: Option<u64>,
        event: &Event,
    ) -> Result<PreparedEvent, Rejection> {
        let rulebook = Arc::clone(&self.rulebook);
        let header = rulebook.header();
        // The oldest version's effective date bounds the dates accepted.
        let effective = rulebook
            .versions()
            .first()
            .map_or(header.effective, |v| v.effective());
        let stamp = Stamp::parse(&event.at, header.time_zone).map_err(|problem| {
            Rejection::BadTimestamp {
                text: event.at.clone(),
                problem,
            }
        })?;
        let kind = self
            .rulebook
            .kind_id(&event.kind)
            .ok_or_else(|| Rejection::UnknownKind {
                kind: event.kind.clone(),
                suggestion: self.rulebook.suggest_kind(&event.kind).map(str::to_owned),
            })?;
        if stamp.date() < effective {
            return Err(Rejection::NotInForce {
                date: stamp.date().to_string(),
            });
        }
        // Months are closed one by one up to the last event's: a mistyped year must not make
        // thousands of them.
        if effective
            .checked_add_months(chrono::Months::new(12 * MAX_YEARS_AHEAD))
            .is_none_or(|last| stamp.date() >= last)
        {
            return Err(Rejection::TooFarAhead {
                date: stamp.date().to_string(),
                effective: effective.to_string(),
            });
        }
        // The version in force (versions are at most `limits::MAX_VERSIONS`, so it fits).
        let version =
            rulebook
                .version_at(stamp.instant().0)
                .ok_or_else(|| Rejection::NotInForce {
                    date: stamp.date().to_string(),
                })? as u16;
        let (collective, amount_use, reads) = match self.plan.kind(version, kind) {
            Some(plan) if !plan.rules.is_empty() => {
                (plan.collective, plan.amount, plan.reads.len())
            }
            // A kind of another version only.
            _ => {
                return Err(Rejection::KindNotInForce {
                    kind: event.kind.clone(),
                    date: stamp.date().to_string(),
                    version: rulebook
                        .versions()
                        .get(usize::from(version))
                        .map_or_else(String::new, |v| v.effective().to_string()),
                });
            }
        };

        // `who`: the cheap check first, then each id, then repeats (in linear time: a line
        // may name 100,000 people).
        if matches!(event.who, crate::event::Who::Many(_)) && !collective {
            return Err(Rejection::NotCollective {
                kind: event.kind.clone(),
            });
        }
        let names = event.who.people();
        if names.is_empty() {
            return Err(Rejection::EmptyPerson);
        }
        for name in names {
            check_staff_id(name).map_err(|problem| match problem {
                StaffIdProblem::Empty => Rejection::EmptyPerson,
                problem => Rejection::BadStaffId {
                    field: "who".to_owned(),
                    problem,
                },
            })?;
        }
        if let Some(name) = first_repeated(names) {
            return Err(Rejection::DuplicatePerson { who: name.clone() });
        }

        let mut values = Vec::with_capacity(reads + 1);
        for index in 0..reads {
            let Some(read) = self
                .plan
                .kind(version, kind)
                .and_then(|p| p.reads.get(index))
                .copied()
            else {
                continue;
            };
            let name = rulebook.measure_name(read.measure);
            let Some(value) = event.attributes.get(name) else {
                if read.required {
                    return Err(Rejection::MissingAttribute {
                        name: name.to_owned(),
                        kind: event.kind.clone(),
                    });
                }
                continue;
            };
            let ill_typed = |expected| Rejection::IllTypedAttribute {
                name: name.to_owned(),
                expected,
                found: value.type_name(),
            };
            let prepared = match (read.ty, value) {
                (MeasureType::WholeNumber, Value::Integer(_)) => match value.as_decimal() {
                    Some(n) => Prepared::Number(n),
                    None => return Err(ill_typed("an integer of at most 28 digits")),
                },
                (MeasureType::WholeNumber, _) => return Err(ill_typed("an integer")),
                (MeasureType::Flag, Value::Flag(b)) => Prepared::Flag(*b),
                (MeasureType::Flag, _) => return Err(ill_typed("true or false")),
                (MeasureType::Text, Value::Text(t)) if !t.is_empty() => {
                    check_staff_id(t).map_err(|problem| Rejection::BadStaffId {
                        field: name.to_owned(),
                        problem,
                    })?;
                    Prepared::Person(self.person(t))
                }
                (MeasureType::Text, _) => return Err(ill_typed("a staff id")),
                (_, v) => match v.as_decimal() {
                    Some(n) => Prepared::Number(n),
                    None => return Err(ill_typed("a number")),
                },
            };
            values.push((read.measure, prepared));
        }

        let amount = match amount_use {
            AmountUse::Required { low, high } => {
                let value = event
                    .attributes
                    .get(crate::rulebook::AMOUNT_MEASURE)
                    .ok_or_else(|| Rejection::MissingAttribute {
                        name: crate::rulebook::AMOUNT_MEASURE.to_owned(),
                        kind: event.kind.clone(),
                    })?;
                let ill_typed = |expected| Rejection::IllTypedAttribute {
                    name: crate::rulebook::AMOUNT_MEASURE.to_owned(),
                    expected,
                    found: value.type_name(),
                };
                let number = value.as_decimal().ok_or_else(|| ill_typed("a number"))?;
                let amount = Money::from_decimal(number).map_err(|e| match e {
                    MoneyError::FractionOfMinorUnit => Rejection::AmountNotExact {
                        amount: number.to_string(),
                    },
                    _ => ill_typed("an amount of money"),
                })?;
                if amount < low || amount > high {
                    return Err(ill_typed_amount(&number, low, high, &event.kind));
                }
                if let Some(measure) = self.plan.amount_measure {
                    values.push((measure, Prepared::Number(number)));
                }
                Some(amount)
            }
            AmountUse::Forbidden
                if event
                    .attributes
                    .contains_key(crate::rulebook::AMOUNT_MEASURE) =>
            {
                return Err(Rejection::AmountNotAllowed {
                    kind: event.kind.clone(),
                });
            }
            _ => None,
        };

        let people: Vec<PersonId> = names.iter().map(|n| self.person(n)).collect();
        let Some(&person) = people.first() else {
            return Err(Rejection::EmptyPerson);
        };
        let others = if people.len() == 1 {
            Box::default()
        } else {
            people.into_boxed_slice()
        };
        let (seconds, nanos) = stamp.instant();
        Ok(PreparedEvent {
            line: line.unwrap_or(0),
            seconds,
            nanos,
            date_only: stamp.is_date_only(),
            month: stamp.month(),
            kind,
            version,
            person,
            others,
            values: values.into_boxed_slice(),
            amount: amount.unwrap_or_default(),
            has_amount: amount.is_some(),
        })
    }

    /// Applies a prepared event, recording its entries and outcomes (or the ignored line)
    /// in `ledger`. This is the fast path: no allocation but the ledger's own.
    pub fn apply_prepared(
        &mut self,
        event: &PreparedEvent,
        ledger: &mut Ledger,
    ) -> Result<Applied, Rejection> {
        self.apply_into(event, ledger)
            .map_err(|rejection| *rejection)
    }

    /// Checks and applies one event, returning the entries and outcomes it produced, in
    /// words, or why it was ignored. Events must come in time order per person.
    pub fn apply(&mut self, line: Option<u64>, event: &Event) -> Result<Verdict, Rejection> {
        let prepared = self.prepare(line, event)?;
        let mut ledger = Ledger::new(Arc::clone(&self.rulebook));
        self.apply_into(&prepared, &mut ledger)
            .map_err(|rejection| *rejection)?;
        Ok(Verdict::from_report(ledger.report()))
    }

    /// Closes `month` for the roster (the given one, or everyone named on a line applied or
    /// ignored so far): period rules whose period ends with the month fire, and their
    /// entries go to `ledger`. A person whose month cannot take a rule's amounts (the totals
    /// would overflow) gets no entry from that rule; the ledger lists it among the rejected
    /// ([`RejectedLine`](crate::RejectedLine) with no line, naming the person and month).
    ///
    /// Months close once and in order: closing a month that is closed already (its period
    /// rules would fire twice), or one after a month that must close first (the month after
    /// the last closed, or the first month of the lines applied or ignored), is refused and
    /// closes nothing. Once a month is closed, an event of it is rejected
    /// ([`Rejection::MonthClosed`]).
    pub fn close_month(
        &mut self,
        month: Month,
        roster: Option<&Roster>,
        ledger: &mut Ledger,
    ) -> Result<(), EvaluateError> {
        self.closable(month)?;
        let people = self.roster_ids(roster);
        self.claim(ledger)?;
        self.close_month_for(month, &people, ledger);
        Ok(())
    }

    /// Refuses a ledger that holds another evaluation's entries (it numbers its people
    /// otherwise: their period entries would be booked under someone else).
    fn claim(&self, ledger: &mut Ledger) -> Result<(), EvaluateError> {
        if Sink::claim(ledger, self.state.lineage) {
            Ok(())
        } else {
            Err(EvaluateError::ForeignLedger)
        }
    }

    /// Whether `month` is the next month to close: not closed yet, and no earlier month
    /// still to close.
    fn closable(&self, month: Month) -> Result<(), EvaluateError> {
        let next = match self.state.closed_through {
            Some(closed) if month <= closed => {
                return Err(EvaluateError::AlreadyClosed {
                    month,
                    closed_through: closed,
                });
            }
            Some(closed) => closed.next(),
            None => self.state.first_month,
        };
        match next {
            Some(next) if next < month => Err(EvaluateError::MonthNotNext { month, next }),
            _ => Ok(()),
        }
    }

    /// Closes every month not closed yet (see [`Evaluator::close_month`]), up to the last of
    /// the lines applied or ignored: from the month after the last closed, or else from the
    /// first of those lines. Refuses, closing nothing, when
    /// those months times the people judged are more than
    /// [`MAX_PERSON_MONTHS`](crate::limits::MAX_PERSON_MONTHS).
    pub fn close_all(
        &mut self,
        roster: Option<&Roster>,
        ledger: &mut Ledger,
    ) -> Result<(), EvaluateError> {
        let Some((first, last)) = self.months() else {
            return Ok(());
        };
        // From the month after the last closed, if any (no month is skipped), else the first.
        let mut month = self.state.closed_through.map_or(Some(first), Month::next);
        let start = month.unwrap_or(last).min(first);
        let people = self.roster_ids(roster);
        bounds::check_person_months((start, None), (last, None), people.len())?;
        self.claim(ledger)?;
        while let Some(current) = month.filter(|m| *m <= last) {
            self.close_month_for(current, &people, ledger);
            month = current.next();
        }
        Ok(())
    }

    /// The people of the roster, each once in the order given, or everyone named so far.
    fn roster_ids(&mut self, roster: Option<&Roster>) -> Vec<PersonId> {
        let Some(roster) = roster else {
            return self.named_people();
        };
        let mut seen = vec![false; self.state.people.len()];
        let mut people = Vec::with_capacity(roster.people().len());
        for name in roster.people() {
            let person = self.person(name);
            if seen.len() <= person.index() {
                seen.resize(person.index() + 1, false);
            }
            if let Some(seen) = seen.get_mut(person.index()).filter(|seen| !**seen) {
                *seen = true;
                people.push(person);
            }
        }
        people
    }

    // ── Periods ──────────────────────────────────────────────────────────────────────────

    /// Closes `month`: every period rule whose period ends with it (every month rule; quarter
    /// rules in March, June, September and December; year rules in December) fires for each
    /// person on the roster — the given one, or else everyone named on a line applied or
    /// ignored so far. Entries are dated the last day of the month.
    fn close_month_for(&mut self, month: Month, roster: &[PersonId], sink: &mut impl Sink) {
        let rulebook = Arc::clone(&self.rulebook);
        let at = Stamp::from_date(month.last_day(), rulebook.header().time_zone);
        // The period rules of the version in force on the month's last day; their counts
        // include events judged by earlier versions (`docs/semantics.md` §5).
        let in_force = at
            .and_then(|at| rulebook.version_at(at.instant().0))
            .and_then(|v| rulebook.versions().get(v))
            .map_or(0..0, |v| v.period_rules.clone());
        for index in in_force {
            let Some(rule) = rulebook.period_rules().get(index) else {
                continue;
            };
            if !month.ends(rule.period) {
                continue;
            }
            let slot = self.plan.period_slot(index);
            let window = month.window(rule.period);
            for &person in roster {
                let Some(state) = self.state.people.get_mut(person.index()) else {
                    continue;
                };
                let count = state.take_track(slot, window);
                let holds = match &rule.test {
                    PeriodTest::Absent { .. } => count == 0,
                    PeriodTest::Count { op, count: n, .. } => {
                        op.holds(Decimal::from(count), Decimal::from(*n))
                    }
                };
                let run = state.streak(slot, window, rule.period, holds);
                if !holds || run % u64::from(rule.streak.max(1)) != 0 {
                    continue;
                }
                let Some(at) = at else { continue };
                if !period_fits(sink, person, month, &rule.consequences) {
                    // One person's month cannot take the rule's amounts: that statement's
                    // entry is refused, out loud; everyone else's month goes on.
                    sink.refused(
                        &state.name,
                        month,
                        Rejection::Overflow {
                            rule: rule.label.clone(),
                        },
                    );
                    continue;
                }
                for consequence in &rule.consequences {
                    let (direction, amount, unit) = match consequence {
                        Consequence::Money {
                            direction,
                            amount: Amount::Fixed(amount),
                            unit,
                            ..
                        } => (*direction, *amount, *unit),
                        // A period rule's outcome applies as its amount does (`check` allows
                        // no condition on it); a promotion awaits approval.
                        Consequence::Outcome(outcome) => {
                            let approval = match outcome.kind {
                                OutcomeKind::Promotion {
                                    approval: Some(_), ..
                                } => Some(Approval::Pending),
                                _ => None,
                            };
                            let outcome = OutcomePosting {
                                line: None,
                                source: Source::Period(index as u32),
                                kind: outcome.kind,
                                approval,
                            };
                            sink.outcome(person, &state.name, month, outcome);
                            continue;
                        }
                        // `check` allows only these in a period rule.
                        _ => continue,
                    };
                    let posting = Posting::new(
                        None,
                        at.instant().0,
                        at.is_date_only(),
                        person,
                        Source::Period(index as u32),
                        direction,
                        unit,
                        amount,
                    );
                    let extra = Extra {
                        period: Some((window, count, run)),
                        ..Extra::default()
                    };
                    sink.posting(&state.name, month, posting, Some(&extra));
                }
            }
        }
        // Everyone's, on the roster or not: counts of closed windows are never read again.
        for state in &mut self.state.people {
            state.forget_closed(month);
        }
        self.state.closed_through = Some(self.state.closed_through.map_or(month, |m| m.max(month)));
    }
}

/// Whether every amount of a period rule's `consequences` fits the person's totals for the
/// month together (two amounts of one direction are added up before they are tried).
fn period_fits(
    sink: &mut impl Sink,
    person: PersonId,
    month: Month,
    consequences: &[Consequence],
) -> bool {
    let mut sums: Vec<(Direction, Unit, Money)> = Vec::new();
    for consequence in consequences {
        let Consequence::Money {
            direction,
            amount: Amount::Fixed(amount),
            unit,
            ..
        } = consequence
        else {
            continue;
        };
        match sums
            .iter_mut()
            .find(|(d, u, _)| d == direction && u == unit)
        {
            Some((_, _, sum)) => match sum.checked_add(*amount) {
                Some(total) => *sum = total,
                None => return false,
            },
            None => sums.push((*direction, *unit, *amount)),
        }
    }
    sums.into_iter()
        .all(|(direction, unit, sum)| sink.fits(person, month, direction, unit, sum))
}

/// The amount of an ordinal schedule for the `count`th occurrence: an exact `the Nth time`
/// step, else the latest `from the Nth time on` step reached.
fn schedule_step(steps: &[(Nth, Money)], count: u64) -> Option<Money> {
    steps
        .iter()
        .find(|(nth, _)| matches!(nth, Nth::Only(n) if u64::from(*n) == count))
        .or_else(|| {
            steps
                .iter()
                .filter(|(nth, _)| matches!(nth, Nth::From(n) if u64::from(*n) <= count))
                .max_by_key(|(nth, _)| match nth {
                    Nth::From(n) => *n,
                    _ => 0,
                })
        })
        .map(|(_, money)| *money)
}

/// The escalated amount: `factor × level`, or the base plus a surcharge.
fn escalate(effect: &EscalationEffect, base: Money, level: Money) -> Option<Money> {
    match effect {
        EscalationEffect::Multiply { factor, .. } => level.checked_mul(i64::from(*factor)),
        EscalationEffect::Surcharge(extra) => base.checked_add(*extra),
    }
}

/// A computed amount as money: exact to the fen, or a rejection.
fn computed(rulebook: &Rulebook, rule: u32, value: Option<Decimal>) -> Result<Money, Rejection> {
    let label = || label(rulebook, Source::Rule(rule));
    let value = value.ok_or_else(|| Rejection::Overflow { rule: label() })?;
    Money::from_decimal(value).map_err(|e| match e {
        MoneyError::FractionOfMinorUnit => Rejection::FractionOfMinorUnit {
            rule: label(),
            amount: value.normalize().to_string(),
        },
        _ => Rejection::Overflow { rule: label() },
    })
}

fn ill_typed_amount(amount: &Decimal, low: Money, high: Money, kind: &str) -> Rejection {
    Rejection::AmountOutOfRange {
        amount: amount.normalize().to_string(),
        low: low.to_string(),
        high: high.to_string(),
        kind: kind.to_owned(),
    }
}
