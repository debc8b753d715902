//! The bundled rulebook's compiled form, clause by clause, against `docs/semantics.md` §2–§5: the
//! English file and its Chinese twins (Traditional and Simplified), which must compile to the
//! same rules under the same event names.

use std::fmt::Write as _;

use chrono::NaiveDate;
use rulebook::{
    Action, Amount, Condition, Consequence, Direction, Escalation, EscalationEffect, Level,
    MeasureType, Nth, OutcomeCondition, OutcomeKind, Period, PeriodTest, Rule, Rulebook, Target,
    Unit,
};

/// The bundled files, each with the name its 4.1 gives the attendance kinds.
const FILES: [(&str, &str); 3] = [
    ("en/c-tower.rules", "attendance event"),
    ("zh-Hant/c-tower.rules", "出勤事件"),
    ("zh-Hans/c-tower.rules", "出勤事件"),
];

fn load(file: &str) -> Rulebook {
    let path = format!("{}/rules/{file}", env!("CARGO_MANIFEST_DIR"));
    Rulebook::from_path(&path).unwrap_or_else(|e| panic!("{file} must load: {e:?}"))
}

fn bundled() -> Rulebook {
    load("en/c-tower.rules")
}

/// Each bundled file, English first.
fn every_bundled() -> impl Iterator<Item = (&'static str, &'static str, Rulebook)> {
    FILES
        .iter()
        .map(|(file, group)| (*file, *group, load(file)))
}

/// One line per compiled rule: `label kind [conditions] consequences`.
fn describe(rulebook: &Rulebook, rule: &Rule) -> String {
    let mut out = format!("{} {}", rule.label, rulebook.kind_name(rule.kind));
    for condition in &rule.conditions {
        match condition {
            Condition::Compare { measure, op, value } => {
                let _ = write!(
                    out,
                    " [{} {} {}]",
                    rulebook.measure_name(*measure),
                    op.symbol(),
                    value
                );
            }
            Condition::Flag { measure, expected } => {
                let _ = write!(out, " [{} = {}]", rulebook.measure_name(*measure), expected);
            }
            other => panic!("unexpected condition {other:?}"),
        }
    }
    match &rule.action {
        Action::Recorded => out.push_str(": recorded"),
        Action::Consequences(consequences) => {
            out.push(':');
            for consequence in consequences {
                out.push(' ');
                out.push_str(&describe_consequence(rulebook, consequence));
            }
        }
        other => panic!("unexpected action {other:?}"),
    }
    out
}

fn describe_consequence(rulebook: &Rulebook, consequence: &Consequence) -> String {
    match consequence {
        Consequence::Money {
            direction,
            amount,
            unit,
            target,
        } => {
            assert_eq!(*unit, Unit::Currency);
            let direction = match direction {
                Direction::Fine => "fine",
                Direction::Reward => "reward",
                other => panic!("a direction the policy does not have: {other:?}"),
            };
            let amount = match amount {
                Amount::Fixed(money) => money.to_string(),
                Amount::Range { low, high } => format!("{low}..={high}"),
                other => panic!("unexpected amount {other:?}"),
            };
            let target = match target {
                Target::Actor => "",
                Target::EveryPersonNamed => " each named",
                other => panic!("unexpected target {other:?}"),
            };
            format!("{direction} {amount}{target}")
        }
        Consequence::Outcome(outcome) => {
            let kind = match outcome.kind {
                OutcomeKind::Dismissal => "dismissal".to_owned(),
                OutcomeKind::Remedy => "remedy".to_owned(),
                OutcomeKind::Promotion { grades, approval } => format!(
                    "promotion {grades} approval={}",
                    approval.map_or("none", |flag| rulebook.measure_name(flag))
                ),
                other => panic!("unexpected outcome {other:?}"),
            };
            match &outcome.when {
                None => kind,
                Some(OutcomeCondition::Flag { measure, expected }) => {
                    format!(
                        "{kind} when {} = {expected}",
                        rulebook.measure_name(*measure)
                    )
                }
                Some(other) => panic!("unexpected outcome condition {other:?}"),
            }
        }
        other => panic!("unexpected consequence {other:?}"),
    }
}

#[test]
fn every_clause_compiles_to_what_semantics_md_says() {
    for (file, _, rulebook) in every_bundled() {
        let described: Vec<String> = rulebook
            .rules()
            .iter()
            .map(|rule| describe(&rulebook, rule))
            .collect();
        assert_eq!(described, EXPECTED_RULES, "{file}");
    }
}

