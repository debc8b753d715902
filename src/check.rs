//! Checking: a syntax tree → a compiled [`Rulebook`], or *every* problem found at once.
//!
//! Names are resolved and interned (event kinds, measures, sections), amounts converted to
//! exact [`Money`], ranges, dates and counts validated, and the rules for each event kind
//! compared pairwise: two rules whose conditions can hold for the same event are an error.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{FixedOffset, NaiveDate};
use rust_decimal::Decimal;

use crate::ast::{self, Document, HeaderKey, HeaderValue, Item, RuleBody, Span, Spanned};
use crate::error::{Problem, ProblemKind};
use crate::lang::{Text, verbatim};
use crate::limits::{
    MAX_ESCALATIONS, MAX_LAST_ENTRIES, MAX_MULTIPLIER, MAX_PERIOD_RULES, MAX_RULE_AMOUNT,
    MAX_RULES, MAX_RULES_PER_KIND, MAX_SUGGESTIONS,
};
use crate::money::{Money, MoneyError};
use crate::rulebook::{
    AMOUNT_MEASURE, APPROVAL_FLAG, Action, Amount, Band, Condition, Consequence, DocumentFields,
    Escalation, EscalationEffect, Header, KindId, Level, MeasureId, Names, Outcome,
    OutcomeCondition, OutcomeKind, PeriodRule, PeriodTest, Rule, Rulebook, Section, Target,
};
use crate::suggest::did_you_mean;
use crate::vocab::{Direction, Interval, MeasureType, Nth, Unit};

/// The rule after the last allowed, in all and of each kind that has a limit of its own.
fn too_many_rules(document: &Document) -> Vec<Problem> {
    let rules = || {
        document.items.iter().filter_map(|item| match item {
            Item::Rule(rule) => Some(rule),
            _ => None,
        })
    };
    let period = |rule: &&ast::Rule| matches!(rule.body, RuleBody::Period { .. });
    let escalation = |rule: &&ast::Rule| matches!(rule.body, RuleBody::Escalation { .. });
    [
        (
            ("a rule file", "規則文件"),
            rules().nth(MAX_RULES),
            MAX_RULES,
        ),
        (
            ("a rule file's period rules", "規則文件的週期規則"),
            rules().filter(period).nth(MAX_PERIOD_RULES),
            MAX_PERIOD_RULES,
        ),
        (
            ("a rule file's escalations", "規則文件的累進規則"),
            rules().filter(escalation).nth(MAX_ESCALATIONS),
            MAX_ESCALATIONS,
        ),
    ]
    .into_iter()
    .filter_map(|((what, what_zh), rule, limit)| {
        rule.map(|rule| {
            Problem::new(
                ProblemKind::TooManyRules {
                    what: what.to_owned(),
                    count: limit + 1,
                    limit,
                },
                rule.span,
            )
            .with_term(Text::new(what, what_zh))
        })
    })
    .collect()
}

/// Checks and compiles a document.
pub(crate) fn check(document: Document) -> Result<Rulebook, Vec<Problem>> {
    let mut checker = Checker::default();
    let too_many = too_many_rules(&document);
    if !too_many.is_empty() {
        return Err(too_many);
    }
    let header = checker.header(&document);
    let sections = checker.sections(&document);
    checker.declare_event_names(&document);
    checker.declare_measures(&document);
    checker.define_kinds(&document);

    let mut rules = Vec::new();
    let mut period_rules = Vec::new();
    let mut escalations = Vec::new();
    // The unit of each escalation's surcharge, if it has one.
    let mut surcharge_units = Vec::new();
    let mut section = None;
    for item in &document.items {
        let rule = match item {
            Item::Section(s) => {
                section = Some(s.number.value);
                continue;
            }
            Item::Measure(_) | Item::Kind(_) => continue,
            Item::Rule(rule) => rule,
        };
        let label = &rule.label.value;
        match &rule.body {
            RuleBody::Occurrence {
                kind,
                conditions,
                consequences,
            } => {
                let conditions = checker.conditions(conditions);
                let consequences = checker.consequences(label, consequences, Place::Occurrence);
                if let (Some(kind_id), Some(conditions), Some(consequences)) =
                    (checker.kind_id(kind), conditions, consequences)
                {
                    rules.push(Located {
                        rule: Rule {
                            label: label.clone(),
                            section,
                            kind: kind_id,
                            conditions,
                            action: Action::Consequences(consequences),
                        },
                        span: rule.span,
                        kind_span: kind.span,
                    });
                }
            }
            RuleBody::Banded {
                kind,
                measure,
                bands,
            } => {
                let measure_id = checker.measure(measure, MeasureType::Number);
                let bands = checker.bands(label, &kind.value, bands);
                if let (Some(kind_id), Some(measure), Some(bands)) =
                    (checker.kind_id(kind), measure_id, bands)
                {
                    rules.push(Located {
                        rule: Rule {
                            label: label.clone(),
                            section,
                            kind: kind_id,
                            conditions: Vec::new(),
                            action: Action::Banded { measure, bands },
                        },
                        span: rule.span,
                        kind_span: kind.span,
                    });
                }
            }
            RuleBody::Recorded { kinds } => {
                for kind in kinds {
                    if let Some(kind_id) = checker.kind_id(kind) {
                        rules.push(Located {
                            rule: Rule {
                                label: label.clone(),
                                section,
                                kind: kind_id,
                                conditions: Vec::new(),
                                action: Action::Recorded,
                            },
                            span: kind.span,
                            kind_span: kind.span,
                        });
                    }
                }
            }
            RuleBody::Period {
                period,
                test,
                streak,
                consequences,
            } => {
                let test = checker.period_test(test);
                let streak = match streak {
                    Some(streak) => checker.at_least_one(("streak", "連續次數"), streak),
                    None => Some(1),
                };
                let consequences = checker.consequences(label, consequences, Place::Period);
                if let (Some(test), Some(streak), Some(consequences)) = (test, streak, consequences)
                {
                    period_rules.push(PeriodRule {
                        label: label.clone(),
                        section,
                        period: *period,
                        test,
                        streak,
                        consequences,
                    });
                }
            }
            RuleBody::Escalation {
                window,
                nth,
                counts,
                sections: counted_sections,
                effect,
            } => {
                if let Some(escalation) = checker.escalation(
                    label,
                    *window,
                    nth,
                    *counts,
                    counted_sections,
                    effect,
                    &sections,
                ) {
                    escalations.push((escalation, rule.span));
                    let surcharge = match effect {
                        ast::EscalationEffect::Surcharge { unit, .. } => Some(*unit),
                        ast::EscalationEffect::Multiply { .. } => None,
                    };
                    surcharge_units.push(surcharge);
                }
            }
        }
    }

    checker.overlapping_rules(&rules);
    checker.overlapping_escalations(&escalations);
    checker.counts_as_loops(&rules);
    checker.related_in_collective(&rules);
    checker.escalation_units(&rules, &escalations, &surcharge_units);

    if document.header.is_empty() && document.items.is_empty() {
        return Err(vec![
            Problem::new(ProblemKind::Empty, Span::new(0, 0)).with_help(Text::new(
                "start with a header: `title:`, `effective:`, `currency:` and `time zone:` lines",
                format!(
                    "先寫表頭：`{}：`、`{}：`、`{}：` 和 `{}：` 各一行",
                    header_key_chinese(HeaderKey::Title),
                    header_key_chinese(HeaderKey::Effective),
                    header_key_chinese(HeaderKey::Currency),
                    header_key_chinese(HeaderKey::TimeZone),
                ),
            )),
        ]);
    }
    checker.some_rule(&document);
    let header = match header {
        Some(header) if checker.problems.is_empty() => header,
        _ => return Err(checker.problems),
    };

    let mut rules_by_kind = vec![Vec::new(); checker.kinds.len()];
    let rules: Vec<Rule> = rules.into_iter().map(|located| located.rule).collect();
    for (index, rule) in rules.iter().enumerate() {
        if let Some(list) = rules_by_kind.get_mut(rule.kind.index()) {
            list.push(index);
        }
    }
    // Each count has a slot of its own (versions merged later may share them).
    let identity = |n: usize| (0..u32::try_from(n).unwrap_or(u32::MAX)).collect();
    Ok(Rulebook {
        header,
        sections: sections.into_values().map(|(section, _)| section).collect(),
        measure_types: checker.measure_types(),
        kinds: checker.kinds,
        measures: checker.measures,
        escalation_slots: identity(escalations.len()),
        rule_slots: identity(rules.len()),
        period_slots: identity(period_rules.len()),
        rules,
        rules_by_kind,
        period_rules,
        escalations: escalations.into_iter().map(|(e, _)| e).collect(),
        document: std::sync::Arc::new(document),
        versions: Vec::new(),
    })
}

