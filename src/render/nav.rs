//! The sidebar: every page of the site in reading order, built once per build.
//!
//! Two sources, as in mdBook and Zola:
//! - `content/SUMMARY.md` in mdBook's format (<https://rust-lang.github.io/mdBook/format/summary.html>):
//!   an optional `# Title` (ignored), prefix chapters (links in paragraphs before the first
//!   list), numbered chapters (nested list items, numbered `1.`, `1.2.` …, the numbering running
//!   on across parts), part titles (`# Part` between lists), draft chapters (`[Title]()`, shown
//!   without a link), separators (`---`) and suffix chapters (links after the lists). As in
//!   mdBook, a page the summary does not list is neither in the sidebar nor rendered (the
//!   `unlisted-page` rule reports it), and a listed file that does not exist is a draft (the
//!   `broken-link` rule reports it at its SUMMARY.md line).
//! - mkdocs.yml's `nav` on a MkDocs site ([`crate::site::mkdocs_nav`]): its order, sections,
//!   titles (a bare path takes the page's title), links to other sites, and a section's first
//!   `index.md` as the section's own page. Pages left out are still built, but are not in the
//!   sidebar (nor in the previous/next order); an entry whose file does not exist is shown
//!   unlinked (the `broken-link` rule reports it at its mkdocs.yml line).
//! - otherwise the folder tree: a folder is an entry titled by its index page (README.md or
//!   index.md) or its name; entries are ordered by front-matter `weight` (pages without one come
//!   last), then title, then path; the root index page comes first.
//!
//! The whole tree is written once ([`Nav::to_json`], inserted by `nav.js`); each page inlines only
//! its own neighbourhood ([`Nav::local_html`]: its ancestors, a window of its siblings and its
//! children), so output grows linearly with the number of pages.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::{escape, is_index_name, page_site_path, relative_url};
use crate::page::PageRef;
use crate::page::summary::{self, SummaryEntry};

/// How many siblings before and after the current page its inline section shows.
const SIBLING_WINDOW: usize = 8;
/// How many children of the current page its inline section shows.
const CHILD_LIMIT: usize = 20;

/// One sidebar entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "k")]
pub enum Entry {
    /// A part title (`# Part` in SUMMARY.md): unclickable text above the chapters that follow.
    #[serde(rename = "part")]
    Part {
        /// The title.
        #[serde(rename = "t")]
        title: String,
    },
    /// A separator line (`---` in SUMMARY.md).
    #[serde(rename = "sep")]
    Separator,
    /// A chapter: a page, a folder or a draft.
    #[serde(rename = "ch")]
    Chapter(Chapter),
}

/// A chapter of the sidebar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Chapter {
    /// The text shown.
    #[serde(rename = "t")]
    pub title: String,
    /// Section number of a numbered chapter (`1.2.`).
    #[serde(rename = "n", skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// Site path of the page (`guide/index.html`), or the address of a link to another site
    /// (`https://…`, from MkDocs' `nav`); `None` for a draft or a folder without an index page.
    #[serde(rename = "u", skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Content-relative path of the page (`guide/README.md`).
    #[serde(skip)]
    pub page: Option<String>,
    /// Nested chapters.
    #[serde(rename = "c", skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Entry>,
}

/// The site's navigation tree.
#[derive(Debug, Clone, Default)]
pub struct Nav {
    /// Top-level entries in order.
    pub entries: Vec<Entry>,
    /// Page rel → path of indices through `entries`/`children` to its chapter.
    positions: HashMap<String, Vec<usize>>,
    /// Page rels in reading order (depth first), each once.
    order: Vec<String>,
    /// Page rel → index in `order`.
    order_pos: HashMap<String, usize>,
    /// For each top-level entry: the index of the part title above it.
    parts: Vec<Option<usize>>,
}

impl Nav {
    /// Builds the navigation: from `summary` (SUMMARY.md's text) when given, then holding only
    /// the pages it lists, otherwise from the folder tree of `pages`, holding every page. A page
    /// appears once in the reading order.
    pub fn build(pages: &[PageRef], summary: Option<&str>) -> Nav {
        Nav::build_without(pages, summary, &|_| false)
    }

