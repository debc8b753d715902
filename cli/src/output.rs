//! The three output formats of `rulebook eval`: JSON for programs (the contract of
//! `docs/semantics.md` §7), CSV for payroll import, and a table for a person at a terminal, in
//! the rule file's language.
//!
//! Text from the input never reaches a terminal or a spreadsheet as something it obeys: the
//! table shows control characters escaped ([`rulebook::display`]); JSON writes them as
//! `\u` escapes, which a program reads back as they were; CSV text cells cannot start a
//! formula.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;

use rulebook::display::{escape_controls, must_escape};
use rulebook::{
    Direction, Entry, IgnoredLine, Language, Money, Month, OutcomeEntry, RejectedLine, Report,
    Rulebook, Statement, Version,
};
use unicode_width::UnicodeWidthStr as _;

use crate::sources::{Files, Sources};

/// The Chinese of a text in `language` (`traditional` or `simplified`), or `None` for English.
pub fn chinese<'a>(
    language: Language,
    traditional: &'a str,
    simplified: &'a str,
) -> Option<&'a str> {
    match language {
        Language::TraditionalChinese => Some(traditional),
        Language::SimplifiedChinese => Some(simplified),
        _ => None,
    }
}

/// The language of versions: theirs when they all share one, else English.
pub fn language_of(versions: &[Version]) -> Language {
    match versions.first().map(Version::language) {
        Some(language) if versions.iter().all(|v| v.language() == language) => language,
        _ => Language::English,
    }
}

/// What the outputs need beside the report: the rulebook, and where each line came from.
pub struct Context<'a> {
    /// The rulebook the events were judged by.
    pub rulebook: &'a Rulebook,
    /// The event inputs, which references name when there are several.
    pub sources: &'a Sources,
    /// The input of each numbered item of the report ([`crate::sources::localize`]).
    pub files: &'a Files,
}

impl Context<'_> {
    /// How a line is referred to: `7`, or with several inputs `b.jsonl:7` (as given: the
    /// table escapes it).
    pub fn line(&self, line: Option<u64>, file: Option<usize>) -> Option<String> {
        let line = line?;
        Some(match file.and_then(|f| self.sources.file_name(f)) {
            Some(name) => format!("{name}:{line}"),
            None => line.to_string(),
        })
    }
}

// ── JSON ─────────────────────────────────────────────────────────────────────────────────

/// The version of the JSON document's layout: raised when a field changes its meaning or
/// goes away, not when one is added.
pub const JSON_SCHEMA_VERSION: u32 = 1;

/// One JSON document, pretty-printed, written as it is serialized: the schema version, the
/// currency, the rulebook (its title, and each version with the days it is in force), then
/// the report. With several inputs, every item with a line also has the `file` it is in.
pub fn json(
    out: &mut impl std::io::Write,
    report: &Report,
    context: &Context,
) -> std::io::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(&mut *out, SafeJson::default());
    serde::Serialize::serialize(&Document { report, context }, &mut serializer)?;
    out.write_all(b"\n")
}

struct Document<'a> {
    report: &'a Report,
    context: &'a Context<'a>,
}

impl serde::Serialize for Document<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        let Context {
            rulebook,
            sources,
            files,
        } = self.context;
        let report = self.report;
        let mut document = serializer.serialize_struct("Document", 6)?;
        document.serialize_field("schema_version", &JSON_SCHEMA_VERSION)?;
        document.serialize_field("currency", &rulebook.header().currency)?;
        document.serialize_field("rulebook", &RulebookInfo(rulebook))?;
        if sources.several() {
            let file = |index: Option<usize>| index.and_then(|i| sources.file_name(i));
            let statements: Vec<StatementView> = (report.statements.iter().enumerate())
                .map(|(s, statement)| StatementView {
                    statement,
                    entries: (statement.entries.iter().enumerate())
                        .map(|(e, item)| Located {
                            item,
                            file: file(files.entry(s, e)),
                        })
                        .collect(),
                    outcomes: (statement.outcomes.iter().enumerate())
                        .map(|(o, item)| Located {
                            item,
                            file: file(files.outcome(s, o)),
                        })
                        .collect(),
                })
                .collect();
            document.serialize_field("statements", &statements)?;
            let ignored: Vec<Located<IgnoredLine>> = (report.ignored.iter().enumerate())
                .map(|(i, item)| Located {
                    item,
                    file: file(files.ignored(i)),
                })
                .collect();
            document.serialize_field("ignored", &ignored)?;
            let rejected: Vec<Located<RejectedLine>> = (report.rejected.iter().enumerate())
                .map(|(i, item)| Located {
                    item,
                    file: file(files.rejected(i)),
                })
                .collect();
            document.serialize_field("rejected", &rejected)?;
        } else {
            document.serialize_field("statements", &report.statements)?;
            document.serialize_field("ignored", &report.ignored)?;
            document.serialize_field("rejected", &report.rejected)?;
        }
        document.end()
    }
}

