//! Throughput of the evaluator's hot path (`Evaluator::apply_prepared` over pre-checked
//! events, then `Evaluator::close_all`) on the bundled `rules/en/c-tower.rules`, next to a
//! baseline: a hand-written fold of the same policy (a `match` on the event kind and a
//! `HashMap` of per-person-month totals), so the cost of the general engine can be read off
//! one run as a ratio. The evaluator runs twice: keeping every entry with its reason
//! (`evaluator`), and keeping totals per person and month as the fold does
//! (`evaluator_totals_only`, the like-for-like comparison).
//!
//! The input is 1,000,000 events generated deterministically (xorshift64*, fixed seed): 1,000
//! people (`E0000`..`E0999`), 2025-08-15 to 2025-11-14, in time order, mostly fines of
//! sections 1–3 (some below their threshold, some collective 2.9 events, `severe` now and
//! then), some rewards (ranged amounts, `value`, `loss_avoided`) and a few attendance events,
//! so that roughly half of the person-months earn the monthly 4.1 reward. Generating, checking
//! and preparing the events, cloning the fresh evaluator and dropping the ledger are outside
//! the timing; rendering the report is not measured. Before measuring, both contenders are run
//! once and must agree on the grand totals of fines, rewards and outcomes.
//!
//! Run with
//! `cargo bench --bench evaluate -- --warm-up-time 2 --measurement-time 10 --sample-size 10`.

use std::collections::HashMap;
use std::hint::black_box;
use std::sync::Arc;

use chrono::{Duration, NaiveDate};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use rulebook::{Evaluator, Event, Ledger, PreparedEvent, Rulebook, Stamp, Value, Who};
use rust_decimal::Decimal;

/// The rule file shipped with the crate.
const BUNDLED: &str = include_str!("../rules/en/c-tower.rules");

/// Events per iteration.
const EVENTS: usize = 1_000_000;
/// People on the (implicit) roster: `E0000`..`E0999`.
const PEOPLE: u32 = 1_000;
/// Days from 2025-08-15 to 2025-11-14, both included.
const DAYS: i64 = 92;
/// Events happen between 08:00 and 18:00 local time.
const WORKDAY_SECONDS: i64 = 10 * 3600;

// ── The event kinds of the bundled rulebook ───────────────────────────────────────────────

/// Every event kind of `docs/semantics.md` §2, for the hand-written fold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    OutOfUniform,
    PhoneUnanswered,
    ImproperPhoneGreeting,
    MessyDesk,
    NewspapersUntidy,
    Discourtesy,
    VentingEmotions,
    IdlingOnDuty,
    PersonalPhoneCall,
    UnauthorizedInternetUse,
    TakingOfficeProperty,
    TaskDispatchError,
    HandoverOrFeeError,
    PassingTheBuck,
    FacilitiesLeftOn,
    FalseLeaveReason,
    MissedMeeting,
    DutyNotPerformed,
    KeyLogSkipped,
    TaskNotFollowedUp,
    RecordsNotKept,
    AgendaNotFollowed,
    EvadingOrders,
    SolicitingTips,
    Late,
    EarlyLeave,
    SickLeave,
    PersonalLeave,
    CardSigning,
    Absence,
    ThankYouLetter,
    ReturnedLostProperty,
    GoodSamaritan,
    AdoptedSuggestion,
    EmergencyHandled,
    ServiceStar,
}