/// A compiled rule and where it was written.
struct Located {
    rule: Rule,
    span: Span,
    kind_span: Span,
}

/// Where consequences are written, for what they may hold.
#[derive(Clone, Copy, PartialEq)]
enum Place {
    Occurrence,
    Band,
    Period,
}

#[derive(Default)]
struct Checker {
    problems: Vec<Problem>,
    kinds: Names,
    measures: Names,
    /// The names events use for kinds the file names otherwise (`event 遲到 (late)`), by the
    /// file's name, with the span of the declaration.
    kind_names: HashMap<String, (String, Span)>,
    /// The same for measures (`measure 響聲 (rings): whole number`).
    measure_names: HashMap<String, (String, Span)>,
    /// The other way round: for each event name of `kind_names`, the file's first name for
    /// it (how messages name the kind).
    written_kinds: HashMap<String, String>,
    /// Measures found undeclared so far, in a file that declares its measures' event names
    /// (each is reported once).
    undeclared_measures: HashSet<u32>,
    /// Declared measure types, by measure id.
    declared: HashMap<u32, (MeasureType, Span)>,
    /// The first use of each undeclared measure, by measure id.
    used: HashMap<u32, (MeasureType, Span)>,
    /// "Did you mean" suggestions computed so far (at most [`MAX_SUGGESTIONS`]).
    suggestions: usize,
}

/// The problem of an amount over [`MAX_RULE_AMOUNT`] (or beyond what money holds at all).
fn too_large_amount(text: String, span: Span) -> Problem {
    Problem::too_large(Text::new("amount", "金額"), text, span)
        .with_label(Text::new(
            "more than a rule file may write",
            "超出規則文件允許的金額",
        ))
        .with_help(Text::new(
            format!(
                "an amount in a rule file is at most {MAX_RULE_AMOUNT}, so that no month's totals can overflow"
            ),
            format!("規則文件中的金額最多是 {MAX_RULE_AMOUNT}，以免每月合計溢出"),
        ))
}

impl Checker {
    fn report(&mut self, problem: Problem) {
        self.problems.push(problem);
    }

    // ── Header ───────────────────────────────────────────────────────────────────────────

    fn header(&mut self, document: &Document) -> Option<Header> {
        let mut seen: HashMap<HeaderKey, Span> = HashMap::new();
        let mut title = None;
        let mut effective = None;
        let mut until = None;
        let mut repeals = Vec::new();
        let mut currency = None;
        let mut time_zone = None;
        let mut fields = DocumentFields::default();
        for field in &document.header {
            let key = field.key.value;
            if let Some(first) = seen.get(&key) {
                self.report(
                    Problem::new(
                        ProblemKind::DuplicateHeader {
                            field: key.words().to_owned(),
                        },
                        field.key.span,
                    )
                    .with_term(header_key_text(key))
                    .with_label(Text::new("given again here", "這裡又寫了一次"))
                    .with_related(*first, Text::new("first given here", "第一次寫在這裡"))
                    .with_help(Text::new(
                        format!("keep one `{}:` line", key.words()),
                        format!("只保留一行 `{}：`", header_key_chinese(key)),
                    )),
                );
                continue;
            }
            seen.insert(key, field.key.span);
            match (&field.value, key) {
                (HeaderValue::Text(text), HeaderKey::Title) => title = Some(text.value.clone()),
                (HeaderValue::Text(text), _) => {
                    let slot = match key {
                        HeaderKey::Purpose => &mut fields.purpose,
                        HeaderKey::DraftedBy => &mut fields.drafted_by,
                        HeaderKey::ApprovedBy => &mut fields.approved_by,
                        HeaderKey::MaintainedBy => &mut fields.maintained_by,
                        HeaderKey::CopiesTo => &mut fields.copies_to,
                        _ => &mut fields.distributed_to,
                    };
                    slot.clone_from(&text.value);
                }
                (HeaderValue::Date(date), HeaderKey::InForceUntil) => {
                    until = self.date(date).map(|d| (d, date));
                }
                (HeaderValue::Date(date), _) => effective = self.date(date).map(|d| (d, date)),
                (HeaderValue::Dates(dates), _) => {
                    repeals = dates
                        .iter()
                        .filter_map(|date| self.date(date).map(|d| (d, date)))
                        .collect();
                }
                (HeaderValue::Word(word), HeaderKey::Currency) => {
                    currency = Some(word.value.clone())
                }
                (HeaderValue::Word(word), _) => time_zone = self.offset(word),
            }
        }
        if document.header.is_empty() && document.items.is_empty() {
            return None;
        }
        let end_of_header = document.header.last().map_or(Span::new(0, 0), |field| {
            Span::new(field.span.end, field.span.end)
        });
        for (key, present) in [
            (HeaderKey::Title, seen.contains_key(&HeaderKey::Title)),
            (
                HeaderKey::Effective,
                seen.contains_key(&HeaderKey::Effective),
            ),
            (HeaderKey::Currency, seen.contains_key(&HeaderKey::Currency)),
            (HeaderKey::TimeZone, seen.contains_key(&HeaderKey::TimeZone)),
        ] {
            if !present {
                self.report(
                    Problem::new(
                        ProblemKind::MissingHeader {
                            field: key.words().to_owned(),
                        },
                        end_of_header,
                    )
                    .with_term(header_key_text(key))
                    .with_label(Text::new("the header ends here", "表頭到這裡結束"))
                    .with_help(Text::new(
                        format!("add a line such as `{}`", header_example(key)),
                        format!("加上一行，例如 `{}`", header_example_chinese(key)),
                    )),
                );
            }
        }
        if let (Some((effective_date, effective_text)), Some((until_date, until_text))) =
            (effective, until)
            && until_date < effective_date
        {
            self.report(
                Problem::new(
                    ProblemKind::UntilBeforeEffective {
                        until: until_text.value.clone(),
                        effective: effective_text.value.clone(),
                    },
                    until_text.span,
                )
                .with_label(Text::new("before the effective date", "早於生效日期"))
                .with_related(effective_text.span, Text::new("effective date", "生效日期"))
                .with_help(Text::new(
                    "`in force until` is the last day the version is in force",
                    format!(
                        "`{}` 是此版本有效的最後一天",
                        header_key_chinese(HeaderKey::InForceUntil)
                    ),
                )),
            );
        }
        if let Some((effective_date, effective_text)) = effective {
            for (repealed, text) in &repeals {
                if repealed >= &effective_date {
                    self.report(
                        Problem::new(
                            ProblemKind::RepealNotOlder {
                                repealed: text.value.clone(),
                                effective: effective_text.value.clone(),
                            },
                            text.span,
                        )
                        .with_label(Text::new(
                            "not older than the effective date",
                            "不早於生效日期",
                        ))
                        .with_related(effective_text.span, Text::new("effective date", "生效日期"))
                        .with_help(Text::new(
                            "a version can only repeal an older one; check both dates",
                            "版本只能廢止比它早的版本；請核對兩個日期",
                        )),
                    );
                }
            }
        }
        Some(Header {
            title: title?,
            effective: effective?.0,
            in_force_until: until.map(|(date, _)| date),
            repeals: repeals.into_iter().map(|(date, _)| date).collect(),
            currency: currency?,
            time_zone: time_zone?,
            document: fields,
        })
    }

    fn date(&mut self, text: &Spanned<String>) -> Option<NaiveDate> {
        match NaiveDate::parse_from_str(&text.value, "%Y-%m-%d") {
            Ok(date) => Some(date),
            Err(_) => {
                self.report(
                    Problem::new(
                        ProblemKind::BadDate {
                            text: text.value.clone(),
                        },
                        text.span,
                    )
                    .with_label(Text::new("no such day", "沒有這一天"))
                    .with_help(Text::new(
                        "write a date that exists, as `YYYY-MM-DD`",
                        "請寫一個存在的日期，格式為 `YYYY-MM-DD`",
                    )),
                );
                None
            }
        }
    }

    fn offset(&mut self, text: &Spanned<String>) -> Option<FixedOffset> {
        let value = text.value.as_str();
        if value == "UTC" || value == "Z" {
            return FixedOffset::east_opt(0);
        }
        let parsed = (|| {
            let sign = match value.get(..1)? {
                "+" => 1,
                "-" => -1,
                _ => return None,
            };
            let hours: i32 = value.get(1..3)?.parse().ok()?;
            let minutes: i32 = value.get(4..6)?.parse().ok()?;
            if hours > 23 || minutes > 59 {
                return None;
            }
            FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
        })();
        if parsed.is_none() {
            self.report(
                Problem::new(
                    ProblemKind::BadTimeZone {
                        text: value.to_owned(),
                    },
                    text.span,
                )
                .with_help(Text::new(
                    "write an offset from UTC between `-23:59` and `+23:59`, such as `+08:00`",
                    "請寫與 UTC 相差 `-23:59` 至 `+23:59` 之間的時差，例如 `+08:00`",
                )),
            );
        }
        parsed
    }

