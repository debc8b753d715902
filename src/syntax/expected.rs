//! pest's syntax error → a [`Problem`] a manager can read: what was expected, in words (never
//! a grammar rule's name), what was found, and the closest keyword when the found word looks
//! like a misspelling of one.

use pest::error::{Error as PestError, ErrorVariant, InputLocation};

use super::Rule;
use crate::ast::Span;
use crate::error::{Problem, ProblemKind};
use crate::lang::{Language, is_han};
use crate::suggest::did_you_mean;

/// Consequence keywords: what may follow the colon of a rule.
const CONSEQUENCE_WORDS: &[&str] = &[
    "fine",
    "reward",
    "dismissal",
    "ordered to remedy",
    "promotion",
    "counts as",
    "no consequence",
];
const COMPARISON_WORDS: &[&str] = &["more than", "at least", "less than", "at most", "exactly"];
const PERIOD_WORDS: &[&str] = &["month", "quarter", "year"];
const MEASURE_TYPE_WORDS: &[&str] = &["whole number", "number", "flag", "text"];
const HEADER_WORDS: &[&str] = &[
    "title",
    "effective",
    "in force until",
    "repeals",
    "currency",
    "time zone",
    "purpose",
    "drafted by",
    "approved by",
    "maintained by",
    "copies to",
    "distributed to",
    "section",
    "measure",
];

/// The words of keyword rule `rule`, as a manager writes them.
pub(crate) fn keyword(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::kw_title => "title",
        Rule::kw_effective => "effective",
        Rule::kw_in_force_until => "in force until",
        Rule::kw_repeals => "repeals",
        Rule::kw_the_version_of => "the version of",
        Rule::kw_currency => "currency",
        Rule::kw_time_zone => "time zone",
        Rule::kw_purpose => "purpose",
        Rule::kw_drafted_by => "drafted by",
        Rule::kw_approved_by => "approved by",
        Rule::kw_maintained_by => "maintained by",
        Rule::kw_copies_to => "copies to",
        Rule::kw_distributed_to => "distributed to",
        Rule::kw_section => "section",
        Rule::kw_measure => "measure",
        Rule::kw_whole_number => "whole number",
        Rule::kw_number => "number",
        Rule::kw_flag => "flag",
        Rule::kw_text => "text",
        Rule::open_paren => "(",
        Rule::close_paren => ")",
        Rule::kw_with => "with",
        Rule::kw_with_no => "with no",
        Rule::kw_when => "when",
        Rule::kw_and => "and",
        Rule::kw_or => "or",
        Rule::kw_not => "not",
        Rule::kw_of => "of",
        Rule::kw_a => "a",
        Rule::kw_by => "by",
        Rule::kw_to => "to",
        Rule::kw_for => "for",
        Rule::kw_the => "the",
        Rule::kw_on => "on",
        Rule::kw_time => "time",
        Rule::cmp_gt => "more than",
        Rule::cmp_ge => "at least",
        Rule::cmp_lt => "less than",
        Rule::cmp_le => "at most",
        Rule::cmp_eq => "exactly",
        Rule::kw_fine => "fine",
        Rule::kw_reward => "reward",
        Rule::kw_per => "per",
        Rule::kw_beyond => "beyond",
        Rule::kw_yuan => "yuan",
        Rule::kw_points => "points",
        Rule::kw_for_every_person_named => "for every person named",
        Rule::kw_for_their => "for their",
        Rule::kw_from_the => "from the",
        Rule::kw_dismissal => "dismissal",
        Rule::kw_ordered_to_remedy => "ordered to remedy",
        Rule::kw_promotion => "promotion",
        Rule::kw_grade => "grade",
        Rule::kw_subject_to_approval => "subject to approval",
        Rule::kw_counts_as => "counts as",
        Rule::kw_no_consequence => "no consequence",
        Rule::kw_each => "each",
        Rule::kw_month | Rule::kw_months => "month",
        Rule::kw_quarter | Rule::kw_quarters => "quarter",
        Rule::kw_year | Rule::kw_years => "year",
        Rule::kw_every_person_on_the_roster => "every person on the roster",
        Rule::kw_in_a_row => "in a row",
        Rule::kw_in_the_same => "in the same",
        Rule::kw_only_the => "only the",
        Rule::kw_every => "every",
        Rule::kw_in_sections => "in section",
        Rule::kw_times => "times",
        Rule::kw_an_extra => "an extra",
        Rule::kw_the_heaviest_base => "the heaviest base",
        Rule::kw_so_far => "so far",
        Rule::kw_of_the_last => "of the last",
        Rule::kw_its_own_base => "its own base",
        Rule::colon => ":",
        Rule::comma => ",",
        Rule::bullet => "-",
        Rule::close_quote => "\"",
        _ => return None,
    })
}

