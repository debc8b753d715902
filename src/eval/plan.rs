//! The evaluation plan: what the compiled rulebook means for each event kind, worked out once
//! when an evaluator is built so that nothing is looked up by name per event.

use crate::money::Money;
use crate::rulebook::{
    Action, Amount, Condition, Consequence, Escalation, EscalationEffect, KindId, Level, MeasureId,
    OutcomeCondition, OutcomeKind, PeriodTest, Rulebook, Target,
};
use crate::vocab::{Direction, MeasureType, Period};

/// How many `counts as` steps an event may take before it is judged a loop.
pub(crate) const MAX_COUNTS_AS: usize = 8;

/// What an event of one kind needs and may trigger.
#[derive(Debug, Clone, Default)]
pub(crate) struct KindPlan {
    /// Indexes into the rulebook's rules, in file order.
    pub(crate) rules: Vec<u32>,
    /// The measures the kind's rules read (following `counts as`), with their types and
    /// whether a missing value is an error.
    pub(crate) reads: Vec<Read>,
    /// The `amount` the event must (or must not) supply.
    pub(crate) amount: AmountUse,
    /// Whether some rule charges or pays every person named (so `who` may be a list).
    pub(crate) collective: bool,
    /// The period-rule tracks this kind counts toward, each with its rule's period.
    pub(crate) tracks: Vec<(u16, Period)>,
    /// The kind's one rule, when it has one and that rule takes the fast path.
    pub(crate) single_fast: Option<u32>,
}

/// One measure a kind reads.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Read {
    pub(crate) measure: MeasureId,
    pub(crate) ty: MeasureType,
    pub(crate) required: bool,
}

/// Whether events of a kind supply an amount.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) enum AmountUse {
    /// The kind's rules say nothing about amounts (no consequence, or outcomes only).
    #[default]
    Unused,
    /// Every amount is fixed: an `amount` on the event is an error.
    Forbidden,
    /// Some rule takes the amount from the event, within these bounds (the widest over the
    /// kind's ranged rules).
    Required { low: Money, high: Money },
}

/// Per rule: which escalation (by index) counts its fines and its rewards, and whether it
/// needs a count of its own occurrences (ordinal amounts or outcomes).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct RulePlan {
    pub(crate) fine_escalation: Option<u16>,
    pub(crate) reward_escalation: Option<u16>,
    pub(crate) counts_occurrences: bool,
    /// For the commonest shape of rule — one fixed or ranged amount for the person at fault,
    /// outcomes at most, no counts — what the fast path needs.
    pub(crate) fast: Option<FastMoney>,
}

/// The one money consequence of a rule the fast path applies.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FastMoney {
    pub(crate) direction: Direction,
    pub(crate) unit: crate::vocab::Unit,
    /// The fixed amount, or `None` for an amount the event supplies within `low..=high`.
    pub(crate) fixed: Option<Money>,
    pub(crate) low: Money,
    pub(crate) high: Money,
    /// The measure of the rule's one comparison, if it has one (the value its reason shows).
    pub(crate) compared: Option<MeasureId>,
}

/// The fast-path shape of a rule, if it has it: at most one comparison, and one fixed or
/// ranged amount for the person at fault beside outcomes.
fn fast_money(rule: &crate::rulebook::Rule) -> Option<FastMoney> {
    let Action::Consequences(list) = &rule.action else {
        return None;
    };
    let mut compared = rule.conditions.iter().filter_map(|c| match c {
        Condition::Compare { measure, .. } => Some(*measure),
        Condition::Flag { .. } => None,
    });
    let first_compared = compared.next();
    if compared.next().is_some() {
        return None;
    }
    let mut fast = None;
    for consequence in list {
        match consequence {
            Consequence::Money {
                direction,
                amount,
                unit,
                target: Target::Actor,
            } if fast.is_none() => {
                let (fixed, low, high) = match amount {
                    Amount::Fixed(money) => (Some(*money), *money, *money),
                    Amount::Range { low, high } => (None, *low, *high),
                    _ => return None,
                };
                fast = Some(FastMoney {
                    direction: *direction,
                    unit: *unit,
                    fixed,
                    low,
                    high,
                    compared: first_compared,
                });
            }
            Consequence::Outcome(outcome)
                if !matches!(outcome.when, Some(OutcomeCondition::Ordinal(_))) => {}
            _ => return None,
        }
    }
    fast
}