    // ── Sections and names ───────────────────────────────────────────────────────────────

    fn sections(&mut self, document: &Document) -> BTreeMap<u32, (Section, Span)> {
        let mut sections = BTreeMap::new();
        for item in &document.items {
            if let Item::Section(section) = item {
                let number = section.number.value;
                if let Some((_, first)) = sections.get(&number) {
                    self.report(
                        Problem::new(
                            ProblemKind::DuplicateSection {
                                section: number.to_string(),
                            },
                            section.number.span,
                        )
                        .with_related(*first, Text::new("first declared here", "第一次聲明在這裡")),
                    );
                    continue;
                }
                sections.insert(
                    number,
                    (
                        Section {
                            number,
                            title: section.title.clone(),
                        },
                        section.span,
                    ),
                );
            }
        }
        sections
    }

    /// Records the names events use for the kinds and measures the file names otherwise.
    fn declare_event_names(&mut self, document: &Document) {
        for item in &document.items {
            let (name, event_name, span, names) = match item {
                Item::Kind(decl) => (
                    &decl.name,
                    &decl.event_name,
                    decl.span,
                    &mut self.kind_names,
                ),
                Item::Measure(decl) => match &decl.event_name {
                    Some(event_name) => {
                        (&decl.name, event_name, decl.span, &mut self.measure_names)
                    }
                    None => continue,
                },
                _ => continue,
            };
            match names.get(&name.value) {
                Some((first, first_span)) if *first != event_name.value => {
                    let first_span = *first_span;
                    let problem = Problem::new(
                        ProblemKind::TwoEventNames {
                            name: name.value.clone(),
                            first: first.clone(),
                            second: event_name.value.clone(),
                        },
                        event_name.span,
                    )
                    .with_label(Text::new("named again here", "這裡又起了一個名稱"))
                    .with_related(
                        first_span,
                        Text::new("first named here", "第一次在這裡命名"),
                    )
                    .with_help(Text::new("keep one name", "只保留一個名稱"));
                    self.report(problem);
                }
                Some(_) => {}
                None => {
                    names.insert(name.value.clone(), (event_name.value.clone(), span));
                }
            }
        }
        let mut declared: Vec<(&String, &(String, Span))> = self.kind_names.iter().collect();
        declared.sort_by_key(|(_, (_, span))| span.start);
        for (name, (event_name, _)) in declared {
            self.written_kinds
                .entry(event_name.clone())
                .or_insert_with(|| name.clone());
        }
    }

    /// The name events use for the kind the file calls `name`.
    fn event_kind(&self, name: &str) -> String {
        self.kind_names
            .get(name)
            .map_or(name, |(event_name, _)| event_name)
            .to_owned()
    }

    /// Interns every kind a rule is about or the file declares, so that later references
    /// can be resolved. A file that declares its event kinds (`事件 遲到（late）`) must declare
    /// every kind its rules are about, and have a rule about every kind it declares: without
    /// spaces between words, a comma left out makes a new kind of the rest of the clause.
    fn define_kinds(&mut self, document: &Document) {
        let declares = !self.kind_names.is_empty();
        let mut used: HashSet<String> = HashSet::new();
        let mut undeclared: Vec<String> = Vec::new();
        for item in &document.items {
            let kinds: Vec<&Spanned<String>> = match item {
                Item::Kind(decl) => {
                    self.kinds.intern(&decl.event_name.value);
                    continue;
                }
                Item::Rule(rule) => match &rule.body {
                    RuleBody::Occurrence { kind, .. } | RuleBody::Banded { kind, .. } => {
                        vec![kind]
                    }
                    RuleBody::Recorded { kinds } => kinds.iter().collect(),
                    RuleBody::Period { .. } | RuleBody::Escalation { .. } => continue,
                },
                Item::Section(_) | Item::Measure(_) => continue,
            };
            for kind in kinds {
                let event_name = self.event_kind(&kind.value);
                if declares && !self.is_declared_kind(&kind.value) {
                    let problem = self.undeclared_kind(kind);
                    self.report(problem);
                    undeclared.push(kind.value.clone());
                }
                used.insert(event_name.clone());
                self.kinds.intern(&event_name);
            }
        }
        // A declared kind that an undeclared one begins with is the same mistake, told once.
        let mut unused: Vec<(&String, Span)> = self
            .kind_names
            .iter()
            .filter(|(_, (event_name, _))| !used.contains(event_name))
            .filter(|(name, _)| !undeclared.iter().any(|u| u.starts_with(name.as_str())))
            .map(|(name, (_, span))| (name, *span))
            .collect();
        unused.sort_by_key(|(_, span)| span.start);
        let problems: Vec<Problem> = unused
            .into_iter()
            .map(|(name, span)| {
                Problem::new(ProblemKind::UnusedKind { kind: name.clone() }, span)
                    .with_label(Text::new("no rule is about it", "沒有規則針對它"))
                    .with_help(Text::new(
                        "give it a rule, if only `…: no consequence`, or remove this line",
                        "為它寫一條規則，哪怕只是 `…：不予處理`；或刪去這一行",
                    ))
            })
            .collect();
        for problem in problems {
            self.report(problem);
        }
    }

    /// "Measure … is not declared", with the likeliest fix: a negation written inside a
    /// declared flag's name (`情節不嚴重` for not `情節嚴重`), or a declared name close to it.
    fn undeclared_measure(&mut self, measure: &Spanned<String>) -> Problem {
        let text = measure.value.as_str();
        let negated = ["不", "未", "非"].iter().find_map(|not| {
            let without = text.replacen(not, "", 1);
            (without != text && self.measure_names.contains_key(&without)).then_some(without)
        });
        let suggest = self.suggestions < MAX_SUGGESTIONS;
        if suggest {
            self.suggestions += 1;
        }
        let declared = || self.measure_names.keys().map(String::as_str);
        let help = if let Some(flag) = negated {
            Text::new(
                format!(
                    "to test that `{flag}` does not hold, write the negation first: `非{flag}時`"
                ),
                format!(
                    "要表示不是 `{}`，把否定寫在前面：`非{}時`",
                    verbatim(&flag),
                    verbatim(&flag)
                ),
            )
        } else if let Some(name) = suggest.then(|| did_you_mean(text, declared())).flatten() {
            did_you_mean_text(name)
        } else {
            Text::new(
                format!("declare it: `measure {text} (the name events use): number`"),
                format!(
                    "請聲明它：`計量 {}（事件流中的名稱）：數值`",
                    verbatim(text)
                ),
            )
        };
        Problem::new(
            ProblemKind::UndeclaredMeasure {
                measure: text.to_owned(),
            },
            measure.span,
        )
        .with_label(Text::new("not declared", "沒有聲明"))
        .with_help(help)
    }

    /// Kind `id` as the file writes it: its own name when it declares one (the first, if
    /// several), else the name events use.
    fn kind_written(&self, id: u32) -> String {
        let event_name = self.kinds.name(id);
        self.written_kinds
            .get(event_name)
            .map_or(event_name, String::as_str)
            .to_owned()
    }

    /// Whether the file declares `name`, by its own name or by the name events use.
    fn is_declared_kind(&self, name: &str) -> bool {
        self.kind_names.contains_key(name) || self.written_kinds.contains_key(name)
    }

    /// "Event kind … is not declared", with the likeliest fix: a comma after a declared kind
    /// the text begins with (`私用電話超過3分鐘`), or a declared kind close to it.
    fn undeclared_kind(&mut self, kind: &Spanned<String>) -> Problem {
        let text = kind.value.as_str();
        // The longest declared name the text begins with: one lookup per character.
        let prefix = text
            .char_indices()
            .rev()
            .filter(|&(at, _)| at > 0)
            .map(|(at, _)| text.get(..at).unwrap_or(""))
            .find(|start| self.kind_names.contains_key(*start));
        let suggest = self.suggestions < MAX_SUGGESTIONS;
        if suggest {
            self.suggestions += 1;
        }
        let help = if let Some(prefix) = prefix {
            let rest = &text[prefix.len()..];
            Text::new(
                format!("a comma may be missing: write `{prefix}, {rest}`"),
                format!(
                    "可能少了逗號：寫成 `{}，{}`",
                    verbatim(prefix),
                    verbatim(rest)
                ),
            )
        } else if let Some(name) = suggest
            .then(|| did_you_mean(text, self.kind_names.keys().map(String::as_str)))
            .flatten()
        {
            did_you_mean_text(name)
        } else {
            Text::new(
                format!("declare it: `event {text} (the name events use)`"),
                format!("請聲明它：`事件 {}（事件流中的名稱）`", verbatim(text)),
            )
        };
        Problem::new(
            ProblemKind::UndeclaredKind {
                kind: text.to_owned(),
            },
            kind.span,
        )
        .with_label(Text::new("not declared", "沒有聲明"))
        .with_help(help)
    }

