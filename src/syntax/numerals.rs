//! Chinese numerals, dates and header words, as managers write them in a rule file.

/// Full-width digits (`１５`) as ASCII ones; `None` when `text` has none.
pub(crate) fn ascii_digits(text: &str) -> Option<String> {
    text.contains(|c| matches!(c, '０'..='９')).then(|| {
        text.chars()
            .map(|c| match c {
                '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
                other => other,
            })
            .collect()
    })
}

/// `2025年8月15日` (or `…15號`) as `2025-08-15`; `None` for any other text. The grammar has
/// checked the shape: four digits, then one or two, then one or two.
pub(crate) fn iso_date(text: &str) -> Option<String> {
    if text.contains('-') {
        return None;
    }
    let parts: Vec<&str> = text
        .split(['年', '月', '日', '號', '号'])
        .filter(|part| !part.is_empty())
        .collect();
    match parts.as_slice() {
        [year, month, day] => Some(format!("{year}-{month:0>2}-{day:0>2}")),
        _ => None,
    }
}

/// The value of a Chinese numeral as written in documents: `三` 3, `十五` 15, `二十` 20,
/// `一百零五` 105, `兩千` 2000, `三萬` 30,000, and the spoken short forms where a last digit
/// counts the unit below the one before it: `一百一` 110, `兩千五` 2500, `三萬五` 35,000.
/// `None` when it is not a well-formed numeral (`三五`, `十十`, `零十`) or does not fit in 32
/// bits.
pub(crate) fn chinese_numeral(text: &str) -> Option<u32> {
    let mut total: u64 = 0; // completed groups of 萬
    let mut group: u64 = 0; // within the current group of 萬
    let mut digit: Option<u64> = None; // a digit waiting for its multiplier
    let mut last_unit = u64::MAX; // the last multiplier seen in this group, which must fall
    // The multiplier just before the waiting digit, with no 零 between: 兩千五 is 2500.
    let mut after_unit: Option<u64> = None;
    // A digit with no multiplier after it: alone, or the short form's last digit.
    let settle = |digit: Option<u64>, after_unit: Option<u64>| match (digit, after_unit) {
        (Some(d), Some(unit)) => d * (unit / 10),
        (Some(d), None) => d,
        (None, _) => 0,
    };
    let mut previous_unit: Option<u64> = None;
    for c in text.chars() {
        let value = match c {
            '〇' | '零' => Some(0),
            '一' => Some(1),
            '二' | '兩' | '两' => Some(2),
            '三' => Some(3),
            '四' => Some(4),
            '五' => Some(5),
            '六' => Some(6),
            '七' => Some(7),
            '八' => Some(8),
            '九' => Some(9),
            _ => None,
        };
        if let Some(value) = value {
            if digit.is_some_and(|d| d != 0) {
                return None; // two digits in a row: 三五
            }
            // 一百零五: after 零 the digit counts ones again.
            after_unit = if digit == Some(0) {
                None
            } else {
                previous_unit
            };
            digit = Some(value);
            previous_unit = None;
            continue;
        }
        if digit == Some(0) {
            return None; // 零十
        }
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            '萬' | '万' => {
                let group_value = group + settle(digit.take(), after_unit);
                if group_value == 0 {
                    return None;
                }
                total = total.checked_add(group_value)?.checked_mul(10_000)?;
                group = 0;
                last_unit = u64::MAX;
                previous_unit = Some(10_000);
                continue;
            }
            _ => return None,
        };
        if unit >= last_unit {
            return None; // 十百, 百百
        }
        // 十五 is 15: a multiplier with no digit before it counts one.
        group += digit.take().unwrap_or(1) * unit;
        last_unit = unit;
        previous_unit = Some(unit);
    }
    let value = total.checked_add(group + settle(digit, after_unit))?;
    u32::try_from(value).ok()
}

/// A currency or time zone as Chinese headers may write it, as the code or offset it means;
/// anything else as it is.
pub(crate) fn chinese_header_word(text: &str) -> &str {
    match text {
        "人民幣" | "人民币" => "CNY",
        "北京時間" | "北京时间" => "+08:00",
        other => other,
    }
}
