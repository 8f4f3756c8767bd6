//! The rendered site in memory: [`Renderer::new`] loads the templates and builds the navigation
//! once; [`Renderer::render_site`] renders every page in parallel (rayon) into a [`Site`] (site
//! path → content), with every non-Markdown file of the content root and of the resource folders
//! listed to be copied as-is. Writing it to disk is [`crate::output`]'s job. Output is
//! deterministic: sorted maps, no timestamps.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::config::Settings;
use crate::error::{Error, Result};
use crate::page::{Page, PageRef};
use crate::project::{Book, Project, is_markdown};
use crate::render::html::render_body_with;
use crate::render::nav::Nav;
use crate::render::search;
use crate::render::templates::Templates;
use crate::render::toc::{TocEntry, toc};
use crate::render::{page_site_path, relative_url, root_prefix};

/// The built site in memory, before it is written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Site {
    /// Site path (`CREDENTIALS.html`, `res/x.png`, `nav.js`, `/`-separated) → content.
    pub files: BTreeMap<String, SiteFile>,
}

/// One file of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SiteFile {
    /// Rendered bytes (pages, `nav.js`, `style.css`).
    Generated(Vec<u8>),
    /// A resource copied as-is from this file on disk.
    Copied(PathBuf),
    /// Bytes kept in a file of `.stepbook-cache/` (the search index's pack, see
    /// [`crate::render::search`]), written into the site as [`SiteFile::Generated`] bytes
    /// are, never linked to the cache file.
    Cached(crate::cache::Slice),
}

/// Where [`Renderer::render_site_streaming`] hands each rendered page: site path, HTML bytes.
pub type PageWriter<'a> = dyn Fn(&str, &[u8]) -> Result<()> + Sync + 'a;

/// Asked before each page is rendered, with its site path and the page: `true` when the output
/// already holds this page's HTML (written by an earlier build from the same inputs, see
/// [`crate::render::incremental`]), so it is neither rendered nor written. Called from several
/// threads.
pub type PageReuse<'a> = dyn Fn(&str, &PageRef) -> Result<bool> + Sync + 'a;

/// One rendered page: site path, its HTML unless it was already written, its search document.
type Rendered = (String, Option<String>, Option<search::Page>);

/// File extensions counted as images in the build summary.
const IMAGE_EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "webp", "svg", "bmp", "ico", "avif",
];

impl Site {
    /// Number of copied files that are images (by extension).
    pub fn image_count(&self) -> usize {
        self.files
            .iter()
            .filter(|(path, f)| {
                matches!(f, SiteFile::Copied(_))
                    && Path::new(path)
                        .extension()
                        .and_then(|e| e.to_str())
                        .is_some_and(|e| {
                            IMAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str())
                        })
            })
            .count()
    }
}

/// `site` in templates: the book's settings.
#[derive(Debug, Serialize)]
struct SiteContext<'a> {
    title: &'a str,
    language: &'a str,
    authors: &'a [String],
    description: Option<&'a str>,
    /// `[output.html] additional-css`: site paths of extra style sheets.
    additional_css: &'a [String],
    /// `[output.html] additional-js`: site paths of extra scripts.
    additional_js: &'a [String],
    /// `[output.html] git-repository-url`.
    git_repository_url: Option<&'a str>,
}

/// `page` in `page.html`.
#[derive(Debug, Serialize)]
struct PageContext<'a> {
    title: &'a str,
    /// Content-relative Markdown path (`CREDENTIALS.md`).
    rel: &'a str,
    /// Site path (`CREDENTIALS.html`).
    path: &'a str,
    /// The page body as HTML.
    content: String,
    /// The leading h1 of `content` (empty when the page does not start with one).
    title_html: String,
    /// `content` after the leading h1.
    body_html: String,
    /// Number of step headings.
    steps: usize,
    /// Front matter: `title`, `weight`, `description` and every other key.
    front_matter: serde_json::Value,
    /// `[output.html] edit-url-template` filled in for this page.
    edit_url: Option<String>,
}

