//! What went wrong in a rule file: each kind of problem with its details and its English
//! message.

/// The kinds of problem a rule file can have. Messages are lowercase and quote the file's
/// text in backticks.
///
/// A kind's `Display` is its English message, and the fragments of message it holds (the
/// `what` of [`TooLarge`](ProblemKind::TooLarge), the `place` of
/// [`NotAllowed`](ProblemKind::NotAllowed), …) are English; the [`Problem`](crate::Problem) that holds the
/// kind also knows their Chinese, and its `Display` gives the message in the file's
/// language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProblemKind {
    /// The text does not follow the grammar.
    #[error("expected {expected}, found {found}")]
    Syntax {
        /// What the grammar allows here, in words, in the file's language (for a Chinese file,
        /// a Simplified one's message shows Traditional characters in Simplified ones).
        expected: String,
        /// What the file has instead, quoted, or "end of line" (in the file's language):
        /// shown as it is.
        found: String,
    },
    /// The file is larger than a rule file may be.
    #[error("the rule file has {bytes} bytes; a rule file may have at most {limit}")]
    FileTooLarge {
        /// The file's size, or the limit plus one when it was not read to the end.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
    /// The file is not UTF-8 text.
    #[error("the rule file is not UTF-8 text from here on")]
    NotUtf8,
    /// A line longer than a rule file's line may be.
    #[error("this line has {bytes} bytes; a line of a rule file may have at most {limit}")]
    LineTooLong {
        /// The line's length in bytes, without its line end.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
    /// A control character (an escape, a bell, a carriage return that does not end a line), a
    /// bidi override or an invisible character, which a rule file cannot hold (see
    /// [`crate::display::must_escape`]; tabs and line ends are allowed).
    #[error("the control character `{}` cannot appear in a rule file", .ch.escape_default())]
    ControlCharacter {
        /// The character.
        ch: char,
    },
    /// More rules than a rule file may hold, in all or about one kind.
    #[error("{what} may have at most {limit} rules; this is rule {count}")]
    TooManyRules {
        /// What the limit is for, in English: `a rule file`, or `` event kind `…` ``.
        what: String,
        /// How many there are up to this one.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// The parser gave up before the end of the file (its call or stack budget ran out).
    #[error("the rule file is too complex to read: the parser gave up ({reason})")]
    TooComplex {
        /// What the parser said (in English).
        reason: String,
    },
    /// The file holds no header and no rules.
    #[error("the rule file has no header and no rules")]
    Empty,
    /// The file has a header but no rule that judges events or periods.
    #[error("the rule file has no rules")]
    NoRules,
    /// A header line every rulebook needs is missing.
    #[error("the header has no `{field}:` line")]
    MissingHeader {
        /// The missing key, in English (`time zone`).
        field: String,
    },
    /// A header key given twice.
    #[error("`{field}:` is given twice")]
    DuplicateHeader {
        /// The repeated key, in English.
        field: String,
    },
    /// A date that does not exist, such as `2025-02-30`.
    #[error("`{text}` is not a date")]
    BadDate {
        /// The date as written.
        text: String,
    },
    /// A time zone offset outside ±23:59.
    #[error("`{text}` is not a time zone offset")]
    BadTimeZone {
        /// The offset as written.
        text: String,
    },
    /// A repealed version dated on or after the effective date.
    #[error(
        "the repealed version of `{repealed}` is not older than the effective date `{effective}`"
    )]
    RepealNotOlder {
        /// The repealed version's date.
        repealed: String,
        /// The effective date.
        effective: String,
    },
    /// An `in force until` date before the effective date.
    #[error("the version is in force until `{until}`, before it takes effect on `{effective}`")]
    UntilBeforeEffective {
        /// The last day in force, as written.
        until: String,
        /// The effective date, as written.
        effective: String,
    },
    /// More versions than a policy may load at once.
    #[error("{count} versions are loaded; at most {limit} may be")]
    TooManyVersions {
        /// How many were given.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// Two versions taking effect on the same day.
    #[error("the version of `{date}` in `{other}` also takes effect on `{date}`")]
    SameEffectiveDate {
        /// The day.
        date: String,
        /// The other file.
        other: String,
    },
    /// A version that takes effect while the one before it is still in force.
    #[error(
        "both this version and the version of `{earlier}` in `{other}` would be in force from `{from}`"
    )]
    BothInForce {
        /// The earlier version's effective date.
        earlier: String,
        /// The earlier version's file.
        other: String,
        /// This version's effective date.
        from: String,
    },
    /// Days between two versions when neither is in force.
    #[error("no version is in force from `{from}` to `{to}`: the version in `{other}` ends before")]
    VersionGap {
        /// The first day of the gap.
        from: String,
        /// The last day of the gap.
        to: String,
        /// The earlier version's file.
        other: String,
    },
    /// A repeal naming a version that is not among those loaded.
    #[error("the repealed version of `{date}` is not among the versions loaded ({loaded})")]
    RepealedVersionMissing {
        /// The repealed version's date.
        date: String,
        /// The effective dates of the versions loaded, quoted and joined by `, `.
        loaded: String,
    },
    /// Versions that differ where they must agree.
    #[error("{what} is `{here}` here but `{there}` in `{other}`")]
    VersionsDiffer {
        /// What differs, in English: `the time zone`, `the currency`, `` measure `rings` ``.
        what: String,
        /// Its value in this version (a measure's type in English words).
        here: String,
        /// Its value in the other version (a measure's type in English words).
        there: String,
        /// The other version's file.
        other: String,
    },
    /// An amount of zero or less.
    #[error("amount `{text}` must be more than zero")]
    NotPositive {
        /// The amount as written.
        text: String,
    },
    /// An amount with a fraction of the minor unit (`12.345`).
    #[error("amount `{text}` has more than two decimals")]
    FractionOfMinorUnit {
        /// The amount as written.
        text: String,
    },
    /// An amount or number too large for the types that hold it.
    #[error("{what} `{text}` is too large")]
    TooLarge {
        /// What the number is, in English (`amount`, `number`, `count`).
        what: String,
        /// The number as written.
        text: String,
    },
    /// A count or multiplier that must be at least 1.
    #[error("{what} `{text}` must be at least 1")]
    Zero {
        /// What the number is, in English (`multiplier`, `ordinal`, …).
        what: String,
        /// The number as written.
        text: String,
    },
    /// An ordinal with the wrong suffix (`3th`).
    #[error("`{text}` is not an ordinal")]
    BadOrdinal {
        /// The ordinal as written.
        text: String,
    },
    /// One name given two different names in events (`event 遲到 (late)` and
    /// `event 遲到 (tardy)`).
    #[error("`{name}` is named `{first}` in events, and again `{second}`")]
    TwoEventNames {
        /// The name the file uses.
        name: String,
        /// The event name given first.
        first: String,
        /// The other event name.
        second: String,
    },
    /// A Chinese numeral that is not well formed (`三五`, `十十`) or too large.
    #[error("`{text}` is not a number")]
    BadNumeral {
        /// The numeral as written.
        text: String,
    },
    /// A range whose low end is above its high end.
    #[error("range `{low} to {high}` is reversed")]
    ReversedRange {
        /// The low end as written.
        low: String,
        /// The high end as written.
        high: String,
    },
    /// A range whose ends are equal, so it holds a single amount.
    #[error("range `{low} to {high}` holds a single value")]
    EmptyRange {
        /// The low end as written.
        low: String,
        /// The high end as written.
        high: String,
    },
    /// Two rules for one event kind whose conditions can both hold.
    #[error("rule `{label}` for `{kind}` overlaps rule `{other}`")]
    OverlappingRules {
        /// The event kind.
        kind: String,
        /// The later rule's label.
        label: String,
        /// The earlier rule's label.
        other: String,
    },
    /// Two bands of one rule that share values.
    #[error("band `{band}` of `{kind}` overlaps band `{other}`")]
    OverlappingBands {
        /// The event kind.
        kind: String,
        /// The later band, in English words (`1 to 3`, `at least 5`).
        band: String,
        /// The earlier band, in English words.
        other: String,
    },
    /// Two escalations that count the same entries.
    #[error("escalation `{label}` counts the same {entries} as escalation `{other}`")]
    OverlappingEscalations {
        /// The later escalation's label.
        label: String,
        /// The earlier escalation's label.
        other: String,
        /// `fines` or `rewards` (in English).
        entries: String,
    },
    /// An event kind that no rule defines.
    #[error("unknown event kind `{kind}`")]
    UnknownKind {
        /// The kind as written.
        kind: String,
    },
    /// An event kind a rule is about that the file does not declare, in a file that declares
    /// its event kinds (`事件 遲到（late）`): a comma left out, or a typo.
    #[error("event kind `{kind}` is not declared")]
    UndeclaredKind {
        /// The kind as written.
        kind: String,
    },
    /// A declared event kind that no rule is about.
    #[error("event kind `{kind}` is declared, but no rule is about it")]
    UnusedKind {
        /// The kind as declared.
        kind: String,
    },
    /// A measure a rule uses that the file does not declare, in a file that gives its
    /// measures the names events use (`計量 響聲（rings）：整數`).
    #[error("measure `{measure}` is not declared")]
    UndeclaredMeasure {
        /// The measure as written.
        measure: String,
    },
    /// A section number that no `section` line declares.
    #[error("unknown section `{section}`")]
    UnknownSection {
        /// The section number as written.
        section: String,
    },
    /// A measure declared twice.
    #[error("measure `{measure}` is declared twice")]
    DuplicateMeasure {
        /// The measure's name.
        measure: String,
    },
    /// A measure used as two different types of value.
    #[error("measure `{measure}` is used as a {here} here, but is a {elsewhere}")]
    MeasureTypeMismatch {
        /// The measure's name.
        measure: String,
        /// How it is used here, in English words (`number`, `flag`, `text`).
        here: String,
        /// What it is declared as, or how it was used first, in English words.
        elsewhere: String,
    },
    /// A section number declared twice.
    #[error("section `{section}` is declared twice")]
    DuplicateSection {
        /// The section number.
        section: String,
    },
    /// A construct used where it has no meaning.
    #[error("{what} cannot be used in {place}")]
    NotAllowed {
        /// What was written, in English words (`` `counts as` ``).
        what: String,
        /// Where it was written, in English words (`a period rule`).
        place: String,
    },
    /// A rule that gives one person two amounts.
    #[error("rule `{label}` gives {target} two amounts")]
    TwoAmounts {
        /// The rule's label.
        label: String,
        /// Who gets both, in English words (`the person at fault`).
        target: String,
    },
    /// Amounts in money and in points where one figure would mix them: the steps of one
    /// schedule, or the entries one escalation counts.
    #[error("{what} mixes money and points")]
    MixedUnits {
        /// What mixes them, in English words: `the schedule`, `` escalation `3.9` ``.
        what: String,
    },
    /// An amount `for their ROLE` in a rule that may judge an event naming several people:
    /// the event names one person in that role, not one for each person it names.
    #[error("rule `{label}` charges their `{role}`, but its events may name several people")]
    RelatedOfSeveral {
        /// The rule's label.
        label: String,
        /// The role (`manager`).
        role: String,
    },
    /// `counts as` links that go round in a circle.
    #[error("the rules loop: {kinds}")]
    CountsAsLoop {
        /// The kinds in the loop, in English words: `` `a` counts as `b` counts as `a` ``.
        kinds: String,
    },
    /// A flaw in this crate, not in the file.
    #[error("internal error: {what}; please report it")]
    Internal {
        /// What went wrong (in English, for the report).
        what: String,
    },
}
