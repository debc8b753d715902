//! Versions of a policy: several rule files, each taking effect on its date and repealing the
//! one before, checked as a whole and compiled into one [`Rulebook`] that judges each event
//! by the version in force at its instant.
//!
//! Each file is parsed and checked on its own first; then the set: two versions taking effect
//! on the same day, a version that does not repeal the one before it (both would be in
//! force), a repeal naming a version that is not loaded, a gap between versions, and a
//! difference of time zone, currency or measure type. Then the versions are merged: kinds
//! and measures interned once by name, each rule kept with its version, and the counts that
//! run across versions (escalation, occurrences, period tracks) given shared slots.

use std::collections::HashMap;
use std::ops::Range;

use chrono::{Days, NaiveDate};

use crate::ast::{self, HeaderKey, Item, Span};
use crate::check::header_key_chinese;
use crate::error::{Problem, ProblemKind, RuleErrors, VersionErrors};
use crate::lang::{Language, Text, verbatim};
use crate::rulebook::Version;
use crate::rulebook::{
    Action, Amount, Band, Condition, Consequence, Escalation, KindId, MeasureId, Names, Outcome,
    OutcomeCondition, OutcomeKind, PeriodRule, PeriodTest, Rule, Rulebook, Target,
};
use crate::vocab::MeasureType;

/// More versions than a policy may load.
pub(super) fn too_many_versions(count: usize) -> VersionErrors {
    let problem = Problem::new(
        ProblemKind::TooManyVersions {
            count,
            limit: crate::limits::MAX_VERSIONS,
        },
        0..0,
    )
    .with_help(Text::new(
        "keep the versions events still need; a version may repeal one that is gone",
        "只保留事件仍需要的版本；版本可以廢止已不再載入的版本",
    ));
    VersionErrors::new(vec![RuleErrors::new("the versions", "", vec![problem])])
}

/// Every file parsed and checked (or its problems), then the set checked and merged.
pub(super) fn check_set(
    parsed: Vec<Result<(String, &str, Rulebook), RuleErrors>>,
) -> Result<Rulebook, VersionErrors> {
    let mut failed = Vec::new();
    let mut good = Vec::new();
    for file in parsed {
        match file {
            Ok(file) => good.push(file),
            Err(errors) => failed.push(errors),
        }
    }
    if !failed.is_empty() || good.is_empty() {
        return Err(VersionErrors::new(failed));
    }
    let mut parsed = good;
    parsed.sort_by_key(|(_, _, rulebook)| rulebook.header().effective);
    let mut by_file: Vec<Vec<Problem>> = vec![Vec::new(); parsed.len()];
    let merged = match merge(&parsed) {
        Ok(merged) => Some(merged),
        Err(problems) => {
            for (file, problem) in problems {
                if let Some(list) = by_file.get_mut(file) {
                    list.push(problem);
                }
            }
            None
        }
    };
    for (file, problem) in chain_problems(&parsed) {
        if let Some(list) = by_file.get_mut(file) {
            list.push(problem);
        }
    }
    let failed: Vec<RuleErrors> = parsed
        .iter()
        .zip(by_file)
        .filter(|(_, problems)| !problems.is_empty())
        .map(|((name, source, _), problems)| RuleErrors::new(name, source, problems))
        .collect();
    match merged {
        Some(merged) if failed.is_empty() => Ok(merged),
        _ => Err(VersionErrors::new(failed)),
    }
}

/// The span of a header key's line in `document`, or the start of the file.
fn header_span(document: &ast::Document, key: HeaderKey) -> Span {
    document
        .header
        .iter()
        .find(|field| field.key.value == key)
        .map_or(Span::new(0, 0), |field| field.span)
}

/// Where a measure is declared, or else first named in a rule, or else the `effective:` line.
fn measure_span(document: &ast::Document, source: &str, measure: &str) -> Span {
    let declared = document.items.iter().find_map(|item| match item {
        Item::Measure(m) if m.name.value == measure => Some(m.name.span),
        _ => None,
    });
    let used = || {
        document.items.iter().find_map(|item| {
            let Item::Rule(rule) = item else {
                return None;
            };
            let text = source.get(rule.span.start..rule.span.end)?;
            let at = rule.span.start + text.find(measure)?;
            Some(Span::new(at, at + measure.len()))
        })
    };
    declared
        .or_else(used)
        .unwrap_or_else(|| header_span(document, HeaderKey::Effective))
}

