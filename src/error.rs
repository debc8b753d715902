//! Errors as data: what went wrong, where (byte span, line and column in characters), and a
//! suggestion where one is close, in the language of the file. Rendering them for a terminal
//! is `diag`'s job, and the CLI's.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use crate::ast::Span;
use crate::diag::SourceFile;
use crate::display::ShownText;
use crate::lang::{Language, Text, chinese_in, verbatim};

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
    Versions(#[from] VersionErrors),
    /// Rule files could not be watched for changes.
    #[error("cannot watch `{path}`: {reason}")]
    Watch {
        /// The file or directory.
        path: PathBuf,
        /// What the operating system said.
        reason: String,
    },
    /// The rule files kept changing while a reload waited for them to be still.
    #[error(
        "`{}` kept changing for several seconds; the rules in force were kept (save by writing a new file and renaming it over the old one)",
        path.display()
    )]
    StillChanging {
        /// The file or directory.
        path: PathBuf,
    },
    /// A directory of versions holds no `.rules` file.
    #[error("no `.rules` file in `{dir}`")]
    NoRuleFiles {
        /// The directory.
        dir: PathBuf,
    },
    /// A `.rules` file of a directory is a link to a file outside the directory (or to
    /// nothing): the rules of a directory are the files in it.
    #[error(
        "`{}` is a link to `{}`, outside `{}`: the rule files of a directory must be in it (copy the file in, or link to a file inside the directory)",
        link.display(),
        target.display(),
        dir.display()
    )]
    LinkOutside {
        /// The link.
        link: PathBuf,
        /// Where it leads (as far as it can be followed).
        target: PathBuf,
        /// The directory.
        dir: PathBuf,
    },
}

/// Every problem found in one rule file, with the file's name and text so that each can be
/// shown in place.
///
/// The problems speak the language the file is written in ([`RuleErrors::language`]), and so
/// does `Display` (`` 3 problems in `c-tower.rules` ``, `` `c-tower.rules` 中有 3 個問題 ``).
#[derive(Debug, Clone)]
pub struct RuleErrors {
    file: SourceFile,
    language: Language,
    problems: Vec<Problem>,
}

impl std::fmt::Display for RuleErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (name, n) = (&self.file.name, self.problems.len());
        if self.language.is_chinese() {
            let marked = format!("`{}` 中有 {n} 個問題", verbatim(name));
            f.write_str(&chinese_in(&marked, self.language))
        } else if n == 1 {
            write!(f, "1 problem in `{name}`")
        } else {
            write!(f, "{n} problems in `{name}`")
        }
    }
}

impl std::error::Error for RuleErrors {}

impl RuleErrors {
    /// Gathers `problems` found in `source` (named `name`, usually its path), filling in the
    /// line and column of each, sorting them by position, and giving each the language of
    /// the file to speak.
    pub(crate) fn new(name: &str, source: &str, problems: Vec<Problem>) -> RuleErrors {
        let language = Language::of_rule_text(source);
        // A file that is not rule text is not quoted beyond the first word at fault.
        let guarded = crate::foreign::guard(source, &problems);
        let (source, mut problems) = match &guarded {
            Some((shown, problems)) => (shown.as_str(), problems.clone()),
            None => (source, problems),
        };
        let shown = ShownText::of(source).map(Arc::new);
        for problem in &mut problems {
            problem.location = Location::of(source, problem.span.start);
            problem.language = language;
            problem.shown.clone_from(&shown);
        }
        problems.sort_by_key(|p| (p.span.start, p.span.end));
        problems.dedup();
        RuleErrors {
            file: SourceFile {
                name: name.to_owned(),
                text: Arc::from(source),
                shown,
            },
            language,
            problems,
        }
    }

    /// The name the file was loaded under (its path, or `<input>`).
    pub fn name(&self) -> &str {
        &self.file.name
    }