/// What grammar rule `rule` stands for, in words; `None` for rules a manager never needs to
/// hear about.
fn phrase(rule: Rule) -> Option<String> {
    if let Some(word) = keyword(rule) {
        return Some(if rule == Rule::close_quote {
            "a closing `\"`".to_owned()
        } else {
            format!("`{word}`")
        });
    }
    Some(
        match rule {
            Rule::EOI => "the end of the line",
            Rule::title_field
            | Rule::effective_field
            | Rule::until_field
            | Rule::repeals_field
            | Rule::currency_field
            | Rule::zone_field
            | Rule::document_field
            | Rule::document_key => "a header line such as `title: …`",
            Rule::section => "a section such as `section 1: …`",
            Rule::measure_decl => "a measure such as `measure rings: whole number`",
            Rule::measure_type => "`whole number`, `number`, `flag` or `text`",
            Rule::kind_group => "a named list of event kinds",
            Rule::occurrence_rule
            | Rule::recorded_rule
            | Rule::banded_rule
            | Rule::period_rule
            | Rule::escalation
            | Rule::label => "a rule starting with its label, such as `1.2`",
            Rule::kind | Rule::list_kind | Rule::kind_words | Rule::list_kind_words => {
                "an event kind"
            }
            Rule::kind_list => "a list of event kinds",
            Rule::quoted | Rule::quoted_text => "a quoted event kind",
            Rule::consequences | Rule::money_effect | Rule::direction => {
                "a consequence such as `fine 15`"
            }
            Rule::entry_direction => "`fine` or `reward`",
            Rule::dismissal => "`dismissal`",
            Rule::remedy => "`ordered to remedy`",
            Rule::promotion => "`promotion by 1 grade`",
            Rule::counts_as => "`counts as`",
            Rule::fixed
            | Rule::amount_range
            | Rule::per_unit
            | Rule::percent_of
            | Rule::zh_percent_of
            | Rule::schedule
            | Rule::step
            | Rule::money => "an amount such as `15`",
            Rule::percent => "a percentage such as `5%`",
            Rule::unit => "`yuan` or `points`",
            Rule::number => "a number",
            Rule::integer | Rule::multiplier | Rule::section_number => "a whole number",
            Rule::ordinal | Rule::the_nth_time | Rule::from_nth_time => "an ordinal such as `3rd`",
            Rule::date => "a date such as `2025-08-15`",
            Rule::utc_offset => "a time zone offset such as `+08:00`",
            Rule::currency_code => "a currency code such as `CNY`",
            Rule::text => "text",
            Rule::conditions | Rule::count_first | Rule::measure_first => {
                "a condition such as `with more than 3 rings`"
            }
            Rule::flag_test | Rule::measure => "the name of a measure, such as `severe`",
            Rule::negation => "`not`",
            Rule::comparison => "a comparison such as `more than` or `at least`",
            Rule::period | Rule::periods => "`month`, `quarter` or `year`",
            Rule::period_test | Rule::absence_test | Rule::count_test => {
                "`with no` followed by event kinds"
            }
            Rule::streak => "`for 3 months in a row`",
            Rule::band | Rule::band_range | Rule::between => {
                "a band on its own line, such as `- less than 15: fine 15`"
            }
            Rule::only_nth | Rule::from_nth | Rule::every_nth => {
                "`only the 3rd`, `from the 3rd` or `every 3rd`"
            }
            Rule::counted => "`fine` or `reward`",
            Rule::in_sections => "`in section 1`",
            Rule::multiply => "a multiplier such as `2 times the heaviest base so far`",
            Rule::surcharge => "`an extra 50`",
            Rule::heaviest_so_far | Rule::heaviest_of_last | Rule::own_base => {
                "`the heaviest base so far`, `the heaviest base of the last 3` or `its own base`"
            }
            Rule::target | Rule::every_person_named | Rule::related_person => {
                "`for every person named` or `for their manager`"
            }
            Rule::role => "a role such as `manager`",
            Rule::approval => "`subject to approval`",
            _ => return None,
        }
        .to_owned(),
    )
}

