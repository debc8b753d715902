//! Reasons: kept compact while folding (ids and numbers, no text), put into words a manager
//! reads when a ledger is reported.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::state::EARLIER_NAMED;
use super::{PersonId, Posting, Source};
use crate::calendar::Window;
use crate::money::Money;
use crate::print::{comparison_words, interval_words};
use crate::rulebook::{
    Action, Amount, Condition, Consequence, Direction, EscalationEffect, KindId, Level, MeasureId,
    PeriodTest, Rulebook, Target,
};
use crate::syntax::ordinal_suffix;

/// Why a posting came out as it did, in compact form.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Why {
    /// The event's kind as given.
    pub(crate) kind: KindId,
    /// The kind it counted as, if a `counts as` rule sent it on.
    pub(crate) via: Option<KindId>,
    /// The event's values of the rule's first two compared measures.
    pub(crate) values: [Option<Decimal>; 2],
    pub(crate) detail: Detail,
    pub(crate) escalation: Option<EscalationWhy>,
    /// For a posting to a related person, the person at fault.
    pub(crate) on_behalf: Option<PersonId>,
}

/// What decided the base.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Detail {
    /// The rule's fixed amount.
    Plain,
    /// The event's amount, within the rule's range.
    Range(Money),
    /// The measure's value, in one band.
    Band(Decimal),
    /// The measure's value, charged per unit.
    PerUnit(Decimal),
    /// The measure's value a percentage is taken of.
    Percent(Decimal),
    /// How many times the rule applied to the person this month, this one included.
    Schedule(u64),
    /// A period rule: its window, the events counted, and the run of windows it has held.
    Period {
        window: Window,
        count: u64,
        run: u64,
    },
}

/// Why an entry was escalated or doubled.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct EscalationWhy {
    /// The escalation declaration, by index.
    pub(crate) escalation: u16,
    /// The entry's count in the window.
    pub(crate) count: u64,
    /// The base the effect multiplies, and the line of the entry it came from.
    pub(crate) level: Money,
    pub(crate) level_line: Option<u64>,
    /// The lines of the first earlier entries counted in the window (`earlier_named` of them).
    pub(crate) earlier: [u64; EARLIER_NAMED],
    pub(crate) earlier_named: u8,
}

/// Why a valid line had no consequence.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum IgnoreWhy {
    /// No rule's conditions held for the kind: which failed, with the event's values.
    Unmet(String),
    /// The kind is recorded without consequence of its own.
    Recorded,
    /// The measure fell in no band.
    NoBand { value: Decimal },
    /// The rule applied, but none of its consequences did (a conditional outcome, nothing
    /// beyond a free allowance).
    NothingApplies,
}

/// An ordinal in words: `3rd`.
fn ordinal(n: u64) -> String {
    let suffix = ordinal_suffix(u32::try_from(n % 100 + 100).unwrap_or(100));
    format!("{n}{suffix}")
}

