//! Scope lists: the sources of truth declared in `[[scopes]]` (book.toml, or under
//! `[output.stepbook]`), resolved once before a check run, and the comparison of each scope list
//! in a guide with the sources that govern it (SPEC.md, Scope lists; issue 4).
//!
//! - [`ResolvedSources::load`] reads inline, `file` and cached `url` sources. It never touches
//!   the network: a `url` source without a cached copy is marked unavailable, and the
//!   scope-source-uncached rule says which command fetches it.
//! - [`refresh_sources`] fetches every `url` source into `.stepbook-cache/scopes/`
//!   (`stepbook check --refresh-sources`).
//! - [`ResolvedSources::analyze`] finds a page's scope lists ([`extract`]) and compares each
//!   with the union of the scopes of the sources that govern it; the scope-* rules report what
//!   it finds.

pub mod extract;
pub mod fetch;
pub mod registry;
pub mod source;

use std::collections::BTreeMap;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use regex::Regex;

use crate::config::{ScopeSource, Settings};
use crate::error::{Error, Result};
use crate::page::Page;
use crate::project::Project;
use crate::source::{LineIndex, Span};

pub use extract::{ScopeItem, ScopeList, Shape};
pub use registry::{Registry, Retired};

/// The command that fills the cache of `url` sources.
pub const REFRESH_COMMAND: &str = "stepbook check --refresh-sources";

/// Where a source's scopes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// `required = [...]` in book.toml.
    Inline,
    /// `file = "…"` with a pointer or pattern: the path as written in book.toml.
    File(String),
    /// `url = "…"`, read from the cache.
    Url(String),
}

/// One `[[scopes]]` source, resolved.
#[derive(Debug, Clone)]
pub struct ResolvedSource {
    /// The source's name ("LinkedIn Pages").
    pub name: String,
    /// The heading text whose lists it governs; `None` for the whole guide.
    pub section: Option<String>,
    /// The scopes it requires, in order without repeats; `None` for a `url` source with no
    /// cached copy.
    pub scopes: Option<Vec<String>>,
    /// Where the scopes come from.
    pub origin: Origin,
    /// The configuration file that declares it, relative to the project root (`book.toml`).
    pub declared_in: String,
    /// Byte span of the source's `name = "…"` in that file, when found.
    pub declared_at: Option<Span>,
    /// The `guides` patterns as written.
    pub guide_patterns: Vec<String>,
    guides: GlobSet,
    /// The `guides` entries that are plain paths (no glob characters), without `./`.
    literal_guides: Vec<String>,
}

impl ResolvedSource {
    /// Where the scopes were read, for messages: `declared in book.toml`,
    /// `read from connector/scopes.js (declared in book.toml)`.
    /// Files are named by `shown` (from the current directory, as findings name files).
    pub fn provenance(&self, shown: &crate::site::Shown) -> String {
        let declared = shown.root_file(&self.declared_in);
        match &self.origin {
            Origin::Inline => format!("declared in {declared}"),
            Origin::File(f) => format!("read from {}, declared in {declared}", shown.root_file(f)),
            Origin::Url(u) => format!("fetched from {u}, declared in {declared}"),
        }
    }

    /// True when `page` is one of the guides this source names (by glob).
    pub fn names_guide(&self, rel: &str) -> bool {
        self.guides.is_match(rel)
    }

    /// True when a `guides` entry is the plain path `rel` (no glob characters): the guide is
    /// named on its own, so it must hold a scope list. A guide only matched by a glob
    /// (`**/*.md`) need not: the glob means "wherever these scopes are listed".
    pub fn names_guide_literally(&self, rel: &str) -> bool {
        self.literal_guides.iter().any(|g| g == rel)
    }
}

/// True when a `guides` entry has no glob characters.
fn is_literal(pattern: &str) -> bool {
    !pattern.contains(['*', '?', '[', ']', '{', '}'])
}

