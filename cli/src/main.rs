//! `rulebook`: check rule files, and evaluate events against them.
//!
//! Thin by design: it parses flags, calls the library, and renders what the library returns.
//!
//! Everything it prints for a person that holds text from the input (a staff id, an event
//! kind, a title, a file name) goes through [`rulebook::display::escape_controls`], so that no
//! control character reaches the terminal raw: the table and CSV/JSON in `output`, and here
//! the lines on standard error, the summaries of `check`, and the closing line of a report
//! (miette's rendering of each problem is made safe by the library).

mod output;

use std::io::{BufRead, BufReader, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand, ValueEnum};
use miette::{GraphicalReportHandler, GraphicalTheme};
use rulebook::display::escape_controls;
use rulebook::{
    Error, Evaluator, Language, Ledger, LineContent, Roster, RuleErrors, Rulebook, Version,
};

/// Exit status when a rule file or the command line is wrong.
const EXIT_BAD_RULES: u8 = 2;
/// Exit status when some event lines were rejected (the output is still complete).
const EXIT_REJECTED: u8 = 3;

#[derive(Parser)]
#[command(
    name = "rulebook",
    version,
    about = "Executable, explainable reward-and-penalty rules"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse and check rule files; print a summary of each, or every problem found. A
    /// directory is checked as the versions of one policy.
    Check {
        /// The rule files, or directories of versions, to check.
        #[arg(required = true, value_name = "FILE_OR_DIR")]
        files: Vec<PathBuf>,
        /// Keep running, and check again each time a file is saved (stop with Ctrl-C).
        #[arg(long)]
        watch: bool,
    },
    /// Evaluate events (JSON Lines) against a rulebook: statements per person and month.
    Eval {
        /// The rule file, or a directory of the versions of a policy (every `*.rules` file
        /// in it): each event is judged by the version in force at its instant.
        #[arg(long, value_name = "FILE_OR_DIR")]
        rules: PathBuf,
        /// The people the monthly rules are judged for: one staff id a line, `#` comments.
        /// Without it, everyone named in the events.
        #[arg(long, value_name = "FILE")]
        roster: Option<PathBuf>,
        /// How to print the result.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Apply events as they are read instead of sorting them first: each person's
        /// events must come in time order (an earlier one is rejected). Memory then grows
        /// with people × months, not with events — with `--format csv`, which prints no
        /// entries, not even with the number of entries.
        #[arg(long)]
        stream: bool,
        /// The events, one JSON object a line; `-` or nothing reads standard input.
        #[arg(value_name = "EVENTS.jsonl")]
        events: Option<PathBuf>,
    },
}

/// Output formats of `rulebook eval`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// For a person at a terminal: a block per person and month.
    Table,
    /// One JSON document: statements, ignored, rejected.
    Json,
    /// One row per person and month, for payroll import.
    Csv,
}

/// Exit status when the tool itself fails (a bug, not the input).
const EXIT_INTERNAL: u8 = 70;

fn main() -> ExitCode {
    // A panic is a bug of ours: say so in a sentence, never with a Rust backtrace.
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "error: rulebook failed unexpectedly{place}; this is a bug in rulebook, not in your files — please report it with the input that caused it"
        );
    }));
    rulebook::limits::limit_parser_calls();
    std::panic::catch_unwind(run).unwrap_or(ExitCode::from(EXIT_INTERNAL))
}

fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let code = if error.use_stderr() {
                EXIT_BAD_RULES
            } else {
                0
            };
            let _ = error.print();
            return ExitCode::from(code);
        }
    };
    match cli.command {
        Command::Check { files, watch } if watch => watch_and_check(&files),
        Command::Check { files, .. } => check(&files),
        Command::Eval {
            rules,
            roster,
            format,
            stream,
            events,
        } => eval(&rules, roster.as_deref(), format, stream, events.as_deref()),
    }
}

/// Says what went wrong and gives the exit status for a wrong command line or rule file.
fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {}", shown(&message));
    ExitCode::from(EXIT_BAD_RULES)
}