/// `{"title": …, "versions": [{"file", "title", "effective", "until"}]}`: the rulebook's
/// title (its latest version's) and each version, oldest first, with the days it is in
/// force (`until` is `null` for a version in force with no end).
struct RulebookInfo<'a>(&'a Rulebook);

impl serde::Serialize for RulebookInfo<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        #[derive(serde::Serialize)]
        struct VersionInfo<'a> {
            file: &'a str,
            title: &'a str,
            effective: String,
            until: Option<String>,
        }
        let versions: Vec<VersionInfo> = (self.0.versions().iter())
            .map(|version| VersionInfo {
                file: version.name(),
                title: &version.header().title,
                effective: version.effective().to_string(),
                until: version.until().map(|day| day.to_string()),
            })
            .collect();
        let mut info = serializer.serialize_struct("Rulebook", 2)?;
        info.serialize_field("title", &self.0.header().title)?;
        info.serialize_field("versions", &versions)?;
        info.end()
    }
}

/// An item with a line, and the input the line is in (with several inputs).
#[derive(serde::Serialize)]
struct Located<'a, T> {
    #[serde(flatten)]
    item: &'a T,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<&'a str>,
}

/// A statement whose entries and outcomes name their input: the fields of [`Statement`], in
/// its order (a test compares the two).
struct StatementView<'a> {
    statement: &'a Statement,
    entries: Vec<Located<'a, Entry>>,
    outcomes: Vec<Located<'a, OutcomeEntry>>,
}

impl serde::Serialize for StatementView<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        let s = self.statement;
        let mut out = serializer.serialize_struct("Statement", 8)?;
        out.serialize_field("who", &s.who)?;
        out.serialize_field("month", &s.month)?;
        out.serialize_field("fines", &s.fines)?;
        out.serialize_field("rewards", &s.rewards)?;
        out.serialize_field("net", &s.net)?;
        if let Some(points) = &s.points {
            out.serialize_field("points", points)?;
        }
        out.serialize_field("entries", &self.entries)?;
        out.serialize_field("outcomes", &self.outcomes)?;
        out.end()
    }
}

/// serde_json's pretty formatter, which also writes as `\u` escapes the characters it leaves
/// raw but a terminal may obey or that hide or reorder text (DEL, the C1 controls such as
/// U+009B, bidi overrides, zero-width characters: [`must_escape`]); it escapes the C0
/// controls itself. The document means the same: a JSON reader reads back the same text.
#[derive(Default)]
struct SafeJson(serde_json::ser::PrettyFormatter<'static>);

impl serde_json::ser::Formatter for SafeJson {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut rest = fragment;
        while let Some((at, c)) = rest.char_indices().find(|&(_, c)| must_escape(c)) {
            writer.write_all(&rest.as_bytes()[..at])?;
            // Every such character is in the Basic Multilingual Plane: one `\u` escape.
            write!(writer, "\\u{:04x}", u32::from(c))?;
            rest = &rest[at + c.len_utf8()..];
        }
        writer.write_all(rest.as_bytes())
    }

    // The rest is the pretty formatter's.
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn end_object_key<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_key(w)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_value(w)
    }
}

// ── CSV ──────────────────────────────────────────────────────────────────────────────────

/// Who and which months the CSV has a row for.
pub struct Run {
    /// The people the period rules were judged for: the roster, or without one everyone
    /// named on a line applied or ignored.
    pub people: Vec<String>,
    /// The first and the last month of the lines applied or ignored, if there were any.
    pub months: Option<(Month, Month)>,
}

