//! Rebuild planning: which work a batch of changed files calls for. Pure functions, no I/O, so
//! every decision is unit-tested.
//!
//! [`plan`] sorts the changed paths that the watcher reports (after debouncing) into kinds:
//! book.toml reloads everything; a template re-renders every page without re-parsing; a Markdown
//! page is re-parsed; SUMMARY.md re-renders every sidebar; any other file of the site (a
//! screenshot) is re-indexed and the references to it re-checked. [`rerender`] then decides, once
//! the changed pages are re-parsed, which pages must be rendered again: all of them when the
//! sidebar changed (a page added, removed or retitled), otherwise the changed pages and the pages
//! that link to them or show the changed resources.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use crate::config::{CONFIG_FILE, Settings};
use crate::project::{is_markdown, relative_slash};

/// The folder of template overrides, relative to the project root (SPEC.md, Layout).
pub const TEMPLATES_DIR: &str = crate::render::templates::TEMPLATE_DIR;

/// The work a batch of changes calls for. Site paths and page paths are `/`-separated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// book.toml (or the generator's config: mkdocs.yml, astro.config.*, docusaurus.config.*,
    /// tsconfig.json, which decide routes, nav and aliases) changed: reload settings, re-parse
    /// and re-render everything.
    pub reload: bool,
    /// The name of the config file whose change set `reload` (for the terminal line); empty
    /// when the reload has another cause.
    pub config: String,
    /// A template changed: rebuild the renderer, re-render every page, re-parse nothing.
    pub templates: bool,
    /// SUMMARY.md changed: re-read it and re-render every page (the sidebar).
    pub summary: bool,
    /// A folder of `extra-watch-dirs` changed: re-render every page (mdBook's meaning).
    pub extra: bool,
    /// Markdown pages to re-parse (content-relative, `guide/a.md`): edited, created or deleted.
    pub pages: BTreeSet<String>,
    /// Other site files that changed (site path, `res/a.png`), with the file on disk: re-index
    /// them and re-check the references to them.
    pub resources: BTreeSet<(String, PathBuf)>,
    /// Changed paths that need no work (build dir, editor scratch files, unrelated files).
    pub ignored: usize,
}

impl Plan {
    /// True when nothing needs to be done.
    pub fn is_empty(&self) -> bool {
        !self.reload
            && !self.templates
            && !self.summary
            && !self.extra
            && self.pages.is_empty()
            && self.resources.is_empty()
    }

    /// True when every page is re-rendered whatever the re-parse shows.
    pub fn renders_all(&self) -> bool {
        self.reload || self.templates || self.summary || self.extra
    }

    /// What changed, for the terminal line: `content/a.md`, `2 pages, res/x.png`,
    /// `book.toml`, `templates`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if self.reload {
            parts.push(if self.config.is_empty() {
                CONFIG_FILE.to_string()
            } else {
                self.config.clone()
            });
        }
        if self.templates {
            parts.push("templates".to_string());
        }
        if self.summary {
            parts.push("SUMMARY.md".to_string());
        }
        if self.extra {
            parts.push("extra-watch-dirs".to_string());
        }
        match self.pages.len() {
            0 => {}
            1 => parts.extend(self.pages.iter().cloned()),
            n => parts.push(format!("{n} pages")),
        }
        match self.resources.len() {
            0 => {}
            1 => parts.extend(self.resources.iter().map(|(s, _)| s.clone())),
            n => parts.push(format!("{n} files")),
        }
        if parts.is_empty() {
            "nothing".to_string()
        } else {
            parts.join(", ")
        }
    }
}

