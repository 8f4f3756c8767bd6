//! Link conventions end to end (issue #14): paths relative to the current directory, the nearest
//! book.toml above a checked folder, SARIF base ids, walks that skip build output and ignored
//! folders, and builds that publish only what pages reference.

use std::path::Path;

use serde_json::Value;

use crate::support::{Project, png, repo, run_in, write_file};

/// stdout, stderr and exit code of `stepbook ARGS` run in `dir`.
fn stepbook(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let run = run_in(dir, args);
    (run.code, run.stdout, run.stderr)
}

fn write(dir: &Path, rel: &str, bytes: &[u8]) {
    write_file(&dir.join(rel), bytes);
}

/// The `file=` of each GitHub workflow command, with its rule.
fn github_files(stdout: &str) -> Vec<(String, String)> {
    stdout
        .lines()
        .filter_map(|l| {
            let file = l.split("file=").nth(1)?.split(',').next()?.to_string();
            let rule = l.split("title=").nth(1)?.split("::").next()?.to_string();
            Some((file, rule))
        })
        .collect()
}

#[test]
fn github_paths_are_relative_to_where_check_ran_and_keep_the_project_config() {
    let root = repo();
    let (code, stdout, stderr) = stepbook(root, &["check", "content", "--format", "github"]);
    assert_eq!(code, 1, "{stderr}");
    let found = github_files(&stdout);
    assert!(
        found.contains(&("content/CREDENTIALS.md".into(), "scope-missing".into())),
        "book.toml above content/ is found: {found:?}"
    );
    assert!(
        found.iter().all(|(f, _)| f.starts_with("content/")),
        "{found:?}"
    );

    let (code, stdout, stderr) =
        stepbook(&root.join("content"), &["check", ".", "--format", "github"]);
    assert_eq!(code, 1, "{stderr}");
    let inside = github_files(&stdout);
    assert!(
        inside.contains(&("CREDENTIALS.md".into(), "scope-missing".into())),
        "{inside:?}"
    );
    assert_eq!(
        inside.len(),
        found.len(),
        "the same findings from either place: {inside:?} vs {found:?}"
    );
}

#[test]
fn sarif_names_its_base_and_validates() {
    let root = repo();
    let (code, stdout, stderr) = stepbook(root, &["check", "content", "--format", "sarif"]);
    assert_eq!(code, 1, "{stderr}");
    let log: Value = serde_json::from_str(&stdout).expect("SARIF is JSON");
    let schema = crate::support::sarif_schema::sarif_schema();
    let errors = crate::support::sarif_schema::validate(&schema, &log);
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let run = &log["runs"][0];
    let base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .expect("%SRCROOT% is named");
    assert!(
        base.starts_with("file:///") && base.ends_with('/'),
        "{base}"
    );
    assert!(run["tool"]["driver"]["informationUri"].is_string());
    for rule in run["tool"]["driver"]["rules"].as_array().expect("rules") {
        assert!(rule["helpUri"].is_string(), "{rule}");
    }
    let results = run["results"].as_array().expect("results");
    assert!(!results.is_empty());
    for r in results {
        let loc = &r["locations"][0]["physicalLocation"]["artifactLocation"];
        assert_eq!(loc["uriBaseId"], "%SRCROOT%");
        assert!(
            loc["uri"].as_str().expect("uri").starts_with("content/"),
            "{loc}"
        );
    }
}

#[test]
fn a_repository_root_check_skips_build_output_and_ignored_folders() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(
        root,
        "README.md",
        b"# Home\n\nSee [the guide](docs/guide.md).\n",
    );
    write(root, "docs/guide.md", b"# Guide\n");
    // An earlier stepbook build, a dependency folder and an ignored folder: not content.
    write(root, "docs/book/.stepbook-build", b"");
    write(root, "docs/book/broken.md", b"[x](nowhere.md)\n");
    write(root, "docs/book/img/orphan.png", &png(2, 2));
    write(root, "node_modules/pkg/README.md", b"[x](nowhere.md)\n");
    write(root, ".gitignore", b"scratch/\n");
    write(root, "scratch/notes.md", b"[x](nowhere.md)\n");
    let (code, stdout, stderr) = stepbook(root, &["check", "--format", "json"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(stdout.trim(), "[]");
}

#[test]
fn build_at_a_repository_root_publishes_only_what_pages_reference() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(
        root,
        "README.md",
        b"# Home\n\n![Shot](img/shot.png)\n\n[Data](files/data.csv)\n",
    );
    write(root, "img/shot.png", &png(2, 2));
    write(root, "files/data.csv", b"a,b\n");
    write(
        root,
        "page.mdx",
        b"import X from './x';\n\n# MDX page\n\n<X />\n",
    );
    // A large folder no page references.
    for i in 0..200 {
        write(root, &format!("vendor/blob{i}.bin"), &vec![7u8; 16 * 1024]);
    }
    let (code, stdout, stderr) = stepbook(root, &["build", "-d", "out"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let out = root.join("out");
    assert!(out.join("index.html").is_file());
    assert!(out.join("img/shot.png").is_file());
    assert!(out.join("files/data.csv").is_file());
    assert!(out.join("page.html").is_file(), "an .mdx file is a page");
    assert!(!out.join("page.mdx").exists(), "never copied raw");
    assert!(
        !out.join("vendor").exists(),
        "unreferenced files are not published"
    );
}

#[test]
fn messages_show_links_as_written_and_real_static_paths() {
    let p = Project::new()
        .file(
            "README.md",
            "# Home\n\n[bad escape](%FF)\n\n![gone](/nope.png)\n",
        )
        .file(
            "website/docusaurus.config.js",
            "module.exports = { presets: [['classic', { docs: { path: 'docs' } }]] };\n",
        )
        .file(
            "website/docs/intro.md",
            "# Intro\n\n[a static file](/img/none.png)\n",
        )
        .png("website/static/img/logo.png");
    let run = p.run(&["check", "--format", "github"]);
    // The github format escapes `%` as `%25`.
    let out = format!("{}{}", run.stdout, run.stderr).replace("%25", "%");
    assert!(
        out.contains("%FF does not exist (its percent-escapes are not UTF-8)"),
        "{out}"
    );
    assert!(!out.contains('\u{FFFD}'), "{out}");
    assert!(
        out.contains("image /nope.png does not exist (resolved to nope.png in the site)"),
        "{out}"
    );
    assert!(
        out.contains("no file website/static/img/none.png (Docusaurus serves `/…` files from website/static/)"),
        "{out}"
    );
}