fn eval(
    rules: &Path,
    roster: Option<&Path>,
    format: Format,
    stream: bool,
    events: Option<&Path>,
) -> ExitCode {
    let rulebook = match Rulebook::load(rules) {
        Ok(rulebook) => Arc::new(rulebook),
        Err(error) => {
            eprint!("{}", render_error(&error));
            return ExitCode::from(EXIT_BAD_RULES);
        }
    };
    let roster = match roster.map(read_roster).transpose() {
        Ok(roster) => roster,
        Err(message) => return fail(message),
    };
    let input: Box<dyn BufRead> = match events {
        None => Box::new(BufReader::new(std::io::stdin().lock())),
        Some(path) if path == Path::new("-") => Box::new(BufReader::new(std::io::stdin().lock())),
        Some(path) => match std::fs::File::open(path) {
            Ok(file) => Box::new(BufReader::with_capacity(1 << 16, file)),
            Err(error) => return fail(format!("cannot read `{}`: {error}", path.display())),
        },
    };
    let ledger = if stream {
        streamed(&rulebook, input, roster.as_ref(), format)
    } else {
        sorted(&rulebook, input, roster.as_ref(), format)
    };
    let ledger = match ledger {
        Ok(ledger) => ledger,
        Err(error) => return fail(error),
    };
    let report = ledger.report();
    drop(ledger);
    let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let written = match format {
        Format::Json => output::json(&mut stdout, &report),
        Format::Csv => output::csv(&mut stdout, &report),
        Format::Table => stdout.write_all(output::table(&report, &rulebook).as_bytes()),
    };
    if let Err(error) = written.and_then(|()| stdout.flush()) {
        // A closed pipe (`| head`) is not worth a message.
        if error.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: cannot write the result: {}", shown(&error));
        }
        return ExitCode::from(EXIT_BAD_RULES);
    }
    if format == Format::Csv {
        // The CSV has no room for them: say which lines were rejected, and why.
        for rejected in &report.rejected {
            eprintln!(
                "{}: {}",
                output::rejected_place(rejected),
                escape_controls(&rejected.why)
            );
        }
    }
    if report.rejected.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_REJECTED)
    }
}

/// Reads a roster file, at most [`MAX_ROSTER_BYTES`](rulebook::limits::MAX_ROSTER_BYTES) of
/// it: a larger one (or one that never ends, such as `/dev/zero`) is refused before it
/// fills memory.
fn read_roster(path: &Path) -> Result<Roster, String> {
    use std::io::Read as _;
    let limit = rulebook::limits::MAX_ROSTER_BYTES;
    let cannot = |error: &dyn std::fmt::Display| {
        format!("cannot read the roster `{}`: {error}", path.display())
    };
    let file = std::fs::File::open(path).map_err(|e| cannot(&e))?;
    let mut bytes = Vec::new();
    file.take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| cannot(&e))?;
    if bytes.len() > limit {
        return Err(format!(
            "the roster `{}` is larger than {} MiB, the most a roster may be (one staff id a line)",
            path.display(),
            limit >> 20
        ));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "the roster `{}` is not UTF-8 text (byte {} is not)",
            path.display(),
            e.utf8_error().valid_up_to() + 1
        )
    })?;
    Roster::parse(&text).map_err(|error| format!("the roster `{}`: {error}", path.display()))
}

/// A ledger for the format: CSV prints no entries, so none are kept.
fn ledger_for(rulebook: &Arc<Rulebook>, format: Format) -> Ledger {
    if format == Format::Csv {
        Ledger::totals_only(Arc::clone(rulebook))
    } else {
        Ledger::new(Arc::clone(rulebook))
    }
}

/// Reads every event, then sorts and applies them (`semantics.md` §1).
fn sorted(
    rulebook: &Arc<Rulebook>,
    input: Box<dyn BufRead>,
    roster: Option<&Roster>,
    format: Format,
) -> Result<Ledger, String> {
    let mut ledger = ledger_for(rulebook, format);
    let mut read_error = None;
    let lines = rulebook::read_events(input).map_while(|line| match line {
        Ok(line) => Some(line),
        Err(error) => {
            read_error = Some(error);
            None
        }
    });
    let events = lines.filter_map(rulebook::Line::into_event);
    let evaluated = rulebook::evaluate_into(&mut ledger, events, roster);
    if let Some(error) = read_error {
        return Err(format!("cannot read the events: {error}"));
    }
    evaluated.map_err(|e| e.to_string())?;
    Ok(ledger)
}

/// Applies each event as it is read; months are closed at the end.
fn streamed(
    rulebook: &Arc<Rulebook>,
    input: Box<dyn BufRead>,
    roster: Option<&Roster>,
    format: Format,
) -> Result<Ledger, String> {
    let mut evaluator = Evaluator::new(Arc::clone(rulebook));
    let mut ledger = ledger_for(rulebook, format);
    for line in rulebook::read_events(input) {
        let line = line.map_err(|error| format!("cannot read the events: {error}"))?;
        let LineContent::Event(event) = line.content else {
            continue;
        };
        let applied = event
            .and_then(|event| evaluator.prepare(Some(line.number), &event))
            .and_then(|event| evaluator.apply_prepared(&event, &mut ledger));
        if let Err(rejection) = applied {
            ledger.reject(line.number, rejection);
        }
    }
    evaluator
        .close_all(roster, &mut ledger)
        .map_err(|e| e.to_string())?;
    Ok(ledger)
}