/// The span of a repealed date in the `repeals:` line, or of the line.
fn repeal_span(document: &ast::Document, date: NaiveDate) -> Span {
    let text = date.to_string();
    document
        .header
        .iter()
        .filter_map(|field| match &field.value {
            ast::HeaderValue::Dates(dates) => dates.iter().find(|d| d.value == text),
            _ => None,
        })
        .map(|d| d.span)
        .next()
        .unwrap_or_else(|| header_span(document, HeaderKey::Repeals))
}

/// The problems of the chain of versions (sorted by effective date), by file index.
fn chain_problems(parsed: &[(String, &str, Rulebook)]) -> Vec<(usize, Problem)> {
    let mut problems = Vec::new();
    let dates: Vec<NaiveDate> = parsed
        .iter()
        .map(|(_, _, r)| r.header().effective)
        .collect();
    for (index, pair) in parsed.windows(2).enumerate() {
        let [(before_name, _, before), (_, _, rulebook)] = pair else {
            continue;
        };
        let later = index + 1;
        let header = rulebook.header();
        let earlier = before.header();
        let document = &rulebook.document;
        for (differs, (what, what_zh), key, here, there) in [
            (
                header.time_zone != earlier.time_zone,
                ("the time zone", "時區"),
                HeaderKey::TimeZone,
                header.time_zone.to_string(),
                earlier.time_zone.to_string(),
            ),
            (
                header.currency != earlier.currency,
                ("the currency", "貨幣"),
                HeaderKey::Currency,
                header.currency.clone(),
                earlier.currency.clone(),
            ),
        ] {
            if differs {
                problems.push((
                    later,
                    Problem::new(
                        ProblemKind::VersionsDiffer {
                            what: what.to_owned(),
                            here,
                            there,
                            other: before_name.clone(),
                        },
                        header_span(document, key),
                    )
                    .with_term(Text::new(what, what_zh))
                    .with_help(Text::new(
                        "every version of a policy reads times and amounts alike",
                        "同一規章的各個版本必須以相同的方式解讀時間和金額",
                    )),
                ));
            }
        }
        if header.effective == earlier.effective {
            problems.push((
                later,
                Problem::new(
                    ProblemKind::SameEffectiveDate {
                        date: header.effective.to_string(),
                        other: before_name.clone(),
                    },
                    header_span(document, HeaderKey::Effective),
                )
                .with_label(Text::new(
                    "a second version taking effect this day",
                    "同一天生效的第二個版本",
                ))
                .with_help(Text::new(
                    "give one of them another `effective:` date, or remove one file",
                    format!(
                        "給其中一個另定 `{}：` 日期，或移除其中一個文件",
                        header_key_chinese(HeaderKey::Effective)
                    ),
                )),
            ));
            continue;
        }
        // When the earlier version has ended by itself, the later one need not repeal it.
        let ends_before = earlier
            .in_force_until
            .is_some_and(|until| until < header.effective);
        if ends_before {
            let first_gap_day = earlier.in_force_until.and_then(|d| d.succ_opt());
            let last_gap_day = header.effective.checked_sub_days(Days::new(1));
            if let (Some(from), Some(to)) = (first_gap_day, last_gap_day)
                && from <= to
            {
                problems.push((
                    later,
                    Problem::new(
                        ProblemKind::VersionGap {
                            from: from.to_string(),
                            to: to.to_string(),
                            other: before_name.clone(),
                        },
                        header_span(document, HeaderKey::Effective),
                    )
                    .with_label(Text::new(
                        "no version is in force before this",
                        "在此之前沒有任何版本生效",
                    ))
                    .with_help(Text::new(
                        format!(
                            "make this version take effect on `{from}`, or extend `in force until:` in `{before_name}`"
                        ),
                        format!(
                            "讓此版本在 `{from}` 生效，或延長 `{}` 中的 `{}：`",
                            verbatim(before_name),
                            header_key_chinese(HeaderKey::InForceUntil)
                        ),
                    )),
                ));
            }
        }
        if !ends_before && !header.repeals.contains(&earlier.effective) {
            let known: Vec<&NaiveDate> = header
                .repeals
                .iter()
                .filter(|date| dates.contains(date))
                .collect();
            problems.push((
                later,
                Problem::new(
                    ProblemKind::BothInForce {
                        earlier: earlier.effective.to_string(),
                        other: before_name.clone(),
                        from: header.effective.to_string(),
                    },
                    header_span(document, HeaderKey::Effective),
                )
                .with_label(Text::new(
                    "takes effect while the earlier version is in force",
                    "生效時前一個版本仍然有效",
                ))
                .with_help({
                    let repeals = header_key_chinese(HeaderKey::Repeals);
                    if known.is_empty() {
                        Text::new(
                            format!("add `repeals: the version of {}`", earlier.effective),
                            format!("加上 `{repeals}：{} 的版本`", earlier.effective),
                        )
                    } else {
                        let repealed = known.first().map_or(String::new(), ToString::to_string);
                        Text::new(
                            format!(
                                "this version repeals the version of `{repealed}`, not the one just before it; add `repeals: the version of {}`",
                                earlier.effective
                            ),
                            format!(
                                "此版本廢止的是 `{repealed}` 的版本，而不是緊接在前的版本；請加上 `{repeals}：{} 的版本`",
                                earlier.effective
                            ),
                        )
                    }
                }),
            ));
        }
    }
    // A repeal must name a loaded version, unless it is older than every one loaded (a
    // history not kept).
    let mut loaded: Vec<String> = dates.iter().map(|d| format!("`{d}`")).collect();
    loaded.dedup();
    let loaded = Text::new(loaded.join(", "), loaded.join("、"));
    let oldest = dates.first().copied();
    for (index, (_, _, rulebook)) in parsed.iter().enumerate() {
        for repealed in &rulebook.header().repeals {
            if dates.contains(repealed) || oldest.is_some_and(|oldest| *repealed < oldest) {
                continue;
            }
            problems.push((
                index,
                Problem::new(
                    ProblemKind::RepealedVersionMissing {
                        date: repealed.to_string(),
                        loaded: loaded.english().to_owned(),
                    },
                    repeal_span(&rulebook.document, *repealed),
                )
                .with_term(loaded.clone())
                .with_label(Text::new(
                    "no loaded version took effect this day",
                    "載入的版本中沒有在這一天生效的",
                ))
                .with_help(Text::new(
                    "load the repealed version too, or correct the date",
                    "請一併載入被廢止的版本，或更正日期",
                )),
            ));
        }
    }
    problems
}

