//! pest's syntax error → a [`Problem`] a manager can read: what was expected, in words (never
//! a grammar rule's name), what was found, and the closest keyword when the found word looks
//! like a misspelling of one.

use pest::error::{Error as PestError, ErrorVariant, InputLocation};

use super::Rule;
use crate::ast::Span;
use crate::error::{Problem, ProblemKind};
use crate::suggest::did_you_mean;

/// Consequence keywords: what may follow the colon of a rule.
const CONSEQUENCE_WORDS: &[&str] = &[
    "fine",
    "reward",
    "dismissal",
    "ordered to remedy",
    "promotion",
    "counts as",
    "no consequence",
];
const COMPARISON_WORDS: &[&str] = &["more than", "at least", "less than", "at most", "exactly"];
const PERIOD_WORDS: &[&str] = &["month", "quarter", "year"];
const MEASURE_TYPE_WORDS: &[&str] = &["whole number", "number", "flag", "text"];
const HEADER_WORDS: &[&str] = &[
    "title",
    "effective",
    "in force until",
    "repeals",
    "currency",
    "time zone",
    "purpose",
    "drafted by",
    "approved by",
    "maintained by",
    "copies to",
    "distributed to",
    "section",
    "measure",
];

/// The words of keyword rule `rule`, as a manager writes them.
pub(crate) fn keyword(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::kw_title => "title",
        Rule::kw_effective => "effective",
        Rule::kw_in_force_until => "in force until",
        Rule::kw_repeals => "repeals",
        Rule::kw_the_version_of => "the version of",
        Rule::kw_currency => "currency",
        Rule::kw_time_zone => "time zone",
        Rule::kw_purpose => "purpose",
        Rule::kw_drafted_by => "drafted by",
        Rule::kw_approved_by => "approved by",
        Rule::kw_maintained_by => "maintained by",
        Rule::kw_copies_to => "copies to",
        Rule::kw_distributed_to => "distributed to",
        Rule::kw_section => "section",
        Rule::kw_measure => "measure",
        Rule::kw_whole_number => "whole number",
        Rule::kw_number => "number",
        Rule::kw_flag => "flag",
        Rule::kw_text => "text",
        Rule::open_paren => "(",
        Rule::close_paren => ")",
        Rule::kw_with => "with",
        Rule::kw_with_no => "with no",
        Rule::kw_when => "when",
        Rule::kw_and => "and",
        Rule::kw_or => "or",
        Rule::kw_not => "not",
        Rule::kw_of => "of",
        Rule::kw_a => "a",
        Rule::kw_by => "by",
        Rule::kw_to => "to",
        Rule::kw_for => "for",
        Rule::kw_the => "the",
        Rule::kw_on => "on",
        Rule::kw_time => "time",
        Rule::cmp_gt => "more than",
        Rule::cmp_ge => "at least",
        Rule::cmp_lt => "less than",
        Rule::cmp_le => "at most",
        Rule::cmp_eq => "exactly",
        Rule::kw_fine => "fine",
        Rule::kw_reward => "reward",
        Rule::kw_per => "per",
        Rule::kw_beyond => "beyond",
        Rule::kw_yuan => "yuan",
        Rule::kw_points => "points",
        Rule::kw_for_every_person_named => "for every person named",
        Rule::kw_for_their => "for their",
        Rule::kw_from_the => "from the",
        Rule::kw_dismissal => "dismissal",
        Rule::kw_ordered_to_remedy => "ordered to remedy",
        Rule::kw_promotion => "promotion",
        Rule::kw_grade => "grade",
        Rule::kw_subject_to_approval => "subject to approval",
        Rule::kw_counts_as => "counts as",
        Rule::kw_no_consequence => "no consequence",
        Rule::kw_each => "each",
        Rule::kw_month | Rule::kw_months => "month",
        Rule::kw_quarter | Rule::kw_quarters => "quarter",
        Rule::kw_year | Rule::kw_years => "year",
        Rule::kw_every_person_on_the_roster => "every person on the roster",
        Rule::kw_in_a_row => "in a row",
        Rule::kw_in_the_same => "in the same",
        Rule::kw_only_the => "only the",
        Rule::kw_every => "every",
        Rule::kw_in_sections => "in section",
        Rule::kw_times => "times",
        Rule::kw_an_extra => "an extra",
        Rule::kw_the_heaviest_base => "the heaviest base",
        Rule::kw_so_far => "so far",
        Rule::kw_of_the_last => "of the last",
        Rule::kw_its_own_base => "its own base",
        Rule::colon => ":",
        Rule::comma => ",",
        Rule::bullet => "-",
        Rule::close_quote => "\"",
        _ => return None,
    })
}

