//! `unreadable-image`: an image file that exists but cannot be decoded (truncated, empty, not an
//! image, SVG where a raster format is named), SPEC.md, Rules. A sound image of another raster
//! format than its extension says (a JPEG saved as `shot.png`) is usable, since browsers read
//! the bytes: `image-format-mismatch` reports it, as a warning.
//!
//! The file's facts come from the resource index ([`crate::images`]: magic bytes against the
//! extension, then the header decoded), read once per run and cached between runs; a build that
//! resizes a screenshot and fails to decode its pixels records that problem there too. The rule
//! resolves every image of every page, groups the references by file and reports the problem at
//! every reference.

use std::collections::BTreeMap;
use std::path::Path;

use crate::check::{Context, Finding, Rule, RuleMeta};
use crate::diag::Level;
use crate::source::Span;

/// The `unreadable-image` rule.
pub struct UnreadableImage;

static META: RuleMeta = RuleMeta {
    id: "unreadable-image",
    default_level: Level::Error,
    summary: "the image file cannot be decoded (truncated, empty, not an image)",
    docs: include_str!("unreadable-image.md"),
};

pub use crate::images::Problem;

impl Rule for UnreadableImage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_site(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        report_problems(cx, false, out);
    }
}

/// Reports, at every reference, each image file used by a page whose file has a problem:
/// the sound but misnamed ones when `mismatch`, else the unusable ones
/// ([`crate::images::Problem::mismatch`]).
pub(crate) fn report_problems(cx: &Context<'_>, mismatch: bool, out: &mut Vec<Finding>) {
    // Each page's record lists its images whose file has a problem.
    let mut by_file: BTreeMap<&str, Vec<(&str, Span)>> = BTreeMap::new();
    for (page, record) in cx.project.pages.iter().zip(cx.records()) {
        for (path, span) in &record.unreadable {
            by_file
                .entry(path.as_str())
                .or_default()
                .push((page.file.as_str(), *span));
        }
    }
    let problems = by_file.keys().filter_map(|site| {
        let problem = cx.project.site.image(site)?.problem.as_ref()?;
        (problem.mismatch == mismatch).then_some((site, problem))
    });
    for (site, problem) in problems {
        let shown = cx.shown.site_file(&cx.project.site, site);
        for (file, span) in &by_file[site] {
            out.push(
                Finding::at(file, *span, format!("image {shown} {}", problem.what))
                    .help(problem.help.clone()),
            );
        }
    }
}

/// Checks one image file on disk (see [`crate::images::inspect`]). `Ok` for a readable image
/// and for files whose extension names no image format stepbook knows; a misnamed but sound
/// image is an `Err` too (its problem's [`Problem::mismatch`] is true).
///
/// Errors: the [`Problem`] to report.
pub fn inspect(path: &Path) -> Result<(), Problem> {
    match crate::images::inspect(path).problem {
        Some(p) => Err(p),
        None => Ok(()),
    }
}
