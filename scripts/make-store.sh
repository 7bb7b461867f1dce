#!/usr/bin/env bash
# Builds a session store of N runs quickly, for benchmarks and scale tests:
#   scripts/make-store.sh 10000 /tmp/10k.db
set -euo pipefail
n=${1:?usage: make-store.sh N [DB]}
db=${2:-/tmp/workbench-$n.db}
here=$(cd "$(dirname "$0")/.." && pwd)
rm -f "$db" "$db-wal" "$db-shm"
(cd "$here" && go run ./scripts/makestore -n "$n" -db "$db")
echo "$db: $n runs"
