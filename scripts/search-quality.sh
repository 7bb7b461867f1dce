#!/usr/bin/env bash
# Search quality: random search against TPE at an equal budget, and ASHA
# against an exhaustive grid at an equal epoch budget.
#
#   scripts/search-quality.sh            # 3 problems × 5 seeds × 30 trials, parallelism 1
#   SEEDS=3 TRIALS=20 scripts/search-quality.sh
#   FIRST_SEED=6 SEEDS=15 scripts/search-quality.sh   # held-out sweep seeds 6–20
#   PARTS=13 scripts/search-quality.sh   # only parts 1 and 3 (default 123)
#   CV=0 scripts/search-quality.sh       # the old single-split objective
#
# CV=K (default 5) makes every trial of parts 1 and 2 a K-fold
# cross-validation (the base spec's cv: K; the folds are dealt from the
# training and validation rows by the data seed, the test rows stay out),
# so a trial's objective is val_loss averaged over K models, each scored on
# its own fold: the mean curve at its best epoch, as xgboost.cv and
# GridSearchCV rank configurations. It is the default because it measures
# the configuration rather than one training run on one validation split
# (86 rows for breast-cancer, 126 for moons, 269 for digits): at random
# search's best configuration the training seed's standard deviation of the
# objective falls from 0.008, 0.019, 0.008 to 0.006, 0.004, 0.003 (part 2,
# sweep seeds 1–5), and one easy split no longer sets the level (random's
# median best on breast-cancer, 0.014 on the split, is 0.067 across the
# folds). It costs K times the training, on both cores: part 1 and 2 take
# about 4 minutes for 5 seeds. CV=0 is the single-split objective the
# README's earlier tables used.
#
# Part 1, for each problem and sweep seed: both samplers run TRIALS trials
# one at a time (TPE's first few, 4 or 5 here, are the same draws as random
# search's); the table gives the median number of trials each needs to
# reach random search's best-of-TRIALS (random: where its best was; TPE:
# the first trial at least as good, val_loss <= random's best; a seed where
# TPE never gets there counts as TRIALS+1), the median best, and, for
# trials 11–TRIALS, their median objective and how many beat random
# search's best of trials 1–10 (how much each sampler learns). The objective is val_loss:
# accuracy on a few hundred validation rows ties too often to tell
# searches apart.
# Part 2, the noise: random search's best configuration of each seed
# retrained with NOISE_SEEDS training seeds (the sweeps train every trial
# with the same seed), against the gap between random search's best and
# second-best trial. When the gap is well inside the noise, which trial is
# "random's best" is decided by the training seed's luck, not the search.
# Part 3: a digits grid of 27 configurations at 27 epochs, every trial
# trained in full, against the same grid with ASHA (rungs at 3, 9, 27).
#
# OUT=DIR keeps every sweep's JSON lines in DIR.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
if [ -n "${OUT:-}" ]; then mkdir -p "$OUT"; rm -rf "$tmp"; trap - EXIT; tmp=$(cd "$OUT" && pwd); fi
(cd "$here" && go build -o "$tmp/workbench" .)
wb="$tmp/workbench"
seeds=${SEEDS:-5}
first=${FIRST_SEED:-1}
last=$((first + seeds - 1))
parts=${PARTS:-123}
trials=${TRIALS:-30}
noise=${NOISE_SEEDS:-8}
cv=${CV:-5}
cvflags=()
if [ "$cv" != 0 ]; then cvflags=(--cv "$cv"); fi
objname="val_loss"
if [ "$cv" != 0 ]; then objname="val_loss, mean of $cv folds"; fi
echo "objective: $objname"

# sweepfile NAME TRAIN-FLAGS… -- writes a sweep file around the base spec
# of the train flags, with the random axes read from stdin (JSON list).
sweepfile() {
  local name=$1; shift
  "$wb" train --no-save "$@" --print-spec > "$tmp/$name.base.json"
  python3 - "$tmp/$name.base.json" "$tmp/$name.axes.json" > "$tmp/$name.sweep.json" <<'PY'
import json, sys
base = json.load(open(sys.argv[1]))
axes = json.load(open(sys.argv[2]))
print(json.dumps({"name": "search-quality", "objective": "val_loss", "base": base, "random": axes}))
PY
}

