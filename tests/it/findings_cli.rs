//! The command line of issue 9: a folder with no Markdown page exits 2, the progress bar is
//! drawn on a pseudo-terminal and never into a pipe, and book.toml's errors and findings print
//! like findings (exact-text snapshots of the human format, and the `config` rule in JSON).

use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_stepbook");

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("folder");
    std::fs::write(path, text).expect("write");
}

fn stepbook(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CI")
        .output()
        .expect("run stepbook")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_folder_without_markdown_exits_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "empty/notes.txt", "not a page\n");
    let out = stepbook(dir.path(), &["check", "empty"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert_eq!(text(&out.stdout), "");
    assert_eq!(
        text(&out.stderr),
        "error: no Markdown pages found in empty\n"
    );
    // With a book.toml, the folder named is the content folder.
    write(dir.path(), "book/book.toml", "[book]\nsrc = \"pages\"\n");
    write(dir.path(), "book/pages/.keep", "");
    let out = stepbook(dir.path(), &["check", "book"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert_eq!(
        text(&out.stderr),
        "error: no Markdown pages found in book/pages\n"
    );
}

fn many_pages(dir: &Path) {
    for i in 1..=200 {
        write(
            dir,
            &format!("p{i}.md"),
            &format!(
                "# Page {i}\n\n## Step 1: Open\n\nSee [the next page](p{}.md).\n",
                i + 1
            ),
        );
    }
}

#[test]
fn progress_bar_on_a_terminal_and_never_in_a_pipe() {
    let dir = tempfile::tempdir().expect("temp dir");
    many_pages(dir.path());
    // `script` gives the command a pseudo-terminal; the bar shows at once with a zero delay.
    let shell = format!("{BIN} check .");
    let out = Command::new("script")
        .args(["-qec", &shell, "/dev/null"])
        .current_dir(dir.path())
        .env("STEPBOOK_PROGRESS_DELAY_MS", "0")
        .env("TERM", "xterm")
        .env("NO_COLOR", "1")
        .env_remove("CI")
        .output()
        .expect("script (util-linux) runs");
    let tty = text(&out.stdout);
    assert!(tty.contains("pages ["), "no bar on the terminal: {tty:?}");
    assert!(tty.contains("error: 1 error in 1 of 200 pages"), "{tty}");
    // Piped: no bar, no cursor control.
    let piped = Command::new(BIN)
        .args(["check", "."])
        .current_dir(dir.path())
        .env("STEPBOOK_PROGRESS_DELAY_MS", "0")
        .env("TERM", "xterm")
        .env("NO_COLOR", "1")
        .env_remove("CI")
        .output()
        .expect("run stepbook");
    let all = text(&piped.stdout) + &text(&piped.stderr);
    assert!(!all.contains("pages ["), "{all}");
    assert!(!all.contains('\u{1b}'), "{all:?}");
    assert!(all.ends_with("error: 1 error in 1 of 200 pages\n"), "{all}");
    // In CI, even on a terminal: no bar.
    let ci = Command::new("script")
        .args(["-qec", &shell, "/dev/null"])
        .current_dir(dir.path())
        .env("STEPBOOK_PROGRESS_DELAY_MS", "0")
        .env("TERM", "xterm")
        .env("NO_COLOR", "1")
        .env("CI", "true")
        .output()
        .expect("script runs");
    assert!(
        !text(&ci.stdout).contains("pages ["),
        "{}",
        text(&ci.stdout)
    );
}

#[test]
fn snapshot_book_toml_error_in_human_format() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "book.toml",
        "[book]\ntitel = \"Guides\"\n\n[check.rules]\norphan-image = \"allow\"\n",
    );
    write(dir.path(), "content/a.md", "# A\n");
    let out = stepbook(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stdout), "");
    assert_eq!(
        text(&out.stderr),
        "error[config]: unknown key `titel` in [book]
 --> book.toml:2:1
  |
2 | titel = \"Guides\"
  | ^^^^^
  |
  = help: did you mean `title`?

"
    );
    // An unknown rule id: the key's line, and the closest id.
    write(
        dir.path(),
        "book.toml",
        "[book]\ntitle = \"Guides\"\n\n[check.rules]\norphan-image = \"allow\"\nbrokn-link = \"warn\"\n",
    );
    let out = stepbook(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "error[config]: unknown rule `brokn-link` in [check.rules]
 --> book.toml:6:1
  |
6 | brokn-link = \"warn\"
  | ^^^^^^^^^^
  |
  = help: did you mean `broken-link`?

"
    );
    // In JSON, the same problem is a finding of rule `config` on stdout; exit 2 all the same.
    let out = stepbook(dir.path(), &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json[0]["rule"], "config");
    assert_eq!(json[0]["file"], "book.toml");
    assert_eq!(json[0]["line"], 6);
    assert_eq!(json[0]["help"], "did you mean `broken-link`?");
    // And in the other formats, at the same line.
    let out = stepbook(dir.path(), &["check", "--format", "github"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stdout).starts_with("::error file=book.toml,line=6,col=1,"),
        "{}",
        text(&out.stdout)
    );
    let out = stepbook(dir.path(), &["check", "--format", "sarif"]);
    assert_eq!(out.status.code(), Some(2));
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).expect("SARIF");
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "config");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"]["startLine"],
        6
    );
}

