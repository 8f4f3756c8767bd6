//! Every registered rule's documentation is run, so that `stepbook explain` never lies: the
//! failing example gives at least one finding of the rule, the passing example none.
//!
//! Convention for `rules/<id>.md`: in `## Failing example` and `## Passing example`, the first
//! fenced block whose info string is `markdown` (without `path=`) is the page under test, written
//! as `README.md` at the root of a temporary project without book.toml. Further fenced blocks
//! with `path=` in the info string add files: ```` ```markdown path=setup.md ```` (another page),
//! ```` ```png path=res/shot.png ```` with an empty body (a real small image is written there),
//! ```` ```text path=res/shot.png ```` (the body written as-is), ```` ```toml path=book.toml ````
//! (configuration).

use std::path::Path;
use std::process::Command;

use stepbook::check::{CheckOptions, RULES, run};
use stepbook::project::Project;

/// One fenced block of a docs file.
#[derive(Debug, Clone, PartialEq)]
struct Fence {
    /// The `## ` section it sits in (`Failing example`).
    section: String,
    /// First word of the info string (`markdown`, `png`).
    lang: String,
    /// The `path=` value, if any.
    path: Option<String>,
    /// The block's content, each line with its newline.
    body: String,
}

/// Every fenced block (``` or ~~~, CommonMark §4.5) of `docs`, with the section it is in.
/// `## ` lines inside a fence do not start a section.
fn fences(docs: &str) -> Vec<Fence> {
    let mut out = Vec::new();
    let mut section = String::new();
    // (fence char, fence length, info, body)
    let mut open: Option<(char, usize, String, String)> = None;
    for line in docs.split_inclusive('\n') {
        let trimmed = line.trim_end_matches(['\n', '\r']);
        let stripped = trimmed.trim_start_matches(' ');
        let fence_char = stripped.chars().next().filter(|c| *c == '`' || *c == '~');
        let run = fence_char.map_or(0, |c| stripped.chars().take_while(|x| *x == c).count());
        match &mut open {
            Some((c, len, info, body)) => {
                if fence_char == Some(*c) && run >= *len && stripped[run..].trim().is_empty() {
                    let mut words = info.split_whitespace();
                    let lang = words.next().unwrap_or("").to_string();
                    let path = words
                        .find_map(|w| w.strip_prefix("path="))
                        .map(|p| p.trim_matches('"').to_string());
                    out.push(Fence {
                        section: section.clone(),
                        lang,
                        path,
                        body: std::mem::take(body),
                    });
                    open = None;
                } else {
                    body.push_str(line);
                }
            }
            None => {
                if let Some(c) = fence_char.filter(|_| run >= 3) {
                    open = Some((c, run, stripped[run..].trim().to_string(), String::new()));
                } else if let Some(title) = trimmed.strip_prefix("## ") {
                    section = title.trim().to_string();
                }
            }
        }
    }
    out
}

/// Writes the example of `section` into a fresh temporary project and returns it.
fn write_example(id: &str, blocks: &[Fence], section: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let in_section: Vec<&Fence> = blocks.iter().filter(|f| f.section == section).collect();
    let page = in_section
        .iter()
        .find(|f| f.lang == "markdown" && f.path.is_none())
        .unwrap_or_else(|| panic!("{id}: `## {section}` has no ```markdown block"));
    std::fs::write(dir.path().join("README.md"), &page.body).expect("write README.md");
    for f in in_section.iter().filter(|f| f.path.is_some()) {
        let rel = f.path.as_deref().expect("filtered on path");
        assert!(
            !rel.starts_with('/') && !rel.split('/').any(|s| s == ".."),
            "{id}: path={rel} must stay inside the example project"
        );
        let dest = dir.path().join(rel);
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent).expect("create folder");
        }
        let is_image = matches!(
            f.lang.as_str(),
            "png" | "jpg" | "jpeg" | "gif" | "webp" | "bmp"
        );
        if is_image && f.body.trim().is_empty() {
            image::RgbImage::from_pixel(4, 3, image::Rgb([200, 200, 200]))
                .save(&dest)
                .unwrap_or_else(|e| panic!("{id}: cannot write image {rel}: {e}"));
        } else {
            std::fs::write(&dest, &f.body).expect("write example file");
        }
    }
    dir
}

