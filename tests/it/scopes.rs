//! Scope lists (issue 4): the bundled project, configuration errors, front matter naming
//! sources, and `url` sources against a local HTTP server started by the test (no internet).
//! The list shapes (bullet list, sentence, table, `scope=` parameter, …) are fixture folders
//! under `tests/fixtures/scopes/`, run by `fixtures.rs` with their findings snapshotted beside
//! them; the rule docs' examples run in `rule_docs.rs`.

use std::path::{Path, PathBuf};

use stepbook::check::{CheckOptions, run};
use stepbook::diag::Report;
use stepbook::refresh_sources;

use crate::support::http::{Reply, Server};
use crate::support::{Project, check_dir, line_of};

/// `(rule, file, line, message)` of every scope-* finding of a check run on `dir`.
fn scope_findings(dir: &Path) -> Vec<(String, String, usize, String)> {
    rows(&check_dir(dir))
}

fn rows(report: &Report) -> Vec<(String, String, usize, String)> {
    report
        .diagnostics
        .iter()
        .filter(|d| d.rule.starts_with("scope-"))
        .map(|d| {
            (
                d.rule.to_string(),
                d.file.clone(),
                report.locate(d).start.line,
                d.message.clone(),
            )
        })
        .collect()
}

#[test]
fn bundled_project_reports_the_missing_pages_scopes_once() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let found = scope_findings(root);
    let guide = std::fs::read_to_string(root.join("content/CREDENTIALS.md")).expect("guide");
    for f in &found {
        eprintln!("{f:?}");
    }
    assert_eq!(found.len(), 1, "{found:#?}");
    let (rule, file, line, msg) = &found[0];
    assert_eq!(rule, "scope-missing");
    assert_eq!(file, "content/CREDENTIALS.md");
    // The finding points at the first item of the list after "Select the following scopes:".
    assert_eq!(*line, line_of(&guide, "Select the following scopes:") + 2);
    assert_eq!(
        guide.lines().nth(line - 1).map(str::trim),
        Some("- `r_ads`")
    );
    assert!(msg.contains("`r_organization_social`"), "{msg}");
    assert!(msg.contains("`rw_organization_admin`"), "{msg}");
    assert!(msg.contains("\"LinkedIn Pages\""), "{msg}");
    assert!(!msg.contains("r_ads"), "{msg}");
    assert!(!msg.contains("LinkedIn Ads"), "{msg}");
}

// ---------------------------------------------------------------------------------------------
// Temp projects.

/// A project: `book.toml` (with `src = "."`, then `book_toml`) and `files` (path, text).
fn temp_project(book_toml: &str, files: &[(&str, &str)]) -> Project {
    Project::with(files).file("book.toml", &format!("[book]\nsrc = \".\"\n\n{book_toml}"))
}

const GUIDE: &str = "# Token\n\nSelect the following scopes:\n\n- `r_ads`\n";

/// The error `check::run` gives for a project, as text.
fn load_error(book_toml: &str, files: &[(&str, &str)]) -> String {
    let dir = temp_project(book_toml, files);
    let project = dir.load();
    match run(&project, &CheckOptions::default()) {
        Ok(r) => panic!("expected an error, got {:?}", r.diagnostics),
        Err(e) => e.to_string(),
    }
}

#[test]
fn file_source_errors_name_the_source_and_book_toml() {
    // (keys of the source, extra files, part of the error)
    type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str);
    let cases: &[Case] = &[
        (
            "file = \"missing.json\"\npointer = \"/scopes\"",
            &[],
            "cannot read file",
        ),
        (
            "file = \"s.json\"\npointer = \"/nope\"",
            &[("s.json", "{\"scopes\": [\"r_ads\"]}")],
            "JSON pointer `/nope` matches nothing",
        ),
        (
            "file = \"s.json\"\npointer = \"/scopes\"",
            &[("s.json", "{\"scopes\": [\"r_ads\"")],
            "malformed JSON",
        ),
        (
            "file = \"c.js\"\npattern = \"scope: '([^']*)'\"",
            &[("c.js", "const x = 1;\n")],
            "matches nothing in the file",
        ),
        (
            "file = \"c.js\"\npattern = \"([\"",
            &[("c.js", "const x = 1;\n")],
            "not a valid regular expression",
        ),
        (
            "required = [\"a\"]\nurl = \"http://127.0.0.1:9/x.json\"",
            &[],
            "exactly one of",
        ),
    ];
    for (keys, files, part) in cases {
        let toml = format!("[[scopes]]\nname = \"Connector\"\nguides = [\"GUIDE.md\"]\n{keys}\n");
        let mut all = vec![("GUIDE.md", GUIDE)];
        all.extend_from_slice(files);
        let msg = load_error(&toml, &all);
        // The line of the key at fault (`file`, `pattern`), else of `name`.
        let text = format!("[book]\nsrc = \".\"\n\n{toml}");
        let line = text
            .lines()
            .enumerate()
            .find(|(_, l)| {
                let key = l.split('=').next().unwrap_or("").trim();
                let at_fault = match *part {
                    "matches nothing in the file" | "not a valid regular expression" => "pattern",
                    "exactly one of" => "name",
                    _ => "file",
                };
                key == at_fault
            })
            .map(|(i, _)| i + 1)
            .expect("the key at fault is in book.toml");
        assert!(
            msg.contains(&format!(
                "book.toml:{line}:1: [[scopes]] source \"Connector\""
            )),
            "{msg} (expected line {line})"
        );
        assert!(msg.contains(part), "`{msg}` lacks `{part}`");
    }
}

