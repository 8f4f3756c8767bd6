//! Scope lists (issue 4): sources of truth, list shapes, the scope-* rules, and `url` sources
//! against a local HTTP server started by the test (no internet).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use stepbook::check::{CheckOptions, run};
use stepbook::diag::Report;
use stepbook::project::Project;
use stepbook::scopes::refresh_sources;

/// `(rule, file, line, message)` of every scope-* finding of a check run on `dir`.
fn scope_findings(dir: &Path) -> Vec<(String, String, usize, String)> {
    let project = Project::load(dir).expect("project loads");
    let report = run(&project, &CheckOptions::default()).expect("check runs");
    rows(&report)
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
    for f in &found {
        eprintln!("{f:?}");
    }
    assert_eq!(found.len(), 1, "{found:#?}");
    let (rule, file, line, msg) = &found[0];
    assert_eq!(rule, "scope-missing");
    assert_eq!(file, "content/CREDENTIALS.md");
    assert_eq!(*line, 60);
    assert!(msg.contains("`r_organization_social`"), "{msg}");
    assert!(msg.contains("`rw_organization_admin`"), "{msg}");
    assert!(msg.contains("\"LinkedIn Pages\""), "{msg}");
    assert!(!msg.contains("r_ads"), "{msg}");
    assert!(!msg.contains("LinkedIn Ads"), "{msg}");
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/scopes")
        .join(name)
}

