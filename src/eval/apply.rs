//! Applying one prepared event — the hot path. Three steps: *judge* (which rule applies,
//! following `counts as`), *compute* (every posting and outcome, from the state, changing
//! nothing), *commit* (after the sink says every amount fits: update the counts, send the
//! postings). Nothing here allocates except the sink's own storage (and, for a collective
//! event naming more than 16 people, an index of its amounts by person); reasons stay numbers.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::plan::{MAX_COUNTS_AS, Plan, keep_for};
use super::state::{EscalationState, PersonState};
use super::{
    Applied, Approval, Evaluator, PersonId, Prepared, PreparedEvent, Rejection, computed, escalate,
    ill_typed_amount, schedule_step,
};
use crate::calendar::{Month, Window};
use crate::ledger::{
    Extra, Failed, IgnoreWhy, OutcomePosting, Posting, Shown, Sink, Source, label,
};
use crate::money::Money;
use crate::rulebook::{
    Action, Amount, Condition, Consequence, KindId, MeasureId, OutcomeCondition, OutcomeKind, Rule,
    Rulebook, Target,
};
use crate::vocab::{Direction, Period, Unit};

/// A posting computed but not yet committed.
#[derive(Debug, Clone, Copy)]
pub(super) struct Pending {
    posting: Posting,
    /// The escalation that counted it, and its window.
    escalation: Option<(u16, Window)>,
    /// Its extra details, by index into the evaluator's scratch list.
    extra: Option<usize>,
}

/// The kinds an event was judged as: its own, then each kind a `counts as` led to.
#[derive(Debug, Clone, Copy)]
struct Path {
    kinds: [KindId; MAX_COUNTS_AS],
    len: usize,
}

impl Path {
    fn new(kind: KindId) -> Path {
        Path {
            kinds: [kind; MAX_COUNTS_AS],
            len: 1,
        }
    }

    fn kinds(&self) -> &[KindId] {
        self.kinds.get(..self.len).unwrap_or(&self.kinds)
    }

    /// The kind the event counted as, when it counted as another.
    fn via(&self) -> Option<KindId> {
        (self.len > 1)
            .then(|| self.kinds().last().copied())
            .flatten()
    }
}

/// What the rules say about one prepared event, before anything is committed.
enum Judgement<'r> {
    Ignored {
        rule: u32,
        why: IgnoreWhy,
        path: Path,
    },
    Applies {
        rule: u32,
        path: Path,
        consequences: &'r [Consequence],
        /// The banded measure's value, for a banded rule.
        band_value: Option<Decimal>,
    },
}

