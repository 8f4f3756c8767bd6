//! The rebuild engine: the loaded project, the renderer, the served files and the checks'
//! report, updated by following a [`Plan`], and published as immutable [`Snapshot`]s.
//!
//! A page edit re-parses only that page (the other pages are reused), re-renders what
//! [`plan::rerender`] asks for, and re-runs the checks over the whole site (findings on other
//! pages depend on the edited one). A failed step (unreadable book.toml, malformed front matter,
//! a template syntax error) keeps the last good files, records the error for the error page, and
//! makes the next rebuild a full reload, so the next good save recovers.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use rayon::prelude::*;

use super::plan::{self, Outline, PageDelta, Plan, Rerender};
use super::site::{Renderer, Site, SiteFile, page_html_path};
use crate::check::{self, CheckOptions};
use crate::diag::{Level, Report};
use crate::error::{Error, Result};
use crate::page::Page;
use crate::project::{Book, Project, SiteIndex};
use crate::resolve::{self, Target};

/// What the first build of a preview "changed" (its summary line says `built:`).
const STARTUP: &str = "startup";

/// One served file.
#[derive(Debug, Clone)]
pub enum Served {
    /// Bytes held in memory (pages, generated assets).
    Bytes(Bytes),
    /// A file streamed from disk (screenshots), confined to the snapshot's roots.
    Disk(PathBuf),
}

/// One finding, as the in-page panel shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PanelItem {
    /// Rule id.
    pub rule: &'static str,
    /// Level.
    pub level: Level,
    /// 1-based line in the Markdown file.
    pub line: usize,
    /// 1-based column (characters).
    pub column: usize,
    /// Byte range of the finding in the Markdown file: the page marks the element whose
    /// `data-sb-src` range holds `start` ([`crate::render::source_map`]).
    pub start: usize,
    /// End of that range (exclusive).
    pub end: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

/// The findings of one page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PagePanel {
    /// The Markdown file, relative to the project (`content/a.md`).
    pub file: String,
    /// Its findings, in file order.
    pub items: Vec<PanelItem>,
}

/// One finding of the site, for the list of the other pages' findings in every page's bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteItem {
    /// The file, relative to the project (`content/a.md`, `book.toml`, `res/x.png`).
    pub file: String,
    /// The site path of the page it is in (`guide/a.html`), when the file is a page.
    pub page: Option<String>,
    /// Its index in that page's [`PagePanel::items`] (the mark's id is `sb-f-INDEX`).
    pub index: usize,
    /// The finding.
    pub item: PanelItem,
}

/// Everything the server needs to answer requests for one build; never mutated once published.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// Counts builds from 1; the reload script compares it with the page's own.
    pub generation: u64,
    /// The generation whose checks the panels show. Pages are published as soon as they are
    /// rendered, and the checks' findings follow: until then `checked < generation`.
    pub checked: u64,
    /// Site path → file (the last good build when this one failed).
    pub files: Arc<HashMap<String, Served>>,
    /// Set when the build failed: shown in place of every page.
    pub error: Option<String>,
    /// Page site path (`guide/a.html`) → its findings; clean pages are absent.
    pub panels: Arc<HashMap<String, PagePanel>>,
    /// Every finding of the site, in report order (file, line, rule).
    pub site: Arc<Vec<SiteItem>>,
    /// Files (pages or others) with at least one finding.
    pub files_with_findings: usize,
    /// Error-level findings in the whole site.
    pub errors: usize,
    /// Warning-level findings in the whole site.
    pub warnings: usize,
    /// Canonical folders a [`Served::Disk`] file must lie in (content root, resource folders).
    pub roots: Arc<Vec<PathBuf>>,
    /// Set while some watched folder cannot be watched: edits there are not seen, so what is
    /// served may be out of date. Every page shows it, and every response carries it in the
    /// `X-Stepbook-Stale` header.
    pub stale: Option<String>,
}

/// What one rebuild did, for the terminal line.
#[derive(Debug, Clone)]
pub struct Rebuilt {
    /// What changed ([`Plan::describe`]).
    pub changed: String,
    /// Pages rendered again.
    pub pages: usize,
    /// Error-level findings in the site.
    pub errors: usize,
    /// Warning-level findings in the site.
    pub warnings: usize,
    /// Milliseconds from the start of the rebuild to the pages being served.
    pub render_ms: u128,
    /// Milliseconds the checks took after that.
    pub check_ms: u128,
    /// The build error, when it failed.
    pub failed: Option<String>,
    /// Findings new or fixed since the previous check, for the terminal.
    pub changes: super::changes::Changes,
}

