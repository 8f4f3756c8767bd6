use super::*;

/// A page that fills every field of the model the cache stores.
const RICH: &str = "---
title: Rich
weight: -3
description: Every field
scopes: [ads, crm]
draft: true
tags: [a, 2]
nested: {big: 18446744073709551615, neg: -7, pi: 3.141592653589793, none: null, yes: true}
---
# Heading one

<a id=\"html-anchor\"></a>

Intro paragraph with `code` and a [link](other.md#part), [ref][label], <https://example.com>,
[missing][nolabel] and ![shot](img/shot.png).

<img src=\"img/raw.png\" alt=\"raw\"> <a href=\"raw.md\">raw</a>

## Step 1: Begin

Do what [Step 2](next.md) says, then steps 3-4.

## Step 1.1: Sub-step

Before the list:

1. First `item`
2. Second
   - nested

Before the table:

| A | `b` |
|---|-----|
| 1 | 2   |

> A quote.

    - an indented list
    - with [a link](lost.md) and ![img](lost.png) after Step 9

```rust
fn main() {}
```

<!-- stepbook-ignore broken-link: on purpose -->
<!-- stepbook-ignore -->

---

[label]: https://example.com/label
";

fn rich_page() -> Page {
    let opts = ParseOptions {
        keep_events: false,
        ..ParseOptions::default()
    };
    parse_page(
        PathBuf::from("/p/content/rich.md"),
        "rich.md".into(),
        "content/rich.md".into(),
        RICH.into(),
        &opts,
    )
    .unwrap()
}

#[test]
fn a_page_with_every_field_filled_equals_itself_after_decoding() {
    let page = rich_page();
    let fm = &page.front_matter;
    assert!(fm.title.is_some() && fm.weight.is_some() && fm.description.is_some());
    assert!(!fm.scopes.is_empty() && fm.draft && fm.extra.len() == 2);
    let filled = [
        ("headings", page.headings.len()),
        ("links", page.links.len()),
        ("images", page.images.len()),
        ("code_blocks", page.code_blocks.len()),
        ("html_ids", page.html_ids.len()),
        ("steps", page.steps.len()),
        ("step_refs", page.step_refs.len()),
        ("lists", page.lists.len()),
        ("tables", page.tables.len()),
        ("paragraphs", page.paragraphs.len()),
        ("blocks", page.blocks.len()),
        ("undefined_refs", page.undefined_refs.len()),
        ("suppressions", page.suppressions.len()),
        ("malformed_suppressions", page.malformed_suppressions.len()),
        ("anchors", page.anchors.len()),
    ];
    for (field, n) in filled {
        assert!(n > 0, "{field} is empty: the test page must fill it");
    }
    assert!(page.body_start > 0);
    assert!(page.links.iter().any(|l| l.in_accidental_code));
    assert!(page.step_refs.iter().any(|r| r.target.is_some()));
    assert!(page.steps.iter().any(|s| s.sub.is_some()));
    assert!(page.lists.iter().any(|l| l.lead.is_some()));
    assert!(page.tables.iter().any(|t| t.lead.is_some()));

    let bytes = encode(&page);
    let model: Model = postcard::from_bytes(&bytes).unwrap();
    let back = model.into_page(
        page.path.clone(),
        page.rel.clone(),
        page.file.clone(),
        page.source.clone(),
    );
    assert_eq!(back.path, page.path);
    assert_eq!(back.rel, page.rel);
    assert_eq!(back.file, page.file);
    assert_eq!(back.source, page.source);
    assert_eq!(back.body_start, page.body_start);
    assert_eq!(back.front_matter, page.front_matter);
    assert_eq!(back.front_matter_problem, page.front_matter_problem);
    assert_eq!(back.title, page.title);
    assert_eq!(back.headings, page.headings);
    assert_eq!(back.links, page.links);
    assert_eq!(back.images, page.images);
    assert_eq!(back.code_blocks, page.code_blocks);
    assert_eq!(back.html_ids, page.html_ids);
    assert_eq!(back.steps, page.steps);
    assert_eq!(back.step_refs, page.step_refs);
    assert_eq!(back.lists, page.lists);
    assert_eq!(back.tables, page.tables);
    assert_eq!(back.paragraphs, page.paragraphs);
    assert_eq!(back.blocks, page.blocks);
    assert_eq!(back.undefined_refs, page.undefined_refs);
    assert_eq!(back.suppressions, page.suppressions);
    assert_eq!(back.malformed_suppressions, page.malformed_suppressions);
    assert_eq!(back.anchors, page.anchors);
    assert!(back.events.is_empty() && back.source_map.is_none());
    assert!(back.include_problems.is_empty());
    // The whole model, once more, through its Debug form (anchors aside: a hash set).
    let shown = |p: &Page| {
        let mut p = p.clone();
        p.anchors.clear();
        format!("{p:?}")
    };
    assert_eq!(shown(&back), shown(&page));
}

#[test]
fn a_front_matter_problem_is_kept() {
    let opts = ParseOptions::default();
    let text = "---\ntitle: [unclosed\n---\n# Body\n";
    let page = parse_page(
        "/p/m.md".into(),
        "m.md".into(),
        "m.md".into(),
        text.into(),
        &opts,
    )
    .unwrap();
    assert!(page.front_matter_problem.is_some());
    let model: Model = postcard::from_bytes(&encode(&page)).unwrap();
    let back = model.into_page(
        page.path.clone(),
        page.rel.clone(),
        page.file.clone(),
        text.into(),
    );
    assert_eq!(back.front_matter_problem, page.front_matter_problem);
    assert_eq!(
        (back.body_start, back.headings),
        (page.body_start, page.headings)
    );
}

#[test]
fn json_values_keep_their_number_kinds() {
    let value = serde_json::json!({
        "u": u64::MAX, "i": i64::MIN, "f": 0.1, "e": 1e300, "z": -0.0,
        "a": [null, true, "s", [], {}], "o": {"k": {"k": 1}}
    });
    let bytes = postcard::to_allocvec(&Json::from(&value)).unwrap();
    let back: serde_json::Value = postcard::from_bytes::<Json>(&bytes).unwrap().into();
    assert_eq!(back, value);
    assert_eq!(back.to_string(), value.to_string());
}

fn cache_in(dir: &Path) -> PageCache {
    PageCache::open(dir, &ParseOptions::default())
}

fn expansion(text: &str) -> Expansion {
    Expansion {
        text: text.into(),
        ..Expansion::default()
    }
}

/// Loads the pages `(rel, text)` through the cache in `dir` and stores it; returns how many
/// came from the cache.
fn load_all(dir: &Path, pages: &[(&str, &str)]) -> usize {
    let opts = ParseOptions {
        keep_events: false,
        ..ParseOptions::default()
    };
    let cache = cache_in(dir);
    let mut entries = Vec::new();
    let mut loaded = Vec::new();
    let mut cached = 0;
    for (rel, text) in pages {
        let (page, entry, hit) = cache
            .load(
                dir.join(rel),
                rel.to_string(),
                rel.to_string(),
                expansion(text),
                &opts,
            )
            .unwrap();
        assert_eq!(&*page.source, *text);
        entries.push(entry.at(loaded.len()));
        loaded.push(page);
        cached += usize::from(hit);
    }
    cache.store(entries, &loaded);
    crate::cache::wait_for_writes(None);
    cached
}

#[test]
fn unchanged_pages_are_decoded_and_a_damaged_file_is_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let pages = [
        ("a.md", "# A\n"),
        ("b.md", "# B\n\n[x](a.md)\n"),
        ("c.md", RICH),
    ];
    assert_eq!(load_all(root, &pages), 0);
    let file = root.join(crate::cache::DIR).join(FILE);
    let written = crate::cache::stamp(&file).unwrap();
    assert_eq!(load_all(root, &pages), 3);
    assert_eq!(
        crate::cache::stamp(&file),
        Some(written),
        "nothing changed: not written again"
    );
    let edited = [pages[0], ("b.md", "# B\n\nChanged.\n"), pages[2]];
    assert_eq!(load_all(root, &edited), 2);
    assert_eq!(load_all(root, &edited), 3);

    let good = std::fs::read(&file).unwrap();
    // The layout: header, data, a table of 3 rows, N and the table's CRC.
    let table = good.len() - FOOTER - 3 * ROW;
    let damaged: Vec<(&str, Vec<u8>, usize)> = vec![
        ("empty", Vec::new(), 0),
        ("cut short", good[..good.len() - 5].to_vec(), 0),
        ("cut in the data", good[..table - 10].to_vec(), 0),
        ("a table byte flipped", flip(&good, table + 40), 0),
        ("the first data byte flipped", flip(&good, HEADER), 2),
        ("the last data byte flipped", flip(&good, table - 1), 2),
        (
            "a count too large",
            {
                let mut b = good.clone();
                let at = good.len() - FOOTER;
                b[at..at + 4].copy_from_slice(&4_000_000u32.to_le_bytes());
                b
            },
            0,
        ),
        (
            "another version",
            {
                let mut b = good.clone();
                b[16..20].copy_from_slice(&(VERSION + 1).to_le_bytes());
                b
            },
            0,
        ),
        ("another file", b"not a cache at all".to_vec(), 0),
    ];
    for (what, bytes, cached) in damaged {
        std::fs::write(&file, &bytes).unwrap();
        assert_eq!(load_all(root, &edited), cached, "{what}");
        assert_eq!(load_all(root, &edited), 3, "{what}: written again");
    }
}