/// Ids of one version's kinds and measures in the merged rulebook: one for each id the
/// version has, in order, so that every id its rules hold is found (`merge` fills them).
struct Remap {
    kinds: Vec<u32>,
    measures: Vec<u32>,
}

impl Remap {
    fn kind(&self, kind: KindId) -> KindId {
        KindId::new(self.kinds.get(kind.index()).copied().unwrap_or(0))
    }

    fn measure(&self, measure: MeasureId) -> MeasureId {
        MeasureId::new(self.measures.get(measure.index()).copied().unwrap_or(0))
    }

    fn rule(&self, rule: &Rule) -> Rule {
        Rule {
            label: rule.label.clone(),
            section: rule.section,
            kind: self.kind(rule.kind),
            conditions: rule.conditions.iter().map(|c| self.condition(c)).collect(),
            action: match &rule.action {
                Action::Recorded => Action::Recorded,
                Action::Consequences(list) => Action::Consequences(self.consequences(list)),
                Action::Banded { measure, bands } => Action::Banded {
                    measure: self.measure(*measure),
                    bands: bands
                        .iter()
                        .map(|band| Band {
                            range: band.range.clone(),
                            consequences: self.consequences(&band.consequences),
                        })
                        .collect(),
                },
            },
        }
    }

    fn condition(&self, condition: &Condition) -> Condition {
        match condition {
            Condition::Compare { measure, op, value } => Condition::Compare {
                measure: self.measure(*measure),
                op: *op,
                value: *value,
            },
            Condition::Flag { measure, expected } => Condition::Flag {
                measure: self.measure(*measure),
                expected: *expected,
            },
        }
    }

    fn consequences(&self, list: &[Consequence]) -> Vec<Consequence> {
        list.iter().map(|c| self.consequence(c)).collect()
    }

