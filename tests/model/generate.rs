//! Random rulebooks and event streams, built from a tape of random numbers: each choice reads
//! the next number, and a tape of zeros (or an exhausted one) makes the simplest choice, so
//! that proptest's shrinking of the tape simplifies the rulebook and the stream.
//!
//! The rulebooks avoid what `check` rightly refuses (two rules that can both hold for one
//! event, overlapping bands or escalations, loops of `counts as`, two amounts for one
//! person), by construction or by a repair pass at the end.

use std::fmt::Write as _;

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, Timelike};
use rust_decimal::Decimal;

use super::book::{
    Amount, Band, BandRange, Body, Book, Cond, Conseq, Dir, Effect, Kind, Level, Line, M, Measure,
    Nth, Op, OutcomeKind, Period, Target, Test, Ty, Unit, When,
};
use super::{At, Form, Input, Val, Who};

/// The random choices, read one at a time.
pub struct Tape<'a> {
    values: &'a [u32],
    at: usize,
}

impl<'a> Tape<'a> {
    pub fn new(values: &'a [u32]) -> Tape<'a> {
        Tape { values, at: 0 }
    }

    /// A number below `n` (0 once the tape is used up).
    pub fn pick(&mut self, n: usize) -> usize {
        let value = self.values.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        value as usize % n.max(1)
    }

    /// True `percent` times in a hundred (never on a zero).
    pub fn chance(&mut self, percent: usize) -> bool {
        self.pick(100) >= 100 - percent
    }

    pub fn one<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.pick(items.len())].clone()
    }
}

fn dec(text: &str) -> Decimal {
    text.parse().expect("a decimal")
}

const KIND_NAMES: [&str; 9] = [
    "messy desk",
    "late",
    "rude reply",
    "lost badge",
    "good deed",
    "sale",
    "fee or tip",
    "overtime",
    "card signing",
];

/// The measures every generated rulebook may use: four numbers, three flags, two roles.
const NUMBERS: [&str; 4] = ["minutes", "rings", "value", "salary"];
const FLAGS: [&str; 3] = ["severe", "urgent", "outstanding"];
const ROLES: [&str; 2] = ["manager", "mentor"];

const THRESHOLDS: [&str; 8] = ["0", "3", "5", "2.5", "10", "15", "60", "100"];
const AMOUNTS: [&str; 9] = ["15", "20", "5", "12.5", "30", "50", "0.5", "100", "200"];

/// The first months a policy may take effect in: quarter and year ends among the 1–3 months
/// a stream covers.
const FIRST_MONTHS: [(i32, u32); 6] = [
    (2025, 8),
    (2025, 11),
    (2025, 12),
    (2026, 3),
    (2026, 5),
    (2025, 9),
];

fn measures(tape: &mut Tape<'_>) -> Vec<Measure> {
    let mut measures = Vec::new();
    for name in NUMBERS {
        let whole = tape.chance(30);
        measures.push(Measure {
            name,
            ty: if whole { Ty::Whole } else { Ty::Number },
            declared: whole || tape.chance(40),
        });
    }
    for name in FLAGS {
        let declared = tape.chance(30);
        measures.push(Measure {
            name,
            ty: Ty::Flag,
            declared,
        });
    }
    for name in ROLES {
        let declared = tape.chance(30);
        measures.push(Measure {
            name,
            ty: Ty::Text,
            declared,
        });
    }
    measures
}

fn number_measure(tape: &mut Tape<'_>) -> M {
    tape.pick(NUMBERS.len())
}

fn flag_measure(tape: &mut Tape<'_>) -> M {
    NUMBERS.len() + tape.pick(FLAGS.len())
}

fn role_measure(tape: &mut Tape<'_>) -> M {
    NUMBERS.len() + FLAGS.len() + tape.pick(ROLES.len())
}

fn op(tape: &mut Tape<'_>) -> Op {
    tape.one(&[Op::Gt, Op::Ge, Op::Lt, Op::Le, Op::Eq])
}

fn compare(tape: &mut Tape<'_>, m: M, op: Op, value: Decimal) -> Cond {
    Cond::Compare {
        m,
        op,
        value,
        measure_first: tape.chance(30),
        word: tape.pick(4),
    }
}