/// The words of keyword rule `rule` in Chinese, Traditional and Simplified.
fn keyword_zh(rule: Rule) -> Option<(&'static str, &'static str)> {
    Some(match rule {
        Rule::zh_title => ("標題", "标题"),
        Rule::zh_effective => ("生效日期", "生效日期"),
        Rule::zh_in_force_until => ("有效期至", "有效期至"),
        Rule::zh_repeals => ("廢止", "废止"),
        Rule::zh_version => ("版本", "版本"),
        Rule::zh_currency => ("貨幣", "货币"),
        Rule::zh_time_zone => ("時區", "时区"),
        Rule::zh_purpose => ("目的", "目的"),
        Rule::zh_drafted_by => ("編制部門", "编制部门"),
        Rule::zh_approved_by => ("核準/審批人", "核准/审批人"),
        Rule::zh_maintained_by => ("維護人", "维护人"),
        Rule::zh_copies_to => ("抄報", "抄报"),
        Rule::zh_distributed_to => ("下發", "下发"),
        Rule::zh_measure => ("計量", "计量"),
        Rule::zh_event => ("事件", "事件"),
        Rule::zh_whole_number => ("整數", "整数"),
        Rule::zh_number => ("數值", "数值"),
        Rule::zh_flag => ("是否", "是否"),
        Rule::zh_text => ("文字", "文字"),
        Rule::zh_who => ("者", "者"),
        Rule::zh_when => ("時", "时"),
        Rule::zh_if => ("若", "若"),
        Rule::zh_and => ("並", "并"),
        Rule::zh_or => ("或", "或"),
        Rule::zh_not => ("未", "未"),
        Rule::zh_at => ("在", "在"),
        Rule::zh_of => ("的", "的"),
        Rule::zh_by => ("按", "按"),
        Rule::zh_to => ("至", "至"),
        Rule::zh_counter => ("次", "次"),
        Rule::zh_measure_word => ("個", "个"),
        Rule::zh_gt => ("超過", "超过"),
        Rule::zh_ge => ("不少於", "不少于"),
        Rule::zh_lt => ("少於", "少于"),
        Rule::zh_le => ("不超過", "不超过"),
        Rule::zh_eq => ("等於", "等于"),
        Rule::zh_or_more => ("以上", "以上"),
        Rule::zh_or_less => ("以下", "以下"),
        Rule::zh_fine => ("扣罰", "扣罚"),
        Rule::zh_reward => ("獎勵", "奖励"),
        Rule::zh_yuan => ("元", "元"),
        Rule::zh_points => ("積分", "积分"),
        Rule::zh_each_time => ("每次", "每次"),
        Rule::zh_beyond => ("超出", "超出"),
        Rule::zh_part => ("的部分", "的部分"),
        Rule::zh_all_present => ("所有在場人員", "所有在场人员"),
        Rule::zh_their => ("其", "其"),
        Rule::zh_give => ("給予", "给予"),
        Rule::zh_dismissal => ("解雇", "解雇"),
        Rule::zh_handling => ("處理", "处理"),
        Rule::zh_ordered_to_remedy => ("責令補救", "责令补救"),
        Rule::zh_may => ("可", "可"),
        Rule::zh_promotion => ("晉升", "晋升"),
        Rule::zh_grade => ("級", "级"),
        Rule::zh_subject_to_approval => ("經核準", "经核准"),
        Rule::zh_counts_as => ("視為", "视为"),
        Rule::zh_no_consequence => ("不予處理", "不予处理"),
        Rule::zh_each => ("每", "每"),
        Rule::zh_every_person_on_the_roster => ("名冊上每人", "名册上每人"),
        Rule::zh_with_no => ("沒有", "没有"),
        Rule::zh_in_a_row => ("連續", "连续"),
        Rule::zh_month => ("月", "月"),
        Rule::zh_quarter => ("季度", "季度"),
        Rule::zh_year => ("年", "年"),
        Rule::zh_in_the_same => ("在同一", "在同一"),
        Rule::zh_within => ("中", "中"),
        Rule::zh_only => ("僅", "仅"),
        Rule::zh_from => ("從", "从"),
        Rule::zh_on => ("起", "起"),
        Rule::zh_ordinal_prefix => ("第", "第"),
        Rule::zh_time => ("次", "次"),
        Rule::zh_only_in => ("限", "限"),
        Rule::zh_section => ("節", "节"),
        Rule::zh_according_to => ("按", "按"),
        Rule::zh_so_far => ("至今", "至今"),
        Rule::zh_heaviest => ("最重", "最重"),
        Rule::zh_base => ("基數", "基数"),
        Rule::zh_last => ("最近", "最近"),
        Rule::zh_its_own_base => ("本次基數", "本次基数"),
        Rule::zh_double => ("加倍", "加倍"),
        Rule::zh_an_extra => ("另加", "另加"),
        Rule::zh_times => ("倍", "倍"),
        Rule::zh_punish => ("處罰", "处罚"),
        Rule::colon => ("：", "："),
        Rule::comma => ("，", "，"),
        Rule::semicolon => ("；", "；"),
        Rule::bullet => ("-", "-"),
        Rule::open_paren => ("（", "（"),
        Rule::close_paren => ("）", "）"),
        Rule::close_quote => ("」", "”"),
        _ => return None,
    })
}