cat > "$tmp/digits.axes.json" <<'J'
[{"field": "lr", "kind": "log", "min": 1e-4, "max": 0.3},
 {"field": "l2", "kind": "log", "min": 1e-6, "max": 0.1},
 {"field": "model.hidden[0].units", "kind": "int", "min": 4, "max": 128},
 {"field": "dropout", "kind": "uniform", "min": 0, "max": 0.6}]
J
cat > "$tmp/breast-cancer.axes.json" <<'J'
[{"field": "lr", "kind": "log", "min": 1e-4, "max": 0.3},
 {"field": "batch", "kind": "int", "min": 4, "max": 128},
 {"field": "layers", "kind": "choice", "items": ["4", "16", "64", "8,8", "32,32", "64,64", "16,16,16", "64,64,64"]}]
J
cat > "$tmp/moons.axes.json" <<'J'
[{"field": "lr", "kind": "log", "min": 1e-4, "max": 1},
 {"field": "model.hidden[0].units", "kind": "int", "min": 2, "max": 64},
 {"field": "act", "kind": "choice", "items": ["relu", "tanh", "sigmoid", "elu", "leaky_relu", "gelu"]}]
J
sweepfile digits --data digits --scale standard --layers 32 --opt adam --batch 64 --epochs 6 "${cvflags[@]}"
sweepfile breast-cancer --data breast-cancer --scale standard --layers 16 --opt adam --epochs 15 "${cvflags[@]}"
sweepfile moons --data moons --noise 0.3 --layers 8 --act tanh --opt adam --batch 16 --epochs 25 "${cvflags[@]}"

for p in digits breast-cancer moons; do
  for s in $(seq "$first" "$last"); do
    for sampler in random tpe; do
      "$wb" sweep --file "$tmp/$p.sweep.json" --trials "$trials" --sampler "$sampler" --sweep-seed "$s" \
        --parallel 1 --json --db "$tmp/q.db" > "$tmp/$p.$s.$sampler.jsonl"
    done
  done
done

python3 - "$tmp" "$first" "$last" "$trials" <<'PY'
import json, sys, statistics
tmp, s0, s1, trials = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
seeds = s1 - s0 + 1
def objectives(path):
    ys = {}
    for line in open(path):
        e = json.loads(line)
        if e.get("event") == "trial":
            y = e.get("objective")
            ys[e["index"]] = float("inf") if y is None or e["status"] in ("pruned", "diverged", "failed") else y
    return [ys[i] for i in sorted(ys)]
def med(xs):
    return statistics.median(xs)
