//! Tera 2 templates: the built-in ones embedded in the binary (src/render/templates/), overridden
//! file by file by the project's `templates/` folder, as Zola and mdBook themes do.
//!
//! Built-ins: `base.html` (layout: head, top bar, sidebar, footer), `page.html` (a guide),
//! `index.html` (the guide list written when the site has no README.md/index.md), `404.html`,
//! `nav.js` (the whole navigation tree and the script that inserts it) and `style.css` (copied
//! as-is, not rendered). Any other `*.html` file of `templates/` is loaded too, so an override can
//! `{% include %}` or `{% extends %}` the project's own templates.
//!
//! Variables (Tera 2 reports an undefined variable as an error, so every key is always set, to
//! `null` when absent):
//! - every template: `site` (`title`, `language`, `authors`, `description`), `root` (the prefix
//!   back to the site root, `""` or `"../"`), `path` (this file's site path), `nav_local` (HTML of
//!   the page's own part of the sidebar), `description` (for the meta tag), `search` (true when
//!   the site has search: `search.js` and `pagefind/` are written);
//! - `page.html`: `page` (`title`, `rel`, `path`, `content` (the whole body as HTML),
//!   `title_html` (its leading h1) and `body_html` (the rest), `steps` (count), `front_matter`),
//!   `toc` (list of `level`, `id`, `text`), `prev` and `next` (`title`, `url`, or null);
//! - `index.html`: `guides` (list of `title`, `url`, `summary`, `steps`);
//! - `nav.js`: `tree` (the navigation as JSON) and `site`.
//!
//! Errors: a template that fails to load or render is an [`Error::Template`] whose message starts
//! with `FILE:LINE:COLUMN:` — the project's file (`templates/page.html`) or `built-in page.html` —
//! followed by Tera's report.

use std::collections::BTreeMap;

use tera::{Context, ErrorKind, Tera};

use crate::config::Settings;
use crate::error::{Error, Result};

/// The folder of a project that overrides built-in templates.
pub const TEMPLATE_DIR: &str = "templates";

/// The built-in Tera templates, by name.
pub const BUILTIN: &[(&str, &str)] = &[
    ("base.html", include_str!("templates/base.html")),
    ("page.html", include_str!("templates/page.html")),
    ("index.html", include_str!("templates/index.html")),
    ("404.html", include_str!("templates/404.html")),
    ("nav.js", include_str!("templates/nav.js")),
];

/// The built-in stylesheet (copied as-is to `style.css`).
pub const STYLE: &str = include_str!("templates/style.css");

/// The script that reveals and runs the copy buttons of code blocks (`code.js`, copied as-is).
pub const CODE_JS: &str = include_str!("templates/code.js");

/// The search box's script (`search.js`, copied as-is when search is on).
pub const SEARCH_JS: &str = include_str!("templates/search.js");

/// The script that opens screenshots full size in an overlay (copied as-is to `zoom.js`).
pub const ZOOM_JS: &str = include_str!("templates/zoom.js");

/// The loaded templates of one project.
#[derive(Debug)]
pub struct Templates {
    tera: Tera,
    /// Template name → what to call it in messages (`templates/page.html`, `built-in page.html`).
    origin: BTreeMap<String, String>,
    /// Template name → its text, to find the line of an include or extends cycle.
    sources: BTreeMap<String, String>,
    /// The stylesheet: `templates/style.css` when the project has one, else [`STYLE`].
    pub style: String,
}

impl Templates {
    /// Every template's name, origin and text, and the style sheet, as one string: what pages
    /// rendered with these templates depend on ([`crate::render::incremental`]).
    pub fn fingerprint(&self) -> String {
        format!("{:?} {:?} {:?}", self.origin, self.sources, self.style)
    }