/// What grammar rule `rule` stands for, in Chinese words (Traditional and Simplified).
fn phrase_zh(rule: Rule) -> Option<(&'static str, &'static str)> {
    Some(match rule {
        Rule::EOI => ("行尾", "行尾"),
        Rule::title_field
        | Rule::effective_field
        | Rule::until_field
        | Rule::repeals_field
        | Rule::currency_field
        | Rule::zone_field
        | Rule::document_field
        | Rule::document_key => ("表頭行（如 `標題：…`）", "表头行（如 `标题：…`）"),
        Rule::section | Rule::zh_section_number => ("章節（如 `一、…`）", "章节（如 `一、…`）"),
        Rule::measure_decl => (
            "計量（如 `計量 響聲（rings）：整數`）",
            "计量（如 `计量 响声（rings）：整数`）",
        ),
        Rule::kind_decl => (
            "事件（如 `事件 遲到（late）`）",
            "事件（如 `事件 迟到（late）`）",
        ),
        Rule::event_name | Rule::event_name_text => (
            "括號內事件流用的名稱（如 `（late）`）",
            "括号内事件流用的名称（如 `（late）`）",
        ),
        Rule::measure_type => (
            "`整數`、`數值`、`是否` 或 `文字`",
            "`整数`、`数值`、`是否` 或 `文字`",
        ),
        Rule::kind_group => ("有名稱的一組事件類型", "有名称的一组事件类型"),
        Rule::occurrence_rule
        | Rule::recorded_rule
        | Rule::banded_rule
        | Rule::period_rule
        | Rule::escalation
        | Rule::label => (
            "以條款編號開頭的規則（如 `1.2`）",
            "以条款编号开头的规则（如 `1.2`）",
        ),
        Rule::kind | Rule::list_kind | Rule::kind_words | Rule::list_kind_words => {
            ("事件類型", "事件类型")
        }
        Rule::kind_list => ("一串事件類型", "一串事件类型"),
        Rule::quoted | Rule::quoted_text => ("加引號的事件類型", "加引号的事件类型"),
        Rule::consequences | Rule::money_effect | Rule::direction => {
            ("處理（如 `扣罰15元`）", "处理（如 `扣罚15元`）")
        }
        Rule::entry_direction | Rule::counted => ("`扣罰` 或 `獎勵`", "`扣罚` 或 `奖励`"),
        Rule::dismissal => ("`解雇`", "`解雇`"),
        Rule::remedy => ("`責令補救`", "`责令补救`"),
        Rule::promotion => ("`晉升一級`", "`晋升一级`"),
        Rule::counts_as => ("`視為`", "`视为`"),
        Rule::fixed
        | Rule::amount_range
        | Rule::per_unit
        | Rule::percent_of
        | Rule::zh_percent_of
        | Rule::schedule
        | Rule::step
        | Rule::money => ("金額（如 `15`）", "金额（如 `15`）"),
        Rule::percent => ("百分比（如 `5%`）", "百分比（如 `5%`）"),
        Rule::unit => ("`元` 或 `積分`", "`元` 或 `积分`"),
        Rule::number => ("數字", "数字"),
        Rule::integer | Rule::multiplier | Rule::section_number | Rule::nth => ("整數", "整数"),
        Rule::zh_the_nth_time | Rule::zh_from_nth_time => {
            ("序數（如 `第三次`）", "序数（如 `第三次`）")
        }
        Rule::date => (
            "日期（如 `2025-08-15` 或 `2025年8月15日`）",
            "日期（如 `2025-08-15` 或 `2025年8月15日`）",
        ),
        Rule::utc_offset => ("時區（如 `+08:00`）", "时区（如 `+08:00`）"),
        Rule::currency_code => ("貨幣代碼（如 `CNY`）", "货币代码（如 `CNY`）"),
        Rule::text => ("文字", "文字"),
        Rule::conditions | Rule::zh_compare => {
            ("條件（如 `響聲超過三次`）", "条件（如 `响声超过三次`）")
        }
        Rule::flag_test | Rule::measure => {
            ("計量名稱（如 `情節嚴重`）", "计量名称（如 `情节严重`）")
        }
        Rule::negation => ("`未`", "`未`"),
        Rule::comparison | Rule::post_comparison => {
            ("比較（如 `超過` 或 `以上`）", "比较（如 `超过` 或 `以上`）")
        }
        Rule::period | Rule::periods => ("`月`、`季度` 或 `年`", "`月`、`季度` 或 `年`"),
        Rule::period_test | Rule::absence_test | Rule::count_test => {
            ("`沒有` 及事件類型", "`没有` 及事件类型")
        }
        Rule::streak => ("`連續三個月`", "`连续三个月`"),
        Rule::band | Rule::band_range | Rule::between => (
            "另起一行的區間（如 `- 少於15：扣罰15元`）",
            "另起一行的区间（如 `- 少于15：扣罚15元`）",
        ),
        Rule::zh_only_nth | Rule::zh_from_nth | Rule::zh_every_nth => (
            "`僅第三次`、`從第三次…起` 或 `每三次`",
            "`仅第三次`、`从第三次…起` 或 `每三次`",
        ),
        Rule::in_sections => ("`（限第一節）`", "`（限第一节）`"),
        Rule::zh_multiply => (
            "加倍方式（如 `按至今最重的基數加倍`）",
            "加倍方式（如 `按至今最重的基数加倍`）",
        ),
        Rule::surcharge => ("`另加50元`", "`另加50元`"),
        Rule::heaviest_so_far | Rule::heaviest_of_last | Rule::own_base => (
            "`至今最重的基數`、`最近三次中最重的基數` 或 `本次基數`",
            "`至今最重的基数`、`最近三次中最重的基数` 或 `本次基数`",
        ),
        Rule::zh_every_person_named | Rule::zh_related_person => {
            ("`所有在場人員` 或 `其主管`", "`所有在场人员` 或 `其主管`")
        }
        Rule::role => ("職務（如 `主管`）", "职务（如 `主管`）"),
        Rule::approval => ("`經核準`", "`经核准`"),
        _ => return None,
    })
}

