//! End-to-end tests of `stepbook build` (issue 2's acceptance): the bundled LinkedIn guide and
//! small temporary projects are copied into temp dirs and built with the real binary; the HTML
//! is read with an HTML parser (scraper), never by substring. Nothing is written into the repo.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Output;

use stepbook::output::{check_build_dir, write_site};
use stepbook::project::Project;
use stepbook::render::Renderer;

use crate::support::{self, html, output as stepbook, repo, sel};

/// A temp copy of the bundled project: content/, res/ and book.toml.
fn bundled() -> support::Project {
    support::Project::bundled()
}

/// A temp project made of `files` (path, text).
fn project(files: &[(&str, &str)]) -> support::Project {
    support::Project::with(files)
}

fn build(dir: &Path) -> Output {
    let out = stepbook(dir, &["build"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Every file below `dir`: relative path → bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn bundled_guide_builds_pages_and_every_referenced_image() {
    let dir = bundled();
    let out = build(dir.path());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("Built 2 pages and 15 images into "),
        "{stdout}"
    );
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    let book = dir.path().join("book");
    for page in [
        "index.html",
        "CREDENTIALS.html",
        "GETTING_STARTED.html",
        "404.html",
        "nav.js",
        "style.css",
    ] {
        assert!(book.join(page).is_file(), "{page} missing");
    }
    let project = Project::load(dir.path()).unwrap();
    let mut referenced = 0;
    for page in &project.pages {
        for image in &page.images {
            let target = book.join(&image.src);
            assert!(target.is_file(), "{} of {} not copied", image.src, page.rel);
            assert_eq!(
                std::fs::read(&target).unwrap(),
                std::fs::read(dir.path().join(&image.src)).unwrap()
            );
            referenced += 1;
        }
    }
    assert_eq!(
        referenced, 15,
        "14 screenshots in CREDENTIALS.md and 1 in GETTING_STARTED.md"
    );
    // The site lists the guides on its index (there is no README.md).
    let index = html(&book.join("index.html"));
    let guides: Vec<String> = index
        .select(&sel(".guide-list a"))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(guides, ["CREDENTIALS.html", "GETTING_STARTED.html"]);
}

#[test]
fn credentials_page_has_github_ids_links_and_sized_images() {
    let dir = bundled();
    build(dir.path());
    let book = dir.path().join("book");
    let doc = html(&book.join("CREDENTIALS.html"));

    let step3: Vec<_> = doc
        .select(&sel("h2#step-3-request-access-to-the-advertising-api"))
        .collect();
    assert_eq!(step3.len(), 1);
    let anchor = step3[0]
        .select(&sel("a.anchor"))
        .next()
        .expect("visible anchor link");
    assert_eq!(
        anchor.value().attr("href"),
        Some("#step-3-request-access-to-the-advertising-api")
    );

    let headings: Vec<_> = doc
        .select(&sel("main h1, main h2, main h3, main h4, main h5, main h6"))
        .collect();
    assert_eq!(headings.len(), 7);
    assert_eq!(
        headings.last().unwrap().value().attr("id"),
        Some("-youre-ready-to-go")
    );

    let links: Vec<&str> = doc
        .select(&sel("article a[href]:not(.anchor)"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(links.contains(&"GETTING_STARTED.html"), "{links:?}");
    assert!(!links.iter().any(|l| l.ends_with(".md")), "{links:?}");

    let imgs: Vec<_> = doc.select(&sel("article img")).collect();
    assert_eq!(
        imgs.len(),
        13,
        "one of the 14 screenshots (linkedin_error.png) sits in an indented code block"
    );
    for img in imgs {
        let src = img.value().attr("src").unwrap();
        let (w, h) = image::ImageReader::open(book.join(src))
            .unwrap()
            .with_guessed_format()
            .unwrap()
            .into_dimensions()
            .unwrap();
        assert_eq!(
            img.value().attr("width"),
            Some(w.to_string().as_str()),
            "{src}"
        );
        assert_eq!(
            img.value().attr("height"),
            Some(h.to_string().as_str()),
            "{src}"
        );
        assert_eq!(img.value().attr("loading"), Some("lazy"), "{src}");
        assert!(!img.value().attr("alt").unwrap_or("").is_empty(), "{src}");
    }

    // The seed's 4-space-indented note and scope list render as code, as on GitHub.
    let code: Vec<String> = doc
        .select(&sel("article pre code"))
        .map(|c| c.text().collect())
        .collect();
    assert_eq!(code.len(), 2);
    assert!(code[0].starts_with("> ⚠️ **Note:**"), "{}", code[0]);
    assert!(code[1].contains("- `r_ads_reporting`"), "{}", code[1]);

    // TOC of h2/h3 and previous/next links.
    let toc: Vec<&str> = doc
        .select(&sel("nav.toc a"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(toc.first(), Some(&"#step-1-create-a-linkedin-app"));
    assert_eq!(toc.len(), 6);
    let next: Vec<_> = doc
        .select(&sel("a[rel=next]"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(next, ["GETTING_STARTED.html"]);

    let gs = html(&book.join("GETTING_STARTED.html"));
    let links: Vec<&str> = gs
        .select(&sel("article a[href]:not(.anchor)"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(
        links.contains(&"CREDENTIALS.html#step-4-generate-an-access-token"),
        "{links:?}"
    );
}

#[test]
fn building_twice_gives_identical_trees() {
    let dir = bundled();
    build(dir.path());
    let first = tree(&dir.path().join("book"));
    build(dir.path());
    let second = tree(&dir.path().join("book"));
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    assert!(first == second, "a file differs between two builds");
    let leftovers: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".stepbook-new-") || n.contains(".stepbook-old-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn sidebar_is_written_once_not_per_page() {
    let mut files: Vec<(String, String)> = (0..60)
        .map(|i| {
            (
                format!("content/p{i:02}.md"),
                format!("# Page number {i:02}\n\nText.\n"),
            )
        })
        .collect();
    files.push((
        "book.toml".into(),
        "[book]\ntitle = \"Many\"\nsrc = \"content\"\n".into(),
    ));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let dir = project(&refs);
    build(dir.path());
    let book = dir.path().join("book");
    let nav = std::fs::read_to_string(book.join("nav.js")).unwrap();
    for i in 0..60 {
        assert!(
            nav.contains(&format!("Page number {i:02}")),
            "nav.js lacks page {i}"
        );
    }
    let doc = html(&book.join("p30.html"));
    let inline: Vec<String> = doc
        .select(&sel("#sidebar-tree a"))
        .map(|a| a.text().collect())
        .collect();
    assert!(inline.len() < 20, "{} links inlined", inline.len());
    assert!(inline.contains(&"Page number 30".to_string()));
    assert!(inline.contains(&"Page number 29".to_string()));
}

#[test]
fn project_template_overrides_builtin() {
    let files = [
        ("book.toml", "[book]\ntitle = \"T\"\nsrc = \"content\"\n"),
        ("content/guide.md", "# Guide\n\nHello.\n"),
    ];
    let plain = project(&files);
    build(plain.path());
    let before = std::fs::read_to_string(plain.path().join("book/guide.html")).unwrap();
    assert!(!before.contains("custom-template"));

    let custom = project(&files);
    std::fs::create_dir_all(custom.path().join("templates")).unwrap();
    std::fs::write(
        custom.path().join("templates/page.html"),
        "<!DOCTYPE html><html><body class=\"custom-template\"><h1 class=\"t\">{{ page.title }}</h1>{{ page.content | safe }}</body></html>\n",
    )
    .unwrap();
    build(custom.path());
    let doc = html(&custom.path().join("book/guide.html"));
    assert_eq!(doc.select(&sel("body.custom-template")).count(), 1);
    let title: String = doc.select(&sel("h1.t")).next().unwrap().text().collect();
    assert_eq!(title, "Guide");
    assert_eq!(
        doc.select(&sel("p"))
            .next()
            .unwrap()
            .text()
            .collect::<String>(),
        "Hello."
    );
}

#[test]
fn unknown_config_key_exits_2_naming_file_and_line() {
    let dir = project(&[
        (
            "book.toml",
            "[book]\ntitle = \"T\"\nsrc = \"content\"\n\n[build]\nbuild-dir = \"book\"\nbuld-dir = \"x\"\n",
        ),
        ("content/a.md", "# A\n"),
    ]);
    let out = stepbook(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("book.toml:7:"), "{err}");
    assert!(err.contains("buld-dir"), "{err}");
    assert!(!dir.path().join("book").exists());
}

#[test]
fn malformed_front_matter_exits_2_naming_file_and_line() {
    let dir = project(&[
        ("book.toml", "[book]\nsrc = \"content\"\n"),
        ("content/ok.md", "# Ok\n"),
        (
            "content/bad.md",
            "---\ntitle: Bad\nweight: [1, 2\n---\n# Bad\n",
        ),
    ]);
    let out = stepbook(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("bad.md:"), "{err}");
    assert!(err.contains("malformed front matter"), "{err}");
    let line: usize = err
        .split("bad.md:")
        .nth(1)
        .and_then(|rest| rest.split(':').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no line in {err}"));
    assert!((3..=4).contains(&line), "{err}");
}

/// mdBook has no front matter: a chapter that opens with a thematic break and has another
/// further down is Markdown, and builds (the block between them is not a mapping of keys).
#[test]
fn a_page_opening_with_a_thematic_break_builds() {
    let dir = project(&[
        ("book.toml", "[book]\ntitle = \"T\"\n"),
        ("src/SUMMARY.md", "# Summary\n\n- [Intro](intro.md)\n"),
        ("src/intro.md", "# Intro\n"),
        ("src/notes.md", "---\n\n# Notes\n\nSome text\n\n---\n"),
    ]);
    let out = stepbook(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = stepbook(dir.path(), &["check", "--format", "json"]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(!text.contains("malformed-front-matter"), "{text}");
}

/// mdBook builds only what SUMMARY.md lists: a page it does not list is not built, so its
/// malformed front matter does not stop the build (check reports it, and that it is unlisted).
#[test]
fn malformed_front_matter_of_an_unlisted_page_does_not_stop_the_build() {
    let dir = project(&[
        ("book.toml", "[book]\ntitle = \"T\"\n"),
        ("src/SUMMARY.md", "# Summary\n\n- [Intro](intro.md)\n"),
        ("src/intro.md", "# Intro\n"),
        (
            "src/notes.md",
            "---\ntitle: Step 1: Notes\n---\n\n# Notes\n",
        ),
    ]);
    let out = stepbook(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = stepbook(dir.path(), &["check", "--format", "json"]);
    let found: Vec<(String, String)> =
        serde_json::from_slice::<Vec<serde_json::Value>>(&out.stdout)
            .expect("json")
            .iter()
            .map(|f| {
                (
                    f["rule"].as_str().unwrap_or("").to_string(),
                    f["file"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect();
    assert!(
        found.contains(&("malformed-front-matter".into(), "src/notes.md".into())),
        "{found:?}"
    );
    // Listed, the same page stops the build.
    std::fs::write(
        dir.path().join("src/SUMMARY.md"),
        "# Summary\n\n- [Intro](intro.md)\n- [Notes](notes.md)\n",
    )
    .expect("write");
    let out = stepbook(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("notes.md:2: malformed front matter"),
        "{}",
        stderr(&out)
    );
}

/// The entries of `nav.js`'s tree, flattened depth first: `(kind, number, title, url)`.
fn nav_entries(nav_js: &str) -> Vec<(String, String, String, String)> {
    let start = nav_js.find("var tree = ").unwrap() + "var tree = ".len();
    let end = start + nav_js[start..].find(";\n").unwrap();
    let tree: serde_json::Value = serde_json::from_str(&nav_js[start..end]).unwrap();
    fn walk(v: &serde_json::Value, out: &mut Vec<(String, String, String, String)>) {
        for e in v.as_array().unwrap() {
            let s = |k: &str| e.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
            out.push((s("k"), s("n"), s("t"), s("u")));
            if let Some(c) = e.get("c") {
                walk(c, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(&tree, &mut out);
    out
}

#[test]
fn mdbook_summary_orders_the_sidebar() {
    let dir = support::Project::copy_of(&repo().join("tests/fixtures/build/mdbook-summary"));
    build(dir.path());
    let book = dir.path().join("book");
    let nav = std::fs::read_to_string(book.join("nav.js")).unwrap();
    let entries: Vec<String> = nav_entries(&nav)
        .into_iter()
        .map(|(k, n, t, u)| {
            format!("{k} {n} {t} {u}")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    assert_eq!(
        entries,
        [
            "ch Introduction index.html",
            "part User guide",
            "ch 1. Installation guide/installation.html",
            "ch 2. Reading books guide/reading.html",
            "ch 2.1. Search guide/search.html",
            "ch 3. Future chapter",
            "part Reference",
            "ch 4. Configuration reference/config.html",
            "sep",
            "ch Contributors misc/contributors.html",
        ]
    );
    // The draft chapter has no page; the inline sidebar shows it without a link, in order.
    let doc = html(&book.join("guide/installation.html"));
    let inline: Vec<String> = doc
        .select(&sel("#sidebar-tree li"))
        .map(|li| {
            li.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    assert_eq!(
        inline,
        [
            "Introduction",
            "User guide",
            "1. Installation",
            "2. Reading books",
            "3. Future chapter",
            "Reference",
            "4. Configuration",
            "",
            "Contributors"
        ]
    );
    assert_eq!(doc.select(&sel("#sidebar-tree .nav-draft")).count(), 1);
    let hrefs: Vec<&str> = doc
        .select(&sel("#sidebar-tree a"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(
        hrefs,
        [
            "../index.html",
            "installation.html",
            "reading.html",
            "../reference/config.html",
            "../misc/contributors.html"
        ]
    );
    // Previous/next follow the summary, not the alphabet.
    let rel = |sel_str: &str| {
        doc.select(&sel(sel_str))
            .next()
            .and_then(|a| a.value().attr("href"))
            .map(String::from)
    };
    assert_eq!(rel("a[rel=prev]").as_deref(), Some("../index.html"));
    assert_eq!(rel("a[rel=next]").as_deref(), Some("reading.html"));
    // SUMMARY.md is not a page of the site; README.md is its index.
    assert!(!book.join("SUMMARY.html").exists());
    assert!(
        html(&book.join("index.html"))
            .select(&sel("main h1#introduction"))
            .next()
            .is_some()
    );
    let config = html(&book.join("reference/config.html"));
    let links: Vec<&str> = config
        .select(&sel("article a[href]:not(.anchor)"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(links, ["../guide/installation.html#step-2-install"]);
}

#[test]
fn build_dir_equal_to_content_root_is_refused() {
    let dir = project(&[
        (
            "book.toml",
            "[book]\nsrc = \"content\"\n\n[build]\nbuild-dir = \"content\"\n",
        ),
        ("content/a.md", "# A\n"),
    ]);
    let out = stepbook(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("is the content folder"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        tree(&dir.path().join("content")).len(),
        1,
        "content untouched"
    );

    let out = stepbook(dir.path(), &["build", "-d", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("project folder itself"),
        "{}",
        stderr(&out)
    );

    let settings = stepbook::config::Settings::load(dir.path()).unwrap();
    assert!(check_build_dir(&settings).is_err());
}

#[test]
fn failed_build_leaves_previous_site_intact() {
    let dir = project(&[
        ("book.toml", "[book]\ntitle = \"T\"\nsrc = \"content\"\n"),
        ("content/a.md", "# A\n\nFirst version.\n"),
    ]);
    build(dir.path());
    let before = tree(&dir.path().join("book"));
    std::fs::write(dir.path().join("content/a.md"), "# A\n\nSecond version.\n").unwrap();
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::fs::write(
        dir.path().join("templates/page.html"),
        "<html>\n<body>\n{{ page.title }\n</body>\n",
    )
    .unwrap();
    let out = stepbook(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("templates/page.html:3:"), "{err}");
    assert_eq!(tree(&dir.path().join("book")), before);

    // A render-time error (unknown variable) also leaves the site alone.
    std::fs::write(
        dir.path().join("templates/page.html"),
        "<html>\n{{ no_such_variable }}\n</html>\n",
    )
    .unwrap();
    let out = stepbook(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("templates/page.html:2:"),
        "{}",
        stderr(&out)
    );
    assert_eq!(tree(&dir.path().join("book")), before);
}

#[test]
fn library_api_renders_in_memory_and_writes() {
    let dir = bundled();
    let project = stepbook::project::Book::load(dir.path()).unwrap();
    let renderer = Renderer::new(&project).unwrap();
    let page = project.page("CREDENTIALS.md").unwrap();
    let one = renderer.render_page(&project, page).unwrap();
    let site = renderer.render_site(&project).unwrap();
    match site.files.get("CREDENTIALS.html") {
        Some(stepbook::render::SiteFile::Generated(bytes)) => assert_eq!(bytes, one.as_bytes()),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        site.files.get("res/linkedin_oauth.png"),
        Some(stepbook::render::SiteFile::Copied(_))
    ));
    assert!(!site.files.keys().any(|k| k.ends_with(".md")));
    write_site(&site, &project.settings).unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.path().join("book/CREDENTIALS.html")).unwrap(),
        one
    );
}

#[test]
fn streaming_build_writes_the_same_files_as_the_in_memory_site() {
    let dir = bundled();
    let project = stepbook::project::Book::load(dir.path()).unwrap();
    let renderer = Renderer::new(&project).unwrap();
    write_site(&renderer.render_site(&project).unwrap(), &project.settings).unwrap();
    let in_memory = tree(&dir.path().join("book"));
    let mut staging = stepbook::output::Staging::start(&project.settings).unwrap();
    let rest = renderer
        .render_site_streaming(&project, &|path, bytes| staging.write(path, bytes))
        .unwrap();
    assert!(
        !rest.files.contains_key("CREDENTIALS.html"),
        "pages are not kept"
    );
    staging.fill(&rest).unwrap();
    staging.swap().unwrap();
    assert_eq!(tree(&dir.path().join("book")), in_memory);
}

#[test]
fn gfm_tables_tasks_strikethrough_footnotes_and_alerts() {
    let dir = project(&[
        ("book.toml", "[book]\ntitle = \"GFM\"\nsrc = \"content\"\n"),
        (
            "content/README.md",
            "# Home\n\n| Scope | Why |\n| --- | --- |\n| `r_ads` | read ads |\n\n- [x] done\n- [ ] todo\n\n~~old~~ new[^1]\n\n[^1]: A footnote.\n\n> [!WARNING]\n> Tokens expire.\n\n> A plain quote.\n",
        ),
    ]);
    build(dir.path());
    let doc = html(&dir.path().join("book/index.html"));
    let cells: Vec<String> = doc
        .select(&sel("article table td"))
        .map(|c| c.text().collect())
        .collect();
    assert_eq!(cells, ["r_ads", "read ads"]);
    let boxes: Vec<bool> = doc
        .select(&sel("article li input[type=checkbox]"))
        .map(|i| i.value().attr("checked").is_some())
        .collect();
    assert_eq!(boxes, [true, false]);
    assert_eq!(
        doc.select(&sel("article del"))
            .next()
            .unwrap()
            .text()
            .collect::<String>(),
        "old"
    );
    assert_eq!(
        doc.select(&sel("article sup.footnote-reference a")).count(),
        1
    );
    assert_eq!(doc.select(&sel("article .footnote-definition")).count(), 1);
    let callout = doc
        .select(&sel("article div.callout.callout-warning"))
        .next()
        .expect("alert callout");
    assert_eq!(
        callout
            .select(&sel(".callout-title"))
            .next()
            .unwrap()
            .text()
            .collect::<String>(),
        "Warning"
    );
    assert!(
        callout
            .text()
            .collect::<String>()
            .contains("Tokens expire.")
    );
    assert_eq!(
        doc.select(&sel("article blockquote")).count(),
        1,
        "the plain quote stays a blockquote"
    );
}

#[test]
fn project_without_pages_is_an_error_and_builds_nothing() {
    let dir = project(&[
        (
            "book.toml",
            "[book]\ntitle = \"Empty\"\nsrc = \"content\"\n",
        ),
        ("content/.keep", ""),
    ]);
    let out = stepbook(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no Markdown pages found in ") && stderr.contains("content"),
        "{stderr}"
    );
    assert!(!dir.path().join("book").exists());
}

/// A build never replaces what it did not build: a user's folder, a file, a hidden folder such
/// as .git, or a zero-config project's own `book/` chapter folder (review finding).
#[test]
fn build_never_replaces_a_folder_or_file_it_did_not_build() {
    let dir = project(&[
        ("book.toml", "[book]\nsrc = \"content\"\n"),
        ("content/a.md", "# A\n"),
        ("notes/todo.txt", "buy milk\n"),
        (".git/HEAD", "ref: refs/heads/main\n"),
    ]);
    for (dest, why) in [
        ("notes", "stepbook did not build"),
        ("book.toml", "is not a folder"),
        (".git", "starts with a dot"),
    ] {
        let out = stepbook(dir.path(), &["build", "-d", dest]);
        assert_eq!(out.status.code(), Some(2), "-d {dest}: {}", stderr(&out));
        assert!(stderr(&out).contains(why), "-d {dest}: {}", stderr(&out));
    }
    assert_eq!(
        std::fs::read_to_string(dir.path().join("notes/todo.txt")).unwrap(),
        "buy milk\n"
    );
    assert!(dir.path().join("book.toml").is_file());
    assert!(dir.path().join(".git/HEAD").is_file());

    // Its own build dir it replaces, build after build.
    build(dir.path());
    assert!(dir.path().join("book/.stepbook-build").is_file());
    build(dir.path());
    assert!(dir.path().join("book/a.html").is_file());

    // Zero-config: a chapter folder named book/ is content, not an old site.
    let zc = project(&[
        ("README.md", "# Home\n\nSee [the chapter](book/ch.md).\n"),
        ("book/ch.md", "# Chapter\n"),
    ]);
    let out = stepbook(zc.path(), &["build"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("did not build"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(zc.path().join("book/ch.md")).unwrap(),
        "# Chapter\n"
    );
}

/// Raw HTML links and images work in the site like Markdown ones: `<a href="x.md">` leads to
/// the page's `.html`, and an `<img>` without a size gets the file's and `loading="lazy"`.
#[test]
fn raw_html_links_and_images_are_rewritten_like_markdown() {
    let dir = project(&[
        ("book.toml", "[book]\nsrc = \"content\"\n"),
        (
            "content/README.md",
            "# Home\n\n<a href=\"guide/setup.md#step-1-go\">Setup</a>\n\n<p><img src=\"res/shot.png\" alt=\"Shot\"></p>\n\nInline <img src=\"res/shot.png\" alt=\"Sized\" width=\"10\"> image.\n",
        ),
        ("content/guide/setup.md", "# Setup\n\n## Step 1: Go\n"),
    ]);
    std::fs::create_dir_all(dir.path().join("res")).unwrap();
    image::RgbImage::new(64, 48)
        .save(dir.path().join("res/shot.png"))
        .unwrap();
    build(dir.path());
    let doc = html(&dir.path().join("book/index.html"));
    let hrefs: Vec<_> = doc
        .select(&sel("article a"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(hrefs.contains(&"guide/setup.html#step-1-go"), "{hrefs:?}");
    let imgs: Vec<_> = doc
        .select(&sel("article img"))
        .map(|i| {
            let v = i.value();
            (
                v.attr("alt"),
                v.attr("width"),
                v.attr("height"),
                v.attr("loading"),
            )
        })
        .collect();
    assert_eq!(
        imgs,
        [
            (Some("Shot"), Some("64"), Some("48"), Some("lazy")),
            (Some("Sized"), Some("10"), None, Some("lazy")),
        ]
    );
}

/// A sound JPEG named `.png` is shown by browsers (they read the bytes): the build sizes it
/// from its JPEG header like any image, and `image-format-mismatch` warns about the name; a
/// file that does not decode keeps no size.
#[test]
fn a_misnamed_but_sound_image_is_sized_and_published() {
    let dir = project(&[(
        "README.md",
        "# Home\n\n![Photo](res/photo.png)\n\n![Cut](res/cut.png)\n",
    )]);
    std::fs::create_dir_all(dir.path().join("res")).unwrap();
    let mut jpeg = std::io::Cursor::new(Vec::new());
    image::RgbImage::new(40, 30)
        .write_to(&mut jpeg, image::ImageFormat::Jpeg)
        .unwrap();
    let jpeg = jpeg.into_inner();
    std::fs::write(dir.path().join("res/photo.png"), &jpeg).unwrap();
    std::fs::write(dir.path().join("res/cut.png"), &jpeg[..100]).unwrap();
    let out = build(dir.path());
    let err = stderr(&out);
    assert!(
        err.contains("warning[image-format-mismatch]: image res/photo.png is a JPEG file but its extension says PNG"),
        "{err}"
    );
    assert!(
        err.contains("error[unreadable-image]: image res/cut.png is a JPEG file (its extension says PNG) that cannot be decoded: the file ends too early (it is truncated)"),
        "{err}"
    );
    let doc = html(&dir.path().join("book/index.html"));
    let imgs: Vec<_> = doc
        .select(&sel("article img"))
        .map(|i| {
            (
                i.value().attr("src"),
                i.value().attr("width"),
                i.value().attr("height"),
            )
        })
        .collect();
    assert_eq!(
        imgs,
        [
            (Some("res/photo.png"), Some("40"), Some("30")),
            (Some("res/cut.png"), None, None),
        ]
    );
    assert_eq!(
        std::fs::read(dir.path().join("book/res/photo.png")).unwrap(),
        jpeg
    );
}
