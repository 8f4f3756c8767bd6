//! book.toml: mdBook's keys with mdBook's meanings (`[book]`, `[build]`, `[output.*]`,
//! `[preprocessor.*]`), plus stepbook's own `[check]` and `[[scopes]]` tables, which may also sit
//! under `[output.stepbook]` so that one file serves mdBook 0.5 too (SPEC.md, Configuration).
//!
//! The file is loaded strictly (unknown keys are errors naming key, file and line) and resolved
//! once into [`Settings`]; code after loading sees only settings.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use regex::Regex;
use serde::Deserialize;
use toml::de::{DeTable, DeValue};

use crate::diag::Level;
use crate::error::{ConfigProblem, Error, Result};
use crate::page::parse::DEFAULT_STEP_PATTERN;
use crate::source::Span;

#[cfg(test)]
mod tests;
mod text;

pub use text::{ConfigText, parse_config, parse_config_text};

/// The name of the configuration file at a project's root.
pub const CONFIG_FILE: &str = "book.toml";

/// book.toml as written.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawConfig {
    /// mdBook's `[book]`.
    pub book: BookTable,
    /// mdBook's `[build]`.
    pub build: BuildTable,
    /// mdBook's `[output.*]` tables: kept opaque, except `[output.stepbook]`.
    pub output: toml::Table,
    /// mdBook's `[preprocessor.*]` tables: kept opaque.
    pub preprocessor: toml::Table,
    /// mdBook's `[rust]` table: kept opaque.
    pub rust: toml::Table,
    /// stepbook's `[check]`.
    pub check: CheckTable,
    /// stepbook's `[[scopes]]` sources of truth.
    pub scopes: Vec<ScopeSource>,
}

/// mdBook's `[book]` table.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct BookTable {
    /// The site title.
    pub title: Option<String>,
    /// Authors, shown in the page footer.
    pub authors: Vec<String>,
    /// One-line description (meta description).
    pub description: Option<String>,
    /// The content root, relative to book.toml. When not given: `content/` if it exists, else
    /// mdBook's `src/` if it exists, else the folder of book.toml itself.
    pub src: Option<PathBuf>,
    /// The `lang` of the pages (default `en`).
    pub language: Option<String>,
    /// mdBook's `text-direction` (`ltr` or `rtl`).
    pub text_direction: Option<String>,
    /// mdBook's `multilingual` (accepted, unused).
    pub multilingual: Option<bool>,
}

/// mdBook's `[build]` table.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct BuildTable {
    /// Where the site is written, relative to book.toml (default `book`).
    pub build_dir: Option<PathBuf>,
    /// mdBook's `create-missing`: stepbook creates the missing files SUMMARY.md lists only when
    /// it is `true` (see [`crate::mdbook::create_missing`]).
    pub create_missing: Option<bool>,
    /// mdBook's `use-default-preprocessors`: `false` turns the `links` directives off unless a
    /// `[preprocessor.links]` table turns them on again.
    pub use_default_preprocessors: Option<bool>,
    /// Extra folders `serve` watches, relative to book.toml.
    pub extra_watch_dirs: Vec<PathBuf>,
    /// Images wider than this many pixels get resized derivatives (default 1600; see
    /// [`crate::images::derive`]).
    pub image_max_width: Option<u32>,
}