fn check(files: &[PathBuf]) -> ExitCode {
    let mut failed = false;
    for path in files {
        match Rulebook::load(path) {
            Ok(rulebook) => {
                let versions = rulebook.versions();
                if versions.len() > 1 {
                    let language = output::language_of(versions);
                    let count = versions.len();
                    let name = shown(&path.display());
                    println!(
                        "{}",
                        match output::chinese(language, "個版本", "个版本") {
                            Some(versions) => format!("{name}：{count} {versions}"),
                            None => format!("{name}: {count} versions"),
                        }
                    );
                }
                for version in versions {
                    println!("{}", version_summary(version));
                }
            }
            Err(error) => {
                failed = true;
                eprint!("{}", render_error(&error));
            }
        }
    }
    if failed {
        ExitCode::from(EXIT_BAD_RULES)
    } else {
        ExitCode::SUCCESS
    }
}

/// What `rulebook check` says of a version that loaded, in its file's language.
fn version_summary(version: &Version) -> String {
    let header = version.header();
    summary_line(
        version.language(),
        version.name(),
        &header.title,
        &header.effective.to_string(),
        version.until().map(|day| day.to_string()).as_deref(),
        version.section_count(),
        version.written_rules(),
    )
}

/// `name: title — effective …, N sections, N rules`, in `language`; the name and the title
/// with control characters escaped.
fn summary_line(
    language: Language,
    name: &str,
    title: &str,
    effective: &str,
    until: Option<&str>,
    sections: usize,
    rules: usize,
) -> String {
    let (name, title) = (escape_controls(name), escape_controls(title));
    let chinese_words =
        output::chinese(language, "節", "节").zip(output::chinese(language, "條規則", "条规则"));
    match chinese_words {
        Some((sections_word, rules_word)) => {
            let until = until
                .map(|day| format!("，有效期至 {day}"))
                .unwrap_or_default();
            format!(
                "{name}：{title} — {effective} 起生效{until}，{sections} {sections_word}，{rules} {rules_word}"
            )
        }
        None => {
            let until = until.map(|day| format!(" until {day}")).unwrap_or_default();
            format!(
                "{name}: {title} — effective {effective}{until}, {sections} sections, {rules} rules"
            )
        }
    }
}

/// Checks the files, then again each time one of them changes, until stopped.
fn watch_and_check(files: &[PathBuf]) -> ExitCode {
    check(files);
    let mut watches = Vec::with_capacity(files.len());
    for path in files {
        let changed = path.clone();
        let watch =
            rulebook::watch::on_change(path, rulebook::watch::DEFAULT_DEBOUNCE, move || {
                println!(
                    "\n--- `{}` changed; checking again",
                    shown(&changed.display())
                );
                check(std::slice::from_ref(&changed));
                println!("--- waiting for changes (Ctrl-C to stop)");
            });
        match watch {
            Ok(watch) => watches.push(watch),
            Err(error) => return fail(error),
        }
    }
    println!("--- waiting for changes (Ctrl-C to stop)");
    loop {
        std::thread::park();
    }
}

/// A loading error: each file's problems in place, or one sentence.
fn render_error(error: &Error) -> String {
    match error {
        Error::Rules(errors) => render(errors),
        Error::Versions(set) => {
            let mut out: String = set.files().iter().map(render).collect();
            if set.files().len() > 1 {
                out.push_str(&format!("error: {}\n", shown(set)));
            }
            if set.files().is_empty() {
                out.push_str(&format!("error: {}\n", shown(set)));
            }
            out
        }
        other => format!("error: {}\n", shown(other)),
    }
}

/// Every problem of a file, each with the offending line underlined, then a count.
fn render(errors: &RuleErrors) -> String {
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let theme = if colour {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
    let mut out = String::new();
    for report in errors.reports() {
        // The library gives miette the file's lines, its name and the texts escaped.
        if handler.render_report(&mut out, &report).is_err() {
            out.push_str(&format!("{report}\n"));
        }
        out.push('\n');
    }
    out.push_str(&format!("error: {}\n", shown(errors)));
    out
}

/// A one-line message with control characters escaped.
fn shown(message: &impl std::fmt::Display) -> String {
    escape_controls(&message.to_string()).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_speaks_the_file_language() {
        let line = |language| {
            summary_line(
                language,
                "a.rules",
                "T",
                "2025-08-15",
                Some("2025-12-31"),
                3,
                12,
            )
        };
        assert_eq!(
            line(Language::English),
            "a.rules: T — effective 2025-08-15 until 2025-12-31, 3 sections, 12 rules"
        );
        assert_eq!(
            line(Language::TraditionalChinese),
            "a.rules：T — 2025-08-15 起生效，有效期至 2025-12-31，3 節，12 條規則"
        );
        assert_eq!(
            line(Language::SimplifiedChinese),
            "a.rules：T — 2025-08-15 起生效，有效期至 2025-12-31，3 节，12 条规则"
        );
        assert_eq!(
            summary_line(
                Language::TraditionalChinese,
                "b",
                "獎懲細則",
                "2025-01-01",
                None,
                1,
                1
            ),
            "b：獎懲細則 — 2025-01-01 起生效，1 節，1 條規則"
        );
    }
}
