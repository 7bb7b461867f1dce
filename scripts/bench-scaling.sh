#!/usr/bin/env bash
# Two-worker scaling: each workload (w3 by default) in float64 and float32
# on 1 and 2 workers, interleaved over rounds, with median samples/s, CPU
# time per 1,000 samples (every thread) and the median per-round speed of
# 2 workers against 1; then BenchmarkScaling's paired ratio. Run it on a quiet machine: the load average is
# printed before and after.
#   scripts/bench-scaling.sh [w3 w2 w1]      ROUNDS=5 by default
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here" && go build -o /tmp/workbench-bench .
. "$here/scripts/quiet-check.sh"
[ $# -gt 0 ] || set -- w3
for w in "$@"; do
	/tmp/workbench-bench bench --workload "$w" --precision f64,f32 --workers 1,2 --rounds "${ROUNDS:-5}"
	echo
done
# The same ratio from pairs of adjacent blocks of steps in one process,
# which the host's drift between runs does not reach (w3, both precisions).
(cd "$here" && go test ./trainer -run XXX -bench Scaling -benchtime 2000x | grep Benchmark)
