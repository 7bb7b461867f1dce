#!/usr/bin/env bash
# Trials per minute of a sweep of small models with 1 worker and with 2
# (issue target: 2 workers on 2 cores give at least 1.8×).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
(cd "$here" && go build -o "$tmp/workbench" .)
args=(--data spiral --samples 1000 --layers 16,16 --act tanh --opt adam --lr 0.01 --batch 16 --epochs 600
      --grid lr=0.003,0.01,0.03,0.1 --grid l2=0,0.0001 --parallel)
for p in 1 2; do
  s=$(date +%s.%N)
  "$tmp/workbench" sweep "${args[@]}" "$p" --db "$tmp/p$p.db" > /dev/null
  e=$(date +%s.%N)
  awk -v s="$s" -v e="$e" -v p="$p" 'BEGIN { printf "parallel %d: 8 trials in %.2fs, %.1f trials/minute\n", p, e-s, 8*60/(e-s) }'
done
