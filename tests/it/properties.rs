//! Property test (issue 8): generated Markdown pages, SUMMARY.md files and front matter go
//! through `check` and `build` (the real binary), and whatever the input, the promises hold:
//!
//! - the exit code is 0, 1 or 2 (never a panic's 101 or an abort's 134);
//! - nothing outside the build dir changes: the files of the temporary folder that holds the
//!   project (and room beside it) are the same, byte for byte, before and after, apart from the
//!   build dir itself.
//!
//! The run is stable: 64 cases from a fixed seed. `PROPTEST_CASES=N` runs more and
//! `STEPBOOK_PROPTEST_SEED=N` picks another seed, for a longer hunt.

use std::collections::BTreeMap;
use std::path::Path;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};

use crate::support::{Project, write_file};

/// One block of a generated page: the shapes the rules and the renderer care about, plus
/// arbitrary text.
fn block() -> impl Strategy<Value = String> {
    prop_oneof![
        "# [A-Za-z ✅é]{0,12}\n".prop_map(|s| s),
        "#{2,3} Step [0-9]{1,3}[:.]? [a-z ]{0,10}\n",
        "(See|see|In) [Ss]teps? [0-9]{1,3}(–[0-9]{1,2})?\\.\n",
        "[ ]{0,6}[-*+] [a-z`]{0,8}\n",
        "[ ]{0,4}[0-9]{1,2}[.)] [a-z]{0,8}\n",
        "\\[[a-z]{0,5}\\]\\((p[0-3]\\.md|gone\\.md|res/x\\.png|\\.\\./\\.\\./etc/passwd|/abs|#[a-z]{0,4}|https?://x)(#[a-z-]{0,6})?\\)\n",
        "!\\[[a-z]{0,4}\\]\\((res/x\\.png|res/bad\\.png|res|missing\\.png|\\.\\./outside\\.png)\\)\n",
        "<img src=\"(res/x\\.png|y\\.png|\\.\\./z\\.png)\"( alt=\"\")?>\n",
        "```[a-z]{0,4}\n[a-z <>&]{0,10}\n```\n",
        "    (> \\*\\*Note:\\*\\* [a-z]{0,5}|- [a-z]{0,4}|!\\[a\\]\\(b\\.png\\))\n",
        "\\[[a-z]{1,3}\\]\\[[a-z]{1,3}\\]\n",
        "\\[[a-z]{1,3}\\]: [a-z]{1,5}\\.md\n",
        "<!-- stepbook-ignore [a-z-]{0,14}: [a-z]{0,4} -->\n",
        "\\| Scope \\|\n\\|---\\|\n\\| `[a-z_]{1,8}` \\|\n",
        "(Scopes?|scope): `[a-z_:.]{1,10}`(, `[a-z_]{1,6}`)?\n",
        "> \\[!(NOTE|WARNING)\\]\n> [a-z]{0,6}\n",
        "\\{\\{#(include|title) [a-z./]{0,8}\\}\\}\n",
        Just("\r".to_string()),
        Just("\r\n".to_string()),
        Just("\n".to_string()),
        "\\PC{0,24}",
        "[-#>*`\\[\\]()!<{}|\\\\ \n]{0,16}",
    ]
}

/// Optional front matter: none, a valid one, or arbitrary text between `---` lines.
fn front_matter() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "---\ntitle: [A-Za-z ]{1,8}\nweight: -?[0-9]{1,3}\n(draft: (true|false)\n)?---\n",
        "---\n(scopes: \\[[a-z]{1,4}\\]\n|description: [a-z]{0,8}\n)?---\n",
        "---\n\\PC{0,30}\n---\n",
    ]
}

/// A page: front matter and up to 24 blocks.
fn page() -> impl Strategy<Value = String> {
    (front_matter(), prop::collection::vec(block(), 0..24))
        .prop_map(|(fm, blocks)| format!("{fm}{}", blocks.concat()))
}

