//! Every Chinese keyword form, in its place, means what its English twin means: each sample
//! below is parsed once for every form of its keyword (the forms are read from the grammar
//! itself, so a form added there without a sample here fails this test), and the syntax tree
//! must equal the English sample's (spans aside).

use std::collections::BTreeMap;

use super::parse;

const GRAMMAR: &str = include_str!("../../grammar/rulebook.pest");

/// `(keyword rule, Chinese sample with `{}` where each form of the rule goes, English twin)`.
const SAMPLES: &[(&str, &str, &str)] = &[
    ("zh_full_stop", "1.1 遲到：扣罰15元{}", "1.1 遲到: fine 15"),
    (
        "zh_enumeration_comma",
        "一{}扣罰15元",
        "section 1: 扣罰15元",
    ),
    ("zh_title", "{}：測試", "title: 測試"),
    ("zh_effective", "{}：2025-08-15", "effective: 2025-08-15"),
    (
        "zh_in_force_until",
        "{}：2025-08-15",
        "in force until: 2025-08-15",
    ),
    (
        "zh_repeals",
        "{}：2024-12-08",
        "repeals: the version of 2024-12-08",
    ),
    ("zh_currency", "{}：CNY", "currency: CNY"),
    ("zh_time_zone", "{}：+08:00", "time zone: +08:00"),
    ("zh_purpose", "{}：管理", "purpose: 管理"),
    ("zh_drafted_by", "{}：人事部", "drafted by: 人事部"),
    ("zh_approved_by", "{}：人事部", "approved by: 人事部"),
    ("zh_maintained_by", "{}：人事部", "maintained by: 人事部"),
    (
        "zh_measure",
        "{} 響聲（rings）：整數",
        "measure 響聲 (rings): whole number",
    ),
    ("zh_event", "{} 遲到（late）", "event 遲到 (late)"),
    (
        "zh_whole_number",
        "計量 響聲：{}",
        "measure 響聲: whole number",
    ),
    ("zh_number", "計量 通話：{}", "measure 通話: number"),
    ("zh_flag", "計量 嚴重：{}", "measure 嚴重: flag"),
    ("zh_text", "計量 主管：{}", "measure 主管: text"),
    ("zh_who", "1.1 遲到{}：扣罰15元", "1.1 遲到: fine 15"),
    (
        "zh_when",
        "3.10 回避，情節嚴重{}：扣罰50元",
        "3.10 回避 when 情節嚴重: fine 50",
    ),
    (
        "zh_if",
        "3.10 回避，{}情節嚴重：扣罰50元",
        "3.10 回避 when 情節嚴重: fine 50",
    ),
    (
        "zh_and",
        "3.8 不按日程：扣罰30元{}責令補救",
        "3.8 不按日程: fine 30, and ordered to remedy",
    ),
    (
        "zh_or",
        "4.1 遲到、早退{}缺勤：不予處理",
        "4.1 遲到, 早退 or 缺勤: no consequence",
    ),
    (
        "zh_not",
        "3.10 回避：扣罰50元，{}核準者，解雇",
        "3.10 回避: fine 50, and dismissal when not 核準",
    ),
    (
        "zh_at",
        "4.3 拾金不昧，價值{}300元以上：獎勵20元",
        "4.3 拾金不昧 with a 價值 of at least 300: reward 20",
    ),
    (
        "zh_of",
        "1.1 遲到：扣罰金額{}10%",
        "1.1 遲到: fine 10% of 金額",
    ),
    (
        "zh_by",
        "2.10 遲到，{}分鐘：\n- 少於15：扣罰15元",
        "2.10 遲到, by 分鐘:\n- less than 15: fine 15",
    ),
    (
        "zh_to",
        "2.10 遲到，按分鐘：\n- 15{}60：扣罰30元",
        "2.10 遲到, by 分鐘:\n- 15 to 60: fine 30",
    ),
    (
        "zh_counter",
        "1.2 電話未接，響聲超過3{}：扣罰15元",
        "1.2 電話未接 with a 響聲 of more than 3: fine 15",
    ),
    (
        "zh_measure_word",
        "4.1 每月，名冊上每人連續3{}月沒有遲到：獎勵15元",
        "4.1 each month, every person on the roster with no 遲到 for 3 months in a row: reward 15",
    ),
    (
        "zh_gt",
        "1.2 電話未接，響聲{}3次：扣罰15元",
        "1.2 電話未接 with a 響聲 of more than 3: fine 15",
    ),
    (
        "zh_ge",
        "1.2 電話未接，響聲{}3次：扣罰15元",
        "1.2 電話未接 with a 響聲 of at least 3: fine 15",
    ),
    (
        "zh_lt",
        "1.2 電話未接，響聲{}3次：扣罰15元",
        "1.2 電話未接 with a 響聲 of less than 3: fine 15",
    ),
    (
        "zh_le",
        "1.2 電話未接，響聲{}3次：扣罰15元",
        "1.2 電話未接 with a 響聲 of at most 3: fine 15",
    ),
    (
        "zh_eq",
        "1.2 電話未接，響聲{}3次：扣罰15元",
        "1.2 電話未接 with a 響聲 of exactly 3: fine 15",
    ),
    (
        "zh_or_more",
        "4.3 拾金不昧，價值300元{}：獎勵20元",
        "4.3 拾金不昧 with a 價值 of at least 300: reward 20",
    ),
    (
        "zh_or_less",
        "4.3 拾金不昧，價值300元{}：獎勵20元",
        "4.3 拾金不昧 with a 價值 of at most 300: reward 20",
    ),
    ("zh_fine", "1.1 遲到：{}15元", "1.1 遲到: fine 15"),
    ("zh_reward", "4.2 感謝信：{}20元", "4.2 感謝信: reward 20"),
    ("zh_yuan", "1.1 遲到：扣罰15{}", "1.1 遲到: fine 15 yuan"),
    ("zh_points", "1.1 遲到：扣罰2{}", "1.1 遲到: fine 2 points"),
    ("zh_each_time", "1.1 遲到：{}扣罰15元", "1.1 遲到: fine 15"),
    (
        "zh_beyond",
        "2.4 私用電話：{}3分鐘的部分，每分鐘扣罰5元",
        "2.4 私用電話: fine 5 per 分鐘 beyond 3",
    ),
    (
        "zh_part",
        "2.4 私用電話：超出3分鐘{}，每分鐘扣罰5元",
        "2.4 私用電話: fine 5 per 分鐘 beyond 3",
    ),
    (
        "zh_all_present",
        "2.9 推托：{}，每次扣罰20元",
        "2.9 推托: fine 20 for every person named",
    ),
    (
        "zh_their",
        "2.9 推托：{}主管扣罰10元",
        "2.9 推托: fine 10 for their 主管",
    ),
    ("zh_give", "3.10 回避：{}解雇", "3.10 回避: dismissal"),
    ("zh_dismissal", "3.10 回避：{}", "3.10 回避: dismissal"),
    ("zh_handling", "3.10 回避：解雇{}", "3.10 回避: dismissal"),
    (
        "zh_ordered_to_remedy",
        "3.8 不按日程：{}",
        "3.8 不按日程: ordered to remedy",
    ),
    (
        "zh_may",
        "5.5 服務之星：{}晉升一級",
        "5.5 服務之星: promotion by 1 grade",
    ),
    (
        "zh_promotion",
        "5.5 服務之星：{}一級",
        "5.5 服務之星: promotion by 1 grade",
    ),
    (
        "zh_grade",
        "5.5 服務之星：晉升一{}",
        "5.5 服務之星: promotion by 1 grade",
    ),
    (
        "zh_subject_to_approval",
        "5.5 服務之星：{}，晉升一級",
        "5.5 服務之星: promotion by 1 grade, subject to approval",
    ),
    (
        "zh_approve",
        "5.5 服務之星：經{}，晉升一級",
        "5.5 服務之星: promotion by 1 grade, subject to approval",
    ),
    (
        "zh_counts_as",
        "2.10 遲到：{}缺勤",
        "2.10 遲到: counts as 缺勤",
    ),
    (
        "zh_no_consequence",
        "4.1 遲到：{}",
        "4.1 遲到: no consequence",
    ),
    (
        "zh_each",
        "4.1 {}月，名冊上每人沒有遲到：獎勵15元",
        "4.1 each month, every person on the roster with no 遲到: reward 15",
    ),
    (
        "zh_every_person_on_the_roster",
        "4.1 每月，{}沒有遲到：獎勵15元",
        "4.1 each month, every person on the roster with no 遲到: reward 15",
    ),
    (
        "zh_with_no",
        "4.1 每月，名冊上每人{}遲到：獎勵15元",
        "4.1 each month, every person on the roster with no 遲到: reward 15",
    ),
    (
        "zh_in_a_row",
        "4.1 每月，名冊上每人{}3個月沒有遲到：獎勵15元",
        "4.1 each month, every person on the roster with no 遲到 for 3 months in a row: reward 15",
    ),
    (
        "zh_month",
        "4.1 每{}，名冊上每人沒有遲到：獎勵15元",
        "4.1 each month, every person on the roster with no 遲到: reward 15",
    ),
    (
        "zh_quarter",
        "4.1 每{}，名冊上每人沒有遲到：獎勵15元",
        "4.1 each quarter, every person on the roster with no 遲到: reward 15",
    ),
    (
        "zh_year",
        "4.1 每{}，名冊上每人沒有遲到：獎勵15元",
        "4.1 each year, every person on the roster with no 遲到: reward 15",
    ),
    (
        "zh_in_the_same",
        "3.9 {}月份中，從第三次扣罰起：按較重的基數加倍",
        "3.9 in the same month, from the 3rd fine on: 2 times the heaviest base so far",
    ),
    (
        "zh_within",
        "3.9 在同一月份{}，從第三次扣罰起：按較重的基數加倍",
        "3.9 in the same month, from the 3rd fine on: 2 times the heaviest base so far",
    ),
    (
        "zh_only",
        "3.9 在同一月份中，{}第三次扣罰：按較重的基數加倍",
        "3.9 in the same month, only the 3rd fine: 2 times the heaviest base so far",
    ),
    (
        "zh_from",
        "3.9 在同一月份中，{}第三次扣罰起：按較重的基數加倍",
        "3.9 in the same month, from the 3rd fine on: 2 times the heaviest base so far",
    ),
    (
        "zh_on",
        "3.9 在同一月份中，從第三次扣罰{}：按較重的基數加倍",
        "3.9 in the same month, from the 3rd fine on: 2 times the heaviest base so far",
    ),
    (
        "zh_ordinal_prefix",
        "3.9 在同一月份中，從{}三次扣罰起：按較重的基數加倍",
        "3.9 in the same month, from the 3rd fine on: 2 times the heaviest base so far",
    ),
    (
        "zh_time",
        "3.9 在同一月份中，每三{}獎勵：按較高的基數加倍",
        "3.9 in the same month, every 3rd reward: 2 times the heaviest base so far",
    ),
    (
        "zh_only_in",
        "3.9 在同一月份中，從第三次扣罰（{}第三、五節）起：按較重的基數加倍",
        "3.9 in the same month, from the 3rd fine in sections 3 and 5 on: 2 times the heaviest base so far",
    ),
    (
        "zh_section",
        "3.9 在同一月份中，從第三次扣罰（限第三、五{}）起：按較重的基數加倍",
        "3.9 in the same month, from the 3rd fine in sections 3 and 5 on: 2 times the heaviest base so far",
    ),
    (
        "zh_according_to",
        "3.9 在同一月份中，從第三次扣罰起：{}較重的基數加倍",
        "3.9 in the same month, from the 3rd fine on: 2 times the heaviest base so far",
    ),
    (
        "zh_so_far",
        "3.9 在同一月份中，從第三次扣罰起：按{}最重的基數加倍",
        "3.9 in the same month, from the 3rd fine on: 2 times the heaviest base so far",
    ),
    (
        "zh_heaviest",
        "3.9 在同一月份中，從第三次扣罰起：按{}的基數加倍",
        "3.9 in the same month, from the 3rd fine on: 2 times the heaviest base so far",
    ),
    (
        "zh_base",
        "3.9 在同一月份中，從第三次扣罰起：按較重的{}加倍",
        "3.9 in the same month, from the 3rd fine on: 2 times the heaviest base so far",
    ),
    (
        "zh_last",
        "3.9 在同一月份中，從第三次扣罰起：按{}三次中最重的基數加倍",
        "3.9 in the same month, from the 3rd fine on: 2 times the heaviest base of the last 3",
    ),
    (
        "zh_its_own_base",
        "3.9 在同一月份中，從第三次扣罰起：按{}加倍",
        "3.9 in the same month, from the 3rd fine on: 2 times its own base",
    ),
    (
        "zh_double",
        "3.9 在同一月份中，從第三次扣罰起：按較重的基數{}",
        "3.9 in the same month, from the 3rd fine on: 2 times the heaviest base so far",
    ),
    (
        "zh_times",
        "3.9 在同一月份中，從第三次扣罰起：按較重的基數的3{}",
        "3.9 in the same month, from the 3rd fine on: 3 times the heaviest base so far",
    ),
    (
        "zh_punish",
        "3.9 在同一月份中，從第三次扣罰起：按較重的基數加倍{}",
        "3.9 in the same month, from the 3rd fine on: 2 times the heaviest base so far",
    ),
    (
        "zh_an_extra",
        "3.9 在同一月份中，從第三次扣罰起：{}50元",
        "3.9 in the same month, from the 3rd fine on: an extra 50",
    ),
];