/// `prev`/`next` in `page.html`.
#[derive(Debug, Serialize)]
struct LinkContext {
    title: String,
    url: String,
}

/// One entry of `guides` in `index.html`.
#[derive(Debug, Serialize)]
struct GuideContext {
    title: String,
    url: String,
    summary: Option<String>,
    steps: usize,
}

/// Renders pages with the project's templates and navigation. Build it once per project load;
/// it holds no per-page state, so pages can be rendered from several threads.
#[derive(Debug)]
pub struct Renderer {
    templates: Templates,
    nav: Nav,
    nav_js: String,
    /// Pages carry source positions ([`crate::render::source_map`]): the preview only.
    source_map: bool,
    /// The most pages a shard of the search index holds (tests set it lower).
    search_shard_pages: Option<usize>,
    /// The files the pages' links, images and imports reach, when the checks found them
    /// already ([`crate::check::Checked::reached_files`]); resolved while rendering otherwise.
    reached: Option<std::collections::HashSet<String>>,
}

impl Renderer {
    /// Loads the templates (built-in, overridden by `templates/`) and builds the navigation
    /// (SUMMARY.md or the folder tree).
    ///
    /// Errors: [`Error::Template`] naming the template file and line; [`Error::Io`].
    pub fn new(project: &Book) -> Result<Renderer> {
        let templates = Templates::load(&project.settings)?;
        let mut nav = match (&project.summary, &project.site.rules.mkdocs_nav) {
            (None, Some(mkdocs)) => Nav::from_mkdocs(&project.pages, mkdocs),
            (summary, _) => Nav::build_without(
                &project.pages,
                summary.as_ref().map(|(_, text)| text.as_str()),
                &|p| crate::site::is_partial(&project.site.rules, &p.rel),
            ),
        };
        if project.settings.html.no_section_label {
            nav.clear_numbers();
        }
        let mut ctx = Context::new();
        ctx.insert("tree", &nav.to_json());
        ctx.insert("site", &site_context(&project.settings));
        let nav_js = templates.render("nav.js", &ctx)?;
        Ok(Renderer {
            templates,
            nav,
            nav_js,
            source_map: false,
            search_shard_pages: None,
            reached: None,
        })
    }

    /// This renderer with source positions on the elements of every page body
    /// ([`crate::render::source_map`]), for the preview to mark findings; never for `build`.
    pub fn with_source_map(mut self) -> Renderer {
        self.source_map = true;
        self
    }

    /// This renderer with search index shards of at most `pages` pages instead of
    /// [`search::shard::MAX_SHARD_PAGES`]: for tests of sharded sites that are small.
    #[doc(hidden)]
    pub fn with_search_shard_pages(mut self, pages: usize) -> Renderer {
        self.search_shard_pages = Some(pages);
        self
    }

    /// This renderer publishing the files `reached` (site paths) that the pages' links, images
    /// and imports reach, as the checks resolved them
    /// ([`crate::check::Checked::reached_files`]), instead of resolving every link again.
    pub fn with_reached_files(mut self, reached: std::collections::HashSet<String>) -> Renderer {
        self.reached = Some(reached);
        self
    }

    /// The navigation tree.
    pub fn nav(&self) -> &Nav {
        &self.nav
    }

    /// Everything of this renderer that pages depend on besides the project (templates,
    /// navigation, `nav.js`, source positions on or off), as one string for
    /// [`crate::render::incremental::site_key`].
    pub fn fingerprint(&self) -> String {
        format!(
            "{} {:?} {:?} {:?} {}",
            self.templates.fingerprint(),
            self.nav.entries,
            self.nav.order(),
            self.nav_js,
            self.source_map
        )
    }

    /// Renders one page to HTML with `page.html`.
    ///
    /// Errors: [`Error::Template`] naming the template file and line.
    pub fn render_page(&self, project: &Book, page: &Page) -> Result<String> {
        self.render_page_indexed(project, page, false)
            .map(|(html, _)| html)
    }