/// The columns of the CSV.
pub const CSV_HEADER: [&str; 7] = [
    "who", "month", "currency", "fines", "rewards", "net", "outcomes",
];

/// `who,month,currency,fines,rewards,net,outcomes`, for payroll import: a row for every
/// person judged (and anyone else with a statement) in every month of the run, zero or not,
/// by person then month — a missing row never has to be read as zero. Amounts have two
/// decimals (`70.00`); text cells cannot start a formula ([`csv_text`]); quoting is RFC 4180's.
pub fn csv(
    out: &mut impl std::io::Write,
    report: &Report,
    context: &Context,
    run: &Run,
) -> std::io::Result<()> {
    let mut writer = csv::WriterBuilder::new().from_writer(out);
    writer.write_record(CSV_HEADER)?;
    let statements: HashMap<(&str, Month), usize> = (report.statements.iter().enumerate())
        .map(|(index, s)| ((s.who.as_str(), s.month), index))
        .collect();
    let mut people: BTreeSet<&str> = run.people.iter().map(String::as_str).collect();
    people.extend(report.statements.iter().map(|s| s.who.as_str()));
    let months = report.statements.iter().map(|s| s.month);
    let first = months
        .clone()
        .chain(run.months.map(|(first, _)| first))
        .min();
    let last = months.chain(run.months.map(|(_, last)| last)).max();
    let (Some(first), Some(last)) = (first, last) else {
        return writer.flush();
    };
    let currency = csv_text(&context.rulebook.header().currency);
    let zero = cents(Money::ZERO);
    for who in people {
        let mut month = Some(first);
        while let Some(current) = month.filter(|m| *m <= last) {
            let month_text = current.to_string();
            let cells: [String; 4] = match statements.get(&(who, current)) {
                Some(&index) => {
                    let s = &report.statements[index];
                    let outcomes: Vec<String> = (s.outcomes.iter().enumerate())
                        .map(|(o, outcome)| {
                            outcome_words(
                                outcome,
                                &context.line(outcome.line, context.files.outcome(index, o)),
                            )
                        })
                        .collect();
                    [
                        cents(s.fines),
                        cents(s.rewards),
                        cents(s.net),
                        outcomes.join("; "),
                    ]
                }
                None => [zero.clone(), zero.clone(), zero.clone(), String::new()],
            };
            let [fines, rewards, net, outcomes] = &cells;
            writer.write_record([
                &*csv_text(who),
                &*csv_text(&month_text),
                &*currency,
                fines,
                rewards,
                net,
                &*csv_text(outcomes),
            ])?;
            month = current.next();
        }
    }
    writer.flush()
}

