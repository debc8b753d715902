//! The canonical printer: a syntax tree → rule-file text that parses back to an equal tree.
//!
//! One construct per line, header first, a blank line before each section, single spaces,
//! comments dropped. Event kinds are quoted only where the plain words would not read back
//! as the same kind.

use std::fmt::{self, Display, Formatter, Write as _};

use pest::Parser as _;

use crate::ast::{
    Amount, BandRange, Condition, Consequence, Document, EscalationEffect, HeaderValue, Item,
    Level, OutcomeWhen, PeriodTest, Phrasing, Rule, RuleBody, Target,
};
use crate::syntax::{RuleParser, SyntaxRule};
use crate::vocab::{Direction, Nth, Unit, comparison_words, ordinal_suffix};

/// Prints a document in canonical form.
pub(crate) struct Printer<'a>(pub(crate) &'a Document);

impl Display for Printer<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        for field in &self.0.header {
            let key = field.key.value.words();
            match &field.value {
                HeaderValue::Text(text) if text.value.is_empty() => writeln!(f, "{key}:")?,
                HeaderValue::Text(text) => writeln!(f, "{key}: {}", text.value)?,
                HeaderValue::Date(date) | HeaderValue::Word(date) => {
                    writeln!(f, "{key}: {}", date.value)?;
                }
                HeaderValue::Dates(dates) => {
                    let list: Vec<&str> = dates.iter().map(|d| d.value.as_str()).collect();
                    let versions = if list.len() == 1 {
                        "version"
                    } else {
                        "versions"
                    };
                    writeln!(f, "{key}: the {versions} of {}", list.join(", "))?;
                }
            }
        }
        for item in &self.0.items {
            match item {
                Item::Section(section) => {
                    writeln!(f)?;
                    if section.title.is_empty() {
                        writeln!(f, "section {}:", section.number.value)?;
                    } else {
                        writeln!(f, "section {}: {}", section.number.value, section.title)?;
                    }
                }
                Item::Measure(measure) => {
                    write!(f, "measure {}", measure.name.value)?;
                    if let Some(event_name) = &measure.event_name {
                        write!(f, " ({})", event_name.value)?;
                    }
                    writeln!(f, ": {}", measure.kind.words())?;
                }
                Item::Kind(kind) => {
                    writeln!(
                        f,
                        "event {} ({})",
                        Kind(&kind.name.value, false),
                        kind.event_name.value
                    )?;
                }
                Item::Rule(rule) => {
                    write_rule(f, rule)?;
                    writeln!(f)?;
                }
            }
        }
        Ok(())
    }
}