/// Each kind's name in the rulebook and its weight in the generated mix (per 100,000 events).
const MIX: [(Kind, &str, u32); 36] = [
    (Kind::OutOfUniform, "out of uniform", 6_000),
    (Kind::PhoneUnanswered, "phone unanswered", 9_000),
    (
        Kind::ImproperPhoneGreeting,
        "improper phone greeting",
        4_000,
    ),
    (Kind::MessyDesk, "messy desk", 6_000),
    (Kind::NewspapersUntidy, "newspapers untidy", 3_000),
    (Kind::Discourtesy, "discourtesy", 4_000),
    (Kind::VentingEmotions, "venting emotions", 2_500),
    (Kind::IdlingOnDuty, "idling on duty", 6_000),
    (Kind::PersonalPhoneCall, "personal phone call", 6_000),
    (
        Kind::UnauthorizedInternetUse,
        "unauthorized internet use",
        4_000,
    ),
    (Kind::TakingOfficeProperty, "taking office property", 1_000),
    (Kind::TaskDispatchError, "task dispatch error", 3_000),
    (Kind::HandoverOrFeeError, "handover or fee error", 3_000),
    (Kind::PassingTheBuck, "passing the buck", 500),
    (Kind::FacilitiesLeftOn, "facilities left on", 2_000),
    (Kind::FalseLeaveReason, "false leave reason", 1_000),
    (Kind::MissedMeeting, "missed meeting", 2_500),
    (Kind::DutyNotPerformed, "duty not performed", 2_000),
    (Kind::KeyLogSkipped, "key log skipped", 2_000),
    (Kind::TaskNotFollowedUp, "task not followed up", 2_500),
    (Kind::RecordsNotKept, "records not kept", 2_000),
    (Kind::AgendaNotFollowed, "agenda not followed", 1_000),
    (Kind::EvadingOrders, "evading orders", 1_000),
    (Kind::SolicitingTips, "soliciting tips", 500),
    // About 0.2 % of the events: 0.7 per person-month, so about half the person-months
    // keep their 4.1 reward.
    (Kind::Late, "late", 90),
    (Kind::EarlyLeave, "early leave", 30),
    (Kind::SickLeave, "sick leave", 30),
    (Kind::PersonalLeave, "personal leave", 30),
    (Kind::CardSigning, "card signing", 20),
    (Kind::Absence, "absence", 10),
    (Kind::ThankYouLetter, "thank-you letter", 6_000),
    (Kind::ReturnedLostProperty, "returned lost property", 2_500),
    (Kind::GoodSamaritan, "good samaritan", 2_000),
    (Kind::AdoptedSuggestion, "adopted suggestion", 2_500),
    (Kind::EmergencyHandled, "emergency handled", 1_500),
    (Kind::ServiceStar, "service star", 290),
];

// ── Generating the input ──────────────────────────────────────────────────────────────────

/// xorshift64*: small, fast and deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n` (the modulo bias is negligible here).
    fn below(&mut self, n: u64) -> u64 {
        (self.next() >> 11) % n
    }

    /// A number in `low..=high`.
    fn within(&mut self, low: i64, high: i64) -> i64 {
        low + self.below((high - low + 1) as u64) as i64
    }

    /// `true` with probability `percent` / 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// An exact decimal of `hundredths` / 100, as an event attribute: `45.5`, `3.25`.
fn hundredths(hundredths: i64) -> Value {
    if hundredths % 100 == 0 {
        Value::Integer(i128::from(hundredths / 100))
    } else {
        Value::Number(Decimal::new(hundredths, 2).normalize())
    }
}

fn person(index: u64) -> String {
    format!("E{index:04}")
}

