//! Round trip: random syntax trees print, parse back, and compare equal (spans aside); and a
//! printed, re-parsed tree prints to the same text.

use proptest::prelude::*;
use rust_decimal::Decimal;

use super::Printer;
use crate::ast::{
    Amount, Band, BandRange, Condition, Consequence, Document, EscalationEffect, HeaderField,
    HeaderKey, HeaderValue, Item, KindDecl, Level, MeasureDecl, OutcomeWhen, PeriodTest, Phrasing,
    Rule, RuleBody, Section, Span, Spanned, Step, Target,
};
use crate::vocab::{Comparison, Direction, MeasureType, Nth, Period, Unit};

fn spanned<T>(value: T) -> Spanned<T> {
    Spanned::new(value, Span::default())
}

/// Free text as a header value or section title holds it: one line, trimmed, not starting
/// with `#` (which would read as a comment).
fn text() -> impl Strategy<Value = String> {
    "[A-Za-z0-9 ,.;()—中文#-]{0,24}"
        .prop_map(|s| s.trim_start_matches(['#', ' ']).trim_end().to_owned())
}

/// Event kinds: ordinary words, words the language reserves (which force quoting), Chinese,
/// hyphenated words, punctuation.
fn kind() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        Just("late"),
        Just("phone"),
        Just("unanswered"),
        Just("with"),
        Just("when"),
        Just("or"),
        Just("and"),
        Just("for"),
        Just("in"),
        Just("each"),
        Just("every"),
        Just("from"),
        Just("only"),
        Just("the"),
        Just("same"),
        Just("thank-you"),
        Just("遲到"),
        Just("服務之星"),
        Just("a/b"),
        Just("x1"),
        Just("3rd"),
    ];
    proptest::collection::vec(word, 1..4).prop_map(|words| words.join(" "))
}

/// The name events use for a kind or measure the file names in Chinese.
fn event_name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("late".to_owned()),
        Just("out of uniform".to_owned()),
        Just("loss_avoided".to_owned()),
        Just("遲到".to_owned()),
    ]
}

fn measure() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("rings".to_owned()),
        Just("minutes".to_owned()),
        Just("value".to_owned()),
        Just("loss_avoided".to_owned()),
        Just("severe".to_owned()),
        Just("金額".to_owned()),
        "m_[a-z]{1,6}",
    ]
}

fn number() -> impl Strategy<Value = Decimal> {
    (-100_000i64..100_000, 0u32..3).prop_map(|(mantissa, scale)| Decimal::new(mantissa, scale))
}

fn amount_value() -> impl Strategy<Value = Decimal> {
    (0i64..1_000_000, 0u32..3).prop_map(|(mantissa, scale)| Decimal::new(mantissa, scale))
}

fn count() -> impl Strategy<Value = u32> {
    0u32..1000
}

fn comparison() -> impl Strategy<Value = Comparison> {
    prop_oneof![
        Just(Comparison::Gt),
        Just(Comparison::Ge),
        Just(Comparison::Lt),
        Just(Comparison::Le),
        Just(Comparison::Eq),
    ]
}

fn period() -> impl Strategy<Value = Period> {
    prop_oneof![
        Just(Period::Month),
        Just(Period::Quarter),
        Just(Period::Year)
    ]
}

fn direction() -> impl Strategy<Value = Direction> {
    prop_oneof![Just(Direction::Fine), Just(Direction::Reward)]
}

fn unit() -> impl Strategy<Value = Unit> {
    prop_oneof![Just(Unit::Currency), Just(Unit::Points)]
}

/// `the 3rd time` / `from the 3rd time on`: the two forms an outcome or a step can take.
fn nth_time() -> impl Strategy<Value = Nth> {
    prop_oneof![
        (0u32..30).prop_map(Nth::Only),
        (0u32..30).prop_map(Nth::From)
    ]
}

fn nth() -> impl Strategy<Value = Nth> {
    prop_oneof![
        (0u32..30).prop_map(Nth::Only),
        (0u32..30).prop_map(Nth::From),
        (0u32..30).prop_map(Nth::Every),
    ]
}

fn condition() -> impl Strategy<Value = Condition> {
    prop_oneof![
        (measure(), comparison(), number(), any::<bool>()).prop_map(|(m, op, v, first)| {
            Condition::Compare {
                measure: spanned(m),
                op,
                value: spanned(v),
                phrasing: if first {
                    Phrasing::CountFirst
                } else {
                    Phrasing::MeasureFirst
                },
            }
        }),
        (measure(), any::<bool>()).prop_map(|(m, expected)| Condition::Flag {
            measure: spanned(m),
            expected,
        }),
    ]
}

