//! Differential test: the real evaluator against a second, deliberately naive reading of
//! `docs/semantics.md` for the bundled rulebook.
//!
//! The model below knows nothing of the crate but its output types. It hard-codes the clause
//! table of §2, validates each generated line by §6 and §8, sorts the valid ones stably by
//! instant (§1), and for each person and month keeps plain vectors of the bases so far,
//! recomputing the heaviest each time (§3). Then it adds the monthly 4.1 reward (§4).
//!
//! Lines are generated as *descriptions* (a local time and how to write it, who, the kind and
//! typed attribute values), written out as JSON text for the real evaluator, and read by the
//! model straight from the description: the model decides on its own what is valid.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::sync::{Arc, LazyLock};

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{select, subsequence};
use rulebook::{Approval, Direction, Event, Report, Roster, Rulebook, evaluate};

// ── The clause table of §2 ──────────────────────────────────────────────────────────────────

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ty {
    /// A JSON integer.
    Integer,
    /// Any JSON number.
    Number,
    /// `true` or `false`.
    Flag,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pay {
    Fine(i64),
    Reward(i64),
    /// A reward of the event's `amount`, within these bounds (yuan).
    Ranged(i64, i64),
    /// An attendance event: no amount; voids 4.1 for the month.
    Attendance,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cmp {
    Over,
    AtLeast,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Out {
    None,
    Remedy,
    DismissalWhenSevere,
    PromotionWhenOutstanding,
}

#[derive(Debug)]
struct Clause {
    kind: &'static str,
    rule: &'static str,
    pay: Pay,
    /// Attributes read: name, type, required.
    attrs: &'static [(&'static str, Ty, bool)],
    threshold: Option<(&'static str, Cmp, i64)>,
    outcome: Out,
    collective: bool,
}

const fn clause(kind: &'static str, rule: &'static str, pay: Pay) -> Clause {
    Clause {
        kind,
        rule,
        pay,
        attrs: &[],
        threshold: None,
        outcome: Out::None,
        collective: false,
    }
}

const SEVERE: &[(&str, Ty, bool)] = &[("severe", Ty::Flag, false)];

static CLAUSES: &[Clause] = &[
    clause("out of uniform", "1.1", Pay::Fine(15)),
    Clause {
        attrs: &[("rings", Ty::Integer, true)],
        threshold: Some(("rings", Cmp::Over, 3)),
        ..clause("phone unanswered", "1.2", Pay::Fine(15))
    },
    clause("improper phone greeting", "1.2", Pay::Fine(15)),
    clause("messy desk", "1.3", Pay::Fine(15)),
    clause("newspapers untidy", "1.4", Pay::Fine(15)),
    clause("discourtesy", "2.1", Pay::Fine(20)),
    clause("venting emotions", "2.2", Pay::Fine(20)),
    clause("idling on duty", "2.3", Pay::Fine(20)),
    Clause {
        attrs: &[("minutes", Ty::Number, true)],
        threshold: Some(("minutes", Cmp::Over, 3)),
        ..clause("personal phone call", "2.4", Pay::Fine(20))
    },
    clause("unauthorized internet use", "2.5", Pay::Fine(20)),
    clause("taking office property", "2.6", Pay::Fine(20)),
    clause("task dispatch error", "2.7", Pay::Fine(20)),
    clause("handover or fee error", "2.8", Pay::Fine(20)),
    Clause {
        collective: true,
        ..clause("passing the buck", "2.9", Pay::Fine(20))
    },
    clause("facilities left on", "3.1", Pay::Fine(30)),
    clause("false leave reason", "3.2", Pay::Fine(30)),
    clause("missed meeting", "3.3", Pay::Fine(30)),
    clause("duty not performed", "3.4", Pay::Fine(30)),
    clause("key log skipped", "3.5", Pay::Fine(30)),
    clause("task not followed up", "3.6", Pay::Fine(30)),
    clause("records not kept", "3.7", Pay::Fine(30)),
    Clause {
        outcome: Out::Remedy,
        ..clause("agenda not followed", "3.8", Pay::Fine(30))
    },
    Clause {
        attrs: SEVERE,
        outcome: Out::DismissalWhenSevere,
        ..clause("evading orders", "3.10", Pay::Fine(50))
    },
    Clause {
        attrs: SEVERE,
        outcome: Out::DismissalWhenSevere,
        ..clause("soliciting tips", "3.11", Pay::Fine(200))
    },
    clause("late", "4.1", Pay::Attendance),
    clause("early leave", "4.1", Pay::Attendance),
    clause("sick leave", "4.1", Pay::Attendance),
    clause("personal leave", "4.1", Pay::Attendance),
    clause("card signing", "4.1", Pay::Attendance),
    clause("absence", "4.1", Pay::Attendance),
    clause("thank-you letter", "4.2", Pay::Reward(20)),
    Clause {
        attrs: &[("value", Ty::Number, true)],
        threshold: Some(("value", Cmp::AtLeast, 300)),
        ..clause("returned lost property", "4.3", Pay::Reward(20))
    },
    clause("good samaritan", "5.1", Pay::Reward(30)),
    clause("adopted suggestion", "5.2", Pay::Ranged(30, 50)),
    Clause {
        attrs: &[("loss_avoided", Ty::Number, true)],
        threshold: Some(("loss_avoided", Cmp::AtLeast, 500)),
        ..clause("emergency handled", "5.3", Pay::Ranged(30, 50))
    },
    Clause {
        attrs: &[
            ("outstanding", Ty::Flag, false),
            ("approved", Ty::Flag, false),
        ],
        outcome: Out::PromotionWhenOutstanding,
        ..clause("service star", "5.5", Pay::Ranged(200, 300))
    },
];

/// The monthly full-attendance reward (4.1), in yuan.
const FULL_ATTENDANCE: i64 = 15;

// ── Time: local seconds from 2025-08-01T00:00 at +08:00 ─────────────────────────────────────

const DAY: i64 = 86_400;
const HOUR: i64 = 3_600;
/// 2025-08-15, the effective date, as a day index.
const EFFECTIVE_DAY: i64 = 14;
/// The months a day index can fall in, with their lengths. Generated instants start on
/// 2025-08-13 (so even written in UTC or at -05:00 they stay in August); November is there
/// for a fixed case.
const MONTHS: [(u32, i64); 4] = [(8, 31), (9, 30), (10, 31), (11, 30)];

/// Local seconds of 2025-`month`-`day` `h`:`m`:`s`.
fn lt(month: u32, day: i64, h: i64, m: i64, s: i64) -> i64 {
    let mut days = 0;
    for (mm, len) in MONTHS {
        if mm == month {
            break;
        }
        days += len;
    }
    (days + day - 1) * DAY + h * HOUR + m * 60 + s
}

/// The calendar month and day of a day index.
fn civil(day: i64) -> (u32, i64) {
    let mut rest = day;
    for (month, len) in MONTHS {
        if rest < len {
            return (month, rest + 1);
        }
        rest -= len;
    }
    panic!("day {day} is beyond the generated range")
}

fn date_text(day: i64) -> String {
    let (month, dom) = civil(day);
    format!("2025-{month:02}-{dom:02}")
}

fn clock_text(t: i64) -> String {
    let s = t.rem_euclid(DAY);
    format!(
        "{}T{:02}:{:02}:{:02}",
        date_text(t.div_euclid(DAY)),
        s / HOUR,
        s % HOUR / 60,
        s % 60
    )
}

fn month_of(t: i64) -> u32 {
    civil(t.div_euclid(DAY)).0
}

fn month_name(month: u32) -> String {
    format!("2025-{month:02}")
}

/// The last day of `month`, as a day index.
fn last_day(month: u32) -> i64 {
    let mut days = 0;
    for (mm, len) in MONTHS {
        days += len;
        if mm == month {
            return days - 1;
        }
    }
    panic!("month {month} is beyond the generated range")
}

// ── Line descriptions ───────────────────────────────────────────────────────────────────────

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// `2025-08-18T09:30:00+08:00`
    Plus8,
    /// `2025-08-18T01:30:00Z`
    Utc,
    /// `2025-08-17T20:30:00-05:00`
    Minus5,
    /// `2025-08-18T09:30:00`, local
    Naive,
    /// `2025-08-18 09:30`, local
    NaiveShort,
    /// `2025-08-18`, local midnight
    Date,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum At {
    /// An instant (local seconds) and how the line writes it.
    Local(i64, Form),
    /// Text that is no timestamp.
    Bad(&'static str),
}

impl At {
    fn new(t: i64, form: Form) -> At {
        let form = match form {
            Form::NaiveShort if t % 60 != 0 => Form::Naive,
            Form::Date if t % DAY != 0 => Form::Plus8,
            form => form,
        };
        At::Local(t, form)
    }

    fn text(&self) -> String {
        match *self {
            At::Local(t, Form::Plus8) => format!("{}+08:00", clock_text(t)),
            At::Local(t, Form::Utc) => format!("{}Z", clock_text(t - 8 * HOUR)),
            At::Local(t, Form::Minus5) => format!("{}-05:00", clock_text(t - 13 * HOUR)),
            At::Local(t, Form::Naive) => clock_text(t),
            At::Local(t, Form::NaiveShort) => clock_text(t)[..16].replace('T', " "),
            At::Local(t, Form::Date) => date_text(t.div_euclid(DAY)),
            At::Bad(text) => text.to_owned(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum WhoDesc {
    One(&'static str),
    List(Vec<&'static str>),
    /// Raw JSON that is not a staff id or a list of them.
    Raw(&'static str),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Val {
    Int(i64),
    /// A JSON integer beyond 64 bits.
    Big(i128),
    /// `mantissa / 10^scale`, written with exactly `scale` (≥ 1) decimals.
    Dec(i64, u32),
    Bool(bool),
    Str(&'static str),
    Null,
}

impl Val {
    fn json(&self) -> String {
        match self {
            Val::Int(i) => i.to_string(),
            Val::Big(i) => i.to_string(),
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

    /// The exact value of a JSON number: mantissa and scale.
    fn number(&self) -> Option<(i128, u32)> {
        match *self {
            Val::Int(i) => Some((i128::from(i), 0)),
            Val::Big(i) => Some((i, 0)),
            Val::Dec(m, s) => Some((i128::from(m), s)),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum LineDesc {
    Event {
        at: At,
        who: WhoDesc,
        kind: &'static str,
        attrs: Vec<(&'static str, Val)>,
    },
    /// A line that is not an event at all.
    Raw(&'static str),
}

impl LineDesc {
    fn json(&self) -> String {
        match self {
            LineDesc::Raw(text) => (*text).to_owned(),
            LineDesc::Event {
                at,
                who,
                kind,
                attrs,
            } => {
                let who = match who {
                    WhoDesc::One(id) => serde_json::to_string(id).unwrap(),
                    WhoDesc::List(ids) => serde_json::to_string(ids).unwrap(),
                    WhoDesc::Raw(raw) => (*raw).to_owned(),
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

// ── The naive model ─────────────────────────────────────────────────────────────────────────

#[derive(Debug, Clone, PartialEq, Eq)]
struct Ent {
    line: Option<u64>,
    at: String,
    rule: String,
    kind: &'static str,
    /// Fen.
    base: i64,
    amount: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Outc {
    line: Option<u64>,
    rule: String,
    kind: String,
    status: Option<&'static str>,
    grades: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Stmt {
    who: String,
    month: String,
    fines: i64,
    rewards: i64,
    net: i64,
    entries: Vec<Ent>,
    outcomes: Vec<Outc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Summary {
    statements: Vec<Stmt>,
    /// Line and the label of the rule that judged it.
    ignored: BTreeSet<(u64, String)>,
    rejected: BTreeSet<u64>,
}

/// A line the model found valid.
struct Valid {
    line: u64,
    t: i64,
    date_only: bool,
    clause: &'static Clause,
    people: Vec<&'static str>,
    attrs: Vec<(&'static str, Val)>,
    /// For a ranged rule, the event's amount in fen.
    amount: Option<i64>,
}

impl Valid {
    fn attr(&self, name: &str) -> Option<&Val> {
        self.attrs.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    fn flag(&self, name: &str) -> bool {
        matches!(self.attr(name), Some(Val::Bool(true)))
    }

    fn at(&self) -> String {
        if self.date_only {
            date_text(self.t.div_euclid(DAY))
        } else {
            format!("{}+08:00", clock_text(self.t))
        }
    }
}

fn fen_of(number: (i128, u32)) -> Option<i64> {
    let (m, s) = number;
    let fen = if s <= 2 {
        m.checked_mul(10i128.pow(2 - s))?
    } else {
        let d = 10i128.pow(s - 2);
        if m % d != 0 {
            return None;
        }
        m / d
    };
    i64::try_from(fen).ok()
}

/// §6, §8: the line as a valid event, or `None` when it must be rejected.
fn validate(line: u64, desc: &LineDesc) -> Option<Valid> {
    let LineDesc::Event {
        at,
        who,
        kind,
        attrs,
    } = desc
    else {
        return None;
    };
    let At::Local(t, form) = *at else {
        return None;
    };
    // Kinds match exactly.
    let clause = CLAUSES.iter().find(|c| c.kind == *kind)?;
    // The effective date is compared on the local date.
    if t.div_euclid(DAY) < EFFECTIVE_DAY {
        return None;
    }
    let people = match who {
        WhoDesc::One(id) if !id.is_empty() => vec![*id],
        WhoDesc::List(ids) if clause.collective => {
            let distinct: BTreeSet<_> = ids.iter().collect();
            if ids.is_empty() || ids.iter().any(|id| id.is_empty()) || distinct.len() != ids.len() {
                return None;
            }
            ids.clone()
        }
        _ => return None,
    };
    for (name, ty, required) in clause.attrs {
        match attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v) {
            None if *required => return None,
            None => {}
            Some(value) => {
                let ok = match ty {
                    Ty::Integer => matches!(value, Val::Int(_) | Val::Big(_)),
                    Ty::Number => value.number().is_some(),
                    Ty::Flag => matches!(value, Val::Bool(_)),
                };
                if !ok {
                    return None;
                }
            }
        }
    }
    let given = attrs.iter().find(|(n, _)| *n == "amount").map(|(_, v)| v);
    let amount = match clause.pay {
        Pay::Ranged(low, high) => {
            let fen = fen_of(given?.number()?)?;
            if fen < low * 100 || fen > high * 100 {
                return None;
            }
            Some(fen)
        }
        Pay::Fine(_) | Pay::Reward(_) if given.is_some() => return None,
        _ => None,
    };
    Some(Valid {
        line,
        t,
        date_only: form == Form::Date,
        clause,
        people,
        attrs: attrs.clone(),
        amount,
    })
}

fn threshold_met(valid: &Valid) -> bool {
    let Some((name, cmp, k)) = valid.clause.threshold else {
        return true;
    };
    let Some((m, s)) = valid.attr(name).and_then(Val::number) else {
        return false;
    };
    let k = i128::from(k) * 10i128.pow(s);
    match cmp {
        Cmp::Over => m > k,
        Cmp::AtLeast => m >= k,
    }
}

/// One person's month while folding: the bases so far, plain.
#[derive(Default)]
struct PersonMonth {
    fine_bases: Vec<i64>,
    reward_bases: Vec<i64>,
    attended: bool,
    stmt: Option<Stmt>,
}

impl PersonMonth {
    fn stmt(&mut self, who: &str, month: u32) -> &mut Stmt {
        self.stmt.get_or_insert_with(|| Stmt {
            who: who.to_owned(),
            month: month_name(month),
            ..Stmt::default()
        })
    }
}

fn model(lines: &[(u64, LineDesc)], roster: Option<&[&'static str]>) -> Summary {
    let mut summary = Summary::default();
    let mut valid = Vec::new();
    for (line, desc) in lines {
        match validate(*line, desc) {
            Some(v) => valid.push(v),
            None => {
                summary.rejected.insert(*line);
            }
        }
    }
    // §1: in time order; events at the same instant keep their input order.
    valid.sort_by_key(|v| v.t);

    let mut months: BTreeMap<(&str, u32), PersonMonth> = BTreeMap::new();
    let mut named: BTreeSet<&'static str> = BTreeSet::new();
    let mut seen_months: BTreeSet<u32> = BTreeSet::new();
    for v in &valid {
        let month = month_of(v.t);
        seen_months.insert(month);
        named.extend(v.people.iter().copied());
        let (fine, base) = match v.clause.pay {
            Pay::Attendance => {
                for who in &v.people {
                    months.entry((who, month)).or_default().attended = true;
                }
                summary.ignored.insert((v.line, v.clause.rule.to_owned()));
                continue;
            }
            _ if !threshold_met(v) => {
                summary.ignored.insert((v.line, v.clause.rule.to_owned()));
                continue;
            }
            Pay::Fine(yuan) => (true, yuan * 100),
            Pay::Reward(yuan) => (false, yuan * 100),
            Pay::Ranged(..) => (false, v.amount.expect("a ranged rule has an amount")),
        };
        for who in &v.people {
            let pm = months.entry((who, month)).or_default();
            let amount = if fine {
                pm.fine_bases.push(base);
                let heaviest = *pm.fine_bases.iter().max().unwrap();
                if pm.fine_bases.len() >= 3 {
                    2 * heaviest
                } else {
                    base
                }
            } else {
                pm.reward_bases.push(base);
                let highest = *pm.reward_bases.iter().max().unwrap();
                if pm.reward_bases.len().is_multiple_of(3) {
                    2 * highest
                } else {
                    base
                }
            };
            let stmt = pm.stmt(who, month);
            stmt.entries.push(Ent {
                line: Some(v.line),
                at: v.at(),
                rule: v.clause.rule.to_owned(),
                kind: if fine { "fine" } else { "reward" },
                base,
                amount,
            });
            let outcome = match v.clause.outcome {
                Out::None => None,
                Out::Remedy => Some(("remedy", None, None)),
                Out::DismissalWhenSevere if v.flag("severe") => Some(("dismissal", None, None)),
                Out::DismissalWhenSevere => None,
                Out::PromotionWhenOutstanding if v.flag("outstanding") => Some((
                    "promotion",
                    Some(if v.flag("approved") {
                        "approved"
                    } else {
                        "pending approval"
                    }),
                    Some(1),
                )),
                Out::PromotionWhenOutstanding => None,
            };
            if let Some((kind, status, grades)) = outcome {
                stmt.outcomes.push(Outc {
                    line: Some(v.line),
                    rule: v.clause.rule.to_owned(),
                    kind: kind.to_owned(),
                    status,
                    grades,
                });
            }
        }
    }

    // §4, §8: 4.1 for every person on the roster (or everyone named on a valid line), every
    // month from the first to the last of the valid lines, without an attendance event.
    let roster: BTreeSet<&str> = match roster {
        Some(people) => people.iter().copied().collect(),
        None => named.iter().copied().collect(),
    };
    if let (Some(&first), Some(&last)) = (seen_months.first(), seen_months.last()) {
        for month in first..=last {
            for who in &roster {
                let pm = months.entry((who, month)).or_default();
                if pm.attended {
                    continue;
                }
                pm.stmt(who, month).entries.push(Ent {
                    line: None,
                    at: date_text(last_day(month)),
                    rule: "4.1".to_owned(),
                    kind: "reward",
                    base: FULL_ATTENDANCE * 100,
                    amount: FULL_ATTENDANCE * 100,
                });
            }
        }
    }

    for pm in months.into_values() {
        let Some(mut stmt) = pm.stmt else { continue };
        stmt.fines = stmt
            .entries
            .iter()
            .filter(|e| e.kind == "fine")
            .map(|e| e.amount)
            .sum();
        stmt.rewards = stmt
            .entries
            .iter()
            .filter(|e| e.kind == "reward")
            .map(|e| e.amount)
            .sum();
        stmt.net = stmt.rewards - stmt.fines;
        summary.statements.push(stmt);
    }
    summary
}

// ── The real evaluator, summarised the same way ─────────────────────────────────────────────

static BUNDLED: LazyLock<Arc<Rulebook>> = LazyLock::new(|| {
    Arc::new(
        Rulebook::from_path(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/rules/en/c-tower.rules"
        ))
        .expect("the bundled rulebook loads"),
    )
});

fn summarise(report: &Report) -> Summary {
    let statements = report
        .statements
        .iter()
        .map(|s| Stmt {
            who: s.who.clone(),
            month: s.month.to_string(),
            fines: s.fines.minor_units(),
            rewards: s.rewards.minor_units(),
            net: s.net.minor_units(),
            entries: s
                .entries
                .iter()
                .map(|e| Ent {
                    line: e.line,
                    at: e.at.clone(),
                    rule: e.rule.clone(),
                    kind: match e.kind {
                        Direction::Fine => "fine",
                        Direction::Reward => "reward",
                        other => panic!("a direction the model does not know: {other:?}"),
                    },
                    base: e.base.minor_units(),
                    amount: e.amount.minor_units(),
                })
                .collect(),
            outcomes: s
                .outcomes
                .iter()
                .map(|o| Outc {
                    line: o.line,
                    rule: o.rule.clone(),
                    kind: o.kind.clone(),
                    status: o.status.map(|a| match a {
                        Approval::Approved => "approved",
                        Approval::Pending => "pending approval",
                    }),
                    grades: o.grades,
                })
                .collect(),
        })
        .collect();
    Summary {
        statements,
        ignored: report
            .ignored
            .iter()
            .map(|i| {
                (
                    i.line.expect("an ignored line has a number"),
                    i.rule.clone(),
                )
            })
            .collect(),
        rejected: report
            .rejected
            .iter()
            .map(|r| r.line.expect("the bundled amounts never overflow"))
            .collect(),
    }
}

/// The bundled policy as two versions with the same rules, the second taking effect on
/// 2025-08-25 (mid-month, amid the generated events): a change of version that changes no
/// rule must change nothing, every count running on across it.
static SPLIT: LazyLock<Arc<Rulebook>> = LazyLock::new(|| {
    let text = include_str!("../rules/en/c-tower.rules");
    let later = text
        .replace("effective: 2025-08-15", "effective: 2025-08-25")
        .replace(
            "repeals: the version of 2024-12-08",
            "repeals: the version of 2025-08-15",
        );
    Arc::new(
        Rulebook::from_versions(&[("c-tower.rules", text), ("later.rules", later.as_str())])
            .expect("the two versions load"),
    )
});

/// The same policy written in Chinese, in Traditional and in Simplified characters.
static CHINESE: LazyLock<[Arc<Rulebook>; 2]> = LazyLock::new(|| {
    ["zh-Hant/c-tower.rules", "zh-Hans/c-tower.rules"].map(|file| {
        let path = format!("{}/rules/{file}", env!("CARGO_MANIFEST_DIR"));
        Arc::new(Rulebook::from_path(path).expect("the Chinese rulebook loads"))
    })
});

/// Everything a rulebook decides about a stream but the `why` of each figure: the summary,
/// and each rejected line's reason (which names event kinds and attributes as events do).
fn judged(
    rulebook: &Arc<Rulebook>,
    lines: &[(u64, LineDesc)],
    roster: Option<&[&'static str]>,
) -> (Summary, Vec<String>) {
    let roster = roster.map(|people| Roster::new(people.iter().copied()).unwrap());
    let input = lines
        .iter()
        .map(|(line, desc)| (*line, Event::from_json(&desc.json())));
    let report = evaluate(Arc::clone(rulebook), input, roster.as_ref())
        .expect("a few months, a few people")
        .report();
    let reasons = report.rejected.iter().map(|r| r.why.clone()).collect();
    (summarise(&report), reasons)
}

fn real(lines: &[(u64, LineDesc)], roster: Option<&[&'static str]>) -> Summary {
    real_with(&BUNDLED, lines, roster)
}

fn real_with(
    rulebook: &Arc<Rulebook>,
    lines: &[(u64, LineDesc)],
    roster: Option<&[&'static str]>,
) -> Summary {
    let roster = roster.map(|people| Roster::new(people.iter().copied()).unwrap());
    let input = lines
        .iter()
        .map(|(line, desc)| (*line, Event::from_json(&desc.json())));
    let ledger =
        evaluate(Arc::clone(rulebook), input, roster.as_ref()).expect("a few months, a few people");
    summarise(&ledger.report())
}

fn numbered(lines: Vec<LineDesc>) -> Vec<(u64, LineDesc)> {
    (1u64..).zip(lines).collect()
}

/// Compares the two, printing the input as JSON Lines when they differ.
fn check(lines: &[(u64, LineDesc)], roster: Option<&[&'static str]>) -> Result<(), TestCaseError> {
    let expected = model(lines, roster);
    let actual = real(lines, roster);
    if expected != actual {
        let mut input = String::new();
        for (line, desc) in lines {
            let _ = writeln!(input, "{line:>3}: {}", desc.json());
        }
        prop_assert_eq!(
            &actual,
            &expected,
            "real (left) and model (right) differ\nroster: {:?}\ninput:\n{}",
            roster,
            input
        );
    }
    Ok(())
}

// ── Generators ──────────────────────────────────────────────────────────────────────────────

const PEOPLE: [&str; 4] = ["E1", "E2", "E3", "E10"];

/// What a generator may produce beyond the main differential's space (each one a known
/// disagreement, checked by an ignored property of its own).
#[derive(Debug, Clone, Copy, Default)]
struct Knobs {
    /// `rings` (a whole number) written as a JSON integer beyond 64 bits.
    big_rings: bool,
    /// A roster that names a person more than once.
    repeated_roster: bool,
}

const BIG: i128 = 99_999_999_999_999_999_999;

const BAD_TIMESTAMPS: [&str; 7] = [
    "2025-09-31",
    "yesterday",
    "2025-08-18T25:00",
    "2025-13-01",
    "",
    "18/08/2025",
    "2025-08-18T09:30:00+08",
];

const UNKNOWN_KINDS: [&str; 6] = [
    "mesy desk",
    "Messy desk",
    "messy  desk",
    "passing the buck ",
    "coffee break",
    "lateness",
];

const BAD_WHO: [&str; 8] = [
    "7",
    "null",
    "\"\"",
    "[]",
    "[\"E1\", 3]",
    "[\"E1\", \"\"]",
    "{}",
    "true",
];

const RAW_LINES: [&str; 10] = [
    "not json",
    "{",
    "[1, 2]",
    "\"messy desk\"",
    r#"{"who": "E1", "event": "messy desk"}"#,
    r#"{"at": "2025-08-20", "event": "messy desk"}"#,
    r#"{"at": "2025-08-20", "who": "E1"}"#,
    r#"{"at": 20250820, "who": "E1", "event": "messy desk"}"#,
    r#"{"at": "2025-08-20", "who": "E1", "event": 7}"#,
    r#"{"at": "2025-08-20", "at": "2025-08-21", "who": "E1", "event": "messy desk"}"#,
];

/// Instants where the close cases are: the effective date, month ends, midnights.
fn hot_instants() -> Vec<i64> {
    vec![
        lt(8, 14, 23, 59, 59),
        lt(8, 15, 0, 0, 0),
        lt(8, 15, 9, 30, 0),
        lt(8, 20, 0, 0, 0),
        lt(8, 20, 9, 0, 0),
        lt(8, 31, 23, 59, 59),
        lt(9, 1, 0, 0, 0),
        lt(9, 1, 1, 0, 0), // 2025-08-31T17:00:00Z
        lt(9, 15, 0, 0, 0),
        lt(9, 30, 23, 0, 0),
        lt(10, 1, 0, 0, 0),
        lt(10, 31, 23, 59, 59),
    ]
}

fn arb_form() -> impl Strategy<Value = Form> {
    select(vec![
        Form::Plus8,
        Form::Utc,
        Form::Minus5,
        Form::Naive,
        Form::NaiveShort,
        Form::Date,
    ])
}

/// A local instant in days `days` (day 12 is 2025-08-13).
fn arb_instant(days: std::ops::RangeInclusive<i64>) -> impl Strategy<Value = i64> {
    let hot: Vec<i64> = hot_instants()
        .into_iter()
        .filter(|t| days.contains(&t.div_euclid(DAY)))
        .collect();
    let hot = if hot.is_empty() {
        vec![*days.start() * DAY]
    } else {
        hot
    };
    prop_oneof![
        3 => select(hot),
        3 => (days.clone(), 0..DAY).prop_map(|(d, s)| d * DAY + s),
        2 => (days.clone(), 0..1440i64).prop_map(|(d, m)| d * DAY + m * 60),
        1 => days.prop_map(|d| d * DAY),
    ]
}

fn arb_at(days: std::ops::RangeInclusive<i64>) -> impl Strategy<Value = At> {
    prop_oneof![
        30 => (arb_instant(days), arb_form()).prop_map(|(t, f)| At::new(t, f)),
        1 => select(BAD_TIMESTAMPS.to_vec()).prop_map(At::Bad),
    ]
}

fn arb_who(collective: bool, people: Vec<&'static str>) -> BoxedStrategy<WhoDesc> {
    let one = select(people.clone()).prop_map(WhoDesc::One);
    let n = people.len();
    let list = subsequence(people.clone(), 1..=n)
        .prop_shuffle()
        .prop_map(WhoDesc::List);
    let any_list = vec(select(people), 0..4).prop_map(WhoDesc::List);
    let bad = select(BAD_WHO.to_vec()).prop_map(WhoDesc::Raw);
    if collective {
        prop_oneof![8 => list, 2 => any_list, 1 => one, 1 => bad].boxed()
    } else {
        prop_oneof![16 => one, 1 => list, 1 => bad].boxed()
    }
}

fn ints(values: &[i64]) -> BoxedStrategy<Val> {
    select(values.to_vec()).prop_map(Val::Int).boxed()
}

fn decs(values: &[(i64, u32)]) -> BoxedStrategy<Val> {
    select(values.to_vec())
        .prop_map(|(m, s)| Val::Dec(m, s))
        .boxed()
}

fn ill_typed(values: &[Val]) -> BoxedStrategy<Val> {
    select(values.to_vec()).boxed()
}

/// A value for attribute `name` (or `None` to leave it out), valid most of the time.
fn arb_attr(
    name: &'static str,
    ty: Ty,
    required: bool,
    knobs: Knobs,
) -> BoxedStrategy<Option<Val>> {
    let big = select(vec![Val::Big(BIG), Val::Big(-BIG)]);
    let valid: BoxedStrategy<Val> = match (name, ty) {
        ("rings", _) if knobs.big_rings => prop_oneof![ints(&[-1, 2, 3, 4]), big].boxed(),
        ("rings", _) => ints(&[-1, 0, 2, 3, 4, 5, 12]),
        ("minutes", _) => prop_oneof![
            4 => ints(&[0, 3, 4, 10]),
            4 => decs(&[(299, 2), (300, 2), (301, 2), (75, 1), (-5, 1)]),
            1 => big,
        ]
        .boxed(),
        ("value", _) => prop_oneof![
            4 => ints(&[0, 120, 299, 300, 350]),
            4 => decs(&[(29999, 2), (3000, 1), (30001, 2)]),
            1 => big,
        ]
        .boxed(),
        ("loss_avoided", _) => prop_oneof![
            4 => ints(&[300, 499, 500, 800]),
            4 => decs(&[(4995, 1), (50000, 2)]),
            1 => big,
        ]
        .boxed(),
        (_, Ty::Flag) => select(vec![Val::Bool(true), Val::Bool(false)]).boxed(),
        _ => ints(&[1]),
    };
    let invalid = match ty {
        Ty::Integer => ill_typed(&[
            Val::Dec(50, 1),
            Val::Dec(40, 1),
            Val::Dec(2, 1),
            Val::Str("five"),
            Val::Null,
            Val::Bool(true),
        ]),
        Ty::Number => ill_typed(&[Val::Str("7"), Val::Null, Val::Bool(false)]),
        Ty::Flag => ill_typed(&[Val::Str("true"), Val::Int(1), Val::Null]),
    };
    let missing = if required { 1 } else { 6 };
    prop_oneof![
        16 => valid.prop_map(Some),
        missing => Just(None),
        2 => invalid.prop_map(Some),
    ]
    .boxed()
}

/// An `amount` for a ranged rule `low..=high` (yuan).
fn arb_amount(low: i64, high: i64) -> BoxedStrategy<Option<Val>> {
    let mid = (low + high) / 2;
    let inside = prop_oneof![
        ints(&[low, mid, high]),
        decs(&[
            (low * 100 + 50, 2),
            (mid * 10 + 5, 1),
            (mid * 1000 + 10, 3),
            (high * 100, 2)
        ]),
        (low * 100..=high * 100).prop_map(|fen| Val::Dec(fen, 2)),
    ];
    let outside = prop_oneof![
        ints(&[low - 1, high + 1, high + 10, -mid, 0]),
        select(vec![Val::Big(BIG)]),
        decs(&[(low * 100 - 1, 2), (high * 100 + 1, 2), (mid * 1000 + 5, 3)]),
        ill_typed(&[Val::Str("40"), Val::Null, Val::Bool(true)]),
    ];
    prop_oneof![
        12 => inside.prop_map(Some),
        2 => outside.prop_map(Some),
        1 => Just(None),
    ]
    .boxed()
}

fn arb_attrs(clause: &'static Clause, knobs: Knobs) -> BoxedStrategy<Vec<(&'static str, Val)>> {
    let mut parts: Vec<BoxedStrategy<Option<(&'static str, Val)>>> = clause
        .attrs
        .iter()
        .map(|&(name, ty, required)| {
            arb_attr(name, ty, required, knobs)
                .prop_map(move |v| v.map(|v| (name, v)))
                .boxed()
        })
        .collect();
    match clause.pay {
        Pay::Ranged(low, high) => parts.push(
            arb_amount(low, high)
                .prop_map(|v| v.map(|v| ("amount", v)))
                .boxed(),
        ),
        Pay::Fine(_) | Pay::Reward(_) => parts
            .push(prop_oneof![20 => Just(None), 1 => Just(Some(("amount", Val::Int(20))))].boxed()),
        Pay::Attendance => {}
    }
    parts.push(prop_oneof![9 => Just(None), 1 => Just(Some(("note", Val::Str("x"))))].boxed());
    parts
        .prop_map(|parts| parts.into_iter().flatten().collect())
        .boxed()
}

fn arb_line(
    knobs: Knobs,
    people: Vec<&'static str>,
    days: std::ops::RangeInclusive<i64>,
) -> impl Strategy<Value = LineDesc> {
    let kinds: Vec<&'static Clause> = CLAUSES.iter().collect();
    let rewards: Vec<&'static Clause> = CLAUSES
        .iter()
        .filter(|c| matches!(c.pay, Pay::Reward(_) | Pay::Ranged(..)))
        .collect();
    let kind = prop_oneof![3 => select(kinds), 1 => select(rewards)];
    let known = (kind, arb_at(days.clone())).prop_flat_map(move |(clause, at)| {
        (
            Just(at),
            arb_who(clause.collective, people.clone()),
            arb_attrs(clause, knobs),
        )
            .prop_map(move |(at, who, attrs)| LineDesc::Event {
                at,
                who,
                kind: clause.kind,
                attrs,
            })
    });
    let unknown =
        (arb_at(days), select(UNKNOWN_KINDS.to_vec())).prop_map(|(at, kind)| LineDesc::Event {
            at,
            who: WhoDesc::One("E1"),
            kind,
            attrs: Vec::new(),
        });
    prop_oneof![
        40 => known,
        1 => unknown,
        1 => select(RAW_LINES.to_vec()).prop_map(LineDesc::Raw),
    ]
}

/// A stream over a handful of people and one to three months, and a roster (or none).
fn arb_case(
    knobs: Knobs,
) -> impl Strategy<Value = (Vec<(u64, LineDesc)>, Option<Vec<&'static str>>)> {
    let days = prop_oneof![
        Just(12..=91i64), // 2025-08-13 to 2025-10-31
        Just(12..=30),    // August, some lines before the effective date
        Just(25..=40),    // late August, early September
        Just(31..=60),    // September
    ];
    let people = subsequence(PEOPLE.to_vec(), 1..=PEOPLE.len());
    (people, days).prop_flat_map(move |(people, days)| {
        let mut on_roster = PEOPLE.to_vec();
        on_roster.push("E9");
        let roster = if knobs.repeated_roster {
            vec(select(on_roster), 2..8).prop_map(Some).boxed()
        } else {
            prop_oneof![
                Just(None),
                subsequence(on_roster, 0..=5).prop_shuffle().prop_map(Some),
            ]
            .boxed()
        };
        (
            vec(arb_line(knobs, people, days), 0..40).prop_map(numbered),
            roster,
        )
    })
}

/// `cases`, unless `PROPTEST_CASES` says otherwise (for a longer run).
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(256))]

    /// The real evaluator and the naive model agree on every statement (totals, entries in
    /// order, outcomes) and on which lines are ignored and which rejected.
    #[test]
    fn evaluator_agrees_with_the_naive_model((lines, roster) in arb_case(Knobs::default())) {
        check(&lines, roster.as_deref())?;
    }

    /// As above, with rosters that name a person more than once. §4: a person listed twice
    /// is still one person on the roster — one 4.1 reward, and none in a month with an
    /// attendance event.
    #[test]
    fn evaluator_agrees_when_the_roster_repeats_a_person(
        (lines, roster) in arb_case(Knobs { repeated_roster: true, ..Knobs::default() }),
    ) {
        check(&lines, roster.as_deref())?;
    }

    /// The bundled policy split into two versions with the same rules on 2025-08-25 judges
    /// every stream as the single file does: counts (3.9, 5.4, 4.1) run across the change.
    #[test]
    fn a_change_of_version_that_changes_no_rule_changes_nothing(
        (lines, roster) in arb_case(Knobs::default()),
    ) {
        let split = real_with(&SPLIT, &lines, roster.as_deref());
        prop_assert_eq!(split, real(&lines, roster.as_deref()));
    }

    /// The policy written in Chinese (Traditional and Simplified) judges every stream as
    /// the English file does: the same statements, entries, outcomes, ignored lines and
    /// rejected lines with the same reasons.
    #[test]
    fn the_chinese_files_judge_as_the_english_one_does(
        (lines, roster) in arb_case(Knobs::default()),
    ) {
        let english = judged(&BUNDLED, &lines, roster.as_deref());
        for chinese in CHINESE.iter() {
            prop_assert_eq!(&judged(chinese, &lines, roster.as_deref()), &english);
        }
    }

    /// As above, with `rings` sometimes a JSON integer beyond 64 bits. §8: integer
    /// attributes want a JSON integer — `99999999999999999999` is one (and is over 3).
    #[test]
    fn evaluator_agrees_on_integers_beyond_64_bits(
        (lines, roster) in arb_case(Knobs { big_rings: true, ..Knobs::default() }),
    ) {
        check(&lines, roster.as_deref())?;
    }
}

// ── Fixed cases: the examples and close cases of docs/semantics.md ───────────────────────────────

fn event(t: i64, form: Form, who: &'static str, kind: &'static str) -> LineDesc {
    LineDesc::Event {
        at: At::new(t, form),
        who: WhoDesc::One(who),
        kind,
        attrs: Vec::new(),
    }
}

fn with(mut desc: LineDesc, name: &'static str, value: Val) -> LineDesc {
    if let LineDesc::Event { attrs, .. } = &mut desc {
        attrs.push((name, value));
    }
    desc
}

fn agree(lines: Vec<LineDesc>, roster: Option<&[&'static str]>) -> Summary {
    let lines = numbered(lines);
    check(&lines, roster).unwrap_or_else(|e| panic!("{e}"));
    model(&lines, roster)
}

fn amounts(summary: &Summary, who: &str, month: &str) -> Vec<(i64, i64)> {
    summary
        .statements
        .iter()
        .find(|s| s.who == who && s.month == month)
        .map(|s| s.entries.iter().map(|e| (e.base, e.amount)).collect())
        .unwrap_or_default()
}

#[test]
fn the_worked_example_of_section_3() {
    let day = |d| lt(8, d, 10, 0, 0);
    let lines = vec![
        event(day(18), Form::Plus8, "E1", "messy desk"),
        event(day(19), Form::Plus8, "E1", "discourtesy"),
        event(day(20), Form::Plus8, "E1", "messy desk"),
        event(day(21), Form::Plus8, "E1", "out of uniform"),
        event(day(22), Form::Plus8, "E1", "thank-you letter"),
        event(day(23), Form::Plus8, "E1", "good samaritan"),
        with(
            event(day(24), Form::Plus8, "E1", "adopted suggestion"),
            "amount",
            Val::Int(45),
        ),
        event(day(25), Form::Plus8, "E1", "thank-you letter"),
        event(day(26), Form::Plus8, "E1", "thank-you letter"),
        event(day(27), Form::Plus8, "E1", "thank-you letter"),
        event(day(28), Form::Plus8, "E1", "late"),
    ];
    let summary = agree(lines, None);
    let yuan = |b: i64, a: i64| (b * 100, a * 100);
    assert_eq!(
        amounts(&summary, "E1", "2025-08"),
        [
            yuan(15, 15),
            yuan(20, 20),
            yuan(15, 40),
            yuan(15, 40),
            yuan(20, 20),
            yuan(30, 30),
            yuan(45, 90),
            yuan(20, 20),
            yuan(20, 20),
            yuan(20, 90),
        ]
    );
}

#[test]
fn an_instant_late_on_august_31_in_utc_is_in_september() {
    let t = lt(9, 1, 1, 0, 0);
    assert_eq!(At::new(t, Form::Utc).text(), "2025-08-31T17:00:00Z");
    let lines = vec![
        event(lt(8, 20, 9, 0, 0), Form::Plus8, "E1", "messy desk"),
        event(lt(8, 21, 9, 0, 0), Form::Plus8, "E1", "messy desk"),
        // The 3rd fine of August would be escalated; this one is the 1st of September.
        event(t, Form::Utc, "E1", "evading orders"),
        event(lt(8, 31, 23, 59, 59), Form::Plus8, "E2", "late"),
    ];
    let summary = agree(lines, None);
    assert_eq!(
        amounts(&summary, "E1", "2025-09"),
        [(5000, 5000), (1500, 1500)]
    );
    // E2 was late in August only: 4.1 in September.
    assert_eq!(amounts(&summary, "E2", "2025-08"), []);
    assert_eq!(amounts(&summary, "E2", "2025-09"), [(1500, 1500)]);
}

#[test]
fn the_monthly_reward_with_and_without_a_roster() {
    let lines = vec![
        event(lt(8, 20, 9, 0, 0), Form::Plus8, "E1", "late"),
        event(lt(8, 20, 9, 0, 0), Form::Plus8, "E2", "messy desk"),
        event(lt(10, 2, 9, 0, 0), Form::Plus8, "E3", "sick leave"),
        // Rejected lines do not widen the months, nor name anyone.
        with(
            event(lt(11, 2, 9, 0, 0), Form::Plus8, "E10", "messy desk"),
            "amount",
            Val::Int(15),
        ),
        event(lt(9, 2, 9, 0, 0), Form::Plus8, "E10", "coffee break"),
    ];
    let without = agree(lines.clone(), None);
    assert!(without.statements.iter().all(|s| s.who != "E10"));
    // Every month from August to October for E1, E2 and E3, but not E3's October.
    assert_eq!(
        without
            .statements
            .iter()
            .map(|s| (s.who.as_str(), s.month.as_str(), s.rewards))
            .collect::<Vec<_>>(),
        [
            ("E1", "2025-09", 1500),
            ("E1", "2025-10", 1500),
            ("E2", "2025-08", 1500),
            ("E2", "2025-09", 1500),
            ("E2", "2025-10", 1500),
            ("E3", "2025-08", 1500),
            ("E3", "2025-09", 1500),
        ]
    );
    // A given roster: E2 is still fined but gets no 4.1; E9, on no line, gets 4.1.
    let with_roster = agree(lines, Some(&["E1", "E9"]));
    assert_eq!(
        with_roster
            .statements
            .iter()
            .map(|s| (s.who.as_str(), s.month.as_str(), s.fines, s.rewards))
            .collect::<Vec<_>>(),
        [
            ("E1", "2025-09", 0, 1500),
            ("E1", "2025-10", 0, 1500),
            ("E2", "2025-08", 1500, 0),
            ("E9", "2025-08", 0, 1500),
            ("E9", "2025-09", 0, 1500),
            ("E9", "2025-10", 0, 1500),
        ]
    );
}

#[test]
fn passing_the_buck_fines_and_counts_every_person_named() {
    let lines = vec![
        event(lt(8, 18, 9, 0, 0), Form::Plus8, "E1", "soliciting tips"),
        event(lt(8, 18, 10, 0, 0), Form::Plus8, "E2", "messy desk"),
        LineDesc::Event {
            at: At::new(lt(8, 19, 0, 0, 0), Form::Date),
            who: WhoDesc::List(vec!["E2", "E1", "E3"]),
            kind: "passing the buck",
            attrs: Vec::new(),
        },
        event(lt(8, 20, 9, 0, 0), Form::Plus8, "E1", "messy desk"),
        event(lt(8, 20, 9, 0, 0), Form::Plus8, "E2", "messy desk"),
        // Not collective: a list is rejected; so is a list naming someone twice.
        LineDesc::Event {
            at: At::new(lt(8, 21, 9, 0, 0), Form::Plus8),
            who: WhoDesc::List(vec!["E1", "E2"]),
            kind: "messy desk",
            attrs: Vec::new(),
        },
        LineDesc::Event {
            at: At::new(lt(8, 21, 9, 0, 0), Form::Plus8),
            who: WhoDesc::List(vec!["E1", "E1"]),
            kind: "passing the buck",
            attrs: Vec::new(),
        },
    ];
    let summary = agree(lines, Some(&[]));
    assert_eq!(
        amounts(&summary, "E1", "2025-08"),
        [(20000, 20000), (2000, 2000), (1500, 40000)]
    );
    assert_eq!(
        amounts(&summary, "E2", "2025-08"),
        [(1500, 1500), (2000, 2000), (1500, 4000)]
    );
    assert_eq!(amounts(&summary, "E3", "2025-08"), [(2000, 2000)]);
    assert_eq!(summary.rejected, BTreeSet::from([6, 7]));
}

#[test]
fn close_cases_of_section_8() {
    let lines = vec![
        // A date is local midnight: before timed events of the day, tied in input order
        // with an explicit 00:00: lines 2, 3 and 4 are the 1st to 3rd fines, line 1 the 4th.
        event(lt(8, 18, 0, 0, 1), Form::Plus8, "E1", "soliciting tips"),
        event(lt(8, 18, 0, 0, 0), Form::Date, "E1", "messy desk"),
        event(lt(8, 18, 0, 0, 0), Form::Naive, "E1", "discourtesy"),
        event(lt(8, 18, 0, 0, 0), Form::Utc, "E1", "out of uniform"),
        // The effective date is compared on the local date.
        event(lt(8, 15, 0, 0, 0), Form::Utc, "E2", "messy desk"),
        event(lt(8, 14, 23, 59, 59), Form::Utc, "E2", "messy desk"),
        // Checked completely before any threshold.
        event(lt(8, 16, 9, 0, 0), Form::Plus8, "E2", "phone unanswered"),
        with(
            with(
                event(lt(8, 16, 9, 0, 0), Form::Plus8, "E2", "emergency handled"),
                "loss_avoided",
                Val::Int(100),
            ),
            "amount",
            Val::Int(60),
        ),
        with(
            with(
                event(lt(8, 16, 9, 0, 0), Form::Plus8, "E2", "emergency handled"),
                "loss_avoided",
                Val::Int(100),
            ),
            "amount",
            Val::Int(40),
        ),
        // Integers want a JSON integer; numbers take any; flags want true or false.
        with(
            event(lt(8, 16, 10, 0, 0), Form::Plus8, "E3", "phone unanswered"),
            "rings",
            Val::Dec(50, 1),
        ),
        with(
            event(
                lt(8, 16, 10, 0, 0),
                Form::Plus8,
                "E3",
                "personal phone call",
            ),
            "minutes",
            Val::Int(4),
        ),
        with(
            event(lt(8, 16, 10, 0, 0), Form::Plus8, "E3", "evading orders"),
            "severe",
            Val::Str("true"),
        ),
        with(
            event(lt(8, 16, 11, 0, 0), Form::Plus8, "E3", "evading orders"),
            "severe",
            Val::Bool(true),
        ),
        // Unknown keys are ignored; kinds match exactly.
        with(
            event(lt(8, 17, 10, 0, 0), Form::Plus8, "E3", "good samaritan"),
            "note",
            Val::Str("x"),
        ),
        event(lt(8, 17, 10, 0, 0), Form::Plus8, "E3", "Good samaritan"),
        // A fixed amount cannot be given.
        with(
            event(lt(8, 17, 10, 0, 0), Form::Plus8, "E3", "thank-you letter"),
            "amount",
            Val::Int(20),
        ),
    ];
    let summary = agree(lines, None);
    assert_eq!(
        amounts(&summary, "E1", "2025-08"),
        [
            (1500, 1500),
            (2000, 2000),
            (1500, 4000),
            (20000, 40000),
            (1500, 1500)
        ]
    );
    assert_eq!(summary.rejected, BTreeSet::from([6, 7, 8, 10, 12, 15, 16]));
    assert_eq!(summary.ignored, BTreeSet::from([(9, "5.3".to_owned())]));
}
