//! A page's body as HTML: [`Page::events`] replayed through `pulldown_cmark::html::push_html`
//! after a few rewrites. Nothing is parsed again; the page model already holds the heading ids.
//!
//! The rewrites:
//! - headings get their GitHub id from [`Page::headings`] (matched in document order) and a
//!   visible `<a class="anchor" href="#id">` (SPEC.md, Rendering);
//! - links to pages become links to their `.html` files with the fragment kept; a folder link
//!   and `README.md`/`index.md` lead to `index.html` (resolved with [`crate::resolve`], the same
//!   function the checks use, so what the checker accepts is what the site serves);
//! - images get `width`/`height` from the resource index and `loading="lazy"`; a screenshot
//!   with derivatives becomes a `<picture>` with `srcset`, linked to the original for zoom;
//! - GFM alerts (`> [!NOTE]`, Tip, Important, Warning, Caution) become titled callouts;
//! - on MkDocs sites, admonitions and details become MkDocs' `<div class="admonition">` and
//!   `<details>` ([`super::admonition`]), and footnotes get Python-Markdown's ids `fn:LABEL`
//!   and `fnref:LABEL` ([`super::footnote`]).
//!
//! - raw HTML gets the same treatment where the page model found an `<a href>` or `<img src>`
//!   in it: the `href` is rewritten like a Markdown link, the `src` made relative, and an
//!   `<img>` without `width` gets its size and `loading="lazy"`.
//!
//! - code blocks become [`super::code::render_block`]'s HTML (language and attributes from the
//!   info string, highlighting, hidden lines of Rust blocks, copy button).
//!
//! Tables, task lists, strikethrough and footnotes are left to `push_html`.

use std::path::Path;

use pulldown_cmark::{BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, Tag, TagEnd};

use super::code::render_block;
use super::{escape, page_site_path, relative_url};
use crate::page::Page;
use crate::project::{SiteIndex, is_markdown};
use crate::resolve::{Found, Target, resolve, split_fragment};

/// The body of one page as HTML, and what the TOC needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// The HTML of the page's Markdown.
    pub html: String,
    /// Indices into [`Page::headings`] of the headings that were rendered, in order.
    pub headings: Vec<usize>,
    /// Byte offset in `html` just after the page's leading `<h1>` (0 when the page does not
    /// start with an h1), so a template can put the table of contents under the title.
    pub title_end: usize,
}

/// Renders `page` (whose site path is `from`, see [`super::page_site_path`]) against the site
/// index. Images are measured from their files; an image that cannot be read keeps no size
/// (the `unreadable-image` check reports it).
pub fn render_body(page: &Page, site: &SiteIndex, from: &str) -> Body {
    render_body_with(page, site, from, false)
}

