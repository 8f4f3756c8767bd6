//! What the per-page rules found on each page, kept in `.stepbook-cache/checks.bin` so that an
//! unchanged page is neither decoded nor checked again ([`PageRecord`]).
//!
//! A record is found by its key: SHA-256 of the page's id ([`crate::page::PageRef::id`]: its
//! text, paths and what mdBook's directives added) and of the *world key*, which hashes
//! everything else a per-page rule can read: the program, the settings (book.toml as read and
//! resolved, rule options and levels), the rules that run, the current folder (messages name
//! files from it), SUMMARY.md, the site index (every file and folder with its file on disk,
//! the convention and its routes, image facts and derivatives), the scope sources, and what
//! rules read of other pages (paths, and the [`Facts::digest`](crate::page::Facts::digest) of
//! their facts: title, headings, HTML ids, anchors, steps; the facts are the only view of
//! another page a rule gets through [`super::Context::page`]). A change to any of them checks every page again.
//!
//! A rule that looks at the disk beyond these inputs while it checks a page (a file of the
//! repository outside the site, a static folder outside the content, what a missing image's
//! path is) calls [`probe`]; the records of a page whose check probed are not kept, so that
//! page is checked again on every run.

use std::cell::Cell;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{Finding, Rule};
use crate::diag::Fix;
use crate::project::Project;
use crate::record_file::Key;
use crate::scopes::ResolvedSources;
use crate::source::Span;

/// The records file's name inside [`crate::cache::DIR`].
pub const FILE: &str = "checks.bin";

/// The records file's first bytes.
pub const MAGIC: &[u8; 16] = b"stepbook-checks\n";

/// Bumped whenever [`PageRecord`] changes shape or meaning.
pub const VERSION: u32 = 1;

/// What checking one page gave, for the site rules, the report and the build.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PageRecord {
    /// The per-page rules' findings (rule id, finding), in the order the rules ran, with
    /// spans already in the files they point into, before levels and suppressions.
    pub findings: Vec<(String, StoredFinding)>,
    /// Site paths of the images the page uses: its images, its links to image files and an
    /// MDX page's imports, resolved to files (orphan-image).
    pub used_images: Vec<String>,
    /// Images of the page whose file has a problem: site path and the image's span
    /// (unreadable-image).
    pub unreadable: Vec<(String, Span)>,
    /// Site paths of the files other than pages that the page's links, images and imports
    /// reach (what a build publishes besides the pages).
    pub published: Vec<String>,
    /// For each scope source that governs the page: its index and whether it names the page
    /// (by its path or in the front matter) rather than through a glob only.
    pub scope_governing: Vec<(usize, bool)>,
    /// Scope sources whose lists the page holds.
    pub scope_listed: Vec<usize>,
}

/// A [`Finding`] as a record keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredFinding {
    file: String,
    span: Span,
    message: String,
    help: Option<String>,
    fix: Option<(Span, String)>,
}

impl From<Finding> for StoredFinding {
    fn from(f: Finding) -> Self {
        StoredFinding {
            file: f.file,
            span: f.span,
            message: f.message,
            help: f.help,
            fix: f.fix.map(|x| (x.span, x.replacement)),
        }
    }
}

impl From<&StoredFinding> for Finding {
    fn from(f: &StoredFinding) -> Self {
        Finding {
            file: f.file.clone(),
            span: f.span,
            message: f.message.clone(),
            help: f.help.clone(),
            fix: f.fix.as_ref().map(|(span, replacement)| Fix {
                span: *span,
                replacement: replacement.clone(),
            }),
        }
    }
}

thread_local! {
    static PROBES: Cell<u64> = const { Cell::new(0) };
}

/// Marks that the code running on this thread read the disk beyond what the world key covers
/// (see the module documentation): the page being checked is checked again next time.
pub(crate) fn probe() {
    PROBES.with(|p| p.set(p.get().wrapping_add(1)));
}

/// The number of [`probe`]s made on this thread so far.
pub(crate) fn probes() -> u64 {
    PROBES.with(Cell::get)
}

