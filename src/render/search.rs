//! Full-text search: the rendered pages indexed with Pagefind's Rust API into `pagefind/` of
//! the site, the one module that knows the `pagefind` crate. The browser side is `search.js`
//! (a search box in the top bar that loads `pagefind/pagefind.js` on first use); Pagefind's
//! own UI bundles are not published.
//!
//! Each page is handed to Pagefind as a small document of its own (title and body, heading
//! anchors and code-block tools left out) rather than the whole templated page: the sidebar,
//! table of contents and footer would only add noise to results and time to the index.
//! Pagefind's API is async (tokio) and takes pages one at a time; the index is built on its
//! own thread with a current-thread runtime, so it runs the same under `build` and inside the
//! preview server's runtime. Pages are added in site-path order, so the index is the same
//! bytes for the same site.

use crate::error::{Error, Result};

/// The folder of the site that holds the index and Pagefind's script.
pub const BUNDLE_DIR: &str = "pagefind";

/// One page to index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doc {
    /// The page's site path (`guide/a.html`), relative to the site root; `search.js` prefixes
    /// the root of the page the reader is on.
    pub url: String,
    /// The page title (shown as the result's title).
    pub title: String,
    /// The page body as rendered HTML.
    pub body: String,
}

/// Pagefind's browser files the site does not use (stepbook has its own search box).
const UNUSED: &[&str] = &[
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
];

/// Indexes `docs` (in the given order) for a site in `language` (an ISO 639-1 code such as
/// `en`, which picks Pagefind's stemmer). Returns the files of the bundle as (site path under
/// [`BUNDLE_DIR`], bytes), sorted by path.
///
/// Errors: [`Error::Invalid`] with Pagefind's message when a page cannot be indexed or the
/// index cannot be built.
pub fn build_index(docs: Vec<Doc>, language: &str) -> Result<Vec<(String, Vec<u8>)>> {
    let language = language.to_string();
    std::thread::scope(|s| {
        s.spawn(move || index_on_this_thread(docs, language))
            .join()
            .unwrap_or_else(|_| Err(Error::Invalid("search index: Pagefind panicked".into())))
    })
}

fn index_on_this_thread(docs: Vec<Doc>, language: String) -> Result<Vec<(String, Vec<u8>)>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Invalid(format!("search index: cannot start a runtime: {e}")))?;
    runtime.block_on(async move {
        let options = pagefind::options::PagefindServiceConfig::builder()
            .keep_index_url(true)
            .force_language(language.clone())
            .build();
        let mut index = pagefind::api::PagefindIndex::new(Some(options)).map_err(failed)?;
        for doc in docs {
            let html = document(&doc, &language);
            index
                .add_html_file(None, Some(doc.url), html)
                .await
                .map_err(failed)?;
        }
        let files = index.get_files().await.map_err(failed)?;
        let mut out: Vec<(String, Vec<u8>)> = files
            .into_iter()
            .filter_map(|f| {
                let name = f.filename.to_string_lossy().replace('\\', "/");
                if UNUSED.contains(&name.as_str()) || name.starts_with("playground/") {
                    return None;
                }
                Some((format!("{BUNDLE_DIR}/{name}"), f.contents))
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    })
}

/// A Pagefind error as ours.
fn failed(e: impl std::fmt::Display) -> Error {
    Error::Invalid(format!("search index: {e}"))
}

/// The document Pagefind reads for one page: its title first, as an `h1` that is the title's
/// metadata (Pagefind reads no metadata from a void element such as `<meta>`, nor text from an
/// ignored one; pages whose first heading is an `h2`, as in the Rust Book, need it), then its
/// body without heading anchors (whose `#` would end up in result titles).
fn document(doc: &Doc, language: &str) -> String {
    let title = super::escape(&doc.title);
    format!(
        "<html lang=\"{}\"><head><title>{title}</title></head><body><main><h1 data-pagefind-meta=\"title\">{title}</h1>{}</main></body></html>",
        super::escape(language),
        strip_heading_anchors(&doc.body)
    )
}

/// `html` without the `&nbsp;<a class="anchor" …>#</a>` links the renderer puts in headings.
fn strip_heading_anchors(html: &str) -> String {
    const START: &str = "\u{a0}<a class=\"anchor\" ";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(START) {
        out.push_str(&rest[..i]);
        match rest[i..].find("</a>") {
            Some(end) => rest = &rest[i + end + 4..],
            None => {
                rest = &rest[i..];
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_are_stripped() {
        let html = "<h2 id=\"a\">Alpha\u{a0}<a class=\"anchor\" href=\"#a\" aria-label=\"Link to this section\">#</a></h2>\n<p>x</p>";
        assert_eq!(
            strip_heading_anchors(html),
            "<h2 id=\"a\">Alpha</h2>\n<p>x</p>"
        );
    }

    #[test]
    fn index_finds_words_and_is_deterministic() {
        let docs = vec![
            Doc {
                url: "ownership.html".into(),
                title: "Understanding Ownership".into(),
                body: "<h1>Understanding Ownership</h1><p>Ownership is Rust's most unique feature.</p>".into(),
            },
            Doc {
                url: "guide/structs.html".into(),
                title: "Structs".into(),
                body: "<h1>Structs</h1><p>A struct groups fields.</p>".into(),
            },
        ];
        let a = build_index(docs.clone(), "en").unwrap();
        let b = build_index(docs, "en").unwrap();
        assert_eq!(a, b);
        let names: Vec<&str> = a.iter().map(|(n, _)| n.as_str()).collect();
        assert!(names.contains(&"pagefind/pagefind.js"), "{names:?}");
        assert!(names.contains(&"pagefind/pagefind-entry.json"), "{names:?}");
        assert!(names.iter().any(|n| n.ends_with(".pf_index")), "{names:?}");
        assert!(!names.contains(&"pagefind/pagefind-ui.js"));
    }
}