impl Evaluator {
    /// Applies a prepared event: its entries and outcomes go to `sink`, or the line is
    /// reported there as ignored. A rejection changes nothing.
    pub(crate) fn apply_into(
        &mut self,
        event: &PreparedEvent,
        sink: &mut impl Sink,
    ) -> Result<Applied, Box<Rejection>> {
        let rulebook: &Rulebook = &self.rulebook;
        // A prepared event names people by this evaluator's ids: one prepared by another
        // evaluator would charge someone else.
        let known = self.state.people.len();
        let people = event.people().iter().copied();
        let related = event.values.iter().filter_map(|(_, value)| match value {
            Prepared::Person(person) => Some(*person),
            _ => None,
        });
        if people.chain(related).any(|person| person.index() >= known) {
            return Err(Box::new(Rejection::ForeignEvent));
        }
        // A ledger holds one evaluation's entries: another's numbers its people otherwise.
        if !sink.claim(self.state.lineage) {
            return Err(Box::new(Rejection::ForeignLedger));
        }
        // A closed month's period rules have fired: an event of it could change what they
        // decided (a late arrival after the full-attendance reward was paid).
        if self
            .state
            .closed_through
            .is_some_and(|closed| event.month <= closed)
        {
            return Err(Box::new(Rejection::MonthClosed {
                month: event.month.to_string(),
            }));
        }
        // The commonest case first: a kind with one fast-path rule, whose conditions hold.
        let single = self
            .plan
            .kind(event.version, event.kind)
            .and_then(|k| k.single_fast)
            .filter(|_| self.fast_path)
            .and_then(|index| Some((index, rulebook.rules().get(index as usize)?)))
            .filter(|(_, rule)| rule.conditions.iter().all(|c| holds(c, event)));
        if let Some((rule, Action::Consequences(consequences))) =
            single.map(|(i, r)| (i, &r.action))
        {
            let fast = apply_fast(
                rulebook,
                &self.plan,
                &mut self.state,
                event,
                rule,
                consequences,
                sink,
            );
            if let Some(applied) = fast {
                return applied;
            }
        }
        for &person in event.people() {
            check_order(&self.state.people, person, event).map_err(Box::new)?;
        }
        let judgement = judge(rulebook, &self.plan, event).map_err(Box::new)?;
        let (rule, path, consequences, band_value) = match judgement {
            Judgement::Ignored { rule, why, path } => {
                commit_seen(&mut self.state, &self.plan, event, &path);
                sink.ignored(event.line(), rule, why);
                return Ok(Applied::Ignored);
            }
            Judgement::Applies {
                rule,
                path,
                consequences,
                band_value,
            } => (rule, path, consequences, band_value),
        };
        let fast = (self.fast_path && path.via().is_none() && band_value.is_none())
            .then(|| {
                apply_fast(
                    rulebook,
                    &self.plan,
                    &mut self.state,
                    event,
                    rule,
                    consequences,
                    sink,
                )
            })
            .flatten();
        if let Some(applied) = fast {
            return applied;
        }
        self.pending.clear();
        self.outcomes.clear();
        self.extras.clear();
        compute(
            rulebook,
            &self.plan,
            &self.state.people,
            event,
            rule,
            path.via(),
            consequences,
            band_value,
            &mut self.pending,
            &mut self.outcomes,
            &mut self.extras,
        )
        .map_err(Box::new)?;
        // A related person charged (`for their manager`) must be in time order too: their
        // counts of an earlier window would start again, and the later window's be lost.
        for pending in &self.pending {
            check_order(&self.state.people, pending.posting.person(), event).map_err(Box::new)?;
        }

        let month = event.month;
        // Each amount must fit its person's totals with the amounts before it of this event
        // for the same person (an event may give one person two, in two roles).
        // A collective event naming many people adds up by person through a map, so that one
        // line of 120,000 people costs linear time; an ordinary event scans its few amounts.
        let mut sums: Option<HashMap<(PersonId, Direction, Unit), Money>> =
            (self.pending.len() > SCAN_PEOPLE).then(HashMap::new);
        for (index, pending) in self.pending.iter().enumerate() {
            let p = &pending.posting;
            let key = (p.person(), p.direction(), p.unit());
            let together = match &mut sums {
                Some(sums) => {
                    let sum = sums.entry(key).or_insert(Money::ZERO);
                    let together = sum.checked_add(p.amount);
                    if let Some(together) = together {
                        *sum = together;
                    }
                    together
                }
                None => self
                    .pending
                    .get(..index)
                    .unwrap_or(&[])
                    .iter()
                    .filter(|o| {
                        let o = &o.posting;
                        (o.person(), o.direction(), o.unit()) == key
                    })
                    .try_fold(p.amount, |sum, o| sum.checked_add(o.posting.amount)),
            };
            let fits = together.is_some_and(|amount| {
                sink.fits(p.person(), month, p.direction(), p.unit(), amount)
            });
            if !fits {
                return Err(Box::new(Rejection::Overflow {
                    rule: label(rulebook, Source::Rule(rule)),
                }));
            }
        }

        // Commit. The rule's occurrence counts, whether or not it made an entry: the 4th time
        // is the 4th time even when the first three earned nothing.
        if self.plan.rule(rule).is_some_and(|r| r.counts_occurrences) {
            for &person in event.people() {
                if let Some(state) = self.state.people.get_mut(person.index()) {
                    state.count_occurrence(self.plan.rule_slot(rule), month);
                }
            }
        }
        commit_seen(&mut self.state, &self.plan, event, &path);
        if self.pending.is_empty() && self.outcomes.is_empty() {
            sink.ignored(event.line(), rule, IgnoreWhy::NothingApplies);
            return Ok(Applied::Ignored);
        }
        // The person at fault, for a reason that says whose manager was charged.
        for pending in &self.pending {
            let extra = pending.extra.and_then(|i| self.extras.get(i));
            if let Some(person) = extra.and_then(|e| e.on_behalf)
                && let Some(state) = self.state.people.get(person.index())
            {
                sink.person(person, &state.name);
            }
        }
        let instant = event.instant();
        for pending in &self.pending {
            // Every person of a prepared event is known: `apply_into` checked it first.
            let Some(person) = self.state.people.get_mut(pending.posting.person().index()) else {
                continue;
            };
            if let Some((escalation, window)) = pending.escalation {
                let keep = rulebook
                    .escalations()
                    .get(escalation as usize)
                    .map_or(0, keep_for);
                if let Some(state) = person
                    .escalations
                    .get_mut(self.plan.escalation_slot(escalation))
                {
                    state.record(window, pending.posting.base, pending.posting.line(), keep);
                }
            }
            person.last = person.last.max(Some(instant));
            let extra = pending.extra.and_then(|i| self.extras.get(i));
            sink.posting(&person.name, month, pending.posting, extra);
        }
        for (person, outcome) in &self.outcomes {
            if let Some(state) = self.state.people.get(person.index()) {
                sink.outcome(*person, &state.name, month, *outcome);
            }
        }
        Ok(Applied::Posted)
    }
}