type Row = (&'static str, &'static str, usize, &'static str);

/// Asserts the scope-* findings of fixture `name`: rule, file, line, and a part of the message
/// (findings sorted by file, line, column, rule).
fn assert_findings(name: &str, expected: &[Row]) {
    let found = scope_findings(&fixture(name));
    let got: Vec<(String, String, usize)> = found
        .iter()
        .map(|(r, f, l, _)| (r.clone(), f.clone(), *l))
        .collect();
    let want: Vec<(String, String, usize)> = expected
        .iter()
        .map(|(r, f, l, _)| (r.to_string(), f.to_string(), *l))
        .collect();
    assert_eq!(got, want, "{name}: {found:#?}");
    for ((_, _, _, msg), (_, _, _, part)) in found.iter().zip(expected) {
        assert!(msg.contains(part), "{name}: `{msg}` lacks `{part}`");
    }
}

const MISSING_ADS: &str =
    "lacks `r_ads_reporting` (required by \"LinkedIn Ads\", declared in book.toml)";
const EXTRA: &str = "scope `w_member_social` is not required by \"LinkedIn Ads\"";
const RETIRED: &str = "scope `r_liteprofile` was retired by LinkedIn (2023-08-01)";

#[test]
fn bullet_list_of_inline_code() {
    assert_findings(
        "bullet-list",
        &[
            ("scope-missing", "content/GUIDE.md", 7, MISSING_ADS),
            ("scope-unexpected", "content/GUIDE.md", 8, EXTRA),
            ("scope-deprecated", "content/GUIDE.md", 9, RETIRED),
        ],
    );
    // The field-name list after "The API answers with these fields:" is left alone (above).
}

#[test]
fn sentence_after_the_word_scopes() {
    assert_findings(
        "sentence",
        &[
            ("scope-missing", "content/GUIDE.md", 5, MISSING_ADS),
            ("scope-unexpected", "content/GUIDE.md", 5, EXTRA),
            ("scope-deprecated", "content/GUIDE.md", 5, RETIRED),
        ],
    );
}

#[test]
fn table_with_a_scope_column() {
    assert_findings(
        "table",
        &[
            (
                "scope-missing",
                "content/GUIDE.md",
                5,
                "scope table under \"Step 1: Create the token\" lacks `r_ads_reporting`",
            ),
            ("scope-unexpected", "content/GUIDE.md", 8, EXTRA),
            ("scope-deprecated", "content/GUIDE.md", 9, RETIRED),
        ],
    );
}

#[test]
fn scope_parameter_in_a_link() {
    assert_findings(
        "url-in-prose",
        &[
            (
                "scope-missing",
                "content/GUIDE.md",
                5,
                "`scope=` parameter under \"Step 1: Authorize\" lacks `r_ads_reporting`",
            ),
            ("scope-unexpected", "content/GUIDE.md", 5, EXTRA),
            ("scope-deprecated", "content/GUIDE.md", 5, RETIRED),
        ],
    );
}

#[test]
fn scope_parameter_in_a_code_block() {
    assert_findings(
        "url-in-code-block",
        &[
            (
                "scope-missing",
                "content/GUIDE.md",
                8,
                "`scope=` parameter under \"Step 1: Authorize\" lacks `r_ads_reporting`",
            ),
            ("scope-unexpected", "content/GUIDE.md", 8, EXTRA),
            ("scope-deprecated", "content/GUIDE.md", 8, RETIRED),
        ],
    );
}

#[test]
fn list_inside_an_accidental_code_block() {
    assert_findings(
        "accidental-code-block",
        &[
            ("scope-missing", "content/GUIDE.md", 7, MISSING_ADS),
            ("scope-unexpected", "content/GUIDE.md", 8, EXTRA),
            ("scope-deprecated", "content/GUIDE.md", 9, RETIRED),
        ],
    );
}

#[test]
fn findings_point_at_the_item_or_the_list_start() {
    let project = Project::load(&fixture("url-in-prose")).expect("loads");
    let report = run(&project, &CheckOptions::default()).expect("runs");
    let text = &report.sources["content/GUIDE.md"].text;
    let spans: Vec<(&str, &str)> = report
        .diagnostics
        .iter()
        .map(|d| (d.rule, &text[d.span.start..d.span.end]))
        .collect();
    assert_eq!(
        spans,
        [
            (
                "scope-missing",
                "scope=r_ads%20w_member_social%2Cr_liteprofile"
            ),
            ("scope-unexpected", "w_member_social"),
            ("scope-deprecated", "r_liteprofile"),
        ]
    );
    let deprecated = &report.diagnostics[2];
    assert_eq!(
        deprecated.help.as_deref(),
        Some(
            "request `openid` and `profile` instead (see https://learn.microsoft.com/en-us/linkedin/consumer/integrations/self-serve/sign-in-with-linkedin)"
        )
    );
}

#[test]
fn sections_are_compared_per_source() {
    assert_findings(
        "two-sections",
        &[(
            "scope-missing",
            "content/GUIDE.md",
            7,
            "scope list under \"Ads\" lacks `r_ads_reporting` (required by \"LinkedIn Ads\", declared in book.toml)",
        )],
    );
}

#[test]
fn file_source_with_json_pointer() {
    assert_findings(
        "file-json-pointer",
        &[(
            "scope-missing",
            "content/GUIDE.md",
            5,
            "lacks `r_organization_social` (required by \"LinkedIn connector\", read from connector/spec.json, declared in book.toml)",
        )],
    );
}

#[test]
fn file_source_with_regex_over_javascript() {
    assert_findings(
        "file-regex",
        &[(
            "scope-missing",
            "content/GUIDE.md",
            5,
            "lacks `rw_organization_admin` (required by \"LinkedIn Pages connector\", read from connector/linkedin-pages.js, declared in book.toml)",
        )],
    );
}

#[test]
fn front_matter_attaches_a_source() {
    // GUIDE.md names "LinkedIn Pages" in its front matter; OTHER.md is governed by nothing.
    assert_findings(
        "front-matter",
        &[(
            "scope-missing",
            "content/GUIDE.md",
            9,
            "lacks `r_organization_social` (required by \"LinkedIn Pages\"",
        )],
    );
}

#[test]
fn shared_case_26_scope_missing() {
    // ../shared/cases/26-scope-missing with the book.toml tests/cases.rs writes for it.
    assert_findings(
        "case-26-scope-missing",
        &[(
            "scope-missing",
            "ADS_API.md",
            7,
            "scope list under \"Required scopes\" lacks `r_organization_social`",
        )],
    );
}

// ---------------------------------------------------------------------------------------------
// Temp projects.

/// A project in a temp folder: `book.toml` (with `src = "."`) and `files` (path, text).
fn temp_project(book_toml: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("book.toml"),
        format!("[book]\nsrc = \".\"\n\n{book_toml}"),
    )
    .expect("write");
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }
    dir
}

const GUIDE: &str = "# Token\n\nSelect the following scopes:\n\n- `r_ads`\n";