    /// [`Nav::build`] leaving out of the folder tree the pages for which `left_out` is true
    /// (partials that the generator does not publish as pages).
    pub fn build_without(
        pages: &[PageRef],
        summary: Option<&str>,
        left_out: &dyn Fn(&PageRef) -> bool,
    ) -> Nav {
        let entries = match summary {
            Some(text) => {
                let mut entries = parse_summary(text);
                let known: std::collections::HashSet<&str> =
                    pages.iter().map(|p| p.rel.as_str()).collect();
                resolve_pages(&mut entries, &known);
                entries
            }
            None => {
                let shown: Vec<&PageRef> = pages.iter().filter(|p| !left_out(p)).collect();
                folder_tree_of(&shown)
            }
        };
        Nav::from_entries(entries)
    }

    /// Builds the navigation from mkdocs.yml's `nav` ([`crate::site::mkdocs_nav`]), holding
    /// the pages it lists; the others are built but not in the sidebar.
    pub fn from_mkdocs(pages: &[PageRef], nav: &crate::site::mkdocs_nav::MkdocsNav) -> Nav {
        Nav::from_entries(mkdocs_entries(pages, nav))
    }

    /// Indexes `entries` (positions, reading order, parts).
    pub fn from_entries(entries: Vec<Entry>) -> Nav {
        let mut nav = Nav {
            entries,
            ..Nav::default()
        };
        index(&nav.entries, &mut nav.positions, &mut nav.order);
        nav.order_pos = nav
            .order
            .iter()
            .enumerate()
            .map(|(i, r)| (r.clone(), i))
            .collect();
        let mut part = None;
        for (i, e) in nav.entries.iter().enumerate() {
            if matches!(e, Entry::Part { .. }) {
                part = Some(i);
            }
            nav.parts.push(part);
        }
        nav
    }

    /// Drops every chapter number (mdBook's `no-section-label`).
    pub fn clear_numbers(&mut self) {
        fn clear(entries: &mut [Entry]) {
            for e in entries {
                if let Entry::Chapter(c) = e {
                    c.number = None;
                    clear(&mut c.children);
                }
            }
        }
        clear(&mut self.entries);
    }

    /// True when the page at `rel` is in the navigation (with SUMMARY.md: when it is listed).
    pub fn contains(&self, rel: &str) -> bool {
        self.positions.contains_key(rel)
    }

    /// Page rels in reading order, for previous/next links.
    pub fn order(&self) -> &[String] {
        &self.order
    }

    /// The page before and after `rel` in reading order.
    pub fn neighbours(&self, rel: &str) -> (Option<&str>, Option<&str>) {
        let Some(&i) = self.order_pos.get(rel) else {
            return (None, None);
        };
        let prev = i.checked_sub(1).map(|j| self.order[j].as_str());
        let next = self.order.get(i + 1).map(String::as_str);
        (prev, next)
    }

