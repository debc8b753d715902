//! The Chinese of every problem's message: one arm per [`ProblemKind`], written in
//! Traditional characters (a Simplified file is shown them converted, [`chinese_in`]).

use super::{Problem, ProblemKind};
use crate::lang::verbatim;

impl Problem {
    /// A fragment the kind holds in English, in the problem's (Chinese) language: its term's
    /// Chinese, or else the fragment itself; marked to be shown as it is.
    fn term(&self, english: &str) -> String {
        let term = self.terms.iter().find(|term| term.english() == english);
        verbatim(term.map_or(english, |term| term.in_language(self.language)))
    }

    /// The message in Traditional Chinese, with what it quotes marked [`verbatim`] (and the
    /// fragments, already in the problem's script).
    pub(super) fn chinese_message(&self) -> String {
        let q = |text: &str| verbatim(text);
        let t = |english: &str| self.term(english);
        match &self.kind {
            // `expected` holds the grammar's words only: in Traditional characters, they are
            // shown in Simplified ones to a Simplified file, as the template is.
            ProblemKind::Syntax { expected, found } => format!("應為{expected}，卻是{}", q(found)),
            ProblemKind::FileTooLarge { bytes, limit } => {
                format!("規則文件有 {bytes} 字節；規則文件最多只能有 {limit} 字節")
            }
            ProblemKind::NotUtf8 => "規則文件從這裡起不是 UTF-8 文字".to_owned(),
            ProblemKind::LineTooLong { bytes, limit } => {
                format!("這一行有 {bytes} 字節；規則文件的一行最多只能有 {limit} 字節")
            }
            ProblemKind::ControlCharacter { ch } => {
                format!("規則文件中不能有控制字符 `{}`", ch.escape_default())
            }
            ProblemKind::TooManyRules { what, count, limit } => {
                format!("{}最多只能有 {limit} 條規則；這是第 {count} 條", t(what))
            }
            ProblemKind::TooComplex { reason } => {
                format!("規則文件太複雜，無法讀取：解析器放棄了（{}）", q(reason))
            }
            ProblemKind::Empty => "規則文件既沒有表頭，也沒有規則".to_owned(),
            ProblemKind::NoRules => "規則文件沒有任何規則".to_owned(),
            ProblemKind::MissingHeader { field } => {
                format!("表頭缺少 `{}：` 一行", t(field))
            }
            ProblemKind::DuplicateHeader { field } => {
                format!("`{}：` 寫了兩次", t(field))
            }
            ProblemKind::BadDate { text } => format!("`{}` 不是有效的日期", q(text)),
            ProblemKind::BadTimeZone { text } => {
                format!("`{}` 不是有效的時區偏移", q(text))
            }
            ProblemKind::RepealNotOlder {
                repealed,
                effective,
            } => format!(
                "廢止的 `{}` 版本並不早於生效日期 `{}`",
                q(repealed),
                q(effective)
            ),
            ProblemKind::UntilBeforeEffective { until, effective } => format!(
                "此版本有效期至 `{}`，早於它生效的 `{}`",
                q(until),
                q(effective)
            ),
            ProblemKind::TooManyVersions { count, limit } => {
                format!("載入了 {count} 個版本；最多只能載入 {limit} 個")
            }
            ProblemKind::SameEffectiveDate { date, other } => format!(
                "`{}` 中 `{}` 的版本也在 `{}` 生效",
                q(other),
                q(date),
                q(date)
            ),
            ProblemKind::BothInForce {
                earlier,
                other,
                from,
            } => format!(
                "從 `{}` 起，此版本與 `{}` 中 `{}` 的版本會同時生效",
                q(from),
                q(other),
                q(earlier)
            ),
            ProblemKind::VersionGap { from, to, other } => format!(
                "從 `{}` 到 `{}` 沒有任何版本生效：`{}` 中的版本在此之前已經失效",
                q(from),
                q(to),
                q(other)
            ),
            ProblemKind::RepealedVersionMissing { date, loaded } => format!(
                "廢止的 `{}` 版本不在載入的版本（{}）之中",
                q(date),
                t(loaded)
            ),
            ProblemKind::VersionsDiffer {
                what,
                here,
                there,
                other,
            } => format!(
                "{}在此是 `{}`，在 `{}` 中卻是 `{}`",
                t(what),
                t(here),
                q(other),
                t(there)
            ),
            ProblemKind::NotPositive { text } => format!("金額 `{}` 必須大於零", q(text)),
            ProblemKind::FractionOfMinorUnit { text } => {
                format!("金額 `{}` 超過兩位小數", q(text))
            }
            ProblemKind::TooLarge { what, text } => format!("{} `{}` 太大", t(what), q(text)),
            ProblemKind::Zero { what, text } => {
                format!("{} `{}` 至少要是 1", t(what), q(text))
            }
            ProblemKind::BadOrdinal { text } => format!("`{}` 不是序數", q(text)),
            ProblemKind::BadNumeral { text } => format!("`{}` 不是數字", q(text)),
            ProblemKind::TwoEventNames {
                name,
                first,
                second,
            } => format!(
                "`{}` 在事件流中的名稱是 `{}`，又寫成了 `{}`",
                q(name),
                q(first),
                q(second)
            ),
            ProblemKind::ReversedRange { low, high } => {
                format!("範圍 `{} 至 {}` 的兩端顛倒了", q(low), q(high))
            }
            ProblemKind::EmptyRange { low, high } => {
                format!("範圍 `{} 至 {}` 只有一個值", q(low), q(high))
            }
            ProblemKind::OverlappingRules { kind, label, other } => format!(
                "`{}` 的規則 `{}` 與規則 `{}` 重疊",
                q(kind),
                q(label),
                q(other)
            ),
            ProblemKind::OverlappingBands { kind, band, other } => format!(
                "`{}` 的分段 `{}` 與分段 `{}` 重疊",
                q(kind),
                t(band),
                t(other)
            ),
            ProblemKind::OverlappingEscalations {
                label,
                other,
                entries,
            } => format!(
                "累進規則 `{}` 與累進規則 `{}` 計算的{}相同",
                q(label),
                q(other),
                t(entries)
            ),
            ProblemKind::UnknownKind { kind } => format!("未知的事件類型 `{}`", q(kind)),
            ProblemKind::UndeclaredKind { kind } => format!("事件類型 `{}` 沒有聲明", q(kind)),
            ProblemKind::UnusedKind { kind } => {
                format!("事件類型 `{}` 已聲明，但沒有規則針對它", q(kind))
            }
            ProblemKind::UndeclaredMeasure { measure } => {
                format!("計量 `{}` 沒有聲明", q(measure))
            }
            ProblemKind::UnknownSection { section } => {
                format!("未知的章節 `{}`", q(section))
            }
            ProblemKind::DuplicateMeasure { measure } => {
                format!("計量 `{}` 聲明了兩次", q(measure))
            }
            ProblemKind::MeasureTypeMismatch {
                measure,
                here,
                elsewhere,
            } => format!(
                "計量 `{}` 在這裡當作{}使用，但它是{}",
                q(measure),
                t(here),
                t(elsewhere)
            ),
            ProblemKind::DuplicateSection { section } => {
                format!("章節 `{}` 聲明了兩次", q(section))
            }
            ProblemKind::NotAllowed { what, place } => {
                format!("{}中不能使用{}", t(place), t(what))
            }
            ProblemKind::TwoAmounts { label, target } => {
                format!("規則 `{}` 給了{}兩個金額", q(label), t(target))
            }
            ProblemKind::CountsAsLoop { kinds } => format!("規則形成循環：{}", t(kinds)),
            ProblemKind::MixedUnits { what } => format!("{}混用了金額和積分", t(what)),
            ProblemKind::RelatedOfSeveral { label, role } => format!(
                "規則 `{}` 向其 `{}` 收取金額，但它的事件可能列出多人",
                q(label),
                q(role)
            ),
            ProblemKind::Internal { what } => {
                format!("內部錯誤：{}；請回報此問題", q(what))
            }
        }
    }
}
