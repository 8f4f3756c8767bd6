//! The one project builder every test uses, and the clients the tests talk through.
//!
//! A [`Project`] is a temporary folder `outer/proj` (so that `outer` can hold files outside the
//! project) built from files, images and fixture copies. It runs the checks in-process
//! ([`Project::check`]), the real binary ([`Project::run`]) or the preview server
//! ([`Project::serve`]). [`findings`] prints a report one finding per line, the form the
//! snapshots under `tests/fixtures/` hold.

#![allow(dead_code)]

pub mod http;
pub mod reloads;
pub mod sarif_schema;
pub mod webdriver;

use std::path::{Path, PathBuf};
use std::process::Command;

use stepbook::check::{CheckOptions, run};
use stepbook::diag::Report;
use stepbook::serve::{Running, ServeOptions, start};

/// The repository root (`CARGO_MANIFEST_DIR`).
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A project in a temporary folder, removed when dropped.
pub struct Project {
    /// The temporary folder; the project is its `proj` subfolder.
    pub outer: tempfile::TempDir,
    /// The project folder.
    pub root: PathBuf,
}

impl Default for Project {
    fn default() -> Self {
        Project::new()
    }
}

impl Project {
    /// An empty project (no book.toml: the folder itself is the content root).
    pub fn new() -> Project {
        let outer = tempfile::tempdir().expect("temp dir");
        let root = outer.path().join("proj");
        std::fs::create_dir_all(&root).expect("project dir");
        Project { outer, root }
    }

    /// A project with `files` (path relative to the project root, text).
    pub fn with(files: &[(&str, &str)]) -> Project {
        files
            .iter()
            .fold(Project::new(), |p, (rel, text)| p.file(rel, text))
    }

    /// A copy of the folder `from` (a fixture, a shared case).
    pub fn copy_of(from: &Path) -> Project {
        let p = Project::new();
        copy_tree(from, &p.root);
        p
    }

    /// A copy of the bundled project: content/, res/ and book.toml of the repository.
    pub fn bundled() -> Project {
        let p = Project::new();
        copy_tree(&repo().join("content"), &p.root.join("content"));
        copy_tree(&repo().join("res"), &p.root.join("res"));
        std::fs::copy(repo().join("book.toml"), p.root.join("book.toml")).expect("copy book.toml");
        p
    }

    /// Adds a text file (folders are created).
    pub fn file(self, rel: &str, text: &str) -> Self {
        self.write(rel, text);
        self
    }

    /// Adds a file with these bytes.
    pub fn bytes(self, rel: &str, bytes: &[u8]) -> Self {
        write_file(&self.root.join(rel), bytes);
        self
    }

    /// Adds a real 2×2 PNG.
    pub fn png(self, rel: &str) -> Self {
        self.bytes(rel, &png(2, 2))
    }

    /// The project folder.
    pub fn path(&self) -> &Path {
        &self.root
    }

    /// Writes `text` to `rel` (folders created), after the project was made.
    pub fn write(&self, rel: &str, text: &str) {
        write_file(&self.root.join(rel), text.as_bytes());
    }

    /// The text of `rel`.
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root.join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// Loads the project as the program does.
    pub fn load(&self) -> stepbook::project::Project {
        stepbook::project::Project::load(&self.root)
            .unwrap_or_else(|e| panic!("{}: load failed: {e}", self.root.display()))
    }

    /// Runs every offline rule in-process.
    pub fn check(&self) -> Report {
        check_dir(&self.root)
    }

    /// Runs `stepbook ARGS…` in the project folder, without colour.
    pub fn run(&self, args: &[&str]) -> Run {
        run_in(&self.root, args)
    }

    /// Starts `serve` on 127.0.0.1, port 0.
    pub fn serve(&self) -> Running {
        self.serve_with(None)
    }

    /// Starts `serve` as [`Project::serve`] does, with the search index cut into shards of at
    /// most `pages` pages.
    pub fn serve_sharded(&self, pages: usize) -> Running {
        self.serve_with(Some(pages))
    }

    fn serve_with(&self, search_shard_pages: Option<usize>) -> Running {
        let mut opts = ServeOptions::new(self.root.clone());
        opts.port = 0;
        opts.quiet = std::env::var_os("STEPBOOK_SERVE_VERBOSE").is_none();
        opts.search_shard_pages = search_shard_pages;
        start(&opts).expect("serve starts")
    }
}

/// The folders directly inside `dir`, sorted.
pub fn subfolders(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("folder entry").path())
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    out
}

