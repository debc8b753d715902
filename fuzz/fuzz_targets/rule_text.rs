//! Any bytes as a rule file: a rulebook or problems that point inside the text, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rulebook::Rulebook;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Rulebook::parse("fuzz.rules", text) {
        Ok(rulebook) => {
            // What checks prints to text that checks again.
            let printed = rulebook.to_string();
            if let Err(errors) = Rulebook::parse("printed.rules", &printed) {
                panic!("the printed form of a good rulebook fails: {errors}\n{printed}");
            }
        }
        Err(errors) => {
            assert!(!errors.problems().is_empty());
            for problem in errors.problems() {
                let span = problem.span();
                assert!(span.start <= span.end && span.end <= text.len());
                assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
                let _ = problem.to_string();
            }
            let _ = errors.reports().count();
        }
    }
});