    /// Renders one page, and with `index` its document for the search index.
    fn render_page_indexed(
        &self,
        project: &Book,
        page: &Page,
        index: bool,
    ) -> Result<(String, Option<search::Doc>)> {
        let path = page_site_path(&page.rel);
        let body = render_body_with(page, &project.site, &path, self.source_map);
        let doc = index.then(|| search_doc(page, &path, &body.html));
        let convention = project.site.rules.site_convention_at(&page.rel);
        let toc: Vec<TocEntry> = toc(page, &body.headings, convention);
        let (prev, next) = self.nav.neighbours(&page.rel);
        let link = |rel: Option<&str>| {
            rel.and_then(|r| project.page(r)).map(|p| LinkContext {
                title: p.title.clone(),
                url: relative_url(&path, &page_site_path(&p.rel)),
            })
        };
        let shown_title = page_title(page, convention);
        let mut ctx = self.base_context(project, &path, self.nav.local_html(&page.rel, &path));
        ctx.insert(
            "description",
            &page
                .front_matter
                .description
                .as_deref()
                .or(project.settings.description.as_deref()),
        );
        ctx.insert(
            "page",
            &PageContext {
                title: &shown_title,
                rel: &page.rel,
                path: &path,
                title_html: title_html(&shown_title, &body, convention),
                body_html: body.html[body.title_end..].to_string(),
                content: body.html,
                steps: page.steps.len(),
                front_matter: front_matter_json(page),
                edit_url: project
                    .settings
                    .html
                    .edit_url(&crate::page::include::relative_path(
                        &project.settings.root,
                        &page.path,
                    )),
            },
        );
        if page.rel == project.settings.html.page_404()
            && let Some(base) = base_href(&project.settings)
        {
            ctx.insert("base_href", &base);
        }
        ctx.insert("toc", &toc);
        ctx.insert("prev", &link(prev));
        ctx.insert("next", &link(next));
        Ok((self.templates.render("page.html", &ctx)?, doc))
    }

    /// True when `page` is built: always without SUMMARY.md; with it, only when it is listed
    /// (as in mdBook; the `unlisted-page` rule reports the others).
    pub fn publishes(&self, project: &Project, page: &PageRef) -> bool {
        (project.summary.is_none() && !crate::site::is_partial(&project.site.rules, &page.rel))
            || self.nav.contains(&page.rel)
            || page.rel == project.settings.html.page_404()
    }

    /// Renders the whole site: every page (in parallel), `index.html` listing the guides when no
    /// page is the root index, `404.html`, `nav.js`, `style.css`, `highlight.css`, `code.js`,
    /// with search on `search.js` and the search index under `pagefind/`, and the files pages
    /// reference or that sit in a resource folder (copied, see [`crate::site::publish`]); `.mdx`
    /// pages are rendered, never copied raw. A rendered file wins over a copied file of the same
    /// path.
    ///
    /// Errors: two pages with the same site path (`README.md` and `index.md` in one folder), or
    /// a template error.
    pub fn render_site(&self, project: &Book) -> Result<Site> {
        with_index(self.render_site_into(project, None, None)?)
    }

    /// Like [`Renderer::render_site`], but hands each rendered page to `write` (site path,
    /// bytes) as soon as it is rendered instead of keeping it: the [`Site`] returned holds every
    /// other file (no page path among them), so a build holds one page per thread, plus each
    /// page's search document, not the whole site. `write` is called from several threads.
    ///
    /// Errors: as [`Renderer::render_site`], and the first error `write` returns.
    pub fn render_site_streaming(&self, project: &Book, write: &PageWriter<'_>) -> Result<Site> {
        with_index(self.render_site_into(project, Some(write), None)?)
    }