/// The error `check::run` gives for a project, as text.
fn load_error(book_toml: &str, files: &[(&str, &str)]) -> String {
    let dir = temp_project(book_toml, files);
    let project = Project::load(dir.path()).expect("project loads");
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
        assert!(
            msg.contains("book.toml:5:1: [[scopes]] source \"Connector\""),
            "{msg}"
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

/// Requests a server saw: path and `If-None-Match`.
type Seen = Arc<Mutex<Vec<(String, Option<String>)>>>;

/// A tiny HTTP/1.1 server on 127.0.0.1 (a free port), one connection at a time, that answers
/// from a fixed table and records each request's path and `If-None-Match`.
struct Server {
    port: u16,
    seen: Seen,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

const SCOPES_JSON: &str = r#"{"oauth": {"scopes": ["r_ads", "r_organization_social"]}}"#;

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (seen2, stop2) = (seen.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(s) = stream {
                    handle(s, &seen2);
                }
            }
        });
        Server {
            port,
            seen,
            stop,
            thread: Some(thread),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn requests(&self) -> Vec<(String, Option<String>)> {
        self.seen.lock().expect("lock").clone()
    }

    fn stop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(t) = self.thread.take() {
            t.join().expect("server thread");
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

fn handle(stream: TcpStream, seen: &Mutex<Vec<(String, Option<String>)>>) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut first = String::new();
    if reader.read_line(&mut first).is_err() || first.is_empty() {
        return;
    }
    let path = first.split_whitespace().nth(1).unwrap_or("").to_string();
    let mut inm = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).is_err() || line.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':')
            && k.eq_ignore_ascii_case("if-none-match")
        {
            inm = Some(v.trim().to_string());
        }
    }
    seen.lock().expect("lock").push((path.clone(), inm.clone()));
    let (status, headers, body) = match path.as_str() {
        "/scopes.json" if inm.as_deref() == Some("\"v1\"") => {
            ("304 Not Modified", "ETag: \"v1\"\r\n", "")
        }
        "/scopes.json" => (
            "200 OK",
            "ETag: \"v1\"\r\nLast-Modified: Wed, 01 Jan 2025 00:00:00 GMT\r\n",
            SCOPES_JSON,
        ),
        "/bad.json" => ("200 OK", "", "{\"oauth\": [,"),
        "/other.json" => ("200 OK", "", "{\"data\": []}"),
        _ => ("404 Not Found", "", "not found"),
    };
    let mut out = stream;
    let _ = write!(
        out,
        "HTTP/1.1 {status}\r\n{headers}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = out.flush();
    let mut rest = Vec::new();
    let _ = reader.get_mut().read_to_end(&mut rest);
}

fn url_project(url: &str) -> tempfile::TempDir {
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
    let mut server = Server::start();
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
    let project = Project::load(dir.path()).expect("loads");
    let report = run(&project, &CheckOptions::default()).expect("runs");
    assert_eq!(report.diagnostics[0].level, stepbook::diag::Level::Warning);
    assert_eq!(
        report.diagnostics[0].help.as_deref(),
        Some("run `stepbook check --refresh-sources` to fetch it")
    );
    assert!(server.requests().is_empty(), "a check must not fetch");

    // Refresh: fetched and cached with its ETag.
    refresh_sources(&project).expect("refresh");
    assert_eq!(server.requests(), [("/scopes.json".to_string(), None)]);
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
    let reqs = server.requests();
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
    let server = Server::start();
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
        let project = Project::load(dir.path()).expect("loads");
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

// ---------------------------------------------------------------------------------------------
// Rule docs: each example runs as documented (first ```markdown block = README.md; blocks with
// `path=` add files).

fn example_files(section: &str) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let mut lines = section.lines();
    while let Some(line) = lines.next() {
        let Some(info) = line.strip_prefix("```") else {
            continue;
        };
        let mut body = String::new();
        for l in lines.by_ref() {
            if l.starts_with("```") {
                break;
            }
            body.push_str(l);
            body.push('\n');
        }
        let path = info
            .split_whitespace()
            .find_map(|w| w.strip_prefix("path="));
        match path {
            Some(p) => files.push((p.to_string(), body)),
            None if info.trim() == "markdown" && !files.iter().any(|(p, _)| p == "README.md") => {
                files.push(("README.md".to_string(), body))
            }
            None => {}
        }
    }
    files
}

fn run_example(section: &str) -> Report {
    let dir = tempfile::tempdir().expect("temp");
    for (path, text) in example_files(section) {
        std::fs::write(dir.path().join(path), text).expect("write");
    }
    let project = Project::load(dir.path()).expect("example loads");
    run(&project, &CheckOptions::default()).expect("example runs")
}

#[test]
fn rule_docs_examples_fail_and_pass() {
    for id in [
        "scope-missing",
        "scope-unexpected",
        "scope-deprecated",
        "scope-source-uncached",
    ] {
        let rule = stepbook::check::find_rule(id).expect("registered");
        let docs = rule.meta().docs;
        let fail_at = docs.find("## Failing example").expect("failing");
        let pass_at = docs.find("## Passing example").expect("passing");
        let failing = run_example(&docs[fail_at..pass_at]);
        let passing = run_example(&docs[pass_at..]);
        let count = |r: &Report| r.diagnostics.iter().filter(|d| d.rule == id).count();
        assert!(
            count(&failing) >= 1,
            "{id}: failing example gives {:?}",
            failing.diagnostics
        );
        assert_eq!(
            count(&passing),
            0,
            "{id}: passing example gives {:?}",
            passing.diagnostics
        );
    }
}