impl Rebuilt {
    /// The terminal text of this rebuild: the new and fixed findings (rustc style, see
    /// [`super::changes`]), then the one-line summary.
    pub fn terminal(&self, color: bool) -> String {
        format!("{}{self}", self.changes.render(color))
    }
}

impl std::fmt::Display for Rebuilt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.failed {
            Some(e) => write!(
                f,
                "rebuild failed ({} changed, {} ms): {e}",
                self.changed,
                self.render_ms + self.check_ms
            ),
            None => {
                // The first build changed nothing: it is the site being built.
                if self.changed == STARTUP {
                    write!(
                        f,
                        "built: {} {}",
                        self.pages,
                        plural(self.pages, "page", "pages")
                    )?;
                } else {
                    write!(
                        f,
                        "rebuilt: {} changed · {} {} redone",
                        self.changed,
                        self.pages,
                        plural(self.pages, "page", "pages")
                    )?;
                }
                write!(
                    f,
                    " · {} {}, {} {} · {} ms (pages served after {} ms, checks {} ms)",
                    self.errors,
                    plural(self.errors, "error", "errors"),
                    self.warnings,
                    plural(self.warnings, "warning", "warnings"),
                    self.render_ms + self.check_ms,
                    self.render_ms,
                    self.check_ms
                )
            }
        }
    }
}

fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

/// Which pages link to or show which site paths.
#[derive(Debug, Default)]
struct Refs {
    /// Page rel → site paths its links and images resolve to.
    out: HashMap<String, Vec<String>>,
    /// Site path → pages (rel) pointing at it.
    into: HashMap<String, BTreeSet<String>>,
}

impl Refs {
    fn build(project: &Project) -> Refs {
        let mut refs = Refs::default();
        for page in &project.pages {
            refs.set(&project.site, Some(page), &page.rel);
        }
        refs
    }

    /// Replaces the outgoing references of page `rel` with those of `page` (none when gone).
    fn set(&mut self, site: &SiteIndex, page: Option<&Page>, rel: &str) {
        for target in self.out.remove(rel).unwrap_or_default() {
            if let Some(set) = self.into.get_mut(&target) {
                set.remove(rel);
            }
        }
        let Some(page) = page else { return };
        let dests = page.links.iter().map(|l| l.dest.as_str());
        let srcs = page.images.iter().map(|i| i.src.as_str());
        let mut targets: Vec<String> = dests
            .chain(srcs)
            .filter_map(|d| match resolve::resolve(site, &page.rel, d) {
                Target::Site { path, found, .. } => Some(match found {
                    resolve::Found::File(p) | resolve::Found::DirIndex(p) => p,
                    _ => path,
                }),
                _ => None,
            })
            .filter(|t| t != rel)
            .collect();
        targets.sort();
        targets.dedup();
        for t in &targets {
            self.into
                .entry(t.clone())
                .or_default()
                .insert(rel.to_string());
        }
        self.out.insert(rel.to_string(), targets);
    }

    fn referrers(&self, site: &str) -> Vec<String> {
        self.into
            .get(site)
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default()
    }
}

/// The live state of a served project.
pub struct Engine {
    dir: PathBuf,
    project: Book,
    renderer: Option<Renderer>,
    /// See [`Engine::new`].
    search_shard_pages: Option<usize>,
    files: Arc<HashMap<String, Served>>,
    refs: Refs,
    snapshot: Snapshot,
    /// The last rebuild failed: the next one reloads everything.
    recover: bool,
    /// The findings of the last check, to tell the terminal only what changed.
    report: Report,
}

impl Engine {
    /// Loads the project in `dir` and builds it once. A build failure (a template error) is
    /// kept in the snapshot and shown in the page.
    ///
    /// Errors: the project cannot be loaded at all (no such folder, malformed book.toml).
    /// `search_shard_pages`: see [`crate::render::Renderer::with_search_shard_pages`] (tests).
    pub fn new(dir: &Path, search_shard_pages: Option<usize>) -> Result<(Engine, Rebuilt)> {
        let project = Book::load(dir)?;
        let refs = Refs::build(&project);
        let mut engine = Engine {
            dir: dir.to_path_buf(),
            project,
            renderer: None,
            search_shard_pages,
            files: Arc::default(),
            refs,
            snapshot: Snapshot::default(),
            recover: false,
            report: Report::default(),
        };
        let started = Instant::now();
        let result = guard(|| engine.render(&Plan::default(), Rerender::All));
        let mut rebuilt = engine.finish(result, STARTUP.into(), started);
        engine.check(&mut rebuilt);
        Ok((engine, rebuilt))
    }

