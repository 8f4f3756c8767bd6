//! mdBook's directives, expanded natively before the one parse: `{{#include}}`,
//! `{{#rustdoc_include}}`, `{{#playground}}`, `{{#title}}` and the `\{{#…}}` escape, with the
//! semantics of mdBook's built-in `links` preprocessor
//! (<https://rust-lang.github.io/mdBook/format/mdbook.html>): line ranges `:5`, `:2:10`, `:4:`,
//! `::8` (1-based, end inclusive), named anchors (`ANCHOR: name` … `ANCHOR_END: name`, anchor
//! lines dropped), lines outside the range hidden behind `# ` for `rustdoc_include`, nested
//! directives resolved relative to the included file, and an included block's lines prefixed
//! with whatever precedes the directive on its line (so an include indented in a list stays in
//! the list).
//!
//! The expanded text comes with a [`SourceMap`]: every byte of it maps back to the file and
//! offset it was copied from, so a finding inside included text names the included file and
//! line. Text the expansion made up (`# ` prefixes, playground fences, line prefixes) maps to
//! the nearest real place. A directive that cannot be expanded stays in the text as written, as
//! in mdBook, and is reported as an [`IncludeProblem`] (the `broken-include` rule).
//!
//! Included files must lie inside the project's repository (the nearest folder above the project
//! holding `.git`), or inside the project folder when it is not in a repository: a page never
//! publishes a file from elsewhere.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::source_map::Mapped;
pub use super::source_map::{MappedFile, SourceMap};
use crate::source::Span;
use directive::{Directive, LINK, classify};
use lines::Select;

mod directive;
mod lines;
#[cfg(test)]
mod tests;

/// mdBook's `MAX_LINK_NESTED_DEPTH`: how deep includes may nest.
const MAX_DEPTH: usize = 10;

/// Where includes may come from and how their paths are shown.
#[derive(Debug, Clone)]
pub struct IncludeOptions {
    /// Diagnostic paths of included files are relative to this folder (the project folder).
    pub root: PathBuf,
    /// Files outside this folder are not included (the repository, or the project folder).
    pub boundary: PathBuf,
    /// False when mdBook's `links` preprocessor is off (`use-default-preprocessors = false`
    /// without a `[preprocessor.links]` table): directives stay as written.
    pub enabled: bool,
    /// True for the pages of an MkDocs site: admonition, details and tab content is read as
    /// Markdown ([`super::mkdocs_blocks`]), through the same source map.
    pub mkdocs_blocks: bool,
    /// True for the pages of a Docusaurus or Starlight site: `:::tip` … `:::` admonitions are
    /// read as blocks ([`super::directives`]).
    pub directives: bool,
    /// Files appended to every page (MkDocs' `pymdownx.snippets` `auto_append`: link
    /// definitions and abbreviations shared by all pages), mapped to themselves.
    pub append: Vec<MappedFile>,
}

impl IncludeOptions {
    /// Options for the project in `root`: the boundary is the enclosing git work tree (the
    /// nearest ancestor with a `.git` entry), else `root` itself.
    pub fn for_project(root: &Path) -> IncludeOptions {
        let boundary = root
            .ancestors()
            .find(|d| d.join(".git").exists())
            .unwrap_or(root)
            .to_path_buf();
        IncludeOptions {
            root: root.to_path_buf(),
            boundary,
            enabled: true,
            mkdocs_blocks: false,
            directives: false,
            append: Vec::new(),
        }
    }

    /// Options for a loaded project: [`IncludeOptions::for_project`] of its folder, enabled as
    /// its book.toml says ([`crate::config::Settings::links`]).
    pub fn for_settings(settings: &crate::config::Settings) -> IncludeOptions {
        let convention = crate::site::convention(settings).0;
        let mkdocs = convention == crate::site::Convention::Mkdocs;
        let append = if mkdocs {
            crate::site::mkdocs::auto_append(settings)
                .into_iter()
                .filter_map(|path| {
                    let text = crate::project::read_regular_string(&path).ok()?;
                    let file = crate::site::disk_from_cwd(&path);
                    Some(MappedFile {
                        path,
                        file,
                        text: Arc::from(text),
                    })
                })
                .collect()
        } else {
            Vec::new()
        };
        IncludeOptions {
            enabled: settings.links,
            mkdocs_blocks: mkdocs,
            directives: matches!(
                convention,
                crate::site::Convention::Docusaurus | crate::site::Convention::Starlight
            ),
            append,
            ..IncludeOptions::for_project(&settings.root)
        }
    }
}

