//! Rendering glue: [`miette::Diagnostic`] for rule-file problems. The library only describes
//! problems (message, labelled spans, help); a host or the command line picks a renderer,
//! such as miette's graphical one.
//!
//! What a renderer is given to show is safe for a terminal ([`crate::display`]): the file's
//! name, its lines (control characters written as escapes, the underlined places moved to
//! match), and the message, labels and help of each [`ProblemReport`].

use std::fmt::Display;

use miette::{
    Diagnostic, LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

use crate::display::{ShownText, escape_controls};
use crate::error::{Problem, RuleErrors, SourceFile};

impl SourceCode for SourceFile {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let shown_text = self.shown.as_deref().map_or(&*self.text, ShownText::text);
        let inner = shown_text.read_span(span, context_lines_before, context_lines_after)?;
        let column = if context_lines_before == 0 {
            // The column of the file as an editor counts it, not of the escaped text shown.
            let offset = self
                .shown
                .as_deref()
                .map_or(span.offset(), |shown| shown.to_file(span.offset()));
            let before = self.text.get(..offset).unwrap_or("");
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            before
                .get(line_start..)
                .map_or(0, |line| line.chars().count())
        } else {
            inner.column()
        };
        Ok(Box::new(MietteSpanContents::new_named(
            escape_controls(&self.name).into_owned(),
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
        let shown = |text: &str| escape_controls(text).into_owned();
        let primary = LabeledSpan::new_primary_with_span(
            self.label().map(shown),
            SourceSpan::from(self.shown_range(self.span())),
        );
        let related = self.related().map(move |(span, text)| {
            LabeledSpan::new_with_span(Some(shown(text)), SourceSpan::from(self.shown_range(span)))
        });
        Some(Box::new(std::iter::once(primary).chain(related)))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn Display + 'a>> {
        self.help()
            .map(|help| Box::new(escape_controls(help)) as Box<dyn Display>)
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

/// The problem's message, with control characters escaped ([`crate::display`]).
impl Display for ProblemReport<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        Display::fmt(&crate::display::Escaped(&self.problem.to_string()), f)
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