#[test]
fn yaml_file_source_with_pointer() {
    let dir = temp_project(
        "[[scopes]]\nname = \"Pages\"\nguides = [\"GUIDE.md\"]\nfile = \"spec.yaml\"\npointer = \"/oauth/scope\"\n",
        &[
            ("GUIDE.md", GUIDE),
            (
                "spec.yaml",
                "oauth:\n  scope: r_ads r_organization_social\n",
            ),
        ],
    );
    let found = scope_findings(dir.path());
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0]
            .3
            .contains("lacks `r_organization_social` (required by \"Pages\", read from spec.yaml"),
        "{found:?}"
    );
}

#[test]
fn unknown_front_matter_name_is_reported() {
    let dir = temp_project(
        "[[scopes]]\nname = \"Ads\"\nrequired = [\"r_ads\"]\n",
        &[(
            "GUIDE.md",
            "---\nscopes: [\"Adz\"]\n---\n# Token\n\nSelect the following scopes:\n\n- `r_ads`\n",
        )],
    );
    let found = scope_findings(dir.path());
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(
        (found[0].0.as_str(), found[0].1.as_str(), found[0].2),
        ("scope-missing", "GUIDE.md", 1)
    );
    assert!(
        found[0].3.contains(
            "front matter names scope source \"Adz\", but no [[scopes]] entry has that name"
        ),
        "{found:?}"
    );
    // And "Ads", named by no guide, governs nothing.
    assert_eq!(found[1].1, "book.toml");
    assert!(found[1].3.contains("\"Ads\" governs no guide"), "{found:?}");
}

#[test]
fn governed_guide_without_a_scope_list_is_reported() {
    let dir = temp_project(
        "[[scopes]]\nname = \"Ads\"\nguides = [\"GUIDE.md\"]\nsection = \"Scopes\"\nrequired = [\"r_ads\"]\n",
        &[(
            "GUIDE.md",
            "# Token\n\n## Other\n\nSelect the following scopes:\n\n- `r_ads`\n",
        )],
    );
    let found = scope_findings(dir.path());
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].0.as_str(), found[0].2), ("scope-missing", 1));
    assert!(
        found[0]
            .3
            .contains("governs section \"Scopes\", which this guide does not have"),
        "{found:?}"
    );
}

