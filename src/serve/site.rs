//! The one boundary between the server and the build pipeline ([`crate::render`], [`crate::output`]): the
//! renderer, the in-memory site, and where a page lands in the site.

pub use crate::render::page_site_path as page_html_path;
pub use crate::render::{Renderer, Site, SiteFile};