/// A SUMMARY.md: nested list lines (sometimes deeper than the cap), parts, separators, drafts.
fn summary() -> impl Strategy<Value = Option<String>> {
    let line = prop_oneof![
        (0usize..20, "[a-z]{0,5}", "(p[0-3]\\.md|gone\\.md|dir/|)")
            .prop_map(|(depth, t, dest)| format!("{}- [{t}]({dest})\n", "  ".repeat(depth))),
        "# [A-Za-z]{1,6}\n",
        Just("---\n".to_string()),
        "\\[[a-z]{1,4}\\]\\(p[0-3]\\.md\\)\n",
        (0usize..300).prop_map(|n| format!("{}[deep](p0.md)\n", "- ".repeat(n))),
        "\\PC{0,16}\n",
    ];
    prop::option::of(prop::collection::vec(line, 0..16).prop_map(|l| l.concat()))
}

/// A whole project: up to four pages, maybe a SUMMARY.md, maybe a book.toml.
#[derive(Debug, Clone)]
struct Input {
    pages: Vec<String>,
    summary: Option<String>,
    config: bool,
}

fn input() -> impl Strategy<Value = Input> {
    (
        prop::collection::vec(page(), 1..5),
        summary(),
        any::<bool>(),
    )
        .prop_map(|(pages, summary, config)| Input {
            pages,
            summary,
            config,
        })
}

/// Every file below `dir` (relative path → bytes), except below `skip`.
fn files(dir: &Path, skip: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        // stepbook's own cache (image facts, derivatives, scope sources) is not output.
        .filter_entry(|e| e.path() != skip && e.file_name() != ".stepbook-cache")
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("below")
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).unwrap_or_default())
        })
        .collect()
}

/// Writes `input` as a project, runs `check` and `build`, and checks the promises.
fn holds(input: &Input) -> Result<(), TestCaseError> {
    let p = Project::new();
    let content = if input.config {
        p.write("book.toml", "[book]\ntitle = \"Generated\"\n");
        "content/"
    } else {
        ""
    };
    for (i, text) in input.pages.iter().enumerate() {
        p.write(&format!("{content}p{i}.md"), text);
    }
    if let Some(s) = &input.summary {
        p.write(&format!("{content}SUMMARY.md"), s);
    }
    write_file(
        &p.root.join(format!("{content}res/x.png")),
        &crate::support::png(2, 2),
    );
    write_file(
        &p.root.join(format!("{content}res/bad.png")),
        b"\x89PNG\r\n\x1a\nbroken",
    );
    write_file(
        &p.outer.path().join("outside.png"),
        &crate::support::png(1, 1),
    );
    let book = p.root.join("book");
    let before = files(p.outer.path(), &book);
    // `build` runs the checks too and prints them with the human formatter.
    for args in [&["check", "--format", "json"][..], &["build"]] {
        let out = p.run(args);
        prop_assert!(
            (0..=2).contains(&out.code),
            "stepbook {args:?} exited {}:\n{}",
            out.code,
            out.stderr
        );
    }
    let after = files(p.outer.path(), &book);
    prop_assert!(before == after, "files outside the build dir changed");
    Ok(())
}

/// 64 cases (`PROPTEST_CASES` for a longer hunt) from a fixed seed (`STEPBOOK_PROPTEST_SEED`),
/// so a run is repeatable and a failure is not persisted into the source tree.
fn config() -> Config {
    let var = |name: &str| std::env::var(name).ok().and_then(|n| n.parse().ok());
    Config {
        cases: var("PROPTEST_CASES").map_or(64, |n: u64| n as u32),
        rng_seed: RngSeed::Fixed(var("STEPBOOK_PROPTEST_SEED").unwrap_or(0x5eed_8008)),
        failure_persistence: None,
        ..Config::default()
    }
}

#[test]
fn generated_projects_keep_exit_codes_and_write_only_the_build_dir() {
    let config = Config {
        max_shrink_iters: 256,
        ..config()
    };
    let mut runner = TestRunner::new(config);
    if let Err(e) = runner.run(&input(), |i| holds(&i)) {
        panic!("{e}");
    }
}

/// The fuzz targets' bodies (`fuzz/`, nightly only) on generated pages and arbitrary bytes,
/// in-process: no panic. 64 cases here; a hunt runs more with `PROPTEST_CASES`.
#[test]
fn fuzz_targets_do_not_panic_on_generated_input() {
    let config = config();
    let bytes = prop_oneof![
        page().prop_map(String::into_bytes),
        prop::collection::vec(any::<u8>(), 0..512),
    ];
    let mut runner = TestRunner::new(config);
    let result = runner.run(&bytes, |data| {
        stepbook::fuzz::page_parser(&data);
        stepbook::fuzz::check_run(&data);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}
