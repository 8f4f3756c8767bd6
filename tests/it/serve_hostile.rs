//! `serve` under hostile conditions (issue 8, item 6): the content folder removed and restored
//! under a running server, half-open connections, 1,000 concurrent requests during 100 rapid
//! saves. Loopback only; every wait is bounded; nothing asserts a duration.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use stepbook::serve::listen::Timeouts;
use stepbook::serve::{ServeOptions, start};

use crate::support::Project;
use crate::support::http::get;

/// Polls `GET path` until `ok` accepts the response, for at most 20 s.
fn eventually(addr: SocketAddr, path: &str, ok: impl Fn(u16, &str) -> bool) -> (u16, String) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let res = get(addr, path);
        let text = res.text();
        if ok(res.status, &text) || Instant::now() > deadline {
            return (res.status, text);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn project() -> Project {
    Project::with(&[
        ("book.toml", "[book]\ntitle = \"Hostile\"\n"),
        ("content/README.md", "# Home\n\nStart here.\n"),
        ("content/a.md", "# A\n\nFirst text.\n"),
    ])
}

/// The content folder moved away and back (as `git stash` / `git checkout` do): the old watch
/// died with the old folder; the server watches the folder again, and new edits and new pages
/// are served.
#[test]
fn content_folder_removed_and_restored_is_watched_again() {
    let p = project();
    let server = p.serve();
    let addr = server.addr();
    assert_eq!(get(addr, "/a.html").status, 200);

    // Moved away and straight back: the watch follows the folder.
    let content = p.root.join("content");
    let away = p.outer.path().join("content-away");
    std::fs::rename(&content, &away).expect("move away");
    std::fs::rename(&away, &content).expect("move back");
    p.write("content/a.md", "# A\n\nSecond text.\n");
    let (status, text) = eventually(addr, "/a.html", |s, t| {
        s == 200 && t.contains("Second text")
    });
    assert!(
        status == 200 && text.contains("Second text"),
        "{status}: {text}"
    );

    // Deleted and at once created again, as `git checkout` does: a new folder (new inode) that
    // the old watch does not see, with a page that is new.
    std::fs::remove_dir_all(&content).expect("remove content");
    p.write("content/README.md", "# Home\n\nBack.\n");
    p.write("content/b.md", "# B\n\nA new page.\n");
    let (status, text) = eventually(addr, "/b.html", |s, t| s == 200 && t.contains("A new page"));
    assert!(
        status == 200 && text.contains("A new page"),
        "{status}: {text}"
    );
    p.write("content/b.md", "# B\n\nEdited after the restore.\n");
    let (status, text) = eventually(addr, "/b.html", |s, t| {
        s == 200 && t.contains("Edited after")
    });
    assert!(
        status == 200 && text.contains("Edited after"),
        "{status}: {text}"
    );
    p.write("content/c.md", "# C\n\nAnother new page.\n");
    let (status, text) = eventually(addr, "/c.html", |s, t| {
        s == 200 && t.contains("Another new")
    });
    assert!(
        status == 200 && text.contains("Another new"),
        "{status}: {text}"
    );

    // Removed for a while: the pages go (the build fails: no content folder), and come back
    // with the folder.
    std::fs::remove_dir_all(&content).expect("remove content");
    let (status, _) = eventually(addr, "/b.html", |s, _| s != 200);
    assert_ne!(
        status, 200,
        "a removed page is not served as if nothing happened"
    );
    p.write("content/b.md", "# B\n\nThird life.\n");
    let (status, text) = eventually(addr, "/b.html", |s, t| s == 200 && t.contains("Third life"));
    assert!(
        status == 200 && text.contains("Third life"),
        "{status}: {text}"
    );
    assert!(get(addr, "/a.html").status == 404, "a.md is gone for good");
}

/// Reads from `stream` until the server closes it; true when it did so within `limit` (a
/// read timeout means the connection was kept open).
fn closed_by_server(stream: &mut TcpStream, limit: Duration) -> bool {
    stream.set_read_timeout(Some(limit)).expect("timeout");
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return true,
            Err(_) => return false,
        }
    }
}

/// A client that connects and sends nothing, or half a request head, or goes quiet after a
/// kept-alive request, has its connection closed (it used to stay open forever).
#[test]
fn half_open_connections_are_dropped_by_the_header_timeout() {
    let p = project();
    let mut opts = ServeOptions::new(p.root.clone());
    opts.port = 0;
    opts.quiet = true;
    opts.timeouts = Timeouts {
        header_read: Duration::from_millis(300),
        idle: Duration::from_secs(2),
    };
    let server = start(&opts).expect("serve starts");
    let addr = server.addr();

    let mut silent = TcpStream::connect(addr).expect("connect");
    let mut partial = TcpStream::connect(addr).expect("connect");
    partial
        .write_all(b"GET /a.html HTTP/1.1\r\nHost: x\r\n")
        .expect("half a head");
    let mut kept = TcpStream::connect(addr).expect("connect");
    kept.write_all(b"GET /a.html HTTP/1.1\r\nHost: x\r\n\r\n")
        .expect("request");
    for (name, s) in [
        ("silent", &mut silent),
        ("partial", &mut partial),
        ("kept-alive", &mut kept),
    ] {
        assert!(
            closed_by_server(s, Duration::from_secs(15)),
            "{name} connection still open"
        );
    }
    // The server still answers.
    assert_eq!(get(addr, "/a.html").status, 200);
}

