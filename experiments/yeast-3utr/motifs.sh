#!/usr/bin/env bash
# Motif discovery on real S. cerevisiae 3' regions (R64: S288C itself is not in the corpus, its
# orthologs in the other strains are) from a
# yeast model's reconstructions, matched against ATtRACT (RNA-binding proteins) and the decay-motif list
# (Puf3 TGTAAATA, Whi3 TGCAT, the efficiency element TATATA...). 3' motifs bind the transcript, so
# discovery and matching read the given strand (--single-strand). Two scores: the lab's log-ratio, and
# vs-baseline against the corpus's S. cerevisiae (2,2) k-mer table (what the model knows beyond local
# composition). Run experiments/yeast-3utr/run.sh (or its corpus and a train) first.
# Usage: bash experiments/yeast-3utr/motifs.sh MODEL CORPUS [OUT] [N]   (after npm run build)
set -euo pipefail
cd "$(dirname "$0")/../.."
MODEL=${1:?model or train run folder}; CORPUS=${2:?corpus folder of the yeast run}; OUT=${3:-runs/yeast-motifs}; N=${4:-2000}
DATA=../shared/data
DB=$DATA/motifs/attract_2017_rbp.transfac,$DATA/motifs/decay_motifs_consensus.txt
cli() { node dist/cli/main.js "$@"; }
mkdir -p "$OUT"
[ -f "$OUT/r64_3prime.fa" ] || cli extract --genome $DATA/scer/R64-1-1.ensembl94.fa.gz --annotation $DATA/scer/sgd_genes.gff3.gz \
  --species saccharomyces_cerevisiae --region three_prime -o "$OUT/r64_3prime.fa"
# one OUT per model: the reconstruction is reused when present, keyed by N so a rerun with another N redoes it
awk -v n="$N" '/^>/ { k++ } k <= n' "$OUT/r64_3prime.fa" > "$OUT/r64-$N.fa"
[ -f "$OUT/recon-$N.tsv" ] || cli reconstruct --model "$MODEL" -i "$OUT/r64-$N.fa" --spans-per-pass 23 -o "$OUT/recon-$N.tsv"
[ -f "$OUT/kmer-2-2/baseline.json" ] || cli baseline fit -i "$CORPUS/train.tsv" --left 2 --right 2 -o "$OUT/kmer-2-2"
for score in log-ratio vs-baseline; do
  base=(); [ $score = vs-baseline ] && base=(--baseline "$OUT/kmer-2-2")
  cli motifs discover -r "$OUT/recon-$N.tsv" -i "$OUT/r64-$N.fa" --score $score "${base[@]}" --db "$DB" --single-strand \
    -o "$OUT/$score" --json > "$OUT/$score.json"
  echo "== $score: $(node -e 'const d = require(process.argv[1]); console.log(`${d.seqlets} seqlets, ${d.patterns.length} patterns`)' "$(realpath "$OUT/$score.json")")"
  cut -f1,4,7,8,12,16 "$OUT/$score.patterns.tsv" | column -t
done
