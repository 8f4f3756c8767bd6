//! Link conventions: how the reader's site maps a link target to a page, a folder index, a
//! resource or a route (SPEC.md, Link conventions). Checks, the renderer and the preview server
//! all resolve through [`resolve`], so what the checker accepts is what the site serves.
//!
//! Every convention first reads a destination as GitHub does ([`github`]): relative to the page's
//! folder, `/x` from the site root, percent-decoded, a folder meaning its index page. What that
//! view does not find, the convention's own module may still find: an mdBook chapter written
//! `x.html` ([`mdbook`]), a Docusaurus route or a file of `static/` ([`docusaurus`]), a Starlight
//! route or `public/` file ([`starlight`]), an MkDocs directory URL ([`mkdocs`]). A link that
//! leaves the site is looked up in the git working tree around it ([`github::Repo`]).
//!
//! The convention is detected once for the checked folder; a book or a generator's site in a
//! folder below it (mdBook's `guide/`, Starlight's `docs/`) follows its own ([`nested`]): a
//! nested site has its own route table, and [`resolve`] hands its pages' links to it.
//!
//! Cases: `../shared/cases/09-percent-encoded-space`, `13-directory-link-index`,
//! `17-angle-bracket-image`; fixtures `tests/fixtures/site/<convention>/`.

pub mod aliases;
pub mod docusaurus;
mod generator;
pub mod github;
pub mod markup;
pub mod mdbook;
pub mod mkdocs;
pub mod mkdocs_nav;
pub mod nested;
pub mod publish;
pub mod redirects;
mod routed;
mod shown;
pub mod starlight;
pub mod stepbook;
pub mod targets;
pub mod title;

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::page::Page;
use crate::project::SiteIndex;

pub use generator::{convention, detect, docs_folder_of, is_generator_config, owning_site};
pub use markup::{add_explicit_heading_ids, mdx_imports};
pub use nested::{Nested, NestedSite};
pub use shown::Shown;
pub(crate) use shown::{disk_from_cwd, shown_from_cwd};

/// A site generator's way of resolving links.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Convention {
    /// Files and folders as GitHub shows them (a plain folder of Markdown).
    #[default]
    Github,
    /// This project's own layout (book.toml, `content/`, resource folders).
    Stepbook,
    /// mdBook: chapters linked as `x.html` or `dir/index.html`.
    Mdbook,
    /// Docusaurus: routes without extension, `static/`.
    Docusaurus,
    /// Astro Starlight: routes of `src/content/docs/`, `public/`.
    Starlight,
    /// MkDocs: `docs_dir` pages, `use_directory_urls`.
    Mkdocs,
}

impl Convention {
    /// The name used in `[check] links` (`docusaurus`).
    pub fn id(self) -> &'static str {
        match self {
            Convention::Github => "github",
            Convention::Stepbook => "stepbook",
            Convention::Mdbook => "mdbook",
            Convention::Docusaurus => "docusaurus",
            Convention::Starlight => "starlight",
            Convention::Mkdocs => "mkdocs",
        }
    }

    /// The generator's name as people write it (`Docusaurus`).
    pub fn name(self) -> &'static str {
        match self {
            Convention::Github => "GitHub",
            Convention::Stepbook => "stepbook",
            Convention::Mdbook => "mdBook",
            Convention::Docusaurus => "Docusaurus",
            Convention::Starlight => "Starlight",
            Convention::Mkdocs => "MkDocs",
        }
    }

    /// True for conventions whose published site holds only the site's own files (every one
    /// but `github`), where a link to another repository file is `link-outside-site`.
    pub fn is_site(self) -> bool {
        self != Convention::Github
    }
}

/// `[check] links`: `"auto"` (detect) or one convention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LinksSetting {
    /// Detect from the files present.
    #[default]
    Auto,
    /// Always this convention.
    Fixed(Convention),
}

impl<'de> Deserialize<'de> for LinksSetting {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s == "auto" {
            return Ok(LinksSetting::Auto);
        }
        Convention::deserialize(serde::de::value::StrDeserializer::<D::Error>::new(&s))
            .map(LinksSetting::Fixed)
            .map_err(|_| {
                serde::de::Error::custom(format!(
                    "unknown link convention `{s}` (expected auto, github, stepbook, mdbook, docusaurus, starlight or mkdocs)"
                ))
            })
    }
}

