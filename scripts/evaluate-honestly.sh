#!/usr/bin/env bash
# The figures of issue 18, in full (the tests check cheaper versions):
#  1. diabetes, seeds 1–5, raw against standard target scaling: test R²
#     with the split varying with the seed (the issue's recipe) and with
#     the split fixed (--data-seed 1), so split noise and training noise
#     can be told apart;
#  2. credit, seeds 1–5: recall on bad without and with balanced weights;
#  3. wine, 5-fold cross-validation: accuracy mean ± std;
#  4. an over-confident model's validation ECE before and after
#     temperature scaling.
# Needs python3 for the JSON.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
(cd "$here" && go build -o "$tmp/workbench" .)
wb() { "$tmp/workbench" "$@" --no-save --json | tail -1; }
get() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
spread() { python3 -c "import sys; v=[float(x) for x in sys.argv[1:]]; print(' '.join('%.3f'%x for x in v), ' mean %.3f  spread %.3f' % (sum(v)/len(v), max(v)-min(v)))" "$@"; }

echo "1. diabetes: 64 relu, adam 1e-3, batch 32, 200 epochs, standard inputs; test R² over seeds 1-5"
for split in seed fixed; do
  for st in none standard; do
    r=()
    for s in 1 2 3 4 5; do
      extra=(); [ "$split" = fixed ] && extra=(--data-seed 1)
      r+=("$(wb train --data diabetes --scale standard --layers 64 --act relu --opt adam --lr 0.001 --batch 32 \
        --epochs 200 --seed "$s" "${extra[@]}" --scale-target "$st" | get "d['test']['r2']")")
    done
    printf "  split %-5s target %-8s " "$split" "$st"; spread "${r[@]}"
  done
done

echo "2. credit: 32 relu, adam 1e-3, batch 32, 30 epochs; test recall on bad over seeds 1-5"
for cw in none balanced; do
  r=()
  for s in 1 2 3 4 5; do
    r+=("$(wb train --data credit --scale standard --layers 32 --act relu --opt adam --lr 0.001 --batch 32 --epochs 30 \
      --seed "$s" --class-weight "$cw" | get "d['test']['recall']")")
  done
  printf "  class weight %-9s " "$cw"; spread "${r[@]}"
done

echo "3. wine, 5-fold cross-validation (16 tanh, adam 0.01, 30 epochs)"
wb train --data wine --scale standard --layers 16 --opt adam --lr 0.01 --epochs 30 --cv 5 |
  get "'  val accuracy %.4f ± %.4f; held-out test %.4f ± %.4f' % (d['cv']['val']['accuracy'], d['cv']['val_std']['accuracy'], d['test']['accuracy'], d['cv']['test_std']['accuracy'])"

echo "4. over-confident: moons (400 points, noise 0.3), 64,64 relu, adam 0.01, 200 epochs, half for validation"
wb train --data moons --samples 400 --noise 0.3 --split 0.5,0.5,0 --seed 3 --layers 64,64 --act relu --init he_uniform \
  --opt adam --lr 0.01 --batch 16 --epochs 200 --calibrate temperature |
  get "'  temperature %.3f: validation ECE %.4f -> %.4f, Brier %.4f -> %.4f' % tuple(d['calibration'][k] for k in ('temperature','ece_before','ece_after','brier_before','brier_after'))"
