//! Issue 12: the search index is kept in `.stepbook-cache/search/` and reused while the pages
//! it is made from are unchanged; a changed page builds a new one, the same as a build without
//! the cache makes.

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::{Project, write_file};

/// Every file below `dir` (its bytes), by relative path.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("below");
            let rel = rel.to_string_lossy().replace('\\', "/");
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .collect()
}

fn build(h: &Project, args: &[&str]) {
    let mut all = vec!["build"];
    all.extend_from_slice(args);
    let out = h.run(&all);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn index_is_reused_until_a_page_changes_and_equals_an_uncached_one() {
    let h = Project::with(&[
        ("book.toml", "[book]\ntitle = \"T\"\nsrc = \"content\"\n"),
        ("content/a.md", "# Ownership\n\nEach value has an owner.\n"),
        ("content/sub/b.md", "# Structs\n\nA struct groups fields.\n"),
    ]);
    let cache = h.root.join(".stepbook-cache/search");
    build(&h, &[]);
    let first = tree(&h.root.join("book/pagefind"));
    assert!(
        first.keys().any(|k| k.ends_with(".pf_fragment")),
        "{:?}",
        first.keys()
    );
    let key = std::fs::read_to_string(cache.join("key")).expect("the cache's key");

    // Nothing changed: the same index, published from the cache.
    build(&h, &[]);
    assert_eq!(tree(&h.root.join("book/pagefind")), first);
    assert_eq!(std::fs::read_to_string(cache.join("key")).unwrap(), key);
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        let entry = "pagefind-entry.json";
        let site = std::fs::metadata(h.root.join("book/pagefind").join(entry)).unwrap();
        let cached = std::fs::metadata(cache.join("bundle").join(entry)).unwrap();
        assert_eq!(site.ino(), cached.ino(), "not hard-linked from the cache");
    }

    // A page changed: a new index, byte for byte the one a build without the cache makes.
    write_file(
        &h.root.join("content/sub/b.md"),
        b"# Structs\n\nA struct names fields.\n",
    );
    build(&h, &[]);
    let second = tree(&h.root.join("book/pagefind"));
    assert_ne!(second, first);
    assert_ne!(std::fs::read_to_string(cache.join("key")).unwrap(), key);
    std::fs::remove_dir_all(h.root.join(".stepbook-cache")).unwrap();
    build(&h, &["-d", "fresh"]);
    assert_eq!(tree(&h.root.join("fresh/pagefind")), second);
}