/// What a destination points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Nothing to resolve: an empty destination.
    Empty,
    /// A URL with a scheme (`https:`, `mailto:`) or protocol-relative `//host`.
    External(String),
    /// `#fragment` on the same page (fragment percent-decoded, without `#`).
    SamePage(String),
    /// A path in the site.
    Site {
        /// The site path as written, decoded and normalised (`res/a b.png`, `guide/`).
        path: String,
        /// The fragment, decoded, without `#`.
        fragment: Option<String>,
        /// What the site has there.
        found: Found,
    },
    /// A relative path that leaves the site but stays inside the git working tree around it.
    Repo {
        /// The path relative to the repository root, `/`-separated.
        path: String,
        /// True when a file or folder exists there.
        exists: bool,
    },
    /// An `.html` link out of an mdBook book: a sibling book published beside it
    /// (`../reference/expressions.html`), with the URL it maps to when `[check] site-url` and
    /// `external-roots` say where siblings live.
    Sibling {
        /// The destination as written.
        path: String,
        /// The absolute URL, when mapped.
        url: Option<String>,
    },
    /// A relative path that climbs above the site root (and out of the repository, if any).
    OutsideRoot(String),
    /// A destination holding a template expression (`{{ sponsor.url }}`) in a site whose pages
    /// are templates ([`SiteRules::templates`]): the generator fills it in when it builds,
    /// so there is nothing to check. Holds the destination as written.
    Templated(String),
    /// A page the generator makes at build time: no file serves the route, and the file that
    /// would is ignored by a `.gitignore` (tauri-docs' `reference/.gitignore` lists the API
    /// reference pages its build writes). Nothing to check in a checked-out tree.
    Generated {
        /// The site path as written, decoded and normalised.
        path: String,
        /// The ignored file that would serve it, as a site path.
        file: String,
    },
}

/// What the site holds at a resolved path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// A file at exactly this site path (a page, a resource, or a file the generator writes).
    File(String),
    /// A folder whose index page (README.md or index.md) is this site path.
    DirIndex(String),
    /// A folder with no README.md or index.md.
    DirWithoutIndex,
    /// No such file, but files that differ only in letter case.
    CaseMismatch(Vec<String>),
    /// Nothing.
    Missing,
}