/// stepbook's `[check]` table.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct CheckTable {
    /// Level per rule id: `orphan-image = "allow"`.
    pub rules: BTreeMap<String, Level>,
    /// Regular expression for step headings; capture 1 is the number, capture 2 the title.
    pub step_pattern: Option<String>,
    /// Resource folders mounted at the site root, relative to book.toml (default `["res"]`).
    pub resources: Option<Vec<PathBuf>>,
    /// Folders outside the project folder (relative to book.toml, or absolute) that `src`,
    /// `resources` or the `templates/` folder may lie in, themselves or through a symbolic link.
    /// Nothing else outside the project is read as content or published.
    pub allow_outside: Vec<PathBuf>,
    /// Regular expressions; an http(s) URL that any of them matches (anywhere in the URL as
    /// written) is not checked by `external-link`.
    pub external_exclude: Vec<String>,
    /// The link convention: `"auto"` (default: detect from the files present), `github`,
    /// `stepbook`, `mdbook`, `docusaurus`, `starlight` or `mkdocs` (see [`crate::site`]).
    pub links: crate::site::LinksSetting,
    /// Where the site is published (`https://doc.rust-lang.org/book/`): with `external-roots`,
    /// maps `.html` links to sibling books to URLs that `--external` checks.
    pub site_url: Option<String>,
    /// Sibling sites reachable from `site-url`: URLs, or paths relative to it (`../reference/`).
    pub external_roots: Vec<String>,
    /// The limits `oversized-image` enforces.
    pub image_budget: ImageBudget,
}

/// `[check.image-budget]`: what a published image may weigh (`oversized-image`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct ImageBudget {
    /// Largest file size in bytes (default 1 MiB, 1048576).
    pub max_bytes: u64,
    /// Largest width in pixels (default 4000).
    pub max_width: u32,
    /// Largest height in pixels (default 4000; long full-page captures pass it).
    pub max_height: u32,
}

impl Default for ImageBudget {
    fn default() -> Self {
        ImageBudget {
            max_bytes: 1024 * 1024,
            max_width: 4000,
            max_height: 4000,
        }
    }
}

/// One `[[scopes]]` entry: a source of truth for the OAuth scopes a guide must list.
#[derive(Debug, Default, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct ScopeSource {
    /// The source's name ("LinkedIn Pages").
    pub name: String,
    /// Guides it governs: paths or globs relative to the content root.
    pub guides: Vec<String>,
    /// Heading text whose lists it governs (default: the whole guide).
    pub section: Option<String>,
    /// The scopes, inline.
    pub required: Option<Vec<String>>,
    /// A file in the repository holding the scopes, relative to book.toml.
    pub file: Option<PathBuf>,
    /// JSON pointer into a JSON or YAML `file` or `url` document.
    pub pointer: Option<String>,
    /// Regular expression with one capture over `file`; the capture is split on commas, spaces
    /// or `+`.
    pub pattern: Option<String>,
    /// A URL whose JSON document holds the scopes (fetched by `--refresh-sources`, cached).
    pub url: Option<String>,
}

/// stepbook's tables nested under `[output.stepbook]`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
struct NestedTables {
    optional: Option<bool>,
    command: Option<String>,
    check: Option<CheckTable>,
    scopes: Option<Vec<ScopeSource>>,
}

/// A resource folder and where it is mounted in the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceDir {
    /// The folder on disk.
    pub dir: PathBuf,
    /// Its address in the site, `/`-separated, no trailing slash (`res`).
    pub mount: String,
}