/// Up to two conditions of any kind.
fn conditions(tape: &mut Tape<'_>) -> Vec<Cond> {
    let mut conds = Vec::new();
    for _ in 0..tape.pick(3) {
        if tape.chance(50) {
            let m = flag_measure(tape);
            conds.push(Cond::Flag {
                m,
                expected: !tape.chance(40),
            });
        } else {
            let m = number_measure(tape);
            let (op, value) = (op(tape), dec(tape.one(&THRESHOLDS)));
            conds.push(compare(tape, m, op, value));
        }
    }
    conds
}

fn nth_time(tape: &mut Tape<'_>) -> Nth {
    let n = 1 + tape.pick(4) as u32;
    if tape.chance(50) {
        Nth::From(n)
    } else {
        Nth::Only(n)
    }
}

fn amount(tape: &mut Tape<'_>) -> Amount {
    match tape.pick(10) {
        0..=3 => Amount::Fixed(dec(tape.one(&AMOUNTS))),
        4 => {
            let (low, high) = tape.one(&[("30", "50"), ("10", "20"), ("0.5", "2"), ("100", "300")]);
            Amount::Range(dec(low), dec(high))
        }
        5 | 6 => Amount::PerUnit {
            rate: dec(tape.one(&["1", "0.5", "2", "0.01", "5"])),
            m: number_measure(tape),
            beyond: tape
                .chance(60)
                .then(|| dec(tape.one(&["0", "5", "10", "2.5"]))),
        },
        7 => Amount::Percent {
            percent: dec(tape.one(&["5", "10", "12.5", "50", "0.5"])),
            m: number_measure(tape),
        },
        _ => {
            let n = 2 + tape.pick(3) as u32;
            let ordinals: Vec<Nth> = match tape.pick(6) {
                0 => vec![Nth::Only(1), Nth::Only(2), Nth::From(3)],
                1 => vec![Nth::From(n)],
                2 => vec![Nth::Only(n)],
                3 => vec![Nth::Only(1), Nth::From(3)],
                4 => vec![Nth::From(2), Nth::From(4)],
                _ => vec![Nth::Only(2), Nth::From(2)],
            };
            let mut value = dec(tape.one(&AMOUNTS));
            let steps = ordinals
                .into_iter()
                .map(|nth| {
                    let step = (nth, value);
                    value += dec(tape.one(&AMOUNTS));
                    step
                })
                .collect();
            Amount::Schedule(steps)
        }
    }
}

fn unit(tape: &mut Tape<'_>, amount: &Amount) -> Unit {
    if !matches!(amount, Amount::Percent { .. }) && tape.chance(15) {
        Unit::Points
    } else {
        Unit::Money
    }
}

fn money(tape: &mut Tape<'_>, target: Target) -> Conseq {
    let amount = amount(tape);
    Conseq::Money {
        dir: if tape.chance(35) {
            Dir::Reward
        } else {
            Dir::Fine
        },
        unit: unit(tape, &amount),
        amount,
        target,
    }
}

fn outcome(tape: &mut Tape<'_>, conditional: bool) -> Conseq {
    let kind = match tape.pick(3) {
        0 => OutcomeKind::Dismissal,
        1 => OutcomeKind::Remedy,
        _ => OutcomeKind::Promotion {
            grades: 1 + tape.pick(3) as u32,
            approval: tape.chance(50),
        },
    };
    let when = match tape.pick(if conditional { 3 } else { 1 }) {
        0 => When::Always,
        1 => When::Flag(flag_measure(tape), !tape.chance(30)),
        _ => When::Ordinal(nth_time(tape)),
    };
    Conseq::Outcome { kind, when }
}

