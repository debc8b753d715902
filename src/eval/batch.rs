//! Batch evaluation: every line of an input, sorted stably by instant, folded into one
//! [`Ledger`], then every month from the first to the last closed for the roster.

use std::sync::Arc;

use super::bounds::check_person_months;
use super::{EvaluateError, Evaluator, PreparedEvent, Rejection};
use crate::event::Event;
use crate::ledger::Ledger;
use crate::rulebook::Rulebook;

/// The people period rules (such as the monthly full-attendance reward) are judged for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Roster {
    people: Vec<String>,
}

impl Roster {
    /// A roster of these staff ids.
    pub fn new<S: Into<String>>(people: impl IntoIterator<Item = S>) -> Roster {
        Roster {
            people: people.into_iter().map(Into::into).collect(),
        }
    }

    /// Reads a roster file: one staff id a line; `#` starts a comment; blank lines are
    /// skipped.
    pub fn parse(text: &str) -> Roster {
        Roster::new(
            text.lines()
                .map(|line| line.split('#').next().unwrap_or("").trim())
                .filter(|id| !id.is_empty()),
        )
    }

    /// The staff ids, in order.
    pub fn people(&self) -> &[String] {
        &self.people
    }
}

/// Evaluates a whole input: each line's event (or the reason it could not be read), with its
/// line number. Events are checked, sorted stably by instant (events at the same instant keep
/// their input order), applied, and then every month from the first to the last of the lines
/// applied or ignored is closed for the roster — the given one, or everyone named on those
/// lines. Every line ends up in exactly one place: an entry (or several), `ignored`, or
/// `rejected`.
///
/// A period rule whose amounts a person's month cannot take (the totals would overflow)
/// makes no entry for that person and month, and is listed among the rejected.
///
/// Refuses the whole evaluation, before applying anything, when the months from the first
/// event to the last times the people judged are more than
/// [`MAX_PERSON_MONTHS`](crate::limits::MAX_PERSON_MONTHS) (a mistyped year, most likely).
pub fn evaluate(
    rulebook: Arc<Rulebook>,
    lines: impl IntoIterator<Item = (u64, Result<Event, Rejection>)>,
    roster: Option<&Roster>,
) -> Result<Ledger, EvaluateError> {
    let mut ledger = Ledger::new(rulebook);
    evaluate_into(&mut ledger, lines, roster)?;
    Ok(ledger)
}

/// [`evaluate`] into a ledger of the caller's (such as [`Ledger::totals_only`]), by the
/// ledger's rulebook. Each event is checked as it is read, so only the compact prepared
/// events are held until they are sorted.
pub fn evaluate_into(
    ledger: &mut Ledger,
    lines: impl IntoIterator<Item = (u64, Result<Event, Rejection>)>,
    roster: Option<&Roster>,
) -> Result<(), EvaluateError> {
    let mut evaluator = Evaluator::new(Arc::clone(ledger.rulebook()));
    let ledger = &mut *ledger;
    let mut prepared: Vec<PreparedEvent> = Vec::new();
    for (line, event) in lines {
        match event.and_then(|event| evaluator.prepare(Some(line), &event)) {
            Ok(event) => prepared.push(event),
            Err(rejection) => ledger.reject(line, rejection),
        }
    }
    prepared.sort_by_key(PreparedEvent::instant);
    if let (Some(first), Some(last)) = (prepared.first(), prepared.last()) {
        let people = roster.map_or(evaluator.people_met(), |r| r.people().len());
        check_person_months(
            (first.month, first.line()),
            (last.month, last.line()),
            people,
        )?;
    }
    for event in &prepared {
        if let Err(rejection) = evaluator.apply_prepared(event, ledger) {
            ledger.reject(event.line().unwrap_or(0), rejection);
        }
    }
    drop(prepared);
    evaluator.close_all(roster, ledger)
}
