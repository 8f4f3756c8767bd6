//! `stepbook check [PATH…]`: load the project, run every rule, print the findings in the chosen
//! format (SPEC.md, Commands and Diagnostics) and exit 0 (no error-level finding), 1 (some) or 2
//! (could not run).
//!
//! A PATH is a project folder (with or without book.toml; default `.`) or Markdown files. For a
//! file, the project is the nearest ancestor folder with a book.toml whose content folder holds
//! the file, else the file's own folder; only the named files are reported. `--fix` applies the
//! findings' safe fixes (non-overlapping, from the end of each file backwards, written through a
//! temporary file and a rename) and checks again.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use super::{ColorChoice, Outcome};
use crate::check::{self, CheckOptions};
use crate::config::CONFIG_FILE;
use crate::diag::{self, Diagnostic, Fix, Format, Level, Report};
use crate::error::{Error, Result};
use crate::project::{Project, is_markdown, relative_slash};

/// Arguments of `stepbook check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Project folders (with or without book.toml) or Markdown files; default `.`.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Set a rule's level for this run: `--rule orphan-image=allow` (repeatable; levels are
    /// error, warning, allow).
    #[arg(long = "rule", value_name = "ID=LEVEL", value_parser = parse_rule_level)]
    pub rules: Vec<(String, Level)>,
    /// Also check http(s) links over the network.
    #[arg(long)]
    pub external: bool,
    /// Fetch URL scope sources again and refresh their on-disk cache before checking.
    #[arg(long)]
    pub refresh_sources: bool,
    /// Apply the safe fixes of the findings that have one, then check again.
    #[arg(long)]
    pub fix: bool,
    /// Say on stderr which project, content folder and link convention each PATH uses.
    #[arg(short, long)]
    pub verbose: bool,
}

/// Parses `ID=LEVEL` for `--rule`.
fn parse_rule_level(s: &str) -> std::result::Result<(String, Level), String> {
    let (id, level) = s.split_once('=').ok_or_else(|| {
        format!("expected ID=LEVEL (for example `orphan-image=allow`), got `{s}`")
    })?;
    let id = id.trim();
    if id.is_empty() {
        return Err(format!("missing rule id in `{s}`"));
    }
    Ok((id.to_string(), level.trim().parse::<Level>()?))
}

/// One project to check, and the files to report on (`None`: all of them).
#[derive(Debug)]
struct Target {
    root: PathBuf,
    only: Option<Vec<PathBuf>>,
    /// A folder inside the project's content that was named: only findings below it.
    under: Option<PathBuf>,
}

/// Runs `stepbook check`.
///
/// Errors: a path that does not exist or is not Markdown, unreadable configuration or pages,
/// an unknown rule id (with the closest id suggested), failures while writing fixes.
pub fn run(args: &Args, color: ColorChoice) -> Result<Outcome> {
    match run_checks(args, color) {
        // A book.toml problem in a machine format: the tool reading stdout gets it as a
        // finding (rule `config`) in that format; exit 2 all the same.
        Err(e) if args.format != Format::Human => {
            let Some(report) = super::error_report(&e) else {
                return Err(e);
            };
            let mut out = std::io::stdout().lock();
            let written =
                diag::write_report(&report, &check::metas(), args.format, false, &mut out)
                    .and_then(|()| out.flush());
            if let Err(w) = written
                && w.kind() != std::io::ErrorKind::BrokenPipe
            {
                return Err(Error::io("<stdout>", w));
            }
            eprintln!("error: {e}");
            Ok(Outcome::Failed)
        }
        other => other,
    }
}

fn run_checks(args: &Args, color: ColorChoice) -> Result<Outcome> {
    let targets = targets(&args.paths)?;
    let levels: BTreeMap<String, Level> = args.rules.iter().cloned().collect();
    let progress = crate::progress::start(crate::progress::wanted());
    let mut reports = Vec::new();
    for target in &targets {
        reports.push(check_target(target, &levels, args)?);
    }
    drop(progress);
    let report = relative_to_cwd(reports);
    let stdout = std::io::stdout();
    let color = args.format == Format::Human && color.enabled(stdout.is_terminal());
    let mut out = std::io::BufWriter::new(stdout.lock());
    // SARIF names the folder its paths are relative to: the current directory.
    let written = match args.format {
        Format::Sarif => {
            let cwd = std::env::current_dir().ok();
            diag::sarif::write_at(&report, &check::metas(), cwd.as_deref(), &mut out)
        }
        format => diag::write_report(&report, &check::metas(), format, color, &mut out),
    }
    .and_then(|()| out.flush());
    match written {
        Ok(()) => {}
        // `stepbook check | head`: the reader has gone; that is not a failure of the check.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(e) => return Err(Error::io("<stdout>", e)),
    }
    Ok(if report.has_errors() {
        Outcome::Findings
    } else {
        Outcome::Success
    })
}

