//! Events as other systems send them: one JSON object per line, read exactly (numbers as
//! decimals from their text, never through floating point), each line accounted for.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::io::BufRead;

use crate::limits::MAX_EVENT_LINE_BYTES;

use rust_decimal::Decimal;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::value::RawValue;

use crate::rejection::Rejection;

/// One event: when, who, what kind, and the measures it carries.
///
/// ```
/// use rulebook::{Event, Value};
/// let event = Event::from_json(r#"{"at": "2025-08-18", "who": "E001", "event": "phone unanswered", "rings": 5}"#).unwrap();
/// assert_eq!(event.kind, "phone unanswered");
/// assert_eq!(event.attributes["rings"], Value::Integer(5));
/// ```
///
/// Deserializing an `Event` with serde reads its JSON text with [`Event::from_json`], so that
/// numbers stay exact (serde would otherwise hand them over as floating point, rounded); it
/// therefore works with `serde_json` only, and an event `from_json` rejects is an error.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Event {
    /// When: a date, a local date and time, or a date and time with an offset, in the forms
    /// [`Stamp::parse`](crate::Stamp::parse) reads; local values are read in the rulebook's
    /// time zone.
    pub at: String,
    /// The person, or for a collective event every person named.
    pub who: Who,
    /// The event kind, matched exactly against the rulebook's kinds.
    #[serde(rename = "event")]
    pub kind: String,
    /// Every other field: the measures the rules read (unknown ones are ignored).
    #[serde(flatten)]
    pub attributes: BTreeMap<String, Value>,
}

impl Event {
    /// An event with no attributes.
    pub fn new(at: impl Into<String>, who: impl Into<Who>, kind: impl Into<String>) -> Event {
        Event {
            at: at.into(),
            who: who.into(),
            kind: kind.into(),
            attributes: BTreeMap::new(),
        }
    }

    /// The event with one more attribute.
    #[must_use]
    pub fn with(mut self, name: impl Into<String>, value: impl Into<Value>) -> Event {
        self.attributes.insert(name.into(), value.into());
        self
    }

    /// Reads one JSON object, as `rulebook eval` reads each input line. Numbers are read
    /// exactly from their text; a key given twice, a missing or ill-typed `at`, `who` or
    /// `event`, or an empty or repeated person is a rejection.
    pub fn from_json(line: &str) -> Result<Event, Rejection> {
        let object: RawObject<'_> = serde_json::from_str(line).map_err(|error| {
            if error.is_data() {
                Rejection::NotAnObject
            } else {
                Rejection::NotJson {
                    detail: json_detail(&error),
                }
            }
        })?;
        let mut at = None;
        let mut who = None;
        let mut kind = None;
        let mut attributes = BTreeMap::new();
        for (key, raw) in object.0 {
            let slot_taken = match key.as_ref() {
                "at" => at.replace(raw).is_some(),
                "who" => who.replace(raw).is_some(),
                "event" => kind.replace(raw).is_some(),
                _ => attributes
                    .insert(key.clone().into_owned(), Value::from_raw(raw))
                    .is_some(),
            };
            if slot_taken {
                return Err(Rejection::DuplicateField {
                    field: key.into_owned(),
                });
            }
        }
        let text_field =
            |field: &'static str, raw: Option<&RawValue>| -> Result<String, Rejection> {
                let raw = raw.ok_or(Rejection::MissingField { field })?;
                match Value::from_raw(raw) {
                    Value::Text(text) => Ok(text),
                    other => Err(Rejection::IllTypedField {
                        field,
                        expected: "a string",
                        found: other.type_name(),
                    }),
                }
            };
        let at = text_field("at", at)?;
        let kind = text_field("event", kind)?;
        let who = Who::from_raw(who.ok_or(Rejection::MissingField { field: "who" })?)?;
        Ok(Event {
            at,
            who,
            kind,
            attributes,
        })
    }
}

impl<'de> Deserialize<'de> for Event {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Event, D::Error> {
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        Event::from_json(raw.get()).map_err(de::Error::custom)
    }
}

/// The first name that repeats an earlier one, in linear time: short lists (the common
/// case) are compared pairwise without allocating, longer ones through a hash set.
pub(crate) fn first_repeated(names: &[String]) -> Option<&String> {
    /// Up to this many names, comparing pairs is cheaper than hashing.
    const PAIRWISE_UP_TO: usize = 16;
    if names.len() <= PAIRWISE_UP_TO {
        first_repeated_pairwise(names)
    } else {
        first_repeated_hashed(names)
    }
}

