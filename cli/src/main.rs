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
mod sources;

use std::collections::HashSet;
use std::io::{BufRead, BufReader, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum, ValueHint};
use miette::{GraphicalReportHandler, GraphicalTheme};
use rulebook::display::escape_controls;
use rulebook::{
    Error, Evaluator, Event, Language, Ledger, LineContent, Month, Roster, RuleErrors, Rulebook,
    Version,
};

use crate::sources::{STDIN_NAME, Sources};

/// Exit status when a rule file or the command line is wrong (`docs/semantics.md` §7), a file it
/// names among them.
const EXIT_USAGE: u8 = 2;
/// Exit status when some event lines were rejected (the output is still complete).
const EXIT_REJECTED: u8 = 3;
/// Exit status when the tool itself fails (a bug, not the input).
const EXIT_INTERNAL: u8 = 70;
/// Exit status when the output could not be written (sysexits' `EX_IOERR`).
const EXIT_CANNOT_WRITE: u8 = 74;

/// Every exit status, for `--help` and the man page.
const EXIT_STATUS_HELP: &str = "\
Exit status:
  0   success: every rule file is good (check); every event line was applied or
      ignored (eval)
  2   a rule file is wrong, or the command line is (a flag, or a file it names that
      cannot be read); the problems are on standard error
  3   some event lines were rejected (eval); the output is still complete, and says
      which and why
  70  rulebook failed: a bug in rulebook, not in your files; please report it
  74  the output could not be written (a full disk, say)
A reader that stops reading early (`rulebook eval ... | head`) is not a failure: the
status is the one the whole output would have had.";

#[derive(Parser)]
#[command(
    name = "rulebook",
    version,
    about = "Executable, explainable reward-and-penalty rules",
    after_help = EXIT_STATUS_HELP
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse and check rule files; print a summary of each, or every problem found.
    ///
    /// A directory that holds `*.rules` files is one policy: its files are the versions of
    /// that policy, checked as a set. A directory that holds none (such as `rules/`, one
    /// directory per language) holds policies: each of its subdirectories is checked as its
    /// own set. `-` reads one rule file from standard input.
    #[command(after_help = EXIT_STATUS_HELP)]
    Check {
        /// The rule files, directories of versions, or directories of those, to check;
        /// `-` for standard input.
        #[arg(required = true, value_name = "FILE_OR_DIR", value_hint = ValueHint::AnyPath)]
        files: Vec<PathBuf>,
        /// Keep running, and check again each time a file is saved (stop with Ctrl-C).
        #[arg(long)]
        watch: bool,
    },
    /// Evaluate events (JSON Lines) against a rulebook: statements per person and month.
    #[command(after_help = EXIT_STATUS_HELP)]
    Eval {
        /// The rule file, or a directory of the versions of a policy (every `*.rules` file
        /// in it): each event is judged by the version in force at its instant. `-` reads
        /// the rule file from standard input.
        #[arg(long, value_name = "FILE_OR_DIR", value_hint = ValueHint::AnyPath)]
        rules: PathBuf,
        /// The people the monthly rules are judged for: one staff id a line, `#` comments.
        /// Without it, everyone named in the events. `-` reads standard input.
        #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
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
        /// The events, one JSON object a line; `-` or nothing reads standard input. Several
        /// files are read in order, as one stream; lines are numbered in each file, and
        /// every reference to a line names its file (`b.jsonl:7`).
        #[arg(value_name = "EVENTS.jsonl", value_hint = ValueHint::FilePath)]
        events: Vec<PathBuf>,
    },
    /// Print a completion script for a shell: `rulebook completions bash > /etc/bash_completion.d/rulebook`.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print a manual page (roff): `rulebook man > rulebook.1`, `rulebook man eval >
    /// rulebook-eval.1`.
    Man {
        /// The command whose page to print: none for `rulebook(1)`, or a subcommand for
        /// `rulebook-SUBCOMMAND(1)`.
        #[arg(value_parser = ["check", "eval", "completions", "man"])]
        command: Option<String>,
    },
}

