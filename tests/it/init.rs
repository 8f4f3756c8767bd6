//! End-to-end tests of `stepbook init` (SPEC.md, Commands: "scaffolds a project that builds and
//! checks clean"): the real binary runs in temp dirs; a scaffolded project must build and
//! check with no finding at all, and an existing file must never change.

use crate::support::{Project, output as stepbook};

/// The files `init` creates, relative to the project folder.
const FILES: [&str; 4] = [
    "book.toml",
    "content/GUIDE.md",
    "res/example-window.png",
    ".gitignore",
];

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn init_creates_a_project_that_builds_and_checks_with_no_finding() {
    let tmp = Project::new();
    let out = stepbook(tmp.path(), &["init", "my-guides"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    for file in FILES {
        assert!(
            tmp.path().join("my-guides").join(file).is_file(),
            "{file} missing"
        );
        assert!(
            stdout.contains(&format!("  my-guides/{file}\n")),
            "{stdout}"
        );
    }
    assert!(!tmp.path().join("my-guides/templates").exists());
    assert!(stdout.contains("  cd my-guides\n"), "{stdout}");
    assert!(stdout.contains("  stepbook build "), "{stdout}");
    assert!(stdout.contains("  stepbook serve "), "{stdout}");

    let project = tmp.path().join("my-guides");
    let settings = stepbook::config::Settings::load(&project).unwrap();
    assert_eq!(settings.title, "my-guides");
    assert_eq!(settings.content_dir, project.join("content"));
    assert_eq!(settings.scopes.len(), 1);

    let build = stepbook(&project, &["build"]);
    assert_eq!(build.status.code(), Some(0), "{}", text(&build.stderr));
    let stderr = text(&build.stderr);
    assert!(
        !stderr.contains("error") && !stderr.contains("warning"),
        "{stderr}"
    );
    assert!(
        text(&build.stdout).starts_with("Built 1 page and 1 image into book/"),
        "{}",
        text(&build.stdout)
    );
    let html = std::fs::read_to_string(project.join("book/GUIDE.html")).unwrap();
    assert!(
        html.contains("res/example-window.png"),
        "screenshot not in the page"
    );
    assert!(project.join("book/res/example-window.png").is_file());

    let check = stepbook(&project, &["check", "--format", "json"]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stderr));
    let findings: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    assert_eq!(findings, serde_json::json!([]));
}

#[test]
fn the_example_guide_is_really_checked() {
    // The guide's scope list and steps are seen by the rules: breaking them gives findings, so
    // the clean result above is not a list the rules failed to find.
    let tmp = Project::new();
    assert_eq!(stepbook(tmp.path(), &["init"]).status.code(), Some(0));
    let guide = tmp.path().join("content/GUIDE.md");
    let original = std::fs::read_to_string(&guide).unwrap();
    let broken = original
        .replace("- `items:write`\n", "")
        .replace("## Step 3:", "## Step 4:");
    std::fs::write(&guide, broken).unwrap();
    let check = stepbook(tmp.path(), &["check", "--format", "json"]);
    assert_eq!(check.status.code(), Some(1));
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&check.stdout).unwrap();
    let rules: Vec<&str> = findings
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["scope-missing", "step-sequence"]);
}

#[test]
fn init_without_dir_scaffolds_the_current_folder() {
    let tmp = Project::new();
    let dir = tmp.path().join("Team Guides");
    std::fs::create_dir(&dir).unwrap();
    let out = stepbook(&dir, &["init"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("  book.toml\n  content/GUIDE.md\n"),
        "{stdout}"
    );
    assert!(!stdout.contains("cd "), "{stdout}");
    let toml = std::fs::read_to_string(dir.join("book.toml")).unwrap();
    assert!(toml.contains("title = \"Team Guides\"\n"), "{toml}");
    assert_eq!(
        std::fs::read_to_string(dir.join(".gitignore")).unwrap(),
        "/book\n/.stepbook-cache\n"
    );
}

#[test]
fn an_existing_book_toml_stops_init_and_stays_byte_identical() {
    let tmp = Project::new();
    let mine = b"[book]\ntitle = \"Mine\"\n# my notes\n";
    std::fs::write(tmp.path().join("book.toml"), mine).unwrap();
    let out = stepbook(tmp.path(), &["init", "."]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("error: book.toml already exists;"),
        "{stderr}"
    );
    assert!(stderr.contains("--force"), "{stderr}");
    assert_eq!(std::fs::read(tmp.path().join("book.toml")).unwrap(), mine);
    // Nothing else was written either.
    let entries: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert_eq!(entries.len(), 1);
}

#[test]
fn every_existing_file_is_named() {
    let tmp = Project::new();
    assert_eq!(
        stepbook(tmp.path(), &["init", "docs"]).status.code(),
        Some(0)
    );
    let out = stepbook(tmp.path(), &["init", "docs"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    for file in FILES {
        assert!(stderr.contains(&format!("docs/{file}")), "{file}: {stderr}");
    }
}

#[test]
fn force_creates_the_missing_files_and_skips_the_existing_ones() {
    let tmp = Project::new();
    let toml = b"[book]\ntitle = \"Mine\"\n";
    let guide = b"# My own guide\n";
    std::fs::write(tmp.path().join("book.toml"), toml).unwrap();
    std::fs::create_dir(tmp.path().join("content")).unwrap();
    std::fs::write(tmp.path().join("content/GUIDE.md"), guide).unwrap();

    let out = stepbook(tmp.path(), &["init", "--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(std::fs::read(tmp.path().join("book.toml")).unwrap(), toml);
    assert_eq!(
        std::fs::read(tmp.path().join("content/GUIDE.md")).unwrap(),
        guide
    );
    assert!(tmp.path().join("res/example-window.png").is_file());
    assert!(tmp.path().join(".gitignore").is_file());
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(
            "Skipped (already there, left untouched):\n  book.toml\n  content/GUIDE.md\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains(":\n  res/example-window.png\n  .gitignore\n"),
        "{stdout}"
    );
}

#[test]
fn the_screenshot_is_a_real_png() {
    let tmp = Project::new();
    assert_eq!(stepbook(tmp.path(), &["init"]).status.code(), Some(0));
    let img = image::open(tmp.path().join("res/example-window.png")).unwrap();
    assert_eq!((img.width(), img.height()), (640, 400));
}

#[test]
fn a_file_as_dir_exits_2_naming_it() {
    let tmp = Project::new();
    std::fs::write(tmp.path().join("notes"), "x").unwrap();
    let out = stepbook(tmp.path(), &["init", "notes"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).starts_with("error: notes: not a folder"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(std::fs::read(tmp.path().join("notes")).unwrap(), b"x");
}
