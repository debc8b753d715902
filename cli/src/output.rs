//! The three output formats of `rulebook eval`: JSON (the contract of `semantics.md` §7),
//! CSV for payroll import, and a table for a person at a terminal.
//!
//! Text from the input never reaches a terminal or a spreadsheet as something it obeys: the
//! table shows control characters escaped ([`rulebook::display`]); JSON writes them as
//! `\u` escapes, which a program reads back as they were; CSV text cells cannot start a
//! formula.

use std::borrow::Cow;
use std::fmt::Write as _;

use rulebook::display::{escape_controls, must_escape};
use rulebook::{Language, Money, OutcomeEntry, RejectedLine, Report, Rulebook, Statement, Version};

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

/// One JSON document, pretty-printed, written as it is serialized.
pub fn json(out: &mut impl std::io::Write, report: &Report) -> std::io::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(&mut *out, SafeJson::default());
    serde::Serialize::serialize(report, &mut serializer)?;
    out.write_all(b"\n")
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

/// `who,month,fines,rewards,net,outcomes`: one row per person and month, written as made.
/// The amounts are numbers; the other cells are text, which [`csv_text`] keeps from being
/// read as a formula.
pub fn csv(out: &mut impl std::io::Write, report: &Report) -> std::io::Result<()> {
    out.write_all(b"who,month,fines,rewards,net,outcomes\n")?;
    for s in &report.statements {
        let outcomes: Vec<String> = s.outcomes.iter().map(outcome_words).collect();
        writeln!(
            out,
            "{},{},{},{},{},{}",
            csv_text(&s.who),
            csv_text(&s.month.to_string()),
            s.fines,
            s.rewards,
            s.net,
            csv_text(&outcomes.join("; "))
        )?;
    }
    Ok(())
}

/// A text cell of the CSV, safe to open in a spreadsheet: one that begins with a character
/// a spreadsheet starts a formula with (`=`, `+`, `-`, `@`, a tab or a carriage return, or
/// the full-width `＝＋－＠` that some spreadsheets read as the same) gets a `'` in front, as
/// OWASP advises (`'=HYPERLINK(…)` is shown as text); then it is quoted as RFC 4180 says
/// when it holds a comma, a quote or a line break.
fn csv_text(text: &str) -> Cow<'_, str> {
    let formula = text.starts_with(['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠']);
    let text = if formula {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    };
    if text.contains([',', '"', '\n', '\r']) {
        Cow::Owned(format!("\"{}\"", text.replace('"', "\"\"")))
    } else {
        text
    }
}

/// `dismissal (rule 3.11, line 7)`, `promotion by 1 grade, pending approval (rule 5.5, line 9)`.
fn outcome_words(outcome: &OutcomeEntry) -> String {
    let mut text = outcome.kind.clone();
    if let Some(grades) = outcome.grades {
        let _ = write!(
            text,
            " by {grades} grade{}",
            if grades == 1 { "" } else { "s" }
        );
    }
    if let Some(status) = outcome.status {
        let status = serde_json::to_value(status).ok();
        if let Some(status) = status.as_ref().and_then(|s| s.as_str()) {
            let _ = write!(text, ", {status}");
        }
    }
    let _ = write!(text, " (rule {}", outcome.rule);
    if let Some(line) = outcome.line {
        let _ = write!(text, ", line {line}");
    }
    text.push(')');
    text
}

/// `text` from the input as the table shows it: control characters escaped.
fn shown(text: &str) -> String {
    escape_controls(text).into_owned()
}

/// An amount with two decimals, for columns that line up.
fn cents(money: Money) -> String {
    format!("{:.2}", money.to_decimal())
}

fn width(text: &str) -> usize {
    text.chars().count()
}

fn pad_right(text: &str, columns: usize) -> String {
    format!("{text}{}", " ".repeat(columns.saturating_sub(width(text))))
}

