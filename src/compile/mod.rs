//! Compiling rule text into a [`Rulebook`]: text → grammar → syntax tree → checked rules,
//! one file at a time ([`Rulebook::parse`]) or a directory of versions checked as a set and
//! merged ([`Rulebook::from_dir`]). The stage above the model: the model knows nothing of
//! how it was made.

mod set;

use set::{check_set, too_many_versions};

use std::path::{Path, PathBuf};

use crate::ast::Span;
use crate::error::{Error, Problem, ProblemKind, RuleErrors, VersionErrors};
use crate::limits::{MAX_CONTROL_CHARACTERS_REPORTED, MAX_RULE_FILE_BYTES, MAX_RULE_LINE_BYTES};
use crate::rulebook::Rulebook;

impl Rulebook {
    /// Parses and checks a rule file's text. `name` is how diagnostics refer to the file.
    pub fn parse(name: &str, source: &str) -> Result<Rulebook, RuleErrors> {
        if source.len() > MAX_RULE_FILE_BYTES {
            return Err(too_large(name, source.as_bytes()));
        }
        let mut problems = crate::compile::long_line_problems(source);
        problems.extend(crate::compile::control_character_problems(source));
        if !problems.is_empty() {
            return Err(RuleErrors::new(name, source, problems));
        }
        let document = crate::syntax::parse(source)
            .map_err(|problems| RuleErrors::new(name, source, problems))?;
        let mut rulebook = crate::check::check(document)
            .map_err(|problems| RuleErrors::new(name, source, problems))?;
        let mut version = crate::rulebook::Version::whole(name, &rulebook);
        version.language = crate::Language::of_rule_text(source);
        rulebook.versions = vec![version];
        Ok(rulebook)
    }

    /// Parses and checks a rule file's bytes, as read from a file: text that is not UTF-8 is
    /// a problem at the first byte that is not.
    pub fn from_bytes(name: &str, bytes: &[u8]) -> Result<Rulebook, RuleErrors> {
        if bytes.len() > MAX_RULE_FILE_BYTES {
            return Err(too_large(name, bytes));
        }
        match std::str::from_utf8(bytes) {
            Ok(source) => Rulebook::parse(name, source),
            Err(error) => {
                // Shown with each bad sequence replaced by U+FFFD; the text before the first
                // one is unchanged, so the place is the same in both.
                let at = error.valid_up_to();
                let shown = String::from_utf8_lossy(bytes);
                let end = shown
                    .get(at..)
                    .and_then(|rest| rest.chars().next())
                    .map_or(at, |c| at + c.len_utf8());
                let problem =
                    crate::error::Problem::new(crate::error::ProblemKind::NotUtf8, at..end)
                        .with_help(crate::lang::Text::new(
                            "save the file as UTF-8",
                            "請把文件存成 UTF-8",
                        ));
                Err(RuleErrors::new(name, &shown, vec![problem]))
            }
        }
    }

    /// Reads, parses and checks the rule file at `path` (at most
    /// [`MAX_RULE_FILE_BYTES`]; a larger file is refused before it is read).
    pub fn from_path(path: impl AsRef<Path>) -> Result<Rulebook, Error> {
        let path = path.as_ref();
        let bytes = read_limited(path)?;
        Ok(Rulebook::from_bytes(&path.display().to_string(), &bytes)?)
    }

    /// Parses and checks several versions of a policy, each a rule file (`name`, text), and
    /// compiles them into one rulebook that judges each event by the version in force at its
    /// instant. The order of the files does not matter. Every problem of every file is
    /// reported, then the problems of the set; each names its file.
    pub fn from_versions<N: AsRef<str>, S: AsRef<str>>(
        files: &[(N, S)],
    ) -> Result<Rulebook, VersionErrors> {
        if files.len() > crate::limits::MAX_VERSIONS {
            return Err(too_many_versions(files.len()));
        }
        let parsed = files
            .iter()
            .map(|(name, source)| {
                let (name, source) = (name.as_ref(), source.as_ref());
                Rulebook::parse(name, source).map(|rulebook| (name.to_owned(), source, rulebook))
            })
            .collect();
        check_set(parsed)
    }