/// Resolved settings for one project: absolute paths, defaults applied.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The project folder: where book.toml is, or the folder given. Diagnostics print paths
    /// relative to it.
    pub root: PathBuf,
    /// The book.toml that was read, if any.
    pub config_path: Option<PathBuf>,
    /// Site title.
    pub title: String,
    /// Authors.
    pub authors: Vec<String>,
    /// Site description.
    pub description: Option<String>,
    /// Language code for `<html lang>`.
    pub language: String,
    /// The content root (Markdown pages).
    pub content_dir: PathBuf,
    /// The build dir.
    pub build_dir: PathBuf,
    /// Resource folders outside the content root, mounted at the site root.
    pub resource_dirs: Vec<ResourceDir>,
    /// Extra folders to watch in `serve`.
    pub extra_watch_dirs: Vec<PathBuf>,
    /// Levels set in `[check.rules]`.
    pub rule_levels: BTreeMap<String, Level>,
    /// Step heading pattern.
    pub step_pattern: Regex,
    /// `[[scopes]]` sources.
    pub scopes: Vec<ScopeSource>,
    /// `[check] external-exclude`: URLs `external-link` does not check.
    pub external_exclude: Vec<Regex>,
    /// mdBook's `create-missing`, only when book.toml sets it to `true` (mdBook's default is
    /// true; stepbook creates no file unless asked).
    pub create_missing: bool,
    /// Expand mdBook's `links` directives (`{{#include}}` …): only in a book (a book.toml is
    /// present), and not when `use-default-preprocessors = false` without a
    /// `[preprocessor.links]` table.
    pub links: bool,
    /// mdBook's `[output.html]` keys.
    pub html: crate::mdbook::html_config::HtmlOptions,
    /// External `[preprocessor.*]` tables, in the order they run.
    pub preprocessors: Vec<crate::mdbook::preprocessor::Preprocessor>,
    /// book.toml without stepbook's own tables, as JSON: the `config` external preprocessors
    /// receive.
    pub mdbook_config: serde_json::Value,
    /// `[check] links`.
    pub link_convention: crate::site::LinksSetting,
    /// `[check] site-url`.
    pub site_url: Option<String>,
    /// `[check] external-roots`.
    pub external_roots: Vec<String>,
    /// book.toml's text and where each key sits, for errors and findings in it.
    pub config: Option<Arc<ConfigText>>,
    /// `[check] allow-outside`, relative to the project folder as written.
    pub allow_outside: Vec<PathBuf>,
    /// `[build] image-max-width`: images wider than this (pixels) get derivatives.
    pub image_max_width: u32,
    /// `[check.image-budget]`.
    pub image_budget: ImageBudget,
}

impl Settings {
    /// Loads `dir/book.toml` when it exists and resolves settings; without one, `dir` is the
    /// content root and defaults apply (zero-config), and when `dir` is a generator site's
    /// docs folder ([`crate::site::owning_site`]) that site's root is the project folder.
    ///
    /// Errors: [`Error::Config`] naming file, line and key for malformed TOML or unknown keys;
    /// [`Error::Io`] when the file cannot be read.
    pub fn load(dir: &Path) -> Result<Settings> {
        let root = absolute(dir)?;
        let path = root.join(CONFIG_FILE);
        if !config_exists(&path)? {
            // A generator's docs folder (`docs/` of MkDocs, `src/content/docs/` of Starlight)
            // is the content of the site above it, which is the project.
            // Looked up without `.` and `..` (`src/content/../content/docs`), as `build` gives
            // the folder, so that `check` and `build` of one folder agree on its project.
            let docs = crate::lexical::normalize(&root);
            let (root, raw) = match crate::site::owning_site(&docs) {
                Some(site) => {
                    let mut raw = RawConfig::default();
                    raw.book.src = docs.strip_prefix(&site).ok().map(Path::to_path_buf);
                    (site, raw)
                }
                None => (root, RawConfig::default()),
            };
            let mut settings = Settings::resolve(root, None, raw);
            // No book.toml: the generator's config may name the site (MkDocs' site_name).
            if let Some(title) = crate::site::title::from_generator(&settings) {
                settings.title = title;
            }
            confine(&settings)?;
            return Ok(settings);
        }
        // Invalid UTF-8 is named with its line and column.
        let text = crate::project::read_text(&path)?;
        let (raw, config) = parse_config_text(&path, CONFIG_FILE, &text)?;
        let preprocessors = crate::mdbook::preprocessor::from_config(&as_table(&raw.preprocessor))
            .map_err(|message| {
                let span = config.key(&["preprocessor"]).unwrap_or_default();
                config.problem(span, message, None)
            })?;
        let mut mdbook_config: toml::Table = toml::from_str(&text).unwrap_or_default();
        mdbook_config.remove("check");
        mdbook_config.remove("scopes");
        if let Some(toml::Value::Table(output)) = mdbook_config.get_mut("output") {
            output.remove("stepbook");
        }
        let mut settings = Settings::resolve(root, Some(path), raw);
        settings.preprocessors = preprocessors;
        settings.mdbook_config = serde_json::to_value(&mdbook_config).unwrap_or_default();
        confine(&settings)?;
        settings.config = Some(Arc::new(config));
        Ok(settings)
    }