/// Sorts changed paths (absolute, as the watcher reports them) into a [`Plan`] for the project
/// that `settings` describe.
///
/// Rules, first match wins: paths with a hidden component, editor scratch files (`~`, `.swp`,
/// `.tmp`, vim's `4913`) and anything in the build dir are ignored; `book.toml` or a
/// generator's config at the root reloads; a file in `templates/` re-renders; in the content root, `SUMMARY.md` re-renders the
/// sidebar, other Markdown is re-parsed, any other file is a resource; a file in a resource
/// folder is a resource at `<mount>/<rel>`; a file in an extra watch dir re-renders; the rest is
/// ignored.
pub fn plan(changes: &[PathBuf], settings: &Settings) -> Plan {
    let mut out = Plan::default();
    let templates = settings.root.join(TEMPLATES_DIR);
    for path in changes {
        let inside = path.strip_prefix(&settings.root).unwrap_or(path);
        if is_scratch(inside) || path.starts_with(&settings.build_dir) {
            out.ignored += 1;
        } else if path.parent() == Some(settings.root.as_path())
            && let Some(name) = path.file_name().and_then(|n| n.to_str())
            && (name == CONFIG_FILE || crate::site::is_generator_config(name))
        {
            out.reload = true;
            out.config = name.to_string();
        } else if path.starts_with(&templates) {
            out.templates = true;
        } else if let Some(rel) = below(&settings.content_dir, path)
            && !settings
                .resource_dirs
                .iter()
                .any(|r| path.starts_with(&r.dir))
        {
            if rel == "SUMMARY.md" {
                out.summary = true;
            } else if is_markdown(path) {
                out.pages.insert(rel);
            } else if !rel.is_empty() {
                out.resources.insert((rel, path.clone()));
            } else {
                out.ignored += 1;
            }
        } else if let Some((site, _)) = settings.resource_dirs.iter().find_map(|r| {
            below(&r.dir, path)
                .filter(|rel| !rel.is_empty())
                .map(|rel| (format!("{}/{}", r.mount, rel), ()))
        }) {
            out.resources.insert((site, path.clone()));
        } else if settings
            .extra_watch_dirs
            .iter()
            .any(|d| path.starts_with(d))
        {
            out.extra = true;
        } else {
            out.ignored += 1;
        }
    }
    out
}

/// `path` relative to `dir` with `/` separators, when it is below `dir` (`""` for `dir` itself).
fn below(dir: &Path, path: &Path) -> Option<String> {
    path.starts_with(dir).then(|| relative_slash(dir, path))
}

/// Hidden files and folders (below the project root), and the scratch files editors write next
/// to the real one.
fn is_scratch(path: &Path) -> bool {
    let hidden = path.components().any(|c| match c {
        Component::Normal(n) => n.to_string_lossy().starts_with('.'),
        _ => false,
    });
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    hidden
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
}

/// What a page offers to the rest of the site: its title (the sidebar and the neighbours'
/// previous/next links show it), its anchors (other pages' `#fragment` links resolve against
/// them) and what the generated start page lists about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outline {
    /// The page title.
    pub title: String,
    /// Heading ids and HTML ids, in document order.
    pub anchors: Vec<String>,
    /// What the generated `index.html` shows for the page (description or first paragraph, and
    /// the number of steps); `None` when no start page is generated (a page is the root index).
    pub listing: Option<String>,
}

/// A re-parsed page: its outline before and after (`None` when it did not exist, or is gone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageDelta {
    /// Content-relative path.
    pub rel: String,
    /// Before the change.
    pub before: Option<Outline>,
    /// After the change.
    pub after: Option<Outline>,
}

/// Which pages to render again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rerender {
    /// Every page, and the site-wide files (sidebar).
    All,
    /// These pages (content-relative paths); possibly none.
    Pages(BTreeSet<String>),
}

