//! `rulebook`: check rule files (and, later, evaluate events against them).
//!
//! Thin by design: it parses flags, calls the library, and renders what the library returns.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use miette::{GraphicalReportHandler, GraphicalTheme};
use rulebook::{Error, RuleErrors, Rulebook};

/// Exit status when a rule file or the command line is wrong.
const EXIT_BAD_RULES: u8 = 2;

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
    /// Parse and check rule files; print a summary of each, or every problem found.
    Check {
        /// The rule files to check.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
}

fn main() -> ExitCode {
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
        Command::Check { files } => check(&files),
    }
}

fn check(files: &[PathBuf]) -> ExitCode {
    let mut failed = false;
    for path in files {
        match Rulebook::from_path(path) {
            Ok(rulebook) => {
                let header = rulebook.header();
                println!(
                    "{}: {} — effective {}, {} sections, {} rules",
                    path.display(),
                    header.title,
                    header.effective,
                    rulebook.sections().len(),
                    rulebook.written_rules(),
                );
            }
            Err(Error::Rules(errors)) => {
                failed = true;
                eprint!("{}", render(&errors));
            }
            Err(error) => {
                failed = true;
                eprintln!("error: {error}");
            }
        }
    }
    if failed {
        ExitCode::from(EXIT_BAD_RULES)
    } else {
        ExitCode::SUCCESS
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
        if handler.render_report(&mut out, &report).is_err() {
            out.push_str(&format!("{report}\n"));
        }
        out.push('\n');
    }
    out.push_str(&format!("error: {errors}\n"));
    out
}