/// The benchmark's events, in time order.
fn generate() -> Vec<Event> {
    let total_weight: u32 = MIX.iter().map(|(_, _, w)| w).sum();
    let start = NaiveDate::from_ymd_opt(2025, 8, 15).expect("a valid date");
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    (0..EVENTS)
        .map(|i| {
            // Strictly increasing instants: ~3.3 s apart over the working hours.
            let offset = i as i64 * (DAYS * WORKDAY_SECONDS) / EVENTS as i64;
            let date = start + Duration::days(offset / WORKDAY_SECONDS);
            let second = 8 * 3600 + offset % WORKDAY_SECONDS;
            let at = format!(
                "{}T{:02}:{:02}:{:02}+08:00",
                date.format("%Y-%m-%d"),
                second / 3600,
                second / 60 % 60,
                second % 60
            );
            let mut pick = rng.below(u64::from(total_weight)) as u32;
            let &(kind, name, _) = MIX
                .iter()
                .find(|(_, _, weight)| {
                    let found = pick < *weight;
                    pick = pick.saturating_sub(*weight);
                    found
                })
                .expect("the pick is below the total weight");
            let who = if kind == Kind::PassingTheBuck {
                let mut people: Vec<u64> = Vec::with_capacity(3);
                let count = 2 + rng.below(2) as usize;
                while people.len() < count {
                    let p = rng.below(u64::from(PEOPLE));
                    if !people.contains(&p) {
                        people.push(p);
                    }
                }
                Who::Many(people.into_iter().map(person).collect())
            } else {
                Who::One(person(rng.below(u64::from(PEOPLE))))
            };
            let event = Event::new(at, who, name);
            match kind {
                // 1 to 8 rings: about 3 in 8 are not over 3.
                Kind::PhoneUnanswered => event.with("rings", rng.within(1, 8)),
                // 0.50 to 10.00 minutes, some fractional; about a quarter not over 3.
                Kind::PersonalPhoneCall => {
                    event.with("minutes", hundredths(rng.within(2, 40) * 25))
                }
                Kind::EvadingOrders | Kind::SolicitingTips if rng.chance(10) => {
                    event.with("severe", true)
                }
                Kind::EvadingOrders | Kind::SolicitingTips if rng.chance(10) => {
                    event.with("severe", false)
                }
                // 50 to 1,000 (some with fen): about a quarter under 300.
                Kind::ReturnedLostProperty => {
                    event.with("value", hundredths(rng.within(100, 2_000) * 50))
                }
                // 30 to 50 in steps of 0.5.
                Kind::AdoptedSuggestion => {
                    event.with("amount", hundredths(rng.within(60, 100) * 50))
                }
                Kind::EmergencyHandled => event
                    .with("loss_avoided", hundredths(rng.within(1, 40) * 5_000))
                    .with("amount", hundredths(rng.within(30, 50) * 100)),
                Kind::ServiceStar => {
                    let mut event = event.with("amount", hundredths(rng.within(40, 60) * 500));
                    if rng.chance(30) {
                        event = event.with("outstanding", true);
                        if rng.chance(50) {
                            event = event.with("approved", true);
                        }
                    }
                    event
                }
                _ => event,
            }
        })
        .collect()
}

// ── The baseline: a hand-written fold ─────────────────────────────────────────────────────

/// One event, resolved for the hand-written fold: numbers in hundredths (fen for money).
#[derive(Debug, Clone, Copy)]
struct Plain {
    kind: Kind,
    /// The people named; only the first `people` are used.
    who: [u32; 3],
    people: u8,
    /// The month in the rulebook's zone, counted from 2025-01.
    month: u8,
    rings: i64,
    minutes: i64,
    value: i64,
    loss_avoided: i64,
    amount: i64,
    severe: bool,
    outstanding: bool,
}

/// A number attribute in hundredths (`0` when absent).
fn centi(event: &Event, name: &str) -> i64 {
    event
        .attributes
        .get(name)
        .and_then(Value::as_decimal)
        .map_or(0, |d| {
            (d * Decimal::ONE_HUNDRED)
                .try_into()
                .expect("a whole number of hundredths")
        })
}

fn flag(event: &Event, name: &str) -> bool {
    matches!(event.attributes.get(name), Some(Value::Flag(true)))
}

/// Resolves the events for the baseline, mapping the rulebook's kind ids to [`Kind`].
fn plain(rulebook: &Rulebook, events: &[Event]) -> Vec<Plain> {
    let mut kinds: Vec<Option<Kind>> = vec![None; rulebook.kinds().count()];
    for (kind, name, _) in MIX {
        let id = rulebook
            .kind_id(name)
            .unwrap_or_else(|| panic!("the bundled rulebook knows {name:?}"));
        kinds[id.index()] = Some(kind);
    }
    events
        .iter()
        .map(|event| {
            let id = rulebook.kind_id(&event.kind).expect("a known kind");
            let names = event.who.people();
            let mut who = [0; 3];
            for (slot, name) in who.iter_mut().zip(names) {
                *slot = name[1..].parse().expect("a staff id E0000..E0999");
            }
            let month = Stamp::parse(&event.at, rulebook.header().time_zone)
                .expect("a valid timestamp")
                .month();
            Plain {
                kind: kinds[id.index()].expect("a kind of the mix"),
                who,
                people: names.len() as u8,
                month: ((month.year() - 2025) * 12 + month.month() as i32 - 1) as u8,
                rings: centi(event, "rings") / 100,
                minutes: centi(event, "minutes"),
                value: centi(event, "value"),
                loss_avoided: centi(event, "loss_avoided"),
                amount: centi(event, "amount"),
                severe: flag(event, "severe"),
                outstanding: flag(event, "outstanding"),
            }
        })
        .collect()
}

