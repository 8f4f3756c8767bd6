//! `external-link` against a tiny HTTP server on 127.0.0.1 started by each test (no test reaches
//! any other address): a 404 and a closed port are reported at every place they are written,
//! a 200 is not, one URL is requested once, code is not checked, and without `--external`
//! nothing is requested at all.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use stepbook::check::{CheckOptions, find_rule, run};
use stepbook::project::Project;

/// A local server: `/ok…` answers 200, anything else 404. Records the path of every request.
struct Server {
    port: u16,
    paths: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = listener.local_addr().expect("local addr").port();
        let paths = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&paths);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let seen = Arc::clone(&seen);
                std::thread::spawn(move || answer(stream, &seen));
            }
        });
        Server { port, paths }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn requested(&self) -> Vec<String> {
        let mut p = self.paths.lock().expect("lock").clone();
        p.sort();
        p
    }
}

/// Reads one request (head, and a chunked empty body if announced), records its path, answers.
fn answer(mut stream: TcpStream, seen: &Mutex<Vec<String>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let text = String::from_utf8_lossy(&buf).to_ascii_lowercase();
        if let Some(end) = text.find("\r\n\r\n") {
            let chunked = text[..end].contains("transfer-encoding: chunked");
            if !chunked || text[end + 4..].contains("0\r\n\r\n") {
                break;
            }
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    let head = String::from_utf8_lossy(&buf).to_string();
    let path = head.split_whitespace().nth(1).unwrap_or("").to_string();
    seen.lock().expect("lock").push(path.clone());
    let (status, body) = if path.starts_with("/ok") {
        ("200 OK", "fine")
    } else {
        ("404 Not Found", "no such page")
    };
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(response.as_bytes());
    let _ = stream.flush();
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let _ = stream.read(&mut chunk);
}

/// A port on 127.0.0.1 where nothing listens: bound, then released.
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    listener.local_addr().expect("local addr").port()
}

/// A project whose README.md is `text`.
fn project(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("README.md"), text).expect("write page");
    dir
}

/// `line:column message` of every external-link finding.
fn findings(dir: &std::path::Path, external: bool) -> Vec<String> {
    let project = Project::load(dir).expect("load");
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
    let server = Server::start();
    let closed = format!("http://127.0.0.1:{}/gone", closed_port());
    let dir = project(&format!(
        "# Links\n\n[fine]({})\n\n[moved]({})\n\n[down]({closed})\n",
        server.url("/ok"),
        server.url("/missing"),
    ));
    let found = findings(dir.path(), true);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(
        found[0],
        format!("5:1 {} answered 404 Not Found", server.url("/missing"))
    );
    let prefix = format!("7:1 {closed} did not answer: connection refused");
    assert!(found[1].starts_with(&prefix), "{found:?}");
    assert_eq!(server.requested(), ["/missing", "/ok"]);
}

#[test]
fn without_external_nothing_is_requested() {
    let server = Server::start();
    let dir = project(&format!(
        "# Links\n\n[moved]({})\n\n![shot]({})\n",
        server.url("/missing"),
        server.url("/missing.png"),
    ));
    assert_eq!(findings(dir.path(), false), Vec::<String>::new());
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(server.requested(), Vec::<String>::new());
}

#[test]
fn each_url_is_requested_once_and_reported_everywhere_it_is_written() {
    let server = Server::start();
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
    let found = findings(dir.path(), true);
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
    assert_eq!(server.requested(), ["/missing", "/ok", "/shot.png"]);
}

#[test]
fn the_documented_failing_example_fails_against_a_local_server() {
    let docs = find_rule("external-link").expect("registered").meta().docs;
    let failing = docs
        .split("## Failing example")
        .nth(1)
        .and_then(|s| s.split("```markdown\n").nth(1))
        .and_then(|s| s.split("\n```").next())
        .expect("a ```markdown failing example");
    let host = "https://docs.github.com";
    assert!(failing.contains(host), "{failing}");
    let server = Server::start();
    let dir = project(&failing.replace(host, &server.url("")));
    let found = findings(dir.path(), true);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].ends_with("answered 404 Not Found"), "{found:?}");
}

#[test]
fn cli_check_external_exits_1_with_the_finding() {
    let server = Server::start();
    let dir = project(&format!("# Links\n\n[moved]({})\n", server.url("/missing")));
    let out = Command::new(env!("CARGO_BIN_EXE_stepbook"))
        .args(["check", "--external", "--format", "json"])
        .arg(dir.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("run stepbook");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let all = json.as_array().expect("array");
    assert_eq!(all.len(), 1, "{json}");
    assert_eq!(all[0]["rule"], "external-link");
    assert_eq!(
        all[0]["message"],
        format!("{} answered 404 Not Found", server.url("/missing"))
    );
    // stderr is not a terminal here: no progress bar.
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("checking external links"),
        "{out:?}"
    );
}

#[test]
fn urls_matched_by_external_exclude_are_not_requested() {
    let server = Server::start();
    let dir = project(&format!(
        "# Links\n\n[moved]({})\n\n[gone]({})\n",
        server.url("/missing"),
        server.url("/gone")
    ));
    std::fs::write(
        dir.path().join("book.toml"),
        "[check]\nexternal-exclude = [\"/missing$\"]\n",
    )
    .expect("write book.toml");
    let found = findings(dir.path(), true);
    assert_eq!(
        found,
        [format!(
            "5:1 {} answered 404 Not Found",
            server.url("/gone")
        )]
    );
    assert_eq!(server.requested(), ["/gone"]);
}

#[test]
fn a_bad_external_exclude_pattern_names_file_and_line() {
    let dir = project("# Links\n");
    std::fs::write(
        dir.path().join("book.toml"),
        "[book]\ntitle = \"t\"\n\n[check]\nexternal-exclude = [\"(unclosed\"]\n",
    )
    .expect("write book.toml");
    let err = Project::load(dir.path())
        .expect_err("load fails")
        .to_string();
    assert!(err.contains("book.toml"), "{err}");
    assert!(err.contains(":5:"), "{err}");
    assert!(err.contains("external-exclude"), "{err}");
}

#[test]
fn localhost_names_are_checked_too() {
    let server = Server::start();
    let url = format!("http://localhost:{}/missing", server.port);
    let dir = project(&format!("# Links\n\n[local]({url})\n"));
    assert_eq!(
        findings(dir.path(), true),
        [format!("3:1 {url} answered 404 Not Found")]
    );
    assert_eq!(server.requested(), ["/missing"]);
}