impl RulePlan {
    pub(crate) fn escalation(&self, direction: Direction) -> Option<u16> {
        match direction {
            Direction::Fine => self.fine_escalation,
            Direction::Reward => self.reward_escalation,
        }
    }
}

/// No plan: the version has no rule about the kind.
const NO_PLAN: u32 = u32::MAX;

/// The plan for a whole rulebook.
#[derive(Debug, Clone, Default)]
pub(crate) struct Plan {
    /// The plans of the kinds each version has; for a rulebook of one version, of every kind,
    /// indexed by kind.
    kinds: Vec<KindPlan>,
    /// For each version, for each kind id: the index of its plan in `kinds`, or [`NO_PLAN`];
    /// empty for a rulebook of one version.
    kind_index: Vec<u32>,
    kind_count: usize,
    pub(crate) rules: Vec<RulePlan>,
    /// The measure a ranged rule reads its amount from.
    pub(crate) amount_measure: Option<MeasureId>,
    /// The per-person count slot of each escalation, rule and period rule (the same index
    /// for a rulebook of one version; shared by versions that count the same thing).
    escalation_slots: Vec<u16>,
    rule_slots: Vec<u32>,
    period_slots: Vec<u16>,
}

impl Plan {
    pub(crate) fn new(rulebook: &Rulebook) -> Plan {
        let kind_count = rulebook.kinds().count();
        let versions = rulebook.versions();
        let one_version = versions.len() == 1;
        let rules: Vec<RulePlan> = rulebook
            .rules()
            .iter()
            .enumerate()
            .map(|(index, rule)| {
                let index = index as u32;
                RulePlan {
                    fine_escalation: escalation_of(rulebook, index, Direction::Fine),
                    reward_escalation: escalation_of(rulebook, index, Direction::Reward),
                    fast: fast_money(rule),
                    counts_occurrences: rule.action.consequences().any(|c| match c {
                        Consequence::Money {
                            amount: Amount::Schedule(_),
                            ..
                        } => true,
                        Consequence::Outcome(o) => {
                            matches!(o.when, Some(OutcomeCondition::Ordinal(_)))
                        }
                        _ => false,
                    }),
                }
            })
            .collect();
        let amount_measure = rulebook.measure_id(crate::rulebook::AMOUNT_MEASURE);
        // Indexes fit in 16 bits: see `limits::MAX_PERIOD_RULES` and `MAX_VERSIONS`.
        let period_slots: Vec<u16> = rulebook.period_slots.iter().map(|s| *s as u16).collect();

        // One version at a time, a plan for each kind; only the kinds the version has are
        // kept, so that memory grows with the rules of each version, not with versions × kinds.
        let mut kinds = Vec::new();
        let mut kind_index = vec![NO_PLAN; kind_count * versions.len()];
        for (version, v) in versions.iter().enumerate() {
            let mut plans = vec![KindPlan::default(); kind_count];
            for index in v.rules.clone() {
                let Some(rule) = rulebook.rules().get(index) else {
                    continue;
                };
                if let Some(plan) = plans.get_mut(rule.kind.index()) {
                    plan.rules.push(index as u32);
                }
            }
            for plan in &mut plans {
                if let [only] = plan.rules.as_slice() {
                    let fast = rules
                        .get(*only as usize)
                        .is_some_and(|r: &RulePlan| r.fast.is_some());
                    plan.single_fast = fast.then_some(*only);
                }
            }
            for kind in 0..kind_count {
                let (reads, amount, collective) =
                    direct_needs(rulebook, &plans, kind, amount_measure);
                if let Some(plan) = plans.get_mut(kind) {
                    plan.reads = reads;
                    plan.amount = amount;
                    plan.collective = collective;
                }
            }
            for track in v.period_rules.clone() {
                let Some(rule) = rulebook.period_rules().get(track) else {
                    continue;
                };
                let counted: Vec<KindId> = match &rule.test {
                    PeriodTest::Absent { kinds, .. } => kinds.clone(),
                    PeriodTest::Count { kind, .. } => vec![*kind],
                };
                let slot = period_slots.get(track).copied().unwrap_or(u16::MAX);
                for kind in counted {
                    if let Some(plan) = plans.get_mut(kind.index()) {
                        plan.tracks.push((slot, rule.period));
                    }
                }
            }
            if versions.len() == 1 {
                // One version: a plan for every kind, indexed by kind, as the hot path likes.
                kinds = plans;
                kind_index = Vec::new();
                break;
            }
            for (kind, plan) in plans.into_iter().enumerate() {
                if plan.rules.is_empty() && plan.tracks.is_empty() {
                    continue;
                }
                if let (Some(slot), Ok(index)) = (
                    kind_index.get_mut(version * kind_count + kind),
                    u32::try_from(kinds.len()),
                ) {
                    *slot = index;
                    kinds.push(plan);
                }
            }
        }
        Plan {
            kinds,
            kind_index,
            kind_count,
            rules,
            amount_measure,
            // One version: every count has a slot of its own, its index; nothing to look up.
            escalation_slots: if one_version {
                Vec::new()
            } else {
                rulebook
                    .escalation_slots
                    .iter()
                    .map(|s| *s as u16)
                    .collect()
            },
            rule_slots: if one_version {
                Vec::new()
            } else {
                rulebook.rule_slots.clone()
            },
            period_slots,
        }
    }

