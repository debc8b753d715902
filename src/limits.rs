//! How much a rule file or an event line may hold. Input beyond a limit is refused with a
//! clear error instead of exhausting memory or time; every limit is far above what a real
//! policy or event needs.

use crate::ast::Span;
use crate::error::{Problem, ProblemKind};

/// The largest rule file read: 16 MiB (a policy of ten thousand rules is about 0.6 MiB).
pub const MAX_RULE_FILE_BYTES: usize = 16 << 20;

/// The longest line of a rule file, in bytes: 4 KiB (the longest line of the bundled policy
/// has about 200 characters).
pub const MAX_RULE_LINE_BYTES: usize = 4096;

/// The most rules (labelled rule lines) a rule file may hold.
pub const MAX_RULES: usize = 100_000;

/// The most rules about one event kind. Each pair of them is compared for overlap, so the
/// check's time grows with the square of this number.
pub const MAX_RULES_PER_KIND: usize = 1_000;

/// The most escalation rules a rule file may hold (each pair is compared for overlap).
pub const MAX_ESCALATIONS: usize = 1_000;

/// The most period rules (`each month, …`) a rule file may hold: each person carries a count
/// for each of them.
pub const MAX_PERIOD_RULES: usize = 1_000;

/// The most versions a policy may load at once (each keeps its own plan of every kind).
pub const MAX_VERSIONS: usize = 64;

/// The largest amount a rule file may write, in the currency's major unit (yuan): a fine, a
/// reward, either end of a range, a rate per unit, a surcharge or a schedule's step. With
/// [`MAX_MULTIPLIER`], one entry from a rule's own amounts is at most 10¹⁰ yuan, so a
/// person's month would need over 900,000 such entries before its totals (held in i64
/// fen, up to about 9.2 × 10¹⁶ yuan) could overflow. Amounts computed from an event's
/// values (`per minute`, `% of`) are checked as they are made: an event whose amount would
/// not fit is rejected.
pub const MAX_RULE_AMOUNT: i64 = 100_000_000;

/// The largest multiplier an escalation may declare (`2 times the heaviest base so far`).
pub const MAX_MULTIPLIER: u32 = 100;

/// The most recent bases an escalation may compare (`the heaviest base of the last 100`):
/// each entry looks at that many, so a larger N would make one person's month of entries
/// quadratic in time. `the heaviest base so far` compares any number in constant time.
pub const MAX_LAST_ENTRIES: u32 = 100;

/// The longest event line read, in bytes: 1 MiB. A longer line is rejected (with its line
/// number) without being held in memory, and reading goes on with the next line.
pub const MAX_EVENT_LINE_BYTES: usize = 1 << 20;

/// How far ahead of its rulebook's effective date an event may be, in years. Period rules are
/// closed for every month from the first event to the last, so one mistyped year (`9025`)
/// would otherwise make thousands of months for every person; such an event is rejected
/// (`too_far_ahead`) with its line number.
pub const MAX_YEARS_AHEAD: u32 = 100;

/// The most person-months one evaluation's period rules close: the months from the first
/// event to the last (both counted) times the people on the roster (or, without one, the
/// people named). Each costs a statement's worth of memory (a few hundred bytes once
/// reported), so one mistyped year beside a large roster (two events a century apart, ten
/// thousand people: 12 million) would take gigabytes; such an evaluation is refused with the
/// months and lines at fault. Five million is, for instance, 100,000 people over four
/// years, or 10,000 people over forty.
pub const MAX_PERSON_MONTHS: u64 = 5_000_000;

/// The largest roster file `rulebook eval --roster` reads: 16 MiB (about two million ids).
pub const MAX_ROSTER_BYTES: usize = 16 << 20;

/// A budget of parser calls for one rule file, for programs that read untrusted rule files:
/// [`limit_parser_calls`] installs it. A rule file takes 5 to 14 calls per byte (measured on
/// the bundled policy, on 99,000 generated rules and on a long list of kinds), so the largest
/// file allowed needs at most about 240 million; the budget is four times that.
pub const PARSER_CALL_LIMIT: usize = 1_000_000_000;

/// Sets the parser's call budget to [`PARSER_CALL_LIMIT`], so that no rule file can keep the
/// parser busy for long: a parse that runs out is reported as [`ProblemKind::TooComplex`].
/// The budget belongs to `pest` and is process-wide (it applies to every `pest` parser in the
/// program), so the library never sets it by itself; the `rulebook` command calls this at
/// start-up.
pub fn limit_parser_calls() {
    pest::set_call_limit(std::num::NonZeroUsize::new(PARSER_CALL_LIMIT));
}

