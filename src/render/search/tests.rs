//! Unit tests of the search index: words found, determinism, shards, the cache, lanes.

use std::io::Write as _;
use std::path::Path;

use super::*;

fn docs() -> Vec<Doc> {
    vec![
        Doc::new(
            "guide/structs.html".into(),
            "Structs".into(),
            "<h1 id=\"s\">Structs</h1><p>A struct groups fields.</p>",
        ),
        Doc::new(
            "ownership.html".into(),
            "Understanding Ownership".into(),
            "<h1 id=\"o\">Understanding Ownership</h1><p>Ownership is Rust&#39;s most unique feature.</p>",
        ),
    ]
}

/// The pages of `docs`, without render keys.
fn pages(docs: Vec<Doc>) -> Vec<Page> {
    docs.into_iter().map(|d| Page::Rendered(d, None)).collect()
}

/// No page is rendered again.
fn none(url: &str) -> Result<Doc> {
    panic!("{url} rendered again")
}

/// The files' bytes, read from the cache's pack where they are kept there (no bundle
/// file is copied from a file of its own).
fn bytes(files: &[(String, SiteFile)]) -> Vec<(String, Vec<u8>)> {
    files
        .iter()
        .map(|(name, f)| match f {
            SiteFile::Generated(b) => (name.clone(), b.clone()),
            SiteFile::Cached(slice) => (name.clone(), slice.read().unwrap()),
            SiteFile::Copied(disk) => panic!("{name} copied from {}", disk.display()),
        })
        .collect()
}

#[test]
fn index_finds_words_and_is_deterministic() {
    let a = build_index(pages(docs()), "en", None, &none).unwrap();
    let b = build_index(pages(docs()), "en", None, &none).unwrap();
    assert_eq!(a, b);
    assert!(a.iter().all(|(_, f)| matches!(f, SiteFile::Generated(_))));
    let names: Vec<&str> = a.iter().map(|(n, _)| n.as_str()).collect();
    assert!(names.contains(&"pagefind/pagefind.js"), "{names:?}");
    assert!(names.contains(&"pagefind/pagefind-entry.json"), "{names:?}");
    assert!(names.iter().any(|n| n.ends_with(".pf_index")), "{names:?}");
    assert!(!names.contains(&"pagefind/pagefind-ui.js"));
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
}

#[test]
fn turns_let_at_most_n_hold_one() {
    let turns = Turns::new(1);
    let (held, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                for _ in 0..20 {
                    let _turn = turns.take();
                    let now = held.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    std::thread::yield_now();
                    held.fetch_sub(1, Ordering::SeqCst);
                }
            });
        }
    });
    assert_eq!(most.load(Ordering::SeqCst), 1);
}

/// Pagefind runs rayon inside the runtime of the index it builds; a rayon worker that
/// waits there for a stolen half runs the jobs queued meanwhile. An index built then (by
/// another build in the process: parallel tests) must not start its runtime on that
/// worker ("Cannot start a runtime from within a runtime": the cause of rare failures of
/// the tests above under a full `cargo test`).
#[test]
fn an_index_built_while_a_worker_drives_a_runtime_starts_no_nested_one() {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    std::thread::scope(|s| {
        // Pagefind's state, made certain: a worker inside a runtime, waiting in a join whose
        // other half the second worker stole while the first half ran (and sleeps in).
        s.spawn(|| {
            pool.install(|| {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .build()
                    .unwrap();
                runtime.block_on(async {
                    rayon::join(
                        || std::thread::sleep(std::time::Duration::from_millis(30)),
                        || std::thread::sleep(std::time::Duration::from_millis(600)),
                    )
                })
            })
        });
        let built = s.spawn(|| {
            std::thread::sleep(std::time::Duration::from_millis(100));
            pool.install(|| build_index(pages(docs()), "en", None, &none))
        });
        let built = built.join().expect("no panic").unwrap();
        assert_eq!(
            built,
            build_index(pages(docs()), "en", None, &none).unwrap()
        );
    });
}