/// Chinese words a rule's consequence starts with (Traditional, then Simplified).
const CONSEQUENCE_WORDS_ZH: &[(&str, &str)] = &[
    ("扣罰", "扣罚"),
    ("罰款", "罚款"),
    ("獎勵", "奖励"),
    ("嘉獎", "嘉奖"),
    ("解雇", "解雇"),
    ("晉升", "晋升"),
    ("視為", "视为"),
    ("不予處理", "不予处理"),
    ("每次", "每次"),
    ("責令補救", "责令补救"),
];
const HEADER_WORDS_ZH: &[(&str, &str)] = &[
    ("標題", "标题"),
    ("生效日期", "生效日期"),
    ("有效期至", "有效期至"),
    ("廢止", "废止"),
    ("貨幣", "货币"),
    ("時區", "时区"),
    ("目的", "目的"),
    ("編制部門", "编制部门"),
    ("維護人", "维护人"),
    ("計量", "计量"),
    ("事件", "事件"),
];
const COMPARISON_WORDS_ZH: &[(&str, &str)] = &[
    ("超過", "超过"),
    ("不少於", "不少于"),
    ("少於", "少于"),
    ("不超過", "不超过"),
    ("等於", "等于"),
];
const MEASURE_TYPE_WORDS_ZH: &[(&str, &str)] = &[
    ("整數", "整数"),
    ("數值", "数值"),
    ("是否", "是否"),
    ("文字", "文字"),
];

/// Text in the language of the file: English, or Chinese in Traditional or Simplified
/// characters. Unlike the rest of the crate, which writes a diagnostic's Chinese once in
/// Traditional characters and converts it by `lang::to_simplified` when a Simplified file is
/// shown, this module knows the file's language when it reports (it reads it from the text it
/// parses), and keywords must be suggested exactly as the grammar spells them in either
/// script (扣罰 / 扣罚): so it writes both forms itself.
struct Say {
    language: Language,
}

impl Say {
    fn pick(&self, en: &str, traditional: &str, simplified: &str) -> String {
        match self.language {
            Language::TraditionalChinese => traditional,
            Language::SimplifiedChinese => simplified,
            _ => en,
        }
        .to_owned()
    }

