//! One version of a policy within a compiled [`Rulebook`]: the file it came from and the
//! days it is in force, and which version judges an instant.

use std::ops::Range;

use chrono::NaiveDate;

use super::{Header, Rulebook};
use crate::ast::{self, Item};
use crate::calendar::Stamp;
use crate::lang::Language;

/// One version of the policy in a [`Rulebook`]: the file it came from and the days it is in
/// force.
#[derive(Debug, Clone)]
pub struct Version {
    name: String,
    /// The language of the version's file.
    pub(crate) language: Language,
    header: Header,
    /// The last day in force: the file's `in force until`, or the day before the next
    /// version takes effect, whichever is earlier; `None` for no end.
    pub(crate) until: Option<NaiveDate>,
    /// The first instant in force, in seconds since the epoch.
    pub(crate) starts: i64,
    /// The first instant no longer in force, if there is one.
    pub(crate) ends: Option<i64>,
    /// The version's rules, period rules and escalations in the merged rulebook.
    pub(crate) rules: Range<usize>,
    pub(crate) period_rules: Range<usize>,
    pub(crate) escalations: Range<usize>,
    pub(crate) document: std::sync::Arc<ast::Document>,
}

impl Version {
    /// The version of a rulebook checked alone: all of its rules, from its effective date.
    pub(crate) fn whole(name: &str, rulebook: &Rulebook) -> Version {
        let header = rulebook.header().clone();
        let zone = header.time_zone;
        let starts = start_of(header.effective, zone);
        let until = header.in_force_until;
        Version {
            name: name.to_owned(),
            language: Language::English,
            until,
            starts,
            ends: until
                .and_then(|day| day.succ_opt())
                .map(|day| start_of(day, zone)),
            rules: 0..rulebook.rules.len(),
            period_rules: 0..rulebook.period_rules.len(),
            escalations: 0..rulebook.escalations.len(),
            document: std::sync::Arc::clone(&rulebook.document),
            header,
        }
    }

    /// The file the version came from, as it was named when loaded.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The language the version's file is written in ([`Language::of_rule_text`]), for
    /// what is said about it.
    pub fn language(&self) -> Language {
        self.language
    }

    /// The version's header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The first day the version is in force.
    pub fn effective(&self) -> NaiveDate {
        self.header.effective
    }

    /// The last day the version is in force, if it ends: the day before the next version
    /// takes effect, or its own `in force until` date.
    pub fn until(&self) -> Option<NaiveDate> {
        self.until
    }

    /// The version's canonical rule file (comments dropped), as [`Rulebook`]'s `Display`
    /// prints a rulebook of one version.
    pub fn canonical_text(&self) -> String {
        crate::print::Printer(&self.document).to_string()
    }

    /// How many sections the version's file has.
    pub fn section_count(&self) -> usize {
        self.document
            .items
            .iter()
            .filter(|item| matches!(item, Item::Section(_)))
            .count()
    }

    /// How many rules the version's file writes (see [`Rulebook::written_rules`]).
    pub fn written_rules(&self) -> usize {
        self.document
            .items
            .iter()
            .filter(|item| matches!(item, Item::Rule(_)))
            .count()
    }

    /// Whether the version is in force at `seconds` since the epoch.
    pub(crate) fn covers(&self, seconds: i64) -> bool {
        self.starts <= seconds && self.ends.is_none_or(|end| seconds < end)
    }
}

/// Local midnight of `day` in `zone`, in seconds since the epoch.
fn start_of(day: NaiveDate, zone: chrono::FixedOffset) -> i64 {
    Stamp::from_date(day, zone).map_or(i64::MIN, |stamp| stamp.instant().0)
}

impl Rulebook {
    /// The versions, oldest first; a rulebook read from one file has one.
    pub fn versions(&self) -> &[Version] {
        &self.versions
    }

    /// The index of the version in force at `seconds` since the epoch.
    #[inline]
    pub(crate) fn version_at(&self, seconds: i64) -> Option<usize> {
        match self.versions.as_slice() {
            [only] => only.covers(seconds).then_some(0),
            versions => {
                let after = versions.partition_point(|v| v.starts <= seconds);
                let index = after.checked_sub(1)?;
                versions.get(index)?.covers(seconds).then_some(index)
            }
        }
    }
}
