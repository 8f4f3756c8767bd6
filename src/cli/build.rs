//! `stepbook build [DIR] [-d DEST] [--strict]`: load the project, render the site into the build
//! dir (swapped in whole, see [`crate::output::write_site`]; the replaced site is kept as the
//! spare the next build updates in place), run the offline checks and print their findings to
//! stderr, then one summary line on stdout.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::{ColorChoice, Outcome};
use crate::check::{self, CheckOptions};
use crate::config::Settings;
use crate::diag::{Level, human};
use crate::error::Result;
use crate::images::derive::DeriveStats;
use crate::lexical::absolute;
use crate::output::{Staging, check_build_dir};
use crate::page::cache::ParseStats;
use crate::project::Book;
use crate::render::Renderer;

/// Arguments of `stepbook build`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The project folder (with book.toml), or any folder of Markdown.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Build into this folder instead of `build-dir` of book.toml; relative to the project
    /// folder, as in mdBook.
    #[arg(short = 'd', long = "dest-dir", value_name = "DEST")]
    pub dest_dir: Option<PathBuf>,
    /// Exit with status 1 when the checks find an error.
    #[arg(long)]
    pub strict: bool,
}

/// The folder to build for `dir`: a generator site's docs folder when `dir` is such a site's
/// root ([`crate::site::docs_folder_of`]: `mkdocs build` builds `docs/`, not the repository),
/// said once on stderr; else `dir`.
pub(crate) fn built_folder(dir: &Path) -> PathBuf {
    let dir = absolute(dir);
    match crate::site::docs_folder_of(&dir) {
        Some((docs, config)) => {
            let cwd = std::env::current_dir().unwrap_or_else(|_| dir.clone());
            let shown = super::check::display_path(&docs, &cwd);
            eprintln!("building {shown}/, the docs folder {config} names");
            docs
        }
        None => dir,
    }
}