/// One person's month in the baseline.
#[derive(Debug, Clone, Copy, Default)]
struct State {
    fines: u32,
    heaviest_fine: i64,
    rewards: u32,
    highest_reward: i64,
    attendance: bool,
    outcomes: u32,
    fined: i64,
    rewarded: i64,
}

impl State {
    /// 3.9: the 3rd and later fines at 2 × the heaviest base so far.
    fn fine(&mut self, base: i64) {
        self.fines += 1;
        self.heaviest_fine = self.heaviest_fine.max(base);
        self.fined += if self.fines >= 3 {
            2 * self.heaviest_fine
        } else {
            base
        };
    }

    /// 5.4: every 3rd reward at 2 × the highest base so far.
    fn reward(&mut self, base: i64) {
        self.rewards += 1;
        self.highest_reward = self.highest_reward.max(base);
        self.rewarded += if self.rewards.is_multiple_of(3) {
            2 * self.highest_reward
        } else {
            base
        };
    }
}

/// What one event does to each person it names.
enum Effect {
    Fine(i64),
    Reward(i64),
    Attendance,
    Nothing,
}

/// The C Tower policy, by hand: totals per person and month, in fen.
fn hand_written_fold(events: &[Plain], people: usize) -> HashMap<(u32, u8), State> {
    let mut states: HashMap<(u32, u8), State> = HashMap::new();
    let mut named = vec![false; people];
    let (mut first, mut last) = (u8::MAX, u8::MIN);
    for event in events {
        let (effect, outcome) = match event.kind {
            Kind::OutOfUniform
            | Kind::ImproperPhoneGreeting
            | Kind::MessyDesk
            | Kind::NewspapersUntidy => (Effect::Fine(1_500), false),
            Kind::PhoneUnanswered if event.rings > 3 => (Effect::Fine(1_500), false),
            Kind::PhoneUnanswered => (Effect::Nothing, false),
            Kind::Discourtesy
            | Kind::VentingEmotions
            | Kind::IdlingOnDuty
            | Kind::UnauthorizedInternetUse
            | Kind::TakingOfficeProperty
            | Kind::TaskDispatchError
            | Kind::HandoverOrFeeError
            | Kind::PassingTheBuck => (Effect::Fine(2_000), false),
            Kind::PersonalPhoneCall if event.minutes > 300 => (Effect::Fine(2_000), false),
            Kind::PersonalPhoneCall => (Effect::Nothing, false),
            Kind::FacilitiesLeftOn
            | Kind::FalseLeaveReason
            | Kind::MissedMeeting
            | Kind::DutyNotPerformed
            | Kind::KeyLogSkipped
            | Kind::TaskNotFollowedUp
            | Kind::RecordsNotKept => (Effect::Fine(3_000), false),
            Kind::AgendaNotFollowed => (Effect::Fine(3_000), true),
            Kind::EvadingOrders => (Effect::Fine(5_000), event.severe),
            Kind::SolicitingTips => (Effect::Fine(20_000), event.severe),
            Kind::Late
            | Kind::EarlyLeave
            | Kind::SickLeave
            | Kind::PersonalLeave
            | Kind::CardSigning
            | Kind::Absence => (Effect::Attendance, false),
            Kind::ThankYouLetter => (Effect::Reward(2_000), false),
            Kind::ReturnedLostProperty if event.value >= 30_000 => (Effect::Reward(2_000), false),
            Kind::ReturnedLostProperty => (Effect::Nothing, false),
            Kind::GoodSamaritan => (Effect::Reward(3_000), false),
            Kind::AdoptedSuggestion if (3_000..=5_000).contains(&event.amount) => {
                (Effect::Reward(event.amount), false)
            }
            Kind::EmergencyHandled if (3_000..=5_000).contains(&event.amount) => {
                if event.loss_avoided >= 50_000 {
                    (Effect::Reward(event.amount), false)
                } else {
                    (Effect::Nothing, false)
                }
            }
            Kind::ServiceStar if (20_000..=30_000).contains(&event.amount) => {
                (Effect::Reward(event.amount), event.outstanding)
            }
            // An amount out of range: rejected.
            Kind::AdoptedSuggestion | Kind::EmergencyHandled | Kind::ServiceStar => continue,
        };
        first = first.min(event.month);
        last = last.max(event.month);
        for &person in &event.who[..usize::from(event.people)] {
            named[person as usize] = true;
            if matches!(effect, Effect::Nothing) {
                continue;
            }
            let state = states.entry((person, event.month)).or_default();
            match effect {
                Effect::Fine(base) => state.fine(base),
                Effect::Reward(base) => state.reward(base),
                Effect::Attendance => state.attendance = true,
                Effect::Nothing => {}
            }
            state.outcomes += u32::from(outcome);
        }
    }
    // 4.1: every person named, every month from the first to the last, without attendance.
    for month in first..=last {
        for (person, _) in named.iter().enumerate().filter(|(_, named)| **named) {
            let state = states.entry((person as u32, month)).or_default();
            if !state.attendance {
                state.rewarded += 1_500;
            }
        }
    }
    states
}