/// How this site resolves addresses: the convention in force, its routes and static folders,
/// and the repository around the content. Built once per project load ([`SiteRules::build`]);
/// the default is plain GitHub resolution with no repository.
#[derive(Debug, Clone, Default)]
pub struct SiteRules {
    /// The convention in force.
    pub convention: Convention,
    /// The file it was detected from (`book.toml`, `docusaurus.config.ts`), or `None` when set
    /// by `[check] links` or when nothing was detected.
    pub detected_from: Option<String>,
    /// Route (no leading or trailing `/`) → site path of the page or file served there.
    pub routes: HashMap<String, String>,
    /// Page site path → its route, for links written relative to the page's URL.
    pub page_routes: HashMap<String, String>,
    /// How a page's URL reads for relative links: `Some(true)` as a folder (`/a/b/`, MkDocs'
    /// directory URLs), `Some(false)` as a file (`/a/b.html`), `None` either way (the
    /// generator serves both, as Starlight and Docusaurus do by `trailingSlash`).
    pub url_is_dir: Option<bool>,
    /// Site-path prefixes (`static/`, `public/`) whose files are served from the site root.
    pub statics: Vec<String>,
    /// Folders on disk, outside the content root, whose files are served from the site root:
    /// a Docusaurus `website/static/` when the checked folder is the `docs/` beside it.
    pub outside_statics: Vec<PathBuf>,
    /// Route → file on disk outside the content root served there: the docs, blog posts and
    /// pages of a Docusaurus config beside the checked folder (prettier and jest keep `docs/`
    /// at the top and `website/versioned_docs/`, `website/blog/` beside it), so that
    /// `/docs/options` finds the released `version-X/options.md`.
    pub outside_routes: HashMap<String, PathBuf>,
    /// The generator's site root on disk when it lies above the content root (a Starlight
    /// site checked from its `src/content/docs/`): a relative path that leaves the content root
    /// but stays in this folder names a file of the site, looked up on disk.
    pub outside_root: Option<PathBuf>,
    /// Site-path prefixes of folders whose images the generator's own code uses (Astro's
    /// `src/assets/`): not orphans even when no page shows them.
    pub asset_dirs: Vec<String>,
    /// Import aliases (`@assets/` → `src/assets/`, from Astro's `tsconfig.json`), longest
    /// first: a path that starts with one names that folder of the site ([`aliases`]).
    pub aliases: Vec<aliases::Alias>,
    /// Prefix of absolute links to strip before looking up a route (`/docs/` for Astro's
    /// `base: '/docs'`), without slashes; empty when none.
    pub base: String,
    /// Site-path prefixes (`docs/`) against which a `.md`/`.mdx` link is also tried when it is
    /// not found beside the page (Docusaurus resolves Markdown links from each docs folder).
    pub md_roots: Vec<String>,
    /// The git working tree around the content, when there is one.
    pub repo: Option<github::Repo>,
    /// The content root on disk.
    pub content_dir: PathBuf,
    /// The project folder on disk (canonical): a file a page reaches outside the content root
    /// is published only when it lies inside it ([`publish::outside_file`]).
    pub project_root: PathBuf,
    /// `[check] site-url`: where this site is published.
    pub site_url: Option<String>,
    /// `[check] external-roots`: sibling sites reachable from `site_url`.
    pub external_roots: Vec<String>,
    /// Books below the content root (a folder with its own book.toml, like mdBook's `guide/`):
    /// pages under one follow its convention, whatever the root's is.
    pub nested: Vec<Nested>,
    /// Generators' sites below the content root (`docs/` with `astro.config.mjs`), deepest
    /// first: pages under one resolve through its own routes ([`nested`]).
    pub sites: Vec<NestedSite>,
    /// MkDocs with the `autorefs` plugin (which `mkdocstrings` loads): a reference link whose
    /// label has no definition is a cross-reference the plugin resolves
    /// ([`mkdocs::is_autoref`]), not literal text.
    pub autorefs: bool,
    /// Pages are templates the generator renders before reading the Markdown (MkDocs' `macros`
    /// plugin): a destination holding `{{ … }}` is [`Target::Templated`].
    pub templates: bool,
    /// MkDocs' `pymdownx.snippets`: the prefixes that a snippet path (relative to one of its
    /// `base_path` folders) has when it names a file of `docs_dir` (`docs/` for the default
    /// base `.` and `docs_dir: docs`; `` for `base_path: docs`), longest first. Empty without
    /// the extension ([`mkdocs::snippet_images`]).
    pub snippet_prefixes: Vec<String>,
    /// mkdocs.yml's `nav`, when the site is MkDocs' and has one: the sidebar follows it
    /// ([`mkdocs_nav`]).
    pub mkdocs_nav: Option<mkdocs_nav::MkdocsNav>,
}

/// A page as a route table sees it: its path in the site being routed (without the folder
/// prefix of a nested site) and the page (for its front matter).
#[derive(Debug, Clone, Copy)]
pub struct RoutedPage<'a> {
    /// The page's path relative to the routed site's root (`src/content/docs/a.md`).
    pub rel: &'a str,
    /// The page.
    pub page: &'a crate::page::PageRef,
}

impl SiteRules {
    /// True when some addresses are looked up on disk outside the content root
    /// ([`SiteRules::outside_statics`], [`SiteRules::outside_routes`],
    /// [`SiteRules::outside_root`]).
    pub fn reaches_outside(&self) -> bool {
        !self.outside_statics.is_empty()
            || !self.outside_routes.is_empty()
            || self.outside_root.is_some()
    }

    /// Detects (or takes) the convention and builds its routes for `index` and `pages`, and
    /// those of every book and generator's site below the content root ([`nested`]).
    pub fn build(
        settings: &crate::config::Settings,
        index: &SiteIndex,
        pages: &[crate::page::PageRef],
    ) -> Self {
        let routed: Vec<RoutedPage<'_>> = pages
            .iter()
            .map(|p| RoutedPage {
                rel: &p.rel,
                page: p,
            })
            .collect();
        SiteRules::build_routed(settings, index, &routed, true)
    }