/// 1,000 concurrent requests while a page is saved 100 times in a row: every request gets a
/// complete 200 response, and the last save is what is finally served.
#[test]
fn thousand_concurrent_requests_during_hundred_rapid_saves() {
    let p = project();
    let server = p.serve();
    let addr = server.addr();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let saver = {
        let path = p.root.join("content/a.md");
        std::thread::spawn(move || {
            for i in 0..100 {
                std::fs::write(&path, format!("# A\n\nSave number {i}.\n")).expect("save");
            }
        })
    };
    let results: Vec<Result<u16, String>> = rt.block_on(async move {
        let tasks: Vec<_> = (0..1000)
            .map(|i| {
                let path = if i % 2 == 0 { "/a.html" } else { "/index.html" };
                tokio::spawn(fetch(addr, path))
            })
            .collect();
        let mut out = Vec::new();
        for t in tasks {
            out.push(t.await.map_err(|e| e.to_string()).and_then(|r| r));
        }
        out
    });
    saver.join().expect("saver");
    let failures: Vec<&Result<u16, String>> =
        results.iter().filter(|r| !matches!(r, Ok(200))).collect();
    assert!(
        failures.is_empty(),
        "{} failed: {:?}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );
    let (status, text) = eventually(addr, "/a.html", |s, t| {
        s == 200 && t.contains("Save number 99.")
    });
    assert!(
        status == 200 && text.contains("Save number 99."),
        "{status}: {text}"
    );
}

/// One `GET` over a fresh connection; the status of a complete response (Content-Length bytes
/// of body read), or what went wrong.
async fn fetch(addr: SocketAddr, path: &str) -> Result<u16, String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let work = async {
        let mut s = tokio::net::TcpStream::connect(addr)
            .await
            .map_err(|e| format!("connect: {e}"))?;
        s.write_all(
            format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes(),
        )
        .await
        .map_err(|e| format!("send: {e}"))?;
        let mut buf = Vec::new();
        s.read_to_end(&mut buf)
            .await
            .map_err(|e| format!("read: {e}"))?;
        let end = buf
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .ok_or("no header end")?;
        let head = String::from_utf8_lossy(&buf[..end]).to_lowercase();
        let status: u16 = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or("no status")?;
        let len: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse().ok())
            .ok_or("no content-length")?;
        if buf.len() - end - 4 != len {
            return Err(format!(
                "body of {} bytes, expected {len}",
                buf.len() - end - 4
            ));
        }
        Ok(status)
    };
    tokio::time::timeout(Duration::from_secs(60), work)
        .await
        .map_err(|_| "no response within 60 s".to_string())?
}

/// While a folder cannot be watched, every response says the site may be stale: a header on
/// every response and a notice at the top of every page.
#[test]
fn stale_snapshot_is_announced_on_every_response() {
    use std::collections::HashMap;
    use std::sync::Arc;

    use axum::body::Bytes;
    use stepbook::serve::engine::{Served, Snapshot};
    use stepbook::serve::server::{STALE_HEADER, Shared, router};

    let mut files = HashMap::new();
    files.insert(
        "a.html".to_string(),
        Served::Bytes(Bytes::from_static(b"<html><body><p>A</p></body></html>")),
    );
    files.insert(
        "x.css".to_string(),
        Served::Bytes(Bytes::from_static(b"p{}")),
    );
    let snapshot = Snapshot {
        generation: 1,
        checked: 1,
        files: Arc::new(files),
        stale: Some("the preview may be stale: cannot watch content: no space".into()),
        ..Snapshot::default()
    };
    let app = router(Arc::new(Shared::new(snapshot)));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    rt.spawn(stepbook::serve::listen::serve(
        listener,
        app,
        Timeouts::default(),
    ));
    let page = get(addr, "/a.html");
    assert_eq!(page.status, 200);
    assert!(
        page.header(STALE_HEADER)
            .is_some_and(|v| v.contains("cannot watch content"))
    );
    let html = page.text();
    assert!(html.contains("id=\"stepbook-stale\""), "{html}");
    assert!(html.contains("the preview may be stale"), "{html}");
    let css = get(addr, "/x.css");
    assert!(css.header(STALE_HEADER).is_some());
    assert!(!css.text().contains("stepbook-stale"));
}
