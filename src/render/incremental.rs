//! Render keys for incremental builds (issue 13, item 2): a page whose key is the same as when
//! an earlier build rendered it has the same HTML, so that build's file can be kept or copied
//! instead of rendering the page again ([`crate::output::Staging::reuse_page`]).
//!
//! A page's key is SHA-256 of the site key, its content-relative path, its site path, its file
//! and its text (mdBook directives expanded), the text through the page's id
//! ([`crate::page::PageRef::id`], which hashes it) when it has one. The site key hashes
//! everything else any page's HTML may depend on, erring on the side of including too much: the program (version and the
//! executable's length and modification time), the settings (book.toml as read and resolved),
//! the templates and style sheet, SUMMARY.md, the navigation, every page's path, file, title,
//! headings, anchors and steps (links, prev/next and link targets; the digest of its facts), the site index (every file and
//! folder, the link convention and routes, image facts and derivatives) and whether search is
//! on. A change to any of them renders every page again.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::project::Book;
use crate::render::page_site_path;
use crate::render::site::Renderer;

/// Site path of every published page → its render key (hex), for one build.
pub fn page_keys(renderer: &Renderer, project: &Book) -> HashMap<String, String> {
    let site = site_key(renderer, project);
    let page_404 = project.settings.html.page_404();
    project
        .pages
        .par_iter()
        .filter(|p| renderer.publishes(project, p))
        .map(|p| {
            let path = if p.rel == page_404 {
                "404.html".to_string()
            } else {
                page_site_path(&p.rel)
            };
            let mut h = Sha256::new();
            h.update(site);
            for part in [p.rel.as_str(), path.as_str(), p.file.as_str()] {
                put(&mut h, part);
            }
            // The text through the page's id, which hashed it already (with the parse
            // settings, the page's paths and what mdBook's directives added); a page without
            // one (rewritten by a preprocessor, or reloaded by serve) hashes its text.
            match &p.id {
                Some(id) => {
                    put(&mut h, "id");
                    h.update(id);
                }
                None => {
                    put(&mut h, "text");
                    put(&mut h, &p.source);
                }
            }
            (path, hex(&h.finalize()))
        })
        .collect()
}

/// The site key: SHA-256 of everything besides a page's own text that its HTML depends on (see
/// the module documentation). Strings are hashed as their bytes with a length before them, and
/// collections with their count, so that no two different inputs hash the same stream; each
/// page's part is hashed on its own (in parallel) and the digests in page order.
pub fn site_key(renderer: &Renderer, project: &Book) -> [u8; 32] {
    let mut h = Sha256::new();
    put(&mut h, env!("CARGO_PKG_VERSION"));
    put(&mut h, &crate::cache::program_stamp());
    put(&mut h, &format!("{:?}", project.settings));
    match &project.summary {
        Some((path, text)) => {
            put(&mut h, "summary");
            put_os(&mut h, path.as_os_str());
            put(&mut h, text);
        }
        None => put(&mut h, "no summary"),
    }
    put(&mut h, &renderer.fingerprint());
    put(
        &mut h,
        if project.settings.html.search_enable != Some(false) {
            "search=true"
        } else {
            "search=false"
        },
    );
    let pages: Vec<[u8; 32]> = project
        .pages
        .par_iter()
        .map(|p| {
            let mut h = Sha256::new();
            put(&mut h, &p.rel);
            put(&mut h, &p.file);
            // Title, headings and anchors, in the digest of the page's facts: an unchanged
            // page's model is not decoded for its key.
            h.update(p.head().digest());
            h.finalize().into()
        })
        .collect();
    count(&mut h, pages.len());
    for digest in &pages {
        h.update(digest);
    }
    hash_site_index(&mut h, &project.site);
    h.finalize().into()
}