fn first_repeated_pairwise(names: &[String]) -> Option<&String> {
    names
        .iter()
        .enumerate()
        .find(|(i, name)| {
            names
                .get(..*i)
                .is_some_and(|earlier| earlier.contains(name))
        })
        .map(|(_, name)| name)
}

fn first_repeated_hashed(names: &[String]) -> Option<&String> {
    let mut seen = std::collections::HashSet::with_capacity(names.len());
    names.iter().find(|name| !seen.insert(name.as_str()))
}

/// The first line of serde_json's message, without its position (a line has one line).
fn json_detail(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}

/// A JSON object's members in order, keys given twice kept, values unparsed.
struct RawObject<'a>(Vec<(Cow<'a, str>, &'a RawValue)>);

impl<'de: 'a, 'a> Deserialize<'de> for RawObject<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Members;
        impl<'de> Visitor<'de> for Members {
            type Value = RawObject<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<RawObject<'de>, M::Error> {
                let mut members = Vec::new();
                while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                    let value: &'de RawValue = map.next_value()?;
                    members.push((key, value));
                }
                Ok(RawObject(members))
            }
        }
        deserializer.deserialize_map(Members)
    }
}

/// Who an event names: one person, or several for a collective event.
///
/// A staff id names someone: it is not empty, not only white space, has no white space
/// before or after it, and holds no control character (C0, DEL, C1 such as U+009B) and no
/// invisible one (Unicode format characters such as U+200B or U+FEFF, variation selectors,
/// Hangul fillers): [`Evaluator::prepare`](crate::Evaluator::prepare) rejects an event whose
/// `who` (or an attribute naming a related person) does not, and a list that names someone
/// twice. Spaces inside an id and every script are fine (`"Wang Fang"`, `"王芳"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Who {
    /// One staff id.
    One(String),
    /// Every person named (a collective event).
    Many(Vec<String>),
}

impl Who {
    fn from_raw(raw: &RawValue) -> Result<Who, Rejection> {
        let ill_typed = |found| Rejection::IllTypedField {
            field: "who",
            expected: "a staff id or a list of staff ids",
            found,
        };
        match Value::from_raw(raw) {
            Value::Text(id) => Ok(Who::One(id)),
            Value::Other(JsonType::Array) => {
                let ids: Vec<Value> = serde_json::from_str::<Vec<&RawValue>>(raw.get())
                    .map_err(|_| ill_typed("an array"))?
                    .into_iter()
                    .map(Value::from_raw)
                    .collect();
                let mut names = Vec::with_capacity(ids.len());
                for id in ids {
                    match id {
                        Value::Text(id) => names.push(id),
                        other => return Err(ill_typed(other.type_name())),
                    }
                }
                Ok(Who::Many(names))
            }
            other => Err(ill_typed(other.type_name())),
        }
    }

    /// The people named, in order.
    pub fn people(&self) -> &[String] {
        match self {
            Who::One(id) => std::slice::from_ref(id),
            Who::Many(ids) => ids,
        }
    }
}

impl From<&str> for Who {
    fn from(id: &str) -> Who {
        Who::One(id.to_owned())
    }
}

impl From<String> for Who {
    fn from(id: String) -> Who {
        Who::One(id)
    }
}

impl From<Vec<String>> for Who {
    fn from(ids: Vec<String>) -> Who {
        Who::Many(ids)
    }
}

impl<const N: usize> From<[&str; N]> for Who {
    fn from(ids: [&str; N]) -> Who {
        Who::Many(ids.iter().map(|id| (*id).to_owned()).collect())
    }
}

/// The value of an event attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Value {
    /// A JSON integer (no fraction, no exponent), up to 128 bits.
    Integer(i128),
    /// Any other JSON number, exactly as written.
    Number(Decimal),
    /// `true` or `false`.
    Flag(bool),
    /// A string.
    Text(String),
    /// Something no measure can hold: `null`, an array, an object, or a number that cannot
    /// be held exactly.
    Other(JsonType),
}

