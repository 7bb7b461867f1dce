#!/usr/bin/env bash
# Prints workbench's packages, lowest layer first (go list -deps order),
# each with the packages of ours it imports.
set -euo pipefail
cd "$(dirname "$0")/.."
for p in $(go list -deps ./... | grep '^workbench'); do
  printf '%-20s ← %s\n' "$p" "$(go list -f '{{join .Imports " "}}' "$p" | tr ' ' '\n' | grep '^workbench' | sed 's|workbench/||' | tr '\n' ' ')"
done
