//! The rule language, construct by construct: each way of saying something parses and checks
//! to what it says. One line per case.

use rulebook::{
    Action, Amount, Comparison, Condition, Consequence, Direction, Escalation, EscalationEffect,
    Level, MeasureType, Money, Nth, OutcomeCondition, OutcomeKind, Period, PeriodTest, ProblemKind,
    Rulebook, Target, Unit,
};
use rust_decimal::Decimal;

const HEADER: &str =
    "title: Test rules\neffective: 2025-08-15\ncurrency: CNY\ntime zone: +08:00\n\n";

fn load(body: &str) -> Rulebook {
    let source = format!("{HEADER}{body}\n");
    Rulebook::parse("test.rules", &source).unwrap_or_else(|e| {
        let problems: Vec<String> = e
            .problems()
            .iter()
            .map(|p| format!("{}: {}", p.location(), p))
            .collect();
        panic!("`{body}` did not load:\n{}", problems.join("\n"))
    })
}

fn problems(body: &str) -> Vec<ProblemKind> {
    let source = format!("{HEADER}{body}\n");
    match Rulebook::parse("test.rules", &source) {
        Ok(_) => panic!("`{body}` loaded, but should not"),
        Err(e) => e.problems().iter().map(|p| p.kind().clone()).collect(),
    }
}

fn yuan(major: i64) -> Money {
    Money::from_major(major).unwrap()
}

fn escalation(line: &str) -> Escalation {
    let rulebook = load(&format!(
        "section 1: a\nsection 2: b\n1.1 x: fine 5\n{line}"
    ));
    rulebook.escalations()[0].clone()
}

macro_rules! escalations {
    ($($name:ident: $line:expr => $window:expr, $nth:expr, $counts:expr, $sections:expr, $effect:expr;)*) => {$(
        #[test]
        fn $name() {
            let e = escalation($line);
            assert_eq!(
                (e.window, e.nth, e.counts, e.sections.as_slice(), &e.effect),
                ($window, $nth, $counts, &$sections[..], &$effect),
                "{}", $line
            );
        }
    )*};
}

fn times(factor: u32, level: Level) -> EscalationEffect {
    EscalationEffect::Multiply { factor, level }
}

escalations! {
    escalation_from_the_nth_on:
        "3.9 in the same month, from the 3rd fine on: 2 times the heaviest base so far"
        => Period::Month, Nth::From(3), Direction::Fine, [] as [u32; 0], times(2, Level::HeaviestSoFar);
    escalation_only_the_nth:
        "3.9 in the same month, only the 3rd fine: 2 times the heaviest base so far"
        => Period::Month, Nth::Only(3), Direction::Fine, [] as [u32; 0], times(2, Level::HeaviestSoFar);
    escalation_every_nth:
        "3.9 in the same month, every 3rd fine: 2 times the heaviest base so far"
        => Period::Month, Nth::Every(3), Direction::Fine, [] as [u32; 0], times(2, Level::HeaviestSoFar);
    doubling_every_nth_reward:
        "5.4 in the same month, every 3rd reward: 2 times the highest base so far"
        => Period::Month, Nth::Every(3), Direction::Reward, [] as [u32; 0], times(2, Level::HeaviestSoFar);
    escalation_other_multiplier:
        "3.9 in the same month, from the 2nd fine on: 3 times the heaviest base so far"
        => Period::Month, Nth::From(2), Direction::Fine, [] as [u32; 0], times(3, Level::HeaviestSoFar);
    escalation_heaviest_of_the_last_three:
        "3.9 in the same month, from the 3rd fine on: 2 times the heaviest base of the last 3"
        => Period::Month, Nth::From(3), Direction::Fine, [] as [u32; 0], times(2, Level::HeaviestOfLast(3));
    escalation_own_base:
        "3.9 in the same month, from the 3rd fine on: 2 times its own base"
        => Period::Month, Nth::From(3), Direction::Fine, [] as [u32; 0], times(2, Level::OwnBase);
    escalation_per_quarter:
        "3.9 in the same quarter, from the 3rd fine on: 2 times the heaviest base so far"
        => Period::Quarter, Nth::From(3), Direction::Fine, [] as [u32; 0], times(2, Level::HeaviestSoFar);
    escalation_per_year:
        "3.9 in the same year, from the 11th fine on: 2 times the heaviest base so far"
        => Period::Year, Nth::From(11), Direction::Fine, [] as [u32; 0], times(2, Level::HeaviestSoFar);
    escalation_counting_one_section:
        "3.9 in the same month, from the 3rd fine in section 2 on: 2 times the heaviest base so far"
        => Period::Month, Nth::From(3), Direction::Fine, [2], times(2, Level::HeaviestSoFar);
    escalation_counting_some_sections:
        "3.9 in the same month, from the 3rd fine in sections 2 and 1 on: 2 times the heaviest base so far"
        => Period::Month, Nth::From(3), Direction::Fine, [1, 2], times(2, Level::HeaviestSoFar);
    surcharge_from_the_third:
        "3.9 in the same month, from the 3rd fine on: an extra 50"
        => Period::Month, Nth::From(3), Direction::Fine, [] as [u32; 0], EscalationEffect::Surcharge(yuan(50));
}

