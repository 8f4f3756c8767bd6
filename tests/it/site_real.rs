//! Conventions met on real documentation trees that the fixture trees of `site.rs` did not
//! hold, each reproduced as a small project with the exact findings the real tree should give.

use crate::support::{Project, check_dir, places};

fn f(rule: &str, file: &str, line: usize) -> (String, String, usize) {
    (rule.to_string(), file.to_string(), line)
}

#[test]
fn starlight_links_to_routes_astro_redirects() {
    // biomejs/website: `/linter/rules/no-x` is one of 600 redirects that astro.config.ts spreads
    // from the generated `./redirects.js` (to `/linter/rules/no-x/javascript`); 664 of its 908
    // broken links were such routes.
    let p = Project::new()
        .file(
            "astro.config.ts",
            "import starlight from '@astrojs/starlight';\nimport redirects from \"./redirects.js\";\nexport default defineConfig({\n  redirects: {\n    ...redirects,\n    '/old': { status: 302, destination: '/guide/' },\n    '/chain': '/old',\n    '/nowhere': '/gone',\n  },\n  integrations: [starlight({ title: 'T' })],\n});\n",
        )
        .file(
            "redirects.js",
            "// This file is generated.\nexport default {\n  '/linter/rules/no-x': '/linter/rules/no-x/javascript',\n};\n",
        )
        .file(
            "src/content/docs/guide.md",
            "---\ntitle: Guide\n---\n\n- [No x](/linter/rules/no-x)\n- [Options](/linter/rules/no-x/#options)\n- [Bad anchor](/linter/rules/no-x/#nope)\n- [Old](/old/)\n- [Chain](/chain)\n- [Nowhere](/nowhere)\n- [In French](/fr/linter/rules/no-x/)\n",
        )
        .file("src/content/docs/fr/index.md", "---\ntitle: Accueil\n---\n\nBonjour.\n")
        .file(
            "src/content/docs/linter/rules/no-x/javascript.md",
            "---\ntitle: noX\n---\n\n## Options\n\nNone.\n",
        );
    let want = [
        f("broken-anchor", "src/content/docs/guide.md", 7),
        f("broken-link", "src/content/docs/guide.md", 10),
        f("broken-link", "src/content/docs/guide.md", 11),
    ];
    assert_eq!(places(&p.check()), want);
    // From the docs folder, the site's root is the project: the same findings, named alike.
    let inside = check_dir(&p.path().join("src/content/docs"));
    assert_eq!(places(&inside), want);
}

#[test]
fn mkdocs_autorefs_labels_are_cross_references() {
    // pydantic: `[TypeAdapter][pydantic.type_adapter.TypeAdapter]` and ``[`list`][]`` are
    // resolved by mkdocs-autorefs (loaded by mkdocstrings); 832 of its 835 undefined-reference
    // findings. A label with a space is left as text by autorefs, and without the plugin every
    // label is plain text.
    let page = "# Types\n\nUse [adapters][pydantic.type_adapter.TypeAdapter] and [`list`][].\n\nSee [type hints][type hint].\n";
    let with = Project::new()
        .file(".git/HEAD", "ref: refs/heads/main\n")
        .file(
            "mkdocs.yml",
            "site_name: T\nplugins:\n  - search\n  - mkdocstrings:\n      handlers:\n        python:\n          paths: [.]\n",
        )
        .file("docs/index.md", page);
    assert_eq!(
        places(&with.check()),
        [f("undefined-reference", "docs/index.md", 5)]
    );
    let inside = check_dir(&with.path().join("docs"));
    assert_eq!(
        places(&inside),
        [f("undefined-reference", "docs/index.md", 5)]
    );
    let without = Project::new()
        .file("mkdocs.yml", "site_name: T\nplugins:\n  - search\n")
        .file("docs/index.md", page);
    assert_eq!(
        places(&without.check()),
        [
            f("undefined-reference", "docs/index.md", 3),
            f("undefined-reference", "docs/index.md", 3),
            f("undefined-reference", "docs/index.md", 5),
        ]
    );
}

