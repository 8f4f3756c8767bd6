//! `missing-image`: an image, Markdown `![alt](src)` or raw HTML `<img src>`, whose file does not
//! exist in the site (SPEC.md, Rules). Raw `<img>` passes through GitHub-flavoured Markdown
//! unchanged, so its file must exist just like a Markdown image's. External images (`https:`,
//! `data:` …) are not looked up. A file that exists with other letter case is
//! `image-case-mismatch`, not this rule.
//!
//! The help names what the author most likely meant ([`missing_help`]): an image of the same
//! folder whose name is a few edits away (`shot.jpg` for `shot.png`), else images of the same
//! name in other folders, else the file stepbook looked for on disk.
//!
//! Cases: `../shared/cases/16-html-img-missing`, `17-angle-bracket-image`.

use std::path::PathBuf;

use crate::check::{Context, Finding, Rule, RuleMeta};
use crate::diag::Level;
use crate::images::is_image_path;
use crate::page::{Image, Page};
use crate::resolve::{Found, Target};

/// The `missing-image` rule.
pub struct MissingImage;

static META: RuleMeta = RuleMeta {
    id: "missing-image",
    default_level: Level::Error,
    summary: "an image (Markdown or <img>) points to a file that does not exist",
    docs: include_str!("missing-image.md"),
};

impl Rule for MissingImage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_page(&self, cx: &Context<'_>, page: &Page, out: &mut Vec<Finding>) {
        let targets = cx.targets(page);
        for (image, target) in page.images.iter().zip(&targets.images) {
            let (message, help) = match target {
                Target::OutsideRoot(path) => {
                    let place = if cx.project.site.rules.repo.is_some() {
                        "the repository"
                    } else {
                        "the site root"
                    };
                    (
                        format!("image {path}{} leaves {place}", origin(image)),
                        None,
                    )
                }
                Target::Repo {
                    path,
                    exists: false,
                } => (
                    format!(
                        "image {}{} does not exist (resolved to {})",
                        image.src,
                        origin(image),
                        super::broken_link::repo_file(cx, path)
                    ),
                    None,
                ),
                Target::Site { path, found, .. } => match found {
                    Found::Missing => {
                        let (shown, note) = super::broken_link::as_written(&image.src, path);
                        match on_disk(cx, path) {
                            Some(what) => {
                                (format!("image {shown}{} {what}{note}", origin(image)), None)
                            }
                            None => (
                                format!("image {shown}{} does not exist{note}", origin(image)),
                                Some(missing_help(cx, &image.src, path)),
                            ),
                        }
                    }
                    Found::DirWithoutIndex | Found::DirIndex(_) => (
                        format!(
                            "image {}/{} is a folder, not an image file",
                            looked_for(cx, path),
                            origin(image)
                        ),
                        None,
                    ),
                    Found::File(_) | Found::CaseMismatch(_) => continue,
                },
                Target::Repo { .. }
                | Target::Sibling { .. }
                | Target::Empty
                | Target::External(_)
                | Target::SamePage(_)
                | Target::Generated { .. }
                | Target::Templated(_) => continue,
            };
            let finding = Finding::new(page, image.span, message);
            out.push(match help {
                Some(help) => finding.help(help),
                None => finding,
            });
        }
    }
}

