//! Text → typed AST: the pest parser (private) and lowering of its pairs into [`ast`] nodes.
//!
//! pest stops at the first syntax error; that error is turned into a [`Problem`] that says in
//! plain words what was expected (see `expected.rs`). Lowering then collects every problem it
//! finds in the values (numbers too large, ordinals misspelled) before giving up.

mod expected;
mod lower;
mod numerals;

use pest::Parser as _;

use crate::ast;
use crate::error::Problem;

mod grammar {
    #![allow(missing_docs)]
    #[derive(pest_derive::Parser)]
    #[grammar = "../grammar/rulebook.pest"]
    pub(crate) struct RuleParser;
}

pub(crate) use grammar::{Rule, Rule as SyntaxRule, RuleParser};

/// Parses a rule file into its syntax tree.
pub(crate) fn parse(source: &str) -> Result<ast::Document, Vec<Problem>> {
    let mut pairs = grammar::RuleParser::parse(Rule::file, source).map_err(|error| {
        let language = crate::lang::Language::of_rule_text(source);
        vec![expected::syntax_problem(source, &error, language)]
    })?;
    let file = pairs
        .next()
        .ok_or_else(|| vec![Problem::internal("the parser returned nothing", 0..0)])?;
    lower::lower_file(file)
}

#[cfg(test)]
mod tests;
