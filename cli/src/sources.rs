//! Where event lines come from: one input, or several files read in order.
//!
//! The library numbers lines with one `u64`. With several files, `rulebook eval` gives it a
//! number that holds both the file and the line in it (the file's index in the high bits),
//! so that lines stay in input order and none share a number; everything printed names the
//! file and the line in it (`b.jsonl:7`). With one input the number is the line itself, and
//! nothing changes in what is printed.

use std::borrow::Cow;

use rulebook::Report;

/// How many bits of a line number hold the line in its file: lines up to 2⁴⁰ − 1 in each of
/// up to 2²⁴ files.
const LINE_BITS: u32 = 40;
const LINE_MASK: u64 = (1 << LINE_BITS) - 1;

/// The name shown for standard input (`-` on the command line).
pub const STDIN_NAME: &str = "<stdin>";

/// The inputs of one evaluation, by display name, in the order read.
#[derive(Debug, Clone)]
pub struct Sources {
    names: Vec<String>,
}

impl Sources {
    /// The inputs named so.
    pub fn new(names: Vec<String>) -> Sources {
        Sources { names }
    }

    /// The display names.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Whether there are several inputs, so that each reference names its file.
    pub fn several(&self) -> bool {
        self.names.len() > 1
    }

    /// The number the library is given for `line` of the `file`-th input, or `None` past
    /// what a number can hold.
    pub fn number(&self, file: usize, line: u64) -> Option<u64> {
        let file = u64::try_from(file).ok()?;
        if line > LINE_MASK || file >= 1 << (64 - LINE_BITS) {
            return None;
        }
        Some((file << LINE_BITS) | line)
    }

    /// The input (by index) and the line in it that a library number stands for.
    pub fn split(&self, number: u64) -> (usize, u64) {
        if !self.several() {
            return (0, number);
        }
        let file = usize::try_from(number >> LINE_BITS).unwrap_or(usize::MAX);
        (file, number & LINE_MASK)
    }

    /// The input's name, if several were given (with one, references are plain numbers).
    pub fn file_name(&self, file: usize) -> Option<&str> {
        if self.several() {
            self.names.get(file).map(String::as_str)
        } else {
            None
        }
    }

    /// How a library number is shown: `7`, or with several inputs `b.jsonl:7`.
    pub fn reference(&self, number: u64) -> String {
        let (file, line) = self.split(number);
        match self.file_name(file) {
            Some(name) => format!("{name}:{line}"),
            None => line.to_string(),
        }
    }

    /// A text of the library's (a reason, an error) with each line it refers to — `(line
    /// 7)`, `(after lines 5 and 8)`, `the first on lines 1, 2, 3 and 4)` — shown as
    /// [`Sources::reference`] shows it. With one input the text is unchanged.
    pub fn references_in<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if !self.several() {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len() + 16);
        let mut rest = text;
        while let Some(at) = next_line_word(rest) {
            let (before, from) = rest.split_at(at);
            out.push_str(before);
            match rewrite_list(from, self) {
                Some((rewritten, used)) => {
                    out.push_str(&rewritten);
                    rest = &from[used..];
                }
                None => {
                    // Not a list of line numbers: keep the word and go on after it.
                    let word = from.find(' ').map_or(from.len(), |i| i + 1);
                    out.push_str(&from[..word]);
                    rest = &from[word..];
                }
            }
        }
        out.push_str(rest);
        Cow::Owned(out)
    }
}

/// Where the next `line ` or `lines ` word starts that follows `(` or a space.
fn next_line_word(text: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = text[from..].find("line") {
        let at = from + found;
        let after = &text[at..];
        let starts_word = text[..at].ends_with(['(', ' ']);
        if starts_word && (after.starts_with("line ") || after.starts_with("lines ")) {
            return Some(at);
        }
        from = at + "line".len();
    }
    None
}

/// `line 7)` or `lines 5, 8 and 9)` at the start of `text`, rewritten, and how many bytes it
/// took; `None` when the numbers are not followed by `)`.
fn rewrite_list(text: &str, sources: &Sources) -> Option<(String, usize)> {
    let word = if text.starts_with("lines ") {
        "lines "
    } else {
        "line "
    };
    let mut out = String::from(word);
    let mut rest = &text[word.len()..];
    loop {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        let number: u64 = rest[..digits].parse().ok()?;
        out.push_str(&sources.reference(number));
        rest = &rest[digits..];
        if let Some(next) = rest.strip_prefix(", ") {
            out.push_str(", ");
            rest = next;
        } else if let Some(next) = rest.strip_prefix(" and ") {
            out.push_str(" and ");
            rest = next;
        } else if rest.starts_with(')') {
            return Some((out, text.len() - rest.len()));
        } else {
            return None;
        }
    }
}

/// The input of each of a list of items (`None` for an item with no line).
type Inputs = Vec<Option<usize>>;

