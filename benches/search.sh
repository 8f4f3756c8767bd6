#!/usr/bin/env bash
# What search costs `stepbook build` on the shared synthetic corpus: search on against
# `[output.html.search] enable = false`, each cold, warm and after a one-page edit.
#
# Usage: benches/search.sh PAGES [RUNS] [BIN]
#   PAGES  number of guide pages (1000, 10000); the corpus is /tmp/stepbook-bench-PAGES (made
#          by ../shared/bench/gen_corpus.py, seed 1, as many PNG screenshots, 24 defects)
#   RUNS   rounds per mode (default 3); CORPUS=DIR uses another copy of the corpus
#   BIN    the stepbook binary to time (default: this tree's release build, built first);
#          give an older binary to time it the same way (search on only: `MODES=on`)
#
# Each round, per mode (MODES, default "off on"):
#   cold   .stepbook-cache/ and the spare site removed first: every page rendered and written,
#          the search index built (and, with search on, stored in .stepbook-cache/search/)
#   warm   the same build again, nothing changed (the index reused from the cache)
#   1page  after one page was edited (benches/touch_page.py): one page rendered, the index
#          built again (Pagefind has no incremental update)
# One line each: wall, user and system CPU seconds, peak RSS (GNU time), the load average.
# Then the index's size: bytes and files under book/pagefind/.
set -euo pipefail
cd "$(dirname "$0")/.."
pages=${1:?usage: benches/search.sh PAGES [RUNS] [BIN]}
runs=${2:-3}
bin=${3:-}
if [ -z "$bin" ]; then
  cargo build --release --quiet --bin stepbook
  bin=$PWD/target/release/stepbook
fi
out=${CORPUS:-/tmp/stepbook-bench-$pages}
gen=../shared/bench/gen_corpus.py
[ -f "$gen" ] || gen=/work/shared/bench/gen_corpus.py
if [ ! -f "$out/defects.json" ]; then
  python3 "$gen" --pages "$pages" --images "$pages" --defects 24 --no-peers --out "$out" \
    --force >/dev/null
fi
docs=$out/docs
off=$'[output.html.search]\nenable = false'
page=$(cd "$docs" && find . -name '*.md' -path './*/*/*' | sort | sed -n 1p)
touch_page=$PWD/benches/touch_page.py

run() {
  /usr/bin/time -f "$1 %e s wall, %U s user, %S s system, %M KB peak" "$bin" build "$docs" \
    2>&1 >/dev/null | tail -1 | sed "s/\$/, load $(cut -d' ' -f1 /proc/loadavg)/"
}

echo "$(nproc) cores; $bin; $pages pages"
for mode in ${MODES:-off on}; do
  if [ "$mode" = off ]; then printf '%s\n' "$off" >"$docs/book.toml"; else rm -f "$docs/book.toml"; fi
  "$bin" build "$docs" >/dev/null 2>&1 || true # the previous site, as in daily use
  for _ in $(seq "$runs"); do
    rm -rf "$docs/.stepbook-cache"
    run "search $mode, cold "
    run "search $mode, warm "
    python3 "$touch_page" "$docs/$page"
    run "search $mode, 1 page"
  done
done
rm -f "$docs/book.toml"
"$bin" build "$docs" >/dev/null 2>&1 || true
if [ -d "$docs/book/pagefind" ]; then
  echo "index: $(du -sb "$docs/book/pagefind" | cut -f1) bytes in" \
    "$(find "$docs/book/pagefind" -type f | wc -l) files under book/pagefind/"
fi