/// The scope sources of a project, loaded once per run.
#[derive(Debug, Clone, Default)]
pub struct ResolvedSources {
    /// Every source, in book.toml order.
    pub sources: Vec<ResolvedSource>,
}

/// A scope list compared with the sources that govern it.
#[derive(Debug, Clone)]
pub struct ListReport {
    /// The list.
    pub list: ScopeList,
    /// Indices into [`ResolvedSources::sources`] of the sources governing it.
    pub sources: Vec<usize>,
    /// Scopes the sources require that the list lacks, each with the sources requiring it.
    pub missing: Vec<(String, Vec<usize>)>,
    /// Items no governing source lists (and that are not retired). Empty when a governing
    /// source is unavailable, because the expected set is then unknown.
    pub unexpected: Vec<ScopeItem>,
    /// Items that are retired scopes.
    pub retired: Vec<(ScopeItem, &'static Retired)>,
}

impl ListReport {
    /// The unexpected scopes of the list, without repeats, each with the missing scope it
    /// stands in for, if any: `read` listed where `adsread` is required. Each pairs with the
    /// most [similar](similar_scopes) missing scope not yet taken; an unexpected scope like no
    /// missing one (`w_member_social` where `r_ads_reporting` is required) pairs with none,
    /// since the list may simply have one scope too many and one too few.
    pub fn stand_ins(&self) -> Vec<(&str, Option<&str>)> {
        let mut extra: Vec<&str> = Vec::new();
        for it in &self.unexpected {
            if !extra.contains(&it.scope.as_str()) {
                extra.push(&it.scope);
            }
        }
        let missing: Vec<&str> = self.missing.iter().map(|(s, _)| s.as_str()).collect();
        let mut taken = vec![false; missing.len()];
        extra
            .into_iter()
            .map(|e| {
                let best = missing
                    .iter()
                    .enumerate()
                    .filter(|(j, m)| !taken[*j] && similar_scopes(e, m))
                    .map(|(j, m)| (crate::suggest::similarity(e, m), j))
                    .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
                match best {
                    Some((_, j)) => {
                        taken[j] = true;
                        (e, Some(missing[j]))
                    }
                    None => (e, None),
                }
            })
            .collect()
    }
}

/// True when scope `a` looks like a slip for `b` (or the other way round): one contains the
/// other (`read`, `adsread`), or they are close by Jaro-Winkler (at least 0.8) or normalized
/// Levenshtein similarity (at least 0.6), via [`crate::suggest`].
pub fn similar_scopes(a: &str, b: &str) -> bool {
    let (a, b) = (a.to_lowercase(), b.to_lowercase());
    a.contains(&b)
        || b.contains(&a)
        || crate::suggest::prefix_similarity(&a, &b) >= 0.8
        || crate::suggest::similarity(&a, &b) >= 0.6
}

/// A governing source the page cannot be compared with: its section is not in the page, or
/// the page has no scope list for it.
#[derive(Debug, Clone)]
pub struct Uncovered {
    /// Index into [`ResolvedSources::sources`].
    pub source: usize,
    /// True when the source names a section the page does not have.
    pub section_missing: bool,
    /// True when the source names this page (front matter, or a plain path in `guides`);
    /// false when only a glob matches it.
    pub by_name: bool,
}

/// What [`ResolvedSources::analyze`] finds in one page.
#[derive(Debug, Clone, Default)]
pub struct PageScopes {
    /// Each scope list found, compared.
    pub lists: Vec<ListReport>,
    /// Governing sources (with scopes) for which the page has no scope list.
    pub uncovered: Vec<Uncovered>,
    /// Names in the page's front matter `scopes:` that no `[[scopes]]` entry declares.
    pub unknown_names: Vec<String>,
}

impl ResolvedSources {
    /// Resolves every `[[scopes]]` entry of `project`: inline lists as they are, `file` sources
    /// read from disk (relative to the project root) through their pointer or pattern, `url`
    /// sources from the cache only.
    ///
    /// Errors ([`Error::Config`], naming book.toml, the line of the source and its name): a
    /// source with none or several of `required`/`file`/`url`, an invalid guide glob, a missing
    /// or unreadable file, malformed JSON or YAML, a pointer or pattern that matches nothing, an
    /// invalid pattern, or a damaged cache file.
    pub fn load(project: &Project) -> Result<ResolvedSources> {
        let settings = &project.settings;
        if settings.scopes.is_empty() {
            return Ok(ResolvedSources::default());
        }
        let ctx = ConfigCtx::new(settings);
        let mut sources = Vec::new();
        for s in &settings.scopes {
            sources.push(ctx.resolve(s)?);
        }
        Ok(ResolvedSources { sources })
    }

