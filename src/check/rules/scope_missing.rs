//! scope-missing: a guide's scope list lacks a scope that a source governing it requires
//! (SPEC.md, Rules and Scope lists). One finding per list, on the list's first line, naming each
//! missing scope, the source that requires it and where that source is declared.

use std::collections::BTreeMap;

use crate::check::{Context, Finding, Rule, RuleMeta};
use crate::diag::Level;
use crate::page::Page;
use crate::scopes::{ResolvedSources, Shape};
use crate::source::Span;

/// The rule.
pub struct ScopeMissing;

static META: RuleMeta = RuleMeta {
    id: "scope-missing",
    default_level: Level::Error,
    summary: "a guide's scope list lacks a scope that its declared source requires",
    docs: include_str!("scope-missing.md"),
};

impl Rule for ScopeMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_site(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(scopes) = cx.scopes else { return };
        let mut governs = vec![false; scopes.sources.len()];
        for page in &cx.project.pages {
            for i in scopes.governing(page) {
                governs[i] = true;
            }
        }
        for (s, _) in scopes.sources.iter().zip(governs).filter(|(_, g)| !g) {
            let patterns: Vec<String> = s
                .guide_patterns
                .iter()
                .map(|g| format!("\"{g}\""))
                .collect();
            out.push(Finding {
                file: s.declared_in.clone(),
                span: s.declared_at.unwrap_or_default(),
                message: format!(
                    "scope source \"{}\" governs no guide: no page matches guides = [{}] and no front matter names it",
                    s.name,
                    patterns.join(", ")
                ),
                help: Some(
                    "write `guides` relative to the content root (`CREDENTIALS.md`, `guides/*.md`), or name the source in a guide's front matter (`scopes: [\"Name\"]`)".into(),
                ),
                fix: None,
            });
        }
    }

    fn check_page(&self, cx: &Context<'_>, page: &Page, out: &mut Vec<Finding>) {
        let Some(scopes) = cx.scopes else { return };
        if scopes.is_empty() && page.front_matter.scopes.is_empty() {
            return;
        }
        let analysis = scopes.analyze(page);
        for report in &analysis.lists {
            if report.missing.is_empty() {
                continue;
            }
            // Group the missing scopes by the sources that require them, in source order.
            let mut groups: BTreeMap<Vec<usize>, Vec<&str>> = BTreeMap::new();
            for (scope, from) in &report.missing {
                groups.entry(from.clone()).or_default().push(scope);
            }
            let parts: Vec<String> = groups
                .iter()
                .map(|(from, names)| {
                    format!("{} ({})", code_list(names), required_by(scopes, from))
                })
                .collect();
            let place = match report.list.heading {
                Some(h) => format!(" under \"{}\"", page.headings[h].text),
                None => String::new(),
            };
            let all: Vec<&str> = report.missing.iter().map(|(s, _)| s.as_str()).collect();
            let target = if report.list.shape == Shape::Url {
                "the `scope=` value"
            } else {
                "the list"
            };
            out.push(
                Finding::new(
                    page,
                    report.list.first_line,
                    format!(
                        "{}{place} lacks {}",
                        report.list.shape.noun(),
                        parts.join("; ")
                    ),
                )
                .help(format!(
                    "add {} to {target}, or update the source if the connector no longer needs {}",
                    code_list(&all),
                    if all.len() == 1 { "it" } else { "them" }
                )),
            );
        }
        for u in &analysis.uncovered {
            let s = &scopes.sources[u.source];
            let expected = s.scopes.as_deref().unwrap_or_default();
            let names: Vec<&str> = expected.iter().map(String::as_str).collect();
            let (span, message) = match (&s.section, u.section_missing) {
                (Some(sec), true) => (
                    title_line(page),
                    format!(
                        "scope source \"{}\" ({}) governs section \"{sec}\", which this guide does not have",
                        s.name,
                        s.provenance()
                    ),
                ),
                _ => (
                    title_line(page),
                    format!(
                        "no scope list found for scope source \"{}\" ({}), which requires {}",
                        s.name,
                        s.provenance(),
                        code_list(&names)
                    ),
                ),
            };
            out.push(Finding::new(page, span, message).help(
                "list the scopes as inline code (`- `scope``) after a sentence that mentions scopes, or fix `guides`/`section` of the source",
            ));
        }
        for name in &analysis.unknown_names {
            let span = Span::new(0, page.body_start.min(page.source.len()));
            out.push(
                Finding::new(
                    page,
                    first_line_of(page, span),
                    format!("front matter names scope source \"{name}\", but no [[scopes]] entry has that name"),
                )
                .help("add a [[scopes]] table with this `name` to book.toml, or fix the name"),
            );
        }
    }
}

/// "`a`, `b` and `c`".
pub(crate) fn code_list(names: &[&str]) -> String {
    let names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match names.len() {
        0 => String::new(),
        1 => names[0].clone(),
        n => format!("{} and {}", names[..n - 1].join(", "), names[n - 1]),
    }
}

/// `required by "LinkedIn Pages", declared in book.toml`.
fn required_by(scopes: &ResolvedSources, from: &[usize]) -> String {
    let parts: Vec<String> = from
        .iter()
        .map(|&i| {
            let s = &scopes.sources[i];
            format!("\"{}\", {}", s.name, s.provenance())
        })
        .collect();
    format!("required by {}", parts.join(" and by "))
}

/// The first line of the page's first heading, or of its body.
fn title_line(page: &Page) -> Span {
    let start = page
        .headings
        .first()
        .map(|h| h.span.start)
        .unwrap_or(page.body_start);
    first_line_of(page, Span::new(start, page.source.len()))
}

fn first_line_of(page: &Page, span: Span) -> Span {
    let src = &page.source;
    let start = span.start.min(src.len());
    let end = src[start..]
        .find('\n')
        .map(|i| start + i)
        .unwrap_or(src.len());
    Span::new(start, end.min(span.end.max(start)))
}
