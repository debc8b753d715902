//! The checked, compiled rulebook a host holds: header, sections, rules indexed by interned
//! event kind, period rules and escalations. Built by `check`; printed by `print`.

mod version;

pub use version::Version;

use crate::vocab::{Comparison, Direction, Interval, MeasureType, Nth, Period, Unit};
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use chrono::{FixedOffset, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::ast;
use crate::money::Money;

/// The attribute that supplies the amount of a ranged rule.
pub(crate) const AMOUNT_MEASURE: &str = "amount";
/// The flag an event sets when leadership has approved a promotion.
pub(crate) const APPROVAL_FLAG: &str = "approved";

/// A checked rulebook, ready to evaluate.
///
/// Event kinds and measures are interned: rules refer to them by [`KindId`] and
/// [`MeasureId`], so an evaluator never compares strings per event. Its `Display` is the
/// canonical rule file, which parses back to an equal rulebook.
///
/// A rulebook made of several versions ([`Rulebook::from_versions`], [`Rulebook::from_dir`])
/// holds the rules of them all: [`rules`](Rulebook::rules), [`kinds`](Rulebook::kinds) and
/// [`period_rules`](Rulebook::period_rules) span every version (the same clause once per
/// version), while [`header`](Rulebook::header), [`sections`](Rulebook::sections),
/// [`written_rules`](Rulebook::written_rules) and `Display` are the newest version's. Each
/// version's own header and text are in [`versions`](Rulebook::versions).
#[derive(Debug, Clone)]
pub struct Rulebook {
    pub(crate) header: Header,
    pub(crate) sections: Vec<Section>,
    pub(crate) kinds: Names,
    pub(crate) measures: Names,
    /// The type of each measure, by measure id.
    pub(crate) measure_types: Vec<MeasureType>,
    pub(crate) rules: Vec<Rule>,
    /// For each kind id, the indexes into `rules` of the rules about that kind.
    pub(crate) rules_by_kind: Vec<Vec<usize>>,
    pub(crate) period_rules: Vec<PeriodRule>,
    pub(crate) escalations: Vec<Escalation>,
    /// The syntax tree, shared with the version it is (or, merged, the newest version).
    pub(crate) document: Arc<ast::Document>,
    /// The versions, oldest first (one for a rulebook read from one file).
    pub(crate) versions: Vec<crate::rulebook::Version>,
    /// For each escalation, the slot of the per-person count it keeps: escalations of
    /// different versions that count the same entries share one, so counts run across
    /// versions. The same for each rule's occurrence count and each period rule's track.
    pub(crate) escalation_slots: Vec<u32>,
    pub(crate) rule_slots: Vec<u32>,
    pub(crate) period_slots: Vec<u32>,
}

impl Rulebook {
    /// Title, dates, currency, time zone and document fields.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The sections, in file order.
    pub fn sections(&self) -> &[Section] {
        &self.sections
    }

    /// How many rules the file writes: each labelled rule line counts once, whether it is
    /// about one event kind, several, a whole period, or an escalation.
    pub fn written_rules(&self) -> usize {
        self.document
            .items
            .iter()
            .filter(|item| matches!(item, ast::Item::Rule(_)))
            .count()
    }

    /// The occurrence rules (including banded and no-consequence ones), in file order; a
    /// rule naming several kinds appears once per kind.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The rules about one event kind, in file order; their conditions never overlap.
    pub fn rules_for(&self, kind: KindId) -> impl Iterator<Item = &Rule> {
        self.rules_by_kind
            .get(kind.index())
            .into_iter()
            .flatten()
            .filter_map(|&i| self.rules.get(i))
    }

    /// The rules that look at whole periods (`each month, every person on the roster …`).
    pub fn period_rules(&self) -> &[PeriodRule] {
        &self.period_rules
    }

    /// The escalation and doubling declarations.
    pub fn escalations(&self) -> &[Escalation] {
        &self.escalations
    }

    /// The id of an event kind, matched exactly (case and spaces included).
    pub fn kind_id(&self, name: &str) -> Option<KindId> {
        self.kinds.id(name).map(KindId)
    }

    /// The name of an event kind.
    pub fn kind_name(&self, kind: KindId) -> &str {
        self.kinds.name(kind.0)
    }

    /// Every event kind the rulebook accepts, in the order the file first names them.
    pub fn kinds(&self) -> impl Iterator<Item = (KindId, &str)> {
        self.kinds.iter().map(|(i, name)| (KindId(i), name))
    }

    /// The id of a measure (an event attribute a condition or amount reads).
    pub fn measure_id(&self, name: &str) -> Option<MeasureId> {
        self.measures.id(name).map(MeasureId)
    }

    /// The name of a measure.
    pub fn measure_name(&self, measure: MeasureId) -> &str {
        self.measures.name(measure.0)
    }

    /// The type of a measure: declared (`measure rings: whole number`), or else taken from
    /// how the rules use it (a number, or a flag).
    pub fn measure_type(&self, measure: MeasureId) -> MeasureType {
        self.measure_types
            .get(measure.index())
            .copied()
            .unwrap_or(MeasureType::Number)
    }

    /// Every measure the rulebook reads.
    pub fn measures(&self) -> impl Iterator<Item = (MeasureId, &str)> {
        self.measures.iter().map(|(i, name)| (MeasureId(i), name))
    }

    /// The closest known event kind to a misspelled one, for "did you mean" messages.
    pub fn suggest_kind(&self, name: &str) -> Option<&str> {
        crate::suggest::did_you_mean(name, self.kinds.iter().map(|(_, name)| name))
    }
}

impl fmt::Display for Rulebook {
    /// The canonical rule file: header, then sections and rules in file order, one
    /// construct per line, comments dropped.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&crate::print::Printer(&self.document), f)
    }
}