// ── The contender: the evaluator ──────────────────────────────────────────────────────────

/// Applies every prepared event and closes every month: the timed part.
fn run_evaluator(
    mut evaluator: Evaluator,
    mut ledger: Ledger,
    events: &[PreparedEvent],
) -> (Evaluator, Ledger) {
    for event in events {
        evaluator
            .apply_prepared(event, &mut ledger)
            .expect("every generated event applies");
    }
    evaluator
        .close_all(None, &mut ledger)
        .expect("no totals overflow");
    (evaluator, ledger)
}

/// Grand totals: fines and rewards in fen, and outcomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Grand {
    fines: i64,
    rewards: i64,
    outcomes: u64,
}

fn bench(c: &mut Criterion) {
    let rulebook = Arc::new(Rulebook::parse("c-tower.rules", BUNDLED).expect("the bundled rules"));
    let events = generate();

    let mut fresh = Evaluator::new(Arc::clone(&rulebook));
    let prepared: Vec<PreparedEvent> = events
        .iter()
        .enumerate()
        .map(|(i, event)| {
            fresh
                .prepare(Some(i as u64 + 1), event)
                .expect("every generated event is valid")
        })
        .collect();
    let plain = plain(&rulebook, &events);
    drop(events);

    // The baseline must compute the same thing.
    let (_, ledger) = run_evaluator(fresh.clone(), Ledger::new(Arc::clone(&rulebook)), &prepared);
    let report = ledger.report();
    drop(ledger);
    let evaluated = report
        .statements
        .iter()
        .fold(Grand::default(), |grand, s| Grand {
            fines: grand.fines + s.fines.minor_units(),
            rewards: grand.rewards + s.rewards.minor_units(),
            outcomes: grand.outcomes + s.outcomes.len() as u64,
        });
    drop(report);
    let folded =
        hand_written_fold(&plain, PEOPLE as usize)
            .values()
            .fold(Grand::default(), |grand, s| Grand {
                fines: grand.fines + s.fined,
                rewards: grand.rewards + s.rewarded,
                outcomes: grand.outcomes + u64::from(s.outcomes),
            });
    assert_eq!(
        evaluated, folded,
        "the evaluator and the hand-written fold disagree"
    );

    let mut group = c.benchmark_group("evaluate");
    group.throughput(Throughput::Elements(EVENTS as u64));
    group.bench_function("evaluator", |b| {
        b.iter_batched(
            || (fresh.clone(), Ledger::new(Arc::clone(&rulebook))),
            |(evaluator, ledger)| run_evaluator(evaluator, ledger, black_box(&prepared)),
            BatchSize::LargeInput,
        );
    });
    // Like for like with the fold, which keeps totals per person and month and no entries.
    group.bench_function("evaluator_totals_only", |b| {
        b.iter_batched(
            || (fresh.clone(), Ledger::totals_only(Arc::clone(&rulebook))),
            |(evaluator, ledger)| run_evaluator(evaluator, ledger, black_box(&prepared)),
            BatchSize::LargeInput,
        );
    });
    group.bench_function("hand_written_fold", |b| {
        b.iter_batched(
            || (),
            |()| hand_written_fold(black_box(&plain), PEOPLE as usize),
            BatchSize::LargeInput,
        );
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