    /// [`SiteRules::build`] for pages at `rel` paths of their own; `with_sites` also builds the
    /// generators' sites below (a nested site is built without).
    fn build_routed(
        settings: &crate::config::Settings,
        index: &SiteIndex,
        pages: &[RoutedPage<'_>],
        with_sites: bool,
    ) -> Self {
        let (convention, detected_from) = convention(settings);
        let mut rules = SiteRules {
            convention,
            detected_from,
            repo: github::Repo::find(&settings.content_dir),
            content_dir: settings.content_dir.clone(),
            project_root: crate::output::real_path(&settings.root),
            site_url: settings.site_url.clone(),
            external_roots: settings.external_roots.clone(),
            ..SiteRules::default()
        };
        match convention {
            Convention::Docusaurus => docusaurus::routes(&mut rules, settings, index, pages),
            Convention::Starlight => starlight::routes(&mut rules, settings, index, pages),
            Convention::Mkdocs => mkdocs::routes(&mut rules, settings, index, pages),
            Convention::Stepbook | Convention::Mdbook => mdbook::routes(&mut rules, settings),
            Convention::Github => rules.asset_dirs = github::web_app_asset_dirs(index),
        }
        rules.nested = nested::books(settings, index);
        if with_sites {
            let top = (convention == Convention::Docusaurus)
                .then(|| docusaurus::find_config(settings))
                .flatten();
            rules.sites = nested::sites(settings, index, pages, top.as_deref());
        }
        rules
    }

    /// The generator's site below the content root that holds the site path `path` (the
    /// deepest), with `path` inside it.
    pub fn site_at<'p>(&self, path: &'p str) -> Option<(&NestedSite, &'p str)> {
        self.sites
            .iter()
            .find_map(|s| Some((s, path.strip_prefix(s.prefix.as_str())?)))
    }

    /// The convention of the site that publishes the page at `page_rel`: a generator's site
    /// below the content root, else the checked folder's (a book below keeps the folder's).
    pub fn site_convention_at(&self, page_rel: &str) -> Convention {
        self.site_at(page_rel)
            .map_or(self.convention, |(s, _)| s.rules().convention)
    }

    /// True when an undefined reference label in the page at `page_rel` is handed to MkDocs'
    /// `autorefs` plugin ([`SiteRules::autorefs`] of the site publishing the page).
    pub fn autorefs_at(&self, page_rel: &str) -> bool {
        match self.site_at(page_rel) {
            Some((site, rest)) => site.rules().autorefs_at(rest),
            None => self.autorefs,
        }
    }

    /// [`SiteRules::snippet_prefixes`] of the site publishing the page at `page_rel`.
    pub fn snippet_prefixes_at(&self, page_rel: &str) -> &[String] {
        match self.site_at(page_rel) {
            Some((site, rest)) => site.rules().snippet_prefixes_at(rest),
            None => &self.snippet_prefixes,
        }
    }

    /// The book below the content root that holds `page_rel`, if any (the deepest).
    pub fn nested_at(&self, page_rel: &str) -> Option<&Nested> {
        self.nested
            .iter()
            .find(|n| page_rel.starts_with(n.prefix.as_str()))
    }

    /// The convention links in the page at `page_rel` follow: its nested book's, else the site's.
    pub fn convention_at(&self, page_rel: &str) -> Convention {
        if let Some((site, rest)) = self.site_at(page_rel) {
            return site.rules().convention_at(rest);
        }
        self.nested_at(page_rel)
            .map_or(self.convention, |n| n.convention)
    }

    /// [`SiteRules::describe`] for links in the page at `page_rel` (naming a nested book's
    /// book.toml or a nested site's config when the page lies in one), files named by `shown`.
    pub fn describe_at(&self, page_rel: &str, shown: &Shown) -> String {
        if let Some((site, rest)) = self.site_at(page_rel) {
            let (convention, file, what) = match site.rules().nested_at(rest) {
                Some(book) => (
                    book.convention,
                    shown.site_path(&format!("{}{}", site.prefix, book.file)),
                    "book",
                ),
                None => (site.rules().convention, shown.site_path(&site.file), "site"),
            };
            return format!(
                "links follow the {} convention (detected from {file}, the {what} holding this page)",
                convention.id()
            );
        }
        match self.nested_at(page_rel) {
            Some(n) => format!(
                "links follow the {} convention (detected from {}, the book holding this page)",
                n.convention.id(),
                shown.site_path(&n.file)
            ),
            None => self.describe(shown),
        }
    }

