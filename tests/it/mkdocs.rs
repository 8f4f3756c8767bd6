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

#[test]
fn a_site_whose_mkdocs_config_has_another_name_is_built_from_its_docs_dir() {
    // textual: mkdocs-online.yml inherits mkdocs-common.yml, which names the docs folder. The
    // config found for checks is the one that decides the docs folder and the project.
    let p = Project::new()
        .file(".git/HEAD", "ref: refs/heads/main\n")
        .file(
            "mkdocs-common.yml",
            "site_name: Tool\ndocs_dir: documentation\n",
        )
        .file("mkdocs-online.yml", "INHERIT: mkdocs-common.yml\n")
        .file("README.md", "# Tool\n")
        .file("documentation/index.md", "# Home\n\n[Gone](gone.md)\n");
    let run = p.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .starts_with("building documentation/, the docs folder mkdocs-online.yml names\n"),
        "{}",
        run.stderr
    );
    assert!(p.path().join("book/index.html").is_file());
    assert!(!p.path().join("book/README.html").exists());
    // From the docs folder, the site's root is the project: files are named from there.
    let report = crate::support::check_dir(&p.path().join("documentation"));
    assert_eq!(
        crate::support::places(&report),
        [(
            "broken-link".to_string(),
            "documentation/index.md".to_string(),
            3
        )]
    );
}

/// The sidebar tree `nav.js` of the site built in `book` carries, as `title -> url` lines
/// nested by two spaces.
fn sidebar(book: &Path) -> Vec<String> {
    fn walk(entries: &[serde_json::Value], depth: usize, out: &mut Vec<String>) {
        for e in entries {
            out.push(format!(
                "{}{} -> {}",
                "  ".repeat(depth),
                e["t"].as_str().unwrap_or("?"),
                e["u"].as_str().unwrap_or("-")
            ));
            if let Some(c) = e["c"].as_array() {
                walk(c, depth + 1, out);
            }
        }
    }
    let js = std::fs::read_to_string(book.join("nav.js")).expect("nav.js");
    let tree = js
        .split_once("var tree = ")
        .and_then(|(_, rest)| rest.split_once(";\n"))
        .map(|(tree, _)| tree)
        .expect("the tree in nav.js");
    let tree: Vec<serde_json::Value> = serde_json::from_str(tree).expect("JSON");
    let mut out = Vec::new();
    walk(&tree, 0, &mut out);
    out
}

