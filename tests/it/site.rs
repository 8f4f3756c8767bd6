//! Link conventions (`src/site/`) on fixture trees, one per convention
//! (`tests/fixtures/site/<convention>/`): each holds valid links of every form the convention
//! serves and one broken link of each kind, and exactly the broken ones are reported. The
//! fixtures sit inside this repository, so links that leave them are looked up in it.

use stepbook::site::Convention;

use crate::support::{check_dir, places, repo};

/// `(rule, file, line)` of every finding on the fixture `name`, and the convention detected.
fn findings(name: &str) -> (Convention, Vec<(String, String, usize)>) {
    let dir = repo().join("tests/fixtures/site").join(name);
    let report = check_dir(&dir);
    let mut out = places(&report);
    out.sort();
    for d in &report.diagnostics {
        assert!(
            d.rule != "broken-link" || d.help.as_deref().is_some_and(|h| h.contains("convention")),
            "{name}: a link finding's help names the convention: {d:?}"
        );
    }
    let project = stepbook::project::Project::load(&dir).expect("load");
    (project.site.rules.convention, out)
}

fn f(rule: &str, file: &str, line: usize) -> (String, String, usize) {
    (rule.to_string(), file.to_string(), line)
}

#[test]
fn github_reads_files_folders_and_the_repository() {
    let (convention, found) = findings("github");
    assert_eq!(convention, Convention::Github);
    assert_eq!(
        found,
        [
            f("broken-anchor", "README.md", 9),
            f("broken-link", "README.md", 8),
            f("broken-link", "README.md", 10),
            f("broken-link", "README.md", 11),
        ]
    );
}

#[test]
fn mdbook_chapters_html_redirects_and_siblings() {
    let (convention, found) = findings("mdbook");
    assert_eq!(convention, Convention::Mdbook);
    assert_eq!(
        found,
        [
            f("broken-anchor", "src/ch01.md", 11),
            f("broken-link", "src/ch01.md", 10),
            f("link-outside-site", "src/ch01.md", 8),
            f("link-outside-site", "src/ch01.md", 9),
        ]
    );
}

#[test]
fn docusaurus_routes_ids_slugs_static_and_mdx() {
    let (convention, found) = findings("docusaurus");
    assert_eq!(convention, Convention::Docusaurus);
    assert_eq!(
        found,
        [
            f("broken-anchor", "docs/intro.md", 20),
            f("broken-link", "docs/intro.md", 19),
            f("broken-link", "docs/intro.md", 21),
            // The fixture's logo is the same placeholder bytes as another image.
            f("duplicate-image", "static/img/logo.png", 1),
        ]
    );
}

#[test]
fn starlight_routes_with_or_without_trailing_slash_and_public() {
    let (convention, found) = findings("starlight");
    assert_eq!(convention, Convention::Starlight);
    assert_eq!(
        found,
        [
            f("broken-anchor", "src/content/docs/guides/index.md", 13),
            f("broken-link", "src/content/docs/guides/index.md", 12),
            f("broken-link", "src/content/docs/guides/index.md", 14),
        ]
    );
}

#[test]
fn mkdocs_pages_and_directory_urls() {
    let (convention, found) = findings("mkdocs");
    assert_eq!(convention, Convention::Mkdocs);
    assert_eq!(
        found,
        [
            f("broken-anchor", "docs/index.md", 11),
            f("broken-link", "docs/index.md", 9),
            f("broken-link", "docs/index.md", 10),
        ]
    );
}

#[test]
fn mkdocs_without_directory_urls() {
    let (convention, found) = findings("mkdocs-flat");
    assert_eq!(convention, Convention::Mkdocs);
    assert_eq!(found, [f("broken-link", "pages/index.md", 6)]);
}

#[test]
fn stepbook_pages_resources_and_files_outside_the_site() {
    let (convention, found) = findings("stepbook");
    assert_eq!(convention, Convention::Stepbook);
    assert_eq!(
        found,
        [
            f("broken-anchor", "content/GUIDE.md", 11),
            f("broken-link", "content/GUIDE.md", 10),
            f("link-outside-site", "content/GUIDE.md", 9),
        ]
    );
}