/// The control characters of a rule file reported one by one; the last one reported says how
/// many more there are (a file of nothing but control characters would otherwise make a
/// problem of each of its bytes).
pub const MAX_CONTROL_CHARACTERS_REPORTED: usize = 100;

/// "Did you mean" suggestions computed for one rule file; later unknown names get none, so
/// that a file of many misspellings is not checked in quadratic time.
pub(crate) const MAX_SUGGESTIONS: usize = 100;

/// The problem of a file of `bytes` bytes, more than [`MAX_RULE_FILE_BYTES`].
pub(crate) fn file_too_large(bytes: usize) -> Problem {
    Problem::new(
        ProblemKind::FileTooLarge {
            bytes,
            limit: MAX_RULE_FILE_BYTES,
        },
        Span::new(0, 0),
    )
}

/// Each line longer than [`MAX_RULE_LINE_BYTES`] (the file's size is checked before). The
/// file is not parsed when there is any.
pub(crate) fn long_line_problems(source: &str) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut start = 0;
    for line in source.split_inclusive('\n') {
        let text = line.trim_end_matches(['\n', '\r']);
        if text.len() > MAX_RULE_LINE_BYTES {
            // Underline the part past the limit, from a character boundary.
            let mut cut = MAX_RULE_LINE_BYTES;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            problems.push(
                Problem::new(
                    ProblemKind::LineTooLong {
                        bytes: text.len(),
                        limit: MAX_RULE_LINE_BYTES,
                    },
                    Span::new(start + cut, start + text.len()),
                )
                .with_help(crate::lang::Text::new(
                    "write one rule per line; a long list of kinds can be split over several rules",
                    "每行只寫一條規則；很長的事件類型清單可以拆成幾條規則",
                )),
            );
        }
        start += line.len();
    }
    problems
}

/// Each control character of a rule file (see [`crate::display::must_escape`]; tabs, line
/// ends and a leading byte order mark are allowed), up to
/// [`MAX_CONTROL_CHARACTERS_REPORTED`]. The file is not parsed when there is any: such a
/// character makes a line read differently from how it is shown, or acts on the terminal it
/// is shown on.
pub(crate) fn control_character_problems(source: &str) -> Vec<Problem> {
    let mut controls = crate::display::rule_file_controls(source);
    let mut problems = Vec::new();
    for (at, ch) in controls.by_ref().take(MAX_CONTROL_CHARACTERS_REPORTED) {
        problems.push(
            Problem::new(
                ProblemKind::ControlCharacter { ch },
                Span::new(at, at + ch.len_utf8()),
            )
            .with_help(crate::lang::Text::new(
                "delete it: such a character is invisible, acts on the terminal that shows \
                 it, or reorders the text around it (a rule file may hold spaces, tabs and \
                 line ends)",
                "刪除它：這種字符看不見、會操控顯示它的終端，或會打亂周圍文字的順序（規則文件中\
                 可以有空格、Tab 和換行）",
            )),
        );
    }
    let more = controls.count();
    if more > 0
        && let Some(last) = problems.pop()
    {
        problems.push(last.with_help(crate::lang::Text::new(
            format!(
                "delete it, and the {more} control characters after it, which are not \
                 listed one by one"
            ),
            format!("刪除它，以及它後面沒有逐一列出的 {more} 個控制字符"),
        )));
    }
    problems
}