#[test]
fn pagefind_version_in_the_cache_key_is_pagefinds() {
    let files = bytes(&build_index(pages(docs()), "en", None, &none).unwrap());
    let entry = &files
        .iter()
        .find(|(n, _)| n == "pagefind/pagefind-entry.json")
        .unwrap()
        .1;
    let entry: serde_json::Value = serde_json::from_slice(entry).unwrap();
    assert_eq!(
        entry["version"],
        cache::PAGEFIND_VERSION,
        "Pagefind was upgraded: update cache::PAGEFIND_VERSION"
    );
}

#[test]
fn cached_index_is_the_uncached_one_and_is_reused() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("search");
    let uncached = bytes(&build_index(pages(docs()), "en", None, &none).unwrap());
    let index = |language: &str, cache: &Path| {
        let max = shard::MAX_SHARD_PAGES;
        build_index_sharded(pages(docs()), language, Some(cache.into()), &none, max).unwrap()
    };
    let first = index("en", &cache);
    assert_eq!(first.indexed, 1);
    assert!(
        first
            .files
            .iter()
            .filter(|(n, _)| !n.ends_with(SHARDS_FILE))
            .all(|(_, f)| matches!(f, SiteFile::Cached(s) if s.file.starts_with(&cache)))
    );
    assert_eq!(bytes(&first.files), uncached);
    // One pack a shard, not one file per bundle file.
    let pack = cache.join("shard-0/pack");
    let mut held: Vec<String> = std::fs::read_dir(cache.join("shard-0"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    held.sort();
    assert_eq!(held, ["key", "pack"]);
    // A hit publishes the cached files without indexing again (nor writing them).
    let stamp = |p: &Path| crate::cache::stamp(p).unwrap();
    let written = stamp(&pack);
    let second = index("en", &cache);
    assert_eq!(second.indexed, 0);
    assert_eq!(second.files, first.files);
    assert_eq!(stamp(&pack), written, "not written again");

    // A damaged pack is not trusted: the index is made again and the right bytes come
    // back, never a panic.
    let other = dir.path().join("other");
    index("de", &other);
    let key_file = cache.join("shard-0/key");
    // The key file made to name the damaged pack, so that only the pack's own checks
    // can refuse it.
    let restamp = || {
        let key = std::fs::read_to_string(&key_file).unwrap();
        let key = key.lines().next().unwrap().to_string();
        std::fs::write(&key_file, format!("{key}\n{}\n", stamp(&pack))).unwrap();
    };
    let damages: [(&str, &dyn Fn()); 6] = [
        ("edited in place", &|| {
            let mut f = std::fs::OpenOptions::new()
                .append(true)
                .open(&pack)
                .unwrap();
            f.write_all(b" ").unwrap();
        }),
        ("truncated", &|| {
            let f = std::fs::OpenOptions::new().write(true).open(&pack).unwrap();
            f.set_len(stamp(&pack).len / 2).unwrap();
        }),
        ("truncated, stamp matching", &|| {
            let f = std::fs::OpenOptions::new().write(true).open(&pack).unwrap();
            f.set_len(stamp(&pack).len - 1).unwrap();
            restamp();
        }),
        ("garbage, stamp matching", &|| {
            std::fs::write(&pack, b"not a pack").unwrap();
            restamp();
        }),
        ("another index's pack, stamp matching", &|| {
            std::fs::copy(other.join("shard-0/pack"), &pack).unwrap();
            restamp();
        }),
        ("missing", &|| std::fs::remove_file(&pack).unwrap()),
    ];
    for (what, damage) in damages {
        damage();
        let again = index("en", &cache);
        assert_eq!(again.indexed, 1, "{what}");
        assert_eq!(bytes(&again.files), uncached, "{what}");
        assert_eq!(index("en", &cache).indexed, 0, "{what}: stored again");
    }
    // A key file that is damaged is a miss too.
    std::fs::write(&key_file, "garbage").unwrap();
    assert_eq!(index("en", &cache).indexed, 1);
}

#[test]
fn a_changed_page_misses_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("search");
    let first = bytes(&build_index(pages(docs()), "en", Some(cache.clone()), &none).unwrap());
    // The bundle folder of the layout of earlier versions goes when the shard is stored.
    let old = cache.join("shard-0/bundle/fragment");
    std::fs::create_dir_all(&old).unwrap();
    std::fs::write(old.join("en_1.pf_fragment"), b"old").unwrap();
    let mut changed = docs();
    changed[0] = Doc::new(
        changed[0].url.clone(),
        "Structs".into(),
        "<h1 id=\"s\">Structs</h1><p>A struct groups named fields.</p>",
    );
    let second =
        bytes(&build_index(pages(changed.clone()), "en", Some(cache.clone()), &none).unwrap());
    assert_ne!(second, first);
    assert_eq!(
        second,
        bytes(&build_index(pages(changed), "en", None, &none).unwrap())
    );
    // The pack holds the files of the new index (all but the list of shards).
    let pack = std::fs::read(cache.join("shard-0/pack")).unwrap();
    let (_, packed) = cache::pack::read_index(pack.as_slice(), pack.len() as u64).unwrap();
    assert_eq!(packed.len(), second.len() - 1, "all but {SHARDS_FILE}");
    assert!(!cache.join("shard-0/bundle").exists());
    // Another language is another index.
    let other = bytes(&build_index(pages(docs()), "de", Some(cache), &none).unwrap());
    assert_ne!(other, first);
}