fn write_rule(f: &mut Formatter<'_>, rule: &Rule) -> fmt::Result {
    write!(f, "{} ", rule.label.value)?;
    match &rule.body {
        RuleBody::Occurrence {
            kind,
            conditions,
            consequences,
        } => {
            write!(f, "{}", Kind(&kind.value, false))?;
            for (i, condition) in conditions.iter().enumerate() {
                f.write_str(if i == 0 { " " } else { " and " })?;
                write_condition(f, condition)?;
            }
            write!(f, ": {}", Consequences(consequences))
        }
        RuleBody::Banded {
            kind,
            measure,
            bands,
        } => {
            write!(f, "{}, by {}:", Kind(&kind.value, false), measure.value)?;
            for band in bands {
                f.write_str("\n  - ")?;
                match &band.range {
                    BandRange::Between(low, high) => write!(f, "{} to {}", low.value, high.value)?,
                    BandRange::Compare(op, value) => {
                        write!(f, "{} {}", comparison_words(*op), value.value)?;
                    }
                }
                write!(f, ": {}", Consequences(&band.consequences))?;
            }
            Ok(())
        }
        RuleBody::Recorded { kinds } => {
            let names: Vec<&str> = kinds.iter().map(|k| k.value.as_str()).collect();
            write!(f, "{}: no consequence", KindList(&names))
        }
        RuleBody::Period {
            period,
            test,
            streak,
            consequences,
        } => {
            write!(f, "each {}, every person on the roster ", period.word())?;
            match test {
                PeriodTest::Absent { group, kinds } => {
                    let names: Vec<&str> = kinds.iter().map(|k| k.value.as_str()).collect();
                    match group {
                        Some(group) => write!(
                            f,
                            "with no {} ({})",
                            Kind(&group.value, true),
                            KindList(&names)
                        )?,
                        None => write!(f, "with no {}", KindList(&names))?,
                    }
                }
                PeriodTest::Count { op, count, kind } => write!(
                    f,
                    "with {} {} {}",
                    comparison_words(*op),
                    count.value,
                    Kind(&kind.value, true)
                )?,
            }
            if let Some(streak) = streak {
                write!(f, " for {} {}s in a row", streak.value, period.word())?;
            }
            write!(f, ": {}", Consequences(consequences))
        }
        RuleBody::Escalation {
            window,
            nth,
            counts,
            sections,
            effect,
        } => {
            write!(f, "in the same {}, ", window.word())?;
            let entry = match counts {
                Direction::Fine => "fine",
                Direction::Reward => "reward",
            };
            let mut counted = entry.to_owned();
            if let [first, rest @ ..] = sections.as_slice() {
                if rest.is_empty() {
                    let _ = write!(counted, " in section {}", first.value);
                } else {
                    let numbers: Vec<String> =
                        sections.iter().map(|s| s.value.to_string()).collect();
                    let _ = write!(counted, " in sections {}", numbers.join(", "));
                }
            }
            match nth.value {
                Nth::Only(n) => write!(f, "only the {} {counted}", Ordinal(n))?,
                Nth::From(n) => write!(f, "from the {} {counted} on", Ordinal(n))?,
                Nth::Every(n) => write!(f, "every {} {counted}", Ordinal(n))?,
            }
            f.write_str(": ")?;
            match effect {
                EscalationEffect::Multiply { factor, level } => {
                    write!(f, "{} times ", factor.value)?;
                    let heaviest = match counts {
                        Direction::Fine => "the heaviest base",
                        Direction::Reward => "the highest base",
                    };
                    match level {
                        Level::HeaviestSoFar => write!(f, "{heaviest} so far"),
                        Level::HeaviestOfLast(n) => write!(f, "{heaviest} of the last {}", n.value),
                        Level::OwnBase => f.write_str("its own base"),
                    }
                }
                EscalationEffect::Surcharge { amount, unit } => {
                    write!(f, "an extra {}{}", amount.value, UnitWord(*unit))
                }
            }
        }
    }
}

fn write_condition(f: &mut Formatter<'_>, condition: &Condition) -> fmt::Result {
    match condition {
        Condition::Compare {
            measure,
            op,
            value,
            phrasing: Phrasing::CountFirst,
        } => write!(
            f,
            "with {} {} {}",
            comparison_words(*op),
            value.value,
            measure.value
        ),
        Condition::Compare {
            measure,
            op,
            value,
            phrasing: Phrasing::MeasureFirst,
        } => write!(
            f,
            "with {} {} of {} {}",
            article(&measure.value),
            measure.value,
            comparison_words(*op),
            value.value
        ),
        Condition::Flag { measure, expected } => write_flag(f, &measure.value, *expected),
    }
}

fn write_flag(f: &mut Formatter<'_>, measure: &str, expected: bool) -> fmt::Result {
    if expected {
        write!(f, "when {measure}")
    } else {
        write!(f, "when not {measure}")
    }
}

/// `a` or `an`, by the measure's first letter.
fn article(word: &str) -> &'static str {
    match word.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u' | 'A' | 'E' | 'I' | 'O' | 'U') => "an",
        _ => "a",
    }
}

/// Consequences joined by `, and `.
struct Consequences<'a>(&'a [Consequence]);

impl Display for Consequences<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        for (i, consequence) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", and ")?;
            }
            write_consequence(f, consequence)?;
        }
        Ok(())
    }
}

