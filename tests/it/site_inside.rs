//! A generator's site checked from a folder inside it: a Starlight site's `src/content/docs/`
//! (or `src/content/`, `src/`) with `astro.config.mjs` three (two, one) folders up, as
//! tauri-docs' writers check it. Pages are routed as from the site root (slugified paths,
//! index, front-matter slug, locale fallbacks, `base`), `public/` is served from the root,
//! tsconfig aliases and relative paths reach `src/assets/` on disk, and the findings are those
//! `check .` gives for the same pages.

use std::collections::BTreeSet;

use crate::support::{Project, png, run_in};

/// A Starlight site with `base: '/docs'`, an `@assets/` alias, `public/` and `src/assets/`.
fn site() -> Project {
    Project::new()
        .file(
            "astro.config.mjs",
            "import starlight from '@astrojs/starlight';\nexport default defineConfig({\n  base: '/docs',\n  integrations: [starlight({ title: 'T' })],\n});\n",
        )
        .file(
            "tsconfig.json",
            "{\n  \"compilerOptions\": { \"baseUrl\": \".\", \"paths\": { \"@assets/*\": [\"src/assets/*\"] } }\n}\n",
        )
        .bytes("public/shot.png", &png(2, 2))
        .bytes("src/assets/diagram.png", &png(3, 3))
        .file("src/assets/notes.txt", "Notes.\n")
        .file("src/content/docs/index.md", "---\ntitle: Home\n---\n\nHello.\n")
        .file("src/content/docs/fr/index.md", "---\ntitle: Accueil\n---\n\nBonjour.\n")
        .file(
            "src/content/docs/Guides/API Keys.md",
            "---\ntitle: API keys\n---\n\n## Create a key\n\nBack [home](/docs/).\n",
        )
        .file(
            "src/content/docs/guides/setup.md",
            "---\ntitle: Setup\nslug: start/here\n---\n\nFirst [API keys](/docs/guides/api-keys/#create-a-key).\n",
        )
        .file(
            "src/content/docs/guides/diagram.md",
            "---\ntitle: Diagram\n---\n\n![Diagram](@assets/diagram.png)\n\n![Again](../../../assets/diagram.png)\n",
        )
        .file(
            "src/content/docs/guides/notes.md",
            "---\ntitle: Notes\n---\n\n[Notes](@assets/notes.txt), [again](../../../assets/notes.txt).\n",
        )
        .file(
            "src/content/docs/guides/links.md",
            concat!(
                "---\ntitle: Links\n---\n\n",
                "- [Keys](/docs/guides/api-keys/)\n", // 5
                "- [Keys, French fallback](/docs/fr/guides/api-keys/)\n",
                "- [By slug](/docs/start/here/)\n",
                "- [Relative to the URL](../api-keys/)\n",
                "\n![Shot](/docs/shot.png)\n", // 10
                "\n![Diagram](@assets/diagram.png)\n",
                "\n![Diagram, relative](../../../assets/diagram.png)\n", // 14
                "\n- [Missing route](/docs/guides/nope/)\n",
                "- [Missing anchor](/docs/guides/api-keys/#nope)\n", // 17
                "- [File link](./setup.md)\n",
                "\n![Gone](@assets/gone.png)\n", // 20
                "\n![Gone too](/docs/gone.png)\n",
                "\n![Gone, relative](../../../assets/gone.png)\n", // 24
            ),
        )
}

/// `(rule, file, line)` of `check DIR --format json` run at the site's root (files are named
/// from there, whatever folder is checked).
fn places(p: &Project, dir: &str) -> BTreeSet<(String, String, u64)> {
    let run = run_in(p.path(), &["check", dir, "--format", "json"]);
    run.json()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().expect("rule").to_string(),
                f["file"].as_str().expect("file").to_string(),
                f["line"].as_u64().expect("line"),
            )
        })
        .collect()
}

fn f(rule: &str, line: u64) -> (String, String, u64) {
    (
        rule.to_string(),
        "src/content/docs/guides/links.md".to_string(),
        line,
    )
}

