//! Loading a project: settings, a walk of the content root (the `ignore` crate), every page parsed once in
//! parallel (rayon), and the [`SiteIndex`] of every file the built site will hold: content files
//! at their relative paths and resource folders mounted at the site root (SPEC.md, Layout).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Settings;
use crate::error::{Error, Result};
use crate::images::ImageInfo;
use crate::images::derive::Derived;
use crate::mdbook::preprocessor;
use crate::page::cache::{PageCache, ParseStats};
use crate::page::include::{self, IncludeOptions};
use crate::page::{Page, PageRef, ParseOptions, facts};
use crate::record_file::RecordFile;
use std::sync::Arc;

/// File names that are Markdown pages: `.md`, `.markdown`, and MDX (`.mdx`, whose Markdown
/// parts are checked and whose JSX is skipped).
pub fn is_markdown(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("md" | "markdown" | "mdx")
    )
}

/// True for MDX files (`.mdx`).
pub fn is_mdx(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "mdx")
}

/// Every file of the site, by its address (`res/linkedin_oauth.png`, `CREDENTIALS.md`).
#[derive(Debug, Clone, Default)]
pub struct SiteIndex {
    /// Site path → file on disk.
    pub files: BTreeMap<String, PathBuf>,
    /// Lowercased site path → site paths with that spelling (for case mismatches).
    pub lowercase: rustc_hash::FxHashMap<String, Vec<String>>,
    /// Every folder of the site (`res`, `guide`); the root is `""`.
    pub dirs: BTreeSet<String>,
    /// How the site resolves addresses (the link convention, its routes, the repository).
    pub rules: crate::site::SiteRules,
    /// Site path → facts about each image file (size, pixel size, problem), read once per run
    /// (see [`crate::images`]).
    pub images: HashMap<String, ImageInfo>,
    /// Site path of an original → its resized derivatives, set by the build once they exist
    /// ([`crate::images::derive`]); empty elsewhere, so images render unchanged.
    pub derived: BTreeMap<String, Derived>,
    /// How the image facts were obtained when the index was made: reused from the cache or
    /// inspected ([`crate::images::cache::index`]).
    pub image_stats: crate::images::cache::IndexStats,
}

impl SiteIndex {
    /// Adds a file at site path `site`.
    pub fn insert(&mut self, site: String, disk: PathBuf) {
        let mut dir = site.as_str();
        // Once a folder is known, so are the folders above it.
        while let Some(i) = dir.rfind('/') {
            dir = &dir[..i];
            if self.dirs.contains(dir) {
                break;
            }
            self.dirs.insert(dir.to_string());
        }
        if !self.dirs.contains("") {
            self.dirs.insert(String::new());
        }
        // Most site paths are lowercase ASCII already: no second copy to look them up.
        let lower = (!site
            .bytes()
            .all(|b| b.is_ascii() && !b.is_ascii_uppercase()))
        .then(|| site.to_lowercase());
        let key = lower.as_deref().unwrap_or(&site);
        match self.lowercase.get_mut(key) {
            Some(spellings) => spellings.push(site.clone()),
            None => {
                let key = lower.unwrap_or_else(|| site.clone());
                self.lowercase.insert(key, vec![site.clone()]);
            }
        }
        self.files.insert(site, disk);
    }

    /// The facts about the image at site path `site`, when it is an image file of the site.
    pub fn image(&self, site: &str) -> Option<&ImageInfo> {
        self.images.get(site)
    }

    /// True when the site has a file at `site`.
    pub fn contains(&self, site: &str) -> bool {
        self.files.contains_key(site)
    }

    /// True when `site` is a folder of the site.
    pub fn is_dir(&self, site: &str) -> bool {
        self.dirs.contains(site.trim_end_matches('/'))
    }

