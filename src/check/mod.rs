//! The checks: the [`Rule`] trait, the run that applies every registered rule to a loaded
//! [`Project`], levels (`[check.rules]`, `--rule ID=LEVEL`) and suppression comments.
//!
//! Rules read the page model only; none parses Markdown. Pages are checked in parallel, then
//! findings are filtered, levelled and sorted, so output is deterministic.

pub mod records;
pub mod registry;
pub mod rules;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::{Arc, LazyLock, OnceLock};

use rayon::prelude::*;

use crate::diag::{Diagnostic, Level, Report, SourceFile};
use crate::error::{Error, Result};
use crate::page::{Facts, Page, PageRef};
use crate::project::Project;
use crate::record_file::{Key, RecordFile};
use crate::resolve::{self, Found, Target};
use crate::scopes::{PageScopes, ResolvedSources};
use crate::site::targets::PageTargets;
use crate::source::Span;
use rustc_hash::FxHashMap;

pub use crate::diag::RuleMeta;
pub use records::{CheckStats, PageRecord};
pub use registry::{RULES, find_rule, metas};

/// A finding as a rule reports it, before levels and suppressions apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Path relative to the checked root (usually [`Page::file`]).
    pub file: String,
    /// Where.
    pub span: Span,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// A safe automatic fix.
    pub fix: Option<crate::diag::Fix>,
}

impl Finding {
    /// A finding in `page` at `span`.
    pub fn new(page: &Page, span: Span, message: impl Into<String>) -> Self {
        Finding {
            file: page.file.clone(),
            span,
            message: message.into(),
            help: None,
            fix: None,
        }
    }

    /// A finding in the file `file` (relative to the checked root) at `span`.
    pub fn at(file: &str, span: Span, message: impl Into<String>) -> Self {
        Finding {
            file: file.to_string(),
            span,
            message: message.into(),
            help: None,
            fix: None,
        }
    }

    /// Adds a help line.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// A check. Implement [`Rule::check_page`] for per-page rules (run in parallel) and
/// [`Rule::check_site`] for whole-site rules (run once), then add the rule to
/// [`registry::RULES`].
pub trait Rule: Sync {
    /// Id, default level, summary and docs.
    fn meta(&self) -> &'static RuleMeta;

    /// Checks one page.
    fn check_page(&self, _cx: &Context<'_>, _page: &Page, _out: &mut Vec<Finding>) {}

    /// Checks the whole site once.
    fn check_site(&self, _cx: &Context<'_>, _out: &mut Vec<Finding>) {}

    /// True when the rule's page findings already name the file and span in that file where
    /// they sit. Otherwise (the default) a page finding's span is in the page's text after
    /// mdBook's directives were expanded, and [`run`] maps it back through
    /// [`Page::source_map`] to the file it came from (an included file, or the page itself).
    fn spans_in_sources(&self) -> bool {
        false
    }
}

/// What rules can see: the project, and lookups shared by all rules.
pub struct Context<'a> {
    /// The loaded project.
    pub project: &'a Project,
    /// Each page's index in [`Project::pages`] by its content-relative path.
    by_rel: FxHashMap<&'a str, usize>,
    /// Extra data computed before the run by rules that need it (scope sources).
    pub scopes: Option<&'a crate::scopes::ResolvedSources>,
    /// Per-page analyses that several rules read, filled on first use (one slot per page of
    /// [`Project::pages`], same order).
    analyses: Vec<PageAnalyses>,
    /// What checking each page gave (same order), for the site rules.
    records: &'a [Arc<PageRecord>],
    /// Names files in messages and help lines as the `-->` lines do: relative to the current
    /// directory.
    pub shown: crate::site::Shown,
}

/// Another page as a rule checking one page sees it: its paths and [`PageFacts`], never its
/// whole model (so that what a page's findings depend on in other pages is known, see
/// [`records`]).
#[derive(Debug, Clone, Copy)]
pub struct OtherPage<'a> {
    /// [`Page::rel`].
    pub rel: &'a str,
    /// [`Page::file`].
    pub file: &'a str,
    /// The page's facts.
    pub facts: Facts<'a>,
}

/// Analyses of one page shared by several rules, each computed at most once per run.
#[derive(Default)]
struct PageAnalyses {
    /// The page's scope lists compared with the sources (scope-missing, scope-unexpected and
    /// scope-deprecated all read it).
    scopes: OnceLock<PageScopes>,
    /// The page's link and image destinations, resolved (every link and image rule reads them).
    targets: OnceLock<PageTargets>,
}

/// The sources used when a run has none loaded.
static NO_SOURCES: LazyLock<ResolvedSources> = LazyLock::new(ResolvedSources::default);

impl<'a> Context<'a> {
    /// A context over `project`.
    pub fn new(project: &'a Project) -> Self {
        Context {
            project,
            by_rel: project
                .pages
                .iter()
                .enumerate()
                .map(|(i, p)| (p.rel.as_str(), i))
                .collect(),
            scopes: None,
            analyses: project
                .pages
                .iter()
                .map(|_| PageAnalyses::default())
                .collect(),
            records: &[],
            shown: crate::site::Shown::new(&project.settings, None),
        }
    }

