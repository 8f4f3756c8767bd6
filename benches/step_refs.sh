#!/bin/sh
# Benchmark (issue 11): `stepbook check` on one generated 2 MB guide with 30,000 step references.
# The bar: under a second on the benchmark machine (release build). Not a timed test.
#
#   benches/step_refs.sh [path/to/stepbook]   (default: target/release/stepbook)
#
# Uses hyperfine when installed, else `time`. The check exits 1 (the guide has broken step
# references on purpose), so hyperfine runs with -i.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../target/release/stepbook}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 "$here/gen_step_guide.py" "$dir"
if command -v hyperfine >/dev/null 2>&1; then
    hyperfine -i --warmup 1 --runs 5 "$bin check $dir --format json"
else
    for i in 1 2 3; do
        /usr/bin/env time -f "%e s wall, %M KB max RSS" "$bin" check "$dir" --format json >/dev/null || true
    done
fi
"$bin" check "$dir" --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d), "findings:", sorted({x["rule"] for x in d}))' || true
