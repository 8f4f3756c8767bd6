//! `image-format-mismatch`: an image file that is a sound image of another raster format than
//! its extension says (a JPEG saved as `shot.png`), SPEC.md, Rules. Browsers read the bytes
//! and show it, so it is a warning, not `unreadable-image`'s error; but a server sends the
//! extension's `Content-Type`, and tools that trust the extension (image optimisers, the
//! build's resizer, CMS importers) fail on it.
//!
//! The file's facts come from the resource index ([`crate::images`]: magic bytes against the
//! extension, then the header decoded as the format the bytes are), read once per run and
//! cached between runs. A misnamed file whose header does not decode either is
//! `unreadable-image`'s.

use crate::check::{Context, Finding, Rule, RuleMeta};
use crate::diag::Level;

/// The `image-format-mismatch` rule.
pub struct ImageFormatMismatch;

static META: RuleMeta = RuleMeta {
    id: "image-format-mismatch",
    default_level: Level::Warning,
    summary: "the image is a sound image of another format than its extension says (a JPEG named .png)",
    docs: include_str!("image-format-mismatch.md"),
};

impl Rule for ImageFormatMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_site(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        super::unreadable_image::report_problems(cx, true, out);
    }
}
