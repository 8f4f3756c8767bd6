//! `missing-image`: an image, Markdown `![alt](src)` or raw HTML `<img src>`, whose file does not
//! exist in the site (SPEC.md, Rules). Raw `<img>` passes through GitHub-flavoured Markdown
//! unchanged, so its file must exist just like a Markdown image's. External images (`https:`,
//! `data:` …) are not looked up. A file that exists with other letter case is
//! `image-case-mismatch`, not this rule.
//!
//! Cases: `../shared/cases/16-html-img-missing`, `17-angle-bracket-image`.

use crate::check::{Context, Finding, Rule, RuleMeta};
use crate::diag::Level;
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
        for image in &page.images {
            let message = match cx.resolve(page, &image.src) {
                Target::OutsideRoot(path) => {
                    format!("image {path}{} leaves the site root", origin(image))
                }
                Target::Site { path, found, .. } => match found {
                    Found::Missing => format!("image {path}{} does not exist", origin(image)),
                    Found::DirWithoutIndex | Found::DirIndex(_) => {
                        format!(
                            "image {path}{} is a folder, not an image file",
                            origin(image)
                        )
                    }
                    Found::File(_) | Found::CaseMismatch(_) => continue,
                },
                Target::Empty | Target::External(_) | Target::SamePage(_) => continue,
            };
            out.push(Finding::new(page, image.span, message));
        }
    }
}

/// " (from an <img> tag)" for raw HTML images, "" for Markdown ones.
fn origin(image: &Image) -> &'static str {
    if image.from_html {
        " (from an <img> tag)"
    } else {
        ""
    }
}
