//! How much a rule file or an event line may hold. Input beyond a limit is refused with a
//! clear error instead of exhausting memory or time; every limit is far above what a real
//! policy or event needs.

/// The largest rule file read: 16 MiB (a policy of ten thousand rules is about 0.6 MiB).
pub const MAX_RULE_FILE_BYTES: usize = 16 << 20;

/// The longest line of a rule file, in bytes: 4 KiB (the longest line of the bundled policy
/// has about 200 characters).
pub const MAX_RULE_LINE_BYTES: usize = 4096;

/// The most rules (labelled rule lines) a rule file may hold.
pub const MAX_RULES: usize = 100_000;

/// The most rules about one event kind. Each pair of them is compared for overlap, so the
/// check's time grows with the square of this number.
pub const MAX_RULES_PER_KIND: usize = 1_000;

/// The most escalation rules a rule file may hold (each pair is compared for overlap).
pub const MAX_ESCALATIONS: usize = 1_000;

/// The most period rules (`each month, …`) a rule file may hold: each person carries a count
/// for each of them.
pub const MAX_PERIOD_RULES: usize = 1_000;

/// The most versions a policy may load at once (each keeps its own plan of every kind).
pub const MAX_VERSIONS: usize = 64;

/// The largest amount a rule file may write, in the currency's major unit (yuan): a fine, a
/// reward, either end of a range, a rate per unit, a surcharge or a schedule's step. With
/// [`MAX_MULTIPLIER`], one entry from a rule's own amounts is at most 10¹⁰ yuan, so a
/// person's month would need over 900,000 such entries before its totals (held in i64
/// fen, up to about 9.2 × 10¹⁶ yuan) could overflow. Amounts computed from an event's
/// values (`per minute`, `% of`) are checked as they are made: an event whose amount would
/// not fit is rejected.
pub const MAX_RULE_AMOUNT: i64 = 100_000_000;

/// The largest multiplier an escalation may declare (`2 times the heaviest base so far`).
pub const MAX_MULTIPLIER: u32 = 100;

/// The most recent bases an escalation may compare (`the heaviest base of the last 100`):
/// each entry looks at that many, so a larger N would make one person's month of entries
/// quadratic in time. `the heaviest base so far` compares any number in constant time.
pub const MAX_LAST_ENTRIES: u32 = 100;

/// The longest event line read, in bytes: 1 MiB. A longer line is rejected (with its line
/// number) without being held in memory, and reading goes on with the next line.
pub const MAX_EVENT_LINE_BYTES: usize = 1 << 20;

/// How far ahead of its rulebook's effective date an event may be, in years. Period rules are
/// closed for every month from the first event to the last, so one mistyped year (`9025`)
/// would otherwise make thousands of months for every person; such an event is rejected
/// (`too_far_ahead`) with its line number.
pub const MAX_YEARS_AHEAD: u32 = 100;

/// The most person-months one evaluation's period rules close: the months from the first
/// event to the last (both counted) times the people on the roster (or, without one, the
/// people named). Each costs a statement's worth of memory (a few hundred bytes once
/// reported), so one mistyped year beside a large roster (two events a century apart, ten
/// thousand people: 12 million) would take gigabytes; such an evaluation is refused with the
/// months and lines at fault. Five million is, for instance, 100,000 people over four
/// years, or 10,000 people over forty.
pub const MAX_PERSON_MONTHS: u64 = 5_000_000;

/// The largest roster file `rulebook eval --roster` reads: 16 MiB (about two million ids).
pub const MAX_ROSTER_BYTES: usize = 16 << 20;

/// A budget of parser calls for one rule file, for programs that read untrusted rule files:
/// [`limit_parser_calls`] installs it. A rule file takes 5 to 14 calls per byte (measured on
/// the bundled policy, on 99,000 generated rules and on a long list of kinds), so the largest
/// file allowed needs at most about 240 million; the budget is four times that.
pub const PARSER_CALL_LIMIT: usize = 1_000_000_000;

/// Sets the parser's call budget to [`PARSER_CALL_LIMIT`], so that no rule file can keep the
/// parser busy for long: a parse that runs out is reported as [`ProblemKind::TooComplex`](crate::ProblemKind::TooComplex).
/// The budget belongs to `pest` and is process-wide (it applies to every `pest` parser in the
/// program), so the library never sets it by itself; the `rulebook` command calls this at
/// start-up.
pub fn limit_parser_calls() {
    pest::set_call_limit(std::num::NonZeroUsize::new(PARSER_CALL_LIMIT));
}

/// The control characters of a rule file reported one by one; the last one reported says how
/// many more there are (a file of nothing but control characters would otherwise make a
/// problem of each of its bytes).
pub const MAX_CONTROL_CHARACTERS_REPORTED: usize = 100;

/// "Did you mean" suggestions computed for one rule file; later unknown names get none, so
/// that a file of many misspellings is not checked in quadratic time.
pub(crate) const MAX_SUGGESTIONS: usize = 100;

// The evaluator keeps period rule and escalation indexes, of all versions, in 16 bits.
const _: () = assert!(
    MAX_VERSIONS * MAX_PERIOD_RULES <= u16::MAX as usize
        && MAX_VERSIONS * MAX_ESCALATIONS <= u16::MAX as usize
);