    /// Loads the built-in templates and the overrides in `settings.root/templates/`.
    ///
    /// Errors: [`Error::Io`] for an unreadable file; [`Error::Template`] naming the file and line
    /// of a template that does not parse (or extends/includes one that does not exist).
    pub fn load(settings: &Settings) -> Result<Templates> {
        let mut sources: BTreeMap<String, String> = BUILTIN
            .iter()
            .map(|(n, s)| (n.to_string(), s.to_string()))
            .collect();
        let mut origin: BTreeMap<String, String> = BUILTIN
            .iter()
            .map(|(n, _)| (n.to_string(), format!("built-in {n}")))
            .collect();
        let mut style = STYLE.to_string();
        let dir = settings.root.join(TEMPLATE_DIR);
        if dir.is_dir() {
            for (path, name) in crate::project::walk(&dir, &settings.build_dir)? {
                let text =
                    crate::project::read_regular_string(&path).map_err(|e| Error::io(&path, e))?;
                let shown = crate::project::relative_slash(&settings.root, &path);
                if name == "style.css" {
                    style = text;
                } else if name.ends_with(".html") || origin.contains_key(&name) {
                    origin.insert(name.clone(), shown);
                    sources.insert(name, text);
                }
            }
        }
        let mut tera = Tera::new();
        tera.add_raw_templates(sources.iter().map(|(n, s)| (n.as_str(), s.as_str())))
            .map_err(|e| template_error(&e, &origin, &sources, None))?;
        Ok(Templates {
            tera,
            origin,
            sources,
            style,
        })
    }

    /// Renders template `name` with `ctx`.
    ///
    /// Errors: [`Error::Template`] naming the template file and line.
    pub fn render(&self, name: &str, ctx: &Context) -> Result<String> {
        self.tera
            .render(name, ctx)
            .map_err(|e| template_error(&e, &self.origin, &self.sources, Some(name)))
    }

    /// True when a template of that name is loaded.
    pub fn has(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }
}

/// A Tera error as an [`Error::Template`] whose message starts with `FILE:LINE:COLUMN:` when
/// Tera knows where, else `FILE:` for the template being rendered.
fn template_error(
    e: &tera::Error,
    origin: &BTreeMap<String, String>,
    sources: &BTreeMap<String, String>,
    rendering: Option<&str>,
) -> Error {
    let shown = |name: &str| {
        origin
            .get(name)
            .cloned()
            .unwrap_or_else(|| name.to_string())
    };
    let message = match e.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
            let span = r.span();
            let file = shown(r.filename());
            format!(
                "{file}:{}:{}: {}{}",
                span.start_line,
                span.start_col + 1,
                r.message(),
                snippet(&e.to_string(), r.filename(), &file)
            )
        }
        // `chain` runs from the first template to the one met again; the tag that closes the
        // loop is in the one before last.
        ErrorKind::CircularInclude { include_chain, .. } => {
            cycle_message(include_chain, "include", "includes", origin, sources)
        }
        ErrorKind::CircularExtend {
            tpl,
            inheritance_chain,
        } => {
            let mut chain = vec![tpl.clone()];
            chain.extend(inheritance_chain.iter().cloned());
            cycle_message(&chain, "extends", "extends", origin, sources)
        }
        ErrorKind::MissingParent { current, parent } => format!(
            "{}:1:1: extends \"{parent}\", which is neither built in nor in {TEMPLATE_DIR}/",
            shown(current)
        ),
        _ => {
            let text = e.to_string();
            // Tera's own report (`--> name:line:col`) names the template; show its file.
            match report_location(&text) {
                Some((name, line, col)) => {
                    let file = shown(&name);
                    let first = text.lines().next().unwrap_or_default();
                    let first = first.strip_prefix("error: ").unwrap_or(first);
                    format!(
                        "{file}:{line}:{col}: {first}{}",
                        snippet(&text, &name, &file)
                    )
                }
                None => match rendering {
                    Some(name) => format!("{}: {text}", shown(name)),
                    None => text,
                },
            }
        }
    };
    Error::Template(message)
}

