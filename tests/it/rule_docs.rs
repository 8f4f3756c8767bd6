//! Every registered rule's documentation is run, so that `stepbook explain` never lies: the
//! failing example gives exactly the findings of the rule that it announces, the passing example
//! none.
//!
//! Convention for `rules/<id>.md`: in `## Failing example` and `## Passing example`, the first
//! fenced block whose info string is `markdown` (without `path=`) is the page under test, written
//! as `README.md` at the root of a temporary project without book.toml. Further fenced blocks
//! with `path=` in the info string add files: ```` ```markdown path=setup.md ```` (another page),
//! ```` ```png path=res/shot.png ```` with an empty body (a real small image is written there),
//! ```` ```text path=res/shot.png ```` (the body written as-is), ```` ```toml path=book.toml ````
//! (configuration).
//!
//! The failing example announces its findings with `expect=LINE[,LINE…]` in the info string of
//! the block they are in (```` ```markdown expect=3 ````, ```` ```png path=res/old.png expect=1 ````):
//! the rule's findings on the example are exactly those (file, line) pairs, one per listed line.

use std::path::Path;

use stepbook::check::RULES;

use crate::support::{Project, findings, png, run_in, write_file};

/// One fenced block of a docs file.
#[derive(Debug, Clone, PartialEq)]
struct Fence {
    /// The `## ` section it sits in (`Failing example`).
    section: String,
    /// First word of the info string (`markdown`, `png`).
    lang: String,
    /// The `path=` value, if any.
    path: Option<String>,
    /// The `expect=` lines: where the rule's findings in this block's file are.
    expect: Vec<usize>,
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
                    let attrs: Vec<&str> = words.collect();
                    let path = attrs
                        .iter()
                        .find_map(|w| w.strip_prefix("path="))
                        .map(|p| p.trim_matches('"').to_string());
                    let expect = attrs
                        .iter()
                        .find_map(|w| w.strip_prefix("expect="))
                        .map(|lines| {
                            lines
                                .split(',')
                                .map(|l| l.parse().expect("expect= takes line numbers"))
                                .collect()
                        })
                        .unwrap_or_default();
                    out.push(Fence {
                        section: section.clone(),
                        lang,
                        path,
                        expect,
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
fn write_example(id: &str, blocks: &[Fence], section: &str) -> Project {
    let dir = Project::new();
    let in_section: Vec<&Fence> = blocks.iter().filter(|f| f.section == section).collect();
    let page = in_section
        .iter()
        .find(|f| f.lang == "markdown" && f.path.is_none())
        .unwrap_or_else(|| panic!("{id}: `## {section}` has no ```markdown block"));
    dir.write("README.md", &page.body);
    for f in in_section.iter().filter(|f| f.path.is_some()) {
        let rel = f.path.as_deref().expect("filtered on path");
        assert!(
            !rel.starts_with('/') && !rel.split('/').any(|s| s == ".."),
            "{id}: path={rel} must stay inside the example project"
        );
        let is_image = matches!(
            f.lang.as_str(),
            "png" | "jpg" | "jpeg" | "gif" | "webp" | "bmp"
        );
        if is_image && f.body.trim().is_empty() {
            write_file(&dir.path().join(rel), &png(4, 3));
        } else {
            dir.write(rel, &f.body);
        }
    }
    dir
}

/// The findings of rule `id` on the example of `section` as (file, line), sorted, and every
/// finding printed (for failure messages).
fn findings_of(id: &str, blocks: &[Fence], section: &str) -> (Vec<(String, usize)>, String) {
    let dir = write_example(id, blocks, section);
    let report = dir.check();
    let mut mine: Vec<(String, usize)> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule == id)
        .map(|d| (d.file.clone(), report.locate(d).start.line))
        .collect();
    mine.sort();
    (mine, findings(&report))
}

/// The (file, line) pairs the `expect=` attributes of `section`'s blocks announce, sorted.
fn announced(blocks: &[Fence], section: &str) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = blocks
        .iter()
        .filter(|f| f.section == section)
        .flat_map(|f| {
            let file = f.path.clone().unwrap_or_else(|| "README.md".to_string());
            f.expect.iter().map(move |l| (file.clone(), *l))
        })
        .collect();
    out.sort();
    out
}

#[test]
fn every_rules_examples_do_what_its_docs_say() {
    assert!(!RULES.is_empty());
    let mut problems = Vec::new();
    for rule in RULES {
        let m = rule.meta();
        let blocks = fences(m.docs);
        let expected = announced(&blocks, "Failing example");
        if expected.is_empty() {
            problems.push(format!(
                "{}: the failing example announces no finding: add `expect=LINE` to the info \
                 string of the block the finding is in (```markdown expect=3)",
                m.id
            ));
        }
        // Rules that need the network run only with `--external`, which this harness does not
        // set (no test may reach the internet): tests/it/external_link.rs runs external-link's
        // failing example against a local server and checks its `expect=` there.
        if m.id != "external-link" {
            let (failing, all) = findings_of(m.id, &blocks, "Failing example");
            if failing != expected {
                problems.push(format!(
                    "{}: the failing example gives {} findings at {failing:?}, its docs announce \
                     {expected:?}; all findings:\n{all}",
                    m.id, m.id
                ));
            }
        }
        let (passing, all) = findings_of(m.id, &blocks, "Passing example");
        if !passing.is_empty() {
            problems.push(format!(
                "{}: the passing example gives {passing:?}; all findings:\n{all}",
                m.id
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn fences_are_read_with_sections_and_paths() {
    let docs = "# r\n\n## Failing example\n\n````markdown expect=1,3\n## Step 1\n\n```sh\nx\n```\n````\n\n```png path=res/a.png expect=1\n```\n\n## Passing example\n\n~~~markdown\nok\n~~~\n";
    let f = fences(docs);
    assert_eq!(f.len(), 3, "{f:?}");
    assert_eq!(f[0].section, "Failing example");
    assert_eq!(f[0].lang, "markdown");
    assert_eq!(f[0].body, "## Step 1\n\n```sh\nx\n```\n");
    assert_eq!(f[0].expect, [1, 3]);
    assert_eq!(f[1].path.as_deref(), Some("res/a.png"));
    assert_eq!(
        announced(&f, "Failing example"),
        [
            ("README.md".to_string(), 1),
            ("README.md".to_string(), 3),
            ("res/a.png".to_string(), 1)
        ]
    );
    assert_eq!(f[1].body, "");
    assert_eq!(f[2].section, "Passing example");
    assert_eq!(f[2].body, "ok\n");

    let dir = write_example("t", &f, "Failing example");
    assert!(dir.path().join("README.md").is_file());
    let png = std::fs::read(dir.path().join("res/a.png")).expect("png written");
    assert_eq!(&png[..4], b"\x89PNG");
}

fn run_cli(args: &[&str]) -> crate::support::Run {
    run_in(crate::support::repo(), args)
}

/// An unknown id gets the closest rule, or, when none is close, where the list is.
#[test]
fn explain_of_an_unknown_rule_says_what_to_run() {
    for (id, message) in [
        (
            "brokn-link",
            "unknown rule `brokn-link`; did you mean `broken-link`?",
        ),
        (
            "bogus",
            "unknown rule `bogus`; `stepbook rules` lists every rule",
        ),
    ] {
        let out = run_cli(&["explain", id]);
        assert_eq!(out.code, 2, "{out:?}");
        assert!(out.stderr.contains(message), "{}", out.stderr);
    }
}

#[test]
fn explain_prints_the_rule_docs() {
    let out = run_cli(&["explain", "broken-step-ref"]);
    assert_eq!(out.code, 0, "{out:?}");
    let stdout = &out.stdout;
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

/// `expect=` is a test marker: `explain` shows readers the examples without it, and without a
/// blank line run before the first section.
#[test]
fn explain_prints_no_test_markers() {
    for rule in RULES {
        let id = rule.meta().id;
        let out = run_cli(&["explain", id]);
        assert_eq!(out.code, 0, "{out:?}");
        assert!(!out.stdout.contains("expect="), "{id}: {}", out.stdout);
        assert!(!out.stdout.contains("\n\n\n"), "{id}: {}", out.stdout);
        assert!(
            out.stdout.contains("\n\n## What it does\n"),
            "{id}: {}",
            out.stdout
        );
    }
    let out = run_cli(&["explain", "broken-link"]);
    assert!(out.stdout.contains("\n```markdown\n"), "{}", out.stdout);
}

#[test]
fn explain_unknown_rule_exits_2_and_suggests_the_closest_id() {
    let out = run_cli(&["explain", "step-sequnce"]);
    assert_eq!(out.code, 2, "{out:?}");
    let stderr = &out.stderr;
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
