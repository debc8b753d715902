//! The fold: events in time order → entries, outcomes and ignored lines, per person and
//! month; period rules when a month is closed.
//!
//! An event is first *prepared* (validated completely and resolved to interned ids: kind,
//! people, measures), then *applied*. Applying computes every consequence from the current
//! state without changing it, checks that nothing overflows, and only then commits — so a
//! rejected event leaves no trace in the counts.

mod batch;
mod plan;
mod rejection;
mod state;
pub(crate) mod why;

use std::collections::HashMap;
use std::sync::Arc;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use batch::{Roster, evaluate, evaluate_into};
pub(crate) use plan::consequences_of;
pub use rejection::Rejection;
pub use state::EvalState;

use crate::calendar::{Month, Stamp, Window};
use crate::event::{Event, Value};
use crate::ledger::{Ledger, Verdict};
use crate::money::{Money, MoneyError};
use crate::rulebook::{
    Action, Amount, Comparison, Condition, Consequence, Direction, EscalationEffect, KindId, Level,
    MeasureId, MeasureType, Nth, OutcomeCondition, OutcomeKind, PeriodTest, Rulebook, Target, Unit,
};
use plan::{AmountUse, MAX_COUNTS_AS, Plan};
use state::{EscalationState, PersonState};
use why::{Detail, EscalationWhy, IgnoreWhy, Why};

/// A person the evaluator has met, by a dense index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PersonId(u32);

impl PersonId {
    /// The dense index of the person.
    pub const fn index(self) -> usize {
        self.0 as usize
    }
}

/// An event checked completely and resolved to interned ids: ready to apply. Preparing does
/// all the validation (and the allocation); applying a prepared event does neither.
#[derive(Debug, Clone)]
pub struct PreparedEvent {
    line: Option<u64>,
    stamp: Stamp,
    kind: KindId,
    people: People,
    values: Box<[(MeasureId, Prepared)]>,
    amount: Option<Money>,
}

impl PreparedEvent {
    /// The input line the event came from.
    pub fn line(&self) -> Option<u64> {
        self.line
    }

    /// When the event happened.
    pub fn stamp(&self) -> &Stamp {
        &self.stamp
    }

    fn people(&self) -> &[PersonId] {
        match &self.people {
            People::One(person) => std::slice::from_ref(person),
            People::Many(people) => people,
        }
    }

    fn value(&self, measure: MeasureId) -> Option<Prepared> {
        self.values
            .iter()
            .find(|(m, _)| *m == measure)
            .map(|(_, v)| *v)
    }

    fn number(&self, measure: MeasureId) -> Option<Decimal> {
        match self.value(measure) {
            Some(Prepared::Number(n)) => Some(n),
            _ => None,
        }
    }

    fn flag(&self, measure: MeasureId) -> bool {
        matches!(self.value(measure), Some(Prepared::Flag(true)))
    }
}

#[derive(Debug, Clone)]
enum People {
    One(PersonId),
    Many(Box<[PersonId]>),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Prepared {
    Number(Decimal),
    Flag(bool),
    Person(PersonId),
}

/// Where a posting comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// An occurrence rule, by index.
    Rule(u32),
    /// A period rule, by index.
    Period(u32),
}

/// One fine or reward for one person, in compact form.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Posting {
    pub(crate) line: Option<u64>,
    pub(crate) at: Stamp,
    pub(crate) source: Source,
    pub(crate) direction: Direction,
    pub(crate) unit: Unit,
    pub(crate) base: Money,
    pub(crate) amount: Money,
    pub(crate) why: Why,
}

/// Whether an ordered promotion still awaits approval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Approval {
    /// Approved, as the event's approval flag says.
    #[serde(rename = "approved")]
    Approved,
    /// Leadership has not approved it yet.
    #[serde(rename = "pending approval")]
    Pending,
}

/// One outcome for one person, in compact form.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct OutcomePosting {
    pub(crate) line: Option<u64>,
    pub(crate) rule: u32,
    pub(crate) kind: OutcomeKind,
    pub(crate) approval: Option<Approval>,
}

