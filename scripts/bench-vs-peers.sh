#!/usr/bin/env bash
# Runs workbench (float64 and float32, 1 and 2 workers) and the peers
# (../shared/bench/peers.sh: PyTorch f64/f32 and sklearn, 1 thread) on the
# same machine, interleaved over rounds, and prints the Markdown table of
# median samples/s with the median per-round ratios (the README's table).
#   scripts/bench-vs-peers.sh [w1 w2 w3]      ROUNDS=3 by default
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
export WORKBENCH_PEERS=${PEERS:-$here/../shared/bench/peers.sh}
cd "$here" && go build -o /tmp/workbench-bench .
. "$here/scripts/quiet-check.sh"
/tmp/workbench-bench bench --peers --rounds "${ROUNDS:-3}" "$@"
echo "load after: $(uptime)" >&2