/// The JSON types a measure cannot hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum JsonType {
    /// `null`
    Null,
    /// `[…]`
    Array,
    /// `{…}`
    Object,
    /// A number too large to hold exactly: beyond ±79,228,162,514,264,337,593,543,950,335
    /// (2⁹⁶ − 1).
    HugeNumber,
    /// A number with too many digits to hold exactly: more than 28 decimals, or more
    /// significant digits than 96 bits hold (28, or 29 below 2⁹⁶).
    LongNumber,
    /// A number a host handed over as floating point (through serde, not as JSON text): its
    /// written digits are lost, so it is not read as a number. Read events with
    /// [`Event::from_json`], or deserialize [`Event`], which does.
    FloatingPoint,
}

impl Value {
    /// Reads one JSON value from its text, numbers exactly.
    fn from_raw(raw: &RawValue) -> Value {
        let text = raw.get().trim();
        match text.as_bytes().first() {
            Some(b'"') => {
                serde_json::from_str(text).map_or(Value::Other(JsonType::Null), Value::Text)
            }
            Some(b't') => Value::Flag(true),
            Some(b'f') => Value::Flag(false),
            Some(b'n') => Value::Other(JsonType::Null),
            Some(b'[') => Value::Other(JsonType::Array),
            Some(b'{') => Value::Other(JsonType::Object),
            _ => Value::number(text),
        }
    }

    /// A JSON number from its text, exactly: an integer when it has no fraction or exponent,
    /// else a decimal (`3e2`, `300.0` and `0.3e3` are all 300). A number is never rounded:
    /// one that needs more than 96 bits of digits, or more than 28 decimals, is
    /// [`JsonType::LongNumber`], and one beyond ±79,228,162,514,264,337,593,543,950,335 is
    /// [`JsonType::HugeNumber`]. No allocation.
    fn number(text: &str) -> Value {
        exact_number(text).unwrap_or_else(Value::Other)
    }

    /// The value as an exact number, if it is one.
    pub fn as_decimal(&self) -> Option<Decimal> {
        match self {
            Value::Integer(i) => Decimal::try_from_i128_with_scale(*i, 0).ok(),
            Value::Number(d) => Some(*d),
            _ => None,
        }
    }

    /// What kind of JSON value this is, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Integer(_) => "an integer",
            Value::Number(_) => "a number",
            Value::Flag(_) => "a boolean",
            Value::Text(_) => "a string",
            Value::Other(JsonType::Null) => "null",
            Value::Other(JsonType::Array) => "an array",
            Value::Other(JsonType::Object) => "an object",
            Value::Other(JsonType::HugeNumber) => "a number too large to hold exactly",
            Value::Other(JsonType::LongNumber) => "a number with too many digits to hold exactly",
            Value::Other(JsonType::FloatingPoint) => {
                "a floating-point number whose written digits are lost"
            }
        }
    }
}

/// The largest magnitude a [`Decimal`] holds: 2⁹⁶ − 1.
const MAX_MANTISSA: u128 = (1 << 96) - 1;
/// The most decimals a [`Decimal`] holds.
const MAX_SCALE: i64 = 28;

