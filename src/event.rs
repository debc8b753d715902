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

use crate::eval::Rejection;

/// One event: when, who, what kind, and the measures it carries.
///
/// ```
/// use rulebook::{Event, Value};
/// let event = Event::from_json(r#"{"at": "2025-08-18", "who": "E001", "event": "phone unanswered", "rings": 5}"#).unwrap();
/// assert_eq!(event.kind, "phone unanswered");
/// assert_eq!(event.attributes["rings"], Value::Integer(5));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Event {
    /// When: an RFC 3339 timestamp with an offset, a local date and time, or a date; local
    /// values are read in the rulebook's time zone.
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
    /// Something no measure can hold: `null`, an array, an object, or a number too long to
    /// read exactly.
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
    /// A number of more than 28 significant digits, or out of range.
    HugeNumber,
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

    /// A JSON number from its text: an integer when it has no fraction or exponent and fits.
    fn number(text: &str) -> Value {
        if let Some(integer) = (!text.contains(['.', 'e', 'E']))
            .then(|| text.parse::<i128>().ok())
            .flatten()
        {
            return Value::Integer(integer);
        }
        Decimal::from_str_exact(text)
            .or_else(|_| Decimal::from_scientific(text))
            .map_or(Value::Other(JsonType::HugeNumber), Value::Number)
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
            Value::Other(JsonType::HugeNumber) => "a number too long to read exactly",
        }
    }
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
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
                // The shortest text that reads back as this number, read exactly.
                Ok(Value::number(&v.to_string()))
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
pub fn read_events<R: BufRead>(reader: R) -> EventLines<R> {
    EventLines {
        reader,
        number: 0,
        buffer: Vec::new(),
        failed: false,
    }
}

/// The iterator [`read_events`] returns.
#[derive(Debug)]
pub struct EventLines<R> {
    reader: R,
    number: u64,
    buffer: Vec<u8>,
    failed: bool,
}

impl<R: BufRead> Iterator for EventLines<R> {
    type Item = std::io::Result<Line>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        self.buffer.clear();
        let bytes = match read_line(&mut self.reader, &mut self.buffer) {
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
        let content = match std::str::from_utf8(&self.buffer) {
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

/// Reads one line, its `\n` included, into `buffer`, keeping at most
/// [`MAX_EVENT_LINE_BYTES`] + 1 bytes of it: the rest of a longer line is read and dropped.
/// Returns the line's whole length (0 at the end of the input).
fn read_line<R: BufRead>(reader: &mut R, buffer: &mut Vec<u8>) -> std::io::Result<u64> {
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
        let (chunk, done) = match available.iter().position(|b| *b == b'\n') {
            Some(end) => (available.get(..=end).unwrap_or(available), true),
            None => (available, false),
        };
        let room = (MAX_EVENT_LINE_BYTES + 1).saturating_sub(buffer.len());
        buffer.extend_from_slice(chunk.get(..room.min(chunk.len())).unwrap_or(chunk));
        let used = chunk.len();
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
}
