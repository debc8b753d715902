//! A rulebook as the generator describes it — the model reads this, never the crate's compiled
//! `Rulebook` — and a small printer that writes it as rule text for the crate to parse.

use std::fmt::Write as _;

use chrono::NaiveDate;
use rust_decimal::Decimal;

/// An index into [`Book::kinds`].
pub type Kind = usize;
/// An index into [`Book::measures`].
pub type M = usize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    Whole,
    Number,
    Flag,
    Text,
}

#[derive(Debug, Clone)]
pub struct Measure {
    pub name: &'static str,
    pub ty: Ty,
    /// Written as `measure NAME: TYPE` (a whole number always is).
    pub declared: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Gt,
    Ge,
    Lt,
    Le,
    Eq,
}

impl Op {
    pub fn holds(self, left: Decimal, right: Decimal) -> bool {
        match self {
            Op::Gt => left > right,
            Op::Ge => left >= right,
            Op::Lt => left < right,
            Op::Le => left <= right,
            Op::Eq => left == right,
        }
    }

    /// Every way a rule file may write the comparison.
    fn words(self) -> &'static [&'static str] {
        match self {
            Op::Gt => &["more than", "over", "above"],
            Op::Ge => &["at least"],
            Op::Lt => &["less than", "fewer than", "under", "below"],
            Op::Le => &["at most"],
            Op::Eq => &["exactly"],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nth {
    Only(u32),
    From(u32),
    Every(u32),
}

impl Nth {
    pub fn picks(self, count: u64) -> bool {
        match self {
            Nth::Only(n) => count == u64::from(n),
            Nth::From(n) => count >= u64::from(n),
            Nth::Every(n) => count.is_multiple_of(u64::from(n)),
        }
    }
}

#[derive(Debug, Clone)]
pub enum Cond {
    /// `with more than 3 rings` (`measure_first`: `with a rings of more than 3`); `word`
    /// picks one of the comparison's synonyms.
    Compare {
        m: M,
        op: Op,
        value: Decimal,
        measure_first: bool,
        word: usize,
    },
    /// `when severe`, `when not severe`
    Flag { m: M, expected: bool },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Unit {
    Money,
    Points,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Dir {
    Fine,
    Reward,
}

#[derive(Debug, Clone)]
pub enum Amount {
    Fixed(Decimal),
    /// The event's `amount`, within these bounds.
    Range(Decimal, Decimal),
    PerUnit {
        rate: Decimal,
        m: M,
        beyond: Option<Decimal>,
    },
    Percent {
        percent: Decimal,
        m: M,
    },
    /// `the Nth time` (`Only`) and `from the Nth time on` (`From`) steps.
    Schedule(Vec<(Nth, Decimal)>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Actor,
    EveryPersonNamed,
    /// `for their ROLE`: the person a text measure names.
    Related(M),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutcomeKind {
    Dismissal,
    Remedy,
    Promotion { grades: u32, approval: bool },
}

#[derive(Debug, Clone, Copy)]
pub enum When {
    Always,
    Flag(M, bool),
    Ordinal(Nth),
}

#[derive(Debug, Clone)]
pub enum Conseq {
    Money {
        dir: Dir,
        amount: Amount,
        unit: Unit,
        target: Target,
    },
    Outcome {
        kind: OutcomeKind,
        when: When,
    },
    CountsAs(Kind),
}

#[derive(Debug, Clone, Copy)]
pub enum BandRange {
    Between(Decimal, Decimal),
    Cmp(Op, Decimal),
}

impl BandRange {
    pub fn contains(self, value: Decimal) -> bool {
        match self {
            BandRange::Between(low, high) => low <= value && value <= high,
            BandRange::Cmp(op, bound) => op.holds(value, bound),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Band {
    pub range: BandRange,
    pub conseqs: Vec<Conseq>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Month,
    Quarter,
    Year,
}

impl Period {
    pub fn word(self) -> &'static str {
        match self {
            Period::Month => "month",
            Period::Quarter => "quarter",
            Period::Year => "year",
        }
    }
}

#[derive(Debug, Clone)]
pub enum Test {
    /// `with no late or absence`, `with no attendance event (late or absence)`
    Absent {
        group: Option<&'static str>,
        kinds: Vec<Kind>,
    },
    /// `with fewer than 2 sale`
    Count { op: Op, n: u32, kind: Kind },
}

#[derive(Debug, Clone, Copy)]
pub enum Level {
    SoFar,
    Last(u32),
    Own,
}

#[derive(Debug, Clone, Copy)]
pub enum Effect {
    Multiply(u32, Level),
    Surcharge(Decimal, Unit),
}

#[derive(Debug, Clone)]
pub enum Body {
    Occurrence {
        kind: Kind,
        conds: Vec<Cond>,
        conseqs: Vec<Conseq>,
    },
    Banded {
        kind: Kind,
        m: M,
        bands: Vec<Band>,
    },
    Recorded(Vec<Kind>),
    Period {
        period: Period,
        test: Test,
        streak: Option<u32>,
        conseqs: Vec<Conseq>,
    },
    Escalation {
        window: Period,
        nth: Nth,
        dir: Dir,
        sections: Vec<u32>,
        effect: Effect,
    },
}

#[derive(Debug, Clone)]
pub enum Line {
    Section(u32),
    Rule { label: String, body: Body },
}

#[derive(Debug, Clone)]
pub struct Book {
    pub effective: NaiveDate,
    pub kinds: Vec<&'static str>,
    pub measures: Vec<Measure>,
    pub lines: Vec<Line>,
    /// Picks among equivalent spellings (joiners, `yuan`), so that the printer varies them.
    pub style: u32,
    /// Whether the file names its kinds and measures otherwise than events do, declaring
    /// the names events use: `event late case (late)`, `measure minutes_v (minutes): number`.
    pub aliases: bool,
}

// ── The printer ─────────────────────────────────────────────────────────────────────────────

/// Words a kind may not hold unquoted in a list of kinds.
const LIST_WORDS: [&str; 5] = ["with", "when", "or", "and", "for"];

impl Book {
    /// The rule file.
    pub fn text(&self) -> String {
        let mut out = format!(
            "title: Generated rules\neffective: {}\ncurrency: CNY\ntime zone: +08:00\n",
            self.effective
        );
        if self.style.is_multiple_of(3) {
            out.push_str("drafted by: the generator\n");
        }
        out.push('\n');
        for measure in self.measures.iter().filter(|m| m.declared || self.aliases) {
            let ty = match measure.ty {
                Ty::Whole => "whole number",
                Ty::Number => "number",
                Ty::Flag => "flag",
                Ty::Text => "text",
            };
            if self.aliases {
                let _ = writeln!(out, "measure {}_v ({}): {ty}", measure.name, measure.name);
            } else {
                let _ = writeln!(out, "measure {}: {ty}", measure.name);
            }
        }
        if self.aliases {
            // A file that names its measures must declare all it uses, those that promotions
            // and ranged amounts read included.
            out.push_str("measure approved: flag\nmeasure amount: number\n");
            for (kind, name) in self.kinds.iter().enumerate() {
                let _ = writeln!(out, "event {} ({name})", self.kind(kind, false));
            }
        }
        for (i, line) in self.lines.iter().enumerate() {
            let style = self.style.wrapping_add(i as u32);
            match line {
                Line::Section(n) => {
                    let _ = writeln!(out, "\nsection {n}: part {n}");
                }
                Line::Rule { label, body } => {
                    let _ = writeln!(out, "{label} {}", self.body(body, style));
                }
            }
        }
        out
    }

    fn kind(&self, kind: Kind, in_list: bool) -> String {
        let name = if self.aliases {
            format!("{} case", self.kinds[kind])
        } else {
            self.kinds[kind].to_owned()
        };
        let quote = in_list && name.split(' ').any(|w| LIST_WORDS.contains(&w));
        if quote { format!("\"{name}\"") } else { name }
    }

    fn kinds(&self, kinds: &[Kind]) -> String {
        let names: Vec<String> = kinds.iter().map(|k| self.kind(*k, true)).collect();
        match names.as_slice() {
            [one] => one.clone(),
            [init @ .., last] => format!("{} or {last}", init.join(", ")),
            [] => unreachable!("a list of kinds is never empty"),
        }
    }

    fn body(&self, body: &Body, style: u32) -> String {
        match body {
            Body::Occurrence {
                kind,
                conds,
                conseqs,
            } => {
                let conds: Vec<String> = conds.iter().map(|c| self.cond(c)).collect();
                let head = if conds.is_empty() {
                    self.kind(*kind, false)
                } else {
                    format!("{} {}", self.kind(*kind, false), conds.join(" and "))
                };
                format!("{head}: {}", self.conseqs(conseqs, style))
            }
            Body::Banded { kind, m, bands } => {
                let mut text = format!("{}, by {}:", self.kind(*kind, false), self.name(*m));
                for band in bands {
                    let range = match band.range {
                        BandRange::Between(low, high) => format!("{low} to {high}"),
                        BandRange::Cmp(op, value) => format!("{} {value}", op.words()[0]),
                    };
                    let _ = write!(
                        text,
                        "\n  - {range}: {}",
                        self.conseqs(&band.conseqs, style)
                    );
                }
                text
            }
            Body::Recorded(kinds) => format!("{}: no consequence", self.kinds(kinds)),
            Body::Period {
                period,
                test,
                streak,
                conseqs,
            } => {
                let test = match test {
                    Test::Absent { group: None, kinds } => format!("with no {}", self.kinds(kinds)),
                    Test::Absent {
                        group: Some(group),
                        kinds,
                    } => format!("with no {group} ({})", self.kinds(kinds)),
                    Test::Count { op, n, kind } => {
                        format!("with {} {n} {}", op.words()[0], self.kind(*kind, true))
                    }
                };
                let streak = match streak {
                    Some(n) => format!(" for {n} {}s in a row", period.word()),
                    None => String::new(),
                };
                format!(
                    "each {}, every person on the roster {test}{streak}: {}",
                    period.word(),
                    self.conseqs(conseqs, style)
                )
            }
            Body::Escalation {
                window,
                nth,
                dir,
                sections,
                effect,
            } => {
                let mut counted = match dir {
                    Dir::Fine => "fine".to_owned(),
                    Dir::Reward => "reward".to_owned(),
                };
                match sections.as_slice() {
                    [] => {}
                    [one] => {
                        let _ = write!(counted, " in section {one}");
                    }
                    [init @ .., last] => {
                        let init: Vec<String> = init.iter().map(u32::to_string).collect();
                        let _ = write!(counted, " in sections {} and {last}", init.join(", "));
                    }
                }
                let which = match nth {
                    Nth::Only(n) => format!("only the {} {counted}", ordinal(*n)),
                    Nth::From(n) => format!("from the {} {counted} on", ordinal(*n)),
                    Nth::Every(n) => format!("every {} {counted}", ordinal(*n)),
                };
                let heaviest = match dir {
                    Dir::Fine => "the heaviest base",
                    Dir::Reward => "the highest base",
                };
                let effect = match effect {
                    Effect::Multiply(factor, Level::SoFar) => {
                        format!("{factor} times {heaviest} so far")
                    }
                    Effect::Multiply(factor, Level::Last(n)) => {
                        format!("{factor} times {heaviest} of the last {n}")
                    }
                    Effect::Multiply(factor, Level::Own) => format!("{factor} times its own base"),
                    Effect::Surcharge(extra, unit) => {
                        format!("an extra {extra}{}", unit_word(*unit, style))
                    }
                };
                format!("in the same {}, {which}: {effect}", window.word())
            }
        }
    }

    fn name(&self, m: M) -> String {
        if self.aliases {
            format!("{}_v", self.measures[m].name)
        } else {
            self.measures[m].name.to_owned()
        }
    }

    fn cond(&self, cond: &Cond) -> String {
        match cond {
            Cond::Compare {
                m,
                op,
                value,
                measure_first,
                word,
            } => {
                let words = op.words()[word % op.words().len()];
                let name = self.name(*m);
                if *measure_first {
                    let article = if name.starts_with(['a', 'e', 'i', 'o', 'u']) {
                        "an"
                    } else {
                        "a"
                    };
                    format!("with {article} {name} of {words} {value}")
                } else {
                    format!("with {words} {value} {name}")
                }
            }
            Cond::Flag { m, expected } => flag(&self.name(*m), *expected),
        }
    }

    fn conseqs(&self, conseqs: &[Conseq], style: u32) -> String {
        let joiner = [", and ", ", ", " and "][style as usize % 3];
        let texts: Vec<String> = conseqs.iter().map(|c| self.conseq(c, style)).collect();
        texts.join(joiner)
    }

    fn conseq(&self, conseq: &Conseq, style: u32) -> String {
        match conseq {
            Conseq::Money {
                dir,
                amount,
                unit,
                target,
            } => {
                let unit = unit_word(*unit, style);
                let amount = match amount {
                    Amount::Fixed(value) => format!("{value}{unit}"),
                    Amount::Range(low, high) => format!("{low} to {high}{unit}"),
                    Amount::PerUnit { rate, m, beyond } => {
                        let beyond = beyond.map_or(String::new(), |b| format!(" beyond {b}"));
                        format!("{rate}{unit} per {}{beyond}", self.name(*m))
                    }
                    Amount::Percent { percent, m } => format!("{percent}% of {}", self.name(*m)),
                    Amount::Schedule(steps) => {
                        let steps: Vec<String> = steps
                            .iter()
                            .map(|(nth, value)| format!("{value}{unit} {}", nth_time(*nth)))
                            .collect();
                        steps.join(", ")
                    }
                };
                let target = match target {
                    Target::Actor => String::new(),
                    Target::EveryPersonNamed => " for every person named".to_owned(),
                    Target::Related(m) => format!(" for their {}", self.name(*m)),
                };
                let dir = match dir {
                    Dir::Fine => "fine",
                    Dir::Reward => "reward",
                };
                format!("{dir} {amount}{target}")
            }
            Conseq::Outcome { kind, when } => {
                let when = match when {
                    When::Always => String::new(),
                    When::Flag(m, expected) => format!(" {}", flag(&self.name(*m), *expected)),
                    When::Ordinal(nth) => format!(" {}", nth_time(*nth)),
                };
                match kind {
                    OutcomeKind::Dismissal => format!("dismissal{when}"),
                    OutcomeKind::Remedy => format!("ordered to remedy{when}"),
                    OutcomeKind::Promotion { grades, approval } => {
                        let grade = if *grades == 1 { "grade" } else { "grades" };
                        let approval = if *approval {
                            ", subject to approval"
                        } else {
                            ""
                        };
                        format!("promotion by {grades} {grade}{when}{approval}")
                    }
                }
            }
            Conseq::CountsAs(kind) => format!("counts as {}", self.kind(*kind, false)),
        }
    }
}

fn flag(name: &str, expected: bool) -> String {
    if expected {
        format!("when {name}")
    } else {
        format!("when not {name}")
    }
}

fn unit_word(unit: Unit, style: u32) -> &'static str {
    match unit {
        Unit::Points if style.is_multiple_of(2) => " points",
        Unit::Points => " point",
        Unit::Money if style.is_multiple_of(5) => " yuan",
        Unit::Money => "",
    }
}

pub fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

fn nth_time(nth: Nth) -> String {
    match nth {
        Nth::Only(n) => format!("the {} time", ordinal(n)),
        Nth::From(n) => format!("from the {} time on", ordinal(n)),
        Nth::Every(_) => unreachable!("a schedule or an outcome picks the Nth time or from it on"),
    }
}
