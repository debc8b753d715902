//! Rendering glue: [`miette::Diagnostic`] for rule-file problems. The library only describes
//! problems (message, labelled spans, help); a host or the command line picks a renderer,
//! such as miette's graphical one.

use std::fmt::Display;
use std::sync::Arc;

use miette::{
    Diagnostic, LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

use crate::error::{Problem, RuleErrors};

/// A rule file's text under its name, as miette reads it; columns are counted in characters,
/// so that `file:line:column` points at the right glyph in Chinese text too.
#[derive(Debug, Clone)]
pub(crate) struct SourceFile {
    pub(crate) name: String,
    pub(crate) text: Arc<str>,
}

impl SourceCode for SourceFile {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self
            .text
            .read_span(span, context_lines_before, context_lines_after)?;
        let column = if context_lines_before == 0 {
            let before = self.text.get(..span.offset()).unwrap_or("");
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            before
                .get(line_start..)
                .map_or(0, |line| line.chars().count())
        } else {
            inner.column()
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line(),
            column,
            inner.line_count(),
        )))
    }
}

impl Diagnostic for RuleErrors {
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.source_file())
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        Some(Box::new(
            self.problems().iter().map(|p| p as &dyn Diagnostic),
        ))
    }
}

impl Diagnostic for Problem {
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.span();
        let primary = LabeledSpan::new_primary_with_span(
            self.label().map(str::to_owned),
            SourceSpan::from(span.start..span.end),
        );
        let related = self.related().map(|(span, text)| {
            LabeledSpan::new_with_span(Some(text.to_owned()), SourceSpan::from(span))
        });
        Some(Box::new(std::iter::once(primary).chain(related)))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn Display + 'a>> {
        self.help().map(|help| Box::new(help) as Box<dyn Display>)
    }
}

/// One problem together with the file it is in: a complete report a renderer can show on its
/// own (see [`RuleErrors::reports`]).
#[derive(Debug, Clone, Copy)]
pub struct ProblemReport<'a> {
    problem: &'a Problem,
    file: &'a SourceFile,
}

impl RuleErrors {
    /// Each problem as a self-contained report, with the file's text, for a renderer such
    /// as miette's `GraphicalReportHandler`.
    pub fn reports(&self) -> impl Iterator<Item = ProblemReport<'_>> {
        self.problems().iter().map(|problem| ProblemReport {
            problem,
            file: self.source_file(),
        })
    }
}

impl ProblemReport<'_> {
    /// The problem reported.
    pub fn problem(&self) -> &Problem {
        self.problem
    }
}

impl Display for ProblemReport<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        Display::fmt(self.problem, f)
    }
}

impl std::error::Error for ProblemReport<'_> {}

impl Diagnostic for ProblemReport<'_> {
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.file)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.problem.labels()
    }

    fn help<'a>(&'a self) -> Option<Box<dyn Display + 'a>> {
        Diagnostic::help(self.problem)
    }
}