    /// The page at content-relative path `rel`, as a rule checking another page may see it.
    pub fn page(&self, rel: &str) -> Option<OtherPage<'a>> {
        let p = &self.project.pages[*self.by_rel.get(rel)?];
        Some(OtherPage {
            rel: &p.rel,
            file: &p.file,
            facts: p.facts(),
        })
    }

    /// What checking each page of [`Project::pages`] gave (same order): the site rules read
    /// this instead of the pages. Empty before the pages are checked.
    pub fn records(&self) -> &'a [Arc<PageRecord>] {
        self.records
    }

    /// The scope lists of `page` compared with the run's sources ([`ResolvedSources::analyze`];
    /// no sources when none are loaded). Computed once per page and run, whichever rule asks
    /// first; a page that is not one of the project's is analysed afresh on every call.
    pub fn scope_analysis(&self, page: &Page) -> Cow<'_, PageScopes> {
        let sources = self.scopes.unwrap_or(&NO_SOURCES);
        match self.slot(page) {
            Some(slot) => Cow::Borrowed(slot.scopes.get_or_init(|| sources.analyze(page))),
            None => Cow::Owned(sources.analyze(page)),
        }
    }

    /// The analysis slot of `page`, when it is (the decoded model of) one of the project's
    /// pages.
    fn slot(&self, page: &Page) -> Option<&PageAnalyses> {
        let i = *self.by_rel.get(page.rel.as_str())?;
        let p = &self.project.pages[i];
        (p.is_decoded() && std::ptr::eq(&**p, page)).then(|| &self.analyses[i])
    }

    /// Resolves `dest` written in `page` (see [`resolve::resolve`]). For the page's own links
    /// and images, [`Context::targets`] has the answers already.
    pub fn resolve(&self, page: &Page, dest: &str) -> Target {
        resolve::resolve(&self.project.site, &page.rel, dest)
    }

    /// Where each link and image of `page` points ([`PageTargets`]): resolved once per page
    /// and run, whichever rule asks first; a page that is not one of the project's is resolved
    /// afresh on every call.
    pub fn targets(&self, page: &Page) -> Cow<'_, PageTargets> {
        let site = &self.project.site;
        match self.slot(page) {
            Some(slot) => Cow::Borrowed(
                slot.targets
                    .get_or_init(|| PageTargets::resolve(site, page)),
            ),
            None => Cow::Owned(PageTargets::resolve(site, page)),
        }
    }
}

/// Per-run options: level overrides and which files to report on.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// `--rule ID=LEVEL` overrides (applied after `[check.rules]`).
    pub levels: BTreeMap<String, Level>,
    /// When set, only findings in these files (relative to the checked root) are reported.
    pub only_files: Option<Vec<String>>,
    /// Rules that need the network run (`--external`).
    pub external: bool,
    /// The folder that messages and help lines name files from (canonical): the current
    /// directory for the command line, whose `-->` lines name files from there too
    /// ([`crate::cli::check::relative_to_cwd`]). `None`: the project root, the base of
    /// [`Diagnostic::file`] in the report.
    pub names_from: Option<std::path::PathBuf>,
}

