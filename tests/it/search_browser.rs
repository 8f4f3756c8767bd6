//! Search and highlighted code in headless Chromium (issue 12), on the fixture book
//! `tests/fixtures/build/search-book/`: under `serve`, "/" focuses the top bar's box, typing
//! "ownership" lists the ownership chapter first, Down and Enter open it; that page shows
//! highlighted Rust and TOML, with the Rust block's hidden `# ` lines hidden until its toggle
//! shows them. The same book built and opened from file:// still searches (page titles, saying
//! so). Keys are sent as DOM events from a script (the test's WebDriver client has no key API).
//!
//! A site whose index is split into shards (one page a shard here) finds pages of every shard,
//! from a page in a subfolder, with the right addresses.
//!
//! Needs `chromium` and `chromium-driver`, like `serve_browser`.

use serde_json::{Value, json};

use crate::support::webdriver::{Session, browser, eventually, start_driver};
use crate::support::{Project, repo};

/// Sends a keydown of `key` to the focused element (or the document).
fn key(c: &Session, key: &str) {
    c.execute(&format!(
        "var t = document.activeElement || document.body; \
         t.dispatchEvent(new KeyboardEvent('keydown', {{key: {key:?}, bubbles: true, cancelable: true}}));"
    ));
}

/// Types `text` into the focused element as an edit (value set, `input` event).
fn type_text(c: &Session, text: &str) {
    c.execute(&format!(
        "var t = document.activeElement; t.value = {text:?}; \
         t.dispatchEvent(new Event('input', {{bubbles: true}}));"
    ));
}

/// The listed results as (title, href), once there is at least one (empty if none came).
fn results(c: &Session) -> Vec<(String, String)> {
    let script = "return Array.from(document.querySelectorAll('#search-results [role=option] a'))\
                  .map(a => [a.querySelector('.search-title').textContent, a.getAttribute('href')]);";
    let mut found = Vec::new();
    eventually(|| {
        found = rows(&c.execute(script));
        !found.is_empty()
    });
    found
}

