//! mdBook books build as mdBook builds them (issue 12, items 1, 4, 5, 6): the `links`
//! directives in every form, `broken-include` and `unlisted-page` on their fixtures, findings
//! inside included text naming the included file, SUMMARY.md deciding what is built,
//! `[output.html]` keys, and external preprocessors (python3 scripts in the fixtures). Fixtures
//! are copied into temp dirs and built with the real binary; HTML is read with scraper.

use std::path::Path;

use stepbook::diag::Level;

use crate::support::{Project, Run, check_dir, html, repo, sel};

/// A temp copy of `tests/fixtures/mdbook/<case>`.
fn copy(case: &str) -> Project {
    Project::copy_of(&repo().join("tests/fixtures/mdbook").join(case))
}

/// `tests/fixtures/rules/<rule>/<case>`.
fn rule_fixture(rule: &str, case: &str) -> std::path::PathBuf {
    repo().join("tests/fixtures/rules").join(rule).join(case)
}

/// `stepbook build` in the project, expecting success.
fn built(p: &Project) -> Run {
    let run = p.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run
}

/// The text of every `<pre><code>` block of a page, with each hidden line of a Rust block
/// (`<span class="boring">`) written back with its `# `, as in the source.
fn code_blocks(path: &Path) -> Vec<String> {
    html(path)
        .select(&sel("pre code"))
        .map(|c| {
            c.children()
                .map(|node| match scraper::ElementRef::wrap(node) {
                    Some(e) if e.value().classes().any(|k| k == "boring") => {
                        format!("# {}", e.text().collect::<String>())
                    }
                    Some(e) => e.text().collect(),
                    None => node
                        .value()
                        .as_text()
                        .map(|t| t.to_string())
                        .unwrap_or_default(),
                })
                .collect::<String>()
        })
        .collect()
}

/// `(file, line, message)` of every finding of `rule` in the project at `dir`.
fn findings(dir: &Path, rule: &str) -> Vec<(String, usize, String)> {
    let report = check_dir(dir);
    report
        .diagnostics
        .iter()
        .filter(|d| d.rule == rule)
        .map(|d| {
            (
                d.file.clone(),
                report.locate(d).start.line,
                d.message.clone(),
            )
        })
        .collect()
}

#[test]
fn every_include_form_expands_in_the_built_site() {
    let dir = copy("book");
    built(&dir);
    let page = dir.path().join("book/listings.html");
    let blocks = code_blocks(&page);
    let main_rs = std::fs::read_to_string(dir.path().join("listings/ch02/main.rs")).unwrap();
    assert_eq!(
        blocks,
        [
            main_rs.as_str(),
            "line two\n",
            "line two\nline three\n",
            "line four\nline five\n",
            "line one\nline two\n",
            "    let mut guess = String::new();\n    io::stdin().read_line(&mut guess).unwrap();\n",
            // rustdoc_include: the lines outside the anchor are hidden `# ` lines, anchor lines gone.
            "# use std::io;\n# \n# fn main() {\n    let mut guess = String::new();\n    io::stdin().read_line(&mut guess).unwrap();\n#     println!(\"You guessed: {guess}\");\n# }\n",
            "# use std::io;\n# \n# // ANCHOR: main\nfn main() {\n#     // ANCHOR: read\n#     let mut guess = String::new();\n#     io::stdin().read_line(&mut guess).unwrap();\n#     // ANCHOR_END: read\n#     println!(\"You guessed: {guess}\");\n# }\n# // ANCHOR_END: main\n",
            "fn main() {\n    println!(\"playground\");\n}\n",
        ]
        .map(str::to_string)
    );
    let doc = html(&page);
    let title: String = doc.select(&sel("title")).next().unwrap().text().collect();
    assert!(
        title.starts_with("Listings of the guessing game"),
        "{title}"
    );
    let body: String = doc.select(&sel("article")).flat_map(|a| a.text()).collect();
    assert!(
        body.contains("Escaped: {{#include code/five.txt}}"),
        "{body}"
    );
    assert_eq!(
        body.matches("{{#").count(),
        1,
        "only the escaped directive stays: {body}"
    );
    // An include in a list item: every included line carries the item's prefix.
    let fragments = html(&dir.path().join("book/fragments.html"));
    let items: Vec<String> = fragments
        .select(&sel("article li"))
        .map(|li| li.text().collect::<String>().trim().to_string())
        .collect();
    assert_eq!(items, ["Listed: line one", "Listed: line two"]);
    let quote: String = fragments
        .select(&sel("article blockquote"))
        .flat_map(|b| b.text())
        .collect();
    assert!(quote.contains("comes from parts/note.md"), "{quote}");
    // A directive inside an included file resolves relative to that file.
    assert!(quote.contains("reads\n\"line one\"."), "{quote:?}");
    // The included fragment is not a page of its own, and not an unlisted one.
    assert!(!dir.path().join("book/parts/note.html").exists());
    assert!(findings(dir.path(), "unlisted-page").is_empty());
    assert!(findings(dir.path(), "broken-include").is_empty());
}