#[test]
fn docusaurus_docs_path_without_route_base_path_and_versions() {
    // `path: '../docs'` with no routeBasePath (Prettier's website); versions.json ["stable",
    // "1.0"]: stable is served at /docs/…, 1.0 at /docs/1.0/…, the docs folder at /docs/next/….
    let (convention, found) = findings("docusaurus-versioned");
    assert_eq!(convention, Convention::Docusaurus);
    assert_eq!(
        found,
        [
            f("broken-link", "docs/intro.md", 9),
            f("broken-link", "docs/intro.md", 10),
        ]
    );
}

#[test]
fn a_book_below_the_checked_folder_follows_its_own_convention() {
    // The root is a plain folder (github); `guide/` has its own book.toml, as in mdBook's
    // repository: `format/theme/index.html` inside the book is a chapter, not a broken link.
    let (convention, found) = findings("nested");
    assert_eq!(convention, Convention::Github);
    assert_eq!(
        found,
        [
            f("broken-link", "README.md", 6),
            f("broken-link", "guide/src/README.md", 7),
        ]
    );
    let report = crate::support::check_dir(&repo().join("tests/fixtures/site/nested"));
    let in_book = report
        .diagnostics
        .iter()
        .find(|d| d.file == "guide/src/README.md")
        .expect("the broken chapter link");
    assert!(
        in_book
            .help
            .as_deref()
            .is_some_and(|h| h.contains("mdbook convention (detected from guide/book.toml")),
        "{in_book:?}"
    );
}

/// The docs at the top of the repository and Docusaurus in `website/` beside them (redux,
/// jest, prettier): checking `docs/` finds the sibling config through its `path: '../docs'`,
/// reads routes from the site root, and serves `/img/…` from `website/static/`.
#[test]
fn docusaurus_config_beside_the_checked_docs() {
    let dir = repo().join("tests/fixtures/site/docusaurus-sibling/docs");
    let report = check_dir(&dir);
    let mut found = places(&report);
    found.sort();
    assert_eq!(
        found,
        [
            f("broken-link", "docs/intro.md", 11),
            f("missing-image", "docs/intro.md", 13),
        ]
    );
    let project = stepbook::project::Project::load(&dir).expect("load");
    assert_eq!(project.site.rules.convention, Convention::Docusaurus);
    assert_eq!(
        project.site.rules.detected_from.as_deref(),
        Some("website/docusaurus.config.js")
    );
    let gone = report
        .diagnostics
        .iter()
        .find(|d| d.rule == "broken-link")
        .expect("broken-link");
    assert!(
        gone.message
            .contains("website/static/guides/gone does not exist"),
        "{}",
        gone.message
    );
}

