//! "Did you mean …?": the closest candidate by edit distance on characters.

/// The candidate closest to `word`, if it is within about a third of the word's length
/// (at least one edit). Transposed neighbours count as one edit (`fien` → `fine`).
pub(crate) fn did_you_mean<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    // Suggestions are for short phrases: a longer text is not a misspelled name, and its
    // distance to every candidate would cost time for nothing.
    if word.is_empty() || word.len() > MAX_WORD_BYTES {
        return None;
    }
    let word: Vec<char> = word.chars().collect();
    let limit = (word.len() / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    let mut chars: Vec<char> = Vec::new();
    for candidate in candidates {
        // The length alone rules most candidates out, before any distance is computed.
        if candidate.chars().count().abs_diff(word.len()) > limit {
            continue;
        }
        chars.clear();
        chars.extend(candidate.chars());
        if chars == word {
            continue;
        }
        let distance = edit_distance(&word, &chars);
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// The longest text, in bytes, for which a suggestion is looked for.
const MAX_WORD_BYTES: usize = 256;

/// Optimal string alignment distance: insertions, deletions, substitutions and transpositions
/// of neighbours each cost one.
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let width = b.len() + 1;
    let mut rows = vec![0usize; (a.len() + 1) * width];
    let at = |i: usize, j: usize| i * width + j;
    for i in 0..=a.len() {
        rows[at(i, 0)] = i;
    }
    for j in 0..=b.len() {
        rows[at(0, j)] = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[at(i - 1, j)] + 1)
                .min(rows[at(i, j - 1)] + 1)
                .min(rows[at(i - 1, j - 1)] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[at(i - 2, j - 2)] + 1);
            }
            rows[at(i, j)] = best;
        }
    }
    rows[at(a.len(), b.len())]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_close_words_only() {
        let kinds = ["messy desk", "out of uniform", "late"];
        assert_eq!(did_you_mean("mesy desk", kinds), Some("messy desk"));
        assert_eq!(did_you_mean("fien", ["fine", "reward"]), Some("fine"));
        assert_eq!(did_you_mean("lat", kinds), Some("late"));
        assert_eq!(did_you_mean("banana", kinds), None);
        assert_eq!(
            did_you_mean("late", kinds),
            None,
            "an exact match is no suggestion"
        );
        assert_eq!(did_you_mean("遲刀", ["遲到", "早退"]), Some("遲到"));
        let long = "messy desk ".repeat(30);
        let near = format!("{long}x");
        assert_eq!(
            did_you_mean(&long, [near.as_str()]),
            None,
            "too long to be a name"
        );
        assert_eq!(did_you_mean(&long[..40], [&near[..41]]), Some(&near[..41]));
    }
}