    /// The language the file is written in ([`Language::of_rule_text`]), which its problems'
    /// messages, labels and help, and this value's `Display`, are given in.
    pub fn language(&self) -> Language {
        self.language
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

/// The problems of the files of a set, each file's with its own text.
///
/// `Display` counts them, in the files' language when they are all written in one.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}", describe(.files))]
pub struct VersionErrors {
    files: Vec<RuleErrors>,
}

fn describe(files: &[RuleErrors]) -> String {
    match files {
        [] => "no rule files were given".to_owned(),
        [one] => one.to_string(),
        many => {
            let problems: usize = many.iter().map(|f| f.problems().len()).sum();
            let language = many.first().map_or(Language::English, RuleErrors::language);
            if language.is_chinese() && many.iter().all(|f| f.language() == language) {
                let marked = format!("{} 個文件中共有 {problems} 個問題", many.len());
                chinese_in(&marked, language)
            } else {
                format!("{problems} problems in {} files", many.len())
            }
        }
    }
}

impl VersionErrors {
    pub(crate) fn new(files: Vec<RuleErrors>) -> VersionErrors {
        VersionErrors { files }
    }

    /// Each file with problems, with them.
    pub fn files(&self) -> &[RuleErrors] {
        &self.files
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
///
/// Its message (`Display`), [`label`](Problem::label), [`help`](Problem::help) and
/// [`related`](Problem::related) texts are in the language of the file it was found in
/// ([`Problem::language`]); its [`kind`](Problem::kind) holds the details in English.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    kind: ProblemKind,
    span: Span,
    location: Location,
    language: Language,
    label: Option<Text>,
    help: Option<Text>,
    related: Vec<(Span, Text)>,
    /// The Chinese of English fragments that `kind` holds (`a period rule`), by their English.
    terms: Vec<Text>,
    /// The file's text as a diagnostic shows it, when it holds control characters: the
    /// places a renderer underlines are in that text.
    shown: Option<Arc<ShownText>>,
}

impl Problem {
    pub(crate) fn new(kind: ProblemKind, span: impl Into<Span>) -> Problem {
        Problem {
            kind,
            span: span.into(),
            location: Location::default(),
            language: Language::English,
            label: None,
            help: None,
            related: Vec::new(),
            terms: Vec::new(),
            shown: None,
        }
    }

    /// [`ProblemKind::NotAllowed`]: `what` cannot be used in `place`, each in English and
    /// Chinese (`Text::new("a period rule", "週期規則")`; the Chinese message reads
    /// `{place}中不能使用{what}`).
    pub(crate) fn not_allowed(
        what: impl Into<Text>,
        place: impl Into<Text>,
        span: impl Into<Span>,
    ) -> Problem {
        let (what, place) = (what.into(), place.into());
        let kind = ProblemKind::NotAllowed {
            what: what.english().to_owned(),
            place: place.english().to_owned(),
        };
        Problem::new(kind, span).with_term(what).with_term(place)
    }

    /// [`ProblemKind::TooLarge`]: the `what` (in English and Chinese) written `text` is too
    /// large.
    pub(crate) fn too_large(
        what: impl Into<Text>,
        text: impl Into<String>,
        span: impl Into<Span>,
    ) -> Problem {
        let what = what.into();
        let kind = ProblemKind::TooLarge {
            what: what.english().to_owned(),
            text: text.into(),
        };
        Problem::new(kind, span).with_term(what)
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
    pub(crate) fn with_label(mut self, label: impl Into<Text>) -> Problem {
        self.label = Some(label.into());
        self
    }

    /// Adds a suggestion.
    pub(crate) fn with_help(mut self, help: impl Into<Text>) -> Problem {
        self.help = Some(help.into());
        self
    }

    /// Adds a help text only when there is one.
    pub(crate) fn with_help_opt<T: Into<Text>>(self, help: Option<T>) -> Problem {
        match help {
            Some(help) => self.with_help(help),
            None => self,
        }
    }

    /// Points at a second place that takes part in the problem.
    pub(crate) fn with_related(mut self, span: Span, text: impl Into<Text>) -> Problem {
        self.related.push((span, text.into()));
        self
    }

    /// Gives the Chinese of an English fragment that the kind holds (such as the `what` of
    /// [`ProblemKind::TooManyRules`]): the Chinese message says `term`'s Chinese where the
    /// kind has its English. A fragment without a term is shown as it is.
    pub(crate) fn with_term(mut self, term: Text) -> Problem {
        self.terms.push(term);
        self
    }

    /// What kind of problem this is, with its details (in English).
    pub fn kind(&self) -> &ProblemKind {
        &self.kind
    }

    /// The language the problem speaks: that of the file it was found in (English for a
    /// problem not found in a file).
    pub fn language(&self) -> Language {
        self.language
    }

    /// The byte range of the offending text.
    pub fn span(&self) -> Range<usize> {
        self.span.start..self.span.end
    }

    /// The kind, to narrow what it quotes ([`crate::foreign`]).
    pub(crate) fn kind_mut(&mut self) -> &mut ProblemKind {
        &mut self.kind
    }

    /// Moves the problem to `span` ([`crate::foreign`]).
    pub(crate) fn set_span(&mut self, span: Span) {
        self.span = span;
    }

    /// Line and column (in characters) where the offending text starts.
    pub fn location(&self) -> Location {
        self.location
    }

    /// A short text to show under the offending text, in the problem's language.
    pub fn label(&self) -> Option<&str> {
        self.label
            .as_ref()
            .map(|text| text.in_language(self.language))
    }

    /// A suggestion, such as "did you mean `fine`?", in the problem's language.
    pub fn help(&self) -> Option<&str> {
        self.help
            .as_ref()
            .map(|text| text.in_language(self.language))
    }

    /// Other places that take part in the problem (the earlier of two overlapping rules), as
    /// byte ranges with a short text each, in the problem's language.
    pub fn related(&self) -> impl Iterator<Item = (Range<usize>, &str)> {
        self.related
            .iter()
            .map(|(span, text)| (span.start..span.end, text.in_language(self.language)))
    }

    /// `range`, a byte range of the file, in the file's text as a diagnostic shows it (see
    /// [`crate::display`]): the same range unless the file holds control characters.
    pub(crate) fn shown_range(&self, range: Range<usize>) -> Range<usize> {
        match &self.shown {
            Some(shown) => shown.to_shown(range.start)..shown.to_shown(range.end),
            None => range,
        }
    }

    /// A fragment the kind holds in English, in the problem's (Chinese) language: its term's
    /// Chinese, or else the fragment itself; marked to be shown as it is.
    fn term(&self, english: &str) -> String {
        let term = self.terms.iter().find(|term| term.english() == english);
        verbatim(term.map_or(english, |term| term.in_language(self.language)))
    }

    /// The message in Traditional Chinese, with what it quotes marked [`verbatim`] (and the
    /// fragments, already in the problem's script).
    fn chinese_message(&self) -> String {
        let q = |text: &str| verbatim(text);
        let t = |english: &str| self.term(english);
        match &self.kind {
            // `expected` holds the grammar's words only: in Traditional characters, they are
            // shown in Simplified ones to a Simplified file, as the template is.
            ProblemKind::Syntax { expected, found } => format!("應為{expected}，卻是{}", q(found)),
            ProblemKind::FileTooLarge { bytes, limit } => {
                format!("規則文件有 {bytes} 字節；規則文件最多只能有 {limit} 字節")
            }
            ProblemKind::NotUtf8 => "規則文件從這裡起不是 UTF-8 文字".to_owned(),
            ProblemKind::LineTooLong { bytes, limit } => {
                format!("這一行有 {bytes} 字節；規則文件的一行最多只能有 {limit} 字節")
            }
            ProblemKind::ControlCharacter { ch } => {
                format!("規則文件中不能有控制字符 `{}`", ch.escape_default())
            }
            ProblemKind::TooManyRules { what, count, limit } => {
                format!("{}最多只能有 {limit} 條規則；這是第 {count} 條", t(what))
            }
            ProblemKind::TooComplex { reason } => {
                format!("規則文件太複雜，無法讀取：解析器放棄了（{}）", q(reason))
            }
            ProblemKind::Empty => "規則文件既沒有表頭，也沒有規則".to_owned(),
            ProblemKind::NoRules => "規則文件沒有任何規則".to_owned(),
            ProblemKind::MissingHeader { field } => {
                format!("表頭缺少 `{}：` 一行", t(field))
            }
            ProblemKind::DuplicateHeader { field } => {
                format!("`{}：` 寫了兩次", t(field))
            }
            ProblemKind::BadDate { text } => format!("`{}` 不是有效的日期", q(text)),
            ProblemKind::BadTimeZone { text } => {
                format!("`{}` 不是有效的時區偏移", q(text))
            }
            ProblemKind::RepealNotOlder {
                repealed,
                effective,
            } => format!(
                "廢止的 `{}` 版本並不早於生效日期 `{}`",
                q(repealed),
                q(effective)
            ),
            ProblemKind::UntilBeforeEffective { until, effective } => format!(
                "此版本有效期至 `{}`，早於它生效的 `{}`",
                q(until),
                q(effective)
            ),
            ProblemKind::TooManyVersions { count, limit } => {
                format!("載入了 {count} 個版本；最多只能載入 {limit} 個")
            }
            ProblemKind::SameEffectiveDate { date, other } => format!(
                "`{}` 中 `{}` 的版本也在 `{}` 生效",
                q(other),
                q(date),
                q(date)
            ),
            ProblemKind::BothInForce {
                earlier,
                other,
                from,
            } => format!(
                "從 `{}` 起，此版本與 `{}` 中 `{}` 的版本會同時生效",
                q(from),
                q(other),
                q(earlier)
            ),
            ProblemKind::VersionGap { from, to, other } => format!(
                "從 `{}` 到 `{}` 沒有任何版本生效：`{}` 中的版本在此之前已經失效",
                q(from),
                q(to),
                q(other)
            ),
            ProblemKind::RepealedVersionMissing { date, loaded } => format!(
                "廢止的 `{}` 版本不在載入的版本（{}）之中",
                q(date),
                t(loaded)
            ),
            ProblemKind::VersionsDiffer {
                what,
                here,
                there,
                other,
            } => format!(
                "{}在此是 `{}`，在 `{}` 中卻是 `{}`",
                t(what),
                t(here),
                q(other),
                t(there)
            ),
            ProblemKind::NotPositive { text } => format!("金額 `{}` 必須大於零", q(text)),
            ProblemKind::FractionOfMinorUnit { text } => {
                format!("金額 `{}` 超過兩位小數", q(text))
            }
            ProblemKind::TooLarge { what, text } => format!("{} `{}` 太大", t(what), q(text)),
            ProblemKind::Zero { what, text } => {
                format!("{} `{}` 至少要是 1", t(what), q(text))
            }
            ProblemKind::BadOrdinal { text } => format!("`{}` 不是序數", q(text)),
            ProblemKind::BadNumeral { text } => format!("`{}` 不是數字", q(text)),
            ProblemKind::TwoEventNames {
                name,
                first,
                second,
            } => format!(
                "`{}` 在事件流中的名稱是 `{}`，又寫成了 `{}`",
                q(name),
                q(first),
                q(second)
            ),
            ProblemKind::ReversedRange { low, high } => {
                format!("範圍 `{} 至 {}` 的兩端顛倒了", q(low), q(high))
            }
            ProblemKind::EmptyRange { low, high } => {
                format!("範圍 `{} 至 {}` 只有一個值", q(low), q(high))
            }
            ProblemKind::OverlappingRules { kind, label, other } => format!(
                "`{}` 的規則 `{}` 與規則 `{}` 重疊",
                q(kind),
                q(label),
                q(other)
            ),
            ProblemKind::OverlappingBands { kind, band, other } => format!(
                "`{}` 的分段 `{}` 與分段 `{}` 重疊",
                q(kind),
                t(band),
                t(other)
            ),
            ProblemKind::OverlappingEscalations {
                label,
                other,
                entries,
            } => format!(
                "累進規則 `{}` 與累進規則 `{}` 計算的{}相同",
                q(label),
                q(other),
                t(entries)
            ),
            ProblemKind::UnknownKind { kind } => format!("未知的事件類型 `{}`", q(kind)),
            ProblemKind::UndeclaredKind { kind } => format!("事件類型 `{}` 沒有聲明", q(kind)),
            ProblemKind::UnusedKind { kind } => {
                format!("事件類型 `{}` 已聲明，但沒有規則針對它", q(kind))
            }
            ProblemKind::UndeclaredMeasure { measure } => {
                format!("計量 `{}` 沒有聲明", q(measure))
            }
            ProblemKind::UnknownSection { section } => {
                format!("未知的章節 `{}`", q(section))
            }
            ProblemKind::DuplicateMeasure { measure } => {
                format!("計量 `{}` 聲明了兩次", q(measure))
            }
            ProblemKind::MeasureTypeMismatch {
                measure,
                here,
                elsewhere,
            } => format!(
                "計量 `{}` 在這裡當作{}使用，但它是{}",
                q(measure),
                t(here),
                t(elsewhere)
            ),
            ProblemKind::DuplicateSection { section } => {
                format!("章節 `{}` 聲明了兩次", q(section))
            }
            ProblemKind::NotAllowed { what, place } => {
                format!("{}中不能使用{}", t(place), t(what))
            }
            ProblemKind::TwoAmounts { label, target } => {
                format!("規則 `{}` 給了{}兩個金額", q(label), t(target))
            }
            ProblemKind::CountsAsLoop { kinds } => format!("規則形成循環：{}", t(kinds)),
            ProblemKind::MixedUnits { what } => format!("{}混用了金額和積分", t(what)),
            ProblemKind::RelatedOfSeveral { label, role } => format!(
                "規則 `{}` 向其 `{}` 收取金額，但它的事件可能列出多人",
                q(label),
                q(role)
            ),
            ProblemKind::Internal { what } => {
                format!("內部錯誤：{}；請回報此問題", q(what))
            }
        }
    }
}

/// The message, in the problem's language.
impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.language.is_chinese() {
            f.write_str(&chinese_in(&self.chinese_message(), self.language))
        } else {
            std::fmt::Display::fmt(&self.kind, f)
        }
    }
}

impl std::error::Error for Problem {}

impl From<Range<usize>> for Span {
    fn from(range: Range<usize>) -> Span {
        Span::new(range.start, range.end)
    }
}

/// The kinds of problem a rule file can have. Messages are lowercase and quote the file's
/// text in backticks.
///
/// A kind's `Display` is its English message, and the fragments of message it holds (the
/// `what` of [`TooLarge`](ProblemKind::TooLarge), the `place` of
/// [`NotAllowed`](ProblemKind::NotAllowed), …) are English; the [`Problem`] that holds the
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Text;

    /// A Chinese rule file with an impossible date, and the problem a check finds in it.
    const CHINESE: &str = "標題：測試\n生效日期：2025-13-01\n";

    fn bad_date(source: &str) -> Problem {
        let at = source.find("2025-13-01").unwrap();
        Problem::new(
            ProblemKind::BadDate {
                text: "2025-13-01".to_owned(),
            },
            at..at + "2025-13-01".len(),
        )
        .with_label(Text::new("no such day", "沒有這一天"))
        .with_related(Span::new(0, 6), Text::new("the title", "標題"))
        .with_help(Text::new(
            "write a date that exists, as `YYYY-MM-DD`",
            "請寫一個存在的日期，格式為 `YYYY-MM-DD`",
        ))
    }

    fn only(errors: &RuleErrors) -> &Problem {
        match errors.problems() {
            [problem] => problem,
            other => panic!("one problem expected, got {other:?}"),
        }
    }

    #[test]
    fn a_traditional_file_is_told_in_traditional_chinese() {
        let errors = RuleErrors::new("測試.rules", CHINESE, vec![bad_date(CHINESE)]);
        assert_eq!(errors.language(), Language::TraditionalChinese);
        let problem = only(&errors);
        assert_eq!(problem.language(), Language::TraditionalChinese);
        assert_eq!(problem.to_string(), "`2025-13-01` 不是有效的日期");
        assert_eq!(problem.label(), Some("沒有這一天"));
        assert_eq!(
            problem.help(),
            Some("請寫一個存在的日期，格式為 `YYYY-MM-DD`")
        );
        assert_eq!(
            problem.related().map(|(_, text)| text).collect::<Vec<_>>(),
            ["標題"]
        );
        assert_eq!(problem.location(), Location { line: 2, column: 6 });
        assert_eq!(errors.to_string(), "`測試.rules` 中有 1 個問題");
    }

    #[test]
    fn a_simplified_file_is_told_in_simplified_chinese_quoting_the_file_as_written() {
        let source = "标题：测试\n生效日期：2025-13-01\n";
        let kind = ProblemKind::UnknownKind {
            kind: "遲到".to_owned(),
        };
        let unknown = Problem::new(kind, 0..6).with_help(Text::new(
            "did you mean `迟到`?",
            format!("是不是要寫 `{}`？", verbatim("迟到")),
        ));
        let errors = RuleErrors::new(
            "規則.rules",
            source,
            vec![bad_date(source), unknown.clone(), unknown],
        );
        assert_eq!(errors.language(), Language::SimplifiedChinese);
        let [unknown, date] = errors.problems() else {
            panic!("two problems expected (the twin dropped): {errors:?}");
        };
        assert_eq!(date.to_string(), "`2025-13-01` 不是有效的日期");
        assert_eq!(date.label(), Some("没有这一天"));
        assert_eq!(date.help(), Some("请写一个存在的日期，格式为 `YYYY-MM-DD`"));
        assert_eq!(
            date.related().map(|(_, text)| text).collect::<Vec<_>>(),
            ["标题"]
        );
        // The kind is quoted as the file writes it, in Traditional characters.
        assert_eq!(unknown.to_string(), "未知的事件类型 `遲到`");
        assert_eq!(unknown.help(), Some("是不是要写 `迟到`？"));
        // The file's name is quoted as it is.
        assert_eq!(errors.to_string(), "`規則.rules` 中有 2 个问题");
    }

    #[test]
    fn an_english_file_is_told_in_english() {
        let source = "title: Test\neffective: 2025-13-01\n";
        let errors = RuleErrors::new("t.rules", source, vec![bad_date(source), bad_date(source)]);
        assert_eq!(errors.language(), Language::English);
        let problem = only(&errors);
        assert_eq!(problem.to_string(), "`2025-13-01` is not a date");
        assert_eq!(problem.to_string(), problem.kind().to_string());
        assert_eq!(problem.label(), Some("no such day"));
        assert_eq!(
            problem.help(),
            Some("write a date that exists, as `YYYY-MM-DD`")
        );
        assert_eq!(
            problem.related().map(|(_, text)| text).collect::<Vec<_>>(),
            ["the title"]
        );
        assert_eq!(errors.to_string(), "1 problem in `t.rules`");
        let two = RuleErrors::new(
            "t.rules",
            source,
            vec![bad_date(source), Problem::new(ProblemKind::Empty, 0..0)],
        );
        assert_eq!(two.to_string(), "2 problems in `t.rules`");
    }

    #[test]
    fn texts_without_chinese_are_english_in_every_language() {
        let problem = Problem::new(ProblemKind::NotUtf8, 0..1)
            .with_label("English only")
            .with_help(String::from("still English"));
        let errors = RuleErrors::new("t", CHINESE, vec![problem]);
        let problem = only(&errors);
        assert_eq!(problem.to_string(), "規則文件從這裡起不是 UTF-8 文字");
        assert_eq!(problem.label(), Some("English only"));
        assert_eq!(problem.help(), Some("still English"));
    }

    #[test]
    fn fragments_of_a_message_speak_the_file_language() {
        let problem = Problem::not_allowed(
            Text::new("`counts as`", " `視為`"),
            Text::new("a period rule", "週期規則"),
            0..1,
        );
        let english = RuleErrors::new("t", "title: x", vec![problem.clone()]);
        assert_eq!(
            only(&english).to_string(),
            "`counts as` cannot be used in a period rule"
        );
        let traditional = RuleErrors::new("t", CHINESE, vec![problem.clone()]);
        assert_eq!(only(&traditional).to_string(), "週期規則中不能使用 `視為`");
        let simplified = RuleErrors::new("t", "标题：x", vec![problem]);
        assert_eq!(only(&simplified).to_string(), "周期规则中不能使用 `视为`");
        // A fragment given in English only is shown in English.
        let english_only = Problem::too_large("number", "99999999999999999999999999999", 0..1);
        let errors = RuleErrors::new("t", CHINESE, vec![english_only]);
        assert_eq!(
            only(&errors).to_string(),
            "number `99999999999999999999999999999` 太大"
        );
    }

    #[test]
    fn a_syntax_problem_converts_the_grammar_words_and_keeps_the_file_text() {
        let kind = ProblemKind::Syntax {
            expected: "`扣罰` 或 `獎勵`".to_owned(),
            found: "`罰金`".to_owned(),
        };
        let problem = Problem::new(kind, 0..1);
        let traditional = RuleErrors::new("t", CHINESE, vec![problem.clone()]);
        assert_eq!(
            only(&traditional).to_string(),
            "應為`扣罰` 或 `獎勵`，卻是`罰金`"
        );
        let simplified = RuleErrors::new("t", "标题：x", vec![problem]);
        assert_eq!(
            only(&simplified).to_string(),
            "应为`扣罚` 或 `奖励`，却是`罰金`"
        );
    }

    #[test]
    fn the_rendered_report_is_chinese() {
        use miette::{GraphicalReportHandler, GraphicalTheme};
        let errors = RuleErrors::new("測試.rules", CHINESE, vec![bad_date(CHINESE)]);
        let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor());
        let mut out = String::new();
        for report in errors.reports() {
            handler.render_report(&mut out, &report).unwrap();
        }
        for expected in [
            "`2025-13-01` 不是有效的日期",
            "沒有這一天",
            "標題",
            "請寫一個存在的日期，格式為 `YYYY-MM-DD`",
            "測試.rules:2:6",
        ] {
            assert!(out.contains(expected), "`{expected}` missing from:\n{out}");
        }
    }
}