/// The consequences of a rule (or band) about kind `kind` of `kinds`.
fn consequences(tape: &mut Tape<'_>, kind: Kind, kinds: usize, collective: bool) -> Vec<Conseq> {
    if kind + 1 < kinds && tape.chance(12) {
        let other = kind + 1 + tape.pick(kinds - kind - 1);
        return vec![Conseq::CountsAs(other)];
    }
    let mut list = Vec::new();
    if tape.chance(80) {
        let target = if collective && tape.chance(70) {
            Target::EveryPersonNamed
        } else {
            Target::Actor
        };
        list.push(money(tape, target));
    }
    if tape.chance(15) {
        let first = role_measure(tape);
        list.push(money(tape, Target::Related(first)));
        if tape.chance(30) {
            let other = if first == NUMBERS.len() + FLAGS.len() {
                first + 1
            } else {
                first - 1
            };
            list.push(money(tape, Target::Related(other)));
        }
    }
    for _ in 0..2 {
        if tape.chance(25) {
            list.push(outcome(tape, true));
        }
    }
    if list.is_empty() {
        list.push(Conseq::Money {
            dir: Dir::Fine,
            amount: Amount::Fixed(dec("15")),
            unit: Unit::Money,
            target: Target::Actor,
        });
    }
    list
}

/// The rules about one kind: one rule, rules split by a flag or by a number, or bands.
fn rules_about(tape: &mut Tape<'_>, kind: Kind, kinds: usize, collective: bool) -> Vec<Body> {
    let conseqs = |tape: &mut Tape<'_>| consequences(tape, kind, kinds, collective);
    match tape.pick(10) {
        // Split by a flag: one side or both.
        0 | 1 => {
            let m = flag_measure(tape);
            let sides: &[bool] = match tape.pick(3) {
                0 => &[true, false],
                1 => &[true],
                _ => &[false],
            };
            sides
                .iter()
                .map(|&expected| {
                    let mut conds = vec![Cond::Flag { m, expected }];
                    if tape.chance(30) {
                        let (n, op, value) =
                            (number_measure(tape), op(tape), dec(tape.one(&THRESHOLDS)));
                        conds.push(compare(tape, n, op, value));
                    }
                    Body::Occurrence {
                        kind,
                        conds,
                        conseqs: conseqs(tape),
                    }
                })
                .collect()
        }
        // Split by a number at one or two cuts, into disjoint ranges (some left out).
        2 | 3 => {
            let m = number_measure(tape);
            let low = dec(tape.one(&["0", "3", "5", "10"]));
            let high = low + dec(tape.one(&["2.5", "5", "50"]));
            let (below, above) = if tape.chance(50) {
                (Op::Lt, Op::Ge)
            } else {
                (Op::Le, Op::Gt)
            };
            let mut ranges: Vec<Vec<(Op, Decimal)>> = vec![vec![(below, low)]];
            if tape.chance(50) {
                ranges.push(vec![(above, low), (below, high)]);
                ranges.push(vec![(above, high)]);
            } else if tape.chance(30) {
                ranges = vec![vec![(Op::Eq, low)], vec![(Op::Gt, low)]];
            } else {
                ranges.push(vec![(above, low)]);
            }
            if ranges.len() > 1 && tape.chance(30) {
                ranges.remove(tape.pick(ranges.len()));
            }
            ranges
                .into_iter()
                .map(|range| {
                    let conds = range
                        .into_iter()
                        .map(|(op, value)| compare(tape, m, op, value))
                        .collect();
                    Body::Occurrence {
                        kind,
                        conds,
                        conseqs: conseqs(tape),
                    }
                })
                .collect()
        }
        // Bands, and perhaps a rule for values beyond them.
        4 | 5 => {
            let m = number_measure(tape);
            let low = dec(tape.one(&["3", "5", "10"]));
            let high = low + dec(tape.one(&["2.5", "5", "50"]));
            let all = [
                BandRange::Cmp(Op::Lt, low),
                BandRange::Between(low, high),
                BandRange::Cmp(Op::Gt, high),
            ];
            let mut ranges: Vec<BandRange> =
                all.iter().copied().filter(|_| !tape.chance(30)).collect();
            if ranges.is_empty() {
                ranges.push(BandRange::Cmp(Op::Eq, low));
            }
            let bands = ranges
                .iter()
                .map(|&range| Band {
                    range,
                    conseqs: conseqs(tape),
                })
                .collect();
            let mut bodies = vec![Body::Banded { kind, m, bands }];
            let beyond = if !ranges
                .iter()
                .any(|r| matches!(r, BandRange::Cmp(Op::Gt, _)))
            {
                Some((Op::Gt, high))
            } else if !ranges
                .iter()
                .any(|r| matches!(r, BandRange::Cmp(Op::Lt, _)))
            {
                Some((Op::Lt, low))
            } else {
                None
            };
            if let Some((op, value)) = beyond.filter(|_| tape.chance(40)) {
                let cond = compare(tape, m, op, value);
                bodies.push(Body::Occurrence {
                    kind,
                    conds: vec![cond],
                    conseqs: conseqs(tape),
                });
            }
            bodies
        }
        // One rule.
        _ => vec![Body::Occurrence {
            kind,
            conds: conditions(tape),
            conseqs: conseqs(tape),
        }],
    }
}

