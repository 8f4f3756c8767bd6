//! `external-link` against a tiny HTTP server on 127.0.0.1 started by each test (no test reaches
//! any other address): a 404 and a closed port are reported at every place they are written,
//! a 200 is not, one URL is requested once, code is not checked, and without `--external`
//! nothing is requested at all.

use std::net::TcpListener;

use stepbook::check::{CheckOptions, find_rule, run};

use crate::support::Project;
use crate::support::http::{Reply, Server};

/// A local server: `/ok…` answers 200, anything else 404.
fn link_server() -> Server {
    Server::start(|req| {
        if req.path.starts_with("/ok") {
            Reply::new("200 OK", "fine")
        } else {
            Reply::new("404 Not Found", "no such page")
        }
    })
}

/// A port on 127.0.0.1 where nothing listens: bound, then released.
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    listener.local_addr().expect("local addr").port()
}

/// A project whose README.md is `text`.
fn project(text: &str) -> Project {
    Project::new().file("README.md", text)
}

/// `line:column message` of every external-link finding.
fn findings(dir: &Project, external: bool) -> Vec<String> {
    let project = dir.load();
    let opts = CheckOptions {
        external,
        ..CheckOptions::default()
    };
    let report = run(&project, &opts).expect("check");
    report
        .diagnostics
        .iter()
        .filter(|d| d.rule == "external-link")
        .map(|d| {
            let loc = report.locate(d);
            format!("{}:{} {}", loc.start.line, loc.start.column, d.message)
        })
        .collect()
}

#[test]
fn a_404_and_a_closed_port_are_reported_and_a_200_is_not() {
    let server = link_server();
    let closed = format!("http://127.0.0.1:{}/gone", closed_port());
    let dir = project(&format!(
        "# Links\n\n[fine]({})\n\n[moved]({})\n\n[down]({closed})\n",
        server.url("/ok"),
        server.url("/missing"),
    ));
    let found = findings(&dir, true);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(
        found[0],
        format!("5:1 {} answered 404 Not Found", server.url("/missing"))
    );
    let prefix = format!("7:1 {closed} did not answer: connection refused");
    assert!(found[1].starts_with(&prefix), "{found:?}");
    assert_eq!(server.paths(), ["/missing", "/ok"]);
}

#[test]
fn without_external_nothing_is_requested() {
    let server = link_server();
    let dir = project(&format!(
        "# Links\n\n[moved]({})\n\n![shot]({})\n",
        server.url("/missing"),
        server.url("/missing.png"),
    ));
    assert_eq!(findings(&dir, false), Vec::<String>::new());
    // Every connection the finished check opened has been accepted once the server answers a
    // request sent after it (no quiet period to wait out).
    server.sync();
    assert_eq!(server.connections(), 0);
    assert_eq!(server.paths(), Vec::<String>::new());
}

#[test]
fn each_url_is_requested_once_and_reported_everywhere_it_is_written() {
    let server = link_server();
    let missing = server.url("/missing");
    let dir = project(&format!(
        "# Links\n\n\
         [a]({missing}#intro) and <{missing}>\n\n\
         ![shot]({img})\n\n\
         <a href=\"{missing}\">html</a>\n\n\
         [ref][r] and `{code}`\n\n\
         ```sh\ncurl {code2}\n```\n\n\
         [r]: {ok}\n",
        img = server.url("/shot.png"),
        code = server.url("/in-inline-code"),
        code2 = server.url("/in-fenced-code"),
        ok = server.url("/ok#any-fragment"),
    ));
    let found = findings(&dir, true);
    let expected = [
        format!("3:1 {missing}#intro answered 404 Not Found"),
        // The autolink's column: after `[a](URL#intro) and `.
        format!(
            "3:{} {missing} answered 404 Not Found",
            "[a](#intro) and ".len() + missing.len() + 1
        ),
        format!("5:1 {} answered 404 Not Found", server.url("/shot.png")),
    ];
    assert_eq!(found[..3], expected, "{found:?}");
    assert_eq!(found.len(), 4, "{found:?}");
    assert!(found[3].starts_with("7:10 "), "{found:?}");
    assert!(found[3].ends_with(&format!("{missing} answered 404 Not Found")));
    assert_eq!(server.paths(), ["/missing", "/ok", "/shot.png"]);
}

