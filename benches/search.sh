#!/usr/bin/env bash
# What search and highlighting cost `stepbook build` on the shared synthetic corpus.
#
# Usage: benches/search.sh PAGES [OUT_DIR] [BASELINE_BIN]
#   PAGES         number of guide pages (1000, 10000); as many PNG screenshots, 24 defects
#   OUT_DIR       where the corpus is generated (default /tmp/corpus-PAGES)
#   BASELINE_BIN  a stepbook binary built without search and highlighting (e.g. from main
#                 before they landed); when given, it is timed in the same hyperfine run
#
# Needs: python3, hyperfine. Times three builds (mean of 5 runs after 1 warm-up): the
# baseline (if given), this build with search on (the default), and this build with
# `[output.html.search] enable = false`; the difference of the last two is the index's cost.
# Then prints the index's size: bytes and files under book/pagefind/, and the pages' bytes.
set -euo pipefail
cd "$(dirname "$0")/.."
pages=${1:?usage: benches/search.sh PAGES [OUT_DIR] [BASELINE_BIN]}
out=${2:-/tmp/corpus-$pages}
baseline=${3:-}
gen=../shared/bench/gen_corpus.py

if [ ! -f "$out/defects.json" ]; then
  python3 "$gen" --pages "$pages" --images "$pages" --defects 24 --out "$out" --force --no-peers
fi
cargo build --release --quiet
bin=$PWD/target/release/stepbook
docs=$out/docs
off='printf "[output.html.search]\nenable = false\n" > '"$docs"'/book.toml'
on="rm -f $docs/book.toml"

args=()
if [ -n "$baseline" ]; then
  args+=(--prepare "$on" -n baseline "$baseline build $docs")
fi
args+=(--prepare "$on" -n "search + highlighting" "$bin build $docs")
args+=(--prepare "$off" -n "highlighting, search off" "$bin build $docs")
table=$(mktemp)
hyperfine --warmup 1 --runs 5 --export-markdown "$table" "${args[@]}" >&2
cat "$table"
rm -f "$table"

rm -f "$docs/book.toml"
"$bin" build "$docs" > /dev/null
index=$(du -sb "$docs/book/pagefind" | cut -f1)
files=$(find "$docs/book/pagefind" -type f | wc -l)
html=$(find "$docs/book" -name '*.html' -not -path '*/pagefind/*' -print0 | du -cb --files0-from=- | tail -1 | cut -f1)
echo "search index: $index bytes in $files files under book/pagefind/ (pages: $html bytes of HTML)"