    fn resolve(root: PathBuf, config_path: Option<PathBuf>, raw: RawConfig) -> Settings {
        let has_config = config_path.is_some();
        let content_dir = match (&raw.book.src, has_config) {
            (Some(src), _) => root.join(src),
            (None, true) if root.join("content").is_dir() => root.join("content"),
            (None, true) if root.join("src").is_dir() => root.join("src"),
            // A book.toml beside the pages themselves (no content/ or src/ folder).
            (None, true) => root.clone(),
            (None, false) => root.clone(),
        };
        let build_dir = root.join(raw.build.build_dir.clone().unwrap_or_else(|| "book".into()));
        let resource_dirs = raw
            .check
            .resources
            .clone()
            .unwrap_or_else(|| vec![PathBuf::from("res")])
            .into_iter()
            .map(|d| root.join(d))
            .filter(|d| d.is_dir() && !d.starts_with(&content_dir))
            .map(|dir| ResourceDir {
                mount: dir
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "res".into()),
                dir,
            })
            .collect();
        let step_pattern = raw
            .check
            .step_pattern
            .as_deref()
            .and_then(|p| Regex::new(p).ok())
            .unwrap_or_else(|| Regex::new(DEFAULT_STEP_PATTERN).expect("default pattern"));
        let title = raw.book.title.clone().unwrap_or_else(|| {
            root.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "Documentation".into())
        });
        Settings {
            create_missing: raw.build.create_missing == Some(true),
            // mdBook's `links` preprocessor runs only in books: a plain folder (no book.toml)
            // keeps `{{#include}}` as text, as GitHub shows it.
            links: has_config
                && (raw.build.use_default_preprocessors != Some(false)
                    || raw.preprocessor.contains_key("links")),
            html: crate::mdbook::html_config::HtmlOptions::from_output(&as_table(&raw.output)),
            preprocessors: Vec::new(),
            mdbook_config: serde_json::Value::Null,
            title,
            authors: raw.book.authors,
            description: raw.book.description,
            language: raw.book.language.unwrap_or_else(|| "en".into()),
            content_dir,
            build_dir,
            resource_dirs,
            extra_watch_dirs: raw
                .build
                .extra_watch_dirs
                .iter()
                .map(|d| root.join(d))
                .collect(),
            image_max_width: raw
                .build
                .image_max_width
                .unwrap_or(crate::images::derive::DEFAULT_MAX_WIDTH),
            image_budget: raw.check.image_budget,
            rule_levels: raw.check.rules,
            step_pattern,
            scopes: raw.scopes,
            external_exclude: raw
                .check
                .external_exclude
                .iter()
                .filter_map(|p| Regex::new(p).ok())
                .collect(),
            link_convention: raw.check.links,
            site_url: raw.check.site_url.clone(),
            external_roots: raw.check.external_roots.clone(),
            allow_outside: raw.check.allow_outside.clone(),
            root,
            config_path,
            config: None,
        }
    }
}

impl Settings {
    /// Where `path` really is (symbolic links resolved), when that is outside the project
    /// folder and outside every `[check] allow-outside` folder; `None` when stepbook may read
    /// it. The one rule for everything book.toml names (content, resource and templates
    /// folders, `[[scopes]] file`): nothing from outside the project is read or published
    /// unless allowed.
    pub fn outside_project(&self, path: &Path) -> Option<PathBuf> {
        let real = crate::output::real_path;
        let at = real(&self.root.join(path));
        let inside = at.starts_with(real(&self.root))
            || self
                .allow_outside
                .iter()
                .any(|a| at.starts_with(real(&self.root.join(a))));
        (!inside).then_some(at)
    }
}

/// A table of book.toml that another module reads key by key (`[output.html]`,
/// `[preprocessor]`), as JSON values: TOML is read only here.
pub type Table = serde_json::Map<String, serde_json::Value>;

