//! Lowering: pest pairs → [`ast`] nodes, one method per grammar rule.
//!
//! The grammar guarantees the shape of each pair; where lowering finds a shape it does not
//! expect, it reports an internal problem instead of panicking. Value problems (a number too
//! large, a misspelled ordinal) are collected so that all of them are reported at once.

use std::cell::RefCell;

use pest::iterators::Pair as PestPair;
use rust_decimal::Decimal;

use super::Rule;
use super::numerals::{ascii_digits, chinese_header_word, chinese_numeral};
use crate::ast::{
    Amount, Band, BandRange, Condition, Consequence, Document, EscalationEffect, HeaderField,
    HeaderKey, HeaderValue, Item, KindDecl, Level, MeasureDecl, OutcomeWhen, PeriodTest, Phrasing,
    Rule as RuleNode, RuleBody, Section, Span, Spanned, Step, Target,
};
use crate::error::{Problem, ProblemKind};
use crate::lang::{Text, verbatim};
use crate::vocab::{Comparison, Direction, MeasureType, Nth, Period, Unit, ordinal_suffix};

type Pair<'i> = PestPair<'i, Rule>;

fn span_of(pair: &Pair<'_>) -> Span {
    let span = pair.as_span();
    Span::new(span.start(), span.end())
}

/// The first child of `pair` made by grammar rule `rule`.
fn child<'i>(pair: &Pair<'i>, rule: Rule) -> Option<Pair<'i>> {
    pair.clone().into_inner().find(|p| p.as_rule() == rule)
}

/// Every child of `pair` made by grammar rule `rule`.
fn children<'i>(pair: &Pair<'i>, rule: Rule) -> impl Iterator<Item = Pair<'i>> {
    pair.clone()
        .into_inner()
        .filter(move |p| p.as_rule() == rule)
}

/// The first child of `pair` made by any of `rules`.
fn child_of<'i>(pair: &Pair<'i>, rules: &[Rule]) -> Option<Pair<'i>> {
    pair.clone()
        .into_inner()
        .find(|p| rules.contains(&p.as_rule()))
}

/// Lowers the `file` pair into a document, or returns every problem found on the way.
pub(super) fn lower_file(file: Pair<'_>) -> Result<Document, Vec<Problem>> {
    let lower = Lower::default();
    let mut document = Document::default();
    for pair in file.into_inner() {
        match pair.as_rule() {
            Rule::title_field
            | Rule::effective_field
            | Rule::until_field
            | Rule::repeals_field
            | Rule::currency_field
            | Rule::zone_field
            | Rule::document_field => {
                if let Some(field) = lower.header_field(&pair) {
                    document.header.push(field);
                }
            }
            Rule::section => {
                if let Some(section) = lower.section(&pair) {
                    document.items.push(Item::Section(section));
                }
            }
            Rule::measure_decl => {
                if let Some(measure) = lower.measure_decl(&pair) {
                    document.items.push(Item::Measure(measure));
                }
            }
            Rule::kind_decl => {
                if let Some(kind) = lower.kind_decl(&pair) {
                    document.items.push(Item::Kind(kind));
                }
            }
            Rule::occurrence_rule
            | Rule::recorded_rule
            | Rule::banded_rule
            | Rule::period_rule
            | Rule::escalation => {
                if let Some(rule) = lower.rule(&pair) {
                    document.items.push(Item::Rule(rule));
                }
            }
            _ => {}
        }
    }
    let problems = lower.problems.into_inner();
    if problems.is_empty() {
        Ok(document)
    } else {
        Err(problems)
    }
}

#[derive(Default)]
struct Lower {
    problems: RefCell<Vec<Problem>>,
}

impl Lower {
    /// `found` when present; otherwise records that the parse tree had an unexpected shape.
    fn need<'i>(&self, found: Option<Pair<'i>>, parent: &Pair<'i>, what: &str) -> Option<Pair<'i>> {
        if found.is_none() {
            self.problems.borrow_mut().push(Problem::internal(
                &format!("no {what} in `{}`", parent.as_str()),
                span_of(parent),
            ));
        }
        found
    }