/// The manual page of `rulebook`, or of one of its subcommands (`rulebook-eval(1)`).
fn manual_page(subcommand: Option<&str>) -> std::io::Result<Vec<u8>> {
    let command = Cli::command();
    let command = match subcommand {
        None => command,
        Some(name) => {
            let page: &'static str = match name {
                "check" => "rulebook-check",
                "eval" => "rulebook-eval",
                "completions" => "rulebook-completions",
                _ => "rulebook-man",
            };
            let bin: &'static str = match name {
                "check" => "rulebook check",
                "eval" => "rulebook eval",
                "completions" => "rulebook completions",
                _ => "rulebook man",
            };
            let found = command.find_subcommand(name).cloned();
            let found =
                found.ok_or_else(|| std::io::Error::other(format!("no command `{name}`")))?;
            found.name(page).bin_name(bin)
        }
    };
    let mut page = Vec::new();
    clap_mangen::Man::new(command).render(&mut page)?;
    Ok(page)
}

/// Output formats of `rulebook eval`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// For a person at a terminal: a block per person and month, in the rule file's language.
    Table,
    /// One JSON document, for programs: the rulebook, statements, ignored, rejected.
    Json,
    /// A row per person and month (every person, every month, zero or not), for payroll import.
    Csv,
}

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
            let code = if error.use_stderr() { EXIT_USAGE } else { 0 };
            // `--help` into a closed pipe is no failure either.
            let _ = error.print();
            return ExitCode::from(code);
        }
    };
    match cli.command {
        Command::Check { files, watch } if watch => watch_and_check(&files),
        Command::Check { files, .. } => {
            let mut out = Stdout::new();
            let status = check(&files, &mut out);
            out.finish(status)
        }
        Command::Eval {
            rules,
            roster,
            format,
            stream,
            events,
        } => eval(&rules, roster.as_deref(), format, stream, &events),
        Command::Completions { shell } => {
            let mut out = Stdout::new();
            let mut command = Cli::command();
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut command, "rulebook", &mut script);
            out.write(&script);
            out.finish(0)
        }
        Command::Man { command } => {
            let mut out = Stdout::new();
            match manual_page(command.as_deref()) {
                Ok(page) => out.write(&page),
                Err(error) => return fail(format!("cannot make the manual page: {error}")),
            }
            out.finish(0)
        }
    }
}

/// Standard output, for lines and documents: a failure is remembered, not a panic (as
/// `println!` would), and decides the exit status at the end ([`Stdout::finish`]).
struct Stdout {
    out: std::io::BufWriter<std::io::StdoutLock<'static>>,
    error: Option<std::io::Error>,
}

impl Stdout {
    fn new() -> Stdout {
        Stdout {
            out: std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock()),
            error: None,
        }
    }

    /// Writes `bytes`, unless an earlier write failed.
    fn write(&mut self, bytes: &[u8]) {
        if self.error.is_none() {
            self.error = self.out.write_all(bytes).err();
        }
    }

    /// Writes a line and shows it at once (`check --watch` prints as it goes).
    fn line(&mut self, text: &str) {
        self.write(text.as_bytes());
        self.write(b"\n");
        if self.error.is_none() {
            self.error = self.out.flush().err();
        }
    }

    /// Records the result of writing a whole document.
    fn record(&mut self, written: std::io::Result<()>) {
        if self.error.is_none() {
            self.error = written.err();
        }
    }

    /// Whether standard output still takes what is written.
    fn open(&self) -> bool {
        self.error.is_none()
    }

    /// Flushes, and gives the exit status: `status`, or [`EXIT_CANNOT_WRITE`] with a
    /// sentence when writing failed — unless the reader closed the pipe, which is its choice
    /// (`| head`), not a failure.
    fn finish(self, status: u8) -> ExitCode {
        ExitCode::from(self.status(status))
    }

    /// [`Stdout::finish`]'s status, as a number.
    fn status(mut self, status: u8) -> u8 {
        if self.error.is_none() {
            self.error = self.out.flush().err();
        }
        match self.error {
            None => status,
            Some(error) if error.kind() == std::io::ErrorKind::BrokenPipe => status,
            Some(error) => {
                eprintln!("error: cannot write to standard output: {}", shown(&error));
                EXIT_CANNOT_WRITE
            }
        }
    }
}