    /// Like [`Renderer::render_site_streaming`], but first asks `reuse` whether the output
    /// already holds each page; such a page is neither rendered nor written. `keys` are the
    /// pages' render keys by site path ([`crate::render::incremental::page_keys`]): with search
    /// on, the index is reused, or an unchanged page's search document taken from the search
    /// cache, by them.
    ///
    /// With search on, the site returned has no search index yet: it is returned to be built
    /// ([`search::Pending::build`]) once the page models are no longer needed (freed first,
    /// indexing uses their memory), its files then added to the site. Meanwhile the rendered
    /// pages' documents wait in a file of the search cache ([`search::Spill`]), not in memory.
    ///
    /// Errors: as [`Renderer::render_site_streaming`], and the first error `reuse` returns.
    pub fn render_site_reusing(
        &self,
        project: &Book,
        write: &PageWriter<'_>,
        reuse: &PageReuse<'_>,
        keys: &HashMap<String, String>,
    ) -> Result<(Site, Option<search::Pending>)> {
        self.render_site_into(project, Some(write), Some((reuse, keys)))
    }

    /// [`Renderer::render_site`] with the pages kept in the site (`write` is `None`) or handed
    /// to `write`, and those `reuse` accepts skipped; the search index still to build.
    fn render_site_into(
        &self,
        project: &Book,
        write: Option<&PageWriter<'_>>,
        reuse: Option<(&PageReuse<'_>, &HashMap<String, String>)>,
    ) -> Result<(Site, Option<search::Pending>)> {
        let mut owners: HashMap<String, &str> = HashMap::new();
        let published: Vec<&PageRef> = project
            .pages
            .iter()
            .filter(|p| self.publishes(project, p))
            .collect();
        for p in published.iter().copied() {
            let path = if p.rel == project.settings.html.page_404() {
                "404.html".to_string()
            } else {
                page_site_path(&p.rel)
            };
            if let Some(other) = owners.insert(path, &p.file) {
                return Err(Error::Invalid(format!(
                    "{other} and {} would both be written to {}; keep one of them",
                    p.file,
                    page_site_path(&p.rel)
                )));
            }
        }
        let page_404 = project.settings.html.page_404();
        crate::progress::stage("rendering pages", published.len());
        let search = project.settings.html.search_enable != Some(false);
        // `build` keeps the index in the cache and publishes it from there; the preview
        // server serves files from the content folders only, so it indexes every time.
        let cache = (search && reuse.is_some())
            .then(|| project.settings.root.join(crate::cache::DIR).join("search"));
        // Documents wait for the index in a file there (none when it cannot be made).
        let spill = cache
            .as_ref()
            .filter(|_| crate::cache::create_dir(&project.settings.root))
            .and_then(|dir| search::Spill::create(dir).ok())
            .map(std::sync::Arc::new);
        let rendered = published
            .par_iter()
            .map(|p| {
                let path = if p.rel == page_404 {
                    "404.html".to_string()
                } else {
                    page_site_path(&p.rel)
                };
                // The 404 page is not a search result.
                let index = search && p.rel != page_404;
                let key = reuse.and_then(|(_, keys)| keys.get(&path));
                if let Some((reuse, _)) = reuse
                    && reuse(&path, p)?
                {
                    crate::progress::inc(1);
                    let doc = match key {
                        Some(key) if index => Some(search::Page::Unchanged {
                            url: page_site_path(&p.rel),
                            key: key.clone(),
                        }),
                        _ => index.then(|| {
                            let url = page_site_path(&p.rel);
                            let body = render_body_with(p, &project.site, &url, self.source_map);
                            search::Page::Rendered(search_doc(p, &url, &body.html), None)
                        }),
                    };
                    return Ok((path, None, doc));
                }
                let (html, doc) = self.render_page_indexed(project, p, index)?;
                let doc = doc.map(|d| match (&spill, key) {
                    (Some(spill), Some(key)) => match spill.put(&d) {
                        Ok(at) => search::Page::Spilled {
                            url: d.url,
                            key: key.clone(),
                            at,
                        },
                        Err(_) => search::Page::Rendered(d, Some(key.clone())),
                    },
                    _ => search::Page::Rendered(d, key.cloned()),
                });
                crate::progress::inc(1);
                match write {
                    Some(write) => {
                        write(&path, html.as_bytes())?;
                        Ok((path, None, doc))
                    }
                    None => Ok((path, Some(html), doc)),
                }
            })
            .collect::<Result<Vec<Rendered>>>()?;
        let mut docs = Vec::new();
        let mut pages = Vec::with_capacity(rendered.len());
        for (path, html, doc) in rendered {
            docs.extend(doc);
            if let Some(html) = html {
                pages.push((path, html));
            }
        }
        let mut files = BTreeMap::new();
        let published = match &self.reached {
            Some(reached) => crate::site::publish::published_with(project, reached.clone()),
            None => crate::site::publish::published_files(project),
        };
        for (path, disk) in &project.site.files {
            if !is_markdown(disk) && published.contains(path) {
                files.insert(path.clone(), SiteFile::Copied(disk.clone()));
            }
        }
        // Files the pages reach outside the content root but inside the project (a Starlight
        // site's `public/` and `src/assets/` when its `src/content/docs/` is built).
        for reached in &published {
            if !project.site.files.contains_key(reached)
                && let Some((path, disk)) =
                    crate::site::publish::outside_file(&project.site.rules, reached)
            {
                files.entry(path).or_insert(SiteFile::Copied(disk));
            }
        }
        files.insert(
            "nav.js".into(),
            SiteFile::Generated(self.nav_js.clone().into_bytes()),
        );
        files.insert(
            "style.css".into(),
            SiteFile::Generated(self.templates.style.clone().into_bytes()),
        );
        files.insert(
            "zoom.js".into(),
            SiteFile::Generated(crate::render::templates::ZOOM_JS.as_bytes().to_vec()),
        );
        // Resized screenshots ([`crate::images::derive`]), published from the cache.
        for d in project.site.derived.values() {
            for f in &d.files {
                files
                    .entry(f.site.clone())
                    .or_insert_with(|| SiteFile::Copied(f.disk.clone()));
            }
        }
        for (path, disk) in extra_files(&project.settings)? {
            files.insert(path, SiteFile::Copied(disk));
        }
        for (from, to) in &project.settings.html.redirect {
            let mut path = from.trim_start_matches('/').to_string();
            if path.is_empty() || path.ends_with('/') {
                path.push_str("index.html");
            }
            if !owners.contains_key(&path) {
                let html = crate::mdbook::html_config::redirect_page(to);
                files.insert(path, SiteFile::Generated(html.into_bytes()));
            }
        }
        files.insert(
            "highlight.css".into(),
            SiteFile::Generated(crate::render::highlight::css().as_bytes().to_vec()),
        );
        files.insert(
            "code.js".into(),
            SiteFile::Generated(crate::render::templates::CODE_JS.as_bytes().to_vec()),
        );
        let mut index = None;
        if search {
            files.insert(
                "search.js".into(),
                SiteFile::Generated(crate::render::templates::SEARCH_JS.as_bytes().to_vec()),
            );
            docs.sort_by(|a, b| a.url().cmp(b.url()));
            // An unchanged page whose document the cache does not hold: its body rendered.
            let render = |url: &str| {
                let p = project
                    .pages
                    .iter()
                    .find(|p| page_site_path(&p.rel) == url)
                    .ok_or_else(|| Error::Invalid(format!("search index: no page at {url}")))?;
                let body = render_body_with(p, &project.site, url, self.source_map);
                Ok(search_doc(p, url, &body.html))
            };
            index = Some(search::prepare(
                docs,
                &project.settings.language,
                cache,
                spill,
                &render,
                self.search_shard_pages,
            )?);
        }
        if !owners.contains_key("404.html") {
            let mut ctx =
                self.base_context(project, "404.html", self.nav.local_html("", "404.html"));
            ctx.insert("description", &None::<String>);
            if let Some(base) = base_href(&project.settings) {
                ctx.insert("base_href", &base);
            }
            let html = self.templates.render("404.html", &ctx)?;
            files.insert("404.html".into(), SiteFile::Generated(html.into_bytes()));
        }
        if !owners.contains_key("index.html") {
            let html = self.render_index(project)?;
            files.insert("index.html".into(), SiteFile::Generated(html.into_bytes()));
        }
        for (path, html) in pages {
            files.insert(path, SiteFile::Generated(html.into_bytes()));
        }
        if write.is_some() {
            // The pages already written win over any other file of the same path.
            files.retain(|path, _| !owners.contains_key(path));
        }
        Ok((Site { files }, index))
    }

    /// `index.html` for a site without a root README.md/index.md: the guides in reading order.
    fn render_index(&self, project: &Project) -> Result<String> {
        let guides: Vec<GuideContext> = self
            .nav
            .order()
            .iter()
            .filter_map(|rel| project.page(rel))
            .map(|p| GuideContext {
                title: p.title.clone(),
                url: relative_url("index.html", &page_site_path(&p.rel)),
                summary: p
                    .front_matter
                    .description
                    .clone()
                    .or_else(|| first_paragraph(p)),
                steps: p.steps.len(),
            })
            .collect();
        let mut ctx =
            self.base_context(project, "index.html", self.nav.local_html("", "index.html"));
        ctx.insert("description", &project.settings.description);
        ctx.insert("guides", &guides);
        self.templates.render("index.html", &ctx)
    }

    /// The variables every template gets: `site`, `root`, `path`, `nav_local`.
    fn base_context(&self, project: &Project, path: &str, nav_local: String) -> Context {
        let mut ctx = Context::new();
        ctx.insert("site", &site_context(&project.settings));
        ctx.insert("root", &root_prefix(path));
        ctx.insert("path", path);
        ctx.insert("nav_local", &nav_local);
        ctx.insert(
            "search",
            &(project.settings.html.search_enable != Some(false)),
        );
        ctx
    }
}

/// `site` with the files of its search index, when it has one to build.
fn with_index((mut site, index): (Site, Option<search::Pending>)) -> Result<Site> {
    if let Some(index) = index {
        site.files.extend(index.build()?.files);
    }
    Ok(site)
}

/// The search index's document for `page` at site path `path`, with its body HTML. A page
/// without an h1 (the Rust Book's sections open with an h2) has its file name as title; its
/// first heading names it better in search results.
fn search_doc(page: &Page, path: &str, body: &str) -> search::Doc {
    let title = match page.headings.first() {
        Some(h) if !page.headings.iter().any(|h| h.level == 1) => h.text.clone(),
        _ => page.title.clone(),
    };
    search::Doc::new(path.to_string(), title, body)
}

fn site_context(settings: &Settings) -> SiteContext<'_> {
    SiteContext {
        title: &settings.title,
        language: &settings.language,
        authors: &settings.authors,
        description: settings.description.as_deref(),
        additional_css: &settings.html.additional_css,
        additional_js: &settings.html.additional_js,
        git_repository_url: settings.html.git_repository_url.as_deref(),
    }
}