    fn consequence(&self, consequence: &Consequence) -> Consequence {
        match consequence {
            Consequence::Money {
                direction,
                amount,
                unit,
                target,
            } => Consequence::Money {
                direction: *direction,
                amount: match amount {
                    Amount::PerUnit {
                        rate,
                        measure,
                        beyond,
                    } => Amount::PerUnit {
                        rate: *rate,
                        measure: self.measure(*measure),
                        beyond: *beyond,
                    },
                    Amount::Percent { percent, of } => Amount::Percent {
                        percent: *percent,
                        of: self.measure(*of),
                    },
                    other => other.clone(),
                },
                unit: *unit,
                target: match target {
                    Target::Related(measure) => Target::Related(self.measure(*measure)),
                    other => other.clone(),
                },
            },
            Consequence::Outcome(outcome) => Consequence::Outcome(Outcome {
                kind: match outcome.kind {
                    OutcomeKind::Promotion { grades, approval } => OutcomeKind::Promotion {
                        grades,
                        approval: approval.map(|m| self.measure(m)),
                    },
                    other => other,
                },
                when: match &outcome.when {
                    Some(OutcomeCondition::Flag { measure, expected }) => {
                        Some(OutcomeCondition::Flag {
                            measure: self.measure(*measure),
                            expected: *expected,
                        })
                    }
                    other => other.clone(),
                },
            }),
            Consequence::CountsAs(kind) => Consequence::CountsAs(self.kind(*kind)),
        }
    }

    fn period_rule(&self, rule: &PeriodRule) -> PeriodRule {
        PeriodRule {
            label: rule.label.clone(),
            section: rule.section,
            period: rule.period,
            test: match &rule.test {
                PeriodTest::Absent { group, kinds } => PeriodTest::Absent {
                    group: group.clone(),
                    kinds: kinds.iter().map(|k| self.kind(*k)).collect(),
                },
                PeriodTest::Count { op, count, kind } => PeriodTest::Count {
                    op: *op,
                    count: *count,
                    kind: self.kind(*kind),
                },
            },
            streak: rule.streak,
            consequences: self.consequences(&rule.consequences),
        }
    }
}

/// The count slot of each item (escalation, rule, period rule), given each version's range
/// of items: an item continues the count of the previous version's item with the same key
/// and the same place among that version's items with that key; any other item has a slot of
/// its own. Items of one version never share a slot.
fn slots_across<K: Eq + std::hash::Hash + Clone>(
    ranges: impl Iterator<Item = Range<usize>>,
    keys: &[K],
) -> Vec<u32> {
    let mut slots = vec![0u32; keys.len()];
    let mut next = 0u32;
    let mut previous: HashMap<(K, usize), u32> = HashMap::new();
    for range in ranges {
        let mut seen: HashMap<K, usize> = HashMap::new();
        let mut current = HashMap::new();
        for index in range {
            let Some(key) = keys.get(index) else {
                continue;
            };
            let place = seen.entry(key.clone()).or_insert(0);
            let at = (key.clone(), *place);
            *place += 1;
            let slot = previous.get(&at).copied().unwrap_or_else(|| {
                next = next.saturating_add(1);
                next - 1
            });
            if let Some(entry) = slots.get_mut(index) {
                *entry = slot;
            }
            current.insert(at, slot);
        }
        previous = current;
    }
    slots
}

/// The problem of a set of versions naming more kinds or measures than ids can count.
fn too_many_names(what: &str, what_zh: &str, name: &str) -> Problem {
    Problem::too_large(
        Text::new(format!("list of {what}"), format!("{what_zh}清單")),
        name.to_owned(),
        Span::new(0, 0),
    )
}