fn period(tape: &mut Tape<'_>) -> Period {
    match tape.pick(5) {
        0..=2 => Period::Month,
        3 => Period::Quarter,
        _ => Period::Year,
    }
}

fn some_kinds(tape: &mut Tape<'_>, kinds: usize) -> Vec<Kind> {
    let mut list: Vec<Kind> = (0..kinds).filter(|_| tape.chance(40)).collect();
    if list.is_empty() {
        list.push(tape.pick(kinds));
    }
    list
}

fn period_rule(tape: &mut Tape<'_>, kinds: usize) -> Body {
    let period = period(tape);
    let test = if tape.chance(40) {
        Test::Count {
            op: op(tape),
            n: tape.pick(4) as u32,
            kind: tape.pick(kinds),
        }
    } else {
        Test::Absent {
            group: tape.chance(30).then_some("attendance event"),
            kinds: some_kinds(tape, kinds),
        }
    };
    let streak = tape.chance(25).then(|| 2 + tape.pick(2) as u32);
    let mut conseqs = Vec::new();
    if !tape.chance(15) {
        let amount = Amount::Fixed(dec(tape.one(&AMOUNTS)));
        conseqs.push(Conseq::Money {
            dir: if tape.chance(40) {
                Dir::Fine
            } else {
                Dir::Reward
            },
            unit: unit(tape, &amount),
            amount,
            target: Target::Actor,
        });
    }
    if conseqs.is_empty() || tape.chance(25) {
        conseqs.push(outcome(tape, false));
    }
    Body::Period {
        period,
        test,
        streak,
        conseqs,
    }
}

fn escalation(tape: &mut Tape<'_>, sections: &[u32]) -> Body {
    let n = 1 + tape.pick(4) as u32;
    let nth = match tape.pick(3) {
        0 => Nth::From(n),
        1 => Nth::Only(n),
        _ => Nth::Every(n),
    };
    let counted: Vec<u32> = if sections.is_empty() || tape.chance(50) {
        Vec::new()
    } else {
        let mut some: Vec<u32> = sections
            .iter()
            .copied()
            .filter(|_| tape.chance(50))
            .collect();
        if some.is_empty() {
            some.push(tape.one(sections));
        }
        some
    };
    let effect = if tape.chance(25) {
        let extra = dec(tape.one(&AMOUNTS));
        let unit = if tape.chance(15) {
            Unit::Points
        } else {
            Unit::Money
        };
        Effect::Surcharge(extra, unit)
    } else {
        let level = match tape.pick(3) {
            0 => Level::SoFar,
            1 => Level::Last(1 + tape.pick(3) as u32),
            _ => Level::Own,
        };
        Effect::Multiply(2 + tape.pick(2) as u32, level)
    };
    Body::Escalation {
        window: period(tape),
        nth,
        dir: if tape.chance(35) {
            Dir::Reward
        } else {
            Dir::Fine
        },
        sections: counted,
        effect,
    }
}