/// Reads a JSON number exactly (see [`Value::number`]); `Err` names why it cannot be held.
fn exact_number(text: &str) -> Result<Value, JsonType> {
    let bytes = text.as_bytes();
    let (negative, unsigned) = match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, bytes),
    };
    let (mantissa, exponent) = match unsigned.iter().position(|b| matches!(b, b'e' | b'E')) {
        Some(e) => (
            unsigned.get(..e).unwrap_or_default(),
            Some(unsigned.get(e + 1..).unwrap_or_default()),
        ),
        None => (unsigned, None),
    };
    let (int, fraction) = match mantissa.iter().position(|b| *b == b'.') {
        Some(dot) => (
            mantissa.get(..dot).unwrap_or_default(),
            Some(mantissa.get(dot + 1..).unwrap_or_default()),
        ),
        None => (mantissa, None),
    };
    let all_digits = |part: &[u8]| !part.is_empty() && part.iter().all(u8::is_ascii_digit);
    if !all_digits(int) || fraction.is_some_and(|f| !all_digits(f)) {
        return Err(JsonType::LongNumber);
    }
    let plain_integer = fraction.is_none() && exponent.is_none();
    let fraction = fraction.unwrap_or_default();
    // value = digits × 10^(exponent − fraction.len()), digits = int then fraction.
    let exponent: i64 = match exponent {
        None => 0,
        Some(e) => {
            let (sign, digits) = match e.split_first() {
                Some((b'-', rest)) => (-1, rest),
                Some((b'+', rest)) => (1, rest),
                _ => (1, e),
            };
            if !all_digits(digits) {
                return Err(JsonType::LongNumber);
            }
            // Past 10^15 every exponent means the same here (too large or too small).
            sign * digits
                .iter()
                .try_fold(0i64, |n, b| {
                    n.checked_mul(10)?
                        .checked_add(i64::from(b - b'0'))
                        .filter(|n| *n < 1_000_000_000_000_000)
                })
                .unwrap_or(1_000_000_000_000_000)
        }
    };
    let signed = |magnitude: u128| -> i128 {
        // magnitude ≤ 2⁹⁶ − 1: it fits.
        let m = magnitude as i128;
        if negative { -m } else { m }
    };
    if plain_integer {
        let magnitude = int.iter().try_fold(0u128, |n, b| {
            n.checked_mul(10)?.checked_add(u128::from(b - b'0'))
        });
        return match magnitude {
            Some(m) if m <= MAX_MANTISSA => Ok(Value::Integer(signed(m))),
            _ => Err(JsonType::HugeNumber),
        };
    }
    let digit = |i: usize| -> u8 {
        int.get(i)
            .or_else(|| fraction.get(i.wrapping_sub(int.len())))
            .copied()
            .unwrap_or(b'0')
    };
    let count = int.len() + fraction.len();
    // The scale the number is written with (`300.0` keeps its one decimal).
    let written_scale = (fraction.len() as i64)
        .saturating_sub(exponent)
        .clamp(0, MAX_SCALE) as u32;
    let Some(first) = (0..count).find(|i| digit(*i) != b'0') else {
        return Decimal::try_from_i128_with_scale(0, written_scale)
            .map(Value::Number)
            .map_err(|_| JsonType::LongNumber);
    };
    let last = (0..count)
        .rev()
        .find(|i| digit(*i) != b'0')
        .unwrap_or(first);
    // The place of a digit: 10^place. The number lies in [10^top, 10^(top + 1)).
    let place = |i: usize| int.len() as i64 - 1 - i as i64 + exponent;
    let (top, bottom) = (place(first), place(last));
    let integer_part = |upto: usize| {
        (first..upto).try_fold(0u128, |n, i| {
            n.checked_mul(10)?.checked_add(u128::from(digit(i) - b'0'))
        })
    };
    // Too large: the whole part alone does not fit.
    if top > MAX_SCALE
        || top == MAX_SCALE && integer_part(first + 29).is_none_or(|n| n > MAX_MANTISSA)
    {
        return Err(JsonType::HugeNumber);
    }
    // Too many digits: too many decimals, or too many significant digits.
    if bottom < -MAX_SCALE || last - first >= 29 {
        return Err(JsonType::LongNumber);
    }
    let mut magnitude = integer_part(last + 1).ok_or(JsonType::LongNumber)?;
    let mut scale = 0u32;
    if bottom > 0 {
        // top ≤ 28, so the power fits; the product is checked.
        magnitude = 10u128
            .checked_pow(bottom as u32)
            .and_then(|p| magnitude.checked_mul(p))
            .ok_or(JsonType::HugeNumber)?;
    } else {
        scale = (-bottom) as u32;
    }
    if magnitude > MAX_MANTISSA {
        return Err(if bottom >= 0 {
            JsonType::HugeNumber
        } else {
            JsonType::LongNumber
        });
    }
    while scale < written_scale && magnitude * 10 <= MAX_MANTISSA {
        magnitude *= 10;
        scale += 1;
    }
    Decimal::try_from_i128_with_scale(signed(magnitude), scale)
        .map(Value::Number)
        .map_err(|_| JsonType::LongNumber)
}

impl From<i64> for Value {
    fn from(v: i64) -> Value {
        Value::Integer(i128::from(v))
    }
}

impl From<i32> for Value {
    fn from(v: i32) -> Value {
        Value::Integer(i128::from(v))
    }
}

impl From<Decimal> for Value {
    fn from(v: Decimal) -> Value {
        Value::Number(v)
    }
}