/// Loads, (fixes,) and checks one target; returns its report with `root` for merging.
fn check_target(
    target: &Target,
    levels: &BTreeMap<String, Level>,
    args: &Args,
) -> Result<(PathBuf, Report)> {
    if target.only.is_some() && !target.root.join(CONFIG_FILE).is_file() {
        // Files named outside a book: their folder is not a project the user set up.
        crate::cache::never_create_in(&target.root);
    }
    let project = Project::load(&target.root)?;
    if args.verbose {
        let settings = &project.settings;
        eprintln!(
            "checking {} (project {}{}, content {}); {}",
            target.under.as_deref().unwrap_or(&target.root).display(),
            settings.root.display(),
            settings
                .config_path
                .as_ref()
                .map(|_| " with book.toml")
                .unwrap_or(""),
            settings.content_dir.display(),
            project.site.rules.describe(&crate::site::Shown::new(
                &project.settings,
                crate::site::Shown::cwd()
            ))
        );
        if let Some(below) = project.site.rules.describe_below() {
            eprintln!("{below}");
        }
        eprintln!(
            "pages: {} parsed, {} from the page cache",
            project.parse_stats.parsed, project.parse_stats.cached
        );
    }
    if target.only.is_none() {
        super::require_pages(&project)?;
    }
    let opts = CheckOptions {
        levels: levels.clone(),
        only_files: target.only.as_ref().map(|files| {
            files
                .iter()
                .map(|f| relative_slash(&project.settings.root, f))
                .collect()
        }),
        external: args.external,
        names_from: crate::site::Shown::cwd(),
    };
    // Unknown rule ids fail before anything slow or anything that writes.
    check::levels(&project, &opts)?;
    if args.refresh_sources {
        crate::scopes::refresh_sources(&project)?;
    }
    let (report, stats) = check::run_counted(&project, &opts)?;
    if args.verbose {
        crate::progress::suspend(|| {
            eprintln!(
                "checks: {} pages checked, {} unchanged (findings from the check cache)",
                stats.checked, stats.reused
            )
        });
    }
    let report = only_under(target, &project, report);
    if !args.fix {
        return Ok((exit_with(project), report));
    }
    let (fixed, files) = apply_fixes(&project, &report)?;
    if fixed == 0 {
        return Ok((project.settings.root.clone(), report));
    }
    crate::progress::suspend(|| {
        eprintln!(
            "fixed {fixed} finding{} in {files} file{}",
            if fixed == 1 { "" } else { "s" },
            if files == 1 { "" } else { "s" }
        )
    });
    let project = Project::load(&target.root)?;
    let report = only_under(target, &project, check::run(&project, &opts)?);
    Ok((exit_with(project), report))
}

/// The project's root; the project itself is left to the end of the process instead of being
/// freed piece by piece (millions of small allocations at 10,000 pages, about a tenth of
/// `check`'s time), as rustc does with its own arenas. `check` runs once per process.
fn exit_with(project: Project) -> PathBuf {
    let root = project.settings.root.clone();
    std::mem::forget(project);
    root
}

/// `report` with only the findings in files below `target.under`, when a folder inside the
/// project was named.
fn only_under(target: &Target, project: &Project, mut report: Report) -> Report {
    let Some(under) = &target.under else {
        return report;
    };
    let content = &project.settings.content_dir;
    if canonical(content).is_ok_and(|c| c == *under) {
        return report;
    }
    let root = canonical(&project.settings.root).unwrap_or_else(|_| project.settings.root.clone());
    let prefix = relative_slash(&root, under);
    if prefix.is_empty() {
        return report;
    }
    let prefix = format!("{prefix}/");
    report.diagnostics.retain(|d| d.file.starts_with(&prefix));
    report
}