    /// What events of `kind` need and trigger under `version`.
    #[inline(always)]
    pub(crate) fn kind(&self, version: u16, kind: KindId) -> Option<&KindPlan> {
        if self.kind_index.is_empty() {
            return self.kinds.get(kind.index());
        }
        let index = self
            .kind_index
            .get(usize::from(version) * self.kind_count + kind.index())?;
        self.kinds.get(*index as usize)
    }

    pub(crate) fn rule(&self, rule: u32) -> Option<&RulePlan> {
        self.rules.get(rule as usize)
    }

    /// The per-person escalation state an escalation keeps its count in.
    #[inline]
    pub(crate) fn escalation_slot(&self, escalation: u16) -> usize {
        if self.escalation_slots.is_empty() {
            return usize::from(escalation);
        }
        self.escalation_slots
            .get(usize::from(escalation))
            .map_or(usize::MAX, |s| usize::from(*s))
    }

    /// The occurrence count a rule keeps its occurrences in.
    pub(crate) fn rule_slot(&self, rule: u32) -> u32 {
        if self.rule_slots.is_empty() {
            return rule;
        }
        self.rule_slots.get(rule as usize).copied().unwrap_or(rule)
    }

    /// The track a period rule counts in.
    pub(crate) fn period_slot(&self, period_rule: usize) -> u16 {
        self.period_slots
            .get(period_rule)
            .copied()
            .unwrap_or(u16::MAX)
    }
}

/// The escalation (by index) that counts rule `rule`'s entries in `direction`: the first of
/// the rule's version that counts that direction in every section or in the rule's own.
pub(crate) fn escalation_of(rulebook: &Rulebook, rule: u32, direction: Direction) -> Option<u16> {
    let section = rulebook.rules().get(rule as usize)?.section;
    let range = rulebook
        .versions()
        .iter()
        .find(|v| v.rules.contains(&(rule as usize)))
        .map_or(0..rulebook.escalations().len(), |v| v.escalations.clone());
    let first = range.start;
    rulebook
        .escalations()
        .get(range)?
        .iter()
        .position(|e| {
            e.counts == direction
                && (e.sections.is_empty() || section.is_some_and(|s| e.sections.contains(&s)))
        })
        .map(|i| (first + i) as u16)
}