/// Keywords whose forms are phrases built of parts (`抄` `報`, with or without a space):
/// their whole forms, each of which must hold every literal of the rule at least once between
/// them.
const PHRASES: &[(&str, &[&str])] = &[
    ("zh_copies_to", &["抄報", "抄 報", "抄报", "抄 报"]),
    ("zh_distributed_to", &["下發", "下 發", "下发", "下 发"]),
    (
        "zh_version",
        &["頒發的版本", "颁发的版本", "的版本", "版本"],
    ),
    (
        "zh_every_person_on_the_roster",
        &[
            "名冊上每人",
            "名册上每人",
            "名冊內每人",
            "名册内每人",
            "名冊上的每個人",
            "名册上的每个人",
        ],
    ),
    (
        "zh_ordered_to_remedy",
        &[
            "責令補救",
            "责令补救",
            "責令補救完成相關工作",
            "责令补救完成相关工作",
        ],
    ),
    (
        "zh_subject_to_approval",
        &[
            "經核準",
            "经核准",
            "經公司領導核準同意後",
            "经公司领导核准同意后",
            "經批准以後",
            "经审批以后",
        ],
    ),
];

/// Samples for the phrase-built keywords (see [`PHRASES`]).
const PHRASE_SAMPLES: &[(&str, &str, &str)] = &[
    ("zh_copies_to", "{}：總公司", "copies to: 總公司"),
    ("zh_distributed_to", "{}：總公司", "distributed to: 總公司"),
    ("zh_version", "廢止：2024-12-08{}", "repeals: 2024-12-08"),
];