/// What `check` finds in `src/content/docs/guides/links.md` of [`site`], from wherever it runs.
fn expected_in_links() -> BTreeSet<(String, String, u64)> {
    [
        f("broken-link", 16),
        f("broken-anchor", 17),
        f("broken-link", 18),
        f("missing-image", 20),
        f("missing-image", 22),
        f("missing-image", 24),
    ]
    .into_iter()
    .collect()
}

#[test]
fn a_starlight_site_checked_from_its_content_folder_is_routed_as_from_its_root() {
    let p = site();
    let expected = expected_in_links();
    assert_eq!(places(&p, "."), expected, "from the site's root");
    for dir in ["src/content/docs", "src/content", "src"] {
        assert_eq!(places(&p, dir), expected, "check {dir}");
    }
    // Link messages read as from the root (`public/…` named from the current folder), and a
    // missing image of `src/assets/` is looked for there.
    let messages = |dir: &str, rule: &str| -> Vec<String> {
        let run = run_in(p.path(), &["check", dir, "--format", "json"]);
        run.json()
            .iter()
            .filter(|f| f["rule"] == rule)
            .map(|f| f["message"].as_str().expect("message").to_string())
            .collect()
    };
    assert_eq!(
        messages("src/content/docs", "broken-link"),
        messages(".", "broken-link")
    );
    let run = run_in(p.path(), &["check", "src/content/docs", "--format", "json"]);
    let gone = run
        .json()
        .iter()
        .find(|f| f["line"] == 24)
        .map(|f| f["help"].to_string())
        .expect("line 24");
    assert_eq!(gone, "\"looked for src/assets/gone.png\"");
    let help = run.json()[0]["help"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        help.contains("starlight convention (detected from astro.config.mjs;"),
        "the help names the config above: {help}"
    );
}

#[test]
fn a_warm_check_of_the_content_folder_equals_a_cold_one_after_files_outside_it_change() {
    let p = site();
    let docs = "src/content/docs";
    let cold = run_in(p.path(), &["check", docs, "--format", "json"]).stdout;
    let warm = run_in(p.path(), &["check", docs, "--format", "json"]).stdout;
    assert_eq!(warm, cold);
    // Files outside the checked folder, in no cache key: the pages that reach them probe
    // (`guides/diagram.md` and `guides/notes.md` reach only `src/assets/`, through an alias
    // and a relative path).
    std::fs::remove_file(p.path().join("src/assets/diagram.png")).expect("remove");
    std::fs::remove_file(p.path().join("public/shot.png")).expect("remove");
    std::fs::remove_file(p.path().join("src/assets/notes.txt")).expect("remove");
    let warm = run_in(p.path(), &["check", docs, "--format", "json"]).stdout;
    std::fs::remove_dir_all(p.path().join(".stepbook-cache")).expect("a cache at the site root");
    let cold = run_in(p.path(), &["check", docs, "--format", "json"]).stdout;
    assert_eq!(warm, cold);
    let found = places(&p, docs);
    let missing = found
        .iter()
        .filter(|(r, _, _)| r == "missing-image")
        .count();
    assert_eq!(missing, 8, "{cold}");
    let notes = (
        "broken-link".to_string(),
        "src/content/docs/guides/notes.md".to_string(),
        5,
    );
    assert!(found.contains(&notes), "the links to notes.txt: {cold}");
    // And back: a missing file outside the checked folder that appears is found.
    std::fs::write(p.path().join("src/assets/diagram.png"), png(3, 3)).expect("write");
    std::fs::write(p.path().join("public/shot.png"), png(2, 2)).expect("write");
    std::fs::write(p.path().join("src/assets/notes.txt"), "Notes.\n").expect("write");
    let warm = run_in(p.path(), &["check", docs, "--format", "json"]).stdout;
    std::fs::remove_dir_all(p.path().join(".stepbook-cache")).expect("a cache at the site root");
    let cold = run_in(p.path(), &["check", docs, "--format", "json"]).stdout;
    assert_eq!(warm, cold);
    assert_eq!(places(&p, docs).len(), 6, "{cold}");
}

/// A JPEG's bytes (`width`×`height`, black).
fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image::RgbImage::new(width, height)
        .write_to(&mut out, image::ImageFormat::Jpeg)
        .expect("encode");
    out.into_inner()
}

