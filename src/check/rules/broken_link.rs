//! `broken-link`: a relative link whose target does not exist in the site (SPEC.md, Rules).
//!
//! Resolution is [`crate::site::resolve`], the same function the renderer uses, so a link the
//! checker accepts is a link the built site serves, in the link convention in force (whose
//! name every finding's help gives). Inside a git working tree, a link that leaves the site
//! but lands on a file or folder of the repository is not broken (see `link-outside-site`); one
//! that leaves the repository is. External URLs (`https:`, `mailto:` …) are left
//! to `external-link`; fragments are left to `broken-anchor`. Links inside an accidental indented
//! code block are checked, because the author meant them as prose.
//!
//! Case: `../shared/cases/13-directory-link-index` (a folder without README.md or index.md).

use crate::check::{Context, Finding, Rule, RuleMeta};
use crate::diag::Level;
use crate::page::{Page, summary};
use crate::resolve::{Found, Target};

/// The `broken-link` rule.
pub struct BrokenLink;

static META: RuleMeta = RuleMeta {
    id: "broken-link",
    default_level: Level::Error,
    summary: "a relative link points to a file that does not exist",
    docs: include_str!("broken-link.md"),
};

impl Rule for BrokenLink {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_page(&self, cx: &Context<'_>, page: &Page, out: &mut Vec<Finding>) {
        let rules = &cx.project.site.rules;
        let targets = cx.targets(page);
        for (link, target) in page.links.iter().zip(&targets.links) {
            let written = link.dest.split(['#', '?']).next().unwrap_or(&link.dest);
            let (message, help) = match target {
                Target::OutsideRoot(path) if rules.repo.is_some() => (
                    format!("link to {path} leaves the repository"),
                    Some("a link can only reach files of the repository; link to the published page with a full URL instead".to_string()),
                ),
                Target::OutsideRoot(path) => (
                    format!("link to {path} leaves the site root"),
                    Some("a link can only reach files inside the content folder and its resource folders".to_string()),
                ),
                Target::Repo {
                    path,
                    exists: false,
                } => (
                    format!(
                        "{written} does not exist (resolved to {})",
                        repo_file(cx, path)
                    ),
                    None,
                ),
                Target::Site {
                    path,
                    found: Found::Missing,
                    ..
                } => (
                    match crate::site::expected(&cx.project.site, &page.rel, &link.dest) {
                        Some(e) if e.starts_with("is not") => format!("{written} {e}"),
                        Some(expected) => format!("{written} does not exist: {expected}"),
                        None => missing(written, path),
                    },
                    None,
                ),
                Target::Site {
                    found: Found::DirWithoutIndex,
                    ..
                } if rules.is_repository_page(&page.rel) => continue,
                Target::Site {
                    path,
                    found: Found::DirWithoutIndex,
                    ..
                } => (
                    format!(
                        "{} is a folder with no README.md or index.md",
                        dir_name(&cx.shown.site_file(&cx.project.site, path))
                    ),
                    Some("add a README.md or index.md to the folder, or link to a file inside it".to_string()),
                ),
                Target::Site {
                    path,
                    found: Found::CaseMismatch(real),
                    ..
                } => {
                    let Some(first) = real.first() else { continue };
                    (
                        format!(
                            "{path} does not exist; only the letter case differs from {}",
                            real.iter()
                                .map(|r| cx.shown.site_file(&cx.project.site, r))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        Some(format!(
                            "the file is spelled `{}`: letter case matters on Linux and web servers",
                            respell(written, path, first)
                        )),
                    )
                }
                Target::Site { .. }
                | Target::Repo { .. }
                | Target::Sibling { .. }
                | Target::Empty
                | Target::External(_)
                | Target::SamePage(_)
                | Target::Generated { .. }
                | Target::Templated(_) => continue,
            };
            let help = match help {
                Some(h) => format!("{h}\n{}", rules.describe_at(&page.rel, &cx.shown)),
                None => rules.describe_at(&page.rel, &cx.shown),
            };
            out.push(Finding::new(page, link.span, message).help(help));
        }
    }

    /// SUMMARY.md's chapters: a listed file that does not exist is reported at its line (mdBook
    /// would create it, or fail; stepbook shows it as a draft). So is an entry of mkdocs.yml's
    /// `nav` (MkDocs warns, and fails with `--strict`).
    fn check_site(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        mkdocs_nav(cx, out);
        let project = cx.project;
        let Some((path, text)) = &project.summary else {
            return;
        };
        let file = crate::project::relative_slash(&project.settings.root, path);
        let entries = summary::parse(text);
        for c in summary::chapters(&entries) {
            let Some(rel) = c.rel() else { continue };
            if summary::resolve(&rel, |r| project.site.contains(r)).is_some() {
                continue;
            }
            let dest = c.dest.as_deref().unwrap_or_default();
            out.push(Finding {
                file: file.clone(),
                span: c.span,
                message: missing(dest, &rel),
                help: Some(format!(
                    "create {}, correct the link, or make the chapter a draft with `[{}]()`",
                    cx.shown.site_path(&rel),
                    c.title
                )),
                fix: None,
            });
        }
    }
}

/// The entries of mkdocs.yml's `nav` whose page does not exist, at their line of mkdocs.yml.
fn mkdocs_nav(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(nav) = &cx.project.site.rules.mkdocs_nav else {
        return;
    };
    let mut stack: Vec<&crate::site::mkdocs_nav::NavItem> = nav.items.iter().collect();
    stack.reverse();
    while let Some(it) = stack.pop() {
        stack.extend(it.children.iter().rev());
        let Some(path) = it.page_path() else { continue };
        let rel = format!("{}{path}", nav.prefix);
        if cx.project.site.contains(&rel) {
            continue;
        }
        let written = it.target.as_deref().unwrap_or(path);
        let docs = match cx.shown.site_path(&nav.prefix) {
            d if d.is_empty() => ".".to_string(),
            d => d,
        };
        out.push(Finding {
            file: nav.file.clone(),
            span: it.span,
            message: format!(
                "nav names {written}, which does not exist (looked for {})",
                cx.shown.site_path(&rel)
            ),
            help: Some(format!(
                "nav paths are relative to docs_dir ({docs}/): correct the entry or create the \
                 page; MkDocs warns about it and `mkdocs build --strict` fails"
            )),
            fix: None,
        });
    }
}

/// The file at `path` of the repository around the site, named from the current directory.
pub(crate) fn repo_file(cx: &Context<'_>, path: &str) -> String {
    match &cx.project.site.rules.repo {
        Some(repo) => cx.shown.disk(&repo.root.join(path)),
        None => path.to_string(),
    }
}

/// "x does not exist", naming the site path too when the link was written relative to a
/// subfolder or with `..`.
pub(crate) fn missing(written: &str, site_path: &str) -> String {
    let (shown, note) = as_written(written, site_path);
    format!("{shown} does not exist{note}")
}

/// How a message shows a destination: the site path when the link says just that, else the
/// link as written with ` (resolved to … in the site)`, or with a note when its
/// percent-escapes are not UTF-8 (`%FF` decodes to nothing a reader could recognise).
pub(crate) fn as_written(written: &str, site_path: &str) -> (String, String) {
    let decoded = crate::resolve::decode(written);
    if decoded.contains('\u{FFFD}') && !written.contains('\u{FFFD}') {
        return (
            written.to_string(),
            " (its percent-escapes are not UTF-8)".to_string(),
        );
    }
    if decoded.trim_start_matches("./") == site_path {
        (site_path.to_string(), String::new())
    } else {
        (
            written.to_string(),
            format!(" (resolved to {site_path} in the site)"),
        )
    }
}

/// `drafts/` for `drafts` or `drafts/`.
fn dir_name(path: &str) -> String {
    format!("{}/", path.trim_end_matches('/'))
}

/// The destination as written, with its last segments replaced by the real file's spelling:
/// `../res/shot.png` written for `res/Shot.png` becomes `../res/Shot.png`. Falls back to the
/// site path when the written form cannot be matched segment by segment.
pub(crate) fn respell(written: &str, site_path: &str, real: &str) -> String {
    let decoded = crate::resolve::decode(written);
    let wrong: Vec<&str> = site_path.split('/').collect();
    let right: Vec<&str> = real.split('/').collect();
    if wrong.len() != right.len() {
        return real.to_string();
    }
    let mut segs: Vec<String> = decoded.split('/').map(str::to_string).collect();
    // Walk both paths from the end; written segments line up with the site path's tail.
    let mut i = segs.len();
    let mut j = wrong.len();
    while i > 0 && j > 0 {
        i -= 1;
        j -= 1;
        if segs[i] == "." || segs[i] == ".." || segs[i].is_empty() {
            break;
        }
        if segs[i] != wrong[j] {
            return real.to_string();
        }
        segs[i] = right[j].to_string();
    }
    segs.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn respell_keeps_the_written_prefix() {
        assert_eq!(
            respell("../res/shot.png", "res/shot.png", "res/Shot.png"),
            "../res/Shot.png"
        );
        assert_eq!(
            respell("Setup.md", "guide/Setup.md", "guide/setup.md"),
            "setup.md"
        );
        assert_eq!(respell("a%20b.md", "a b.md", "A b.md"), "A b.md");
    }

    #[test]
    fn missing_names_the_site_path_when_it_differs() {
        assert_eq!(missing("setup.md", "setup.md"), "setup.md does not exist");
        assert_eq!(missing("./setup.md", "setup.md"), "setup.md does not exist");
        assert_eq!(
            missing("../setup.md", "setup.md"),
            "../setup.md does not exist (resolved to setup.md in the site)"
        );
        assert_eq!(
            missing("%FF", "\u{FFFD}"),
            "%FF does not exist (its percent-escapes are not UTF-8)"
        );
        assert_eq!(
            missing("/nope.md", "nope.md"),
            "/nope.md does not exist (resolved to nope.md in the site)"
        );
    }
}
