//! Writes a synthetic stream of events for the bundled rulebook, in time order, as JSON Lines:
//! `cargo run --release --example generate -- LINES PEOPLE > events.jsonl`
//! (defaults: 1,000,000 lines, 1,000 people, over three months from 2025-08-15).
//! Deterministic: the same arguments give the same file.

use std::io::{BufWriter, Write};

/// The bundled rulebook's kinds, each with the attributes it needs, and a weight.
const KINDS: &[(&str, &str, u32)] = &[
    ("out of uniform", "", 6),
    ("phone unanswered", "rings", 8),
    ("improper phone greeting", "", 4),
    ("messy desk", "", 6),
    ("newspapers untidy", "", 3),
    ("discourtesy", "", 4),
    ("venting emotions", "", 3),
    ("idling on duty", "", 5),
    ("personal phone call", "minutes", 5),
    ("unauthorized internet use", "", 3),
    ("taking office property", "", 2),
    ("task dispatch error", "", 3),
    ("handover or fee error", "", 3),
    ("passing the buck", "collective", 2),
    ("facilities left on", "", 3),
    ("false leave reason", "", 1),
    ("missed meeting", "", 2),
    ("duty not performed", "", 2),
    ("key log skipped", "", 2),
    ("task not followed up", "", 2),
    ("records not kept", "", 2),
    ("agenda not followed", "", 2),
    ("evading orders", "severe", 1),
    ("soliciting tips", "severe", 1),
    ("late", "", 4),
    ("early leave", "", 2),
    ("sick leave", "", 1),
    ("personal leave", "", 1),
    ("card signing", "", 1),
    ("absence", "", 1),
    ("thank-you letter", "", 5),
    ("returned lost property", "value", 2),
    ("good samaritan", "", 2),
    ("adopted suggestion", "amount 30 50", 2),
    ("emergency handled", "emergency", 2),
    ("service star", "star", 1),
];

struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn main() -> std::io::Result<()> {
    let mut args = std::env::args()
        .skip(1)
        .map(|a| a.parse::<u64>().unwrap_or(0));
    let lines = args.next().filter(|n| *n > 0).unwrap_or(1_000_000);
    let people = args.next().filter(|n| *n > 0).unwrap_or(1_000);
    let total_weight: u64 = KINDS.iter().map(|(_, _, w)| u64::from(*w)).sum();
    let mut random = Random(0x9e37_79b9_7f4a_7c15);
    let start = 1_755_187_200i64; // 2025-08-15T00:00:00+08:00
    let span = 92 * 24 * 3600i64; // three months
    let out = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 20, out.lock());
    for i in 0..lines {
        let seconds = start + (span as u64 * i / lines) as i64;
        let at = chrono::DateTime::from_timestamp(seconds, 0)
            .unwrap_or_default()
            .with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("valid offset"))
            .format("%Y-%m-%dT%H:%M:%S%:z");
        let mut pick = random.below(total_weight);
        let (kind, needs, _) = KINDS
            .iter()
            .find(|(_, _, w)| {
                let hit = pick < u64::from(*w);
                pick = pick.saturating_sub(u64::from(*w));
                hit
            })
            .unwrap_or(&KINDS[0]);
        let person = random.below(people);
        let who = if *needs == "collective" {
            let other = (person + 1 + random.below(people - 1)) % people;
            format!("[\"E{person:04}\", \"E{other:04}\"]")
        } else {
            format!("\"E{person:04}\"")
        };
        let extra = match *needs {
            "rings" => format!(", \"rings\": {}", 1 + random.below(8)),
            "minutes" => format!(", \"minutes\": {}.{}", random.below(10), random.below(10)),
            "severe" => format!(", \"severe\": {}", random.below(10) == 0),
            "value" => format!(", \"value\": {}", 100 + random.below(500)),
            "amount 30 50" => format!(", \"amount\": {}", 30 + random.below(21)),
            "emergency" => format!(
                ", \"loss_avoided\": {}, \"amount\": {}",
                200 + random.below(1000),
                30 + random.below(21)
            ),
            "star" => format!(
                ", \"amount\": {}, \"outstanding\": {}, \"approved\": {}",
                200 + random.below(101),
                random.below(4) == 0,
                random.below(2) == 0
            ),
            _ => String::new(),
        };
        writeln!(
            out,
            "{{\"at\": \"{at}\", \"who\": {who}, \"event\": \"{kind}\"{extra}}}"
        )?;
    }
    out.flush()
}