    /// The id of a kind some rule defines, or an "unknown event kind" problem.
    fn kind_id(&mut self, kind: &Spanned<String>) -> Option<KindId> {
        if let Some(id) = self.kinds.id(&self.event_kind(&kind.value)) {
            return Some(KindId::new(id));
        }
        let suggestion = if self.suggestions < MAX_SUGGESTIONS {
            self.suggestions += 1;
            // The file's own names first, then the names events use.
            let names = self
                .kind_names
                .keys()
                .map(String::as_str)
                .chain(self.kinds.iter().map(|(_, name)| name));
            did_you_mean(&kind.value, names).map(did_you_mean_text)
        } else {
            None
        };
        self.report(
            Problem::new(
                ProblemKind::UnknownKind {
                    kind: kind.value.clone(),
                },
                kind.span,
            )
            .with_label(Text::new(
                "no rule is about this kind",
                "沒有任何規則針對這種事件",
            ))
            .with_help_opt(suggestion.or_else(|| {
                Some(Text::new(
                    "every kind named here needs a rule of its own, if only `…: no consequence`",
                    "這裡提到的每種事件都要有自己的規則，哪怕只是 `…：不予處理`",
                ))
            })),
        );
        None
    }

    /// Interns each declared measure and records its type.
    fn declare_measures(&mut self, document: &Document) {
        for item in &document.items {
            let Item::Measure(decl) = item else { continue };
            let Some(id) = self.intern_measure(&decl.name) else {
                continue;
            };
            if let Some((_, first)) = self.declared.get(&id) {
                let first = *first;
                self.report(
                    Problem::new(
                        ProblemKind::DuplicateMeasure {
                            measure: decl.name.value.clone(),
                        },
                        decl.name.span,
                    )
                    .with_label(Text::new("declared again here", "這裡又聲明了一次"))
                    .with_related(first, Text::new("first declared here", "第一次聲明在這裡"))
                    .with_help(Text::new("keep one declaration", "只保留一個聲明")),
                );
                continue;
            }
            self.declared.insert(id, (decl.kind, decl.name.span));
        }
    }

    fn intern_measure(&mut self, measure: &Spanned<String>) -> Option<u32> {
        let name = self
            .measure_names
            .get(&measure.value)
            .map_or(measure.value.as_str(), |(event_name, _)| event_name);
        let id = self.measures.intern(name);
        if id.is_none() {
            self.report(Problem::too_large(
                Text::new("list of measures", "計量清單"),
                measure.value.clone(),
                measure.span,
            ));
        }
        id
    }

    /// The id of a measure used as `usage` (a number, a flag or text), after checking that
    /// use against its declaration or its first use.
    fn measure(&mut self, measure: &Spanned<String>, usage: MeasureType) -> Option<MeasureId> {
        let id = self.intern_measure(measure)?;
        // A file that names its measures as events do must declare them all: 情節不嚴重 is
        // not a way to say "not 情節嚴重".
        if !self.measure_names.is_empty()
            && !self.declared.contains_key(&id)
            && self.undeclared_measures.insert(id)
        {
            let problem = self.undeclared_measure(measure);
            self.report(problem);
        }
        let fits = |known: MeasureType| match usage {
            MeasureType::WholeNumber | MeasureType::Number => {
                matches!(known, MeasureType::WholeNumber | MeasureType::Number)
            }
            other => known == other,
        };
        let declared = self.declared.contains_key(&id);
        let known = self
            .declared
            .get(&id)
            .or_else(|| self.used.get(&id))
            .copied();
        match known {
            Some((known, _)) if fits(known) => {}
            Some((known, span)) => {
                self.report(
                    Problem::new(
                        ProblemKind::MeasureTypeMismatch {
                            measure: measure.value.clone(),
                            here: usage.words().to_owned(),
                            elsewhere: known.words().to_owned(),
                        },
                        measure.span,
                    )
                    .with_term(usage.text())
                    .with_term(known.text())
                    .with_label(Text::new(
                        format!("used as a {} here", usage.words()),
                        format!("這裡當作{}使用", usage.chinese_words()),
                    ))
                    .with_related(
                        span,
                        if declared {
                            Text::new("declared here", "在這裡聲明")
                        } else {
                            Text::new("first used here", "第一次在這裡使用")
                        },
                    )
                    .with_help(Text::new(
                        "use a different name for each kind of value",
                        "每種值請用不同的名稱",
                    )),
                );
                return None;
            }
            None => {
                self.used.insert(id, (usage, measure.span));
            }
        }
        Some(MeasureId::new(id))
    }

    /// The type of every measure: declared, or else as first used.
    fn measure_types(&self) -> Vec<MeasureType> {
        self.measures
            .iter()
            .map(|(id, _)| {
                self.declared
                    .get(&id)
                    .or_else(|| self.used.get(&id))
                    .map_or(MeasureType::Number, |(kind, _)| *kind)
            })
            .collect()
    }

    // ── Conditions and consequences ──────────────────────────────────────────────────────

    fn conditions(&mut self, conditions: &[ast::Condition]) -> Option<Vec<Condition>> {
        let mut compiled = Vec::new();
        let mut ok = true;
        for condition in conditions {
            match condition {
                ast::Condition::Compare {
                    measure, op, value, ..
                } => match self.measure(measure, MeasureType::Number) {
                    Some(measure) => compiled.push(Condition::Compare {
                        measure,
                        op: *op,
                        value: value.value,
                    }),
                    None => ok = false,
                },
                ast::Condition::Flag { measure, expected } => {
                    match self.measure(measure, MeasureType::Flag) {
                        Some(measure) => compiled.push(Condition::Flag {
                            measure,
                            expected: *expected,
                        }),
                        None => ok = false,
                    }
                }
            }
        }
        ok.then_some(compiled)
    }

    fn consequences(
        &mut self,
        label: &str,
        consequences: &[ast::Consequence],
        place: Place,
    ) -> Option<Vec<Consequence>> {
        let mut compiled = Vec::new();
        let mut ok = true;
        let mut amount_targets: Vec<(&ast::Target, Span)> = Vec::new();
        for consequence in consequences {
            let result = match consequence {
                ast::Consequence::Money {
                    direction,
                    amount,
                    target,
                    span,
                } => {
                    // The person at fault is also one of every person named.
                    let same_people = |t: &ast::Target| {
                        t == target
                            || matches!(
                                (t, target),
                                (ast::Target::Actor, ast::Target::EveryPersonNamed)
                                    | (ast::Target::EveryPersonNamed, ast::Target::Actor)
                            )
                    };
                    if let Some((_, first)) = amount_targets.iter().find(|(t, _)| same_people(t)) {
                        self.report(
                            Problem::new(
                                ProblemKind::TwoAmounts {
                                    label: label.to_owned(),
                                    target: target_text(target).english().to_owned(),
                                },
                                *span,
                            )
                            .with_term(target_text(target))
                            .with_related(*first, Text::new("first amount", "第一個金額"))
                            .with_help(Text::new(
                                "keep one amount per person in a rule",
                                "一條規則只能給每個人一個金額",
                            )),
                        );
                        ok = false;
                        continue;
                    }
                    amount_targets.push((target, *span));
                    self.money_consequence(*direction, amount, target, *span, place)
                }
                ast::Consequence::Dismissal { when, span } => {
                    self.outcome(OutcomeKind::Dismissal, when.as_ref(), *span, place)
                }
                ast::Consequence::Remedy { when, span } => {
                    self.outcome(OutcomeKind::Remedy, when.as_ref(), *span, place)
                }
                ast::Consequence::Promotion {
                    grades,
                    when,
                    approval,
                    span,
                } => self
                    .at_least_one(("grades", "晉升級數"), grades)
                    .and_then(|grades| {
                        let approval = if *approval {
                            let flag = Spanned::new(APPROVAL_FLAG.to_owned(), *span);
                            Some(self.measure(&flag, MeasureType::Flag)?)
                        } else {
                            None
                        };
                        self.outcome(
                            OutcomeKind::Promotion { grades, approval },
                            when.as_ref(),
                            *span,
                            place,
                        )
                    }),
                ast::Consequence::CountsAs { kind, span } => {
                    if place == Place::Period {
                        self.not_allowed(Text::new("`counts as`", " `視為`"), *span);
                        None
                    } else if consequences.len() > 1 {
                        self.report(
                            Problem::not_allowed(
                                Text::new(
                                    "`counts as` beside other consequences",
                                    "與其他後果並列的 `視為`",
                                ),
                                Text::new(
                                    format!("rule `{label}`"),
                                    format!("規則 `{}` ", verbatim(label)),
                                ),
                                *span,
                            )
                            .with_help(Text::new(
                                "an event that counts as another kind gets that kind's consequences; give the others to that kind's rule",
                                "視為另一種事件的事件，會得到那種事件的後果；其他後果請寫進那種事件的規則",
                            )),
                        );
                        None
                    } else {
                        self.kind_id(kind).map(Consequence::CountsAs)
                    }
                }
            };
            match result {
                Some(consequence) => compiled.push(consequence),
                None => ok = false,
            }
        }
        ok.then_some(compiled)
    }