/// Says what went wrong and gives the exit status for a wrong command line or rule file.
fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {}", shown(&message));
    ExitCode::from(EXIT_USAGE)
}

/// Refuses `-` for more than one input: standard input can be read once.
fn one_stdin<'a>(inputs: impl IntoIterator<Item = (&'a str, &'a Path)>) -> Result<(), String> {
    let named: Vec<&str> = inputs
        .into_iter()
        .filter(|(_, path)| is_stdin(path))
        .map(|(what, _)| what)
        .collect();
    if named.len() > 1 {
        return Err(format!(
            "standard input (`-`) can be read only once, but is given for {}",
            named.join(" and ")
        ));
    }
    Ok(())
}

fn is_stdin(path: &Path) -> bool {
    path == Path::new("-")
}

/// How a path is named in messages: `<stdin>` for `-`.
fn display_name(path: &Path) -> String {
    if is_stdin(path) {
        STDIN_NAME.to_owned()
    } else {
        path.display().to_string()
    }
}

/// At most `limit + 1` bytes of standard input: one more than the limit is enough to know
/// it is too large.
fn read_stdin(limit: usize) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(limit as u64 + 1)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Loads rules: a file, a directory of versions, or `-` (one file on standard input).
fn load_rules(path: &Path) -> Result<Rulebook, Error> {
    if !is_stdin(path) {
        return Rulebook::load(path);
    }
    let bytes =
        read_stdin(rulebook::limits::MAX_RULE_FILE_BYTES).map_err(|source| Error::Read {
            path: PathBuf::from(STDIN_NAME),
            source,
        })?;
    Ok(Rulebook::from_bytes(STDIN_NAME, &bytes)?)
}

/// The policies a directory holds when it holds no `*.rules` file itself: its
/// subdirectories (not hidden ones), sorted; empty for any other path.
fn policies_in(path: &Path) -> Result<Vec<PathBuf>, String> {
    if !path.is_dir() {
        return Ok(Vec::new());
    }
    let cannot = |error: std::io::Error| format!("cannot read `{}`: {error}", path.display());
    let mut subdirectories = Vec::new();
    for entry in std::fs::read_dir(path).map_err(cannot)? {
        let entry = entry.map_err(cannot)?;
        let child = entry.path();
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if child.is_dir() {
            if !hidden {
                subdirectories.push(child);
            }
        } else if child.extension().is_some_and(|e| e == "rules") {
            // A policy of its own: its files are its versions.
            return Ok(Vec::new());
        }
    }
    subdirectories.sort();
    Ok(subdirectories)
}