    /// Reads every `*.rules` file of a directory (not its subdirectories) as the versions of
    /// one policy: see [`Rulebook::from_versions`]. More files than
    /// [`MAX_VERSIONS`](crate::limits::MAX_VERSIONS) are refused before any is read.
    pub fn from_dir(dir: impl AsRef<Path>) -> Result<Rulebook, Error> {
        let dir = dir.as_ref();
        let paths = rule_files(dir)?;
        if paths.is_empty() {
            return Err(Error::NoRuleFiles {
                dir: dir.to_owned(),
            });
        }
        if paths.len() > crate::limits::MAX_VERSIONS {
            return Err(Error::Versions(too_many_versions(paths.len())));
        }
        let mut files = Vec::with_capacity(paths.len());
        for path in paths {
            let bytes = crate::compile::read_limited(&path)?;
            files.push((path.display().to_string(), bytes));
        }
        // Text that is not UTF-8 is a problem of its file, reported with the others'.
        let parsed = files
            .iter()
            .map(|(name, bytes)| {
                let rulebook = Rulebook::from_bytes(name, bytes)?;
                let source = std::str::from_utf8(bytes).unwrap_or_default();
                Ok((name.clone(), source, rulebook))
            })
            .collect();
        check_set(parsed).map_err(Error::Versions)
    }

    /// Loads one rule file ([`Rulebook::from_path`]), or every version in a directory
    /// ([`Rulebook::from_dir`]).
    pub fn load(path: impl AsRef<Path>) -> Result<Rulebook, Error> {
        let path = path.as_ref();
        if path.is_dir() {
            Rulebook::from_dir(path)
        } else {
            Rulebook::from_path(path)
        }
    }
}

/// The problem of a file larger than a rule file may be. Only its start is kept, to show the
/// problem's place.
fn too_large(name: &str, bytes: &[u8]) -> RuleErrors {
    let head = String::from_utf8_lossy(bytes.get(..1024).unwrap_or(bytes));
    RuleErrors::new(
        name,
        &head,
        vec![crate::compile::file_too_large(bytes.len())],
    )
}

/// A file's bytes, at most one more than a rule file may have: one byte more than the limit
/// is enough to know the file is too large.
pub(crate) fn read_limited(path: &Path) -> Result<Vec<u8>, Error> {
    use std::io::Read as _;
    let read_error = |source| Error::Read {
        path: path.to_owned(),
        source,
    };
    let file = std::fs::File::open(path).map_err(read_error)?;
    let mut bytes = Vec::new();
    file.take(MAX_RULE_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(read_error)?;
    Ok(bytes)
}

/// The `*.rules` files of `dir`, sorted by name.
pub(crate) fn rule_files(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let read_error = |source| Error::Read {
        path: dir.to_owned(),
        source,
    };
    let inside = dir.canonicalize().map_err(read_error)?;
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(read_error)? {
        let path = entry.map_err(read_error)?.path();
        if path.extension().is_none_or(|e| e != "rules") {
            continue;
        }
        let is_link = path
            .symlink_metadata()
            .map_err(|source| Error::Read {
                path: path.clone(),
                source,
            })?
            .file_type()
            .is_symlink();
        if is_link {
            // A link is followed only to a file inside the directory: a link elsewhere (to
            // `/etc/shadow`, say) would have the rule checker quote that file.
            match path.canonicalize() {
                Ok(target) if target.starts_with(&inside) => {}
                target => {
                    return Err(Error::LinkOutside {
                        target: target.unwrap_or_else(|_| {
                            std::fs::read_link(&path).unwrap_or_else(|_| path.clone())
                        }),
                        link: path,
                        dir: dir.to_owned(),
                    });
                }
            }
        }
        if path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Location, Rulebook};

    const GOOD: &str = include_str!("../../rules/en/c-tower.rules");

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