    /// One sentence for `--verbose` and for link findings' help: which convention and why,
    /// the file it was detected from named by `shown`.
    pub fn describe(&self, shown: &Shown) -> String {
        let why = match &self.detected_from {
            Some(file) => format!(
                "detected from {}; `[check] links` changes it",
                shown.root_file(file)
            ),
            None if self.convention == Convention::Github => {
                "no site generator's configuration found; `[check] links` changes it".to_string()
            }
            None => "set by `[check] links`".to_string(),
        };
        format!(
            "links follow the {} convention ({why})",
            self.convention.id()
        )
    }

    /// The route a link to `site_path` reaches, for messages (`/docs/intro`).
    pub fn route_of(&self, site_path: &str) -> Option<&str> {
        if let Some((site, rest)) = self.site_at(site_path) {
            return site.rules().route_of(rest);
        }
        self.page_routes.get(site_path).map(String::as_str)
    }

    /// True when the page at `page_rel` is a file of the repository that the convention's site
    /// does not publish (a README or CONTRIBUTING beside a Docusaurus, Starlight or MkDocs
    /// site): it is read on GitHub, so GitHub's reading applies to its links.
    pub fn is_repository_page(&self, page_rel: &str) -> bool {
        if let Some((site, rest)) = self.site_at(page_rel) {
            return site.rules().is_repository_page(rest);
        }
        matches!(
            self.convention,
            Convention::Docusaurus | Convention::Starlight | Convention::Mkdocs
        ) && !self.page_routes.contains_key(page_rel)
    }

    /// True when `site_path` lies in a folder the generator serves as-is (`static/`).
    pub fn in_static(&self, site_path: &str) -> bool {
        if let Some((site, rest)) = self.site_at(site_path) {
            return site.rules().in_static(rest);
        }
        self.statics
            .iter()
            .any(|s| !s.is_empty() && site_path.starts_with(s.as_str()))
    }

    /// True when `site_path` lies in a static folder or an asset folder of the generator, whose
    /// files its own code (components, config, theme) uses: no page need show them. MkDocs'
    /// static folder is `docs_dir` itself, the pages' folder, whose images are the writers':
    /// checked from the repository root (`docs/` a static folder) they are orphans just as
    /// they are when `docs/` is checked.
    pub fn used_by_generator(&self, site_path: &str) -> bool {
        if let Some((site, rest)) = self.site_at(site_path) {
            return site.rules().used_by_generator(rest);
        }
        (self.convention != Convention::Mkdocs && self.in_static(site_path))
            || self
                .asset_dirs
                .iter()
                .any(|s| site_path.starts_with(s.as_str()))
    }
}

/// True when `dest` starts with a URL scheme (RFC 3986 §3.1) or `//`.
pub fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    let Some(colon) = dest.find(':') else {
        return false;
    };
    let scheme = &dest[..colon];
    scheme.len() > 1
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Percent-decodes `s` (UTF-8; invalid sequences are kept lossily).
pub fn decode(s: &str) -> Cow<'_, str> {
    crate::percent::decode_lossy(s)
}

/// Splits `dest` into path and fragment (both still encoded); a query string is dropped.
pub fn split_fragment(dest: &str) -> (&str, Option<&str>) {
    // Byte searches: `#` and `?` are ASCII, and destinations are short.
    let (path, fragment) = match dest.bytes().position(|b| b == b'#') {
        Some(i) => (&dest[..i], Some(&dest[i + 1..])),
        None => (dest, None),
    };
    let path = match path.bytes().position(|b| b == b'?') {
        Some(i) => &path[..i],
        None => path,
    };
    (path, fragment)
}