#[test]
fn the_documented_failing_example_fails_against_a_local_server() {
    let docs = find_rule("external-link").expect("registered").meta().docs;
    let section = docs
        .split("## Failing example")
        .nth(1)
        .expect("a failing example");
    let (info, body) = section
        .split_once("```markdown")
        .and_then(|(_, rest)| rest.split_once('\n'))
        .expect("a ```markdown failing example");
    let failing = body.split("\n```").next().expect("closing fence");
    // The line the docs announce with `expect=` (rule_docs.rs checks the other rules' examples).
    let line: usize = info
        .split_whitespace()
        .find_map(|w| w.strip_prefix("expect="))
        .and_then(|l| l.parse().ok())
        .expect("expect=LINE on the failing example");
    let host = "https://docs.github.com";
    assert!(failing.contains(host), "{failing}");
    let server = link_server();
    let dir = project(&failing.replace(host, &server.url("")));
    let found = findings(&dir, true);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with(&format!("{line}:")), "{found:?}");
    assert!(found[0].ends_with("answered 404 Not Found"), "{found:?}");
}

#[test]
fn cli_check_external_exits_1_with_the_finding() {
    let server = link_server();
    let dir = project(&format!("# Links\n\n[moved]({})\n", server.url("/missing")));
    let out = dir.run(&["check", "--external", "--format", "json", "."]);
    assert_eq!(out.code, 1, "{out:?}");
    let all = out.json();
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(all[0]["rule"], "external-link");
    assert_eq!(
        all[0]["message"],
        format!("{} answered 404 Not Found", server.url("/missing"))
    );
    // stderr is not a terminal here: no progress bar.
    assert!(!out.stderr.contains("checking external links"), "{out:?}");
}

#[test]
fn urls_matched_by_external_exclude_are_not_requested() {
    let server = link_server();
    let dir = project(&format!(
        "# Links\n\n[moved]({})\n\n[gone]({})\n",
        server.url("/missing"),
        server.url("/gone")
    ));
    dir.write("book.toml", "[check]\nexternal-exclude = [\"/missing$\"]\n");
    let found = findings(&dir, true);
    assert_eq!(
        found,
        [format!(
            "5:1 {} answered 404 Not Found",
            server.url("/gone")
        )]
    );
    assert_eq!(server.paths(), ["/gone"]);
}

#[test]
fn a_bad_external_exclude_pattern_names_file_and_line() {
    let dir = project("# Links\n");
    dir.write(
        "book.toml",
        "[book]\ntitle = \"t\"\n\n[check]\nexternal-exclude = [\"(unclosed\"]\n",
    );
    let err = stepbook::project::Project::load(dir.path())
        .expect_err("load fails")
        .to_string();
    assert!(err.contains("book.toml"), "{err}");
    assert!(err.contains(":5:"), "{err}");
    assert!(err.contains("external-exclude"), "{err}");
}

#[test]
fn localhost_names_are_checked_too() {
    let server = link_server();
    let url = format!("http://localhost:{}/missing", server.port());
    let dir = project(&format!("# Links\n\n[local]({url})\n"));
    assert_eq!(
        findings(&dir, true),
        [format!("3:1 {url} answered 404 Not Found")]
    );
    assert_eq!(server.paths(), ["/missing"]);
}

#[test]
fn sibling_book_links_are_requested_at_their_mapped_url() {
    let server = link_server();
    let dir = project(
        "# Casts\n\n[fine](../ok-reference/casts.html#as)\n\n[moved](../reference/casts.html)\n\n[unmapped](../std/index.html)\n",
    )
    .file(
        "book.toml",
        &format!(
            "[book]\nsrc = \".\"\n\n[check]\nlinks = \"mdbook\"\nsite-url = \"{}\"\nexternal-roots = [\"../ok-reference/\", \"../reference/\"]\n",
            server.url("/book/")
        ),
    );
    let found = findings(&dir, true);
    assert_eq!(
        found,
        ["5:1 ../reference/casts.html answered 404 Not Found"],
        "{found:?}"
    );
    assert_eq!(
        server.paths(),
        ["/ok-reference/casts.html", "/reference/casts.html"]
    );
}