/// A random rulebook.
pub fn book(tape: &mut Tape<'_>) -> Book {
    let (year, month) = tape.one(&FIRST_MONTHS);
    let effective =
        NaiveDate::from_ymd_opt(year, month, 1).unwrap() + Days::new(tape.pick(4) as u64);
    let measures = measures(tape);
    let count = 2 + tape.pick(5);
    let mut names: Vec<&'static str> = KIND_NAMES.to_vec();
    let kinds: Vec<&'static str> = (0..count)
        .map(|_| names.remove(tape.pick(names.len())))
        .collect();

    // The rules about each kind; some kinds are only recorded, in one `no consequence` rule.
    let mut bodies: Vec<Body> = Vec::new();
    let mut recorded = Vec::new();
    for kind in 0..count {
        if tape.chance(15) {
            recorded.push(kind);
            continue;
        }
        let collective = tape.chance(20);
        bodies.extend(rules_about(tape, kind, count, collective));
    }
    if !recorded.is_empty() {
        bodies.push(Body::Recorded(recorded));
    }
    for _ in 0..2 {
        if tape.chance(40) {
            bodies.push(period_rule(tape, count));
        }
    }
    // Shuffle a little, then put sections between the lines.
    for i in (1..bodies.len()).rev() {
        if tape.chance(30) {
            bodies.swap(i, tape.pick(i + 1));
        }
    }
    let sections: Vec<u32> = (1..=tape.pick(4) as u32).collect();
    let mut escalations = Vec::new();
    for _ in 0..2 {
        if tape.chance(50) {
            escalations.push(escalation(tape, &sections));
        }
    }
    let mut at: Vec<usize> = sections
        .iter()
        .map(|_| tape.pick(bodies.len() + 1))
        .collect();
    at.sort_unstable();
    let mut lines = Vec::new();
    let mut section = 0;
    let mut number = 0;
    let mut bodies = bodies.into_iter().chain(escalations).peekable();
    let mut index = 0;
    while bodies.peek().is_some() || section < sections.len() {
        while section < sections.len() && at[section] <= index {
            lines.push(Line::Section(sections[section]));
            section += 1;
            number = 0;
        }
        let Some(body) = bodies.next() else { continue };
        number += 1;
        let label = format!("{section}.{number}");
        lines.push(Line::Rule { label, body });
        index += 1;
    }
    let mut book = Book {
        effective,
        kinds,
        measures,
        lines,
        style: tape.pick(30) as u32,
        aliases: tape.chance(15),
    };
    repair(&mut book);
    book
}

/// Makes the book one `check` accepts where generating it so directly would be awkward.
fn repair(book: &mut Book) {
    // Escalations counting the same entries: the later one goes.
    let mut kept: Vec<(Dir, Vec<u32>)> = Vec::new();
    book.lines.retain(|line| {
        let Line::Rule {
            body: Body::Escalation { dir, sections, .. },
            ..
        } = line
        else {
            return true;
        };
        let overlaps = kept.iter().any(|(d, s)| {
            d == dir
                && (s.is_empty() || sections.is_empty() || s.iter().any(|x| sections.contains(x)))
        });
        if !overlaps {
            kept.push((*dir, sections.clone()));
        }
        !overlaps
    });

    // A rule about a kind whose events may name several people charges no related person
    // (whose `manager` would it be?): `check` refuses it.
    let rules = super::Rules::new(book);
    let collective: Vec<Kind> = (0..book.kinds.len())
        .filter(|&k| rules.collective(k))
        .flat_map(|k| rules.reach(k))
        .collect();
    drop(rules);
    for line in &mut book.lines {
        let Line::Rule { body, .. } = line else {
            continue;
        };
        let (kind, lists): (Kind, Vec<&mut Vec<Conseq>>) = match body {
            Body::Occurrence { kind, conseqs, .. } => (*kind, vec![conseqs]),
            Body::Banded { kind, bands, .. } => {
                (*kind, bands.iter_mut().map(|b| &mut b.conseqs).collect())
            }
            _ => continue,
        };
        if !collective.contains(&kind) {
            continue;
        }
        for list in lists {
            list.retain(|c| {
                !matches!(
                    c,
                    Conseq::Money {
                        target: Target::Related(_),
                        ..
                    }
                )
            });
            if list.is_empty() {
                list.push(Conseq::Outcome {
                    kind: OutcomeKind::Remedy,
                    when: When::Always,
                });
            }
        }
    }

    // The entries an escalation counts are all in one unit, its surcharge's if it has one:
    // `check` refuses a heaviest base of yuan and points.
    let escalations: Vec<(Dir, Vec<u32>, Option<Unit>)> = book
        .lines
        .iter()
        .filter_map(|line| match line {
            Line::Rule {
                body:
                    Body::Escalation {
                        dir,
                        sections,
                        effect,
                        ..
                    },
                ..
            } => Some((
                *dir,
                sections.clone(),
                match effect {
                    Effect::Surcharge(_, unit) => Some(*unit),
                    Effect::Multiply(..) => None,
                },
            )),
            _ => None,
        })
        .collect();
    let mut units: Vec<Option<Unit>> = escalations.iter().map(|e| e.2).collect();
    let mut section = None;
    for line in &mut book.lines {
        let body = match line {
            Line::Section(n) => {
                section = Some(*n);
                continue;
            }
            Line::Rule { body, .. } => body,
        };
        let lists: Vec<&mut Vec<Conseq>> = match body {
            Body::Occurrence { conseqs, .. } => vec![conseqs],
            Body::Banded { bands, .. } => bands.iter_mut().map(|b| &mut b.conseqs).collect(),
            _ => continue,
        };
        for list in lists {
            for conseq in list {
                let Conseq::Money {
                    dir, amount, unit, ..
                } = conseq
                else {
                    continue;
                };
                let Some(e) = escalations.iter().position(|(d, sections, _)| {
                    d == dir
                        && (sections.is_empty() || section.is_some_and(|s| sections.contains(&s)))
                }) else {
                    continue;
                };
                let wanted = *units[e].get_or_insert(*unit);
                if wanted == Unit::Points && matches!(amount, Amount::Percent { .. }) {
                    *amount = Amount::Fixed(dec("10"));
                }
                *unit = wanted;
            }
        }
    }
}