/// The consequences of the single rule about `kind`.
fn consequences_of(rulebook: &Rulebook, kind: &str) -> Vec<Consequence> {
    let id = rulebook.kind_id(kind).unwrap();
    let rule = rulebook.rules_for(id).next().unwrap();
    match &rule.action {
        Action::Consequences(c) => c.clone(),
        other => panic!("unexpected action {other:?}"),
    }
}

#[test]
fn conditions_in_both_word_orders_and_every_comparison() {
    let cases = [
        ("with more than 3 rings", "rings", Comparison::Gt, 3),
        ("with over 3 rings", "rings", Comparison::Gt, 3),
        ("with at least 300 value", "value", Comparison::Ge, 300),
        ("with a value of at least 300", "value", Comparison::Ge, 300),
        ("with an amount of less than 5", "amount", Comparison::Lt, 5),
        ("with fewer than 5 calls", "calls", Comparison::Lt, 5),
        ("with at most 5 calls", "calls", Comparison::Le, 5),
        ("with exactly 5 calls", "calls", Comparison::Eq, 5),
    ];
    for (condition, measure, op, value) in cases {
        let rulebook = load(&format!("1.1 x {condition}: fine 5"));
        let rule = &rulebook.rules()[0];
        let [
            Condition::Compare {
                measure: m,
                op: o,
                value: v,
            },
        ] = rule.conditions.as_slice()
        else {
            panic!("{condition}: {:?}", rule.conditions);
        };
        assert_eq!(
            (rulebook.measure_name(*m), *o, *v),
            (measure, op, Decimal::from(value)),
            "{condition}"
        );
    }
}

#[test]
fn flags_and_several_conditions() {
    let rulebook = load(
        "1.1 x when severe and with more than 2 minutes: fine 5\n1.2 x when not severe: fine 1",
    );
    let flags: Vec<_> = rulebook
        .rules()
        .iter()
        .map(|r| r.conditions.len())
        .collect();
    assert_eq!(flags, [2, 1]);
    assert!(matches!(
        rulebook.rules()[1].conditions[0],
        Condition::Flag {
            expected: false,
            ..
        }
    ));
}