#[test]
fn broken_include_fail() {
    let found = findings(&rule_fixture("broken-include", "fail"), "broken-include");
    assert_eq!(
        found,
        [
            ("README.md", 3, "missing.rs does not exist"),
            (
                "README.md",
                5,
                "the range starts at line 40 but code/hello.rs has 5 lines"
            ),
            (
                "README.md",
                7,
                "the range starts at line 9 but code/hello.rs has 5 lines"
            ),
            ("README.md", 9, "code/hello.rs has no anchor `nope`"),
            ("README.md", 13, "code/gone.rs does not exist"),
            (
                "README.md",
                15,
                "the range 3:1 of code/hello.rs ends before it starts, so it takes no line"
            ),
            (
                "parts/b.txt",
                1,
                "include cycle: parts/a.txt → parts/b.txt → parts/a.txt \
                 (via the include at README.md:11)"
            ),
        ]
        .map(|(f, l, m)| (f.to_string(), l, m.to_string()))
    );
    let report = check_dir(&rule_fixture("broken-include", "fail"));
    let d = report
        .diagnostics
        .iter()
        .find(|d| d.rule == "broken-include")
        .unwrap();
    assert_eq!(d.level, Level::Error);
    // file:line:col of the directive itself.
    assert_eq!(report.locate(d).start.column, 1);
}

#[test]
fn broken_include_pass() {
    assert!(findings(&rule_fixture("broken-include", "pass"), "broken-include").is_empty());
}

#[test]
fn unlisted_page_fail_and_pass() {
    let found = findings(&rule_fixture("unlisted-page", "fail"), "unlisted-page");
    assert_eq!(
        found,
        [(
            "setup.md".to_string(),
            1,
            "setup.md is not listed in SUMMARY.md, so it is not built".to_string()
        )]
    );
    assert!(findings(&rule_fixture("unlisted-page", "pass"), "unlisted-page").is_empty());
}

#[test]
fn findings_inside_included_text_name_the_included_file_and_line() {
    let dir = Project::with(&[
        ("book.toml", "[book]\nsrc = \"src\"\n"),
        ("src/SUMMARY.md", "- [Chapter](chapter.md)\n"),
        (
            "src/chapter.md",
            "# Chapter\n\nIntro with a [bad link](nowhere.md).\n\n{{#include ../shared/part.md}}\n\nAfter [another](gone.md).\n",
        ),
        (
            "shared/part.md",
            "Shared text.\n\nIt links to [a missing page](missing.md).\n",
        ),
    ]);
    let found = findings(dir.path(), "broken-link");
    let places: Vec<(&str, usize)> = found.iter().map(|(f, l, _)| (f.as_str(), *l)).collect();
    assert_eq!(
        places,
        [
            ("shared/part.md", 3),
            ("src/chapter.md", 3),
            ("src/chapter.md", 7)
        ]
    );
    // The message names the include that brought the text in.
    assert!(
        found[0]
            .2
            .ends_with("(via the include at src/chapter.md:5)"),
        "{found:?}"
    );
    assert!(!found[1].2.contains("via the include"), "{found:?}");
    // The human report shows the included file's own line.
    let err = dir.run(&["build"]).stderr;
    assert!(err.contains("--> shared/part.md:3:13"), "{err}");
    assert!(
        err.contains("It links to [a missing page](missing.md)."),
        "{err}"
    );
}