    /// True when no source is declared.
    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }

    /// The registry of retired scopes.
    pub fn registry(&self) -> &'static Registry {
        Registry::builtin()
    }

    /// True when a source lists `scope` or the registry knows it.
    pub fn knows(&self, scope: &str) -> bool {
        self.sources.iter().any(|s| {
            s.scopes
                .as_ref()
                .is_some_and(|v| v.iter().any(|x| x == scope))
        }) || self.registry().knows(scope)
    }

    /// Indices of the sources that govern `page`: those whose `guides` match its path, and
    /// those its front matter names.
    pub fn governing(&self, page: &Page) -> Vec<usize> {
        self.sources
            .iter()
            .enumerate()
            .filter(|(_, s)| s.names_guide(&page.rel) || page.front_matter.scopes.contains(&s.name))
            .map(|(i, _)| i)
            .collect()
    }

    /// True when source `i` governs `page` by name: its front matter names the source, or a
    /// `guides` entry is the page's plain path. A page governed only through a glob is not
    /// expected to hold a scope list of its own.
    pub fn governs_by_name(&self, i: usize, page: &Page) -> bool {
        let s = &self.sources[i];
        s.names_guide_literally(&page.rel) || page.front_matter.scopes.contains(&s.name)
    }

    /// Finds the scope lists of `page` and compares each with the union of the scopes of the
    /// sources that govern it (those of the page whose section, if any, contains the list).
    pub fn analyze(&self, page: &Page) -> PageScopes {
        let registry = self.registry();
        let known = |s: &str| self.knows(s);
        let lists = extract::scope_lists(page, &known);
        let governing = self.governing(page);
        let mut out = PageScopes {
            unknown_names: page
                .front_matter
                .scopes
                .iter()
                .filter(|n| !self.sources.iter().any(|s| &s.name == *n))
                .cloned()
                .collect(),
            ..PageScopes::default()
        };
        let mut covered = vec![false; self.sources.len()];
        for list in lists {
            let sources: Vec<usize> = governing
                .iter()
                .copied()
                .filter(|&i| in_section(page, list.heading, self.sources[i].section.as_deref()))
                .collect();
            for &i in &sources {
                covered[i] = true;
            }
            let found = list.scopes();
            let mut expected: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
            let mut order: Vec<&str> = Vec::new();
            let mut all_available = true;
            for &i in &sources {
                match &self.sources[i].scopes {
                    Some(v) => {
                        for s in v {
                            let e = expected.entry(s.as_str()).or_default();
                            if e.is_empty() {
                                order.push(s);
                            }
                            e.push(i);
                        }
                    }
                    None => all_available = false,
                }
            }
            let missing = order
                .iter()
                .filter(|s| !found.contains(s))
                .map(|s| (s.to_string(), expected[s].clone()))
                .collect();
            let retired: Vec<(ScopeItem, &'static Retired)> = list
                .items
                .iter()
                .filter_map(|it| registry.get(&it.scope).map(|r| (it.clone(), r)))
                .collect();
            let unexpected = if sources.is_empty() || !all_available {
                Vec::new()
            } else {
                list.items
                    .iter()
                    .filter(|it| !expected.contains_key(it.scope.as_str()))
                    .filter(|it| registry.get(&it.scope).is_none())
                    .cloned()
                    .collect()
            };
            out.lists.push(ListReport {
                list,
                sources,
                missing,
                unexpected,
                retired,
            });
        }
        for &i in &governing {
            let s = &self.sources[i];
            if covered[i] || s.scopes.is_none() {
                continue;
            }
            let section_missing = s
                .section
                .as_deref()
                .is_some_and(|sec| !page.headings.iter().any(|h| same_heading(&h.text, sec)));
            out.uncovered.push(Uncovered {
                source: i,
                section_missing,
                by_name: self.governs_by_name(i, page),
            });
        }
        out
    }
}