/// Keyword rules of the grammar that are tested elsewhere, and where.
const ELSEWHERE: &[(&str, &str)] = &[("zh_numeral", "numerals_read_as_numbers")];

/// Every `zh_*` rule of the grammar written on one line, with the string literals it holds.
fn chinese_keywords() -> BTreeMap<&'static str, Vec<&'static str>> {
    let mut rules = BTreeMap::new();
    for line in GRAMMAR.lines() {
        let Some((name, body)) = line.split_once('=') else {
            continue;
        };
        let name = name.trim();
        if !name.starts_with("zh_") {
            continue;
        }
        let literals: Vec<&str> = body.split('"').skip(1).step_by(2).collect();
        if !literals.is_empty() {
            rules.insert(name, literals);
        }
    }
    rules
}

fn same_meaning(rule: &str, chinese: &str, english: &str) {
    let expected = parse(english).unwrap_or_else(|e| panic!("`{english}` parses: {e:?}"));
    match parse(chinese) {
        Ok(document) => assert_eq!(
            document, expected,
            "`{chinese}` ({rule}) means what `{english}` does"
        ),
        Err(problems) => panic!(
            "`{chinese}` ({rule}) does not parse: {:?}",
            problems.iter().map(ToString::to_string).collect::<Vec<_>>()
        ),
    }
}

