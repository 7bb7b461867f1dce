#!/usr/bin/env bash
# Runs every fuzz target in turn, for TIME each (default 30s), one worker
# at a time: go test -fuzz takes one target per run. A crasher is saved
# under the package's testdata/fuzz/<Target>/, where `go test` replays it.
#   scripts/fuzz.sh            # every target, 30s each
#   scripts/fuzz.sh 2m trainer # the trainer's targets, 2 minutes each
set -euo pipefail
cd "$(dirname "$0")/.."
time=${1:-30s}
pkgs=${2:-./...}
[[ $pkgs == ./* ]] || pkgs=./$pkgs
failed=0
for pkg in $(go list "$pkgs"); do
  for target in $(go test "$pkg" -list '^Fuzz' | grep '^Fuzz' || true); do
    echo "== $pkg $target ($time)"
    if ! go test "$pkg" -run '^$' -fuzz "^$target\$" -fuzztime "$time" -parallel 1; then
      failed=1
    fi
  done
done
exit $failed
