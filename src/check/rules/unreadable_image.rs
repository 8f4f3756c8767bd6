//! `unreadable-image`: an image file that exists but cannot be decoded, or whose bytes are another
//! format than its extension says (SPEC.md, Rules). A JPEG saved as `shot.png` shows in most
//! browsers but breaks tools that trust the extension (and the `Content-Type` a server sends).
//!
//! Each file is inspected by [`crate::raster::inspect`] (magic bytes against the extension, then
//! the header decoded; SVG by its prologue).
//!
//! Each referenced file is read once per run, however many pages use it: the rule resolves every
//! image of every page, groups the references by file, inspects the files in parallel (rayon),
//! and reports the problem at every reference.

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;

use crate::check::{Context, Finding, Rule, RuleMeta};
use crate::diag::Level;
use crate::page::Page;
use crate::raster::{Problem, inspect};
use crate::resolve::{Found, Target};
use crate::source::Span;

/// The `unreadable-image` rule.
pub struct UnreadableImage;

static META: RuleMeta = RuleMeta {
    id: "unreadable-image",
    default_level: Level::Error,
    summary: "the image file cannot be decoded, or its bytes are another format than its extension says",
    docs: include_str!("unreadable-image.md"),
};

impl Rule for UnreadableImage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_site(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let refs: Vec<(String, &Page, Span)> = cx
            .project
            .pages
            .par_iter()
            .flat_map_iter(|page| {
                page.images
                    .iter()
                    .filter_map(move |image| match cx.resolve(page, &image.src) {
                        Target::Site {
                            found: Found::File(p),
                            ..
                        } => Some((p, page, image.span)),
                        _ => None,
                    })
            })
            .collect();
        let mut by_file: BTreeMap<String, Vec<(&Page, Span)>> = BTreeMap::new();
        for (path, page, span) in refs {
            by_file.entry(path).or_default().push((page, span));
        }
        let files: Vec<(&String, &Path)> = by_file
            .keys()
            .filter_map(|k| cx.project.site.files.get(k).map(|d| (k, d.as_path())))
            .collect();
        crate::progress::stage("reading images", files.len());
        let problems: Vec<(&String, Problem)> = files
            .par_iter()
            .filter_map(|(site, disk)| {
                let problem = inspect(disk).err().map(|p| (*site, p));
                crate::progress::inc(1);
                problem
            })
            .collect();
        for (site, problem) in problems {
            for (page, span) in &by_file[site] {
                out.push(
                    Finding::new(page, *span, format!("image {site} {}", problem.what))
                        .help(problem.help.clone()),
                );
            }
        }
    }
}
