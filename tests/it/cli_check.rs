//! `stepbook check` end to end: the real binary on temporary projects, asserting exit codes
//! (0 clean, 1 error-level findings, 2 could not run), what reaches stdout and stderr, and the
//! machine-readable formats.

use std::process::{Command, Stdio};

use serde_json::Value;

use crate::support::{Project, Run, sarif_schema};

/// Two linked pages, nothing wrong.
fn clean() -> Project {
    Project::new()
        .file(
            "README.md",
            "# Home\n\nSee [the guide](guide.md#step-1-install).\n",
        )
        .file("guide.md", "# Guide\n\n## Step 1: Install\n\nRun it.\n")
}

/// One broken link at line 3, column 5 of `a.md`.
fn broken() -> Project {
    Project::new()
        .file("a.md", "# A\n\nSee [b](missing.md) now.\n")
        .file("b.md", "# B\n")
}

#[test]
fn clean_folder_without_book_toml_exits_0() {
    let run = clean().run(&["check"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout, "no problems found in 2 pages\n");
    assert_eq!(run.stderr, "");
}

#[test]
fn json_output_of_a_clean_folder_is_an_empty_array() {
    let run = clean().run(&["check", "--format", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.json().is_empty());
}

#[test]
fn unknown_rule_id_exits_2_and_suggests_the_closest() {
    let run = clean().run(&["check", "--rule", "brokn-link=warning"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("unknown rule `brokn-link`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `broken-link`?"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, "");
}

#[test]
fn malformed_rule_option_exits_2() {
    let run = clean().run(&["check", "--rule", "broken-link"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("ID=LEVEL"), "{}", run.stderr);
    let run = clean().run(&["check", "--rule", "broken-link=loud"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("unknown level `loud`"),
        "{}",
        run.stderr
    );
}

#[test]
fn nonexistent_path_exits_2_naming_it() {
    let run = clean().run(&["check", "no-such-folder"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.starts_with("error: no-such-folder"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_file_that_is_not_markdown_exits_2() {
    let run = clean().file("notes.txt", "x").run(&["check", "notes.txt"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("not a Markdown file"), "{}", run.stderr);
}

#[test]
fn broken_link_exits_1_with_the_finding_in_json() {
    let run = broken().run(&["check", "--format", "json"]);
    assert_eq!(run.code, 1, "{run:?}");
    let items = run.json();
    assert_eq!(items.len(), 1, "{}", run.stdout);
    let f = &items[0];
    assert_eq!(f["rule"], "broken-link");
    assert_eq!(f["level"], "error");
    assert_eq!(f["file"], "a.md");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(3), Some(5))
    );
    assert_eq!(
        (f["end_line"].as_u64(), f["end_column"].as_u64()),
        (Some(3), Some(20))
    );
}

#[test]
fn broken_link_in_human_format() {
    let run = broken().run(&["check"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stdout.starts_with("error[broken-link]: "),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains(" --> a.md:3:5\n"), "{}", run.stdout);
    assert!(
        run.stdout.contains("3 | See [b](missing.md) now.\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("  |     ^^^^^^^^^^^^^^^\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.ends_with("error: 1 error in 1 of 2 pages\n"),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains('\u{1b}'),
        "NO_COLOR and a pipe: no colour"
    );
}

#[test]
fn rule_level_override_to_warning_exits_0() {
    let run = broken().run(&["check", "--rule", "broken-link=warning", "--format", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    let items = run.json();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["level"], "warning");
    let run = broken().run(&["check", "--rule", "broken-link=allow", "--format", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.json().is_empty());
}

#[test]
fn rule_level_from_book_toml() {
    let project = Project::new()
        .file(
            "book.toml",
            "[book]\ntitle = \"T\"\n\n[check.rules]\nbroken-link = \"warning\"\n",
        )
        .file("content/a.md", "# A\n\nSee [b](missing.md) now.\n");
    let run = project.run(&["check", "--format", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.json()[0]["file"], "content/a.md");
    // The command line wins over book.toml.
    let run = project.run(&["check", "--rule", "broken-link=error"]);
    assert_eq!(run.code, 1, "{run:?}");
}

#[test]
fn ignore_comment_on_the_line_before_silences_one_finding() {
    let project = Project::new().file(
        "a.md",
        "# A\n\n<!-- stepbook-ignore broken-link: the page arrives next release -->\nSee [b](missing.md) now.\n\nAnd [c](also-missing.md).\n",
    );
    let run = project.run(&["check", "--format", "json"]);
    assert_eq!(run.code, 1, "{run:?}");
    let items = run.json();
    assert_eq!(items.len(), 1, "{}", run.stdout);
    assert_eq!(items[0]["line"], 6);
    let silenced = Project::new().file(
        "a.md",
        "# A\n\n<!-- stepbook-ignore broken-link: the page arrives next release -->\nSee [b](missing.md) now.\n",
    );
    let run = silenced.run(&["check"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout, "no problems found in 1 page\n");
}

/// A PNG whose bytes differ from [`Project::png`]'s (two copies of one image are a
/// `duplicate-image` finding).
fn other_png() -> Vec<u8> {
    let mut bytes = Vec::new();
    image::RgbImage::from_pixel(3, 2, image::Rgb([10, 20, 30]))
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .expect("encode PNG");
    bytes
}

#[test]
fn folder_without_book_toml_with_res_beside_each_guide() {
    let project = Project::new()
        .file("docs/setup/GUIDE.md", "# Setup\n\n## Step 1: Open\n\n![Console](res/console.png)\n")
        .png("docs/setup/res/console.png")
        .file(
            "docs/deploy/GUIDE.md",
            "# Deploy\n\nFirst do [the setup](../setup/GUIDE.md#step-1-open).\n\n![Deploy](res/deploy.png)\n",
        )
        .bytes("docs/deploy/res/deploy.png", &other_png())
        .file("elsewhere/broken.md", "[x](nope.md)\n");
    let run = project.run(&["check", "docs"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.starts_with("no problems found in "),
        "{}",
        run.stdout
    );
    // A missing screenshot in one guide is reported relative to the current directory (as
    // rustc and ripgrep print paths), so a CI annotation finds the file.
    let project = project.file(
        "docs/deploy/GUIDE.md",
        "# Deploy\n\n![Deploy](res/deploy.png)\n\n![Gone](res/gone.png)\n",
    );
    let run = project.run(&["check", "docs", "--format", "json"]);
    assert_eq!(run.code, 1, "{run:?}");
    let items = run.json();
    assert_eq!(items.len(), 1, "{}", run.stdout);
    assert_eq!(items[0]["rule"], "missing-image");
    assert_eq!(items[0]["file"], "docs/deploy/GUIDE.md");
    assert_eq!(items[0]["line"], 5);
}

#[test]
fn checking_one_file_reports_only_that_file() {
    let project = Project::new()
        .file("a.md", "# A\n\n[x](missing-a.md)\n")
        .file("b.md", "# B\n\n[x](missing-b.md)\n");
    let run = project.run(&["check", "a.md", "--format", "json"]);
    assert_eq!(run.code, 1, "{run:?}");
    let files: Vec<String> = run
        .json()
        .iter()
        .map(|f| f["file"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(files, ["a.md"]);
}

/// A pre-commit hook passes the changed files: checking them must not leave a cache folder in
/// each folder holding one (a folder that is not a book is not a project the user set up);
/// checking the folder itself does keep its cache, and a cache that exists is used.
#[test]
fn checking_named_files_creates_no_cache_folder() {
    let project = Project::new()
        .file("a/b/x.md", "# X\n\n![shot](shot.png)\n")
        .file("a/y.md", "# Y\n\n[x](b/x.md)\n");
    std::fs::write(project.path().join("a/b/shot.png"), other_png()).expect("png");
    let run = project.run(&["check", "a/b/x.md", "a/y.md"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(!project.path().join("a/b/.stepbook-cache").exists());
    assert!(!project.path().join("a/.stepbook-cache").exists());
    let run = project.run(&["check", "a"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(project.path().join("a/.stepbook-cache/pages.bin").is_file());
    let run = project.run(&["check", "a/y.md", "-v"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stderr
            .contains("pages: 0 parsed, 2 from the page cache"),
        "{}",
        run.stderr
    );
}

#[test]
fn checking_one_file_of_a_book_uses_the_book_and_its_paths() {
    let project = Project::new()
        .file("book.toml", "[book]\ntitle = \"T\"\n")
        .file(
            "content/a.md",
            "# A\n\n[b](b.md#step-1-go) and [x](missing.md)\n",
        )
        .file(
            "content/b.md",
            "# B\n\n## Step 1: Go\n\n[x](missing-too.md)\n",
        );
    let run = project.run(&["check", "content/a.md", "--format", "json"]);
    assert_eq!(run.code, 1, "{run:?}");
    let items = run.json();
    assert_eq!(items.len(), 1, "{}", run.stdout);
    assert_eq!(items[0]["file"], "content/a.md");
    assert_eq!(items[0]["column"], 25);
    // Two files of the same book: both reported, nothing else.
    let run = project.run(&["check", "content/a.md", "content/b.md", "--format", "json"]);
    let files: Vec<String> = run
        .json()
        .iter()
        .map(|f| f["file"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(files, ["content/a.md", "content/b.md"]);
}

#[test]
fn github_and_sarif_and_junit_formats_from_the_binary() {
    let project = broken();
    let run = project.run(&["check", "--format", "github"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stdout.starts_with(
            "::error file=a.md,line=3,col=5,endLine=3,endColumn=20,title=broken-link::"
        ),
        "{}",
        run.stdout
    );
    let run = project.run(&["check", "--format", "sarif"]);
    assert_eq!(run.code, 1, "{run:?}");
    let log: Value = serde_json::from_str(&run.stdout).expect("SARIF is JSON");
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(log["runs"][0]["results"][0]["ruleId"], "broken-link");
    let run = project.run(&["check", "--format", "junit"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stdout
            .contains(r#"<testcase name="broken-link: a.md" classname="broken-link" file="a.md">"#),
        "{}",
        run.stdout
    );
}

#[test]
fn fix_removes_the_indentation_of_an_accidental_code_block() {
    let project = Project::new().file(
        "a.md",
        "# A\n\nIntro.\n\n    > **Note:** hi\n    > there\n\nEnd.\n",
    );
    let run = project.run(&["check", "--format", "json"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.json()[0]["rule"], "accidental-code-block");
    let run = project.run(&["check", "--fix"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout, "no problems found in 1 page\n");
    assert!(
        run.stderr.contains("fixed 1 finding in 1 file"),
        "{}",
        run.stderr
    );
    assert_eq!(
        project.read("a.md"),
        "# A\n\nIntro.\n\n> **Note:** hi\n> there\n\nEnd.\n"
    );
    // The page cache (`.stepbook-cache/`) is not a leftover.
    let leftovers: Vec<_> = std::fs::read_dir(project.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name())
        .filter(|n| n != ".stepbook-cache")
        .collect();
    assert_eq!(
        leftovers.len(),
        1,
        "no temporary file is left: {leftovers:?}"
    );
}

#[test]
fn closed_stdout_is_not_an_error() {
    // Many findings, so the output is larger than any pipe buffer would need to be.
    let mut text = String::from("# A\n\n");
    for i in 0..2000 {
        text.push_str(&format!("[x](missing-{i}.md)\n\n"));
    }
    let project = Project::new().file("a.md", &text);
    let mut child = Command::new(env!("CARGO_BIN_EXE_stepbook"))
        .args(["check"])
        .current_dir(project.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr, "", "nothing on stderr for a closed pipe");
    assert_ne!(out.status.code(), Some(101), "no panic");
    assert_ne!(out.status.code(), Some(2));
}

#[test]
fn rules_lists_a_table() {
    let run = clean().run(&["rules"]);
    assert_eq!(run.code, 0, "{run:?}");
    let mut lines = run.stdout.lines();
    let header = lines.next().expect("header");
    assert!(header.starts_with("RULE "), "{header}");
    assert!(
        header.contains(" LEVEL ") && header.ends_with("SUMMARY"),
        "{header}"
    );
    let link = run
        .stdout
        .lines()
        .find(|l| l.starts_with("broken-link "))
        .expect("a broken-link row");
    assert!(link.contains(" error "), "{link}");
    // Columns line up: every summary starts at the same offset.
    let offset = header.find("SUMMARY").expect("SUMMARY");
    for line in run.stdout.lines().skip(1) {
        assert_eq!(
            line.as_bytes().get(offset - 2..offset),
            Some(&b"  "[..]),
            "{line}"
        );
        assert_ne!(line.as_bytes()[offset], b' ', "{line}");
    }
}

#[test]
fn several_projects_are_reported_with_their_folders() {
    let project = Project::new()
        .file("one/a.md", "# A\n\n[x](missing.md)\n")
        .file("two/b.md", "# B\n\n[x](missing.md)\n");
    let files = |run: &Run| -> Vec<String> {
        run.json()
            .iter()
            .map(|f| f["file"].as_str().unwrap_or("").to_string())
            .collect()
    };
    let run = project.run(&["check", "one", "./two", "--format", "json"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(files(&run), ["one/a.md", "two/b.md"]);
    let run = project.run(&["check", "one/a.md", "two/b.md", "--format", "json"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(files(&run), ["one/a.md", "two/b.md"]);
}

#[test]
fn sarif_from_the_binary_validates_against_the_schema() {
    let project = Project::new()
        .file("book.toml", "[book]\ntitle = \"T\"\n")
        .file(
            "content/my guide.md",
            "# Guide\n\nSee [x](missing.md) and ![](res/none.png).\n\nIntro.\n\n    > **Note:** hi\n    > there\n\nEnd.\n",
        )
        .png("res/unused shot.png");
    let run = project.run(&["check", "--format", "sarif"]);
    assert_eq!(run.code, 1, "{run:?}");
    let log: Value = serde_json::from_str(&run.stdout).expect("SARIF is JSON");
    let errors = sarif_schema::validate(&sarif_schema::sarif_schema(), &log);
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let results = log["runs"][0]["results"].as_array().expect("results");
    let rules: Vec<&str> = results
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap_or(""))
        .collect();
    for expected in [
        "broken-link",
        "missing-image",
        "accidental-code-block",
        "orphan-image",
    ] {
        assert!(
            rules.contains(&expected),
            "{expected} missing from {rules:?}"
        );
    }
    let uris: Vec<&str> = results
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap_or("")
        })
        .collect();
    assert!(uris.contains(&"content/my%20guide.md"), "{uris:?}");
    assert!(uris.contains(&"res/unused%20shot.png"), "{uris:?}");
    let block = results
        .iter()
        .find(|r| r["ruleId"] == "accidental-code-block")
        .expect("accidental-code-block result");
    assert_eq!(
        block["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"],
        "> **Note:** hi\n> there\n"
    );
}

/// A Markdown file that is not UTF-8 stops the run with a message naming file, line and column
/// (review finding: it used to say only "stream did not contain valid UTF-8").
#[test]
fn non_utf8_page_names_file_line_and_column() {
    let run = Project::new()
        .file("ok.md", "# OK\n")
        .bytes("latin1.md", b"# Caf\xe9\n\nline two\n")
        .run(&["check", "."]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("latin1.md:1:6: not UTF-8 text (byte 0xE9)"),
        "{}",
        run.stderr
    );
}

/// An unknown rule id in `[check.rules]` names book.toml's line and suggests the closest id.
#[test]
fn unknown_rule_in_book_toml_names_the_line() {
    let run = Project::new()
        .file(
            "book.toml",
            "[book]\nsrc = \".\"\n\n[check.rules]\norphan-image = \"allow\"\nbrokn-link = \"warning\"\n",
        )
        .file("a.md", "# A\n")
        .run(&["check", "."]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("error[config]: unknown rule `brokn-link` in [check.rules]"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--> book.toml:6:1"), "{}", run.stderr);
    assert!(
        run.stderr.contains("= help: did you mean `broken-link`?"),
        "{}",
        run.stderr
    );
}

/// In a folder without book.toml, oversized-image's help says where the budget is set and
/// that the file does not exist yet.
#[test]
fn oversized_image_help_without_book_toml_says_there_is_none() {
    let project = Project::new().file("guide.md", "# Guide\n\n![A wide capture](wide.png)\n");
    std::fs::write(
        project.path().join("wide.png"),
        crate::support::png(4100, 10),
    )
    .expect("png");
    let run = project.run(&["check", "--format", "json"]);
    let help: Vec<String> = run
        .json()
        .iter()
        .filter(|f| f["rule"] == "oversized-image")
        .map(|f| f["help"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(help.len(), 1, "{}", run.stdout);
    assert!(
        help[0].ends_with("of book.toml (a book.toml in the checked folder; there is none yet)"),
        "{}",
        help[0]
    );
}

/// A repository's `.ignore` file (gitignore syntax, as ripgrep reads it) leaves folders out of
/// a check, such as a formatter's test fixtures at the root.
#[test]
fn a_dot_ignore_file_leaves_folders_out() {
    let project = Project::with(&[
        ("docs/a.md", "# A\n\nSee [b](b.md).\n"),
        ("docs/b.md", "# B\n"),
        ("tests/fixture.md", "# Fixture\n\n[gone](gone.md)\n"),
    ]);
    let rules = |run: Run| -> Vec<String> {
        run.json()
            .iter()
            .map(|d| format!("{} {}:{}", d["rule"], d["file"], d["line"]))
            .collect()
    };
    assert_eq!(
        rules(project.run(&["check", ".", "--format", "json"])),
        ["\"broken-link\" \"tests/fixture.md\":3"]
    );
    project.write(".ignore", "tests/\n");
    assert!(rules(project.run(&["check", ".", "--format", "json"])).is_empty());
}