#[test]
fn summary_decides_what_is_built() {
    let dir = Project::with(&[
        ("book.toml", "[book]\nsrc = \"src\"\n"),
        (
            "src/SUMMARY.md",
            "# Summary\n\n- [Chapter](chapter.md)\n- [Gone](gone.md)\n- [Draft]()\n",
        ),
        ("src/chapter.md", "# Chapter\n"),
        ("src/extra.md", "# Not listed\n"),
    ]);
    let out = built(&dir);
    assert!(out.stdout.starts_with("Built 1 page "), "{}", out.stdout);
    let book = dir.path().join("book");
    assert!(book.join("chapter.html").is_file());
    assert!(
        !book.join("extra.html").exists(),
        "an unlisted page is not built"
    );
    assert!(
        !dir.path().join("src/gone.md").exists(),
        "nothing is created by default"
    );
    let nav = std::fs::read_to_string(book.join("nav.js")).unwrap();
    assert!(!nav.contains("Not listed"), "{nav}");
    assert_eq!(
        findings(dir.path(), "broken-link"),
        [(
            "src/SUMMARY.md".to_string(),
            4,
            "gone.md does not exist".to_string()
        )]
    );
    assert_eq!(findings(dir.path(), "unlisted-page").len(), 1);
    // create-missing = true creates the listed file, as mdBook does.
    dir.write(
        "book.toml",
        "[book]\nsrc = \"src\"\n\n[build]\ncreate-missing = true\n",
    );
    built(&dir);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("src/gone.md")).unwrap(),
        "# Gone\n"
    );
    assert!(dir.path().join("book/gone.html").is_file());
    assert!(findings(dir.path(), "broken-link").is_empty());
}

