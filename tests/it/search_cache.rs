//! Issue 12: the search index is kept in `.stepbook-cache/search/` and reused while the pages
//! it is made from are unchanged; a changed page builds a new one, the same as a build without
//! the cache makes. A large site's index is split into shards, each cached on its own: a
//! one-page edit indexes its shard again and no other.

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
    let key = std::fs::read_to_string(cache.join("shard-0/key")).expect("the cache's key");

    // Nothing changed: the same index, published from the cache.
    build(&h, &[]);
    assert_eq!(tree(&h.root.join("book/pagefind")), first);
    assert_eq!(
        std::fs::read_to_string(cache.join("shard-0/key")).unwrap(),
        key
    );
    // The cache keeps each shard's bundle as one pack; the site's files are its own, not
    // hard links into the cache.
    let mut held: Vec<String> = std::fs::read_dir(cache.join("shard-0"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    held.sort();
    assert_eq!(held, ["docs", "key", "pack"]);
    let entry = h.root.join("book/pagefind/pagefind-entry.json");

    // A built file edited in place reaches neither the cache nor the next site.
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&entry)
        .unwrap();
    std::io::Write::write_all(&mut f, b" ").unwrap();
    drop(f);
    build(&h, &[]);
    assert_eq!(tree(&h.root.join("book/pagefind")), first);
    std::fs::write(&entry, b"replaced").unwrap();
    build(&h, &[]);
    assert_eq!(tree(&h.root.join("book/pagefind")), first);
    assert_eq!(
        std::fs::read_to_string(cache.join("shard-0/key")).unwrap(),
        key,
        "the cache was not stored again"
    );

    // A truncated pack is refused and made again.
    let pack = cache.join("shard-0/pack");
    let f = std::fs::OpenOptions::new().write(true).open(&pack).unwrap();
    f.set_len(f.metadata().unwrap().len() / 2).unwrap();
    drop(f);
    build(&h, &[]);
    assert_eq!(tree(&h.root.join("book/pagefind")), first);

    // A page changed: a new index, byte for byte the one a build without the cache makes.
    write_file(
        &h.root.join("content/sub/b.md"),
        b"# Structs\n\nA struct names fields.\n",
    );
    build(&h, &[]);
    let second = tree(&h.root.join("book/pagefind"));
    assert_ne!(second, first);
    assert_ne!(
        std::fs::read_to_string(cache.join("shard-0/key")).unwrap(),
        key
    );
    std::fs::remove_dir_all(h.root.join(".stepbook-cache")).unwrap();
    build(&h, &["-d", "fresh"]);
    assert_eq!(tree(&h.root.join("fresh/pagefind")), second);
}

/// The pages each bundle of the built site indexes: `pagefind/` first, then the shards listed
/// in its `stepbook-shards.json`.
fn page_counts(site: &Path) -> Vec<u64> {
    let bundle = site.join("pagefind");
    let list: Vec<String> =
        serde_json::from_slice(&std::fs::read(bundle.join("stepbook-shards.json")).unwrap())
            .unwrap();
    std::iter::once(bundle.clone())
        .chain(list.iter().map(|d| bundle.join(d)))
        .map(|dir| {
            let entry: serde_json::Value =
                serde_json::from_slice(&std::fs::read(dir.join("pagefind-entry.json")).unwrap())
                    .unwrap();
            entry["languages"]["en"]["page_count"].as_u64().unwrap()
        })
        .collect()
}

