//! The one boundary between the server and the build pipeline: [`Renderer`], [`Site`] and
//! [`SiteFile`], and where a page lands in the site.
//!
//! Interim: until the build pipeline (`crate::build`) lands, a minimal renderer with the same
//! shape stands in (the page's events as HTML in a fixed shell).

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::error::Result;
use crate::page::Page;
use crate::project::Project;

/// Every file of a built site, by site path (`CREDENTIALS.html`, `res/x.png`).
#[derive(Debug, Clone, Default)]
pub struct Site {
    /// Site path → content.
    pub files: BTreeMap<String, SiteFile>,
}

/// The content of one site file.
#[derive(Debug, Clone)]
pub enum SiteFile {
    /// Bytes produced by the build (pages, sidebar script, styles).
    Generated(Vec<u8>),
    /// A file copied from the project as is.
    Copied(PathBuf),
}

/// Renders pages (interim stand-in for `crate::build::Renderer`).
#[derive(Debug)]
pub struct Renderer;

impl Renderer {
    /// A renderer for `project`.
    pub fn new(_project: &Project) -> Result<Renderer> {
        Ok(Renderer)
    }

    /// One page as a complete HTML document.
    pub fn render_page(&self, _project: &Project, page: &Page) -> Result<String> {
        let mut body = String::new();
        pulldown_cmark::html::push_html(&mut body, page.events.iter().map(|(e, _)| e.clone()));
        Ok(format!(
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{}</title></head>\n<body>\n{body}</body>\n</html>\n",
            page.title
        ))
    }

    /// The whole site: every page, and every other site file copied.
    pub fn render_site(&self, project: &Project) -> Result<Site> {
        let mut site = Site::default();
        for (path, disk) in &project.site.files {
            if !crate::project::is_markdown(std::path::Path::new(path)) {
                site.files.insert(path.clone(), SiteFile::Copied(disk.clone()));
            }
        }
        for page in &project.pages {
            let html = self.render_page(project, page)?;
            site.files.insert(page_html_path(&page.rel), SiteFile::Generated(html.into_bytes()));
        }
        Ok(site)
    }
}

/// Where the page at content-relative `rel` is served: `.md` → `.html`, `README.md` →
/// `index.html` (SPEC.md, Rendering).
pub fn page_html_path(rel: &str) -> String {
    let (dir, name) = match rel.rfind('/') {
        Some(i) => (&rel[..=i], &rel[i + 1..]),
        None => ("", rel),
    };
    let stem = name
        .strip_suffix(".md")
        .or_else(|| name.strip_suffix(".markdown"))
        .unwrap_or(name);
    if stem.eq_ignore_ascii_case("README") {
        format!("{dir}index.html")
    } else {
        format!("{dir}{stem}.html")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_paths() {
        assert_eq!(page_html_path("CREDENTIALS.md"), "CREDENTIALS.html");
        assert_eq!(page_html_path("guide/README.md"), "guide/index.html");
        assert_eq!(page_html_path("a/b.markdown"), "a/b.html");
    }
}
