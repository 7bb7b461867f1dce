#!/usr/bin/env bash
# CPU and memory of the app idle on its Runs screen over a store:
#   scripts/runs-idle.sh STORE.db [SECONDS]
# (issue target at 10,000 runs: at most 1% of a core and 100 MB).
# Needs tmux; builds the binary.
set -euo pipefail
db=${1:?usage: runs-idle.sh STORE.db [SECONDS]}
secs=${2:-20}
here=$(cd "$(dirname "$0")/.." && pwd)
command -v tmux >/dev/null || { echo "runs-idle: tmux is not installed"; exit 2; }
tmp=$(mktemp -d)
session=wbidle-$$
trap 'tmux kill-session -t $session 2>/dev/null || true; rm -rf "$tmp"' EXIT
if [ -n "${WB_BIN:-}" ]; then cp "$WB_BIN" "$tmp/workbench"; else (cd "$here" && go build -o "$tmp/workbench" .); fi
tmux new-session -d -s "$session" -x 160 -y 48 "$tmp/workbench ui --db $db"
sleep 2
tmux send-keys -t "$session" 3
sleep 5 # the first, full load
pid=$(pgrep -f "^$tmp/workbench ui" | head -1)
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
t0=$(ticks); s0=$(date +%s.%N)
sleep "$secs"
t1=$(ticks); s1=$(date +%s.%N)
rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
hz=$(getconf CLK_TCK)
awk -v t0="$t0" -v t1="$t1" -v s0="$s0" -v s1="$s1" -v hz="$hz" -v rss="$rss" 'BEGIN {
  printf "idle on Runs: %.2f%% of a core over %.0fs, RSS %.0f MB\n", 100*(t1-t0)/hz/(s1-s0), s1-s0, rss/1024 }'
tmux capture-pane -p -t "$session" | head -3