    /// `what` cannot be used in a period rule.
    fn not_allowed(&mut self, what: Text, span: Span) {
        self.report(Problem::not_allowed(
            what,
            Text::new("a period rule", "週期規則"),
            span,
        ));
    }

    fn money_consequence(
        &mut self,
        direction: Direction,
        amount: &ast::Amount,
        target: &ast::Target,
        span: Span,
        place: Place,
    ) -> Option<Consequence> {
        if place == Place::Period && !matches!(amount, ast::Amount::Fixed { .. }) {
            self.not_allowed(
                Text::new("an amount that depends on the event", "隨事件而定的金額"),
                span,
            );
            return None;
        }
        let target = match target {
            ast::Target::Actor => Target::Actor,
            ast::Target::EveryPersonNamed if place == Place::Period => {
                self.not_allowed(
                    Text::new("`for every person named`", " `所有在場人員`"),
                    span,
                );
                return None;
            }
            ast::Target::EveryPersonNamed => Target::EveryPersonNamed,
            ast::Target::Related(role) => Target::Related(self.measure(role, MeasureType::Text)?),
        };
        let (amount, unit) = match amount {
            ast::Amount::Fixed { value, unit } => (Amount::Fixed(self.money(value)?), *unit),
            ast::Amount::Range { low, high, unit } => {
                let amount = Spanned::new(AMOUNT_MEASURE.to_owned(), span);
                self.measure(&amount, MeasureType::Number)?;
                let (low_money, high_money) = (self.money(low), self.money(high));
                let (low_money, high_money) = (low_money?, high_money?);
                if low_money >= high_money {
                    let (low_text, high_text) = (low.value.to_string(), high.value.to_string());
                    let problem = if low_money == high_money {
                        Problem::new(
                            ProblemKind::EmptyRange {
                                low: low_text.clone(),
                                high: high_text,
                            },
                            Span::new(low.span.start, high.span.end),
                        )
                        .with_label(Text::new("a single amount", "只有一個金額"))
                        .with_help(Text::new(
                            format!("for a fixed amount, write just `{low_text}`"),
                            format!("固定金額只要寫 `{low_text}`"),
                        ))
                    } else {
                        Problem::new(
                            ProblemKind::ReversedRange {
                                low: low_text.clone(),
                                high: high_text.clone(),
                            },
                            Span::new(low.span.start, high.span.end),
                        )
                        .with_label(low_end_first())
                        .with_help(reversed_range_help(&high_text, &low_text))
                    };
                    self.report(problem);
                    return None;
                }
                (
                    Amount::Range {
                        low: low_money,
                        high: high_money,
                    },
                    *unit,
                )
            }
            ast::Amount::PerUnit {
                rate,
                unit,
                measure,
                beyond,
            } => {
                let rate = self.money(rate);
                let measure = self.measure(measure, MeasureType::Number);
                (
                    Amount::PerUnit {
                        rate: rate?,
                        measure: measure?,
                        beyond: beyond.as_ref().map_or(Decimal::ZERO, |b| b.value),
                    },
                    *unit,
                )
            }
            ast::Amount::Percent { percent, of } => {
                if percent.value <= Decimal::ZERO {
                    self.report(Problem::new(
                        ProblemKind::NotPositive {
                            text: format!("{}%", percent.value),
                        },
                        percent.span,
                    ));
                    return None;
                }
                (
                    Amount::Percent {
                        percent: percent.value,
                        of: self.measure(of, MeasureType::Number)?,
                    },
                    Unit::Currency,
                )
            }
            ast::Amount::Schedule(steps) => {
                let mut compiled = Vec::new();
                let unit = steps.first().map_or(Unit::Currency, |step| step.unit);
                if steps.iter().any(|step| step.unit != unit) {
                    self.report(
                        Problem::new(
                            ProblemKind::MixedUnits {
                                what: "the schedule".to_owned(),
                            },
                            span,
                        )
                        .with_term(Text::new("the schedule", "分次金額"))
                        .with_label(Text::new(
                            "some steps in points, some in money",
                            "有的一步是積分，有的是金額",
                        ))
                        .with_help(Text::new(
                            "write `points` after every step, or after none",
                            "每一步都寫 `積分`，或者都不寫",
                        )),
                    );
                    return None;
                }
                for step in steps {
                    let money = self.money(&step.value);
                    let nth = self.nth(&step.nth);
                    compiled.push((nth?, money?));
                }
                (Amount::Schedule(compiled), unit)
            }
        };
        Some(Consequence::Money {
            direction,
            amount,
            unit,
            target,
        })
    }

    fn outcome(
        &mut self,
        kind: OutcomeKind,
        when: Option<&ast::OutcomeWhen>,
        span: Span,
        place: Place,
    ) -> Option<Consequence> {
        if place == Place::Period && when.is_some() {
            self.not_allowed(
                Text::new("a condition on an outcome", "對處分所加的條件"),
                span,
            );
            return None;
        }
        let when = match when {
            None => None,
            Some(ast::OutcomeWhen::Flag { measure, expected }) => Some(OutcomeCondition::Flag {
                measure: self.measure(measure, MeasureType::Flag)?,
                expected: *expected,
            }),
            Some(ast::OutcomeWhen::Ordinal(nth)) => Some(OutcomeCondition::Ordinal(self.nth(nth)?)),
        };
        Some(Consequence::Outcome(Outcome { kind, when }))
    }

    /// An amount written in the file, as exact money above zero.
    fn money(&mut self, value: &Spanned<Decimal>) -> Option<Money> {
        let text = value.value.to_string();
        let largest = Money::from_major(MAX_RULE_AMOUNT).unwrap_or(Money::MAX);
        let problem = match Money::from_decimal(value.value) {
            Ok(money) if money.is_positive() && money <= largest => return Some(money),
            Ok(money) if money.is_positive() => too_large_amount(text, value.span),
            Ok(_) => Problem::new(ProblemKind::NotPositive { text }, value.span)
                .with_label(Text::new("must be more than zero", "必須大於零"))
                .with_help(Text::new(
                    "a fine or reward is a positive amount; `fine` and `reward` give its direction",
                    "罰款和獎勵都是正數；`扣罰` 或 `獎勵` 表示方向",
                )),
            Err(MoneyError::FractionOfMinorUnit) => {
                Problem::new(ProblemKind::FractionOfMinorUnit { text }, value.span)
                    .with_label(Text::new("a fraction of a fen", "不足一分"))
                    .with_help(Text::new(
                        "amounts are exact to the fen: at most two decimals",
                        "金額精確到分：最多兩位小數",
                    ))
            }
            Err(MoneyError::TooLarge | MoneyError::NotANumber) => {
                too_large_amount(text, value.span)
            }
        };
        self.report(problem);
        None
    }

    /// `value`, a `what` (in English and Chinese), unless it is zero.
    fn at_least_one(&mut self, what: (&str, &str), value: &Spanned<u32>) -> Option<u32> {
        if value.value == 0 {
            let (english, chinese) = what;
            self.report(
                Problem::new(
                    ProblemKind::Zero {
                        what: english.to_owned(),
                        text: value.value.to_string(),
                    },
                    value.span,
                )
                .with_term(Text::new(english, chinese)),
            );
            return None;
        }
        Some(value.value)
    }

    /// A rulebook states at least one rule that judges events or periods: a header alone, or
    /// a file cut off before its rules (saved while it was being read), is not a rulebook.
    /// An escalation alone has nothing to escalate.
    fn some_rule(&mut self, document: &Document) {
        let judges = |item: &Item| {
            matches!(
                item,
                Item::Rule(ast::Rule {
                    body: RuleBody::Occurrence { .. }
                        | RuleBody::Banded { .. }
                        | RuleBody::Recorded { .. }
                        | RuleBody::Period { .. },
                    ..
                })
            )
        };
        if document.items.iter().any(judges) {
            return;
        }
        let end = document
            .items
            .iter()
            .map(|item| match item {
                Item::Section(s) => s.span.end,
                Item::Measure(m) => m.span.end,
                Item::Kind(k) => k.span.end,
                Item::Rule(r) => r.span.end,
            })
            .chain(document.header.iter().map(|field| field.span.end))
            .max()
            .unwrap_or(0);
        self.report(
            Problem::new(ProblemKind::NoRules, Span::new(end, end))
                .with_label(Text::new("the rules end here", "規則到這裡就結束了"))
                .with_help(Text::new(
                    "write at least one rule, such as `1.1 messy desk: fine 15`; a file read while it was being saved ends early like this",
                    "至少寫一條規則，如 `1.1 桌面雜亂：扣罰15元`；在保存途中被讀取的文件也會這樣提前結束",
                )),
        );
    }