#[test]
fn a_large_site_is_split_into_shards_and_an_edit_indexes_one() {
    let h = Project::with(&[
        ("book.toml", "[book]\ntitle = \"T\"\nsrc = \"content\"\n"),
        ("content/a/one.md", "# One\n\nFirst page.\n"),
        ("content/a/two.md", "# Two\n\nSecond page.\n"),
        ("content/b/four.md", "# Four\n\nFourth page.\n"),
        ("content/b/three.md", "# Three\n\nThird page.\n"),
        ("content/c/five.md", "# Five\n\nFifth page.\n"),
    ]);
    // Shards of at most 2 pages (a hidden option for tests): a/, b/, c/.
    let shards = ["--search-shard-pages", "2"];
    build(&h, &shards);
    let site = h.root.join("book");
    assert_eq!(
        h.read("book/pagefind/stepbook-shards.json"),
        r#"["shard-1/","shard-2/"]"#
    );
    assert_eq!(page_counts(&site), [2, 2, 1]);
    // The merged shards carry their index only; the script is the first bundle's.
    assert!(site.join("pagefind/pagefind.js").is_file());
    assert!(!site.join("pagefind/shard-1/pagefind.js").exists());
    let cache = h.root.join(".stepbook-cache/search");
    let keys = || -> Vec<String> {
        (0..3)
            .map(|i| std::fs::read_to_string(cache.join(format!("shard-{i}/key"))).unwrap())
            .collect()
    };
    let before = keys();
    let first = tree(&site.join("pagefind"));

    // Nothing changed: no shard indexed again.
    build(&h, &shards);
    assert_eq!(keys(), before);
    assert_eq!(tree(&site.join("pagefind")), first);

    // One page of b/ edited: exactly one shard (the second) is indexed again.
    write_file(
        &h.root.join("content/b/three.md"),
        b"# Three\n\nThird page, edited.\n",
    );
    build(&h, &shards);
    let after = keys();
    let changed: Vec<usize> = (0..3).filter(|&i| after[i] != before[i]).collect();
    assert_eq!(changed, [1]);
    let second = tree(&site.join("pagefind"));
    let differs = |prefix: &str| {
        second
            .iter()
            .filter(|(k, _)| k.starts_with(prefix))
            .ne(first.iter().filter(|(k, _)| k.starts_with(prefix)))
    };
    assert!(differs("shard-1/"));
    assert!(!differs("shard-2/"));
    assert_eq!(page_counts(&site), [2, 2, 1]);

    // The same bundles as a build without the cache.
    std::fs::remove_dir_all(h.root.join(".stepbook-cache")).unwrap();
    build(&h, &["--search-shard-pages", "2", "-d", "fresh"]);
    assert_eq!(tree(&h.root.join("fresh/pagefind")), second);
    // Without the option the site is small: one bundle, and the shards' caches go.
    build(&h, &[]);
    assert_eq!(h.read("book/pagefind/stepbook-shards.json"), "[]");
    assert_eq!(page_counts(&site), [5]);
    assert!(!site.join("pagefind/shard-1").exists());
    assert!(!cache.join("shard-1").exists());
}

/// A damaged `docs` file (the text of each page kept for the next index) is refused by its
/// CRC-32, not indexed: the pages are rendered again, and the index equals a cold build's.
#[test]
fn a_damaged_documents_file_is_not_trusted() {
    let h = Project::with(&[
        ("book.toml", "[book]\ntitle = \"T\"\nsrc = \"content\"\n"),
        ("content/a.md", "# Ownership\n\nEach value has an owner.\n"),
        ("content/b.md", "# Structs\n\nA struct groups fields.\n"),
    ]);
    build(&h, &[]);
    let docs = h.root.join(".stepbook-cache/search/shard-0/docs");
    let mut bytes = std::fs::read(&docs).expect("docs");
    let at = bytes
        .windows(5)
        .position(|w| w == b"owner")
        .expect("a's text is kept");
    bytes[at + 4] = b'x';
    write_file(&docs, &bytes);
    h.write(
        "content/b.md",
        "# Structs\n\nA struct groups named fields.\n",
    );
    build(&h, &[]);
    let warm = tree(&h.root.join("book/pagefind"));
    std::fs::remove_dir_all(h.root.join(".stepbook-cache")).expect("rm cache");
    std::fs::remove_dir_all(h.root.join("book")).expect("rm book");
    build(&h, &[]);
    assert_eq!(warm, tree(&h.root.join("book/pagefind")));
}

/// A build killed before its rename leaves `NAME.tmpPID` files in the cache; the next build
/// removes those of processes that no longer run (pid 4194305 is above Linux's pid_max).
#[test]
fn temporary_files_of_a_killed_build_are_removed() {
    let h = Project::with(&[
        ("book.toml", "[book]\ntitle = \"T\"\nsrc = \"content\"\n"),
        ("content/a.md", "# Ownership\n\nEach value has an owner.\n"),
    ]);
    build(&h, &[]);
    let left = [
        h.root.join(".stepbook-cache/pages.bin.tmp4194305"),
        h.root
            .join(".stepbook-cache/search/shard-0/pack.tmp4194305"),
    ];
    for f in &left {
        write_file(f, b"half a file");
    }
    build(&h, &[]);
    if Path::new("/proc").is_dir() {
        for f in &left {
            assert!(!f.exists(), "{} is left", f.display());
        }
    }
}