    /// The whole tree as compact JSON (`k` kind, `t` title, `n` number, `u` site path, `c`
    /// children), for `nav.js`.
    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.entries).expect("navigation entries serialise")
    }

    /// The inline sidebar of the page at content-relative `rel`, rendered at site path `from`:
    /// its ancestors, up to `SIBLING_WINDOW` (8) siblings on each side and up to `CHILD_LIMIT` (20)
    /// children, as nested `<ol>` lists. Bounded in size whatever the site's size.
    pub fn local_html(&self, rel: &str, from: &str) -> String {
        let mut out = String::from("<ol class=\"nav-tree\">\n");
        let Some(path) = self.positions.get(rel) else {
            // A page outside the navigation: show the top of the tree.
            let n = self.entries.len().min(2 * SIBLING_WINDOW + 1);
            for e in &self.entries[..n] {
                entry_html(e, from, None, &mut out, false);
            }
            if self.entries.len() > n {
                out.push_str("<li class=\"nav-more\">…</li>\n");
            }
            out.push_str("</ol>\n");
            return out;
        };
        // The part title above the page's top-level chapter, unless the sibling window below
        // shows it anyway.
        if let Some(Some(part)) = self.parts.get(path[0]) {
            let shown_in_window =
                path.len() == 1 && *part >= path[0].saturating_sub(SIBLING_WINDOW);
            if let (Entry::Part { title }, false) = (&self.entries[*part], shown_in_window) {
                out.push_str(&format!("<li class=\"nav-part\">{}</li>\n", escape(title)));
            }
        }
        let mut level: &[Entry] = &self.entries;
        let mut closes = 0;
        for (depth, &i) in path.iter().enumerate() {
            let last = depth + 1 == path.len();
            if !last {
                if let Entry::Chapter(c) = &level[i] {
                    out.push_str("<li class=\"nav-open\">");
                    chapter_link(c, from, None, &mut out);
                    out.push_str("\n<ol>\n");
                    closes += 1;
                    level = &c.children;
                }
                continue;
            }
            let lo = i.saturating_sub(SIBLING_WINDOW);
            let hi = (i + SIBLING_WINDOW + 1).min(level.len());
            if lo > 0 {
                out.push_str("<li class=\"nav-more\">…</li>\n");
            }
            for (j, e) in level[lo..hi].iter().enumerate() {
                if lo + j == i {
                    entry_html(e, from, Some(rel), &mut out, true);
                } else {
                    entry_html(e, from, None, &mut out, false);
                }
            }
            if hi < level.len() {
                out.push_str("<li class=\"nav-more\">…</li>\n");
            }
        }
        for _ in 0..closes {
            out.push_str("</ol></li>\n");
        }
        out.push_str("</ol>\n");
        out
    }
}

/// Records every page's position and the reading order (first occurrence wins). Iterative
/// (an explicit stack), so a deep tree cannot overflow the call stack.
fn index(entries: &[Entry], positions: &mut HashMap<String, Vec<usize>>, order: &mut Vec<String>) {
    // Each frame: a level and the index of its next entry; `path` holds one index per frame
    // below the root.
    let mut stack: Vec<(&[Entry], usize)> = vec![(entries, 0)];
    let mut path: Vec<usize> = Vec::new();
    while let Some((level, next)) = stack.last_mut() {
        let level: &[Entry] = level;
        let i = *next;
        let Some(e) = level.get(i) else {
            stack.pop();
            path.pop();
            continue;
        };
        *next += 1;
        if let Entry::Chapter(c) = e {
            path.push(i);
            if let Some(rel) = c.page.as_ref().filter(|r| !positions.contains_key(*r)) {
                positions.insert(rel.clone(), path.clone());
                order.push(rel.clone());
            }
            stack.push((&c.children, 0));
        }
    }
}

/// Points each chapter at an existing page: a folder link (`rules/`, `rules`) leads to the
/// folder's README.md or index.md; a chapter whose page does not exist (or is a draft page)
/// becomes a draft: shown, not linked. Iterative.
fn resolve_pages(entries: &mut [Entry], known: &std::collections::HashSet<&str>) {
    let mut stack: Vec<&mut [Entry]> = vec![entries];
    while let Some(level) = stack.pop() {
        for e in level {
            if let Entry::Chapter(c) = e {
                if let Some(rel) = c.page.take() {
                    let found = summary::resolve(&rel, |r| known.contains(r));
                    c.url = found.as_deref().map(page_site_path);
                    c.page = found;
                }
                stack.push(&mut c.children);
            }
        }
    }
}