/// `table` as a [`Table`] (TOML dates become strings).
fn as_table(table: &toml::Table) -> Table {
    match serde_json::to_value(table) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => Table::new(),
    }
}

/// TOML `text` as a [`Table`], for tests of the modules that read one.
///
/// Errors: the TOML parser's message.
#[cfg(test)]
pub fn parse_table(text: &str) -> std::result::Result<Table, String> {
    let table: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
    Ok(as_table(&table))
}

/// `s` as a TOML basic string literal, quoted and escaped (TOML 1.0 §String), for writing
/// book.toml.
pub fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Refuses a content, resource or templates folder that lies outside the project folder, by its
/// own path or through a symbolic link, unless it lies in one of the `allowed` folders
/// (`[check] allow-outside`, relative to the project folder). Files inside the folders are
/// confined by the walk, which follows no symbolic link; this is the same rule for the folders
/// themselves (issue 8: a `res/` linked to an outside folder published a secret file).
///
/// Errors: [`Error::Invalid`] naming the folder, where it really is, and the key that allows it.
fn confine(settings: &Settings) -> Result<()> {
    let real = crate::output::real_path;
    let root = real(&settings.root);
    let shown = |p: &Path| {
        p.strip_prefix(&settings.root)
            .map(|r| r.display().to_string())
            .unwrap_or_else(|_| p.display().to_string())
    };
    let config = settings
        .config_path
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| CONFIG_FILE.to_string());
    let templates = settings.root.join(crate::render::templates::TEMPLATE_DIR);
    let folders = std::iter::once(("content folder", &settings.content_dir))
        .chain(
            settings
                .resource_dirs
                .iter()
                .map(|r| ("resource folder", &r.dir)),
        )
        .chain(std::iter::once(("templates folder", &templates)));
    for (what, dir) in folders {
        if !dir.exists() {
            continue;
        }
        let Some(at) = settings.outside_project(dir) else {
            continue;
        };
        let how = if crate::lexical::absolute(dir)
            .starts_with(crate::lexical::absolute(&settings.root))
        {
            format!("is {} through a symbolic link", at.display())
        } else {
            format!("is {}", at.display())
        };
        return Err(Error::Invalid(format!(
            "{what} {} {how}, outside the project folder {}; stepbook reads and publishes \
             nothing from outside the project unless `allow-outside` under [check] in {config} \
             names it (allow-outside = [\"{}\"])",
            shown(dir),
            root.display(),
            at.display()
        )));
    }
    Ok(())
}

/// Whether `path` (a book.toml) is there to be read: `false` when nothing is there.
///
/// Errors: something is there that is not a readable file: a folder, a symbolic link to nothing,
/// a device (mdBook would fail on it too; ignoring it would silently build with defaults).
fn config_exists(path: &Path) -> Result<bool> {
    let link = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(Error::io(path, e)),
    };
    let what = match std::fs::metadata(path) {
        Ok(m) if m.is_file() => return Ok(true),
        Ok(m) if m.is_dir() => "is a folder, not a file",
        Ok(_) => "is not a regular file",
        Err(_) if link.file_type().is_symlink() => {
            let target = std::fs::read_link(path)
                .map(|t| t.display().to_string())
                .unwrap_or_default();
            return Err(Error::Invalid(format!(
                "{}: is a symbolic link to {target}, which does not exist; fix or remove the link",
                path.display()
            )));
        }
        Err(e) => return Err(Error::io(path, e)),
    };
    Err(Error::Invalid(format!(
        "{}: {what}; stepbook reads its settings from a file named {CONFIG_FILE} (rename or \
         remove it to build without one)",
        path.display()
    )))
}

/// `dir` as an absolute path (without resolving symlinks).
pub fn absolute(dir: &Path) -> Result<PathBuf> {
    std::path::absolute(dir).map_err(|e| Error::io(dir, e))
}