/// What grammar rule `rule` stands for, in words; `None` for rules a manager never needs to
/// hear about.
fn phrase(rule: Rule) -> Option<String> {
    if let Some(word) = keyword(rule) {
        return Some(if rule == Rule::close_quote {
            "a closing `\"`".to_owned()
        } else {
            format!("`{word}`")
        });
    }
    Some(
        match rule {
            Rule::EOI => "the end of the line",
            Rule::title_field
            | Rule::effective_field
            | Rule::until_field
            | Rule::repeals_field
            | Rule::currency_field
            | Rule::zone_field
            | Rule::document_field
            | Rule::document_key => "a header line such as `title: …`",
            Rule::section => "a section such as `section 1: …`",
            Rule::measure_decl => "a measure such as `measure rings: whole number`",
            Rule::measure_type => "`whole number`, `number`, `flag` or `text`",
            Rule::kind_group => "a named list of event kinds",
            Rule::occurrence_rule
            | Rule::recorded_rule
            | Rule::banded_rule
            | Rule::period_rule
            | Rule::escalation
            | Rule::label => "a rule starting with its label, such as `1.2`",
            Rule::kind | Rule::list_kind | Rule::kind_words | Rule::list_kind_words => {
                "an event kind"
            }
            Rule::kind_list => "a list of event kinds",
            Rule::quoted | Rule::quoted_text => "a quoted event kind",
            Rule::consequences | Rule::money_effect | Rule::direction => {
                "a consequence such as `fine 15`"
            }
            Rule::entry_direction => "`fine` or `reward`",
            Rule::dismissal => "`dismissal`",
            Rule::remedy => "`ordered to remedy`",
            Rule::promotion => "`promotion by 1 grade`",
            Rule::counts_as => "`counts as`",
            Rule::fixed
            | Rule::amount_range
            | Rule::per_unit
            | Rule::percent_of
            | Rule::schedule
            | Rule::step
            | Rule::money => "an amount such as `15`",
            Rule::percent => "a percentage such as `5%`",
            Rule::unit => "`yuan` or `points`",
            Rule::number => "a number",
            Rule::integer | Rule::multiplier | Rule::section_number => "a whole number",
            Rule::ordinal | Rule::the_nth_time | Rule::from_nth_time => "an ordinal such as `3rd`",
            Rule::date => "a date such as `2025-08-15`",
            Rule::utc_offset => "a time zone offset such as `+08:00`",
            Rule::currency_code => "a currency code such as `CNY`",
            Rule::text => "text",
            Rule::conditions | Rule::count_first | Rule::measure_first => {
                "a condition such as `with more than 3 rings`"
            }
            Rule::flag_test | Rule::measure => "the name of a measure, such as `severe`",
            Rule::negation => "`not`",
            Rule::comparison => "a comparison such as `more than` or `at least`",
            Rule::period | Rule::periods => "`month`, `quarter` or `year`",
            Rule::period_test | Rule::absence_test | Rule::count_test => {
                "`with no` followed by event kinds"
            }
            Rule::streak => "`for 3 months in a row`",
            Rule::band | Rule::band_range | Rule::between => {
                "a band on its own line, such as `- less than 15: fine 15`"
            }
            Rule::only_nth | Rule::from_nth | Rule::every_nth => {
                "`only the 3rd`, `from the 3rd` or `every 3rd`"
            }
            Rule::counted => "`fine` or `reward`",
            Rule::in_sections => "`in section 1`",
            Rule::multiply => "a multiplier such as `2 times the heaviest base so far`",
            Rule::surcharge => "`an extra 50`",
            Rule::heaviest_so_far | Rule::heaviest_of_last | Rule::own_base => {
                "`the heaviest base so far`, `the heaviest base of the last 3` or `its own base`"
            }
            Rule::target | Rule::every_person_named | Rule::related_person => {
                "`for every person named` or `for their manager`"
            }
            Rule::role => "a role such as `manager`",
            Rule::approval => "`subject to approval`",
            _ => return None,
        }
        .to_owned(),
    )
}

