//! The evaluator against the reference model of the whole language (`tests/model`), on
//! random rulebooks and random streams: every construct the grammar accepts, printed as rule
//! text by the model's own printer, parsed and checked by the crate, and judged both ways.
//!
//! Each case is also judged three more ways, which must agree with batch evaluation: the lines
//! streamed in time order through an evaluator checkpointed and resumed before every line, and
//! sent through the general path only where batch takes the fast one where it can; the
//! lines streamed as they come, less those refused as out of time order; and a ledger that
//! keeps only totals.
//!
//! `PROPTEST_CASES` sets the number of cases (1,024 by default, a few seconds).

mod model;

use std::fmt::Write as _;
use std::sync::Arc;

use proptest::collection::vec;
use proptest::prelude::*;
use rulebook::{
    Approval, Direction, EvalState, Evaluator, Event, Ledger, Roster, Rulebook, Unit, evaluate,
    evaluate_into,
};
use rust_decimal::Decimal;

use model::book::{Book, Dir};
use model::generate::{self, Tape};
use model::{At, Input, Report, Statement};

/// An entry without its `why`, for comparing.
type Plain = (Option<u64>, String, String, Dir, bool, Decimal, Decimal);

fn plain(entry: &model::Entry) -> Plain {
    (
        entry.line,
        entry.at.clone(),
        entry.rule.clone(),
        entry.dir,
        entry.unit == model::book::Unit::Points,
        entry.base.normalize(),
        entry.amount.normalize(),
    )
}

/// The crate's report in the model's terms; each entry's `why` as its only piece.
fn from_crate(report: &rulebook::Report) -> Report {
    let money = |m: rulebook::Money| m.to_decimal().normalize();
    Report {
        statements: report
            .statements
            .iter()
            .map(|s| Statement {
                who: s.who.clone(),
                month: s.month.to_string(),
                fines: money(s.fines),
                rewards: money(s.rewards),
                net: money(s.net),
                points: s
                    .points
                    .map(|p| (money(p.fines), money(p.rewards), money(p.net))),
                entries: s
                    .entries
                    .iter()
                    .map(|e| model::Entry {
                        line: e.line,
                        at: e.at.clone(),
                        rule: e.rule.clone(),
                        dir: match e.kind {
                            Direction::Fine => Dir::Fine,
                            Direction::Reward => Dir::Reward,
                            other => panic!("a direction the model does not know: {other:?}"),
                        },
                        unit: match e.unit {
                            Unit::Points => model::book::Unit::Points,
                            _ => model::book::Unit::Money,
                        },
                        base: money(e.base),
                        amount: money(e.amount),
                        why: vec![e.why.clone()],
                    })
                    .collect(),
                outcomes: s
                    .outcomes
                    .iter()
                    .map(|o| model::Outcome {
                        line: o.line,
                        rule: o.rule.clone(),
                        kind: match o.kind.as_str() {
                            "dismissal" => "dismissal",
                            "remedy" => "remedy",
                            "promotion" => "promotion",
                            other => panic!("unknown outcome {other}"),
                        },
                        status: o.status.map(|a| match a {
                            Approval::Approved => "approved",
                            Approval::Pending => "pending approval",
                        }),
                        grades: o.grades,
                    })
                    .collect(),
            })
            .collect(),
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
        // Generated amounts never overflow a month: every rejection is a line's.
        rejected: report
            .rejected
            .iter()
            .map(|r| r.line.expect("a rejected line, not a refused period entry"))
            .collect(),
    }
}

/// A report as lines of text, the entries' `why` left out: what is compared.
fn render(report: &Report) -> Vec<String> {
    let mut out = Vec::new();
    for s in &report.statements {
        out.push(format!(
            "{} {}: fines {} rewards {} net {} points {:?}",
            s.who,
            s.month,
            s.fines.normalize(),
            s.rewards.normalize(),
            s.net.normalize(),
            s.points
                .map(|(f, r, n)| (f.normalize(), r.normalize(), n.normalize())),
        ));
        for entry in &s.entries {
            let (line, at, rule, dir, points, base, amount) = plain(entry);
            let unit = if points { " points" } else { "" };
            out.push(format!(
                "  {} line {line:?} {at} rule {rule} {dir:?} {base} -> {amount}{unit}",
                s.who
            ));
        }
        for o in &s.outcomes {
            out.push(format!(
                "  {} outcome line {:?} rule {} {} {:?} {:?}",
                s.who, o.line, o.rule, o.kind, o.status, o.grades
            ));
        }
    }
    for (line, rule) in &report.ignored {
        out.push(format!("ignored line {line} by rule {rule}"));
    }
    out.push(format!("rejected {:?}", report.rejected));
    out
}