/// Where the evaluator sends what an event produces: a [`Ledger`](crate::Ledger), or a
/// collector for one event.
pub(crate) trait Sink {
    /// Whether `amount` can be added to the person's totals for the month.
    fn fits(
        &self,
        person: PersonId,
        month: Month,
        direction: Direction,
        unit: Unit,
        amount: Money,
    ) -> bool;
    /// A fine or a reward.
    fn posting(&mut self, person: PersonId, name: &str, month: Month, posting: Posting);
    /// An outcome.
    fn outcome(&mut self, person: PersonId, name: &str, month: Month, outcome: OutcomePosting);
    /// A valid line with no consequence.
    fn ignored(&mut self, line: Option<u64>, rule: u32, why: IgnoreWhy);
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
}

/// A posting computed but not yet committed.
#[derive(Debug, Clone, Copy)]
struct Pending {
    person: PersonId,
    posting: Posting,
    escalation: Option<(u16, Window)>,
}

/// What the rules say about one prepared event, before anything is committed.
enum Judgement<'r> {
    Ignored {
        rule: u32,
        why: IgnoreWhy,
    },
    Applies {
        rule: u32,
        via: Option<KindId>,
        consequences: &'r [Consequence],
        detail: Detail,
    },
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
        }
    }

    /// The rulebook events are judged by.
    pub fn rulebook(&self) -> &Arc<Rulebook> {
        &self.rulebook
    }

    /// The state to checkpoint: everything needed to resume with identical results.
    pub fn state(&self) -> &EvalState {
        &self.state
    }

    /// The name of a person the evaluator has met.
    pub fn person_name(&self, person: PersonId) -> &str {
        self.state
            .people
            .get(person.index())
            .map_or("", |p| p.name.as_str())
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
        let stamp =
            Stamp::parse(&event.at, header.time_zone).ok_or_else(|| Rejection::BadTimestamp {
                text: event.at.clone(),
            })?;
        let kind = self
            .rulebook
            .kind_id(&event.kind)
            .ok_or_else(|| Rejection::UnknownKind {
                kind: event.kind.clone(),
                suggestion: self.rulebook.suggest_kind(&event.kind).map(str::to_owned),
            })?;
        if stamp.date() < header.effective {
            return Err(Rejection::NotInForce {
                date: stamp.date().to_string(),
            });
        }
        let (collective, amount_use, reads) = match self.plan.kind(kind) {
            Some(plan) => (plan.collective, plan.amount, plan.reads.len()),
            None => (false, AmountUse::Unused, 0),
        };

        let names = event.who.people();
        if names.is_empty() || names.iter().any(String::is_empty) {
            return Err(Rejection::EmptyPerson);
        }
        let mut earlier = names.iter();
        while let Some(name) = earlier.next() {
            if earlier.as_slice().contains(name) {
                return Err(Rejection::DuplicatePerson { who: name.clone() });
            }
        }
        if matches!(event.who, crate::event::Who::Many(_)) && !collective {
            return Err(Rejection::NotCollective {
                kind: event.kind.clone(),
            });
        }

        let mut values = Vec::with_capacity(reads + 1);
        for index in 0..reads {
            let Some(read) = self
                .plan
                .kind(kind)
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
                    .get(crate::check::AMOUNT_MEASURE)
                    .ok_or_else(|| Rejection::MissingAttribute {
                        name: crate::check::AMOUNT_MEASURE.to_owned(),
                        kind: event.kind.clone(),
                    })?;
                let ill_typed = |expected| Rejection::IllTypedAttribute {
                    name: crate::check::AMOUNT_MEASURE.to_owned(),
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
            AmountUse::Forbidden if event.attributes.contains_key(crate::check::AMOUNT_MEASURE) => {
                return Err(Rejection::AmountNotAllowed {
                    kind: event.kind.clone(),
                });
            }
            _ => None,
        };

        let people = if let [one] = names {
            People::One(self.person(one))
        } else {
            People::Many(names.iter().map(|n| self.person(n)).collect())
        };
        Ok(PreparedEvent {
            line,
            stamp,
            kind,
            people,
            values: values.into_boxed_slice(),
            amount,
        })
    }

    // ── Applying ─────────────────────────────────────────────────────────────────────────

    /// Applies a prepared event: its entries and outcomes go to `sink`, or the line is
    /// reported there as ignored. A rejection changes nothing.
    pub(crate) fn apply_into(
        &mut self,
        event: &PreparedEvent,
        sink: &mut impl Sink,
    ) -> Result<Applied, Rejection> {
        let instant = event.stamp.instant();
        for &person in event.people() {
            self.check_order(person, &event.stamp)?;
        }
        let rulebook = Arc::clone(&self.rulebook);
        let judgement = self.judge(&rulebook, event)?;
        let (rule, via, consequences, detail) = match judgement {
            Judgement::Ignored { rule, why } => {
                self.commit_seen(event, None);
                sink.ignored(event.line, rule, why);
                return Ok(Applied::Ignored);
            }
            Judgement::Applies {
                rule,
                via,
                consequences,
                detail,
            } => (rule, via, consequences, detail),
        };
        self.pending.clear();
        self.outcomes.clear();
        self.compute(&rulebook, event, rule, via, consequences, detail)?;

        if self.pending.is_empty() && self.outcomes.is_empty() {
            self.commit_seen(event, via);
            sink.ignored(event.line, rule, IgnoreWhy::NothingApplies);
            return Ok(Applied::Ignored);
        }
        let month = event.stamp.month();
        for pending in &self.pending {
            let p = &pending.posting;
            if !sink.fits(pending.person, month, p.direction, p.unit, p.amount) {
                return Err(Rejection::Overflow {
                    rule: label(&rulebook, Source::Rule(rule)),
                });
            }
        }
        for pending in &self.pending {
            if let Some(person) = self.state.people.get_mut(pending.person.index()) {
                if let Some((escalation, window)) = pending.escalation {
                    let keep = match rulebook
                        .escalations()
                        .get(escalation as usize)
                        .map(|e| &e.effect)
                    {
                        Some(EscalationEffect::Multiply {
                            level: Level::HeaviestOfLast(n),
                            ..
                        }) => (*n as usize).saturating_sub(1),
                        _ => 0,
                    };
                    if let Some(state) = person.escalations.get_mut(escalation as usize) {
                        state.record(window, pending.posting.base, pending.posting.line, keep);
                    }
                }
                person.last = person.last.max(Some(instant));
            }
        }
        if self.plan.rule(rule).is_some_and(|r| r.counts_occurrences) {
            for &person in event.people() {
                if let Some(state) = self.state.people.get_mut(person.index()) {
                    state.count_occurrence(rule, month);
                }
            }
        }
        self.commit_seen(event, via);
        for pending in &self.pending {
            let name = self.person_name(pending.person);
            sink.posting(pending.person, name, month, pending.posting);
        }
        for (person, outcome) in &self.outcomes {
            let name = self.person_name(*person);
            sink.outcome(*person, name, month, *outcome);
        }
        Ok(Applied::Posted)
    }

    fn check_order(&self, person: PersonId, stamp: &Stamp) -> Result<(), Rejection> {
        let Some(state) = self.state.people.get(person.index()) else {
            return Ok(());
        };
        match state.last {
            Some(last) if last > stamp.instant() => Err(Rejection::OutOfOrder {
                who: state.name.clone(),
                last: state.last_text(),
            }),
            _ => Ok(()),
        }
    }

    /// Marks the people of an applied or ignored line as named, widens the months, and
    /// counts the event toward the period rules that watch its kind.
    fn commit_seen(&mut self, event: &PreparedEvent, via: Option<KindId>) {
        let month = event.stamp.month();
        self.state.first_month = Some(self.state.first_month.map_or(month, |m| m.min(month)));
        self.state.last_month = Some(self.state.last_month.map_or(month, |m| m.max(month)));
        let instant = event.stamp.instant();
        let rulebook = &self.rulebook;
        let mut tracks: [Option<&[u16]>; 2] = [
            self.plan.kind(event.kind).map(|k| k.tracks.as_slice()),
            None,
        ];
        if let Some(via) = via {
            tracks[1] = self.plan.kind(via).map(|k| k.tracks.as_slice());
        }
        for &person in event.people() {
            let Some(state) = self.state.people.get_mut(person.index()) else {
                continue;
            };
            state.named = true;
            state.last = state.last.max(Some(instant));
            for track in tracks.iter().flatten().flat_map(|t| t.iter()) {
                if let Some(rule) = rulebook.period_rules().get(*track as usize) {
                    state.track(*track, month.window(rule.period));
                }
            }
        }
    }

    /// Finds the rule that applies, following `counts as`.
    fn judge<'r>(
        &self,
        rulebook: &'r Rulebook,
        event: &PreparedEvent,
    ) -> Result<Judgement<'r>, Rejection> {
        let mut kind = event.kind;
        let mut via = None;
        for _ in 0..MAX_COUNTS_AS {
            let Some(plan) = self.plan.kind(kind) else {
                break;
            };
            let Some(&first) = plan.rules.first() else {
                break;
            };
            let matched = plan.rules.iter().copied().find(|&r| {
                rulebook
                    .rules()
                    .get(r as usize)
                    .is_some_and(|rule| rule.conditions.iter().all(|c| holds(c, event)))
            });
            let Some(rule_index) = matched else {
                let value = |measure| {
                    event.value(measure).map(|v| match v {
                        Prepared::Number(n) => n.to_string(),
                        Prepared::Flag(b) => b.to_string(),
                        Prepared::Person(p) => self.person_name(p).to_owned(),
                    })
                };
                return Ok(Judgement::Ignored {
                    rule: first,
                    why: IgnoreWhy::Unmet(why::unmet_conditions(rulebook, &plan.rules, &value)),
                });
            };
            let Some(rule) = rulebook.rules().get(rule_index as usize) else {
                break;
            };
            let (consequences, detail) = match &rule.action {
                Action::Consequences(list) => (list.as_slice(), Detail::Plain),
                Action::Banded { measure, bands } => {
                    let value = event.number(*measure).unwrap_or_default();
                    match bands.iter().find(|b| b.range.contains(value)) {
                        Some(band) => (band.consequences.as_slice(), Detail::Band(value)),
                        None => {
                            return Ok(Judgement::Ignored {
                                rule: rule_index,
                                why: IgnoreWhy::NoBand { value },
                            });
                        }
                    }
                }
                _ => {
                    return Ok(Judgement::Ignored {
                        rule: rule_index,
                        why: IgnoreWhy::Recorded,
                    });
                }
            };
            if let [Consequence::CountsAs(other)] = consequences {
                kind = *other;
                via = Some(*other);
                continue;
            }
            return Ok(Judgement::Applies {
                rule: rule_index,
                via,
                consequences,
                detail,
            });
        }
        Err(Rejection::CountsAsLoop {
            kind: rulebook.kind_name(event.kind).to_owned(),
        })
    }

    /// Computes the postings and outcomes of the rule that applies, reading state only.
    fn compute(
        &mut self,
        rulebook: &Rulebook,
        event: &PreparedEvent,
        rule_index: u32,
        via: Option<KindId>,
        consequences: &[Consequence],
        detail: Detail,
    ) -> Result<(), Rejection> {
        let rule = rulebook.rules().get(rule_index as usize);
        let rule_plan = self.plan.rule(rule_index).copied().unwrap_or_default();
        let month = event.stamp.month();
        let actor = event.people().first().copied();
        let mut values = [None; 2];
        for (slot, condition) in values.iter_mut().zip(
            rule.into_iter()
                .flat_map(|r| r.conditions.iter())
                .filter_map(|c| match c {
                    Condition::Compare { measure, .. } => Some(*measure),
                    _ => None,
                }),
        ) {
            *slot = event.number(condition);
        }
        let overflow = || Rejection::Overflow {
            rule: label(rulebook, Source::Rule(rule_index)),
        };
        let occurrence = |evaluator: &Evaluator, person: PersonId| -> u64 {
            evaluator
                .state
                .people
                .get(person.index())
                .map_or(1, |p| p.occurrences(rule_index, month) + 1)
        };

        for consequence in consequences {
            match consequence {
                Consequence::Money {
                    direction,
                    amount,
                    unit,
                    target,
                } => {
                    let mut detail = detail;
                    let base = match amount {
                        Amount::Fixed(money) => Some(*money),
                        Amount::Range { low, high } => {
                            let amount = event.amount.unwrap_or_default();
                            if amount < *low || amount > *high {
                                return Err(ill_typed_amount(
                                    &amount.to_decimal(),
                                    *low,
                                    *high,
                                    rulebook.kind_name(event.kind),
                                ));
                            }
                            detail = Detail::Range(amount);
                            Some(amount)
                        }
                        Amount::PerUnit {
                            rate,
                            measure,
                            beyond,
                        } => {
                            let value = event.number(*measure).unwrap_or_default();
                            let units = value - *beyond;
                            detail = Detail::PerUnit(value);
                            if units <= Decimal::ZERO {
                                None
                            } else {
                                Some(computed(
                                    rulebook,
                                    rule_index,
                                    rate.to_decimal().checked_mul(units),
                                )?)
                            }
                        }
                        Amount::Percent { percent, of } => {
                            let value = event.number(*of).unwrap_or_default();
                            detail = Detail::Percent(value);
                            let share = value
                                .checked_mul(*percent)
                                .and_then(|v| v.checked_div(Decimal::ONE_HUNDRED));
                            Some(computed(rulebook, rule_index, share)?).filter(|m| m.is_positive())
                        }
                        Amount::Schedule(steps) => {
                            let count = actor.map_or(1, |a| occurrence(self, a));
                            detail = Detail::Schedule(count);
                            schedule_step(steps, count)
                        }
                    };
                    let Some(base) = base else { continue };
                    let targets: &[PersonId] = match target {
                        Target::EveryPersonNamed => event.people(),
                        _ => match actor {
                            Some(ref a) => std::slice::from_ref(a),
                            None => &[],
                        },
                    };
                    let mut related = None;
                    if let Target::Related(role) = target {
                        match event.value(*role) {
                            Some(Prepared::Person(person)) if Some(person) == actor => {
                                return Err(Rejection::OwnRelation {
                                    who: self.person_name(person).to_owned(),
                                    role: rulebook.measure_name(*role).to_owned(),
                                });
                            }
                            Some(Prepared::Person(person)) => related = Some(person),
                            _ => continue,
                        }
                    }
                    let related_person;
                    let targets: &[PersonId] = match related {
                        Some(person) => {
                            related_person = person;
                            std::slice::from_ref(&related_person)
                        }
                        None => targets,
                    };
                    for &person in targets {
                        let mut why = Why {
                            kind: event.kind,
                            via,
                            values,
                            detail,
                            escalation: None,
                            on_behalf: related.and(actor),
                        };
                        let mut amount = base;
                        let mut escalation = None;
                        let declared = rule_plan.escalation(*direction).and_then(|index| {
                            rulebook
                                .escalations()
                                .get(index as usize)
                                .map(|declaration| (index, declaration))
                        });
                        if let Some((index, declaration)) = declared {
                            let window = month.window(declaration.window);
                            let fresh = EscalationState::default();
                            let state = self
                                .state
                                .people
                                .get(person.index())
                                .and_then(|p| p.escalations.get(index as usize))
                                .unwrap_or(&fresh);
                            let (count, level) =
                                state.next(window, base, event.line, &declaration.effect);
                            if declaration.nth.picks(count) {
                                amount = escalate(&declaration.effect, base, level.0)
                                    .ok_or_else(overflow)?;
                                let mut earlier = [0; state::EARLIER_NAMED];
                                let named = if state.window == Some(window) {
                                    state.first_lines.as_slice()
                                } else {
                                    &[]
                                };
                                for (slot, line) in earlier.iter_mut().zip(named) {
                                    *slot = *line;
                                }
                                why.escalation = Some(EscalationWhy {
                                    escalation: index,
                                    count,
                                    level: level.0,
                                    level_line: level.1,
                                    earlier,
                                    earlier_named: named.len().min(state::EARLIER_NAMED) as u8,
                                });
                            }
                            escalation = Some((index, window));
                        }
                        self.pending.push(Pending {
                            person,
                            posting: Posting {
                                line: event.line,
                                at: event.stamp,
                                source: Source::Rule(rule_index),
                                direction: *direction,
                                unit: *unit,
                                base,
                                amount,
                                why,
                            },
                            escalation,
                        });
                    }
                }
                Consequence::Outcome(outcome) => {
                    let people: &[PersonId] = if rule.is_some_and(collective) {
                        event.people()
                    } else {
                        match actor {
                            Some(ref a) => std::slice::from_ref(a),
                            None => &[],
                        }
                    };
                    for &person in people {
                        let applies = match outcome.when {
                            None => true,
                            Some(OutcomeCondition::Flag { measure, expected }) => {
                                event.flag(measure) == expected
                            }
                            Some(OutcomeCondition::Ordinal(nth)) => {
                                nth.picks(occurrence(self, person))
                            }
                        };
                        if !applies {
                            continue;
                        }
                        let approval = match outcome.kind {
                            OutcomeKind::Promotion {
                                approval: Some(flag),
                                ..
                            } => Some(if event.flag(flag) {
                                Approval::Approved
                            } else {
                                Approval::Pending
                            }),
                            _ => None,
                        };
                        self.outcomes.push((
                            person,
                            OutcomePosting {
                                line: event.line,
                                rule: rule_index,
                                kind: outcome.kind,
                                approval,
                            },
                        ));
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Applies a prepared event, recording its entries and outcomes (or the ignored line)
    /// in `ledger`. This is the fast path: no allocation but the ledger's own.
    pub fn apply_prepared(
        &mut self,
        event: &PreparedEvent,
        ledger: &mut Ledger,
    ) -> Result<Applied, Rejection> {
        self.apply_into(event, ledger)
    }

    /// Checks and applies one event, returning the entries and outcomes it produced, in
    /// words, or why it was ignored. Events must come in time order per person.
    pub fn apply(&mut self, line: Option<u64>, event: &Event) -> Result<Verdict, Rejection> {
        let prepared = self.prepare(line, event)?;
        let mut ledger = Ledger::new(Arc::clone(&self.rulebook));
        self.apply_into(&prepared, &mut ledger)?;
        Ok(Verdict::from_report(ledger.report()))
    }

    /// Closes `month` for the roster (the given one, or everyone named on a line applied or
    /// ignored so far): period rules whose period ends with the month fire, and their
    /// entries go to `ledger`.
    pub fn close_month(
        &mut self,
        month: Month,
        roster: Option<&Roster>,
        ledger: &mut Ledger,
    ) -> Result<(), Rejection> {
        let people = self.roster_ids(roster);
        self.close_month_for(month, &people, ledger)
    }

    /// Closes every month from the first to the last of the lines applied or ignored, that
    /// is not closed yet.
    pub fn close_all(
        &mut self,
        roster: Option<&Roster>,
        ledger: &mut Ledger,
    ) -> Result<(), Rejection> {
        let Some((first, last)) = self.months() else {
            return Ok(());
        };
        let people = self.roster_ids(roster);
        let mut month = match self.state.closed_through {
            Some(closed) if closed >= first => closed.next(),
            _ => Some(first),
        };
        while let Some(current) = month.filter(|m| *m <= last) {
            self.close_month_for(current, &people, ledger)?;
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
    fn close_month_for(
        &mut self,
        month: Month,
        roster: &[PersonId],
        sink: &mut impl Sink,
    ) -> Result<(), Rejection> {
        let rulebook = Arc::clone(&self.rulebook);
        let at = Stamp::from_date(month.last_day(), rulebook.header().time_zone);
        for (index, rule) in rulebook.period_rules().iter().enumerate() {
            if !month.ends(rule.period) {
                continue;
            }
            let window = month.window(rule.period);
            for &person in roster {
                let Some(state) = self.state.people.get_mut(person.index()) else {
                    continue;
                };
                let count = state.take_track(index as u16, window);
                let holds = match &rule.test {
                    PeriodTest::Absent { .. } => count == 0,
                    PeriodTest::Count { op, count: n, .. } => {
                        op.holds(Decimal::from(count), Decimal::from(*n))
                    }
                };
                let run = state.streak(index as u16, window, rule.period, holds);
                if !holds || run % u64::from(rule.streak.max(1)) != 0 {
                    continue;
                }
                let Some(at) = at else { continue };
                for consequence in &rule.consequences {
                    let Consequence::Money {
                        direction,
                        amount: Amount::Fixed(amount),
                        unit,
                        ..
                    } = consequence
                    else {
                        continue;
                    };
                    if !sink.fits(person, month, *direction, *unit, *amount) {
                        return Err(Rejection::Overflow {
                            rule: rule.label.clone(),
                        });
                    }
                    let posting = Posting {
                        line: None,
                        at,
                        source: Source::Period(index as u32),
                        direction: *direction,
                        unit: *unit,
                        base: *amount,
                        amount: *amount,
                        why: Why {
                            kind: KindId::new(0),
                            via: None,
                            values: [None; 2],
                            detail: Detail::Period { window, count, run },
                            escalation: None,
                            on_behalf: None,
                        },
                    };
                    let name = self
                        .state
                        .people
                        .get(person.index())
                        .map_or("", |p| p.name.as_str());
                    sink.posting(person, name, month, posting);
                }
            }
        }
        self.state.closed_through = Some(self.state.closed_through.map_or(month, |m| m.max(month)));
        Ok(())
    }
}

/// Whether a rule's consequences reach every person named.
fn collective(rule: &crate::rulebook::Rule) -> bool {
    plan::consequences_of(&rule.action).any(|c| {
        matches!(
            c,
            Consequence::Money {
                target: Target::EveryPersonNamed,
                ..
            }
        )
    })
}

/// Whether a condition holds for an event; a missing number never satisfies a comparison,
/// and a missing flag is `false`.
fn holds(condition: &Condition, event: &PreparedEvent) -> bool {
    match condition {
        Condition::Compare { measure, op, value } => {
            event.number(*measure).is_some_and(|v| op.holds(v, *value))
        }
        Condition::Flag { measure, expected } => event.flag(*measure) == *expected,
    }
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

/// The label of the rule a posting comes from.
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

impl EscalationState {
    /// The count this entry would have in `window`, and the level (base and line) the
    /// escalation's effect would multiply.
    fn next(
        &self,
        window: Window,
        base: Money,
        line: Option<u64>,
        effect: &EscalationEffect,
    ) -> (u64, (Money, Option<u64>)) {
        let same = self.window == Some(window);
        let count = if same { self.count + 1 } else { 1 };
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
        let level = match level {
            Level::HeaviestSoFar if same => heaviest(&mut self.heaviest.into_iter()),
            Level::HeaviestOfLast(n) if same => {
                let keep = (n as usize).saturating_sub(1);
                let skip = self.recent.len().saturating_sub(keep);
                heaviest(&mut self.recent.iter().skip(skip).copied())
            }
            _ => this,
        };
        (count, level)
    }
}

/// The comparison words of an unmet threshold: `rings 2 is not over 3`.
pub(crate) fn unmet(op: Comparison) -> &'static str {
    match op {
        Comparison::Gt => "is not over",
        Comparison::Ge => "is under",
        Comparison::Lt => "is not under",
        Comparison::Le => "is over",
        Comparison::Eq => "is not",
    }
}
