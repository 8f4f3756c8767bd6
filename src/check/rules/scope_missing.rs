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
        if scopes.is_empty() {
            return;
        }
        // Per source: does it govern any page, by name or by glob only, and does any page
        // hold a list it governs?
        // Each page's record says which sources govern it and whose lists it holds.
        let (governs, by_name, listed, glob_only) =
            crate::check::records::scope_use(cx.project, cx.records(), scopes.sources.len());
        for (i, s) in scopes.sources.iter().enumerate() {
            let patterns: Vec<String> = s
                .guide_patterns
                .iter()
                .map(|g| format!("\"{g}\""))
                .collect();
            if !governs[i] {
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
                continue;
            }
            // Guides named on their own get their own finding (check_page); a glob means
            // "wherever these scopes are listed", so it is only wrong when no match lists them.
            let Some(expected) = s.scopes.as_deref() else {
                continue;
            };
            if listed[i] || by_name[i] || glob_only[i].is_empty() {
                continue;
            }
            let names: Vec<&str> = expected.iter().map(String::as_str).collect();
            let count = glob_only[i].len();
            let section = s
                .section
                .as_ref()
                .map(|sec| format!(" under a heading \"{sec}\""))
                .unwrap_or_default();
            out.push(Finding {
                file: s.declared_in.clone(),
                span: s.declared_at.unwrap_or_default(),
                message: format!(
                    "no scope list found{section} in any of the {count} guide{} matching guides = [{}] for scope source \"{}\", which requires {}",
                    if count == 1 { "" } else { "s" },
                    patterns.join(", "),
                    s.name,
                    code_list(&names)
                ),
                help: Some(format!(
                    "list the scopes in the guide that asks for them (first match: {}), or narrow `guides`",
                    cx.shown.root_file(glob_only[i][0])
                )),
                fix: None,
            });
        }
    }

    fn check_page(&self, cx: &Context<'_>, page: &Page, out: &mut Vec<Finding>) {
        let Some(scopes) = cx.scopes else { return };
        if scopes.is_empty() && page.front_matter.scopes.is_empty() {
            return;
        }
        let analysis = cx.scope_analysis(page);
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
                    format!("{} ({})", code_list(names), required_by(cx, scopes, from))
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
            // A list that has `read` where `adsread` is required also gets a scope-unexpected
            // finding: name the stand-ins so the two findings read as one story.
            let stand_ins = report.stand_ins();
            let paired: Vec<&str> = stand_ins
                .iter()
                .filter(|(_, m)| m.is_some())
                .map(|(e, _)| *e)
                .collect();
            let unpaired: Vec<&str> = stand_ins
                .iter()
                .filter(|(_, m)| m.is_none())
                .map(|(e, _)| *e)
                .collect();
            let mut instead = match paired.len() {
                0 => String::new(),
                1 => format!("; {} is listed instead", code_list(&paired)),
                _ => format!("; {} are listed instead", code_list(&paired)),
            };
            if !unpaired.is_empty() {
                instead.push_str(&format!(
                    "; it also lists {}, which {} not required",
                    code_list(&unpaired),
                    if unpaired.len() == 1 { "is" } else { "are" }
                ));
            }
            let pairs: Vec<String> = stand_ins
                .iter()
                .filter_map(|(e, m)| m.map(|m| format!("`{e}` with `{m}`")))
                .collect();
            let help = if pairs.len() == all.len() {
                format!(
                    "replace {}, or update the source if the connector no longer needs {}",
                    pairs.join(" and "),
                    if all.len() == 1 { "it" } else { "them" }
                )
            } else {
                format!(
                    "add {} to {target}, or update the source if the connector no longer needs {}",
                    code_list(&all),
                    if all.len() == 1 { "it" } else { "them" }
                )
            };
            out.push(
                Finding::new(
                    page,
                    report.list.first_line,
                    format!(
                        "{}{place} lacks {}{instead}",
                        report.list.shape.noun(),
                        parts.join("; ")
                    ),
                )
                .help(help),
            );
        }
        // A guide matched only by a glob need not list the scopes (see check_site).
        for u in analysis.uncovered.iter().filter(|u| u.by_name) {
            let s = &scopes.sources[u.source];
            let expected = s.scopes.as_deref().unwrap_or_default();
            let names: Vec<&str> = expected.iter().map(String::as_str).collect();
            let (span, message) = match (&s.section, u.section_missing) {
                (Some(sec), true) => (
                    title_line(page),
                    format!(
                        "scope source \"{}\" ({}) governs section \"{sec}\", which this guide does not have",
                        s.name,
                        s.provenance(&cx.shown)
                    ),
                ),
                _ => (
                    title_line(page),
                    format!(
                        "no scope list found for scope source \"{}\" ({}), which requires {}",
                        s.name,
                        s.provenance(&cx.shown),
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
fn required_by(cx: &Context<'_>, scopes: &ResolvedSources, from: &[usize]) -> String {
    let parts: Vec<String> = from
        .iter()
        .map(|&i| {
            let s = &scopes.sources[i];
            format!("\"{}\", {}", s.name, s.provenance(&cx.shown))
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
