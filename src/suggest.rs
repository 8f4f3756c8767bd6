//! "Did you mean …": how far apart two names are, and the known name closest to a misspelt one
//! (rule ids, anchors, book.toml keys and values). The program's one user of the `strsim`
//! crate.

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

/// The candidate closest to `word` within `max` edits (ties: the first listed), if any.
pub fn closest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    max: usize,
) -> Option<&'a str> {
    let mut best: Option<(usize, &'a str)> = None;
    for c in candidates {
        let d = edit_distance(word, c);
        if d <= max && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// The name among `candidates` closest to `name` within [`budget`] edits: the "did you mean"
/// of a misspelt file name (`screen-shot.png` for `screenshot.png`, `shot.jpg` for `shot.png`).
pub fn closest_name<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    closest(name, candidates, budget(name))
}

/// The usual edit budget for a name of `word`'s length: a third of it, at least 2 (a swapped
/// pair of letters), at most 3.
pub fn budget(word: &str) -> usize {
    (word.chars().count() / 3).clamp(2, 3)
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

    #[test]
    fn closest_within_budget() {
        let known = ["broken-link", "broken-anchor", "orphan-image"];
        assert_eq!(closest("brokn-link", known, 3), Some("broken-link"));
        assert_eq!(closest("zzz", known, 3), None);
        assert_eq!(budget("titel"), 2);
        assert_eq!(budget("a"), 2);
        assert_eq!(budget("external-excludes"), 3);
        let names = ["present.png", "screenshot.png", "shot.jpg"];
        assert_eq!(
            closest_name("screen-shot.png", names),
            Some("screenshot.png")
        );
        assert_eq!(closest_name("shot.png", names), Some("shot.jpg"));
        assert_eq!(closest_name("missing.png", names), None);
    }
}