/// For each line number of a report, the input it came from (with several inputs).
#[derive(Debug, Default)]
pub struct Files {
    /// Per statement: its entries' and its outcomes' inputs.
    statements: Vec<(Inputs, Inputs)>,
    ignored: Inputs,
    rejected: Inputs,
}

/// The input of each numbered item of `report`, whose numbers become the line in that input
/// and whose reasons name the inputs of the lines they refer to. With one input, nothing
/// changes and every item's input is `None`.
pub fn localize(report: &mut Report, sources: &Sources) -> Files {
    let mut files = Files::default();
    if !sources.several() {
        return files;
    }
    let local = |line: &mut Option<u64>| {
        line.map(|number| {
            let (file, in_file) = sources.split(number);
            *line = Some(in_file);
            file
        })
    };
    for statement in &mut report.statements {
        let entries = statement
            .entries
            .iter_mut()
            .map(|entry| {
                entry.why = sources.references_in(&entry.why).into_owned();
                local(&mut entry.line)
            })
            .collect();
        let outcomes = statement
            .outcomes
            .iter_mut()
            .map(|outcome| local(&mut outcome.line))
            .collect();
        files.statements.push((entries, outcomes));
    }
    for ignored in &mut report.ignored {
        ignored.why = sources.references_in(&ignored.why).into_owned();
        files.ignored.push(local(&mut ignored.line));
    }
    for rejected in &mut report.rejected {
        rejected.why = sources.references_in(&rejected.why).into_owned();
        files.rejected.push(local(&mut rejected.line));
    }
    files
}

impl Files {
    /// The input of entry `entry` of statement `statement`.
    pub fn entry(&self, statement: usize, entry: usize) -> Option<usize> {
        self.statements
            .get(statement)?
            .0
            .get(entry)
            .copied()
            .flatten()
    }

    /// The input of outcome `outcome` of statement `statement`.
    pub fn outcome(&self, statement: usize, outcome: usize) -> Option<usize> {
        self.statements
            .get(statement)?
            .1
            .get(outcome)
            .copied()
            .flatten()
    }

    /// The input of ignored line `index`.
    pub fn ignored(&self, index: usize) -> Option<usize> {
        self.ignored.get(index).copied().flatten()
    }

    /// The input of rejected line `index`.
    pub fn rejected(&self, index: usize) -> Option<usize> {
        self.rejected.get(index).copied().flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two() -> Sources {
        Sources::new(vec!["a.jsonl".to_owned(), "b.jsonl".to_owned()])
    }

    #[test]
    fn one_input_keeps_numbers_and_texts() {
        let one = Sources::new(vec!["a.jsonl".to_owned()]);
        assert_eq!(one.number(0, 7), Some(7));
        assert_eq!(one.reference(7), "7");
        let why = "discourtesy; 3rd fine in 2025-08 (after lines 5 and 8), doubled";
        assert!(matches!(one.references_in(why), Cow::Borrowed(text) if text == why));
    }

    #[test]
    fn several_inputs_name_the_file_in_every_reference() {
        let sources = two();
        let (a5, a8, b2) = (
            sources.number(0, 5).unwrap(),
            sources.number(0, 8).unwrap(),
            sources.number(1, 2).unwrap(),
        );
        assert!(a5 < a8 && a8 < b2, "input order is kept");
        assert_eq!(sources.reference(b2), "b.jsonl:2");
        assert_eq!(sources.split(b2), (1, 2));
        let why = format!(
            "key log skipped; 3rd fine in 2025-08 (after lines {a5} and {a8}), doubled by 3.9: 2 × 30, the heaviest base so far (line {b2})"
        );
        assert_eq!(
            sources.references_in(&why),
            "key log skipped; 3rd fine in 2025-08 (after lines a.jsonl:5 and a.jsonl:8), doubled by 3.9: 2 × 30, the heaviest base so far (line b.jsonl:2)"
        );
        let why = format!(
            "x; 5th fine (after 4 earlier fines, the first on lines {a5}, {a8}, {b2} and {b2})"
        );
        assert_eq!(
            sources.references_in(&why),
            "x; 5th fine (after 4 earlier fines, the first on lines a.jsonl:5, a.jsonl:8, b.jsonl:2 and b.jsonl:2)"
        );
        assert_eq!(
            sources.references_in(&format!("x (after line {b2})")),
            "x (after line b.jsonl:2)"
        );
        // Words that only look like it are left alone.
        for text in [
            "a line of text",
            "pipeline 5)",
            "(line five)",
            "lines 5 and 8 are",
            "(line 5",
        ] {
            assert_eq!(sources.references_in(text), text);
        }
    }

    #[test]
    fn numbers_past_the_bits_are_refused() {
        let sources = two();
        assert_eq!(sources.number(0, LINE_MASK), Some(LINE_MASK));
        assert_eq!(sources.number(0, LINE_MASK + 1), None);
        assert_eq!(sources.number(1 << 24, 1), None);
    }
}
