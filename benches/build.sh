#!/usr/bin/env bash
# stepbook build and check against their floors (benches/floor.rs), on the shared synthetic
# corpus, in one paired hyperfine run per size; then peak memory, the 10k/1k cost ratio and the
# one-page rebuild. Every figure the README's performance table shows comes from this output.
#
# Usage: benches/build.sh [PAGES...]      (default: 1000 10000)
#   RUNS=5 (hyperfine runs per command, after 1 warm-up), CORPUS_DIR=/tmp (where corpora go),
#   NO_BUILD=1 (use the binaries already in target/release instead of running cargo first),
#   SEARCH=off (build with `[output.html.search] enable = false` in the corpus's book.toml;
#   default on, the corpus as generated)
#
# Needs: python3, hyperfine, GNU time (/usr/bin/time). The corpus is ../shared/bench/gen_corpus.py
# (seed 1, as many 1280×800 PNG screenshots as pages, 24 defects), generated once per size.
#
# What is measured (the previous site is present for every stepbook build, as in daily use):
#   floor write   walk + read + parse + render + write pages, hard-link screenshots into a
#                 new folder (the previous run's is set aside, not deleted: benches/set_aside.sh;
#                 no checks, no templates, nothing deleted)
#   build (cold)  `stepbook build` with .stepbook-cache/ (image facts, parsed pages, render keys,
#                 search packs) and the spare site (.stepbook-cache/spare/) set aside before each
#                 run (moved, not deleted, as the floor's output): every page is
#                 rendered and written into a new folder
#   build (warm)  `stepbook build` again, nothing changed (cache and spare present)
#   build (1 page) `stepbook build` after one page was edited (a text no earlier run had)
#   floor parse   walk + read + parse every page
#   check         `stepbook check` (cache present)
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1000 10000)
runs=${RUNS:-5}
corpus_root=${CORPUS_DIR:-/tmp}
gen=../shared/bench/gen_corpus.py
[ -f "$gen" ] || gen=/work/shared/bench/gen_corpus.py
[ -f "$gen" ] || { echo "benches/build.sh: no ../shared/bench/gen_corpus.py (the team's shared folder beside the clone)" >&2; exit 2; }

[ -n "${NO_BUILD:-}" ] || cargo build --release --quiet --bin stepbook --example floor
for b in target/release/stepbook target/release/examples/floor; do
  [ -x "$b" ] || { echo "benches/build.sh: $b is missing: run without NO_BUILD (or cargo build --release --bin stepbook --example floor)" >&2; exit 2; }
done
bin=$PWD/target/release/stepbook
floor=$PWD/target/release/examples/floor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "machine: $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A cold
for pages in "${sizes[@]}"; do
  out=$corpus_root/stepbook-bench-$pages
  if [ ! -f "$out/defects.json" ]; then
    python3 "$gen" --pages "$pages" --images "$pages" --defects 24 --no-peers --out "$out" \
      --force >/dev/null
  fi
  docs=$out/docs
  # Set-aside folders (floor output, cold builds' caches) wait here, on the corpus's file
  # system, and are deleted after the timed runs: see benches/set_aside.sh.
  trash=$out/trash
  rm -rf "$trash" "$out/floor-out"
  off=$'[output.html.search]\nenable = false'
  if [ "${SEARCH:-on}" = off ]; then
    printf '%s\n' "$off" >"$docs/book.toml"
  elif [ -f "$docs/book.toml" ] && [ "$(cat "$docs/book.toml")" = "$off" ]; then
    rm "$docs/book.toml"
  fi
  echo "search: ${SEARCH:-on}"
  page=$(cd "$docs" && find . -name '*.md' -path './*/*/*' | sort | sed -n 1p)
  "$bin" build "$docs" >/dev/null 2>&1 || true   # the previous site, and a warm cache
  echo
  echo "## $pages pages"
  hyperfine --warmup 1 --runs "$runs" -N -i --export-json "$work/$pages.json" \
    --export-markdown "$work/$pages.md" \
    --prepare "bash benches/set_aside.sh $out/floor-out $trash" \
    -n "floor write" "$floor write $docs $out/floor-out" \
    --prepare "bash benches/set_aside.sh $docs/.stepbook-cache $trash" \
    -n "build (cold)" "$bin build $docs" \
    --prepare "true" -n "build (warm)" "$bin build $docs" \
    --prepare "python3 benches/touch_page.py $docs/$page" -n "build (1 page)" "$bin build $docs" \
    --prepare "true" -n "floor parse" "$floor parse $docs" \
    --prepare "true" -n "check" "$bin check $docs" >&2
  cat "$work/$pages.md"
  python3 - "$work/$pages.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
for x in results:
    print(f"{x['command']}: user {x['user']:.2f} s + system {x['system']:.2f} s (means)")
r = {x["command"]: x["median"] for x in results}
print(f"build (cold) / floor write: {r['build (cold)'] / r['floor write']:.2f}x; "
      f"check / floor parse: {r['check'] / r['floor parse']:.2f}x; "
      f"1-page rebuild / cold build: {r['build (1 page)'] / r['build (cold)']:.2f}")
PY
  cold[$pages]=$(python3 -c "import json,sys; print([x['median'] for x in json.load(open('$work/$pages.json'))['results'] if x['command']=='build (cold)'][0])")
  for what in "floor write" "build (cold)" "build (warm)" "check"; do
    case $what in
      "floor write") bash benches/set_aside.sh "$out/floor-out" "$trash"
        cmd=("$floor" write "$docs" "$out/floor-out") ;;
      "build (cold)") bash benches/set_aside.sh "$docs/.stepbook-cache" "$trash"
        cmd=("$bin" build "$docs") ;;
      "build (warm)") cmd=("$bin" build "$docs") ;;
      check) cmd=("$bin" check "$docs") ;;
    esac
    /usr/bin/time -f "%M" -o "$work/rss" "${cmd[@]}" >/dev/null 2>&1 || true
    echo "peak memory, $what: $(( $(tail -n 1 "$work/rss") / 1024 )) MiB"
  done
  rm -rf "$trash" "$out/floor-out"
done
if [ -n "${cold[1000]:-}" ] && [ -n "${cold[10000]:-}" ]; then
  python3 -c "print(f'cold build 10,000 / 1,000 pages: {${cold[10000]} / ${cold[1000]}:.1f}x')"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