/// The level in force for each registered rule: default, then book.toml, then command line.
///
/// Errors: an unknown rule id, with the closest known id suggested.
pub fn levels(project: &Project, opts: &CheckOptions) -> Result<BTreeMap<&'static str, Level>> {
    let mut out: BTreeMap<&'static str, Level> = RULES
        .iter()
        .map(|r| (r.meta().id, r.meta().default_level))
        .collect();
    let from_config = project
        .settings
        .rule_levels
        .iter()
        .map(|(k, v)| (k, v, true));
    let from_cli = opts.levels.iter().map(|(k, v)| (k, v, false));
    for (id, level, in_config) in from_config.chain(from_cli) {
        let Some(rule) = find_rule(id) else {
            let help = registry::suggest(id).map(|s| format!("did you mean `{s}`?"));
            let config = project.settings.config.as_ref().filter(|_| in_config);
            if let Some(config) = config {
                let span = config.key(&["check", "rules", id]).unwrap_or_default();
                return Err(config.problem(
                    span,
                    format!("unknown rule `{id}` in [check.rules]"),
                    help.or_else(|| Some("`stepbook rules` lists the rule ids".into())),
                ));
            }
            return Err(Error::Invalid(format!(
                "unknown rule `{id}` in --rule{}",
                help.map(|h| format!("; {h}")).unwrap_or_default()
            )));
        };
        out.insert(rule.meta().id, *level);
    }
    Ok(out)
}

/// Runs every registered rule over `project` and returns the sorted report.
///
/// Errors: unknown rule ids in the level settings.
pub fn run(project: &Project, opts: &CheckOptions) -> Result<Report> {
    run_counted(project, opts).map(|(report, _)| report)
}

/// [`run`], also saying how many pages were checked and how many reused their record.
///
/// Errors: as [`run`].
pub fn run_counted(project: &Project, opts: &CheckOptions) -> Result<(Report, CheckStats)> {
    let checked = check_pages(project, opts)?;
    let stats = checked.stats;
    Ok((report(project, opts, checked), stats))
}

/// The pages of a project checked: levels, scope sources and each page's record.
pub struct Checked {
    levels: BTreeMap<&'static str, Level>,
    scopes: ResolvedSources,
    active: Vec<&'static dyn Rule>,
    records: Vec<Arc<PageRecord>>,
    /// How many pages were checked and how many reused their record.
    pub stats: CheckStats,
}

impl Checked {
    /// Site paths of the files other than pages that the pages' links, images and imports
    /// reach (what a build publishes besides the pages and the resource folders).
    pub fn reached_files(&self) -> std::collections::HashSet<String> {
        self.records
            .iter()
            .flat_map(|r| r.published.iter().cloned())
            .collect()
    }
}

/// Runs the per-page rules on every page whose record (`.stepbook-cache/checks.bin`, see
/// [`records`]) was not made from the same inputs, and reads the others' records.
///
/// Errors: as [`run`].
pub fn check_pages(project: &Project, opts: &CheckOptions) -> Result<Checked> {
    let levels = levels(project, opts)?;
    let scopes = crate::scopes::ResolvedSources::load(project)?;
    let active: Vec<&'static dyn Rule> = RULES
        .iter()
        .copied()
        .filter(|r| levels.get(r.meta().id).copied().unwrap_or(Level::Allow) != Level::Allow)
        .filter(|r| opts.external || r.meta().id != "external-link")
        .collect();
    let root = &project.settings.root;
    let (world, file): (Key, RecordFile<PageRecord>) = rayon::join(
        || records::world_key(project, &active, &scopes, opts),
        || RecordFile::open(root, records::FILE, records::MAGIC, records::VERSION),
    );
    let mut cx = Context::new(project);
    cx.shown = crate::site::Shown::new(&project.settings, opts.names_from.clone());
    cx.scopes = Some(&scopes);
    crate::progress::stage("checking pages", project.pages.len());
    let results: Vec<(Arc<PageRecord>, Option<Key>, bool)> = project
        .pages
        .par_iter()
        .map(|page| {
            let key = page.id.map(|id| records::record_key(&world, &id));
            if let Some(known) = key.and_then(|k| file.get(&k)) {
                crate::progress::inc(1);
                return (known.clone(), key, true);
            }
            let before = records::probes();
            let record = check_page(&cx, &active, page);
            // A page whose rules read the disk beyond the world key is checked every time.
            let key = key.filter(|_| records::probes() == before);
            crate::progress::inc(1);
            (Arc::new(record), key, false)
        })
        .collect();
    let reused = results.iter().filter(|r| r.2).count();
    let stats = CheckStats {
        checked: results.len() - reused,
        reused,
    };
    file.store(
        results
            .iter()
            .filter_map(|(r, k, _)| Some(((*k)?, r.clone())))
            .collect(),
    );
    Ok(Checked {
        levels,
        scopes,
        active,
        records: results.into_iter().map(|r| r.0).collect(),
        stats,
    })
}