/// A directive that could not be expanded as written, or that reads past a file's end or names
/// a missing anchor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncludeProblem {
    /// The file holding the directive: an index into [`SourceMap::files`] (0: the page).
    pub file: usize,
    /// The directive, in that file's text.
    pub span: Span,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// For a problem in an included file: the page's directive that brought that file in (in
    /// the page's text, file 0).
    pub via: Option<Span>,
}

/// A page's text after its directives were expanded.
#[derive(Debug, Clone, Default)]
pub struct Expansion {
    /// The expanded text.
    pub text: String,
    /// Where each byte came from; `None` when the page has no directive (the text is the file).
    pub map: Option<Arc<SourceMap>>,
    /// The page title set by `{{#title …}}`.
    pub title: Option<String>,
    /// Directives that could not be expanded, or that read past a file's end or miss an anchor.
    pub problems: Vec<IncludeProblem>,
}

impl Expansion {
    /// Replaces the text with `new` (what an external preprocessor made of it), keeping the
    /// source map for every unchanged line (a line diff, [`similar`]); a changed line keeps it
    /// for its unchanged start and end, and inserted lines are attributed to where they were
    /// inserted. `path` and `file` name the page, for a page that had no map yet.
    pub fn replace_text(&mut self, new: String, path: &Path, file: &str) {
        self.rewrite(new, path, file, SourceMap::rewritten);
    }
}

/// How a rewrite maps the old text's bytes into the new text ([`SourceMap::rewritten`] or
/// [`SourceMap::rewritten_in_place`]).
type Remap = fn(Option<SourceMap>, MappedFile, String, &str) -> (String, SourceMap);

impl Expansion {
    /// [`Expansion::replace_text`] for a rewrite that keeps every line where it was: each
    /// line is mapped from the line of the same number ([`SourceMap::rewritten_in_place`]).
    pub fn replace_lines(&mut self, new: String, path: &Path, file: &str) {
        self.rewrite(new, path, file, SourceMap::rewritten_in_place);
    }

    /// Replaces the text with `new`, its source map made by `remap` from the old one (or from
    /// the page `path`, `file` as a whole when there was none).
    fn rewrite(&mut self, new: String, path: &Path, file: &str, remap: Remap) {
        if new == self.text {
            return;
        }
        let old_text = std::mem::take(&mut self.text);
        let page = MappedFile {
            path: path.to_path_buf(),
            file: file.to_string(),
            text: Arc::from(old_text.as_str()),
        };
        let map = self.map.take().map(Arc::unwrap_or_clone);
        let (text, map) = remap(map, page, old_text, &new);
        self.text = text;
        self.map = Some(Arc::new(map));
    }

    /// Gives `page`, parsed (or decoded from the page cache) from this expansion's text, what
    /// the expansion adds to the model: the `{{#title}}`, the source map and the problems.
    pub fn attach_to(self, page: &mut super::Page) {
        if let Some(title) = self.title {
            page.title = title;
        }
        page.source_map = self.map;
        page.include_problems = self.problems;
    }
}

