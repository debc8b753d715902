//! Why an input line is rejected: typed, with the words `rulebook eval` prints.

use serde::Serialize;

use crate::calendar::TimestampError;
use crate::display::Quoted;
use crate::staff_id::StaffIdProblem;

/// Why an event line is rejected. Every rejected line is reported with its line number and
/// this reason; nothing is dropped silently.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Rejection {
    /// The line is not valid UTF-8.
    #[error("not valid UTF-8")]
    NotUtf8,
    /// The line is longer than [`MAX_EVENT_LINE_BYTES`](crate::limits::MAX_EVENT_LINE_BYTES);
    /// it was skipped over without being held in memory.
    #[error("the line has {bytes} bytes; an event line may have at most {limit}")]
    LineTooLong {
        /// The line's length in bytes, its line end included.
        bytes: u64,
        /// The limit.
        limit: usize,
    },
    /// The line is not valid JSON.
    #[error("not valid JSON: {detail}")]
    NotJson {
        /// What the JSON reader said.
        detail: String,
    },
    /// The line is JSON, but not an object.
    #[error("not a JSON object")]
    NotAnObject,
    /// `at`, `who` or `event` is missing.
    #[error("missing field `{field}`")]
    MissingField {
        /// The field.
        field: &'static str,
    },
    /// A field is given twice.
    #[error("`{}` is given twice", Quoted(field))]
    DuplicateField {
        /// The field.
        field: String,
    },
    /// `at`, `who` or `event` has the wrong JSON type.
    #[error("`{field}` must be {expected}, not {found}")]
    IllTypedField {
        /// The field.
        field: &'static str,
        /// What it must be.
        expected: &'static str,
        /// What it is.
        found: &'static str,
    },
    /// `at` is not in one of the forms [`Stamp::parse`](crate::Stamp::parse) reads.
    #[error(
        "bad timestamp \"{}\": {problem}; write a date such as \"2025-08-18\", a local time such as \"2025-08-18T09:30\" or \"2025-08-18 09:30:00.250\", or a time with an offset such as \"2025-08-18T09:30:00+08:00\" or \"2025-08-18T01:30:00Z\"",
        Quoted(text)
    )]
    BadTimestamp {
        /// The text of `at`.
        text: String,
        /// What is wrong with it.
        problem: TimestampError,
    },
    /// The event kind is not one the rulebook knows.
    #[error("unknown event kind \"{}\"{}", Quoted(kind), .suggestion.as_ref().map(|s| format!("; did you mean \"{s}\"?")).unwrap_or_default())]
    UnknownKind {
        /// The kind as given.
        kind: String,
        /// The closest known kind, if one is close.
        suggestion: Option<String>,
    },
    /// The kind is known to another version of the rules, not to the one in force.
    #[error(
        "event kind \"{kind}\" is not in the version in force on {date} (the version of {version})"
    )]
    KindNotInForce {
        /// The kind as given.
        kind: String,
        /// The event's local date.
        date: String,
        /// The effective date of the version in force.
        version: String,
    },
    /// `who` names nobody, or an empty id.
    #[error("`who` must name a person: an empty staff id is not one")]
    EmptyPerson,
    /// `who`, or an attribute naming a related person, holds a string that names nobody:
    /// only white space, white space around it, or a control or invisible character.
    #[error("`{}` must name a person: {problem}", Quoted(field))]
    BadStaffId {
        /// `who`, or the attribute.
        field: String,
        /// What is wrong with the id.
        problem: StaffIdProblem,
    },
    /// `who` names the same person twice.
    #[error("`who` names \"{who}\" twice")]
    DuplicatePerson {
        /// The repeated id.
        who: String,
    },
    /// `who` is a list, but the kind's rules concern one person.
    #[error("`who` must be one staff id for \"{kind}\", not a list")]
    NotCollective {
        /// The event kind.
        kind: String,
    },
    /// A measure the rules read is missing.
    #[error("missing attribute `{name}` for \"{kind}\"")]
    MissingAttribute {
        /// The attribute.
        name: String,
        /// The event kind.
        kind: String,
    },
    /// A measure has the wrong type.
    #[error("attribute `{name}` must be {expected}, not {found}")]
    IllTypedAttribute {
        /// The attribute.
        name: String,
        /// What it must be.
        expected: &'static str,
        /// What it is.
        found: &'static str,
    },
    /// The event's `amount` is outside the rule's range.
    #[error("`amount` {amount} is outside {low}..={high} for \"{kind}\"")]
    AmountOutOfRange {
        /// The amount given.
        amount: String,
        /// The least allowed.
        low: String,
        /// The greatest allowed.
        high: String,
        /// The event kind.
        kind: String,
    },
    /// The event's `amount` has a fraction of a fen.
    #[error("`amount` {amount} has more than two decimals")]
    AmountNotExact {
        /// The amount given.
        amount: String,
    },
    /// The event gives an `amount`, but the rule's amount is fixed.
    #[error("`amount` is given, but \"{kind}\" has a fixed amount")]
    AmountNotAllowed {
        /// The event kind.
        kind: String,
    },
    /// The event is dated before every loaded rulebook takes effect.
    #[error("no rulebook in force on {date}")]
    NotInForce {
        /// The event's local date.
        date: String,
    },
    /// The event is dated [`MAX_YEARS_AHEAD`](crate::limits::MAX_YEARS_AHEAD) years or more
    /// after the rulebook takes effect: most likely a mistyped year.
    #[error(
        "the date {date} is {} years or more after the rulebook takes effect ({effective}); is the year right?",
        crate::limits::MAX_YEARS_AHEAD
    )]
    TooFarAhead {
        /// The event's local date.
        date: String,
        /// The rulebook's effective date.
        effective: String,
    },
    /// In streaming, an event earlier than one already applied for the same person.
    #[error("out of time order: \"{who}\" already has an event at {last}")]
    OutOfOrder {
        /// The person.
        who: String,
        /// The later event already applied.
        last: String,
    },
    /// A computed amount is not a whole number of fen.
    #[error("the amount {amount} of rule {rule} has more than two decimals")]
    FractionOfMinorUnit {
        /// The rule's label.
        rule: String,
        /// The amount computed.
        amount: String,
    },
    /// An amount or a total would exceed what the money type holds.
    #[error("the amounts of rule {rule} are too large to add up")]
    Overflow {
        /// The rule's label.
        rule: String,
    },
    /// A rule charges a related person who is the person at fault.
    #[error("\"{who}\" is named as their own {role}")]
    OwnRelation {
        /// The person.
        who: String,
        /// The relation (`manager`).
        role: String,
    },
    /// The event was prepared by another evaluator, whose people are not this one's.
    #[error("the event was prepared by another evaluator: apply it to the one that prepared it")]
    ForeignEvent,
    /// The event's month was closed already ([`Evaluator::close_month`](crate::Evaluator::close_month)):
    /// its period rules have fired, and an event of it could change what they decided.
    #[error(
        "{month} is already closed: its period rules have been applied, so an event of {month} can no longer be counted"
    )]
    MonthClosed {
        /// The event's month.
        month: String,
    },
    /// The ledger holds the entries of another evaluation (another evaluator, or one not
    /// resumed from this one's checkpoint), which numbers its people otherwise.
    #[error(
        "the ledger holds another evaluation's entries: keep one ledger per evaluation, and resume from a checkpoint to continue one"
    )]
    ForeignLedger,
    /// `counts as` links that go round in a circle.
    #[error("\"{kind}\" counts as other kinds more than 8 times over; the rules loop")]
    CountsAsLoop {
        /// The event kind.
        kind: String,
    },
}