/// The fast path, for the commonest shape of rule (one fixed or ranged amount for the one
/// person the event names, outcomes at most): the same result as [`compute`] and the commit
/// after it, without the general bookkeeping. `None` when the event or the rule is not of
/// that shape; nothing has changed then.
fn apply_fast(
    rulebook: &Rulebook,
    plan: &Plan,
    state: &mut super::EvalState,
    event: &PreparedEvent,
    rule_index: u32,
    consequences: &[Consequence],
    sink: &mut impl Sink,
) -> Option<Result<Applied, Box<Rejection>>> {
    let rule_plan = plan.rule(rule_index)?;
    let fast = rule_plan.fast?;
    let [person] = event.people() else {
        return None;
    };
    let person = *person;
    if event.instant().1 != 0 {
        return None;
    }
    let rule = rulebook.rules().get(rule_index as usize)?;
    let first = fast.compared;
    let base = match fast.fixed {
        Some(money) => money,
        None => {
            // An event without one is told so by the general path.
            let amount = event.amount()?;
            if amount < fast.low || amount > fast.high {
                return Some(Err(Box::new(ill_typed_amount(
                    &amount.to_decimal(),
                    fast.low,
                    fast.high,
                    rulebook.kind_name(event.kind),
                ))));
            }
            amount
        }
    };
    let mut posting = Posting::new(
        event.line(),
        event.seconds,
        event.date_only,
        person,
        Source::Rule(rule_index),
        fast.direction,
        fast.unit,
        base,
    );
    let value = first.and_then(|m| event.number(m));
    if value.is_some_and(|value| posting.set_value(value).is_some()) {
        return None;
    }
    let month = event.month;
    // The months widen first: nothing below can fail for a reason the event could mend.
    let (first_month, last_month) = (state.first_month, state.last_month);
    let person_state = state.people.get_mut(person.index())?;
    if person_state.last > Some(event.instant()) {
        return Some(Err(Box::new(Rejection::OutOfOrder {
            who: person_state.name.clone(),
            last: person_state.last_text(),
        })));
    }
    let mut escalation = None;
    if let Some(index) = rule_plan.escalation(fast.direction) {
        let declaration = rulebook.escalations().get(index as usize)?;
        let window = month.window(declaration.window);
        let escalation_state = person_state.escalations.get(plan.escalation_slot(index))?;
        let (count, level) = escalation_state.next(
            window,
            std::iter::empty(),
            base,
            event.line(),
            &declaration.effect,
        );
        if declaration.nth.picks(count) {
            let Some(amount) = escalate(&declaration.effect, base, level.0) else {
                return Some(Err(Box::new(Rejection::Overflow {
                    rule: rule.label.clone(),
                })));
            };
            posting.amount = amount;
            posting.escalated = u16::try_from(count).unwrap_or(u16::MAX);
            posting.level_line = level.1.unwrap_or(0);
        }
        posting.counted_by = index + 1;
        escalation = Some((index, window, keep_for(declaration)));
    }
    let name = person_state.name.as_str();
    if !sink.try_post(name, month, posting) {
        return Some(Err(Box::new(Rejection::Overflow {
            rule: rule.label.clone(),
        })));
    }

    // Commit: the escalation count, then what `commit_seen` does, for the one person.
    let counted = escalation.and_then(|(index, window, keep)| {
        Some((
            person_state
                .escalations
                .get_mut(plan.escalation_slot(index))?,
            window,
            keep,
        ))
    });
    if let Some((escalation_state, window, keep)) = counted {
        escalation_state.record(window, base, event.line(), keep);
    }
    let tracks = plan
        .kind(event.version, event.kind)
        .map_or(&[][..], |k| k.tracks.as_slice());
    see_person(person_state, event, tracks);
    let name = person_state.name.as_str();
    let (first, last) = widen(first_month, last_month, month);
    (state.first_month, state.last_month) = (first, last);
    for consequence in consequences {
        let Consequence::Outcome(outcome) = consequence else {
            continue;
        };
        let applies = match outcome.when {
            Some(OutcomeCondition::Flag { measure, expected }) => event.flag(measure) == expected,
            _ => true,
        };
        if !applies {
            continue;
        }
        let approval = approval_of(outcome.kind, event);
        sink.outcome(
            person,
            name,
            month,
            OutcomePosting {
                line: event.line(),
                source: Source::Rule(rule_index),
                kind: outcome.kind,
                approval,
            },
        );
    }
    Some(Ok(Applied::Posted))
}