/// The reason for a posting, in words.
pub(crate) fn posting_why(
    rulebook: &Rulebook,
    posting: &Posting,
    name_of: &dyn Fn(PersonId) -> String,
) -> String {
    let why = &posting.why;
    let mut text = String::new();
    match posting.source {
        Source::Period(index) => {
            let Some(rule) = rulebook.period_rules().get(index as usize) else {
                return text;
            };
            let Detail::Period { window, count, run } = why.detail else {
                return text;
            };
            let window_name = window.name(rule.period);
            match &rule.test {
                PeriodTest::Absent { group, kinds } => {
                    let what = match group {
                        Some(group) => group.clone(),
                        None => kind_list(rulebook, kinds),
                    };
                    let _ = write!(text, "no {what} in {window_name}");
                }
                PeriodTest::Count { op, count: n, kind } => {
                    let _ = write!(
                        text,
                        "{count} {} in {window_name}, {} {n}",
                        rulebook.kind_name(*kind),
                        comparison_words(*op)
                    );
                }
            }
            if rule.streak > 1 {
                let _ = write!(text, " ({run} {}s in a row)", rule.period.word());
            }
            text
        }
        Source::Rule(index) => {
            let Some(rule) = rulebook.rules().get(index as usize) else {
                return text;
            };
            text.push_str(rulebook.kind_name(why.kind));
            if let Some(via) = why.via {
                let _ = write!(text, " (counts as {})", rulebook.kind_name(via));
            }
            let mut details: Vec<String> = Vec::new();
            let mut values = why.values.iter();
            for condition in &rule.conditions {
                match condition {
                    Condition::Compare { measure, op, value } => {
                        if let Some(Some(given)) = values.next() {
                            details.push(format!(
                                "{} {given} {} {value}",
                                rulebook.measure_name(*measure),
                                op.symbol()
                            ));
                        }
                    }
                    Condition::Flag { measure, expected } => details.push(if *expected {
                        rulebook.measure_name(*measure).to_owned()
                    } else {
                        format!("not {}", rulebook.measure_name(*measure))
                    }),
                }
            }
            let money_amount = money_consequence(&rule.action, posting.direction);
            match why.detail {
                Detail::Range(amount) => {
                    if let Some(Amount::Range { low, high }) = money_amount {
                        details.push(format!("amount {amount} in {low}..={high}"));
                    }
                }
                Detail::Band(value) => {
                    if let Action::Banded { measure, bands } = &rule.action {
                        let band = bands.iter().find(|b| b.range.contains(value));
                        details.push(format!(
                            "{} {value}, {}",
                            rulebook.measure_name(*measure),
                            band.map_or_else(String::new, |b| interval_words(&b.range))
                        ));
                    }
                }
                Detail::PerUnit(value) => {
                    if let Some(Amount::PerUnit {
                        rate,
                        measure,
                        beyond,
                    }) = money_amount
                    {
                        details.push(format!(
                            "{} {value}: {} beyond {beyond} at {rate} each",
                            rulebook.measure_name(*measure),
                            value - *beyond
                        ));
                    }
                }
                Detail::Percent(value) => {
                    if let Some(Amount::Percent { percent, of }) = money_amount {
                        details.push(format!(
                            "{percent}% of {} {value}",
                            rulebook.measure_name(*of)
                        ));
                    }
                }
                Detail::Schedule(count) => {
                    details.push(format!(
                        "the {} time in {}",
                        ordinal(count),
                        posting.at.month()
                    ));
                }
                Detail::Plain | Detail::Period { .. } => {}
            }
            if let Some(person) = why.on_behalf {
                let role = related_role(rulebook, &rule.action).unwrap_or("relation");
                details.push(format!("as the {role} of \"{}\"", name_of(person)));
            }
            if !details.is_empty() {
                let _ = write!(text, ": {}", details.join(", "));
            }
            if let Some(escalation) = &why.escalation {
                escalation_why(&mut text, rulebook, posting, escalation);
            }
            text
        }
    }
}

fn escalation_why(text: &mut String, rulebook: &Rulebook, posting: &Posting, why: &EscalationWhy) {
    let Some(declaration) = rulebook.escalations().get(why.escalation as usize) else {
        return;
    };
    let entry = match declaration.counts {
        Direction::Fine => "fine",
        Direction::Reward => "reward",
    };
    let window = posting
        .at
        .month()
        .window(declaration.window)
        .name(declaration.window);
    let _ = write!(text, "; {} {entry} in {window}", ordinal(why.count));
    let named = why
        .earlier
        .get(..usize::from(why.earlier_named))
        .unwrap_or(&[]);
    let lines: Vec<String> = named.iter().map(u64::to_string).collect();
    let earlier = why.count.saturating_sub(1);
    match lines.as_slice() {
        [] => {}
        [one] if earlier == 1 => {
            let _ = write!(text, " (after line {one})");
        }
        [init @ .., last] if earlier == lines.len() as u64 => {
            let _ = write!(text, " (after lines {} and {last})", init.join(", "));
        }
        [init @ .., last] => {
            let _ = write!(
                text,
                " (after {earlier} earlier {entry}s, the first on lines {} and {last})",
                init.join(", ")
            );
        }
    }
    text.push_str(", ");
    match &declaration.effect {
        EscalationEffect::Multiply { factor, level } => {
            let verb = match factor {
                2 => "doubled".to_owned(),
                3 => "tripled".to_owned(),
                n => format!("multiplied by {n}"),
            };
            let _ = write!(
                text,
                "{verb} by {}: {factor} × {}",
                declaration.label, why.level
            );
            let heaviest = match declaration.counts {
                Direction::Fine => "heaviest",
                Direction::Reward => "highest",
            };
            let level_words = match level {
                Level::HeaviestSoFar => format!(", the {heaviest} base so far"),
                Level::HeaviestOfLast(n) => format!(", the {heaviest} base of the last {n}"),
                _ => ", its own base".to_owned(),
            };
            text.push_str(&level_words);
            if let Some(line) = why.level_line.filter(|_| why.level_line != posting.line) {
                let _ = write!(text, " (line {line})");
            }
        }
        EscalationEffect::Surcharge(extra) => {
            let _ = write!(
                text,
                "surcharged by {}: {} + {extra}",
                declaration.label, posting.base
            );
        }
    }
}