/// Expands the directives of `text`, the content of `path` (shown as `file` in diagnostics).
///
/// Never fails: what cannot be expanded stays as written and is listed in
/// [`Expansion::problems`].
pub fn expand(text: &str, path: &Path, file: &str, opts: &IncludeOptions) -> Expansion {
    if !has_directives(text, opts) {
        let ex = Expansion {
            text: text.to_string(),
            ..Expansion::default()
        };
        return with_blocks(ex, path, file, opts);
    }
    let page = MappedFile {
        path: path.to_path_buf(),
        file: file.to_string(),
        text: Arc::from(text),
    };
    let boundary = std::fs::canonicalize(&opts.boundary).unwrap_or_else(|_| opts.boundary.clone());
    let mut ex = Expander {
        opts,
        boundary,
        files: vec![page],
        reals: vec![canonical(path)],
        problems: Vec::new(),
        title: None,
    };
    let input = Mapped::file(0, text);
    let base = path.parent().unwrap_or(Path::new("")).to_path_buf();
    let key = (canonical(path), None);
    let mut stack = vec![key];
    let out = ex.expand(&input, &base, &mut stack);
    let text = out.text.clone();
    let map = SourceMap::new(ex.files, out);
    let ex = Expansion {
        text,
        map: Some(Arc::new(map)),
        title: ex.title,
        problems: ex.problems,
    };
    with_blocks(ex, path, file, opts)
}

/// `ex` with the content of MkDocs' indented blocks read as Markdown when `opts` asks for it
/// ([`super::mkdocs_blocks::rewrite`], after [`super::mkdocs_lists::rewrite`] has put list
/// items' content where CommonMark reads it) and `opts`'s files appended ([`IncludeOptions::append`]);
/// the source map keeps every byte's origin.
fn with_blocks(mut ex: Expansion, path: &Path, file: &str, opts: &IncludeOptions) -> Expansion {
    if crate::project::is_mdx(path)
        && let Some(text) = super::mdx::rewrite(&ex.text)
    {
        ex.replace_lines(text, path, file);
    }
    if opts.directives
        && let Some(text) = super::directives::rewrite(&ex.text)
    {
        ex.replace_lines(text, path, file);
    }
    if opts.mkdocs_blocks {
        // List items first: the blocks' pass then sees their content where CommonMark will.
        let lists = super::mkdocs_lists::rewrite(&ex.text);
        let blocks = super::mkdocs_blocks::rewrite(lists.as_deref().unwrap_or(&ex.text));
        if let Some(text) = blocks.or(lists) {
            ex.replace_lines(text, path, file);
        }
    }
    if !opts.append.is_empty() {
        let page = MappedFile {
            path: path.to_path_buf(),
            file: file.to_string(),
            text: Arc::from(ex.text.as_str()),
        };
        let map = ex.map.take().map(Arc::unwrap_or_clone);
        let (text, map) =
            SourceMap::appended(map, page, std::mem::take(&mut ex.text), &opts.append);
        ex.text = text;
        ex.map = Some(Arc::new(map));
    }
    ex
}

/// [`expand`] for a text the caller owns: a page without directives keeps it as it is, with
/// no copy (most pages of a book).
pub fn expand_owned(text: String, path: &Path, file: &str, opts: &IncludeOptions) -> Expansion {
    if !has_directives(&text, opts) {
        let ex = Expansion {
            text,
            ..Expansion::default()
        };
        return with_blocks(ex, path, file, opts);
    }
    expand(&text, path, file, opts)
}

/// True when `text` may hold a directive to expand.
fn has_directives(text: &str, opts: &IncludeOptions) -> bool {
    opts.enabled && text.contains("{{") && LINK.is_match(text)
}

/// Parses a page whose directives were expanded ([`expand`]): the one parse runs over the
/// expanded text, and the page keeps the source map, the problems and a `{{#title}}`.
///
/// Errors: as [`super::parse_page`].
pub fn parse_expanded(
    path: PathBuf,
    rel: String,
    file: String,
    ex: Expansion,
    opts: &super::ParseOptions,
) -> crate::error::Result<super::Page> {
    let mut ex = ex;
    let text = std::mem::take(&mut ex.text);
    let mut page = super::parse_page(path, rel, file, text, opts)?;
    ex.attach_to(&mut page);
    Ok(page)
}

type Problem = IncludeProblem;