/// An MkDocs site with `nav`: the sidebar follows it (order, sections, titles given in nav or
/// the page's own, links to other sites, a section's first `index.md` as its page); a page left
/// out is built but not in the sidebar; an entry whose file does not exist is a broken-link
/// finding at its mkdocs.yml line. Without `nav`, the folder tree as before.
#[test]
fn the_sidebar_follows_mkdocs_nav() {
    let nav = concat!(
        "site_name: Demo\n",
        "theme:\n  name: material\n  icon:\n    logo: !!python/name:material.extensions.emoji.twemoji\n",
        "nav:\n",
        "  - Home: index.md\n", // 7
        "  - 'quickstart.md'\n",
        "  - Guides:\n",
        "    - guides/index.md\n",
        "    - Zebra first: guides/zebra.md\n", // 11
        "    - guides/alpha.md\n",
        "    - Gone: guides/gone.md   # not written yet\n", // 13
        "  - Issues: https://github.com/demo/demo/issues\n",
        "markdown_extensions:\n  - toc\n",
    );
    let p = Project::new()
        .file("mkdocs.yml", nav)
        .file("docs/index.md", "# Welcome\n")
        .file("docs/quickstart.md", "# Quick start\n")
        .file("docs/guides/index.md", "# All guides\n")
        .file("docs/guides/alpha.md", "# Alpha\n")
        .file("docs/guides/zebra.md", "# Zebra\n")
        .file("docs/extra.md", "# Not in nav\n");
    std::fs::create_dir_all(p.path().join(".git")).expect("a repository");
    let run = run_in(&p.path().join("docs"), &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let book = p.path().join("book");
    assert_eq!(
        sidebar(&book),
        [
            "Home -> index.html",
            "Quick start -> quickstart.html",
            "Guides -> guides/index.html",
            "  Zebra first -> guides/zebra.html",
            "  Alpha -> guides/alpha.html",
            "  Gone -> -",
            "Issues -> https://github.com/demo/demo/issues",
        ]
    );
    // Left out of nav: built, not in the sidebar, no previous/next.
    let extra = book.join("extra.html");
    assert_eq!(texts(&extra, "h1"), ["Not in nav\u{a0}#"]);
    assert!(texts(&extra, ".nav-tree li.active").is_empty());
    // The page's own sidebar section links an external entry as written.
    let home = html(&book.join("index.html"));
    let hrefs: Vec<_> = home
        .select(&sel(".nav-tree a"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(
        hrefs,
        [
            "index.html",
            "quickstart.html",
            "guides/index.html",
            "https://github.com/demo/demo/issues"
        ]
    );
    let alpha = html(&book.join("guides/alpha.html"));
    let neighbours: Vec<_> = alpha
        .select(&sel("a[rel=prev], a[rel=next]"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(neighbours, ["zebra.html"]);
    // The missing entry, at its line of mkdocs.yml, named from the current folder.
    let run = run_in(p.path(), &["check", "--format", "json"]);
    let nav_findings: Vec<_> = run
        .json()
        .into_iter()
        .filter(|f| f["file"] == "mkdocs.yml")
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_string(),
                f["line"].as_u64().unwrap_or_default(),
                f["column"].as_u64().unwrap_or_default(),
                f["message"].as_str().unwrap_or_default().to_string(),
                f["help"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        nav_findings,
        [(
            "broken-link".to_string(),
            13,
            13,
            "nav names guides/gone.md, which does not exist (looked for docs/guides/gone.md)"
                .to_string(),
            "nav paths are relative to docs_dir (docs/): correct the entry or create the page; \
             MkDocs warns about it and `mkdocs build --strict` fails"
                .to_string()
        )]
    );
    // From `docs/`, the same finding names mkdocs.yml above it.
    let run = run_in(&p.path().join("docs"), &["check", "--format", "json"]);
    let files: Vec<_> = run
        .json()
        .into_iter()
        .filter(|f| f["rule"] == "broken-link")
        .map(|f| {
            (
                f["file"].to_string(),
                f["line"].to_string(),
                f["message"].to_string(),
            )
        })
        .collect();
    assert_eq!(
        files,
        [(
            "\"../mkdocs.yml\"".to_string(),
            "13".to_string(),
            "\"nav names guides/gone.md, which does not exist (looked for guides/gone.md)\""
                .to_string()
        )]
    );
    // Without nav: the folder tree.
    std::fs::write(p.path().join("mkdocs.yml"), "site_name: Demo\n").expect("write");
    let run = run_in(&p.path().join("docs"), &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        sidebar(&book),
        [
            "Welcome -> index.html",
            "All guides -> guides/index.html",
            "  Alpha -> guides/alpha.html",
            "  Zebra -> guides/zebra.html",
            "Not in nav -> extra.html",
            "Quick start -> quickstart.html",
        ]
    );
}

#[test]
fn content_tabs_render_as_labelled_blocks() {
    // Material's `=== "pip"` tabs printed the marker line as a paragraph and the content as a
    // block quote; each is a block with its label above its content now.
    let p = Project::new()
        .file(".git/HEAD", "ref: refs/heads/main\n")
        .file("mkdocs.yml", "site_name: T\n")
        .file(
            "docs/index.md",
            "# Install\n\n=== \"pip\"\n\n    ```sh\n    pip install x\n    ```\n\n=== \"conda\"\n\n    Run `conda install x`.\n\nAfter.\n",
        );
    let run = p.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = p.path().join("book/index.html");
    assert_eq!(
        texts(&page, ".tabbed-block > .tabbed-label"),
        ["pip", "conda"]
    );
    assert_eq!(
        texts(&page, ".tabbed-block > p:not(.tabbed-label)"),
        ["Run conda install x."]
    );
    let doc = html(&page);
    assert_eq!(doc.select(&sel(".tabbed-block .code-block")).count(), 1);
    assert_eq!(doc.select(&sel("blockquote")).count(), 0);
    let text = std::fs::read_to_string(&page).expect("page");
    assert!(!text.contains("=== "), "no marker line left");
}

#[test]
fn a_page_without_a_heading_is_titled_from_its_file_name_as_mkdocs_titles_it() {
    // httpx: `advanced/clients.md` starts with an admonition; MkDocs titles it "Clients" (and
    // the home page "Home"), where the build wrote `<title>clients` and no heading.
    let p = Project::new()
        .file(".git/HEAD", "ref: refs/heads/main\n")
        .file("mkdocs.yml", "site_name: T\n")
        .file("docs/index.md", "Welcome.\n")
        .file("docs/advanced/resource-limits.md", "Text.\n")
        .file("docs/advanced/HTTP_2.md", "Text.\n")
        .file(
            "docs/advanced/titled.md",
            "---\ntitle: my title\n---\n\nText.\n",
        );
    let run = p.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let book = p.path().join("book");
    for (page, title) in [
        ("index.html", "Home"),
        ("advanced/resource-limits.html", "Resource limits"),
        ("advanced/HTTP_2.html", "HTTP 2"),
        ("advanced/titled.html", "my title"),
    ] {
        let page = book.join(page);
        assert_eq!(texts(&page, "h1"), [title], "{}", page.display());
        assert_eq!(texts(&page, "title"), [format!("{title} · T")]);
    }
}
