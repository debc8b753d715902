//! The language a rule file is written in, which decides the language its diagnostics speak.
//!
//! The grammar accepts English and Chinese (Traditional or Simplified characters) everywhere;
//! the language of a file only matters for what it is told. It is read from the text:
//!
//! - a file is **Chinese** when its first line that is neither blank nor a comment, after a
//!   rule label (`1.2`) if it has one, begins with a Han character (`標題：…`, `1.1 不穿制服：…`);
//!   otherwise it is **English** (`title: …`). An English file whose first rule names a
//!   Chinese event kind (`1.1 遲到: fine 15`) should begin with its header, as files do;
//! - a Chinese file is **Simplified** when it holds more of the characters that only Simplified
//!   writing uses (`罚 奖 励 过 准 级 …`) than of their Traditional twins (`罰 獎 勵 過 準 級 …`);
//!   otherwise it is Traditional.

/// The language of a rule file, and of the diagnostics about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
#[non_exhaustive]
pub enum Language {
    /// English keywords and messages.
    #[default]
    English,
    /// Chinese in Traditional characters (`扣罰`, `獎勵`).
    TraditionalChinese,
    /// Chinese in Simplified characters (`扣罚`, `奖励`).
    SimplifiedChinese,
}

impl Language {
    /// The language `text`, a rule file, is written in (see the module docs).
    pub fn of_rule_text(text: &str) -> Language {
        let first = text
            .lines()
            .map(str::trim)
            .find(|line| !line.is_empty() && !line.starts_with('#'));
        let Some(first) = first else {
            return Language::English;
        };
        let after_label = first.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
        let starts_chinese = after_label
            .trim_start_matches([' ', '\t', '\u{3000}'])
            .chars()
            .next()
            .is_some_and(is_han);
        if !starts_chinese {
            return Language::English;
        }
        let (mut traditional, mut simplified) = (0usize, 0usize);
        for c in text.chars() {
            if TRADITIONAL_ONLY.contains(c) {
                traditional += 1;
            } else if SIMPLIFIED_ONLY.contains(c) {
                simplified += 1;
            }
        }
        if simplified > traditional {
            Language::SimplifiedChinese
        } else {
            Language::TraditionalChinese
        }
    }

    /// Whether this is one of the Chinese scripts.
    pub fn is_chinese(self) -> bool {
        matches!(
            self,
            Language::TraditionalChinese | Language::SimplifiedChinese
        )
    }
}

/// Whether `c` is a Han character (the CJK Unified Ideographs and their first extension, where
/// every character a rule file is likely to begin with lies).
pub(crate) fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

/// Characters of the rule language written one way in Traditional and another in Simplified:
/// the two strings are twins, character by character.
const TRADITIONAL_ONLY: &str =
    "罰獎勵過準級節數時無後廢標題貨幣區編維護報發計類設滿總當並為從將則頒執範單個條僅帶視論處應讓";
const SIMPLIFIED_ONLY: &str =
    "罚奖励过准级节数时无后废标题货币区编维护报发计类设满总当并为从将则颁执范单个条仅带视论处应让";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twins_line_up() {
        assert_eq!(
            TRADITIONAL_ONLY.chars().count(),
            SIMPLIFIED_ONLY.chars().count()
        );
    }

    #[test]
    fn reads_the_first_line_that_says_something() {
        assert_eq!(Language::of_rule_text("title: C Tower"), Language::English);
        assert_eq!(Language::of_rule_text(""), Language::English);
        assert_eq!(
            Language::of_rule_text("# 註釋\n\n標題：C大廈獎懲細則\n1.1 不穿制服：扣罰15元"),
            Language::TraditionalChinese
        );
        assert_eq!(
            Language::of_rule_text("标题：C大厦奖惩细则\n1.1 不穿制服：扣罚15元"),
            Language::SimplifiedChinese
        );
        assert_eq!(
            Language::of_rule_text("1.1 遲到：扣罰15元"),
            Language::TraditionalChinese
        );
        assert_eq!(
            Language::of_rule_text("title: C大廈\n1.1 遲到: fine 15"),
            Language::English
        );
    }
}