/// [`render_body`], and with `source_map` every block and inline element that stands for a
/// piece of the Markdown (paragraph, heading, list, item, quote, code, table, cell, link,
/// image, inline code, raw HTML block) carries `data-sb-src="START-END"`, the byte range of
/// that piece in the page's file ([`super::source_map`]). Only the preview asks for it, to mark
/// findings where they are; `build` output never has it.
pub fn render_body_with(page: &Page, site: &SiteIndex, from: &str, source_map: bool) -> Body {
    let events = crate::page::parse::replay_events(page);
    let mut out: Vec<Event<'_>> = Vec::with_capacity(events.len());
    let mut headings = Vec::new();
    let mut next_heading = 0usize;
    let mut open_heading: Option<String> = None;
    // Where the open heading's events start in `out`.
    let mut heading_starts = 0usize;
    // Whether a heading's trailing `{#id}` is its id (mdBook, Docusaurus, MkDocs) or text.
    let convention = site.rules.site_convention_at(&page.rel);
    // While inside an image: (src, title, alt text, nesting depth).
    let mut image: Option<(String, String, String, usize)> = None;
    let raw = RawHtmlRefs::new(page);
    // Links open around the current event (an image inside one gets no zoom link of its own).
    let mut links_open = 0usize;
    // While inside a code block: (info string, text so far).
    let mut code: Option<(Option<String>, String)> = None;
    // MkDocs' admonitions and details (see [`super::admonition`]): the quotes open, and the
    // index up to which a block's marker paragraph has been replaced.
    // MkDocs' admonitions, and Docusaurus' and Starlight's `:::` ones read as them
    // (`crate::page::directives`).
    let mkdocs = matches!(
        site.rules.convention,
        crate::site::Convention::Mkdocs
            | crate::site::Convention::Docusaurus
            | crate::site::Convention::Starlight
    );
    let mut blocks = super::admonition::Blocks::default();
    let mut footnotes = super::footnote::Footnotes::default();
    let mut replaced = 0usize;
    for (i, (event, range)) in events.iter().enumerate() {
        if i < replaced {
            continue;
        }
        if let Some((info, text)) = code.as_mut() {
            match event {
                Event::Text(t) => text.push_str(t),
                Event::End(TagEnd::CodeBlock) => {
                    out.push(Event::Html(CowStr::from(render_block(
                        info.as_deref(),
                        text,
                    ))));
                    code = None;
                }
                _ => {}
            }
            continue;
        }
        if mkdocs
            && image.is_none()
            && let Some(block) = super::admonition::open_at(&page.source, &events, i)
        {
            if source_map {
                let quote = Event::Start(Tag::BlockQuote(None));
                super::source_map::mark(&quote, &block.range, &mut out);
            }
            out.push(Event::Html(CowStr::from(block.html)));
            blocks.opened(block.close);
            replaced = block.quote + 1;
            continue;
        }
        if source_map && image.is_none() {
            super::source_map::mark(event, range, &mut out);
        }
        if let Some((_, _, alt, depth)) = image.as_mut() {
            match event {
                Event::Start(Tag::Image { .. }) => *depth += 1,
                Event::End(TagEnd::Image) if *depth > 0 => *depth -= 1,
                Event::End(TagEnd::Image) => {
                    let (src, title, alt, _) = image.take().expect("inside an image");
                    let image = ImageRef {
                        src: &src,
                        title: &title,
                        alt: &alt,
                    };
                    out.push(Event::InlineHtml(CowStr::from(img_tag(
                        site,
                        page,
                        from,
                        &image,
                        links_open > 0,
                    ))));
                }
                Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                    alt.push_str(t)
                }
                Event::SoftBreak | Event::HardBreak => alt.push(' '),
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::Heading {
                level,
                id: _,
                classes,
                attrs,
            }) => {
                let id = page.headings.get(next_heading).map(|h| {
                    crate::site::markup::shown_heading(convention, &h.text, &h.id)
                        .1
                        .into_owned()
                });
                heading_starts = out.len();
                if id.is_some() {
                    headings.push(next_heading);
                }
                next_heading += 1;
                open_heading = id.clone();
                out.push(Event::Start(Tag::Heading {
                    level: *level,
                    id: id.map(CowStr::from),
                    classes: classes.clone(),
                    attrs: attrs.clone(),
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                hide_explicit_id(&mut out[heading_starts..], convention);
                if let Some(id) = open_heading.take() {
                    let id = escape(&id);
                    out.push(Event::InlineHtml(CowStr::from(format!(
                        "\u{a0}<a class=\"anchor\" href=\"#{id}\" aria-label=\"Link to this section\">#</a>"
                    ))));
                }
                out.push(Event::End(TagEnd::Heading(*level)));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                links_open += 1;
                let dest = rewrite_link(site, &page.rel, from, dest_url)
                    .map(CowStr::from)
                    .unwrap_or_else(|| dest_url.clone());
                out.push(Event::Start(Tag::Link {
                    link_type: *link_type,
                    dest_url: dest,
                    title: title.clone(),
                    id: id.clone(),
                }));
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                image = Some((dest_url.to_string(), title.to_string(), String::new(), 0));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => Some(info.to_string()),
                    CodeBlockKind::Indented => None,
                };
                code = Some((info, String::new()));
            }
            Event::End(TagEnd::Link) => {
                links_open = links_open.saturating_sub(1);
                out.push(Event::End(TagEnd::Link));
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, label) = alert(*kind);
                out.push(Event::Html(CowStr::from(format!(
                    "<div class=\"callout callout-{class}\" role=\"note\">\n<p class=\"callout-title\">{label}</p>\n"
                ))));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                out.push(Event::Html(CowStr::from("</div>\n")));
            }
            Event::FootnoteReference(label) if mkdocs => {
                out.push(Event::InlineHtml(CowStr::from(footnotes.reference(label))));
            }
            Event::Start(Tag::FootnoteDefinition(label)) if mkdocs => {
                out.push(Event::Html(CowStr::from(footnotes.definition(label))));
            }
            Event::End(TagEnd::FootnoteDefinition) if mkdocs => {
                out.push(Event::Html(CowStr::from("</div>\n")));
            }
            Event::Start(Tag::BlockQuote(None)) => {
                blocks.quote();
                out.push(event.clone());
            }
            Event::End(TagEnd::BlockQuote(None)) => match blocks.close() {
                Some(close) => out.push(Event::Html(CowStr::from(close))),
                None => out.push(event.clone()),
            },
            Event::Html(t) => out.push(Event::Html(raw.rewrite(site, page, from, t, range))),
            Event::InlineHtml(t) => {
                out.push(Event::InlineHtml(raw.rewrite(site, page, from, t, range)))
            }
            other => out.push(other.clone()),
        }
    }
    // Where the leading h1 ends: its End event when the first event starts an h1.
    let lead = out
        .iter()
        .take_while(|e| super::source_map::is_mark(e))
        .count();
    let split = match out.get(lead) {
        Some(Event::Start(Tag::Heading {
            level: HeadingLevel::H1,
            ..
        })) => out
            .iter()
            .position(|e| matches!(e, Event::End(TagEnd::Heading(HeadingLevel::H1))))
            .map_or(0, |i| i + 1),
        _ => 0,
    };
    let mut html = String::with_capacity(page.source.len() * 3 / 2);
    let mut events = out.into_iter();
    pulldown_cmark::html::push_html(&mut html, events.by_ref().take(split));
    let title_end = html.len();
    pulldown_cmark::html::push_html(&mut html, events);
    if source_map {
        let title = super::source_map::apply(&html[..title_end]);
        let rest = super::source_map::apply(&html[title_end..]);
        return Body {
            title_end: title.len(),
            html: title + &rest,
            headings,
        };
    }
    Body {
        html,
        headings,
        title_end,
    }
}

