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
    /// content root and defaults apply (zero-config).
    ///
    /// Errors: [`Error::Config`] naming file, line and key for malformed TOML or unknown keys;
    /// [`Error::Io`] when the file cannot be read.
    pub fn load(dir: &Path) -> Result<Settings> {
        let root = absolute(dir)?;
        let path = root.join(CONFIG_FILE);
        if !config_exists(&path)? {
            let settings = Settings::resolve(root, None, RawConfig::default());
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

/// Parses book.toml text strictly, merging `[output.stepbook]` tables into the top level.
///
/// Errors: [`Error::ConfigAt`] with the span of the offending key or value.
pub fn parse_config(path: &Path, text: &str) -> Result<RawConfig> {
    let file = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| CONFIG_FILE.into());
    parse_config_text(path, &file, text).map(|(raw, _)| raw)
}

/// [`parse_config`], also returning the text with its key spans. `file` is how reports name
/// the file (`book.toml`).
pub fn parse_config_text(path: &Path, file: &str, text: &str) -> Result<(RawConfig, ConfigText)> {
    let blank = ConfigText {
        path: path.to_path_buf(),
        file: file.to_string(),
        text: Arc::from(text),
        keys: BTreeMap::new(),
        top_scopes: 0,
    };
    let doc = DeTable::parse(text).map_err(|e| {
        let span = e.span().map(Span::from).unwrap_or_default();
        blank.problem(span, e.message().trim().to_string(), None)
    })?;
    let mut config = blank;
    index_table(doc.get_ref(), &mut Vec::new(), &mut config.keys);
    config.top_scopes = doc
        .get_ref()
        .get("scopes")
        .and_then(|v| v.get_ref().as_array())
        .map_or(0, |a| a.len());
    let nested = doc
        .get_ref()
        .get("output")
        .and_then(|o| o.get_ref().as_table())
        .and_then(|o| o.get("stepbook"))
        .cloned();
    let mut raw = RawConfig::deserialize(toml::de::Deserializer::from(doc))
        .map_err(|e| config.serde_problem(&e))?;
    if let Some(nested) = nested {
        raw.output.remove("stepbook");
        let nested = NestedTables::deserialize(toml::de::ValueDeserializer::from(nested))
            .map_err(|e| config.serde_problem(&e))?;
        let _ = (nested.optional, nested.command);
        if let Some(check) = nested.check {
            raw.check = check;
        }
        if let Some(scopes) = nested.scopes {
            raw.scopes.extend(scopes);
        }
    }
    if let Some(p) = &raw.check.step_pattern {
        let span = config.value(&["check", "step-pattern"]).unwrap_or_default();
        match Regex::new(p) {
            Err(e) => {
                return Err(config.problem(
                    span,
                    format!("check.step-pattern is not a valid regular expression: {e}"),
                    None,
                ));
            }
            // Without capture 1 (the number) no heading is a step: every step rule would be off.
            Ok(re) if re.captures_len() < 2 => {
                return Err(config.problem(
                    span,
                    format!("check.step-pattern `{p}` has no capture group for the step number"),
                    Some(
                        "capture 1 is the step number and capture 2 the title: \
                         `^Step (\\d+): (.*)$`"
                            .into(),
                    ),
                ));
            }
            Ok(_) => {}
        }
    }
    for (i, p) in raw.check.external_exclude.iter().enumerate() {
        if let Err(e) = Regex::new(p) {
            let span = config
                .value(&["check", "external-exclude", &i.to_string()])
                .unwrap_or_default();
            let message =
                format!("check.external-exclude: `{p}` is not a valid regular expression: {e}");
            return Err(config.problem(span, message, None));
        }
    }
    Ok((raw, config))
}

/// book.toml's text and the span of every key and value in it, so that errors and findings in
/// it point at the line (toml's spanned document, [`DeTable`]).
#[derive(Debug, Clone)]
pub struct ConfigText {
    /// The file on disk.
    pub path: PathBuf,
    /// The file as reports name it (`book.toml`).
    pub file: String,
    /// Its text.
    pub text: Arc<str>,
    /// Key path (`check`, `rules`, `orphan-image`; array items by index) → (key, value) spans.
    keys: BTreeMap<Vec<String>, (Span, Span)>,
    /// How many `[[scopes]]` entries sit at the top level (the rest under `[output.stepbook]`).
    top_scopes: usize,
}

impl ConfigText {
    /// The span of the key at `path` (`["check", "rules", "orphan-image"]`), looked up at the
    /// top level and then under `[output.stepbook]`.
    pub fn key(&self, path: &[&str]) -> Option<Span> {
        self.lookup(path).map(|(k, _)| k)
    }

    /// The span of the value at `path`, as [`ConfigText::key`].
    pub fn value(&self, path: &[&str]) -> Option<Span> {
        self.lookup(path).map(|(_, v)| v)
    }

    /// The span of `key` (or, without one, of the whole entry) of the `index`-th `[[scopes]]`
    /// source, counting the top-level ones first, as settings list them.
    pub fn scope(&self, index: usize, key: Option<&str>) -> Option<Span> {
        let (prefix, i): (&[&str], usize) = if index < self.top_scopes {
            (&["scopes"], index)
        } else {
            (&["output", "stepbook", "scopes"], index - self.top_scopes)
        };
        let i = i.to_string();
        let mut path: Vec<&str> = prefix.to_vec();
        path.push(&i);
        match key {
            Some(k) => {
                path.push(k);
                self.exact(&path).map(|(k, v)| Span::new(k.start, v.end))
            }
            None => self.exact(&path).map(|(_, v)| v),
        }
    }

    fn exact(&self, path: &[&str]) -> Option<(Span, Span)> {
        let key: Vec<String> = path.iter().map(|s| s.to_string()).collect();
        self.keys.get(&key).copied()
    }

    fn lookup(&self, path: &[&str]) -> Option<(Span, Span)> {
        self.exact(path).or_else(|| {
            let mut nested = vec!["output", "stepbook"];
            nested.extend_from_slice(path);
            self.exact(&nested)
        })
    }

    /// The table that holds the key at `span`, for messages: `[book]`, `[output.stepbook.check]`.
    fn table_of(&self, span: Span) -> Option<String> {
        let (path, _) = self.keys.iter().find(|(_, (k, _))| *k == span)?;
        let table: Vec<&str> = path[..path.len() - 1]
            .iter()
            .filter(|s| !s.bytes().all(|b| b.is_ascii_digit()))
            .map(String::as_str)
            .collect();
        Some(if table.is_empty() {
            "the top level".to_string()
        } else {
            format!("[{}]", table.join("."))
        })
    }

    /// The dotted key whose value sits at `span` (`check.rules.orphan-image`).
    fn key_of_value(&self, span: Span) -> Option<String> {
        let (path, _) = self.keys.iter().find(|(_, (_, v))| *v == span)?;
        Some(path.join("."))
    }

    /// An error at `span` of this file.
    pub fn problem(&self, span: Span, message: String, help: Option<String>) -> Error {
        Error::ConfigAt(Box::new(ConfigProblem {
            path: self.path.clone(),
            file: self.file.clone(),
            text: self.text.clone(),
            span,
            message,
            help,
        }))
    }

    /// A serde error from deserializing this file, reworded: "unknown key `titel` in [book]"
    /// with "did you mean `title`?", "unknown value `loud`" with the values it may take.
    fn serde_problem(&self, e: &toml::de::Error) -> Error {
        let span = e.span().map(Span::from).unwrap_or_default();
        let message = e.message().trim();
        let (message, help) = match reword(message) {
            Some((what, word, expected)) => {
                let place = if what == "key" {
                    self.table_of(span)
                        .map(|t| format!(" in {t}"))
                        .unwrap_or_default()
                } else {
                    self.key_of_value(span)
                        .map(|k| format!(" for `{k}`"))
                        .unwrap_or_default()
                };
                let close = crate::suggest::closest(
                    word,
                    expected.iter().copied(),
                    crate::suggest::budget(word),
                );
                let help = match close {
                    Some(c) => Some(format!("did you mean `{c}`?")),
                    None if expected.is_empty() => None,
                    None => Some(format!(
                        "expected {}",
                        expected
                            .iter()
                            .map(|e| format!("`{e}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                };
                (format!("unknown {what} `{word}`{place}"), help)
            }
            None => (message.to_string(), None),
        };
        self.problem(span, message, help)
    }
}

/// Splits serde's "unknown field `x`, expected one of `a`, `b`" (or "unknown variant …",
/// "expected `a` or `b`", "there are no fields") into ("key" or "value", the word, expected).
fn reword(message: &str) -> Option<(&'static str, &str, Vec<&str>)> {
    let (what, rest) = if let Some(rest) = message.strip_prefix("unknown field `") {
        ("key", rest)
    } else if let Some(rest) = message.strip_prefix("unknown variant `") {
        ("value", rest)
    } else {
        return None;
    };
    let (word, tail) = rest.split_once('`')?;
    let expected = tail.split('`').skip(1).step_by(2).collect();
    Some((what, word, expected))
}

/// Records the key and value span of every entry below `table` (arrays by index).
fn index_table(
    table: &DeTable<'_>,
    path: &mut Vec<String>,
    out: &mut BTreeMap<Vec<String>, (Span, Span)>,
) {
    for (key, value) in table.iter() {
        path.push(key.get_ref().to_string());
        let key_span = Span::from(key.span());
        out.insert(path.clone(), (key_span, Span::from(value.span())));
        index_value(value.get_ref(), key_span, path, out);
        path.pop();
    }
}

fn index_value(
    value: &DeValue<'_>,
    key_span: Span,
    path: &mut Vec<String>,
    out: &mut BTreeMap<Vec<String>, (Span, Span)>,
) {
    match value {
        DeValue::Table(t) => index_table(t, path, out),
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(i.to_string());
                let span = Span::from(item.span());
                out.insert(path.clone(), (key_span, span));
                index_value(item.get_ref(), key_span, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// `dir` as an absolute path (without resolving symlinks).
pub fn absolute(dir: &Path) -> Result<PathBuf> {
    std::path::absolute(dir).map_err(|e| Error::io(dir, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mdbook_keys_load() {
        let raw = parse_config(
            Path::new("book.toml"),
            "[book]\ntitle = \"T\"\nauthors = [\"A\"]\nsrc = \"content\"\nlanguage = \"en\"\n\n[build]\nbuild-dir = \"out\"\n\n[output.html]\nmathjax-support = true\n\n[preprocessor.links]\n",
        )
        .unwrap();
        assert_eq!(raw.book.title.as_deref(), Some("T"));
        assert_eq!(raw.build.build_dir, Some(PathBuf::from("out")));
    }

    #[test]
    fn unknown_key_names_key_file_and_line() {
        let err = parse_config(
            Path::new("book.toml"),
            "[book]\ntitle = \"T\"\ntitel = \"x\"\n",
        )
        .unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("book.toml:3:1:"), "{msg}");
        assert!(msg.contains("titel"), "{msg}");
    }

    #[test]
    fn step_pattern_without_a_capture_group_is_refused_at_its_line() {
        let err = parse_config(
            Path::new("book.toml"),
            "[book]\ntitle = \"T\"\n\n[check]\nstep-pattern = \"x\"\n",
        )
        .unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("book.toml:5:"), "{msg}");
        assert!(msg.contains("has no capture group"), "{msg}");
        let ok = "[check]\nstep-pattern = \"^Stage (\\\\d+): (.*)$\"\n";
        assert!(parse_config(Path::new("book.toml"), ok).is_ok());
    }

    /// Issue 8: a book.toml that is a folder was silently ignored; invalid UTF-8 had no line.
    #[test]
    fn book_toml_folder_and_invalid_utf8_are_errors_with_a_place() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("book.toml")).unwrap();
        let err = Settings::load(dir.path()).unwrap_err().to_string();
        assert!(
            err.ends_with(
                "book.toml: is a folder, not a file; stepbook reads its settings from a file \
                 named book.toml (rename or remove it to build without one)"
            ),
            "{err}"
        );
        std::fs::remove_dir(dir.path().join("book.toml")).unwrap();
        std::fs::write(
            dir.path().join("book.toml"),
            b"[book]\ntitle = \"caf\xe9\"\n",
        )
        .unwrap();
        let err = Settings::load(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains("book.toml:2:13: not UTF-8 text (byte 0xE9)"),
            "{err}"
        );
    }

    #[test]
    fn nested_output_stepbook_tables() {
        let raw = parse_config(
            Path::new("book.toml"),
            "[output.stepbook]\noptional = true\n\n[output.stepbook.check.rules]\norphan-image = \"allow\"\n\n[[output.stepbook.scopes]]\nname = \"LinkedIn Ads\"\nguides = [\"CREDENTIALS.md\"]\nrequired = [\"r_ads\"]\n",
        )
        .unwrap();
        assert_eq!(raw.check.rules.get("orphan-image"), Some(&Level::Allow));
        assert_eq!(raw.scopes[0].name, "LinkedIn Ads");
        let err = parse_config(
            Path::new("book.toml"),
            "[output.stepbook]\noptional = true\nbogus = 1\n",
        )
        .unwrap_err();
        assert!(err.to_string().starts_with("book.toml:3:"), "{err}");
    }

    #[test]
    fn spans_of_keys_values_and_scope_sources() {
        let text = "[check.rules]\norphan-image = \"allow\"\n\n[[scopes]]\nname = \"A\"\nrequired = [\"x\"]\n\n[output.stepbook]\n[[output.stepbook.scopes]]\nname = \"B\"\nfile = \"s.json\"\n";
        let (raw, config) = parse_config_text(Path::new("book.toml"), "book.toml", text).unwrap();
        assert_eq!(raw.scopes.len(), 2);
        let at = |span: Option<Span>| span.map(|s| &text[s.start..s.end]);
        assert_eq!(
            at(config.key(&["check", "rules", "orphan-image"])),
            Some("orphan-image")
        );
        assert_eq!(
            at(config.value(&["check", "rules", "orphan-image"])),
            Some("\"allow\"")
        );
        assert_eq!(at(config.scope(0, Some("name"))), Some("name = \"A\""));
        // The second source sits under [output.stepbook]: settings count it after the first.
        assert_eq!(at(config.scope(1, Some("file"))), Some("file = \"s.json\""));
    }

    #[test]
    fn serde_errors_are_reworded_with_did_you_mean() {
        let err =
            parse_config(Path::new("book.toml"), "[build]\nbuild-dri = \"out\"\n").unwrap_err();
        let Error::ConfigAt(p) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(p.message, "unknown key `build-dri` in [build]");
        assert_eq!(p.help.as_deref(), Some("did you mean `build-dir`?"));
        assert_eq!(&p.text[p.span.start..p.span.end], "build-dri");
        let err = parse_config(
            Path::new("book.toml"),
            "[check.rules]\nbroken-link = \"eror\"\n",
        )
        .unwrap_err();
        let Error::ConfigAt(p) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(
            p.message,
            "unknown value `eror` for `check.rules.broken-link`"
        );
        assert_eq!(p.help.as_deref(), Some("did you mean `error`?"));
        assert!(
            err.to_string().starts_with("book.toml:2:15: unknown value"),
            "{err}"
        );
    }
}
