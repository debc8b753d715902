//! The words the language shares across its stages: comparisons, fine or reward, periods,
//! "the Nth", units and measure types. A leaf: the syntax tree, the compiled rulebook, the
//! calendar and the evaluator all use it, and it uses nothing of theirs.

use std::ops::Bound;

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

/// An interval of a measure's values, each end open, closed or unbounded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interval {
    /// The low end.
    pub low: Bound<Decimal>,
    /// The high end.
    pub high: Bound<Decimal>,
}

impl Interval {
    /// Every value.
    pub const ALL: Interval = Interval {
        low: Bound::Unbounded,
        high: Bound::Unbounded,
    };

    /// The values for which `value op bound` holds.
    pub fn from_comparison(op: Comparison, bound: Decimal) -> Interval {
        use Bound::{Excluded, Included, Unbounded};
        let (low, high) = match op {
            Comparison::Gt => (Excluded(bound), Unbounded),
            Comparison::Ge => (Included(bound), Unbounded),
            Comparison::Lt => (Unbounded, Excluded(bound)),
            Comparison::Le => (Unbounded, Included(bound)),
            Comparison::Eq => (Included(bound), Included(bound)),
        };
        Interval { low, high }
    }

    /// Whether `value` lies in the interval.
    pub fn contains(&self, value: Decimal) -> bool {
        let above_low = match self.low {
            Bound::Included(low) => value >= low,
            Bound::Excluded(low) => value > low,
            Bound::Unbounded => true,
        };
        let below_high = match self.high {
            Bound::Included(high) => value <= high,
            Bound::Excluded(high) => value < high,
            Bound::Unbounded => true,
        };
        above_low && below_high
    }

    /// The values in both intervals.
    pub fn intersect(&self, other: &Interval) -> Interval {
        Interval {
            low: tighter(self.low, other.low, true),
            high: tighter(self.high, other.high, false),
        }
    }

    /// Whether no value lies in the interval.
    pub fn is_empty(&self) -> bool {
        use Bound::{Excluded, Included};
        match (self.low, self.high) {
            (Included(low), Included(high)) => low > high,
            (Included(low) | Excluded(low), Included(high) | Excluded(high)) => low >= high,
            _ => false,
        }
    }
}

/// Of two bounds on the same side, the one that admits fewer values.
fn tighter(a: Bound<Decimal>, b: Bound<Decimal>, low_side: bool) -> Bound<Decimal> {
    use Bound::{Excluded, Included, Unbounded};
    match (a, b) {
        (Unbounded, other) | (other, Unbounded) => other,
        (Included(x) | Excluded(x), Included(y) | Excluded(y)) if x != y => {
            if (x > y) == low_side {
                a
            } else {
                b
            }
        }
        (Excluded(x), _) | (_, Excluded(x)) => Excluded(x),
        (Included(x), Included(_)) => Included(x),
    }
}

/// The values of an interval in words: `from 10 to 15`, `more than 60`, `any value`.
pub(crate) fn interval_words(interval: &Interval) -> String {
    use std::ops::Bound::{Excluded, Included, Unbounded};
    match (interval.low, interval.high) {
        (Included(low), Included(high)) if low == high => format!("exactly {low}"),
        (Included(low), Included(high)) => format!("from {low} to {high}"),
        (Unbounded, Unbounded) => "of any size".to_owned(),
        (low, high) => {
            let low = match low {
                Included(v) => Some(format!("at least {v}")),
                Excluded(v) => Some(format!("more than {v}")),
                Unbounded => None,
            };
            let high = match high {
                Included(v) => Some(format!("at most {v}")),
                Excluded(v) => Some(format!("less than {v}")),
                Unbounded => None,
            };
            low.into_iter()
                .chain(high)
                .collect::<Vec<_>>()
                .join(" and ")
        }
    }
}

/// The canonical words of a comparison.
pub(crate) fn comparison_words(op: Comparison) -> &'static str {
    match op {
        Comparison::Gt => "more than",
        Comparison::Ge => "at least",
        Comparison::Lt => "less than",
        Comparison::Le => "at most",
        Comparison::Eq => "exactly",
    }
}

/// The English suffix of ordinal `n`.
pub(crate) fn ordinal_suffix(n: u32) -> &'static str {
    match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    }
}