/// `FILE:LINE:COLUMN: includes "b.html", which leads back to it: a.html → b.html → a.html`,
/// at the `{% include %}` (or `{% extends %}`) tag that closes the cycle `chain`.
fn cycle_message(
    chain: &[String],
    tag: &str,
    verb: &str,
    origin: &BTreeMap<String, String>,
    sources: &BTreeMap<String, String>,
) -> String {
    let n = chain.len();
    let (from, to) = match n {
        0 => (String::new(), String::new()),
        1 => (chain[0].clone(), chain[0].clone()),
        _ => (chain[n - 2].clone(), chain[n - 1].clone()),
    };
    // The cycle itself: from the first occurrence of the template met again.
    let first = chain.iter().position(|t| *t == to).unwrap_or(0);
    let cycle = chain[first..].join(" → ");
    let (line, column) = sources
        .get(&from)
        .and_then(|text| {
            let pattern = format!(r#"\{{%-?\s*{tag}\s+["']{}["']"#, regex::escape(&to));
            let at = regex::Regex::new(&pattern).ok()?.find(text)?.start();
            let lc = crate::source::LineIndex::new(text).line_col(text, at);
            Some((lc.line, lc.column))
        })
        .unwrap_or((1, 1));
    let file = origin.get(&from).cloned().unwrap_or(from);
    format!("{file}:{line}:{column}: {verb} \"{to}\", which leads back to it: {cycle}")
}

/// The source excerpt of a Tera report (every line after the first, which repeats the message),
/// with the template name replaced by the file shown to the user; empty when there is none.
fn snippet(report: &str, name: &str, file: &str) -> String {
    let rest: Vec<&str> = report.lines().skip(1).collect();
    if rest.is_empty() {
        return String::new();
    }
    let from = format!("--> {name}:");
    let to = format!("--> {file}:");
    format!("\n{}", rest.join("\n").replacen(&from, &to, 1))
}

/// The `name:line:col` of a Tera report's ` --> ` line.
fn report_location(text: &str) -> Option<(String, usize, usize)> {
    let line = text
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("--> "))?;
    let mut parts = line.rsplitn(3, ':');
    let col = parts.next()?.trim().parse().ok()?;
    let row = parts.next()?.trim().parse().ok()?;
    let name = parts.next()?.to_string();
    Some((name, row, col))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn settings(root: &Path) -> Settings {
        Settings::load(root).unwrap()
    }

    #[test]
    fn builtins_load() {
        let dir = tempfile::tempdir().unwrap();
        let t = Templates::load(&settings(dir.path())).unwrap();
        for (name, _) in BUILTIN {
            assert!(t.has(name), "{name}");
        }
        assert_eq!(t.style, STYLE);
    }

    #[test]
    fn override_error_names_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("templates")).unwrap();
        std::fs::write(
            dir.path().join("templates/page.html"),
            "<p>\n{{ page.title }\n</p>\n",
        )
        .unwrap();
        let err = Templates::load(&settings(dir.path()))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("template error: templates/page.html:2:"),
            "{err}"
        );
    }

    /// Issue 8: an include cycle was reported without a line.
    #[test]
    fn include_cycle_names_the_file_and_line_of_the_include() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("templates")).unwrap();
        std::fs::write(
            dir.path().join("templates/page.html"),
            "<p>\n{% include \"part.html\" %}\n</p>\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("templates/part.html"),
            "<b>part</b>\n\n  {% include \"page.html\" %}\n",
        )
        .unwrap();
        let err = match Templates::load(&settings(dir.path())) {
            Err(e) => e.to_string(),
            Ok(t) => t
                .render("page.html", &Context::new())
                .unwrap_err()
                .to_string(),
        };
        assert_eq!(
            err,
            "template error: templates/part.html:3:3: includes \"page.html\", which leads back \
             to it: page.html → part.html → page.html"
        );
    }

    #[test]
    fn render_error_names_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("templates")).unwrap();
        std::fs::write(
            dir.path().join("templates/page.html"),
            "<p>\n\n{{ nothing_here }}</p>\n",
        )
        .unwrap();
        let t = Templates::load(&settings(dir.path())).unwrap();
        let err = t
            .render("page.html", &Context::new())
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("template error: templates/page.html:3:"),
            "{err}"
        );
    }
}
