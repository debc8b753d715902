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
//!
//! Diagnostics are written in English and Traditional Chinese ([`Text`]); Simplified
//! Chinese is made from the Traditional text character by character ([`to_simplified`]),
//! leaving alone what is quoted from the file ([`verbatim`]).

use std::borrow::Cow;

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
            .trim_start_matches('\u{FEFF}')
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
    "罰獎勵過級節數時無後廢標題貨幣區編維護報發計類設滿總當並為從將則頒執範單個條僅帶視論處應讓";
const SIMPLIFIED_ONLY: &str =
    "罚奖励过级节数时无后废标题货币区编维护报发计类设满总当并为从将则颁执范单个条仅带视论处应让";

/// A text of a diagnostic (a label, a help, a related place's text, a fragment of a message)
/// in English and, where one is written, in Chinese (Traditional characters). A file's
/// diagnostics speak its [`Language`]: a Chinese file is shown the Chinese text (converted to
/// Simplified characters for a Simplified file), or the English one when there is none.
///
/// Text quoted from the rule file inside the Chinese text (an event kind, a label, a file
/// name) is marked with [`verbatim`], so that it is shown exactly as written in both scripts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Text {
    english: String,
    chinese: Option<Chinese>,
}

/// The Chinese of a [`Text`], in both scripts.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Chinese {
    traditional: String,
    /// `None` when it reads the same in Simplified characters.
    simplified: Option<String>,
}

impl Text {
    /// A text in English and in Chinese, the Chinese written in Traditional characters, with
    /// what it quotes from the file marked by [`verbatim`].
    pub(crate) fn new(english: impl Into<String>, chinese: impl Into<String>) -> Text {
        let (traditional, simplified) = both_scripts(&chinese.into());
        Text {
            english: english.into(),
            chinese: Some(Chinese {
                traditional,
                simplified,
            }),
        }
    }

    /// The English text.
    pub(crate) fn english(&self) -> &str {
        &self.english
    }

    /// The text in `language`: the English text for English, or when there is no Chinese.
    pub(crate) fn in_language(&self, language: Language) -> &str {
        match (&self.chinese, language) {
            (Some(chinese), Language::TraditionalChinese) => &chinese.traditional,
            (Some(chinese), Language::SimplifiedChinese) => chinese
                .simplified
                .as_deref()
                .unwrap_or(&chinese.traditional),
            _ => &self.english,
        }
    }
}

/// English only: every language is shown the English text.
impl From<String> for Text {
    fn from(english: String) -> Text {
        Text {
            english,
            chinese: None,
        }
    }
}

/// English only: every language is shown the English text.
impl From<&str> for Text {
    fn from(english: &str) -> Text {
        Text::from(english.to_owned())
    }
}

/// Where text quoted from the file begins and ends inside a Chinese text: two of Unicode's
/// noncharacters, which are set aside for a program's own use and never shown.
const VERBATIM_START: char = '\u{FDD0}';
const VERBATIM_END: char = '\u{FDD1}';

/// `quoted`, text from the rule file (an event kind, a label, a file name), marked to be kept
/// as written when the Chinese text around it is converted to Simplified characters. For the
/// Chinese of a [`Text`] (or of a message), never for the English.
pub(crate) fn verbatim(quoted: &str) -> String {
    let mut marked = String::with_capacity(quoted.len() + 6);
    marked.push(VERBATIM_START);
    marked.extend(
        quoted
            .chars()
            .filter(|c| !matches!(*c, VERBATIM_START | VERBATIM_END)),
    );
    marked.push(VERBATIM_END);
    marked
}

/// `marked` Chinese in Traditional characters (with [`verbatim`] quotes) in `language`: the
/// Traditional text, or the Simplified one for [`Language::SimplifiedChinese`]; the marks
/// are dropped.
pub(crate) fn chinese_in(marked: &str, language: Language) -> String {
    let (traditional, simplified) = both_scripts(marked);
    match (language, simplified) {
        (Language::SimplifiedChinese, Some(simplified)) => simplified,
        _ => traditional,
    }
}

/// `marked` without its marks, in Traditional and (`None` when the same) Simplified
/// characters; what is quoted [`verbatim`] is the same in both.
fn both_scripts(marked: &str) -> (String, Option<String>) {
    let mut traditional = String::with_capacity(marked.len());
    let mut simplified = String::with_capacity(marked.len());
    let mut differ = false;
    // Pieces alternate: Chinese to convert, then text quoted from the file, and so on.
    for (index, piece) in marked.split([VERBATIM_START, VERBATIM_END]).enumerate() {
        traditional.push_str(piece);
        let converted = if index % 2 == 0 {
            to_simplified(piece)
        } else {
            Cow::Borrowed(piece)
        };
        differ |= matches!(converted, Cow::Owned(_));
        simplified.push_str(&converted);
    }
    (traditional, differ.then_some(simplified))
}