// ── Streams ─────────────────────────────────────────────────────────────────────────────────

const BAD_TIMESTAMPS: [&str; 4] = ["yesterday", "2025-13-01", "2025-08-18T25:00", ""];
const UNKNOWN_KINDS: [&str; 3] = ["mesy desk", "coffee break", "Late"];
const RAW_LINES: [&str; 4] = [
    "not json",
    "[1, 2]",
    r#"{"who": "E1", "event": "late"}"#,
    r#"{"at": "2025-08-20", "who": "E1", "event": 7}"#,
];

/// A value for a number measure: near a threshold of the book, or any.
fn number(tape: &mut Tape<'_>, whole: bool, edges: &[Decimal]) -> Val {
    let value = if !edges.is_empty() && tape.chance(60) {
        let edge = edges[tape.pick(edges.len())];
        edge + dec(tape.one(&["0", "1", "-1", "0.5", "0.25", "-0.01"]))
    } else {
        match tape.pick(4) {
            0 => Decimal::from(tape.pick(120)),
            1 => Decimal::new(tape.pick(10_000) as i64, 2),
            2 => dec(tape.one(&["3000", "3333.33", "0.1", "12.34", "7.50", "0.003"])),
            _ => Decimal::new(tape.pick(1000) as i64, 1),
        }
    };
    if whole || value.fract().is_zero() && tape.chance(70) {
        Val::Int(value.trunc().try_into().unwrap())
    } else {
        let mut value = value;
        if value.scale() == 0 {
            value.rescale(1);
        }
        Val::Dec(value.mantissa() as i64, value.scale())
    }
}

fn ill_typed(tape: &mut Tape<'_>, ty: Ty) -> Val {
    match ty {
        Ty::Whole => tape.one(&[Val::Dec(50, 1), Val::Bool(true), Val::Null]),
        Ty::Number => tape.one(&[Val::Null, Val::Bool(false)]),
        Ty::Flag => tape.one(&[Val::Int(1), Val::Null]),
        Ty::Text => tape.one(&[Val::Int(7), Val::Null]),
    }
}