    /// The site paths of the files directly in folder `dir` (site path, no trailing `/`; `""`
    /// is the root), in order.
    pub fn files_in<'a>(&'a self, dir: &str) -> impl Iterator<Item = &'a str> + 'a {
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        let len = prefix.len();
        self.files
            .range(prefix.clone()..)
            .map(|(site, _)| site.as_str())
            .take_while(move |site| site.starts_with(prefix.as_str()))
            .filter(move |site| !site[len..].contains('/'))
    }

    /// Site paths that equal `site` except for letter case.
    pub fn case_variants(&self, site: &str) -> Vec<&str> {
        self.lowercase
            .get(&site.to_lowercase())
            .map(|v| {
                v.iter()
                    .map(String::as_str)
                    .filter(|s| *s != site)
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// A loaded project: settings, pages (sorted by `rel`), SUMMARY.md and the site index.
#[derive(Debug, Clone)]
pub struct Project {
    /// Resolved settings.
    pub settings: Settings,
    /// Every page, sorted by [`Page::rel`]. SUMMARY.md is not a page.
    pub pages: Vec<PageRef>,
    /// `content/SUMMARY.md` (path and text), when present.
    pub summary: Option<(PathBuf, String)>,
    /// Every file of the site.
    pub site: SiteIndex,
    /// How many pages were parsed and how many decoded from the page cache
    /// ([`crate::page::cache`]) when the project was loaded.
    pub parse_stats: ParseStats,
}

impl Project {
    /// Loads the project in `dir` (with or without book.toml) for checking: every page is
    /// parsed into the model the rules read; mdBook's external preprocessors do not run. To
    /// render, load a [`Book`].
    ///
    /// Errors: unreadable config or files, or a content root that does not exist. Malformed
    /// front matter is not an error here: the page keeps a
    /// [`Page::front_matter_problem`] for the `malformed-front-matter` rule.
    pub fn load(dir: &Path) -> Result<Project> {
        Project::load_inner(Settings::load(dir)?, false)
    }

    /// Loads pages and resources; `for_build` also runs mdBook's external preprocessors, whose
    /// output is what the renderer shows. No page keeps its event stream except one a
    /// preprocessor rewrote: the renderer replays each page's parse from its text while it
    /// renders it ([`crate::page::parse::replay_events`]), so a build holds the model of every
    /// page but the events of one page per thread (at 10,000 pages the streams took about
    /// 350 MB).
    fn load_inner(settings: Settings, for_build: bool) -> Result<Project> {
        let content = &settings.content_dir;
        if !content.is_dir() {
            return Err(Error::Invalid(format!(
                "content folder {} does not exist{}",
                content.display(),
                settings
                    .config_path
                    .as_ref()
                    .map(|p| format!(" (set by `src` in {})", p.display()))
                    .unwrap_or_default()
            )));
        }
        let mut site = SiteIndex::default();
        let mut markdown = Vec::new();
        for (path, rel) in walk(content, &settings.build_dir)? {
            if is_markdown(&path) {
                markdown.push((path.clone(), rel.clone()));
            }
            site.insert(rel, path);
        }
        for res in &settings.resource_dirs {
            for (path, rel) in walk(&res.dir, &settings.build_dir)? {
                site.insert(format!("{}/{}", res.mount, rel), path);
            }
        }
        let opts = ParseOptions {
            keep_events: false,
            ..ParseOptions::new(settings.step_pattern.clone())
        };
        let keep = ParseOptions {
            keep_events: true,
            ..opts.clone()
        };
        let mut summary = None;
        markdown.retain(|(path, rel)| {
            if rel == "SUMMARY.md" {
                summary = Some(path.clone());
                false
            } else {
                true
            }
        });
        let summary = match summary {
            Some(p) => {
                let text = read_text(&p)?;
                Some((p, text))
            }
            None => None,
        };
        let root = &settings.root;
        let includes = IncludeOptions::for_settings(&settings);
        crate::progress::stage("reading pages", markdown.len());
        // The page cache, the pages' facts and the images' facts are read while the pages are.
        let ((cache, facts), (images, expanded)) = rayon::join(
            || {
                rayon::join(
                    || Arc::new(PageCache::open(root, &opts)),
                    || RecordFile::open(root, facts::FILE, facts::MAGIC, facts::VERSION),
                )
            },
            || {
                rayon::join(
                    || {
                        crate::images::cache::index(
                            &settings.root,
                            &site.files,
                            settings.image_max_width,
                        )
                    },
                    || {
                        markdown
                            .into_par_iter()
                            .map(|(path, rel)| {
                                let text = read_text(&path)?;
                                let file = relative_slash(root, &path);
                                let mut ex = include::expand_owned(text, &path, &file, &includes);
                                // The text as the page will hold it, made now: the buffer it was read
                                // into is free again for the next page this thread reads.
                                let text: Arc<str> = Arc::from(std::mem::take(&mut ex.text));
                                Ok((path, rel, file, text, ex))
                            })
                            .collect::<Result<Vec<_>>>()
                    },
                )
            },
        );
        (site.images, site.image_stats) = images;
        let mut expanded = expanded?;
        // External preprocessors change what is rendered, so they run for builds only.
        let mut rewritten = std::collections::HashSet::new();
        if for_build && !settings.preprocessors.is_empty() {
            let contents: preprocessor::Contents = expanded
                .iter()
                .map(|(_, rel, _, text, _)| (rel.clone(), text.to_string()))
                .collect();
            let summary_text = summary.as_ref().map(|(_, t)| t.as_str());
            let mut changed = preprocessor::run(&settings, summary_text, &contents)?;
            for (path, rel, file, text, ex) in &mut expanded {
                if let Some(new) = changed.remove(rel.as_str()) {
                    ex.text = text.to_string();
                    ex.replace_text(new, path, file);
                    *text = Arc::from(std::mem::take(&mut ex.text));
                    rewritten.insert(rel.clone());
                }
            }
        }
        let opts = Arc::new(opts);
        // A page an external preprocessor rewrote keeps its event stream: parsed, not cached.
        // Every other page's model stays in the cache until something reads more than its
        // facts ([`crate::page::facts`]).
        let loaded = expanded
            .into_par_iter()
            .map(|(path, rel, file, text, mut ex)| {
                let loaded = if rewritten.contains(&rel) {
                    ex.text = text.to_string();
                    include::parse_expanded(path, rel, file, ex, &keep).map(|mut p| {
                        prepare_page(&mut p, includes.mkdocs_blocks);
                        (PageRef::from(p), None, false, None)
                    })
                } else {
                    cache
                        .load_ref(
                            (path, rel, file),
                            text,
                            ex,
                            (&opts, includes.mkdocs_blocks),
                            &facts,
                        )
                        .map(|(p, entry, cached)| {
                            // The facts of a page decoded or parsed now, for the facts file.
                            let made = p.is_decoded().then(|| p.facts().encode());
                            (p, Some(entry), cached, made)
                        })
                };
                crate::progress::inc(1);
                loaded
            })
            .collect::<Result<Vec<_>>>()?;
        let cached = loaded.iter().filter(|l| l.2).count();
        let parse_stats = ParseStats {
            parsed: loaded.len() - cached,
            cached,
        };
        let mut entries = Vec::with_capacity(loaded.len());
        let mut pages = Vec::with_capacity(loaded.len());
        let mut kept_facts = Vec::with_capacity(loaded.len());
        for (page, entry, _, made) in loaded {
            entries.extend(entry.map(|e| e.at(pages.len())));
            if let Some(id) = page.id {
                kept_facts.push((id, made));
            }
            pages.push(page);
        }
        // Pages encoded when the file is written are adjusted already: the adjustments are
        // made again, to the same effect, when such an entry is decoded.
        cache.store_shared(entries, &pages);
        facts.store_encoded(kept_facts);
        if for_build
            && pages
                .iter()
                .any(|p| p.head().front_matter_problem.is_some())
        {
            // Checks report it (malformed-front-matter); a build cannot know the title of a
            // page it publishes or whether it is a draft, so it stops, naming the file and
            // line. A page SUMMARY.md does not list is not built (mdBook's rule): no stop.
            let listed = summary.as_ref().map(|(_, text)| {
                let known: std::collections::HashSet<&str> =
                    pages.iter().map(|p| p.rel.as_str()).collect();
                crate::page::summary::listed_pages(text, |r| known.contains(r))
            });
            if let Some(bad) = pages
                .iter()
                .filter(|p| p.head().front_matter_problem.is_some())
                .filter(|p| listed.as_ref().is_none_or(|l| l.contains(&p.rel)))
                .min_by(|a, b| a.rel.cmp(&b.rel))
            {
                bad.front_matter_error()?;
            }
        }
        pages.retain(|p| !p.head().draft);
        pages.sort_by(|a, b| a.rel.cmp(&b.rel));
        site.rules = crate::site::SiteRules::build(&settings, &site, &pages);
        Ok(Project {
            settings,
            pages,
            summary,
            site,
            parse_stats,
        })
    }

    /// The page at content-relative path `rel`.
    pub fn page(&self, rel: &str) -> Option<&PageRef> {
        self.pages
            .binary_search_by(|p| p.rel.as_str().cmp(rel))
            .ok()
            .map(|i| &self.pages[i])
    }
}

/// A project loaded for building: mdBook's external preprocessors have run, so every page's
/// text is what the renderer shows (it replays each page's parse from that text).
/// Only the loader makes one, so a page model that cannot render never reaches the
/// [`Renderer`](crate::render::Renderer); everywhere else a `Book` reads as its [`Project`].
///
/// ```compile_fail
/// // A project loaded for checks has not run the book's preprocessors: the renderer does not
/// // take it.
/// let project = stepbook::project::Project::load(std::path::Path::new(".")).unwrap();
/// let _ = stepbook::render::Renderer::new(&project);
/// ```
#[derive(Debug, Clone)]
pub struct Book(Project);

impl std::ops::Deref for Book {
    type Target = Project;

    fn deref(&self) -> &Project {
        &self.0
    }
}

/// What [`Book::reload_page`] found: the page before and after (`None` when absent or a draft).
#[derive(Debug, Clone)]
pub struct PageChange {
    /// The page as it was loaded before.
    pub before: Option<Page>,
    /// The page as it is on disk now.
    pub after: Option<Page>,
}

impl Book {
    /// Loads the project in `dir` (with or without book.toml) for building.
    ///
    /// Errors: as [`Project::load`], and [`crate::error::Error::FrontMatter`] (file and line)
    /// for the first page, by path, whose front matter cannot be read.
    pub fn load(dir: &Path) -> Result<Book> {
        Book::load_with(Settings::load(dir)?)
    }

    /// Loads pages and resources for already resolved settings.
    ///
    /// Errors: as [`Project::load`].
    pub fn load_with(settings: Settings) -> Result<Book> {
        Project::load_inner(settings, true).map(Book)
    }

    /// Makes (or finds in the cache) the resized derivatives of every screenshot wider than
    /// `[build] image-max-width` and records them in the site index, so the renderer serves
    /// them ([`crate::images::derive`]). An original that cannot be decoded gets none, and its
    /// problem is recorded in its image facts for `unreadable-image`.
    pub fn derive_images(&mut self) -> crate::images::derive::DeriveStats {
        use crate::images::derive;
        let project = &mut self.0;
        let cache = project
            .settings
            .root
            .join(crate::cache::DIR)
            .join("derived");
        let mut planned = derive::plan(
            &project.site.images,
            project.settings.image_max_width,
            &cache,
        );
        let (stats, problems) = derive::make(&mut planned, &project.site.files);
        for (site, problem) in problems {
            if let Some(info) = project.site.images.get_mut(&site) {
                info.problem = Some(problem);
            }
        }
        project.site.derived = planned;
        stats
    }

    /// The project, for code that only reads the page model.
    pub fn project(&self) -> &Project {
        &self.0
    }

    /// Reads and parses the page at content-relative path `rel` again (it may have appeared,
    /// changed or disappeared) and puts it in place, keeping pages sorted and the site index
    /// up to date.
    ///
    /// Errors: unreadable file (other than not found), malformed front matter, not UTF-8.
    pub fn reload_page(&mut self, rel: &str) -> Result<PageChange> {
        let project = &mut self.0;
        let path = project.settings.content_dir.join(rel);
        let after = match read_text(&path) {
            Ok(text) => {
                let opts = ParseOptions::new(project.settings.step_pattern.clone());
                let file = relative_slash(&project.settings.root, &path);
                let includes = IncludeOptions::for_settings(&project.settings);
                let expanded = include::expand(&text, &path, &file, &includes);
                let mut page =
                    include::parse_expanded(path.clone(), rel.to_string(), file, expanded, &opts)?;
                // As in a full load: a page SUMMARY.md does not list is not built.
                let listed = project.summary.as_ref().map(|(_, text)| {
                    crate::page::summary::listed_pages(text, |r| {
                        r == rel || project.pages.iter().any(|p| p.rel == r)
                    })
                });
                if listed.is_none_or(|l| l.contains(rel)) {
                    page.front_matter_error()?;
                }
                prepare_page(&mut page, includes.mkdocs_blocks);
                (!page.front_matter.draft).then_some(page)
            }
            Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(e),
        };
        let pages = &mut project.pages;
        let before = match (pages.binary_search_by(|p| p.rel.as_str().cmp(rel)), &after) {
            (Ok(i), Some(p)) => Some(std::mem::replace(&mut pages[i], p.clone().into())),
            (Ok(i), None) => Some(pages.remove(i)),
            (Err(i), Some(p)) => {
                pages.insert(i, p.clone().into());
                None
            }
            (Err(_), None) => None,
        };
        // Routes follow pages (a new page, a changed slug) in conventions that have them.
        let routed = matches!(
            project.site.rules.convention,
            crate::site::Convention::Docusaurus
                | crate::site::Convention::Starlight
                | crate::site::Convention::Mkdocs
        );
        let routed = routed || !project.site.rules.sites.is_empty();
        if routed && (before.is_some() || after.is_some()) {
            let settings = project.settings.clone();
            project.site.rules =
                crate::site::SiteRules::build(&settings, &project.site, &project.pages);
        }
        let before = before.map(|r| Page::clone(&r));
        Ok(PageChange { before, after })
    }

    /// Updates the site index for files that appeared or disappeared: `changed` holds
    /// `(site path, file on disk)` pairs; each is added when the file exists and removed when
    /// it does not.
    pub fn refresh_files(&mut self, changed: &[(String, PathBuf)]) {
        let settings = &self.0.settings;
        let site = &mut self.0.site;
        let (gone, added): (Vec<_>, Vec<_>) = changed
            .iter()
            .filter(|(s, disk)| site.contains(s) != disk.is_file())
            .partition(|(s, _)| site.contains(s));
        if gone.is_empty() && added.is_empty() {
            // Files changed in place: their image facts are read again (the cache sees the
            // new length and modification time).
            if changed.iter().any(|(s, _)| crate::images::is_image_path(s)) {
                site.images = crate::images::cache::index(
                    &settings.root,
                    &site.files,
                    settings.image_max_width,
                )
                .0;
            }
            return;
        }
        let gone: BTreeSet<&str> = gone.iter().map(|(s, _)| s.as_str()).collect();
        let mut index = SiteIndex {
            rules: site.rules.clone(),
            ..SiteIndex::default()
        };
        for (s, disk) in &site.files {
            if !gone.contains(s.as_str()) {
                index.insert(s.clone(), disk.clone());
            }
        }
        for (s, disk) in added {
            index.insert(s.clone(), disk.clone());
        }
        index.images =
            crate::images::cache::index(&settings.root, &index.files, settings.image_max_width).0;
        // Nested sites index their sub-trees: built again for the new files.
        if !index.rules.sites.is_empty() {
            index.rules = crate::site::SiteRules::build(settings, &index, &self.0.pages);
        }
        *site = index;
    }

    /// Reads `SUMMARY.md` of the content root again (gone when the file is).
    ///
    /// Errors: unreadable file (other than not found), not UTF-8.
    pub fn reload_summary(&mut self) -> Result<()> {
        let path = self.0.settings.content_dir.join("SUMMARY.md");
        self.0.summary = match read_text(&path) {
            Ok(text) => Some((path, text)),
            Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(e),
        };
        Ok(())
    }
}

/// What the page model needs beyond the parse, by convention: explicit `{#id}` heading ids
/// become anchors; in an MkDocs site (`mkdocs`) heading anchors are Python-Markdown's; in MDX, JSX is not Markdown, so the links and images the HTML scanner found
/// in it are dropped (never a finding; the files JSX shows still count as used, see
/// [`crate::site::mdx_imports`]), and indentation does not make code (MDX has no
/// indented code blocks), so no indented block is an accidental one.
pub(crate) fn prepare_page(page: &mut Page, mkdocs: bool) {
    crate::site::add_explicit_heading_ids(page);
    if mkdocs {
        crate::site::markup::use_mkdocs_heading_ids(page);
    }
    if is_mdx(&page.path) {
        page.links.retain(|l| l.kind != crate::page::LinkKind::Html);
        page.images.retain(|i| !i.from_html);
        page.code_blocks
            .retain(|b| b.kind != crate::page::CodeKind::Indented);
    }
}

/// What the `.gitignore` files in `root` and in the folders between it and the file at `rel`
/// (a `/`-separated path below `root`, which need not exist) say of that file, the deepest
/// decision winning, as git reads them: `Some(true)` ignored, `Some(false)` kept by a `!`
/// rule, `None` when no rule names it. Unreadable files count as none. The files are read from
/// disk: a caller in a check marks its page ([`crate::check::records::probe`]).
pub fn git_ignores(root: &Path, rel: &str) -> Option<bool> {
    crate::check::records::probe();
    let path = root.join(rel);
    let mut dirs: Vec<&Path> = path
        .ancestors()
        .skip(1)
        .take_while(|d| d.starts_with(root))
        .collect();
    // Deepest first: the first decision found is the one git takes.
    dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
    for dir in dirs {
        let file = dir.join(".gitignore");
        if !file.is_file() {
            continue;
        }
        let mut builder = ignore::gitignore::GitignoreBuilder::new(dir);
        if builder.add(&file).is_some() {
            continue;
        }
        let Ok(matcher) = builder.build() else {
            continue;
        };
        match matcher.matched_path_or_any_parents(&path, false) {
            ignore::Match::Ignore(_) => return Some(true),
            ignore::Match::Whitelist(_) => return Some(false),
            ignore::Match::None => {}
        }
    }
    None
}

/// Every file below `dir` as `(path, path relative to dir with / separators)`, sorted. Skipped:
/// hidden entries, `.git`, `node_modules`, `target`, the build dir, any folder holding a
/// stepbook build marker ([`crate::output::BUILD_MARKER`]), and what `.gitignore`/`.ignore` files ignore
/// (ripgrep's rules, through the `ignore` crate, in and outside git repositories); symlinks are
/// not followed out. The one walk of the file system: content, resource folders and templates.
///
/// Folders are read in parallel (the `ignore` crate's parallel walker, one thread per core);
/// the files are then sorted by their path's components, which is the order a depth-first walk
/// that visits each folder's entries by name gives. Of several errors, the one at the first
/// path in that order is returned.
pub fn walk(dir: &Path, build_dir: &Path) -> Result<Vec<(PathBuf, String)>> {
    let build_dir = build_dir.to_path_buf();
    let walker = ignore::WalkBuilder::new(dir)
        .hidden(true)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(false)
        .require_git(false)
        .parents(true)
        .follow_links(false)
        .filter_entry(move |e| {
            if e.depth() == 0 {
                return true;
            }
            let is_dir = e.file_type().is_some_and(|t| t.is_dir());
            !(e.path() == build_dir
                || (is_dir
                    && (matches!(e.file_name().to_str(), Some("node_modules" | "target"))
                        || e.path().join(crate::output::BUILD_MARKER).is_file())))
        })
        .build_parallel();
    let found = std::sync::Mutex::new((Vec::new(), Vec::new()));
    walker.run(|| {
        // Each thread gathers its own, handed over when the walk drops its visitor.
        let mut mine = Handover(&found, Vec::new(), Vec::new());
        Box::new(move |entry| {
            match entry {
                Ok(entry) if entry.file_type().is_some_and(|t| t.is_file()) => {
                    let rel = relative_slash(dir, entry.path());
                    mine.1.push((entry.into_path(), rel));
                }
                Ok(_) => {}
                Err(e) => {
                    let path = match &e {
                        ignore::Error::WithPath { path, .. } => path.clone(),
                        _ => dir.to_path_buf(),
                    };
                    mine.2.push((path, e));
                }
            }
            ignore::WalkState::Continue
        })
    });
    let (mut out, mut errors) = found.into_inner().unwrap_or_else(|e| e.into_inner());
    errors.sort_by(|a: &(PathBuf, ignore::Error), b| a.0.cmp(&b.0));
    if let Some((path, e)) = errors.into_iter().next() {
        return Err(Error::io(
            path,
            e.into_io_error()
                .unwrap_or_else(|| std::io::Error::other("walk failed")),
        ));
    }
    out.sort_unstable_by(|a: &(PathBuf, String), b| {
        walk_order(&a.1, &b.1).then_with(|| a.0.cmp(&b.0))
    });
    Ok(out)
}

/// The order of two `/`-separated relative paths that a depth-first walk visiting each
/// folder's entries by name gives: by their components, which is the order of their bytes
/// with `/` before every other byte (as [`Path`]'s order, without splitting the paths).
fn walk_order(a: &str, b: &str) -> std::cmp::Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let same = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let key = |c: u8| if c == b'/' { 0 } else { u16::from(c) + 1 };
    match (a.get(same), b.get(same)) {
        (Some(&x), Some(&y)) => key(x).cmp(&key(y)),
        (x, y) => x.is_some().cmp(&y.is_some()),
    }
}

/// One walker thread's files and errors, added to the walk's when the thread's visitor is
/// dropped (at the end of the walk).
type Found = (Vec<(PathBuf, String)>, Vec<(PathBuf, ignore::Error)>);

struct Handover<'a>(
    &'a std::sync::Mutex<Found>,
    Vec<(PathBuf, String)>,
    Vec<(PathBuf, ignore::Error)>,
);

impl Drop for Handover<'_> {
    fn drop(&mut self) {
        let mut found = self.0.lock().unwrap_or_else(|e| e.into_inner());
        found.0.append(&mut self.1);
        found.1.append(&mut self.2);
    }
}

