#!/usr/bin/env bash
# sim12 variant-effect experiment: motif-breaking vs background variants (matched per species, held-out
# sequences), scored zero-shot by each conditioning mode's model (MODES, default embedding none token,
# found as MODELS/MODE-default, MODE-stage2 or MODE) and by the per-species (2,2) k-mer table. About 5
# minutes on 2 cores with the mini models.
#
#   [MODELS=DIR] [CORPUS=DIR] [MODES="embedding none"] [INFLUENCE_EXCLUDE=5] bash experiments/variants/run-sim12.sh [OUT] [PER_SPECIES]
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-/tmp/specieslm-variants-sim12}
N=${2:-25}
SIM=../shared/bench/sim12
MODELS=${MODELS:-/work/models/sim12}
CORPUS=${CORPUS:-$MODELS/corpus}
THREADS=${THREADS:-2}
mkdir -p "$OUT"
npm run build >/dev/null
CLI="node dist/cli/main.js"
node experiments/variants/make-sim12-variants.mjs --sequences "$CORPUS/test.tsv" --sites "$SIM/sites.tsv" --truth "$SIM/truth.json" \
  --per-species "$N" --seed 1 -o "$OUT/variants.tsv"
SCORES=()
for mode in ${MODES:-embedding none token}; do
  ckpt=""
  for c in "$MODELS/$mode-default/checkpoint" "$MODELS/$mode-stage2/checkpoint" "$MODELS/$mode/checkpoint"; do
    if [ -f "$c/config.json" ]; then ckpt=$c; break; fi
  done
  [ -n "$ckpt" ] || { echo "no trained $mode model under $MODELS (looked for $mode-default, $mode-stage2, $mode)" >&2; exit 1; }
  echo "== $mode: $ckpt" >&2
  $CLI variants --model "$ckpt" -i "$OUT/variants.tsv" -o "$OUT/$mode.tsv" --scores llr,influence,embedding_distance --threads "$THREADS" ${INFLUENCE_EXCLUDE:+--influence-exclude "$INFLUENCE_EXCLUDE"}
  SCORES+=("$mode=$OUT/$mode.tsv")
done
$CLI baseline fit -i "$CORPUS/train.tsv" --left 2 --right 2 -o "$OUT/kmer22" >/dev/null
# the (2,2) k-mer table and the background chain's exact conditionals (the Markov ceiling), no LM
$CLI variants --baseline "$OUT/kmer22,$SIM/truth.json" -i "$OUT/variants.tsv" -o "$OUT/kmer.tsv"
node experiments/variants/summarise.mjs --variants "$OUT/variants.tsv" --scores "$(IFS=,; echo "${SCORES[*]}")" \
  --kmer "kmer22=$OUT/kmer.tsv:kmer_2_2_llr,background_chain=$OUT/kmer.tsv:markov_ceiling_llr" \
  -o "$OUT/summary" --report "${REPORT:-docs/variants-sim12-report.html}"
