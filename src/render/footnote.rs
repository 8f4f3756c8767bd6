//! Footnotes of MkDocs pages with Python-Markdown's ids: the definition of `[^LABEL]` is
//! `id="fn:LABEL"` and its first reference `id="fnref:LABEL"`, linked to each other, so the
//! `#fn:1` links that the checks accept ([`crate::site::markup`]) work in the built site too.
//! The markup is otherwise `pulldown_cmark::html::push_html`'s (numbers in order of first
//! appearance, the same classes), which other pages keep. Source:
//! <https://python-markdown.github.io/extensions/footnotes/>.

use std::collections::{HashMap, HashSet};

use super::escape;

/// The footnotes met so far on a page: their numbers, and which have had a reference.
#[derive(Debug, Default)]
pub(super) struct Footnotes {
    numbers: HashMap<String, usize>,
    referenced: HashSet<String>,
}

impl Footnotes {
    /// The number of footnote `label`: the next one at its first appearance.
    fn number(&mut self, label: &str) -> usize {
        let next = self.numbers.len() + 1;
        *self.numbers.entry(label.to_string()).or_insert(next)
    }

    /// The HTML of a reference to footnote `label` (`[^label]`); the first one carries the id
    /// the definition's back link names.
    pub fn reference(&mut self, label: &str) -> String {
        let n = self.number(label);
        let l = escape(label);
        let id = if self.referenced.insert(label.to_string()) {
            format!(" id=\"fnref:{l}\"")
        } else {
            String::new()
        };
        format!("<sup class=\"footnote-reference\"{id}><a href=\"#fn:{l}\">{n}</a></sup>")
    }

    /// The opening HTML of footnote `label`'s definition (closed by `</div>`).
    pub fn definition(&mut self, label: &str) -> String {
        let n = self.number(label);
        format!(
            "<div class=\"footnote-definition\" id=\"fn:{}\"><sup class=\"footnote-definition-label\">{n}</sup>\n",
            escape(label)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_numbers_as_python_markdown_names_them() {
        let mut f = Footnotes::default();
        assert_eq!(
            f.reference("note"),
            "<sup class=\"footnote-reference\" id=\"fnref:note\"><a href=\"#fn:note\">1</a></sup>"
        );
        assert_eq!(
            f.reference("note"),
            "<sup class=\"footnote-reference\"><a href=\"#fn:note\">1</a></sup>"
        );
        assert!(
            f.definition("2")
                .contains("id=\"fn:2\"><sup class=\"footnote-definition-label\">2</sup>")
        );
        assert!(f.definition("note").contains("id=\"fn:note\""));
    }
}
