//! Text from events and rule files made safe to show to a person.
//!
//! A staff id, an event kind, a timestamp or a file name may hold characters that a terminal
//! obeys instead of showing (an escape sequence that clears the screen or sets the window
//! title, a bell, a backspace, a line break that starts a forged line) or that reorder or
//! hide text (bidi overrides, zero-width characters: "Trojan Source"). Everything a person
//! reads goes through [`escape_controls`] (or [`Escaped`]), which writes each such character
//! as a visible escape (`\u{1b}`, `\t`, `\n`) and leaves every other character, Chinese
//! included, as it is. The `rulebook` command does this for every text it prints, and
//! miette's rendering of a rule file's problems does it for the file's lines, its name and
//! the messages. The library's data (a [`Report`](crate::Report)'s fields, a
//! [`ProblemKind`](crate::ProblemKind)) keeps the text as it was given, for programs; the one
//! exception is a reason that quotes an event's text back (a
//! [`Rejection`](crate::Rejection)'s `Display`, and so `why`), which quotes it escaped the
//! same way, since hosts show reasons to people as they are.

use std::borrow::Cow;
use std::fmt;

/// Whether `c` is shown escaped: a character a terminal may act on, or one that is invisible
/// or reorders the text around it.
///
/// - the C0 controls U+0000–U+001F (tab, line feed and carriage return included: inside a
///   field they would break the layout), DEL U+007F and the C1 controls U+0080–U+009F (U+009B
///   starts an escape sequence on some terminals, as ESC `[` does);
/// - the bidirectional formatting characters: the marks U+061C, U+200E, U+200F, the
///   embeddings and overrides U+202A–U+202E and the isolates U+2066–U+2069, which make a
///   text read in a different order than it is stored;
/// - the line and paragraph separators U+2028, U+2029;
/// - invisible characters that make two texts look the same: the zero-width space, non-joiner
///   and joiner U+200B–U+200D, the word joiner and invisible operators U+2060–U+2064, the
///   deprecated format characters U+206A–U+206F, the zero-width no-break space (byte order
///   mark) U+FEFF, and the interlinear annotation characters U+FFF9–U+FFFB.
pub fn must_escape(c: char) -> bool {
    matches!(
        c,
        '\u{0}'..='\u{1F}'
            | '\u{7F}'..='\u{9F}'
            | '\u{61C}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
    )
}

/// `text` with every character [`must_escape`] says is unsafe written as a visible escape,
/// as Rust's [`char::escape_default`] writes it: `\t`, `\r`, `\n`, `\u{1b}`, `\u{9b}`,
/// `\u{202e}`. Borrowed when there is none (the usual case).
///
/// A backslash is left as it is, so a text that already reads `\u{1b}` looks like one that
/// held the character; what matters is that nothing reaches the terminal raw.
///
/// ```
/// use rulebook::display::escape_controls;
/// assert_eq!(escape_controls("E001\u{1b}[2J"), "E001\\u{1b}[2J");
/// assert_eq!(escape_controls("遲到\r\n"), "遲到\\r\\n");
/// assert!(matches!(escape_controls("遲到"), std::borrow::Cow::Borrowed("遲到")));
/// ```
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if text.chars().any(must_escape) {
        Cow::Owned(Escaped(text).to_string())
    } else {
        Cow::Borrowed(text)
    }
}

/// Shows its text as [`escape_controls`] does, without making a copy first:
/// `format!("{}", Escaped(who))`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Escaped<'a>(pub &'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some((at, c)) = rest.char_indices().find(|&(_, c)| must_escape(c)) {
            f.write_str(&rest[..at])?;
            fmt::Display::fmt(&c.escape_default(), f)?;
            rest = &rest[at + c.len_utf8()..];
        }
        f.write_str(rest)
    }
}

/// The characters of a rule file that cannot appear in it: those [`must_escape`] shows
/// escaped, except a tab (a rule file's spacing), a line feed, a carriage return that ends a
/// line before a line feed, and a byte order mark at the very start. Each with its byte
/// offset.
pub(crate) fn rule_file_controls(source: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    source.char_indices().filter(move |&(at, c)| {
        must_escape(c)
            && match c {
                '\t' | '\n' => false,
                '\r' => source.as_bytes().get(at + 1) != Some(&b'\n'),
                '\u{FEFF}' => at != 0,
                _ => true,
            }
    })
}

/// A rule file's text as shown in a diagnostic: each character [`rule_file_controls`]
/// finds written as its escape, and the way back and forth between offsets in the file and
/// offsets in the text shown. Line ends and tabs stay as they are, so lines are the same.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct ShownText {
    text: String,
    /// For each escaped character: its offset in the file, its length there, its offset in
    /// the text shown and the length of its escape. Sorted by both offsets.
    marks: Vec<Mark>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Mark {
    file: usize,
    file_len: usize,
    shown: usize,
    shown_len: usize,
}

/// Not the whole text: a diagnostic printed with `{:?}` stays short.
impl fmt::Debug for ShownText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ShownText")
            .field("escaped", &self.marks.len())
            .finish_non_exhaustive()
    }
}