#[test]
fn amounts_of_every_shape() {
    let rulebook = load(
        "1.1 a: fine 15\n\
         1.2 b: fine 12.5\n\
         1.3 c: reward 30 to 50\n\
         1.4 d: fine 1 per minutes beyond 5\n\
         1.5 e: fine 5% of salary\n\
         1.6 f: fine 100 the 1st time, 200 the 2nd time, 300 from the 3rd time on\n\
         1.7 g: fine 2 points\n\
         1.8 h: reward 15 yuan",
    );
    let amount = |kind: &str| match &consequences_of(&rulebook, kind)[0] {
        Consequence::Money { amount, unit, .. } => (amount.clone(), *unit),
        other => panic!("{other:?}"),
    };
    let minutes = rulebook.measure_id("minutes").unwrap();
    let salary = rulebook.measure_id("salary").unwrap();
    assert_eq!(amount("a"), (Amount::Fixed(yuan(15)), Unit::Currency));
    assert_eq!(
        amount("b"),
        (Amount::Fixed(Money::from_minor(1250)), Unit::Currency)
    );
    assert_eq!(
        amount("c"),
        (
            Amount::Range {
                low: yuan(30),
                high: yuan(50)
            },
            Unit::Currency
        )
    );
    assert_eq!(
        amount("d"),
        (
            Amount::PerUnit {
                rate: yuan(1),
                measure: minutes,
                beyond: Decimal::from(5)
            },
            Unit::Currency
        )
    );
    assert_eq!(
        amount("e"),
        (
            Amount::Percent {
                percent: Decimal::from(5),
                of: salary
            },
            Unit::Currency
        )
    );
    assert_eq!(
        amount("f"),
        (
            Amount::Schedule(vec![
                (Nth::Only(1), yuan(100)),
                (Nth::Only(2), yuan(200)),
                (Nth::From(3), yuan(300))
            ]),
            Unit::Currency
        )
    );
    assert_eq!(amount("g"), (Amount::Fixed(yuan(2)), Unit::Points));
    assert_eq!(amount("h"), (Amount::Fixed(yuan(15)), Unit::Currency));
}

#[test]
fn targets_collective_and_related() {
    let rulebook = load(
        "2.9 passing the buck: fine 20 for every person named\n2.10 loss: fine 50, and fine 10 for their manager",
    );
    let targets = |kind: &str| -> Vec<Target> {
        consequences_of(&rulebook, kind)
            .into_iter()
            .map(|c| match c {
                Consequence::Money { target, .. } => target,
                other => panic!("{other:?}"),
            })
            .collect()
    };
    assert_eq!(targets("passing the buck"), [Target::EveryPersonNamed]);
    assert_eq!(
        targets("loss"),
        [
            Target::Actor,
            Target::Related(rulebook.measure_id("manager").unwrap())
        ]
    );
}

#[test]
fn outcomes_beside_the_amount() {
    let rulebook = load(
        "3.8 agenda not followed: fine 30, and ordered to remedy\n\
         3.10 evading orders: fine 50, and dismissal when severe\n\
         3.12 theft: fine 100 the 1st time, and dismissal from the 2nd time on\n\
         5.5 service star: reward 200 to 300, and promotion by 2 grades when outstanding, subject to approval\n\
         5.6 hero: promotion by 1 grade",
    );
    let outcome = |kind: &str| match consequences_of(&rulebook, kind).pop() {
        Some(Consequence::Outcome(o)) => (o.kind, o.when),
        other => panic!("{other:?}"),
    };
    let severe = rulebook.measure_id("severe").unwrap();
    let outstanding = rulebook.measure_id("outstanding").unwrap();
    assert_eq!(outcome("agenda not followed"), (OutcomeKind::Remedy, None));
    assert_eq!(
        outcome("evading orders"),
        (
            OutcomeKind::Dismissal,
            Some(OutcomeCondition::Flag {
                measure: severe,
                expected: true
            })
        )
    );
    assert_eq!(
        outcome("theft"),
        (
            OutcomeKind::Dismissal,
            Some(OutcomeCondition::Ordinal(Nth::From(2)))
        )
    );
    assert_eq!(
        outcome("service star"),
        (
            OutcomeKind::Promotion {
                grades: 2,
                approval: rulebook.measure_id("approved")
            },
            Some(OutcomeCondition::Flag {
                measure: outstanding,
                expected: true
            })
        )
    );
    assert_eq!(
        outcome("hero"),
        (
            OutcomeKind::Promotion {
                grades: 1,
                approval: None
            },
            None
        )
    );
}