    fn pair(&self, (traditional, simplified): (&'static str, &'static str)) -> &'static str {
        if self.language == Language::SimplifiedChinese {
            simplified
        } else {
            traditional
        }
    }

    /// What `rule` stands for, in words; `None` for rules the file's language does not use.
    fn phrase(&self, rule: Rule) -> Option<String> {
        if !self.language.is_chinese() {
            return phrase(rule);
        }
        if let Some(word) = keyword_zh(rule) {
            return Some(format!("`{}`", self.pair(word)));
        }
        phrase_zh(rule).map(|phrase| self.pair(phrase).to_owned())
    }

    /// The keyword `rule` stands for, as the file's language writes it.
    fn keyword(&self, rule: Rule) -> Option<&'static str> {
        if self.language.is_chinese() {
            keyword_zh(rule).map(|word| self.pair(word))
        } else {
            keyword(rule)
        }
    }

    /// Keywords a misspelled word at a place expecting `rule` may have meant, in the file's
    /// language and script.
    fn candidates(&self, rule: Rule) -> Vec<&'static str> {
        let Some(words) = Words::expected_at(rule) else {
            return Vec::new();
        };
        if self.language.is_chinese() {
            words
                .chinese()
                .iter()
                .map(|&pair| self.pair(pair))
                .collect()
        } else {
            words.english().to_vec()
        }
    }

    /// `a`, `a or b`, `a, b or c` (`a、b 或 c`).
    fn alternatives(&self, items: &[String]) -> String {
        let (comma, or) = if self.language.is_chinese() {
            ("、", "或")
        } else {
            (", ", " or ")
        };
        match items {
            [] => String::new(),
            [one] => one.clone(),
            [init @ .., last] => format!("{}{or}{last}", init.join(comma)),
        }
    }

    fn end_of_line(&self) -> String {
        self.pick("the end of the line", "行尾", "行尾")
    }
}

/// The sets of keywords a misspelled word may have meant, by what the parser expected.
#[derive(Clone, Copy)]
enum Words {
    Consequence,
    Comparison,
    Period,
    MeasureType,
    Header,
}

impl Words {
    /// The set for a place expecting `rule`, if there is one.
    fn expected_at(rule: Rule) -> Option<Words> {
        Some(match rule {
            Rule::consequences | Rule::money_effect | Rule::direction => Words::Consequence,
            Rule::comparison => Words::Comparison,
            Rule::period | Rule::periods => Words::Period,
            Rule::measure_type => Words::MeasureType,
            Rule::title_field
            | Rule::effective_field
            | Rule::until_field
            | Rule::repeals_field
            | Rule::currency_field
            | Rule::zone_field
            | Rule::document_field
            | Rule::document_key
            | Rule::section => Words::Header,
            _ => return None,
        })
    }

    fn english(self) -> &'static [&'static str] {
        match self {
            Words::Consequence => CONSEQUENCE_WORDS,
            Words::Comparison => COMPARISON_WORDS,
            Words::Period => PERIOD_WORDS,
            Words::MeasureType => MEASURE_TYPE_WORDS,
            Words::Header => HEADER_WORDS,
        }
    }

    /// Traditional and Simplified; none for periods, whose Chinese words are one character
    /// (and one character is one edit from every other).
    fn chinese(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Words::Consequence => CONSEQUENCE_WORDS_ZH,
            Words::Comparison => COMPARISON_WORDS_ZH,
            Words::Period => &[],
            Words::MeasureType => MEASURE_TYPE_WORDS_ZH,
            Words::Header => HEADER_WORDS_ZH,
        }
    }
}