/// Reads the file at `path` whole, as [`std::fs::read`] does, but only when it is a regular
/// file (symbolic links followed). Every page, include, template and site configuration is
/// read through it: a FIFO, socket or device that happens to carry such a name
/// (`astro.config.mjs`, `book.toml`, an included listing) would otherwise block the run
/// forever, or read without end.
///
/// Errors: the error of reading the file's metadata or the file; an
/// [`std::io::ErrorKind::InvalidInput`] error "not a regular file" for any other kind of file.
pub fn read_regular(path: impl AsRef<Path>) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    // Opening a FIFO for reading blocks until a writer comes, unless non-blocking; for a
    // regular file the flag changes nothing.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut opts, libc::O_NONBLOCK);
    let file = opts.open(path.as_ref())?;
    // One metadata call serves both the kind check and the buffer's size, as in fs::read.
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    let len = usize::try_from(meta.len()).unwrap_or(0);
    // One byte of room beyond the size, so that one read of a file that did not change fills
    // fewer bytes than asked: read_to_end's loop would then stop at the next read's 0 bytes,
    // a second system call per file.
    let mut bytes = Vec::with_capacity(len.saturating_add(1));
    if len > 0 {
        bytes.resize(len + 1, 0);
        let n = loop {
            match (&file).read(&mut bytes) {
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                r => break r?,
            }
        };
        bytes.truncate(n);
        if n == len {
            // The whole file as its metadata gave its size: a regular file's read returns
            // fewer bytes than asked only at its end.
            return Ok(bytes);
        }
    }
    // Empty by its metadata (a file of /proc), shorter or longer than it: read to the end.
    // Through `take`, reading to the end asks for no metadata again (File's own read_to_end
    // stats the file once more for the size this buffer already has).
    file.take(u64::MAX).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// [`read_regular`] as UTF-8 text (errors as [`std::fs::read_to_string`]'s when it is not).
