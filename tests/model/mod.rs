//! A reference model of the whole rule language: what a rulebook (as [`book::Book`] describes
//! it) makes of a stream of event lines, written as plainly as possible so that it can be
//! checked by eye against `docs/semantics.md` and README. It knows nothing of the crate: it reads
//! the description the generator built, validates each line itself (§6, §8), sorts the valid
//! ones stably by time (§1), keeps plain vectors and maps of what happened, and recomputes
//! everything it needs (counts, heaviest bases) from them.
//!
//! What the model says a rulebook means, rule by rule:
//!
//! - **Which rule.** An event of kind K is judged by the first rule about K (in file order)
//!   whose conditions all hold (a missing flag is `false`) and, for a banded rule, whose bands
//!   hold the measure's value. None: the line is ignored (by the banded rule if K has one, else
//!   by K's first rule). A `no consequence` rule: ignored. A rule (or band) that says
//!   `counts as J` judges the event as an event of kind J, and so on.
//! - **The people at fault** are the people `who` names: one, or for a collective kind every
//!   person listed. A money consequence without a target, or `for every person named`, is for
//!   each of them; `for their ROLE` is for the one person the event's text measure ROLE names
//!   (an event naming a person at fault there is rejected), once.
//! - **The Nth time** counts, per person at fault and calendar month, the events the rule
//!   applied to (its kind, or a kind that counts as it, with its conditions met and a band
//!   found), this one included, whether or not they were paid: `from the 4th time on` fines
//!   the 4th occurrence first. A schedule's amount is the `the Nth time` step for that count,
//!   else the latest `from the Nth time on` step reached, else nothing.
//! - **Amounts.** Fixed; ranged: the event's `amount`, which must lie in the rule's range;
//!   per unit: rate × (value − beyond), nothing when that is not above zero; percent:
//!   value × percent / 100, nothing when not above zero. A computed amount must be whole fen,
//!   or the line is rejected.
//! - **Escalations.** Each entry an event makes (for whomever it is) is counted by the first
//!   escalation of its direction whose sections hold the rule's section (or that counts every
//!   section), per person and window (month, quarter, year). The count includes the entry;
//!   a picked entry is `factor × level` (level: the heaviest base so far in the window, the
//!   heaviest of the last N, or its own base, this one included) or its base plus the
//!   surcharge. Bases never change.
//! - **Outcomes** are for each person at fault: always, when the flag has the value, or on the
//!   picked occurrence counts. A promotion subject to approval is `approved` when the event's
//!   `approved` flag is set, else `pending approval` (always pending from a period rule).
//! - A rule that applies but makes no entry and no outcome leaves the line ignored.
//! - **Period rules.** The months run from the first to the last of the lines applied or
//!   ignored. For each month, the period rules whose period ends with it (quarters in March,
//!   June, September, December; years in December), in file order, for every person on the
//!   roster (given, or everyone `who` names on a line applied or ignored): the events in the
//!   window whose kind, or a kind they counted as, is tested; `with no …` holds when there
//!   are none, `with OP N …` when the count compares so. With a streak of S, it pays when it
//!   has held S, 2S, … windows in a row. Its entries are dated the month's last day, listed
//!   after the month's other entries, and never escalated.
//! - A rejected line leaves no trace: no count, no month, no person.

pub mod book;
pub mod generate;

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;

use book::{
    Amount, Body, Book, Cond, Conseq, Dir, Effect, Kind, Level, Line, M, Nth, OutcomeKind, Period,
    Target, Test, Ty, Unit, When,
};

