//! The checks: the [`Rule`] trait, the run that applies every registered rule to a loaded
//! [`Project`], levels (`[check.rules]`, `--rule ID=LEVEL`) and suppression comments.
//!
//! Rules read the page model only; none parses Markdown. Pages are checked in parallel, then
//! findings are filtered, levelled and sorted, so output is deterministic.

pub mod registry;
pub mod rules;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::{LazyLock, OnceLock};

use rayon::prelude::*;

use crate::diag::{Diagnostic, Level, Report, SourceFile};
use crate::error::{Error, Result};
use crate::page::Page;
use crate::project::Project;
use crate::resolve::{self, Target};
use crate::scopes::{PageScopes, ResolvedSources};
use crate::site::targets::PageTargets;
use crate::source::Span;
use rustc_hash::FxHashMap;

pub use crate::diag::RuleMeta;
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
    /// Each page by its content-relative path.
    by_rel: FxHashMap<&'a str, &'a Page>,
    /// Extra data computed before the run by rules that need it (scope sources).
    pub scopes: Option<&'a crate::scopes::ResolvedSources>,
    /// Per-page analyses that several rules read, filled on first use (one slot per page of
    /// [`Project::pages`], same order).
    analyses: Vec<PageAnalyses>,
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
            by_rel: project.pages.iter().map(|p| (p.rel.as_str(), p)).collect(),
            scopes: None,
            analyses: project
                .pages
                .iter()
                .map(|_| PageAnalyses::default())
                .collect(),
        }
    }

    /// The page at content-relative path `rel`.
    pub fn page(&self, rel: &str) -> Option<&'a Page> {
        self.by_rel.get(rel).copied()
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

    /// The analysis slot of `page`, when it is one of the project's pages: found by address
    /// (the page lies in [`Project::pages`]), with no hashing per call.
    fn slot(&self, page: &Page) -> Option<&PageAnalyses> {
        let pages = &self.project.pages;
        let offset = (page as *const Page as usize).checked_sub(pages.as_ptr() as usize)?;
        let size = std::mem::size_of::<Page>();
        let i = offset / size;
        let p = pages.get(i).filter(|_| offset % size == 0)?;
        std::ptr::eq(p, page).then(|| &self.analyses[i])
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
    let levels = levels(project, opts)?;
    let scopes = crate::scopes::ResolvedSources::load(project)?;
    let mut cx = Context::new(project);
    cx.scopes = Some(&scopes);
    let active: Vec<&dyn Rule> = RULES
        .iter()
        .copied()
        .filter(|r| levels.get(r.meta().id).copied().unwrap_or(Level::Allow) != Level::Allow)
        .filter(|r| opts.external || r.meta().id != "external-link")
        .collect();
    crate::progress::stage("checking pages", project.pages.len());
    let mut findings: Vec<(&'static str, Finding)> = project
        .pages
        .par_iter()
        .flat_map_iter(|page| {
            let mut all = Vec::new();
            for rule in &active {
                let mut out = Vec::new();
                rule.check_page(&cx, page, &mut out);
                if !rule.spans_in_sources() {
                    for f in &mut out {
                        to_source(page, f);
                    }
                }
                all.extend(out.into_iter().map(|f| (rule.meta().id, f)));
            }
            crate::progress::inc(1);
            all
        })
        .collect();
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
    Ok(report)
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
        for s in &page.suppressions {
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
