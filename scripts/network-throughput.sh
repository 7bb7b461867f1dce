#!/usr/bin/env bash
# Training with the network view open (v on Train) against the Train
# screen without it, on digits (histograms) and on spiral (maps over the
# plane), both saving to a store. Reports samples/s and the UI process's
# CPU seconds per run (user+sys): on a shared machine wall-clock rates are
# noisy, CPU time is not. Target: the view costs ≤ 5%.
#   scripts/network-throughput.sh [runs]      (needs tmux)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-3}
tmp=$(mktemp -d)
trap 'tmux kill-session -t wbnt 2>/dev/null || true; rm -rf "$tmp"' EXIT
(cd "$here" && go build -o "$tmp/workbench" .)
wb="$tmp/workbench"
rate() { "$wb" runs list --db "$1" --json | /usr/bin/python3 -c 'import json,sys; print(round(json.load(sys.stdin)[0]["samples_per_s"]))'; }
cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14+$15)/hz}' "/proc/$1/stat"; }
med() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
run() { # spec, db, keys after t → "rate cpu"
  tmux kill-session -t wbnt 2>/dev/null || true
  tmux new-session -d -s wbnt -x 120 -y 40 "exec $wb ui --db $2 --spec $1"
  local pid; pid=$(tmux list-panes -t wbnt -F '#{pane_pid}')
  sleep 1
  tmux send-keys -t wbnt t
  if [ -n "$3" ]; then sleep 0.3; tmux send-keys -t wbnt "$3"; fi
  for _ in $(seq 1 1200); do tmux capture-pane -p -t wbnt | grep -q "ETA done" && break; sleep 0.1; done
  if [ -n "$3" ]; then tmux capture-pane -p -t wbnt | grep -q "layer health" || { echo "the network view was not open" >&2; exit 1; }; fi
  local c; c=$(cpu "$pid")
  tmux send-keys -t wbnt q
  sleep 0.5
  echo "$(rate "$2") $c"
}
measure() { # name, train flags…
  local name=$1; shift
  local spec="$tmp/$name.json"
  "$wb" train "$@" --print-spec > "$spec"
  local cr=() cc=() vr=() vc=()
  for i in $(seq 1 "$n"); do
    read -r r c < <(run "$spec" "$tmp/$name-c$i.db" ""); cr+=("$r"); cc+=("$c")
    read -r r c < <(run "$spec" "$tmp/$name-v$i.db" v); vr+=("$r"); vc+=("$c")
  done
  echo "$name  view closed: samples/s ${cr[*]}  cpu s ${cc[*]}"
  echo "$name  view open:   samples/s ${vr[*]}  cpu s ${vc[*]}"
  awk -v n="$name" -v a="$(med "${cr[@]}")" -v b="$(med "${vr[@]}")" -v x="$(med "${cc[@]}")" -v y="$(med "${vc[@]}")" \
    'BEGIN { printf "%s median: samples/s closed %.0f open %.0f (ratio %.3f); cpu s closed %.2f open %.2f (+%.1f%%)\n", n, a, b, b/a, x, y, 100*(y-x)/x }'
}
measure digits --data digits --scale minmax --layers 128 --act relu --opt adam --lr 0.001 --batch 64 --epochs 150
measure spiral --data spiral --samples 2000 --layers 16,16 --act tanh --opt adam --lr 0.01 --batch 32 --epochs 1500