/// The lines of two renderings, those of only one marked `-` (evaluator) or `+` (model).
fn diff(actual: &[String], expected: &[String]) -> String {
    let mut out = String::new();
    for line in actual {
        let mark = if expected.contains(line) { ' ' } else { '-' };
        let _ = writeln!(out, "{mark} {line}");
    }
    for line in expected {
        if !actual.contains(line) {
            let _ = writeln!(out, "+ {line}");
        }
    }
    out
}

/// The rule file and the input, for a failure message.
fn shown(text: &str, lines: &[(u64, Input)], roster: Option<&[String]>) -> String {
    let mut out = format!("── rules ──\n{text}── events (roster {roster:?}) ──\n");
    for (line, input) in lines {
        let _ = writeln!(out, "{line:>3}: {}", input.json());
    }
    out
}

/// Judges `lines` by `book` both ways; `Err` with everything needed to reproduce a
/// disagreement.
fn compare(book: &Book, lines: &[(u64, Input)], roster: Option<&[String]>) -> Result<(), String> {
    let text = book.text();
    let rulebook = match Rulebook::parse("generated.rules", &text) {
        Ok(rulebook) => Arc::new(rulebook),
        Err(errors) => {
            let problems: Vec<String> = errors
                .problems()
                .iter()
                .map(|p| format!("{}: {p}", p.location().line))
                .collect();
            return Err(format!(
                "the generated rule file was refused:\n{}\n{}",
                problems.join("\n"),
                shown(&text, lines, roster)
            ));
        }
    };
    let expected = model::evaluate(book, lines, roster);
    let events = lines
        .iter()
        .map(|(line, input)| (*line, Event::from_json(&input.json())));
    let roster_list = roster
        .map(|people| Roster::new(people.iter().cloned()))
        .transpose()
        .map_err(|e| format!("the generated roster is refused: {e}"))?;
    let report = evaluate(Arc::clone(&rulebook), events, roster_list.as_ref())
        .map_err(|e| format!("evaluation failed: {e}\n{}", shown(&text, lines, roster)))?
        .report();
    let actual = from_crate(&report);
    let (got, want) = (render(&actual), render(&expected));
    if got != want {
        return Err(format!(
            "the evaluator (-) and the model (+) differ\n{}{}",
            diff(&got, &want),
            shown(&text, lines, roster)
        ));
    }
    // The same lines in time order, streamed one by one through an evaluator checkpointed
    // and resumed before each line: the same report, every reason included.
    let streamed = stream_in_time_order(&rulebook, lines, roster_list.as_ref());
    if streamed != report {
        return Err(format!(
            "streaming the lines in time order (-) and batch (+) differ\n{}{}",
            diff(
                &render(&from_crate(&streamed)),
                &render(&from_crate(&report))
            ),
            shown(&text, lines, roster)
        ));
    }
    // The lines as they come (not in time order), streamed: each line it refuses as out of
    // time order is left out, and the rest give what batch gives for them.
    let (as_they_come, out_of_order) = stream_as_they_come(&rulebook, lines, roster_list.as_ref());
    let kept: Vec<(u64, Input)> = lines
        .iter()
        .filter(|(line, _)| !out_of_order.contains(line))
        .cloned()
        .collect();
    let events = kept
        .iter()
        .map(|(line, input)| (*line, Event::from_json(&input.json())));
    let batch_of_kept = evaluate(Arc::clone(&rulebook), events, roster_list.as_ref())
        .map_err(|e| format!("evaluation failed: {e}\n{}", shown(&text, lines, roster)))?
        .report();
    if as_they_come != batch_of_kept {
        return Err(format!(
            "streaming the lines as they come (-) and batch without lines {out_of_order:?} (+) differ\n{}{}",
            diff(
                &render(&from_crate(&as_they_come)),
                &render(&from_crate(&batch_of_kept))
            ),
            shown(&text, lines, roster)
        ));
    }
    // A ledger that keeps only totals has the same totals, outcomes and rejected lines.
    let mut totals = Ledger::totals_only(Arc::clone(&rulebook));
    let events = lines
        .iter()
        .map(|(line, input)| (*line, Event::from_json(&input.json())));
    evaluate_into(&mut totals, events, roster_list.as_ref())
        .map_err(|e| format!("evaluation failed: {e}\n{}", shown(&text, lines, roster)))?;
    let (totals_ignored, totals) = (totals.ignored_count(), totals.report());
    let without_entries = |report: &rulebook::Report| -> Vec<String> {
        report
            .statements
            .iter()
            .map(|s| {
                format!(
                    "{} {}: {} {} {} {:?} {:?}",
                    s.who, s.month, s.fines, s.rewards, s.net, s.points, s.outcomes
                )
            })
            .chain(report.rejected.iter().map(|r| format!("{r:?}")))
            .collect()
    };
    if without_entries(&totals) != without_entries(&report)
        || totals_ignored != report.ignored.len() as u64
    {
        return Err(format!(
            "a totals-only ledger (-) and a full one (+) differ ({totals_ignored} and {} ignored)\n{}{}",
            report.ignored.len(),
            diff(&without_entries(&totals), &without_entries(&report)),
            shown(&text, lines, roster)
        ));
    }
    // Every reason is said, and says the numbers that made the figure.
    for (got, want) in actual.statements.iter().zip(&expected.statements) {
        for (got, want) in got.entries.iter().zip(&want.entries) {
            let why = &got.why[0];
            let missing: Vec<&String> = want.why.iter().filter(|p| !why.contains(*p)).collect();
            if why.is_empty() || !missing.is_empty() {
                return Err(format!(
                    "the reason of line {:?} ({}) is `{why}`: it misses {missing:?}\n{}",
                    got.line,
                    got.rule,
                    shown(&text, lines, roster)
                ));
            }
        }
    }
    let unexplained = report
        .ignored
        .iter()
        .filter(|i| i.why.is_empty())
        .filter_map(|i| i.line)
        .chain(
            report
                .rejected
                .iter()
                .filter(|r| r.why.is_empty())
                .filter_map(|r| r.line),
        )
        .next();
    if let Some(line) = unexplained {
        return Err(format!(
            "line {line} is ignored or rejected without a reason\n{}",
            shown(&text, lines, roster)
        ));
    }
    Ok(())
}