/// Drops a trailing `{#id …}` from the text of a heading's events (`heading`, from its start)
/// where `convention` reads it as the heading's id ([`crate::site::markup::shown_heading`]).
fn hide_explicit_id(heading: &mut [Event<'_>], convention: crate::site::Convention) {
    // The heading's last event of content (source-map marks aside): `{#id}` ends its text.
    let Some(last) = heading
        .iter_mut()
        .rev()
        .find(|e| !super::source_map::is_mark(e))
    else {
        return;
    };
    if let Event::Text(text) = last {
        let (shown, _) = crate::site::markup::shown_heading(convention, text, "");
        if shown.len() != text.len() {
            *last = Event::Text(CowStr::from(shown.to_string()));
        }
    }
}

/// The CSS class suffix and title of a GFM alert.
fn alert(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

/// The href a link to `dest` (written in the page at content-relative `page_rel`, rendered at
/// site path `from`) gets in the site, or `None` to keep `dest` as written.
///
/// A page link leads to the page's `.html` file, a folder link to its index page, a resource to
/// its copied file, a file of the project outside the content (a Docusaurus `website/static/`
/// beside the built docs, a Starlight site's `public/` and `src/assets/`) to where
/// [`crate::site::publish::outside_file`] publishes it; the fragment is kept as written.
/// External links, same-page fragments and files outside the project (or hidden, or of a
/// build: not published) are kept. A link to a `.md` file that does not exist is still
/// rewritten to `.html` (`README.md` → `index.html`), so it fails the same way in both places.
pub fn rewrite_link(site: &SiteIndex, page_rel: &str, from: &str, dest: &str) -> Option<String> {
    let target = resolve(site, page_rel, dest);
    let Target::Site { path, found, .. } = target else {
        return None;
    };
    let fragment = split_fragment(dest.trim())
        .1
        .map(|f| format!("#{f}"))
        .unwrap_or_default();
    let to = match found {
        // A file outside the site: published where [`crate::site::publish::outside_file`]
        // puts it when it lies in the project, else kept as written.
        Found::File(p) if !site.contains(&p) => {
            crate::site::publish::outside_file(&site.rules, &p)?.0
        }
        Found::File(p) if is_markdown(Path::new(&p)) => page_site_path(&p),
        Found::File(p) => p,
        Found::DirIndex(p) => page_site_path(&p),
        Found::Missing | Found::CaseMismatch(_) | Found::DirWithoutIndex => {
            let (written, _) = split_fragment(dest.trim());
            if !is_markdown(Path::new(&path)) {
                return None;
            }
            let name_start = written.rfind('/').map(|i| i + 1).unwrap_or(0);
            let rewritten = if super::is_index_name(&written[name_start..]) {
                format!("{}index.html", &written[..name_start])
            } else {
                let dot = written.rfind('.').unwrap_or(written.len());
                format!("{}.html", &written[..dot])
            };
            return Some(format!("{rewritten}{fragment}"));
        }
    };
    Some(format!("{}{fragment}", relative_url(from, &to)))
}

/// The `<a href>` and `<img src>` values the page model found in raw HTML, sorted by position,
/// so each HTML event finds its own by binary search.
struct RawHtmlRefs {
    /// `(span, destination, is_image)`.
    refs: Vec<(crate::source::Span, String, bool)>,
}

impl RawHtmlRefs {
    fn new(page: &Page) -> Self {
        let links = page
            .links
            .iter()
            .filter(|l| l.kind == crate::page::LinkKind::Html && !l.in_accidental_code)
            .map(|l| (l.span, l.dest.clone(), false));
        let images = page
            .images
            .iter()
            .filter(|i| i.from_html && !i.in_accidental_code)
            .map(|i| (i.span, i.src.clone(), true));
        let mut refs: Vec<_> = links.chain(images).collect();
        refs.sort_by_key(|r| r.0.start);
        RawHtmlRefs { refs }
    }

    /// `text`, the raw HTML of one event at file `range`, with its links and images rewritten.
    /// Kept as it is when the event's text is not the file's text at `range` (HTML inside a
    /// blockquote, whose `>` markers pulldown-cmark removed), since spans would not line up.
    fn rewrite<'e>(
        &self,
        site: &SiteIndex,
        page: &Page,
        from: &str,
        text: &CowStr<'e>,
        range: &std::ops::Range<usize>,
    ) -> CowStr<'e> {
        let first = self.refs.partition_point(|r| r.0.start < range.start);
        let inside: Vec<_> = self.refs[first..]
            .iter()
            .take_while(|r| r.0.end <= range.end)
            .collect();
        if inside.is_empty() || page.source.get(range.clone()) != Some(text.as_ref()) {
            return text.clone();
        }
        // (start, end, replacement) in `text`, applied from the end.
        let mut edits: Vec<(usize, usize, String)> = Vec::new();
        for (span, dest, is_image) in inside {
            let (start, end) = (span.start - range.start, span.end - range.start);
            if !is_image {
                if let Some(href) = rewrite_link(site, &page.rel, from, dest) {
                    edits.push((start, end, escape(&href)));
                }
                continue;
            }
            let Target::Site {
                found: Found::File(p),
                ..
            } = resolve(site, &page.rel, dest)
            else {
                continue;
            };
            if !site.contains(&p) {
                continue;
            }
            edits.push((start, end, escape(&relative_url(from, &p))));
            // The end of this <img …> tag, and whether it already has a size.
            let Some(close) = text[end..].find('>').map(|i| end + i) else {
                continue;
            };
            let open = text[..start].rfind('<').unwrap_or(0);
            let tag = text[open..close].to_ascii_lowercase();
            let mut extra = String::new();
            if !tag.contains("width")
                && let Some((w, h)) = site.image(&p).and_then(|i| i.size)
            {
                extra.push_str(&format!(" width=\"{w}\" height=\"{h}\""));
            }
            if !tag.contains("loading") {
                extra.push_str(" loading=\"lazy\"");
            }
            let at = if text[..close].ends_with('/') {
                close - 1
            } else {
                close
            };
            edits.push((at, at, extra));
        }
        edits.sort_by_key(|e| (e.0, e.1));
        let mut out = text.to_string();
        for (start, end, replacement) in edits.into_iter().rev() {
            out.replace_range(start..end, &replacement);
        }
        CowStr::from(out)
    }
}

