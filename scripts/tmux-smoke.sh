#!/usr/bin/env bash
# Drives the real workbench binary in tmux as a user would: train the first
# preset and check it learns (test accuracy ≥ 0.95 on screen), edit a field
# by typing over it, train a preset, check the screen shows an epoch count
# and a chart, resize to 40×12 and back, train digits and check its 10-class
# confusion matrix fits the Train screen at 120×40, and quit cleanly. Exits
# non-zero with the captured screen on failure.
#   scripts/tmux-smoke.sh            (needs tmux; builds the binary)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
command -v tmux >/dev/null || { echo "tmux-smoke: tmux is not installed"; exit 2; }
tmp=$(mktemp -d)
sess=wbsmoke-$$                            # its own session: others may run the script at once
trap 'tmux kill-session -t "$sess" 2>/dev/null || true; rm -rf "$tmp"' EXIT
(cd "$here" && go build -o "$tmp/workbench" .)
# The store is passed with --db: a running tmux server would not pass our environment on.
tmux kill-session -t "$sess" 2>/dev/null || true
tmux new-session -d -s "$sess" -x 120 -y 40 "$tmp/workbench --db $tmp/smoke.db; echo EXITED:\$? > $tmp/exit; sleep 5"

screen() { tmux capture-pane -p -t "$sess"; }
fail() { echo "tmux-smoke: $1"; echo "----- screen -----"; screen; exit 1; }
waitfor() { # waitfor PATTERN SECONDS
  for _ in $(seq 1 $(( $2 * 10 ))); do
    screen | grep -q -- "$1" && return 0
    sleep 0.1
  done
  fail "timed out waiting for '$1'"
}

waitfor "Train \]" 10                       # Setup, ready with the Playground default
screen | grep -q "dataset  *circle" || fail "the first preset is not the Playground's circle"

# The first run learns: t on a fresh start, 100 epochs, test accuracy ≥ 0.95.
tmux send-keys -t "$sess" t
waitfor "Epoch 100/100" 30
waitfor " test" 10                         # the metric panel's test column
acc=$(screen | grep -o "│ accuracy  *[0-9.]*  *[0-9.]*  *[0-9.]*" | awk '{print $NF}' | head -1)
[ -n "$acc" ] || fail "no test accuracy on the Train screen"
awk -v a="$acc" 'BEGIN{exit !(a >= 0.95)}' || fail "the first run's test accuracy is $acc < 0.95"
echo "--- first run: test accuracy $acc ---"; screen | head -20

# Editing by replacement: units 4, typed 8, is 8 (not 48).
tmux send-keys -t "$sess" 1
waitfor "Train \]" 5
for _ in $(seq 1 30); do                   # down to Layer 1's units, wherever the form has it
  screen | grep -q -- "› units" && break
  tmux send-keys -t "$sess" Down; sleep 0.1
done
waitfor "› units" 5
tmux send-keys -t "$sess" Enter
waitfor "typing replaces" 5
tmux send-keys -t "$sess" 8 Enter
waitfor "2 → 8 tanh → 2 tanh" 5
screen | grep -q "48 tanh" && fail "typing appended to the old value"
echo "--- units typed over: 4 → 8 ---"; screen | head -3

# Keys sent at once arrive as one "pp": pause between them.
tmux send-keys -t "$sess" p; sleep 0.3     # spiral
tmux send-keys -t "$sess" p                # the seed-example preset: 500 epochs
waitfor "seed-example" 5
tmux send-keys -t "$sess" t
waitfor "Epoch [0-9]*/500" 10             # the progress line counts epochs
waitfor "seed-example done" 30           # (the first run's tab says "circle done")
screen | grep -q "loss" || fail "no loss chart"
screen | grep -q -e "⣀" -e "⠉" -e "⡇" || fail "no braille curve in the chart"
screen | grep -q "AUC 1.0000" || fail "the seed example did not end with a perfect ROC"
echo "--- after training (120×40) ---"; screen | head -12

tmux resize-window -t "$sess" -x 40 -y 12
sleep 0.5
screen | tr -d "\n" | grep -q "50×15" || fail "no size message at 40×12"
echo "--- at 40×12 ---"; screen
tmux resize-window -t "$sess" -x 120 -y 40
waitfor "Epoch 500/500" 5
tmux send-keys -t "$sess" 3
waitfor "NAME/ID" 5
screen | grep -q "seed-example" || fail "the run is not on the Runs screen"
echo "--- runs screen ---"; screen | head -5

# Digits: the 10-class confusion matrix fits the Train screen at 120×40.
tmux send-keys -t "$sess" 1
waitfor "Train \]" 5
for _ in 1 2 3; do tmux send-keys -t "$sess" p; sleep 0.3; done   # breast-cancer, credit, digits
waitfor "dataset  *digits" 5
tmux send-keys -t "$sess" t
waitfor "test confusion" 120
echo "--- digits (120×40) ---"; screen
for row in 0 1 2 3 4 5 6 7 8 9; do
  screen | grep -q "│ *$row  *[0-9]" || fail "row $row of the 10-class confusion matrix is not on screen"
done
tmux send-keys -t "$sess" q
for _ in $(seq 1 50); do [ -f "$tmp/exit" ] && break; sleep 0.1; done
[ -f "$tmp/exit" ] || fail "q did not quit"
grep -q "EXITED:0" "$tmp/exit" || fail "exit status $(cat "$tmp/exit")"
echo "tmux-smoke: ok"