/// An interning table: names ↔ dense ids.
#[derive(Debug, Clone, Default)]
pub(crate) struct Names {
    names: Vec<String>,
    ids: HashMap<String, u32>,
}

impl Names {
    /// The id of `name`, adding it if new (`None` past `u32::MAX` names).
    pub(crate) fn intern(&mut self, name: &str) -> Option<u32> {
        if let Some(&id) = self.ids.get(name) {
            return Some(id);
        }
        let id = u32::try_from(self.names.len()).ok()?;
        self.names.push(name.to_owned());
        self.ids.insert(name.to_owned(), id);
        Some(id)
    }

    pub(crate) fn id(&self, name: &str) -> Option<u32> {
        self.ids.get(name).copied()
    }

    pub(crate) fn name(&self, id: u32) -> &str {
        self.names.get(id as usize).map_or("", String::as_str)
    }

    pub(crate) fn len(&self) -> usize {
        self.names.len()
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (u32, &str)> {
        (0u32..).zip(self.names.iter().map(String::as_str))
    }
}

/// An interned event kind: an index into the rulebook's kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct KindId(u32);

impl KindId {
    /// The dense index of the kind, for tables indexed by kind.
    pub const fn index(self) -> usize {
        self.0 as usize
    }

    pub(crate) const fn new(id: u32) -> KindId {
        KindId(id)
    }
}

/// An interned measure (event attribute).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct MeasureId(u32);

impl MeasureId {
    /// The dense index of the measure.
    pub const fn index(self) -> usize {
        self.0 as usize
    }

    pub(crate) const fn new(id: u32) -> MeasureId {
        MeasureId(id)
    }
}

/// The header of a rule file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Header {
    /// The document's title.
    pub title: String,
    /// The day the rules take effect, in the rulebook's time zone.
    pub effective: NaiveDate,
    /// The last day the rules are in force (`in force until:`), if they expire.
    pub in_force_until: Option<NaiveDate>,
    /// The dates of the versions this one repeals, all before `effective`.
    pub repeals: Vec<NaiveDate>,
    /// The currency code amounts are in (`CNY`).
    pub currency: String,
    /// The fixed UTC offset that local times and calendar months are read in.
    #[serde(serialize_with = "serialize_offset")]
    pub time_zone: FixedOffset,
    /// The document fields of the source; blank ones are empty strings.
    pub document: DocumentFields,
}

fn serialize_offset<S: serde::Serializer>(offset: &FixedOffset, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(offset)
}

/// The document fields of a policy: who drafted, approved and maintains it, and who gets
/// copies. Any may be blank.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct DocumentFields {
    /// The purpose or preamble.
    pub purpose: String,
    /// The drafting department.
    pub drafted_by: String,
    /// The approver.
    pub approved_by: String,
    /// The maintainer.
    pub maintained_by: String,
    /// Who receives copies.
    pub copies_to: String,
    /// Who the rules are distributed to.
    pub distributed_to: String,
}

/// A numbered section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Section {
    /// The section's number (`1` for `section 1`).
    pub number: u32,
    /// The section's title.
    pub title: String,
}

/// A rule about one kind of event.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Rule {
    /// The label written before the rule (`1.2`); several rules may share one.
    pub label: String,
    /// The number of the section the rule stands in, if any.
    pub section: Option<u32>,
    /// The event kind the rule is about.
    pub kind: KindId,
    /// Conditions that must all hold for the rule to apply.
    pub conditions: Vec<Condition>,
    /// What the rule does when it applies.
    pub action: Action,
}

/// What a rule does when its conditions hold.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Action {
    /// The event is accepted and recorded, with no consequence of its own.
    Recorded,
    /// These consequences apply.
    Consequences(Vec<Consequence>),
    /// The consequences of the one band the measure's value falls in.
    Banded {
        /// The measure the bands divide.
        measure: MeasureId,
        /// The bands, in file order; they never overlap.
        bands: Vec<Band>,
    },
}

/// One band of a banded rule.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Band {
    /// The values the band covers.
    pub range: Interval,
    /// What applies when the value is in the band.
    pub consequences: Vec<Consequence>,
}

impl Action {
    /// Every consequence the action can have, bands included.
    pub(crate) fn consequences(&self) -> Box<dyn Iterator<Item = &Consequence> + '_> {
        match self {
            Action::Consequences(list) => Box::new(list.iter()),
            Action::Banded { bands, .. } => {
                Box::new(bands.iter().flat_map(|b| b.consequences.iter()))
            }
            _ => Box::new(std::iter::empty()),
        }
    }
}

