//! Batch evaluation: every line of an input, sorted stably by instant, folded into one
//! [`Ledger`], then every month from the first to the last closed for the roster.

use std::sync::Arc;

use super::bounds::check_person_months;
use super::{EvaluateError, Evaluator, PreparedEvent, Rejection};
use crate::event::Event;
use crate::ledger::Ledger;
use crate::rulebook::Rulebook;
use crate::staff_id::{StaffIdProblem, check_staff_id};

/// The people period rules (such as the monthly full-attendance reward) are judged for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Roster {
    people: Vec<String>,
}

/// Why a roster cannot be made: an entry that names nobody (empty, blank, padded, or with a
/// control or invisible character — see [`Who`](crate::Who)).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RosterError {
    /// A line of a roster file.
    #[error("line {line} of the roster: {problem}")]
    Line {
        /// The line, from 1.
        line: usize,
        /// What is wrong with its id.
        problem: StaffIdProblem,
    },
    /// A line of a roster file that holds a column separator (`,` `;` or their full-width
    /// forms): a roster has one staff id a line, and a staff list exported as CSV would
    /// otherwise make a person of every row.
    #[error(
        "line {line} of the roster: \"{}\" holds a `{separator}`: a roster has one staff id a line and nothing else (a CSV file? keep only the column of ids)",
        crate::display::Quoted(text)
    )]
    Columns {
        /// The line, from 1.
        line: usize,
        /// The line's text, comment left out.
        text: String,
        /// The separator found.
        separator: char,
    },
    /// An id given to [`Roster::new`].
    #[error("staff id {position} of the roster: {problem}")]
    Entry {
        /// Its position in the list, from 1.
        position: usize,
        /// What is wrong with it.
        problem: StaffIdProblem,
    },
}

impl Roster {
    /// A roster of these staff ids; fails at the first that names nobody.
    pub fn new<S: Into<String>>(
        people: impl IntoIterator<Item = S>,
    ) -> Result<Roster, RosterError> {
        let people: Vec<String> = people.into_iter().map(Into::into).collect();
        for (position, id) in (1..).zip(&people) {
            check_staff_id(id).map_err(|problem| RosterError::Entry { position, problem })?;
        }
        Ok(Roster { people })
    }

    /// Reads a roster file: one staff id a line; `#` starts a comment; blank lines are
    /// skipped, and spaces around an id are not part of it. A line holding a column
    /// separator (`,` `;` `，` `；`) outside its comment is refused: a staff list exported as
    /// CSV is not a roster. Lines end as event lines do (LF,
    /// CR LF or a lone CR), and a byte order mark at the start is skipped. A line whose id
    /// names nobody (a control or invisible character in it) is an error naming the line.
    pub fn parse(text: &str) -> Result<Roster, RosterError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut people = Vec::new();
        for (line, content) in (1..).zip(lines(text)) {
            let id = content.split('#').next().unwrap_or_default().trim();
            if id.is_empty() {
                continue;
            }
            if let Some(separator) = id.chars().find(|c| matches!(c, ',' | ';' | '，' | '；')) {
                return Err(RosterError::Columns {
                    line,
                    text: id.to_owned(),
                    separator,
                });
            }
            check_staff_id(id).map_err(|problem| RosterError::Line { line, problem })?;
            people.push(id.to_owned());
        }
        Ok(Roster { people })
    }

    /// The staff ids, in order.
    pub fn people(&self) -> &[String] {
        &self.people
    }
}

/// The lines of `text`, each ended by LF, CR LF or a lone CR (a last line may have no end).
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text).filter(|t| !t.is_empty());
    std::iter::from_fn(move || {
        let text = rest?;
        let Some(end) = text.find(['\n', '\r']) else {
            rest = None;
            return Some(text);
        };
        let next = if text.get(end..end + 2) == Some("\r\n") {
            end + 2
        } else {
            end + 1
        };
        rest = text.get(next..).filter(|t| !t.is_empty());
        text.get(..end)
    })
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
///
/// The ledger must be empty ([`EvaluateError::LedgerInUse`] otherwise): a second evaluation
/// into it would count every person's month from nothing again and close its months twice.
/// To evaluate events as they come, use an [`Evaluator`].
pub fn evaluate_into(
    ledger: &mut Ledger,
    lines: impl IntoIterator<Item = (u64, Result<Event, Rejection>)>,
    roster: Option<&Roster>,
) -> Result<(), EvaluateError> {
    if !ledger.is_untouched() {
        return Err(EvaluateError::LedgerInUse);
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roster_lines_end_at_lf_crlf_or_cr() {
        let all: Vec<&str> = lines("a\nb\r\nc\rd\r\re").collect();
        assert_eq!(all, ["a", "b", "c", "d", "", "e"]);
        assert_eq!(lines("a\n").collect::<Vec<_>>(), ["a"]);
        assert_eq!(lines("").count(), 0);
        assert_eq!(lines("\r\n\n").collect::<Vec<_>>(), ["", ""]);
    }

    #[test]
    fn a_roster_refuses_an_id_that_names_nobody() {
        let roster = Roster::parse("\u{feff}# staff\r\nE1  # Chen\rE2\n\n").unwrap();
        assert_eq!(roster.people(), ["E1", "E2"]);
        assert_eq!(
            Roster::parse("E1\nE\u{1}2\n").unwrap_err().to_string(),
            r#"line 2 of the roster: "E\u{1}2" holds the control character U+0001"#
        );
        assert_eq!(
            Roster::parse("E1\rE2\u{200b}").unwrap_err().to_string(),
            r#"line 2 of the roster: "E2\u{200b}" holds the invisible character U+200B"#
        );
        assert_eq!(
            Roster::new(["E1", "", "E3"]).unwrap_err().to_string(),
            "staff id 2 of the roster: an empty staff id names nobody"
        );
        assert!(Roster::new([" E1"]).is_err());
        assert_eq!(Roster::new(["E1", "E2"]).unwrap().people(), ["E1", "E2"]);
    }

    #[test]
    fn a_roster_file_with_columns_is_refused() {
        // A staff list exported as CSV: read line by line, "id,name" and "E001,Wang Fang"
        // would be two people no event names, paid the monthly reward, and E001 not.
        assert_eq!(
            Roster::parse("id,name\nE001,Wang Fang\n")
                .unwrap_err()
                .to_string(),
            r#"line 1 of the roster: "id,name" holds a `,`: a roster has one staff id a line and nothing else (a CSV file? keep only the column of ids)"#
        );
        for text in ["E1\nE2;E3\n", "E1\nE2，E3", "E1\nE2；E3"] {
            assert!(
                matches!(
                    Roster::parse(text),
                    Err(RosterError::Columns { line: 2, .. })
                ),
                "{text:?}"
            );
        }
        // A comma in a comment is a comment.
        assert_eq!(
            Roster::parse("E1  # Chen, front desk\n").unwrap().people(),
            ["E1"]
        );
    }
}