struct Expander<'o> {
    opts: &'o IncludeOptions,
    boundary: PathBuf,
    files: Vec<MappedFile>,
    /// The canonical path of each of `files`.
    reals: Vec<PathBuf>,
    /// Each problem, in the text of the file holding it.
    problems: Vec<Problem>,
    title: Option<String>,
}

/// What a directive gave: the text to expand further and the folder its paths are relative to.
struct Loaded {
    content: Mapped,
    base: PathBuf,
    key: (PathBuf, Option<String>),
}

impl Expander<'_> {
    fn expand(
        &mut self,
        input: &Mapped,
        base: &Path,
        stack: &mut Vec<(PathBuf, Option<String>)>,
    ) -> Mapped {
        let mut out = Mapped::default();
        let mut prev = 0;
        for cap in LINK.captures_iter(&input.text) {
            let Some(m) = cap.get(0) else { continue };
            let Some(directive) = classify(&cap) else {
                continue;
            };
            let problem_at = |message: String, help: Option<String>| {
                let (file, src) = input.origin(m.start());
                IncludeProblem {
                    file: file as usize,
                    span: Span::new(src, src + m.len()),
                    message,
                    help,
                    via: None,
                }
            };
            match directive {
                Directive::Escaped => {
                    out.copy(input, prev..m.start());
                    out.copy(input, m.start() + 1..m.end());
                    prev = m.end();
                }
                // mdBook leaves a directive without a file as the text it is (guides write
                // `{{#include}}` in prose to name the directive), so it is no finding.
                Directive::Empty(_) => continue,
                Directive::Title(title) => {
                    out.copy(input, prev..m.start());
                    self.title = Some(title.trim().to_string());
                    prev = m.end();
                }
                directive => {
                    let loaded = self.load(&directive, base, stack, &problem_at);
                    let Some(loaded) = loaded else { continue };
                    out.copy(input, prev..m.start());
                    prev = m.end();
                    let inner = if stack.len() > MAX_DEPTH {
                        self.problems.push(problem_at(
                            format!("includes nest more than {MAX_DEPTH} deep"),
                            Some(
                                "mdBook stops there too; include the innermost file directly"
                                    .into(),
                            ),
                        ));
                        Mapped::default()
                    } else {
                        let before = self.problems.len();
                        stack.push(loaded.key);
                        let inner = self.expand(&loaded.content, &loaded.base, stack);
                        stack.pop();
                        // A problem inside an included file names the page's directive too.
                        if stack.len() == 1 {
                            let outer = problem_at(String::new(), None).span;
                            for p in &mut self.problems[before..] {
                                if p.file != 0 {
                                    p.via = Some(outer);
                                }
                            }
                        }
                        inner
                    };
                    // The text before the directive on its line prefixes every further line.
                    let line_start = out.text.rfind('\n').map_or(0, |i| i + 1);
                    let prefix = out.text[line_start..].to_string();
                    let at = input.origin(m.start());
                    for (i, line) in inner.lines().into_iter().enumerate() {
                        if i > 0 {
                            out.synth("\n", at);
                            out.synth(&prefix, at);
                        }
                        out.copy(&inner, line);
                    }
                }
            }
        }
        out.copy(input, prev..input.text.len());
        out
    }

    /// Reads the file a directive names and selects its lines; `None` (with a problem
    /// recorded) when it cannot be read.
    fn load(
        &mut self,
        directive: &Directive<'_>,
        base: &Path,
        stack: &[(PathBuf, Option<String>)],
        problem_at: &dyn Fn(String, Option<String>) -> Problem,
    ) -> Option<Loaded> {
        let (written, select) = match directive {
            Directive::Include(p, s) | Directive::RustdocInclude(p, s) => (*p, Some(s)),
            Directive::Playground(p, _) => (*p, None),
            _ => return None,
        };
        let target = normalize(&base.join(written));
        let shown = self.readable(&target);
        let real = match std::fs::canonicalize(&target) {
            Ok(real) if real.is_file() => real,
            Ok(_) => {
                self.problems.push(problem_at(
                    format!("{written} is not a file (resolved to {shown})"),
                    Some(
                        "include a file; paths are relative to the file holding the directive"
                            .into(),
                    ),
                ));
                return None;
            }
            Err(_) => {
                let resolved = if shown == written.trim_start_matches("./") {
                    String::new()
                } else {
                    format!(" (resolved to {shown})")
                };
                self.problems.push(problem_at(
                    format!("{written} does not exist{resolved}"),
                    Some("paths are relative to the file holding the directive".into()),
                ));
                return None;
            }
        };
        if !real.starts_with(&self.boundary) {
            let folder = if self.opts.boundary.join(".git").exists() {
                "the repository"
            } else {
                "the book folder"
            };
            self.problems.push(problem_at(
                format!("{written} lies outside {folder} ({shown})"),
                Some(format!(
                    "stepbook publishes only files inside {}",
                    self.opts.boundary.display()
                )),
            ));
            return None;
        }
        let anchor = match select {
            Some(Select::Anchor(a)) => Some(a.clone()),
            _ => None,
        };
        let key = (real.clone(), anchor);
        if let Some(i) = stack.iter().position(|k| *k == key) {
            let chain: Vec<String> = stack[i..]
                .iter()
                .chain(std::iter::once(&key))
                .map(|(p, _)| self.shown(p))
                .collect();
            self.problems.push(problem_at(
                format!("include cycle: {}", chain.join(" → ")),
                Some("a file cannot include itself, directly or through others".into()),
            ));
            return None;
        }
        let text = match crate::project::read_regular(&real).map(String::from_utf8) {
            Ok(Ok(t)) => t,
            Ok(Err(_)) => {
                self.problems.push(problem_at(
                    format!("{shown} is not UTF-8 text"),
                    Some("only text files can be included; save it as UTF-8".into()),
                ));
                return None;
            }
            Err(e) => {
                self.problems
                    .push(problem_at(format!("{shown} cannot be read: {e}"), None));
                return None;
            }
        };
        let file = self.register(&real, &target, text);
        let whole = Mapped::file(file, &self.files[file as usize].text);
        let content = match directive {
            Directive::Include(_, sel) => self.select(&whole, sel, false, &shown, problem_at),
            Directive::RustdocInclude(_, sel) => self.select(&whole, sel, true, &shown, problem_at),
            Directive::Playground(_, attrs) => {
                let mut m = Mapped::default();
                let lang = if attrs.is_empty() {
                    "rust".to_string()
                } else {
                    format!("rust,{}", attrs.join(","))
                };
                m.synth(&format!("```{lang}\n"), (file, 0));
                m.copy(&whole, 0..whole.text.len());
                if !whole.text.ends_with('\n') {
                    m.synth("\n", (file, whole.text.len()));
                }
                m.synth("```\n", (file, whole.text.len()));
                m
            }
            _ => return None,
        };
        Some(Loaded {
            content,
            base: target.parent().unwrap_or(Path::new("")).to_path_buf(),
            key,
        })
    }

    /// Adds a file to the map (once) and returns its index.
    fn register(&mut self, real: &Path, target: &Path, text: String) -> u32 {
        if let Some(i) = self.reals.iter().position(|r| r == real) {
            return i as u32;
        }
        self.reals.push(real.to_path_buf());
        let file = self.shown(target);
        self.files.push(MappedFile {
            path: target.to_path_buf(),
            file,
            text: Arc::from(text),
        });
        (self.files.len() - 1) as u32
    }

    /// `path` for a message: relative to the project folder when it lies inside (as findings
    /// name files), else absolute (`../../../../etc/x` says less than `/etc/x`).
    fn readable(&self, path: &Path) -> String {
        let path = normalize(path);
        if path.starts_with(normalize(&self.opts.root)) {
            self.shown(&path)
        } else {
            path.to_string_lossy().replace('\\', "/")
        }
    }

    /// `path` relative to the project folder, `/`-separated (with `..` when it lies above).
    fn shown(&self, path: &Path) -> String {
        relative_path(&self.opts.root, path)
    }
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

use crate::lexical::normalize;
pub use crate::lexical::relative_path;
