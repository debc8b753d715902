//! The typed syntax tree of a rule file, as written: every node carries the byte [`Span`] of
//! the text it came from. Lowering (`syntax`) builds it; checking (`check`) turns it into a
//! [`Rulebook`](crate::Rulebook); the printer (`print`) writes it back in canonical form.
//!
//! Spans take no part in equality: two trees are equal when they say the same thing, wherever
//! it was written. That is what the print → parse round trip compares.

use rust_decimal::Decimal;

use crate::vocab::{Comparison, Direction, MeasureType, Nth, Period, Unit};

/// A byte range `start..end` in the source text.
#[derive(Debug, Clone, Copy, Default)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
}

impl Span {
    /// The span `start..end`.
    pub const fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }
}

impl PartialEq for Span {
    fn eq(&self, _: &Span) -> bool {
        true
    }
}

/// A value and the span of the text that wrote it.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

/// A whole rule file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    pub header: Vec<HeaderField>,
    pub items: Vec<Item>,
}

/// One `key: value` line of the header.
#[derive(Debug, Clone, PartialEq)]
pub struct HeaderField {
    pub key: Spanned<HeaderKey>,
    pub value: HeaderValue,
    pub span: Span,
}

/// The keys a header may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HeaderKey {
    Title,
    Effective,
    InForceUntil,
    Repeals,
    Currency,
    TimeZone,
    Purpose,
    DraftedBy,
    ApprovedBy,
    MaintainedBy,
    CopiesTo,
    DistributedTo,
}

impl HeaderKey {
    /// The key as a rule file writes it.
    pub fn words(self) -> &'static str {
        match self {
            HeaderKey::Title => "title",
            HeaderKey::Effective => "effective",
            HeaderKey::InForceUntil => "in force until",
            HeaderKey::Repeals => "repeals",
            HeaderKey::Currency => "currency",
            HeaderKey::TimeZone => "time zone",
            HeaderKey::Purpose => "purpose",
            HeaderKey::DraftedBy => "drafted by",
            HeaderKey::ApprovedBy => "approved by",
            HeaderKey::MaintainedBy => "maintained by",
            HeaderKey::CopiesTo => "copies to",
            HeaderKey::DistributedTo => "distributed to",
        }
    }
}

/// A header value as written; dates and offsets are checked later.
#[derive(Debug, Clone, PartialEq)]
pub enum HeaderValue {
    /// Free text to the end of the line (trimmed), possibly empty.
    Text(Spanned<String>),
    /// One date `YYYY-MM-DD`, not yet known to exist.
    Date(Spanned<String>),
    /// The dates of repealed versions.
    Dates(Vec<Spanned<String>>),
    /// A currency code or a UTC offset.
    Word(Spanned<String>),
}

/// A section heading, a measure or event declaration, or a rule.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Section(Section),
    Measure(MeasureDecl),
    Kind(KindDecl),
    Rule(Rule),
}

/// `measure rings: whole number`, `measure 響聲 (rings): whole number`
#[derive(Debug, Clone, PartialEq)]
pub struct MeasureDecl {
    pub name: Spanned<String>,
    /// The name events use, when it is not `name`.
    pub event_name: Option<Spanned<String>>,
    pub kind: MeasureType,
    pub span: Span,
}

/// `event 遲到 (late)`: the file calls event kind `late` by `name`.
#[derive(Debug, Clone, PartialEq)]
pub struct KindDecl {
    pub name: Spanned<String>,
    pub event_name: Spanned<String>,
    pub span: Span,
}

/// `section 1: fine 15 per occurrence`
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub number: Spanned<u32>,
    pub title: String,
    pub span: Span,
}

/// A labelled rule line (or block, for bands).
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub label: Spanned<String>,
    pub body: RuleBody,
    pub span: Span,
}

/// What a rule says.
#[derive(Debug, Clone, PartialEq)]
pub enum RuleBody {
    /// `phone unanswered with more than 3 rings: fine 15`
    Occurrence {
        kind: Spanned<String>,
        conditions: Vec<Condition>,
        consequences: Vec<Consequence>,
    },
    /// `late, by minutes:` followed by `- less than 15: fine 15` lines.
    Banded {
        kind: Spanned<String>,
        measure: Spanned<String>,
        bands: Vec<Band>,
    },
    /// `late, early leave or absence: no consequence`
    Recorded { kinds: Vec<Spanned<String>> },
    /// `each month, every person on the roster with no late: reward 15`
    Period {
        period: Period,
        test: PeriodTest,
        streak: Option<Spanned<u32>>,
        consequences: Vec<Consequence>,
    },
    /// `in the same month, from the 3rd fine on: 2 times the heaviest base so far`
    Escalation {
        window: Period,
        nth: Spanned<Nth>,
        counts: Direction,
        sections: Vec<Spanned<u32>>,
        effect: EscalationEffect,
    },
}