impl ShownText {
    /// The text of `source` to show, or `None` when it is `source` itself.
    pub(crate) fn of(source: &str) -> Option<ShownText> {
        let mut controls = rule_file_controls(source).peekable();
        controls.peek()?;
        let mut text = String::with_capacity(source.len() + 16);
        let mut marks = Vec::new();
        let mut copied = 0;
        for (at, c) in controls {
            text.push_str(&source[copied..at]);
            let shown = text.len();
            text.extend(c.escape_default());
            marks.push(Mark {
                file: at,
                file_len: c.len_utf8(),
                shown,
                shown_len: text.len() - shown,
            });
            copied = at + c.len_utf8();
        }
        text.push_str(&source[copied..]);
        Some(ShownText { text, marks })
    }

    /// The text shown.
    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    /// The offset in the text shown of the file's byte `offset`: the start of its escape
    /// when it lies inside an escaped character.
    pub(crate) fn to_shown(&self, offset: usize) -> usize {
        let before = self.marks.partition_point(|m| m.file <= offset);
        match before.checked_sub(1).map(|i| self.marks[i]) {
            None => offset,
            Some(m) if offset < m.file + m.file_len => m.shown,
            Some(m) => m.shown + m.shown_len + (offset - m.file - m.file_len),
        }
    }

    /// The file's byte offset of `offset` in the text shown: that of the escaped character
    /// when it lies inside its escape.
    pub(crate) fn to_file(&self, offset: usize) -> usize {
        let before = self.marks.partition_point(|m| m.shown <= offset);
        match before.checked_sub(1).map(|i| self.marks[i]) {
            None => offset,
            Some(m) if offset < m.shown + m.shown_len => m.file,
            Some(m) => m.file + m.file_len + (offset - m.shown - m.shown_len),
        }
    }
}

/// Text quoted back in a message, between double quotes: the characters that
/// [`escape_controls`] escapes (and every other
/// control or invisible one) written the same way (`\u{9b}`, `\t`), so that input cannot move
/// a terminal's cursor or hide part of the message; a quote or backslash is escaped too, so
/// the quoted text ends where it seems to.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Quoted<'a>(pub(crate) &'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.0.chars() {
            if must_escape(c) || c.is_control() || is_invisible(c) {
                fmt::Display::fmt(&c.escape_default(), f)?;
            } else if c == '"' || c == '\\' {
                write!(f, "\\{c}")?;
            } else {
                fmt::Write::write_char(f, c)?;
            }
        }
        Ok(())
    }
}