fn amount() -> impl Strategy<Value = Amount> {
    prop_oneof![
        (amount_value(), unit()).prop_map(|(v, unit)| Amount::Fixed {
            value: spanned(v),
            unit
        }),
        (amount_value(), amount_value(), unit()).prop_map(|(low, high, unit)| Amount::Range {
            low: spanned(low),
            high: spanned(high),
            unit,
        }),
        (
            amount_value(),
            unit(),
            measure(),
            proptest::option::of(number())
        )
            .prop_map(|(rate, unit, measure, beyond)| Amount::PerUnit {
                rate: spanned(rate),
                unit,
                measure: spanned(measure),
                beyond: beyond.map(spanned),
            }),
        (amount_value(), measure()).prop_map(|(percent, of)| Amount::Percent {
            percent: spanned(percent),
            of: spanned(of),
        }),
        proptest::collection::vec((amount_value(), unit(), nth_time()), 1..4).prop_map(|steps| {
            Amount::Schedule(
                steps
                    .into_iter()
                    .map(|(value, unit, nth)| Step {
                        value: spanned(value),
                        unit,
                        nth: spanned(nth),
                    })
                    .collect(),
            )
        }),
    ]
}

fn outcome_when() -> impl Strategy<Value = Option<OutcomeWhen>> {
    proptest::option::of(prop_oneof![
        (measure(), any::<bool>()).prop_map(|(m, expected)| OutcomeWhen::Flag {
            measure: spanned(m),
            expected,
        }),
        nth_time().prop_map(|nth| OutcomeWhen::Ordinal(spanned(nth))),
    ])
}

fn consequence() -> impl Strategy<Value = Consequence> {
    let span = Span::default();
    prop_oneof![
        (
            direction(),
            amount(),
            prop_oneof![
                Just(Target::Actor),
                Just(Target::EveryPersonNamed),
                "[a-z]{1,8}".prop_map(|role| Target::Related(spanned(role))),
            ]
        )
            .prop_map(move |(direction, amount, target)| Consequence::Money {
                direction,
                amount,
                target,
                span,
            }),
        outcome_when().prop_map(move |when| Consequence::Dismissal { when, span }),
        outcome_when().prop_map(move |when| Consequence::Remedy { when, span }),
        (count(), outcome_when(), any::<bool>()).prop_map(move |(grades, when, approval)| {
            Consequence::Promotion {
                grades: spanned(grades),
                when,
                approval,
                span,
            }
        }),
        kind().prop_map(move |kind| Consequence::CountsAs {
            kind: spanned(kind),
            span
        }),
    ]
}

fn consequences() -> impl Strategy<Value = Vec<Consequence>> {
    proptest::collection::vec(consequence(), 1..4)
}

fn body() -> impl Strategy<Value = RuleBody> {
    prop_oneof![
        (
            kind(),
            proptest::collection::vec(condition(), 0..3),
            consequences()
        )
            .prop_map(|(kind, conditions, consequences)| RuleBody::Occurrence {
                kind: spanned(kind),
                conditions,
                consequences,
            }),
        (
            kind(),
            measure(),
            proptest::collection::vec(
                (
                    prop_oneof![
                        (number(), number())
                            .prop_map(|(a, b)| BandRange::Between(spanned(a), spanned(b))),
                        (comparison(), number())
                            .prop_map(|(op, v)| BandRange::Compare(op, spanned(v))),
                    ],
                    consequences()
                ),
                1..4
            )
        )
            .prop_map(|(kind, measure, bands)| RuleBody::Banded {
                kind: spanned(kind),
                measure: spanned(measure),
                bands: bands
                    .into_iter()
                    .map(|(range, consequences)| Band {
                        range,
                        consequences,
                        span: Span::default(),
                    })
                    .collect(),
            }),
        proptest::collection::vec(kind(), 1..5).prop_map(|kinds| RuleBody::Recorded {
            kinds: kinds.into_iter().map(spanned).collect(),
        }),
        (
            period(),
            prop_oneof![
                (
                    proptest::option::of(kind()),
                    proptest::collection::vec(kind(), 1..4)
                )
                    .prop_map(|(group, kinds)| PeriodTest::Absent {
                        group: group.map(spanned),
                        kinds: kinds.into_iter().map(spanned).collect(),
                    }),
                (comparison(), count(), kind()).prop_map(|(op, count, kind)| PeriodTest::Count {
                    op,
                    count: spanned(count),
                    kind: spanned(kind),
                }),
            ],
            proptest::option::of(count()),
            consequences()
        )
            .prop_map(|(period, test, streak, consequences)| RuleBody::Period {
                period,
                test,
                streak: streak.map(spanned),
                consequences,
            }),
        (
            period(),
            nth(),
            direction(),
            proptest::collection::vec(count(), 0..3),
            prop_oneof![
                (
                    count(),
                    prop_oneof![
                        Just(Level::HeaviestSoFar),
                        count().prop_map(|n| Level::HeaviestOfLast(spanned(n))),
                        Just(Level::OwnBase),
                    ]
                )
                    .prop_map(|(factor, level)| EscalationEffect::Multiply {
                        factor: spanned(factor),
                        level
                    }),
                (amount_value(), unit()).prop_map(|(amount, unit)| EscalationEffect::Surcharge {
                    amount: spanned(amount),
                    unit
                }),
            ]
        )
            .prop_map(
                |(window, nth, counts, sections, effect)| RuleBody::Escalation {
                    window,
                    nth: spanned(nth),
                    counts,
                    sections: sections.into_iter().map(spanned).collect(),
                    effect,
                }
            ),
    ]
}

