#!/usr/bin/env bash
# Step benchmarks of this checkout against another commit (main by
# default), interleaved run by run, compared with benchstat: the check that
# w1 (Small) and w2 (Medium) do not regress. The base is exported with git
# archive into a temporary directory; nothing in the repository changes.
#   scripts/bench-regress.sh            BASE=main COUNT=10 BENCH='TrainStep/(Small|Medium)' WORKERS=0
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
base=${BASE:-main}
bench=${BENCH:-TrainStep/(Small|Medium)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git -C "$here" archive "$base" | tar -x -C "$tmp"
(cd "$tmp" && go test -c -o "$tmp/base.test" ./trainer)
(cd "$here" && go test -c -o "$tmp/new.test" ./trainer)
echo "load before: $(uptime)" >&2
for i in $(seq 1 "${COUNT:-10}"); do
	for which in base new; do
		(cd "$here/trainer" && "$tmp/$which.test" -test.run '^$' -test.bench "$bench" -test.benchtime 1s -test.benchmem \
			-workers "${WORKERS:-0}") | grep '^Benchmark' >>"$tmp/$which.txt"
	done
done
echo "load after: $(uptime)" >&2
stat=$(command -v benchstat || echo "$(go env GOPATH)/bin/benchstat")
[ -x "$stat" ] || go install golang.org/x/perf/cmd/benchstat@latest
"$stat" "$base=$tmp/base.txt" "this=$tmp/new.txt"