/// Sidebar entries for mkdocs.yml's `nav` (see [`Nav::from_mkdocs`]).
pub fn mkdocs_entries(pages: &[PageRef], nav: &crate::site::mkdocs_nav::MkdocsNav) -> Vec<Entry> {
    use crate::site::mkdocs_nav::NavItem;
    let by_rel: HashMap<&str, &PageRef> = pages.iter().map(|p| (p.rel.as_str(), p)).collect();
    // Each frame: the entries still to map, the chapters made so far, and the section they
    // become the children of (`None` for the top level). Iterative, as for SUMMARY.md.
    type Frame<'n> = (
        std::slice::Iter<'n, NavItem>,
        Vec<Entry>,
        Option<(Chapter, &'n NavItem)>,
    );
    let chapter = |it: &NavItem| -> Chapter {
        let rel = it.page_path().map(|p| format!("{}{p}", nav.prefix));
        let page = rel.as_deref().and_then(|r| by_rel.get(r));
        let title = it
            .title
            .clone()
            .or_else(|| page.map(|p| p.title.clone()))
            .or_else(|| it.target.clone())
            .unwrap_or_default();
        let url = match page {
            Some(p) => Some(page_site_path(&p.rel)),
            None if it.is_link() => it.target.clone(),
            None => None,
        };
        Chapter {
            title,
            number: None,
            url,
            page: page.map(|p| p.rel.clone()),
            children: Vec::new(),
        }
    };
    let mut stack: Vec<Frame<'_>> = vec![(nav.items.iter(), Vec::new(), None)];
    while let Some((rest, made, _)) = stack.last_mut() {
        match rest.next() {
            Some(it) if it.target.is_none() => {
                let ch = chapter(it);
                stack.push((it.children.iter(), Vec::new(), Some((ch, it))));
            }
            Some(it) => made.push(Entry::Chapter(chapter(it))),
            None => {
                let Some((_, mut made, parent)) = stack.pop() else {
                    break;
                };
                match (parent, stack.last_mut()) {
                    (Some((mut section, item)), Some((_, up, _))) => {
                        // A first `index.md` page (not a section) is the section's own page.
                        let first_is_page =
                            item.children.first().is_some_and(|c| c.target.is_some());
                        if let Some(Entry::Chapter(first)) = made.first()
                            && first_is_page
                            && first.page.as_deref().is_some_and(|r| {
                                r.rsplit('/')
                                    .next()
                                    .is_some_and(|n| n.eq_ignore_ascii_case("index.md"))
                            })
                        {
                            let Entry::Chapter(first) = made.remove(0) else {
                                unreachable!("matched a chapter above")
                            };
                            section.url = first.url;
                            section.page = first.page;
                        }
                        section.children = made;
                        up.push(Entry::Chapter(section));
                    }
                    _ => return made,
                }
            }
        }
    }
    Vec::new()
}

fn page_chapter(p: &PageRef) -> Chapter {
    Chapter {
        title: p.title.clone(),
        number: None,
        url: Some(page_site_path(&p.rel)),
        page: Some(p.rel.clone()),
        children: Vec::new(),
    }
}

/// A chapter for a SUMMARY.md chapter (a draft when it names no page).
fn summary_chapter(c: &summary::SummaryChapter) -> Chapter {
    let rel = c.rel();
    Chapter {
        title: c.title.clone(),
        number: c.number.clone(),
        url: rel.as_deref().map(page_site_path),
        page: rel,
        children: Vec::new(),
    }
}

/// Sidebar entries for the parsed SUMMARY.md (see [`crate::page::summary`]; its nesting is
/// capped there).
pub fn parse_summary(text: &str) -> Vec<Entry> {
    summary_entries(summary::read(text).entries)
}

/// Maps SUMMARY.md's entries to sidebar entries, depth first with an explicit stack.
fn summary_entries(items: Vec<SummaryEntry>) -> Vec<Entry> {
    // Each frame: the entries still to map, the sidebar entries made so far, and the chapter
    // they become the children of (`None` for the top level).
    type Frame = (
        std::vec::IntoIter<SummaryEntry>,
        Vec<Entry>,
        Option<Chapter>,
    );
    let mut stack: Vec<Frame> = vec![(items.into_iter(), Vec::new(), None)];
    while let Some((rest, made, _)) = stack.last_mut() {
        match rest.next() {
            Some(SummaryEntry::Part(title)) => made.push(Entry::Part { title }),
            Some(SummaryEntry::Separator) => made.push(Entry::Separator),
            Some(SummaryEntry::Chapter(c)) => {
                let ch = summary_chapter(&c);
                stack.push((c.children.into_iter(), Vec::new(), Some(ch)));
            }
            None => {
                let Some((_, made, parent)) = stack.pop() else {
                    break;
                };
                match (parent, stack.last_mut()) {
                    (Some(mut ch), Some((_, up, _))) => {
                        ch.children = made;
                        up.push(Entry::Chapter(ch));
                    }
                    _ => return made,
                }
            }
        }
    }
    Vec::new()
}