    /// An escalation's multiplier, unless it is over [`MAX_MULTIPLIER`].
    fn at_most_multiplier(&mut self, factor: u32, span: Span) -> Option<u32> {
        if factor <= MAX_MULTIPLIER {
            return Some(factor);
        }
        self.report(
            Problem::too_large(Text::new("multiplier", "倍數"), factor.to_string(), span)
                .with_label(Text::new("too large a multiplier", "倍數太大"))
                .with_help(Text::new(
                    format!("an escalation multiplies by at most {MAX_MULTIPLIER}"),
                    format!("加重處罰的倍數最多是 {MAX_MULTIPLIER}"),
                )),
        );
        None
    }

    /// How many recent bases an escalation compares, unless over [`MAX_LAST_ENTRIES`]: each
    /// entry looks at that many.
    fn at_most_last(&mut self, count: u32, span: Span) -> Option<u32> {
        if count <= MAX_LAST_ENTRIES {
            return Some(count);
        }
        self.report(
            Problem::too_large(Text::new("count", "次數"), count.to_string(), span)
                .with_label(Text::new("too many bases to compare", "要比較的次數太多"))
                .with_help(Text::new(
                    format!(
                        "an escalation compares the last {MAX_LAST_ENTRIES} bases at most; for more, say `the heaviest base so far`"
                    ),
                    format!("加重處罰最多比較最近 {MAX_LAST_ENTRIES} 次的基數；要比較更多，請改為比較至今最重的基數"),
                )),
        );
        None
    }

    fn nth(&mut self, nth: &Spanned<Nth>) -> Option<Nth> {
        let n = match nth.value {
            Nth::Only(n) | Nth::From(n) | Nth::Every(n) => n,
        };
        self.at_least_one(("ordinal", "序數"), &Spanned::new(n, nth.span))?;
        Some(nth.value)
    }

    fn bands(&mut self, label: &str, kind: &str, bands: &[ast::Band]) -> Option<Vec<Band>> {
        let mut compiled: Vec<(Band, Span)> = Vec::new();
        let mut ok = true;
        for band in bands {
            let range = match &band.range {
                ast::BandRange::Between(low, high) => {
                    if low.value > high.value {
                        self.report(
                            Problem::new(
                                ProblemKind::ReversedRange {
                                    low: low.value.to_string(),
                                    high: high.value.to_string(),
                                },
                                Span::new(low.span.start, high.span.end),
                            )
                            .with_label(low_end_first())
                            .with_help(reversed_range_help(
                                &high.value.to_string(),
                                &low.value.to_string(),
                            )),
                        );
                        ok = false;
                        continue;
                    }
                    Interval {
                        low: std::ops::Bound::Included(low.value),
                        high: std::ops::Bound::Included(high.value),
                    }
                }
                ast::BandRange::Compare(op, value) => Interval::from_comparison(*op, value.value),
            };
            let Some(consequences) = self.consequences(label, &band.consequences, Place::Band)
            else {
                ok = false;
                continue;
            };
            if let Some((_, other)) = compiled
                .iter()
                .find(|(earlier, _)| !earlier.range.intersect(&range).is_empty())
            {
                self.report(
                    Problem::new(
                        ProblemKind::OverlappingBands {
                            kind: kind.to_owned(),
                            band: band_text(&band.range).english().to_owned(),
                            other: self_band_text(bands, *other).english().to_owned(),
                        },
                        band.span,
                    )
                    .with_term(band_text(&band.range))
                    .with_term(self_band_text(bands, *other))
                    .with_label(Text::new("overlaps the earlier band", "與前面的分段重疊"))
                    .with_related(*other, Text::new("the earlier band", "前面的分段"))
                    .with_help({
                        let shared = range.intersect(&compiled_range(&compiled, *other));
                        Text::new(
                            format!(
                                "values {} fall in both; each value may fall in one band only",
                                crate::vocab::interval_words(&shared)
                            ),
                            format!(
                                "{}的值同時落在兩個分段；每個值只能落在一個分段",
                                interval_chinese(&shared)
                            ),
                        )
                    }),
                );
                ok = false;
                continue;
            }
            compiled.push((
                Band {
                    range,
                    consequences,
                },
                band.span,
            ));
        }
        ok.then(|| compiled.into_iter().map(|(band, _)| band).collect())
    }

