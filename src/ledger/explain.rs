//! Reasons in words. While folding, the evaluator records on each posting the ids and numbers
//! its reason needs (the values, the count, the escalation and the line whose base it
//! multiplied); when a ledger is reported, this puts them into the words a manager reads: the rule's subject, the condition
//! that held with the event's value, the range or band, and for an escalated or doubled entry
//! its count in the window, the earlier entries that made it so and the base it multiplies.

use std::fmt::Write as _;

use super::record::{Extra, Failed, IgnoreWhy, PersonId, Posting, Shown, Source};
use crate::money::Money;
use crate::rulebook::{
    Action, Amount, Condition, Consequence, EscalationEffect, KindId, Level, PeriodTest, Rulebook,
    Target,
};
use crate::vocab::{Comparison, Direction};
use crate::vocab::{comparison_words, interval_words, ordinal_suffix};

/// What the ledger's replay of an escalation found for one posting: the earlier entries
/// counted in the window and the one whose base was multiplied, when the ledger holds them.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Replayed {
    pub(crate) earlier: Vec<u64>,
    pub(crate) level_line: Option<u64>,
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
    extra: Option<&Extra>,
    replayed: Option<&Replayed>,
    name_of: &dyn Fn(PersonId) -> String,
) -> String {
    match posting.source() {
        Source::Period(index) => period_why(rulebook, index, extra),
        Source::Rule(index) => {
            let mut text = String::new();
            let Some(rule) = rulebook.rules().get(index as usize) else {
                return text;
            };
            match extra.and_then(|e| e.kind) {
                Some(kind) => {
                    let _ = write!(
                        text,
                        "{} (counts as {})",
                        rulebook.kind_name(kind),
                        rulebook.kind_name(rule.kind)
                    );
                }
                None => text.push_str(rulebook.kind_name(rule.kind)),
            }
            let mut details: Vec<String> = Vec::new();
            let mut values = [posting.value(extra), extra.and_then(|e| e.second_value)].into_iter();
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
            let detail_value = extra.and_then(|e| e.detail_value);
            let band_value = extra.and_then(|e| e.band_value);
            // The consequences the posting's rule (or its band) had, and the one that made
            // the posting: recorded when there were several, else the one in its direction.
            let list = match &rule.action {
                Action::Banded { measure, bands } => {
                    let band = band_value.and_then(|v| bands.iter().find(|b| b.range.contains(v)));
                    if let (Some(value), Some(band)) = (band_value, band) {
                        details.push(format!(
                            "{} {value}, {}",
                            rulebook.measure_name(*measure),
                            interval_words(&band.range)
                        ));
                    }
                    band.map_or(&[][..], |b| b.consequences.as_slice())
                }
                Action::Consequences(list) => list.as_slice(),
                Action::Recorded => &[][..],
            };
            let consequence = match extra.and_then(|e| e.consequence) {
                Some(index) => list.get(usize::from(index)),
                None => list.iter().find(|c| {
                    matches!(c, Consequence::Money { direction, .. } if *direction == posting.direction())
                }),
            };
            let (amount, target) = match consequence {
                Some(Consequence::Money { amount, target, .. }) => (Some(amount), Some(target)),
                _ => (None, None),
            };
            match amount {
                Some(Amount::Range { low, high }) => {
                    details.push(format!("amount {} in {low}..={high}", posting.base));
                }
                Some(Amount::PerUnit {
                    rate,
                    measure,
                    beyond,
                }) => {
                    if let Some(value) = detail_value {
                        details.push(format!(
                            "{} {value}: {} beyond {beyond} at {rate} each",
                            rulebook.measure_name(*measure),
                            value - *beyond
                        ));
                    }
                }
                Some(Amount::Percent { percent, of }) => {
                    if let Some(value) = detail_value {
                        details.push(format!(
                            "{percent}% of {} {value}",
                            rulebook.measure_name(*of)
                        ));
                    }
                }
                Some(Amount::Schedule(_)) => {
                    if let Some(count) = extra.and_then(|e| e.occurrence) {
                        let month = posting
                            .stamp(extra, rulebook.header().time_zone)
                            .map(|stamp| stamp.month().to_string())
                            .unwrap_or_default();
                        details.push(format!("the {} time in {month}", ordinal(count)));
                    }
                }
                _ => {}
            }
            if let (Some(person), Some(Target::Related(role))) =
                (extra.and_then(|e| e.on_behalf), target)
            {
                details.push(format!(
                    "as the {} of \"{}\"",
                    rulebook.measure_name(*role),
                    name_of(person)
                ));
            }
            if !details.is_empty() {
                let _ = write!(text, ": {}", details.join(", "));
            }
            if posting.escalated != 0 {
                escalation_why(&mut text, rulebook, posting, replayed);
            }
            text
        }
    }
}