#[test]
fn mkdocs_ids_of_attribute_lists_and_mkdocstrings_objects() {
    // pydantic: `{#model-plain-serializer}` on the last line of a list item, `[](){#typeddict}`
    // before a paragraph, and `#pydantic.config.ConfigDict` into the page that renders
    // `::: pydantic.config` were 38 of its 39 broken anchors.
    let p = Project::new()
        .file("mkdocs.yml", "site_name: T\nmarkdown_extensions:\n  - pymdownx.extra\n")
        .file(
            "docs/api/config.md",
            "::: pkg.config\n    options:\n      members:\n        - ConfigDict\n\n```python\n::: pkg.hidden\n```\n",
        )
        .file(
            "docs/concepts.md",
            "# Concepts\n\n* ***Plain* serializers**: called unconditionally.\n  {#model-plain-serializer}\n\n{#alone}\n\n[](){#typeddict}\nTyped dicts.\n\n```text\nline\n{#in-code}\n```\n",
        )
        .file(
            "docs/index.md",
            "# Home\n\n- [Plain](concepts.md#model-plain-serializer)\n- [Typed](concepts.md#typeddict)\n- [Config](api/config.md#pkg.config)\n- [ConfigDict](api/config.md#pkg.config.ConfigDict.extra)\n- [Alone](concepts.md#alone)\n- [In code](concepts.md#in-code)\n- [Hidden](api/config.md#pkg.hidden.X)\n- [Other](api/config.md#pkg.configx)\n",
        );
    assert_eq!(
        places(&p.check()),
        [
            f("broken-anchor", "docs/index.md", 7),
            f("broken-anchor", "docs/index.md", 8),
            f("broken-anchor", "docs/index.md", 9),
            f("broken-anchor", "docs/index.md", 10),
        ]
    );
}

#[test]
fn mkdocs_macros_template_destinations_are_not_paths() {
    // fastapi (docs/en): `<a href="{{ sponsor.url }}"><img src="{{ sponsor.img }}">` in a
    // `{% for %}` loop, with `zensical.extensions.macros` (like mkdocs-macros-plugin) rendering
    // the page as a Jinja template first: 27 broken links and missing images.
    let page = "# Sponsors\n\n{% for sponsor in sponsors.gold -%}\n<a href=\"{{ sponsor.url }}\"><img src=\"{{ sponsor.img }}\" alt=\"Sponsor\"></a>\n{% endfor %}\n\n[Gone](gone.md)\n";
    let with = Project::new()
        .file(
            "mkdocs.yml",
            "site_name: T\nmarkdown_extensions:\n  zensical.extensions.macros: null\n  abbr: null\n",
        )
        .file("docs/index.md", page);
    assert_eq!(
        places(&with.check()),
        [f("broken-link", "docs/index.md", 7)]
    );
    let plugin = Project::new()
        .file("mkdocs.yml", "site_name: T\nplugins:\n  - macros\n")
        .file("docs/index.md", page);
    assert_eq!(
        places(&plugin.check()),
        [f("broken-link", "docs/index.md", 7)]
    );
    let without = Project::new()
        .file("mkdocs.yml", "site_name: T\n")
        .file("docs/index.md", page);
    assert_eq!(
        places(&without.check()),
        [
            f("broken-link", "docs/index.md", 4),
            f("missing-image", "docs/index.md", 4),
            f("broken-link", "docs/index.md", 7),
        ]
    );
}