/// A repository read on GitHub with a Starlight site in `site/` (`base: '/docs'`, `public/`,
/// `src/assets/`) and an MkDocs site deeper in `site/examples/mini/`: checking the top folder,
/// pages of each site resolve through that site's own routes, as when checking its folder.
#[test]
fn a_generators_site_below_the_checked_folder_follows_its_convention() {
    let top = repo().join("tests/fixtures/site/nested-site");
    let (convention, found) = findings("nested-site");
    assert_eq!(convention, Convention::Github);
    assert_eq!(
        found,
        [
            f("broken-anchor", "site/src/content/docs/index.md", 10),
            f("broken-link", "README.md", 6),
            f("broken-link", "site/examples/mini/docs/index.md", 4),
            f("broken-link", "site/src/content/docs/index.md", 9),
            f("link-outside-site", "site/src/content/docs/index.md", 11),
        ]
    );
    // The same findings, file for file, as checking the site's folder itself.
    let mut sub = places(&check_dir(&top.join("site")));
    sub.sort();
    let mut under: Vec<_> = found
        .iter()
        .filter_map(|(rule, file, line)| {
            Some((rule.clone(), file.strip_prefix("site/")?.to_string(), *line))
        })
        .collect();
    under.sort();
    assert_eq!(under, sub);
    // Help names the nested site's config.
    let report = check_dir(&top);
    let helps: Vec<(&str, &str)> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule == "broken-link")
        .map(|d| (d.file.as_str(), d.help.as_deref().unwrap_or_default()))
        .collect();
    for (file, needle) in [
        (
            "site/src/content/docs/index.md",
            "starlight convention (detected from site/astro.config.mjs, the site holding",
        ),
        (
            "site/examples/mini/docs/index.md",
            "mkdocs convention (detected from site/examples/mini/mkdocs.yml",
        ),
    ] {
        assert!(
            helps.iter().any(|(f, h)| *f == file && h.contains(needle)),
            "{file}: {helps:?}"
        );
    }
    let project = stepbook::project::Project::load(&top).expect("load");
    let rules = &project.site.rules;
    assert_eq!(
        rules.convention_at("site/src/content/docs/index.md"),
        Convention::Starlight
    );
    assert_eq!(
        rules.convention_at("site/examples/mini/docs/index.md"),
        Convention::Mkdocs
    );
    // `src/assets/` is Astro's: its images are no orphans; `public/` is served as is.
    assert!(rules.used_by_generator("site/src/assets/hero.png"));
    assert!(rules.in_static("site/public/shot.png"));
}

/// `-v` names the sites and books below the checked folder; a page added to a nested site in
/// `serve` gets its route (the nested site's routes are built again).
#[test]
fn nested_sites_in_verbose_output_and_after_a_reload() {
    let copy = crate::support::Project::copy_of(&repo().join("tests/fixtures/site/nested-site"));
    let run = crate::support::run_in(copy.path(), &["check", ".", "-v"]);
    assert!(
        run.stderr.contains(
            "below it: site/ follows starlight (site/astro.config.mjs), site/examples/mini/ follows mkdocs (site/examples/mini/mkdocs.yml)"
        ),
        "{}",
        run.stderr
    );
    let mut book = stepbook::project::Book::load(copy.path()).expect("load");
    // The incremental build hashes the rules' Debug form: it must not follow hash-map order.
    let again = stepbook::project::Book::load(copy.path()).expect("load");
    assert_eq!(
        format!("{:?}", book.site.rules.sites),
        format!("{:?}", again.site.rules.sites)
    );
    let page = "site/src/content/docs/index.md";
    let gone = |book: &stepbook::project::Book| {
        stepbook::site::resolve(&book.site, page, "/docs/guides/later/")
    };
    assert!(
        matches!(
            gone(&book),
            stepbook::site::Target::Site {
                found: stepbook::site::Found::Missing,
                ..
            }
        ),
        "{:?}",
        gone(&book)
    );
    let rel = "site/src/content/docs/guides/later.md";
    copy.write(rel, "---\ntitle: Later\n---\n\nText.\n");
    book.refresh_files(&[(rel.to_string(), copy.path().join(rel))]);
    book.reload_page(rel).expect("reload");
    assert_eq!(
        gone(&book),
        stepbook::site::Target::Site {
            path: "site/docs/guides/later/".into(),
            fragment: None,
            found: stepbook::site::Found::File(rel.into()),
        }
    );
}

/// The same layout one level down in a monorepo (`packages/foo/{docs,website}`): checking the
/// repository root reads `packages/foo/` as a Docusaurus site (its `website/` config reads
/// `../docs`), with the findings of checking `packages/foo/docs` itself.
#[test]
fn docusaurus_beside_its_docs_below_the_checked_folder() {
    let (convention, found) = findings("monorepo");
    assert_eq!(convention, Convention::Github);
    assert_eq!(
        found,
        [
            f("broken-link", "packages/foo/docs/intro.md", 11),
            f("missing-image", "packages/foo/docs/intro.md", 13),
        ]
    );
    let dir = repo().join("tests/fixtures/site/monorepo");
    let project = stepbook::project::Project::load(&dir).expect("load");
    let line = project.site.rules.describe_below().unwrap_or_default();
    assert!(
        line.contains(
            "packages/foo/ follows docusaurus (packages/foo/website/docusaurus.config.js)"
        ),
        "{line}"
    );
}