/// True when a list under heading `heading` lies in the section titled `section` (or `section`
/// is `None`): that heading or one of its ancestors has that text. A section runs until the
/// next heading of the same or a higher level.
pub fn in_section(page: &Page, heading: Option<usize>, section: Option<&str>) -> bool {
    let Some(section) = section else { return true };
    let Some(mut h) = heading else { return false };
    let mut level = page.headings[h].level;
    if same_heading(&page.headings[h].text, section) {
        return true;
    }
    while h > 0 {
        h -= 1;
        let hd = &page.headings[h];
        if hd.level < level {
            if same_heading(&hd.text, section) {
                return true;
            }
            level = hd.level;
        }
    }
    false
}

/// Heading texts compared loosely: case, punctuation, emoji and extra spaces ignored.
pub fn same_heading(a: &str, b: &str) -> bool {
    fn norm(s: &str) -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric() || c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }
    norm(a) == norm(b)
}

/// Fetches every `url` source of `project` and refreshes the on-disk cache
/// (`stepbook check --refresh-sources`). A source answered with 304 Not Modified keeps its
/// cached copy; a new body is checked (JSON, pointer or pattern) before it replaces the cache.
///
/// Errors ([`Error::Config`] naming book.toml, the source and its URL): connection failures,
/// HTTP errors such as 404, malformed JSON, a pointer or pattern that matches nothing, or a
/// cache that cannot be written. Sources before the failing one stay refreshed.
pub fn refresh_sources(project: &Project) -> Result<()> {
    let settings = &project.settings;
    let ctx = ConfigCtx::new(settings);
    for s in &settings.scopes {
        let Some(url) = &s.url else { continue };
        ctx.check_shape(s)?;
        let fail = |msg: String| ctx.error(s, format!("url {url}: {msg}"));
        let cached = fetch::read_cache(&settings.root, url).map_err(&fail)?;
        let validate = |body: &str| scopes_from_text(body, url, s).map(|_| ());
        let (entry, how) = fetch::fetch(url, cached.as_ref(), validate).map_err(&fail)?;
        if how == fetch::Refreshed::Fetched {
            fetch::write_cache(&settings.root, &entry).map_err(&fail)?;
        }
    }
    Ok(())
}

/// The scopes in a document's text, through the source's pattern or pointer (JSON unless the
/// name ends in `.yaml`/`.yml`; no pointer means the whole document).
fn scopes_from_text(text: &str, name: &str, s: &ScopeSource) -> Result<Vec<String>, String> {
    if let Some(pattern) = &s.pattern {
        return source::scopes_by_pattern(text, pattern);
    }
    let doc = source::parse_document(text, source::Format::from_name(name))?;
    source::scopes_at(&doc, s.pointer.as_deref().unwrap_or(""))
}

/// book.toml's path and text, for locating sources in error messages.
struct ConfigCtx<'a> {
    settings: &'a Settings,
    rel: String,
    text: String,
}