/// Every number a condition, band or allowance of the book compares with.
fn edges(book: &Book) -> Vec<Decimal> {
    let mut edges = Vec::new();
    for line in &book.lines {
        let Line::Rule { body, .. } = line else {
            continue;
        };
        match body {
            Body::Occurrence { conds, conseqs, .. } => {
                for cond in conds {
                    if let Cond::Compare { value, .. } = cond {
                        edges.push(*value);
                    }
                }
                for conseq in conseqs {
                    if let Conseq::Money {
                        amount:
                            Amount::PerUnit {
                                beyond: Some(b), ..
                            },
                        ..
                    } = conseq
                    {
                        edges.push(*b);
                    }
                }
            }
            Body::Banded { bands, .. } => {
                for band in bands {
                    match band.range {
                        BandRange::Between(low, high) => edges.extend([low, high]),
                        BandRange::Cmp(_, value) => edges.push(value),
                    }
                }
            }
            _ => {}
        }
    }
    edges
}

/// A stream of 0–50 lines over 3–6 people and 1–3 months from the book's first month, with
/// some lines invalid; and a roster, or none.
pub fn stream(tape: &mut Tape<'_>, book: &Book) -> (Vec<(u64, Input)>, Option<Vec<String>>) {
    let rules = super::Rules::new(book);
    let people: Vec<String> = (1..=3 + tape.pick(4)).map(|i| format!("E{i}")).collect();
    let first = NaiveDate::from_ymd_opt(book.effective.year(), book.effective.month(), 1).unwrap();
    let months = 1 + tape.pick(3) as u32;
    let end = first
        .checked_add_months(chrono::Months::new(months))
        .unwrap();
    let days = (end - first).num_days() as usize;
    let kinds: Vec<Kind> = (0..book.kinds.len())
        .filter(|&k| !rules.of(k).is_empty())
        .collect();
    let edges = edges(book);
    let mut times: Vec<NaiveDateTime> = Vec::new();
    let mut lines = Vec::new();
    for line in 1..=tape.pick(51) as u64 {
        if tape.chance(3) {
            lines.push((line, Input::Raw(tape.one(&RAW_LINES))));
            continue;
        }
        let kind = tape.one(&kinds);
        let name = if tape.chance(4) {
            tape.one(&UNKNOWN_KINDS).to_owned()
        } else {
            book.kinds[kind].to_owned()
        };
        // When: a time already used (a tie), a midnight, or any time.
        let at = if !times.is_empty() && tape.chance(15) {
            times[tape.pick(times.len())]
        } else {
            let day = first + Days::new(tape.pick(days) as u64);
            if tape.chance(30) {
                day.and_hms_opt(0, 0, 0).unwrap()
            } else {
                let (h, m, sec) = (tape.pick(24), tape.pick(60), tape.pick(60));
                // Now and then a fraction of a second: 0.5 s or 1 ms.
                let nanos = match tape.pick(10) {
                    9 => 500_000_000,
                    8 => 1_000_000,
                    _ => 0,
                };
                day.and_hms_nano_opt(h as u32, m as u32, sec as u32, nanos)
                    .unwrap()
            }
        };
        times.push(at);
        let mut form = tape.one(&[
            Form::Plus8,
            Form::Naive,
            Form::Utc,
            Form::NaiveShort,
            Form::Date,
        ]);
        if form == Form::NaiveShort && (at.second() != 0 || at.nanosecond() != 0) {
            form = Form::Naive;
        }
        if form == Form::Date && at.time() != chrono::NaiveTime::MIN {
            form = Form::Plus8;
        }
        let at = if tape.chance(2) {
            At::Bad(tape.one(&BAD_TIMESTAMPS))
        } else {
            At::Local(at, form)
        };
        let actor = tape.one(&people);
        let who = if tape.chance(3) {
            tape.one(&[
                Who::One(String::new()),
                Who::List(Vec::new()),
                Who::Raw("7"),
            ])
        } else if rules.collective(kind) && tape.chance(50) || tape.chance(3) {
            let mut list: Vec<String> =
                people.iter().filter(|_| tape.chance(40)).cloned().collect();
            if list.is_empty() {
                list.push(actor.clone());
            }
            if tape.chance(5) {
                list.push(list[0].clone());
            }
            Who::List(list)
        } else {
            Who::One(actor.clone())
        };
        let (reads, amount) = rules.needs(kind);
        let mut attrs = Vec::new();
        for (name, ty, required) in reads {
            if tape.chance(if required { 4 } else { 40 }) {
                continue;
            }
            let value = if tape.chance(3) {
                ill_typed(tape, ty)
            } else {
                match ty {
                    Ty::Whole => number(tape, true, &edges),
                    Ty::Number => number(tape, false, &edges),
                    Ty::Flag => Val::Bool(tape.chance(50)),
                    Ty::Text => Val::Str(match tape.pick(10) {
                        0 => actor.clone(),
                        1 => "M1".to_owned(),
                        _ => tape.one(&people),
                    }),
                }
            };
            attrs.push((name.to_owned(), value));
        }
        match amount {
            super::AmountUse::Required(low, high) if !tape.chance(4) => {
                let fen = |d: Decimal| (d * Decimal::ONE_HUNDRED).trunc().try_into().unwrap();
                let (low, high): (i64, i64) = (fen(low), fen(high));
                let value = match tape.pick(12) {
                    0 => Val::Dec(low * 10 - 5, 3),
                    1 => Val::Int(high / 100 + 1),
                    2 => Val::Str("40".to_owned()),
                    3 => Val::Int(low / 100),
                    _ => Val::Dec(low + tape.pick((high - low + 1) as usize) as i64, 2),
                };
                attrs.push(("amount".to_owned(), value));
            }
            super::AmountUse::Required(..) => {}
            _ if tape.chance(4) => attrs.push(("amount".to_owned(), Val::Int(20))),
            _ => {}
        }
        if tape.chance(5) {
            attrs.push(("note".to_owned(), Val::Str("x".to_owned())));
        }
        lines.push((
            line,
            Input::Event {
                at,
                who,
                kind: name,
                attrs,
            },
        ));
    }
    let roster = tape.chance(50).then(|| {
        let mut roster: Vec<String> = people.iter().filter(|_| tape.chance(60)).cloned().collect();
        if tape.chance(30) {
            roster.push("E9".to_owned());
        }
        if !roster.is_empty() && tape.chance(15) {
            roster.push(roster[0].clone());
        }
        roster
    });
    (lines, roster)
}