#[test]
fn bands_on_one_measure_pick_one_band_per_value() {
    let rulebook = load(
        "2.10 late, by minutes:\n  - less than 15: fine 15\n  - 15 to 60: fine 30\n  - more than 60: counts as absence\n\
         2.11 absence: fine 100",
    );
    let late = rulebook.kind_id("late").unwrap();
    let absence = rulebook.kind_id("absence").unwrap();
    let rule = rulebook.rules_for(late).next().unwrap();
    let Action::Banded { measure, bands } = &rule.action else {
        panic!("{:?}", rule.action);
    };
    assert_eq!(rulebook.measure_name(*measure), "minutes");
    let band_of = |minutes: i64| -> Vec<usize> {
        (0..bands.len())
            .filter(|&i| bands[i].range.contains(Decimal::from(minutes)))
            .collect()
    };
    assert_eq!(band_of(0), [0]);
    assert_eq!(band_of(14), [0]);
    assert_eq!(band_of(15), [1]);
    assert_eq!(band_of(60), [1]);
    assert_eq!(band_of(61), [2]);
    assert_eq!(bands[2].consequences, [Consequence::CountsAs(absence)]);
    assert!(matches!(
        &bands[0].consequences[0],
        Consequence::Money { direction: Direction::Fine, amount: Amount::Fixed(m), .. } if *m == yuan(15)
    ));
}

#[test]
fn period_rules_absence_quota_and_streak() {
    let rulebook = load(
        "1.1 late, absence or unit sold: no consequence\n\
         4.1 each month, every person on the roster with no late or absence: reward 15\n\
         4.4 each month, every person on the roster with no attendance (late or absence) for 3 months in a row: reward 100\n\
         3.1 each month, every person on the roster with fewer than 1 unit sold: fine 50\n\
         3.2 each quarter, every person on the roster with at least 30 unit sold: reward 500",
    );
    let late = rulebook.kind_id("late").unwrap();
    let absence = rulebook.kind_id("absence").unwrap();
    let sold = rulebook.kind_id("unit sold").unwrap();
    let rules = rulebook.period_rules();
    let summary: Vec<_> = rules
        .iter()
        .map(|r| (r.label.as_str(), r.period, r.test.clone(), r.streak))
        .collect();
    assert_eq!(
        summary,
        [
            (
                "4.1",
                Period::Month,
                PeriodTest::Absent {
                    group: None,
                    kinds: vec![late, absence]
                },
                1
            ),
            (
                "4.4",
                Period::Month,
                PeriodTest::Absent {
                    group: Some("attendance".to_owned()),
                    kinds: vec![late, absence]
                },
                3
            ),
            (
                "3.1",
                Period::Month,
                PeriodTest::Count {
                    op: Comparison::Lt,
                    count: 1,
                    kind: sold
                },
                1
            ),
            (
                "3.2",
                Period::Quarter,
                PeriodTest::Count {
                    op: Comparison::Ge,
                    count: 30,
                    kind: sold
                },
                1
            ),
        ]
    );
}

#[test]
fn quoted_kinds_hold_reserved_words() {
    let rulebook =
        load("1.1 \"handover or fee error\", late: no consequence\n1.2 \"with: colon\": fine 5");
    assert!(rulebook.kind_id("handover or fee error").is_some());
    assert!(rulebook.kind_id("with: colon").is_some());
}

#[test]
fn chinese_event_kinds_and_measures() {
    let rulebook = load("1.1 遲到 with more than 5 分鐘: fine 15\n1.2 服務之星: reward 200 to 300");
    let id = rulebook.kind_id("遲到").unwrap();
    let rule = rulebook.rules_for(id).next().unwrap();
    assert!(
        matches!(rule.conditions[0], Condition::Compare { measure, .. } if rulebook.measure_name(measure) == "分鐘")
    );
}