/// Loads the project at `dir` and runs every offline rule on it.
pub fn check_dir(dir: &Path) -> Report {
    // A fixture of the repository gets no cache folder (`cargo test` would leave one in each).
    stepbook::cache::never_create_in(dir);
    // A generator's docs folder has the site's root as its project, where the cache would go.
    if let Some(site) = std::path::absolute(dir)
        .ok()
        .and_then(|d| stepbook::site::owning_site(&d))
    {
        stepbook::cache::never_create_in(&site);
    }
    let project = stepbook::project::Project::load(dir)
        .unwrap_or_else(|e| panic!("{}: load failed: {e}", dir.display()));
    run(&project, &CheckOptions::default())
        .unwrap_or_else(|e| panic!("{}: check failed: {e}", dir.display()))
}

/// What one run of the binary gave.
#[derive(Debug)]
pub struct Run {
    /// The exit code.
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stdout parsed as the JSON format's array.
    pub fn json(&self) -> Vec<serde_json::Value> {
        let v: serde_json::Value = serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout));
        v.as_array().expect("a JSON array").clone()
    }
}

/// Runs `stepbook ARGS…` in `cwd`, without colour, and returns what it printed.
pub fn output(cwd: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_stepbook"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("run stepbook")
}

/// Runs `stepbook ARGS…` in `cwd`, without colour.
pub fn run_in(cwd: &Path, args: &[&str]) -> Run {
    let out = output(cwd, args);
    Run {
        code: out.status.code().expect("exit code"),
        stdout: String::from_utf8(out.stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("UTF-8 stderr"),
    }
}

/// Writes `bytes` to `path`, creating folders.
pub fn write_file(path: &Path, bytes: &[u8]) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("create folder");
    }
    std::fs::write(path, bytes).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

/// Copies the tree at `from` into `to` (created).
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let dest = to.join(entry.path().strip_prefix(from).expect("below from"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("create folder");
        } else {
            std::fs::copy(entry.path(), &dest)
                .unwrap_or_else(|e| panic!("copy {}: {e}", entry.path().display()));
        }
    }
}

/// A grey `width`×`height` PNG.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = Vec::new();
    image::RgbImage::from_pixel(width, height, image::Rgb([200, 200, 200]))
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .expect("encode PNG");
    bytes
}

/// Every finding of `report`, one block per finding, in report order:
///
/// ```text
/// README.md:5:7 error[broken-link] setup.md does not exist
///   at: [setup](setup.md)
///   help: …
///   fix: replace `…` with `…`
/// ```
///
/// `at` is the spanned text (first line, when it spans several). An empty report is
/// `(no findings)`.
pub fn findings(report: &Report) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let loc = report.locate(d);
        out.push_str(&format!(
            "{}:{}:{} {}[{}] {}\n",
            d.file,
            loc.start.line,
            loc.start.column,
            d.level.as_str(),
            d.rule,
            d.message
        ));
        if let Some(src) = report.sources.get(&d.file)
            && d.span.end > d.span.start
        {
            let text = &src.text[d.span.start..d.span.end];
            let first = text.lines().next().unwrap_or("");
            let more = if text.trim_end_matches('\n').contains('\n') {
                " …"
            } else {
                ""
            };
            out.push_str(&format!("  at: {first}{more}\n"));
        }
        if let Some(help) = &d.help {
            out.push_str(&format!("  help: {help}\n"));
        }
        if let Some(fix) = &d.fix {
            let old = report
                .sources
                .get(&d.file)
                .map(|s| &s.text[fix.span.start..fix.span.end])
                .unwrap_or("");
            out.push_str(&format!(
                "  fix: replace {old:?} with {:?}\n",
                fix.replacement
            ));
        }
    }
    if out.is_empty() {
        out.push_str("(no findings)\n");
    }
    out
}

/// `(rule, file, line)` of every finding, in report order.
pub fn places(report: &Report) -> Vec<(String, String, usize)> {
    report
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.rule.to_string(),
                d.file.clone(),
                report.locate(d).start.line,
            )
        })
        .collect()
}

/// The 1-based line of the first line of `text` that contains `needle` (so that tests on the
/// bundled guide do not pin its line numbers).
pub fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line contains {needle:?}"))
        + 1
}

/// The HTML file at `path`, parsed (scraper: html5ever and CSS selectors).
pub fn html(path: &Path) -> scraper::Html {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    scraper::Html::parse_document(&text)
}

/// A CSS selector.
pub fn sel(s: &str) -> scraper::Selector {
    scraper::Selector::parse(s).unwrap_or_else(|e| panic!("selector {s}: {e:?}"))
}