/// Prettier's and jest's layout: `docs/` checked, Docusaurus in `website/` with versions.json
/// `["stable"]`, a blog and pages. `/docs/x` is the released
/// `website/versioned_docs/version-stable/x.md` (outside the checked folder), `/docs/next/x` the
/// checked `docs/x.md`; `/blog/…` and `/help` are `website/blog/` and `website/src/pages/` files.
#[test]
fn docusaurus_versioned_docs_blog_and_pages_beside_the_checked_docs() {
    let dir = repo().join("tests/fixtures/site/docusaurus-sibling-versioned/docs");
    let report = check_dir(&dir);
    assert_eq!(
        places(&report),
        [
            f("broken-link", "docs/rationale.md", 7),
            f("broken-link", "docs/rationale.md", 10),
        ]
    );
    let project = stepbook::project::Project::load(&dir).expect("load");
    let mut outside: Vec<&str> = project
        .site
        .rules
        .outside_routes
        .keys()
        .map(String::as_str)
        .collect();
    outside.sort();
    assert_eq!(
        outside,
        [
            "blog/2016/07/27/jest-14",
            "docs/guides",
            "docs/guides/index",
            "docs/options",
            "help"
        ]
    );
}

/// Material for MkDocs' layout, checked at `docs/` (mkdocs.yml beside it) and at the project:
/// admonition, tab and definition content is Markdown (its links and images count, nothing is
/// an accidental code block), heading ids are Python-Markdown's (`caret-mark-tilde`, not
/// GitHub's `caret-mark--tilde`; attr_list `{ id="9.7.0" }`), and the link definitions of
/// snippets' `auto_append` file serve every page (a broken one is reported where a page uses it).
/// Both checks find the same orphan in `docs/assets/` (the newcomer's: checked from the root,
/// `docs/` counted as a static folder of the generator and its orphans vanished), and neither
/// reports the images pages use. The newcomer's two other findings: a fence four spaces in
/// after a `  2.  ` item is the item's content (line 41, Python-Markdown's list continuation),
/// and footnotes have Python-Markdown's ids (`#fn:1`, `#fnref:1`; `#fn:2`, line 49, names no
/// footnote). [`commonmark_reading_outside_mkdocs`] is the same text outside MkDocs.
#[test]
fn mkdocs_material_blocks_slugs_and_appended_definitions() {
    let top = repo().join("tests/fixtures/site/mkdocs-material");
    let (convention, found) = findings("mkdocs-material");
    assert_eq!(convention, Convention::Mkdocs);
    assert_eq!(
        found,
        [
            f("broken-anchor", "docs/index.md", 23),
            f("broken-anchor", "docs/index.md", 49),
            f("broken-link", "docs/index.md", 8),
            f("broken-link", "docs/index.md", 31),
            f("orphan-image", "docs/assets/unused.png", 1),
        ]
    );
    let report = check_dir(&top.join("docs"));
    let mut in_docs = places(&report);
    in_docs.sort();
    assert_eq!(
        in_docs,
        [
            f("broken-anchor", "docs/index.md", 23),
            f("broken-anchor", "docs/index.md", 49),
            f("broken-link", "docs/index.md", 8),
            f("broken-link", "docs/index.md", 31),
            f("orphan-image", "docs/assets/unused.png", 1),
        ]
    );
    let project = stepbook::project::Project::load(&top.join("docs")).expect("load");
    assert_eq!(project.site.rules.convention, Convention::Mkdocs);
    assert_eq!(
        project.site.rules.detected_from.as_deref(),
        Some("mkdocs.yml")
    );
    // The appended definitions are the file's: shown from where it lies.
    let page = project
        .pages
        .iter()
        .find(|p| p.rel == "index.md")
        .expect("index");
    let map = page.source_map.as_ref().expect("a source map");
    assert!(
        map.files()
            .iter()
            .any(|f| f.file.ends_with("includes/links.md"))
    );
    assert!(page.original_text().starts_with("# Home\n\n!!! note"));
}