/// Resolves `dest`, written in the page at content-relative `page_rel`, against `site` and the
/// convention in force ([`SiteIndex::rules`]).
pub fn resolve(site: &SiteIndex, page_rel: &str, dest: &str) -> Target {
    if let Some((nested, rest)) = site.rules.site_at(page_rel) {
        return nested::map_target(nested, resolve(&nested.index, rest, dest));
    }
    let dest = dest.trim();
    if dest.is_empty() {
        return Target::Empty;
    }
    if is_external(dest) {
        return Target::External(dest.to_string());
    }
    if site.rules.templates
        && let Some(open) = dest.find("{{")
        && dest[open..].contains("}}")
    {
        return Target::Templated(dest.to_string());
    }
    let (path, fragment) = split_fragment(dest);
    let fragment = fragment.map(|f| decode(f).into_owned());
    if path.is_empty() {
        return match fragment {
            Some(f) => Target::SamePage(f),
            None => Target::Empty,
        };
    }
    let rules = &site.rules;
    let decoded = decode(path);
    if let Some(path) = aliases::expand(&rules.aliases, &decoded) {
        let found = match routed::outside_root_file(rules, "", &path) {
            Some(file) => Found::File(file),
            None => lookup(site, &path, decoded.ends_with('/')),
        };
        return Target::Site {
            path,
            fragment,
            found,
        };
    }
    let joined = join(page_rel, &decoded);
    if let Some(joined) = joined {
        let found = lookup(site, &joined, decoded.ends_with('/'));
        if let Found::File(p) = &found
            && starlight::is_unserved_file_link(rules, page_rel, p)
        {
            return Target::Site {
                path: joined,
                fragment,
                found: Found::Missing,
            };
        }
        if matches!(found, Found::File(_) | Found::DirIndex(_)) {
            return Target::Site {
                path: joined,
                fragment,
                found,
            };
        }
        if let Some(better) = convention_lookup(site, page_rel, &decoded, &joined) {
            return Target::Site {
                path: joined,
                fragment,
                found: better,
            };
        }
        if decoded.starts_with('/')
            && rules.convention_at(page_rel) == Convention::Github
            && let Some(repo) = &rules.repo
            && let Some(t) = repo.lookup_root(&decoded)
        {
            return t;
        }
        if found == Found::Missing
            && let Some(file) = starlight::generated(rules, page_rel, &joined)
        {
            return Target::Generated { path: joined, file };
        }
        // A hidden file or folder (`.github/PULL_REQUEST_TEMPLATE.md`) is in no site index, as
        // no generator publishes it, but it is a file of the repository that GitHub shows.
        if !decoded.starts_with('/')
            && joined.split('/').any(|s| s.starts_with('.'))
            && let Some(repo) = &rules.repo
            && let Some(t @ Target::Repo { exists: true, .. }) =
                repo.lookup(&rules.content_dir, page_rel, &decoded)
        {
            return t;
        }
        return Target::Site {
            path: joined,
            fragment,
            found,
        };
    }
    // The path climbs above the site root.
    if let Some(found) = routed::lookup(site, page_rel, &decoded) {
        return Target::Site {
            path: decoded.into_owned(),
            fragment,
            found,
        };
    }
    if let Some(path) = routed::outside_root_path(rules, page_rel, &decoded) {
        // Into the site around the content root, where no file is (an image of `src/assets/`
        // of a Starlight site checked from `src/content/docs/`).
        let found = Found::Missing;
        return Target::Site {
            path,
            fragment,
            found,
        };
    }
    if matches!(
        rules.convention_at(page_rel),
        Convention::Mdbook | Convention::Stepbook
    ) && let Some(t) = mdbook::sibling(rules, page_rel, &decoded)
    {
        return t;
    }
    if let Some(repo) = &rules.repo
        && let Some(t) = repo.lookup(&rules.content_dir, page_rel, &decoded)
    {
        return t;
    }
    Target::OutsideRoot(decoded.into_owned())
}

/// What the convention finds for a path that the GitHub view did not.
fn convention_lookup(
    site: &SiteIndex,
    page_rel: &str,
    decoded: &str,
    joined: &str,
) -> Option<Found> {
    match site.rules.convention_at(page_rel) {
        Convention::Mdbook | Convention::Stepbook => mdbook::lookup(site, joined),
        Convention::Docusaurus | Convention::Starlight | Convention::Mkdocs => {
            routed::lookup(site, page_rel, decoded)
        }
        Convention::Github => None,
    }
}

