//! SUMMARY.md in mdBook's format (<https://rust-lang.github.io/mdBook/format/summary.html>):
//! an optional `# Title` (ignored), prefix chapters (links in paragraphs before the first list),
//! numbered chapters (nested list items, numbered `1.`, `1.2.` …, the numbering running on
//! across parts), part titles (`# Part` between lists), draft chapters (`[Title]()`), separators
//! (`---`) and suffix chapters (links after the lists). SUMMARY.md is not a page: it is read
//! here, once per build, and the sidebar ([`crate::render::nav`]) turns it into entries.

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use crate::resolve::{decode, is_external, join, split_fragment};
use crate::source::Span;

/// One entry of SUMMARY.md.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SummaryEntry {
    /// A part title (`# Part`).
    Part(String),
    /// A separator (`---`).
    Separator,
    /// A chapter link, or a draft (`dest` empty or `None`).
    Chapter(SummaryChapter),
}

/// A chapter of SUMMARY.md.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryChapter {
    /// The link text.
    pub title: String,
    /// The link destination as written (relative to SUMMARY.md); `None` or empty for a draft.
    pub dest: Option<String>,
    /// Section number of a numbered chapter (`1.2.`); `None` for prefix and suffix chapters.
    pub number: Option<String>,
    /// Nested chapters.
    pub children: Vec<SummaryEntry>,
    /// Where the chapter's link (or, for a draft without one, its item) sits in SUMMARY.md.
    pub span: Span,
}

impl SummaryChapter {
    /// The content-relative page the chapter links to (`guide/README.md` for a folder link
    /// `guide/`); `None` for a draft or an external link.
    pub fn rel(&self) -> Option<String> {
        chapter_rel(self.dest.as_deref()?)
    }
}

/// The content-relative page a SUMMARY.md destination names: percent-decoded, fragment dropped,
/// relative to the content root; a folder link names the folder's README.md. `None` for an
/// empty (draft) or external destination, or one that leaves the content root.
pub fn chapter_rel(dest: &str) -> Option<String> {
    let d = dest.trim();
    if d.is_empty() || is_external(d) {
        return None;
    }
    let (path, _) = split_fragment(d);
    let rel = join("SUMMARY.md", &decode(path))?;
    Some(if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}README.md")
    } else {
        rel
    })
}

/// The existing page a chapter's `rel` ([`chapter_rel`]) stands for: the page itself, else, for
/// a folder link, the folder's README.md or index.md; `exists` says whether a page exists.
pub fn resolve(rel: &str, exists: impl Fn(&str) -> bool) -> Option<String> {
    let folder = rel
        .strip_suffix("README.md")
        .filter(|f| f.is_empty() || f.ends_with('/'))
        .map(str::to_string)
        .unwrap_or_else(|| format!("{rel}/"));
    [
        rel.to_string(),
        format!("{folder}README.md"),
        format!("{folder}index.md"),
    ]
    .into_iter()
    .find(|r| exists(r))
}

/// Every chapter of `entries`, depth first.
pub fn chapters(entries: &[SummaryEntry]) -> Vec<&SummaryChapter> {
    let mut out = Vec::new();
    let mut stack: Vec<std::slice::Iter<'_, SummaryEntry>> = vec![entries.iter()];
    while let Some(top) = stack.last_mut() {
        match top.next() {
            Some(SummaryEntry::Chapter(c)) => {
                out.push(c);
                stack.push(c.children.iter());
            }
            Some(_) => {}
            None => {
                stack.pop();
            }
        }
    }
    out
}

/// An item of a numbered list being read.
#[derive(Default)]
struct Item {
    title: String,
    dest: Option<String>,
    in_link: bool,
    number: String,
    children: Vec<SummaryEntry>,
    span: Span,
}

/// Parses SUMMARY.md in mdBook's format (see the module docs). Lenient: a list item without a
/// link becomes a draft chapter titled by its text; other blocks are ignored.
pub fn parse(text: &str) -> Vec<SummaryEntry> {
    let mut top: Vec<SummaryEntry> = Vec::new();
    // Entries of the lists being read; the first is the top-level numbered list's target.
    let mut lists: Vec<Vec<SummaryEntry>> = Vec::new();
    let mut items: Vec<Item> = Vec::new();
    let mut counters: Vec<u32> = vec![0];
    let mut heading: Option<(HeadingLevel, String)> = None;
    // A link of a prefix or suffix paragraph: (dest, title).
    let mut para_link: Option<(String, String, Span)> = None;
    let mut seen_content = false;
    for (event, range) in Parser::new(text).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => heading = Some((level, String::new())),
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, title)) = heading.take() {
                    // The first H1 before any chapter is the book's title, which mdBook ignores.
                    if level == HeadingLevel::H1 && seen_content {
                        top.push(SummaryEntry::Part(title.trim().to_string()));
                    }
                    seen_content = true;
                }
            }
            Event::Start(Tag::List(_)) => {
                if !lists.is_empty() {
                    counters.push(0);
                }
                lists.push(Vec::new());
                seen_content = true;
            }
            Event::End(TagEnd::List(_)) => {
                let done = lists.pop().unwrap_or_default();
                if lists.is_empty() {
                    top.extend(done);
                } else {
                    counters.pop();
                    if let Some(item) = items.last_mut() {
                        item.children.extend(done);
                    }
                }
            }
            Event::Start(Tag::Item) => {
                if let Some(c) = counters.last_mut() {
                    *c += 1;
                }
                let number: String = counters.iter().map(|n| format!("{n}.")).collect();
                items.push(Item {
                    number,
                    span: Span::new(range.start, range.end),
                    ..Item::default()
                });
            }
            Event::End(TagEnd::Item) => {
                if let Some(item) = items.pop() {
                    let ch = SummaryChapter {
                        title: item.title.trim().to_string(),
                        dest: item.dest,
                        number: Some(item.number),
                        children: item.children,
                        span: item.span,
                    };
                    if let Some(list) = lists.last_mut() {
                        list.push(SummaryEntry::Chapter(ch));
                    }
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                seen_content = true;
                if let Some(item) = items.last_mut() {
                    if item.dest.is_none() {
                        item.dest = Some(dest_url.to_string());
                        item.span = Span::new(range.start, range.end);
                        item.title.clear();
                        item.in_link = true;
                    }
                } else if heading.is_none() {
                    para_link = Some((
                        dest_url.to_string(),
                        String::new(),
                        Span::new(range.start, range.end),
                    ));
                }
            }
            Event::End(TagEnd::Link) => {
                if let Some(item) = items.last_mut() {
                    item.in_link = false;
                } else if let Some((dest, title, span)) = para_link.take() {
                    top.push(SummaryEntry::Chapter(SummaryChapter {
                        title: title.trim().to_string(),
                        dest: Some(dest),
                        number: None,
                        children: Vec::new(),
                        span,
                    }));
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, h)) = heading.as_mut() {
                    h.push_str(&t);
                } else if let Some(item) = items.last_mut() {
                    // Keep the link text once a link was seen; before it, collect plain text.
                    if item.in_link || item.dest.is_none() {
                        item.title.push_str(&t);
                    }
                } else if let Some((_, title, _)) = para_link.as_mut() {
                    title.push_str(&t);
                }
            }
            Event::Rule if lists.is_empty() => {
                top.push(SummaryEntry::Separator);
                seen_content = true;
            }
            _ => {}
        }
    }
    top
}