/// Streams `lines`, sorted stably by time (lines with no valid time first), through one
/// evaluator that is checkpointed (its state through serde_json) and resumed before each
/// line, and takes the general path for every event (never the fast one), into one ledger;
/// then closes every month.
fn stream_in_time_order(
    rulebook: &Arc<Rulebook>,
    lines: &[(u64, Input)],
    roster: Option<&Roster>,
) -> rulebook::Report {
    let mut ordered: Vec<&(u64, Input)> = lines.iter().collect();
    ordered.sort_by_key(|(_, input)| match input {
        Input::Event {
            at: At::Local(at, _),
            ..
        } => Some(*at),
        _ => None,
    });
    let mut evaluator = Evaluator::new(Arc::clone(rulebook));
    let mut ledger = Ledger::new(Arc::clone(rulebook));
    for (line, input) in ordered {
        let json = serde_json::to_string(evaluator.state()).expect("the state serializes");
        let state: EvalState = serde_json::from_str(&json).expect("the state deserializes");
        evaluator = Evaluator::resume(Arc::clone(rulebook), state).expect("the same rulebook");
        // Batch takes the fast path where it can; this stream takes the general one for
        // every event, so that the two paths are compared on every case.
        evaluator.general_path_only();
        let applied = Event::from_json(&input.json())
            .and_then(|event| evaluator.prepare(Some(*line), &event))
            .and_then(|prepared| evaluator.apply_prepared(&prepared, &mut ledger));
        if let Err(rejection) = applied {
            ledger.reject(*line, rejection);
        }
    }
    evaluator
        .close_all(roster, &mut ledger)
        .expect("a few months, a few people");
    ledger.report()
}

