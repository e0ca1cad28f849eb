#!/usr/bin/env bash
# sim12: the same model config and budget in the three conditioning modes, then every model against the
# k-mer baselines and the exact Markov ceiling on held-out sequences. Reads ../shared/bench/sim12.
# Each model is one `specieslm train` with the default recipe (src/train/curriculum.ts: single
# nucleotides, one base in 3 masked with 80/10/10, then every masked token [MASK] drawing stride 3, 8 or
# one base per row); the three run side by side, one ORT thread each (same wall clock, same machine load).
# The evaluation reads 23 masked positions per pass (13x cheaper), then the published one-span recipe.
# Usage: bash experiments/sim12/run.sh [OUT] [CONFIG] [STEPS]   (after npm run build; 2,800 steps of `mini` took 37-38.5 CPU-min per model, NOTES tenth session)
# experiments/sim12/schedule-short-bert.json is the alternative schedule measured against the default (NOTES, eighth session).
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-runs/sim12}; CONFIG=${2:-mini}; STEPS=${3:-2800}
SIM=../shared/bench/sim12
cli() { node dist/cli/main.js "$@"; }
mkdir -p "$OUT"
[ -f "$OUT/corpus/corpus.json" ] || cli corpus from-table "$SIM/sequences.tsv" -o "$OUT/corpus"
pids=()
for mode in token embedding none; do
  [ -f "$OUT/$mode/checkpoint/trainer_state.json" ] && continue
  cli train --corpus "$OUT/corpus" --out "$OUT/$mode" --conditioning "$mode" --config "$CONFIG" --steps "$STEPS" \
    --valid-every 250 --threads 1 --json > "$OUT/$mode.train.json" & pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done # a failed training stops the script here

for side in "2 2" "5 5"; do
  set -- $side
  cli baseline fit -i "$SIM/sequences.tsv" --split train --left $1 --right $2 -o "$OUT/kmer-$1-$2"
  cli baseline fit -i "$SIM/sequences.tsv" --split train --left $1 --right $2 --pooled -o "$OUT/kmer-$1-$2-pooled"
done
# Held-out sequences: the first 16 per species of the test split, every nucleotide, 23 masked spans per pass.
MODELS="$OUT/token,$OUT/embedding,$OUT/none"
cli evaluate --model "$MODELS" --names token,embedding,none \
  --baseline "$OUT/kmer-2-2,$OUT/kmer-2-2-pooled,$OUT/kmer-5-5,$OUT/kmer-5-5-pooled" --ceiling "$SIM/truth.json" \
  --corpus "$OUT/corpus" --split test --per-species 16 --spans-per-pass 23 --sites "$SIM/sites.tsv" \
  --title "sim12: species-aware vs agnostic vs k-mer ($CONFIG, $STEPS steps)" -o "$OUT/report" --json > "$OUT/report.summary.json"
# The same models and sequences by the published recipe, one span per pass (~21 min on 2 cores): how far
# the 23-span evaluation above is from it, and the comparison by the recipe itself.
cli evaluate --model "$MODELS" --names token,embedding,none --baseline "$OUT/kmer-2-2" \
  --corpus "$OUT/corpus" --split test --per-species 16 --spans-per-pass 1 --batch-size 128 \
  --title "sim12 by the published recipe, one span per pass ($CONFIG, $STEPS steps)" -o "$OUT/exact-192" --json > "$OUT/exact-192.summary.json"
# Motif variants that follow the species, and the species tree from the model's behaviour.
SPECIES=$(cut -f1 "$SIM/sequences.tsv" | tail -n +2 | sort -u | paste -sd,)
for mode in token embedding none; do
  cli species-swap --model "$OUT/$mode" --input "$OUT/corpus/test.tsv" --species "$SPECIES" --motifs "$SIM/truth.json" \
    --max-per-species 8 -o "$OUT/swap-$mode" --json > "$OUT/swap-$mode.summary.json"
done
for mode in token embedding; do
  cli species-map --model "$OUT/$mode" --reference "$SIM/tree.nwk" -o "$OUT/map-$mode" --json > "$OUT/map-$mode.summary.json"
done
cli species-map --model "$OUT/embedding" --method rows --reference "$SIM/tree.nwk" -o "$OUT/map-embedding-rows" --json > "$OUT/map-embedding-rows.summary.json"
