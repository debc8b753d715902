//! Errors as data: what went wrong, where (byte span, line and column in characters), and a
//! suggestion where one is close. Rendering them for a terminal is `diag`'s job, and the CLI's.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use crate::ast::Span;
use crate::diag::SourceFile;

/// Everything that can go wrong when loading a rulebook.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The rule file could not be read.
    #[error("cannot read `{path}`: {source}")]
    Read {
        /// The file that was asked for.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// The rule file was read but is not a valid rulebook.
    #[error(transparent)]
    Rules(#[from] RuleErrors),
    /// Versions of a policy that are not valid, each or as a set.
    #[error(transparent)]
    Versions(#[from] crate::versions::VersionErrors),
    /// Rule files could not be watched for changes.
    #[error("cannot watch `{path}`: {reason}")]
    Watch {
        /// The file or directory.
        path: PathBuf,
        /// What the operating system said.
        reason: String,
    },
    /// A directory of versions holds no `.rules` file.
    #[error("no `.rules` file in `{dir}`")]
    NoRuleFiles {
        /// The directory.
        dir: PathBuf,
    },
}

/// Every problem found in one rule file, with the file's name and text so that each can be
/// shown in place.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{} in `{}`", count_problems(.problems.len()), .file.name)]
pub struct RuleErrors {
    file: SourceFile,
    problems: Vec<Problem>,
}

fn count_problems(n: usize) -> String {
    if n == 1 {
        "1 problem".to_owned()
    } else {
        format!("{n} problems")
    }
}

impl RuleErrors {
    /// Gathers `problems` found in `source` (named `name`, usually its path), filling in the
    /// line and column of each and sorting them by position.
    pub(crate) fn new(name: &str, source: &str, mut problems: Vec<Problem>) -> RuleErrors {
        for problem in &mut problems {
            problem.location = Location::of(source, problem.span.start);
        }
        problems.sort_by_key(|p| (p.span.start, p.span.end));
        problems.dedup();
        RuleErrors {
            file: SourceFile {
                name: name.to_owned(),
                text: Arc::from(source),
            },
            problems,
        }
    }

    /// The name the file was loaded under (its path, or `<input>`).
    pub fn name(&self) -> &str {
        &self.file.name
    }

    /// The text of the file.
    pub fn source_text(&self) -> &str {
        &self.file.text
    }

    /// The problems, in the order they occur in the file.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    pub(crate) fn source_file(&self) -> &SourceFile {
        &self.file
    }
}

/// A position in a file: line and column both count from 1, the column in characters (so a
/// Chinese character is one column, as a manager counts it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Location {
    /// Line number, from 1.
    pub line: usize,
    /// Column in characters, from 1.
    pub column: usize,
}