/// A text cell of the CSV, safe to open in a spreadsheet: one that begins with a character
/// a spreadsheet starts a formula with (`=`, `+`, `-`, `@`, a tab or a carriage return, or
/// the full-width `＝＋－＠` that some spreadsheets read as the same) gets a `'` in front, as
/// OWASP advises (`'=HYPERLINK(…)` is shown as text). The CSV writer then quotes it as RFC
/// 4180 says when it holds a comma, a quote or a line break.
fn csv_text(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠']) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// `dismissal (rule 3.11, line 7)`, `promotion by 1 grade, pending approval (rule 5.5, line 9)`
/// — `line b.jsonl:9` with several inputs.
fn outcome_words(outcome: &OutcomeEntry, line: &Option<String>) -> String {
    let mut text = outcome.kind.clone();
    if let Some(grades) = outcome.grades {
        let _ = write!(
            text,
            " by {grades} grade{}",
            if grades == 1 { "" } else { "s" }
        );
    }
    if let Some(status) = approval_words(outcome) {
        let _ = write!(text, ", {status}");
    }
    let _ = write!(text, " (rule {}", outcome.rule);
    if let Some(line) = line {
        let _ = write!(text, ", line {line}");
    }
    text.push(')');
    text
}

/// `approved` or `pending approval`, as the JSON writes it.
fn approval_words(outcome: &OutcomeEntry) -> Option<String> {
    let status = serde_json::to_value(outcome.status?).ok()?;
    status.as_str().map(str::to_owned)
}

/// An amount with two decimals (`70.00`, `-12.50`).
fn cents(money: Money) -> String {
    format!("{:.2}", money.to_decimal())
}

// ── Table ────────────────────────────────────────────────────────────────────────────────

/// The words of the table, in the rule file's language.
struct Words {
    /// `line`, `at`, `rule`, `kind`, `base`, `amount`, then `why`.
    columns: [&'static str; 7],
    fine: &'static str,
    reward: &'static str,
    /// The totals: fines, rewards, net.
    totals: [&'static str; 3],
    points: &'static str,
    outcome: &'static str,
    ignored: &'static str,
    rejected: &'static str,
    language: Language,
}

impl Words {
    fn of(language: Language) -> Words {
        match language {
            Language::TraditionalChinese => Words {
                columns: ["行", "時間", "條款", "類別", "基數", "金額", "原因"],
                fine: "扣罰",
                reward: "獎勵",
                totals: ["扣罰", "獎勵", "淨額"],
                points: "分",
                outcome: "處理：",
                ignored: "不予處理的行",
                rejected: "被拒絕的行",
                language,
            },
            Language::SimplifiedChinese => Words {
                columns: ["行", "时间", "条款", "类别", "基数", "金额", "原因"],
                fine: "扣罚",
                reward: "奖励",
                totals: ["扣罚", "奖励", "净额"],
                points: "分",
                outcome: "处理：",
                ignored: "不予处理的行",
                rejected: "被拒绝的行",
                language,
            },
            _ => Words {
                columns: ["line", "at", "rule", "kind", "base", "amount", "why"],
                fine: "fine",
                reward: "reward",
                totals: ["fines", "rewards", "net"],
                points: "points",
                outcome: "outcome: ",
                ignored: "ignored",
                rejected: "rejected",
                language: Language::English,
            },
        }
    }

    /// `line 7`, `第 7 行`; `line` is already padded.
    fn line(&self, line: &str) -> String {
        if self.language.is_chinese() {
            format!("第 {line} 行")
        } else {
            format!("line {line}")
        }
    }

    /// The closing count.
    fn count(&self, statements: usize, entries: usize, ignored: usize, rejected: usize) -> String {
        match self.language {
            Language::TraditionalChinese => format!(
                "{statements} 份月結單，{entries} 筆記錄，{ignored} 行不予處理，{rejected} 行被拒絕"
            ),
            Language::SimplifiedChinese => format!(
                "{statements} 份月结单，{entries} 笔记录，{ignored} 行不予处理，{rejected} 行被拒绝"
            ),
            _ => format!(
                "{statements} statements, {entries} entries, {ignored} ignored, {rejected} rejected"
            ),
        }
    }

    /// An outcome in words: the English of [`outcome_words`], or its Chinese.
    fn outcome(&self, outcome: &OutcomeEntry, line: &Option<String>) -> String {
        let traditional = match self.language {
            Language::TraditionalChinese => true,
            Language::SimplifiedChinese => false,
            _ => return outcome_words(outcome, line),
        };
        let pick = |t: &'static str, s: &'static str| if traditional { t } else { s };
        let mut text = match outcome.kind.as_str() {
            "dismissal" => "解雇".to_owned(),
            "remedy" => pick("責令補救", "责令补救").to_owned(),
            "promotion" => pick("晉升", "晋升").to_owned(),
            other => other.to_owned(),
        };
        if let Some(grades) = outcome.grades {
            let _ = write!(text, " {grades} {}", pick("級", "级"));
        }
        match approval_words(outcome).as_deref() {
            Some("approved") => text.push_str("，已核准"),
            Some("pending approval") => text.push_str("，待核准"),
            Some(other) => {
                let _ = write!(text, "，{other}");
            }
            None => {}
        }
        let _ = write!(text, "（第 {} {}", outcome.rule, pick("條", "条"));
        if let Some(line) = line {
            let _ = write!(text, "，第 {line} 行");
        }
        text.push('）');
        text
    }
}

/// `text` from the input as the table shows it: control characters escaped.
fn shown(text: &str) -> String {
    escape_controls(text).into_owned()
}

/// The columns `text` takes on a terminal: two for a Chinese character.
fn width(text: &str) -> usize {
    text.width()
}

fn pad_right(text: &str, columns: usize) -> String {
    format!("{text}{}", " ".repeat(columns.saturating_sub(width(text))))
}

fn pad_left(text: &str, columns: usize) -> String {
    format!("{}{text}", " ".repeat(columns.saturating_sub(width(text))))
}

/// A line reference in its column: a number to the right, `b.jsonl:7` to the left.
fn pad_line(text: &str, columns: usize, several: bool) -> String {
    if several {
        pad_right(text, columns)
    } else {
        pad_left(text, columns)
    }
}

/// The first line of the table: the title and when the rules took effect (`dates`, one per
/// version), in `language` (whose Chinese words read the same in both scripts).
fn heading(language: Language, title: &str, dates: &[String]) -> String {
    match (language.is_chinese(), dates) {
        (false, [] | [_]) => format!("{title} (effective {})\n", dates.join("")),
        (false, _) => format!("{title} (versions effective {})\n", dates.join(", ")),
        (true, [] | [_]) => format!("{title}（{} 起生效）\n", dates.join("")),
        (true, _) => format!("{title}（各版本生效日期：{}）\n", dates.join("、")),
    }
}

/// A block per person and month, entries with amounts and reasons, totals aligned; then the
/// ignored and rejected lines and a count of everything — in the rule file's language,
/// aligned by the columns each character takes.
pub fn table(report: &Report, context: &Context) -> String {
    let rulebook = context.rulebook;
    let header = rulebook.header();
    let versions = rulebook.versions();
    let mut dates: Vec<String> = versions.iter().map(|v| v.effective().to_string()).collect();
    if dates.len() < 2 {
        dates = vec![header.effective.to_string()];
    }
    let language = language_of(versions);
    let words = Words::of(language);
    let mut text = heading(language, &shown(&header.title), &dates);
    let currency = shown(&header.currency);
    for (index, statement) in report.statements.iter().enumerate() {
        statement_block(&mut text, index, statement, &currency, &words, context);
    }
    if !report.ignored.is_empty() {
        let _ = writeln!(text, "\n{}", words.ignored);
        let lines: Vec<String> = (report.ignored.iter().enumerate())
            .map(|(i, ignored)| {
                shown(&line_text(
                    context.line(ignored.line, context.files.ignored(i)),
                ))
            })
            .collect();
        let line_width = lines.iter().map(|l| width(l)).max().unwrap_or(0);
        let rules: Vec<String> = report.ignored.iter().map(|i| shown(&i.rule)).collect();
        let rule_width = rules.iter().map(|rule| width(rule)).max().unwrap_or(0);
        for ((ignored, rule), line) in report.ignored.iter().zip(&rules).zip(&lines) {
            let _ = writeln!(
                text,
                "  {}  {}  {}",
                words.line(&pad_line(line, line_width, context.sources.several())),
                pad_right(rule, rule_width),
                escape_controls(&ignored.why)
            );
        }
    }
    if !report.rejected.is_empty() {
        let _ = writeln!(text, "\n{}", words.rejected);
        let lines: Vec<Option<String>> = (report.rejected.iter().enumerate())
            .map(|(i, rejected)| {
                (context.line(rejected.line, context.files.rejected(i))).map(|line| shown(&line))
            })
            .collect();
        let line_width = lines.iter().flatten().map(|l| width(l)).max().unwrap_or(0);
        for (rejected, line) in report.rejected.iter().zip(&lines) {
            let place = match line {
                Some(line) => words.line(&pad_line(line, line_width, context.sources.several())),
                None => period_place(rejected),
            };
            let _ = writeln!(text, "  {place}  {}", escape_controls(&rejected.why));
        }
    }
    let entries: usize = report.statements.iter().map(|s| s.entries.len()).sum();
    let _ = writeln!(
        text,
        "\n{}",
        words.count(
            report.statements.len(),
            entries,
            report.ignored.len(),
            report.rejected.len()
        )
    );
    text
}

/// Where a rejection belongs, on standard error beside the CSV: `line 5` (`line b.jsonl:5`
/// with several inputs), or for a period rule's entry the person and month (`E002 · 2025-08`).
pub fn rejected_place(rejected: &RejectedLine, line: Option<String>) -> String {
    match line {
        Some(line) => format!("line {}", escape_controls(&line)),
        None => period_place(rejected),
    }
}

/// A rejection with no line: a period rule's entry, named by its person and month.
fn period_place(rejected: &RejectedLine) -> String {
    match (&rejected.who, rejected.month) {
        (Some(who), Some(month)) => format!("{} · {month}", escape_controls(who)),
        (Some(who), None) => escape_controls(who).into_owned(),
        (None, Some(month)) => month.to_string(),
        (None, None) => "(no line)".to_owned(),
    }
}

fn line_text(line: Option<String>) -> String {
    line.unwrap_or_else(|| "-".to_owned())
}

fn statement_block(
    text: &mut String,
    index: usize,
    s: &Statement,
    currency: &str,
    words: &Words,
    context: &Context,
) {
    let _ = writeln!(text, "\n{} · {}", escape_controls(&s.who), s.month);
    let rows: Vec<[String; 6]> = (s.entries.iter().enumerate())
        .map(|(e, entry)| {
            [
                shown(&line_text(
                    context.line(entry.line, context.files.entry(index, e)),
                )),
                shown(&entry.at),
                shown(&entry.rule),
                match entry.kind {
                    Direction::Fine => words.fine.to_owned(),
                    Direction::Reward => words.reward.to_owned(),
                    // A direction the table has no word for is shown as JSON names it.
                    other => other.word().to_owned(),
                },
                cents(entry.base),
                cents(entry.amount),
            ]
        })
        .collect();
    let [line, at, rule, kind, base, amount, why] = words.columns;
    let titles = [line, at, rule, kind, base, amount];
    let mut widths = titles.map(width);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(width(cell));
        }
    }
    let total_width = [cents(s.fines), cents(s.rewards), cents(s.net)]
        .iter()
        .map(|t| width(t))
        .max()
        .unwrap_or(0);
    widths[5] = widths[5].max(total_width);
    // `b.jsonl:7` reads best from the left; a plain number from the right.
    let several = context.sources.several();
    let row_text = |cells: [&str; 6], why: &str| {
        format!(
            "  {}  {}  {}  {}  {}  {}  {why}",
            pad_line(cells[0], widths[0], several),
            pad_right(cells[1], widths[1]),
            pad_right(cells[2], widths[2]),
            pad_right(cells[3], widths[3]),
            pad_left(cells[4], widths[4]),
            pad_left(cells[5], widths[5]),
        )
    };
    let _ = writeln!(text, "{}", row_text(titles, why).trim_end());
    for (row, entry) in rows.iter().zip(&s.entries) {
        let cells = [&row[0], &row[1], &row[2], &row[3], &row[4], &row[5]].map(String::as_str);
        let _ = writeln!(text, "{}", row_text(cells, &escape_controls(&entry.why)));
    }
    // Totals under the amount column.
    let label_width = widths[..5].iter().sum::<usize>() + 2 * 5;
    let [fines, rewards, net] = words.totals;
    for (label, amount) in [(fines, s.fines), (rewards, s.rewards), (net, s.net)] {
        let _ = writeln!(
            text,
            "  {}  {} {currency}",
            pad_left(label, label_width),
            pad_left(&cents(amount), widths[5])
        );
    }
    if let Some(points) = &s.points {
        let _ = writeln!(
            text,
            "  {}  {} {}",
            pad_left(net, label_width),
            pad_left(&cents(points.net), widths[5]),
            words.points
        );
    }
    for (o, outcome) in s.outcomes.iter().enumerate() {
        let line = context.line(outcome.line, context.files.outcome(index, o));
        let _ = writeln!(
            text,
            "  {}{}",
            words.outcome,
            escape_controls(&words.outcome(outcome, &line))
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A CSV record as the writer writes it.
    fn record(cells: &[&str]) -> String {
        let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
        let cells: Vec<String> = cells.iter().map(|c| csv_text(c).into_owned()).collect();
        writer.write_record(&cells).unwrap();
        String::from_utf8(writer.into_inner().unwrap()).unwrap()
    }

    #[test]
    fn csv_text_cells_cannot_start_a_formula() {
        for (text, cell) in [
            ("E001", "E001"),
            ("獎懲", "獎懲"),
            ("=1+1", "'=1+1"),
            ("+1", "'+1"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tE1", "'\tE1"),
            ("\rE1", "\"'\rE1\""),
            ("＝1+1", "'＝1+1"),
            ("－1", "'－1"),
            (
                "=HYPERLINK(\"x\",\"y\")",
                "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"",
            ),
            ("a,b", "\"a,b\""),
            ("a\nb", "\"a\nb\""),
            ("E1=2", "E1=2"),
            (" =1", " =1"),
        ] {
            assert_eq!(record(&[text, "x"]), format!("{cell},x\n"), "{text:?}");
        }
    }

    #[test]
    fn amounts_have_two_decimals() {
        assert_eq!(cents(Money::from_major(70).unwrap()), "70.00");
        assert_eq!(cents(Money::from_minor(-1250)), "-12.50");
        assert_eq!(cents(Money::from_minor(5)), "0.05");
        assert_eq!(cents(Money::ZERO), "0.00");
    }

    #[test]
    fn json_escapes_what_serde_json_leaves_raw_and_reads_back_the_same() {
        let text = "a\u{1b}b\u{7f}\u{9b}\u{202e}\u{2066}\u{200b}\u{feff}遲到\"\\";
        let mut out = Vec::new();
        let mut serializer = serde_json::Serializer::with_formatter(&mut out, SafeJson::default());
        serde::Serialize::serialize(&serde_json::json!({ text: [text, 1] }), &mut serializer)
            .unwrap();
        let json = String::from_utf8(out).unwrap();
        let escaped = "a\\u001bb\\u007f\\u009b\\u202e\\u2066\\u200b\\ufeff遲到\\\"\\\\";
        assert_eq!(
            json,
            format!("{{\n  \"{escaped}\": [\n    \"{escaped}\",\n    1\n  ]\n}}")
        );
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back, serde_json::json!({ text: [text, 1] }));
    }

    #[test]
    fn the_heading_speaks_the_file_language() {
        let one = ["2025-08-15".to_owned()];
        let two = ["2025-01-01".to_owned(), "2025-08-15".to_owned()];
        assert_eq!(
            heading(Language::English, "T", &one),
            "T (effective 2025-08-15)\n"
        );
        assert_eq!(
            heading(Language::English, "T", &two),
            "T (versions effective 2025-01-01, 2025-08-15)\n"
        );
        assert_eq!(
            heading(Language::TraditionalChinese, "獎懲細則", &one),
            "獎懲細則（2025-08-15 起生效）\n"
        );
        assert_eq!(
            heading(Language::SimplifiedChinese, "奖惩细则", &two),
            "奖惩细则（各版本生效日期：2025-01-01、2025-08-15）\n"
        );
    }

    /// The view that names each entry's input writes every field of a statement, in order:
    /// a field the library adds to `Statement` fails here until the view has it.
    #[test]
    fn the_statement_view_writes_what_a_statement_writes() {
        let rules = "title: T\neffective: 2025-08-01\ncurrency: CNY\ntime zone: +08:00\n\n\
            section 1: rules\n1.1 rudeness: fine 2 points\n1.2 theft: fine 100, and dismissal\n";
        let rulebook = std::sync::Arc::new(Rulebook::parse("t.rules", rules).unwrap());
        let events = [
            r#"{"at": "2025-08-02", "who": "E1", "event": "rudeness"}"#,
            r#"{"at": "2025-08-03", "who": "E1", "event": "theft"}"#,
        ];
        let lines = events
            .iter()
            .zip(1..)
            .map(|(line, n)| (n, rulebook::Event::from_json(line)));
        let report = rulebook::evaluate(rulebook, lines, None).unwrap().report();
        let statement = &report.statements[0];
        assert!(statement.points.is_some() && !statement.outcomes.is_empty());
        let view = StatementView {
            statement,
            entries: (statement.entries.iter())
                .map(|item| Located { item, file: None })
                .collect(),
            outcomes: (statement.outcomes.iter())
                .map(|item| Located { item, file: None })
                .collect(),
        };
        assert_eq!(
            serde_json::to_string(&view).unwrap(),
            serde_json::to_string(statement).unwrap()
        );
    }

    #[test]
    fn columns_are_counted_as_a_terminal_shows_them() {
        assert_eq!(width("line"), 4);
        assert_eq!(width("時間"), 4);
        assert_eq!(pad_left("扣罰", 7), "   扣罰");
        assert_eq!(pad_right("獎勵", 5), "獎勵 ");
    }
}
