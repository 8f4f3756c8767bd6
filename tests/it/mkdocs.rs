//! The built pages of an MkDocs site look as MkDocs writes them: admonitions and details
//! (`!!! note "Title"`, `??? question`) are `div.admonition` and `details` blocks with their
//! content rendered as Markdown, a list item's content four columns in stays in the item, and
//! footnotes carry Python-Markdown's `fn:N` / `fnref:N` ids, which the checks accept. Pages of
//! other sites keep CommonMark's reading, but for Docusaurus' and Starlight's `:::` admonitions,
//! which render as the same blocks. The fixture is Material for MkDocs' layout,
//! `tests/fixtures/site/mkdocs-material` (its findings: `site::mkdocs_material_*`).

use std::path::Path;

use crate::support::{Project, html, repo, run_in, sel};

/// The text of every element of the built page `page` that matches `selector`.
fn texts(page: &Path, selector: &str) -> Vec<String> {
    let doc = html(page);
    doc.select(&sel(selector))
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

/// Builds a copy of the Material fixture inside a repository (so that `docs/` finds the
/// mkdocs.yml beside it) and returns the project and its built `index.html`.
fn built_fixture() -> (Project, std::path::PathBuf) {
    let project = Project::copy_of(&repo().join("tests/fixtures/site/mkdocs-material"));
    std::fs::create_dir_all(project.path().join(".git")).expect("a repository");
    let docs = project.path().join("docs");
    let run = run_in(&docs, &["build"]);
    assert_eq!(run.code, 0, "builds: {}", run.stderr);
    // The site's root (mkdocs.yml's folder) is the project: the build dir sits there.
    let page = project.path().join("book/index.html");
    (project, page)
}

#[test]
fn admonitions_and_details_render_as_mkdocs_writes_them() {
    let (_project, page) = built_fixture();
    assert_eq!(
        texts(&page, "div.admonition.note > p.admonition-title"),
        ["Read this first"]
    );
    // The content is Markdown: its link leads to the page.
    let doc = html(&page);
    let link = sel("div.admonition.note a[href='reference/formatting.html#caret-mark-tilde']");
    assert_eq!(doc.select(&link).count(), 1);
    assert_eq!(
        texts(&page, "details.question > summary"),
        ["How do I open it?"]
    );
    assert_eq!(texts(&page, "details.question > p"), ["Click the summary."]);
    assert_eq!(texts(&page, "details.tip[open] > summary"), ["Tip"]);
    // A block inside a list item (four columns in, as Python-Markdown nests it).
    assert_eq!(
        texts(
            &page,
            "ol > li > div.admonition.warning > p.admonition-title"
        ),
        ["Mind the order"]
    );
    let link = sel("li > div.admonition.warning a[href='reference/formatting.html']");
    assert_eq!(doc.select(&link).count(), 1);
    // No marker line is left as text.
    assert!(
        texts(&page, "p")
            .iter()
            .all(|p| !p.starts_with("!!!") && !p.starts_with("???")),
        "{:?}",
        texts(&page, "p")
    );
    let css = std::fs::read_to_string(page.with_file_name("style.css")).expect("style.css");
    assert!(
        css.contains(".admonition-title"),
        "the default theme styles them"
    );
}

#[test]
fn list_content_and_footnotes_as_python_markdown_reads_them() {
    let (_project, page) = built_fixture();
    // The fence four spaces in after `  2.  ` is the second item's code, and the bullet list
    // after it is nested in that item.
    let code = texts(&page, "ol > li:nth-child(2) pre code");
    assert_eq!(code.len(), 1, "{code:?}");
    assert!(code[0].starts_with("links , or even code"), "{code:?}");
    assert_eq!(
        texts(&page, "ol > li:nth-child(2) ul > li strong"),
        ["Context"]
    );
    // Footnote ids as MkDocs writes them, linked both ways.
    let doc = html(&page);
    assert_eq!(
        doc.select(&sel(r"sup#fnref\:1 > a[href='#fn:1']")).count(),
        1
    );
    assert_eq!(texts(&page, r"div#fn\:1 > p"), ["The note."]);
}

/// The same page in a plain folder of Markdown renders as CommonMark reads it: the marker is a
/// paragraph, the content four spaces in is code, and footnote ids are pulldown-cmark's.
#[test]
fn other_sites_keep_commonmarks_reading() {
    let text =
        std::fs::read_to_string(repo().join("tests/fixtures/site/mkdocs-material/docs/index.md"))
            .expect("fixture");
    let project = Project::with(&[("README.md", &text)]);
    let run = run_in(project.path(), &["build"]);
    assert_eq!(run.code, 0, "builds: {}", run.stderr);
    let page = project.path().join("book/index.html");
    let paragraphs = texts(&page, "p");
    assert!(
        paragraphs.contains(&"!!! note \"Read this first\"".to_string()),
        "{paragraphs:?}"
    );
    assert!(texts(&page, ".admonition").is_empty());
    assert!(texts(&page, "details").is_empty());
    assert!(texts(&page, r"#fn\:1").is_empty());
    assert_eq!(
        texts(&page, "div.footnote-definition[id='1'] > p"),
        ["The note."]
    );
}

#[test]
fn docusaurus_and_starlight_colon_admonitions_render_as_blocks_and_their_content_is_checked() {
    // tauri-docs (Starlight) and jest (Docusaurus): `:::note` … `:::` rendered as
    // `<p>:::note</p>` paragraphs around the content.
    let p = Project::new()
        .file(
            "docusaurus.config.js",
            "module.exports = { presets: [['classic', { docs: { path: 'docs' } }]] };\n",
        )
        .file(
            "docs/intro.md",
            "# Intro\n\n:::note[Before you start]\nRead [the guide](guide.md).\n\n- See [gone](gone.md).\n:::\n\n:::tip\nNested:\n\n::::caution\nCareful.\n::::\n:::\n\nAfter.\n",
        )
        .file("docs/guide.md", "# Guide\n\nText.\n");
    let report = p.check();
    assert_eq!(
        crate::support::places(&report),
        [("broken-link".to_string(), "docs/intro.md".to_string(), 6)]
    );
    let run = p.run(&["build"]);
    assert_eq!(run.code, 0, "builds: {}", run.stderr);
    let page = p.path().join("book/docs/intro.html");
    assert_eq!(
        texts(&page, "div.admonition.note > p.admonition-title"),
        ["Before you start"]
    );
    assert_eq!(
        texts(&page, "div.admonition.tip > p.admonition-title"),
        ["Tip"]
    );
    assert_eq!(
        texts(
            &page,
            "div.admonition.tip div.admonition.caution > p:not(.admonition-title)"
        ),
        ["Careful."]
    );
    let doc = html(&page);
    assert_eq!(doc.select(&sel("div.admonition.note li a")).count(), 1);
    assert!(!doc.html().contains(":::"), "no marker is left as text");
    assert!(!doc.html().contains("!!!"), "no marker is left as text");
}

#[test]
fn a_site_without_book_toml_takes_its_title_from_the_generators_config() {
    // Built from a folder named after the checkout, the site was titled "docs" or
    // "tauri-apps+tauri-docs"; mkdocs.yml's site_name is the site's name.
    let p = Project::new()
        .file(".git/HEAD", "ref: refs/heads/main\n")
        .file("mkdocs.yml", "site_name: 'My Tool Docs'\n")
        .file("docs/index.md", "# Home\n\nText.\n");
    let run = run_in(&p.path().join("docs"), &["build"]);
    assert_eq!(run.code, 0, "builds: {}", run.stderr);
    let page = p.path().join("book/index.html");
    assert_eq!(texts(&page, "title"), ["Home · My Tool Docs"]);
}

#[test]
fn an_mkdocs_site_built_from_its_root_builds_its_docs_dir() {
    // `mkdocs build` publishes `docs_dir`; the repository's README and CHANGELOG are not pages.
    let p = Project::new()
        .file(".git/HEAD", "ref: refs/heads/main\n")
        .file("mkdocs.yml", "site_name: Tool\ndocs_dir: documentation\n")
        .file("README.md", "# Tool\n")
        .file("CHANGELOG.md", "# Changes\n")
        .file(
            "documentation/index.md",
            "# Home\n\nSee [setup](setup.md).\n",
        )
        .file("documentation/setup.md", "# Setup\n\nText.\n");
    let run = p.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "building documentation/, the docs folder mkdocs.yml names\nno problems found in 2 pages\n"
    );
    assert!(run.stdout.starts_with("Built 2 pages "), "{}", run.stdout);
    let book = p.path().join("book");
    assert_eq!(texts(&book.join("index.html"), "title"), ["Home · Tool"]);
    assert!(book.join("setup.html").is_file());
    assert!(!book.join("README.html").exists());
    assert!(!book.join("documentation").exists());
    // From the docs folder itself: the same site, in the same build dir.
    let run = run_in(&p.path().join("documentation"), &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "no problems found in 2 pages\n");
    // The first build's site and cache, reused: nothing rendered again.
    assert!(
        run.stdout
            .contains("(0 rendered, 2 unchanged; 0 parsed, 2 cached)"),
        "{}",
        run.stdout
    );
    assert!(!p.path().join("documentation/book").exists());
}