impl<'a> ConfigCtx<'a> {
    fn new(settings: &'a Settings) -> Self {
        let path = settings
            .config_path
            .clone()
            .unwrap_or_else(|| settings.root.join(crate::config::CONFIG_FILE));
        let rel = path
            .strip_prefix(&settings.root)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        let text = crate::project::read_regular_string(&path).unwrap_or_default();
        ConfigCtx {
            settings,
            rel,
            text,
        }
    }

    /// Byte span of `name = "NAME"` of source `s` in book.toml (of key `key` when given and
    /// present), from the spans read with the file; a text search when there are none.
    fn locate_key(&self, s: &ScopeSource, key: Option<&str>) -> Option<Span> {
        if let Some(config) = &self.settings.config {
            let index = self.settings.scopes.iter().position(|x| std::ptr::eq(x, s));
            if let Some(i) = index {
                return key
                    .and_then(|k| config.scope(i, Some(k)))
                    .or_else(|| config.scope(i, Some("name")))
                    .or_else(|| config.scope(i, None));
            }
        }
        let re = Regex::new(&format!(
            r#"(?m)^\s*name\s*=\s*["']{}["']"#,
            regex::escape(&s.name)
        ))
        .ok()?;
        re.find(&self.text).map(|m| {
            let start = m.start() + (m.as_str().len() - m.as_str().trim_start().len());
            Span::new(start, m.end())
        })
    }

    /// Byte span of `name = "NAME"` of source `s` in book.toml.
    fn locate(&self, s: &ScopeSource) -> Option<Span> {
        self.locate_key(s, None)
    }

    fn error(&self, s: &ScopeSource, message: String) -> Error {
        self.error_at(s, None, message)
    }

    /// An error about source `s`, pointing at its `key` (`file`, `url`, `guides`) when given.
    fn error_at(&self, s: &ScopeSource, key: Option<&str>, message: String) -> Error {
        let message = format!("[[scopes]] source \"{}\": {message}", s.name);
        if let Some(config) = &self.settings.config {
            let span = self.locate_key(s, key).unwrap_or_default();
            return config.problem(span, message, None);
        }
        let path = self
            .settings
            .config_path
            .clone()
            .unwrap_or_else(|| self.settings.root.join(crate::config::CONFIG_FILE));
        let (line, column) = match self.locate(s) {
            Some(span) => {
                let lc = LineIndex::new(&self.text).line_col(&self.text, span.start);
                (lc.line, lc.column)
            }
            None => (1, 1),
        };
        Error::Config {
            path,
            line,
            column,
            message,
        }
    }

    /// Checks that `s` names exactly one place for its scopes, with keys that fit it.
    fn check_shape(&self, s: &ScopeSource) -> Result<()> {
        if s.name.trim().is_empty() {
            return Err(self.error(s, "`name` is missing or empty".into()));
        }
        let n = usize::from(s.required.is_some())
            + usize::from(s.file.is_some())
            + usize::from(s.url.is_some());
        if n != 1 {
            return Err(self.error(
                s,
                "give exactly one of `required`, `file` or `url` for the scopes".into(),
            ));
        }
        if s.pointer.is_some() && s.pattern.is_some() {
            return Err(self.error(s, "give `pointer` or `pattern`, not both".into()));
        }
        if s.required.is_some() && (s.pointer.is_some() || s.pattern.is_some()) {
            return Err(self.error(
                s,
                "`pointer` and `pattern` apply to `file` or `url`, not to `required`".into(),
            ));
        }
        Ok(())
    }