/// `text` with each Traditional character of the diagnostics' Chinese replaced by its
/// Simplified twin (borrowed when there is none).
pub(crate) fn to_simplified(text: &str) -> Cow<'_, str> {
    if text.chars().all(|c| simplified_char(c) == c) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().map(simplified_char).collect())
    }
}

/// The Simplified twin of a Traditional character, or the character itself.
fn simplified_char(c: char) -> char {
    if c.is_ascii() {
        return c;
    }
    SIMPLIFIED
        .binary_search_by_key(&c, |&(traditional, _)| traditional)
        .map_or(c, |i| SIMPLIFIED[i].1)
}

/// Every Traditional character the diagnostics' Chinese uses that Simplified writing writes
/// otherwise, with its Simplified twin, sorted by the Traditional one. The tests check that
/// no character of the diagnostics is missing.
const SIMPLIFIED: &[(char, char)] = &[
    ('並', '并'),
    ('亂', '乱'),
    ('併', '并'),
    ('個', '个'),
    ('們', '们'),
    ('僅', '仅'),
    ('價', '价'),
    ('內', '内'),
    ('兩', '两'),
    ('冊', '册'),
    ('刪', '删'),
    ('則', '则'),
    ('勵', '励'),
    ('區', '区'),
    ('卻', '却'),
    ('員', '员'),
    ('問', '问'),
    ('單', '单'),
    ('嚴', '严'),
    ('圍', '围'),
    ('執', '执'),
    ('報', '报'),
    ('場', '场'),
    ('審', '审'),
    ('寫', '写'),
    ('將', '将'),
    ('對', '对'),
    ('帶', '带'),
    ('幣', '币'),
    ('幾', '几'),
    ('廢', '废'),
    ('後', '后'),
    ('從', '从'),
    ('應', '应'),
    ('懲', '惩'),
    ('換', '换'),
    ('數', '数'),
    ('於', '于'),
    ('時', '时'),
    ('晉', '晋'),
    ('會', '会'),
    ('條', '条'),
    ('棄', '弃'),
    ('標', '标'),
    ('樣', '样'),
    ('歸', '归'),
    ('沒', '没'),
    ('準', '准'),
    ('滿', '满'),
    ('為', '为'),
    ('無', '无'),
    ('獎', '奖'),
    ('環', '环'),
    ('當', '当'),
    ('疊', '叠'),
    ('發', '发'),
    ('確', '确'),
    ('種', '种'),
    ('稱', '称'),
    ('積', '积'),
    ('節', '节'),
    ('範', '范'),
    ('納', '纳'),
    ('級', '级'),
    ('細', '细'),
    ('終', '终'),
    ('結', '结'),
    ('給', '给'),
    ('經', '经'),
    ('維', '维'),
    ('緊', '紧'),
    ('編', '编'),
    ('總', '总'),
    ('續', '续'),
    ('罰', '罚'),
    ('聲', '声'),
    ('與', '与'),
    ('處', '处'),
    ('號', '号'),
    ('裡', '里'),
    ('複', '复'),
    ('見', '见'),
    ('規', '规'),
    ('視', '视'),
    ('計', '计'),
    ('記', '记'),
    ('設', '设'),
    ('許', '许'),
    ('詞', '词'),
    ('話', '话'),
    ('誤', '误'),
    ('請', '请'),
    ('論', '论'),
    ('護', '护'),
    ('讀', '读'),
    ('讓', '让'),
    ('貨', '货'),
    ('資', '资'),
    ('較', '较'),
    ('載', '载'),
    ('這', '这'),
    ('連', '连'),
    ('週', '周'),
    ('進', '进'),
    ('過', '过'),
    ('適', '适'),
    ('遲', '迟'),
    ('針', '针'),
    ('錯', '错'),
    ('鐘', '钟'),
    ('長', '长'),
    ('門', '门'),
    ('間', '间'),
    ('隨', '随'),
    ('雜', '杂'),
    ('電', '电'),
    ('響', '响'),
    ('順', '顺'),
    ('須', '须'),
    ('頒', '颁'),
    ('頭', '头'),
    ('題', '题'),
    ('額', '额'),
    ('顛', '颠'),
    ('類', '类'),
    ('顯', '显'),
    ('麼', '么'),
    ('點', '点'),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// The sources that write the diagnostics' Chinese, without their tests (which hold
    /// Simplified text to compare with).
    const SOURCES: &[(&str, &str)] = &[
        ("check.rs", include_str!("check.rs")),
        ("diag.rs", include_str!("diag.rs")),
        ("error/mod.rs", include_str!("error/mod.rs")),
        ("error/chinese.rs", include_str!("error/chinese.rs")),
        ("compile/mod.rs", include_str!("compile/mod.rs")),
        ("compile/set.rs", include_str!("compile/set.rs")),
        ("rulebook/mod.rs", include_str!("rulebook/mod.rs")),
        ("syntax/lower.rs", include_str!("syntax/lower.rs")),
    ];
    // `syntax/expected.rs` is not among them: it knows the file's language when it reports,
    // and writes its Traditional and its Simplified texts itself. Nor `syntax/numerals.rs`,
    // which reads numerals and reports nothing.

    /// Characters the diagnostics' Chinese uses that are written the same in Traditional and
    /// Simplified characters. A character that is neither here nor in [`SIMPLIFIED`] fails
    /// `every_character_of_the_diagnostics_has_its_simplified_form`: add it to the one it
    /// belongs to.
    const SAME_IN_BOTH: &str = concat!(
        "一上不且中之也了予事二人仍他以件任份但位何作使例保倍倒值偏先入共其再准出分列到前",
        "加升又取另只可各合同名向和哪唯器回固在型多大天太失好如字存它定容小少差己已序度延",
        "式形很得循必怕恰成或所手才扣批抄把拆排接提改放效整文料方既日早明是更最有期未本束",
        "析果核格次款止正此段每比法清然版理生用留的目相知示移章端第算精累缺者而能自至草落",
        "行表被要解起超足送那部都重量金除零需非面三五十制下流月季年尾命去情否私逗元反",
        "允免溢就桌途近基今",
        "控看操打周空及逐符",
        "步收混",
    );

    #[test]
    fn every_character_of_the_diagnostics_has_its_simplified_form() {
        let mut missing = Vec::new();
        for (file, text) in SOURCES {
            let code = text.split("#[cfg(test)]").next().unwrap_or(text);
            for (number, line) in code.lines().enumerate() {
                for c in line.chars().filter(|&c| is_han(c)) {
                    let known = SIMPLIFIED.iter().any(|&(t, _)| t == c);
                    if !known && !SAME_IN_BOTH.contains(c) {
                        missing.push(format!("`{c}` ({file}:{})", number + 1));
                    }
                }
            }
        }
        assert!(
            missing.is_empty(),
            "characters neither in `SIMPLIFIED` nor in `SAME_IN_BOTH`: {}",
            missing.join(", ")
        );
    }

    #[test]
    fn the_table_is_sorted_and_each_character_changes() {
        assert!(
            SIMPLIFIED.windows(2).all(|pair| pair[0].0 < pair[1].0),
            "sorted by the Traditional character, each once"
        );
        for &(traditional, simplified) in SIMPLIFIED {
            assert_ne!(traditional, simplified);
            assert!(
                !SAME_IN_BOTH.contains(traditional),
                "`{traditional}` is in both lists"
            );
            assert_eq!(
                simplified_char(simplified),
                simplified,
                "`{simplified}` is Simplified"
            );
        }
        let mut same: Vec<char> = SAME_IN_BOTH.chars().collect();
        same.sort_unstable();
        same.dedup();
        assert_eq!(
            same.len(),
            SAME_IN_BOTH.chars().count(),
            "each character once"
        );
    }

    #[test]
    fn the_rule_language_twins_convert_to_each_other() {
        assert_eq!(to_simplified(TRADITIONAL_ONLY), SIMPLIFIED_ONLY);
        assert!(matches!(to_simplified("title: 123"), Cow::Borrowed(_)));
    }

    #[test]
    fn texts_speak_each_language_and_keep_quotes_as_written() {
        let text = Text::new(
            "did you mean `late`?",
            format!("是不是要寫 `{}`？", verbatim("遲到")),
        );
        assert_eq!(text.in_language(Language::English), "did you mean `late`?");
        assert_eq!(
            text.in_language(Language::TraditionalChinese),
            "是不是要寫 `遲到`？"
        );
        assert_eq!(
            text.in_language(Language::SimplifiedChinese),
            "是不是要写 `遲到`？"
        );
        let english = Text::from("no Chinese");
        assert_eq!(
            english.in_language(Language::SimplifiedChinese),
            "no Chinese"
        );
        assert_eq!(
            chinese_in(
                &format!("規則 `{}` 無效", verbatim("罰\u{FDD1}款")),
                Language::SimplifiedChinese
            ),
            "规则 `罰款` 无效"
        );
    }

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