/// The help of an image written `written` whose site path `site` has no file: the image of the
/// same folder whose name is closest within a few edits ([`crate::suggest::closest_name`]),
/// written as the page wrote the path; else up to three images of the same name elsewhere in
/// the site; else the file looked for, named from the current directory.
fn missing_help(cx: &Context<'_>, written: &str, site: &str) -> String {
    let index = &cx.project.site;
    let (dir, name) = site.rsplit_once('/').unwrap_or(("", site));
    let file_name = |f: &'_ str| -> String { f.rsplit('/').next().unwrap_or(f).to_string() };
    let names: Vec<String> = index
        .files_in(dir)
        .filter(|f| is_image_path(f))
        .map(file_name)
        .collect();
    if let Some(near) = crate::suggest::closest_name(name, names.iter().map(String::as_str)) {
        let real = if dir.is_empty() {
            near.to_string()
        } else {
            format!("{dir}/{near}")
        };
        let respelled = super::broken_link::respell(written, site, &real);
        return format!("did you mean `{respelled}`? (a file of the same folder)");
    }
    let elsewhere: Vec<&str> = index
        .files
        .keys()
        .map(String::as_str)
        .filter(|f| f.rsplit('/').next() == Some(name))
        .take(4)
        .collect();
    match elsewhere.as_slice() {
        // A folder of the site around the checked one (`../../assets`): not in the index.
        [] if dir.starts_with("..") => format!("looked for {}", looked_for(cx, site)),
        [] => {
            let folder = if dir.is_empty() {
                "the site root".to_string()
            } else if index.is_dir(dir) {
                format!("{}/", looked_for(cx, dir))
            } else {
                return format!(
                    "looked for {}; the site has no folder {dir}/",
                    looked_for(cx, site)
                );
            };
            format!(
                "looked for {}; no image in {folder} has a similar name",
                looked_for(cx, site)
            )
        }
        [one] => format!(
            "an image of that name is at {}",
            cx.shown.site_file(index, one)
        ),
        more => {
            let shown: Vec<String> = more
                .iter()
                .take(3)
                .map(|f| cx.shown.site_file(index, f))
                .collect();
            let etc = if more.len() > 3 { ", …" } else { "" };
            format!("images of that name are at {}{etc}", shown.join(", "))
        }
    }
}

/// The file or folder on disk that would serve site path `site` (in a mounted resource folder
/// or the content folder), named from the current directory.
fn looked_for(cx: &Context<'_>, site: &str) -> String {
    let settings = &cx.project.settings;
    for res in &settings.resource_dirs {
        if site == res.mount {
            return cx.shown.disk(&res.dir);
        }
        if let Some(rest) = site.strip_prefix(&format!("{}/", res.mount)) {
            return cx.shown.disk(&res.dir.join(rest));
        }
    }
    cx.shown.site_path(site)
}

/// What is on disk at site path `site` when the site has no file there (a folder without
/// files, a symbolic link, a device), said in words; `None` when nothing is there. Issue 8: a
/// folder or a dangling link was reported as "does not exist".
fn on_disk(cx: &Context<'_>, site: &str) -> Option<String> {
    // What is on disk is not in the key of the page's record: checked again next time.
    crate::check::records::probe();
    let settings = &cx.project.settings;
    let mut candidates: Vec<PathBuf> = vec![settings.content_dir.join(site)];
    for res in &settings.resource_dirs {
        if let Some(rest) = site.strip_prefix(&format!("{}/", res.mount)) {
            candidates.push(res.dir.join(rest));
        }
    }
    candidates.into_iter().find_map(|disk| {
        let meta = std::fs::symlink_metadata(&disk).ok()?;
        let kind = meta.file_type();
        Some(if kind.is_symlink() {
            let target = std::fs::read_link(&disk)
                .map(|t| t.display().to_string())
                .unwrap_or_default();
            if std::fs::metadata(&disk).is_err() {
                format!("is a symbolic link to {target}, which does not exist")
            } else {
                format!(
                    "is a symbolic link (to {target}); the site publishes no links, so it would \
                     not have this image: copy the file here instead"
                )
            }
        } else if kind.is_dir() {
            "is a folder, not an image file".to_string()
        } else if kind.is_file() {
            // A file the site leaves out (hidden, or in the build dir).
            "is not part of the site (hidden files and the build dir are not published)".to_string()
        } else {
            "is not a regular file".to_string()
        })
    })
}

/// " (from an <img> tag)" for raw HTML images, "" for Markdown ones.
fn origin(image: &Image) -> &'static str {
    if image.from_html {
        " (from an <img> tag)"
    } else {
        ""
    }
}
