//! Properties of the evaluation arithmetic (`docs/semantics.md` §1, §3, §4, §7), on random streams
//! of events over every kind of the bundled rulebook, a handful of people and one to three
//! months, with some lines that must be rejected mixed in.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::RangeInclusive;
use std::sync::{Arc, LazyLock};

use chrono::{NaiveDate, TimeDelta};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{select, subsequence};
use rulebook::{
    Direction, EvalState, Evaluator, Event, Ledger, Money, Rejection, Report, Roster, Rulebook,
    Statement, evaluate,
};

// ── Rulebooks ───────────────────────────────────────────────────────────────────────────────

const BUNDLED_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/rules/en/c-tower.rules");

static BUNDLED: LazyLock<Arc<Rulebook>> = LazyLock::new(|| {
    Arc::new(Rulebook::from_path(BUNDLED_PATH).expect("the bundled rulebook loads"))
});

/// The bundled rulebook without escalation (3.9) and doubling (5.4).
static LINEAR: LazyLock<Arc<Rulebook>> = LazyLock::new(|| {
    let text = std::fs::read_to_string(BUNDLED_PATH).expect("the bundled rulebook reads");
    let linear: String = text
        .lines()
        .filter(|line| !line.starts_with("3.9 ") && !line.starts_with("5.4 "))
        .map(|line| format!("{line}\n"))
        .collect();
    assert_eq!(linear.lines().count() + 2, text.lines().count());
    let rulebook = Rulebook::parse("linear.rules", &linear).expect("the linear rulebook parses");
    assert!(rulebook.escalations().is_empty());
    Arc::new(rulebook)
});

/// The largest amounts a rule file may write, escalated a hundredfold, and rates per unit
/// that an event's `units` drive past anything the money type holds.
const ABSURD_TEXT: &str = "\
title: Absurd amounts
effective: 2025-08-15
currency: CNY
time zone: +08:00
measure units: number

section 1: huge fines
1.1 messy desk: fine 100000000 per units
1.2 discourtesy: fine 0.01
1.3 passing the buck: fine 100000000 for every person named
1.4 in the same month, from the 3rd fine on: 100 times the heaviest base so far

section 2: huge rewards
2.1 adopted suggestion: reward 0.01 to 100000000
2.2 thank-you letter: reward 100000000 per units
2.3 in the same month, every 3rd reward: 100 times the highest base so far

section 4: monthly
4.1 each month, every person on the roster with no attendance event (late or absence): reward 100000000
4.1 late or absence: no consequence
";

static ABSURD: LazyLock<Arc<Rulebook>> = LazyLock::new(|| {
    Arc::new(Rulebook::parse("absurd.rules", ABSURD_TEXT).expect("the absurd rulebook parses"))
});

/// The largest amount of the absurd rulebook, in yuan.
const HUGE: i64 = 100_000_000;

/// `units` for which one entry of a 100,000,000-per-unit rule holds as much as the money type:
/// 10¹⁰ fen × 922,337,203 ≈ `i64::MAX`.
const HUGE_UNITS: i64 = 922_337_203;

// ── Events ──────────────────────────────────────────────────────────────────────────────────

const DAY: i64 = 86_400;

