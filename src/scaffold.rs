//! Scaffolding a new project (`stepbook init`, SPEC.md "Commands"): the files of a small
//! project that builds and checks clean, and the one function that writes them without ever
//! replacing a file that is already there.
//!
//! The layout follows SPEC.md "Layout of a stepbook project": `book.toml` (mdBook's `[book]`
//! and `[build]` keys, a commented `[check.rules]` example and one live `[[scopes]]` entry),
//! `content/GUIDE.md` (a three-step example guide that exercises steps, an anchor link, a scope
//! list and a screenshot), `res/example-window.png` (the screenshot, drawn here with the image
//! crate so no binary sits in the repository) and a `.gitignore` for the build dir and the scope
//! cache. `templates/` is not created: like mdBook's `theme/`, it only holds overrides of the
//! built-in templates, and an empty folder would not survive a `git add` anyway. Writing and
//! printing what was written is the CLI's job (src/cli/init.rs); this module owns the contents.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::config::CONFIG_FILE;
use crate::error::{Error, Result};
use crate::raster::Canvas;

/// The example guide, relative to the project root.
pub const GUIDE_PATH: &str = "content/GUIDE.md";

/// The example screenshot, relative to the project root.
pub const SCREENSHOT_PATH: &str = "res/example-window.png";

/// Width and height of the example screenshot, in pixels.
pub const SCREENSHOT_SIZE: (u32, u32) = (640, 400);

/// What [`scaffold`] does when a file it would create already exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnExisting {
    /// Write nothing and fail with an error naming every file that exists (`stepbook init`).
    Refuse,
    /// Create the missing files and leave the existing ones untouched (`stepbook init --force`).
    Skip,
}

/// What [`scaffold`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scaffolded {
    /// Files written, relative to the project folder (`book.toml`, `content/GUIDE.md`), in the
    /// order of [`files`].
    pub created: Vec<PathBuf>,
    /// Files left alone because they already existed ([`OnExisting::Skip`]), same order.
    pub skipped: Vec<PathBuf>,
}

/// One file of a new project: its path relative to the project folder and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScaffoldFile {
    /// `/`-separated path relative to the project folder.
    pub path: &'static str,
    /// The file's content.
    pub bytes: Vec<u8>,
}

/// The files of a new project titled `title`, in the order they are written and listed.
///
/// Deterministic: the same title gives the same bytes.
pub fn files(title: &str) -> Vec<ScaffoldFile> {
    vec![
        ScaffoldFile {
            path: CONFIG_FILE,
            bytes: book_toml(title).into_bytes(),
        },
        ScaffoldFile {
            path: GUIDE_PATH,
            bytes: GUIDE.as_bytes().to_vec(),
        },
        ScaffoldFile {
            path: SCREENSHOT_PATH,
            bytes: screenshot_png(),
        },
        ScaffoldFile {
            path: ".gitignore",
            bytes: GITIGNORE.as_bytes().to_vec(),
        },
    ]
}

