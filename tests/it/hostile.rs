//! Hostile input (issue 8): one regression test per broken promise, each named after it. Every
//! test runs the real binary (a stack overflow or an abort must show as an exit status, not kill
//! the test run) on a project in a temporary folder `outer/proj`, so that `outer` can hold the
//! files a hostile project tries to reach.

use crate::support::{Project, write_file};

/// Item 1: 15,000 list items nested on one line (30 KB) used to overflow the stack (exit 134).
#[test]
fn deeply_nested_summary_builds_with_a_finding_instead_of_a_stack_overflow() {
    let summary = format!("# Summary\n\n{}[Deep](a.md)\n", "- ".repeat(15_000));
    let h = Project::with(&[
        ("book.toml", "[book]\ntitle = \"T\"\n"),
        ("content/a.md", "# A\n"),
        ("content/SUMMARY.md", &summary),
    ]);
    let out = h.run(&["build"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let err = out.stderr;
    assert!(err.contains("warning[summary-too-deep]"), "{err}");
    assert!(err.contains("--> content/SUMMARY.md:3:"), "{err}");
    assert!(err.contains("nested 15000 lists deep"), "{err}");
    assert!(h.root.join("book/a.html").is_file());
    let out = h.run(&["check", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("\"rule\": \"summary-too-deep\""),
        "{}",
        out.stdout
    );
}

/// Item 5: the human formatter printed the whole line for every finding (findings × line
/// length: 182 s on a 130 KB one-line page). Each finding's snippet is now cut around its span,
/// so the report grows with the number of findings only; the column is still the real one.
#[test]
fn human_report_on_a_long_one_line_page_is_linear_in_findings() {
    let links: Vec<String> = (0..300)
        .map(|i| format!("see [x{i}](gone{i}.md) and"))
        .collect();
    let page = format!("# One\n\n{}\n", links.join(" "));
    let h = Project::with(&[("content/one.md", &page)]);
    let out = h.run(&["check", "content"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let report = out.stdout;
    assert_eq!(report.matches("error[broken-link]").count(), 300);
    assert!(
        report.len() < 300 * 1_000,
        "{} bytes for 300 findings: snippets are not cut",
        report.len()
    );
    let col = page.find("[x299]").expect("last link") - page.find("see [x0]").expect("first") + 1;
    assert!(
        // Paths are relative to where check ran (the project folder here).
        report.contains(&format!("--> content/one.md:3:{col}\n")),
        "{report}"
    );
}

/// Item 8: CR-only line endings (classic Mac) put every finding on line 1.
#[test]
fn cr_only_line_endings_give_findings_their_real_lines() {
    let h = Project::with(&[(
        "content/mac.md",
        "# Mac\r\rIntro.\r\rSee [gone](gone.md).\r",
    )]);
    let out = h.run(&["check", "--format", "json", "content"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let json = out.json();
    assert_eq!(json[0]["rule"], "broken-link");
    assert_eq!(json[0]["line"], 5);
    assert_eq!(json[0]["column"], 5);
    let out = h.run(&["check", "content"]);
    assert!(
        out.stdout.contains("--> content/mac.md:5:5"),
        "{}",
        out.stdout
    );
}

/// Item 8: an include cycle in templates had no file and line.
#[test]
fn template_include_cycle_names_the_file_and_line() {
    let h = Project::with(&[
        ("book.toml", "[book]\ntitle = \"T\"\n"),
        ("content/a.md", "# A\n"),
        (
            "templates/page.html",
            "<p>\n{% include \"part.html\" %}\n</p>\n",
        ),
        (
            "templates/part.html",
            "<b>part</b>\n\n  {% include \"page.html\" %}\n",
        ),
    ]);
    let out = h.run(&["build"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "templates/part.html:3:3: includes \"page.html\", which leads back to it: \
             page.html → part.html → page.html"
        ),
        "{}",
        out.stderr
    );
}

/// Item 8: invalid UTF-8 in book.toml had no line; a book.toml that is a folder was ignored.
#[test]
fn book_toml_invalid_utf8_or_folder_is_an_error_with_a_place() {
    let h = Project::with(&[("content/a.md", "# A\n")]);
    write_file(
        &h.root.join("book.toml"),
        b"[book]\n\ntitle = \"Caf\xe9\"\n",
    );
    for cmd in ["build", "check"] {
        let out = h.run(&[cmd]);
        assert_eq!(out.code, 2, "{cmd}: {}", out.stderr);
        assert!(
            out.stderr
                .contains("book.toml:3:13: not UTF-8 text (byte 0xE9)"),
            "{cmd}: {}",
            out.stderr
        );
    }
    std::fs::remove_file(h.root.join("book.toml")).expect("remove");
    std::fs::create_dir(h.root.join("book.toml")).expect("folder");
    for cmd in ["build", "check"] {
        let out = h.run(&[cmd]);
        assert_eq!(out.code, 2, "{cmd}: {}", out.stderr);
        assert!(
            out.stderr.contains("book.toml: is a folder, not a file"),
            "{cmd}: {}",
            out.stderr
        );
    }
}

/// Item 8: a corrupt PNG's message printed Rust debug text (`ChunkType { … }`).
#[test]
fn corrupt_png_message_has_no_rust_debug_text() {
    let mut png = std::io::Cursor::new(Vec::new());
    image::RgbImage::new(3, 2)
        .write_to(&mut png, image::ImageFormat::Png)
        .expect("encode");
    let mut png = png.into_inner();
    png[29] ^= 0xff; // IHDR's CRC
    let h = Project::with(&[("content/a.md", "# A\n\n![Shot](res/shot.png)\n")]);
    write_file(&h.root.join("content/res/shot.png"), &png);
    let out = h.run(&["check", "--format", "json", "content"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let json = out.json();
    let message = json[0]["message"].as_str().expect("message");
    assert_eq!(json[0]["rule"], "unreadable-image");
    assert!(
        message.starts_with("image content/res/shot.png cannot be decoded as PNG: CRC error:")
            && message.ends_with("while decoding IHDR chunk"),
        "{message}"
    );
    assert!(!message.contains(['{', '}']), "{message}");
}

/// Item 8: an image path that is a folder (with no files) or a dangling symbolic link was
/// reported as "does not exist".
#[cfg(unix)]
#[test]
fn image_that_is_a_folder_or_a_dangling_link_says_what_it_is() {
    let h = Project::with(&[(
        "content/a.md",
        "# A\n\n![Folder](shots)\n\n![Link](gone.png)\n\n![Missing](none.png)\n",
    )]);
    std::fs::create_dir_all(h.root.join("content/shots")).expect("folder");
    std::os::unix::fs::symlink("nowhere/shot.png", h.root.join("content/gone.png")).expect("link");
    let out = h.run(&["check", "--format", "json", "content"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let json = out.json();
    let messages: Vec<(&str, i64)> = json
        .iter()
        .filter(|f| f["rule"] == "missing-image")
        .map(|f| (f["message"].as_str().unwrap(), f["line"].as_i64().unwrap()))
        .collect();
    assert_eq!(
        messages,
        [
            ("image shots is a folder, not an image file", 3),
            (
                "image gone.png is a symbolic link to nowhere/shot.png, which does not exist",
                5
            ),
            ("image none.png does not exist", 7),
        ]
    );
}

/// The files below `dir`, relative, sorted (for "nothing was written there").
fn tree(dir: &std::path::Path) -> Vec<String> {
    let mut out: Vec<String> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(|e| {
            let e = e.expect("walk");
            e.path()
                .strip_prefix(dir)
                .expect("below")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    out.sort();
    out
}

/// Item 2: the site was written and swapped in before the checks resolved their configuration,
/// so a typo in `[check.rules]` or a missing scope-source file exited 2 with the new site live.
#[test]
fn failing_check_configuration_leaves_the_previous_site() {
    let h = Project::with(&[
        ("book.toml", "[book]\ntitle = \"T\"\n"),
        ("content/a.md", "# First\n"),
    ]);
    assert_eq!(h.run(&["build"]).code, 0);
    let first = std::fs::read_to_string(h.root.join("book/a.html")).expect("built");
    assert!(first.contains("First"));
    h.write("content/a.md", "# Second\n");
    for (config, says) in [
        (
            "[book]\ntitle = \"T\"\n\n[check.rules]\norphan-imag = \"allow\"\n",
            "unknown rule `orphan-imag`",
        ),
        (
            "[book]\ntitle = \"T\"\n\n[[scopes]]\nname = \"API\"\nguides = [\"a.md\"]\nfile = \"scopes.json\"\npointer = \"/scopes\"\n",
            "scopes.json",
        ),
    ] {
        h.write("book.toml", config);
        let out = h.run(&["build"]);
        assert_eq!(out.code, 2, "{config}: {}", out.stderr);
        assert!(out.stderr.contains(says), "{}", out.stderr);
        let now = std::fs::read_to_string(h.root.join("book/a.html")).expect("still there");
        assert_eq!(now, first, "the previous site is left as it was");
        let temporary = tree(h.outer.path())
            .into_iter()
            .filter(|p| p.contains("stepbook-new") || p.contains("stepbook-old"))
            .count();
        assert_eq!(temporary, 0);
    }
}

/// Item 3: the build dir was compared as text, so `build-dir = "link/site"` with `link` a
/// symbolic link to an outside folder wrote the site there.
#[cfg(unix)]
#[test]
fn build_dir_through_a_symlink_to_outside_is_refused() {
    let h = Project::with(&[
        (
            "book.toml",
            "[book]\ntitle = \"T\"\n\n[build]\nbuild-dir = \"link/site\"\n",
        ),
        ("content/a.md", "# A\n"),
    ]);
    let outside = h.outer.path().join("outside");
    std::fs::create_dir_all(&outside).expect("outside");
    std::os::unix::fs::symlink(&outside, h.root.join("link")).expect("link");
    let out = h.run(&["build"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("refusing to build into"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("outside the project folder"),
        "{}",
        out.stderr
    );
    assert!(tree(&outside).is_empty(), "{:?}", tree(&outside));
    let out = h.run(&["build", "-d", "link/other"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(tree(&outside).is_empty(), "{:?}", tree(&outside));
}

/// Item 7: an interrupted build left `.book.stepbook-new-PID` (8 MB) that no later build
/// removed.
#[test]
fn leftovers_of_an_interrupted_build_are_removed_by_the_next_build() {
    let h = Project::with(&[
        ("book.toml", "[book]\ntitle = \"T\"\n"),
        ("content/a.md", "# A\n"),
    ]);
    // PIDs above the kernel's largest pid_max: no such process.
    for name in [".book.stepbook-new-4194305", ".book.stepbook-old-4194306"] {
        write_file(&h.root.join(name).join("res/shot.png"), &[0u8; 4096]);
    }
    let out = h.run(&["build"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("left by an interrupted build"),
        "{}",
        out.stderr
    );
    let left: Vec<String> = tree(&h.root)
        .into_iter()
        .filter(|p| p.contains("stepbook-new") || p.contains("stepbook-old"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// Item 4: a `res/` that is a symbolic link to an outside folder, or `src`/`resources` set to
/// `../x` or an absolute path, got outside files published (a secret file). One rule for folders
/// and files: nothing outside the project is read or published unless `allow-outside` names it.
#[cfg(unix)]
#[test]
fn nothing_outside_the_project_is_published_unless_allowed() {
    let h = Project::with(&[
        ("book.toml", "[book]\ntitle = \"T\"\n"),
        ("content/a.md", "# A\n\n![Shot](res/shot.png)\n"),
    ]);
    let secrets = h.outer.path().join("secrets");
    write_file(&secrets.join("shot.png"), &crate::support::png(2, 2));
    write_file(&secrets.join("id_rsa"), b"PRIVATE KEY");
    let abs = secrets.display().to_string();
    std::os::unix::fs::symlink(&secrets, h.root.join("res")).expect("link");
    let published = |h: &Project| {
        tree(&h.root)
            .into_iter()
            .filter(|p| p.starts_with("book/") && p.ends_with("id_rsa"))
            .count()
    };
    let out = h.run(&["build"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains(&format!(
            "resource folder res is {abs} through a symbolic link, outside the project folder"
        )),
        "{}",
        out.stderr
    );
    assert_eq!(published(&h), 0);
    assert_eq!(h.run(&["check"]).code, 2);
    std::fs::remove_file(h.root.join("res")).expect("unlink");
    for config in [
        "[book]\ntitle = \"T\"\n\n[check]\nresources = [\"../secrets\"]\n".to_string(),
        format!("[book]\ntitle = \"T\"\n\n[check]\nresources = [\"{abs}\"]\n"),
        "[book]\ntitle = \"T\"\nsrc = \"../secrets\"\n".to_string(),
    ] {
        h.write("book.toml", &config);
        let out = h.run(&["build"]);
        assert_eq!(out.code, 2, "{config}: {}", out.stderr);
        assert!(out.stderr.contains("allow-outside"), "{}", out.stderr);
        assert_eq!(published(&h), 0, "{config}");
    }
    // Named explicitly: allowed.
    h.write(
        "book.toml",
        "[book]\ntitle = \"T\"\n\n[check]\nresources = [\"../secrets\"]\nallow-outside = [\"../secrets\"]\n",
    );
    let out = h.run(&["build"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(h.root.join("book/secrets/shot.png").is_file());
}

/// A `[[scopes]] file` outside the project was read without `allow-outside`: the same rule as
/// for the content and resource folders applies to it.
#[test]
fn a_scopes_file_outside_the_project_needs_allow_outside() {
    let h = Project::with(&[("content/a.md", "# A\n\n- openid\n")]);
    write_file(&h.outer.path().join("scopes.txt"), b"openid\n");
    let config = |allow: &str| {
        format!(
            "[book]\ntitle = \"T\"\n\n[check]\n{allow}\n[[scopes]]\nname = \"S\"\nguides = [\"a.md\"]\nfile = \"../scopes.txt\"\npattern = \"(.+)\"\n"
        )
    };
    h.write("book.toml", &config(""));
    let out = h.run(&["check"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("book.toml:9:") && out.stderr.contains("outside the project folder"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("allow-outside"), "{}", out.stderr);
    h.write("book.toml", &config("allow-outside = [\"..\"]\n"));
    let out = h.run(&["check"]);
    assert_ne!(out.code, 2, "{}", out.stderr);
    assert!(
        !out.stderr.contains("outside the project"),
        "{}",
        out.stderr
    );
}

/// Item 7: `check --fix` rewrote a read-only (0444) file, because the fix is written through a
/// temporary file renamed over the page, which the file's own bits do not stop. The permission
/// bits are now read before writing, so this holds for root too (the tests run as root).
#[cfg(unix)]
#[test]
fn fix_leaves_a_read_only_file_alone_and_says_so() {
    use std::os::unix::fs::PermissionsExt;
    let text = "# A\n\nIntro.\n\n    > **Note:** hi\n    > there\n\nEnd.\n";
    let h = Project::with(&[("a.md", text)]);
    let path = h.root.join("a.md");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let out = h.run(&["check", "--fix"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("warning: not fixing a.md: it is read-only (its permissions allow no writing); 1 fix not applied"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("fixed 1"), "{}", out.stderr);
    assert_eq!(h.read("a.md"), text);
    let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
    assert_eq!(mode & 0o777, 0o444);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    assert_eq!(h.run(&["check", "--fix"]).code, 0);
}

/// Runs `stepbook ARGS…` in `cwd`, killed after 60 s: a run that blocks fails the test instead
/// of hanging the suite.
fn run_or_kill(cwd: &std::path::Path, args: &[&str]) -> (Option<i32>, String) {
    use std::time::{Duration, Instant};
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_stepbook"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run stepbook");
    let start = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            child.kill().expect("kill");
            child.wait().expect("reap");
            return (None, String::new());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().expect("output");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[cfg(unix)]
#[test]
fn a_fifo_named_like_a_config_or_an_included_file_does_not_block_a_run() {
    let project = Project::new()
        .file(
            "src/content/docs/index.md",
            "# Home\n\n{{#include listing.rs}}\n",
        )
        .file(
            "src/content/docs/other.md",
            "# Other\n\nSee [home](./index.md).\n",
        );
    for fifo in [
        "astro.config.mjs",
        "docusaurus.config.js",
        "mkdocs.yml",
        "src/content/docs/listing.rs",
    ] {
        let path = project.path().join(fifo);
        let made = std::process::Command::new("mkfifo")
            .arg(&path)
            .status()
            .expect("mkfifo runs");
        assert!(made.success(), "mkfifo {fifo}");
    }
    // Read as before the FIFOs existed: no configuration, two pages, no finding.
    let (code, stderr) = run_or_kill(project.path(), &["check", "."]);
    assert_eq!(code, Some(0), "check ends: {stderr}");
    // As an mdBook book, the included FIFO is a broken include.
    project.write("book.toml", "[book]\nsrc = \"src/content/docs\"\n");
    let (code, stderr) = run_or_kill(project.path(), &["check", "."]);
    assert_eq!(code, Some(1), "check ends with its finding: {stderr}");
    let found: Vec<String> = project
        .run(&["check", ".", "--format", "json"])
        .json()
        .iter()
        .map(|d| format!("{} {}:{}", d["rule"], d["file"], d["line"]))
        .collect();
    assert_eq!(
        found,
        ["\"broken-include\" \"src/content/docs/index.md\":3"]
    );
}

/// A page and an image whose modification time lies past 2262 (`touch -d 3000-01-01`; ext4
/// keeps it as the year 2446), more nanoseconds than an i64 holds: the cache stamps saturate,
/// and check and build work twice (the second from the cache) instead of panicking.
#[test]
fn files_with_far_future_times_are_checked_and_built() {
    let p = Project::new()
        .file("README.md", "# Home\n\n![Shot](shot.png)\n")
        .bytes("shot.png", &crate::support::png(2, 2));
    let future = std::time::UNIX_EPOCH + std::time::Duration::from_secs(15_032_385_535);
    for f in ["README.md", "shot.png"] {
        let file = std::fs::File::options()
            .write(true)
            .open(p.path().join(f))
            .expect("open");
        file.set_modified(future).expect("set the time");
    }
    for _ in 0..2 {
        let run = p.run(&["build"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(run.stderr, "no problems found in 1 page\n");
        let run = p.run(&["check"]);
        assert_eq!(
            (run.code, run.stdout.as_str()),
            (0, "no problems found in 1 page\n")
        );
    }
    assert_eq!(
        std::fs::read(p.path().join("book/shot.png")).expect("published"),
        crate::support::png(2, 2)
    );
}