    fn period_test(&mut self, test: &ast::PeriodTest) -> Option<PeriodTest> {
        match test {
            ast::PeriodTest::Absent { group, kinds } => {
                let ids: Vec<Option<KindId>> = kinds.iter().map(|k| self.kind_id(k)).collect();
                ids.into_iter()
                    .collect::<Option<Vec<_>>>()
                    .map(|kinds| PeriodTest::Absent {
                        group: group.as_ref().map(|g| g.value.clone()),
                        kinds,
                    })
            }
            ast::PeriodTest::Count { op, count, kind } => Some(PeriodTest::Count {
                op: *op,
                count: count.value,
                kind: self.kind_id(kind)?,
            }),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn escalation(
        &mut self,
        label: &str,
        window: crate::vocab::Period,
        nth: &Spanned<Nth>,
        counts: Direction,
        counted_sections: &[Spanned<u32>],
        effect: &ast::EscalationEffect,
        sections: &BTreeMap<u32, (Section, Span)>,
    ) -> Option<Escalation> {
        let mut ok = true;
        let nth = self.nth(nth);
        let mut numbers = Vec::new();
        for section in counted_sections {
            if sections.contains_key(&section.value) {
                numbers.push(section.value);
                continue;
            }
            let known: Vec<String> = sections.keys().map(|n| format!("`{n}`")).collect();
            let text = section.value.to_string();
            let help = match known.as_slice() {
                [] => Text::new(
                    "the file declares no sections; add a line such as `section 1: …`",
                    "文件沒有聲明任何章節；加上一行，例如 `一、…`",
                ),
                [one] => Text::new(
                    format!("the only section is {one}"),
                    format!("唯一的章節是 {one}"),
                ),
                [init @ .., last] => Text::new(
                    format!("the sections are {} and {last}", init.join(", ")),
                    format!("章節有 {} 和 {last}", init.join("、")),
                ),
            };
            self.report(
                Problem::new(ProblemKind::UnknownSection { section: text }, section.span)
                    .with_label(Text::new(
                        "no `section` line has this number",
                        "沒有任何章節用這個編號",
                    ))
                    .with_help(help),
            );
            ok = false;
        }
        let effect = match effect {
            ast::EscalationEffect::Multiply { factor, level } => {
                let factor = self
                    .at_least_one(("multiplier", "倍數"), factor)
                    .and_then(|n| self.at_most_multiplier(n, factor.span));
                let level = match level {
                    ast::Level::HeaviestSoFar => Some(Level::HeaviestSoFar),
                    ast::Level::HeaviestOfLast(n) => self
                        .at_least_one(("count", "次數"), n)
                        .and_then(|count| self.at_most_last(count, n.span))
                        .map(Level::HeaviestOfLast),
                    ast::Level::OwnBase => Some(Level::OwnBase),
                };
                EscalationEffect::Multiply {
                    factor: factor?,
                    level: level?,
                }
            }
            ast::EscalationEffect::Surcharge { amount, .. } => {
                EscalationEffect::Surcharge(self.money(amount)?)
            }
        };
        numbers.sort_unstable();
        numbers.dedup();
        (ok && nth.is_some()).then(|| Escalation {
            label: label.to_owned(),
            window,
            nth: nth.unwrap_or(Nth::Only(1)),
            counts,
            sections: numbers,
            effect,
        })
    }

    // ── Overlaps ─────────────────────────────────────────────────────────────────────────

    /// Reports each rule whose conditions can hold together with an earlier rule's for the
    /// same event kind.
    fn overlapping_rules(&mut self, rules: &[Located]) {
        // Each rule's requirements, with the rule, for the earlier rules of each kind.
        let mut by_kind: HashMap<KindId, Vec<(Vec<Requirement>, &Located)>> = HashMap::new();
        for located in rules {
            let earlier = by_kind.entry(located.rule.kind).or_default();
            if earlier.len() >= MAX_RULES_PER_KIND {
                // Reported once, at the first rule past the limit; the rest are not compared.
                if earlier.len() == MAX_RULES_PER_KIND {
                    let kind = self.kind_written(located.rule.kind.index() as u32);
                    self.problems.push(
                        Problem::new(
                            ProblemKind::TooManyRules {
                                what: format!("event kind `{kind}`"),
                                count: MAX_RULES_PER_KIND + 1,
                                limit: MAX_RULES_PER_KIND,
                            },
                            located.kind_span,
                        )
                        .with_term(Text::new(
                            format!("event kind `{kind}`"),
                            format!("事件類型 `{}` ", verbatim(&kind)),
                        ))
                        .with_help(Text::new(
                            "use bands (`… by rings: 1 to 3 fine 5, …`) or a ranged amount instead of one rule per value",
                            "請改用分段或金額範圍，不要每個值各寫一條規則",
                        )),
                    );
                    earlier.push((Vec::new(), located));
                }
                continue;
            }
            // Most kinds have one rule: requirements are worked out only when there is an
            // earlier rule to compare with (and then for it too, once).
            if earlier.is_empty() {
                earlier.push((Vec::new(), located));
                continue;
            }
            if let [(first, only)] = earlier.as_mut_slice()
                && first.is_empty()
            {
                *first = Requirement::of_rule(&only.rule);
            }
            let requirements = Requirement::of_rule(&located.rule);
            if let Some((_, other)) = earlier.iter().find(|(theirs, _)| {
                theirs
                    .iter()
                    .any(|t| requirements.iter().any(|r| t.compatible(r)))
            }) {
                let kind = self.kind_written(located.rule.kind.index() as u32);
                self.problems.push(
                    Problem::new(
                        ProblemKind::OverlappingRules {
                            kind,
                            label: located.rule.label.clone(),
                            other: other.rule.label.clone(),
                        },
                        located.kind_span,
                    )
                    .with_label(Text::new(
                        "a second rule for the same events",
                        "同樣事件的第二條規則",
                    ))
                    .with_related(other.span, Text::new("the earlier rule", "前面的規則"))
                    .with_help(Text::new(
                        "give each rule a condition the other excludes, or merge them into one",
                        "給每條規則加上對方所排除的條件，或把它們合併成一條",
                    )),
                );
            }
            earlier.push((requirements, located));
        }
    }

    /// Reports `counts as` links that lead back to where they started.
    fn counts_as_loops(&mut self, rules: &[Located]) {
        // The `counts as` links, kind → (kind, where the link is written).
        let mut links: HashMap<KindId, Vec<(KindId, Span)>> = HashMap::new();
        for located in rules {
            for consequence in located.rule.action.consequences() {
                if let Consequence::CountsAs(target) = consequence {
                    links
                        .entry(located.rule.kind)
                        .or_default()
                        .push((*target, located.span));
                }
            }
        }
        // Depth-first search, each kind once: an edge back to a kind on the current path
        // closes a loop. Linear in the number of links, whatever the file.
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            OnPath,
            Done,
        }
        let mut marks: HashMap<KindId, Mark> = HashMap::new();
        let mut starts: Vec<KindId> = links.keys().copied().collect();
        starts.sort_unstable();
        for start in starts {
            if marks.contains_key(&start) {
                continue;
            }
            // The path, with the index of the next link to follow from each kind on it.
            let mut path: Vec<(KindId, usize, Span)> = vec![(start, 0, Span::default())];
            marks.insert(start, Mark::OnPath);
            while let Some(&(kind, next, _)) = path.last() {
                let Some(&(target, span)) = links.get(&kind).and_then(|l| l.get(next)) else {
                    marks.insert(kind, Mark::Done);
                    path.pop();
                    continue;
                };
                if let Some(top) = path.last_mut() {
                    top.1 += 1;
                }
                match marks.get(&target) {
                    Some(Mark::OnPath) => {
                        let from = path.iter().position(|(k, _, _)| *k == target).unwrap_or(0);
                        let names: Vec<String> = path
                            .get(from..)
                            .unwrap_or(&[])
                            .iter()
                            .map(|(k, _, _)| *k)
                            .chain(std::iter::once(target))
                            .map(|k| self.kind_written(k.index() as u32))
                            .collect();
                        let quoted = |name: &String| format!("`{name}`");
                        let quoted_zh = |name: &String| format!("`{}`", verbatim(name));
                        let kinds = Text::new(
                            names
                                .iter()
                                .map(quoted)
                                .collect::<Vec<_>>()
                                .join(" counts as "),
                            names
                                .iter()
                                .map(quoted_zh)
                                .collect::<Vec<_>>()
                                .join(" 視為 "),
                        );
                        let at = path.get(from + 1).map_or(span, |(_, _, s)| *s);
                        self.problems.push(
                            Problem::new(
                                ProblemKind::CountsAsLoop {
                                    kinds: kinds.english().to_owned(),
                                },
                                at,
                            )
                            .with_term(kinds)
                            .with_help(Text::new(
                                "an event must end at a kind with consequences of its own",
                                "事件最終必須歸到一種有自己後果的事件類型",
                            )),
                        );
                    }
                    Some(Mark::Done) => {}
                    None => {
                        marks.insert(target, Mark::OnPath);
                        path.push((target, 0, span));
                    }
                }
            }
        }
    }

    /// Reports each amount `for their ROLE` in a rule that may judge an event naming several
    /// people (its kind, or a kind that counts as it, charges every person named): the event
    /// names one person in that role, and whose it would be is not said.
    fn related_in_collective(&mut self, rules: &[Located]) {
        let money = |rule: &Rule| -> Vec<Target> {
            rule.action
                .consequences()
                .filter_map(|c| match c {
                    Consequence::Money { target, .. } => Some(target.clone()),
                    _ => None,
                })
                .collect()
        };
        // The kinds whose events may name several people, and every kind they count as.
        let mut collective: Vec<KindId> = rules
            .iter()
            .filter(|r| money(&r.rule).contains(&Target::EveryPersonNamed))
            .map(|r| r.rule.kind)
            .collect();
        let mut at = 0;
        while let Some(&kind) = collective.get(at) {
            for located in rules.iter().filter(|r| r.rule.kind == kind) {
                for consequence in located.rule.action.consequences() {
                    if let Consequence::CountsAs(other) = consequence
                        && !collective.contains(other)
                    {
                        collective.push(*other);
                    }
                }
            }
            at += 1;
        }
        for located in rules {
            if !collective.contains(&located.rule.kind) {
                continue;
            }
            let Some(role) = money(&located.rule).into_iter().find_map(|t| match t {
                Target::Related(role) => Some(role),
                _ => None,
            }) else {
                continue;
            };
            let role = self.measures.name(role.index() as u32).to_owned();
            let kind = self.kind_written(located.rule.kind.index() as u32);
            self.problems.push(
                Problem::new(
                    ProblemKind::RelatedOfSeveral {
                        label: located.rule.label.clone(),
                        role: role.clone(),
                    },
                    located.span,
                )
                .with_label(Text::new(
                    format!("`{kind}` may name several people"),
                    format!("`{}` 的事件可能列出多人", verbatim(&kind)),
                ))
                .with_help(Text::new(
                    format!(
                        "an event names one {role}, not one for each person it names: charge every person named, or give the {role}'s amount a rule about events that name one person"
                    ),
                    format!(
                        "事件只列出一位{}，不是每人各一位：請改為向所有在場人員收取，或把{}的金額寫進只列出一人的事件的規則",
                        verbatim(&role),
                        verbatim(&role)
                    ),
                )),
            );
        }
    }

    /// Reports each escalation that counts amounts in money and in points: its heaviest base
    /// would compare yuan with points, and its surcharge would add one to the other.
    fn escalation_units(
        &mut self,
        rules: &[Located],
        escalations: &[(Escalation, Span)],
        surcharge_units: &[Option<Unit>],
    ) {
        for (index, (escalation, span)) in escalations.iter().enumerate() {
            // The first rule counted in each unit (and the surcharge's unit).
            let mut seen: Vec<(Unit, Option<&Located>)> = Vec::new();
            if let Some(Some(unit)) = surcharge_units.get(index) {
                seen.push((*unit, None));
            }
            for located in rules {
                let counted = escalations.iter().map(|(e, _)| e).position(|e| {
                    e.counts == escalation.counts
                        && (e.sections.is_empty()
                            || located
                                .rule
                                .section
                                .is_some_and(|s| e.sections.contains(&s)))
                }) == Some(index);
                if !counted {
                    continue;
                }
                for consequence in located.rule.action.consequences() {
                    if let Consequence::Money {
                        direction, unit, ..
                    } = consequence
                        && *direction == escalation.counts
                        && !seen.iter().any(|(u, _)| u == unit)
                    {
                        seen.push((*unit, Some(located)));
                    }
                }
            }
            if seen.len() < 2 {
                continue;
            }
            let what = format!("escalation `{}`", escalation.label);
            let mut problem = Problem::new(ProblemKind::MixedUnits { what: what.clone() }, *span)
                .with_term(Text::new(
                    what,
                    format!("累進規則 `{}` ", verbatim(&escalation.label)),
                ))
                .with_help(Text::new(
                    "count money and points in separate sections, with an escalation for each",
                    "請把金額和積分放在不同的章節，各寫一條累進規則",
                ));
            for (unit, located) in &seen {
                let Some(located) = located else { continue };
                let text = match unit {
                    Unit::Currency => Text::new("counted in money", "以金額計算"),
                    Unit::Points => Text::new("counted in points", "以積分計算"),
                };
                problem = problem.with_related(located.span, text);
            }
            self.problems.push(problem);
        }
    }

    fn overlapping_escalations(&mut self, escalations: &[(Escalation, Span)]) {
        for (index, (escalation, span)) in escalations.iter().enumerate() {
            let earlier = escalations.iter().take(index).find(|(other, _)| {
                other.counts == escalation.counts
                    && (other.sections.is_empty()
                        || escalation.sections.is_empty()
                        || other
                            .sections
                            .iter()
                            .any(|s| escalation.sections.contains(s)))
            });
            if let Some((other, other_span)) = earlier {
                let entries = match escalation.counts {
                    Direction::Fine => Text::new("fines", "罰款"),
                    Direction::Reward => Text::new("rewards", "獎勵"),
                };
                self.problems.push(
                    Problem::new(
                        ProblemKind::OverlappingEscalations {
                            label: escalation.label.clone(),
                            other: other.label.clone(),
                            entries: entries.english().to_owned(),
                        },
                        *span,
                    )
                    .with_term(entries)
                    .with_related(
                        *other_span,
                        Text::new("the earlier escalation", "前面的累進規則"),
                    )
                    .with_help(Text::new(
                        "count different sections in each, or merge them",
                        "讓兩者計算不同的章節，或把它們合併",
                    )),
                );
            }
        }
    }
}

/// What one rule requires of an event: an interval per numeric measure and a value per flag.
#[derive(Default, Clone)]
struct Requirement {
    intervals: HashMap<MeasureId, Interval>,
    flags: HashMap<MeasureId, bool>,
}

impl Requirement {
    fn of_conditions(conditions: &[Condition]) -> Requirement {
        let mut requirement = Requirement::default();
        for condition in conditions {
            match condition {
                Condition::Compare { measure, op, value } => {
                    let interval = Interval::from_comparison(*op, *value);
                    let entry = requirement
                        .intervals
                        .entry(*measure)
                        .or_insert(Interval::ALL);
                    *entry = entry.intersect(&interval);
                }
                Condition::Flag { measure, expected } => {
                    requirement.flags.insert(*measure, *expected);
                }
            }
        }
        requirement
    }

