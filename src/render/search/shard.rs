//! Which pages go into which shard of the search index.
//!
//! Pagefind has no incremental update: a bundle is built from all its pages at once. So a
//! large site's index is split into shards of at most [`MAX_SHARD_PAGES`] pages, each an
//! independent Pagefind bundle that is cached and rebuilt on its own, and the browser merges
//! them with Pagefind's multisite API (`mergeIndex`). An edited page re-indexes its shard only.
//!
//! Shards are contiguous runs of the site-path-sorted page list: pages are first grouped by
//! their top-level folder (`guide/…`; pages at the root form runs between folders), a folder
//! with more pages than a shard holds is cut into runs of exactly [`MAX_SHARD_PAGES`] pages in
//! path order, and consecutive groups that fit are packed together into one shard. The same
//! page list always gives the same shards; an edit that adds no page and removes none keeps
//! every page in its shard, and adding or removing a page moves the boundaries of its own
//! folder's shards and of the shards packed after it at most.

use std::ops::Range;

/// The most pages one shard of the search index holds. A site with this many pages or fewer
/// has one bundle (`pagefind/`).
pub const MAX_SHARD_PAGES: usize = 1000;

/// The shards of `urls` (site paths, sorted) with at most `max` pages each: ranges of indices
/// into `urls`, in order, covering all of them. One shard (`0..len`) when `len <= max`
/// (and for an empty list). `max` of 0 is taken as 1.
#[allow(clippy::single_range_in_vec_init)] // a list of one range, not the range's items
pub fn assign(urls: &[&str], max: usize) -> Vec<Range<usize>> {
    let max = max.max(1);
    if urls.len() <= max {
        return vec![0..urls.len()];
    }
    // Runs of pages with the same top-level folder, cut into pieces of at most `max`.
    let mut pieces: Vec<Range<usize>> = Vec::new();
    let mut start = 0;
    for i in 1..=urls.len() {
        if i == urls.len() || top(urls[i]) != top(urls[start]) {
            let mut at = start;
            while at < i {
                let end = (at + max).min(i);
                pieces.push(at..end);
                at = end;
            }
            start = i;
        }
    }
    // Consecutive pieces packed while they fit.
    let mut shards: Vec<Range<usize>> = Vec::new();
    for piece in pieces {
        match shards.last_mut() {
            Some(last) if piece.end - last.start <= max => last.end = piece.end,
            _ => shards.push(piece),
        }
    }
    shards
}

/// The top-level folder of a site path (`guide` for `guide/a/b.html`), or `None` for a page
/// at the root.
fn top(url: &str) -> Option<&str> {
    url.split_once('/').map(|(first, _)| first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(list: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = list.iter().map(|s| s.to_string()).collect();
        v.sort();
        v
    }

    fn shards(list: &[String], max: usize) -> Vec<Vec<String>> {
        let refs: Vec<&str> = list.iter().map(String::as_str).collect();
        assign(&refs, max)
            .into_iter()
            .map(|r| list[r].to_vec())
            .collect()
    }

    fn folder(name: &str, n: usize) -> Vec<String> {
        (0..n).map(|i| format!("{name}/p{i:03}.html")).collect()
    }

    #[test]
    #[allow(clippy::single_range_in_vec_init)]
    fn small_sites_have_one_shard() {
        assert_eq!(assign(&[], 3), vec![0..0]);
        assert_eq!(assign(&["a.html", "b/c.html", "d.html"], 3), vec![0..3]);
    }

    #[test]
    fn folders_are_packed_and_large_folders_cut_in_path_order() {
        let mut list = folder("a", 2);
        list.extend(folder("b", 2));
        list.extend(folder("c", 7));
        list.push("index.html".into());
        let list = urls(&list.iter().map(String::as_str).collect::<Vec<_>>());
        let got = shards(&list, 4);
        assert_eq!(
            got,
            vec![
                list[0..4].to_vec(),  // a (2) + b (2)
                list[4..8].to_vec(),  // c, first 4
                list[8..12].to_vec(), // c, last 3 + index.html
            ]
        );
        assert!(got.iter().all(|s| s.len() <= 4));
        // Deterministic.
        assert_eq!(shards(&list, 4), got);
        // Every page once, in order.
        assert_eq!(got.concat(), list);
    }

    #[test]
    fn adding_a_page_moves_only_its_folders_and_later_boundaries() {
        let mut list = folder("a", 5);
        list.extend(folder("b", 5));
        list.extend(folder("c", 5));
        let before = shards(
            &urls(&list.iter().map(String::as_str).collect::<Vec<_>>()),
            5,
        );
        list.push("c/zz.html".into());
        let after = shards(
            &urls(&list.iter().map(String::as_str).collect::<Vec<_>>()),
            5,
        );
        assert_eq!(before.len(), 3);
        assert_eq!(after.len(), 4);
        assert_eq!(after[..2], before[..2]);
    }
}