fn flip(bytes: &[u8], at: usize) -> Vec<u8> {
    let mut b = bytes.to_vec();
    b[at] ^= 0x5a;
    b
}

#[test]
fn the_key_covers_the_step_pattern_and_the_page_names() {
    let default = cache_in(Path::new("/nowhere"));
    let other = PageCache::open(
        Path::new("/nowhere"),
        &ParseOptions::new(regex::Regex::new(r"^Stage (\d+)").unwrap()),
    );
    let key = default.key("a.md", "a.md", "# A\n");
    assert_ne!(other.key("a.md", "a.md", "# A\n"), key);
    assert_ne!(default.key("b.md", "a.md", "# A\n"), key);
    assert_ne!(default.key("a.md", "b.md", "# A\n"), key);
    assert_ne!(default.key("a.md", "a.m", "d# A\n"), key);
    assert_ne!(default.key("a.md", "a.md", "# A \n"), key);
    assert_eq!(default.key("a.md", "a.md", "# A\n"), key);
}

#[test]
fn a_load_that_parses_many_pages_beside_an_old_file_writes_them_all() {
    // Past ENCODE_NOW_AT_MOST parsed pages the rest are encoded when the file is written: a
    // file of old entries, new ones encoded at once and new ones encoded then.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let n = ENCODE_NOW_AT_MOST + 40;
    let texts: Vec<(String, String)> = (0..n)
        .map(|i| (format!("p{i}.md"), format!("# Page {i}\n\nText {i}.\n")))
        .collect();
    let first: Vec<(&str, &str)> = texts[..10]
        .iter()
        .map(|(r, t)| (r.as_str(), t.as_str()))
        .collect();
    assert_eq!(load_all(root, &first), 0);
    // Every page edited (a new text each), beside the ten old entries.
    let edited: Vec<(String, String)> = texts
        .iter()
        .map(|(r, t)| (r.clone(), format!("{t}Edited.\n")))
        .collect();
    let all: Vec<(&str, &str)> = edited
        .iter()
        .map(|(r, t)| (r.as_str(), t.as_str()))
        .collect();
    assert_eq!(load_all(root, &all), 0);
    assert_eq!(
        load_all(root, &all),
        n,
        "every page decoded from the new file"
    );
}