/// The `<base href>` of `404.html`, which servers return for missing pages at any depth:
/// mdBook's `site-url` with a trailing slash.
fn base_href(settings: &Settings) -> Option<String> {
    let url = settings.html.site_url.as_ref()?;
    Some(if url.ends_with('/') {
        url.clone()
    } else {
        format!("{url}/")
    })
}

/// `[output.html] additional-css` and `additional-js`: (site path, file) for each, at the same
/// path relative to the book root, as mdBook copies them.
///
/// Errors: a file that does not exist, or a path that leaves the book root.
fn extra_files(settings: &Settings) -> Result<Vec<(String, PathBuf)>> {
    let html = &settings.html;
    let mut out = Vec::new();
    for (key, rel) in html
        .additional_css
        .iter()
        .map(|r| ("additional-css", r))
        .chain(html.additional_js.iter().map(|r| ("additional-js", r)))
    {
        let plain = !rel.starts_with('/')
            && rel
                .split('/')
                .all(|s| !s.is_empty() && s != "." && s != "..");
        let disk = settings.root.join(rel);
        if !plain || !disk.is_file() {
            let why = if plain {
                "does not exist"
            } else {
                "must be a path inside the book folder"
            };
            return Err(Error::Invalid(format!(
                "[output.html] {key}: {rel} {why}{}",
                settings
                    .config_path
                    .as_ref()
                    .map(|p| format!(" (in {})", p.display()))
                    .unwrap_or_default()
            )));
        }
        out.push((rel.clone(), disk));
    }
    Ok(out)
}