/// Runs the per-page rules `active` on `page` and notes what the site rules and the build
/// read of it.
fn check_page(cx: &Context<'_>, active: &[&'static dyn Rule], page: &PageRef) -> PageRecord {
    let page: &Page = page;
    let mut record = PageRecord::default();
    for rule in active {
        let mut out = Vec::new();
        rule.check_page(cx, page, &mut out);
        if !rule.spans_in_sources() {
            for f in &mut out {
                to_source(page, f);
            }
        }
        let id = rule.meta().id;
        record
            .findings
            .extend(out.into_iter().map(|f| (id.to_string(), f.into())));
    }
    let site = &cx.project.site;
    let targets = cx.targets(page);
    let imports: Vec<Target> = crate::site::mdx_imports(page)
        .iter()
        .map(|d| cx.resolve(page, d))
        .collect();
    // Images an MkDocs page inlines with `--8<--` are shown, not published as files.
    let snippets: Vec<Target> =
        crate::site::mkdocs::snippet_images(page, site.rules.snippet_prefixes_at(&page.rel))
            .iter()
            .map(|d| cx.resolve(page, d))
            .collect();
    // orphan-image: an image, a link whose path looks like an image file, an import, an inlined
    // snippet, and the GitHub address of a file of this repository.
    let linked = page
        .links
        .iter()
        .zip(&targets.links)
        .filter(|(l, _)| crate::images::is_image_path(resolve::split_fragment(&l.dest).0))
        .map(|(_, t)| t);
    for target in targets
        .images
        .iter()
        .chain(linked)
        .chain(&imports)
        .chain(&snippets)
    {
        match target {
            Target::Site {
                found: Found::File(p),
                ..
            } => record.used_images.push(p.clone()),
            Target::Site {
                found: Found::CaseMismatch(v),
                ..
            } => record.used_images.extend(v.iter().cloned()),
            Target::External(url) => {
                record
                    .used_images
                    .extend(crate::site::github::raw_file(url, &site.rules, site))
            }
            _ => {}
        }
    }
    for (image, target) in page.images.iter().zip(&targets.images) {
        if let Target::Site {
            found: Found::File(p),
            ..
        } = target
            && site.image(p).is_some_and(|i| i.problem.is_some())
        {
            record.unreadable.push((p.clone(), image.span));
        }
    }
    // A build copies the files besides pages that pages reach (pages it renders).
    for target in targets.links.iter().chain(&targets.images).chain(&imports) {
        if let Target::Site {
            found: Found::File(p),
            ..
        } = target
            && !crate::project::is_markdown(std::path::Path::new(p))
        {
            record.published.push(p.clone());
        }
    }
    if let Some(scopes) = cx.scopes.filter(|s| !s.is_empty()) {
        let governing = scopes.governing(page);
        if !governing.is_empty() {
            for report in &cx.scope_analysis(page).lists {
                record.scope_listed.extend(report.sources.iter().copied());
            }
            record.scope_governing = governing
                .into_iter()
                .map(|i| (i, scopes.governs_by_name(i, page)))
                .collect();
        }
    }
    record
}

