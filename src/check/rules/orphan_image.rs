//! `orphan-image`: an image file in a resource folder that no page references (SPEC.md, Rules).
//!
//! Resource folders are the mounted ones (`res/` by default, see
//! [`crate::config::Settings::resource_dirs`]) and, inside the content root, any folder named
//! like one ([`RESOURCE_DIR_NAMES`]: `res/`, `img/`, `images/`, `assets/` …). A reference is
//! anything that resolves to the file: a Markdown image, an `<img>`, or a link (`[full
//! size](res/shot.png)`), including those inside an accidental code block, and those written
//! with the wrong letter case (that is `image-case-mismatch`'s finding, not an orphan). The
//! finding sits on the image file itself, at line 1.

use std::collections::HashSet;

use crate::check::{Context, Finding, Rule, RuleMeta};
use crate::diag::Level;
use crate::project::relative_slash;
use crate::source::Span;

/// The `orphan-image` rule.
pub struct OrphanImage;

static META: RuleMeta = RuleMeta {
    id: "orphan-image",
    default_level: Level::Warning,
    summary: "a file in a resource folder is referenced by no page",
    docs: include_str!("orphan-image.md"),
};

pub use crate::images::{IMAGE_EXTENSIONS, is_image_path};

/// Folder names (compared in lowercase) that hold resources wherever they sit in the content
/// root.
pub const RESOURCE_DIR_NAMES: &[&str] = &[
    "res",
    "resources",
    "img",
    "imgs",
    "image",
    "images",
    "assets",
    "media",
    "screenshots",
];

/// True when the site path `path` lies in a resource folder: under one of the `mounts`, or in a
/// folder named like one of [`RESOURCE_DIR_NAMES`].
pub fn in_resource_folder(path: &str, mounts: &[&str]) -> bool {
    let dirs = match path.rsplit_once('/') {
        Some((dirs, _file)) => dirs,
        None => return false,
    };
    let mut segments = dirs.split('/');
    if segments.next().is_some_and(|first| mounts.contains(&first)) {
        return true;
    }
    dirs.split('/')
        .any(|d| RESOURCE_DIR_NAMES.contains(&d.to_ascii_lowercase().as_str()))
}

impl Rule for OrphanImage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_site(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let project = cx.project;
        // Each page's record lists the images it uses (see `check::check_page`).
        let referenced: HashSet<&str> = cx
            .records()
            .iter()
            .flat_map(|r| r.used_images.iter().map(String::as_str))
            .collect();
        let mounts: Vec<&str> = project
            .settings
            .resource_dirs
            .iter()
            .map(|r| r.mount.as_str())
            .collect();
        for (site, disk) in &project.site.files {
            // Files of `static/`-like and asset folders are mostly used by the generator's own
            // code (logos, favicons, components), which no page shows.
            if !is_image_path(site)
                || !in_resource_folder(site, &mounts)
                || project.site.rules.used_by_generator(site)
                || referenced.contains(site.as_str())
            {
                continue;
            }
            out.push(Finding {
                file: relative_slash(&project.settings.root, disk),
                span: Span::new(0, 0),
                message: format!("image {} is not used by any page", cx.shown.disk(disk)),
                help: Some(
                    "reference it from a page, or delete it if no guide needs it any more"
                        .to_string(),
                ),
                fix: None,
            });
        }
    }
}