fn period_why(rulebook: &Rulebook, index: u32, extra: Option<&Extra>) -> String {
    let mut text = String::new();
    let (Some(rule), Some((window, count, run))) = (
        rulebook.period_rules().get(index as usize),
        extra.and_then(|e| e.period),
    ) else {
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

/// The escalation that counted the posting and changed its amount.
fn escalation_why(
    text: &mut String,
    rulebook: &Rulebook,
    posting: &Posting,
    replayed: Option<&Replayed>,
) {
    let Some(declaration) = posting
        .counted_by
        .checked_sub(1)
        .and_then(|index| rulebook.escalations().get(usize::from(index)))
    else {
        return;
    };
    let entry = match declaration.counts {
        Direction::Fine => "fine",
        Direction::Reward => "reward",
    };
    let count = u64::from(posting.escalated);
    let window = posting
        .stamp(None, rulebook.header().time_zone)
        .map(|stamp| {
            stamp
                .month()
                .window(declaration.window)
                .name(declaration.window)
        })
        .unwrap_or_default();
    let _ = write!(text, "; {} {entry} in {window}", ordinal(count));
    let earlier = count.saturating_sub(1);
    let lines: Vec<String> = replayed
        .map(|r| r.earlier.iter().map(u64::to_string).collect())
        .unwrap_or_default();
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
            let level_money =
                Money::from_minor(posting.amount.minor_units() / i64::from((*factor).max(1)));
            let _ = write!(
                text,
                "{verb} by {}: {factor} × {level_money}",
                declaration.label
            );
            let heaviest = match declaration.counts {
                Direction::Fine => "heaviest",
                Direction::Reward => "highest",
            };
            match level {
                Level::HeaviestSoFar => {
                    let _ = write!(text, ", the {heaviest} base so far");
                }
                Level::HeaviestOfLast(n) => {
                    let _ = write!(text, ", the {heaviest} base of the last {n}");
                }
                Level::OwnBase => text.push_str(", its own base"),
            }
            let level_line = replayed.and_then(|r| r.level_line);
            if let Some(line) = level_line.filter(|l| Some(*l) != posting.line()) {
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
        IgnoreWhy::Unmet { failed, others } => unmet_conditions(rulebook, failed, *others),
        IgnoreWhy::Recorded => format!("{kind}: no consequence of its own"),
        IgnoreWhy::NoBand { value } => format!("{kind}: {value} falls in no band"),
        IgnoreWhy::NothingApplies => format!("{kind}: none of the rule's consequences applies"),
    }
}

/// Why no rule's conditions held: for each rule, its first condition that did not hold and
/// the event's value there (`rings 2 is not over 3`, `severe is not set`).
fn unmet_conditions(rulebook: &Rulebook, failed: &[Option<Failed>], others: u32) -> String {
    let mut reasons: Vec<String> = Vec::new();
    for failed in failed.iter().flatten() {
        let condition = rulebook
            .rules()
            .get(failed.rule as usize)
            .and_then(|rule| rule.conditions.get(usize::from(failed.condition)));
        let reason = match (condition, failed.shown) {
            (
                Some(Condition::Compare {
                    measure,
                    op,
                    value: threshold,
                }),
                shown,
            ) => {
                let given = match shown {
                    Some(Shown::Number(n)) => n.to_string(),
                    _ => "missing".to_owned(),
                };
                format!(
                    "{} {given} {} {threshold}",
                    rulebook.measure_name(*measure),
                    unmet(*op)
                )
            }
            (Some(Condition::Flag { measure, expected }), _) => {
                let name = rulebook.measure_name(*measure);
                if *expected {
                    format!("{name} is not set")
                } else {
                    format!("{name} is set")
                }
            }
            (None, _) => continue,
        };
        if !reasons.contains(&reason) {
            reasons.push(reason);
        }
    }
    let mut text = reasons.join("; ");
    if others > 0 {
        let rules = if others == 1 { "rule" } else { "rules" };
        let _ = write!(text, "; nor did the conditions of {others} more {rules}");
    }
    text
}

/// The comparison words of an unmet threshold: `rings 2 is not over 3`.
fn unmet(op: Comparison) -> &'static str {
    match op {
        Comparison::Gt => "is not over",
        Comparison::Ge => "is under",
        Comparison::Lt => "is not under",
        Comparison::Le => "is over",
        Comparison::Eq => "is not",
    }
}
