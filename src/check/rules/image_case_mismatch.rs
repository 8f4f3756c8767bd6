//! `image-case-mismatch`: an image whose file exists only with other letter case (SPEC.md,
//! Rules). macOS and Windows file systems ignore case, so the image shows on the author's
//! machine; Linux, CI and web servers do not, so it breaks for every reader.

use crate::check::{Context, Finding, Rule, RuleMeta};
use crate::diag::Level;
use crate::page::Page;
use crate::resolve::{Found, Target};

use super::broken_link::respell;

/// The `image-case-mismatch` rule.
pub struct ImageCaseMismatch;

static META: RuleMeta = RuleMeta {
    id: "image-case-mismatch",
    default_level: Level::Error,
    summary: "the image file exists only with other letter case (works on macOS, breaks on Linux and web servers)",
    docs: include_str!("image-case-mismatch.md"),
};

impl Rule for ImageCaseMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_page(&self, cx: &Context<'_>, page: &Page, out: &mut Vec<Finding>) {
        let targets = cx.targets(page);
        for (image, target) in page.images.iter().zip(&targets.images) {
            let Target::Site {
                path,
                found: Found::CaseMismatch(real),
                ..
            } = target
            else {
                continue;
            };
            let Some(first) = real.first() else {
                continue;
            };
            let written = image.src.split(['#', '?']).next().unwrap_or(&image.src);
            let named = cx.shown.site_file(&cx.project.site, first);
            out.push(
                Finding::new(
                    page,
                    image.span,
                    format!(
                        "image {path} does not exist; the file is named {named} (works on macOS, breaks on Linux and web servers)"
                    ),
                )
                .help(format!("write `{}` with the file's exact letter case", respell(written, path, first))),
            );
        }
    }
}
