#!/usr/bin/env bash
# Training throughput of one spec with the TUI attached against headless,
# both saving to a store: the TUI must not slow training (target ≥ 0.95×).
#   scripts/tui-throughput.sh [runs]      (needs tmux)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-3}
tmp=$(mktemp -d)
trap 'tmux kill-session -t wbtp 2>/dev/null || true; rm -rf "$tmp"' EXIT
(cd "$here" && go build -o "$tmp/workbench" .)
wb="$tmp/workbench"
spec="$tmp/spec.json"
# w2-shaped: digits, 64-128-10 ReLU, Adam, batch 64; a few seconds per run.
"$wb" train --data digits --scale minmax --layers 128 --act relu --opt adam --lr 0.001 --batch 64 --epochs 150 --print-spec > "$spec"
rate() { "$wb" runs list --db "$1" --json | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["samples_per_s"])'; }
head=(); tui=()
for i in $(seq 1 "$n"); do
  db="$tmp/h$i.db"
  "$wb" train --spec "$spec" --db "$db" > /dev/null
  head+=("$(rate "$db")")
  db="$tmp/t$i.db"
  tmux kill-session -t wbtp 2>/dev/null || true
  tmux new-session -d -s wbtp -x 120 -y 40 "$wb ui --db $db --spec $spec"
  sleep 1
  tmux send-keys -t wbtp t
  for _ in $(seq 1 600); do tmux capture-pane -p -t wbtp | grep -q "ETA done" && break; sleep 0.1; done
  tmux send-keys -t wbtp q
  sleep 0.5
  tui+=("$(rate "$db")")
done
med() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
h=$(med "${head[@]}"); t=$(med "${tui[@]}")
echo "headless samples/s: ${head[*]}"
echo "tui      samples/s: ${tui[*]}"
awk -v h="$h" -v t="$t" 'BEGIN { printf "median: headless %.0f, tui %.0f, ratio tui/headless %.3f\n", h, t, t/h }'