/// The page's title heading: its own leading `<h1>`, else, where the generator shows the page
/// title above the content (Starlight and Docusaurus from front matter, Material for MkDocs
/// from nav or front matter), an `<h1>` of the page title; else none (mdBook and GitHub show
/// a page without a heading as it is).
fn title_html(
    title: &str,
    body: &super::html::Body,
    convention: crate::site::Convention,
) -> String {
    use crate::site::Convention::*;
    if body.title_end > 0 || !matches!(convention, Starlight | Docusaurus | Mkdocs) {
        return body.html[..body.title_end].to_string();
    }
    format!("<h1>{}</h1>\n", super::escape(title))
}

/// The page's title as its generator shows it: the page model's (front matter, first h1, else
/// the file name), except on an MkDocs page with neither front-matter title nor h1, which MkDocs
/// titles from its file name with `-` and `_` as spaces, capitalised when all lowercase, and
/// "Home" for the home page (`mkdocs.structure.pages.Page.title`).
fn page_title(page: &Page, convention: crate::site::Convention) -> std::borrow::Cow<'_, str> {
    let stem = page
        .rel
        .rsplit('/')
        .next()
        .and_then(|n| n.rsplit_once('.').map(|(s, _)| s))
        .unwrap_or(&page.rel);
    if convention != crate::site::Convention::Mkdocs
        || page.front_matter.title.is_some()
        || page.title != stem
    {
        return page.title.as_str().into();
    }
    if matches!(page.rel.as_str(), "index.md" | "README.md") {
        return "Home".into();
    }
    let title = stem.replace(['-', '_'], " ");
    if title.to_lowercase() != title {
        return title.into();
    }
    let mut chars = title.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect::<String>().into(),
        None => title.into(),
    }
}