    /// The settings in force.
    pub fn settings(&self) -> &crate::config::Settings {
        &self.project.settings
    }

    /// The current snapshot.
    pub fn snapshot(&self) -> Snapshot {
        self.snapshot.clone()
    }

    /// The files pages include (absolute, each once): the files of every page's source map
    /// besides the page itself. serve watches their folders ([`super::watch::watch_list`]).
    pub fn included_files(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = self
            .project
            .pages
            .iter()
            .filter_map(|p| p.source_map.as_ref())
            .flat_map(|map| map.files().iter().skip(1).map(|f| f.path.clone()))
            .collect();
        files.sort();
        files.dedup();
        files
    }

    /// The pages whose text draws on one of the `changed` files (absolute paths) without
    /// being it: mdBook's `{{#include}}` and its kin, MkDocs snippets. Their text changes with
    /// the file, so they are read again like an edited page (content-relative paths).
    pub fn includers(&self, changed: &[PathBuf]) -> BTreeSet<String> {
        let changed: BTreeSet<PathBuf> = changed.iter().map(|p| real(p)).collect();
        if changed.is_empty() {
            return BTreeSet::new();
        }
        self.project
            .pages
            .iter()
            .filter(|p| {
                p.source_map.as_ref().is_some_and(|map| {
                    map.files()
                        .iter()
                        .skip(1)
                        .any(|f| changed.contains(&real(&f.path)))
                })
            })
            .map(|p| p.rel.clone())
            .collect()
    }

    /// Carries out `plan` up to rendered pages: the new snapshot (see [`Engine::snapshot`])
    /// serves them with the previous findings, or the error when the build failed. Follow with
    /// [`Engine::check`].
    pub fn rebuild(&mut self, plan: &Plan) -> Rebuilt {
        let started = Instant::now();
        let mut plan = plan.clone();
        if self.recover {
            plan.reload = true;
        }
        // A panic in a rule or the renderer must not stop the preview: it becomes the build
        // error, and the next rebuild reloads everything.
        let result = guard(|| {
            self.update(&plan)
                .and_then(|rerender| self.render(&plan, rerender))
        });
        self.finish(result, plan.describe(), started)
    }

    fn finish(&mut self, result: Result<usize>, changed: String, started: Instant) -> Rebuilt {
        let generation = self.snapshot.generation + 1;
        let (pages, failed) = match result {
            Ok(pages) => {
                self.snapshot = Snapshot {
                    generation,
                    files: self.files.clone(),
                    error: None,
                    roots: Arc::new(roots(&self.project)),
                    ..self.snapshot.clone()
                };
                (pages, None)
            }
            Err(e) => self.fail(generation, e),
        };
        Rebuilt {
            changed,
            pages,
            errors: self.snapshot.errors,
            warnings: self.snapshot.warnings,
            render_ms: started.elapsed().as_millis(),
            check_ms: 0,
            failed,
            changes: Default::default(),
        }
    }

    fn fail(&mut self, generation: u64, e: Error) -> (usize, Option<String>) {
        self.recover = true;
        let message = e.to_string();
        self.snapshot = Snapshot {
            generation,
            files: self.files.clone(),
            error: Some(message.clone()),
            ..self.snapshot.clone()
        };
        (0, Some(message))
    }

    /// Runs the checks over the whole site (findings on one page depend on others) and
    /// publishes their panels in the snapshot; records counts and time in `rebuilt`. Does nothing
    /// after a failed [`Engine::rebuild`].
    pub fn check(&mut self, rebuilt: &mut Rebuilt) {
        if rebuilt.failed.is_some() {
            return;
        }
        let started = Instant::now();
        match guard(|| check::run(&self.project, &CheckOptions::default())) {
            Ok(report) => {
                self.recover = false;
                let (panels, site) = panels(&self.project, &report);
                self.snapshot = Snapshot {
                    checked: self.snapshot.generation,
                    panels: Arc::new(panels),
                    site: Arc::new(site),
                    files_with_findings: report.file_count(),
                    errors: report.count(Level::Error),
                    warnings: report.count(Level::Warning),
                    ..self.snapshot.clone()
                };
                rebuilt.errors = self.snapshot.errors;
                rebuilt.warnings = self.snapshot.warnings;
                rebuilt.changes = super::changes::Changes::between(&self.report, &report);
                self.report = report;
            }
            Err(e) => {
                // Shown in place of the pages, under the same generation's successor.
                let generation = self.snapshot.generation + 1;
                rebuilt.failed = self.fail(generation, e).1;
            }
        }
        rebuilt.check_ms = started.elapsed().as_millis();
    }

