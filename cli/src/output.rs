//! The three output formats of `rulebook eval`: JSON (the contract of `semantics.md` §7),
//! CSV for payroll import, and a table for a person at a terminal.

use std::fmt::Write as _;

use rulebook::{
    Direction, Language, Money, OutcomeEntry, RejectedLine, Report, Rulebook, Statement, Version,
};

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
    serde_json::to_writer_pretty(&mut *out, report)?;
    out.write_all(b"\n")
}

/// `who,month,fines,rewards,net,outcomes`: one row per person and month, written as made.
pub fn csv(out: &mut impl std::io::Write, report: &Report) -> std::io::Result<()> {
    out.write_all(b"who,month,fines,rewards,net,outcomes\n")?;
    for s in &report.statements {
        let outcomes: Vec<String> = s.outcomes.iter().map(outcome_words).collect();
        writeln!(
            out,
            "{},{},{},{},{},{}",
            csv_field(&s.who),
            s.month,
            s.fines,
            s.rewards,
            s.net,
            csv_field(&outcomes.join("; "))
        )?;
    }
    Ok(())
}

/// Quotes a CSV field when it holds a comma, a quote or a line break.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
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
    let mut text = heading(language_of(versions), &header.title, &dates);
    for statement in &report.statements {
        statement_block(&mut text, statement, &header.currency);
    }
    if !report.ignored.is_empty() {
        text.push_str("\nignored\n");
        let line_width = report
            .ignored
            .iter()
            .map(|i| line_text(i.line).len())
            .max()
            .unwrap_or(0);
        let rule_width = report
            .ignored
            .iter()
            .map(|i| width(&i.rule))
            .max()
            .unwrap_or(0);
        for ignored in &report.ignored {
            let _ = writeln!(
                text,
                "  line {}  {}  {}",
                pad_left(&line_text(ignored.line), line_width),
                pad_right(&ignored.rule, rule_width),
                ignored.why
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
            let _ = writeln!(text, "  {place}  {}", rejected.why);
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
        (None, Some(who), Some(month)) => format!("{who} · {month}"),
        (None, Some(who), None) => who.clone(),
        (None, None, Some(month)) => month.to_string(),
        (None, None, None) => "(no line)".to_owned(),
    }
}

fn line_text(line: Option<u64>) -> String {
    line.map_or_else(|| "-".to_owned(), |l| l.to_string())
}

fn statement_block(text: &mut String, s: &Statement, currency: &str) {
    let _ = writeln!(text, "\n{} · {}", s.who, s.month);
    let rows: Vec<[String; 6]> = s
        .entries
        .iter()
        .map(|e| {
            [
                line_text(e.line),
                e.at.clone(),
                e.rule.clone(),
                match e.kind {
                    Direction::Fine => "fine".to_owned(),
                    Direction::Reward => "reward".to_owned(),
                },
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
        let _ = writeln!(text, "{}", row_text(cells, &entry.why));
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
        let _ = writeln!(text, "  outcome: {}", outcome_words(outcome));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
