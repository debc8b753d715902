//! pest's call budget is process-wide, so this test has a process of its own: a rule file that
//! runs the parser out of its budget is a `TooComplex` problem, and the budget the `rulebook`
//! command installs reads the bundled rulebook with room to spare.

use std::num::NonZeroUsize;

use rulebook::{ProblemKind, Rulebook};

const BUNDLED: &str = include_str!("../rules/en/c-tower.rules");

#[test]
fn running_out_of_parser_calls_is_a_problem_and_the_installed_budget_suffices() {
    pest::set_call_limit(NonZeroUsize::new(1_000));
    let errors = Rulebook::parse("c-tower.rules", BUNDLED).unwrap_err();
    let [problem] = errors.problems() else {
        panic!("one problem expected: {errors:?}");
    };
    assert!(
        matches!(problem.kind(), ProblemKind::TooComplex { reason } if reason.contains("limit")),
        "{problem}"
    );
    assert!(
        problem
            .to_string()
            .starts_with("the rule file is too complex to read")
    );

    rulebook::limits::limit_parser_calls();
    let mut big = BUNDLED.to_owned();
    // Forty copies of the rules (each label repeated) still read within the budget.
    let rules: String = BUNDLED
        .lines()
        .skip_while(|l| !l.starts_with("section 1"))
        .map(|l| format!("{l}\n"))
        .collect();
    for _ in 0..40 {
        big.push_str(&rules.replace("section ", "# section "));
    }
    match Rulebook::parse("big.rules", &big) {
        Ok(_) => {}
        Err(errors) => assert!(
            !errors
                .problems()
                .iter()
                .any(|p| matches!(p.kind(), ProblemKind::TooComplex { .. })),
            "{errors}"
        ),
    }
}
