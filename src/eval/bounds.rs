//! What one evaluation may be made to do: the person-months its period rules close, the
//! months it closes (once each, in order), and the ledger it fills (its own).

use crate::calendar::Month;
use crate::limits::MAX_PERSON_MONTHS;

/// Why an evaluation as a whole, or the closing of a month, was refused: the input asks for
/// more than one evaluation may do, the months would not close once and in order, or the
/// ledger holds another evaluation. Nothing was closed; no figure was made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EvaluateError {
    /// The months from the first event to the last, times the people period rules are judged
    /// for, are more than [`MAX_PERSON_MONTHS`]: most likely a mistyped year.
    #[error(
        "the events run from {first}{} to {last}{}, {months} months for {people} people: {} person-months to close, more than the {limit} one evaluation closes; is a year mistyped?",
        at_line(*first_line),
        at_line(*last_line),
        months.saturating_mul(*people)
    )]
    TooManyPersonMonths {
        /// The first month.
        first: Month,
        /// The input line of an event in the first month, where known.
        first_line: Option<u64>,
        /// The last month.
        last: Month,
        /// The input line of an event in the last month, where known.
        last_line: Option<u64>,
        /// Months from the first to the last, both counted.
        months: u64,
        /// The people period rules are judged for (the roster, or everyone named).
        people: u64,
        /// The limit.
        limit: u64,
    },
    /// [`Evaluator::close_month`](crate::Evaluator::close_month) was asked to close a month
    /// that is closed already: its period rules would fire twice.
    #[error(
        "{month} is already closed (months are closed through {closed_through}): its period rules have been applied"
    )]
    AlreadyClosed {
        /// The month asked for.
        month: Month,
        /// The last month closed.
        closed_through: Month,
    },
    /// [`Evaluator::close_month`](crate::Evaluator::close_month) was asked to close a month
    /// while an earlier one, which must close first, is open: months close in order, so
    /// that no month's period rules are skipped.
    #[error("{month} cannot be closed before {next}: months are closed in order")]
    MonthNotNext {
        /// The month asked for.
        month: Month,
        /// The month to close first.
        next: Month,
    },
    /// [`evaluate_into`](crate::evaluate_into) was given a ledger that already holds an
    /// evaluation: a new evaluation would count from nothing again (the 3rd fine of a month
    /// not doubled) and close its months a second time (a monthly reward paid twice).
    #[error(
        "the ledger already holds an evaluation: evaluate every event of a period in one go, into an empty ledger"
    )]
    LedgerInUse,
    /// The ledger holds the entries of another evaluation. Nothing was closed.
    #[error(
        "the ledger holds another evaluation's entries: keep one ledger per evaluation, and resume from a checkpoint to continue one"
    )]
    ForeignLedger,
}

fn at_line(line: Option<u64>) -> String {
    line.map(|line| format!(" (line {line})"))
        .unwrap_or_default()
}

/// Months from `first` to `last`, both counted (0 when `last` is earlier).
pub(crate) fn months_between(first: Month, last: Month) -> u64 {
    let index = |m: Month| i64::from(m.year()) * 12 + i64::from(m.month());
    u64::try_from(index(last) - index(first) + 1).unwrap_or(0)
}

/// Refuses an evaluation whose period rules would close more than [`MAX_PERSON_MONTHS`].
pub(crate) fn check_person_months(
    (first, first_line): (Month, Option<u64>),
    (last, last_line): (Month, Option<u64>),
    people: usize,
) -> Result<(), EvaluateError> {
    let months = months_between(first, last);
    let people = people as u64;
    if months.saturating_mul(people) <= MAX_PERSON_MONTHS {
        return Ok(());
    }
    Err(EvaluateError::TooManyPersonMonths {
        first,
        first_line,
        last,
        last_line,
        months,
        people,
        limit: MAX_PERSON_MONTHS,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_months_both_ends_included() {
        let month = |y, m| Month::new(y, m).unwrap();
        assert_eq!(months_between(month(2025, 8), month(2025, 8)), 1);
        assert_eq!(months_between(month(2025, 8), month(2026, 7)), 12);
        assert_eq!(months_between(month(2025, 8), month(2125, 7)), 1200);
        assert_eq!(months_between(month(2025, 8), month(2025, 7)), 0);
    }
}
