#!/usr/bin/env bash
# Readouts on real yeast data (issue 16): half-life from 3' regions (S. cerevisiae, S. pombe), MPRA
# expression, with k-mer baselines, codon usage and the Cheng et al. 2017 features; and the Puf3 sites.
# With MODELS (comma-separated model folders, e.g. the yeast-3utr token and agnostic checkpoints) the
# embedding sets run as well, and `sites` scores the Puf3 instances with those models.
# For S. pombe every record is given a species name no model knows, so --species-proxy tells each
# species-aware model S. pombe's own token and C. albicans' token in turn (the paper's candida-vs-pombe
# comparison); agnostic models are run once.
# The MPRA promoters are embedded by MPRA_MODELS (e.g. a 5' model; default MODELS) named MPRA_NAMES.
# usage: bash experiments/readout/run.sh [OUT] [MODELS] [NAMES]   (after npm run build; reads ../shared/data)
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-runs/readout}; MODELS=${2:-}; NAMES=${3:-}
DATA=../shared/data
mkdir -p "$OUT"
cli() { node dist/cli/main.js "$@"; }
[ -f "$OUT/r64_3prime.fa" ] || cli extract --genome $DATA/scer/R64-1-1.ensembl94.fa.gz --annotation $DATA/scer/sgd_genes.gff3.gz \
  --species saccharomyces_cerevisiae --region three_prime -o "$OUT/r64_3prime.fa"
node experiments/readout/prepare.mjs "$OUT"
EMB=""; MODEL_ARGS=()
if [ -n "$MODELS" ]; then
  EMB=",embed=embed,embed+codons=embed+covfrac:TTT..GGG"
  MODEL_ARGS=(--model "$MODELS" ${NAMES:+--names "$NAMES"} --threads 1)
fi
C=covfrac:TTT..GGG
SETS="3mer=kmer3,codons=$C,3mer+codons=kmer3+$C,3mer+gc+length+codons=kmer3+gc+length+$C"
cli readout -i "$OUT/scer_sun2013.tsv" --target halflife --target-transform log --folds 10 --seed 1 "${MODEL_ARGS[@]}" \
  --features "$SETS,cheng=$C+cov:UTR5_length..UTR5_deltaG$EMB" \
  --title "S. cerevisiae mRNA half-life (Sun 2013, log) from R64 3' regions" -o "$OUT/scer-halflife" --json > "$OUT/scer-halflife.summary.json"
cli readout -i "$OUT/scer_6datasets.tsv" --target Miller,Presnyak,Geisberg,Sun,Gupta,Neymotin --target-transform log --drop-missing \
  --features "3mer=kmer3,codons=$C,3mer+codons=kmer3+$C" --title "S. cerevisiae half-life, six data sets (log): 3' region k-mers and codon usage" -o "$OUT/scer-6datasets" --json > "$OUT/scer-6datasets.summary.json"
cli readout -i "$OUT/spombe.tsv" --target halflife --target-transform log --folds 10 --seed 1 "${MODEL_ARGS[@]}" \
  ${MODELS:+--species-column none --species pombe_as_unknown --species-proxy schizosaccharomyces_pombe,candida_albicans} --features "$SETS$EMB" \
  --title "S. pombe mRNA half-life (log) from 3' regions" -o "$OUT/spombe-halflife" --json > "$OUT/spombe-halflife.summary.json"
# Puf3 instances (TGTAAATA) in R64 3' regions, labelled by the gene's stabilisation in puf3-delta (prepare.mjs
# explains the threshold). k-mer tables are fitted on S. paradoxus CBS432 3' regions, not on the scored
# genes themselves: a (5,5) table fitted on R64 would have counted each instance's own 11-mer context.
[ -f "$OUT/cbs432_3prime.fa" ] || cli extract --genome $DATA/strains/genome/CBS432.genome.fa.gz --annotation $DATA/strains/gff/CBS432.all_feature.gff.gz \
  --species saccharomyces_paradoxus --region three_prime -o "$OUT/cbs432_3prime.fa"
awk 'BEGIN { print "species\tid\tsequence" } /^>/ { if (id) print "saccharomyces_paradoxus\t" id "\t" seq; id = substr($1, 2); seq = ""; next } { seq = seq $0 } END { print "saccharomyces_paradoxus\t" id "\t" seq }' \
  "$OUT/cbs432_3prime.fa" > "$OUT/cbs432_3prime.tsv"
for o in 2 5; do [ -f "$OUT/kmer-$o-$o/baseline.json" ] || cli baseline fit -i "$OUT/cbs432_3prime.tsv" --left $o --right $o -o "$OUT/kmer-$o-$o"; done
echo "TGTAAATA Puf3" > "$OUT/puf3.txt"
cli sites -i "$OUT/r64_3prime.fa" --motifs "$OUT/puf3.txt" --labels "$OUT/puf3_labels.tsv" --baseline "$OUT/kmer-2-2,$OUT/kmer-5-5" \
  --baseline-names kmer-2-2-paradoxus,kmer-5-5-paradoxus ${MODELS:+--model "$MODELS"} ${NAMES:+--names "$NAMES"} ${MODELS:+--threads 1} \
  --title "Puf3 TGTAAATA instances in R64 3' regions: genes stabilised in puf3-delta vs not" -o "$OUT/puf3-sites" --json > "$OUT/puf3-sites.summary.json"
# last: 5-mers make this the slowest readout (a 1,024 x 1,024 eigendecomposition per fold in JavaScript)
if [ -z "${MPRA_MODELS:-}" ]; then MPRA_MODELS=$MODELS; MPRA_NAMES=$NAMES; fi
MPRA_ARGS=(); [ -n "$MPRA_MODELS" ] && MPRA_ARGS=(--model "$MPRA_MODELS" ${MPRA_NAMES:+--names "$MPRA_NAMES"} --threads 1)
cli readout -i "$OUT/mpra.tsv" --target expression --folds 10 --seed 1 "${MPRA_ARGS[@]}" \
  --features "3mer=kmer3,4mer=kmer4,5mer=kmer5${MPRA_MODELS:+,embed=embed}" --title "DREAM random-promoter MPRA expression" -o "$OUT/mpra-expression" --json > "$OUT/mpra-expression.summary.json"
