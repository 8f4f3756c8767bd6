//! Heading ids exactly as GitHub derives them (the algorithm of `github-slugger`, which GitHub's
//! Markdown renderer and SPEC.md share): lowercase the heading's text content; keep letters,
//! marks, numbers, connector punctuation (Unicode categories L, M, N, Pc), `-` and spaces; drop
//! every other character; turn each space into `-`. Repeats get `-1`, `-2`, … in document order.
//!
//! Cases that taught this: `../shared/cases/01-heading-parentheses` (brackets dropped),
//! `02-heading-emoji` (emoji dropped, its space kept as a leading `-`), `08-duplicate-headings`.

use std::collections::HashMap;
use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};

/// The GitHub slug of one heading text, without de-duplication.
///
/// ```
/// assert_eq!(stepbook::page::slug::slugify("Mean Squared Error (MSE)"), "mean-squared-error-mse");
/// assert_eq!(stepbook::page::slug::slugify("✅ You’re Ready to Go"), "-youre-ready-to-go");
/// ```
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    if text.is_ascii() {
        for b in text.bytes() {
            match b {
                b' ' | b'-' => out.push('-'),
                b'_' => out.push('_'),
                b if b.is_ascii_alphanumeric() => out.push(b.to_ascii_lowercase() as char),
                _ => {}
            }
        }
        return out;
    }
    for c in text.chars().flat_map(char::to_lowercase) {
        if c == ' ' || c == '-' {
            out.push('-');
        } else if keeps(c) {
            out.push(c);
        }
    }
    out
}

fn keeps(c: char) -> bool {
    if c.is_ascii_alphanumeric() || c == '_' {
        return true;
    }
    if c.is_ascii() {
        return false;
    }
    use unicode_properties::GeneralCategory as G;
    match c.general_category_group() {
        GeneralCategoryGroup::Letter
        | GeneralCategoryGroup::Mark
        | GeneralCategoryGroup::Number => true,
        GeneralCategoryGroup::Punctuation => c.general_category() == G::ConnectorPunctuation,
        _ => false,
    }
}

/// Hands out unique ids in document order, as github-slugger does: the first `errors` stays
/// `errors`, the next ones become `errors-1`, `errors-2`, … skipping any id already taken.
#[derive(Debug, Default, Clone)]
pub struct Slugger {
    seen: HashMap<String, usize>,
}

impl Slugger {
    /// A slugger that has seen no heading yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The unique id for a heading whose text is `text`.
    pub fn slug(&mut self, text: &str) -> String {
        self.unique(slugify(text))
    }

    /// Makes an already computed slug unique among those handed out so far.
    pub fn unique(&mut self, base: String) -> String {
        if !self.seen.contains_key(&base) {
            self.seen.insert(base.clone(), 0);
            return base;
        }
        let mut result = base.clone();
        while self.seen.contains_key(&result) {
            let n = self.seen.entry(base.clone()).or_insert(0);
            *n += 1;
            result = format!("{base}-{n}");
        }
        self.seen.insert(result.clone(), 0);
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_examples() {
        assert_eq!(
            slugify("Step 3: Request Access to the Advertising API"),
            "step-3-request-access-to-the-advertising-api"
        );
        assert_eq!(slugify("✅ You’re Ready to Go"), "-youre-ready-to-go");
        assert_eq!(slugify("🚀 Quick start"), "-quick-start");
        assert_eq!(slugify("4.2.1 merge"), "421-merge");
        assert_eq!(
            slugify("snake_case and CamelCase"),
            "snake_case-and-camelcase"
        );
        assert_eq!(slugify("Ünïcödé Straße"), "ünïcödé-straße");
        assert_eq!(slugify("a  b"), "a--b");
        assert_eq!(slugify("C++ & Rust!"), "c--rust");
    }

    #[test]
    fn duplicates_get_numbered_suffixes() {
        let mut s = Slugger::new();
        assert_eq!(s.slug("Errors"), "errors");
        assert_eq!(s.slug("Errors"), "errors-1");
        assert_eq!(s.slug("Errors"), "errors-2");
        assert_eq!(s.slug("Errors 1"), "errors-1-1");
    }
}
