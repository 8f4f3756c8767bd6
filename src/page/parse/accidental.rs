//! Indented code blocks that hold Markdown: their text read again as the prose it was meant
//! to be.

use super::*;

impl Walker<'_> {
    /// Reads an indented code block's text as the Markdown its author meant, adds what it holds
    /// to the page model, and returns the Markdown constructs found (empty for real code).
    ///
    /// The text is the code block's literal content: pulldown-cmark has already removed the
    /// indentation of every container (list items, blockquotes) and the block's own four
    /// columns, and each text piece keeps its source offset, so spans map back exactly even for
    /// a block nested in a list item.
    pub(super) fn accidental_markdown(
        &mut self,
        dedented: &str,
        pieces: &[(usize, usize)],
    ) -> Vec<MarkdownKind> {
        // Map dedented offsets through the body mapper to file offsets.
        let lines: Vec<(usize, usize)> = pieces
            .iter()
            .map(|&(d, i)| (d, self.mapper.map(i)))
            .collect();
        let mapper = Mapper::Lines(lines);
        let mut parts = Parts::default();
        let mut slugger = Slugger::new();
        {
            let mut w = Walker::new(
                self.src,
                dedented,
                &mapper,
                self.opts,
                true,
                &mut parts,
                &mut slugger,
            );
            w.lead = self.lead_text().map(Lead::Text);
            w.run(false);
        }
        let mut kinds = parts.kinds.clone();
        if kinds.contains(&MarkdownKind::List) && parts.lists.iter().all(list_looks_like_code) {
            kinds.remove(&MarkdownKind::List);
        }
        // `# comment` lines of shell scripts and `*args` of Python are not evidence alone.
        if kinds.len() == 1
            && (kinds.contains(&MarkdownKind::Heading)
                || (kinds.contains(&MarkdownKind::Emphasis) && CODE_CHARS.is_match(dedented)))
        {
            kinds.clear();
        }
        if kinds.is_empty() {
            return Vec::new();
        }
        self.parts.links.extend(parts.links);
        self.parts.images.extend(parts.images);
        self.parts.step_refs.extend(parts.step_refs);
        self.parts.lists.extend(parts.lists);
        self.parts.tables.extend(parts.tables);
        self.parts.paragraphs.extend(parts.paragraphs);
        self.parts.suppressions.extend(parts.suppressions);
        self.parts
            .malformed_suppressions
            .extend(parts.malformed_suppressions);
        kinds.into_iter().collect()
    }
}

pub(super) static CODE_CHARS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[;{}=]|\(\*|\*\*\w+\)").expect("code pattern is valid"));
pub(super) static CODE_ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^[\w."'\-/]+\s*[:=]|[;{}()]|^\w+\s*$"#).expect("code item pattern is valid")
});

/// A list whose items read like code (`key: value`, calls, single bare words) rather than prose.
pub(super) fn list_looks_like_code(list: &List) -> bool {
    list.items
        .iter()
        .all(|i| i.codes.is_empty() && CODE_ITEM.is_match(i.text.trim()))
}
