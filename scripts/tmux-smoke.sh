#!/usr/bin/env bash
# Drives the real workbench binary in tmux as a user would: train a preset,
# check the screen shows an epoch count and a chart, resize to 40×12 and
# back, and quit cleanly. Exits non-zero with the captured screen on failure.
#   scripts/tmux-smoke.sh            (needs tmux; builds the binary)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
command -v tmux >/dev/null || { echo "tmux-smoke: tmux is not installed"; exit 2; }
tmp=$(mktemp -d)
trap 'tmux kill-session -t wbsmoke 2>/dev/null || true; rm -rf "$tmp"' EXIT
(cd "$here" && go build -o "$tmp/workbench" .)
# The store is passed with --db: a running tmux server would not pass our environment on.
tmux kill-session -t wbsmoke 2>/dev/null || true
tmux new-session -d -s wbsmoke -x 120 -y 40 "$tmp/workbench --db $tmp/smoke.db; echo EXITED:\$? > $tmp/exit; sleep 5"

screen() { tmux capture-pane -p -t wbsmoke; }
fail() { echo "tmux-smoke: $1"; echo "----- screen -----"; screen; exit 1; }
waitfor() { # waitfor PATTERN SECONDS
  for _ in $(seq 1 $(( $2 * 10 ))); do
    screen | grep -q -- "$1" && return 0
    sleep 0.1
  done
  fail "timed out waiting for '$1'"
}

waitfor "Train \]" 10                       # Setup, ready with the Playground default
tmux send-keys -t wbsmoke p                # the seed-example preset: 500 epochs
waitfor "seed-example" 5
tmux send-keys -t wbsmoke t
waitfor "Epoch [0-9]*/500" 10             # the progress line counts epochs
waitfor "done" 20
screen | grep -q "loss" || fail "no loss chart"
screen | grep -q -e "⣀" -e "⠉" -e "⡇" || fail "no braille curve in the chart"
screen | grep -q "AUC 1.0000" || fail "the seed example did not end with a perfect ROC"
echo "--- after training (120×40) ---"; screen | head -12

tmux resize-window -t wbsmoke -x 40 -y 12
sleep 0.5
screen | tr -d "\n" | grep -q "50×15" || fail "no size message at 40×12"
echo "--- at 40×12 ---"; screen
tmux resize-window -t wbsmoke -x 120 -y 40
waitfor "Epoch 500/500" 5
tmux send-keys -t wbsmoke 3
waitfor "NAME/ID" 5
screen | grep -q "seed-example" || fail "the run is not on the Runs screen"
echo "--- runs screen ---"; screen | head -5
tmux send-keys -t wbsmoke q
for _ in $(seq 1 50); do [ -f "$tmp/exit" ] && break; sleep 0.1; done
[ -f "$tmp/exit" ] || fail "q did not quit"
grep -q "EXITED:0" "$tmp/exit" || fail "exit status $(cat "$tmp/exit")"
echo "tmux-smoke: ok"