#[inline]
/// For a promotion that needs approval: whether the event's approval flag gives it.
fn approval_of(kind: OutcomeKind, event: &PreparedEvent) -> Option<Approval> {
    match kind {
        OutcomeKind::Promotion {
            approval: Some(flag),
            ..
        } => Some(if event.flag(flag) {
            Approval::Approved
        } else {
            Approval::Pending
        }),
        _ => None,
    }
}

fn check_order(
    people: &[PersonState],
    person: PersonId,
    event: &PreparedEvent,
) -> Result<(), Rejection> {
    let Some(state) = people.get(person.index()) else {
        return Ok(());
    };
    match state.last {
        Some(last) if last > event.instant() => Err(Rejection::OutOfOrder {
            who: state.name.clone(),
            last: state.last_text(),
        }),
        _ => Ok(()),
    }
}

/// Marks the people of an applied or ignored line as named, widens the months, and counts
/// the event toward the period rules that watch its kind or a kind it counted as.
#[inline]
fn commit_seen(state: &mut super::EvalState, plan: &Plan, event: &PreparedEvent, path: &Path) {
    (state.first_month, state.last_month) = widen(state.first_month, state.last_month, event.month);
    for &person in event.people() {
        if let Some(person) = state.people.get_mut(person.index()) {
            for &kind in path.kinds() {
                let tracks = plan
                    .kind(event.version, kind)
                    .map_or(&[][..], |k| k.tracks.as_slice());
                see_person(person, event, tracks);
            }
        }
    }
}

/// The first and last months of the lines applied or ignored, with `month` among them.
#[inline]
fn widen(
    first: Option<Month>,
    last: Option<Month>,
    month: Month,
) -> (Option<Month>, Option<Month>) {
    // Most events fall in the month of the one before.
    if last == Some(month) {
        return (first, last);
    }
    (
        Some(first.map_or(month, |m| m.min(month))),
        Some(last.map_or(month, |m| m.max(month))),
    )
}

/// One person of an applied or ignored line: named, seen at the event's instant, and the
/// event counted toward the period rules of `tracks` (those watching one kind it was judged
/// as).
#[inline]
fn see_person(person: &mut PersonState, event: &PreparedEvent, tracks: &[(u16, Period)]) {
    person.named = true;
    let instant = event.instant();
    if person.last < Some(instant) {
        person.last = Some(instant);
    }
    for &(track, period) in tracks {
        person.track(track, event.month.window(period), period);
    }
}