/// Keywords a misspelled word at a place expecting `rule` may have meant.
fn candidates(rule: Rule) -> &'static [&'static str] {
    match rule {
        Rule::consequences | Rule::money_effect | Rule::direction => CONSEQUENCE_WORDS,
        Rule::comparison => COMPARISON_WORDS,
        Rule::period | Rule::periods => PERIOD_WORDS,
        Rule::measure_type => MEASURE_TYPE_WORDS,
        Rule::title_field
        | Rule::effective_field
        | Rule::until_field
        | Rule::repeals_field
        | Rule::currency_field
        | Rule::zone_field
        | Rule::document_field
        | Rule::document_key
        | Rule::section => HEADER_WORDS,
        _ => &[],
    }
}

/// Turns pest's error into a problem at the place it names.
pub(super) fn syntax_problem(source: &str, error: &PestError<Rule>) -> Problem {
    let position = match error.location {
        InputLocation::Pos(position) => position,
        InputLocation::Span((start, _)) => start,
    };
    let positives = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => positives,
        // pest's own budgets ("call limit reached", "stack limit reached").
        ErrorVariant::CustomError { message } => {
            return Problem::new(
                ProblemKind::TooComplex {
                    reason: message.clone(),
                },
                position..position,
            )
            .with_help("split the file, or shorten its longest lines");
        }
    };

    let mut expected: Vec<String> = Vec::new();
    for phrase in positives.iter().filter_map(|rule| phrase(*rule)) {
        if !expected.contains(&phrase) {
            expected.push(phrase);
        }
    }
    if expected.is_empty() {
        expected.push("the end of the line".to_owned());
    }
    let (found, span) = found_at(source, position);
    let problem = Problem::new(
        ProblemKind::Syntax {
            expected: join_alternatives(&expected),
            found: found.clone(),
        },
        span,
    );

    // A misspelled keyword: compare the words found with each keyword expected here.
    let mut words: Vec<&str> = positives.iter().filter_map(|rule| keyword(*rule)).collect();
    for rule in positives {
        words.extend_from_slice(candidates(*rule));
    }
    let rest = source.get(position..).unwrap_or("");
    let suggestion = did_you_mean_phrase(rest, &words);
    if let Some(keyword) = suggestion {
        return problem
            .with_label("not a word the language knows here")
            .with_help(format!("did you mean `{keyword}`?"));
    }
    if let Some((keyword, at)) = positives
        .contains(&Rule::colon)
        .then(|| missing_colon(source, position))
        .flatten()
    {
        let end = at + keyword.len();
        let line = line_at(source, at);
        return Problem::new(
            ProblemKind::Syntax {
                expected: "`:` before the consequence".to_owned(),
                found: format!("`{keyword}`"),
            },
            Span::new(at, end),
        )
        .with_label("put a `:` before this")
        .with_help(format!(
            "write `{}: {}`",
            source.get(line.0..at).unwrap_or("").trim_end(),
            source.get(at..line.1).unwrap_or("").trim_end()
        ));
    }
    if positives.contains(&Rule::EOI) && span.end > span.start {
        // Underline everything up to the end of the line, not just the first word.
        let (_, line_end) = line_at(source, position);
        let rest = source.get(position..line_end).unwrap_or("").trim_end();
        return Problem::new(
            ProblemKind::Syntax {
                expected: "the end of the line".to_owned(),
                found: format!("`{rest}`"),
            },
            Span::new(position, position + rest.len()),
        )
        .with_label("unexpected text after the rule")
        .with_help("remove it, or start a comment with `#`");
    }
    let wants_amount = positives.contains(&Rule::money) || positives.contains(&Rule::fixed);
    if wants_amount
        && found.starts_with('`')
        && source
            .get(position..)
            .is_some_and(|r| r.starts_with(char::is_alphabetic))
    {
        return problem
            .with_label("not an amount")
            .with_help("write the amount in digits, such as `15` or `12.5`");
    }
    if positives.contains(&Rule::close_quote) {
        return problem
            .with_label("the quote is not closed on this line")
            .with_help("end the event kind with `\"`");
    }
    if span.start == span.end {
        problem.with_label("the line ends too early")
    } else {
        problem.with_label("not valid here")
    }
}