impl Location {
    /// The location of byte `offset` in `source` (clamped to the text, and to a character
    /// boundary).
    pub fn of(source: &str, offset: usize) -> Location {
        let mut offset = offset.min(source.len());
        while !source.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &source[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Location {
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
        }
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// One problem in a rule file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{kind}")]
pub struct Problem {
    kind: ProblemKind,
    span: Span,
    location: Location,
    label: Option<String>,
    help: Option<String>,
    related: Vec<(Span, String)>,
}

impl Problem {
    pub(crate) fn new(kind: ProblemKind, span: impl Into<Span>) -> Problem {
        Problem {
            kind,
            span: span.into(),
            location: Location::default(),
            label: None,
            help: None,
            related: Vec::new(),
        }
    }

    pub(crate) fn internal(what: &str, span: impl Into<Span>) -> Problem {
        Problem::new(
            ProblemKind::Internal {
                what: what.to_owned(),
            },
            span,
        )
    }

    /// Adds the short text shown under the underlined source.
    pub(crate) fn with_label(mut self, label: impl Into<String>) -> Problem {
        self.label = Some(label.into());
        self
    }

    /// Adds a suggestion.
    pub(crate) fn with_help(mut self, help: impl Into<String>) -> Problem {
        self.help = Some(help.into());
        self
    }

    /// Adds a help text only when there is one.
    pub(crate) fn with_help_opt(self, help: Option<String>) -> Problem {
        match help {
            Some(help) => self.with_help(help),
            None => self,
        }
    }

    /// Points at a second place that takes part in the problem.
    pub(crate) fn with_related(mut self, span: Span, text: impl Into<String>) -> Problem {
        self.related.push((span, text.into()));
        self
    }

    /// What kind of problem this is, with its details.
    pub fn kind(&self) -> &ProblemKind {
        &self.kind
    }

    /// The byte range of the offending text.
    pub fn span(&self) -> Range<usize> {
        self.span.start..self.span.end
    }

    /// Line and column (in characters) where the offending text starts.
    pub fn location(&self) -> Location {
        self.location
    }

    /// A short text to show under the offending text.
    pub fn label(&self) -> Option<&str> {
        self.label.as_deref()
    }

    /// A suggestion, such as "did you mean `fine`?".
    pub fn help(&self) -> Option<&str> {
        self.help.as_deref()
    }

    /// Other places that take part in the problem (the earlier of two overlapping rules), as
    /// byte ranges with a short text each.
    pub fn related(&self) -> impl Iterator<Item = (Range<usize>, &str)> {
        self.related
            .iter()
            .map(|(span, text)| (span.start..span.end, text.as_str()))
    }
}

impl From<Range<usize>> for Span {
    fn from(range: Range<usize>) -> Span {
        Span::new(range.start, range.end)
    }
}

/// The kinds of problem a rule file can have. Messages are lowercase and quote the file's
/// text in backticks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProblemKind {
    /// The text does not follow the grammar.
    #[error("expected {expected}, found {found}")]
    Syntax {
        /// What the grammar allows here, in words.
        expected: String,
        /// What the file has instead, quoted, or "end of line".
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
    /// More rules than a rule file may hold, in all or about one kind.
    #[error("{what} may have at most {limit} rules; this is rule {count}")]
    TooManyRules {
        /// What the limit is for: `a rule file`, or `` event kind `…` ``.
        what: String,
        /// How many there are up to this one.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// The parser gave up before the end of the file (its call or stack budget ran out).
    #[error("the rule file is too complex to read: the parser gave up ({reason})")]
    TooComplex {
        /// What the parser said.
        reason: String,
    },
    /// The file holds no header and no rules.
    #[error("the rule file has no header and no rules")]
    Empty,
    /// A header line every rulebook needs is missing.
    #[error("the header has no `{field}:` line")]
    MissingHeader {
        /// The missing key.
        field: String,
    },
    /// A header key given twice.
    #[error("`{field}:` is given twice")]
    DuplicateHeader {
        /// The repeated key.
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
        /// The effective dates of the versions loaded.
        loaded: String,
    },
    /// Versions that differ where they must agree.
    #[error("{what} is `{here}` here but `{there}` in `{other}`")]
    VersionsDiffer {
        /// What differs: `the time zone`, `the currency`, `` measure `rings` ``.
        what: String,
        /// Its value in this version.
        here: String,
        /// Its value in the other version.
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
        /// What the number is (`amount`, `number`, `count`).
        what: String,
        /// The number as written.
        text: String,
    },
    /// A count or multiplier that must be at least 1.
    #[error("{what} `{text}` must be at least 1")]
    Zero {
        /// What the number is (`multiplier`, `ordinal`, …).
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
        /// The later band as written.
        band: String,
        /// The earlier band as written.
        other: String,
    },
    /// Two escalations that count the same entries.
    #[error("escalation `{label}` counts the same {entries} as escalation `{other}`")]
    OverlappingEscalations {
        /// The later escalation's label.
        label: String,
        /// The earlier escalation's label.
        other: String,
        /// `fines` or `rewards`.
        entries: String,
    },
    /// An event kind that no rule defines.
    #[error("unknown event kind `{kind}`")]
    UnknownKind {
        /// The kind as written.
        kind: String,
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
        /// How it is used here (`number`, `flag`, `text`).
        here: String,
        /// What it is declared as, or how it was used first.
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
        /// What was written.
        what: String,
        /// Where it was written.
        place: String,
    },
    /// A rule that gives one person two amounts.
    #[error("rule `{label}` gives {target} two amounts")]
    TwoAmounts {
        /// The rule's label.
        label: String,
        /// Who gets both.
        target: String,
    },
    /// `counts as` links that go round in a circle.
    #[error("the rules loop: {kinds}")]
    CountsAsLoop {
        /// The kinds in the loop, as `` `a` counts as `b` counts as `a` ``.
        kinds: String,
    },
    /// A flaw in this crate, not in the file.
    #[error("internal error: {what}; please report it")]
    Internal {
        /// What went wrong.
        what: String,
    },
}
