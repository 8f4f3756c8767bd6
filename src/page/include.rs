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
use std::sync::{Arc, LazyLock};

use regex::Regex;

use super::source_map::Mapped;
pub use super::source_map::{MappedFile, SourceMap};
use crate::source::Span;

/// mdBook's `MAX_LINK_NESTED_DEPTH`: how deep includes may nest.
const MAX_DEPTH: usize = 10;

/// mdBook's directive pattern (`links.rs`, `find_links`): an escaped directive (greedy to the
/// last `}}` of the line), or `{{#type target attrs}}`; also `{{#include}}` with no target,
/// which mdBook leaves as text silently and `broken-include` reports.
static LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\\\{\{\#.*\}\}|\{\{\s*\#([a-zA-Z0-9_]+)(?:\s+([^}]*))?\}\}")
        .expect("directive pattern is valid")
});
static ANCHOR_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"ANCHOR:\s*(?P<anchor_name>[\w_-]+)").expect("anchor pattern is valid")
});
static ANCHOR_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"ANCHOR_END:\s*(?P<anchor_name>[\w_-]+)").expect("anchor pattern is valid")
});

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
        }
    }

    /// Options for a loaded project: [`IncludeOptions::for_project`] of its folder, enabled as
    /// its book.toml says ([`crate::config::Settings::links`]).
    pub fn for_settings(settings: &crate::config::Settings) -> IncludeOptions {
        IncludeOptions {
            enabled: settings.links,
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
        let (text, map) = SourceMap::rewritten(map, page, old_text, &new);
        self.text = text;
        self.map = Some(Arc::new(map));
    }
}

/// Which lines of a file a directive takes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Select {
    /// 0-based start (inclusive) and end (exclusive); `None` is open.
    Lines(Option<usize>, Option<usize>),
    /// Between `ANCHOR: name` and `ANCHOR_END: name`.
    Anchor(String),
}

/// mdBook's `parse_range_or_anchor`.
fn parse_select(spec: Option<&str>) -> Select {
    let mut parts = spec.unwrap_or("").splitn(3, ':');
    let first = parts.next();
    let start = match first.map(|v| (v, v.parse::<usize>())) {
        // Line numbers count from 1.
        Some((_, Ok(n))) => Some(n.saturating_sub(1)),
        Some(("", _)) | None => None,
        Some((anchor, Err(_))) => return Select::Anchor(anchor.to_string()),
    };
    let end = parts.next().map(|s| s.parse::<usize>());
    match (start, end) {
        (Some(s), Some(Ok(e))) => Select::Lines(Some(s), Some(e)),
        (Some(s), Some(Err(_))) => Select::Lines(Some(s), None),
        (Some(s), None) => Select::Lines(Some(s), Some(s + 1)),
        (None, Some(Ok(e))) => Select::Lines(None, Some(e)),
        (None, _) => Select::Lines(None, None),
    }
}

/// A directive as written.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Directive<'a> {
    Escaped,
    Title(&'a str),
    Include(&'a str, Select),
    RustdocInclude(&'a str, Select),
    Playground(&'a str, Vec<&'a str>),
    /// `{{#include}}` (or another file directive) naming no file.
    Empty(&'a str),
}

fn classify<'a>(cap: &regex::Captures<'a>) -> Option<Directive<'a>> {
    let whole = cap.get(0)?.as_str();
    let Some(kind) = cap.get(1) else {
        return whole.starts_with('\\').then_some(Directive::Escaped);
    };
    let rest = cap.get(2).map_or("", |m| m.as_str());
    if kind.as_str() == "title" {
        return (!rest.trim().is_empty()).then_some(Directive::Title(rest));
    }
    let mut words = rest.split_whitespace();
    let Some(target) = words.next() else {
        let file_directive = ["include", "rustdoc_include", "playground", "playpen"];
        return file_directive
            .contains(&kind.as_str())
            .then_some(Directive::Empty(kind.as_str()));
    };
    let split = |t: &'a str| {
        let mut p = t.splitn(2, ':');
        (p.next().unwrap_or(""), parse_select(p.next()))
    };
    match kind.as_str() {
        "include" => {
            let (path, sel) = split(target);
            Some(Directive::Include(path, sel))
        }
        "rustdoc_include" => {
            let (path, sel) = split(target);
            Some(Directive::RustdocInclude(path, sel))
        }
        "playground" | "playpen" => Some(Directive::Playground(target, words.collect())),
        _ => None,
    }
}

