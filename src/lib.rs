#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod ast;
mod check;
mod diag;
mod error;
mod money;
mod print;
mod rulebook;
mod suggest;
mod syntax;

pub use diag::ProblemReport;
pub use error::{Error, Location, Problem, ProblemKind, RuleErrors};
pub use money::{Money, MoneyError};
pub use rulebook::{
    Action, Amount, Band, Comparison, Condition, Consequence, Direction, DocumentFields,
    Escalation, EscalationEffect, Header, Interval, KindId, Level, MeasureId, MeasureType, Nth,
    Outcome, OutcomeCondition, OutcomeKind, Period, PeriodRule, PeriodTest, Rule, Rulebook,
    Section, Target, Unit,
};
