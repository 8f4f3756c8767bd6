//! Unit tests of the directive expansion.

use super::*;

fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (p, t) in files {
        let path = dir.path().join(p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, t).unwrap();
    }
    dir
}

fn run(dir: &Path, page: &str) -> Expansion {
    let path = dir.join(page);
    let text = std::fs::read_to_string(&path).unwrap();
    let opts = IncludeOptions {
        root: dir.to_path_buf(),
        boundary: dir.to_path_buf(),
        enabled: true,
        mkdocs_blocks: false,
        directives: false,
        append: Vec::new(),
    };
    expand(&text, &path, page, &opts)
}

const FIVE: &str = "Lorem\nipsum\ndolor\nsit\namet\n";

#[test]
fn line_ranges_follow_mdbook() {
    let d = project(&[("src/a.txt", FIVE), ("src/p.md", "")]);
    for (spec, want) in [
        ("", "Lorem\nipsum\ndolor\nsit\namet"),
        (":2", "ipsum"),
        (":2:3", "ipsum\ndolor"),
        (":4:", "sit\namet"),
        ("::2", "Lorem\nipsum"),
    ] {
        std::fs::write(
            d.path().join("src/p.md"),
            format!("{{{{#include a.txt{spec}}}}}\n"),
        )
        .unwrap();
        let ex = run(d.path(), "src/p.md");
        assert_eq!(ex.text, format!("{want}\n"), "{spec}");
        assert!(ex.problems.is_empty(), "{spec}: {:?}", ex.problems);
    }
}

#[test]
fn anchors_and_rustdoc_include() {
    let rs = "use x;\n// ANCHOR: main\nfn main() {\n    // ANCHOR: inner\n    go();\n    // ANCHOR_END: inner\n}\n// ANCHOR_END: main\n";
    let d = project(&[
        ("src/m.rs", rs),
        (
            "src/p.md",
            "```rust\n{{#include m.rs:main}}\n```\n\n```rust\n{{#rustdoc_include m.rs:inner}}\n```\n\n```rust\n{{#rustdoc_include m.rs:2:3}}\n```\n",
        ),
    ]);
    let ex = run(d.path(), "src/p.md");
    assert!(ex.problems.is_empty(), "{:?}", ex.problems);
    assert_eq!(
        ex.text,
        "```rust\nfn main() {\n    go();\n}\n```\n\n```rust\n# use x;\n# fn main() {\n    go();\n# }\n```\n\n```rust\n# use x;\n// ANCHOR: main\nfn main() {\n#     // ANCHOR: inner\n#     go();\n#     // ANCHOR_END: inner\n# }\n# // ANCHOR_END: main\n```\n"
    );
}

#[test]
fn playground_title_escape_and_prefix() {
    let d = project(&[
        ("src/ex.rs", "fn main() {}"),
        ("src/part.md", "one\ntwo\n"),
        (
            "src/p.md",
            "{{#title Custom}}\n# P\n\n{{#playground ex.rs editable}}\n\n\\{{#include nope.md}}\n\n- item: {{#include part.md}}\n",
        ),
    ]);
    let ex = run(d.path(), "src/p.md");
    assert_eq!(ex.title.as_deref(), Some("Custom"));
    assert!(ex.problems.is_empty(), "{:?}", ex.problems);
    assert_eq!(
        ex.text,
        "\n# P\n\n```rust,editable\nfn main() {}\n```\n\n{{#include nope.md}}\n\n- item: one\n- item: two\n"
    );
}

#[test]
fn source_map_names_the_included_file_and_line() {
    let d = project(&[
        ("listings/x.md", "a\nb [bad](nowhere.md)\n"),
        (
            "src/p.md",
            "# P\n\nintro\n\n{{#include ../listings/x.md}}\n\nend\n",
        ),
    ]);
    let ex = run(d.path(), "src/p.md");
    let map = ex.map.as_ref().unwrap();
    let at = ex.text.find("[bad]").unwrap();
    let (file, span) = map.locate(Span::new(at, at + 5));
    assert_eq!(map.files()[file].file, "listings/x.md");
    assert_eq!(&map.files()[file].text[span.start..span.end], "[bad]");
    let at = ex.text.find("end").unwrap();
    let (file, span) = map.locate(Span::new(at, at + 3));
    assert_eq!(file, 0);
    assert_eq!(&map.files()[0].text[span.start..span.end], "end");
}