/// Finds the rule that applies, following `counts as`: the first rule about the kind whose
/// conditions hold and, for a banded rule, one of whose bands holds the measure's value.
fn judge<'r>(
    rulebook: &'r Rulebook,
    plan: &Plan,
    event: &PreparedEvent,
) -> Result<Judgement<'r>, Rejection> {
    let mut path = Path::new(event.kind);
    loop {
        let kind = path.kinds().last().copied().unwrap_or(event.kind);
        let rules = plan
            .kind(event.version, kind)
            .map_or(&[][..], |k| k.rules.as_slice());
        let mut unmet = Unmet::default();
        let mut no_band = None;
        let mut matched = None;
        for &index in rules {
            let Some(rule) = rulebook.rules().get(index as usize) else {
                continue;
            };
            if let Some(failed) = rule.conditions.iter().position(|c| !holds(c, event)) {
                unmet.add(index, failed, rule, event);
                continue;
            }
            match &rule.action {
                Action::Consequences(list) => {
                    matched = Some((index, list.as_slice(), None));
                }
                Action::Banded { measure, bands } => {
                    let value = event
                        .number(*measure)
                        .ok_or_else(|| missing(rulebook, *measure, event))?;
                    match bands.iter().find(|b| b.range.contains(value)) {
                        Some(band) => {
                            matched = Some((index, band.consequences.as_slice(), Some(value)));
                        }
                        None => {
                            no_band.get_or_insert((index, value));
                            continue;
                        }
                    }
                }
                Action::Recorded => {
                    return Ok(Judgement::Ignored {
                        rule: index,
                        why: IgnoreWhy::Recorded,
                        path,
                    });
                }
            }
            break;
        }
        let Some((rule, consequences, band_value)) = matched else {
            let (rule, why) = match (no_band, rules.first()) {
                (Some((rule, value)), _) => (rule, IgnoreWhy::NoBand { value }),
                (None, Some(&first)) => (
                    first,
                    IgnoreWhy::Unmet {
                        failed: unmet.failed,
                        others: unmet.others,
                    },
                ),
                // Every kind of a version has a rule there (`Evaluator::prepare`).
                (None, None) => {
                    return Err(Rejection::KindNotInForce {
                        kind: rulebook.kind_name(kind).to_owned(),
                        date: event.month.to_string(),
                        version: String::new(),
                    });
                }
            };
            return Ok(Judgement::Ignored { rule, why, path });
        };
        if let [Consequence::CountsAs(other)] = consequences {
            let Some(slot) = path.kinds.get_mut(path.len) else {
                return Err(Rejection::CountsAsLoop {
                    kind: rulebook.kind_name(event.kind).to_owned(),
                });
            };
            *slot = *other;
            path.len += 1;
            continue;
        }
        return Ok(Judgement::Applies {
            rule,
            path,
            consequences,
            band_value,
        });
    }
}

/// The conditions that failed, for the reason of an ignored line: for the first rules about
/// the kind, the first condition of each that did not hold and the event's value there.
#[derive(Default)]
struct Unmet {
    failed: [Option<Failed>; 3],
    others: u32,
}

impl Unmet {
    fn add(&mut self, rule_index: u32, condition: usize, rule: &Rule, event: &PreparedEvent) {
        let shown = match rule.conditions.get(condition) {
            Some(Condition::Compare { measure, .. }) => event.number(*measure).map(Shown::Number),
            Some(Condition::Flag { measure, .. }) => Some(Shown::Flag(event.flag(*measure))),
            None => None,
        };
        let failed = Failed {
            rule: rule_index,
            condition: u16::try_from(condition).unwrap_or(u16::MAX),
            shown,
        };
        match self.failed.iter_mut().find(|slot| slot.is_none()) {
            Some(slot) => *slot = Some(failed),
            None => self.others = self.others.saturating_add(1),
        }
    }
}

/// A required measure an event lacks: `prepare` rejects such an event first, so this is
/// reached only by an event prepared for other rules.
fn missing(rulebook: &Rulebook, measure: MeasureId, event: &PreparedEvent) -> Rejection {
    Rejection::MissingAttribute {
        name: rulebook.measure_name(measure).to_owned(),
        kind: rulebook.kind_name(event.kind).to_owned(),
    }
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

/// Up to how many people an event's pending amounts are scanned for one person's; past it
/// they are indexed by person.
const SCAN_PEOPLE: usize = 16;

/// An event's pending amounts by person: scanned in place for the few people of an ordinary
/// event, indexed for a collective event naming many (so that one line of 120,000 people
/// costs linear time, not quadratic).
struct ByPerson {
    index: Option<HashMap<PersonId, Vec<usize>>>,
}

impl ByPerson {
    fn new(people: usize) -> ByPerson {
        ByPerson {
            index: (people > SCAN_PEOPLE).then(HashMap::new),
        }
    }

    /// The amount at `at` in the pending list is `person`'s.
    fn note(&mut self, person: PersonId, at: usize) {
        if let Some(index) = &mut self.index {
            index.entry(person).or_default().push(at);
        }
    }

    /// `person`'s pending amounts, in the order made.
    fn of<'a>(
        &'a self,
        pending: &'a [Pending],
        person: PersonId,
    ) -> impl Iterator<Item = &'a Pending> + Clone + 'a {
        let (scan, indexed) = match &self.index {
            None => (
                Some(pending.iter().filter(move |p| p.posting.person() == person)),
                None,
            ),
            Some(index) => (
                None,
                Some(
                    index
                        .get(&person)
                        .into_iter()
                        .flatten()
                        .filter_map(|&at| pending.get(at)),
                ),
            ),
        };
        scan.into_iter()
            .flatten()
            .chain(indexed.into_iter().flatten())
    }
}