fn write_consequence(f: &mut Formatter<'_>, consequence: &Consequence) -> fmt::Result {
    match consequence {
        Consequence::Money {
            direction,
            amount,
            target,
            ..
        } => {
            f.write_str(match direction {
                Direction::Fine => "fine ",
                Direction::Reward => "reward ",
            })?;
            write_amount(f, amount)?;
            match target {
                Target::Actor => Ok(()),
                Target::EveryPersonNamed => f.write_str(" for every person named"),
                Target::Related(role) => write!(f, " for their {}", role.value),
            }
        }
        Consequence::Dismissal { when, .. } => {
            f.write_str("dismissal")?;
            write_outcome_when(f, when.as_ref())
        }
        Consequence::Remedy { when, .. } => {
            f.write_str("ordered to remedy")?;
            write_outcome_when(f, when.as_ref())
        }
        Consequence::Promotion {
            grades,
            when,
            approval,
            ..
        } => {
            let grade = if grades.value == 1 { "grade" } else { "grades" };
            write!(f, "promotion by {} {grade}", grades.value)?;
            write_outcome_when(f, when.as_ref())?;
            if *approval {
                f.write_str(", subject to approval")?;
            }
            Ok(())
        }
        Consequence::CountsAs { kind, .. } => write!(f, "counts as {}", Kind(&kind.value, false)),
    }
}

fn write_outcome_when(f: &mut Formatter<'_>, when: Option<&OutcomeWhen>) -> fmt::Result {
    match when {
        None => Ok(()),
        Some(OutcomeWhen::Flag { measure, expected }) => {
            f.write_str(" ")?;
            write_flag(f, &measure.value, *expected)
        }
        Some(OutcomeWhen::Ordinal(nth)) => write!(f, " {}", NthTime(nth.value)),
    }
}

fn write_amount(f: &mut Formatter<'_>, amount: &Amount) -> fmt::Result {
    match amount {
        Amount::Fixed { value, unit } => write!(f, "{}{}", value.value, UnitWord(*unit)),
        Amount::Range { low, high, unit } => {
            write!(f, "{} to {}{}", low.value, high.value, UnitWord(*unit))
        }
        Amount::PerUnit {
            rate,
            unit,
            measure,
            beyond,
        } => {
            write!(f, "{}{} per {}", rate.value, UnitWord(*unit), measure.value)?;
            match beyond {
                Some(beyond) => write!(f, " beyond {}", beyond.value),
                None => Ok(()),
            }
        }
        Amount::Percent { percent, of } => write!(f, "{}% of {}", percent.value, of.value),
        Amount::Schedule(steps) => {
            for (i, step) in steps.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(
                    f,
                    "{}{} {}",
                    step.value.value,
                    UnitWord(step.unit),
                    NthTime(step.nth.value)
                )?;
            }
            Ok(())
        }
    }
}

struct UnitWord(Unit);

impl Display for UnitWord {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self.0 {
            Unit::Currency => Ok(()),
            Unit::Points => f.write_str(" points"),
        }
    }
}

struct Ordinal(u32);

impl Display for Ordinal {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.0, ordinal_suffix(self.0))
    }
}

/// `the 3rd time`, `from the 3rd time on`.
struct NthTime(Nth);

impl Display for NthTime {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self.0 {
            Nth::From(n) => write!(f, "from the {} time on", Ordinal(n)),
            Nth::Only(n) | Nth::Every(n) => write!(f, "the {} time", Ordinal(n)),
        }
    }
}

/// An event kind, plain when its words read back as the same kind, else quoted. `in_list`
/// means the kind stands where `or`, `and` and `for` end it.
struct Kind<'a>(&'a str, bool);

impl Display for Kind<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let Kind(name, in_list) = *self;
        let rule = if in_list {
            SyntaxRule::list_kind
        } else {
            SyntaxRule::kind
        };
        let plain = RuleParser::parse(rule, name)
            .ok()
            .and_then(|mut pairs| pairs.next())
            .is_some_and(|pair| {
                pair.as_str().len() == name.len()
                    && pair
                        .into_inner()
                        .next()
                        .is_some_and(|inner| inner.as_rule() != SyntaxRule::quoted)
                    && name.split_whitespace().collect::<Vec<_>>().join(" ") == name
            });
        if plain {
            f.write_str(name)
        } else {
            write!(f, "\"{name}\"")
        }
    }
}

/// `a, b or c`, each kind plain or quoted as a list needs.
struct KindList<'a>(&'a [&'a str]);

impl Display for KindList<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let last = self.0.len().saturating_sub(1);
        for (i, name) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(if i == last { " or " } else { ", " })?;
            }
            write!(f, "{}", Kind(name, true))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