#[test]
fn source_that_governs_no_guide_is_reported() {
    let dir = temp_project(
        "[[scopes]]\nname = \"Ads\"\nguides = [\"content/GUIDE.md\"]\nrequired = [\"r_ads\"]\n",
        &[("GUIDE.md", GUIDE)],
    );
    let found = scope_findings(dir.path());
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0].0.as_str(), found[0].1.as_str()),
        ("scope-missing", "book.toml")
    );
    assert!(
        found[0].3.contains(
            "scope source \"Ads\" governs no guide: no page matches guides = [\"content/GUIDE.md\"]"
        ),
        "{found:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// `url` sources against a local HTTP server.

const SCOPES_JSON: &str = r#"{"oauth": {"scopes": ["r_ads", "r_organization_social"]}}"#;

/// A local server with the scope documents: `/scopes.json` (ETag `"v1"`, 304 when
/// revalidated with it), `/bad.json` (malformed), `/other.json` (no scopes), else 404.
fn scope_server() -> Server {
    Server::start(|req| match req.path.as_str() {
        "/scopes.json" if req.header("if-none-match") == Some("\"v1\"") => {
            Reply::new("304 Not Modified", "").header("ETag", "\"v1\"")
        }
        "/scopes.json" => Reply::new("200 OK", SCOPES_JSON)
            .header("ETag", "\"v1\"")
            .header("Last-Modified", "Wed, 01 Jan 2025 00:00:00 GMT")
            .header("Content-Type", "application/json"),
        "/bad.json" => Reply::new("200 OK", "{\"oauth\": [,"),
        "/other.json" => Reply::new("200 OK", "{\"data\": []}"),
        _ => Reply::new("404 Not Found", "not found"),
    })
}

/// Path and `If-None-Match` of every request the server saw.
fn seen(server: &Server) -> Vec<(String, Option<String>)> {
    server
        .requests()
        .into_iter()
        .map(|r| {
            let inm = r.header("if-none-match").map(str::to_string);
            (r.path, inm)
        })
        .collect()
}

fn url_project(url: &str) -> Project {
    temp_project(
        &format!(
            "[[scopes]]\nname = \"LinkedIn connector\"\nguides = [\"GUIDE.md\"]\nurl = \"{url}\"\npointer = \"/oauth/scopes\"\n"
        ),
        &[("GUIDE.md", GUIDE)],
    )
}

fn cache_files(dir: &Path) -> Vec<PathBuf> {
    match std::fs::read_dir(dir.join(".stepbook-cache/scopes")) {
        Ok(rd) => rd.map(|e| e.expect("entry").path()).collect(),
        Err(_) => Vec::new(),
    }
}

#[test]
fn url_source_is_fetched_cached_revalidated_and_used_offline() {
    let mut server = scope_server();
    let url = server.url("/scopes.json");
    let dir = url_project(&url);

    // Before a refresh: no network, a warning naming the command, no comparison.
    let found = scope_findings(dir.path());
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0].0.as_str(), found[0].1.as_str()),
        ("scope-source-uncached", "book.toml")
    );
    assert!(
        found[0].3.contains(&format!(
            "\"LinkedIn connector\" has no cached copy of {url}"
        )),
        "{found:?}"
    );
    let project = dir.load();
    let report = run(&project, &CheckOptions::default()).expect("runs");
    assert_eq!(report.diagnostics[0].level, stepbook::diag::Level::Warning);
    assert_eq!(
        report.diagnostics[0].help.as_deref(),
        Some("run `stepbook check --refresh-sources` to fetch it")
    );
    assert!(seen(&server).is_empty(), "a check must not fetch");

    // Refresh: fetched and cached with its ETag.
    refresh_sources(&project).expect("refresh");
    assert_eq!(seen(&server), [("/scopes.json".to_string(), None)]);
    let files = cache_files(dir.path());
    assert_eq!(files.len(), 1);
    let cached = std::fs::read_to_string(&files[0]).expect("cache");
    assert!(cached.contains("\"etag\": \"\\\"v1\\\"\""), "{cached}");
    assert!(cached.contains("r_organization_social"), "{cached}");

    let expected_missing = format!(
        "lacks `r_organization_social` (required by \"LinkedIn connector\", fetched from {url}, declared in book.toml)"
    );
    let found = scope_findings(dir.path());
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].0.as_str(), found[0].2), ("scope-missing", 5));
    assert!(found[0].3.contains(&expected_missing), "{found:?}");

    // Revalidation: If-None-Match is sent, 304 keeps the cache byte for byte.
    refresh_sources(&project).expect("revalidate");
    let reqs = seen(&server);
    assert_eq!(reqs.len(), 2);
    assert_eq!(
        reqs[1],
        ("/scopes.json".to_string(), Some("\"v1\"".to_string()))
    );
    assert_eq!(std::fs::read_to_string(&files[0]).expect("cache"), cached);

    // Server gone: checks still run from the cache.
    server.stop();
    let found = scope_findings(dir.path());
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].3.contains(&expected_missing), "{found:?}");
    // And a refresh now fails cleanly, naming the source, keeping the cache.
    let err = refresh_sources(&project)
        .expect_err("server is down")
        .to_string();
    assert!(
        err.contains("[[scopes]] source \"LinkedIn connector\": url "),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&files[0]).expect("cache"), cached);
}

#[test]
fn url_source_errors_name_the_source_and_cache_nothing() {
    let server = scope_server();
    for (path, part) in [
        ("/missing.json", "the server answered HTTP 404 Not Found"),
        ("/bad.json", "malformed JSON"),
        (
            "/other.json",
            "JSON pointer `/oauth/scopes` matches nothing",
        ),
    ] {
        let url = server.url(path);
        let dir = url_project(&url);
        let project = dir.load();
        let err = refresh_sources(&project).expect_err(path).to_string();
        assert!(
            err.contains("book.toml:5:1: [[scopes]] source \"LinkedIn connector\""),
            "{err}"
        );
        assert!(err.contains(&format!("url {url}")), "{err}");
        assert!(err.contains(part), "`{err}` lacks `{part}`");
        assert!(
            cache_files(dir.path()).is_empty(),
            "{path}: nothing may be cached"
        );
    }
    assert_eq!(server.requests().len(), 3);
}
