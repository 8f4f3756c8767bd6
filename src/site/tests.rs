use super::markup::explicit_id;
use super::*;
use std::path::PathBuf;

fn site(paths: &[&str]) -> SiteIndex {
    let mut s = SiteIndex::default();
    for p in paths {
        s.insert(p.to_string(), PathBuf::from(p));
    }
    s
}

fn github() -> SiteIndex {
    site(&[
        "README.md",
        "release notes.md",
        "guide/README.md",
        "reference/index.md",
        "lower/readme.md",
        "drafts/notes.txt",
        "res/Shot.png",
    ])
}

#[test]
fn resolves_like_github() {
    let s = github();
    assert_eq!(
        resolve(&s, "README.md", "release%20notes.md"),
        Target::Site {
            path: "release notes.md".into(),
            fragment: None,
            found: Found::File("release notes.md".into())
        }
    );
    assert!(
        matches!(resolve(&s, "README.md", "guide/"), Target::Site { found: Found::DirIndex(p), .. } if p == "guide/README.md")
    );
    assert!(
        matches!(resolve(&s, "README.md", "reference"), Target::Site { found: Found::DirIndex(p), .. } if p == "reference/index.md")
    );
    assert!(
        matches!(resolve(&s, "README.md", "lower/"), Target::Site { found: Found::DirIndex(p), .. } if p == "lower/readme.md"),
        "a folder with readme.md is served, as the renderer writes it to index.html"
    );
    assert!(matches!(
        resolve(&s, "README.md", "drafts/"),
        Target::Site {
            found: Found::DirWithoutIndex,
            ..
        }
    ));
    assert!(
        matches!(resolve(&s, "guide/README.md", "../res/shot.png"), Target::Site { found: Found::CaseMismatch(v), .. } if v == ["res/Shot.png"])
    );
    assert_eq!(
        resolve(&s, "README.md", "../x.md"),
        Target::OutsideRoot("../x.md".into())
    );
    assert_eq!(
        resolve(&s, "README.md", "#a%20b"),
        Target::SamePage("a b".into())
    );
    assert_eq!(
        resolve(&s, "README.md", "https://x.org/a"),
        Target::External("https://x.org/a".into())
    );
    assert!(
        matches!(resolve(&s, "guide/README.md", "/README.md#top"), Target::Site { found: Found::File(_), fragment: Some(f), .. } if f == "top")
    );
    assert!(
        !is_external("c:"),
        "single-letter schemes are Windows drives"
    );
}

#[test]
fn mdbook_chapters_by_html_name() {
    let mut s = site(&["ch01.md", "cli/README.md", "cli/init.md", "SUMMARY.md"]);
    s.rules.convention = Convention::Mdbook;
    assert!(
        matches!(resolve(&s, "cli/init.md", "../ch01.html#x"), Target::Site { found: Found::File(p), fragment: Some(f), .. } if p == "ch01.md" && f == "x")
    );
    assert!(
        matches!(resolve(&s, "ch01.md", "cli/index.html"), Target::Site { found: Found::DirIndex(p), .. } if p == "cli/README.md")
    );
    assert!(matches!(
        resolve(&s, "ch01.md", "ch02.html"),
        Target::Site {
            found: Found::Missing,
            ..
        }
    ));
    assert!(matches!(
        resolve(&s, "ch01.md", "../reference/x.html"),
        Target::Sibling { url: None, .. }
    ));
    s.rules.site_url = Some("https://doc.rust-lang.org/book/".into());
    s.rules.external_roots = vec!["../reference/".into()];
    assert_eq!(
        resolve(&s, "ch01.md", "../reference/x.html#y"),
        Target::Sibling {
            path: "../reference/x.html".into(),
            url: Some("https://doc.rust-lang.org/reference/x.html".into())
        }
    );
}

#[test]
fn explicit_heading_ids() {
    assert_eq!(explicit_id("Title {#custom}"), Some("custom".into()));
    assert_eq!(explicit_id("Title {.c #x}"), Some("x".into()));
    assert_eq!(explicit_id("Title"), None);
}

#[test]
fn links_setting_reads_auto_or_a_convention_and_names_a_typo() {
    let path = std::path::Path::new("book.toml");
    let raw = crate::config::parse_config(path, "[check]\nlinks = \"docusaurus\"\n").unwrap();
    assert_eq!(raw.check.links, LinksSetting::Fixed(Convention::Docusaurus));
    let raw = crate::config::parse_config(path, "[check]\nlinks = \"auto\"\n").unwrap();
    assert_eq!(raw.check.links, LinksSetting::Auto);
    let err = crate::config::parse_config(path, "[check]\nlinks = \"docusaurs\"\n")
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("book.toml:2:"), "{err}");
    assert!(err.contains("unknown link convention `docusaurs`"), "{err}");
}
