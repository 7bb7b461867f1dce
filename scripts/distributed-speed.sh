#!/usr/bin/env bash
# The cost of the queue: an 8-trial sweep run locally with --parallel 2,
# then the same sweep distributed to 2 workers (--concurrency 1 each) on
# this machine, both on the same PostgreSQL store, so that only the queue
# differs (issue target: the queue costs at most 10% of the throughput).
# Rounds (ROUNDS, default 3) alternate the two; medians are printed.
# Also prints the queue's latency from enqueue to start, read from River's
# jobs, with idle workers.
#   scripts/distributed-speed.sh [postgres://USER@HOST:PORT/DB]
# The URL names a server whose role may create databases (default
# $WORKBENCH_TEST_PG); the script creates and drops its own database.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
base=${1:-${WORKBENCH_TEST_PG:?give a postgres:// URL or set WORKBENCH_TEST_PG}}
psql_=(psql -qAtX)
command -v psql > /dev/null || export PATH=/usr/lib/postgresql/15/bin:$PATH
dbname=wb_distributed_speed_$$
url=$(python3 -c 'import sys,urllib.parse as u; p=u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/"+sys.argv[2])))' "$base" "$dbname")
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2> /dev/null || true; done
  wait 2> /dev/null || true
  "${psql_[@]}" "$base" -c "DROP DATABASE IF EXISTS $dbname" > /dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
(cd "$here" && go build -o "$tmp/workbench" .)
"${psql_[@]}" "$base" -c "CREATE DATABASE $dbname"
wb="$tmp/workbench"
args=(--data moons --samples 3000 --noise 0.15 --layers 16,16 --act tanh --opt adam --epochs 500
      --grid lr=0.003,0.01,0.03,0.1 --grid l2=0,0.0001)
echo "load before: $(uptime)"

secs() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.2f", e-s }'; }

for i in 1 2; do
  "$wb" worker --db "$url" --concurrency 1 > "$tmp/worker$i.log" 2>&1 &
  pids+=($!)
done
sleep 2 # the workers connect and wait
# Rounds alternate local and distributed, so that the machine's load
# falls on both alike; the medians are printed.
locals=() dists=()
for r in $(seq "${ROUNDS:-3}"); do
  s=$(date +%s.%N)
  "$wb" sweep "${args[@]}" --parallel 2 --db "$url" > /dev/null
  e=$(date +%s.%N)
  locals+=("$(secs "$s" "$e")")
  s=$(date +%s.%N)
  "$wb" sweep "${args[@]}" --distributed --wait --db "$url" > /dev/null
  e=$(date +%s.%N)
  dists+=("$(secs "$s" "$e")")
  echo "round $r: local ${locals[-1]}s, distributed ${dists[-1]}s"
done
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2 }'; }
local_s=$(median "${locals[@]}")
dist_s=$(median "${dists[@]}")

# Latency: single-trial sweeps, one at a time, with both workers idle.
"${psql_[@]}" "$url" -c "DELETE FROM river_job"
for i in 1 2 3 4 5 6; do
  "$wb" sweep --data moons --samples 200 --epochs 5 --grid lr=0.0$i --distributed --wait --db "$url" > /dev/null
done
lat=$("${psql_[@]}" "$url" -c "SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 1) || ' ms median, ' || round(max(ms)::numeric, 1) || ' ms max'
  FROM (SELECT extract(epoch FROM attempted_at - created_at) * 1000 AS ms FROM river_job) j")

awk -v l="$local_s" -v d="$dist_s" 'BEGIN {
  printf "local --parallel 2:           8 trials in %6.2fs, %5.1f trials/minute\n", l, 8*60/l
  printf "distributed, 2 workers:       8 trials in %6.2fs, %5.1f trials/minute\n", d, 8*60/d
  printf "ratio distributed/local:      %.3f (the queue costs %.1f%%)\n", l/d, (1-l/d)*100
}'
echo "queue latency, enqueue → start: $lat"
echo "load after: $(uptime)"