/// Turns pest's error into a problem at the place it names, told in `language`.
pub(super) fn syntax_problem(source: &str, error: &PestError<Rule>, language: Language) -> Problem {
    let say = Say { language };
    let position = match error.location {
        InputLocation::Pos(position) => position,
        InputLocation::Span((start, _)) => start,
    };
    let positives = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => positives,
        // pest's own budgets ("call limit reached", "stack limit reached").
        ErrorVariant::CustomError { message } => {
            return Problem::new(
                ProblemKind::TooComplex {
                    reason: message.clone(),
                },
                position..position,
            )
            .with_help(say.pick(
                "split the file, or shorten its longest lines",
                "把檔案分成幾個，或縮短最長的幾行",
                "把文件分成几个，或缩短最长的几行",
            ));
        }
    };

    let mut expected: Vec<String> = Vec::new();
    for phrase in positives.iter().filter_map(|rule| say.phrase(*rule)) {
        if !expected.contains(&phrase) {
            expected.push(phrase);
        }
    }
    if expected.is_empty() {
        expected.push(say.end_of_line());
    }
    let (found, span) = found_at(source, position, &say);
    let problem = Problem::new(
        ProblemKind::Syntax {
            expected: say.alternatives(&expected),
            found: found.clone(),
        },
        span,
    );

    // A misspelled keyword: compare the words found with each keyword expected here.
    let mut words: Vec<&str> = positives
        .iter()
        .filter_map(|rule| say.keyword(*rule))
        .collect();
    for rule in positives {
        words.extend(say.candidates(*rule));
    }
    let rest = source.get(position..).unwrap_or("");
    let suggestion = if language.is_chinese() {
        did_you_mean_zh(rest, &words)
    } else {
        did_you_mean_phrase(rest, &words)
    };
    if let Some(keyword) = suggestion {
        return problem
            .with_label(say.pick(
                "not a word the language knows here",
                "這裡不認得這個詞",
                "这里不认得这个词",
            ))
            .with_help(say.pick(
                &format!("did you mean `{keyword}`?"),
                &format!("是不是要寫 `{keyword}`？"),
                &format!("是不是要写 `{keyword}`？"),
            ));
    }
    if let Some((keyword, at)) = positives
        .contains(&Rule::colon)
        .then(|| missing_colon(source, position, language))
        .flatten()
    {
        let end = at + keyword.len();
        let line = line_at(source, at);
        let head = source.get(line.0..at).unwrap_or("").trim_end();
        let tail = source.get(at..line.1).unwrap_or("").trim_end();
        return Problem::new(
            ProblemKind::Syntax {
                expected: say.pick(
                    "`:` before the consequence",
                    "處理前的 `：`",
                    "处理前的 `：`",
                ),
                found: format!("`{keyword}`"),
            },
            Span::new(at, end),
        )
        .with_label(say.pick(
            "put a `:` before this",
            "在這之前加 `：`",
            "在这之前加 `：`",
        ))
        .with_help(say.pick(
            &format!("write `{head}: {tail}`"),
            &format!("寫成 `{head}：{tail}`"),
            &format!("写成 `{head}：{tail}`"),
        ));
    }
    if positives.contains(&Rule::EOI) && span.end > span.start {
        // Underline everything up to the end of the line, not just the first word.
        let (_, line_end) = line_at(source, position);
        let rest = source.get(position..line_end).unwrap_or("").trim_end();
        return Problem::new(
            ProblemKind::Syntax {
                expected: say.end_of_line(),
                found: format!("`{rest}`"),
            },
            Span::new(position, position + rest.len()),
        )
        .with_label(say.pick(
            "unexpected text after the rule",
            "規則後面多了文字",
            "规则后面多了文字",
        ))
        .with_help(say.pick(
            "remove it, or start a comment with `#`",
            "這段文字沒能讀成規則的一部分：請檢查它的寫法，或以 `#` 開始註釋",
            "这段文字没能读成规则的一部分：请检查它的写法，或以 `#` 开始注释",
        ));
    }
    let wants_amount = positives.contains(&Rule::money) || positives.contains(&Rule::fixed);
    if wants_amount
        && found.starts_with('`')
        && source
            .get(position..)
            .is_some_and(|r| r.starts_with(char::is_alphabetic))
    {
        return problem
            .with_label(say.pick("not an amount", "不是金額", "不是金额"))
            .with_help(say.pick(
                "write the amount in digits, such as `15` or `12.5`",
                "以數字寫金額，如 `15` 或 `12.5`",
                "以数字写金额，如 `15` 或 `12.5`",
            ));
    }
    if positives.contains(&Rule::close_quote) {
        return problem
            .with_label(say.pick(
                "the quote is not closed on this line",
                "引號在本行沒有結束",
                "引号在本行没有结束",
            ))
            .with_help(say.pick(
                "end the event kind with `\"`",
                "以 `」` 結束事件類型",
                "以 `」` 结束事件类型",
            ));
    }
    if span.start == span.end {
        problem.with_label(say.pick(
            "the line ends too early",
            "這一行提早結束了",
            "这一行提早结束了",
        ))
    } else {
        problem.with_label(say.pick("not valid here", "這裡不能這樣寫", "这里不能这样写"))
    }
}