/// A route as the route table keys it: no leading or trailing `/`, no `index.html`.
pub fn route_key(route: &str) -> &str {
    let r = route.trim_matches('/');
    let r = r.strip_suffix("index.html").unwrap_or(r);
    r.trim_matches('/')
}

/// Joins a decoded relative path to the folder of `page_rel` and normalises `.` and `..`.
/// Returns `None` when the path climbs above the site root. A trailing `/` is kept.
pub fn join(page_rel: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    if !path.starts_with('/') {
        parts.extend(page_rel.split('/'));
        parts.pop();
    }
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if path.ends_with('/') && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

/// Index page names a folder serves, in order of preference (GitHub shows README; generators
/// serve index or README; letter case of README varies).
pub const INDEX_NAMES: &[&str] = &[
    "README.md",
    "index.md",
    "readme.md",
    "Readme.md",
    "README.markdown",
    "index.markdown",
    "index.mdx",
    "README.mdx",
];

/// The GitHub view: a file, a folder's index page, a folder, a case mismatch or nothing.
pub fn lookup(site: &SiteIndex, path: &str, trailing_slash: bool) -> Found {
    let bare = path.trim_end_matches('/');
    if !trailing_slash && site.contains(bare) {
        return Found::File(bare.to_string());
    }
    if site.is_dir(bare) {
        if let Some(index) = dir_index(site, bare) {
            return Found::DirIndex(index);
        }
        return Found::DirWithoutIndex;
    }
    let variants = site.case_variants(bare);
    if !variants.is_empty() {
        return Found::CaseMismatch(variants.into_iter().map(String::from).collect());
    }
    Found::Missing
}

/// The index page of folder `dir` (site path, no trailing `/`), if it has one.
pub fn dir_index(site: &SiteIndex, dir: &str) -> Option<String> {
    let prefix = if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    };
    INDEX_NAMES
        .iter()
        .map(|i| format!("{prefix}{i}"))
        .find(|c| site.contains(c))
}

/// What a convention expected at a missing link target, in its own terms, for broken-link's
/// message (`no chapter ch03-99.md for ch03-99.html`, or a whole predicate starting with
/// `is not`); `None` when the GitHub view's "does not exist" says it all.
pub fn expected(site: &SiteIndex, page_rel: &str, dest: &str) -> Option<String> {
    if let Some((nested, rest)) = site.rules.site_at(page_rel) {
        return expected(&nested.index, rest, dest);
    }
    let (path, _) = split_fragment(dest.trim());
    let decoded = decode(path);
    if decoded.contains('\u{FFFD}') && !path.contains('\u{FFFD}') {
        // Escapes that are not UTF-8: the decoded form means nothing to the reader.
        return None;
    }
    let rules = &site.rules;
    match rules.convention_at(page_rel) {
        Convention::Mdbook | Convention::Stepbook => mdbook::expected(page_rel, &decoded),
        Convention::Docusaurus => docusaurus::expected(rules, &decoded),
        Convention::Starlight => starlight::expected(rules, page_rel, &decoded),
        Convention::Mkdocs => mkdocs::expected(rules, &decoded),
        Convention::Github => None,
    }
}

/// The front-matter string value `key` of `page`, if any.
pub(crate) fn front_matter_str<'p>(page: &'p Page, key: &str) -> Option<&'p str> {
    page.front_matter.extra.get(key).and_then(|v| v.as_str())
}

/// `path` relative to `base` when below it, `/`-separated.
pub(crate) fn rel_under(base: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(base).ok()?;
    Some(
        rel.components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
    )
}

#[cfg(test)]
mod tests;

/// True for a page the generator reads as a partial, not a page of its own: under Starlight
/// (Astro's content collections) and Docusaurus, a file or folder whose name starts with `_`
/// (`_fragments/cta.mdx`, `_TypeScriptExamplesNote.md`), which other pages import. It is
/// checked, but not built nor listed in the sidebar.
pub fn is_partial(rules: &SiteRules, rel: &str) -> bool {
    let (convention, inner) = match rules.site_at(rel) {
        Some((site, inner)) => (site.rules().convention, inner),
        None => (rules.convention, rel),
    };
    matches!(convention, Convention::Starlight | Convention::Docusaurus)
        && inner.split('/').any(|part| part.starts_with('_'))
}
