//! Staff ids: what makes a string name someone, shared by events (`who`, a related person)
//! and rosters.

use serde::Serialize;

use crate::display::{Quoted, is_invisible};

/// Why a string is not a staff id: a staff id names someone, so it is not empty, not only
/// white space, has no white space around it, and holds no control character (C0, DEL, C1)
/// and no invisible one (see [`Who`](crate::Who)).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum StaffIdProblem {
    /// The id is empty.
    #[error("an empty staff id names nobody")]
    Empty,
    /// The id is only white space.
    #[error("\"{}\" is only white space", Quoted(id))]
    Blank {
        /// The id.
        id: String,
    },
    /// The id begins or ends with white space (`"E001 "` would be a second person beside
    /// `"E001"`).
    #[error("\"{}\" begins or ends with white space", Quoted(id))]
    SurroundingSpace {
        /// The id.
        id: String,
    },
    /// The id holds a control character.
    #[error("\"{}\" holds the control character U+{:04X}", Quoted(id), u32::from(*character))]
    ControlCharacter {
        /// The id.
        id: String,
        /// The first control character in it.
        character: char,
    },
    /// The id holds an invisible character.
    #[error("\"{}\" holds the invisible character U+{:04X}", Quoted(id), u32::from(*character))]
    InvisibleCharacter {
        /// The id.
        id: String,
        /// The first invisible character in it.
        character: char,
    },
}

/// Checks that `id` names someone (no allocation unless it does not).
pub(crate) fn check_staff_id(id: &str) -> Result<(), StaffIdProblem> {
    if id.is_empty() {
        return Err(StaffIdProblem::Empty);
    }
    if id.chars().all(char::is_whitespace) {
        return Err(StaffIdProblem::Blank { id: id.to_owned() });
    }
    if let Some(character) = id.chars().find(|c| c.is_control()) {
        return Err(StaffIdProblem::ControlCharacter {
            id: id.to_owned(),
            character,
        });
    }
    if let Some(character) = id.chars().find(|c| is_invisible(*c)) {
        return Err(StaffIdProblem::InvisibleCharacter {
            id: id.to_owned(),
            character,
        });
    }
    if id.starts_with(char::is_whitespace) || id.ends_with(char::is_whitespace) {
        return Err(StaffIdProblem::SurroundingSpace { id: id.to_owned() });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_staff_id_names_someone() {
        for id in ["E001", "Wang Fang", "王芳", "é", "E-1.2"] {
            assert_eq!(check_staff_id(id), Ok(()), "{id}");
        }
        let problem = |id| check_staff_id(id).unwrap_err().to_string();
        assert_eq!(problem(""), "an empty staff id names nobody");
        assert_eq!(problem(" \u{3000}"), "\" \u{3000}\" is only white space");
        assert_eq!(problem("E1 "), "\"E1 \" begins or ends with white space");
        assert_eq!(
            problem("E1\u{9b}"),
            r#""E1\u{9b}" holds the control character U+009B"#
        );
        assert_eq!(
            problem("\u{feff}E1"),
            r#""\u{feff}E1" holds the invisible character U+FEFF"#
        );
    }
}
