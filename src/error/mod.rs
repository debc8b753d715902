//! Errors as data: what went wrong, where (byte span, line and column in characters), and a
//! suggestion where one is close, in the language of the file. Rendering them for a terminal
//! is `diag`'s job, and the CLI's.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

mod chinese;
mod foreign;
mod kind;

pub use kind::ProblemKind;

use crate::ast::Span;
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
        let guarded = foreign::guard(source, &problems);
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

/// A rule file's text under its name, as miette reads it; columns are counted in characters,
/// so that `file:line:column` points at the right glyph in Chinese text too.
#[derive(Debug, Clone)]
pub(crate) struct SourceFile {
    pub(crate) name: String,
    pub(crate) text: Arc<str>,
    /// The text shown instead of `text` when it holds control characters; the spans miette
    /// asks for are then in this text ([`Problem::shown_range`]).
    pub(crate) shown: Option<Arc<ShownText>>,
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

    /// The kind, to narrow what it quotes ([`foreign`]).
    pub(crate) fn kind_mut(&mut self) -> &mut ProblemKind {
        &mut self.kind
    }

    /// Moves the problem to `span` ([`foreign`]).
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