    /// Re-reads what `plan` names and returns what to re-render.
    fn update(&mut self, plan: &Plan) -> Result<Rerender> {
        // External preprocessors see the whole book at once: a changed page reloads it all.
        let preprocessed =
            !plan.pages.is_empty() && !self.project.settings.preprocessors.is_empty();
        if plan.reload || preprocessed {
            self.project = Book::load(&self.dir)?;
            self.refs = Refs::build(&self.project);
            self.renderer = None;
            return Ok(Rerender::All);
        }
        let settings = self.project.settings.clone();
        // Folders created, removed or renamed: walk again.
        let folder_changed = plan
            .resources
            .iter()
            .any(|(site, disk)| disk.is_dir() || self.project.site.is_dir(site))
            || plan
                .pages
                .iter()
                .any(|rel| settings.content_dir.join(rel).is_dir());
        if folder_changed {
            self.project = Book::load_with(settings)?;
            self.refs = Refs::build(&self.project);
            return Ok(Rerender::All);
        }
        // Without a root index page, the build generates index.html listing every page.
        let listed = !self
            .project
            .pages
            .iter()
            .any(|p| page_html_path(&p.rel) == "index.html");
        let mut deltas = Vec::new();
        let mut files = Vec::new();
        for rel in &plan.pages {
            let change = self.project.reload_page(rel)?;
            files.push((rel.clone(), settings.content_dir.join(rel)));
            deltas.push(PageDelta {
                rel: rel.clone(),
                before: change.before.as_ref().map(|p| outline(p, listed)),
                after: change.after.as_ref().map(|p| outline(p, listed)),
            });
        }
        files.extend(plan.resources.iter().cloned());
        self.project.refresh_files(&files);
        for d in &deltas {
            let page = self.project.page(&d.rel).cloned();
            self.refs.set(&self.project.site, page.as_deref(), &d.rel);
        }
        if plan.summary {
            self.project.reload_summary()?;
        }
        if plan.templates || plan.summary {
            self.renderer = None;
        }
        Ok(plan::rerender(plan, &deltas, |site| {
            self.refs.referrers(site)
        }))
    }

    /// Renders what `rerender` names into `self.files`; returns the number of pages rendered.
    fn render(&mut self, plan: &Plan, rerender: Rerender) -> Result<usize> {
        let renderer = match self.renderer.take() {
            Some(r) if matches!(rerender, Rerender::Pages(_)) => r,
            _ => {
                let r = Renderer::new(&self.project)?.with_source_map();
                match self.search_shard_pages {
                    Some(pages) => r.with_search_shard_pages(pages),
                    None => r,
                }
            }
        };
        let result = match rerender {
            Rerender::All => renderer.render_site(&self.project).map(|site| {
                self.files = Arc::new(served(site));
                self.project.pages.len()
            }),
            Rerender::Pages(rels) => self.render_pages(&renderer, plan, &rels),
        };
        if result.is_ok() {
            self.renderer = Some(renderer);
        }
        result
    }

    fn render_pages(
        &mut self,
        renderer: &Renderer,
        plan: &Plan,
        rels: &BTreeSet<String>,
    ) -> Result<usize> {
        let project = &self.project;
        let rendered = rels
            .par_iter()
            .filter_map(|rel| project.page(rel))
            .map(|page| {
                renderer
                    .render_page(project, page)
                    .map(|html| (page_html_path(&page.rel), html))
            })
            .collect::<Result<Vec<_>>>()?;
        let mut files = (*self.files).clone();
        let count = rendered.len();
        for (path, html) in rendered {
            files.insert(path, Served::Bytes(Bytes::from(html.into_bytes())));
        }
        for (site, disk) in &plan.resources {
            if disk.is_file() {
                files.insert(site.clone(), Served::Disk(disk.clone()));
            } else {
                files.remove(site);
            }
        }
        self.files = Arc::new(files);
        Ok(count)
    }
}

/// Runs `f`, turning a panic into an error.
fn guard<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        Err(Error::Invalid(format!(
            "internal error while rebuilding: {what}"
        )))
    })
}