#[test]
fn broken_includes_are_problems_at_the_directive() {
    let d = project(&[
        ("src/a.txt", FIVE),
        ("src/loop1.md", "x\n{{#include loop2.md}}\n"),
        ("src/loop2.md", "{{#include loop1.md}}\n"),
        (
            "src/p.md",
            "{{#include missing.rs}}\n{{#include a.txt:9}}\n{{#include a.txt:2:40}}\n{{#include a.txt:nope}}\n{{#include loop1.md}}\n",
        ),
    ]);
    let ex = run(d.path(), "src/p.md");
    let map = ex.map.as_ref().unwrap();
    let got: Vec<(String, usize, String)> = ex
        .problems
        .iter()
        .map(|p| {
            let file = &map.files()[p.file];
            let line = file.text[..p.span.start].matches('\n').count() + 1;
            (file.file.clone(), line, p.message.clone())
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "src/p.md".to_string(),
                1,
                "missing.rs does not exist (resolved to src/missing.rs)".to_string()
            ),
            (
                "src/p.md".into(),
                2,
                "the range starts at line 9 but src/a.txt has 5 lines".into()
            ),
            (
                "src/p.md".into(),
                4,
                "src/a.txt has no anchor `nope`".into()
            ),
            (
                "src/loop2.md".into(),
                1,
                "include cycle: src/loop1.md → src/loop2.md → src/loop1.md".into()
            ),
        ]
    );
    // Unexpandable directives stay as written.
    assert!(ex.text.starts_with("{{#include missing.rs}}\n"));
}

#[test]
fn outside_the_boundary_is_refused() {
    let d = project(&[
        ("outside.txt", "secret"),
        ("p/src/p.md", "{{#include ../../outside.txt}}\n"),
    ]);
    let path = d.path().join("p/src/p.md");
    let opts = IncludeOptions {
        root: d.path().join("p"),
        boundary: d.path().join("p"),
        enabled: true,
        mkdocs_blocks: false,
        directives: false,
        append: Vec::new(),
    };
    let ex = expand(
        &std::fs::read_to_string(&path).unwrap(),
        &path,
        "src/p.md",
        &opts,
    );
    assert_eq!(ex.problems.len(), 1);
    assert!(
        ex.problems[0].message.contains("outside the book folder"),
        "{:?}",
        ex.problems
    );
    assert!(!ex.text.contains("secret"));
    // A path outside the book is shown absolute, not as a run of `..`.
    let outside = d.path().join("outside.txt").display().to_string();
    assert!(
        ex.problems[0].message.ends_with(&format!("({outside})")),
        "{:?}",
        ex.problems
    );
}

#[test]
fn replaced_text_keeps_the_map_around_the_change() {
    let mut ex = expand(
        "# A\n\nold words\n\n[x](y.md)\n",
        Path::new("a.md"),
        "a.md",
        &IncludeOptions::for_project(Path::new(".")),
    );
    ex.replace_text(
        "# A\n\nnew, longer words\n\n[x](y.md)\n".into(),
        Path::new("a.md"),
        "a.md",
    );
    let map = ex.map.as_ref().unwrap();
    let at = ex.text.find("[x]").unwrap();
    let (file, span) = map.locate(Span::new(at, at + 3));
    assert_eq!(file, 0);
    assert_eq!(&map.files()[0].text[span.start..span.end], "[x]");
    let at = ex.text.find("longer").unwrap();
    assert_eq!(map.locate(Span::new(at, at + 6)).1.start, 5);
    // A change in the middle and lines added at the end keep the lines in between.
    let mut ex = expand(
        "a\nb PLACE\nc\n[x](y.md)\n",
        Path::new("a.md"),
        "a.md",
        &IncludeOptions::for_project(Path::new(".")),
    );
    ex.replace_text(
        "a\nb done\nc\n[x](y.md)\n\nadded\n".into(),
        Path::new("a.md"),
        "a.md",
    );
    let map = ex.map.as_ref().unwrap();
    let at = ex.text.find("[x]").unwrap();
    assert_eq!(map.locate(Span::new(at, at + 3)).1, Span::new(12, 15));
    assert_eq!(ex.text, "a\nb done\nc\n[x](y.md)\n\nadded\n");
}

#[test]
fn no_directive_no_map() {
    let ex = expand(
        "plain {{ text }}",
        Path::new("a.md"),
        "a.md",
        &IncludeOptions::for_project(Path::new(".")),
    );
    assert!(ex.map.is_none());
    assert_eq!(ex.text, "plain {{ text }}");
}