// ── Writing lines as JSON ───────────────────────────────────────────────────────────────────

impl Val {
    pub fn json(&self) -> String {
        match self {
            Val::Int(i) => i.to_string(),
            Val::Dec(m, s) => {
                let p = 10u64.pow(*s);
                let a = m.unsigned_abs();
                let sign = if *m < 0 { "-" } else { "" };
                format!("{sign}{}.{:0w$}", a / p, a % p, w = *s as usize)
            }
            Val::Bool(b) => b.to_string(),
            Val::Str(s) => serde_json::to_string(s).unwrap(),
            Val::Null => "null".to_owned(),
        }
    }
}

impl At {
    pub fn text(&self) -> String {
        match self {
            At::Bad(text) => (*text).to_owned(),
            At::Local(at, form) => match form {
                Form::Plus8 => format!("{}+08:00", at.format("%Y-%m-%dT%H:%M:%S%.f")),
                Form::Utc => {
                    let utc = *at - chrono::Duration::hours(8);
                    format!("{}Z", utc.format("%Y-%m-%dT%H:%M:%S%.f"))
                }
                Form::Naive => at.format("%Y-%m-%dT%H:%M:%S%.f").to_string(),
                Form::NaiveShort => at.format("%Y-%m-%d %H:%M").to_string(),
                Form::Date => at.format("%Y-%m-%d").to_string(),
            },
        }
    }
}

impl Input {
    pub fn json(&self) -> String {
        match self {
            Input::Raw(text) => (*text).to_owned(),
            Input::Event {
                at,
                who,
                kind,
                attrs,
            } => {
                let who = match who {
                    Who::One(id) => serde_json::to_string(id).unwrap(),
                    Who::List(ids) => serde_json::to_string(ids).unwrap(),
                    Who::Raw(raw) => (*raw).to_owned(),
                };
                let mut text = format!(
                    "{{\"at\": {}, \"who\": {who}, \"event\": {}",
                    serde_json::to_string(&at.text()).unwrap(),
                    serde_json::to_string(kind).unwrap()
                );
                for (name, value) in attrs {
                    let _ = write!(text, ", \"{name}\": {}", value.json());
                }
                text.push('}');
                text
            }
        }
    }
}
