//! The words the language shares across its stages: comparisons, fine or reward, periods,
//! "the Nth", units and measure types. A leaf: the syntax tree, the compiled rulebook, the
//! calendar and the evaluator all use it, and it uses nothing of theirs.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// What kind of value a measure (event attribute) holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum MeasureType {
    /// A JSON integer (`measure rings: whole number`).
    WholeNumber,
    /// Any JSON number, read exactly (`measure minutes: number`).
    Number,
    /// `true` or `false`; absent means `false` (`measure severe: flag`).
    Flag,
    /// A string, such as the id of a related person (`measure manager: text`).
    Text,
}

impl MeasureType {
    /// The words a rule file uses for the type.
    pub fn words(self) -> &'static str {
        match self {
            MeasureType::WholeNumber => "whole number",
            MeasureType::Number => "number",
            MeasureType::Flag => "flag",
            MeasureType::Text => "text",
        }
    }

    /// The type's words in Chinese, for diagnostics.
    pub(crate) fn chinese_words(self) -> &'static str {
        match self {
            MeasureType::WholeNumber => "整數",
            MeasureType::Number => "數字",
            MeasureType::Flag => "是非標記",
            MeasureType::Text => "文字",
        }
    }

    /// The type's words in English and Chinese, for diagnostics.
    pub(crate) fn text(self) -> crate::lang::Text {
        crate::lang::Text::new(self.words(), self.chinese_words())
    }
}

/// A comparison of a measure with a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Comparison {
    /// `more than`
    Gt,
    /// `at least`
    Ge,
    /// `less than`
    Lt,
    /// `at most`
    Le,
    /// `exactly`
    Eq,
}

impl Comparison {
    /// The mathematical symbol (`>`, `>=`, `<`, `<=`, `=`).
    pub fn symbol(self) -> &'static str {
        match self {
            Comparison::Gt => ">",
            Comparison::Ge => ">=",
            Comparison::Lt => "<",
            Comparison::Le => "<=",
            Comparison::Eq => "=",
        }
    }

    /// Whether `left op right` holds.
    pub fn holds(self, left: Decimal, right: Decimal) -> bool {
        match self {
            Comparison::Gt => left > right,
            Comparison::Ge => left >= right,
            Comparison::Lt => left < right,
            Comparison::Le => left <= right,
            Comparison::Eq => left == right,
        }
    }
}

/// Fine or reward.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Direction {
    /// Money (or points) taken from a person.
    Fine,
    /// Money (or points) paid to a person.
    Reward,
}

impl Direction {
    /// The English word: `fine` or `reward` (as JSON writes it).
    pub fn word(self) -> &'static str {
        match self {
            Direction::Fine => "fine",
            Direction::Reward => "reward",
        }
    }
}

/// A calendar period of the rulebook's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Period {
    /// A calendar month.
    Month,
    /// A calendar quarter (January–March, …).
    Quarter,
    /// A calendar year.
    Year,
}

impl Period {
    /// The English word for the period.
    pub fn word(self) -> &'static str {
        match self {
            Period::Month => "month",
            Period::Quarter => "quarter",
            Period::Year => "year",
        }
    }
}

/// Which occurrences an escalation or an ordinal amount picks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Nth {
    /// Only the nth (`only the 3rd`, `the 3rd time`).
    Only(u32),
    /// The nth and every later one (`from the 3rd on`).
    From(u32),
    /// Every nth: the nth, 2nth, 3nth, … (`every 3rd`).
    Every(u32),
}

impl Nth {
    /// Whether the `count`th occurrence (counting from 1) is picked.
    pub fn picks(self, count: u64) -> bool {
        match self {
            Nth::Only(n) => count == u64::from(n),
            Nth::From(n) => count >= u64::from(n),
            Nth::Every(n) => n > 0 && count > 0 && count.is_multiple_of(u64::from(n)),
        }
    }
}

/// What an amount counts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Unit {
    /// The rulebook's currency.
    #[default]
    Currency,
    /// Points instead of money.
    Points,
}