/// The world key of a run of `active` rules over `project` with `scopes` (see the module
/// documentation).
pub fn world_key(
    project: &Project,
    active: &[&dyn Rule],
    scopes: &ResolvedSources,
    opts: &super::CheckOptions,
) -> Key {
    let external = opts.external;
    let mut h = Sha256::new();
    put(&mut h, &format!("checks {VERSION}"));
    put(&mut h, env!("CARGO_PKG_VERSION"));
    put(&mut h, &crate::cache::program_stamp());
    put(&mut h, &format!("{:?}", project.settings));
    put(&mut h, &format!("external={external}"));
    let ids: Vec<&str> = active.iter().map(|r| r.meta().id).collect();
    put(&mut h, &ids.join(" "));
    let cwd = std::env::current_dir().ok();
    put(&mut h, &format!("{cwd:?}"));
    put(&mut h, &format!("names from {:?}", opts.names_from));
    match &project.summary {
        Some((path, text)) => {
            put(&mut h, "summary");
            put(&mut h, &path.to_string_lossy());
            put(&mut h, text);
        }
        None => put(&mut h, "no summary"),
    }
    crate::render::incremental::hash_site_index(&mut h, &project.site);
    let mut images: Vec<_> = project.site.images.iter().collect();
    images.sort_unstable_by(|a, b| a.0.cmp(b.0));
    // Besides what the site index's hash holds of each image: its bytes' hash.
    for (path, info) in images {
        put(&mut h, path);
        put(&mut h, info.hash.as_deref().unwrap_or_default());
    }
    put(&mut h, &format!("{scopes:?}"));
    count(&mut h, project.pages.len());
    for p in &project.pages {
        put(&mut h, &p.rel);
        put(&mut h, &p.file);
        put(&mut h, &p.path.to_string_lossy());
        h.update(p.head().digest());
    }
    h.finalize().into()
}

/// The key of a page's record: its id in the world `world`.
pub fn record_key(world: &Key, page_id: &Key) -> Key {
    let mut h = Sha256::new();
    h.update(world);
    h.update(page_id);
    h.finalize().into()
}

/// The counts of a run: pages whose rules ran, and pages whose record was reused.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CheckStats {
    /// Pages checked (no record, or one made in another world).
    pub checked: usize,
    /// Pages whose findings came from their record.
    pub reused: usize,
}

/// Scope governance of the pages, by source: (governs any page, names a page, a page lists it,
/// the files of pages it governs by glob only), as scope-missing reads it.
pub(crate) type ScopeUse<'a> = (Vec<bool>, Vec<bool>, Vec<bool>, Vec<Vec<&'a str>>);

/// Sums the scope part of every page's record for `n` sources.
pub(crate) fn scope_use<'a>(
    project: &'a Project,
    records: &'a [std::sync::Arc<PageRecord>],
    n: usize,
) -> ScopeUse<'a> {
    let (mut governs, mut by_name, mut listed) = (vec![false; n], vec![false; n], vec![false; n]);
    let mut glob_only: Vec<Vec<&str>> = vec![Vec::new(); n];
    for (page, record) in project.pages.iter().zip(records) {
        if record.scope_governing.is_empty() {
            continue;
        }
        for &i in &record.scope_listed {
            if let Some(l) = listed.get_mut(i) {
                *l = true;
            }
        }
        for &(i, named) in &record.scope_governing {
            let Some(g) = governs.get_mut(i) else {
                continue;
            };
            *g = true;
            if named {
                by_name[i] = true;
            } else {
                glob_only[i].push(page.file.as_str());
            }
        }
    }
    (governs, by_name, listed, glob_only)
}

/// Hashes `s` with its length before it.
pub(crate) fn put(h: &mut Sha256, s: &str) {
    h.update((s.len() as u64).to_le_bytes());
    h.update(s.as_bytes());
}

/// Hashes the number of items a collection holds.
pub(crate) fn count(h: &mut Sha256, n: usize) {
    h.update((n as u64).to_le_bytes());
}