fn eval(
    rules: &Path,
    roster: Option<&Path>,
    format: Format,
    stream: bool,
    events: &[PathBuf],
) -> ExitCode {
    let stdin = PathBuf::from("-");
    let events: Vec<&Path> = if events.is_empty() {
        vec![&stdin]
    } else {
        events.iter().map(PathBuf::as_path).collect()
    };
    let inputs = [("`--rules`", rules)]
        .into_iter()
        .chain(roster.map(|roster| ("`--roster`", roster)))
        .chain(events.iter().map(|path| ("the events", *path)));
    if let Err(message) = one_stdin(inputs) {
        return fail(message);
    }
    let rulebook = match load_rules(rules) {
        Ok(rulebook) => Arc::new(rulebook),
        Err(error @ Error::NoRuleFiles { .. }) => {
            return match policies_in(rules) {
                Ok(policies) if !policies.is_empty() => fail(several_policies(rules, &policies)),
                _ => {
                    eprint!("{}", render_error(&error));
                    ExitCode::from(EXIT_USAGE)
                }
            };
        }
        Err(error) => {
            eprint!("{}", render_error(&error));
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let roster = match roster.map(read_roster).transpose() {
        Ok(roster) => roster,
        Err(message) => return fail(message),
    };
    let mut inputs = Vec::with_capacity(events.len());
    for path in &events {
        match open_events(path) {
            Ok(input) => inputs.push(input),
            Err(message) => return fail(message),
        }
    }
    let sources = Sources::new(events.iter().map(|path| display_name(path)).collect());
    let evaluated = if stream {
        streamed(&rulebook, inputs, &sources, roster.as_ref(), format)
    } else {
        sorted(&rulebook, inputs, &sources, roster.as_ref(), format)
    };
    let (ledger, seen) = match evaluated {
        Ok(evaluated) => evaluated,
        Err(error) => return fail(sources.references_in(&error)),
    };
    let mut report = ledger.report();
    drop(ledger);
    let run = output::Run {
        people: match &roster {
            Some(roster) => roster.people().to_vec(),
            None => seen.people_not_in(&report),
        },
        months: seen.months(&report),
    };
    let files = sources::localize(&mut report, &sources);
    let context = output::Context {
        rulebook: &rulebook,
        sources: &sources,
        files: &files,
    };
    let mut stdout = Stdout::new();
    let written = match format {
        Format::Json => output::json(&mut stdout.out, &report, &context),
        Format::Csv => output::csv(&mut stdout.out, &report, &context, &run),
        Format::Table => stdout
            .out
            .write_all(output::table(&report, &context).as_bytes()),
    };
    stdout.record(written);
    if format == Format::Csv {
        // The CSV has no room for them: say which lines were rejected, and why.
        for (index, rejected) in report.rejected.iter().enumerate() {
            let line = context.line(rejected.line, files.rejected(index));
            eprintln!(
                "{}: {}",
                output::rejected_place(rejected, line),
                escape_controls(&rejected.why)
            );
        }
    }
    let status = if report.rejected.is_empty() {
        0
    } else {
        EXIT_REJECTED
    };
    stdout.finish(status)
}

/// What `eval --rules DIR` says of a directory of policies: which to name.
fn several_policies(dir: &Path, policies: &[PathBuf]) -> String {
    let names: Vec<String> = policies
        .iter()
        .map(|p| format!("`{}`", p.display()))
        .collect();
    format!(
        "`{}` holds no `.rules` file, but {} directories of rules ({}): name the one to evaluate by, such as `--rules {}`",
        dir.display(),
        policies.len(),
        names.join(", "),
        policies
            .first()
            .map_or(String::new(), |p| p.display().to_string())
    )
}

/// An events input, open: a file, or standard input for `-`.
struct EventInput {
    reader: Box<dyn BufRead>,
}

fn open_events(path: &Path) -> Result<EventInput, String> {
    let name = display_name(path);
    if is_stdin(path) {
        return Ok(EventInput {
            reader: Box::new(BufReader::with_capacity(1 << 16, std::io::stdin().lock())),
        });
    }
    if path.is_dir() {
        return Err(format!(
            "cannot read `{name}`: it is a directory; name the event files in it (`{name}/*.jsonl`)"
        ));
    }
    match std::fs::File::open(path) {
        Ok(file) => Ok(EventInput {
            reader: Box::new(BufReader::with_capacity(1 << 16, file)),
        }),
        Err(error) => Err(format!("cannot read `{name}`: {error}")),
    }
}

/// Reads a roster file (or `-`), at most
/// [`MAX_ROSTER_BYTES`](rulebook::limits::MAX_ROSTER_BYTES) of it: a larger one (or one that
/// never ends, such as `/dev/zero`) is refused before it fills memory.
fn read_roster(path: &Path) -> Result<Roster, String> {
    let limit = rulebook::limits::MAX_ROSTER_BYTES;
    let name = display_name(path);
    let cannot =
        |error: &dyn std::fmt::Display| format!("cannot read the roster `{name}`: {error}");
    let bytes = if is_stdin(path) {
        read_stdin(limit).map_err(|e| cannot(&e))?
    } else {
        if path.is_dir() {
            return Err(cannot(&"it is a directory"));
        }
        let file = std::fs::File::open(path).map_err(|e| cannot(&e))?;
        let mut bytes = Vec::new();
        file.take(limit as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| cannot(&e))?;
        bytes
    };
    if bytes.len() > limit {
        return Err(format!(
            "the roster `{name}` is larger than {} MiB, the most a roster may be (one staff id a line)",
            limit >> 20
        ));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "the roster `{name}` is not UTF-8 text (byte {} is not)",
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

/// The event lines of every input, in order, each with the number the library is given
/// ([`Sources::number`]); the first input that cannot be read stops them, and is named.
fn numbered_lines<'a>(
    inputs: Vec<EventInput>,
    sources: &'a Sources,
    failure: &'a mut Option<String>,
) -> impl Iterator<Item = rulebook::Line> + 'a {
    inputs
        .into_iter()
        .enumerate()
        .flat_map(|(file, input)| rulebook::read_events(input.reader).map(move |line| (file, line)))
        .map_while(move |(file, line)| {
            if failure.is_some() {
                return None;
            }
            let name = sources.names().get(file).map_or("", String::as_str);
            let result = line
                .map_err(|error| format!("cannot read `{name}`: {error}"))
                .and_then(|mut line| {
                    line.number = sources
                        .number(file, line.number)
                        .ok_or_else(|| format!("`{name}` has more lines than can be numbered"))?;
                    Ok(line)
                });
            match result {
                Ok(line) => Some(line),
                Err(message) => {
                    *failure = Some(message);
                    None
                }
            }
        })
}

/// Reads every event, then sorts and applies them (`docs/semantics.md` §1).
fn sorted(
    rulebook: &Arc<Rulebook>,
    inputs: Vec<EventInput>,
    sources: &Sources,
    roster: Option<&Roster>,
    format: Format,
) -> Result<(Ledger, Seen), String> {
    let mut ledger = ledger_for(rulebook, format);
    let mut seen = Seen::new(format == Format::Csv, rulebook);
    let mut failure = None;
    let events = numbered_lines(inputs, sources, &mut failure)
        .filter_map(rulebook::Line::into_event)
        .inspect(|(number, event)| {
            if let Ok(event) = event {
                seen.line(*number, event);
            }
        });
    let evaluated = rulebook::evaluate_into(&mut ledger, events, roster);
    if let Some(message) = failure {
        return Err(message);
    }
    evaluated.map_err(|e| e.to_string())?;
    Ok((ledger, seen))
}

/// Applies each event as it is read; months are closed at the end.
fn streamed(
    rulebook: &Arc<Rulebook>,
    inputs: Vec<EventInput>,
    sources: &Sources,
    roster: Option<&Roster>,
    format: Format,
) -> Result<(Ledger, Seen), String> {
    let mut evaluator = Evaluator::new(Arc::clone(rulebook));
    let mut ledger = ledger_for(rulebook, format);
    let mut seen = Seen::new(format == Format::Csv, rulebook);
    let mut failure = None;
    for line in numbered_lines(inputs, sources, &mut failure) {
        let LineContent::Event(event) = line.content else {
            continue;
        };
        let applied = event.and_then(|event| {
            let prepared = evaluator.prepare(Some(line.number), &event)?;
            evaluator.apply_prepared(&prepared, &mut ledger)?;
            Ok(event)
        });
        match applied {
            Ok(event) => seen.applied(&event),
            Err(rejection) => ledger.reject(line.number, rejection),
        }
    }
    if let Some(message) = failure {
        return Err(message);
    }
    evaluator
        .close_all(roster, &mut ledger)
        .map_err(|e| e.to_string())?;
    seen.stream_months = evaluator.months();
    Ok((ledger, seen))
}

/// What the CSV needs to know of the lines applied or ignored (`docs/semantics.md` §7: a row for
/// every person judged in every month of the run): their months, and without a roster the
/// people they name. Kept only for CSV.
///
/// Sorted evaluation learns which lines were rejected only at the end, so it keeps each
/// line's month and each person's lines; streaming knows at once.
struct Seen {
    keep: bool,
    rulebook: Arc<Rulebook>,
    /// Sorted: each line's number and month.
    months: Vec<(u64, Month)>,
    /// Sorted: each person's lines.
    lines_of: std::collections::HashMap<String, Vec<u64>>,
    /// Streamed: the people named on a line applied or ignored.
    named: HashSet<String>,
    /// Streamed: the evaluator's own months.
    stream_months: Option<(Month, Month)>,
}

impl Seen {
    fn new(keep: bool, rulebook: &Arc<Rulebook>) -> Seen {
        Seen {
            keep,
            rulebook: Arc::clone(rulebook),
            months: Vec::new(),
            lines_of: std::collections::HashMap::new(),
            named: HashSet::new(),
            stream_months: None,
        }
    }

    /// A line read (sorted evaluation): whether it counts is known at the end.
    fn line(&mut self, number: u64, event: &Event) {
        if !self.keep {
            return;
        }
        // The evaluator's month: the local month of `at` in the rulebook's time zone. A
        // line whose `at` is no timestamp is rejected, and counts for nothing.
        if let Ok(stamp) = rulebook::Stamp::parse(&event.at, self.rulebook.header().time_zone) {
            self.months.push((number, stamp.month()));
        }
        for person in event.who.people() {
            match self.lines_of.get_mut(person.as_str()) {
                Some(lines) => lines.push(number),
                None => {
                    self.lines_of.insert(person.clone(), vec![number]);
                }
            }
        }
    }

    /// A line applied or ignored (streaming).
    fn applied(&mut self, event: &Event) {
        if !self.keep {
            return;
        }
        for person in event.who.people() {
            if !self.named.contains(person.as_str()) {
                self.named.insert(person.clone());
            }
        }
    }

    /// The lines of `report` that were rejected.
    fn rejected(report: &rulebook::Report) -> HashSet<u64> {
        report.rejected.iter().filter_map(|r| r.line).collect()
    }

    /// The first and last month of the lines applied or ignored.
    fn months(&self, report: &rulebook::Report) -> Option<(Month, Month)> {
        if self.stream_months.is_some() {
            return self.stream_months;
        }
        let rejected = Seen::rejected(report);
        let months = self
            .months
            .iter()
            .filter(|(line, _)| !rejected.contains(line))
            .map(|(_, month)| *month);
        months.clone().min().zip(months.max())
    }

    /// The people named on a line applied or ignored, sorted.
    fn people_not_in(&self, report: &rulebook::Report) -> Vec<String> {
        let mut people: Vec<String> = if self.lines_of.is_empty() {
            self.named.iter().cloned().collect()
        } else {
            let rejected = Seen::rejected(report);
            self.lines_of
                .iter()
                .filter(|(_, lines)| lines.iter().any(|line| !rejected.contains(line)))
                .map(|(person, _)| person.clone())
                .collect()
        };
        people.sort();
        people
    }
}

/// What `rulebook check` checks for one path on its command line.
enum Target {
    /// `-`: one rule file on standard input.
    Stdin,
    /// A rule file, or a directory of versions.
    Path(PathBuf),
}

/// The paths of `check`, with each directory of policies in place of its subdirectories.
fn targets(paths: &[PathBuf]) -> Result<Vec<Target>, String> {
    one_stdin(paths.iter().map(|path| ("a file to check", path.as_path())))?;
    let mut targets = Vec::with_capacity(paths.len());
    for path in paths {
        if is_stdin(path) {
            targets.push(Target::Stdin);
            continue;
        }
        let policies = policies_in(path)?;
        if policies.is_empty() {
            targets.push(Target::Path(path.clone()));
        } else {
            targets.extend(policies.into_iter().map(Target::Path));
        }
    }
    Ok(targets)
}

fn check(paths: &[PathBuf], out: &mut Stdout) -> u8 {
    let targets = match targets(paths) {
        Ok(targets) => targets,
        Err(message) => {
            eprintln!("error: {}", shown(&message));
            return EXIT_USAGE;
        }
    };
    let mut failed = false;
    for target in &targets {
        let (name, loaded) = match target {
            Target::Stdin => (STDIN_NAME.to_owned(), load_rules(Path::new("-"))),
            Target::Path(path) => (path.display().to_string(), Rulebook::load(path)),
        };
        match loaded {
            Ok(rulebook) => {
                let versions = rulebook.versions();
                if versions.len() > 1 {
                    let language = output::language_of(versions);
                    let count = versions.len();
                    let name = escape_controls(&name);
                    out.line(&match output::chinese(language, "個版本", "个版本") {
                        Some(versions) => format!("{name}：{count} {versions}"),
                        None => format!("{name}: {count} versions"),
                    });
                }
                for version in versions {
                    out.line(&version_summary(version));
                }
            }
            Err(error) => {
                failed = true;
                eprint!("{}", render_error(&error));
            }
        }
    }
    if failed { EXIT_USAGE } else { 0 }
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

/// Checks the files, then again each time one of them changes, until stopped (or until
/// nobody reads standard output any more).
fn watch_and_check(paths: &[PathBuf]) -> ExitCode {
    if paths.iter().any(|path| is_stdin(path)) {
        return fail("`--watch` watches files: standard input (`-`) cannot be watched");
    }
    let targets = match targets(paths) {
        Ok(targets) => targets,
        Err(message) => return fail(message),
    };
    let watched: Vec<PathBuf> = targets
        .into_iter()
        .filter_map(|target| match target {
            Target::Path(path) => Some(path),
            Target::Stdin => None,
        })
        .collect();
    let mut out = Stdout::new();
    check(&watched, &mut out);
    let mut watches = Vec::with_capacity(watched.len());
    for path in &watched {
        let changed = path.clone();
        let watch =
            rulebook::watch::on_change(path, rulebook::watch::DEFAULT_DEBOUNCE, move || {
                let mut out = Stdout::new();
                out.line(&format!(
                    "\n--- `{}` changed; checking again",
                    shown(&changed.display())
                ));
                check(std::slice::from_ref(&changed), &mut out);
                out.line("--- waiting for changes (Ctrl-C to stop)");
                if !out.open() {
                    // Nobody reads what we print any more: stop, as `| head` expects.
                    std::process::exit(i32::from(out.status(0)));
                }
            });
        match watch {
            Ok(watch) => watches.push(watch),
            Err(error) => return fail(error),
        }
    }
    out.line("--- waiting for changes (Ctrl-C to stop)");
    if !out.open() {
        return out.finish(0);
    }
    drop(out);
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

    #[test]
    fn the_help_lists_every_exit_status() {
        for status in [EXIT_USAGE, EXIT_REJECTED, EXIT_INTERNAL, EXIT_CANNOT_WRITE] {
            assert!(
                EXIT_STATUS_HELP.contains(&format!("\n  {status:<3} ")),
                "{status} is not in the help"
            );
        }
        assert!(EXIT_STATUS_HELP.contains("\n  0   "));
    }
}