#[test]
fn checking_reports_every_problem_at_once() {
    let found = problems(
        "section 1: a\n\
         1.1 a: fine 0\n\
         1.2 b: reward 50 to 30\n\
         1.3 c: fine 5\n\
         1.4 c: fine 6\n\
         3.9 in the same month, from the 3rd fine in section 7 on: 2 times the heaviest base so far\n\
         4.1 each month, every person on the roster with no lat: reward 15",
    );
    let names: Vec<&str> = found
        .iter()
        .map(|k| match k {
            ProblemKind::NotPositive { .. } => "not positive",
            ProblemKind::ReversedRange { .. } => "reversed",
            ProblemKind::OverlappingRules { .. } => "overlap",
            ProblemKind::UnknownSection { .. } => "section",
            ProblemKind::UnknownKind { .. } => "kind",
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(
        names,
        ["not positive", "reversed", "overlap", "section", "kind"]
    );
}

#[test]
fn rules_for_one_kind_may_coexist_when_their_conditions_exclude_each_other() {
    load("1.1 late with less than 15 minutes: fine 15\n1.2 late with at least 15 minutes: fine 30");
    load("1.1 x when severe: fine 15\n1.2 x when not severe: fine 5");
    let overlap = |body: &str| {
        problems(body)
            .iter()
            .any(|p| matches!(p, ProblemKind::OverlappingRules { .. }))
    };
    assert!(overlap(
        "1.1 late with at most 15 minutes: fine 15\n1.2 late with at least 15 minutes: fine 30"
    ));
    assert!(overlap(
        "1.1 x when severe: fine 15\n1.2 x with more than 3 rings: fine 5"
    ));
    assert!(overlap("1.1 x: no consequence\n1.2 x: fine 5"));
    assert!(overlap(
        "1.1 late: fine 5\n2.10 late, by minutes:\n  - less than 15: fine 15"
    ));
    assert!(matches!(
        problems("2.10 late, by minutes:\n  - less than 15: fine 15\n  - 10 to 60: fine 30")
            .as_slice(),
        [ProblemKind::OverlappingBands { .. }]
    ));
}

#[test]
fn a_version_may_say_its_last_day_in_force() {
    let source = "title: T\neffective: 2025-08-15\nin   force until: 2025-12-31\ncurrency: CNY\ntime zone: +08:00\n1.1 x: fine 5\n";
    let rulebook = Rulebook::parse("t", source).unwrap();
    assert_eq!(
        rulebook
            .header()
            .in_force_until
            .map(|d| d.to_string())
            .as_deref(),
        Some("2025-12-31")
    );
    assert_eq!(
        rulebook.versions()[0]
            .until()
            .map(|d| d.to_string())
            .as_deref(),
        Some("2025-12-31")
    );
    assert!(
        rulebook
            .to_string()
            .contains("\nin force until: 2025-12-31\n")
    );
}

#[test]
fn header_values_are_checked() {
    let bad = |header: &str| -> Vec<ProblemKind> {
        let source = format!("{header}\n1.1 x: fine 5\n");
        Rulebook::parse("t", &source)
            .unwrap_err()
            .problems()
            .iter()
            .map(|p| p.kind().clone())
            .collect()
    };
    let base = "title: T\ncurrency: CNY\ntime zone: +08:00\n";
    assert!(matches!(
        bad(&format!("{base}effective: 2025-02-30")).as_slice(),
        [ProblemKind::BadDate { .. }]
    ));
    assert!(matches!(
        bad(&format!(
            "{base}effective: 2025-08-15\nrepeals: the version of 2025-09-01"
        ))
        .as_slice(),
        [ProblemKind::RepealNotOlder { .. }]
    ));
    assert!(matches!(
        bad("title: T\ncurrency: CNY\neffective: 2025-08-15").as_slice(),
        [ProblemKind::MissingHeader { field }] if field == "time zone"
    ));
    assert!(matches!(
        bad(&format!("{base}effective: 2025-08-15\ntitle: again")).as_slice(),
        [ProblemKind::DuplicateHeader { .. }]
    ));
    assert!(matches!(
        bad("title: T\ncurrency: CNY\ntime zone: +25:00\neffective: 2025-08-15").as_slice(),
        [ProblemKind::BadTimeZone { .. }]
    ));
}

#[test]
fn locations_count_characters_not_bytes() {
    let source = format!("{HEADER}1.1 遲到早退: fien 15\n");
    let error = Rulebook::parse("t", &source).unwrap_err();
    let problem = &error.problems()[0];
    assert_eq!(
        (problem.location().line, problem.location().column),
        (6, 11)
    );
    assert_eq!(&source[problem.span()], "fien");
    assert_eq!(problem.help(), Some("did you mean `fine`?"));
}

#[test]
fn amounts_must_be_exact_and_positive() {
    assert!(matches!(
        problems("1.1 a: fine 12.345").as_slice(),
        [ProblemKind::FractionOfMinorUnit { .. }]
    ));
    assert!(matches!(
        problems("1.1 a: fine 0").as_slice(),
        [ProblemKind::NotPositive { .. }]
    ));
    assert!(matches!(
        problems("1.1 a: fine -5").as_slice(),
        [ProblemKind::NotPositive { .. }]
    ));
    assert!(matches!(
        problems("1.1 a: fine 92233720368547758.08").as_slice(),
        [ProblemKind::TooLarge { .. }]
    ));
    assert!(matches!(
        problems("1.1 a: reward 30 to 30").as_slice(),
        [ProblemKind::EmptyRange { .. }]
    ));
    assert!(matches!(
        problems(
            "1.1 a: fine 1\n3.9 in the same month, from the 0th fine on: 2 times its own base"
        )
        .as_slice(),
        [ProblemKind::Zero { .. }]
    ));
    assert!(matches!(
        problems(
            "1.1 a: fine 1\n3.9 in the same month, from the 3th fine on: 2 times its own base"
        )
        .as_slice(),
        [ProblemKind::BadOrdinal { .. }]
    ));
    // Amounts are bounded so that no month's totals can overflow (README, Limits).
    assert!(matches!(
        problems("1.1 a: fine 92233720368547758.07").as_slice(),
        [ProblemKind::TooLarge { .. }]
    ));
    assert!(matches!(
        problems("1.1 a: fine 100000000.01").as_slice(),
        [ProblemKind::TooLarge { .. }]
    ));
    assert_eq!(load("1.1 a: fine 100000000").rules().len(), 1);
}

#[test]
fn escalations_may_not_count_the_same_entries_twice() {
    let found = problems(
        "section 1: a\nsection 2: b\n1.1 messy desk: fine 15\n\
         3.9 in the same month, from the 3rd fine in section 1 on: 2 times its own base\n\
         3.10 in the same month, every 2nd fine in sections 1, 2: an extra 5\n\
         5.4 in the same month, every 3rd reward: 2 times its own base",
    );
    assert!(
        matches!(found.as_slice(), [ProblemKind::OverlappingEscalations { label, other, .. }] if label == "3.10" && other == "3.9")
    );
}

#[test]
fn measures_declared_or_inferred_and_used_consistently() {
    let rulebook = load(
        "measure rings: whole number\nmeasure manager: text\n\
         1.1 a with more than 3 rings: fine 5\n1.2 b when severe: fine 5\n1.3 c: fine 5 for their manager",
    );
    let ty = |name: &str| rulebook.measure_type(rulebook.measure_id(name).unwrap());
    assert_eq!(ty("rings"), MeasureType::WholeNumber);
    assert_eq!(ty("severe"), MeasureType::Flag);
    assert_eq!(ty("manager"), MeasureType::Text);
    assert!(matches!(
        problems("measure severe: flag\n1.1 a with more than 3 severe: fine 5").as_slice(),
        [ProblemKind::MeasureTypeMismatch { .. }]
    ));
    assert!(matches!(
        problems("1.1 a when severe: fine 5\n1.2 b with more than 3 severe: fine 5").as_slice(),
        [ProblemKind::MeasureTypeMismatch { .. }]
    ));
    assert!(matches!(
        problems("measure rings: number\nmeasure rings: flag\n1.1 a: fine 5").as_slice(),
        [ProblemKind::DuplicateMeasure { .. }]
    ));
}

#[test]
fn counts_as_stands_alone_and_never_loops() {
    assert!(matches!(
        problems("1.1 late: fine 5, and counts as absence\n1.2 absence: fine 50").as_slice(),
        [ProblemKind::NotAllowed { .. }]
    ));
    assert!(matches!(
        problems("1.1 late: counts as absence\n1.2 absence: counts as tardy\n1.3 tardy: counts as late").as_slice(),
        [ProblemKind::CountsAsLoop { kinds }] if kinds == "`late` counts as `absence` counts as `tardy` counts as `late`"
    ));
    assert!(matches!(
        problems("2.9 passing the buck: fine 20 for every person named, and fine 5").as_slice(),
        [ProblemKind::TwoAmounts { .. }]
    ));
    load(
        "1.1 late: counts as absence\n1.2 absence: fine 50\n1.3 lost keys: fine 20, and fine 5 for their manager",
    );
}

/// The messages of a file's problems, as shown.
fn messages(errors: &rulebook::RuleErrors) -> Vec<String> {
    errors.problems().iter().map(ToString::to_string).collect()
}

#[test]
fn a_chinese_file_is_told_its_problems_in_chinese() {
    // A file whose first line is a rule about a Chinese kind is Chinese (its header, which
    // the grammar reads only in English for now, is missing).
    let errors =
        Rulebook::parse("規則.rules", "1.1 遲到: fine 15\n1.2 早退: fine 0\n").unwrap_err();
    assert_eq!(errors.language(), rulebook::Language::TraditionalChinese);
    assert_eq!(
        messages(&errors),
        [
            "表頭缺少 `標題：` 一行",
            "表頭缺少 `生效日期：` 一行",
            "表頭缺少 `貨幣：` 一行",
            "表頭缺少 `時區：` 一行",
            "金額 `0` 必須大於零",
        ]
    );
    let [missing_title, .., zero] = errors.problems() else {
        panic!("five problems expected");
    };
    assert_eq!(missing_title.label(), Some("表頭到這裡結束"));
    assert_eq!(
        missing_title.help(),
        Some("加上一行，例如 `標題：獎懲細則`")
    );
    assert_eq!(zero.label(), Some("必須大於零"));
    assert_eq!(
        zero.help(),
        Some("罰款和獎勵都是正數；`扣罰` 或 `獎勵` 表示方向")
    );
    assert_eq!(errors.to_string(), "`規則.rules` 中有 5 個問題");
}

#[test]
fn a_simplified_file_is_told_in_simplified_characters_quoting_its_text_as_written() {
    let errors = Rulebook::parse(
        "规则.rules",
        "1.1 遲到: fine 15\n1.2 罚款: counts as 迟到\n",
    )
    .unwrap_err();
    assert_eq!(errors.language(), rulebook::Language::SimplifiedChinese);
    let unknown = errors.problems().last().unwrap();
    assert_eq!(unknown.to_string(), "未知的事件类型 `迟到`");
    assert_eq!(unknown.label(), Some("没有任何规则针对这种事件"));
    assert_eq!(unknown.help(), Some("是不是要写 `遲到`？"));
    assert_eq!(errors.problems()[0].to_string(), "表头缺少 `标题：` 一行");
    assert_eq!(errors.to_string(), "`规则.rules` 中有 5 个问题");
}

#[test]
fn an_english_file_with_chinese_kinds_is_told_in_english() {
    let source = format!("{HEADER}1.1 遲到: fine 15\n1.2 早退: counts as 遲刀\n");
    let errors = Rulebook::parse("t.rules", &source).unwrap_err();
    assert_eq!(errors.language(), rulebook::Language::English);
    assert_eq!(messages(&errors), ["unknown event kind `遲刀`"]);
    assert_eq!(errors.problems()[0].help(), Some("did you mean `遲到`?"));
    assert_eq!(errors.to_string(), "1 problem in `t.rules`");
}

#[test]
fn a_version_knows_the_language_of_its_file() {
    let rulebook = load("1.1 遲到: fine 15");
    assert_eq!(
        rulebook.versions()[0].language(),
        rulebook::Language::English
    );
}

#[test]
fn the_problems_of_a_chinese_policy_are_counted_in_chinese() {
    let chinese = [
        ("a.rules", "1.1 遲到: fine 0\n"),
        ("b.rules", "1.1 早退: fine 0\n"),
    ];
    let errors = Rulebook::from_versions(&chinese).unwrap_err();
    assert_eq!(errors.to_string(), "2 個文件中共有 10 個問題");
    let simplified = [
        ("a.rules", "1.1 罚款: fine 0\n"),
        ("b.rules", "1.1 奖励: fine 0\n"),
    ];
    let errors = Rulebook::from_versions(&simplified).unwrap_err();
    assert_eq!(errors.to_string(), "2 个文件中共有 10 个问题");
    let mixed = [
        ("a.rules", "1.1 遲到: fine 0\n"),
        ("b.rules", "1.1 late: fine 0\n"),
    ];
    let errors = Rulebook::from_versions(&mixed).unwrap_err();
    assert_eq!(errors.to_string(), "10 problems in 2 files");
}

/// A file that names its event kinds (`事件 …（…）`) names them all, and has a rule about each;
/// one that gives its measures event names declares every measure it uses. Without spaces,
/// a comma left out or a negation inside a name would otherwise make a new kind or flag.
#[test]
fn a_file_that_declares_its_names_must_declare_them_all() {
    let zh =
        |body: &str| format!("標題：測試\n生效日期：2025-08-15\n貨幣：CNY\n時區：+08:00\n{body}\n");
    let kinds = |body: &str| -> Vec<ProblemKind> {
        match Rulebook::parse("zh.rules", &zh(body)) {
            Ok(_) => panic!("`{body}` loaded, but should not"),
            Err(e) => e.problems().iter().map(|p| p.kind().clone()).collect(),
        }
    };
    assert_eq!(
        kinds("事件 遲到（late）\n事件 早退（early leave）\n1.1 遲到：扣罰15元"),
        [ProblemKind::UnusedKind {
            kind: "早退".to_owned()
        }]
    );
    assert_eq!(
        kinds("事件 遲到（late）\n1.1 遲到超過三次：扣罰15元"),
        [ProblemKind::UndeclaredKind {
            kind: "遲到超過三次".to_owned()
        }]
    );
    assert_eq!(
        kinds(
            "計量 情節嚴重（severe）：是否\n1.1 遲到，情節不嚴重時：扣罰15元\n1.2 早退，情節不嚴重時：扣罰15元"
        ),
        [ProblemKind::UndeclaredMeasure {
            measure: "情節不嚴重".to_owned()
        }],
        "reported once"
    );
    // Kinds used by their event name count as declared; files that declare nothing are free.
    let ok = Rulebook::parse(
        "zh.rules",
        &zh(
            "事件 遲到（late）\n計量 嚴重（severe）：是否\n1.1 late，非嚴重時：扣罰15元\n1.2 遲到，嚴重時：扣罰30元",
        ),
    );
    assert!(ok.is_ok(), "{ok:?}");
    assert!(Rulebook::parse("zh.rules", &zh("1.1 遲到，響聲超過三次：扣罰15元")).is_ok());
}

#[test]
fn a_figure_that_would_mix_money_and_points_is_refused() {
    assert!(matches!(
        problems("1.1 theft: fine 100 points the 1st time, 200 from the 2nd time on").as_slice(),
        [ProblemKind::MixedUnits { what }] if what == "the schedule"
    ));
    assert!(matches!(
        problems(
            "1.1 rudeness: fine 2 points\n1.2 messy desk: fine 15\n\
             3.9 in the same month, from the 3rd fine on: 2 times the heaviest base so far"
        )
        .as_slice(),
        [ProblemKind::MixedUnits { what }] if what == "escalation `3.9`"
    ));
    assert!(matches!(
        problems(
            "1.1 rudeness: fine 2 points\n3.9 in the same month, from the 3rd fine on: an extra 5"
        )
        .as_slice(),
        [ProblemKind::MixedUnits { .. }]
    ));
    // One unit per escalation, and rewards apart from fines, are clear.
    load(
        "section 1: a\n1.1 rudeness: fine 2 points\nsection 2: b\n2.1 messy desk: fine 15\n\
         2.2 good deed: reward 3 points\n\
         3.9 in the same month, from the 3rd fine in section 1 on: an extra 5 points\n\
         3.10 in the same month, from the 3rd fine in section 2 on: an extra 5\n\
         3.11 in the same month, every 2nd reward: 2 times its own base",
    );
}

#[test]
fn a_related_person_of_an_event_naming_several_people_is_refused() {
    assert!(matches!(
        problems("2.9 passing the buck: fine 20 for every person named, and fine 5 for their manager")
            .as_slice(),
        [ProblemKind::RelatedOfSeveral { label, role }] if label == "2.9" && role == "manager"
    ));
    // Through `counts as` too: the loss of a collective event names several people.
    assert!(matches!(
        problems(
            "2.9 passing the buck when severe: fine 20 for every person named\n\
             2.10 passing the buck when not severe: counts as loss\n\
             2.11 loss: fine 5, and fine 10 for their manager"
        )
        .as_slice(),
        [ProblemKind::RelatedOfSeveral { label, .. }] if label == "2.11"
    ));
    load("2.11 loss: fine 5, and fine 10 for their manager");
}