/// The versions (sorted by effective date) as one rulebook, or the first measure whose type
/// differs between two of them, as a problem of the later file.
fn merge(parsed: &[(String, &str, Rulebook)]) -> Result<Rulebook, Vec<(usize, Problem)>> {
    let mut kinds = Names::default();
    let mut measures = Names::default();
    let mut measure_types: Vec<(MeasureType, usize)> = Vec::new();
    let mut clashes = Vec::new();
    let mut rules = Vec::new();
    let mut period_rules = Vec::new();
    let mut escalations: Vec<Escalation> = Vec::new();
    let mut versions = Vec::new();
    for (file, (name, source, rulebook)) in parsed.iter().enumerate() {
        let mut remap = Remap {
            kinds: Vec::new(),
            measures: Vec::new(),
        };
        // One merged id for each id of the version, in order: `Remap` looks them up by index.
        for (_, kind) in rulebook.kinds() {
            let Some(merged) = kinds.intern(kind) else {
                return Err(vec![(
                    file,
                    too_many_names("event kinds", "事件類型", kind),
                )]);
            };
            remap.kinds.push(merged);
        }
        for (id, measure) in rulebook.measures() {
            let Some(merged) = measures.intern(measure) else {
                return Err(vec![(file, too_many_names("measures", "計量", measure))]);
            };
            let ty = rulebook.measure_type(id);
            match measure_types.get(merged as usize) {
                Some((earlier, earlier_file)) if *earlier != ty => {
                    let other = parsed.get(*earlier_file).map_or("", |(n, _, _)| n.as_str());
                    clashes.push((
                        file,
                        Problem::new(
                            ProblemKind::VersionsDiffer {
                                what: format!("measure `{measure}`"),
                                here: ty.words().to_owned(),
                                there: earlier.words().to_owned(),
                                other: other.to_owned(),
                            },
                            measure_span(&rulebook.document, source, measure),
                        )
                        .with_term(Text::new(
                            format!("measure `{measure}`"),
                            format!("計量 `{}` ", verbatim(measure)),
                        ))
                        .with_term(ty.text())
                        .with_term(earlier.text())
                        .with_help(Text::new(
                            "a measure keeps its type across versions, so that one event stream suits them all",
                            "計量在各個版本中的類型必須相同，同一份事件資料才能適用所有版本",
                        )),
                    ));
                }
                Some(_) => {}
                None => measure_types.push((ty, file)),
            }
            remap.measures.push(merged);
        }
        let first_rule = rules.len();
        rules.extend(rulebook.rules().iter().map(|rule| remap.rule(rule)));
        let first_period = period_rules.len();
        period_rules.extend(rulebook.period_rules().iter().map(|r| remap.period_rule(r)));
        let first_escalation = escalations.len();
        escalations.extend(rulebook.escalations().iter().cloned());
        let mut version = Version::whole(name, rulebook);
        version.language = Language::of_rule_text(source);
        version.rules = first_rule..rules.len();
        version.period_rules = first_period..period_rules.len();
        version.escalations = first_escalation..escalations.len();
        versions.push(version);
    }
    // Each version ends where the next begins, if not before.
    for index in 1..versions.len() {
        let (starts, effective) = match versions.get(index) {
            Some(next) => (next.starts, next.effective()),
            None => continue,
        };
        if let Some(previous) = versions.get_mut(index - 1) {
            let day_before = effective.pred_opt();
            if previous.until.is_none_or(|until| Some(until) > day_before) {
                previous.until = day_before;
                previous.ends = Some(starts);
            }
        }
    }
    let mut rules_by_kind = vec![Vec::new(); kinds.len()];
    for (index, rule) in rules.iter().enumerate() {
        if let Some(list) = rules_by_kind.get_mut(rule.kind.index()) {
            list.push(index);
        }
    }
    let newest = parsed.last().map(|(_, _, r)| r);
    let Some(newest) = newest else {
        return Err(vec![(0, Problem::internal("no versions to merge", 0..0))]);
    };
    if !clashes.is_empty() {
        return Err(clashes);
    }
    // Counts run across versions: an escalation by what it counts, a rule's occurrences by
    // its label and kind, a period rule's tracks by its label and period; each continues
    // the matching item of the version before (see `slots_across`).
    let ranges = |pick: fn(&Version) -> Range<usize>| versions.iter().map(pick).collect::<Vec<_>>();
    let escalation_keys: Vec<_> = escalations
        .iter()
        .map(|e| (e.counts, e.window, e.sections.clone()))
        .collect();
    let escalation_slots = slots_across(
        ranges(|v| v.escalations.clone()).into_iter(),
        &escalation_keys,
    );
    let rule_keys: Vec<_> = rules
        .iter()
        .map(|r: &Rule| (r.label.clone(), r.kind))
        .collect();
    let rule_slots = slots_across(ranges(|v| v.rules.clone()).into_iter(), &rule_keys);
    let period_keys: Vec<_> = period_rules
        .iter()
        .map(|r| (r.label.clone(), r.period))
        .collect();
    let period_slots = slots_across(ranges(|v| v.period_rules.clone()).into_iter(), &period_keys);
    Ok(Rulebook {
        header: newest.header().clone(),
        sections: newest.sections().to_vec(),
        kinds,
        measures,
        measure_types: measure_types.into_iter().map(|(ty, _)| ty).collect(),
        rules,
        rules_by_kind,
        period_rules,
        escalations,
        document: std::sync::Arc::clone(&newest.document),
        versions,
        escalation_slots,
        rule_slots,
        period_slots,
    })
}
