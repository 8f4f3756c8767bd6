//! SUMMARY.md in mdBook's format (<https://rust-lang.github.io/mdBook/format/summary.html>):
//! an optional `# Title` (ignored), prefix chapters (links in paragraphs before the first list),
//! numbered chapters (nested list items, numbered `1.`, `1.2.` …, the numbering running on
//! across parts), part titles (`# Part` between lists), draft chapters (`[Title]()`), separators
//! (`---`) and suffix chapters (links after the lists). SUMMARY.md is not a page: it is read
//! here, once per build, and the sidebar ([`crate::render::nav`]) turns it into entries.

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

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
}

/// An item of a numbered list being read.
#[derive(Default)]
struct Item {
    title: String,
    dest: Option<String>,
    in_link: bool,
    number: String,
    children: Vec<SummaryEntry>,
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
    let mut para_link: Option<(String, String)> = None;
    let mut seen_content = false;
    for event in Parser::new(text) {
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
                        item.title.clear();
                        item.in_link = true;
                    }
                } else if heading.is_none() {
                    para_link = Some((dest_url.to_string(), String::new()));
                }
            }
            Event::End(TagEnd::Link) => {
                if let Some(item) = items.last_mut() {
                    item.in_link = false;
                } else if let Some((dest, title)) = para_link.take() {
                    top.push(SummaryEntry::Chapter(SummaryChapter {
                        title: title.trim().to_string(),
                        dest: Some(dest),
                        number: None,
                        children: Vec::new(),
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
                } else if let Some((_, title)) = para_link.as_mut() {
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