/// A condition on a measure of the event.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// `with more than 3 rings` (count first) or `with a value of at least 300`.
    Compare {
        measure: Spanned<String>,
        op: Comparison,
        value: Spanned<Decimal>,
        phrasing: Phrasing,
    },
    /// `when severe`, `when not severe`
    Flag {
        measure: Spanned<String>,
        expected: bool,
    },
}

/// Which of the two word orders a comparison was written in; the printer keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phrasing {
    /// `more than 3 rings`
    CountFirst,
    /// `a value of at least 300`
    MeasureFirst,
}

/// One band of a banded rule: `- 15 to 60: fine 30`.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    pub range: BandRange,
    pub consequences: Vec<Consequence>,
    pub span: Span,
}

/// The values of the measure a band covers.
#[derive(Debug, Clone, PartialEq)]
pub enum BandRange {
    /// `15 to 60`, both ends included.
    Between(Spanned<Decimal>, Spanned<Decimal>),
    /// `less than 15`
    Compare(Comparison, Spanned<Decimal>),
}

/// What a period rule looks for in a person's period.
#[derive(Debug, Clone, PartialEq)]
pub enum PeriodTest {
    /// `with no late, early leave or absence`, or with a name for the list:
    /// `with no attendance event (late, early leave or absence)`.
    Absent {
        group: Option<Spanned<String>>,
        kinds: Vec<Spanned<String>>,
    },
    /// `with fewer than 1 unit sold`
    Count {
        op: Comparison,
        count: Spanned<u32>,
        kind: Spanned<String>,
    },
}

/// What an escalation does to the entries it counts.
#[derive(Debug, Clone, PartialEq)]
pub enum EscalationEffect {
    /// `2 times the heaviest base so far`
    Multiply { factor: Spanned<u32>, level: Level },
    /// `an extra 50`
    Surcharge {
        amount: Spanned<Decimal>,
        unit: Unit,
    },
}

/// The base an escalation multiplies.
#[derive(Debug, Clone, PartialEq)]
pub enum Level {
    /// `the heaviest base so far`
    HeaviestSoFar,
    /// `the heaviest base of the last 3`
    HeaviestOfLast(Spanned<u32>),
    /// `its own base`
    OwnBase,
}

/// One consequence of a rule.
#[derive(Debug, Clone, PartialEq)]
pub enum Consequence {
    /// `fine 15`, `reward 30 to 50 for every person named`
    Money {
        direction: Direction,
        amount: Amount,
        target: Target,
        span: Span,
    },
    /// `dismissal when severe`
    Dismissal {
        when: Option<OutcomeWhen>,
        span: Span,
    },
    /// `ordered to remedy`
    Remedy {
        when: Option<OutcomeWhen>,
        span: Span,
    },
    /// `promotion by 1 grade when outstanding, subject to approval`
    Promotion {
        grades: Spanned<u32>,
        when: Option<OutcomeWhen>,
        approval: bool,
        span: Span,
    },
    /// `counts as absence`
    CountsAs { kind: Spanned<String>, span: Span },
}

/// When an outcome applies, if not always.
#[derive(Debug, Clone, PartialEq)]
pub enum OutcomeWhen {
    /// `when severe`
    Flag {
        measure: Spanned<String>,
        expected: bool,
    },
    /// `the 3rd time` / `from the 3rd time on`
    Ordinal(Spanned<Nth>),
}

/// Who a money consequence is charged to or paid to.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// The person the event names (the default).
    Actor,
    /// `for every person named`: each person on a collective event.
    EveryPersonNamed,
    /// `for their manager`
    Related(Spanned<String>),
}

/// An amount as written.
#[derive(Debug, Clone, PartialEq)]
pub enum Amount {
    /// `15`
    Fixed { value: Spanned<Decimal>, unit: Unit },
    /// `30 to 50`: the event supplies the amount.
    Range {
        low: Spanned<Decimal>,
        high: Spanned<Decimal>,
        unit: Unit,
    },
    /// `1 per minutes beyond 5`
    PerUnit {
        rate: Spanned<Decimal>,
        unit: Unit,
        measure: Spanned<String>,
        beyond: Option<Spanned<Decimal>>,
    },
    /// `5% of salary`
    Percent {
        percent: Spanned<Decimal>,
        of: Spanned<String>,
    },
    /// `100 the 1st time, 200 the 2nd time, 300 from the 3rd time on`
    Schedule(Vec<Step>),
}

/// One step of an ordinal schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub value: Spanned<Decimal>,
    pub unit: Unit,
    pub nth: Spanned<Nth>,
}