    fn child<'i>(&self, pair: &Pair<'i>, rule: Rule, what: &str) -> Option<Pair<'i>> {
        self.need(child(pair, rule), pair, what)
    }

    // ── Header ───────────────────────────────────────────────────────────────────────────

    fn header_field(&self, pair: &Pair<'_>) -> Option<HeaderField> {
        let first = self.need(pair.clone().into_inner().next(), pair, "key")?;
        let (key, key_pair) = match pair.as_rule() {
            Rule::title_field => (HeaderKey::Title, first),
            Rule::effective_field => (HeaderKey::Effective, first),
            Rule::until_field => (HeaderKey::InForceUntil, first),
            Rule::repeals_field => (HeaderKey::Repeals, first),
            Rule::currency_field => (HeaderKey::Currency, first),
            Rule::zone_field => (HeaderKey::TimeZone, first),
            _ => {
                let keyword = self.need(first.clone().into_inner().next(), &first, "key")?;
                let key = match keyword.as_rule() {
                    Rule::kw_purpose | Rule::zh_purpose => HeaderKey::Purpose,
                    Rule::kw_drafted_by | Rule::zh_drafted_by => HeaderKey::DraftedBy,
                    Rule::kw_approved_by | Rule::zh_approved_by => HeaderKey::ApprovedBy,
                    Rule::kw_maintained_by | Rule::zh_maintained_by => HeaderKey::MaintainedBy,
                    Rule::kw_copies_to | Rule::zh_copies_to => HeaderKey::CopiesTo,
                    _ => HeaderKey::DistributedTo,
                };
                (key, first)
            }
        };
        let value = match key {
            HeaderKey::Effective | HeaderKey::InForceUntil => {
                HeaderValue::Date(date_of(&self.child(pair, Rule::date, "date")?))
            }
            HeaderKey::Repeals => {
                HeaderValue::Dates(children(pair, Rule::date).map(|d| date_of(&d)).collect())
            }
            HeaderKey::Currency => {
                let code = self.child(pair, Rule::currency_code, "currency")?;
                HeaderValue::Word(Spanned::new(
                    chinese_header_word(code.as_str()).to_owned(),
                    span_of(&code),
                ))
            }
            HeaderKey::TimeZone => {
                let offset = self.child(pair, Rule::utc_offset, "offset")?;
                HeaderValue::Word(Spanned::new(
                    chinese_header_word(offset.as_str()).to_owned(),
                    span_of(&offset),
                ))
            }
            _ => {
                let text = self.child(pair, Rule::text, "text")?;
                let trimmed = text.as_str().trim_end();
                let start = text.as_span().start();
                HeaderValue::Text(Spanned::new(
                    trimmed.to_owned(),
                    Span::new(start, start + trimmed.len()),
                ))
            }
        };
        Some(HeaderField {
            key: Spanned::new(key, span_of(&key_pair)),
            value,
            span: span_of(pair),
        })
    }

    fn text_of(&self, pair: &Pair<'_>) -> Spanned<String> {
        Spanned::new(pair.as_str().to_owned(), span_of(pair))
    }

    fn section(&self, pair: &Pair<'_>) -> Option<Section> {
        let number = self.need(
            child_of(pair, &[Rule::section_number, Rule::zh_section_number]),
            pair,
            "section number",
        )?;
        let number = self.count(&number)?;
        let title = self.child(pair, Rule::text, "title")?;
        Some(Section {
            number,
            title: title.as_str().trim_end().to_owned(),
            span: span_of(pair),
        })
    }

    fn measure_decl(&self, pair: &Pair<'_>) -> Option<MeasureDecl> {
        let name = self.text_of(&self.child(pair, Rule::measure, "measure")?);
        let kind_pair = self.child(pair, Rule::measure_type, "measure type")?;
        let keyword = self.need(
            kind_pair.clone().into_inner().next(),
            &kind_pair,
            "measure type",
        )?;
        let kind = match keyword.as_rule() {
            Rule::kw_whole_number | Rule::zh_whole_number => MeasureType::WholeNumber,
            Rule::kw_flag | Rule::zh_flag => MeasureType::Flag,
            Rule::kw_text | Rule::zh_text => MeasureType::Text,
            _ => MeasureType::Number,
        };
        let event_name = match child(pair, Rule::event_name) {
            Some(event_name) => Some(self.event_name(&event_name)?),
            None => None,
        };
        Some(MeasureDecl {
            name,
            event_name,
            kind,
            span: span_of(pair),
        })
    }

    fn kind_decl(&self, pair: &Pair<'_>) -> Option<KindDecl> {
        let name = self.kind(&self.child(pair, Rule::kind, "event kind")?);
        let event_name = self.event_name(&self.child(pair, Rule::event_name, "event name")?)?;
        Some(KindDecl {
            name,
            event_name,
            span: span_of(pair),
        })
    }

    /// The name in brackets, trimmed.
    fn event_name(&self, pair: &Pair<'_>) -> Option<Spanned<String>> {
        let text = self.child(pair, Rule::event_name_text, "name")?;
        let raw = text.as_str();
        let start = text.as_span().start() + (raw.len() - raw.trim_start().len());
        let trimmed = raw.trim();
        Some(Spanned::new(
            trimmed.to_owned(),
            Span::new(start, start + trimmed.len()),
        ))
    }

    // ── Rules ────────────────────────────────────────────────────────────────────────────

    fn rule(&self, pair: &Pair<'_>) -> Option<RuleNode> {
        let label = self.text_of(&self.child(pair, Rule::label, "label")?);
        let body = match pair.as_rule() {
            Rule::occurrence_rule => self.occurrence(pair)?,
            Rule::recorded_rule => {
                let list = self.child(pair, Rule::kind_list, "event kinds")?;
                RuleBody::Recorded {
                    kinds: self.kind_list(&list),
                }
            }
            Rule::banded_rule => self.banded(pair)?,
            Rule::period_rule => self.period_rule(pair)?,
            _ => self.escalation(pair)?,
        };
        Some(RuleNode {
            label,
            body,
            span: span_of(pair),
        })
    }

    fn occurrence(&self, pair: &Pair<'_>) -> Option<RuleBody> {
        let kind = self.kind(&self.child(pair, Rule::kind, "event kind")?);
        let conditions = match child(pair, Rule::conditions) {
            Some(conditions) => self.conditions(&conditions)?,
            None => Vec::new(),
        };
        let consequences =
            self.consequences(&self.child(pair, Rule::consequences, "consequence")?)?;
        Some(RuleBody::Occurrence {
            kind,
            conditions,
            consequences,
        })
    }

    fn banded(&self, pair: &Pair<'_>) -> Option<RuleBody> {
        let kind = self.kind(&self.child(pair, Rule::kind, "event kind")?);
        let measure = self.text_of(&self.child(pair, Rule::measure, "measure")?);
        let mut bands = Vec::new();
        for band in children(pair, Rule::band) {
            let range_pair = self.child(&band, Rule::band_range, "band")?;
            let range = match child(&range_pair, Rule::between) {
                Some(between) => {
                    let mut ends = children(&between, Rule::number);
                    let low = self.need(ends.next(), &between, "low end")?;
                    let high = self.need(ends.next(), &between, "high end")?;
                    BandRange::Between(self.decimal(&low)?, self.decimal(&high)?)
                }
                None => {
                    let op = self.comparison(&self.child(
                        &range_pair,
                        Rule::comparison,
                        "comparison",
                    )?)?;
                    let value =
                        self.decimal(&self.child(&range_pair, Rule::number, "number")?)?;
                    BandRange::Compare(op, value)
                }
            };
            let consequences =
                self.consequences(&self.child(&band, Rule::consequences, "consequence")?)?;
            // The band's span starts at its bullet, not at the line break before it.
            let start = range_pair.as_span().start();
            bands.push(Band {
                range,
                consequences,
                span: Span::new(start, band.as_span().end()),
            });
        }
        Some(RuleBody::Banded {
            kind,
            measure,
            bands,
        })
    }

    fn period_rule(&self, pair: &Pair<'_>) -> Option<RuleBody> {
        let period = self.period(&self.child(pair, Rule::period, "period")?)?;
        let test_pair = self.child(pair, Rule::period_test, "test")?;
        let test = if let Some(absence) = child(&test_pair, Rule::absence_test) {
            let (group, holder) = match child(&absence, Rule::kind_group) {
                Some(group) => {
                    let name = self.kind(&self.child(&group, Rule::list_kind, "name")?);
                    (Some(name), group)
                }
                None => (None, absence),
            };
            let list = self.child(&holder, Rule::kind_list, "event kinds")?;
            PeriodTest::Absent {
                group,
                kinds: self.kind_list(&list),
            }
        } else {
            let count = self.child(&test_pair, Rule::count_test, "count")?;
            PeriodTest::Count {
                op: self.comparison(&self.need(
                    child_of(&count, &[Rule::comparison, Rule::post_comparison]),
                    &count,
                    "comparison",
                )?)?,
                count: self.count(&self.child(&count, Rule::integer, "count")?)?,
                kind: self.kind(&self.child(&count, Rule::list_kind, "event kind")?),
            }
        };
        let streak = match child(pair, Rule::streak) {
            Some(streak) => {
                let runs = self.child(&streak, Rule::periods, "periods")?;
                let unit = self.need(runs.clone().into_inner().next(), &runs, "period")?;
                let streak_period = match unit.as_rule() {
                    Rule::kw_months | Rule::zh_month => Period::Month,
                    Rule::kw_quarters | Rule::zh_quarter => Period::Quarter,
                    _ => Period::Year,
                };
                if streak_period != period {
                    let each_zh = zh_each_period(period);
                    let unit_zh = each_zh.trim_start_matches('每');
                    self.problems.borrow_mut().push(
                        Problem::not_allowed(
                            Text::new(
                                format!("a streak of `{}`", runs.as_str()),
                                format!("連續的 `{}`", verbatim(runs.as_str())),
                            ),
                            Text::new(
                                format!("a rule that runs each {}", period.word()),
                                format!("{each_zh}執行的規則"),
                            ),
                            span_of(&runs),
                        )
                        .with_help(Text::new(
                            format!("count the streak in {}s", period.word()),
                            format!("以{unit_zh}計算連續"),
                        )),
                    );
                }
                Some(self.count(&self.child(&streak, Rule::integer, "count")?)?)
            }
            None => None,
        };
        if let Some(again) = child(pair, Rule::zh_again_each) {
            let said = self.period(&self.child(&again, Rule::period, "period")?)?;
            if said != period {
                self.problems.borrow_mut().push(
                    Problem::not_allowed(
                        Text::new(
                            format!("`{}`", again.as_str()),
                            format!(" `{}`", verbatim(again.as_str())),
                        ),
                        Text::new(
                            format!("a rule that runs each {}", period.word()),
                            format!("{}執行的規則", zh_each_period(period)),
                        ),
                        span_of(&again),
                    )
                    .with_help(Text::new(
                        "say the rule's own period, or nothing",
                        format!("寫 `{}`，或不寫", zh_each_period(period)),
                    )),
                );
            }
        }
        let consequences =
            self.consequences(&self.child(pair, Rule::consequences, "consequence")?)?;
        Some(RuleBody::Period {
            period,
            test,
            streak,
            consequences,
        })
    }

    fn escalation(&self, pair: &Pair<'_>) -> Option<RuleBody> {
        let window = self.period(&self.child(pair, Rule::period, "period")?)?;
        let which = self.need(
            child_of(
                pair,
                &[
                    Rule::only_nth,
                    Rule::from_nth,
                    Rule::every_nth,
                    Rule::zh_only_nth,
                    Rule::zh_from_nth,
                    Rule::zh_every_nth,
                ],
            ),
            pair,
            "occurrence",
        )?;
        let ordinal = self.any_ordinal(&which)?;
        let nth = Spanned::new(
            match which.as_rule() {
                Rule::only_nth | Rule::zh_only_nth => Nth::Only(ordinal.value),
                Rule::from_nth | Rule::zh_from_nth => Nth::From(ordinal.value),
                _ => Nth::Every(ordinal.value),
            },
            ordinal.span,
        );
        let counted = self.child(&which, Rule::counted, "counted entries")?;
        let counts =
            self.direction(&self.child(&counted, Rule::entry_direction, "fine or reward")?)?;
        let mut sections = Vec::new();
        if let Some(list) = child(&counted, Rule::in_sections) {
            for number in children(&list, Rule::section_number) {
                sections.push(self.count(&number)?);
            }
        }
        let effect = if let Some(multiply) = child_of(pair, &[Rule::multiply, Rule::zh_multiply]) {
            let factor = match child(&multiply, Rule::zh_double) {
                // 加倍: doubled.
                Some(double) => Spanned::new(2, span_of(&double)),
                None => self.count(&self.child(&multiply, Rule::multiplier, "multiplier")?)?,
            };
            let level = if let Some(last) = child(&multiply, Rule::heaviest_of_last) {
                Level::HeaviestOfLast(self.count(&self.child(&last, Rule::integer, "count")?)?)
            } else if child(&multiply, Rule::own_base).is_some() {
                Level::OwnBase
            } else {
                Level::HeaviestSoFar
            };
            EscalationEffect::Multiply { factor, level }
        } else {
            let surcharge = self.child(pair, Rule::surcharge, "effect")?;
            EscalationEffect::Surcharge {
                amount: self.decimal(&self.child(&surcharge, Rule::money, "amount")?)?,
                unit: self.unit(child(&surcharge, Rule::unit)),
            }
        };
        Some(RuleBody::Escalation {
            window,
            nth,
            counts,
            sections,
            effect,
        })
    }

    // ── Conditions ───────────────────────────────────────────────────────────────────────

    fn conditions(&self, pair: &Pair<'_>) -> Option<Vec<Condition>> {
        let mut conditions = Vec::new();
        for condition in pair.clone().into_inner() {
            match condition.as_rule() {
                Rule::count_first | Rule::measure_first | Rule::zh_compare => {
                    let phrasing = if condition.as_rule() == Rule::count_first {
                        Phrasing::CountFirst
                    } else {
                        Phrasing::MeasureFirst
                    };
                    conditions.push(Condition::Compare {
                        measure: self.text_of(&self.child(&condition, Rule::measure, "measure")?),
                        op: self.comparison(&self.need(
                            child_of(&condition, &[Rule::comparison, Rule::post_comparison]),
                            &condition,
                            "comparison",
                        )?)?,
                        value: self.decimal(&self.child(&condition, Rule::number, "number")?)?,
                        phrasing,
                    });
                }
                Rule::flag_test => {
                    let (measure, expected) = self.flag(&condition)?;
                    conditions.push(Condition::Flag { measure, expected });
                }
                _ => {}
            }
        }
        Some(conditions)
    }

    fn flag(&self, pair: &Pair<'_>) -> Option<(Spanned<String>, bool)> {
        let measure = self.text_of(&self.child(pair, Rule::measure, "flag")?);
        Some((measure, child(pair, Rule::negation).is_none()))
    }

    fn comparison(&self, pair: &Pair<'_>) -> Option<Comparison> {
        let op = self.need(pair.clone().into_inner().next(), pair, "comparison")?;
        Some(match op.as_rule() {
            Rule::cmp_gt | Rule::zh_gt => Comparison::Gt,
            Rule::cmp_ge | Rule::zh_ge | Rule::zh_or_more => Comparison::Ge,
            Rule::cmp_lt | Rule::zh_lt => Comparison::Lt,
            Rule::cmp_le | Rule::zh_le | Rule::zh_or_less => Comparison::Le,
            _ => Comparison::Eq,
        })
    }

    // ── Consequences ─────────────────────────────────────────────────────────────────────

    fn consequences(&self, pair: &Pair<'_>) -> Option<Vec<Consequence>> {
        let mut consequences = Vec::new();
        for consequence in pair.clone().into_inner() {
            let span = span_of(&consequence);
            let lowered = match consequence.as_rule() {
                Rule::money_effect => self.money_effect(&consequence)?,
                Rule::dismissal => Consequence::Dismissal {
                    when: self.outcome_when(&consequence)?,
                    span,
                },
                Rule::remedy => Consequence::Remedy {
                    when: self.outcome_when(&consequence)?,
                    span,
                },
                Rule::promotion => Consequence::Promotion {
                    grades: self.count(&self.child(&consequence, Rule::integer, "grades")?)?,
                    when: self.outcome_when(&consequence)?,
                    approval: child(&consequence, Rule::approval).is_some(),
                    span,
                },
                Rule::counts_as => Consequence::CountsAs {
                    kind: self.kind(&self.child(&consequence, Rule::kind, "event kind")?),
                    span,
                },
                _ => continue,
            };
            consequences.push(lowered);
        }
        Some(consequences)
    }

    /// The `when …` or `the 3rd time` of an outcome, if it has one.
    fn outcome_when(&self, pair: &Pair<'_>) -> Option<Option<OutcomeWhen>> {
        if let Some(flag) = child(pair, Rule::flag_test) {
            let (measure, expected) = self.flag(&flag)?;
            return Some(Some(OutcomeWhen::Flag { measure, expected }));
        }
        match child_of(pair, NTH_TIMES) {
            Some(nth) => Some(Some(OutcomeWhen::Ordinal(self.nth_time(&nth)?))),
            None => Some(None),
        }
    }

    fn nth_time(&self, pair: &Pair<'_>) -> Option<Spanned<Nth>> {
        let ordinal = self.any_ordinal(pair)?;
        let from = matches!(pair.as_rule(), Rule::from_nth_time | Rule::zh_from_nth_time);
        let nth = if from {
            Nth::From(ordinal.value)
        } else {
            Nth::Only(ordinal.value)
        };
        Some(Spanned::new(nth, ordinal.span))
    }

    fn money_effect(&self, pair: &Pair<'_>) -> Option<Consequence> {
        // 第一次扣罰15元，第二次扣罰30元: the fine or reward is said in each step.
        let said = child(pair, Rule::direction).or_else(|| {
            let schedule = child(pair, Rule::schedule)?;
            let step = child(&schedule, Rule::step)?;
            child(&step, Rule::direction)
        });
        let direction = self.direction(&self.need(said, pair, "fine or reward")?)?;
        let amount_pair = self.need(
            child_of(
                pair,
                &[
                    Rule::fixed,
                    Rule::amount_range,
                    Rule::per_unit,
                    Rule::percent_of,
                    Rule::zh_percent_of,
                    Rule::schedule,
                ],
            ),
            pair,
            "amount",
        )?;
        let mut amount = self.amount(&amount_pair)?;
        if let Some(per) = child(pair, Rule::zh_per_measure) {
            // A rate per unit of the measure (each minute, fine 5).
            let Amount::Fixed { value, unit } = amount else {
                self.problems.borrow_mut().push(
                    Problem::not_allowed(
                        Text::new(
                            format!("`{}`", amount_pair.as_str()),
                            format!(" `{}`", verbatim(amount_pair.as_str())),
                        ),
                        Text::new(
                            format!("a rate `{}`", per.as_str()),
                            format!("單價 `{}`", verbatim(per.as_str())),
                        ),
                        span_of(&amount_pair),
                    )
                    .with_help(Text::new(
                        "a rate is one amount, such as `5`",
                        "單價是一個金額，例如 `5`",
                    )),
                );
                return None;
            };
            let beyond = match child(pair, Rule::zh_beyond_part) {
                Some(part) => Some(self.decimal(&self.child(&part, Rule::number, "number")?)?),
                None => None,
            };
            amount = Amount::PerUnit {
                rate: value,
                unit,
                measure: self.text_of(&self.child(&per, Rule::measure, "measure")?),
                beyond,
            };
        }
        let target = if child_of(
            pair,
            &[Rule::every_person_named, Rule::zh_every_person_named],
        )
        .is_some()
        {
            Target::EveryPersonNamed
        } else if let Some(related) =
            child_of(pair, &[Rule::related_person, Rule::zh_related_person])
        {
            Target::Related(self.text_of(&self.child(&related, Rule::role, "role")?))
        } else {
            Target::Actor
        };
        Some(Consequence::Money {
            direction,
            amount,
            target,
            span: span_of(pair),
        })
    }

    fn amount(&self, pair: &Pair<'_>) -> Option<Amount> {
        let unit = self.unit(child(pair, Rule::unit));
        let mut moneys = children(pair, Rule::money);
        Some(match pair.as_rule() {
            Rule::fixed => Amount::Fixed {
                value: self.decimal(&self.need(moneys.next(), pair, "amount")?)?,
                unit,
            },
            Rule::amount_range => {
                let low = self.need(moneys.next(), pair, "low end")?;
                let high = self.need(moneys.next(), pair, "high end")?;
                Amount::Range {
                    low: self.decimal(&low)?,
                    high: self.decimal(&high)?,
                    unit,
                }
            }
            Rule::per_unit => Amount::PerUnit {
                rate: self.decimal(&self.need(moneys.next(), pair, "rate")?)?,
                unit,
                measure: self.text_of(&self.child(pair, Rule::measure, "measure")?),
                beyond: match child(pair, Rule::number) {
                    Some(beyond) => Some(self.decimal(&beyond)?),
                    None => None,
                },
            },
            Rule::percent_of | Rule::zh_percent_of => {
                let percent = self.child(pair, Rule::percent, "percentage")?;
                let digits = percent.as_str().trim_end_matches(['%', '％']);
                Amount::Percent {
                    percent: self.parse_decimal(digits, span_of(&percent))?,
                    of: self.text_of(&self.child(pair, Rule::measure, "measure")?),
                }
            }
            _ => {
                let mut steps = Vec::new();
                for step in children(pair, Rule::step) {
                    if let Some(said) = child(&step, Rule::direction) {
                        self.same_direction_in_each_step(pair, &said)?;
                    }
                    let value = self.decimal(&self.child(&step, Rule::money, "amount")?)?;
                    let nth = self.need(child_of(&step, NTH_TIMES), &step, "ordinal")?;
                    steps.push(Step {
                        value,
                        unit: self.unit(child(&step, Rule::unit)),
                        nth: self.nth_time(&nth)?,
                    });
                }
                Amount::Schedule(steps)
            }
        })
    }

    /// A schedule's steps that each say fine or reward must all say the one its first says.
    fn same_direction_in_each_step(&self, schedule: &Pair<'_>, said: &Pair<'_>) -> Option<()> {
        let first = children(schedule, Rule::step)
            .find_map(|step| child(&step, Rule::direction))
            .map(|d| self.direction(&d));
        if first.flatten() == self.direction(said) {
            return Some(());
        }
        self.problems.borrow_mut().push(
            Problem::not_allowed(
                Text::new(
                    format!("`{}`", said.as_str()),
                    format!(" `{}`", verbatim(said.as_str())),
                ),
                Text::new("a schedule that starts the other way", "方向相反的分次金額"),
                span_of(said),
            )
            .with_help(Text::new(
                "a schedule is all fines or all rewards; write two rules",
                "分次金額要麼都是扣罰，要麼都是獎勵；請分成兩條規則",
            )),
        );
        None
    }

    fn unit(&self, pair: Option<Pair<'_>>) -> Unit {
        match pair
            .and_then(|p| p.into_inner().next())
            .map(|p| p.as_rule())
        {
            Some(Rule::kw_points | Rule::zh_points) => Unit::Points,
            _ => Unit::Currency,
        }
    }

    fn direction(&self, pair: &Pair<'_>) -> Option<Direction> {
        let keyword = self.need(pair.clone().into_inner().next(), pair, "fine or reward")?;
        Some(
            if matches!(keyword.as_rule(), Rule::kw_reward | Rule::zh_reward) {
                Direction::Reward
            } else {
                Direction::Fine
            },
        )
    }

    fn period(&self, pair: &Pair<'_>) -> Option<Period> {
        let keyword = self.need(pair.clone().into_inner().next(), pair, "period")?;
        Some(match keyword.as_rule() {
            Rule::kw_month | Rule::zh_month => Period::Month,
            Rule::kw_quarter | Rule::zh_quarter => Period::Quarter,
            _ => Period::Year,
        })
    }

    // ── Words and numbers ────────────────────────────────────────────────────────────────

    /// An event kind: quoted text as written, or plain words joined by single spaces.
    fn kind(&self, pair: &Pair<'_>) -> Spanned<String> {
        let span = span_of(pair);
        let inner = pair.clone().into_inner().next();
        let text = match inner {
            Some(quoted) if quoted.as_rule() == Rule::quoted => child(&quoted, Rule::quoted_text)
                .map(|t| t.as_str().to_owned())
                .unwrap_or_default(),
            Some(words) => words
                .as_str()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            None => pair
                .as_str()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        };
        Spanned::new(text, span)
    }

    fn kind_list(&self, pair: &Pair<'_>) -> Vec<Spanned<String>> {
        children(pair, Rule::list_kind)
            .map(|k| self.kind(&k))
            .collect()
    }

    fn decimal(&self, pair: &Pair<'_>) -> Option<Spanned<Decimal>> {
        if let Some(value) = self.numeral(pair)? {
            return Some(Spanned::new(Decimal::from(value), span_of(pair)));
        }
        match ascii_digits(pair.as_str()) {
            Some(digits) => self.parse_decimal(&digits, span_of(pair)),
            None => self.parse_decimal(pair.as_str(), span_of(pair)),
        }
    }

    /// The value of a Chinese numeral (`三`, `十五`); `Some(None)` for digits, `None` (and a
    /// problem) for a numeral that is not one.
    fn numeral(&self, pair: &Pair<'_>) -> Option<Option<u32>> {
        let text = pair.as_str();
        if text.starts_with(|c: char| c.is_ascii_digit() || c == '-' || matches!(c, '０'..='９'))
        {
            return Some(None);
        }
        match chinese_numeral(text) {
            Some(value) => Some(Some(value)),
            None => {
                self.problems.borrow_mut().push(
                    Problem::new(
                        ProblemKind::BadNumeral {
                            text: text.to_owned(),
                        },
                        span_of(pair),
                    )
                    .with_help(Text::new(
                        "write it in digits, such as `15`",
                        "請用數字寫，例如 `15`",
                    )),
                );
                None
            }
        }
    }

    fn parse_decimal(&self, text: &str, span: Span) -> Option<Spanned<Decimal>> {
        match Decimal::from_str_exact(text) {
            Ok(value) => Some(Spanned::new(value, span)),
            Err(_) => {
                self.problems.borrow_mut().push(
                    Problem::too_large(Text::new("number", "數字"), text, span).with_help(
                        Text::new("numbers have at most 28 digits", "數字最多只能有 28 位"),
                    ),
                );
                None
            }
        }
    }

    /// A whole number that counts something (sections, grades, occurrences).
    fn count(&self, pair: &Pair<'_>) -> Option<Spanned<u32>> {
        if let Some(value) = self.numeral(pair)? {
            return Some(Spanned::new(value, span_of(pair)));
        }
        let digits = ascii_digits(pair.as_str());
        match digits.as_deref().unwrap_or(pair.as_str()).parse::<u32>() {
            Ok(value) => Some(Spanned::new(value, span_of(pair))),
            Err(_) => {
                self.problems.borrow_mut().push(
                    Problem::too_large(Text::new("count", "次數"), pair.as_str(), span_of(pair))
                        .with_help(Text::new(
                            format!("counts go up to {}", u32::MAX),
                            format!("次數最大是 {}", u32::MAX),
                        )),
                );
                None
            }
        }
    }

    /// The ordinal of an English `ordinal` or a Chinese `nth` (第三次) child of `pair`.
    fn any_ordinal(&self, pair: &Pair<'_>) -> Option<Spanned<u32>> {
        let ordinal = self.need(child_of(pair, &[Rule::ordinal, Rule::nth]), pair, "ordinal")?;
        if ordinal.as_rule() == Rule::nth {
            self.count(&ordinal)
        } else {
            self.ordinal(&ordinal)
        }
    }

    /// `1st`, `2nd`, `3rd`, `4th`, `11th`, `21st`…: the number, after checking its suffix.
    fn ordinal(&self, pair: &Pair<'_>) -> Option<Spanned<u32>> {
        let text = pair.as_str();
        let digits_end = text
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len());
        let (digits, suffix) = text.split_at(digits_end);
        let span = span_of(pair);
        let Ok(n) = digits.parse::<u32>() else {
            self.problems.borrow_mut().push(
                Problem::too_large(Text::new("ordinal", "序數"), text, span).with_help(Text::new(
                    format!("ordinals go up to {}", u32::MAX),
                    format!("序數最大是 {}", u32::MAX),
                )),
            );
            return None;
        };
        let right = ordinal_suffix(n);
        if suffix != right {
            self.problems.borrow_mut().push(
                Problem::new(
                    ProblemKind::BadOrdinal {
                        text: text.to_owned(),
                    },
                    span,
                )
                .with_label(Text::new("wrong ending", "詞尾不對"))
                .with_help(Text::new(
                    format!("write `{n}{right}`"),
                    format!("請寫 `{n}{right}`"),
                )),
            );
            return None;
        }
        Some(Spanned::new(n, span))
    }
}

/// "Each month" (quarter, year) in Chinese.
fn zh_each_period(period: Period) -> &'static str {
    match period {
        Period::Month => "每月",
        Period::Quarter => "每季度",
        Period::Year => "每年",
    }
}

/// The rules that say "the Nth time" or "from the Nth time on", in either language.
const NTH_TIMES: &[Rule] = &[
    Rule::the_nth_time,
    Rule::from_nth_time,
    Rule::zh_the_nth_time,
    Rule::zh_from_nth_time,
];

/// A date as written: `2025-08-15`, or a Chinese date made `2025-08-15`; the span is the
/// text's either way.
fn date_of(pair: &Pair<'_>) -> Spanned<String> {
    let text = pair.as_str();
    let value = super::numerals::iso_date(text).unwrap_or_else(|| text.to_owned());
    Spanned::new(value, span_of(pair))
}