#[test]
fn a_docusaurus_docs_folder_outside_the_repository_is_not_read() {
    // A docs plugin's `path` that leaves the repository (`../../elsewhere`, or `/`) would have
    // every file below it walked and routed: the folder is left out, and its routes are broken.
    let p = Project::new()
        .file("repo/.git/HEAD", "ref: refs/heads/main\n")
        .file(
            "repo/website/docusaurus.config.js",
            "module.exports = {\n  presets: [['classic', {\n    docs: { path: \"../../elsewhere\" },\n  }]],\n};\n",
        )
        .file("elsewhere/secret.md", "# Secret\n\nText.\n")
        .file("repo/website/blog/2020-01-01-post.md", "# Post\n\n[Secret](/docs/secret)\n");
    let found = places(&check_dir(&p.path().join("repo/website")));
    assert_eq!(found, [f("broken-link", "blog/2020-01-01-post.md", 3)]);
}

#[test]
fn docusaurus_docs_folder_outside_the_checked_website_folder() {
    // babel/website: `website/docusaurus.config.ts` reads its docs from `path: "../docs"`;
    // checking `website/` reported `/docs/babel-register` (docs/register.md, `id:
    // babel-register`) and 9 other doc routes as broken, which checking the root does not; and
    // `/docs/` (docs/index.md with `id: index`: an index is served at its folder whatever its id).
    let p = Project::new()
        .file(
            "website/docusaurus.config.js",
            "module.exports = {\n  presets: [['classic', {\n    docs: {\n      // Docs folder path relative to website dir.\n      path: \"../docs\",\n    },\n  }]],\n};\n",
        )
        .file("docs/register.md", "---\nid: babel-register\ntitle: '@babel/register'\n---\n\nText.\n")
        .file("docs/usage.md", "# Usage\n\nText.\n")
        .file("docs/index.md", "---\nid: index\ntitle: What is Babel?\n---\n\nText.\n")
        .file(
            "website/blog/2015-03-31-5.0.0.md",
            "# 5.0.0\n\n- [register](/docs/babel-register)\n- [usage](/docs/usage/)\n- [gone](/docs/gone)\n- [docs](/docs/)\n",
        );
    let want = [f("broken-link", "website/blog/2015-03-31-5.0.0.md", 5)];
    assert_eq!(places(&p.check()), want);
    let website = crate::support::run_in(p.path(), &["check", "website", "--format", "json"]);
    let found: Vec<(String, String, usize)> = website
        .json()
        .iter()
        .map(|d| {
            let s = |k: &str| d[k].as_str().unwrap_or_default().to_string();
            (
                s("rule"),
                s("file"),
                d["line"].as_u64().unwrap_or(0) as usize,
            )
        })
        .collect();
    assert_eq!(found, want);
}

#[test]
fn mkdocs_config_under_another_name_with_inherit() {
    // textual: no mkdocs.yml; `mkdocs build -f mkdocs-online.yml`, which (like
    // mkdocs-offline.yml) has `INHERIT: mkdocs-common.yml`, where site_name, docs_dir's
    // default, autorefs and the admonitions are; mkdocs-nav.yml holds a nav only. Read as a
    // plain folder, 442 undefined references, 182 accidental code blocks (admonition bodies)
    // and 173 broken directory-URL links.
    let p = Project::new()
        .file(".git/HEAD", "ref: refs/heads/main\n")
        .file("mkdocs-nav.yml", "nav:\n  - index.md\n")
        .file(
            "mkdocs-common.yml",
            "site_name: Textual\nmarkdown_extensions:\n  - admonition\nplugins:\n  autorefs:\n  mkdocstrings:\nnav:\n  - index.md\n  - styles/tint.md\n  - gone-page.md\n",
        )
        .file("mkdocs-online.yml", "INHERIT: mkdocs-common.yml\nsite_url: https://x.io/\n")
        .file("mkdocs-offline.yml", "INHERIT: mkdocs-common.yml\nsite_dir: docs-offline\n")
        .file("docs/index.md", "# Home\n")
        .file(
            "docs/styles/tint.md",
            "# Tint\n\n!!! note\n\n    See [App][textual.app.App] and [percentage](../../css_types/percentage).\n\n[Gone](gone.md)\n",
        )
        .file("docs/css_types/percentage.md", "# Percentage\n");
    // A nav inherited from mkdocs-common.yml is read there: its missing entry is at its line.
    assert_eq!(
        places(&p.check()),
        [
            f("broken-link", "docs/styles/tint.md", 7),
            f("broken-link", "mkdocs-common.yml", 10),
        ]
    );
    // From the docs folder, the site's root is the project: the same findings, named alike.
    let inside = check_dir(&p.path().join("docs"));
    assert_eq!(
        places(&inside),
        [
            f("broken-link", "docs/styles/tint.md", 7),
            f("broken-link", "mkdocs-common.yml", 10),
        ]
    );
    let project = stepbook::project::Project::load(p.path()).expect("load");
    assert_eq!(project.settings.title, "Textual");
    assert_eq!(
        project.site.rules.detected_from.as_deref(),
        Some("mkdocs-offline.yml")
    );
}