fn rows(v: &Value) -> Vec<(String, String)> {
    v.as_array()
        .map(|rows| {
            rows.iter()
                .map(|r| {
                    (
                        r[0].as_str().unwrap_or_default().to_string(),
                        r[1].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Focuses the search box with "/" and searches `query`.
fn search_for(c: &Session, query: &str) -> Vec<(String, String)> {
    assert!(
        eventually(|| c
            .execute("var s = document.getElementById('search'); return !!s && !s.hidden;")
            == json!(true)),
        "search.js did not show the search box"
    );
    c.execute("document.activeElement && document.activeElement.blur();");
    key(c, "/");
    assert_eq!(
        c.execute("return document.activeElement.id"),
        json!("search-input"),
        "\"/\" did not focus the search box"
    );
    type_text(c, query);
    results(c)
}

fn display(c: &Session, css: &str) -> Value {
    c.execute(&format!(
        "return getComputedStyle(document.querySelector({css:?})).display"
    ))
}

#[test]
fn search_finds_ownership_and_code_is_highlighted() {
    let p = Project::copy_of(&repo().join("tests/fixtures/build/search-book"));
    let srv = p.serve();
    let base = srv.url().to_string();
    let driver = start_driver(&p.outer.path().join("chromedriver.log"));
    let c = browser(&driver, &p.outer.path().join("chromium-profile"));

    // Search from the introduction: the ownership chapter comes first, its hit marked.
    c.goto(&format!("{base}intro.html"));
    let found = search_for(&c, "ownership");
    assert!(!found.is_empty(), "no search results for \"ownership\"");
    assert_eq!(found[0].0, "Understanding Ownership", "{found:?}");
    assert!(found[0].1.ends_with("ownership.html"), "{found:?}");
    let mark = c
        .find("#search-results .search-excerpt mark")
        .expect("a marked hit in the excerpt")
        .text();
    assert!(mark.to_lowercase().starts_with("ownership"), "{mark}");
    std::fs::write(p.outer.path().join("search.png"), c.screenshot()).expect("save screenshot");
    // A page without an h1 is listed under its title (from SUMMARY.md), not its address.
    type_text(&c, "struct");
    let mut listed = Vec::new();
    assert!(
        eventually(|| {
            listed = results(&c);
            listed.first().is_some_and(|r| r.0 == "Using Structs")
        }),
        "the h2-only page is not listed as \"Using Structs\": {listed:?}"
    );
    type_text(&c, "ownership");
    assert!(eventually(|| results(&c)[0].0 == "Understanding Ownership"));

    // Keyboard: Down selects the first result, Enter opens it.
    key(&c, "ArrowDown");
    assert_eq!(
        c.execute(
            "return document.getElementById('search-input').getAttribute('aria-activedescendant')"
        ),
        json!("search-result-0")
    );
    key(&c, "Enter");
    assert!(
        eventually(
            || c.execute("return location.pathname") == json!("/ownership.html")
                && c.find("code.language-rust").is_some()
        ),
        "Enter did not open the ownership chapter"
    );

    // Highlighted code: the info string split, keywords coloured apart from plain text.
    let colours = c.execute(
        "var code = document.querySelector('code.language-rust');\
         var kw = code.querySelector('[class*=hl-keyword], [class*=hl-storage]');\
         return [code.className, getComputedStyle(code).color, kw && getComputedStyle(kw).color];",
    );
    assert_eq!(colours[0], json!("language-rust ignore edition2021"));
    assert!(colours[2].is_string(), "no keyword span: {colours}");
    assert_ne!(colours[1], colours[2], "keywords not coloured: {colours}");
    let toml =
        c.execute("return document.querySelectorAll('code.language-toml span[class*=hl-]').length");
    assert!(toml.as_u64().unwrap_or(0) > 0, "TOML not highlighted");

    // Hidden lines are hidden; the toggle shows them without their `# `.
    let shown = c.find("code.language-rust").expect("rust block").text();
    assert!(shown.contains("let s2 = s1;"), "{shown}");
    assert!(
        shown.contains("# this line starts with one hash"),
        "{shown}"
    );
    assert!(!shown.contains("HashMap"), "hidden line shown: {shown}");
    assert!(!shown.contains("fn main"), "hidden line shown: {shown}");
    assert_eq!(display(&c, "code.language-rust .boring"), json!("none"));
    std::fs::write(p.outer.path().join("code.png"), c.screenshot()).expect("save screenshot");
    c.execute("document.querySelector('.code-toggle input').click();");
    assert_eq!(display(&c, "code.language-rust .boring"), json!("inline"));
    let all = c.find("code.language-rust").expect("rust block").text();
    assert!(all.contains("use std::collections::HashMap;"), "{all}");
    assert!(!all.contains("# use"), "the `# ` marker is shown: {all}");
    // code.js reveals the copy buttons.
    assert_ne!(display(&c, ".code-copy"), json!("none"));
    c.close();
    drop(srv);

    // Built and opened from file://: Pagefind cannot load there; titles are searched instead.
    let run = p.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let built = p.root.join("book");
    assert!(built.join("pagefind/pagefind.js").is_file());
    let c = browser(&driver, &p.outer.path().join("chromium-profile-2"));
    c.goto(&format!("file://{}", built.join("intro.html").display()));
    let found = search_for(&c, "struct");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].0.ends_with("Using Structs"), "{found:?}");
    let note = c.find("#search-results .search-note").expect("note").text();
    assert!(note.contains("Titles only"), "{note}");
    c.close();
}

#[test]
fn search_merges_every_shard_of_a_split_index() {
    let p = Project::copy_of(&repo().join("tests/fixtures/build/search-book"));
    p.write(
        "src/SUMMARY.md",
        "# Summary\n\n[Introduction](intro.md)\n\n- [Understanding Ownership](ownership.md)\n\
         - [Using Structs](structs.md)\n- [Deep](deep/nested/page.md)\n",
    );
    p.write(
        "src/deep/nested/page.md",
        "# Deep\n\nA page two folders down mentions lifetimes.\n",
    );
    // One page a shard: deep/nested/page.html is the first bundle, intro, ownership and
    // structs are pagefind/shard-1/ to shard-3/.
    let srv = p.serve_sharded(1);
    let base = srv.url().to_string();
    let shards = crate::support::http::get(srv.addr(), "/pagefind/stepbook-shards.json");
    assert_eq!(shards.text(), r#"["shard-1/","shard-2/","shard-3/"]"#);
    let driver = start_driver(&p.outer.path().join("chromedriver.log"));
    let c = browser(&driver, &p.outer.path().join("chromium-profile"));
    c.goto(&format!("{base}deep/nested/page.html"));
    // "ownership" lives in shard 2 only.
    let found = search_for(&c, "ownership");
    assert_eq!(found[0].0, "Understanding Ownership", "{found:?}");
    assert_eq!(found[0].1, "/ownership.html", "{found:?}");
    // "struct" in shard 3; "lifetimes" in the first bundle.
    for (query, title, url) in [
        ("struct", "Using Structs", "/structs.html"),
        ("lifetimes", "Deep", "/deep/nested/page.html"),
    ] {
        type_text(&c, query);
        let mut listed = Vec::new();
        assert!(
            eventually(|| {
                listed = results(&c);
                listed.first().is_some_and(|r| r.0 == title)
            }),
            "{query}: {listed:?}"
        );
        assert_eq!(listed[0].1, url);
    }
    // Enter opens the result of another shard.
    type_text(&c, "ownership");
    assert!(eventually(|| results(&c)[0].0 == "Understanding Ownership"));
    key(&c, "ArrowDown");
    key(&c, "Enter");
    assert!(
        eventually(|| c.execute("return location.pathname") == json!("/ownership.html")),
        "Enter did not open the ownership chapter"
    );
    c.close();
}