/// Computes the postings and outcomes of the rule that applies, reading state only.
///
/// The people at fault are everyone `who` names (one, or each person of a collective event):
/// an amount with no target, or `for every person named`, is for each of them, and so is an
/// outcome; `for their ROLE` is for the one person the event names in that role. The Nth time
/// is counted per person at fault.
#[allow(clippy::too_many_arguments)]
fn compute(
    rulebook: &Rulebook,
    plan: &Plan,
    people: &[PersonState],
    event: &PreparedEvent,
    rule_index: u32,
    via: Option<KindId>,
    consequences: &[Consequence],
    band_value: Option<Decimal>,
    pending: &mut Vec<Pending>,
    outcomes: &mut Vec<(PersonId, OutcomePosting)>,
    extras: &mut Vec<Extra>,
) -> Result<(), Rejection> {
    let rule = rulebook.rules().get(rule_index as usize);
    let rule_plan = plan.rule(rule_index).copied().unwrap_or_default();
    let month = event.month;
    let at_fault = event.people();
    // The event's values of the rule's first two compared measures.
    let (mut first_value, mut second_value) = (None, None);
    for condition in rule.map_or(&[][..], |r| r.conditions.as_slice()) {
        if let Condition::Compare { measure, .. } = condition {
            if first_value.is_none() {
                first_value = event.number(*measure);
            } else {
                second_value = event.number(*measure);
                break;
            }
        }
    }
    let nanos = event.instant().1;
    let overflow = || Rejection::Overflow {
        rule: label(rulebook, Source::Rule(rule_index)),
    };
    let occurrence = |person: PersonId| -> u64 {
        people
            .get(person.index())
            .map_or(1, |p| p.occurrences(plan.rule_slot(rule_index), month) + 1)
    };
    let fresh = EscalationState::default();
    let mut by_person = ByPerson::new(at_fault.len());
    let amounts = consequences
        .iter()
        .filter(|c| matches!(c, Consequence::Money { .. }))
        .count();

    for (index, consequence) in consequences.iter().enumerate() {
        match consequence {
            Consequence::Money {
                direction,
                amount,
                unit,
                target,
            } => {
                // Who is charged or paid: the people at fault, or the one related person
                // (who may not be one of them).
                let related_person;
                let (targets, on_behalf): (&[PersonId], Option<PersonId>) = match target {
                    Target::Related(role) => {
                        let Some(Prepared::Person(person)) = event.value(*role) else {
                            return Err(missing(rulebook, *role, event));
                        };
                        if at_fault.contains(&person) {
                            return Err(Rejection::OwnRelation {
                                who: people
                                    .get(person.index())
                                    .map_or_else(String::new, |p| p.name.clone()),
                                role: rulebook.measure_name(*role).to_owned(),
                            });
                        }
                        related_person = person;
                        (
                            std::slice::from_ref(&related_person),
                            at_fault.first().copied(),
                        )
                    }
                    Target::Actor | Target::EveryPersonNamed => (at_fault, None),
                };
                for &person in targets {
                    let mut detail_value = None;
                    let mut occurrence_count = None;
                    let base = match amount {
                        Amount::Fixed(money) => Some(*money),
                        Amount::Range { low, high } => {
                            let amount =
                                event.amount().ok_or_else(|| Rejection::MissingAttribute {
                                    name: crate::rulebook::AMOUNT_MEASURE.to_owned(),
                                    kind: rulebook.kind_name(event.kind).to_owned(),
                                })?;
                            if amount < *low || amount > *high {
                                return Err(ill_typed_amount(
                                    &amount.to_decimal(),
                                    *low,
                                    *high,
                                    rulebook.kind_name(event.kind),
                                ));
                            }
                            Some(amount)
                        }
                        Amount::PerUnit {
                            rate,
                            measure,
                            beyond,
                        } => {
                            let value = event
                                .number(*measure)
                                .ok_or_else(|| missing(rulebook, *measure, event))?;
                            let units = value - *beyond;
                            detail_value = Some(value);
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
                            let value = event
                                .number(*of)
                                .ok_or_else(|| missing(rulebook, *of, event))?;
                            detail_value = Some(value);
                            let share = value
                                .checked_mul(*percent)
                                .and_then(|v| v.checked_div(Decimal::ONE_HUNDRED));
                            Some(computed(rulebook, rule_index, share)?).filter(|m| m.is_positive())
                        }
                        Amount::Schedule(steps) => {
                            // The count of the person at fault: the one this is for, or the
                            // one a related person pays for.
                            let count = occurrence(on_behalf.unwrap_or(person));
                            occurrence_count = Some(count);
                            schedule_step(steps, count)
                        }
                    };
                    let Some(base) = base else { continue };
                    let mut posting = Posting::new(
                        event.line(),
                        event.seconds,
                        event.date_only,
                        person,
                        Source::Rule(rule_index),
                        *direction,
                        *unit,
                        base,
                    );
                    let wide_value = first_value.and_then(|value| posting.set_value(value));
                    let declared = rule_plan.escalation(*direction).and_then(|index| {
                        rulebook
                            .escalations()
                            .get(index as usize)
                            .map(|declaration| (index, declaration))
                    });
                    let mut escalation = None;
                    if let Some((index, declaration)) = declared {
                        let window = month.window(declaration.window);
                        let state = people
                            .get(person.index())
                            .and_then(|p| p.escalations.get(plan.escalation_slot(index)))
                            .unwrap_or(&fresh);
                        // This event's earlier amounts for the same person count first.
                        let earlier = by_person
                            .of(pending, person)
                            .filter(|p| p.escalation == Some((index, window)))
                            .map(|p| (p.posting.base, p.posting.line()));
                        let (count, level) =
                            state.next(window, earlier, base, event.line(), &declaration.effect);
                        if declaration.nth.picks(count) {
                            posting.amount = escalate(&declaration.effect, base, level.0)
                                .ok_or_else(overflow)?;
                            posting.escalated = u16::try_from(count).unwrap_or(u16::MAX);
                            posting.level_line = level.1.unwrap_or(0);
                        }
                        posting.counted_by = index + 1;
                        escalation = Some((index, window));
                    }
                    let consequence =
                        (amounts > 1).then(|| u16::try_from(index).unwrap_or(u16::MAX));
                    let rare = nanos != 0
                        || via.is_some()
                        || second_value.is_some()
                        || band_value.is_some()
                        || detail_value.is_some()
                        || consequence.is_some()
                        || occurrence_count.is_some()
                        || on_behalf.is_some()
                        || wide_value.is_some();
                    let extra = rare.then(|| {
                        extras.push(Extra {
                            nanos,
                            kind: via.map(|_| event.kind),
                            second_value,
                            band_value,
                            detail_value,
                            consequence,
                            on_behalf,
                            occurrence: occurrence_count,
                            period: None,
                            wide_value: first_value,
                        });
                        extras.len() - 1
                    });
                    by_person.note(person, pending.len());
                    pending.push(Pending {
                        posting,
                        escalation,
                        extra,
                    });
                }
            }
            Consequence::Outcome(outcome) => {
                for &person in at_fault {
                    let applies = match outcome.when {
                        None => true,
                        Some(OutcomeCondition::Flag { measure, expected }) => {
                            event.flag(measure) == expected
                        }
                        Some(OutcomeCondition::Ordinal(nth)) => nth.picks(occurrence(person)),
                    };
                    if !applies {
                        continue;
                    }
                    let approval = approval_of(outcome.kind, event);
                    outcomes.push((
                        person,
                        OutcomePosting {
                            line: event.line(),
                            source: Source::Rule(rule_index),
                            kind: outcome.kind,
                            approval,
                        },
                    ));
                }
            }
            Consequence::CountsAs(_) => {}
        }
    }
    Ok(())
}