pub fn read_regular_string(path: impl AsRef<Path>) -> std::io::Result<String> {
    String::from_utf8(read_regular(path)?)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}

/// Reads a Markdown file as UTF-8 text ([`read_regular`]).
///
/// Errors: [`Error::Io`] when it cannot be read or is not a regular file; [`Error::Invalid`]
/// naming the file, line and column of the first byte that is not UTF-8 (CommonMark reads
/// Unicode text).
pub fn read_text(path: &Path) -> Result<String> {
    let bytes = read_regular(path).map_err(|e| Error::io(path, e))?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&valid[line_start..])
            .chars()
            .count()
            + 1;
        let byte = e.as_bytes()[valid.len()];
        Error::Invalid(format!(
            "{}:{line}:{column}: not UTF-8 text (byte 0x{byte:02X}); save the file as UTF-8",
            path.display()
        ))
    })
}

/// `path` relative to `base`, with `/` separators (the path itself when it is not below `base`).
pub fn relative_slash(base: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    // A path the walk made (folder entries joined by `/`) already is what its components
    // joined give: no empty or `.` part to drop.
    #[cfg(unix)]
    if let Some(s) = rel.to_str()
        && s.split('/').all(|c| !c.is_empty() && c != ".")
    {
        return s.to_string();
    }
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walk_order_is_the_order_of_path_components() {
        let mut names = vec![
            "a.md",
            "a/b.md",
            "a-b/c.md",
            "a/b/c.md",
            "a0.md",
            "ab.md",
            "a/b.md.x",
            "b.md",
            "A.md",
            "a/b-c.md",
            "a/b/a.md",
            "é.md",
            "z/ü/x.md",
        ];
        let mut by_path = names.clone();
        by_path.sort_by(|x, y| Path::new(x).cmp(Path::new(y)));
        names.sort_by(|x, y| walk_order(x, y));
        assert_eq!(names, by_path);
    }

    #[test]
    fn the_parallel_walk_gives_every_file_in_depth_first_name_order() {
        let dir = tempfile::tempdir().unwrap();
        let files = [
            "a.md",
            "a/b.md",
            "a-b/c.md",
            "a/b/c.md",
            "a0.md",
            "b/x/y/z.png",
            ".hidden/x.md",
            "node_modules/x.md",
            "ignored/x.md",
            "c.md",
        ];
        for f in files {
            let p = dir.path().join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "x").unwrap();
        }
        std::fs::write(dir.path().join(".gitignore"), "ignored/\n").unwrap();
        let found: Vec<String> = walk(dir.path(), &dir.path().join("book"))
            .unwrap()
            .into_iter()
            .map(|(path, rel)| {
                assert_eq!(path, dir.path().join(&rel));
                rel
            })
            .collect();
        assert_eq!(
            found,
            [
                "a/b/c.md",
                "a/b.md",
                "a-b/c.md",
                "a.md",
                "a0.md",
                "b/x/y/z.png",
                "c.md"
            ]
        );
    }
}