/// A generated event: a local instant (seconds from 2025-08-01T00:00 at +08:00) and how the
/// line writes it, who, the kind, and attributes as JSON text.
#[derive(Debug, Clone)]
struct Ev {
    t: i64,
    form: u8,
    who: Vec<&'static str>,
    list: bool,
    kind: &'static str,
    attrs: Vec<(&'static str, String)>,
}

/// One input line: an event, or a line the evaluator must reject.
#[derive(Debug, Clone)]
enum Input {
    Ev(Ev),
    Bad(String),
}

fn local(t: i64) -> chrono::NaiveDateTime {
    NaiveDate::from_ymd_opt(2025, 8, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .expect("a date")
        + TimeDelta::seconds(t)
}

impl Ev {
    fn at(&self) -> String {
        let hms = "%Y-%m-%dT%H:%M:%S";
        match self.form {
            0 => local(self.t).format("%Y-%m-%dT%H:%M:%S+08:00").to_string(),
            1 => format!(
                "{}Z",
                local(self.t - 8 * 3600).format(hms) // the same instant in UTC
            ),
            2 => local(self.t).format(hms).to_string(),
            _ if self.t % DAY == 0 => local(self.t).format("%Y-%m-%d").to_string(),
            _ => local(self.t).format("%Y-%m-%d %H:%M:%S").to_string(),
        }
    }

    fn json(&self) -> String {
        let who = if self.list {
            serde_json::to_string(&self.who)
        } else {
            serde_json::to_string(self.who[0])
        }
        .expect("ids serialize");
        let mut text = format!(
            r#"{{"at": "{}", "who": {who}, "event": "{}""#,
            self.at(),
            self.kind
        );
        for (name, value) in &self.attrs {
            text.push_str(&format!(r#", "{name}": {value}"#));
        }
        text.push('}');
        text
    }
}

impl Input {
    fn json(&self) -> String {
        match self {
            Input::Ev(ev) => ev.json(),
            Input::Bad(text) => text.clone(),
        }
    }

    fn instant(&self) -> Option<i64> {
        match self {
            Input::Ev(ev) => Some(ev.t),
            Input::Bad(_) => None,
        }
    }
}

type Lines = Vec<(u64, Result<Event, Rejection>)>;

/// Numbers the lines from 1 and reads each as `rulebook eval` does.
fn read(inputs: &[Input]) -> Lines {
    (1u64..)
        .zip(inputs)
        .map(|(line, input)| (line, Event::from_json(&input.json())))
        .collect()
}

/// Sorts events by instant, stably; lines that are no event stay where they are relative to
/// the events before them.
fn time_ordered(inputs: &[Input]) -> Lines {
    let mut lines: Vec<(u64, &Input)> = (1u64..).zip(inputs).collect();
    let mut last = i64::MIN;
    let mut keyed: Vec<(i64, u64, &Input)> = Vec::new();
    for (line, input) in lines.drain(..) {
        last = input.instant().unwrap_or(last);
        keyed.push((last, line, input));
    }
    keyed.sort_by_key(|(t, _, _)| *t);
    keyed
        .into_iter()
        .map(|(_, line, input)| (line, Event::from_json(&input.json())))
        .collect()
}

fn money(fen: i64) -> String {
    Money::from_minor(fen).to_string()
}

const PEOPLE: [&str; 5] = ["E1", "E2", "E3", "E4", "E10"];

const PLAIN_KINDS: [&str; 30] = [
    "out of uniform",
    "improper phone greeting",
    "messy desk",
    "newspapers untidy",
    "discourtesy",
    "venting emotions",
    "idling on duty",
    "unauthorized internet use",
    "taking office property",
    "task dispatch error",
    "handover or fee error",
    "facilities left on",
    "false leave reason",
    "missed meeting",
    "duty not performed",
    "key log skipped",
    "task not followed up",
    "records not kept",
    "agenda not followed",
    "late",
    "early leave",
    "sick leave",
    "personal leave",
    "card signing",
    "absence",
    "thank-you letter",
    "good samaritan",
    "thank-you letter",
    "good samaritan",
    "thank-you letter",
];

fn flag() -> impl Strategy<Value = Option<String>> {
    prop_oneof![Just(None), any::<bool>().prop_map(|b| Some(b.to_string()))]
}

/// The attributes of an event of `kind`, all valid.
fn arb_attrs(kind: &'static str) -> BoxedStrategy<Vec<(&'static str, String)>> {
    let one = |name: &'static str, value: BoxedStrategy<String>| {
        value.prop_map(move |v| vec![(name, v)]).boxed()
    };
    match kind {
        "phone unanswered" => one("rings", (0i64..8).prop_map(|n| n.to_string()).boxed()),
        "personal phone call" => one(
            "minutes",
            prop_oneof![
                (0i64..8).prop_map(|n| n.to_string()),
                (0i64..800).prop_map(money),
            ]
            .boxed(),
        ),
        "returned lost property" => one(
            "value",
            prop_oneof![
                (100i64..600).prop_map(|n| n.to_string()),
                select(vec!["299.99", "300.00", "300", "300.01"]).prop_map(str::to_owned),
            ]
            .boxed(),
        ),
        "adopted suggestion" => one("amount", (3000i64..=5000).prop_map(money).boxed()),
        "emergency handled" => (300i64..900, 3000i64..=5000)
            .prop_map(|(loss, fen)| {
                vec![("loss_avoided", loss.to_string()), ("amount", money(fen))]
            })
            .boxed(),
        "service star" => (20000i64..=30000, flag(), flag())
            .prop_map(|(fen, outstanding, approved)| {
                let mut attrs = vec![("amount", money(fen))];
                attrs.extend(outstanding.map(|v| ("outstanding", v)));
                attrs.extend(approved.map(|v| ("approved", v)));
                attrs
            })
            .boxed(),
        "evading orders" | "soliciting tips" => flag()
            .prop_map(|severe| severe.map(|v| ("severe", v)).into_iter().collect())
            .boxed(),
        _ => Just(Vec::new()).boxed(),
    }
}

/// A local instant in `days` (day 14 is 2025-08-15, the effective date): often on a minute
/// or at midnight, so that instants coincide.
fn arb_instant(days: RangeInclusive<i64>) -> impl Strategy<Value = i64> {
    prop_oneof![
        2 => (days.clone(), 0..DAY).prop_map(|(d, s)| d * DAY + s),
        2 => (days.clone(), 0..1440i64).prop_map(|(d, m)| d * DAY + m * 60),
        1 => days.prop_map(|d| d * DAY),
    ]
}

fn arb_ev(people: Vec<&'static str>, days: RangeInclusive<i64>) -> impl Strategy<Value = Ev> {
    let special = vec![
        "phone unanswered",
        "personal phone call",
        "passing the buck",
        "evading orders",
        "soliciting tips",
        "returned lost property",
        "adopted suggestion",
        "emergency handled",
        "service star",
    ];
    let kind = prop_oneof![3 => select(PLAIN_KINDS.to_vec()), 2 => select(special)];
    let n = people.len();
    (
        kind,
        arb_instant(days),
        0u8..4,
        subsequence(people, 1..=n).prop_shuffle(),
    )
        .prop_flat_map(|(kind, t, form, who)| {
            let list = kind == "passing the buck";
            let who = if list { who } else { who[..1].to_vec() };
            arb_attrs(kind).prop_map(move |attrs| Ev {
                t,
                form,
                who: who.clone(),
                list,
                kind,
                attrs,
            })
        })
}

/// A line that must be rejected: not JSON, an unknown kind, a missing attribute, an amount out
/// of range, a date before the rulebook takes effect, `who` of the wrong type.
fn arb_bad(people: Vec<&'static str>, days: RangeInclusive<i64>) -> impl Strategy<Value = Input> {
    (arb_ev(people, days), 0u8..8).prop_map(|(mut ev, defect)| {
        let text = match defect {
            0 => "{\"at\": \"2025-08-20\", \"who\": \"E1\"".to_owned(),
            1 => {
                ev.kind = "mesy desk";
                ev.attrs.clear();
                ev.json()
            }
            2 => {
                ev.kind = "phone unanswered";
                ev.attrs.clear();
                ev.json()
            }
            3 => {
                ev.kind = "adopted suggestion";
                ev.attrs = vec![("amount", "60".to_owned())];
                ev.json()
            }
            4 => {
                ev.t = ev.t.rem_euclid(DAY) + 13 * DAY; // 2025-08-14
                ev.json()
            }
            5 => ev.json().replacen("\"who\": ", "\"who\": 7, \"x\": ", 1),
            6 => {
                ev.kind = "service star";
                ev.attrs = vec![
                    ("amount", "250".to_owned()),
                    ("outstanding", "\"yes\"".to_owned()),
                ];
                ev.json()
            }
            _ => {
                ev.kind = "messy desk";
                ev.attrs = vec![("amount", "15".to_owned())];
                ev.json()
            }
        };
        Input::Bad(text)
    })
}

/// One to three months on or after 2025-08-15, and the people of a stream.
fn arb_scope() -> impl Strategy<Value = (Vec<&'static str>, RangeInclusive<i64>)> {
    let days = prop_oneof![
        Just(14..=30i64), // August from the 15th
        Just(25..=45),    // across the end of August
        Just(14..=91),    // August to October
        Just(31..=60),    // September
    ];
    (subsequence(PEOPLE.to_vec(), 1..=4), days)
}

/// Events, and sometimes a line that must be rejected.
fn arb_inputs(max: usize) -> impl Strategy<Value = Vec<Input>> {
    arb_scope().prop_flat_map(move |(people, days)| {
        let line = prop_oneof![
            10 => arb_ev(people.clone(), days.clone()).prop_map(Input::Ev),
            1 => arb_bad(people.clone(), days.clone()),
        ];
        vec(line, 0..max)
    })
}

/// Valid events only.
fn arb_valid(max: usize) -> impl Strategy<Value = Vec<Ev>> {
    arb_scope().prop_flat_map(move |(people, days)| vec(arb_ev(people, days), 0..max))
}

fn arb_roster() -> impl Strategy<Value = Option<Roster>> {
    let mut people = PEOPLE.to_vec();
    people.push("E9");
    prop_oneof![
        Just(None),
        subsequence(people, 0..=6).prop_map(|p| Some(Roster::new(p).unwrap())),
    ]
}

fn run(rulebook: &Arc<Rulebook>, lines: Lines, roster: Option<&Roster>) -> Report {
    evaluate(Arc::clone(rulebook), lines, roster)
        .expect("a few months, a few people")
        .report()
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

// ── Checks ──────────────────────────────────────────────────────────────────────────────────

/// Statement totals are the sums of their entries' amounts, net is rewards − fines (added
/// up in i128, so that an overflow in the evaluator would show).
fn check_totals(report: &Report) -> Result<(), TestCaseError> {
    for s in &report.statements {
        let sum = |kind: Direction| -> i128 {
            s.entries
                .iter()
                .filter(|e| e.kind == kind)
                .map(|e| i128::from(e.amount.minor_units()))
                .sum()
        };
        let (fines, rewards) = (sum(Direction::Fine), sum(Direction::Reward));
        prop_assert_eq!(i128::from(s.fines.minor_units()), fines, "fines of {:?}", s);
        prop_assert_eq!(
            i128::from(s.rewards.minor_units()),
            rewards,
            "rewards of {:?}",
            s
        );
        prop_assert_eq!(
            i128::from(s.net.minor_units()),
            rewards - fines,
            "net of {:?}",
            s
        );
    }
    Ok(())
}

/// Every line ends up in exactly one place: entries (one line may make several, for 2.9),
/// ignored, or rejected (§6).
fn check_accounted(report: &Report, lines: &Lines) -> Result<(), TestCaseError> {
    let entered: BTreeSet<u64> = report
        .statements
        .iter()
        .flat_map(|s| s.entries.iter().filter_map(|e| e.line))
        .collect();
    let ignored: Vec<u64> = report.ignored.iter().filter_map(|i| i.line).collect();
    // Refused period entries (no line) are not lines.
    let rejected: Vec<u64> = report.rejected.iter().filter_map(|r| r.line).collect();
    let mut all: Vec<u64> = entered.iter().copied().collect();
    all.extend(&ignored);
    all.extend(&rejected);
    all.sort_unstable();
    let expected: Vec<u64> = {
        let mut numbers: Vec<u64> = lines.iter().map(|(line, _)| *line).collect();
        numbers.sort_unstable();
        numbers
    };
    prop_assert_eq!(all, expected, "every line exactly once");
    Ok(())
}

// ── Properties ──────────────────────────────────────────────────────────────────────────────

proptest! {
    #![proptest_config(config(256))]

    /// §7: `fines` and `rewards` are the sums of the entries' amounts, `net` = rewards −
    /// fines; and every line is in exactly one place (§6).
    #[test]
    fn totals_are_the_sums_of_the_entries(inputs in arb_inputs(40), roster in arb_roster()) {
        let lines = read(&inputs);
        let report = run(&BUNDLED, lines.clone(), roster.as_ref());
        check_totals(&report)?;
        check_accounted(&report, &lines)?;
    }

    /// Without escalation, every entry is charged at its base, so the totals are the sums of
    /// the bases.
    #[test]
    fn without_escalation_totals_are_the_sums_of_the_bases(
        inputs in arb_inputs(40),
        roster in arb_roster(),
    ) {
        let report = run(&LINEAR, read(&inputs), roster.as_ref());
        for s in &report.statements {
            let bases = |kind: Direction| -> i64 {
                s.entries
                    .iter()
                    .filter(|e| e.kind == kind)
                    .map(|e| e.base.minor_units())
                    .sum()
            };
            for e in &s.entries {
                prop_assert_eq!(e.amount, e.base, "{:?}", e);
            }
            prop_assert_eq!(s.fines.minor_units(), bases(Direction::Fine));
            prop_assert_eq!(s.rewards.minor_units(), bases(Direction::Reward));
        }
    }

    /// Without escalation, evaluation is linear: split the events in two any way, evaluate
    /// each part, and the totals of each person-month add up to those of the whole, with the
    /// same entries. (The roster is empty: 4.1 depends on the months of the whole input.)
    #[test]
    fn without_escalation_totals_add_up_over_any_split(
        events in arb_valid(40).prop_flat_map(|events| {
            let n = events.len();
            (Just(events), vec(any::<bool>(), n))
        }),
    ) {
        let (events, sides) = events;
        let nobody = Roster::new(Vec::<String>::new()).unwrap();
        let numbered: Vec<(u64, &Ev, bool)> = (1u64..)
            .zip(&events)
            .zip(&sides)
            .map(|((line, e), side)| (line, e, *side))
            .collect();
        let part = |keep: Option<bool>| -> Report {
            let lines: Lines = numbered
                .iter()
                .filter(|(_, _, side)| keep.is_none_or(|k| k == *side))
                .map(|(line, e, _)| (*line, Event::from_json(&e.json())))
                .collect();
            run(&LINEAR, lines, Some(&nobody))
        };
        type Sums = BTreeMap<(String, String), (i64, i64, Vec<rulebook::Entry>)>;
        let sums = |reports: &[Report]| -> Sums {
            let mut sums = Sums::new();
            for s in reports.iter().flat_map(|r| &r.statements) {
                let sum = sums.entry((s.who.clone(), s.month.to_string())).or_default();
                sum.0 += s.fines.minor_units();
                sum.1 += s.rewards.minor_units();
                sum.2.extend(s.entries.iter().cloned());
                sum.2.sort_by_key(|e| e.line);
            }
            sums
        };
        let whole = sums(&[part(None)]);
        let split = sums(&[part(Some(false)), part(Some(true))]);
        prop_assert_eq!(whole, split);
    }

    /// Without escalation, each person's statements depend on their own events only:
    /// evaluating every person separately (a collective 2.9 event cut down to that person)
    /// and merging gives the statements of evaluating everyone together. The roster is empty,
    /// so that 4.1 (whose months span the whole input) does not apply.
    #[test]
    fn without_escalation_people_evaluate_separately(events in arb_valid(40)) {
        let inputs: Vec<Input> = events.iter().cloned().map(Input::Ev).collect();
        let nobody = Roster::new(Vec::<String>::new()).unwrap();
        let together = run(&LINEAR, read(&inputs), Some(&nobody));

        let people: BTreeSet<&str> = events.iter().flat_map(|e| e.who.iter().copied()).collect();
        let mut merged: Vec<Statement> = Vec::new();
        let mut ignored = Vec::new();
        for person in people {
            let own: Lines = (1u64..)
                .zip(&events)
                .filter(|(_, e)| e.who.contains(&person))
                .map(|(line, e)| {
                    let mut e = e.clone();
                    e.who = vec![person];
                    (line, Event::from_json(&e.json()))
                })
                .collect();
            let alone = run(&LINEAR, own, Some(&nobody));
            prop_assert!(alone.rejected.is_empty());
            prop_assert!(alone.statements.iter().all(|s| s.who == person));
            merged.extend(alone.statements);
            ignored.extend(alone.ignored);
        }
        merged.sort_by(|a, b| (&a.who, a.month).cmp(&(&b.who, b.month)));
        ignored.sort_by_key(|i| i.line);
        prop_assert_eq!(&merged, &together.statements);
        prop_assert_eq!(&ignored, &together.ignored);
        prop_assert!(together.rejected.is_empty());
    }

    /// §3 with the bundled rulebook. Fines (3.9): the 1st and 2nd of a person-month are at
    /// base; the 3rd and later are 2 × the heaviest base among the person's fines so far in
    /// the month, this one included — never below the base. Rewards (5.4): exactly every 3rd
    /// is 2 × the highest base so far; the monthly 4.1 reward is neither doubled nor counted.
    #[test]
    fn escalation_and_doubling_follow_the_bases_so_far(
        inputs in arb_inputs(40),
        roster in arb_roster(),
    ) {
        let report = run(&BUNDLED, read(&inputs), roster.as_ref());
        for s in &report.statements {
            let mut fines: Vec<Money> = Vec::new();
            let mut rewards: Vec<Money> = Vec::new();
            let mut monthly = false;
            for e in &s.entries {
                prop_assert!(e.base.is_positive());
                prop_assert!(e.amount >= e.base, "below its base: {:?}", e);
                if e.line.is_none() {
                    prop_assert_eq!(&e.rule, "4.1");
                    prop_assert_eq!(e.amount, e.base, "4.1 is never doubled");
                    monthly = true;
                    continue;
                }
                prop_assert!(!monthly, "4.1 comes after the month's event entries");
                let (bases, escalated) = match e.kind {
                    Direction::Fine => {
                        fines.push(e.base);
                        (&fines, fines.len() >= 3)
                    }
                    Direction::Reward => {
                        rewards.push(e.base);
                        (&rewards, rewards.len().is_multiple_of(3))
                    }
                    other => panic!("a direction the policy does not have: {other:?}"),
                };
                let heaviest = bases.iter().max().copied().unwrap_or(Money::ZERO);
                let expected = if escalated {
                    heaviest.checked_mul(2).unwrap_or(Money::MAX)
                } else {
                    e.base
                };
                prop_assert_eq!(
                    e.amount,
                    expected,
                    "{} of {} {}: entry {:?} after bases {:?}",
                    if e.kind == Direction::Fine { "fine" } else { "reward" },
                    &s.who,
                    s.month,
                    e,
                    bases
                );
            }
        }
    }

    /// §1: events are applied in time order, so with distinct instants the order of the input
    /// lines does not matter (each event keeps its line number).
    #[test]
    fn shuffled_lines_with_distinct_instants_give_the_same_report(
        (inputs, shuffled) in arb_inputs(40).prop_flat_map(|inputs| {
            let mut seen = BTreeSet::new();
            let distinct: Vec<(u64, Input)> = (1u64..)
                .zip(inputs)
                .filter(|(_, input)| input.instant().is_none_or(|t| seen.insert(t)))
                .collect();
            (Just(distinct.clone()), Just(distinct).prop_shuffle())
        }),
        roster in arb_roster(),
    ) {
        let lines = |inputs: &[(u64, Input)]| -> Lines {
            inputs
                .iter()
                .map(|(line, input)| (*line, Event::from_json(&input.json())))
                .collect()
        };
        let report = run(&BUNDLED, lines(&inputs), roster.as_ref());
        let again = run(&BUNDLED, lines(&shuffled), roster.as_ref());
        prop_assert_eq!(report, again);
    }

    /// A time-ordered stream, checkpointed (the evaluator's state through serde_json) and
    /// resumed at random points, then closed, gives the report of one uninterrupted run —
    /// streamed or batch.
    #[test]
    fn checkpoint_and_resume_give_the_same_report(
        (inputs, splits) in arb_inputs(40).prop_flat_map(|inputs| {
            let n = inputs.len();
            (Just(inputs), proptest::collection::btree_set(0..=n, 0..4))
        }),
        roster in arb_roster(),
    ) {
        let lines = time_ordered(&inputs);
        let resumed = stream(&BUNDLED, &lines, &splits, roster.as_ref());
        let streamed = stream(&BUNDLED, &lines, &BTreeSet::new(), roster.as_ref());
        let batch = run(&BUNDLED, lines, roster.as_ref());
        prop_assert_eq!(&resumed, &streamed);
        prop_assert_eq!(&resumed, &batch);
    }
}

/// Streams `lines` through one evaluator into one ledger, checkpointing and resuming before
/// each line whose index is in `splits` (and before closing, for `lines.len()`).
fn stream(
    rulebook: &Arc<Rulebook>,
    lines: &Lines,
    splits: &BTreeSet<usize>,
    roster: Option<&Roster>,
) -> Report {
    let mut evaluator = Evaluator::new(Arc::clone(rulebook));
    let mut ledger = Ledger::new(Arc::clone(rulebook));
    let checkpoint = |evaluator: &Evaluator| {
        let json = serde_json::to_string(evaluator.state()).expect("the state serializes");
        let state: EvalState = serde_json::from_str(&json).expect("the state deserializes");
        Evaluator::resume(Arc::clone(rulebook), state).expect("the same rulebook")
    };
    for (index, (line, event)) in lines.iter().enumerate() {
        if splits.contains(&index) {
            evaluator = checkpoint(&evaluator);
        }
        let applied = event
            .clone()
            .and_then(|event| evaluator.prepare(Some(*line), &event))
            .and_then(|prepared| evaluator.apply_prepared(&prepared, &mut ledger));
        if let Err(rejection) = applied {
            ledger.reject(*line, rejection);
        }
    }
    if splits.contains(&lines.len()) {
        evaluator = checkpoint(&evaluator);
    }
    evaluator
        .close_all(roster, &mut ledger)
        .expect("a few months, a few people");
    ledger.report()
}

// ── Overflow ────────────────────────────────────────────────────────────────────────────────

fn arb_absurd_ev(days: RangeInclusive<i64>) -> impl Strategy<Value = Ev> {
    let amount = prop_oneof![Just(1i64), Just(HUGE * 100), 1i64..=HUGE * 100].prop_map(money);
    let units = prop_oneof![
        Just(1i64),
        Just(HUGE_UNITS),
        Just(HUGE_UNITS / 2),
        1i64..=HUGE_UNITS * 2,
    ]
    .prop_map(|n| n.to_string());
    let kinds = vec![
        "messy desk",
        "discourtesy",
        "passing the buck",
        "adopted suggestion",
        "thank-you letter",
        "late",
        "absence",
    ];
    (
        select(kinds),
        arb_instant(days),
        0u8..4,
        subsequence(vec!["E1", "E2", "E3"], 1..=3).prop_shuffle(),
        amount,
        units,
    )
        .prop_map(|(kind, t, form, who, amount, units)| {
            let list = kind == "passing the buck";
            Ev {
                t,
                form,
                who: if list { who } else { who[..1].to_vec() },
                list,
                kind,
                attrs: match kind {
                    "adopted suggestion" => vec![("amount", amount)],
                    "messy desk" | "thank-you letter" => vec![("units", units)],
                    _ => Vec::new(),
                },
            }
        })
}

/// Every rejection is an overflow, and every refused period entry names its person and month.
fn only_overflows(report: &Report) -> Result<(), TestCaseError> {
    for rejected in &report.rejected {
        prop_assert!(rejected.why.contains("too large"), "{:?}", rejected);
        prop_assert_eq!(
            rejected.line.is_none(),
            rejected.who.is_some() && rejected.month.is_some(),
            "{:?}",
            rejected
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(128))]

    /// The largest amounts, escalated a hundredfold, and rates driven past what money holds:
    /// streaming and batch evaluation never panic; an event that would overflow is rejected
    /// with its line, a period entry that would overflow is refused for its person and month,
    /// and whatever was recorded still adds up.
    #[test]
    fn absurd_amounts_overflow_as_a_rejection(
        events in (0i64..3).prop_flat_map(|m| {
            vec(arb_absurd_ev(14 + 31 * m..=30 + 31 * m), 0..40)
        }),
        roster in arb_roster(),
    ) {
        let inputs: Vec<Input> = events.into_iter().map(Input::Ev).collect();
        let lines = time_ordered(&inputs);

        let mut evaluator = Evaluator::new(Arc::clone(&ABSURD));
        let mut ledger = Ledger::new(Arc::clone(&ABSURD));
        for (line, event) in &lines {
            let event = event.as_ref().expect("valid JSON");
            let prepared = evaluator.prepare(Some(*line), event);
            prop_assert!(prepared.is_ok(), "line {}: {:?}", line, prepared);
            if let Ok(prepared) = prepared {
                match evaluator.apply_prepared(&prepared, &mut ledger) {
                    Ok(_) => {}
                    Err(rejection @ Rejection::Overflow { .. }) => ledger.reject(*line, rejection),
                    Err(other) => prop_assert!(false, "line {}: {:?}", line, other),
                }
            }
        }
        prop_assert!(evaluator.close_all(roster.as_ref(), &mut ledger).is_ok());
        let report = ledger.report();
        check_totals(&report)?;
        only_overflows(&report)?;

        let report = evaluate(Arc::clone(&ABSURD), lines.clone(), roster.as_ref())
            .expect("a few months, a few people")
            .report();
        check_totals(&report)?;
        check_accounted(&report, &lines)?;
        only_overflows(&report)?;
    }
}

#[test]
fn many_huge_events_overflow_as_rejections() {
    let huge_units = HUGE_UNITS.to_string();
    let mut lines: Lines = Vec::new();
    for i in 0..20_000u32 {
        let t = 14 * DAY + i64::from(i) * 60;
        let ev = Ev {
            t,
            form: 0,
            who: vec!["E1", "E2"],
            list: i % 5 == 0,
            kind: match i % 5 {
                0 => "passing the buck",
                1 => "messy desk",
                2 => "adopted suggestion",
                3 => "thank-you letter",
                _ => "discourtesy",
            },
            attrs: match i % 5 {
                1 | 3 => vec![("units", huge_units.clone())],
                2 => vec![("amount", money(1))],
                _ => Vec::new(),
            },
        };
        lines.push((u64::from(i) + 1, Event::from_json(&ev.json())));
    }
    let roster = Roster::new(["E1", "E2", "E3"]).unwrap();
    let report = evaluate(Arc::clone(&ABSURD), lines.clone(), Some(&roster))
        .expect("one month")
        .report();
    check_totals(&report).unwrap();
    check_accounted(&report, &lines).unwrap();
    only_overflows(&report).unwrap();
    // E1's first thank-you letter takes their rewards to within 0.7 × 10⁸ fen of the maximum:
    // 4.1 is refused for E1, out loud, and paid to E2 and E3, whose months go on.
    let refused: Vec<(Option<&str>, String)> = report
        .rejected
        .iter()
        .filter(|r| r.line.is_none())
        .map(|r| {
            (
                r.who.as_deref(),
                r.month.map(|m| m.to_string()).unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(refused, [(Some("E1"), "2025-08".to_owned())]);
    for who in ["E2", "E3"] {
        let statement = report
            .statements
            .iter()
            .find(|s| s.who == who)
            .expect("a statement");
        let last = statement.entries.last().expect("entries");
        assert_eq!(
            (last.rule.as_str(), last.amount),
            ("4.1", Money::from_major(HUGE).unwrap())
        );
    }
    let e1 = report
        .statements
        .iter()
        .find(|s| s.who == "E1")
        .expect("E1");
    assert!(e1.entries.iter().all(|e| e.rule != "4.1"));
    // One messy desk at the maximum overflows E1's fines; one thank-you letter fits, none
    // after it.
    let rejected: BTreeSet<u64> = report.rejected.iter().filter_map(|r| r.line).collect();
    for line in 1..=20_000u64 {
        let i = line - 1;
        let huge_and_late = i % 5 == 1 || (i % 5 == 3 && i > 3);
        if huge_and_late {
            assert!(rejected.contains(&line), "line {line} is not rejected");
        }
    }
    let per_person: BTreeMap<&str, usize> = report
        .statements
        .iter()
        .map(|s| (s.who.as_str(), s.entries.len()))
        .collect();
    // E3 named in no event: 4.1 alone.
    assert_eq!(per_person.get("E3"), Some(&1), "{per_person:?}");
}