#[test]
fn every_chinese_keyword_form_means_what_its_english_twin_means() {
    let keywords = chinese_keywords();
    assert!(
        keywords.len() > 80,
        "the grammar's Chinese keywords are read"
    );
    let phrases: BTreeMap<&str, &[&str]> = PHRASES.iter().copied().collect();
    let mut tested = 0;
    for (rule, literals) in &keywords {
        if ELSEWHERE.iter().any(|(r, _)| r == rule) {
            continue;
        }
        let forms: Vec<&str> = match phrases.get(rule) {
            Some(forms) => {
                for literal in literals {
                    assert!(
                        forms.iter().any(|f| f.contains(literal)),
                        "no form of {rule} uses `{literal}`"
                    );
                }
                forms.to_vec()
            }
            None => literals.clone(),
        };
        let samples: Vec<_> = SAMPLES
            .iter()
            .chain(PHRASE_SAMPLES)
            .filter(|(r, ..)| r == rule)
            .collect();
        assert!(!samples.is_empty(), "no sample for the keyword {rule}");
        for (_, chinese, english) in samples {
            for form in &forms {
                same_meaning(rule, &chinese.replace("{}", form), english);
                tested += 1;
            }
        }
    }
    assert!(tested > 250, "{tested} forms tested");
}

#[test]
fn constructs_read_in_chinese_word_order() {
    for (chinese, english) in [
        (
            "1.1 遲到：扣罰第一次15元，第二次30元，第三次起50元",
            "1.1 遲到: fine 15 the 1st time, 30 the 2nd time, 50 from the 3rd time on",
        ),
        (
            "1.1 遲到：第一次扣罰15元，第二次扣罰30元，第三次起扣罰50元",
            "1.1 遲到: fine 15 the 1st time, 30 the 2nd time, 50 from the 3rd time on",
        ),
        (
            "1.1 遲到：扣罰第一次15元、從第二次起30元",
            "1.1 遲到: fine 15 the 1st time, 30 from the 2nd time on",
        ),
        (
            "3.10 回避：扣罰50元；第三次解雇",
            "3.10 回避: fine 50, and dismissal the 3rd time",
        ),
        (
            "3.11 索取小費者，每次扣罰200元，情節嚴重者，給予解雇處理；",
            "3.11 索取小費: fine 200, and dismissal when 情節嚴重",
        ),
        (
            "5.5 服務之星，每次獎勵200-300元；成績顯著者，經公司領導核準同意後，可晉升一級。",
            "5.5 服務之星: reward 200 to 300, and promotion by 1 grade when 成績顯著, subject to approval",
        ),
        (
            "5.2 建議被採納：獎勵30元至50元",
            "5.2 建議被採納: reward 30 to 50",
        ),
        (
            "4.1 每月，名冊上每人沒有任何出勤事件（遲到、早退、病假或缺勤）者，獎勵15元；",
            "4.1 each month, every person on the roster with no 出勤事件 (遲到, 早退, 病假 or 缺勤): reward 15",
        ),
        (
            "4.4 每季，名冊上每人遲到少於3次者：獎勵15元",
            "4.4 each quarter, every person on the roster with less than 3 遲到: reward 15",
        ),
        (
            "4.4 每季，名冊上每人遲到不超過三次者：獎勵15元",
            "4.4 each quarter, every person on the roster with at most 3 遲到: reward 15",
        ),
        (
            "1.2 電話未接，響聲超過三次，且若嚴重：扣罰15元",
            "1.2 電話未接 with a 響聲 of more than 3 and when 嚴重: fine 15",
        ),
        (
            "1.2 電話未接，響聲超過三次，若嚴重：扣罰15元",
            "1.2 電話未接 with a 響聲 of more than 3 and when 嚴重: fine 15",
        ),
        ("1.1 「同一時間」：扣罰15元", "1.1 \"同一時間\": fine 15"),
        (
            "3.9 在同一季度內，每三次獎勵：另加50元",
            "3.9 in the same quarter, every 3rd reward: an extra 50",
        ),
        (
            "3.9 在同一年度中，從第三次扣罰起：按最近三次中最重的基數的3倍處罰",
            "3.9 in the same year, from the 3rd fine on: 3 times the heaviest base of the last 3",
        ),
        ("生效日期：2025年8月15日", "effective: 2025-08-15"),
        ("生效日期：2025年12月1號", "effective: 2025-12-01"),
        ("1.1不穿制服：扣罰十五元", "1.1 不穿制服: fine 15"),
        (
            "5.5 服務之星：晉升兩級",
            "5.5 服務之星: promotion by 2 grades",
        ),
        ("二十、附則", "section 20: 附則"),
        // Found by a review: wording managers write.
        ("1、不穿制服者，每次扣罰15元；", "1 不穿制服: fine 15"),
        ("1.1、不穿制服：扣罰15元", "1.1 不穿制服: fine 15"),
        (
            "4.3 拾金不昧，價值三百元以上者：獎勵20元",
            "4.3 拾金不昧 with a 價值 of at least 300: reward 20",
        ),
        (
            "1.2 電話未接，響聲三次及以上：扣罰15元",
            "1.2 電話未接 with a 響聲 of at least 3: fine 15",
        ),
        (
            "1.2 電話未接，響聲 超過三次：扣罰15元",
            "1.2 電話未接 with a 響聲 of more than 3: fine 15",
        ),
        (
            "3.11 索取小費，情節嚴重者，扣罰200元",
            "3.11 索取小費 when 情節嚴重: fine 200",
        ),
        (
            "3.10 回避：扣罰50元，若情節嚴重，給予解雇處理",
            "3.10 回避: fine 50, and dismissal when 情節嚴重",
        ),
        (
            "3.10 回避：扣罰50元；情節嚴重者給予解雇",
            "3.10 回避: fine 50, and dismissal when 情節嚴重",
        ),
        (
            "4.1 每個月，名冊上每人沒有遲到：獎勵15元",
            "4.1 each month, every person on the roster with no 遲到: reward 15",
        ),
        (
            "4.1 超時工作、遲到：不予處理",
            "4.1 超時工作, 遲到: no consequence",
        ),
        ("1.1 每月報表未交者，扣罰20元", "1.1 每月報表未交: fine 20"),
        (
            "1.1 同一問題重複出現者：扣罰20元",
            "1.1 同一問題重複出現: fine 20",
        ),
        (
            "1.1 從第三方收取回扣者：扣罰20元",
            "1.1 從第三方收取回扣: fine 20",
        ),
        ("\u{FEFF}標題：測試", "title: 測試"),
        (
            "1.2 電話未接，響聲超過３次：扣罰１５元",
            "1.2 電話未接 with a 響聲 of more than 3: fine 15",
        ),
        (
            "5.5 服務之星：晉升１級",
            "5.5 服務之星: promotion by 1 grade",
        ),
        ("貨幣：人民幣", "currency: CNY"),
        ("货币：人民币", "currency: CNY"),
        ("時區：北京時間", "time zone: +08:00"),
        ("时区：北京时间", "time zone: +08:00"),
        (
            "4.1 每月，名冊上每人沒有遲到者，每月獎勵15元",
            "4.1 each month, every person on the roster with no 遲到: reward 15",
        ),
    ] {
        same_meaning("construct", chinese, english);
    }
}