/// The page's front matter as JSON for templates (`title`, `weight`, `description`, extra keys).
fn front_matter_json(page: &Page) -> serde_json::Value {
    let fm = &page.front_matter;
    let mut map = serde_json::Map::new();
    for (k, v) in &fm.extra {
        if let Ok(v) = serde_json::to_value(v) {
            map.insert(k.clone(), v);
        }
    }
    map.insert("title".into(), fm.title.clone().into());
    map.insert("weight".into(), fm.weight.into());
    map.insert("description".into(), fm.description.clone().into());
    serde_json::Value::Object(map)
}

/// The first paragraph of the page as plain text (inline code restored), cut at about 240
/// characters, for the guide list.
fn first_paragraph(page: &Page) -> Option<String> {
    let para = page
        .paragraphs
        .iter()
        .find(|p| !p.in_accidental_code && !p.text.trim().is_empty())?;
    let mut codes = para.codes.iter();
    let mut text = String::new();
    for c in para.text.chars() {
        match c {
            '\u{1}' => text.push_str(codes.next().map(|c| c.text.as_str()).unwrap_or("")),
            c => text.push(c),
        }
    }
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= 240 {
        return Some(text);
    }
    let cut: String = text.chars().take(240).collect();
    let cut = cut.rsplit_once(' ').map(|(a, _)| a).unwrap_or(&cut);
    Some(format!("{cut} …"))
}