/// The lists and footnotes of the MkDocs fixture in a plain folder of Markdown: CommonMark's
/// reading stands there (the fence is an indented code block; GitHub's footnote ids are
/// `user-content-fn-1`; the admonition in a list item, line 33, is code too), so only MkDocs
/// pages read them the Python-Markdown way. (The page they link to is not there: lines 11, 33.)
#[test]
fn commonmark_reading_outside_mkdocs() {
    let text =
        std::fs::read_to_string(repo().join("tests/fixtures/site/mkdocs-material/docs/index.md"))
            .expect("fixture");
    let tail = &text[text.find("## Lists").expect("lists")..];
    let project = crate::support::Project::with(&[("README.md", tail)]);
    let mut found = places(&project.check());
    found.sort();
    assert_eq!(
        found,
        [
            f("accidental-code-block", "README.md", 7),
            f("accidental-code-block", "README.md", 33),
            f("broken-anchor", "README.md", 15),
            f("broken-anchor", "README.md", 15),
            f("broken-anchor", "README.md", 15),
            f("broken-link", "README.md", 11),
            f("broken-link", "README.md", 33),
        ]
    );
}

/// The newcomer's finding: building `docs/` of the redux/jest layout rewrote `/img/console.png`
/// (served by Docusaurus from `website/static/`, outside the built folder) to the disk path
/// `website/static/img/console.png`, which the built site does not have; later it kept the
/// address but left the image out. Now the file is published where Docusaurus serves it.
#[test]
fn a_static_file_of_the_site_beside_the_built_docs_is_published_where_the_site_serves_it() {
    let project =
        crate::support::Project::copy_of(&repo().join("tests/fixtures/site/docusaurus-sibling"));
    std::fs::create_dir_all(project.path().join(".git")).expect("a repository");
    let docs = project.path().join("docs");
    let run = crate::support::run_in(&docs, &["build"]);
    assert_eq!(
        run.code, 0,
        "builds, printing the fixture's findings: {}",
        run.stderr
    );
    // The docs folder of the site is built as the site builds it: the project is the
    // repository holding `docs/` and `website/`, so the build dir sits there, and the file of
    // `website/static/` is published where Docusaurus serves it, `img/console.png`.
    let book = project.path().join("book");
    let html = std::fs::read_to_string(book.join("intro.html")).expect("built page");
    assert!(html.contains(r#"src="img/console.png""#), "{html}");
    assert!(!html.contains("website/static/img"), "{html}");
    assert_eq!(
        std::fs::read(book.join("img/console.png")).expect("published"),
        std::fs::read(project.path().join("website/static/img/console.png")).expect("source")
    );
    assert!(!docs.join("book").exists());
}

#[test]
fn images_a_jsx_img_shows_in_mdx_are_used_not_orphans() {
    // rudderstack-docs: 478 MDX pages show their screenshots with JSX
    // `<img src="../../assets/x.png" />`; dropped as JSX, they left 1,254 images "unused".
    use crate::support::{Project, png};
    let p = Project::new()
        .file(
            "docs/guides/setup.mdx",
            "import Shot from '../assets/imported.png';\n\n# Setup\n\n1. Open the settings.\n\n<img src=\"../assets/settings.png\" alt=\"Settings\" />\n\n<img src={require('../assets/logo.png').default} />\n\n<img src=\"https://example.com/x.png\" />\n",
        )
        .bytes("docs/assets/imported.png", &png(5, 5))
        .bytes("docs/assets/settings.png", &png(2, 2))
        .bytes("docs/assets/logo.png", &png(3, 3))
        .bytes("docs/assets/unused.png", &png(4, 4));
    assert_eq!(
        places(&p.check()),
        [f("orphan-image", "docs/assets/unused.png", 1)]
    );
}

#[test]
fn images_in_a_web_apps_static_public_and_src_assets_are_the_apps_not_orphans() {
    // meltano/hub (a Gridsome app): 780 plugin logos and icons in static/ and src/assets/,
    // named in YAML data files and shown by Vue components, were reported as unused.
    use crate::support::{Project, png};
    let p = Project::new()
        .file("README.md", "# Hub\n\nNo images here.\n")
        .file("package.json", "{}\n")
        .bytes("static/assets/logos/tap.png", &png(2, 2))
        .bytes("src/assets/images/hero.png", &png(3, 3))
        .file("site/package.json", "{}\n")
        .bytes("site/public/img/banner.png", &png(4, 4))
        // Not a web app's folder: a guide's screenshot no page shows.
        .bytes("docs/images/unused.png", &png(5, 5))
        .bytes("site/docs/images/unused-too.png", &png(6, 6));
    assert_eq!(
        places(&p.check()),
        [
            f("orphan-image", "docs/images/unused.png", 1),
            f("orphan-image", "site/docs/images/unused-too.png", 1),
        ]
    );
}

#[test]
fn a_link_to_a_hidden_file_of_the_repository_is_a_repository_link() {
    // prettier's CONTRIBUTING.md links its pull-request template in .github/, which no site
    // index holds (hidden folders are not walked): it was "does not exist".
    use crate::support::Project;
    let p = Project::new()
        .file(".git/HEAD", "ref: refs/heads/main\n")
        .file(".github/PULL_REQUEST_TEMPLATE.md", "# Template\n")
        .file(
            "CONTRIBUTING.md",
            "# Contributing\n\n[PR template](.github/PULL_REQUEST_TEMPLATE.md)\n\n[gone](.github/NOPE.md)\n",
        );
    assert_eq!(places(&p.check()), [f("broken-link", "CONTRIBUTING.md", 5)]);
}

#[test]
fn starlight_image_paths_through_tsconfig_aliases() {
    // tauri-docs: `![…](@assets/develop/debug.png)` with `"@assets/*": ["src/assets/*"]` in
    // tsconfig.json (Astro resolves the alias); 22 images were "missing".
    use crate::support::{Project, png};
    let p = Project::new()
        .file(
            "astro.config.mjs",
            "import starlight from '@astrojs/starlight';\nexport default { integrations: [starlight({ title: 'T' })] };\n",
        )
        .file(
            "tsconfig.json",
            "{\n  // aliases\n  \"compilerOptions\": { \"baseUrl\": \".\", \"paths\": { \"@assets/*\": [\"src/assets/*\"], } }\n}\n",
        )
        .file(
            "src/content/docs/guides/setup.md",
            "---\ntitle: Setup\n---\n\n![Diagram](@assets/guides/diagram.png)\n\n![Gone](@assets/guides/gone.png)\n",
        )
        .bytes("src/assets/guides/diagram.png", &png(2, 2));
    assert_eq!(
        places(&p.check()),
        [f("missing-image", "src/content/docs/guides/setup.md", 7)]
    );
}

#[test]
fn mdx_markdown_inside_components_is_read_and_jsx_comments_are_not() {
    // tauri-docs' plugin/index.mdx: `## Features` right under `<Search>` was swallowed into an
    // HTML block, so `[Features](#features)` was a broken anchor; a screenshot commented out
    // with `{/* … */}` was a missing image.
    use crate::support::Project;
    let p = Project::new().file(
        "guide.mdx",
        "# Guide\n\n- [Features](#features)\n- [Gone](#gone)\n\n<Search>\n  ## Features\n  <FeaturesList />\n</Search>\n\n{/* ![dark](dark.png) */}\n\n<Steps>\n1. Open [setup](setup.md).\n</Steps>\n",
    );
    assert_eq!(
        places(&p.check()),
        [
            f("broken-anchor", "guide.mdx", 4),
            f("broken-link", "guide.mdx", 14),
        ]
    );
}

#[test]
fn an_image_shown_by_its_github_address_is_used() {
    // httpx: README.md and docs/index.md show docs/img/butterfly.png through
    // raw.githubusercontent.com (so that PyPI shows it too); it was reported unused.
    use crate::support::{Project, png};
    let p = Project::new()
        .file(".git/HEAD", "ref: refs/heads/main\n")
        .file(
            "README.md",
            "# Tool\n\n<img src=\"https://raw.githubusercontent.com/o/tool/master/docs/img/logo.png\" alt=\"Logo\">\n\n![Two](https://github.com/o/tool/blob/feature/x/docs/img/two.png?raw=true)\n",
        )
        .bytes("docs/img/logo.png", &png(2, 2))
        .bytes("docs/img/two.png", &png(3, 3))
        .bytes("docs/img/unused.png", &png(4, 4));
    assert_eq!(
        places(&p.check()),
        [f("orphan-image", "docs/img/unused.png", 1)]
    );
}

#[test]
fn mkdocs_images_the_theme_overrides_show_are_the_themes() {
    // httpx: docs/overrides/partials/nav.html shows /img/speakeasy.png on every page; it was
    // reported unused.
    use crate::support::{Project, png};
    let p = Project::new()
        .file(
            "mkdocs.yml",
            "site_name: T\ntheme:\n    name: material\n    custom_dir: 'docs/overrides'\n",
        )
        .file("docs/index.md", "# Home\n\nText.\n")
        .file(
            "docs/overrides/partials/nav.html",
            "<a href=\"https://sponsor.example\"><img src=\"/img/sponsor.png\"></a>\n<img src=\"{{ 'img/badge.png' | url }}\">\n<img src=\"https://cdn.example/x.png\">\n",
        )
        .bytes("docs/img/sponsor.png", &png(2, 2))
        .bytes("docs/img/badge.png", &png(3, 3))
        .bytes("docs/img/unused.png", &png(4, 4));
    assert_eq!(
        places(&p.check()),
        [f("orphan-image", "docs/img/unused.png", 1)]
    );
}

#[test]
fn docusaurus_site_alias_in_mdx_requires() {
    // `require('@site/…')` names a file from the site's folder: the image is used.
    use crate::support::{Project, png};
    let p = Project::new()
        .file(
            "docusaurus.config.js",
            "module.exports = { presets: [['classic', { docs: { path: 'docs' } }]] };\n",
        )
        .file(
            "docs/intro.mdx",
            "# Intro\n\n<img src={require('@site/docs/assets/shot.png').default} alt=\"Shot\" />\n",
        )
        .bytes("docs/assets/shot.png", &png(2, 2))
        .bytes("docs/assets/unused.png", &png(3, 3));
    assert_eq!(
        places(&p.check()),
        [f("orphan-image", "docs/assets/unused.png", 1)]
    );
}

#[test]
fn starlight_links_to_pages_a_gitignore_says_the_build_generates_are_not_broken() {
    // tauri-docs: 118 links to /reference/… pages that its build writes and
    // src/content/docs/reference/.gitignore lists.
    use crate::support::Project;
    let p = Project::new()
        .file(".git/HEAD", "ref: refs/heads/main\n")
        .file(
            "astro.config.mjs",
            "import starlight from '@astrojs/starlight';\nexport default { integrations: [starlight({ title: 'T' })] };\n",
        )
        .file(
            "src/content/docs/index.md",
            "---\ntitle: Home\n---\n\n- [Config](/reference/config/)\n- [JS API](/reference/javascript/api/namespacecore/)\n- [Gone](/reference/gone/)\n- [Kept](/reference/javascript/)\n",
        )
        .file(
            "src/content/docs/reference/.gitignore",
            "config.md\njavascript/*\n!javascript/index.mdx\n",
        );
    assert_eq!(
        places(&p.check()),
        [
            f("broken-link", "src/content/docs/index.md", 7),
            f("broken-link", "src/content/docs/index.md", 8),
        ]
    );
    let inside = crate::support::check_dir(&p.path().join("src/content/docs"));
    assert_eq!(
        places(&inside),
        [
            f("broken-link", "src/content/docs/index.md", 7),
            f("broken-link", "src/content/docs/index.md", 8)
        ]
    );
}