/// A condition on an event.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Condition {
    /// A numeric measure compared with a number: `rings > 3`.
    Compare {
        /// The measure read from the event.
        measure: MeasureId,
        /// How it is compared.
        op: Comparison,
        /// The number it is compared with.
        value: Decimal,
    },
    /// A yes/no measure: `severe` (expected `true`) or `not severe`.
    Flag {
        /// The flag read from the event.
        measure: MeasureId,
        /// The value that makes the condition hold.
        expected: bool,
    },
}

/// One consequence of a rule.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Consequence {
    /// A fine or a reward.
    Money {
        /// Fine or reward.
        direction: Direction,
        /// How much.
        amount: Amount,
        /// Money or points.
        unit: Unit,
        /// Who is fined or rewarded.
        target: Target,
    },
    /// An outcome beside the amount: dismissal, remedy, promotion.
    Outcome(Outcome),
    /// The event counts as an event of another kind (`counts as absence`).
    CountsAs(KindId),
}

/// How much a money consequence is.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Amount {
    /// A fixed amount.
    Fixed(Money),
    /// An amount the event supplies (its `amount` attribute), within these bounds inclusive.
    Range {
        /// The least amount allowed.
        low: Money,
        /// The greatest amount allowed.
        high: Money,
    },
    /// `rate` for each unit of a measure beyond `beyond`.
    PerUnit {
        /// The amount per unit.
        rate: Money,
        /// The measure counted.
        measure: MeasureId,
        /// Units up to this number are free.
        beyond: Decimal,
    },
    /// A percentage of a measure of the person (such as `salary`).
    Percent {
        /// The percentage.
        percent: Decimal,
        /// The measure it is a percentage of.
        of: MeasureId,
    },
    /// An amount that depends on how many times the person has done this before in the month.
    Schedule(Vec<(Nth, Money)>),
}

/// Who a money consequence applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Target {
    /// The person the event names.
    Actor,
    /// Each person a collective event names.
    EveryPersonNamed,
    /// A person related to the one at fault (`for their manager`): the text measure that
    /// names them on the event.
    Related(MeasureId),
}

/// An outcome beside money.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Outcome {
    /// Which outcome.
    pub kind: OutcomeKind,
    /// When it applies; `None` for always.
    pub when: Option<OutcomeCondition>,
}

/// The outcomes a rule can order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum OutcomeKind {
    /// Dismissal.
    Dismissal,
    /// The person is ordered to remedy and complete the work.
    Remedy,
    /// Promotion by some grades.
    Promotion {
        /// How many grades.
        grades: u32,
        /// When company leadership must approve it, the flag that records approval
        /// (`approved`).
        approval: Option<MeasureId>,
    },
}

/// When an outcome applies.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum OutcomeCondition {
    /// When the event's flag has this value (`when severe`).
    Flag {
        /// The flag.
        measure: MeasureId,
        /// The value that makes the outcome apply.
        expected: bool,
    },
    /// On the picked occurrences of the rule for the person in the month.
    Ordinal(Nth),
}

/// A rule that looks at each person's whole period.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct PeriodRule {
    /// The rule's label.
    pub label: String,
    /// The section the rule stands in.
    pub section: Option<u32>,
    /// How often the rule runs.
    pub period: Period,
    /// What it looks for in the period.
    pub test: PeriodTest,
    /// How many periods in a row the test must hold (1 when no streak is written).
    pub streak: u32,
    /// What applies to each person on the roster for whom the test holds.
    pub consequences: Vec<Consequence>,
}

/// What a period rule looks for.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PeriodTest {
    /// None of these kinds occurred for the person in the period.
    Absent {
        /// The name the file gives the list (`attendance event`), if any.
        group: Option<String>,
        /// The kinds.
        kinds: Vec<KindId>,
    },
    /// The number of events of `kind` compared with `count` holds.
    Count {
        /// The comparison.
        op: Comparison,
        /// The number compared with.
        count: u32,
        /// The kind counted.
        kind: KindId,
    },
}

/// An escalation or doubling declaration (3.9, 5.4).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Escalation {
    /// The declaration's label.
    pub label: String,
    /// The window counts run in, per person.
    pub window: Period,
    /// Which of the person's counted entries in the window are affected.
    pub nth: Nth,
    /// Whether fines or rewards are counted.
    pub counts: Direction,
    /// The sections whose entries are counted; empty for all.
    pub sections: Vec<u32>,
    /// What happens to an affected entry.
    pub effect: EscalationEffect,
}

/// What an escalation does to an affected entry.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EscalationEffect {
    /// The entry is `factor` times a level.
    Multiply {
        /// The multiplier.
        factor: u32,
        /// The base multiplied.
        level: Level,
    },
    /// The entry is its base plus this amount.
    Surcharge(Money),
}

/// The base an escalation multiplies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Level {
    /// The heaviest base among the person's counted entries in the window so far, this one
    /// included.
    HeaviestSoFar,
    /// The heaviest base among the last `n` counted entries, this one included.
    HeaviestOfLast(u32),
    /// The entry's own base.
    OwnBase,
}