/// Hashes the site index `site`: every file and folder with its file on disk, the convention
/// and its routes (sorted), image facts and derivatives.
pub(crate) fn hash_site_index(h: &mut Sha256, site: &crate::project::SiteIndex) {
    count(h, site.files.len());
    for (path, disk) in &site.files {
        put(h, path);
        put_os(h, disk.as_os_str());
    }
    count(h, site.dirs.len());
    for dir in &site.dirs {
        put(h, dir);
    }
    let mut rules = site.rules.clone();
    let routes: BTreeMap<_, _> = std::mem::take(&mut rules.routes).into_iter().collect();
    let page_routes: BTreeMap<_, _> = std::mem::take(&mut rules.page_routes).into_iter().collect();
    let outside: BTreeMap<_, _> = std::mem::take(&mut rules.outside_routes)
        .into_iter()
        .collect();
    put(h, &format!("{rules:?}"));
    for map in [&routes, &page_routes] {
        count(h, map.len());
        for (k, v) in map {
            put(h, k);
            put(h, v);
        }
    }
    count(h, outside.len());
    for (k, v) in &outside {
        put(h, k);
        put_os(h, v.as_os_str());
    }
    let mut images: Vec<_> = site.images.iter().collect();
    images.sort_unstable_by(|a, b| a.0.cmp(b.0));
    count(h, images.len());
    for (path, info) in images {
        put(h, path);
        h.update(info.bytes.to_le_bytes());
        match info.size {
            Some((w, hgt)) => {
                h.update([1]);
                h.update(w.to_le_bytes());
                h.update(hgt.to_le_bytes());
            }
            None => h.update([0]),
        }
        match &info.problem {
            Some(problem) => put(h, &format!("{problem:?}")),
            None => put(h, ""),
        }
    }
    put(h, &format!("{:?}", site.derived));
}

/// Hashes `s` with its length before it.
fn put(h: &mut Sha256, s: &str) {
    h.update((s.len() as u64).to_le_bytes());
    h.update(s.as_bytes());
}

/// Hashes a path or other OS string with its length before it.
fn put_os(h: &mut Sha256, s: &std::ffi::OsStr) {
    let bytes = s.as_encoded_bytes();
    h.update((bytes.len() as u64).to_le_bytes());
    h.update(bytes);
}

/// Hashes the number of items a collection holds.
fn count(h: &mut Sha256, n: usize) {
    h.update((n as u64).to_le_bytes());
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `text` to `rel` under `root`, folders created.
    fn write_file(root: &std::path::Path, rel: &str, text: &str) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn keys(dir: &std::path::Path) -> HashMap<String, String> {
        let book = Book::load(dir).unwrap();
        let renderer = Renderer::new(&book).unwrap();
        page_keys(&renderer, &book)
    }

    /// A page's text reaches its key through its id: an edit of a file the page includes
    /// changes the page's key, and only that page's.
    #[test]
    fn an_included_file_is_in_the_key_of_the_page_that_includes_it() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |rel: &str, text: &str| write_file(root, rel, text);
        write("book.toml", "[book]\ntitle = \"T\"\nsrc = \"content\"\n");
        write("content/SUMMARY.md", "# S\n\n- [A](a.md)\n- [B](b.md)\n");
        write(
            "content/a.md",
            "# A\n\n```\n{{#include ../listing.txt}}\n```\n",
        );
        write("content/b.md", "# B\n");
        write("listing.txt", "one\n");
        let book = Book::load(root).unwrap();
        assert!(book.pages.iter().all(|p| p.id.is_some()));
        drop(book);
        let first = keys(root);
        write("listing.txt", "two\n");
        let edited = keys(root);
        assert_ne!(edited["a.html"], first["a.html"]);
        assert_eq!(edited["b.html"], first["b.html"]);
    }

    /// Hash maps iterate in a different order in every instance: the keys must not depend on it.
    #[test]
    fn keys_are_the_same_for_two_loads_and_change_with_their_inputs() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |rel: &str, text: &str| write_file(root, rel, text);
        write(
            "book.toml",
            "[book]\ntitle = \"T\"\nsrc = \"content\"\n\n[output.html.redirect]\n\"/old.html\" = \"a.html\"\n",
        );
        write(
            "content/SUMMARY.md",
            "# S\n\n- [A](a.md)\n- [B](b.md)\n  - [C](sub/c.md)\n",
        );
        write(
            "content/a.md",
            "# A\n\n<a id=\"x\"></a><a id=\"y\"></a>[B](b.md#two) ![i](i.png)\n",
        );
        write("content/b.md", "# B\n\n## One\n\n## Two\n");
        write("content/sub/c.md", "# C\n");
        let first = keys(root);
        assert_eq!(first.len(), 3);
        for _ in 0..3 {
            assert_eq!(keys(root), first);
        }
        write("content/b.md", "# B\n\n## One\n\n## Two\n\nMore.\n");
        let body = keys(root);
        assert_eq!(body["a.html"], first["a.html"]);
        assert_ne!(body["b.html"], first["b.html"]);
        write("content/b.md", "# B\n\n## One\n\n## Three\n\nMore.\n");
        let heading = keys(root);
        assert!(
            first.keys().all(|k| heading[k] != body[k]),
            "a heading id is in the site key"
        );
    }
}
