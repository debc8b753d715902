//! Text that is not a rule file: what a diagnostic may quote of it.
//!
//! A link or a mistyped path can hand the checker a file that was never meant to be shown
//! (`/etc/shadow`, a key, a payroll export). When a file fails before its first line of
//! rule text could be read, its diagnostic keeps one problem, quotes at most the first word
//! at fault, and shows nothing else of the file: every other character is blanked in the
//! text the renderer receives, and what follows the word is cut off.

use super::{Problem, ProblemKind};
use crate::ast::Span;

/// The most bytes of a file that is not rule text a diagnostic quotes.
const MAX_QUOTED: usize = 32;

/// When `source` is not rule text (its first problem lies on or before its first line
/// of content, and is a problem of reading, not of checking): the text to show in its
/// place and the one problem to report, trimmed to the first word at fault.
pub(crate) fn guard(source: &str, problems: &[Problem]) -> Option<(String, Vec<Problem>)> {
    let first = problems.iter().min_by_key(|p| p.span().start)?;
    let reading = matches!(
        first.kind(),
        ProblemKind::Syntax { .. }
            | ProblemKind::NotUtf8
            | ProblemKind::LineTooLong { .. }
            | ProblemKind::FileTooLarge { .. }
    );
    if !reading || first.span().start > first_content_line_end(source) {
        return None;
    }
    let mut problem = first.clone();
    // A span that does not fall on characters (no reader makes one) is shown as nothing.
    if source.get(problem.span()).is_none() {
        let start = problem.span().start;
        return Some((blanked(source, Span::new(start, start)), vec![problem]));
    }
    let span = first_word(source, problem.span());
    if let Some(word) = source.get(span.clone())
        && let ProblemKind::Syntax { found, .. } = problem.kind_mut()
        && found.starts_with('`')
    {
        *found = format!("`{word}`");
    }
    let span = Span::new(span.start, span.end);
    problem.set_span(span);
    Some((blanked(source, span), vec![problem]))
}

/// The byte offset where the first line that is neither blank nor a `#` comment ends (the
/// end of the text when there is none).
fn first_content_line_end(source: &str) -> usize {
    let mut start = 0;
    for line in source.split_inclusive('\n') {
        let text = line.trim_start_matches('\u{feff}').trim();
        if !text.is_empty() && !text.starts_with('#') {
            return start + line.trim_end_matches(['\n', '\r']).len();
        }
        start += line.len();
    }
    source.len()
}

/// The first word of `span` (letters, digits, `_`, `-`, `.`; else its first character), at
/// most [`MAX_QUOTED`] bytes.
fn first_word(source: &str, span: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let text = source.get(span.clone()).unwrap_or("");
    let word = |c: char| c.is_alphanumeric() || matches!(c, '_' | '-' | '.');
    let mut end = 0;
    for (at, c) in text.char_indices() {
        if (at > 0 && !word(c)) || at + c.len_utf8() > MAX_QUOTED {
            break;
        }
        end = at + c.len_utf8();
        if !word(c) {
            break;
        }
    }
    span.start..span.start + end
}

/// `source` with everything but `span` blanked (line ends kept, so that lines and columns
/// stay where they were) and cut off after it.
fn blanked(source: &str, span: Span) -> String {
    let mut shown: String = source
        .char_indices()
        .take_while(|(at, _)| *at < span.start)
        .map(|(_, c)| {
            if c == '\n' {
                "\n".to_owned()
            } else {
                " ".repeat(c.len_utf8())
            }
        })
        .collect();
    shown.push_str(source.get(span.start..span.end).unwrap_or(""));
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    fn syntax(found: &str, span: std::ops::Range<usize>) -> Problem {
        Problem::new(
            ProblemKind::Syntax {
                expected: "a header line".to_owned(),
                found: format!("`{found}`"),
            },
            span,
        )
    }

    #[test]
    fn a_file_that_fails_on_its_first_line_shows_only_the_first_word() {
        let source = "# notes\n\nroot:$6$SECRET:19000\ndaemon:*:19000\n";
        let line = "root:$6$SECRET:19000";
        let problem = syntax(line, 9..9 + line.len());
        let (shown, problems) = guard(source, &[problem]).expect("not rule text");
        assert_eq!(shown, format!("{}\n\nroot", " ".repeat(7)));
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].span(), 9..13);
        assert_eq!(
            problems[0].kind().to_string(),
            "expected a header line, found `root`"
        );
    }

    #[test]
    fn rule_text_with_a_mistake_later_is_shown_as_it_is() {
        let source = "title: x\nsecret line\n";
        assert!(guard(source, &[syntax("secret line", 9..20)]).is_none());
    }

    #[test]
    fn a_long_word_is_cut() {
        let source = "A".repeat(100);
        let (shown, problems) = guard(&source, &[syntax(&source, 0..100)]).expect("guarded");
        assert_eq!(shown.len(), MAX_QUOTED);
        assert_eq!(problems[0].span(), 0..MAX_QUOTED);
    }
}