#[test]
fn unchanged_pages_need_no_document() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("search");
    let keyed = |docs: Vec<Doc>, keys: [&str; 2]| -> Vec<Page> {
        docs.into_iter()
            .zip(keys)
            .map(|(d, k)| Page::Rendered(d, Some(k.to_string())))
            .collect()
    };
    let unchanged = |i: usize, key: &str| Page::Unchanged {
        url: docs()[i].url.clone(),
        key: key.into(),
    };
    let first = bytes(
        &build_index(
            keyed(docs(), ["k0", "k1"]),
            "en",
            Some(cache.clone()),
            &none,
        )
        .unwrap(),
    );
    // Nothing changed: the index is reused by the keys alone.
    let again = vec![unchanged(0, "k0"), unchanged(1, "k1")];
    assert_eq!(
        bytes(&build_index(again, "en", Some(cache.clone()), &none).unwrap()),
        first
    );
    // One page changed: the other's document comes from the cache, and the index is the
    // one an uncached build makes.
    let mut changed = docs();
    changed[1] = Doc::new(
        changed[1].url.clone(),
        changed[1].title.clone(),
        "<p>Ownership moves values.</p>",
    );
    let mixed = vec![
        unchanged(0, "k0"),
        Page::Rendered(changed[1].clone(), Some("k2".into())),
    ];
    let second = bytes(&build_index(mixed, "en", Some(cache.clone()), &none).unwrap());
    assert_eq!(
        second,
        bytes(&build_index(pages(changed.clone()), "en", None, &none).unwrap())
    );
    // A key the cache holds no document for: the page is rendered.
    let render = |url: &str| Ok(changed.iter().find(|d| d.url == url).unwrap().clone());
    let unknown = vec![unchanged(0, "k9"), unchanged(1, "k2")];
    let third = bytes(&build_index(unknown, "en", Some(cache), &render).unwrap());
    assert_eq!(third, second);
}

/// Five pages in three folders.
fn five() -> Vec<Doc> {
    ["a/one", "a/two", "b/three", "b/four", "c/five"]
        .iter()
        .map(|p| {
            let word = p.split('/').nth(1).unwrap();
            Doc::new(
                format!("{p}.html"),
                word.to_string(),
                &format!("<h1>{word}</h1><p>Page {word} says {word}.</p>"),
            )
        })
        .collect()
}

fn keyed(docs: &[Doc], version: &[usize]) -> Vec<Page> {
    let mut docs: Vec<Doc> = docs.to_vec();
    docs.sort_by(|a, b| a.url.cmp(&b.url));
    docs.into_iter()
        .zip(version)
        .map(|(d, v)| {
            let key = format!("{}-{v}", d.url);
            Page::Rendered(d, Some(key))
        })
        .collect()
}

fn names(files: &[(String, SiteFile)]) -> Vec<&str> {
    files.iter().map(|(n, _)| n.as_str()).collect()
}

#[test]
fn small_sites_keep_one_bundle() {
    let built = build_index_sharded(pages(docs()), "en", None, &none, 2).unwrap();
    assert_eq!((built.shards, built.indexed), (1, 1));
    let names = names(&built.files);
    assert!(names.iter().all(|n| !n.contains("shard-")), "{names:?}");
    let list = built
        .files
        .iter()
        .find(|(n, _)| n.ends_with(SHARDS_FILE))
        .unwrap();
    assert_eq!(list.1, SiteFile::Generated(b"[]".to_vec()));
}