/// `<img>` for a Markdown image, with `width`/`height` from the resource index when the image
/// is a readable file of the site. An image with derivatives ([`crate::images::derive`]) becomes
/// a `<picture>` with a WebP `<source>` and an `<img>` in the original's format, both with
/// `srcset` (1× and 2× of the display width) and `sizes`, shown at the display width; unless it
/// already sits in a link, it is wrapped in `<a class="zoom">` to the original, which the page's
/// script opens full size in an overlay.
fn img_tag(
    site: &SiteIndex,
    page: &Page,
    from: &str,
    image: &ImageRef<'_>,
    in_link: bool,
) -> String {
    let mut url = image.src.to_string();
    let mut size = None;
    let mut derived = None;
    if let Target::Site {
        found: Found::File(p),
        ..
    } = resolve(site, &page.rel, image.src)
    {
        if site.contains(&p) {
            url = relative_url(from, &p);
            size = site.image(&p).and_then(|i| i.size);
            derived = site.derived.get(&p);
        } else if let Some((published, _)) = crate::site::publish::outside_file(&site.rules, &p) {
            url = relative_url(from, &published);
        }
    }
    let mut rest = format!(" alt=\"{}\"", escape(image.alt));
    if !image.title.is_empty() {
        rest.push_str(&format!(" title=\"{}\"", escape(image.title)));
    }
    let Some(derived) = derived else {
        if let Some((w, h)) = size {
            rest.push_str(&format!(" width=\"{w}\" height=\"{h}\""));
        }
        return format!("<img src=\"{}\"{rest} loading=\"lazy\">", escape(&url));
    };
    let (w, h) = derived.display;
    let sizes = format!("(max-width: {w}px) 100vw, {w}px");
    let srcset = |format: image::ImageFormat| {
        derived
            .files
            .iter()
            .filter(|d| d.format == format)
            .map(|d| format!("{} {}w", escape(&relative_url(from, &d.site)), d.size.0))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let fallback = derived
        .files
        .iter()
        .find(|d| d.format == derived.format)
        .map(|d| relative_url(from, &d.site))
        .unwrap_or_else(|| url.clone());
    let mut tag = String::new();
    if !in_link {
        tag.push_str(&format!(
            "<a class=\"zoom\" href=\"{}\" title=\"Open the full-size image\">",
            escape(&url)
        ));
    }
    tag.push_str("<picture>");
    if derived.format != image::ImageFormat::WebP {
        tag.push_str(&format!(
            "<source type=\"image/webp\" srcset=\"{}\" sizes=\"{sizes}\">",
            srcset(image::ImageFormat::WebP)
        ));
    }
    tag.push_str(&format!(
        "<img src=\"{}\" srcset=\"{}\" sizes=\"{sizes}\"{rest} width=\"{w}\" height=\"{h}\" loading=\"lazy\">",
        escape(&fallback),
        srcset(derived.format),
    ));
    tag.push_str("</picture>");
    if !in_link {
        tag.push_str("</a>");
    }
    tag
}

/// A Markdown image being rendered: destination, title and alt text as plain text.
struct ImageRef<'a> {
    src: &'a str,
    title: &'a str,
    alt: &'a str,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::{ParseOptions, parse_page};
    use std::path::PathBuf;

    fn site(paths: &[&str]) -> SiteIndex {
        let mut s = SiteIndex::default();
        for p in paths {
            s.insert(p.to_string(), PathBuf::from(p));
        }
        s
    }

    #[test]
    fn page_links_become_html_with_fragment() {
        let s = site(&[
            "CREDENTIALS.md",
            "GETTING_STARTED.md",
            "guide/README.md",
            "guide/a.md",
            "res/x.png",
        ]);
        let rw = |page: &str, dest: &str| rewrite_link(&s, page, &page_site_path(page), dest);
        assert_eq!(
            rw("CREDENTIALS.md", "GETTING_STARTED.md").as_deref(),
            Some("GETTING_STARTED.html")
        );
        assert_eq!(
            rw(
                "GETTING_STARTED.md",
                "CREDENTIALS.md#step-4-generate-an-access-token"
            )
            .as_deref(),
            Some("CREDENTIALS.html#step-4-generate-an-access-token")
        );
        assert_eq!(
            rw("CREDENTIALS.md", "guide/README.md").as_deref(),
            Some("guide/index.html")
        );
        assert_eq!(
            rw("CREDENTIALS.md", "guide/").as_deref(),
            Some("guide/index.html")
        );
        assert_eq!(
            rw("CREDENTIALS.md", "guide#top").as_deref(),
            Some("guide/index.html#top")
        );
        assert_eq!(
            rw("guide/a.md", "../CREDENTIALS.md").as_deref(),
            Some("../CREDENTIALS.html")
        );
        assert_eq!(
            rw("guide/a.md", "/res/x.png").as_deref(),
            Some("../res/x.png")
        );
        assert_eq!(
            rw("guide/a.md", "README.md#b").as_deref(),
            Some("index.html#b")
        );
        // Missing pages are still rewritten, so they fail the same way on GitHub and in the site.
        assert_eq!(
            rw("CREDENTIALS.md", "gone/README.md").as_deref(),
            Some("gone/index.html")
        );
        assert_eq!(
            rw("CREDENTIALS.md", "nope.md#x").as_deref(),
            Some("nope.html#x")
        );
        // Kept as written.
        assert_eq!(rw("CREDENTIALS.md", "https://example.com/a.md"), None);
        assert_eq!(rw("CREDENTIALS.md", "#step-1"), None);
        assert_eq!(rw("CREDENTIALS.md", "missing.png"), None);
        assert_eq!(rw("CREDENTIALS.md", "../outside.md"), None);
    }

    #[test]
    fn headings_alerts_and_images() {
        let text = "# Title\n\n## ✅ You’re Ready to Go\n\n> [!NOTE]\n> Read this.\n\n![Shot](missing.png \"t\")\n\n[g](GETTING_STARTED.md)\n";
        let page = parse_page(
            PathBuf::from("p.md"),
            "p.md".into(),
            "p.md".into(),
            text.into(),
            &ParseOptions::default(),
        )
        .unwrap();
        let s = site(&["p.md", "GETTING_STARTED.md"]);
        let body = render_body(&page, &s, "p.html");
        assert!(body.html.contains("<h2 id=\"-youre-ready-to-go\">✅ You’re Ready to Go\u{a0}<a class=\"anchor\" href=\"#-youre-ready-to-go\""), "{}", body.html);
        assert!(body.html.contains("<div class=\"callout callout-note\" role=\"note\">\n<p class=\"callout-title\">Note</p>\n<p>Read this.</p>\n</div>"), "{}", body.html);
        assert!(
            body.html
                .contains("<img src=\"missing.png\" alt=\"Shot\" title=\"t\" loading=\"lazy\">"),
            "{}",
            body.html
        );
        assert!(
            body.html.contains("<a href=\"GETTING_STARTED.html\">g</a>"),
            "{}",
            body.html
        );
        assert_eq!(body.headings, vec![0, 1]);
        assert_eq!(
            &body.html[..body.title_end],
            "<h1 id=\"title\">Title\u{a0}<a class=\"anchor\" href=\"#title\" aria-label=\"Link to this section\">#</a></h1>\n"
        );
    }
}