#[test]
fn numerals_read_as_numbers() {
    use super::numerals::chinese_numeral;
    for (text, value) in [
        ("〇", 0),
        ("零", 0),
        ("一", 1),
        ("二", 2),
        ("兩", 2),
        ("两", 2),
        ("三", 3),
        ("四", 4),
        ("五", 5),
        ("六", 6),
        ("七", 7),
        ("八", 8),
        ("九", 9),
        ("十", 10),
        ("十五", 15),
        ("二十", 20),
        ("二十一", 21),
        ("一百", 100),
        ("一百零五", 105),
        ("三百二十", 320),
        ("兩千", 2000),
        ("一千零一", 1001),
        ("三萬", 30_000),
        ("一万二千", 12_000),
        ("三萬零五百", 30_500),
        ("一千零五十", 1050),
        // Spoken short forms: the last digit counts the unit below.
        ("一百一", 110),
        ("一千二", 1200),
        ("兩千五", 2500),
        ("三萬五", 35_000),
        ("一千二萬", 12_000_000),
    ] {
        assert_eq!(chinese_numeral(text), Some(value), "{text}");
    }
    for bad in [
        "三五",
        "十十",
        "百十百",
        "萬",
        "一零",
        "零十",
        "一百零十",
        "九九九九九九萬萬",
    ] {
        assert_eq!(chinese_numeral(bad), None, "{bad}");
    }
}
