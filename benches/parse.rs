//! Throughput of `Rulebook::parse` (parse and check) on the bundled `rules/en/c-tower.rules`, its
//! Chinese twin `rules/zh-Hant/c-tower.rules`, and on a generated file of 10,000 rules, next to a baseline that only counts the lines of the same
//! bytes, so the cost of parsing can be read off one run as a ratio.
//!
//! Run with `cargo bench --bench parse` (add e.g. `-- --warm-up-time 1 --measurement-time 3`
//! for a quicker run).

use std::fmt::Write as _;
use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use rulebook::Rulebook;

/// The rule file shipped with the crate.
const BUNDLED: &str = include_str!("../rules/en/c-tower.rules");

/// The same policy in Traditional Chinese.
const BUNDLED_ZH: &str = include_str!("../rules/zh-Hant/c-tower.rules");

/// Labelled rule lines per generated section.
const RULES_PER_SECTION: usize = 500;

/// A rule file of exactly `rules` labelled rule lines (a multiple of [`RULES_PER_SECTION`]):
/// the header of the bundled file, then sections of [`RULES_PER_SECTION`] rules each. Every
/// occurrence rule is about its own event kind, so no two rules overlap; each section also
/// holds one period rule and one escalation counting that section alone.
fn generate(rules: usize) -> String {
    assert!(
        rules > 0 && rules.is_multiple_of(RULES_PER_SECTION),
        "the number of rules must be a positive multiple of {RULES_PER_SECTION}"
    );
    let (header, _) = BUNDLED
        .split_once("\nsection ")
        .expect("the bundled file has a section");
    let mut text = String::with_capacity(rules * 64);
    text.push_str(header);
    text.push('\n');

    let mut kind = 0usize;
    for section in 1..=rules / RULES_PER_SECTION {
        let _ = writeln!(text, "\nsection {section}: generated rules, part {section}");
        // The period rule refers to the first kind of this section, defined below.
        let _ = writeln!(
            text,
            "{section}.0 each month, every person on the roster with no event {} happened: reward 15",
            kind + 1
        );
        let _ = if section % 2 == 1 {
            writeln!(
                text,
                "{section}.0 in the same month, from the 3rd fine in section {section} on: \
                 2 times the heaviest base so far"
            )
        } else {
            writeln!(
                text,
                "{section}.0 in the same month, every 3rd reward in section {section}: \
                 2 times the highest base so far"
            )
        };
        for rule in 1..=RULES_PER_SECTION - 2 {
            kind += 1;
            if rule % 50 == 0 {
                let _ = writeln!(text, "# Rules {rule} onwards of section {section}.");
            }
            let body = match rule % 10 {
                0 => "fine 15",
                1 => "reward 20",
                2 => "reward 30 to 50",
                3 => "with more than 3 rings: fine 15",
                4 => "with a value of at least 300: reward 20",
                5 => "fine 50, and dismissal when severe",
                6 => "fine 20 for every person named",
                7 => "with more than 3 minutes and when severe: fine 30, and ordered to remedy",
                8 => "fine 2 per minute beyond 3",
                _ => {
                    "reward 200 to 300, and promotion by 1 grade when outstanding, subject to approval"
                }
            };
            // Conditions follow the kind directly; the others follow a colon.
            let separator = if body.starts_with("with ") { " " } else { ": " };
            let _ = writeln!(
                text,
                "{section}.{rule} event {kind} happened{separator}{body}"
            );
        }
    }
    text
}

/// The baseline: reads every byte of the input without parsing it.
fn count_lines(text: &str) -> usize {
    text.bytes().filter(|b| *b == b'\n').count()
}

fn parse(c: &mut Criterion) {
    let generated = generate(10_000);
    let rulebook = Rulebook::parse("generated_10k.rules", &generated)
        .expect("the generated file parses and checks");
    assert_eq!(rulebook.written_rules(), 10_000);
    Rulebook::parse("c-tower.rules", BUNDLED).expect("the bundled file parses and checks");
    Rulebook::parse("c-tower.zh-Hant.rules", BUNDLED_ZH).expect("the Chinese file too");

    let mut group = c.benchmark_group("parse");

    group.throughput(Throughput::Bytes(BUNDLED.len() as u64));
    group.bench_with_input(
        BenchmarkId::new("bundled", "parse_and_check"),
        BUNDLED,
        |b, source| b.iter(|| Rulebook::parse("c-tower.rules", black_box(source))),
    );

    group.throughput(Throughput::Bytes(BUNDLED_ZH.len() as u64));
    group.bench_with_input(
        BenchmarkId::new("bundled_zh_hant", "parse_and_check"),
        BUNDLED_ZH,
        |b, source| b.iter(|| Rulebook::parse("c-tower.zh-Hant.rules", black_box(source))),
    );

    group.throughput(Throughput::Bytes(generated.len() as u64));
    group.bench_with_input(
        BenchmarkId::new("generated_10k", "parse_and_check"),
        generated.as_str(),
        |b, source| b.iter(|| Rulebook::parse("generated_10k.rules", black_box(source))),
    );
    group.bench_with_input(
        BenchmarkId::new("generated_10k", "count_lines_baseline"),
        generated.as_str(),
        |b, source| b.iter(|| count_lines(black_box(source))),
    );

    group.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