/// Characters that show nothing: Unicode's format characters (category Cf: the soft hyphen,
/// zero-width spaces and joiners, bidirectional controls, U+FEFF, tags, …), variation
/// selectors, the combining grapheme joiner and the Hangul fillers. Two ids that differ
/// only by one of them look the same and would be two people.
pub(crate) fn is_invisible(c: char) -> bool {
    if c.is_ascii() {
        return false;
    }
    matches!(
        u32::from(c),
        0xAD | 0x34F
            | 0x600..=0x605
            | 0x61C
            | 0x6DD
            | 0x70F
            | 0x890..=0x891
            | 0x8E2
            | 0x115F..=0x1160
            | 0x17B4..=0x17B5
            | 0x180B..=0x180F
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x206F
            | 0x3164
            | 0xFE00..=0xFE0F
            | 0xFEFF
            | 0xFFA0
            | 0xFFF9..=0xFFFB
            | 0x110BD
            | 0x110CD
            | 0x13430..=0x1343F
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0000..=0xE0FFF
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_characters_are_escaped_and_others_kept() {
        for (text, shown) in [
            ("E001", "E001"),
            ("遲到 · 扣罰", "遲到 · 扣罰"),
            ("café ✓ 😀", "café ✓ 😀"),
            ("a\u{1b}[2Jb", "a\\u{1b}[2Jb"),
            ("\u{7}\u{8}\u{0}\u{7f}", "\\u{7}\\u{8}\\u{0}\\u{7f}"),
            ("a\tb\r\nc", "a\\tb\\r\\nc"),
            ("\u{9b}31m\u{85}", "\\u{9b}31m\\u{85}"),
            ("\u{202e}tfel\u{202c}", "\\u{202e}tfel\\u{202c}"),
            (
                "\u{2066}\u{2069}\u{61c}\u{200f}",
                "\\u{2066}\\u{2069}\\u{61c}\\u{200f}",
            ),
            (
                "E\u{200b}1\u{feff}\u{2028}",
                "E\\u{200b}1\\u{feff}\\u{2028}",
            ),
            ("C:\\rules", "C:\\rules"),
        ] {
            assert_eq!(escape_controls(text), shown, "{text:?}");
            assert_eq!(Escaped(text).to_string(), shown, "{text:?}");
        }
        assert!(matches!(escape_controls("遲到"), Cow::Borrowed(_)));
    }

    #[test]
    fn every_char_is_judged_by_its_range() {
        let escaped: Vec<u32> = (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|&c| must_escape(c))
            .map(u32::from)
            .collect();
        let mut expected: Vec<u32> = (0..=0x1F).chain(0x7F..=0x9F).collect();
        expected.extend([0x61C]);
        expected.extend(0x200B..=0x200F);
        expected.extend(0x2028..=0x202E);
        expected.extend(0x2060..=0x2064);
        expected.extend(0x2066..=0x206F);
        expected.extend([0xFEFF]);
        expected.extend(0xFFF9..=0xFFFB);
        assert_eq!(escaped, expected);
    }

    #[test]
    fn a_rule_file_may_hold_tabs_line_ends_and_a_leading_byte_order_mark() {
        let found = |text: &str| rule_file_controls(text).collect::<Vec<_>>();
        assert_eq!(found("\u{feff}a\tb\r\nc\n"), []);
        assert_eq!(
            found("a\rb\u{1b}\r\n\u{feff}\u{202e}"),
            [(1, '\r'), (3, '\u{1b}'), (6, '\u{feff}'), (9, '\u{202e}')]
        );
    }

    /// `source`'s problems as miette's graphical renderer shows them, without colour.
    fn rendered(errors: &crate::RuleErrors) -> String {
        use miette::{GraphicalReportHandler, GraphicalTheme};
        let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor());
        let mut out = String::new();
        for report in errors.reports() {
            handler.render_report(&mut out, &report).unwrap();
        }
        out
    }

    #[test]
    fn a_rendered_report_shows_the_line_escaped_and_underlines_the_right_place() {
        // Not UTF-8 after an escape: the problem is the bad byte, past the escaped character.
        // (On the second line: a file whose first line cannot be read is shown no further
        // than the word at fault, `crate::foreign`.)
        let errors = crate::Rulebook::from_bytes(
            "a\u{1b}]0;x\u{7}.rules",
            b"currency: CNY\ntitle: a\x1b[2J b\xff\n",
        )
        .expect_err("not UTF-8");
        let out = rendered(&errors);
        assert!(!out.contains(['\u{1b}', '\u{7}']), "{}", out.escape_debug());
        let lines: Vec<&str> = out.lines().collect();
        let (text, underline) = lines
            .iter()
            .position(|line| line.contains("title: "))
            .map(|at| (lines[at], lines[at + 1]))
            .expect("the line shown");
        assert!(text.ends_with("title: a\\u{1b}[2J b\u{fffd}"), "{text}");
        // The underline sits under the replacement character, after the escape.
        let column = |line: &str, c: char| line.chars().position(|x| x == c);
        assert_eq!(column(underline, '─'), column(text, '\u{fffd}'), "{out}");
        // The file's name is escaped; the column is the file's (the editor's), not the shown one.
        assert!(out.contains("[a\\u{1b}]0;x\\u{7}.rules:2:15]"), "{out}");
    }

    #[test]
    fn a_rendered_message_label_and_help_are_escaped() {
        use crate::error::{Problem, ProblemKind};
        use crate::lang::Text;
        let source = "title: x\n";
        let problem = Problem::new(
            ProblemKind::BadDate {
                text: "\u{1b}[2J".to_owned(),
            },
            0..5,
        )
        .with_label(Text::from("label \u{9b}"))
        .with_help(Text::from("help \u{202e}"));
        let errors = crate::RuleErrors::new("t.rules", source, vec![problem]);
        let out = rendered(&errors);
        for expected in [
            "`\\u{1b}[2J` is not a date",
            "label \\u{9b}",
            "help \\u{202e}",
        ] {
            assert!(out.contains(expected), "`{expected}` missing from {out}");
        }
        assert!(
            !out.contains(['\u{1b}', '\u{9b}', '\u{202e}']),
            "{}",
            out.escape_debug()
        );
    }

    #[test]
    fn offsets_map_both_ways() {
        let source = "ab\u{1b}cd\u{202e}é\r\nx";
        let shown = ShownText::of(source).expect("two controls");
        assert_eq!(shown.text(), "ab\\u{1b}cd\\u{202e}é\r\nx");
        assert!(ShownText::of("a\tb\r\n").is_none());
        for (file, text) in [
            (0, 0),
            (2, 2),
            (3, 8),
            (5, 10),
            (8, 18),
            (10, 20),
            (source.len(), shown.text().len()),
        ] {
            assert_eq!(shown.to_shown(file), text, "file offset {file}");
            assert_eq!(shown.to_file(text), file, "shown offset {text}");
        }
        // Inside an escaped character, or inside its escape: its start.
        assert_eq!(shown.to_shown(6), 10);
        assert_eq!(shown.to_file(5), 2);
        assert_eq!(shown.to_file(12), 5);
    }
    #[test]
    fn control_and_invisible_characters_are_escaped_when_shown() {
        assert_eq!(
            Quoted("E1\u{9b}31m\t\u{200b}\"\\王").to_string(),
            r#"E1\u{9b}31m\t\u{200b}\"\\王"#
        );
    }
}