/// How many recent bases an escalation keeps: for "the heaviest of the last N", N − 1.
pub(crate) fn keep_for(escalation: &Escalation) -> usize {
    match escalation.effect {
        EscalationEffect::Multiply {
            level: Level::HeaviestOfLast(n),
            ..
        } => (n as usize).saturating_sub(1),
        _ => 0,
    }
}

/// The measures, amount and collectivity of one kind, following `counts as` links.
fn direct_needs(
    rulebook: &Rulebook,
    plans: &[KindPlan],
    kind: usize,
    amount_measure: Option<MeasureId>,
) -> (Vec<Read>, AmountUse, bool) {
    let mut reads: Vec<Read> = Vec::new();
    let mut amount = AmountUse::Unused;
    let mut collective = false;
    let mut visit = vec![kind];
    let mut seen = vec![kind];
    let add = |reads: &mut Vec<Read>, measure: MeasureId, required: bool| {
        let ty = rulebook.measure_type(measure);
        match reads.iter_mut().find(|r| r.measure == measure) {
            Some(read) => read.required |= required,
            None => reads.push(Read {
                measure,
                ty,
                required,
            }),
        }
    };
    while let Some(current) = visit.pop() {
        let Some(plan) = plans.get(current) else {
            continue;
        };
        for &rule_index in &plan.rules {
            let Some(rule) = rulebook.rules().get(rule_index as usize) else {
                continue;
            };
            for condition in &rule.conditions {
                match condition {
                    Condition::Compare { measure, .. } => add(&mut reads, *measure, true),
                    Condition::Flag { measure, .. } => add(&mut reads, *measure, false),
                }
            }
            if let Action::Banded { measure, .. } = &rule.action {
                add(&mut reads, *measure, true);
            }
            for consequence in rule.action.consequences() {
                match consequence {
                    Consequence::Money {
                        amount: a, target, ..
                    } => {
                        match a {
                            Amount::Range { low, high } => {
                                amount = match amount {
                                    AmountUse::Required { low: l, high: h } => {
                                        AmountUse::Required {
                                            low: l.min(*low),
                                            high: h.max(*high),
                                        }
                                    }
                                    _ => AmountUse::Required {
                                        low: *low,
                                        high: *high,
                                    },
                                };
                            }
                            Amount::PerUnit { measure, .. } => add(&mut reads, *measure, true),
                            Amount::Percent { of, .. } => add(&mut reads, *of, true),
                            _ => {
                                if amount == AmountUse::Unused {
                                    amount = AmountUse::Forbidden;
                                }
                            }
                        }
                        match target {
                            Target::EveryPersonNamed => collective = true,
                            Target::Related(role) => add(&mut reads, *role, true),
                            _ => {}
                        }
                    }
                    Consequence::Outcome(outcome) => {
                        if let Some(OutcomeCondition::Flag { measure, .. }) = outcome.when {
                            add(&mut reads, measure, false);
                        }
                        if let OutcomeKind::Promotion {
                            approval: Some(flag),
                            ..
                        } = outcome.kind
                        {
                            add(&mut reads, flag, false);
                        }
                    }
                    Consequence::CountsAs(other) => {
                        if !seen.contains(&other.index()) {
                            seen.push(other.index());
                            visit.push(other.index());
                        }
                    }
                }
            }
        }
    }
    // A ranged amount is read as a measure too, so that a condition may test it.
    if let (AmountUse::Required { .. }, Some(measure)) = (amount, amount_measure) {
        reads.retain(|r| r.measure != measure);
    }
    (reads, amount, collective)
}