fn pad_left(text: &str, columns: usize) -> String {
    format!("{}{text}", " ".repeat(columns.saturating_sub(width(text))))
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
/// ignored and rejected lines and a count of everything.
pub fn table(report: &Report, rulebook: &Rulebook) -> String {
    let header = rulebook.header();
    let versions = rulebook.versions();
    let mut dates: Vec<String> = versions.iter().map(|v| v.effective().to_string()).collect();
    if dates.len() < 2 {
        dates = vec![header.effective.to_string()];
    }
    let mut text = heading(language_of(versions), &shown(&header.title), &dates);
    let currency = shown(&header.currency);
    for statement in &report.statements {
        statement_block(&mut text, statement, &currency);
    }
    if !report.ignored.is_empty() {
        text.push_str("\nignored\n");
        let line_width = report
            .ignored
            .iter()
            .map(|i| line_text(i.line).len())
            .max()
            .unwrap_or(0);
        let rules: Vec<String> = report.ignored.iter().map(|i| shown(&i.rule)).collect();
        let rule_width = rules.iter().map(|rule| width(rule)).max().unwrap_or(0);
        for (ignored, rule) in report.ignored.iter().zip(&rules) {
            let _ = writeln!(
                text,
                "  line {}  {}  {}",
                pad_left(&line_text(ignored.line), line_width),
                pad_right(rule, rule_width),
                escape_controls(&ignored.why)
            );
        }
    }
    if !report.rejected.is_empty() {
        text.push_str("\nrejected\n");
        let line_width = report
            .rejected
            .iter()
            .filter_map(|r| r.line)
            .map(|line| line.to_string().len())
            .max()
            .unwrap_or(0);
        for rejected in &report.rejected {
            let place = match rejected.line {
                Some(line) => format!("line {}", pad_left(&line.to_string(), line_width)),
                None => rejected_place(rejected),
            };
            let _ = writeln!(text, "  {place}  {}", escape_controls(&rejected.why));
        }
    }
    let entries: usize = report.statements.iter().map(|s| s.entries.len()).sum();
    let _ = writeln!(
        text,
        "\n{} statements, {entries} entries, {} ignored, {} rejected",
        report.statements.len(),
        report.ignored.len(),
        report.rejected.len()
    );
    text
}

/// Where a rejection belongs: `line 5`, or for a period rule's entry the person and month
/// (`E002 · 2025-08`).
pub fn rejected_place(rejected: &RejectedLine) -> String {
    match (rejected.line, &rejected.who, rejected.month) {
        (Some(line), _, _) => format!("line {line}"),
        (None, Some(who), Some(month)) => format!("{} · {month}", escape_controls(who)),
        (None, Some(who), None) => escape_controls(who).into_owned(),
        (None, None, Some(month)) => month.to_string(),
        (None, None, None) => "(no line)".to_owned(),
    }
}

fn line_text(line: Option<u64>) -> String {
    line.map_or_else(|| "-".to_owned(), |l| l.to_string())
}

fn statement_block(text: &mut String, s: &Statement, currency: &str) {
    let _ = writeln!(text, "\n{} · {}", escape_controls(&s.who), s.month);
    let rows: Vec<[String; 6]> = s
        .entries
        .iter()
        .map(|e| {
            [
                line_text(e.line),
                shown(&e.at),
                shown(&e.rule),
                e.kind.word().to_owned(),
                cents(e.base),
                cents(e.amount),
            ]
        })
        .collect();
    let titles = ["line", "at", "rule", "kind", "base", "amount"];
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
    let row_text = |cells: [&str; 6], why: &str| {
        format!(
            "  {}  {}  {}  {}  {}  {}  {why}",
            pad_left(cells[0], widths[0]),
            pad_right(cells[1], widths[1]),
            pad_right(cells[2], widths[2]),
            pad_right(cells[3], widths[3]),
            pad_left(cells[4], widths[4]),
            pad_left(cells[5], widths[5]),
        )
    };
    let _ = writeln!(text, "{}", row_text(titles, "why").trim_end());
    for (row, entry) in rows.iter().zip(&s.entries) {
        let cells = [&row[0], &row[1], &row[2], &row[3], &row[4], &row[5]].map(String::as_str);
        let _ = writeln!(text, "{}", row_text(cells, &escape_controls(&entry.why)));
    }
    // Totals under the amount column.
    let label_width = widths[..5].iter().sum::<usize>() + 2 * 5;
    for (label, amount) in [("fines", s.fines), ("rewards", s.rewards), ("net", s.net)] {
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
            "  {}  {} points",
            pad_left("net", label_width),
            pad_left(&cents(points.net), widths[5])
        );
    }
    for outcome in &s.outcomes {
        let _ = writeln!(
            text,
            "  outcome: {}",
            escape_controls(&outcome_words(outcome))
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            ("", ""),
        ] {
            assert_eq!(csv_text(text), cell, "{text:?}");
        }
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
}