/// Streams `lines` in the order given through one evaluator into one ledger, then closes
/// every month; the report without the lines rejected as out of time order, and those lines.
fn stream_as_they_come(
    rulebook: &Arc<Rulebook>,
    lines: &[(u64, Input)],
    roster: Option<&Roster>,
) -> (rulebook::Report, Vec<u64>) {
    let mut evaluator = Evaluator::new(Arc::clone(rulebook));
    let mut ledger = Ledger::new(Arc::clone(rulebook));
    let mut out_of_order = Vec::new();
    for (line, input) in lines {
        let applied = Event::from_json(&input.json())
            .and_then(|event| evaluator.prepare(Some(*line), &event))
            .and_then(|prepared| evaluator.apply_prepared(&prepared, &mut ledger));
        match applied {
            Err(rulebook::Rejection::OutOfOrder { .. }) => out_of_order.push(*line),
            Err(rejection) => ledger.reject(*line, rejection),
            Ok(_) => {}
        }
    }
    evaluator
        .close_all(roster, &mut ledger)
        .expect("a few months, a few people");
    (ledger.report(), out_of_order)
}

/// The random numbers a rulebook is made of.
fn book_tape() -> impl Strategy<Value = Vec<u32>> {
    vec(any::<u32>(), 100..600)
}

/// The random numbers a stream is made of (enough for its 50 lines, most of the time).
fn stream_tape() -> impl Strategy<Value = Vec<u32>> {
    vec(any::<u32>(), 500..3000)
}

/// The `n`th value of `strategy` in a fixed sequence, for the tests that are not properties.
fn nth_value<S: Strategy>(
    strategy: &S,
    runner: &mut proptest::test_runner::TestRunner,
) -> S::Value {
    use proptest::strategy::ValueTree;
    strategy.new_tree(runner).unwrap().current()
}

/// `cases`, unless `PROPTEST_CASES` says otherwise (for a longer run).
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        max_shrink_iters: 2_000,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(1024))]

    /// The evaluator and the model agree on every statement (totals, points, entries in
    /// order with their rule, kind, base and amount, outcomes), on which lines are ignored
    /// (and by which rule) and which rejected; every reason names the numbers it rests on.
    #[test]
    fn evaluator_agrees_with_the_model_of_the_language(
        book_tape in book_tape(),
        stream_tape in stream_tape(),
    ) {
        let book = generate::book(&mut Tape::new(&book_tape));
        let (lines, roster) = generate::stream(&mut Tape::new(&stream_tape), &book);
        if let Err(message) = compare(&book, &lines, roster.as_deref()) {
            prop_assert!(false, "{}", message);
        }
    }
}

/// The generator makes rulebooks `check` accepts: none of the first 2,000 is refused.
#[test]
fn generated_rulebooks_are_accepted() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut refused = Vec::new();
    for _ in 0..2_000 {
        let tape = nth_value(&book_tape(), &mut runner);
        let book = generate::book(&mut Tape::new(&tape));
        let text = book.text();
        if let Err(errors) = Rulebook::parse("generated.rules", &text) {
            refused.push(format!("{errors:?}\n{text}"));
        }
    }
    assert!(
        refused.is_empty(),
        "{} refused; the first:\n{}",
        refused.len(),
        refused[0]
    );
}

/// Prints a few generated rulebooks and streams (run with `--ignored --nocapture`).
#[test]
#[ignore]
fn show_samples() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    for _ in 0..4 {
        let tape = nth_value(&book_tape(), &mut runner);
        let stream = nth_value(&stream_tape(), &mut runner);
        let book = generate::book(&mut Tape::new(&tape));
        let (lines, roster) = generate::stream(&mut Tape::new(&stream), &book);
        println!("{}", shown(&book.text(), &lines, roster.as_deref()));
    }
}