/// A folder of the content tree, while building the sidebar without SUMMARY.md.
#[derive(Default)]
struct Folder<'a> {
    index: Option<&'a PageRef>,
    pages: Vec<&'a PageRef>,
    folders: BTreeMap<String, Folder<'a>>,
}

/// Sort key: weight (pages without one last), title (case-insensitive), path.
type Key = (bool, i64, String, String);

fn key(weight: Option<i64>, title: &str, path: &str) -> Key {
    (
        weight.is_none(),
        weight.unwrap_or(0),
        title.to_lowercase(),
        path.to_string(),
    )
}

/// The sidebar from the folder tree of `pages` (sorted by rel).
pub fn folder_tree(pages: &[PageRef]) -> Vec<Entry> {
    folder_tree_of(&pages.iter().collect::<Vec<_>>())
}

/// [`folder_tree`] of the pages `pages` points to.
fn folder_tree_of<'a>(pages: &[&'a PageRef]) -> Vec<Entry> {
    let mut root: Folder<'a> = Folder::default();
    for &p in pages {
        let mut folder = &mut root;
        let mut parts: Vec<&str> = p.rel.split('/').collect();
        let name = parts.pop().unwrap_or_default();
        for d in parts {
            folder = folder.folders.entry(d.to_string()).or_default();
        }
        if is_index_name(name) && folder.index.is_none() {
            folder.index = Some(p);
        } else {
            folder.pages.push(p);
        }
    }
    let mut entries = Vec::new();
    if let Some(index) = root.index {
        entries.push(Entry::Chapter(page_chapter(index)));
    }
    entries.extend(folder_entries(&root, ""));
    entries
}

fn folder_entries(folder: &Folder<'_>, prefix: &str) -> Vec<Entry> {
    let mut keyed: Vec<(Key, Entry)> = Vec::new();
    for p in &folder.pages {
        keyed.push((
            key(p.head().weight, &p.title, &p.rel),
            Entry::Chapter(page_chapter(p)),
        ));
    }
    for (name, sub) in &folder.folders {
        let path = format!("{prefix}{name}/");
        let (weight, title) = match sub.index {
            Some(p) => (p.head().weight, p.title.clone()),
            None => (None, name.clone()),
        };
        let chapter = Chapter {
            title: title.clone(),
            number: None,
            url: sub.index.map(|p| page_site_path(&p.rel)),
            page: sub.index.map(|p| p.rel.clone()),
            children: folder_entries(sub, &path),
        };
        keyed.push((key(weight, &title, &path), Entry::Chapter(chapter)));
    }
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed.into_iter().map(|(_, e)| e).collect()
}

/// Renders one entry as `<li>`; `current` marks the current page's chapter, whose children are
/// shown when `expand` is set.
fn entry_html(e: &Entry, from: &str, current: Option<&str>, out: &mut String, expand: bool) {
    match e {
        Entry::Part { title } => {
            out.push_str(&format!("<li class=\"nav-part\">{}</li>\n", escape(title)));
        }
        Entry::Separator => out.push_str("<li class=\"nav-sep\" role=\"separator\"></li>\n"),
        Entry::Chapter(c) => {
            let active = current.is_some() && c.page.as_deref() == current;
            out.push_str(if active {
                "<li class=\"active\">"
            } else {
                "<li>"
            });
            chapter_link(c, from, current, out);
            if expand && !c.children.is_empty() {
                out.push_str("\n<ol>\n");
                for child in c.children.iter().take(CHILD_LIMIT) {
                    entry_html(child, from, None, out, false);
                }
                if c.children.len() > CHILD_LIMIT {
                    out.push_str("<li class=\"nav-more\">…</li>\n");
                }
                out.push_str("</ol>");
            }
            out.push_str("</li>\n");
        }
    }
}