/// Applies every finding's fix to the project's pages; returns (fixes applied, files written).
///
/// Only pages of the project are written (a fix for any other file is skipped), and only when
/// the file still holds the text that was checked.
fn apply_fixes(project: &Project, report: &Report) -> Result<(usize, usize)> {
    let mut by_file: BTreeMap<&str, Vec<&Fix>> = BTreeMap::new();
    for d in &report.diagnostics {
        if let Some(fix) = &d.fix {
            by_file.entry(d.file.as_str()).or_default().push(fix);
        }
    }
    let pages: std::collections::HashMap<&str, &crate::page::PageRef> =
        project.pages.iter().map(|p| (p.file.as_str(), p)).collect();
    let root = canonical(&project.settings.root)?;
    let (mut fixed, mut files) = (0, 0);
    for (file, fixes) in by_file {
        let Some(page) = pages.get(file) else {
            eprintln!("warning: not fixing {file}: it is not a page of the project");
            continue;
        };
        let path = canonical(&page.path)?;
        if !path.starts_with(&root) {
            eprintln!(
                "warning: not fixing {}: it is outside the project folder",
                page.path.display()
            );
            continue;
        }
        let current = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        if current != page.original_text() {
            eprintln!("warning: not fixing {file}: it changed while it was checked");
            continue;
        }
        let (text, n) = diag::apply_fixes(&current, &fixes);
        if n == 0 || text == current {
            continue;
        }
        if let Some(why) = not_writable(&path) {
            eprintln!(
                "warning: not fixing {file}: {why}; {n} fix{} not applied",
                if n == 1 { "" } else { "es" }
            );
            continue;
        }
        write_atomically(&path, &text)?;
        fixed += n;
        files += 1;
    }
    Ok((fixed, files))
}

/// Why `path` must not be rewritten, if it must not: its permission bits say read-only (for
/// every user, root included: the rename of [`write_atomically`] would replace it whatever its
/// bits, so they are read here), or this user may not open it for writing.
fn not_writable(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    if meta.permissions().readonly() {
        return Some("it is read-only (its permissions allow no writing)".to_string());
    }
    match std::fs::OpenOptions::new().write(true).open(path) {
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            Some("you may not write to it".to_string())
        }
        _ => None,
    }
}

/// Writes `text` to a temporary file beside `path`, then renames it over `path`, so a reader
/// (or a crash) never sees half a file. The original permissions are kept.
fn write_atomically(path: &Path, text: &str) -> Result<()> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.stepbook-fix-{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        if let Ok(meta) = std::fs::metadata(path) {
            std::fs::set_permissions(&tmp, meta.permissions())?;
        }
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::io(path, e));
    }
    Ok(())
}

/// `path` with symlinks and `..` resolved.
fn canonical(path: &Path) -> Result<PathBuf> {
    std::fs::canonicalize(path).map_err(|e| Error::io(path, e))
}

/// Groups the command-line paths into projects to check.
///
/// Errors: a path that does not exist, or a file that is not Markdown.
fn targets(paths: &[PathBuf]) -> Result<Vec<Target>> {
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    let mut dirs: Vec<PathBuf> = Vec::new();
    let mut files: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
        if meta.is_dir() {
            if !dirs.contains(path) {
                dirs.push(path.clone());
            }
            continue;
        }
        if !is_markdown(path) {
            return Err(Error::Invalid(format!(
                "{}: not a Markdown file (expected a folder or a .md file)",
                path.display()
            )));
        }
        let file = canonical(path)?;
        let root = project_root_of(&file)?;
        let list = files.entry(root).or_default();
        if !list.contains(&file) {
            list.push(file);
        }
    }
    let mut out: Vec<Target> = Vec::new();
    for dir in dirs {
        let canonical_dir = canonical(&dir)?;
        match project_root_of_dir(&canonical_dir)? {
            Some(root) => out.push(Target {
                under: (root != canonical_dir).then_some(canonical_dir),
                root,
                only: None,
            }),
            None => out.push(Target {
                root: dir,
                only: None,
                under: None,
            }),
        }
    }
    out.extend(files.into_iter().map(|(root, only)| Target {
        root,
        only: Some(only),
        under: None,
    }));
    Ok(out)
}