    fn resolve(&self, s: &ScopeSource) -> Result<ResolvedSource> {
        self.check_shape(s)?;
        let mut builder = GlobSetBuilder::new();
        for g in &s.guides {
            let g = g.trim_start_matches("./");
            let glob = GlobBuilder::new(g)
                .literal_separator(true)
                .build()
                .map_err(|e| {
                    self.error_at(
                        s,
                        Some("guides"),
                        format!("guide pattern `{g}` is not a valid glob: {e}"),
                    )
                })?;
            builder.add(glob);
        }
        let guides = builder
            .build()
            .map_err(|e| self.error(s, format!("guide patterns: {e}")))?;
        let (origin, scopes) = if let Some(req) = &s.required {
            let scopes = source::dedup(req.iter().flat_map(|r| source::split_scopes(r)).collect());
            (Origin::Inline, Some(scopes))
        } else if let Some(file) = &s.file {
            let shown = file.to_string_lossy().replace('\\', "/");
            let path = self.settings.root.join(file);
            if let Some(at) = self.settings.outside_project(&path) {
                return Err(self.error_at(
                    s,
                    Some("file"),
                    format!(
                        "file {shown} is {}, outside the project folder; stepbook reads nothing \
                         from outside the project unless `allow-outside` under [check] names it \
                         (allow-outside = [\"{}\"])",
                        at.display(),
                        at.parent().unwrap_or(&at).display()
                    ),
                ));
            }
            let text = crate::project::read_regular_string(&path).map_err(|e| {
                self.error_at(
                    s,
                    Some("file"),
                    format!("cannot read file {}: {e}", path.display()),
                )
            })?;
            let how = if s.pattern.is_some() {
                "pattern"
            } else {
                "file"
            };
            let scopes = scopes_from_text(&text, &shown, s)
                .map_err(|e| self.error_at(s, Some(how), format!("file {shown}: {e}")))?;
            (Origin::File(shown), Some(scopes))
        } else {
            let url = s.url.clone().unwrap_or_default();
            let cached = fetch::read_cache(&self.settings.root, &url)
                .map_err(|e| self.error_at(s, Some("url"), format!("url {url}: {e}")))?;
            let scopes = match cached {
                Some(entry) => Some(scopes_from_text(&entry.body, &url, s).map_err(|e| {
                    self.error(
                        s,
                        format!(
                            "url {url}: the cached copy is unusable ({e}); run `{REFRESH_COMMAND}`"
                        ),
                    )
                })?),
                None => None,
            };
            (Origin::Url(url), scopes)
        };
        Ok(ResolvedSource {
            name: s.name.clone(),
            section: s.section.clone(),
            scopes,
            origin,
            declared_in: self.rel.clone(),
            declared_at: self.locate(s),
            guide_patterns: s.guides.clone(),
            guides,
            literal_guides: s
                .guides
                .iter()
                .map(|g| g.trim_start_matches("./"))
                .filter(|g| is_literal(g))
                .map(str::to_string)
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(missing: &[&str], unexpected: &[&str]) -> ListReport {
        let item = |s: &&str| ScopeItem {
            scope: s.to_string(),
            span: Span::default(),
        };
        ListReport {
            list: ScopeList {
                shape: Shape::List,
                span: Span::default(),
                first_line: Span::default(),
                items: unexpected.iter().map(item).collect(),
                heading: None,
                in_accidental_code: false,
            },
            sources: vec![0],
            missing: missing.iter().map(|m| (m.to_string(), vec![0])).collect(),
            unexpected: unexpected.iter().map(item).collect(),
            retired: Vec::new(),
        }
    }

    #[test]
    fn stand_ins_pair_unexpected_with_missing_scopes() {
        assert_eq!(
            report(&["adsread"], &["read"]).stand_ins(),
            [("read", Some("adsread"))]
        );
        assert_eq!(
            report(&["r_ads_reporting", "rw_ads"], &["r_ads_report", "openid"]).stand_ins(),
            [("r_ads_report", Some("r_ads_reporting")), ("openid", None)]
        );
        // One too many and one too few, unrelated: no pairing.
        assert_eq!(
            report(&["r_ads_reporting"], &["w_member_social"]).stand_ins(),
            [("w_member_social", None)]
        );
        assert_eq!(report(&[], &["x", "x"]).stand_ins(), [("x", None)]);
    }
}
