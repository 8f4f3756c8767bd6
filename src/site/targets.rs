//! Every destination written in one page, resolved once per run: the rules that read links and
//! images (broken-link, broken-anchor, link-outside-site, missing-image, image-case-mismatch,
//! unreadable-image, orphan-image, external-link) share these answers instead of each
//! resolving every link again. What a destination means is still [`resolve`] alone.

use super::{Target, resolve};
use crate::page::Page;
use crate::project::SiteIndex;

/// The [`Target`] of each link and image of one page, in the page's order.
#[derive(Debug, Clone, Default)]
pub struct PageTargets {
    /// `links[i]` is where [`Page::links`]`[i]` points.
    pub links: Vec<Target>,
    /// `images[i]` is where [`Page::images`]`[i]` points.
    pub images: Vec<Target>,
}

impl PageTargets {
    /// Resolves every link and image destination of `page` against `site`.
    pub fn resolve(site: &SiteIndex, page: &Page) -> Self {
        PageTargets {
            links: page
                .links
                .iter()
                .map(|l| resolve(site, &page.rel, &l.dest))
                .collect(),
            images: page
                .images
                .iter()
                .map(|i| resolve(site, &page.rel, &i.src))
                .collect(),
        }
    }
}