/// The project folder for folder `dir` (canonical), as cargo finds Cargo.toml: `dir` itself
/// when it holds a book.toml, else the nearest ancestor with a book.toml whose content folder
/// holds `dir`; `None` when there is none (then `dir` is a project without configuration).
fn project_root_of_dir(dir: &Path) -> Result<Option<PathBuf>> {
    if dir.join(CONFIG_FILE).is_file() {
        return Ok(Some(dir.to_path_buf()));
    }
    for above in dir.ancestors().skip(1) {
        if above.join(CONFIG_FILE).is_file() {
            let settings = crate::config::Settings::load(above)?;
            let content = canonical(&settings.content_dir).unwrap_or(settings.content_dir);
            if dir.starts_with(&content) {
                return Ok(Some(above.to_path_buf()));
            }
            return Ok(None);
        }
    }
    Ok(None)
}

/// The project folder for Markdown file `file` (canonical): the nearest ancestor with a
/// book.toml whose content folder holds the file, else the file's own folder.
fn project_root_of(file: &Path) -> Result<PathBuf> {
    let own = file
        .parent()
        .unwrap_or_else(|| Path::new("/"))
        .to_path_buf();
    for dir in file.ancestors().skip(1) {
        if dir.join(CONFIG_FILE).is_file() {
            let settings = crate::config::Settings::load(dir)?;
            let content = canonical(&settings.content_dir).unwrap_or(settings.content_dir);
            if file.starts_with(&content) {
                return Ok(dir.to_path_buf());
            }
            break;
        }
    }
    Ok(own)
}

/// One report from the reports of several projects, every file path made relative to the
/// current directory (as rustc, ripgrep and Ruff print them), so that a CI annotation or an
/// editor link opens the right file wherever the command ran. Only the sources that a finding
/// points into are kept: the formats read nothing else.
pub(crate) fn relative_to_cwd(reports: Vec<(PathBuf, Report)>) -> Report {
    let cwd = std::env::current_dir()
        .ok()
        .map(|c| std::fs::canonicalize(&c).unwrap_or(c));
    let mut out = Report::default();
    for (root, report) in reports {
        out.pages += report.pages;
        let root = std::fs::canonicalize(&root).unwrap_or(root);
        let shown = |file: &str| match &cwd {
            Some(cwd) => display_path(&crate::lexical::normalize(&root.join(file)), cwd),
            None => file.to_string(),
        };
        let used: std::collections::HashSet<&str> =
            report.diagnostics.iter().map(|d| d.file.as_str()).collect();
        for (file, src) in &report.sources {
            if used.contains(file.as_str()) {
                out.sources.insert(shown(file), src.clone());
            }
        }
        out.diagnostics
            .extend(report.diagnostics.into_iter().map(|d| Diagnostic {
                file: shown(&d.file),
                ..d
            }));
    }
    out.sort();
    out.diagnostics.dedup();
    out
}

/// `path` relative to `cwd`, `/`-separated, with `../` when it is beside rather than below
/// (`content/a.md`, `../docs/a.md`); the absolute path when they share nothing but the root.
pub fn display_path(path: &Path, cwd: &Path) -> String {
    let p: Vec<_> = path.components().collect();
    let c: Vec<_> = cwd.components().collect();
    let common = p.iter().zip(&c).take_while(|(a, b)| a == b).count();
    if common <= 1 && c.len() > 1 {
        return path.to_string_lossy().replace('\\', "/");
    }
    let mut parts: Vec<String> = vec!["..".to_string(); c.len() - common];
    parts.extend(
        p[common..]
            .iter()
            .map(|s| s.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_relative_to_the_current_directory() {
        let cwd = Path::new("/r");
        assert_eq!(
            display_path(Path::new("/r/content/a.md"), cwd),
            "content/a.md"
        );
        assert_eq!(
            display_path(Path::new("/r/content/a.md"), Path::new("/r/content")),
            "a.md"
        );
        assert_eq!(
            display_path(Path::new("/r/docs/a.md"), Path::new("/r/content")),
            "../docs/a.md"
        );
        assert_eq!(
            display_path(Path::new("/x/a.md"), Path::new("/r/c")),
            "/x/a.md"
        );
    }

    #[test]
    fn rule_levels_parse() {
        assert_eq!(
            parse_rule_level("orphan-image=allow"),
            Ok(("orphan-image".to_string(), Level::Allow))
        );
        assert!(parse_rule_level("orphan-image").is_err());
        assert!(parse_rule_level("=error").is_err());
        assert!(
            parse_rule_level("x=loud")
                .unwrap_err()
                .contains("unknown level")
        );
    }
}