/// The byte range of the line holding byte `at`, without its line break.
fn line_at(source: &str, at: usize) -> (usize, usize) {
    let before = source.get(..at).unwrap_or("");
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let end = source
        .get(at..)
        .and_then(|rest| rest.find(['\n', '\r']))
        .map_or(source.len(), |i| at + i);
    (start, end)
}

/// The keyword among `words` closest to the text at the start of `rest`, comparing as many
/// words of `rest` as the keyword has.
fn did_you_mean_phrase<'w>(rest: &str, words: &[&'w str]) -> Option<&'w str> {
    let line = rest.lines().next().unwrap_or("");
    let found: Vec<&str> = line.split_whitespace().collect();
    let mut best = None;
    for count in 1..=4usize.min(found.len()) {
        let text = found[..count].join(" ");
        let text = text.trim_end_matches([':', ',']);
        let same_length = words
            .iter()
            .copied()
            .filter(|w| w.split_whitespace().count() == count);
        if let Some(word) = did_you_mean(text, same_length) {
            best = Some(word);
            break;
        }
    }
    best
}

/// When a line lacks the colon between its event kind and its consequence, the kind may
/// swallow the consequence (`out of uniform fine 15`), or the parse stops at it (`late with
/// more than 3 minutes fine 15`). Finds that consequence keyword and its byte offset.
fn missing_colon(source: &str, position: usize) -> Option<(&'static str, usize)> {
    let (line_start, line_end) = line_at(source, position);
    let line = source.get(line_start..line_end)?;
    let mut offset = 0;
    let mut first = true;
    for word in line.split(' ') {
        let at = line_start + offset;
        offset += word.len() + 1;
        if word.is_empty() {
            continue;
        }
        if std::mem::take(&mut first) {
            continue; // the label
        }
        if let Some(keyword) = CONSEQUENCE_WORDS.iter().find(|k| **k == word) {
            return Some((keyword, at));
        }
    }
    None
}

/// The token at `position`, quoted, and its span; or "end of line" / "end of file".
fn found_at(source: &str, position: usize) -> (String, Span) {
    let rest = source.get(position..).unwrap_or("");
    let Some(first) = rest.chars().next() else {
        return (
            "the end of the file".to_owned(),
            Span::new(position, position),
        );
    };
    if first == '\n' || first == '\r' {
        return (
            "the end of the line".to_owned(),
            Span::new(position, position),
        );
    }
    let length = if first.is_alphanumeric() {
        rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-' || c == '.'))
            .unwrap_or(rest.len())
    } else {
        first.len_utf8()
    };
    let token = &rest[..length];
    (format!("`{token}`"), Span::new(position, position + length))
}

/// `a`, `a or b`, `a, b or c`.
fn join_alternatives(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}