    /// The requirements a rule makes: one per band for a banded rule.
    fn of_rule(rule: &Rule) -> Vec<Requirement> {
        let base = Requirement::of_conditions(&rule.conditions);
        match &rule.action {
            Action::Banded { measure, bands } => bands
                .iter()
                .map(|band| {
                    let mut requirement = base.clone();
                    let entry = requirement
                        .intervals
                        .entry(*measure)
                        .or_insert(Interval::ALL);
                    *entry = entry.intersect(&band.range);
                    requirement
                })
                .collect(),
            _ => vec![base],
        }
    }

    fn compatible(&self, other: &Requirement) -> bool {
        let intervals = self.intervals.iter().all(|(measure, interval)| {
            other
                .intervals
                .get(measure)
                .is_none_or(|o| !o.intersect(interval).is_empty())
        });
        let flags = self
            .flags
            .iter()
            .all(|(measure, value)| other.flags.get(measure).is_none_or(|o| o == value));
        intervals && flags
    }
}

/// Whether some event could satisfy both rules.
fn header_example(key: HeaderKey) -> &'static str {
    match key {
        HeaderKey::Title => "title: Rules for Rewards and Penalties",
        HeaderKey::Effective => "effective: 2025-08-15",
        HeaderKey::Currency => "currency: CNY",
        HeaderKey::TimeZone => "time zone: +08:00",
        _ => "",
    }
}

/// The Chinese words of a header key.
pub(crate) fn header_key_chinese(key: HeaderKey) -> &'static str {
    match key {
        HeaderKey::Title => "標題",
        HeaderKey::Effective => "生效日期",
        HeaderKey::InForceUntil => "有效期至",
        HeaderKey::Repeals => "廢止",
        HeaderKey::Currency => "貨幣",
        HeaderKey::TimeZone => "時區",
        HeaderKey::Purpose => "目的",
        HeaderKey::DraftedBy => "編制部門",
        HeaderKey::ApprovedBy => "核準/審批人",
        HeaderKey::MaintainedBy => "維護人",
        HeaderKey::CopiesTo => "抄報",
        HeaderKey::DistributedTo => "下發",
    }
}

/// A header key's words, in English and Chinese.
fn header_key_text(key: HeaderKey) -> Text {
    Text::new(key.words(), header_key_chinese(key))
}

/// [`header_example`] in Chinese.
fn header_example_chinese(key: HeaderKey) -> &'static str {
    match key {
        HeaderKey::Title => "標題：獎懲細則",
        HeaderKey::Effective => "生效日期：2025-08-15",
        HeaderKey::Currency => "貨幣：CNY",
        HeaderKey::TimeZone => "時區：+08:00",
        _ => "",
    }
}

/// "Did you mean `name`?", `name` a name from the file.
fn did_you_mean_text(name: &str) -> Text {
    Text::new(
        format!("did you mean `{name}`?"),
        format!("是不是要寫 `{}`？", verbatim(name)),
    )
}

/// The label of a reversed range.
fn low_end_first() -> Text {
    Text::new("the low end comes first", "小的一端要寫在前面")
}

/// The help of a reversed range: the range written the right way round.
fn reversed_range_help(low: &str, high: &str) -> Text {
    Text::new(
        format!("did you mean `{low} to {high}`?"),
        format!("是不是要寫 `{low} 至 {high}`？"),
    )
}

/// Who a consequence is for, in English and Chinese.
fn target_text(target: &ast::Target) -> Text {
    match target {
        ast::Target::Actor => Text::new("the person at fault", "當事人"),
        ast::Target::EveryPersonNamed => Text::new("every person named", "所有在場人員"),
        ast::Target::Related(role) => Text::new(
            format!("their {}", role.value),
            format!("其{}", verbatim(&role.value)),
        ),
    }
}

/// A band's range as written, in English and Chinese.
fn band_text(range: &ast::BandRange) -> Text {
    match range {
        ast::BandRange::Between(low, high) => Text::new(
            format!("{} to {}", low.value, high.value),
            format!("{} 至 {}", low.value, high.value),
        ),
        ast::BandRange::Compare(op, value) => Text::new(
            format!("{} {}", crate::vocab::comparison_words(*op), value.value),
            format!("{} {}", comparison_chinese(*op), value.value),
        ),
    }
}

fn self_band_text(bands: &[ast::Band], span: Span) -> Text {
    bands
        .iter()
        .find(|band| band.span.start == span.start && band.span.end == span.end)
        .map_or_else(|| Text::from(String::new()), |band| band_text(&band.range))
}

/// The Chinese words of a comparison.
fn comparison_chinese(op: crate::vocab::Comparison) -> &'static str {
    use crate::vocab::Comparison;
    match op {
        Comparison::Gt => "大於",
        Comparison::Ge => "至少",
        Comparison::Lt => "小於",
        Comparison::Le => "至多",
        Comparison::Eq => "恰好",
    }
}

/// [`crate::vocab::interval_words`] in Chinese, with a space after it.
fn interval_chinese(interval: &Interval) -> String {
    use std::ops::Bound::{Excluded, Included, Unbounded};
    match (interval.low, interval.high) {
        (Included(low), Included(high)) if low == high => format!("恰好為 {low} "),
        (Included(low), Included(high)) => format!("{low} 至 {high} "),
        (Unbounded, Unbounded) => "任何大小".to_owned(),
        (low, high) => {
            let low = match low {
                Included(v) => Some(format!("至少 {v}")),
                Excluded(v) => Some(format!("大於 {v}")),
                Unbounded => None,
            };
            let high = match high {
                Included(v) => Some(format!("至多 {v}")),
                Excluded(v) => Some(format!("小於 {v}")),
                Unbounded => None,
            };
            let words: Vec<String> = low.into_iter().chain(high).collect();
            format!("{} ", words.join("且"))
        }
    }
}

/// The range of the compiled band written at `span`.
fn compiled_range(bands: &[(Band, Span)], span: Span) -> Interval {
    bands
        .iter()
        .find(|(_, s)| s.start == span.start)
        .map_or(Interval::ALL, |(band, _)| band.range.clone())
}