const EXPECTED_RULES: [&str; 36] = [
    "1.1 out of uniform: fine 15",
    "1.2 phone unanswered [rings > 3]: fine 15",
    "1.2 improper phone greeting: fine 15",
    "1.3 messy desk: fine 15",
    "1.4 newspapers untidy: fine 15",
    "2.1 discourtesy: fine 20",
    "2.2 venting emotions: fine 20",
    "2.3 idling on duty: fine 20",
    "2.4 personal phone call [minutes > 3]: fine 20",
    "2.5 unauthorized internet use: fine 20",
    "2.6 taking office property: fine 20",
    "2.7 task dispatch error: fine 20",
    "2.8 handover or fee error: fine 20",
    "2.9 passing the buck: fine 20 each named",
    "3.1 facilities left on: fine 30",
    "3.2 false leave reason: fine 30",
    "3.3 missed meeting: fine 30",
    "3.4 duty not performed: fine 30",
    "3.5 key log skipped: fine 30",
    "3.6 task not followed up: fine 30",
    "3.7 records not kept: fine 30",
    "3.8 agenda not followed: fine 30 remedy",
    "3.10 evading orders: fine 50 dismissal when severe = true",
    "3.11 soliciting tips: fine 200 dismissal when severe = true",
    "4.1 late: recorded",
    "4.1 early leave: recorded",
    "4.1 sick leave: recorded",
    "4.1 personal leave: recorded",
    "4.1 card signing: recorded",
    "4.1 absence: recorded",
    "4.2 thank-you letter: reward 20",
    "4.3 returned lost property [value >= 300]: reward 20",
    "5.1 good samaritan: reward 30",
    "5.2 adopted suggestion: reward 30..=50",
    "5.3 emergency handled [loss_avoided >= 500]: reward 30..=50",
    "5.5 service star: reward 200..=300 promotion 1 approval=approved when outstanding = true",
];

#[test]
fn rules_sit_in_the_sections_of_their_clause_numbers() {
    for (file, _, rulebook) in every_bundled() {
        for rule in rulebook.rules() {
            let section: u32 = rule.label.split('.').next().unwrap().parse().unwrap();
            assert_eq!(rule.section, Some(section), "{file}: rule {}", rule.label);
        }
        let numbers: Vec<u32> = rulebook.sections().iter().map(|s| s.number).collect();
        assert_eq!(numbers, [1, 2, 3, 4, 5], "{file}");
    }
}

#[test]
fn escalation_and_doubling_read_as_section_3_of_semantics_md() {
    for (_, _, rulebook) in every_bundled() {
        escalation_and_doubling(&rulebook);
    }
}

fn escalation_and_doubling(rulebook: &Rulebook) {
    let [fines, rewards] = rulebook.escalations() else {
        panic!("expected two escalations, got {:?}", rulebook.escalations());
    };
    let expect = |e: &Escalation, label: &str, nth: Nth, counts: Direction| {
        assert_eq!(e.label, label);
        assert_eq!(e.window, Period::Month);
        assert_eq!(e.nth, nth);
        assert_eq!(e.counts, counts);
        assert!(e.sections.is_empty(), "{label} counts every section");
        assert_eq!(
            e.effect,
            EscalationEffect::Multiply {
                factor: 2,
                level: Level::HeaviestSoFar
            }
        );
    };
    expect(fines, "3.9", Nth::From(3), Direction::Fine);
    expect(rewards, "5.4", Nth::Every(3), Direction::Reward);
}

#[test]
fn full_attendance_is_a_monthly_rule_over_the_attendance_kinds() {
    for (_, group, rulebook) in every_bundled() {
        full_attendance(&rulebook, group);
    }
}

fn full_attendance(rulebook: &Rulebook, group_name: &str) {
    let [rule] = rulebook.period_rules() else {
        panic!("expected one period rule");
    };
    assert_eq!(rule.label, "4.1");
    assert_eq!(rule.period, Period::Month);
    assert_eq!(rule.streak, 1);
    let PeriodTest::Absent { group, kinds } = &rule.test else {
        panic!("4.1 rewards an absence of events");
    };
    assert_eq!(group.as_deref(), Some(group_name));
    let names: Vec<&str> = kinds.iter().map(|k| rulebook.kind_name(*k)).collect();
    assert_eq!(
        names,
        [
            "late",
            "early leave",
            "sick leave",
            "personal leave",
            "card signing",
            "absence"
        ]
    );
    let [consequence] = rule.consequences.as_slice() else {
        panic!("one consequence");
    };
    assert_eq!(describe_consequence(rulebook, consequence), "reward 15");
}