/// The site as served files.
fn served(site: Site) -> HashMap<String, Served> {
    site.files
        .into_iter()
        .filter_map(|(path, file)| {
            let served = match file {
                SiteFile::Generated(bytes) => Served::Bytes(Bytes::from(bytes)),
                SiteFile::Copied(disk) => Served::Disk(disk),
                // The preview server renders without the cache, so this does not occur; a
                // cache file that cannot be read is left out (404), never served wrong.
                SiteFile::Cached(slice) => Served::Bytes(Bytes::from(slice.read().ok()?)),
            };
            Some((path, served))
        })
        .collect()
}

/// `page`'s outline; `listed` when the site's start page is generated and lists the pages.
fn outline(page: &Page, listed: bool) -> Outline {
    let listing = listed.then(|| {
        let first = page
            .paragraphs
            .iter()
            .find(|p| !p.in_accidental_code && !p.text.trim().is_empty())
            .map(|p| p.span);
        format!(
            "{:?} {:?} {}",
            page.front_matter.description,
            first.map(|s| &page.source[s.start..s.end]),
            page.steps.len()
        )
    });
    Outline {
        listing,
        title: page.title.clone(),
        anchors: page
            .headings
            .iter()
            .map(|h| h.id.clone())
            .chain(page.html_ids.iter().map(|h| h.id.clone()))
            .collect(),
    }
}

/// The panels of every page with findings, keyed by the page's site path, and the list of
/// every finding of the site.
fn panels(project: &Project, report: &Report) -> (HashMap<String, PagePanel>, Vec<SiteItem>) {
    let by_file: HashMap<&str, &str> = project
        .pages
        .iter()
        .map(|p| (p.file.as_str(), p.rel.as_str()))
        .collect();
    let mut out: HashMap<String, PagePanel> = HashMap::new();
    let mut site = Vec::with_capacity(report.diagnostics.len());
    for d in &report.diagnostics {
        let loc = report.locate(d);
        let item = PanelItem {
            rule: d.rule,
            level: d.level,
            line: loc.start.line,
            column: loc.start.column,
            start: d.span.start,
            end: d.span.end,
            message: d.message.clone(),
            help: d.help.clone(),
        };
        let Some(rel) = by_file.get(d.file.as_str()) else {
            site.push(SiteItem {
                file: d.file.clone(),
                page: None,
                index: 0,
                item,
            });
            continue;
        };
        let path = page_html_path(rel);
        let panel = out.entry(path.clone()).or_insert_with(|| PagePanel {
            file: d.file.clone(),
            items: Vec::new(),
        });
        site.push(SiteItem {
            file: d.file.clone(),
            page: Some(path),
            index: panel.items.len(),
            item: item.clone(),
        });
        panel.items.push(item);
    }
    (out, site)
}

/// The canonical content root and resource folders, and the project folder when the content
/// root lies below it (a generator's docs folder, whose pages use the site's `public/` and
/// `src/assets/`: [`crate::site::publish::outside_file`]). The served files are only those
/// the site lists; this confines what they turn out to be on disk when they are opened.
fn roots(project: &Project) -> Vec<PathBuf> {
    let s = &project.settings;
    let project_root = (s.content_dir != s.root).then_some(&s.root);
    std::iter::once(&s.content_dir)
        .chain(s.resource_dirs.iter().map(|r| &r.dir))
        .chain(project_root)
        .filter_map(|d| d.canonicalize().ok())
        .collect()
}

/// `path` with symbolic links and `..` resolved as far as the disk allows: a file that is gone
/// keeps its name under its folder's real path.
fn real(path: &Path) -> PathBuf {
    if let Ok(p) = std::fs::canonicalize(path) {
        return p;
    }
    match (path.parent(), path.file_name()) {
        (Some(dir), Some(name)) => std::fs::canonicalize(dir)
            .map(|d| d.join(name))
            .unwrap_or_else(|_| path.to_path_buf()),
        _ => path.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rebuilt(changed: &str, pages: usize) -> Rebuilt {
        Rebuilt {
            changed: changed.into(),
            pages,
            errors: 4,
            warnings: 1,
            render_ms: 30,
            check_ms: 12,
            failed: None,
            changes: Default::default(),
        }
    }

    #[test]
    fn the_first_build_says_built_and_later_ones_what_changed() {
        assert_eq!(
            rebuilt(STARTUP, 2).to_string(),
            "built: 2 pages · 4 errors, 1 warning · 42 ms (pages served after 30 ms, checks 12 ms)"
        );
        assert_eq!(
            rebuilt("a.md", 1).to_string(),
            "rebuilt: a.md changed · 1 page redone · 4 errors, 1 warning · 42 ms (pages served after 30 ms, checks 12 ms)"
        );
    }
}
