//! Exact amounts of money (or points): integer minor units, checked arithmetic.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// An exact amount in minor units (fen for CNY): `Money::from_minor(1250)` is 12.5.
///
/// Every operation is checked; nothing here rounds or uses floating point. It serializes as a
/// JSON number in major units (`15`, `12.5`), the form `docs/semantics.md` §7 prints.
///
/// ```
/// use rulebook::Money;
/// let fine: Money = "12.5".parse().unwrap();
/// assert_eq!(fine.minor_units(), 1250);
/// assert_eq!(fine.checked_mul(2), Some(Money::from_minor(2500)));
/// assert_eq!(fine.to_string(), "12.5");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(i64);

/// How many minor units make one major unit (fen per yuan).
const MINOR_PER_MAJOR: i64 = 100;
/// Digits after the decimal point that an amount may have.
pub(crate) const MINOR_DIGITS: u32 = 2;

/// Why a written number is not an amount of money.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoneyError {
    /// More decimal places than the minor unit allows (a fraction of a fen).
    FractionOfMinorUnit,
    /// Larger than the money type holds.
    TooLarge,
    /// Not a decimal number at all.
    NotANumber,
}

impl Money {
    /// Zero.
    pub const ZERO: Money = Money(0);
    /// The largest amount the type holds.
    pub const MAX: Money = Money(i64::MAX);

    /// An amount of `minor` minor units (fen).
    pub const fn from_minor(minor: i64) -> Money {
        Money(minor)
    }

    /// An amount of whole major units (yuan), if it fits.
    pub fn from_major(major: i64) -> Option<Money> {
        major.checked_mul(MINOR_PER_MAJOR).map(Money)
    }

    /// The amount in minor units (fen).
    pub const fn minor_units(self) -> i64 {
        self.0
    }

    /// The exact decimal value in major units.
    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.0, MINOR_DIGITS)
    }

    /// Converts an exact decimal in major units, refusing fractions of a minor unit and
    /// values the type cannot hold.
    pub fn from_decimal(value: Decimal) -> Result<Money, MoneyError> {
        let scaled = value
            .checked_mul(Decimal::from(MINOR_PER_MAJOR))
            .ok_or(MoneyError::TooLarge)?;
        if !scaled.fract().is_zero() {
            return Err(MoneyError::FractionOfMinorUnit);
        }
        i64::try_from(scaled)
            .map(Money)
            .map_err(|_| MoneyError::TooLarge)
    }

    /// `self + other`, or `None` on overflow.
    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    /// `self - other`, or `None` on overflow.
    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.0.checked_sub(other.0).map(Money)
    }

    /// `self × factor`, or `None` on overflow.
    pub fn checked_mul(self, factor: i64) -> Option<Money> {
        self.0.checked_mul(factor).map(Money)
    }

    /// Whether the amount is above zero.
    pub const fn is_positive(self) -> bool {
        self.0 > 0
    }
}

impl fmt::Display for Money {
    /// Major units, without trailing zeros: `15`, `12.5`, `0.05`, `-3`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.to_decimal().normalize(), f)
    }
}

impl std::str::FromStr for Money {
    type Err = MoneyError;

    fn from_str(s: &str) -> Result<Money, MoneyError> {
        let value: Decimal = s.parse().map_err(|e| match e {
            rust_decimal::Error::ExceedsMaximumPossibleValue
            | rust_decimal::Error::LessThanMinimumPossibleValue => MoneyError::TooLarge,
            _ => MoneyError::NotANumber,
        })?;
        Money::from_decimal(value)
    }
}

impl Serialize for Money {
    /// A JSON number in major units, written from its exact decimal text (`15`, `12.5`):
    /// never through floating point. Serializers other than serde_json's see the text.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.0 % MINOR_PER_MAJOR == 0 {
            return serializer.serialize_i64(self.0 / MINOR_PER_MAJOR);
        }
        match serde_json::value::RawValue::from_string(self.to_string()) {
            Ok(raw) => raw.serialize(serializer),
            Err(_) => serializer.serialize_str(&self.to_string()),
        }
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Money, D::Error> {
        deserializer.deserialize_any(MoneyVisitor)
    }
}

struct MoneyVisitor;

impl serde::de::Visitor<'_> for MoneyVisitor {
    type Value = Money;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an amount with at most two decimals")
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Money, E> {
        Money::from_major(v).ok_or_else(|| E::custom("amount too large"))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Money, E> {
        i64::try_from(v)
            .ok()
            .and_then(Money::from_major)
            .ok_or_else(|| E::custom("amount too large"))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Money, E> {
        // Read the number's shortest decimal rendering, exactly.
        self.visit_str(&v.to_string())
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Money, E> {
        v.parse().map_err(|e: MoneyError| E::custom(e))
    }
}

impl fmt::Display for MoneyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MoneyError::FractionOfMinorUnit => "an amount has at most two decimals",
            MoneyError::TooLarge => "amount too large",
            MoneyError::NotANumber => "not a number",
        })
    }
}

impl std::error::Error for MoneyError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_exactly() {
        for (text, minor, shown) in [
            ("15", 1500, "15"),
            ("12.5", 1250, "12.5"),
            ("0.05", 5, "0.05"),
            ("12.50", 1250, "12.5"),
            ("-3", -300, "-3"),
        ] {
            let m: Money = text.parse().unwrap();
            assert_eq!(m.minor_units(), minor, "{text}");
            assert_eq!(m.to_string(), shown, "{text}");
        }
        assert_eq!(
            "0.001".parse::<Money>(),
            Err(MoneyError::FractionOfMinorUnit)
        );
        assert_eq!(
            "99999999999999999999".parse::<Money>(),
            Err(MoneyError::TooLarge)
        );
        assert_eq!("abc".parse::<Money>(), Err(MoneyError::NotANumber));
    }

    #[test]
    fn arithmetic_is_checked() {
        assert_eq!(Money::MAX.checked_add(Money::from_minor(1)), None);
        assert_eq!(Money::MAX.checked_mul(2), None);
        assert_eq!(
            Money::from_minor(1500).checked_mul(2),
            Some(Money::from_minor(3000))
        );
    }
}