fn chapter_link(c: &Chapter, from: &str, current: Option<&str>, out: &mut String) {
    let number = c
        .number
        .as_deref()
        .map(|n| format!("<span class=\"nav-num\">{}</span> ", escape(n)))
        .unwrap_or_default();
    match &c.url {
        Some(url) => {
            let here = current.is_some() && c.page.as_deref() == current;
            // Only a link of MkDocs' nav to another site has an address but no page.
            let href = if c.page.is_none() {
                url.clone()
            } else {
                relative_url(from, url)
            };
            out.push_str(&format!(
                "<a href=\"{}\"{}>{number}{}</a>",
                escape(&href),
                if here { " aria-current=\"page\"" } else { "" },
                escape(&c.title)
            ));
        }
        None => out.push_str(&format!(
            "<span class=\"nav-draft\">{number}{}</span>",
            escape(&c.title)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::{ParseOptions, parse_page};

    fn page(rel: &str, text: &str) -> PageRef {
        parse_page(
            rel.into(),
            rel.into(),
            rel.into(),
            text.into(),
            &ParseOptions::default(),
        )
        .unwrap()
        .into()
    }

    fn outline(entries: &[Entry], depth: usize, out: &mut Vec<String>) {
        for e in entries {
            match e {
                Entry::Part { title } => out.push(format!("{}# {title}", "  ".repeat(depth))),
                Entry::Separator => out.push(format!("{}---", "  ".repeat(depth))),
                Entry::Chapter(c) => {
                    out.push(format!(
                        "{}{}{} -> {}",
                        "  ".repeat(depth),
                        c.number
                            .as_deref()
                            .map(|n| format!("{n} "))
                            .unwrap_or_default(),
                        c.title,
                        c.url.as_deref().unwrap_or("(draft)")
                    ));
                    outline(&c.children, depth + 1, out);
                }
            }
        }
    }

    #[test]
    fn summary_in_mdbook_format() {
        let text = "# Summary\n\n[Introduction](README.md)\n\n---\n\n# Getting started\n\n- [Install](install.md)\n  - [On Linux](install/linux.md)\n  - [On macOS]()\n- [Configure](config.md#top)\n\n# Reference\n\n- [Rules](rules/)\n- Plain item\n\n---\n\n[Contributors](<contributors file.md>)\n";
        let mut out = Vec::new();
        outline(&parse_summary(text), 0, &mut out);
        assert_eq!(
            out,
            vec![
                "Introduction -> index.html",
                "---",
                "# Getting started",
                "1. Install -> install.html",
                "  1.1. On Linux -> install/linux.html",
                "  1.2. On macOS -> (draft)",
                "2. Configure -> config.html",
                "# Reference",
                "3. Rules -> rules/index.html",
                "4. Plain item -> (draft)",
                "---",
                "Contributors -> contributors file.html",
            ]
        );
    }

    #[test]
    fn summary_order_without_unlisted_pages() {
        let pages = vec![
            page("README.md", "# Intro\n"),
            page("a.md", "# A\n"),
            page("b.md", "# B\n"),
            page("z.md", "# Unlisted\n"),
        ];
        let nav = Nav::build(
            &pages,
            Some("[Intro](README.md)\n\n- [B](b.md)\n- [A](a.md)\n- [Gone](gone.md)\n"),
        );
        assert_eq!(nav.order(), ["README.md", "b.md", "a.md"]);
        assert_eq!(nav.neighbours("b.md"), (Some("README.md"), Some("a.md")));
        assert_eq!(nav.neighbours("z.md"), (None, None));
        let mut out = Vec::new();
        outline(&nav.entries, 0, &mut out);
        assert_eq!(out.len(), 4, "{out:?}");
        assert_eq!(out[3], "3. Gone -> (draft)");
    }

    /// mkdocs.yml's nav below `docs/`: a section whose first entry is a section keeps it as a
    /// child; one whose first entry is an `index.md` page takes it as its own page.
    #[test]
    fn mkdocs_nav_sections_and_index_pages() {
        let pages = vec![
            page("docs/index.md", "# Home\n"),
            page("docs/c/index.md", "# Contributing\n"),
            page("docs/c/bug.md", "# Reporting a bug\n"),
            page("docs/g/repro.md", "# Reproduction\n"),
            page("docs/left-out.md", "# Left out\n"),
        ];
        let text = "nav:\n  - index.md\n  - Community:\n    - Contributing:\n      - c/index.md\n      - c/bug.md\n      - Ask: https://example.com/ask\n      - Call: tel:+1555\n    - Guides:\n      - g/repro.md\n";
        let mkdocs = crate::site::mkdocs_nav::MkdocsNav {
            file: "mkdocs.yml".into(),
            text: text.into(),
            prefix: "docs/".into(),
            items: crate::site::mkdocs_nav::parse(text).expect("a nav"),
        };
        let nav = Nav::from_mkdocs(&pages, &mkdocs);
        let mut out = Vec::new();
        outline(&nav.entries, 0, &mut out);
        assert_eq!(
            out,
            [
                "Home -> docs/index.html",
                "Community -> (draft)",
                "  Contributing -> docs/c/index.html",
                "    Reporting a bug -> docs/c/bug.html",
                "    Ask -> https://example.com/ask",
                "    Call -> tel:+1555",
                "  Guides -> (draft)",
                "    Reproduction -> docs/g/repro.html",
            ]
        );
        assert_eq!(
            nav.order(),
            [
                "docs/index.md",
                "docs/c/index.md",
                "docs/c/bug.md",
                "docs/g/repro.md"
            ]
        );
        assert!(!nav.contains("docs/left-out.md"));
        let local = nav.local_html("docs/c/bug.md", "docs/c/bug.html");
        assert!(
            local.contains("<li><a href=\"https://example.com/ask\">Ask</a></li>"),
            "{local}"
        );
        // Any scheme is kept as written, not read as a site path (`../../tel:+1555`).
        assert!(
            local.contains("<li><a href=\"tel:+1555\">Call</a></li>"),
            "{local}"
        );
    }

    #[test]
    fn folder_tree_by_weight_then_title() {
        let pages = vec![
            page("README.md", "# Home\n"),
            page("b.md", "# Beta\n"),
            page("c.md", "---\nweight: 1\n---\n# Gamma\n"),
            page("guide/README.md", "---\nweight: 2\n---\n# Guide\n"),
            page("guide/x.md", "# X\n"),
            page("notes/a.md", "# Alpha\n"),
        ];
        let nav = Nav::build(&pages, None);
        let mut out = Vec::new();
        outline(&nav.entries, 0, &mut out);
        assert_eq!(
            out,
            vec![
                "Home -> index.html",
                "Gamma -> c.html",
                "Guide -> guide/index.html",
                "  X -> guide/x.html",
                "Beta -> b.html",
                "notes -> (draft)",
                "  Alpha -> notes/a.html",
            ]
        );
        assert_eq!(
            nav.order(),
            [
                "README.md",
                "c.md",
                "guide/README.md",
                "guide/x.md",
                "b.md",
                "notes/a.md"
            ]
        );
    }

    #[test]
    fn local_html_is_bounded() {
        let pages: Vec<PageRef> = (0..200)
            .map(|i| page(&format!("p{i:03}.md"), &format!("# P{i:03}\n")))
            .collect();
        let nav = Nav::build(&pages, None);
        let html = nav.local_html("p100.md", "p100.html");
        assert_eq!(html.matches("<li").count(), 2 * SIBLING_WINDOW + 1 + 2);
        assert!(
            html.contains(
                "<li class=\"active\"><a href=\"p100.html\" aria-current=\"page\">P100</a></li>"
            ),
            "{html}"
        );
    }
}
