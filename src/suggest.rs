//! "Did you mean …": how far apart two names are, for suggestions (rule ids, anchors). The
//! program's one user of the `strsim` crate.

/// Levenshtein distance in characters (Unicode scalar values, not bytes): the number of
/// single-character insertions, deletions and substitutions that turn `a` into `b`.
pub fn edit_distance(a: &str, b: &str) -> usize {
    strsim::levenshtein(a, b)
}

/// Levenshtein distance divided by the longer length, as a similarity: 1.0 for equal names,
/// 0.0 for names with nothing in common.
pub fn similarity(a: &str, b: &str) -> f64 {
    strsim::normalized_levenshtein(a, b)
}

/// Jaro–Winkler similarity (0.0 to 1.0), which favours names that share a prefix: good for
/// short identifiers with a typo near the end.
pub fn prefix_similarity(a: &str, b: &str) -> f64 {
    strsim::jaro_winkler(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_characters() {
        assert_eq!(edit_distance("brokn-link", "broken-link"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("errors_1", "errors-1"), 1);
        assert_eq!(edit_distance("", "ab"), 2);
        assert_eq!(edit_distance("é", "e"), 1);
    }
}
