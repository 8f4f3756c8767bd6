#!/usr/bin/env bash
# Benchmarks stepbook against Hugo and lychee on the shared synthetic corpus.
#
# Usage: benches/corpus.sh PAGES [OUT_DIR]
#   PAGES    number of guide pages (1000, 10000); as many PNG screenshots, 24 injected defects
#   OUT_DIR  where the corpus is generated (default /tmp/corpus-PAGES)
#
# Needs: python3, hyperfine; optional: hugo (Debian package), lychee and mdbook
# (cargo install lychee mdbook). mdBook writes the whole sidebar into every page, so above
# 2,000 pages it is timed once, apart from the others.
# Prints a hyperfine table (mean of 5 runs after 1 warm-up) and how many of the 24 injected
# defects `stepbook check` reports.
set -euo pipefail
cd "$(dirname "$0")/.."
pages=${1:?usage: benches/corpus.sh PAGES [OUT_DIR]}
out=${2:-/tmp/corpus-$pages}
gen=../shared/bench/gen_corpus.py
[ -f "$gen" ] || gen=/work/shared/bench/gen_corpus.py
[ -f "$gen" ] || { echo "benches/corpus.sh: no ../shared/bench/gen_corpus.py (the team's shared folder beside the clone)" >&2; exit 2; }

if [ ! -f "$out/defects.json" ]; then
  python3 "$gen" --pages "$pages" --images "$pages" --defects 24 --out "$out" --force
fi
cargo build --release --quiet
bin=$PWD/target/release/stepbook
build_out=$(mktemp -d)
trap 'rm -rf "$build_out"' EXIT

# The build dir must sit inside the project (stepbook refuses one outside it).
cmds=("$bin check $out/docs" "$bin build $out/docs")
command -v hugo >/dev/null && cmds+=("hugo --quiet -s $out/hugo -d $build_out/hugo")
command -v lychee >/dev/null && cmds+=("lychee --offline --include-fragments --no-progress $out/docs")
if command -v mdbook >/dev/null && [ "$pages" -le 2000 ]; then
  cmds+=("mdbook build $out/mdbook -d $build_out/mdbook")
fi
hyperfine --warmup 1 --runs 5 -i --export-markdown "$build_out/table.md" "${cmds[@]}" >&2
cat "$build_out/table.md"
if command -v mdbook >/dev/null && [ "$pages" -gt 2000 ]; then
  hyperfine --runs 1 -i --export-markdown "$build_out/mdbook.md" \
    "mdbook build $out/mdbook -d $build_out/mdbook" >&2
  tail -n 1 "$build_out/mdbook.md"
fi

"$bin" check "$out/docs" --format json > "$build_out/findings.json" || true
python3 - "$out/defects.json" "$build_out/findings.json" <<'PY'
import json, sys
defects = json.load(open(sys.argv[1]))["defects"]
findings = json.load(open(sys.argv[2]))
text = json.dumps(findings)
hits = [d for d in defects if d["token"] in text]
errors = [f for f in findings if f["level"] == "error"]
other = [f for f in errors if not any(d["token"] in json.dumps(f) for d in defects)]
print(f"defects found: {len(hits)}/{len(defects)}; error-level findings: {len(errors)}; "
      f"errors not about an injected defect: {len(other)}")
for f in other[:10]:
    print("  unexpected:", f["file"], f["line"], f["rule"], f["message"])
PY
