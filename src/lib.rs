#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod ast;
mod calendar;
mod check;
mod compile;
mod diag;
pub mod display;
mod error;
mod eval;
mod event;
mod lang;
mod ledger;
pub mod limits;
mod live;
mod money;
mod print;
mod rejection;
mod rulebook;
mod staff_id;
mod suggest;
mod syntax;
mod vocab;
#[cfg(feature = "watch")]
pub mod watch;

pub use calendar::{Month, Stamp, TimestampError};
pub use diag::ProblemReport;
pub use error::VersionErrors;
pub use error::{Error, Location, Problem, ProblemKind, RuleErrors};
pub use eval::{
    Applied, Approval, EvalState, EvaluateError, Evaluator, PersonId, PreparedEvent, Roster,
    RosterError, evaluate, evaluate_into,
};
pub use event::{Event, EventLines, JsonType, Line, LineContent, Value, Who, read_events};
pub use lang::Language;
pub use ledger::{
    Entry, IgnoredLine, Ledger, OutcomeEntry, Points, RejectedLine, Report, Statement, Verdict,
};
pub use live::{DEFAULT_SETTLE, LiveRules};
pub use money::{Money, MoneyError};
pub use rejection::Rejection;
pub use rulebook::Version;
pub use rulebook::{
    Action, Amount, Band, Condition, Consequence, DocumentFields, Escalation, EscalationEffect,
    Header, KindId, Level, MeasureId, Outcome, OutcomeCondition, OutcomeKind, PeriodRule,
    PeriodTest, Rule, Rulebook, Section, Target,
};
pub use staff_id::StaffIdProblem;
pub use vocab::{Comparison, Direction, Interval, MeasureType, Nth, Period, Unit};