/// Decides what to re-render after the pages of `plan` were re-parsed into `deltas`.
/// `referrers(site_path)` lists the pages (content-relative) whose links or images point at a
/// site path, as of after the change.
///
/// All pages when [`Plan::renders_all`], or when a page appeared, disappeared, changed its
/// title (every sidebar shows titles) or its start-page listing; otherwise each changed page, the pages linking to it (its
/// anchors may have changed, and links to it are checked against them), and the pages that show
/// or link to a changed resource (image sizes are read from the file).
pub fn rerender<F>(plan: &Plan, deltas: &[PageDelta], referrers: F) -> Rerender
where
    F: Fn(&str) -> Vec<String>,
{
    if plan.renders_all() {
        return Rerender::All;
    }
    let mut pages = BTreeSet::new();
    for d in deltas {
        match (&d.before, &d.after) {
            (Some(b), Some(a)) if b.title == a.title && b.listing == a.listing => {
                pages.insert(d.rel.clone());
                pages.extend(referrers(&d.rel));
            }
            (None, None) => {}
            _ => return Rerender::All,
        }
    }
    for (site, _) in &plan.resources {
        pages.extend(referrers(site));
    }
    Rerender::Pages(pages)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ResourceDir;

    fn settings() -> (tempfile::TempDir, Settings) {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().to_path_buf();
        std::fs::create_dir_all(root.join("content")).expect("content");
        std::fs::write(root.join("book.toml"), "[book]\ntitle = \"T\"\n").expect("book.toml");
        let mut s = Settings::load(&root).expect("settings");
        s.resource_dirs = vec![ResourceDir {
            dir: root.join("res"),
            mount: "res".into(),
        }];
        s.extra_watch_dirs = vec![root.join("snippets")];
        (dir, s)
    }

    fn p(s: &Settings, rel: &str) -> PathBuf {
        s.root.join(rel)
    }

    #[test]
    fn page_edit_reparses_only_that_page() {
        let (_dir, s) = settings();
        let plan = plan(&[p(&s, "content/guide/a.md")], &s);
        assert_eq!(plan.pages, BTreeSet::from(["guide/a.md".to_string()]));
        assert!(!plan.reload && !plan.templates && !plan.summary && !plan.extra);
        assert!(plan.resources.is_empty());
        assert_eq!(plan.describe(), "guide/a.md");
    }

    #[test]
    fn atomic_save_burst_is_one_page() {
        let (_dir, s) = settings();
        let changes = [
            p(&s, "content/.a.md.swp"),
            p(&s, "content/a.md~"),
            p(&s, "content/4913"),
            p(&s, "content/a.md"),
            p(&s, "content/a.md"),
            p(&s, "content/.#a.md"),
        ];
        let plan = plan(&changes, &s);
        assert_eq!(plan.pages.len(), 1);
        assert_eq!(plan.ignored, 4);
        assert!(plan.resources.is_empty());
    }

    #[test]
    fn config_reloads_everything() {
        let (_dir, s) = settings();
        let plan = plan(&[p(&s, "book.toml"), p(&s, "content/a.md")], &s);
        assert!(plan.reload);
        assert!(plan.renders_all());
        assert_eq!(rerender(&plan, &[], |_| vec![]), Rerender::All);
        assert!(plan.describe().starts_with("book.toml"));
    }

    #[test]
    fn a_generators_config_at_the_root_reloads_everything() {
        let (_dir, s) = settings();
        for name in [
            "mkdocs.yml",
            "astro.config.mjs",
            "docusaurus.config.ts",
            "tsconfig.json",
        ] {
            let plan = plan(&[p(&s, name)], &s);
            assert!(plan.reload, "{name}");
            assert_eq!(plan.describe(), name);
        }
        let plan = plan(&[p(&s, "notes.yml")], &s);
        assert!(!plan.reload);
    }

    #[test]
    fn book_toml_elsewhere_is_not_config() {
        let (_dir, s) = settings();
        let plan = plan(&[p(&s, "other/book.toml")], &s);
        assert!(!plan.reload);
        assert_eq!(plan.ignored, 1);
        assert!(plan.is_empty());
    }

    #[test]
    fn template_change_renders_all_without_reparse() {
        let (_dir, s) = settings();
        let plan = plan(&[p(&s, "templates/page.html")], &s);
        assert!(plan.templates && !plan.reload);
        assert!(plan.pages.is_empty());
        assert_eq!(rerender(&plan, &[], |_| vec![]), Rerender::All);
    }

    #[test]
    fn summary_renders_all() {
        let (_dir, s) = settings();
        let plan = plan(&[p(&s, "content/SUMMARY.md")], &s);
        assert!(plan.summary && plan.pages.is_empty());
        assert!(plan.renders_all());
    }

    #[test]
    fn resources_are_mounted_and_content_files_are_resources() {
        let (_dir, s) = settings();
        let plan = plan(&[p(&s, "res/shots/a.png"), p(&s, "content/img/b.png")], &s);
        let sites: Vec<&str> = plan.resources.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(sites, ["img/b.png", "res/shots/a.png"]);
        assert!(plan.pages.is_empty() && !plan.renders_all());
        let again = super::plan(&[p(&s, "res/shots/a.png")], &s);
        let r = rerender(&again, &[], |site| {
            assert_eq!(site, "res/shots/a.png");
            vec!["guide.md".to_string()]
        });
        assert_eq!(r, Rerender::Pages(BTreeSet::from(["guide.md".to_string()])));
    }

    #[test]
    fn build_dir_and_unrelated_files_are_ignored() {
        let (_dir, s) = settings();
        let plan = plan(
            &[
                p(&s, "book/index.html"),
                p(&s, "README.txt"),
                p(&s, ".git/index"),
            ],
            &s,
        );
        assert!(plan.is_empty());
        assert_eq!(plan.ignored, 3);
        assert_eq!(plan.describe(), "nothing");
    }

    #[test]
    fn extra_watch_dirs_render_all() {
        let (_dir, s) = settings();
        let plan = plan(&[p(&s, "snippets/x.txt")], &s);
        assert!(plan.extra && plan.renders_all());
    }

    fn outline(title: &str, anchors: &[&str]) -> Option<Outline> {
        Some(Outline {
            title: title.into(),
            anchors: anchors.iter().map(|a| a.to_string()).collect(),
            listing: None,
        })
    }

    #[test]
    fn body_edit_renders_page_and_its_referrers() {
        let (_dir, s) = settings();
        let plan = plan(&[p(&s, "content/a.md")], &s);
        let deltas = [PageDelta {
            rel: "a.md".into(),
            before: outline("A", &["x"]),
            after: outline("A", &["x", "y"]),
        }];
        let r = rerender(&plan, &deltas, |site| match site {
            "a.md" => vec!["b.md".into(), "c.md".into()],
            _ => vec![],
        });
        let want: BTreeSet<String> = ["a.md", "b.md", "c.md"].map(String::from).into();
        assert_eq!(r, Rerender::Pages(want));
    }

    #[test]
    fn title_or_listing_change_or_new_or_deleted_page_renders_all() {
        let (_dir, s) = settings();
        let plan = plan(&[p(&s, "content/a.md")], &s);
        for (before, after) in [
            (outline("A", &[]), outline("B", &[])),
            (
                outline("A", &[]),
                outline("A", &[]).map(|o| Outline {
                    listing: Some("4 steps".into()),
                    ..o
                }),
            ),
            (None, outline("A", &[])),
            (outline("A", &[]), None),
        ] {
            let deltas = [PageDelta {
                rel: "a.md".into(),
                before,
                after,
            }];
            assert_eq!(rerender(&plan, &deltas, |_| vec![]), Rerender::All);
        }
    }

    #[test]
    fn deleted_scratch_page_that_never_existed_renders_nothing() {
        let (_dir, s) = settings();
        let plan = plan(&[p(&s, "content/gone.md")], &s);
        let deltas = [PageDelta {
            rel: "gone.md".into(),
            before: None,
            after: None,
        }];
        assert_eq!(
            rerender(&plan, &deltas, |_| vec![]),
            Rerender::Pages(BTreeSet::new())
        );
    }
}