#[test]
fn snapshot_book_toml_finding_in_human_format() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "book.toml",
        "[book]\ntitle = \"Guides\"\n\n[[scopes]]\nname = \"Ads\"\nguides = [\"nothing.md\"]\nrequired = [\"r_ads\"]\n",
    );
    write(dir.path(), "content/a.md", "# A\n");
    let out = stepbook(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert_eq!(
        text(&out.stdout),
        "error[scope-missing]: scope source \"Ads\" governs no guide: no page matches guides = [\"nothing.md\"] and no front matter names it
 --> book.toml:5:1
  |
5 | name = \"Ads\"
  | ^^^^^^^^^^^^
  |
  = help: write `guides` relative to the content root (`CREDENTIALS.md`, `guides/*.md`), or name the source in a guide's front matter (`scopes: [\"Name\"]`)

error: 1 error in book.toml
"
    );
    // In JSON, the finding names book.toml's line too (it was 1:1 before book.toml was one of
    // the report's sources).
    let out = stepbook(dir.path(), &["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json[0]["file"], "book.toml");
    assert_eq!(json[0]["line"], 5);
    assert_eq!(json[0]["end_column"], 13);
    // A scope source that cannot be read: an error at its `file` key.
    write(
        dir.path(),
        "book.toml",
        "[book]\ntitle = \"Guides\"\n\n[[scopes]]\nname = \"Ads\"\nguides = [\"a.md\"]\nfile = \"scopes.json\"\n",
    );
    let out = stepbook(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.starts_with("error[config]: [[scopes]] source \"Ads\": cannot read file "),
        "{err}"
    );
    assert!(
        err.contains(
            " --> book.toml:7:1\n  |\n7 | file = \"scopes.json\"\n  | ^^^^^^^^^^^^^^^^^^^^\n"
        ),
        "{err}"
    );
}

#[test]
fn help_names_no_internal_module() {
    let dir = tempfile::tempdir().expect("temp dir");
    for cmd in [
        &["--help"][..],
        &["build", "--help"],
        &["check", "--help"],
        &["serve", "--help"],
        &["rules", "--help"],
        &["explain", "--help"],
        &["init", "--help"],
    ] {
        let out = stepbook(dir.path(), cmd);
        assert_eq!(out.status.code(), Some(0), "{cmd:?}");
        let help = text(&out.stdout);
        for internal in ["module", "src/", "::", ".rs", "crate"] {
            assert!(
                !help.contains(internal),
                "`stepbook {}` mentions `{internal}`:\n{help}",
                cmd.join(" ")
            );
        }
    }
}

/// `serve` prints the findings once at startup, then only what an edit changed: a new finding
/// in rustc style, a fixed one as one `fixed:` line; a save that changes no finding prints none.
#[test]
fn serve_prints_new_and_fixed_findings_once() {
    use std::io::BufRead;
    use std::sync::mpsc;
    use std::time::{Duration, Instant};

    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "a.md",
        "# A\n\n## Step 1: Open\n\nOpen it.\n\n## Step 2: Close\n\nAs in Step 6.\n",
    );
    let mut child = Command::new(BIN)
        .args(["serve", "--port", "0", "."])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn stepbook serve");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines() {
            if tx.send(line.unwrap_or_default()).is_err() {
                break;
            }
        }
    });
    // Lines up to (and including) the next one that starts with `until`.
    let read_until = |until: &str| -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut lines = Vec::new();
        while Instant::now() < deadline {
            if let Ok(line) = rx.recv_timeout(Duration::from_millis(100)) {
                let done = line.starts_with(until);
                lines.push(line);
                if done {
                    return lines;
                }
            }
        }
        panic!("no line starting with `{until}` within 30 s; got {lines:#?}");
    };
    let startup = read_until("serving ").join("\n");
    assert!(
        startup.contains(
            "error[broken-step-ref]: reference to Step 6, but this guide only has Steps 1 and 2"
        ),
        "{startup}"
    );
    assert!(startup.contains(" --> a.md:9:7"), "{startup}");
    // A save that moves the finding down a line: nothing new, nothing fixed.
    write(
        dir.path(),
        "a.md",
        "# A\n\nIntro.\n\n## Step 1: Open\n\nOpen it.\n\n## Step 2: Close\n\nAs in Step 6.\n",
    );
    let moved = read_until("rebuilt:").join("\n");
    assert!(!moved.lines().any(|l| l.starts_with("error[")), "{moved}");
    assert!(!moved.contains("fixed:"), "{moved}");
    // Fixing it prints one `fixed:` line; a new mistake prints the new finding.
    write(
        dir.path(),
        "a.md",
        "# A\n\nIntro.\n\n## Step 1: Open\n\nOpen it.\n\n## Step 2: Close\n\nAs in Step 1, see [b](b.md).\n",
    );
    // (A save may be seen as two rebuilds; the second one prints nothing new.)
    let mut fixed = String::new();
    while !fixed.contains("fixed:") {
        fixed.push_str(&read_until("rebuilt:").join("\n"));
        fixed.push('\n');
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        fixed.contains("fixed: error[broken-step-ref] a.md:11:7: reference to Step 6"),
        "{fixed}"
    );
    assert!(
        fixed.contains("error[broken-link]: b.md does not exist"),
        "{fixed}"
    );
    let new = fixed.lines().filter(|l| l.starts_with("error[")).count();
    assert_eq!(new, 1, "{fixed}");
}