/// The Chinese keyword among `words` closest to the text at the start of `rest`, comparing
/// as many characters as the keyword has. Keywords of one character are left out: every
/// character is one edit away from them.
fn did_you_mean_zh<'w>(rest: &str, words: &[&'w str]) -> Option<&'w str> {
    let found: Vec<char> = rest
        .chars()
        .take_while(|c| c.is_alphanumeric())
        .take(8)
        .collect();
    let mut lengths: Vec<usize> = words.iter().map(|w| w.chars().count()).collect();
    lengths.sort_unstable();
    lengths.dedup();
    for &length in lengths
        .iter()
        .rev()
        .filter(|&&n| n >= 2 && n <= found.len())
    {
        let text: String = found.iter().take(length).collect();
        let same_length = words
            .iter()
            .copied()
            .filter(|w| w.chars().count() == length);
        if let Some(word) = did_you_mean(&text, same_length) {
            return Some(word);
        }
    }
    None
}

/// The byte range of the line holding byte `at`, without its line break.
fn line_at(source: &str, at: usize) -> (usize, usize) {
    let before = source.get(..at).unwrap_or("");
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let end = source
        .get(at..)
        .and_then(|rest| rest.find(['\n', '\r']))
        .map_or(source.len(), |i| at + i);
    (start, end)
}

/// The keyword among `words` closest to the text at the start of `rest`, comparing as many
/// words of `rest` as the keyword has.
fn did_you_mean_phrase<'w>(rest: &str, words: &[&'w str]) -> Option<&'w str> {
    let line = rest.lines().next().unwrap_or("");
    let found: Vec<&str> = line.split_whitespace().collect();
    let mut best = None;
    for count in 1..=4usize.min(found.len()) {
        let text = found[..count].join(" ");
        let text = text.trim_end_matches([':', ',']);
        let same_length = words
            .iter()
            .copied()
            .filter(|w| w.split_whitespace().count() == count);
        if let Some(word) = did_you_mean(text, same_length) {
            best = Some(word);
            break;
        }
    }
    best
}

/// When a line lacks the colon between its event kind and its consequence, the kind may
/// swallow the consequence (`out of uniform fine 15`), or the parse stops at it (`late with
/// more than 3 minutes fine 15`). Finds that consequence keyword and its byte offset.
fn missing_colon(
    source: &str,
    position: usize,
    language: Language,
) -> Option<(&'static str, usize)> {
    let (line_start, line_end) = line_at(source, position);
    let line = source.get(line_start..line_end)?;
    if language.is_chinese() {
        // No spaces: the first consequence word after the label.
        let label_end = line.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
        let after_label = line.get(label_end..)?;
        let (at, keyword) = CONSEQUENCE_WORDS_ZH
            .iter()
            .flat_map(|&(traditional, simplified)| [traditional, simplified])
            .filter_map(|k| after_label.find(k).map(|i| (label_end + i, k)))
            .min_by_key(|(at, _)| *at)?;
        // After `：`, `，` or `。` the colon is not what is missing.
        let before = line.get(..at)?.trim_end();
        if before.ends_with(['：', ':', '，', ',', '。', '；', ';', '、']) {
            return None;
        }
        return Some((keyword, line_start + at));
    }
    let mut offset = 0;
    let mut first = true;
    for word in line.split(' ') {
        let at = line_start + offset;
        offset += word.len() + 1;
        if word.is_empty() {
            continue;
        }
        if std::mem::take(&mut first) {
            continue; // the label
        }
        if let Some(keyword) = CONSEQUENCE_WORDS.iter().find(|k| **k == word) {
            return Some((keyword, at));
        }
    }
    None
}

/// The token at `position`, quoted, and its span; or "end of line" / "end of file". A
/// Chinese token is a run of Chinese characters, at most four: Chinese has no spaces to end
/// a word.
fn found_at(source: &str, position: usize, say: &Say) -> (String, Span) {
    let rest = source.get(position..).unwrap_or("");
    let Some(first) = rest.chars().next() else {
        return (
            say.pick("the end of the file", "檔案結尾", "文件结尾"),
            Span::new(position, position),
        );
    };
    if first == '\n' || first == '\r' {
        return (say.end_of_line(), Span::new(position, position));
    }
    let length = if is_han(first) {
        rest.chars()
            .take_while(|c| is_han(*c))
            .take(4)
            .map(char::len_utf8)
            .sum()
    } else if first.is_alphanumeric() {
        rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-' || c == '.'))
            .unwrap_or(rest.len())
    } else {
        first.len_utf8()
    };
    let token = &rest[..length];
    (format!("`{token}`"), Span::new(position, position + length))
}