#[test]
fn mkdocs_images_inlined_by_snippets_are_used() {
    // textual: `--8<-- "docs/images/dom1.excalidraw.svg"` inlines the diagram (pymdownx.snippets,
    // paths relative to the config's folder); 84 of its 94 orphan images.
    let svg = |w: u32| {
        format!("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"4\"></svg>\n")
    };
    let p = Project::new()
        .file(
            "mkdocs.yml",
            "site_name: T\nmarkdown_extensions:\n  - pymdownx.snippets\n",
        )
        .file(
            "docs/guide.md",
            "# Guide\n\n--8<-- \"docs/images/dom.svg\"\n\n```text\n--8<--\ndocs/images/two.svg\n--8<--\n```\n\n;--8<-- \"docs/images/escaped.svg\"\n",
        )
        .file("docs/images/dom.svg", &svg(1))
        .file("docs/images/two.svg", &svg(2))
        .file("docs/images/escaped.svg", &svg(3))
        .file("docs/images/unused.svg", &svg(4));
    assert_eq!(
        places(&p.check()),
        [
            f("orphan-image", "docs/images/escaped.svg", 1),
            f("orphan-image", "docs/images/unused.svg", 1),
        ]
    );
    let without = Project::new()
        .file("mkdocs.yml", "site_name: T\n")
        .file(
            "docs/guide.md",
            "# Guide\n\n--8<-- \"docs/images/dom.svg\"\n",
        )
        .file("docs/images/dom.svg", &svg(1));
    assert_eq!(
        places(&without.check()),
        [f("orphan-image", "docs/images/dom.svg", 1)]
    );
}

#[test]
fn starlight_routes_of_astro_pages_beside_the_content() {
    // biomejs/website: `/playground` and `/enterprise` are src/pages/playground.astro and
    // src/pages/enterprise.astro (Astro's file-based routing); 54 broken links.
    let p = Project::new()
        .file(
            "astro.config.mjs",
            "import starlight from '@astrojs/starlight';\nexport default { integrations: [starlight({ title: 'T' })] };\n",
        )
        .file("src/pages/playground.astro", "---\n---\n<div id=\"playground\"></div>\n")
        .file("src/pages/api/index.ts", "export const GET = () => new Response('{}');\n")
        .file("src/pages/_fonts/x.astro", "---\n---\n")
        .file("src/pages/og/[...slug].png.ts", "export const GET = () => new Response('');\n")
        .file(
            "src/content/docs/index.md",
            "---\ntitle: Home\n---\n\n- [Playground](/playground)\n- [Playground](/playground/)\n- [API](/api/)\n- [Fonts](/_fonts/x)\n- [Enterprise](/enterprise)\n",
        );
    let want = [
        f("broken-link", "src/content/docs/index.md", 8),
        f("broken-link", "src/content/docs/index.md", 9),
    ];
    assert_eq!(places(&p.check()), want);
    // From the docs folder (the site's root is the project), the pages are routed from disk.
    let inside = check_dir(&p.path().join("src/content/docs"));
    assert_eq!(places(&inside), want);
}