print(f"| problem | random: trials to its best | TPE: trials to random's best | TPE / random | TPE reached it | median best val_loss, random | TPE | median val_loss of trials 11–{trials}, random | TPE | of trials 11–{trials}, better than random's best of 1–10, random | TPE |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for p in ["digits", "breast-cancer", "moons"]:
    rn, tn, rb, tb, rm, tm, rw, tw, reached = [], [], [], [], [], [], [], [], 0
    for s in range(s0, s1 + 1):
        r = objectives(f"{tmp}/{p}.{s}.random.jsonl")
        t = objectives(f"{tmp}/{p}.{s}.tpe.jsonl")
        best = min(r)
        rn.append(r.index(best) + 1)
        k = next((i + 1 for i, y in enumerate(t) if y <= best), trials + 1)
        reached += k <= trials
        tn.append(k)
        rb.append(best); tb.append(min(t))
        rm.append(med(r[10:])); tm.append(med(t[10:]))
        first = min(r[:10])
        rw.append(sum(y < first for y in r[10:])); tw.append(sum(y < first for y in t[10:]))
    mt = med(tn)
    tcell = f"{mt:g}" if mt <= trials else f">{trials}"
    print(f"| {p} | {med(rn):g} | {tcell} | {mt / med(rn):.2f} | {reached}/{seeds} | {med(rb):.4f} | {med(tb):.4f} | {med(rm):.4f} | {med(tm):.4f} | {med(rw):g} | {med(tw):g} |")
PY

# Part 2: the training seed's noise at random search's best configuration.
if [[ $parts == *2* ]]; then
for p in digits breast-cancer moons; do
  for s in $(seq "$first" "$last"); do
    python3 - "$tmp/$p.sweep.json" "$tmp/$p.$s.random.jsonl" "$noise" > "$tmp/$p.$s.noise.sweep.json" <<'PY'
import json, sys
sweep, path, n = json.load(open(sys.argv[1])), sys.argv[2], int(sys.argv[3])
done = [json.loads(l) for l in open(path)]
done = [e for e in done if e.get("event") == "trial" and e["status"] == "done" and e.get("objective") is not None]
best = min(done, key=lambda e: e["objective"])
print(json.dumps({"name": "search-quality-noise", "objective": "val_loss", "base": sweep["base"], "seeds": n,
                  "grid": [{"field": k, "values": [v]} for k, v in best["params"].items()]}))
PY
    "$wb" sweep --file "$tmp/$p.$s.noise.sweep.json" --parallel 1 --json --db "$tmp/n.db" > "$tmp/$p.$s.noise.jsonl"
  done
done
python3 - "$tmp" "$first" "$last" "$noise" <<'PY'
import json, sys, statistics
tmp, s0, s1, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
seeds = s1 - s0 + 1
def ys(path):
    out = []
    for line in open(path):
        e = json.loads(line)
        if e.get("event") == "trial" and e["status"] == "done" and e.get("objective") is not None:
            out.append(e["objective"])
    return out
print()
print(f"| problem | sd of val_loss at random's best configuration over {n} training seeds | gap from random's best to its second best | seeds whose gap is under one sd |")
print("|---|---|---|---|")
for p in ["digits", "breast-cancer", "moons"]:
    sds, gaps, under = [], [], 0
    for s in range(s0, s1 + 1):
        sd = statistics.stdev(ys(f"{tmp}/{p}.{s}.noise.jsonl"))
        r = sorted(ys(f"{tmp}/{p}.{s}.random.jsonl"))
        sds.append(sd); gaps.append(r[1] - r[0]); under += r[1] - r[0] < sd
    print(f"| {p} | {statistics.median(sds):.4f} | {statistics.median(gaps):.4f} | {under}/{seeds} |")
PY

fi

# Part 3: ASHA on digits against the exhaustive grid.
if [[ $parts == *3* ]]; then
grid=(--grid lr=0.0003,0.003,0.03 --grid l2=1e-5,1e-3,1e-1 --grid 'layers=8;32;32,32')
base=(--data digits --scale standard --opt adam --batch 64 --epochs 27 --parallel 1 --json --db "$tmp/a.db")
"$wb" sweep "${base[@]}" "${grid[@]}" > "$tmp/full.jsonl"
"$wb" sweep "${base[@]}" "${grid[@]}" --pruner asha --min-epochs 3 --reduction 3 > "$tmp/asha.jsonl"
python3 - "$tmp" <<'PY'
import json, sys
tmp = sys.argv[1]
def load(name):
    best, epochs = 0.0, 0
    for line in open(f"{tmp}/{name}.jsonl"):
        e = json.loads(line)
        if e.get("event") == "trial":
            epochs += e["epochs"]
            if e["status"] != "pruned" and e.get("objective") is not None:
                best = max(best, e["objective"])
    return best, epochs
fb, fe = load("full")
ab, ae = load("asha")
print()
print("| digits grid, 27 configurations | best val_accuracy of a trial trained in full | epochs trained |")
print("|---|---|---|")
print(f"| exhaustive | {fb:.4f} | {fe} |")
print(f"| ASHA (rungs 3, 9, 27; η 3) | {ab:.4f} ({(ab - fb) * 100:+.2f} points) | {ae} ({100 * (1 - ae / fe):.0f}% saved) |")
PY
fi