// The evaluator keeps period rule and escalation indexes, of all versions, in 16 bits.
const _: () = assert!(
    MAX_VERSIONS * MAX_PERIOD_RULES <= u16::MAX as usize
        && MAX_VERSIONS * MAX_ESCALATIONS <= u16::MAX as usize
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Location, Rulebook};

    const GOOD: &str = include_str!("../rules/en/c-tower.rules");

    fn control_problems(source: &str) -> Vec<(char, Location)> {
        let errors = Rulebook::parse("t.rules", source).expect_err("refused");
        errors
            .problems()
            .iter()
            .map(|p| match p.kind() {
                ProblemKind::ControlCharacter { ch } => (*ch, p.location()),
                other => panic!("a control character problem expected, got {other:?}"),
            })
            .collect()
    }

    #[test]
    fn each_control_character_of_a_rule_file_is_a_problem_at_its_place() {
        let source = GOOD
            .replacen("title: ", "title: \u{1b}]0;x\u{7}", 1)
            .replacen("messy desk", "messy\u{202e} desk\u{200b}", 1)
            + "# \u{9b}2J\r\u{7f}\n";
        let found = control_problems(&source);
        let title_line = source
            .lines()
            .position(|l| l.starts_with("title:"))
            .unwrap()
            + 1;
        let desk_line = source
            .lines()
            .position(|l| l.contains("messy\u{202e}"))
            .unwrap()
            + 1;
        let last_line = source.lines().count();
        let at = |line, column| Location { line, column };
        let desk_column = source
            .lines()
            .nth(desk_line - 1)
            .unwrap()
            .find("messy")
            .unwrap()
            + 6;
        assert_eq!(
            found,
            [
                ('\u{1b}', at(title_line, 8)),
                ('\u{7}', at(title_line, 13)),
                ('\u{202e}', at(desk_line, desk_column)),
                ('\u{200b}', at(desk_line, desk_column + 6)),
                ('\u{9b}', at(last_line, 3)),
                ('\r', at(last_line, 6)),
                ('\u{7f}', at(last_line, 7)),
            ]
        );
    }

    #[test]
    fn tabs_line_ends_and_a_leading_byte_order_mark_are_allowed() {
        let crlf = format!("\u{feff}{}", GOOD.replace('\n', "\r\n"));
        let tabbed = GOOD.replacen("title: ", "title:\t", 1);
        for source in [crlf, tabbed] {
            let rulebook = Rulebook::parse("t.rules", &source);
            assert!(rulebook.is_ok(), "{:?}", rulebook.err());
        }
        // A byte order mark anywhere else is an invisible character.
        let inner_bom = GOOD.replacen("title: ", "title: \u{feff}", 1);
        assert_eq!(control_problems(&inner_bom).len(), 1);
    }

    #[test]
    fn the_problems_stop_at_a_limit_and_the_last_counts_the_rest() {
        let source = format!(
            "{GOOD}# {}\n",
            "\u{7}".repeat(MAX_CONTROL_CHARACTERS_REPORTED + 42)
        );
        let errors = Rulebook::parse("t.rules", &source).expect_err("refused");
        assert_eq!(errors.problems().len(), MAX_CONTROL_CHARACTERS_REPORTED);
        let last = errors.problems().last().unwrap();
        assert_eq!(
            last.help(),
            Some(
                "delete it, and the 42 control characters after it, which are not listed one by one"
            )
        );
        let first = errors.problems().first().unwrap();
        assert!(
            first
                .help()
                .unwrap()
                .starts_with("delete it: such a character")
        );
        assert_eq!(
            first.to_string(),
            "the control character `\\u{7}` cannot appear in a rule file"
        );
    }

    #[test]
    fn a_chinese_file_is_told_in_its_script() {
        let traditional = "標題：獎懲細則\u{7}\n";
        let errors = Rulebook::parse("t.rules", traditional).expect_err("refused");
        let problem = &errors.problems()[0];
        assert_eq!(problem.to_string(), "規則文件中不能有控制字符 `\\u{7}`");
        assert!(
            problem
                .help()
                .unwrap()
                .starts_with("刪除它：這種字符看不見")
        );
        let simplified = "标题：奖惩细则\u{7}\n";
        let errors = Rulebook::parse("t.rules", simplified).expect_err("refused");
        let problem = &errors.problems()[0];
        assert_eq!(problem.to_string(), "规则文件中不能有控制字符 `\\u{7}`");
        assert!(
            problem
                .help()
                .unwrap()
                .starts_with("删除它：这种字符看不见")
        );
    }

    #[test]
    fn long_lines_and_control_characters_are_reported_together() {
        let long = format!("# {}\n", "x".repeat(MAX_RULE_LINE_BYTES));
        let source = format!("{GOOD}{long}# \u{1b}\n");
        let errors = Rulebook::parse("t.rules", &source).expect_err("refused");
        let kinds: Vec<_> = errors.problems().iter().map(|p| p.kind().clone()).collect();
        assert!(matches!(
            kinds.as_slice(),
            [
                ProblemKind::LineTooLong { .. },
                ProblemKind::ControlCharacter { ch: '\u{1b}' }
            ]
        ));
    }
}
