//! `missing-alt-text`: an image with empty alt text (SPEC.md, Rules): Markdown `![](x.png)`, or
//! `<img>` with no `alt` attribute or `alt=""`. Alt text is what screen readers announce and
//! what shows when the screenshot fails to load (WCAG 2.2, success criterion 1.1.1).

use crate::check::{Context, Finding, Rule, RuleMeta};
use crate::diag::Level;
use crate::page::Page;

/// The `missing-alt-text` rule.
pub struct MissingAltText;

static META: RuleMeta = RuleMeta {
    id: "missing-alt-text",
    default_level: Level::Warning,
    summary: "an image has empty alt text",
    docs: include_str!("missing-alt-text.md"),
};

impl Rule for MissingAltText {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_page(&self, _cx: &Context<'_>, page: &Page, out: &mut Vec<Finding>) {
        for image in page.images.iter().filter(|i| i.alt.trim().is_empty()) {
            let (message, help) = if image.from_html {
                (
                    format!("<img> of {} has no alt text", image.src),
                    "add alt=\"…\" describing what the image shows",
                )
            } else {
                (
                    format!("image {} has empty alt text", image.src),
                    "describe what the image shows between the brackets: ![What the screen shows](…)",
                )
            };
            out.push(Finding::new(page, image.span, message).help(help));
        }
    }
}