/// Expands the directives of `text`, the content of `path` (shown as `file` in diagnostics).
///
/// Never fails: what cannot be expanded stays as written and is listed in
/// [`Expansion::problems`].
pub fn expand(text: &str, path: &Path, file: &str, opts: &IncludeOptions) -> Expansion {
    if !opts.enabled || !text.contains("{{") || !LINK.is_match(text) {
        return Expansion {
            text: text.to_string(),
            ..Expansion::default()
        };
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
    Expansion {
        text,
        map: Some(Arc::new(map)),
        title: ex.title,
        problems: ex.problems,
    }
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
    let mut page = super::parse_page(path, rel, file, ex.text, opts)?;
    if let Some(title) = ex.title {
        page.title = title;
    }
    page.source_map = ex.map;
    page.include_problems = ex.problems;
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
                Directive::Empty(kind) => {
                    self.problems.push(problem_at(
                        format!("`{{{{#{kind}}}}}` names no file"),
                        Some(format!(
                            "write the file, relative to this one: `{{{{#{kind} path/to/file}}}}`"
                        )),
                    ));
                }
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
        let text = match std::fs::read(&real).map(String::from_utf8) {
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

    /// The lines `sel` takes from `whole` (joined with `\n`); `hide` puts the others behind `# `
    /// (rustdoc_include). Records a problem for a range past the end or a missing anchor.
    fn select(
        &mut self,
        whole: &Mapped,
        sel: &Select,
        hide: bool,
        shown: &str,
        problem_at: &dyn Fn(String, Option<String>) -> Problem,
    ) -> Mapped {
        let lines = whole.lines();
        let n = lines.len();
        let keep: Vec<Option<bool>> = match sel {
            Select::Lines(start, end) => {
                let s = start.unwrap_or(0);
                let e = end.unwrap_or(n);
                if start.is_some() && end.is_some() && e <= s {
                    self.problems.push(problem_at(
                        format!(
                            "the range {}:{e} of {shown} ends before it starts, so it takes no line",
                            s + 1
                        ),
                        Some("write the first line, then the last: `file:START:END`".into()),
                    ));
                } else if start.is_some() && s >= n {
                    self.problems.push(problem_at(
                        format!(
                            "the range starts at line {} but {shown} has {n} line{}",
                            s + 1,
                            if n == 1 { "" } else { "s" }
                        ),
                        Some("line numbers count from 1 and include the last line".into()),
                    ));
                } else if end.is_some() && e > n {
                    self.problems.push(problem_at(
                        format!(
                            "the range ends at line {e} but {shown} has {n} line{}",
                            if n == 1 { "" } else { "s" }
                        ),
                        Some("line numbers count from 1 and include the last line".into()),
                    ));
                }
                (0..n).map(|i| Some(i >= s && i < e)).collect()
            }
            Select::Anchor(name) => {
                let mut inside = false;
                let mut found = false;
                // A plain include stops at the anchor's end (mdBook's take_anchored_lines).
                let mut done = false;
                let keep = lines
                    .iter()
                    .map(|r| {
                        let l = &whole.text[r.clone()];
                        if done {
                            Some(false)
                        } else if inside {
                            if let Some(c) = ANCHOR_END.captures(l) {
                                if &c["anchor_name"] == name {
                                    inside = false;
                                    done = !hide;
                                }
                                None
                            } else if ANCHOR_START.is_match(l) {
                                None
                            } else {
                                Some(true)
                            }
                        } else if let Some(c) = ANCHOR_START.captures(l) {
                            if &c["anchor_name"] == name {
                                inside = true;
                                found = true;
                            }
                            // mdBook's plain include drops other anchor lines only inside.
                            if hide { None } else { Some(false) }
                        } else if hide && ANCHOR_END.is_match(l) {
                            None
                        } else {
                            Some(false)
                        }
                    })
                    .collect();
                if !found {
                    self.problems.push(problem_at(
                        format!("{shown} has no anchor `{name}`"),
                        Some(format!(
                            "mark the lines with `ANCHOR: {name}` and `ANCHOR_END: {name}` comments"
                        )),
                    ));
                }
                keep
            }
        };
        let mut m = Mapped::default();
        let mut first = true;
        for (r, k) in lines.iter().zip(keep) {
            let shown_line = match k {
                None => continue,
                Some(true) => true,
                Some(false) if hide => false,
                Some(false) => continue,
            };
            if !first {
                m.synth("\n", whole.origin(r.start.saturating_sub(1)));
            }
            first = false;
            if !shown_line {
                m.synth("# ", whole.origin(r.start));
            }
            m.copy(whole, r.clone());
        }
        m
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

#[cfg(test)]
mod tests {
    use super::*;

    fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (p, t) in files {
            let path = dir.path().join(p);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, t).unwrap();
        }
        dir
    }

    fn run(dir: &Path, page: &str) -> Expansion {
        let path = dir.join(page);
        let text = std::fs::read_to_string(&path).unwrap();
        let opts = IncludeOptions {
            root: dir.to_path_buf(),
            boundary: dir.to_path_buf(),
            enabled: true,
        };
        expand(&text, &path, page, &opts)
    }

    const FIVE: &str = "Lorem\nipsum\ndolor\nsit\namet\n";

    #[test]
    fn line_ranges_follow_mdbook() {
        let d = project(&[("src/a.txt", FIVE), ("src/p.md", "")]);
        for (spec, want) in [
            ("", "Lorem\nipsum\ndolor\nsit\namet"),
            (":2", "ipsum"),
            (":2:3", "ipsum\ndolor"),
            (":4:", "sit\namet"),
            ("::2", "Lorem\nipsum"),
        ] {
            std::fs::write(
                d.path().join("src/p.md"),
                format!("{{{{#include a.txt{spec}}}}}\n"),
            )
            .unwrap();
            let ex = run(d.path(), "src/p.md");
            assert_eq!(ex.text, format!("{want}\n"), "{spec}");
            assert!(ex.problems.is_empty(), "{spec}: {:?}", ex.problems);
        }
    }

    #[test]
    fn anchors_and_rustdoc_include() {
        let rs = "use x;\n// ANCHOR: main\nfn main() {\n    // ANCHOR: inner\n    go();\n    // ANCHOR_END: inner\n}\n// ANCHOR_END: main\n";
        let d = project(&[
            ("src/m.rs", rs),
            (
                "src/p.md",
                "```rust\n{{#include m.rs:main}}\n```\n\n```rust\n{{#rustdoc_include m.rs:inner}}\n```\n\n```rust\n{{#rustdoc_include m.rs:2:3}}\n```\n",
            ),
        ]);
        let ex = run(d.path(), "src/p.md");
        assert!(ex.problems.is_empty(), "{:?}", ex.problems);
        assert_eq!(
            ex.text,
            "```rust\nfn main() {\n    go();\n}\n```\n\n```rust\n# use x;\n# fn main() {\n    go();\n# }\n```\n\n```rust\n# use x;\n// ANCHOR: main\nfn main() {\n#     // ANCHOR: inner\n#     go();\n#     // ANCHOR_END: inner\n# }\n# // ANCHOR_END: main\n```\n"
        );
    }

    #[test]
    fn playground_title_escape_and_prefix() {
        let d = project(&[
            ("src/ex.rs", "fn main() {}"),
            ("src/part.md", "one\ntwo\n"),
            (
                "src/p.md",
                "{{#title Custom}}\n# P\n\n{{#playground ex.rs editable}}\n\n\\{{#include nope.md}}\n\n- item: {{#include part.md}}\n",
            ),
        ]);
        let ex = run(d.path(), "src/p.md");
        assert_eq!(ex.title.as_deref(), Some("Custom"));
        assert!(ex.problems.is_empty(), "{:?}", ex.problems);
        assert_eq!(
            ex.text,
            "\n# P\n\n```rust,editable\nfn main() {}\n```\n\n{{#include nope.md}}\n\n- item: one\n- item: two\n"
        );
    }

    #[test]
    fn source_map_names_the_included_file_and_line() {
        let d = project(&[
            ("listings/x.md", "a\nb [bad](nowhere.md)\n"),
            (
                "src/p.md",
                "# P\n\nintro\n\n{{#include ../listings/x.md}}\n\nend\n",
            ),
        ]);
        let ex = run(d.path(), "src/p.md");
        let map = ex.map.as_ref().unwrap();
        let at = ex.text.find("[bad]").unwrap();
        let (file, span) = map.locate(Span::new(at, at + 5));
        assert_eq!(map.files()[file].file, "listings/x.md");
        assert_eq!(&map.files()[file].text[span.start..span.end], "[bad]");
        let at = ex.text.find("end").unwrap();
        let (file, span) = map.locate(Span::new(at, at + 3));
        assert_eq!(file, 0);
        assert_eq!(&map.files()[0].text[span.start..span.end], "end");
    }

    #[test]
    fn broken_includes_are_problems_at_the_directive() {
        let d = project(&[
            ("src/a.txt", FIVE),
            ("src/loop1.md", "x\n{{#include loop2.md}}\n"),
            ("src/loop2.md", "{{#include loop1.md}}\n"),
            (
                "src/p.md",
                "{{#include missing.rs}}\n{{#include a.txt:9}}\n{{#include a.txt:2:40}}\n{{#include a.txt:nope}}\n{{#include loop1.md}}\n",
            ),
        ]);
        let ex = run(d.path(), "src/p.md");
        let map = ex.map.as_ref().unwrap();
        let got: Vec<(String, usize, String)> = ex
            .problems
            .iter()
            .map(|p| {
                let file = &map.files()[p.file];
                let line = file.text[..p.span.start].matches('\n').count() + 1;
                (file.file.clone(), line, p.message.clone())
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "src/p.md".to_string(),
                    1,
                    "missing.rs does not exist (resolved to src/missing.rs)".to_string()
                ),
                (
                    "src/p.md".into(),
                    2,
                    "the range starts at line 9 but src/a.txt has 5 lines".into()
                ),
                (
                    "src/p.md".into(),
                    3,
                    "the range ends at line 40 but src/a.txt has 5 lines".into()
                ),
                (
                    "src/p.md".into(),
                    4,
                    "src/a.txt has no anchor `nope`".into()
                ),
                (
                    "src/loop2.md".into(),
                    1,
                    "include cycle: src/loop1.md → src/loop2.md → src/loop1.md".into()
                ),
            ]
        );
        // Unexpandable directives stay as written.
        assert!(ex.text.starts_with("{{#include missing.rs}}\n"));
    }

    #[test]
    fn outside_the_boundary_is_refused() {
        let d = project(&[
            ("outside.txt", "secret"),
            ("p/src/p.md", "{{#include ../../outside.txt}}\n"),
        ]);
        let path = d.path().join("p/src/p.md");
        let opts = IncludeOptions {
            root: d.path().join("p"),
            boundary: d.path().join("p"),
            enabled: true,
        };
        let ex = expand(
            &std::fs::read_to_string(&path).unwrap(),
            &path,
            "src/p.md",
            &opts,
        );
        assert_eq!(ex.problems.len(), 1);
        assert!(
            ex.problems[0].message.contains("outside the book folder"),
            "{:?}",
            ex.problems
        );
        assert!(!ex.text.contains("secret"));
        // A path outside the book is shown absolute, not as a run of `..`.
        let outside = d.path().join("outside.txt").display().to_string();
        assert!(
            ex.problems[0].message.ends_with(&format!("({outside})")),
            "{:?}",
            ex.problems
        );
    }

    #[test]
    fn replaced_text_keeps_the_map_around_the_change() {
        let mut ex = expand(
            "# A\n\nold words\n\n[x](y.md)\n",
            Path::new("a.md"),
            "a.md",
            &IncludeOptions::for_project(Path::new(".")),
        );
        ex.replace_text(
            "# A\n\nnew, longer words\n\n[x](y.md)\n".into(),
            Path::new("a.md"),
            "a.md",
        );
        let map = ex.map.as_ref().unwrap();
        let at = ex.text.find("[x]").unwrap();
        let (file, span) = map.locate(Span::new(at, at + 3));
        assert_eq!(file, 0);
        assert_eq!(&map.files()[0].text[span.start..span.end], "[x]");
        let at = ex.text.find("longer").unwrap();
        assert_eq!(map.locate(Span::new(at, at + 6)).1.start, 5);
        // A change in the middle and lines added at the end keep the lines in between.
        let mut ex = expand(
            "a\nb PLACE\nc\n[x](y.md)\n",
            Path::new("a.md"),
            "a.md",
            &IncludeOptions::for_project(Path::new(".")),
        );
        ex.replace_text(
            "a\nb done\nc\n[x](y.md)\n\nadded\n".into(),
            Path::new("a.md"),
            "a.md",
        );
        let map = ex.map.as_ref().unwrap();
        let at = ex.text.find("[x]").unwrap();
        assert_eq!(map.locate(Span::new(at, at + 3)).1, Span::new(12, 15));
        assert_eq!(ex.text, "a\nb done\nc\n[x](y.md)\n\nadded\n");
    }

    #[test]
    fn no_directive_no_map() {
        let ex = expand(
            "plain {{ text }}",
            Path::new("a.md"),
            "a.md",
            &IncludeOptions::for_project(Path::new(".")),
        );
        assert!(ex.map.is_none());
        assert_eq!(ex.text, "plain {{ text }}");
    }
}