/// The canonical printer writes a Chinese rulebook back as a rule file (in English keywords,
/// with the Chinese names and their event names) that reads back to the same rules.
#[test]
fn the_chinese_files_print_and_read_back() {
    for (file, _, rulebook) in every_bundled() {
        let printed = rulebook.to_string();
        let again = Rulebook::parse(file, &printed)
            .unwrap_or_else(|e| panic!("{file} printed reads back: {e:?}\n{printed}"));
        assert_eq!(again.to_string(), printed, "{file}");
        let described: Vec<String> = again
            .rules()
            .iter()
            .map(|rule| describe(&again, rule))
            .collect();
        assert_eq!(described, EXPECTED_RULES, "{file}");
    }
}

#[test]
fn header_carries_the_source_document_fields() {
    let rulebook = bundled();
    let header = rulebook.header();
    assert_eq!(
        header.title,
        "C Tower Customer Service Center — Rules for Rewards and Penalties"
    );
    assert_eq!(
        header.effective,
        NaiveDate::from_ymd_opt(2025, 8, 15).unwrap()
    );
    assert_eq!(
        header.repeals,
        [NaiveDate::from_ymd_opt(2024, 12, 8).unwrap()]
    );
    assert_eq!(header.currency, "CNY");
    assert_eq!(header.time_zone.local_minus_utc(), 8 * 3600);
    assert_eq!(header.document.drafted_by, "");
    assert_eq!(header.document.approved_by, "");
    assert_eq!(header.document.maintained_by, "");
    assert!(header.document.copies_to.contains("President Fang"));
    assert_eq!(header.document.distributed_to, "");
}

#[test]
fn every_event_kind_of_semantics_md_is_accepted_and_interned() {
    let rulebook = bundled();
    let kinds = [
        "out of uniform",
        "phone unanswered",
        "improper phone greeting",
        "messy desk",
        "newspapers untidy",
        "discourtesy",
        "venting emotions",
        "idling on duty",
        "personal phone call",
        "unauthorized internet use",
        "taking office property",
        "task dispatch error",
        "handover or fee error",
        "passing the buck",
        "facilities left on",
        "false leave reason",
        "missed meeting",
        "duty not performed",
        "key log skipped",
        "task not followed up",
        "records not kept",
        "agenda not followed",
        "evading orders",
        "soliciting tips",
        "late",
        "early leave",
        "sick leave",
        "personal leave",
        "card signing",
        "absence",
        "thank-you letter",
        "returned lost property",
        "good samaritan",
        "adopted suggestion",
        "emergency handled",
        "service star",
    ];
    for name in kinds {
        let id = rulebook
            .kind_id(name)
            .unwrap_or_else(|| panic!("`{name}` is not accepted"));
        assert_eq!(rulebook.kind_name(id), name);
        assert_eq!(rulebook.rules_for(id).count(), 1, "`{name}` has one rule");
    }
    assert_eq!(rulebook.kinds().count(), kinds.len(), "no kind beyond §2's");
    assert_eq!(rulebook.suggest_kind("mesy desk"), Some("messy desk"));
    assert_eq!(rulebook.kind_id("Messy desk"), None, "kinds match exactly");
}

#[test]
fn measures_have_the_types_of_semantics_md() {
    let rulebook = bundled();
    let types: Vec<(&str, MeasureType)> = rulebook
        .measures()
        .map(|(id, name)| (name, rulebook.measure_type(id)))
        .collect();
    assert_eq!(
        types,
        [
            ("rings", MeasureType::WholeNumber),
            ("minutes", MeasureType::Number),
            ("value", MeasureType::Number),
            ("loss_avoided", MeasureType::Number),
            ("amount", MeasureType::Number),
            ("severe", MeasureType::Flag),
            ("outstanding", MeasureType::Flag),
            ("approved", MeasureType::Flag),
        ]
    );
}

#[test]
fn every_rule_file_in_rules_checks() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/rules");
    let mut checked = 0;
    // One directory per language, each the policy in that language (`rulebook check rules`
    // checks each as its own set of versions).
    for language in std::fs::read_dir(dir).unwrap() {
        let language = language.unwrap().path();
        assert!(
            language.is_dir(),
            "{}: rules/ holds one directory per language",
            language.display()
        );
        if let Err(e) = Rulebook::load(&language) {
            panic!("{}: {e:?}", language.display());
        }
        for entry in std::fs::read_dir(&language).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "rules") {
                if let Err(e) = Rulebook::from_path(&path) {
                    panic!("{}: {e:?}", path.display());
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, FILES.len());
}
