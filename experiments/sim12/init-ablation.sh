#!/usr/bin/env bash
# The start of training: the same token model from --init random and --init structured, validation
# k-mer loss and nucleotide cross-entropy every 50 steps, side by side. Reads ../shared/bench/sim12.
# Usage: bash experiments/sim12/init-ablation.sh [OUT] [STEPS]   (after npm run build)
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-runs/sim12-init}; STEPS=${2:-900}
cli() { node dist/cli/main.js "$@"; }
mkdir -p "$OUT"
[ -f "$OUT/corpus/corpus.json" ] || cli corpus from-table ../shared/bench/sim12/sequences.tsv -o "$OUT/corpus"
pids=()
for init in random structured; do
  [ -f "$OUT/$init/checkpoint/trainer_state.json" ] && continue
  cli train --corpus "$OUT/corpus" --out "$OUT/$init" --conditioning token --config mini --steps "$STEPS" --init $init \
    --batch-size 32 --lr 2e-3 --warmup 60 --decay linear --seed 1 --valid-every 50 --valid-per-species 16 --threads 1 --json > /dev/null &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
node -e '
const fs = require("fs");
const curve = (init) => fs.readFileSync(`${process.argv[1]}/${init}/train_log.jsonl`, "utf8").trim().split("\n")
  .map((l) => JSON.parse(l)).filter((e) => e.kind === "valid");
const [r, s] = [curve("random"), curve("structured")];
console.log("step\trandom k-mer CE\trandom nt CE\tstructured k-mer CE\tstructured nt CE");
r.forEach((e, i) => console.log([e.step, e.loss, e.meanCrossEntropy, s[i].loss, s[i].meanCrossEntropy].map((x) => +x.toFixed(4)).join("\t")));
' "$OUT"