/// Runs `stepbook build`.
///
/// Errors (exit 2): unreadable or invalid book.toml, malformed front matter, an unsafe build
/// dir, a template error, or a file that cannot be written; each message names the file.
pub fn run(args: &Args, color: ColorChoice) -> Result<Outcome> {
    let started = Instant::now();
    let progress = crate::progress::start(crate::progress::wanted());
    let mut settings = Settings::load(&built_folder(&args.dir))?;
    if let Some(dest) = &args.dest_dir {
        settings.build_dir = absolute(&settings.root.join(dest));
    }
    check_build_dir(&settings)?;
    for rel in crate::mdbook::create_missing(&settings)? {
        eprintln!("created {rel} (listed in SUMMARY.md; create-missing = true)");
    }
    let mut project = Book::load_with(settings)?;
    // Like `check`: a folder without a page is a mistyped path, not an empty site.
    super::require_pages(&project)?;
    let derived = project.derive_images();
    // The checks' per-page part runs first: its records name the files pages reach, which the
    // renderer publishes. When it cannot run (an unknown rule id), the renderer resolves them
    // itself and the same error stops the build where the checks run below.
    let opts = CheckOptions {
        names_from: crate::site::Shown::cwd(),
        ..CheckOptions::default()
    };
    let checked = check::check_pages(&project, &opts);
    let mut renderer = Renderer::new(&project)?;
    if let Ok(checked) = &checked {
        renderer = renderer.with_reached_files(checked.reached_files());
    }
    // Everything that can fail runs before the swap (the checks resolve their configuration:
    // rule levels, scope sources), so a failed build leaves the previous site in place. The
    // report is made before rendering, so that what its site rules hold meanwhile is free
    // again for the renderer (a build's memory peaks at the end of rendering).
    let report = super::check::relative_to_cwd(vec![(
        project.settings.root.clone(),
        check::report(&project, &opts, checked?),
    )]);
    // Pages are written to the staging folder as they are rendered (not held in memory); it
    // is swapped in only at the end, and given back (or removed) when anything before fails.
    let mut staging = Staging::start(&project.settings)?;
    // Pages an earlier build rendered from the same inputs are kept or copied, not rendered.
    let keys = crate::render::incremental::page_keys(&renderer, &project);
    staging.expect_pages(keys.clone());
    let (site, index) = renderer.render_site_reusing(
        &project,
        &|path, bytes| staging.write(path, bytes),
        &|path, _| staging.reuse_page(path),
        &keys,
    )?;
    let (kept, copied) = staging.pages_reused();
    staging.fill(&site)?;
    let pages = project
        .pages
        .iter()
        .filter(|p| renderer.publishes(&project, p))
        .count();
    let (settings, parse_stats) = (project.settings.clone(), project.parse_stats);
    match index {
        Some(index) => {
            // The search index is built last, in the memory of the project (its page models),
            // which nothing needs any more.
            drop(project);
            let files = index.build()?.files.into_iter().collect();
            staging.fill(&crate::render::Site { files })?;
        }
        // Left to the end of the process (see below).
        None => std::mem::forget(project),
    }
    let written = staging.swap()?;
    drop(progress);
    let elapsed = started.elapsed().as_secs_f64();
    let stderr = std::io::stderr();
    let findings = human::render(&report, color.enabled(stderr.is_terminal()));
    if !findings.is_empty() {
        eprint!("{findings}");
    }
    if let Some(warning) = settings.html.warning() {
        eprintln!("warning: {warning}");
    }
    for note in &written.notes {
        eprintln!("warning: {note}");
    }
    let images = site
        .image_count()
        .saturating_sub(derived.made + derived.reused);
    println!(
        "Built {pages} page{}{} and {images} image{}{} into {} in {elapsed:.2} s{}",
        plural(pages),
        reuse_summary(pages, kept + copied, parse_stats),
        plural(images),
        derivatives_summary(&derived),
        shown_dir(&settings.build_dir),
        findings_summary(report.count(Level::Error), report.count(Level::Warning)),
    );
    let failed = args.strict && report.has_errors();
    // The renderer and the site (and the project, without search) are left to the end of the
    // process instead of being freed piece by piece (millions of small allocations at 10,000
    // pages), as `check` does: `build` runs once per process.
    std::mem::forget((renderer, site, report));
    Ok(if failed {
        Outcome::Findings
    } else {
        Outcome::Success
    })
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// What earlier builds spared this one: ` (1 rendered, 9999 unchanged; 1 parsed, 10000
/// cached)`. The first part when pages were not rendered because an earlier build rendered them
/// from the same inputs; the second when page models came from the page cache (it counts every
/// Markdown file read, drafts and pages that are not published included). Empty when neither.
fn reuse_summary(pages: usize, unchanged: usize, parse: ParseStats) -> String {
    let mut parts = Vec::new();
    if unchanged > 0 {
        parts.push(format!(
            "{} rendered, {unchanged} unchanged",
            pages.saturating_sub(unchanged)
        ));
    }
    if parse.cached > 0 {
        parts.push(format!("{} parsed, {} cached", parse.parsed, parse.cached));
    }
    if parts.is_empty() {
        return String::new();
    }
    format!(" ({})", parts.join("; "))
}

/// ` (4 derivatives: 0 made, 4 reused)`, or empty when no screenshot was resized.
fn derivatives_summary(d: &DeriveStats) -> String {
    let total = d.made + d.reused;
    if total == 0 {
        return String::new();
    }
    format!(
        " ({total} derivative{}: {} made, {} reused)",
        plural(total),
        d.made,
        d.reused
    )
}

/// ` (2 errors, 1 warning)`, or empty when the checks found nothing.
fn findings_summary(errors: usize, warnings: usize) -> String {
    match (errors, warnings) {
        (0, 0) => String::new(),
        (e, 0) => format!(" ({e} error{})", plural(e)),
        (0, w) => format!(" ({w} warning{})", plural(w)),
        (e, w) => format!(" ({e} error{}, {w} warning{})", plural(e), plural(w)),
    }
}

/// The build dir relative to the current folder when it is below it (`book/`), else absolute.
fn shown_dir(dir: &Path) -> String {
    let rel = std::env::current_dir()
        .ok()
        .and_then(|cwd| dir.strip_prefix(absolute(&cwd)).ok().map(Path::to_path_buf));
    match rel {
        Some(r) if !r.as_os_str().is_empty() => format!("{}/", r.display()),
        _ => format!("{}/", dir.display()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_counts() {
        assert_eq!(findings_summary(0, 0), "");
        assert_eq!(findings_summary(1, 0), " (1 error)");
        assert_eq!(findings_summary(2, 1), " (2 errors, 1 warning)");
    }
}