#[test]
fn large_sites_are_split_and_an_edit_reindexes_one_shard() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("search");
    // Shards of at most 2 pages: a/ (2), b/ (2), c/ (1).
    let first =
        build_index_sharded(keyed(&five(), &[0; 5]), "en", Some(cache.clone()), &none, 2).unwrap();
    assert_eq!((first.shards, first.indexed), (3, 3));
    let names = names(&first.files);
    for want in [
        "pagefind/pagefind.js",
        "pagefind/pagefind-entry.json",
        "pagefind/shard-1/pagefind-entry.json",
        "pagefind/shard-2/pagefind-entry.json",
    ] {
        assert!(names.contains(&want), "{want} missing: {names:?}");
    }
    assert!(
        !names.contains(&"pagefind/shard-1/pagefind.js"),
        "{names:?}"
    );
    assert!(
        names
            .iter()
            .any(|n| n.starts_with("pagefind/shard-2/fragment/"))
    );
    assert_eq!(
        bytes(&first.files)
            .into_iter()
            .find(|(n, _)| n.ends_with(SHARDS_FILE))
            .unwrap()
            .1,
        br#"["shard-1/","shard-2/"]"#.to_vec()
    );
    // Each shard holds its own pages: shard 1 is b/ (four, three).
    let entry = |files: &[(String, SiteFile)], dir: &str| {
        let e = bytes(files)
            .into_iter()
            .find(|(n, _)| n == &format!("{dir}pagefind-entry.json"))
            .unwrap()
            .1;
        serde_json::from_slice::<serde_json::Value>(&e).unwrap()["languages"]["en"]["page_count"]
            .clone()
    };
    assert_eq!(entry(&first.files, "pagefind/"), 2);
    assert_eq!(entry(&first.files, "pagefind/shard-1/"), 2);
    assert_eq!(entry(&first.files, "pagefind/shard-2/"), 1);
    let keys = |c: &Path| -> Vec<String> {
        (0..3)
            .map(|i| std::fs::read_to_string(c.join(format!("shard-{i}/key"))).unwrap())
            .collect()
    };
    let before = keys(&cache);

    // Nothing changed: every shard reused.
    let again =
        build_index_sharded(keyed(&five(), &[0; 5]), "en", Some(cache.clone()), &none, 2).unwrap();
    assert_eq!((again.shards, again.indexed), (3, 0));
    assert_eq!(bytes(&again.files), bytes(&first.files));

    // One page of b/ edited (sorted: a/one, a/two, b/four, b/three, c/five): only shard 1
    // is indexed again, and only its key changes.
    let mut edited = five();
    edited[2] = Doc::new(edited[2].url.clone(), "three".into(), "<p>Edited.</p>");
    // The pages not edited are handed over unchanged: their documents come from the
    // cache.
    let unchanged: Vec<Page> = keyed(&edited, &[0, 0, 0, 1, 0])
        .into_iter()
        .map(|p| match p {
            Page::Rendered(d, Some(key)) if !key.ends_with("-1") => {
                Page::Unchanged { url: d.url, key }
            }
            p => p,
        })
        .collect();
    let one = build_index_sharded(unchanged, "en", Some(cache.clone()), &none, 2).unwrap();
    assert_eq!((one.shards, one.indexed), (3, 1));
    let after = keys(&cache);
    assert_eq!(after[0], before[0]);
    assert_ne!(after[1], before[1]);
    assert_eq!(after[2], before[2]);
    // The same bytes as a build without the cache.
    let fresh =
        build_index_sharded(keyed(&edited, &[0, 0, 0, 1, 0]), "en", None, &none, 2).unwrap();
    assert_eq!(bytes(&one.files), bytes(&fresh.files));

    // A smaller site: the extra shards' caches are removed.
    let small =
        build_index_sharded(keyed(&five(), &[0; 5]), "en", Some(cache.clone()), &none, 5).unwrap();
    assert_eq!(small.shards, 1);
    assert!(!cache.join("shard-1").exists());
}