/// The findings of rule `id` on the example of `section`, as printable lines.
fn findings(id: &str, blocks: &[Fence], section: &str) -> (Vec<String>, Vec<String>) {
    let dir = write_example(id, blocks, section);
    let project =
        Project::load(dir.path()).unwrap_or_else(|e| panic!("{id}: {section}: load failed: {e}"));
    let report = run(&project, &CheckOptions::default())
        .unwrap_or_else(|e| panic!("{id}: {section}: check failed: {e}"));
    let all: Vec<String> = report
        .diagnostics
        .iter()
        .map(|d| {
            let loc = report.locate(d);
            format!(
                "{}:{}:{} [{}] {}",
                d.file, loc.start.line, loc.start.column, d.rule, d.message
            )
        })
        .collect();
    let mine = report
        .diagnostics
        .iter()
        .zip(&all)
        .filter(|(d, _)| d.rule == id)
        .map(|(_, s)| s.clone())
        .collect();
    (mine, all)
}

#[test]
fn every_rules_examples_do_what_its_docs_say() {
    assert!(!RULES.is_empty());
    let mut problems = Vec::new();
    for rule in RULES {
        let m = rule.meta();
        let blocks = fences(m.docs);
        let (failing, all) = findings(m.id, &blocks, "Failing example");
        // Rules that need the network run only with `--external`, which this harness does not
        // set (no test may reach the internet): their failing example cannot fail here.
        // tests/external_link.rs runs external-link's failing example against a local server.
        let needs_network = m.id == "external-link";
        if failing.is_empty() && !needs_network {
            problems.push(format!(
                "{}: the failing example gives no {} finding; all findings: {all:?}",
                m.id, m.id
            ));
        }
        let (passing, _) = findings(m.id, &blocks, "Passing example");
        if !passing.is_empty() {
            problems.push(format!("{}: the passing example gives {passing:?}", m.id));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn fences_are_read_with_sections_and_paths() {
    let docs = "# r\n\n## Failing example\n\n````markdown\n## Step 1\n\n```sh\nx\n```\n````\n\n```png path=res/a.png\n```\n\n## Passing example\n\n~~~markdown\nok\n~~~\n";
    let f = fences(docs);
    assert_eq!(f.len(), 3, "{f:?}");
    assert_eq!(f[0].section, "Failing example");
    assert_eq!(f[0].lang, "markdown");
    assert_eq!(f[0].body, "## Step 1\n\n```sh\nx\n```\n");
    assert_eq!(f[1].path.as_deref(), Some("res/a.png"));
    assert_eq!(f[1].body, "");
    assert_eq!(f[2].section, "Passing example");
    assert_eq!(f[2].body, "ok\n");

    let dir = write_example("t", &f, "Failing example");
    assert!(dir.path().join("README.md").is_file());
    let png = std::fs::read(dir.path().join("res/a.png")).expect("png written");
    assert_eq!(&png[..4], b"\x89PNG");
}

fn run_cli(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_stepbook"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run stepbook")
}

#[test]
fn explain_prints_the_rule_docs() {
    let out = run_cli(&["explain", "broken-step-ref"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("broken-step-ref (default level: error)"),
        "{stdout}"
    );
    for heading in [
        "## What it does",
        "## Why it matters",
        "## Failing example",
        "## Passing example",
    ] {
        assert!(stdout.contains(heading), "missing {heading}: {stdout}");
    }
}

#[test]
fn explain_unknown_rule_exits_2_and_suggests_the_closest_id() {
    let out = run_cli(&["explain", "step-sequnce"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("unknown rule `step-sequnce`"), "{stderr}");
    assert!(stderr.contains("did you mean `step-sequence`?"), "{stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn every_rule_doc_file_sits_beside_its_module() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/check/rules");
    for rule in RULES {
        let id = rule.meta().id;
        let md = std::fs::read_to_string(dir.join(format!("{id}.md")))
            .unwrap_or_else(|e| panic!("{id}.md: {e}"));
        assert_eq!(md, rule.meta().docs, "{id}: docs are not rules/{id}.md");
        assert!(
            dir.join(format!("{}.rs", id.replace('-', "_"))).is_file(),
            "{id}: no module file"
        );
    }
}
