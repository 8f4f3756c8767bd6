//! The one boundary between the server and the build pipeline ([`crate::build`]): the
//! renderer, the in-memory site, and where a page lands in the site.

pub use crate::build::{Renderer, Site, SiteFile};
pub use crate::render::page_site_path as page_html_path;