/// `(rule, line, message, help)` of every finding of `check DIR --format json` run in `cwd`.
fn said(p: &Project, cwd: &str, dir: &str) -> Vec<(String, u64, String, String)> {
    let run = run_in(&p.path().join(cwd), &["check", dir, "--format", "json"]);
    run.json()
        .iter()
        .filter(|f| f["file"].as_str().is_some_and(|f| f.ends_with("photo.md")))
        .map(|f| {
            (
                f["rule"].as_str().expect("rule").to_string(),
                f["line"].as_u64().expect("line"),
                f["message"].as_str().expect("message").to_string(),
                f["help"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// Files named inside messages and help lines are named from the current directory, as the
/// `-->` lines are (tauri-docs checked as `stepbook check src/content/docs` from its root said
/// `image blog/…/header.png` and `detected from ../../../astro.config.mjs`).
#[test]
fn messages_name_files_from_the_current_directory_as_locations_do() {
    let p = site()
        .bytes("src/content/docs/guides/photo.png", &jpeg(4, 4))
        .file(
            "src/content/docs/guides/photo.md",
            "---\ntitle: Photo\n---\n\n![Photo](./photo.png)\n\n[Keys](/docs/guides/api-keys/#nope) and [gone](/docs/guides/nope/).\n",
        );
    let anchors = "#create-a-key";
    let expect = |image: &str, page: &str, config: &str, public: &str| {
        vec![
            (
                "image-format-mismatch".to_string(),
                5,
                format!(
                    "image {image} is a JPEG file but its extension says PNG (browsers still \
                     show it: they read the bytes)"
                ),
                "rename it to .jpg (and update the references) or convert it to PNG: servers \
                 send the extension's Content-Type, and tools that trust it fail"
                    .to_string(),
            ),
            (
                "broken-anchor".to_string(),
                7,
                format!("fragment #nope matches no heading or id in {page}"),
                format!("{page} has these anchors: {anchors}"),
            ),
            (
                "broken-link".to_string(),
                7,
                format!(
                    "/docs/guides/nope/ does not exist: no page of src/content/docs/ has the \
                     route /docs/guides/nope/ (a src/content/docs/…nope.md or .mdx file), and \
                     {public}/docs/guides/nope does not exist"
                ),
                format!(
                    "links follow the starlight convention (detected from {config}; \
                     `[check] links` changes it)"
                ),
            ),
        ]
    };
    let from_root = expect(
        "src/content/docs/guides/photo.png",
        "src/content/docs/Guides/API Keys.md",
        "astro.config.mjs",
        "public",
    );
    assert_eq!(said(&p, ".", "src/content/docs"), from_root);
    assert_eq!(said(&p, ".", "."), from_root);
    assert_eq!(
        said(&p, "src/content/docs", "."),
        expect(
            "guides/photo.png",
            "Guides/API Keys.md",
            "../../../astro.config.mjs",
            "../../../public"
        )
    );
}

/// The `src` (or `href`) value of the first `<img>` (`<a>`) in `html` whose value ends with
/// `name`.
fn url_ending(html: &str, attr: &str, name: &str) -> String {
    html.split(&format!("{attr}=\""))
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .find(|v| v.ends_with(name))
        .unwrap_or_else(|| panic!("no {attr} ending with {name} in {html}"))
        .to_string()
}

#[test]
fn a_starlight_site_built_from_its_content_folder_is_built_as_the_site_builds_it() {
    let p = site();
    let run = p.run(&["build", "src/content/docs"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The site's root is the project: the build dir and the cache sit there, not in the docs.
    assert!(run.stdout.contains("into book/"), "{}", run.stdout);
    assert!(p.path().join("book/guides/diagram.html").is_file());
    assert!(p.path().join(".stepbook-cache").is_dir());
    assert!(!p.path().join("src/content/docs/book").exists());
    assert!(!p.path().join("src/content/docs/.stepbook-cache").exists());
    // `public/` is served from the site root; `src/assets/` (through the alias or a relative
    // path) under `_assets/`, at its path in the project. Each URL leads to the file.
    let read = |page: &str| std::fs::read_to_string(p.path().join("book").join(page)).expect(page);
    let diagram = read("guides/diagram.html");
    assert_eq!(
        url_ending(&diagram, "src", "diagram.png"),
        "../_assets/src/assets/diagram.png"
    );
    assert_eq!(
        std::fs::read(p.path().join("book/_assets/src/assets/diagram.png")).expect("published"),
        png(3, 3)
    );
    let links = read("guides/links.html");
    assert_eq!(url_ending(&links, "src", "shot.png"), "../shot.png");
    assert_eq!(
        std::fs::read(p.path().join("book/shot.png")).expect("published"),
        png(2, 2)
    );
    let notes = read("guides/notes.html");
    assert_eq!(
        url_ending(&notes, "href", "notes.txt"),
        "../_assets/src/assets/notes.txt"
    );
    assert!(p.path().join("book/_assets/src/assets/notes.txt").is_file());
    // A missing file keeps the address as written.
    assert_eq!(url_ending(&links, "src", "gone.png"), "@assets/gone.png");
}

#[test]
fn a_starlight_site_built_from_its_root_builds_its_docs_folder() {
    // `astro build` publishes `src/content/docs/`, not the repository: so does `build` here
    // (`check .` still checks every page of the folder).
    let p = site().file("README.md", "# The repository\n");
    let run = p.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .starts_with("building src/content/docs/, the docs folder astro.config.mjs names\n"),
        "{}",
        run.stderr
    );
    let book = p.path().join("book");
    assert!(book.join("guides/diagram.html").is_file());
    assert!(book.join("_assets/src/assets/diagram.png").is_file());
    assert!(!book.join("src").exists(), "no mirror of the repository");
    assert!(!book.join("README.html").exists());
    let checked = p.run(&["check", ".", "--format", "json"]);
    assert!(checked.stdout.contains("src/content/docs/guides/links.md"));
}

#[test]
fn serve_from_the_content_folder_serves_the_files_of_the_site_its_pages_use() {
    let p = site();
    let mut opts = stepbook::serve::ServeOptions::new(p.path().join("src/content/docs"));
    opts.port = 0;
    opts.quiet = true;
    let running = stepbook::serve::start(&opts).expect("serve starts");
    let get = |target: &str| crate::support::http::get(running.addr(), target);
    let page = get("/guides/diagram.html");
    assert_eq!(page.status, 200);
    let body = String::from_utf8_lossy(&page.body).to_string();
    assert_eq!(
        url_ending(&body, "src", "diagram.png"),
        "../_assets/src/assets/diagram.png"
    );
    let image = get("/_assets/src/assets/diagram.png");
    assert_eq!((image.status, image.body), (200, png(3, 3)));
    let shot = get("/shot.png");
    assert_eq!((shot.status, shot.body), (200, png(2, 2)));
    // Nothing else of the project is served.
    assert_eq!(get("/_assets/tsconfig.json").status, 404);
    assert_eq!(get("/_assets/astro.config.mjs").status, 404);
}

#[test]
fn a_build_publishes_no_hidden_file_of_the_project_nor_a_file_of_its_own_build() {
    // Links from the docs folder to `.git/config`, `.env` and the previous build reach files
    // inside the project; no generator publishes them, and neither does a build here.
    let p = site()
        .file(".git/config", "[core]\n")
        .file(".env", "TOKEN=secret\n")
        .file("src/assets/.hidden/x.txt", "Hidden.\n")
        .file(
            "src/content/docs/guides/private.md",
            concat!(
                "---\ntitle: Private\n---\n\n",
                "[a](../../../../.git/config) [b](../../../../.env) ",
                "[c](../../../assets/.hidden/x.txt) [d](../../../../book/index.html) ",
                "[e](../../../assets/notes.txt)\n",
            ),
        );
    for _ in 0..2 {
        let run = p.run(&["build", "src/content/docs"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let assets: Vec<String> = walkdir(&p.path().join("book/_assets"));
    assert_eq!(assets, ["src/assets/diagram.png", "src/assets/notes.txt"]);
    let html = std::fs::read_to_string(p.path().join("book/guides/private.html")).expect("page");
    assert_eq!(
        url_ending(&html, "href", "config"),
        "../../../../.git/config"
    );
    assert_eq!(url_ending(&html, "href", ".env"), "../../../../.env");
    assert_eq!(
        url_ending(&html, "href", "notes.txt"),
        "../_assets/src/assets/notes.txt"
    );
}

/// The files below `dir`, `/`-separated from it, sorted.
fn walkdir(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("readable").flatten() {
            let path = e.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).expect("below");
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn a_docs_folder_named_through_dot_dot_has_the_site_as_its_project() {
    // `check src/content/../content/docs` checks the same folder as `check src/content/docs`:
    // the same project (the site's root), the same findings, named alike, no cache inside.
    let p = site();
    let expected = expected_in_links();
    assert_eq!(places(&p, "src/content/../content/docs"), expected);
    assert!(!p.path().join("src/content/docs/.stepbook-cache").exists());
}

#[test]
fn the_source_of_an_astro_page_is_not_published() {
    // `src/pages/playground.astro` and the endpoint `src/pages/api/index.ts` serve routes that
    // Astro renders; a link to the route keeps its address, and their code is not copied.
    let p = site()
        .file(
            "src/pages/playground.astro",
            "---\nconst key = 'secret';\n---\n<p>Play</p>\n",
        )
        .file(
            "src/pages/api/index.ts",
            "export const GET = () => new Response(process.env.TOKEN);\n",
        )
        .file(
            "src/content/docs/guides/play.md",
            "---\ntitle: Play\n---\n\n[Play](/docs/playground) and [the API](/docs/api/).\n",
        );
    let run = p.run(&["build", "src/content/docs"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = std::fs::read_to_string(p.path().join("book/guides/play.html")).expect("page");
    assert_eq!(url_ending(&html, "href", "playground"), "/docs/playground");
    assert_eq!(url_ending(&html, "href", "api/"), "/docs/api/");
    assert!(!p.path().join("book/_assets/src/pages").exists());
}

#[test]
fn a_page_titled_in_front_matter_shows_its_title_as_the_generator_does() {
    // Starlight (and Docusaurus, Material for MkDocs) show the front-matter title as the page's
    // heading; the page's own Markdown has none. GitHub shows such a file as it is.
    let p = site();
    let run = p.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = crate::support::html(&p.path().join("book/guides/diagram.html"));
    let h1: Vec<String> = doc
        .select(&crate::support::sel("h1"))
        .map(|h| h.text().collect())
        .collect();
    assert_eq!(h1, ["Diagram"]);
    let plain = Project::new().file("notes.md", "---\ntitle: Notes\n---\n\nText.\n");
    let run = plain.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = crate::support::html(&plain.path().join("book/notes.html"));
    assert_eq!(doc.select(&crate::support::sel("h1")).count(), 0);
}

#[test]
fn partials_named_with_an_underscore_are_checked_but_not_pages() {
    // Astro's content collections and Docusaurus leave `_`-prefixed files and folders out of
    // the pages: other pages import them (tauri-docs' `_fragments/`, jest's
    // `_TypeScriptExamplesNote.md`). GitHub lists such a file as any other.
    let p = site()
        .file(
            "src/content/docs/_fragments/cta.md",
            "---\ntitle: CTA\n---\n\n[Gone](./gone.md)\n",
        )
        .file("src/content/docs/guides/_snippet.md", "Shared text.\n");
    let run = p.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let book = p.path().join("book");
    assert!(book.join("guides/diagram.html").is_file());
    assert!(!book.join("_fragments").exists());
    assert!(!book.join("guides/_snippet.html").exists());
    let nav = std::fs::read_to_string(book.join("nav.js")).expect("nav.js");
    assert!(
        !nav.contains("_fragments") && !nav.contains("_snippet"),
        "{nav}"
    );
    let checked = p.run(&["check", "src/content/docs", "--format", "json"]);
    assert!(
        checked
            .stdout
            .contains("src/content/docs/_fragments/cta.md"),
        "still checked: {}",
        checked.stdout
    );
    let plain = Project::new()
        .file("README.md", "# Home\n")
        .file("_notes.md", "# Notes\n");
    let run = plain.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(plain.path().join("book/_notes.html").is_file());
}