/// The amount of the rule's money consequence in `direction`.
fn money_consequence(action: &Action, direction: Direction) -> Option<&Amount> {
    super::plan::consequences_of(action).find_map(|c| match c {
        Consequence::Money {
            direction: d,
            amount,
            ..
        } if *d == direction => Some(amount),
        _ => None,
    })
}

fn related_role<'r>(rulebook: &'r Rulebook, action: &Action) -> Option<&'r str> {
    super::plan::consequences_of(action).find_map(|c| match c {
        Consequence::Money {
            target: Target::Related(role),
            ..
        } => Some(rulebook.measure_name(*role)),
        _ => None,
    })
}

fn kind_list(rulebook: &Rulebook, kinds: &[KindId]) -> String {
    let names: Vec<&str> = kinds.iter().map(|k| rulebook.kind_name(*k)).collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// The reason a line was ignored, in words.
pub(crate) fn ignored_why(rulebook: &Rulebook, rule: u32, why: &IgnoreWhy) -> String {
    let kind = rulebook
        .rules()
        .get(rule as usize)
        .map_or("", |r| rulebook.kind_name(r.kind));
    match why {
        IgnoreWhy::Unmet(text) => text.clone(),
        IgnoreWhy::Recorded => format!("{kind}: no consequence of its own"),
        IgnoreWhy::NoBand { value } => format!("{kind}: {value} falls in no band"),
        IgnoreWhy::NothingApplies => format!("{kind}: none of the rule's consequences applies"),
    }
}

/// Why no rule's conditions held, given the event's values: `rings 2 is not over 3`.
pub(crate) fn unmet_conditions(
    rulebook: &Rulebook,
    rules: &[u32],
    value: &dyn Fn(MeasureId) -> Option<String>,
) -> String {
    let mut reasons: Vec<String> = Vec::new();
    for &index in rules {
        let Some(rule) = rulebook.rules().get(index as usize) else {
            continue;
        };
        for condition in &rule.conditions {
            let reason = match condition {
                Condition::Compare {
                    measure,
                    op,
                    value: threshold,
                } => {
                    let given = value(*measure).unwrap_or_else(|| "missing".to_owned());
                    let text = format!(
                        "{} {given} {} {threshold}",
                        rulebook.measure_name(*measure),
                        super::unmet(*op)
                    );
                    let held = value(*measure)
                        .and_then(|v| v.parse::<Decimal>().ok())
                        .is_some_and(|v| op.holds(v, *threshold));
                    (!held).then_some(text)
                }
                Condition::Flag { measure, expected } => {
                    let set = value(*measure).is_some_and(|v| v == "true");
                    (set != *expected).then(|| {
                        let name = rulebook.measure_name(*measure);
                        if *expected {
                            format!("{name} is not set")
                        } else {
                            format!("{name} is set")
                        }
                    })
                }
            };
            if let Some(reason) = reason {
                if !reasons.contains(&reason) {
                    reasons.push(reason);
                }
                break;
            }
        }
    }
    reasons.join("; ")
}