fn label() -> impl Strategy<Value = String> {
    prop_oneof![
        (1u32..20).prop_map(|n| n.to_string()),
        (1u32..20, 1u32..20).prop_map(|(a, b)| format!("{a}.{b}")),
        (1u32..9, 1u32..9).prop_map(|(a, b)| format!("{a}.{b}a")),
    ]
}

fn item() -> impl Strategy<Value = Item> {
    prop_oneof![
        1 => (measure(), proptest::option::of(event_name()), prop_oneof![
            Just(MeasureType::WholeNumber),
            Just(MeasureType::Number),
            Just(MeasureType::Flag),
            Just(MeasureType::Text),
        ])
            .prop_map(|(name, event_name, kind)| Item::Measure(MeasureDecl {
                name: spanned(name),
                event_name: event_name.map(spanned),
                kind,
                span: Span::default(),
            })),
        1 => (kind(), event_name()).prop_map(|(name, event_name)| Item::Kind(KindDecl {
            name: spanned(name),
            event_name: spanned(event_name),
            span: Span::default(),
        })),
        1 => (count(), text()).prop_map(|(number, title)| Item::Section(Section {
            number: spanned(number),
            title,
            span: Span::default(),
        })),
        4 => (label(), body()).prop_map(|(label, body)| Item::Rule(Rule {
            label: spanned(label),
            body,
            span: Span::default(),
        })),
    ]
}

fn date() -> impl Strategy<Value = String> {
    "[0-9]{4}-[0-9]{2}-[0-9]{2}"
}

fn header() -> impl Strategy<Value = Vec<HeaderField>> {
    let field = |key: HeaderKey, value: HeaderValue| HeaderField {
        key: spanned(key),
        value,
        span: Span::default(),
    };
    (
        text(),
        date(),
        proptest::collection::vec(date(), 1..3),
        "[A-Z]{3}",
        prop_oneof![
            Just("+08:00".to_owned()),
            Just("UTC".to_owned()),
            "[+-][0-9]{2}:[0-9]{2}"
        ],
        text(),
        text(),
        proptest::option::of(date()),
    )
        .prop_map(
            move |(title, effective, repeals, currency, zone, drafted, copies, until)| {
                let until = until
                    .map(|until| field(HeaderKey::InForceUntil, HeaderValue::Date(spanned(until))));
                let mut fields = vec![
                    field(HeaderKey::Title, HeaderValue::Text(spanned(title))),
                    field(HeaderKey::Effective, HeaderValue::Date(spanned(effective))),
                    field(
                        HeaderKey::Repeals,
                        HeaderValue::Dates(repeals.into_iter().map(spanned).collect()),
                    ),
                    field(HeaderKey::Currency, HeaderValue::Word(spanned(currency))),
                    field(HeaderKey::TimeZone, HeaderValue::Word(spanned(zone))),
                    field(HeaderKey::DraftedBy, HeaderValue::Text(spanned(drafted))),
                    field(HeaderKey::CopiesTo, HeaderValue::Text(spanned(copies))),
                ];
                fields.extend(until);
                fields
            },
        )
}

fn document() -> impl Strategy<Value = Document> {
    (header(), proptest::collection::vec(item(), 0..12))
        .prop_map(|(header, items)| Document { header, items })
}

proptest! {
    // 512 cases, or more with `PROPTEST_CASES=…`.
    #![proptest_config(ProptestConfig { cases: ProptestConfig::default().cases.max(512), ..ProptestConfig::default() })]

    #[test]
    fn printed_documents_parse_back_equal(document in document()) {
        let printed = Printer(&document).to_string();
        let parsed = crate::syntax::parse(&printed);
        prop_assert!(parsed.is_ok(), "did not parse back:\n{printed}\n{parsed:?}");
        let parsed = parsed.unwrap_or_default();
        prop_assert_eq!(&parsed, &document, "printed as:\n{}", printed);
        prop_assert_eq!(Printer(&parsed).to_string(), printed);
    }
}

#[test]
fn the_bundled_rulebook_prints_to_a_fixed_point() {
    let source = include_str!("../../rules/en/c-tower.rules");
    let rulebook = crate::Rulebook::parse("c-tower.rules", source).unwrap();
    let printed = rulebook.to_string();
    let again = crate::Rulebook::parse("printed", &printed).unwrap();
    assert_eq!(again.document, rulebook.document);
    assert_eq!(again.to_string(), printed);
    assert_eq!(again.rules(), rulebook.rules());
    assert_eq!(again.escalations(), rulebook.escalations());
    assert_eq!(again.period_rules(), rulebook.period_rules());
}