#[test]
fn output_html_keys_are_honoured_or_named() {
    let dir = copy("book");
    let err = built(&dir).stderr;
    let warning = err
        .lines()
        .find(|l| l.contains("[output.html] keys stepbook does not honour"))
        .unwrap_or_else(|| panic!("no warning: {err}"));
    assert!(warning.contains("`mathjax-support`"), "{warning}");
    assert!(warning.contains("`search.use-boolean-and`"), "{warning}");
    assert_eq!(err.matches("mathjax-support").count(), 1, "{err}");
    let book = dir.path().join("book");
    assert_eq!(
        std::fs::read_to_string(book.join("theme/extra.css")).unwrap(),
        ".listing { border: 1px solid; }\n"
    );
    assert!(book.join("theme/extra.js").is_file());
    let doc = html(&book.join("listings.html"));
    let css: Vec<&str> = doc
        .select(&sel("link[rel=stylesheet]"))
        .filter_map(|l| l.value().attr("href"))
        .collect();
    assert!(css.contains(&"theme/extra.css"), "{css:?}");
    let js: Vec<&str> = doc
        .select(&sel("script[src]"))
        .filter_map(|s| s.value().attr("src"))
        .collect();
    assert!(js.contains(&"theme/extra.js"), "{js:?}");
    let edit: Vec<&str> = doc
        .select(&sel("a[rel=edit]"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(edit, ["https://example.com/repo/edit/main/src/listings.md"]);
    let repo: Vec<&str> = doc
        .select(&sel("a.repo-link"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(repo, ["https://example.com/repo"]);
    // no-section-label: no chapter numbers in the sidebar.
    assert_eq!(doc.select(&sel("#sidebar-tree .nav-num")).count(), 0);
    let nav = std::fs::read_to_string(book.join("nav.js")).unwrap();
    assert!(!nav.contains("\"n\":"), "{nav}");
    // A redirect page per entry.
    let redirect = html(&book.join("old/listing.html"));
    let refresh: Vec<&str> = redirect
        .select(&sel("meta[http-equiv=refresh]"))
        .filter_map(|m| m.value().attr("content"))
        .collect();
    assert_eq!(refresh, ["0; URL=../listings.html"]);
}

#[test]
fn a_preprocessor_rewrites_a_chapter() {
    let dir = copy("preprocessor-rewrite");
    let err = built(&dir).stderr;
    assert!(
        err.contains("skipping the optional preprocessor `absent`"),
        "{err}"
    );
    assert!(!err.contains("nohtml must not run"), "{err}");
    let doc = html(&dir.path().join("book/chapter.html"));
    let body: String = doc.select(&sel("article")).flat_map(|a| a.text()).collect();
    // `stamp` ran first (rewrite runs after it), then `rewrite` replaced the placeholder.
    assert!(
        body.contains("This text is rewritten by the preprocessor."),
        "{body}"
    );
    assert!(body.contains("Stamped for html."), "{body}");
    // A finding after the rewritten line still names the chapter's own line.
    assert!(err.contains("--> src/chapter.md:5:5"), "{err}");
}

/// A preprocessor that cannot answer `supports` is skipped with a warning that names it, its
/// command and the first lines of its stderr, and says how to see the rest: the Rust book's
/// preprocessors run `cargo run` under a rust-toolchain that is not installed, and rustup then
/// prints its error, a help line and a whole backtrace (`RUST_BACKTRACE` set).
#[test]
fn an_unanswered_supports_warns_with_the_first_lines_of_stderr() {
    let rustup = "import sys\n\
                  sys.stderr.write(\"error: toolchain '1.97-x86_64-unknown-linux-gnu' is not installed\\n\")\n\
                  sys.stderr.write(\"help: run `rustup toolchain install` to install it\\n\\n\")\n\
                  sys.stderr.write(\"Stack backtrace:\\n\")\n\
                  for i in range(12):\n    sys.stderr.write(f\"  {i}: rustup::frame_{i}\\n\")\n\
                  sys.exit(1)\n";
    let p = Project::with(&[
        (
            "book.toml",
            "[book]\ntitle = \"T\"\n\n[preprocessor.trpl-note]\ncommand = \"python3 pinned.py\"\n",
        ),
        ("pinned.py", rustup),
        ("src/SUMMARY.md", "# Summary\n\n- [A](a.md)\n"),
        ("src/a.md", "# A\n"),
    ]);
    let err = built(&p).stderr;
    let warning: Vec<&str> = err
        .lines()
        .skip_while(|l| !l.starts_with("warning: skipping the preprocessor"))
        .take_while(|l| !l.is_empty())
        .collect();
    assert_eq!(
        warning,
        [
            "warning: skipping the preprocessor `trpl-note`: `python3 pinned.py supports html` answered with status 1",
            "  [trpl-note] error: toolchain '1.97-x86_64-unknown-linux-gnu' is not installed",
            "  [trpl-note] help: run `rustup toolchain install` to install it",
            "  [trpl-note] … 13 more lines of stderr: run `python3 pinned.py supports html` in this folder to see them",
        ],
        "{err}"
    );
    assert!(!err.contains("frame_"), "{err}");
}

/// A book loaded for building holds no page's event stream (the renderer replays each page's
/// parse while it renders it), except a page a preprocessor rewrote.
#[test]
fn only_a_rewritten_page_keeps_its_event_stream() {
    let kept = |dir: &Path| -> Vec<String> {
        let book = stepbook::project::Book::load(dir).unwrap();
        assert!(!book.pages.is_empty());
        book.pages
            .iter()
            .filter(|p| !p.events.is_empty())
            .map(|p| p.rel.clone())
            .collect()
    };
    assert_eq!(kept(repo()), Vec::<String>::new());
    assert_eq!(kept(copy("preprocessor-rewrite").path()), ["chapter.md"]);
}

#[test]
fn a_failing_preprocessor_fails_the_build_naming_it_and_its_stderr() {
    let dir = copy("preprocessor-fail");
    let run = dir.run(&["build"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let err = run.stderr;
    assert!(
        err.contains("preprocessor `broken` failed: it exited with status 3"),
        "{err}"
    );
    assert!(
        err.contains("[broken] broken: cannot parse chapter.md"),
        "{err}"
    );
    assert!(
        !dir.path().join("book").exists(),
        "a failed build writes nothing"
    );
}

#[test]
fn use_default_preprocessors_false_leaves_directives_as_written() {
    let dir = Project::with(&[
        (
            "book.toml",
            "[book]\nsrc = \"src\"\n\n[build]\nuse-default-preprocessors = false\n",
        ),
        ("src/SUMMARY.md", "- [Chapter](chapter.md)\n"),
        ("src/chapter.md", "# Chapter\n\n{{#include missing.txt}}\n"),
    ]);
    built(&dir);
    let doc = html(&dir.path().join("book/chapter.html"));
    let body: String = doc.select(&sel("article")).flat_map(|a| a.text()).collect();
    assert!(body.contains("{{#include missing.txt}}"), "{body}");
    assert!(findings(dir.path(), "broken-include").is_empty());
    // A [preprocessor.links] table turns them on again, as in mdBook.
    dir.write(
        "book.toml",
        "[book]\nsrc = \"src\"\n\n[build]\nuse-default-preprocessors = false\n\n[preprocessor.links]\n",
    );
    assert_eq!(findings(dir.path(), "broken-include").len(), 1);
}

#[test]
fn directives_are_expanded_only_in_a_book() {
    // A plain folder (GitHub convention, no book.toml): mdBook's `links` preprocessor does not
    // run, so directives are text — stepbook's own rule docs quote them in code blocks.
    let dir = Project::with(&[
        (
            "README.md",
            "# Guide\n\n```\n{{#include missing.rs}}\n```\n",
        ),
        ("rules/x.md", "# X\n\n{{#include gone.txt:2:1}}\n"),
    ]);
    assert!(findings(dir.path(), "broken-include").is_empty());
    // The same folder as a book: both are checked.
    dir.write("book.toml", "[book]\ntitle = \"Guide\"\n");
    assert_eq!(findings(dir.path(), "broken-include").len(), 2);
}

/// unlisted-page names the page and SUMMARY.md from the current directory, as its `-->` line
/// does: `src/setup.md` from the book's root, `setup.md` from its `src/`.
#[test]
fn unlisted_page_names_files_from_the_current_directory() {
    let h = Project::with(&[
        ("book.toml", "[book]\nsrc = \"src\"\n"),
        ("src/SUMMARY.md", "- [Intro](intro.md)\n"),
        ("src/intro.md", "# Intro\n"),
        ("src/setup.md", "# Setup\n"),
    ]);
    let said = |cwd: &std::path::Path| -> Vec<(String, String, String)> {
        crate::support::run_in(cwd, &["check", "--format", "json"])
            .json()
            .iter()
            .map(|f| {
                (
                    f["file"].as_str().expect("file").to_string(),
                    f["message"].as_str().expect("message").to_string(),
                    f["help"].as_str().expect("help").to_string(),
                )
            })
            .collect()
    };
    assert_eq!(
        said(&h.root),
        [(
            "src/setup.md".to_string(),
            "src/setup.md is not listed in src/SUMMARY.md, so it is not built".to_string(),
            "add `- [Setup](setup.md)` to src/SUMMARY.md, or delete the page".to_string()
        )]
    );
    assert_eq!(
        said(&h.root.join("src")),
        [(
            "setup.md".to_string(),
            "setup.md is not listed in SUMMARY.md, so it is not built".to_string(),
            "add `- [Setup](setup.md)` to SUMMARY.md, or delete the page".to_string()
        )]
    );
}

/// mdBook's heading attributes (`## Options {#options}`, its guide's "Heading attributes";
/// Rust by Example uses them): the id is the heading's, the braces are not shown, in the page
/// and its table of contents. A plain folder, read as GitHub reads it, shows them as text.
#[test]
fn a_headings_explicit_id_is_its_id_in_a_book_and_text_on_github() {
    let page =
        "# Asm\n\nSee [options](#options).\n\n## Basic usage\n\n## Options {#options}\n\nText.\n";
    let book = Project::new()
        .file("book.toml", "[book]\ntitle = \"B\"\n")
        .file("src/SUMMARY.md", "# Summary\n\n- [Asm](asm.md)\n")
        .file("src/asm.md", page);
    let run = book.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = html(&book.path().join("book/asm.html"));
    let h2: Vec<(String, String)> = doc
        .select(&sel("main h2"))
        .map(|h| {
            let text: String = h.text().collect();
            let text = text.trim_end_matches(['#', '\u{a0}', ' ']).to_string();
            (h.value().attr("id").unwrap_or_default().to_string(), text)
        })
        .collect();
    assert_eq!(
        h2,
        [
            ("basic-usage".to_string(), "Basic usage".to_string()),
            ("options".to_string(), "Options".to_string())
        ]
    );
    let text = std::fs::read_to_string(book.path().join("book/asm.html")).expect("page");
    assert!(
        !text.contains("{#options}"),
        "nowhere in the page, TOC included"
    );
    assert!(
        text.contains("href=\"#options\">Options</a>"),
        "the TOC entry"
    );
    // GitHub shows the braces and slugs the whole text.
    let plain = Project::new().file("asm.md", page);
    let run = plain.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = html(&plain.path().join("book/asm.html"));
    let ids: Vec<String> = doc
        .select(&sel("main h2"))
        .filter_map(|h| h.value().attr("id").map(str::to_string))
        .collect();
    assert_eq!(ids, ["basic-usage", "options-options"]);
}