/// Writes the files of a new project titled `title` into `dir`, creating `dir` and the
/// folders the files need. A file that exists is never opened for writing: every file is
/// created with `create_new`, so even a file that appears while this runs is left alone.
///
/// With [`OnExisting::Refuse`], every target is looked up first and nothing is written when
/// any exists. With [`OnExisting::Skip`], the existing ones are listed in
/// [`Scaffolded::skipped`].
///
/// Errors: [`Error::Invalid`] naming the existing files (`Refuse`) or a `dir` that is a file;
/// [`Error::Io`] naming the folder or file that could not be created.
pub fn scaffold(dir: &Path, title: &str, on_existing: OnExisting) -> Result<Scaffolded> {
    if dir.exists() && !dir.is_dir() {
        return Err(Error::Invalid(format!(
            "{}: not a folder; stepbook init needs a folder to create the project in",
            dir.display()
        )));
    }
    let files = files(title);
    if on_existing == OnExisting::Refuse {
        let existing: Vec<PathBuf> = files
            .iter()
            .filter(|f| dir.join(f.path).symlink_metadata().is_ok())
            .map(|f| shown_path(dir, Path::new(f.path)))
            .collect();
        if !existing.is_empty() {
            return Err(already_exist(&existing));
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut done = Scaffolded::default();
    for file in &files {
        let path = dir.join(file.path);
        if path.symlink_metadata().is_ok() {
            done.skipped.push(PathBuf::from(file.path));
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        match create_new(&path, &file.bytes) {
            Ok(()) => done.created.push(PathBuf::from(file.path)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                if on_existing == OnExisting::Refuse {
                    return Err(already_exist(&[shown_path(dir, Path::new(file.path))]));
                }
                done.skipped.push(PathBuf::from(file.path));
            }
            Err(e) => return Err(Error::io(&path, e)),
        }
    }
    Ok(done)
}

/// The title of a project in `dir`: the folder's name (`my-guides`), or `Documentation` when
/// the path has no name (`/`).
///
/// Errors: [`Error::Io`] when the current folder cannot be read to make `dir` absolute.
pub fn title_for(dir: &Path) -> Result<String> {
    let abs = crate::config::absolute(dir)?;
    let named = abs
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .or_else(|| {
            // `..` and the like: the real folder's name, when it exists.
            abs.canonicalize()
                .ok()?
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
        });
    Ok(named
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "Documentation".into()))
}

/// `rel` (a path of the project) as the user who named `dir` would write it: `book.toml`
/// when `dir` is `.`, else `dir/book.toml`.
pub fn shown_path(dir: &Path, rel: &Path) -> PathBuf {
    if dir == Path::new(".") || dir.as_os_str().is_empty() {
        rel.to_path_buf()
    } else {
        dir.join(rel)
    }
}

/// The error for files that are already there, naming each one.
fn already_exist(paths: &[PathBuf]) -> Error {
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let (what, verb) = if names.len() == 1 {
        ("file", "exists")
    } else {
        ("files", "exist")
    };
    Error::Invalid(format!(
        "{} already {verb}; stepbook init never overwrites a file (move the {what} away, or \
         pass --force to create only the missing files)",
        names.join(", ")
    ))
}

/// Creates `path` with `bytes`; fails with `AlreadyExists` rather than replace anything.
fn create_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// book.toml for a project titled `title` (TOML-escaped, so any folder name gives a valid
/// file).
fn book_toml(title: &str) -> String {
    let title = crate::config::toml_string(title);
    format!(
        r#"# stepbook configuration. [book] and [build] are mdBook's keys, with mdBook's meanings.

[book]
title = {title}
authors = []
src = "content"
language = "en"

[build]
build-dir = "book"

# Rule levels: "error", "warning" or "allow". `stepbook rules` lists the rules and
# `stepbook explain RULE` shows one with a failing and a passing example.
#
# [check.rules]
# orphan-image = "allow"
# missing-alt-text = "error"

# Scope sources: the OAuth scopes that a guide's scope list must hold (the scope-* rules).
# This one governs the list in content/GUIDE.md, "Step 2". mdBook 0.5 rejects unknown
# top-level tables: to share this file with mdBook, nest [check] and [[scopes]] under the
# table [output.stepbook] (with `optional = true`).
[[scopes]]
name = "Example API"
guides = ["GUIDE.md"]
required = ["items:read", "items:write"]

# A source can also read the scopes from a file of the repository (a JSON pointer into JSON
# or YAML, or a regular expression with one capture), or from a URL fetched by
# `stepbook check --refresh-sources` and cached in .stepbook-cache/ for offline runs:
#
# [[scopes]]
# name = "Example API (connector)"
# guides = ["GUIDE.md"]
# section = "Step 2: Select the scopes"
# file = "connector/scopes.json"
# pointer = "/oauth/scopes"
# # url = "https://example.com/oauth/scopes.json"
"#
    )
}

/// The example guide.
const GUIDE: &str = r#"# Example guide: connect to the Example API

This is an example of a step-by-step guide. Replace it with your own. Each heading that starts
with "Step" and a number is a step: `stepbook check` makes sure the steps run 1, 2, 3 and that
every mention of a step points to one that exists, that links and anchors resolve, that each
screenshot exists and has alt text, and that the scope list matches book.toml.
`stepbook build` turns the folder into a site.

## Step 1: Create an app

Sign in to the Example developer portal and click **Create app**. Give the app a name, then
click **Create**:

![The Create app dialog of the Example developer portal, with the Create button highlighted](res/example-window.png)

Keep the tab open: you need the app in [Step 2](#step-2-select-the-scopes).

## Step 2: Select the scopes

On the app's **Permissions** tab, select these scopes:

- `items:read`
- `items:write`

Click **Save**. The list above is compared with the "Example API" entry of book.toml, so the
guide and the connector cannot drift apart unnoticed.

## Step 3: Copy the token

Open the **Tokens** tab, click **Generate token** and copy the token. If the API refuses it,
go back to [Step 2](#step-2-select-the-scopes) and check that both scopes are selected.
"#;

/// `.gitignore`: the build dir and the cache (which also ignores itself, and holds the spare
/// site, see [`crate::output::buffer`]).
const GITIGNORE: &str = "/book\n/.stepbook-cache\n";

/// A 640×400 PNG of a mock application window (title bar, sidebar, a form and a highlighted
/// button): the example guide's screenshot.
pub fn screenshot_png() -> Vec<u8> {
    let (w, h) = SCREENSHOT_SIZE;
    let mut img = Canvas::new(w, h, [255, 255, 255]);
    // Title bar with the three window buttons.
    fill_rect(&mut img, 0, 0, w, 32, [222, 226, 231]);
    fill_rect(&mut img, 0, 32, w, 1, [200, 205, 212]);
    for (x, colour) in [
        (18, [255, 95, 87]),
        (38, [254, 188, 46]),
        (58, [40, 200, 64]),
    ] {
        fill_circle(&mut img, x, 16, 6, colour);
    }
    fill_rect(&mut img, 250, 12, 140, 8, [160, 166, 176]);
    // Sidebar with navigation entries, the second one selected.
    fill_rect(&mut img, 0, 33, 160, h - 33, [244, 246, 248]);
    fill_rect(&mut img, 160, 33, 1, h - 33, [218, 222, 228]);
    for (i, width) in [96, 80, 110, 72, 88].into_iter().enumerate() {
        let y = 56 + 32 * i as u32;
        if i == 1 {
            fill_rect(&mut img, 8, y - 9, 144, 26, [219, 234, 254]);
        }
        fill_rect(&mut img, 20, y, width, 8, [150, 157, 168]);
    }
    // Dialog: heading, text lines, a text field with its label, and the buttons.
    fill_rect(&mut img, 192, 60, 220, 16, [48, 54, 61]);
    for (i, width) in [400, 380, 260].into_iter().enumerate() {
        fill_rect(&mut img, 192, 96 + 18 * i as u32, width, 8, [201, 206, 214]);
    }
    fill_rect(&mut img, 192, 170, 90, 8, [110, 118, 129]);
    stroke_rect(&mut img, 192, 186, 400, 36, 1, [176, 183, 192]);
    fill_rect(&mut img, 204, 200, 150, 8, [64, 70, 78]);
    stroke_rect(&mut img, 192, 300, 110, 36, 1, [176, 183, 192]);
    fill_rect(&mut img, 222, 314, 50, 8, [110, 118, 129]);
    fill_rect(&mut img, 318, 300, 110, 36, [37, 99, 235]);
    fill_rect(&mut img, 348, 314, 50, 8, [255, 255, 255]);
    // The tutorial highlight around the button the guide says to click.
    stroke_rect(&mut img, 310, 292, 126, 52, 3, [229, 72, 77]);
    img.png()
}

/// Fills the rectangle at (`x`, `y`) of `w`×`h` pixels, clipped to the image.
fn fill_rect(img: &mut Canvas, x: u32, y: u32, w: u32, h: u32, colour: [u8; 3]) {
    let (iw, ih) = img.size();
    for py in y..(y + h).min(ih) {
        for px in x..(x + w).min(iw) {
            img.put(px, py, colour);
        }
    }
}

/// Draws the outline of a rectangle, `t` pixels thick, inside its bounds.
fn stroke_rect(img: &mut Canvas, x: u32, y: u32, w: u32, h: u32, t: u32, colour: [u8; 3]) {
    fill_rect(img, x, y, w, t, colour);
    fill_rect(img, x, y + h - t, w, t, colour);
    fill_rect(img, x, y, t, h, colour);
    fill_rect(img, x + w - t, y, t, h, colour);
}

/// Fills the disc of radius `r` centred on (`cx`, `cy`).
fn fill_circle(img: &mut Canvas, cx: u32, cy: u32, r: u32, colour: [u8; 3]) {
    let r2 = (r * r) as i64;
    for py in cy.saturating_sub(r)..=cy + r {
        for px in cx.saturating_sub(r)..=cx + r {
            let (dx, dy) = (px as i64 - cx as i64, py as i64 - cy as i64);
            if dx * dx + dy * dy <= r2 {
                img.put(px, py, colour);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::parse_config;

    #[test]
    fn book_toml_is_valid_for_any_folder_name() {
        for title in ["my-guides", "Quote \" and \\ backslash", "Ünïcode guides"] {
            let raw = parse_config(Path::new("book.toml"), &book_toml(title)).unwrap();
            assert_eq!(raw.book.title.as_deref(), Some(title));
            assert_eq!(raw.book.src, Some(PathBuf::from("content")));
            assert_eq!(raw.book.language.as_deref(), Some("en"));
            assert_eq!(raw.build.build_dir, Some(PathBuf::from("book")));
            assert!(raw.check.rules.is_empty());
            assert_eq!(raw.scopes.len(), 1);
            assert_eq!(raw.scopes[0].guides, ["GUIDE.md"]);
        }
    }

    #[test]
    fn commented_examples_parse_when_uncommented() {
        let text = book_toml("t")
            .lines()
            .map(|l| match l.strip_prefix("# ") {
                // Example lines: a table header or `key = value`; prose stays commented.
                Some(rest)
                    if rest.starts_with('[')
                        || rest.split_once(" = ").is_some_and(|(key, _)| {
                            key.chars().all(|c| c.is_ascii_lowercase() || c == '-')
                        }) =>
                {
                    rest
                }
                _ => l,
            })
            .collect::<Vec<_>>()
            .join("\n");
        let raw = parse_config(Path::new("book.toml"), &text).unwrap();
        assert_eq!(raw.check.rules.len(), 2);
        assert_eq!(raw.scopes.len(), 2);
        assert_eq!(raw.scopes[1].pointer.as_deref(), Some("/oauth/scopes"));
    }

    #[test]
    fn the_guide_lists_the_scopes_book_toml_requires() {
        let raw = parse_config(Path::new("book.toml"), &book_toml("t")).unwrap();
        for scope in raw.scopes[0].required.as_ref().unwrap() {
            assert!(GUIDE.contains(&format!("- `{scope}`\n")), "{scope}");
        }
        assert!(GUIDE.contains(SCREENSHOT_PATH));
    }

    #[test]
    fn screenshot_is_a_deterministic_png_of_the_stated_size() {
        let png = screenshot_png();
        assert_eq!(png, screenshot_png());
        let img = Canvas::from_png(&png).expect("a PNG");
        assert_eq!(img.size(), SCREENSHOT_SIZE);
        assert_eq!(img.get(330, 318), [37, 99, 235]);
        assert_eq!(img.get(18, 16), [255, 95, 87]);
        assert!(png.len() < 20_000, "{} bytes", png.len());
    }

    #[test]
    fn title_is_the_folder_name() {
        assert_eq!(title_for(Path::new("/tmp/my-guides")).unwrap(), "my-guides");
        assert_eq!(title_for(Path::new("/")).unwrap(), "Documentation");
    }
}