impl From<bool> for Value {
    fn from(v: bool) -> Value {
        Value::Flag(v)
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Value {
        Value::Text(v.to_owned())
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Integer(i) => write!(f, "{i}"),
            Value::Number(d) => write!(f, "{d}"),
            Value::Flag(b) => write!(f, "{b}"),
            Value::Text(t) => write!(f, "{t:?}"),
            Value::Other(_) => f.write_str(self.type_name()),
        }
    }
}

impl Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Integer(i) => serializer.serialize_i128(*i),
            Value::Number(d) => match RawValue::from_string(d.to_string()) {
                Ok(raw) => raw.serialize(serializer),
                Err(_) => serializer.serialize_str(&d.to_string()),
            },
            Value::Flag(b) => serializer.serialize_bool(*b),
            Value::Text(t) => serializer.serialize_str(t),
            Value::Other(_) => serializer.serialize_unit(),
        }
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Value, D::Error> {
        struct ValueVisitor;
        impl<'de> Visitor<'de> for ValueVisitor {
            type Value = Value;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number, a boolean or a string")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
                Ok(Value::Integer(i128::from(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
                Ok(Value::Integer(i128::from(v)))
            }
            fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
                Ok(Value::Integer(v))
            }
            fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
                Ok(i128::try_from(v).map_or(Value::Other(JsonType::HugeNumber), Value::Integer))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Value, E> {
                // A format that hands over floating point has already rounded the number
                // (`2.99999999999999999999999999999999e2` arrives as 300.0): its digits are
                // lost, and guessing them back would be silently wrong.
                Ok(Value::Other(JsonType::FloatingPoint))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
                Ok(Value::Flag(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
                Ok(Value::Text(v.to_owned()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
                Ok(Value::Other(JsonType::Null))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(Value::Other(JsonType::Array))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
                while map
                    .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(Value::Other(JsonType::Object))
            }
        }
        deserializer.deserialize_any(ValueVisitor)
    }
}

/// One line of an events file, and what it held.
#[derive(Debug)]
pub struct Line {
    /// The line number, from 1.
    pub number: u64,
    /// What the line held.
    pub content: LineContent,
}

impl Line {
    /// The line's number with its event (or why it is not one), as [`evaluate`](crate::evaluate)
    /// takes them; `None` for a skipped line.
    pub fn into_event(self) -> Option<(u64, Result<Event, Rejection>)> {
        match self.content {
            LineContent::Skipped => None,
            LineContent::Event(event) => Some((self.number, event)),
        }
    }
}

/// What a line of an events file held.
#[derive(Debug)]
pub enum LineContent {
    /// A blank line or a `#` comment: skipped, not rejected.
    Skipped,
    /// An event, or why the line is not one.
    Event(Result<Event, Rejection>),
}

/// Reads JSON Lines: one [`Line`] per input line, so that every line is accounted for.
/// Reading stops at the first input/output error, which is yielded as `Err`.
///
/// A line ends at a line feed (LF), at CR LF, or at a carriage return (CR) alone: a file
/// with old Mac line ends is read line by line, as a text editor shows it, and a CR never
/// hides the events after it inside one long line (a `#` comment). A UTF-8 byte order mark
/// at the very start of the input is skipped; anywhere else it is a character of its line.
pub fn read_events<R: BufRead>(reader: R) -> EventLines<R> {
    EventLines {
        reader,
        number: 0,
        buffer: Vec::new(),
        failed: false,
        after_cr: false,
    }
}

/// The iterator [`read_events`] returns.
#[derive(Debug)]
pub struct EventLines<R> {
    reader: R,
    number: u64,
    buffer: Vec<u8>,
    failed: bool,
    /// The last line ended with a CR that was the last byte read so far: a LF right after
    /// it belongs to that line end.
    after_cr: bool,
}

/// The UTF-8 byte order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

impl<R: BufRead> Iterator for EventLines<R> {
    type Item = std::io::Result<Line>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        self.buffer.clear();
        let bytes = match read_line(&mut self.reader, &mut self.buffer, &mut self.after_cr) {
            Ok(0) => return None,
            Ok(bytes) => bytes,
            Err(error) => {
                self.failed = true;
                return Some(Err(error));
            }
        };
        if bytes > MAX_EVENT_LINE_BYTES as u64 {
            self.number += 1;
            // A buffer grown for one long line is not kept for the short ones after it.
            self.buffer = Vec::new();
            return Some(Ok(Line {
                number: self.number,
                content: LineContent::Event(Err(Rejection::LineTooLong {
                    bytes,
                    limit: MAX_EVENT_LINE_BYTES,
                })),
            }));
        }
        self.number += 1;
        let line = match self.buffer.strip_prefix(BOM) {
            Some(rest) if self.number == 1 => rest,
            _ => &self.buffer,
        };
        let content = match std::str::from_utf8(line) {
            Err(_) => LineContent::Event(Err(Rejection::NotUtf8)),
            Ok(text) => {
                let text = text.trim();
                if text.is_empty() || text.starts_with('#') {
                    LineContent::Skipped
                } else {
                    LineContent::Event(Event::from_json(text))
                }
            }
        };
        Some(Ok(Line {
            number: self.number,
            content,
        }))
    }
}

/// Reads one line, its line end (LF, CR LF or CR) included, into `buffer`, keeping at most
/// [`MAX_EVENT_LINE_BYTES`] + 1 bytes of it: the rest of a longer line is read and dropped.
/// Returns the line's whole length (0 at the end of the input). `after_cr` carries a CR
/// that ended the previous line at the end of a read, so that its LF is not a line.
fn read_line<R: BufRead>(
    reader: &mut R,
    buffer: &mut Vec<u8>,
    after_cr: &mut bool,
) -> std::io::Result<u64> {
    let mut total: u64 = 0;
    loop {
        let available = match reader.fill_buf() {
            Ok(available) => available,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        if available.is_empty() {
            return Ok(total);
        }
        if std::mem::take(after_cr) && available.first() == Some(&b'\n') {
            reader.consume(1);
            continue;
        }
        let (used, done) = match available.iter().position(|b| matches!(b, b'\n' | b'\r')) {
            Some(end) if available.get(end) == Some(&b'\r') => match available.get(end + 1) {
                Some(b'\n') => (end + 2, true),
                Some(_) => (end + 1, true),
                None => {
                    *after_cr = true;
                    (end + 1, true)
                }
            },
            Some(end) => (end + 1, true),
            None => (available.len(), false),
        };
        let chunk = available.get(..used).unwrap_or(available);
        let room = (MAX_EVENT_LINE_BYTES + 1).saturating_sub(buffer.len());
        buffer.extend_from_slice(chunk.get(..room.min(chunk.len())).unwrap_or(chunk));
        total = total.saturating_add(used as u64);
        reader.consume(used);
        if done {
            return Ok(total);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_fields_and_exact_numbers() {
        let event = Event::from_json(
            r#"{"at": "2025-08-19", "who": ["E001", "E002"], "event": "passing the buck", "minutes": 3.25, "big": 1e2, "severe": true, "note": "x"}"#,
        )
        .unwrap();
        assert_eq!(event.who.people(), ["E001", "E002"]);
        assert_eq!(
            event.attributes["minutes"],
            Value::Number(Decimal::new(325, 2))
        );
        assert_eq!(
            event.attributes["big"].as_decimal(),
            Some(Decimal::from(100))
        );
        assert_eq!(event.attributes["severe"], Value::Flag(true));
        assert_eq!(event.attributes["note"], Value::Text("x".into()));
    }

    #[test]
    fn rejects_what_is_not_an_event() {
        let cases = [
            ("{", "not valid JSON"),
            ("[1, 2]", "not a JSON object"),
            (r#"{"who": "E1", "event": "x"}"#, "missing field `at`"),
            (
                r#"{"at": 5, "who": "E1", "event": "x"}"#,
                "`at` must be a string, not an integer",
            ),
            (
                r#"{"at": "2025-08-18", "who": 7, "event": "x"}"#,
                "`who` must be a staff id or a list of staff ids, not an integer",
            ),
            (
                r#"{"at": "2025-08-18", "at": "2025-08-19", "who": "E1", "event": "x"}"#,
                "`at` is given twice",
            ),
        ];
        for (line, message) in cases {
            let error = Event::from_json(line).unwrap_err();
            assert!(error.to_string().starts_with(message), "{line}: {error}");
        }
        let huge = format!(
            r#"{{"at": "2025-08-18", "who": "E1", "event": "x", "n": {}}}"#,
            "9".repeat(400)
        );
        let event = Event::from_json(&huge).unwrap();
        assert_eq!(event.attributes["n"], Value::Other(JsonType::HugeNumber));
    }

    #[test]
    fn every_line_is_accounted_for() {
        let input: &[u8] = b"# comment\n\n{\"at\": \"2025-08-18\", \"who\": \"E1\", \"event\": \"x\"}\nnot json\n\xff\n";
        let lines: Vec<Line> = read_events(input).map(Result::unwrap).collect();
        let kinds: Vec<&str> = lines
            .iter()
            .map(|l| match &l.content {
                LineContent::Skipped => "skipped",
                LineContent::Event(Ok(_)) => "event",
                LineContent::Event(Err(_)) => "rejected",
            })
            .collect();
        assert_eq!(
            kinds,
            ["skipped", "skipped", "event", "rejected", "rejected"]
        );
        assert_eq!(lines.last().unwrap().number, 5);
    }

    #[test]
    fn numbers_are_exact_in_every_form() {
        let number = |text: &str| Value::number(text);
        let decimal = |text: &str| Value::Number(text.parse::<Decimal>().unwrap());
        let cases = [
            ("0", Value::Integer(0)),
            ("-0", Value::Integer(0)),
            ("42", Value::Integer(42)),
            ("-42", Value::Integer(-42)),
            (
                "79228162514264337593543950335",
                Value::Integer((1 << 96) - 1),
            ),
            (
                "-79228162514264337593543950335",
                Value::Integer(1 - (1 << 96)),
            ),
            ("300.0", decimal("300.0")),
            ("3e2", decimal("300")),
            ("3E+2", decimal("300")),
            ("3.0e2", decimal("300")),
            ("3.00e2", decimal("300.0")),
            ("0.3e3", decimal("300")),
            ("30000e-2", decimal("300.00")),
            ("-2.5e-3", decimal("-0.0025")),
            ("0.0", decimal("0.0")),
            ("0e99999999999999999999", decimal("0")),
            ("1e28", decimal("10000000000000000000000000000")),
            ("1e-28", decimal("0.0000000000000000000000000001")),
            (
                "7.9228162514264337593543950335e28",
                Value::Number(Decimal::MAX),
            ),
            // Trailing zeros past what a decimal holds change nothing: exact.
            (
                "3.000000000000000000000000000000000e2",
                decimal("300.00000000000000000000000000"),
            ),
            (
                "1.0000000000000000000000000000000000000000",
                decimal("1.0000000000000000000000000000"),
            ),
        ];
        for (text, value) in cases {
            assert_eq!(number(text), value, "{text}");
        }
        // The scale written is kept where it can be.
        for (text, shown) in [
            ("300.0", "300.0"),
            ("3.000e2", "300.0"),
            ("30000e-2", "300.00"),
            ("3e2", "300"),
            ("0.250", "0.250"),
        ] {
            assert_eq!(number(text).to_string(), shown, "{text}");
        }
        let huge = Value::Other(JsonType::HugeNumber);
        let long = Value::Other(JsonType::LongNumber);
        for (text, value) in [
            ("79228162514264337593543950336", &huge),
            ("-79228162514264337593543950336", &huge),
            ("7.9228162514264337593543950336e28", &huge),
            ("1e29", &huge),
            ("1e999999999999999999999999", &huge),
            ("123456789012345678901234567890.5", &huge),
            ("2.99999999999999999999999999999999e2", &long),
            (
                "1.23456789012345678901234567890",
                &Value::Number(Decimal::from_i128_with_scale(
                    12345678901234567890123456789,
                    28,
                )),
            ),
            ("1.23456789012345678901234567891", &long),
            ("1e-29", &long),
            ("1e-99999999999999999999", &long),
            ("0.00000000000000000000000000001", &long),
        ] {
            assert_eq!(&number(text), value, "{text}");
        }
    }

    proptest::proptest! {
        /// Both ways of finding a repeated name find the same one as comparing every pair.
        #[test]
        fn repeats_are_found_alike_on_both_paths(
            names in proptest::collection::vec("[a-e]{1,2}", 0..40)
        ) {
            let model = names
                .iter()
                .enumerate()
                .find(|(i, n)| names[..*i].contains(n))
                .map(|(_, n)| n);
            proptest::prop_assert_eq!(first_repeated_pairwise(&names), model);
            proptest::prop_assert_eq!(first_repeated_hashed(&names), model);
            proptest::prop_assert_eq!(first_repeated(&names), model);
        }
    }
}
