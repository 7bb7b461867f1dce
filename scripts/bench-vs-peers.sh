#!/usr/bin/env bash
# Runs workbench and the peers (../shared/bench/peers.sh) on the same machine
# in the same run, and prints samples/s with the ratio to PyTorch float64.
#   scripts/bench-vs-peers.sh [w1 w2 w3]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
peers=${PEERS:-$here/../shared/bench/peers.sh}
cd "$here" && go build -o /tmp/workbench-bench .
for w in "${@:-w1 w2 w3}"; do
  for w1 in $w; do
    ours=()
    for i in 1 2 3; do
      ours+=("$(/tmp/workbench-bench bench --workload "$w1" --json | sed 's/.*"samples_per_s":\([0-9.e+]*\).*/\1/')")
    done
    med=$(printf '%s\n' "${ours[@]}" | sort -g | sed -n 2p)
    peer=$(bash "$peers" "$w1" 2>/dev/null | grep RESULT | sed 's/^RESULT //')
    torch64=$(printf '%s\n' "$peer" | grep '"float64"' | grep -i torch | sed 's/.*"samples_per_s": *\([0-9.e+]*\).*/\1/' | head -1)
    printf '%s workbench median-of-3 %.0f samples/s; peers:\n%s\n' "$w1" "$med" "$peer"
    [ -n "$torch64" ] && awk -v a="$med" -v b="$torch64" -v w="$w1" 'BEGIN{printf "%s ratio vs PyTorch f64 (1 thread): %.2fx\n", w, a/b}'
  done
done