// ── Input lines, as the generator describes them ────────────────────────────────────────────

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// `2025-08-18T09:30:00+08:00`
    Plus8,
    /// `2025-08-18T01:30:00Z`
    Utc,
    /// `2025-08-18T09:30:00`
    Naive,
    /// `2025-08-18 09:30`
    NaiveShort,
    /// `2025-08-18`: local midnight
    Date,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum At {
    /// A local time (the rulebook's zone, +08:00) and how the line writes it.
    Local(NaiveDateTime, Form),
    Bad(&'static str),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Who {
    One(String),
    List(Vec<String>),
    /// JSON that is not a staff id or a list of them.
    Raw(&'static str),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Val {
    Int(i64),
    /// `mantissa / 10^scale`, written with `scale` (≥ 1) decimals.
    Dec(i64, u32),
    Bool(bool),
    Str(String),
    Null,
}

impl Val {
    /// The exact number a JSON number is.
    pub fn number(&self) -> Option<Decimal> {
        match self {
            Val::Int(i) => Some(Decimal::from(*i)),
            Val::Dec(m, s) => Some(Decimal::new(*m, *s)),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Event {
        at: At,
        who: Who,
        kind: String,
        attrs: Vec<(String, Val)>,
    },
    /// A line that is no event at all.
    Raw(&'static str),
}

// ── What the model produces: the crate's `Report`, in plain values ──────────────────────────

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub statements: Vec<Statement>,
    /// Line, and the label of the rule that judged it.
    pub ignored: Vec<(u64, String)>,
    pub rejected: Vec<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub who: String,
    pub month: String,
    pub fines: Decimal,
    pub rewards: Decimal,
    pub net: Decimal,
    /// Point fines, rewards and net, when there are any.
    pub points: Option<(Decimal, Decimal, Decimal)>,
    pub entries: Vec<Entry>,
    pub outcomes: Vec<Outcome>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub line: Option<u64>,
    pub at: String,
    pub rule: String,
    pub dir: Dir,
    pub unit: Unit,
    pub base: Decimal,
    pub amount: Decimal,
    /// Pieces the entry's `why` must contain (not compared for equality).
    pub why: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub line: Option<u64>,
    pub rule: String,
    pub kind: &'static str,
    pub status: Option<&'static str>,
    pub grades: Option<u32>,
}

// ── The rulebook, read from its description ─────────────────────────────────────────────────

/// A rule about one kind, with its label and section.
struct RuleOf<'b> {
    label: &'b str,
    section: Option<u32>,
    kind: Kind,
    conds: &'b [Cond],
    /// `None` for `no consequence`.
    action: Option<Action<'b>>,
}

enum Action<'b> {
    Conseqs(&'b [Conseq]),
    Banded(M, &'b [book::Band]),
}

struct Escalation<'b> {
    label: &'b str,
    window: Period,
    nth: Nth,
    dir: Dir,
    sections: &'b [u32],
    effect: Effect,
}

struct PeriodRule<'b> {
    label: &'b str,
    period: Period,
    test: &'b Test,
    streak: u32,
    conseqs: &'b [Conseq],
}

struct Rules<'b> {
    book: &'b Book,
    rules: Vec<RuleOf<'b>>,
    periods: Vec<PeriodRule<'b>>,
    escalations: Vec<Escalation<'b>>,
}

impl<'b> Rules<'b> {
    fn new(book: &'b Book) -> Rules<'b> {
        let mut rules = Vec::new();
        let mut periods = Vec::new();
        let mut escalations = Vec::new();
        let mut section = None;
        for line in &book.lines {
            let (label, body) = match line {
                Line::Section(n) => {
                    section = Some(*n);
                    continue;
                }
                Line::Rule { label, body } => (label.as_str(), body),
            };
            match body {
                Body::Occurrence {
                    kind,
                    conds,
                    conseqs,
                } => rules.push(RuleOf {
                    label,
                    section,
                    kind: *kind,
                    conds,
                    action: Some(Action::Conseqs(conseqs)),
                }),
                Body::Banded { kind, m, bands } => rules.push(RuleOf {
                    label,
                    section,
                    kind: *kind,
                    conds: &[],
                    action: Some(Action::Banded(*m, bands)),
                }),
                Body::Recorded(kinds) => {
                    for kind in kinds {
                        rules.push(RuleOf {
                            label,
                            section,
                            kind: *kind,
                            conds: &[],
                            action: None,
                        });
                    }
                }
                Body::Period {
                    period,
                    test,
                    streak,
                    conseqs,
                } => periods.push(PeriodRule {
                    label,
                    period: *period,
                    test,
                    streak: streak.unwrap_or(1),
                    conseqs,
                }),
                Body::Escalation {
                    window,
                    nth,
                    dir,
                    sections,
                    effect,
                } => escalations.push(Escalation {
                    label,
                    window: *window,
                    nth: *nth,
                    dir: *dir,
                    sections,
                    effect: *effect,
                }),
            }
        }
        Rules {
            book,
            rules,
            periods,
            escalations,
        }
    }

    /// The rules about `kind`, by index, in file order.
    fn of(&self, kind: Kind) -> Vec<usize> {
        (0..self.rules.len())
            .filter(|&r| self.rules[r].kind == kind)
            .collect()
    }

    fn kind_of(&self, name: &str) -> Option<Kind> {
        (0..self.book.kinds.len()).find(|&k| self.book.kinds[k] == name && !self.of(k).is_empty())
    }

    /// Every consequence of rule `r`, bands included.
    fn conseqs(&self, r: usize) -> Vec<&'b Conseq> {
        match &self.rules[r].action {
            Some(Action::Conseqs(list)) => list.iter().collect(),
            Some(Action::Banded(_, bands)) => bands.iter().flat_map(|b| &b.conseqs).collect(),
            None => Vec::new(),
        }
    }

    /// The kinds an event of `kind` may be judged as: itself and every kind a `counts as`
    /// of these leads to.
    fn reach(&self, kind: Kind) -> Vec<Kind> {
        let mut reach = vec![kind];
        let mut i = 0;
        while i < reach.len() {
            for r in self.of(reach[i]) {
                for c in self.conseqs(r) {
                    if let Conseq::CountsAs(j) = c
                        && !reach.contains(j)
                    {
                        reach.push(*j);
                    }
                }
            }
            i += 1;
        }
        reach
    }

    /// What an event of `kind` must carry: each measure some rule it may be judged by reads
    /// (name, type, required), and the `amount` it must or must not give.
    fn needs(&self, kind: Kind) -> (Vec<(&'static str, Ty, bool)>, AmountUse) {
        let mut reads: Vec<(&'static str, Ty, bool)> = Vec::new();
        let mut read = |name: &'static str, ty: Ty, required: bool| match reads
            .iter_mut()
            .find(|(n, _, _)| *n == name)
        {
            Some(entry) => entry.2 |= required,
            None => reads.push((name, ty, required)),
        };
        let measure = |m: M| {
            let measure = &self.book.measures[m];
            (measure.name, measure.ty)
        };
        let mut amount = AmountUse::Unused;
        for k in self.reach(kind) {
            for r in self.of(k) {
                for cond in self.rules[r].conds {
                    match cond {
                        Cond::Compare { m, .. } => {
                            let (name, ty) = measure(*m);
                            read(name, ty, true);
                        }
                        Cond::Flag { m, .. } => {
                            let (name, ty) = measure(*m);
                            read(name, ty, false);
                        }
                    }
                }
                if let Some(Action::Banded(m, _)) = self.rules[r].action {
                    let (name, ty) = measure(m);
                    read(name, ty, true);
                }
                for c in self.conseqs(r) {
                    match c {
                        Conseq::Money {
                            amount: a, target, ..
                        } => {
                            match a {
                                Amount::Range(low, high) => {
                                    amount = match amount {
                                        AmountUse::Required(l, h) => {
                                            AmountUse::Required(l.min(*low), h.max(*high))
                                        }
                                        _ => AmountUse::Required(*low, *high),
                                    }
                                }
                                Amount::PerUnit { m, .. } | Amount::Percent { m, .. } => {
                                    let (name, ty) = measure(*m);
                                    read(name, ty, true);
                                }
                                Amount::Fixed(_) | Amount::Schedule(_) => {
                                    if amount == AmountUse::Unused {
                                        amount = AmountUse::Forbidden;
                                    }
                                }
                            }
                            if let Target::Related(m) = target {
                                let (name, ty) = measure(*m);
                                read(name, ty, true);
                            }
                        }
                        Conseq::Outcome { kind, when } => {
                            if let When::Flag(m, _) = when {
                                let (name, ty) = measure(*m);
                                read(name, ty, false);
                            }
                            if let OutcomeKind::Promotion { approval: true, .. } = kind {
                                read("approved", Ty::Flag, false);
                            }
                        }
                        Conseq::CountsAs(_) => {}
                    }
                }
            }
        }
        (reads, amount)
    }

    /// Whether `who` may list several people for `kind`: some rule it may be judged by
    /// charges every person named.
    fn collective(&self, kind: Kind) -> bool {
        self.reach(kind).into_iter().any(|k| {
            self.of(k).into_iter().any(|r| {
                self.conseqs(r).into_iter().any(|c| {
                    matches!(
                        c,
                        Conseq::Money {
                            target: Target::EveryPersonNamed,
                            ..
                        }
                    )
                })
            })
        })
    }

    /// The escalation that counts rule `r`'s entries in `dir`.
    fn escalation(&self, r: usize, dir: Dir) -> Option<usize> {
        let section = self.rules[r].section;
        (0..self.escalations.len()).find(|&e| {
            let esc = &self.escalations[e];
            esc.dir == dir
                && (esc.sections.is_empty() || section.is_some_and(|s| esc.sections.contains(&s)))
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum AmountUse {
    Unused,
    Forbidden,
    Required(Decimal, Decimal),
}

// ── Calendar ────────────────────────────────────────────────────────────────────────────────

/// A calendar month: (year, month 1–12).
type Month = (i32, u32);

/// A month, quarter or year: (year, index within the year).
type Window = (i32, u32);

fn window(month: Month, period: Period) -> Window {
    match period {
        Period::Month => (month.0, month.1 - 1),
        Period::Quarter => (month.0, (month.1 - 1) / 3),
        Period::Year => (month.0, 0),
    }
}

fn previous(window: Window, period: Period) -> Window {
    let per_year = match period {
        Period::Month => 12,
        Period::Quarter => 4,
        Period::Year => 1,
    };
    if window.1 == 0 {
        (window.0 - 1, per_year - 1)
    } else {
        (window.0, window.1 - 1)
    }
}

fn window_name(window: Window, period: Period) -> String {
    match period {
        Period::Month => format!("{:04}-{:02}", window.0, window.1 + 1),
        Period::Quarter => format!("{:04}-Q{}", window.0, window.1 + 1),
        Period::Year => format!("{:04}", window.0),
    }
}

/// Whether `month` is the last month of a `period`.
fn ends(month: Month, period: Period) -> bool {
    match period {
        Period::Month => true,
        Period::Quarter => month.1.is_multiple_of(3),
        Period::Year => month.1 == 12,
    }
}

fn next_month(month: Month) -> Month {
    if month.1 == 12 {
        (month.0 + 1, 1)
    } else {
        (month.0, month.1 + 1)
    }
}

fn last_day(month: Month) -> NaiveDate {
    let (year, m) = next_month(month);
    NaiveDate::from_ymd_opt(year, m, 1)
        .unwrap()
        .pred_opt()
        .unwrap()
}

fn month_name(month: Month) -> String {
    format!("{:04}-{:02}", month.0, month.1)
}

// ── Validation (§6, §8) ─────────────────────────────────────────────────────────────────────

/// A line the model found valid.
struct Valid {
    line: u64,
    at: NaiveDateTime,
    date_only: bool,
    kind: Kind,
    people: Vec<String>,
    values: BTreeMap<&'static str, Val>,
    amount: Option<Decimal>,
}

impl Valid {
    fn month(&self) -> Month {
        (self.at.year(), self.at.month())
    }

    fn at_text(&self) -> String {
        if self.date_only {
            self.at.format("%Y-%m-%d").to_string()
        } else {
            // A fraction of a second is shown when there is one.
            format!("{}+08:00", self.at.format("%Y-%m-%dT%H:%M:%S%.f"))
        }
    }

    fn number(&self, name: &str) -> Decimal {
        self.values[name]
            .number()
            .expect("a number measure was validated")
    }

    fn flag(&self, name: &str) -> bool {
        matches!(self.values.get(name), Some(Val::Bool(true)))
    }

    fn text(&self, name: &str) -> String {
        match &self.values[name] {
            Val::Str(s) => s.clone(),
            other => panic!("a text measure was validated, not {other:?}"),
        }
    }
}

fn whole_fen(value: Decimal) -> bool {
    (value * Decimal::ONE_HUNDRED).fract().is_zero()
}

fn validate(rules: &Rules<'_>, line: u64, input: &Input) -> Option<Valid> {
    let Input::Event {
        at,
        who,
        kind,
        attrs,
    } = input
    else {
        return None;
    };
    let At::Local(at, form) = at else {
        return None;
    };
    let kind = rules.kind_of(kind)?;
    if at.date() < rules.book.effective {
        return None;
    }
    let valid_id = |id: &String| !id.is_empty();
    let people = match who {
        Who::One(id) if valid_id(id) => vec![id.clone()],
        Who::List(ids) if rules.collective(kind) => {
            let distinct = ids.iter().enumerate().all(|(i, id)| !ids[..i].contains(id));
            if ids.is_empty() || !ids.iter().all(valid_id) || !distinct {
                return None;
            }
            ids.clone()
        }
        _ => return None,
    };
    let given = |name: &str| attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v);
    let (reads, amount_use) = rules.needs(kind);
    let mut values = BTreeMap::new();
    for (name, ty, required) in reads {
        match given(name) {
            None if required => return None,
            None => {}
            Some(value) => {
                let ok = match (ty, value) {
                    (Ty::Whole, Val::Int(_)) => true,
                    (Ty::Number, Val::Int(_) | Val::Dec(..)) => true,
                    (Ty::Flag, Val::Bool(_)) => true,
                    (Ty::Text, Val::Str(s)) => !s.is_empty(),
                    _ => false,
                };
                if !ok {
                    return None;
                }
                values.insert(name, value.clone());
            }
        }
    }
    let amount = match amount_use {
        AmountUse::Required(low, high) => {
            let amount = given("amount")?.number()?;
            if !whole_fen(amount) || amount < low || amount > high {
                return None;
            }
            Some(amount)
        }
        AmountUse::Forbidden if given("amount").is_some() => return None,
        _ => None,
    };
    Some(Valid {
        line,
        at: *at,
        date_only: *form == Form::Date,
        kind,
        people,
        values,
        amount,
    })
}

// ── The fold ────────────────────────────────────────────────────────────────────────────────

/// The order of entries in a month: period rules last, then time, then line.
type Order = (bool, NaiveDateTime, u64);

/// An entry with its person and month, and its place in the month.
type Placed = (String, Month, Order, Entry);

/// An entry computed for an event, with its person and the escalation window that counts it.
type Computed = (String, Option<(usize, Window)>, Entry);

#[derive(Default)]
struct State {
    /// Entries: person, month, the order key (period rule last, time, line), the entry.
    entries: Vec<Placed>,
    outcomes: Vec<(String, Month, Outcome)>,
    ignored: Vec<(u64, String)>,
    /// How many times each rule applied to each person in each month.
    occurrences: BTreeMap<(String, usize, Month), u64>,
    /// The bases each escalation counted for each person in each window, in order.
    bases: BTreeMap<(String, usize, Window), Vec<Decimal>>,
    /// Each applied or ignored event of each person: its month and the kinds it counted as.
    seen: Vec<(String, Month, Vec<Kind>)>,
    /// Everyone `who` named on a line applied or ignored, in order.
    named: Vec<String>,
    months: Option<(Month, Month)>,
    /// Per person and period rule: the last window judged, and the run of windows it held.
    streaks: BTreeMap<(String, usize), (Window, u64)>,
}

impl State {
    fn see(&mut self, event: &Valid, path: &[Kind]) {
        let month = event.month();
        self.months = Some(match self.months {
            None => (month, month),
            Some((first, last)) => (first.min(month), last.max(month)),
        });
        for person in &event.people {
            if !self.named.contains(person) {
                self.named.push(person.clone());
            }
            self.seen.push((person.clone(), month, path.to_vec()));
        }
    }
}

/// The amount of a schedule for the `count`th time.
fn step(steps: &[(Nth, Decimal)], count: u64) -> Option<Decimal> {
    let exact = steps
        .iter()
        .find(|(nth, _)| *nth == Nth::Only(count as u32));
    let from = steps
        .iter()
        .filter(|(nth, _)| matches!(nth, Nth::From(n) if u64::from(*n) <= count))
        .max_by_key(|(nth, _)| match nth {
            Nth::From(n) => *n,
            _ => 0,
        });
    exact.or(from).map(|(_, amount)| *amount)
}

fn dir_word(dir: Dir) -> &'static str {
    match dir {
        Dir::Fine => "fine",
        Dir::Reward => "reward",
    }
}

/// Applies one valid event; `Err` when it must be rejected (it then changes nothing).
fn apply(rules: &Rules<'_>, state: &mut State, event: &Valid) -> Result<(), ()> {
    let book = rules.book;
    let mut kind = event.kind;
    let mut path = vec![kind];
    // Which rule applies, and its consequences (a band's, for a banded rule).
    let (r, conseqs, band) = loop {
        let of_kind = rules.of(kind);
        let applies = of_kind.iter().copied().find_map(|r| {
            let rule = &rules.rules[r];
            let conds_hold = rule.conds.iter().all(|c| match c {
                Cond::Compare { m, op, value, .. } => {
                    op.holds(event.number(book.measures[*m].name), *value)
                }
                Cond::Flag { m, expected } => event.flag(book.measures[*m].name) == *expected,
            });
            if !conds_hold {
                return None;
            }
            match &rule.action {
                Some(Action::Banded(m, bands)) => {
                    let value = event.number(book.measures[*m].name);
                    let band = bands.iter().find(|b| b.range.contains(value))?;
                    Some((r, Some(band.conseqs.as_slice()), Some((*m, value))))
                }
                Some(Action::Conseqs(list)) => Some((r, Some(*list), None)),
                None => Some((r, None, None)),
            }
        });
        let Some((r, conseqs, band)) = applies else {
            let banded = of_kind
                .iter()
                .copied()
                .find(|&r| matches!(rules.rules[r].action, Some(Action::Banded(..))));
            let r = banded.unwrap_or(of_kind[0]);
            state
                .ignored
                .push((event.line, rules.rules[r].label.to_owned()));
            state.see(event, &path);
            return Ok(());
        };
        let Some(conseqs) = conseqs else {
            state
                .ignored
                .push((event.line, rules.rules[r].label.to_owned()));
            state.see(event, &path);
            return Ok(());
        };
        if let [Conseq::CountsAs(other)] = conseqs {
            kind = *other;
            path.push(kind);
            continue;
        }
        break (r, conseqs, band);
    };
    let rule = &rules.rules[r];
    let month = event.month();
    let count = |state: &State, person: &String| {
        state
            .occurrences
            .get(&(person.clone(), r, month))
            .copied()
            .unwrap_or(0)
            + 1
    };

    // Every entry and outcome, computed from the state before this event.
    let mut entries: Vec<Computed> = Vec::new();
    let mut outcomes: Vec<(String, Outcome)> = Vec::new();
    for conseq in conseqs {
        match conseq {
            Conseq::Money {
                dir,
                amount,
                unit,
                target,
            } => {
                // Who is charged or paid, and for whose doing.
                let targets: Vec<(String, String)> = match target {
                    Target::Actor | Target::EveryPersonNamed => event
                        .people
                        .iter()
                        .map(|p| (p.clone(), p.clone()))
                        .collect(),
                    Target::Related(role) => {
                        let related = event.text(book.measures[*role].name);
                        if event.people.contains(&related) {
                            return Err(());
                        }
                        vec![(related, event.people[0].clone())]
                    }
                };
                for (person, at_fault) in targets {
                    let mut why = Vec::new();
                    if path.len() > 1 {
                        why.push(format!(
                            "{} (counts as {})",
                            book.kinds[path[0]], book.kinds[kind]
                        ));
                    }
                    if let Some((m, value)) = band {
                        why.push(format!("{} {value}, ", book.measures[m].name));
                    }
                    let base = match amount {
                        Amount::Fixed(value) => Some(*value),
                        Amount::Range(low, high) => {
                            let amount = event.amount.expect("validated");
                            if amount < *low || amount > *high {
                                return Err(());
                            }
                            Some(amount)
                        }
                        Amount::PerUnit { rate, m, beyond } => {
                            let name = book.measures[*m].name;
                            let value = event.number(name);
                            let beyond = beyond.unwrap_or(Decimal::ZERO);
                            let units = value - beyond;
                            if units <= Decimal::ZERO {
                                None
                            } else {
                                let amount = *rate * units;
                                if !whole_fen(amount) {
                                    return Err(());
                                }
                                why.push(format!(
                                    "{name} {value}: {units} beyond {beyond} at {} each",
                                    rate.normalize()
                                ));
                                Some(amount)
                            }
                        }
                        Amount::Percent { percent, m } => {
                            let name = book.measures[*m].name;
                            let value = event.number(name);
                            let amount = value * *percent / Decimal::ONE_HUNDRED;
                            if !whole_fen(amount) {
                                return Err(());
                            }
                            why.push(format!("{percent}% of {name} {value}"));
                            (amount > Decimal::ZERO).then_some(amount)
                        }
                        Amount::Schedule(steps) => {
                            let n = count(state, &at_fault);
                            why.push(format!(
                                "the {} time in {}",
                                book::ordinal(n as u32),
                                month_name(month)
                            ));
                            step(steps, n)
                        }
                    };
                    let Some(base) = base else { continue };
                    if let Target::Related(role) = target {
                        why.push(format!(
                            "as the {} of \"{at_fault}\"",
                            book.measures[*role].name
                        ));
                    }
                    let mut amount = base;
                    let mut counted = None;
                    if let Some(e) = rules.escalation(r, *dir) {
                        let esc = &rules.escalations[e];
                        let w = window(month, esc.window);
                        // Earlier entries of this event for the same person count first.
                        let mut bases = state
                            .bases
                            .get(&(person.clone(), e, w))
                            .cloned()
                            .unwrap_or_default();
                        for (p, c, entry) in &entries {
                            if *p == person && *c == Some((e, w)) {
                                bases.push(entry.base);
                            }
                        }
                        bases.push(base);
                        let n = bases.len() as u64;
                        if esc.nth.picks(n) {
                            why.push(format!(
                                "; {} {} in {}",
                                book::ordinal(n as u32),
                                dir_word(*dir),
                                window_name(w, esc.window)
                            ));
                            amount = match esc.effect {
                                Effect::Multiply(factor, level) => {
                                    let level = match level {
                                        Level::SoFar => bases.iter().copied().max().unwrap(),
                                        Level::Last(k) => bases
                                            .iter()
                                            .rev()
                                            .take(k as usize)
                                            .copied()
                                            .max()
                                            .unwrap(),
                                        Level::Own => base,
                                    };
                                    why.push(format!("{} × {}", factor, level.normalize()));
                                    level * Decimal::from(factor)
                                }
                                Effect::Surcharge(extra, _) => {
                                    why.push(format!(
                                        "{} + {}",
                                        base.normalize(),
                                        extra.normalize()
                                    ));
                                    base + extra
                                }
                            };
                            why.push(esc.label.to_owned());
                        }
                        counted = Some((e, w));
                    }
                    entries.push((
                        person,
                        counted,
                        Entry {
                            line: Some(event.line),
                            at: event.at_text(),
                            rule: rule.label.to_owned(),
                            dir: *dir,
                            unit: *unit,
                            base,
                            amount,
                            why,
                        },
                    ));
                }
            }
            Conseq::Outcome { kind, when } => {
                for person in &event.people {
                    let applies = match when {
                        When::Always => true,
                        When::Flag(m, expected) => event.flag(book.measures[*m].name) == *expected,
                        When::Ordinal(nth) => nth.picks(count(state, person)),
                    };
                    if applies {
                        outcomes.push((
                            person.clone(),
                            outcome(rule.label, *kind, Some(event.line), event.flag("approved")),
                        ));
                    }
                }
            }
            Conseq::CountsAs(_) => unreachable!("`counts as` stands alone"),
        }
    }

    // Commit.
    if entries.is_empty() && outcomes.is_empty() {
        state.ignored.push((event.line, rule.label.to_owned()));
    }
    for person in &event.people {
        *state
            .occurrences
            .entry((person.clone(), r, month))
            .or_insert(0) += 1;
    }
    for (person, counted, entry) in entries {
        if let Some((e, w)) = counted {
            state
                .bases
                .entry((person.clone(), e, w))
                .or_default()
                .push(entry.base);
        }
        let key = (false, event.at, event.line);
        state.entries.push((person, month, key, entry));
    }
    for (person, outcome) in outcomes {
        state.outcomes.push((person, month, outcome));
    }
    state.see(event, &path);
    Ok(())
}

fn outcome(rule: &str, kind: OutcomeKind, line: Option<u64>, approved: bool) -> Outcome {
    let (name, status, grades) = match kind {
        OutcomeKind::Dismissal => ("dismissal", None, None),
        OutcomeKind::Remedy => ("remedy", None, None),
        OutcomeKind::Promotion { grades, approval } => (
            "promotion",
            approval.then_some(if approved {
                "approved"
            } else {
                "pending approval"
            }),
            Some(grades),
        ),
    };
    Outcome {
        line,
        rule: rule.to_owned(),
        kind: name,
        status,
        grades,
    }
}

/// Closes every month from the first to the last of the lines applied or ignored.
fn close(rules: &Rules<'_>, state: &mut State, roster: &[String]) {
    let Some((first, last)) = state.months else {
        return;
    };
    let mut month = first;
    loop {
        for (index, rule) in rules.periods.iter().enumerate() {
            if !ends(month, rule.period) {
                continue;
            }
            let w = window(month, rule.period);
            let tested: Vec<Kind> = match rule.test {
                Test::Absent { kinds, .. } => kinds.clone(),
                Test::Count { kind, .. } => vec![*kind],
            };
            for person in roster {
                let count = state
                    .seen
                    .iter()
                    .filter(|(p, m, path)| {
                        p == person
                            && window(*m, rule.period) == w
                            && path.iter().any(|k| tested.contains(k))
                    })
                    .count() as u64;
                let holds = match rule.test {
                    Test::Absent { .. } => count == 0,
                    Test::Count { op, n, .. } => op.holds(Decimal::from(count), Decimal::from(*n)),
                };
                let key = (person.clone(), index);
                let run = match state.streaks.get(&key) {
                    _ if !holds => 0,
                    Some(&(before, run)) if run > 0 && previous(w, rule.period) == before => {
                        run + 1
                    }
                    _ => 1,
                };
                state.streaks.insert(key, (w, run));
                if !holds || run % u64::from(rule.streak) != 0 {
                    continue;
                }
                let name = window_name(w, rule.period);
                let mut why = vec![match rule.test {
                    Test::Absent {
                        group: Some(group), ..
                    } => format!("no {group} in {name}"),
                    Test::Absent { kinds, .. } => {
                        let names: Vec<&str> = kinds.iter().map(|k| rules.book.kinds[*k]).collect();
                        let list = match names.as_slice() {
                            [one] => (*one).to_owned(),
                            [init @ .., last] => format!("{} or {last}", init.join(", ")),
                            [] => String::new(),
                        };
                        format!("no {list} in {name}")
                    }
                    Test::Count { kind, .. } => {
                        format!("{count} {} in {name}", rules.book.kinds[*kind])
                    }
                }];
                if rule.streak > 1 {
                    why.push(format!(" ({run} {}s in a row)", rule.period.word()));
                }
                for conseq in rule.conseqs {
                    match conseq {
                        Conseq::Money {
                            dir,
                            amount: Amount::Fixed(amount),
                            unit,
                            ..
                        } => {
                            let at = last_day(month);
                            state.entries.push((
                                person.clone(),
                                month,
                                (true, at.and_hms_opt(0, 0, 0).unwrap(), 0),
                                Entry {
                                    line: None,
                                    at: at.format("%Y-%m-%d").to_string(),
                                    rule: rule.label.to_owned(),
                                    dir: *dir,
                                    unit: *unit,
                                    base: *amount,
                                    amount: *amount,
                                    why: why.clone(),
                                },
                            ));
                        }
                        Conseq::Outcome { kind, .. } => {
                            state.outcomes.push((
                                person.clone(),
                                month,
                                outcome(rule.label, *kind, None, false),
                            ));
                        }
                        other => unreachable!("a period rule pays a fixed amount: {other:?}"),
                    }
                }
            }
        }
        if month == last {
            break;
        }
        month = next_month(month);
    }
}

/// What the model makes of `lines` under `book`, for `roster` (or, without one, everyone
/// named on a line applied or ignored).
pub fn evaluate(book: &Book, lines: &[(u64, Input)], roster: Option<&[String]>) -> Report {
    let rules = Rules::new(book);
    let mut rejected = Vec::new();
    let mut valid = Vec::new();
    for (line, input) in lines {
        match validate(&rules, *line, input) {
            Some(event) => valid.push(event),
            None => rejected.push(*line),
        }
    }
    // §1: in time order; a date is local midnight; ties keep their input order.
    valid.sort_by_key(|event| event.at);
    let mut state = State::default();
    for event in &valid {
        if apply(&rules, &mut state, event).is_err() {
            rejected.push(event.line);
        }
    }
    let roster: Vec<String> = match roster {
        Some(people) => {
            let mut once: Vec<String> = Vec::new();
            for person in people {
                if !once.contains(person) {
                    once.push(person.clone());
                }
            }
            once
        }
        None => state.named.clone(),
    };
    close(&rules, &mut state, &roster);

    // Statements by person, then month; entries by (period rule last, time, line), stably.
    let mut keys: Vec<(String, Month)> = state
        .entries
        .iter()
        .map(|(p, m, _, _)| (p.clone(), *m))
        .chain(state.outcomes.iter().map(|(p, m, _)| (p.clone(), *m)))
        .collect();
    keys.sort();
    keys.dedup();
    let statements = keys
        .into_iter()
        .map(|(who, month)| {
            let mut entries: Vec<&Placed> = state
                .entries
                .iter()
                .filter(|(p, m, _, _)| *p == who && *m == month)
                .collect();
            entries.sort_by_key(|(_, _, key, _)| *key);
            let entries: Vec<Entry> = entries.into_iter().map(|(_, _, _, e)| e.clone()).collect();
            let sum = |dir: Dir, unit: Unit| -> Decimal {
                entries
                    .iter()
                    .filter(|e| e.dir == dir && e.unit == unit)
                    .map(|e| e.amount)
                    .sum()
            };
            let (fines, rewards) = (sum(Dir::Fine, Unit::Money), sum(Dir::Reward, Unit::Money));
            let (point_fines, point_rewards) =
                (sum(Dir::Fine, Unit::Points), sum(Dir::Reward, Unit::Points));
            let points = entries.iter().any(|e| e.unit == Unit::Points).then_some((
                point_fines,
                point_rewards,
                point_rewards - point_fines,
            ));
            Statement {
                outcomes: state
                    .outcomes
                    .iter()
                    .filter(|(p, m, _)| *p == who && *m == month)
                    .map(|(_, _, o)| o.clone())
                    .collect(),
                who,
                month: month_name(month),
                fines,
                rewards,
                net: rewards - fines,
                points,
                entries,
            }
        })
        .collect();
    let mut ignored = state.ignored;
    ignored.sort();
    rejected.sort_unstable();
    Report {
        statements,
        ignored,
        rejected,
    }
}