/// The report of a project whose pages were `checked`: the site rules run, then levels,
/// suppressions and `opts.only_files` applied and the findings sorted.
pub fn report(project: &Project, opts: &CheckOptions, checked: Checked) -> Report {
    let Checked {
        levels,
        scopes,
        active,
        records,
        ..
    } = checked;
    let mut cx = Context::new(project);
    cx.shown = crate::site::Shown::new(&project.settings, opts.names_from.clone());
    cx.scopes = Some(&scopes);
    cx.records = &records;
    let mut findings: Vec<(&'static str, Finding)> = Vec::new();
    for record in &records {
        for (id, f) in &record.findings {
            // A record names the rules of this run (the rules are part of its key).
            let Some(rule) = find_rule(id) else { continue };
            findings.push((rule.meta().id, f.into()));
        }
    }
    for rule in &active {
        let mut out = Vec::new();
        rule.check_site(&cx, &mut out);
        findings.extend(out.into_iter().map(|f| (rule.meta().id, f)));
    }
    let mut report = Report {
        pages: opts
            .only_files
            .as_ref()
            .map_or(project.pages.len(), Vec::len),
        ..Report::default()
    };
    for page in &project.pages {
        match &page.source_map {
            Some(map) => {
                for f in map.files() {
                    if !report.sources.contains_key(&f.file) {
                        report
                            .sources
                            .insert(f.file.clone(), SourceFile::new(f.text.clone()));
                    }
                }
            }
            None => {
                report
                    .sources
                    .insert(page.file.clone(), SourceFile::new(page.source.clone()));
            }
        }
    }
    if let Some((path, text)) = &project.summary {
        let file = crate::project::relative_slash(&project.settings.root, path);
        report
            .sources
            .entry(file)
            .or_insert_with(|| SourceFile::new(text.as_str()));
    }
    if let Some(nav) = &project.site.rules.mkdocs_nav {
        report
            .sources
            .entry(nav.file.clone())
            .or_insert_with(|| SourceFile::new(nav.text.clone()));
    }
    let suppressed = suppressions(project, &report);
    for (rule, f) in findings {
        if let Some(only) = &opts.only_files
            && !only.contains(&f.file)
        {
            continue;
        }
        let d = Diagnostic {
            rule,
            level: levels.get(rule).copied().unwrap_or(Level::Error),
            file: f.file,
            span: f.span,
            message: f.message,
            help: f.help,
            fix: f.fix,
        };
        let line = report.locate(&d).start.line;
        if suppressed.contains(&(d.file.clone(), line, rule.to_string())) {
            continue;
        }
        report.diagnostics.push(d);
    }
    if let Some(config) = &project.settings.config
        && report.diagnostics.iter().any(|d| d.file == config.file)
    {
        report
            .sources
            .insert(config.file.clone(), SourceFile::new(config.text.clone()));
    }
    report.sort();
    report.diagnostics.dedup();
    report
}

/// Moves a page finding from the page's expanded text to the file it came from (see
/// [`Rule::spans_in_sources`]); a fix is kept only when it lands in the same file.
fn to_source(page: &Page, f: &mut Finding) {
    let Some(map) = &page.source_map else {
        return;
    };
    if f.file != page.file {
        return;
    }
    let (file, span) = map.locate(f.span);
    if let Some(at) = map.included_at(f.span.start) {
        f.message.push_str(&map.via(at));
    }
    if let Some(fix) = &mut f.fix {
        let (fix_file, fix_span) = map.locate(fix.span);
        if fix_file == file && fix_span.len() == fix.span.len() {
            fix.span = fix_span;
        } else {
            f.fix = None;
        }
    }
    if let Some(mf) = map.files().get(file) {
        f.file = mf.file.clone();
    }
    f.span = span;
}

/// `(file, line, rule)` triples silenced by `<!-- stepbook-ignore RULE: … -->` on the line
/// before.
fn suppressions(
    project: &Project,
    report: &Report,
) -> std::collections::HashSet<(String, usize, String)> {
    let mut out = std::collections::HashSet::new();
    for page in &project.pages {
        for s in page.head().suppressions {
            let end = Span::new(s.span.end.saturating_sub(1), s.span.end);
            let (file, end) = match &page.source_map {
                Some(map) => {
                    let (i, span) = map.locate(end);
                    let Some(f) = map.files().get(i) else {
                        continue;
                    };
                    (f.file.clone(), span)
                }
                None => (page.file.clone(), end),
            };
            let Some(src) = report.sources.get(&file) else {
                continue;
            };
            let end_line = src.index().line(end.start);
            out.insert((file, end_line + 1, s.rule.clone()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_analysis_is_computed_once_per_page() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/scopes/bullet-list");
        crate::cache::never_create_in(&dir);
        let project = Project::load(&dir).expect("fixture loads");
        let sources = ResolvedSources::load(&project).expect("sources load");
        let mut cx = Context::new(&project);
        cx.scopes = Some(&sources);
        let page = &project.pages[0];
        let first = cx.scope_analysis(page);
        let second = cx.scope_analysis(page);
        assert!(matches!(first, Cow::Borrowed(_)));
        assert!(
            std::ptr::eq(&*first, &*second),
            "the second call reuses the first"
        );
        assert_eq!(first.lists.len(), 1);
        // A page that is not one of the project's is analysed afresh.
        let copy = page.clone();
        assert!(matches!(cx.scope_analysis(&copy), Cow::Owned(_)));
    }
}