/// The generator reaches every construct of the language, and the streams make each one
/// matter: over 1,000 cases, each phrase appears in some rule file, and each kind of figure in
/// some report of the model.
#[test]
fn the_generator_reaches_every_construct() {
    let phrases = [
        "with more than",
        "with over",
        "with above",
        "with at least",
        "with less than",
        "with fewer than",
        "with under",
        "with below",
        "with at most",
        "with exactly",
        " of more than ",
        " and with ",
        "when not ",
        " per ",
        " beyond ",
        "% of ",
        " to ",
        "the 1st time",
        "from the 2nd time on",
        "from the 4th time on",
        "the 2nd time",
        " points",
        " yuan",
        "for every person named",
        "for their manager",
        "for their mentor",
        "dismissal",
        "ordered to remedy",
        "promotion by 2 grades",
        "subject to approval",
        "dismissal when",
        "dismissal the",
        "counts as",
        ", by ",
        "\n  - less than",
        "\n  - more than",
        "no consequence",
        "each month",
        "each quarter",
        "each year",
        "with no attendance event (",
        "in a row",
        "in the same month",
        "in the same quarter",
        "in the same year",
        "only the",
        "every 2nd",
        "from the 3rd fine",
        "reward on",
        "in section",
        "in sections",
        "of the last",
        "its own base",
        "so far",
        "an extra",
        "section 1:",
        "measure minutes: whole number",
        "measure severe: flag",
        "measure manager: text",
        "\"fee or tip\"",
        " case (",
        "_v (",
    ];
    let mut phrase_seen = vec![false; phrases.len()];
    // How many entries and outcomes of each kind the model made.
    let names = [
        "escalated",
        "by a period rule",
        "in points",
        "for a related person",
        "of a schedule past its 1st time",
        "counted as another kind",
        "in a band",
        "per unit",
        "a percentage",
        "period outcome",
        "event outcome",
        "ignored",
        "rejected",
    ];
    let mut figures = [0usize; 13];
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    for _ in 0..1_000 {
        let book_tape = nth_value(&book_tape(), &mut runner);
        let stream_tape = nth_value(&stream_tape(), &mut runner);
        let book = generate::book(&mut Tape::new(&book_tape));
        let text = book.text();
        for (seen, phrase) in phrase_seen.iter_mut().zip(phrases) {
            *seen |= text.contains(phrase);
        }
        let (lines, roster) = generate::stream(&mut Tape::new(&stream_tape), &book);
        let report = model::evaluate(&book, &lines, roster.as_deref());
        for statement in &report.statements {
            for entry in &statement.entries {
                let said = |start: &str| entry.why.iter().any(|w| w.starts_with(start));
                let has = |part: &str| entry.why.iter().any(|w| w.contains(part));
                let later = entry.why.iter().any(|w| {
                    w.starts_with("the ") && w.contains(" time in ") && !w.contains("1st")
                });
                let counts = [
                    entry.amount != entry.base,
                    entry.line.is_none(),
                    entry.unit == model::book::Unit::Points,
                    said("as the "),
                    later,
                    has("(counts as "),
                    entry.why.iter().any(|w| w.ends_with(", ")),
                    has(" each"),
                    has("% of "),
                ];
                for (figure, counted) in figures.iter_mut().zip(counts) {
                    *figure += usize::from(counted);
                }
            }
            figures[9] += statement
                .outcomes
                .iter()
                .filter(|o| o.line.is_none())
                .count();
            figures[10] += statement
                .outcomes
                .iter()
                .filter(|o| o.line.is_some())
                .count();
        }
        figures[11] += report.ignored.len();
        figures[12] += report.rejected.len();
    }
    let missing: Vec<&str> = phrases
        .iter()
        .zip(&phrase_seen)
        .filter(|(_, seen)| !**seen)
        .map(|(phrase, _)| *phrase)
        .collect();
    assert!(missing.is_empty(), "never generated: {missing:?}");
    let made: Vec<(&str, usize)> = names.into_iter().zip(figures).collect();
    assert!(
        made.iter().all(|(_, n)| *n > 100),
        "too few entries of a kind: {made:?}"
    );
}
