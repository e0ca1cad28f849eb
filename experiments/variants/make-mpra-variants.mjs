#!/usr/bin/env node
// MPRA sense check (issue 14): the DREAM random promoters have no variants, so build them. For each
// motif (TATA box TATAAA, Reb1 TTACCCG) and each sequence, one SNV inside the random 80 nt that
// creates the motif (the window has exactly one mismatch and the sequence has no copy yet), and one
// that destroys an existing copy; each paired with a control SNV in the same sequence with the same ref
// and alt bases, at least --min-distance nt from every copy and from the motif SNV. A model that learned
// the motif gives the creating alt a higher llr than its control, the destroying alt a lower one.
// Columns: id species sequence pos ref alt label motif kind expression (label 1 = motif SNV).
//
//   node experiments/variants/make-mpra-variants.mjs --mpra dream2022_random_promoters_train.txt
//        [--max 400] [--min-distance 8] [--seed 1] -o variants.tsv
import { readFileSync, writeFileSync } from "node:fs";
import { mulberry32 } from "../../dist/rng.js";

const a = { max: "400", "min-distance": "8", seed: "1" };
for (let i = 2; i < process.argv.length; i += 2) a[process.argv[i].replace(/^-+/, "")] = process.argv[i + 1];
for (const k of ["mpra", "o"]) if (!a[k]) throw new Error(`--${k} is required`);
const perKind = Number(a.max),
  minDistance = Number(a["min-distance"]);
const rng = mulberry32(Number(a.seed));
const MOTIFS = { TATA: "TATAAA", Reb1: "TTACCCG" };
// The 110-nt constructs are 17 nt of fixed 5' flank, the random 80 nt, and a fixed 3' flank.
const RANDOM_START = 17,
  RANDOM_END = 97;

const rows = readFileSync(a.mpra, "utf8")
  .trim()
  .split("\n")
  .map((l) => l.split("\t"))
  .filter(([s]) => s.length === 110 && /^[ACGT]+$/.test(s))
  .map(([sequence, e]) => ({ sequence, expression: Number(e) }));
const rc = (s) =>
  [...s]
    .reverse()
    .map((c) => ({ A: "T", C: "G", G: "C", T: "A" })[c])
    .join("");
/** Start positions of the motif on either strand. */
const copies = (s, m) => {
  const out = [];
  for (const q of new Set([m, rc(m)])) for (let i = s.indexOf(q); i >= 0; i = s.indexOf(q, i + 1)) out.push({ start: i, word: q });
  return out;
};
const control = (r, pos, ref, _alt, avoid) => {
  const far = (p) => avoid.every((x) => p < x.start - minDistance || p > x.end + minDistance) && Math.abs(p - pos) > minDistance;
  const options = [];
  for (let p = RANDOM_START; p < RANDOM_END; p++) if (r.sequence[p] === ref && far(p)) options.push(p);
  return options.length ? options[rng.int(options.length)] : -1;
};

const out = ["id\tspecies\tsequence\tpos\tref\talt\tlabel\tmotif\tkind\texpression"];
const emit = (r, i, pos, ref, alt, label, motif, kind) =>
  out.push([`s${i}:${motif}:${kind}:${pos}`, "saccharomyces_cerevisiae", r.sequence, pos, ref, alt, label, motif, kind, r.expression].join("\t"));
const order = rows.map((_, i) => i);
for (let i = order.length - 1; i > 0; i--) {
  const j = rng.int(i + 1);
  [order[i], order[j]] = [order[j], order[i]];
}
for (const [motif, word] of Object.entries(MOTIFS)) {
  let created = 0,
    destroyed = 0;
  for (const i of order) {
    const r = rows[i];
    const present = copies(r.sequence, word).map((c) => ({ start: c.start, end: c.start + word.length - 1, word: c.word }));
    if (present.length === 0 && created < perKind) {
      // the first window of the random part, either strand, one substitution away from the motif
      let hit;
      for (let s = RANDOM_START; s + word.length <= RANDOM_END && !hit; s++) {
        for (const q of new Set([word, rc(word)])) {
          const diff = [...q].flatMap((c, j) => (r.sequence[s + j] === c ? [] : [j]));
          if (diff.length === 1) {
            hit = { pos: s + diff[0], alt: q[diff[0]], start: s, end: s + q.length - 1 };
            break;
          }
        }
      }
      if (hit && copies(r.sequence.slice(0, hit.pos) + hit.alt + r.sequence.slice(hit.pos + 1), word).length === 1) {
        const ref = r.sequence[hit.pos],
          c = control(r, hit.pos, ref, hit.alt, [hit]);
        if (c >= 0) {
          emit(r, i, hit.pos, ref, hit.alt, 1, motif, "create");
          emit(r, i, c, ref, hit.alt, 0, motif, "create");
          created++;
        }
      }
    } else if (present.length > 0 && destroyed < perKind) {
      const copy = present.find((p) => p.start >= RANDOM_START && p.end < RANDOM_END);
      if (copy) {
        const pos = copy.start + rng.int(word.length),
          ref = r.sequence[pos];
        const alts = [..."ACGT"].filter((b) => b !== ref),
          alt = alts[rng.int(3)];
        const c = control(r, pos, ref, alt, present);
        if (c >= 0) {
          emit(r, i, pos, ref, alt, 1, motif, "destroy");
          emit(r, i, c, ref, alt, 0, motif, "destroy");
          destroyed++;
        }
      }
    }
    if (created >= perKind && destroyed >= perKind) break;
  }
  const withMotif = rows.filter((r) => copies(r.sequence.slice(RANDOM_START, RANDOM_END), word).length > 0);
  const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;
  console.error(
    `${motif} ${word}: ${created} creating, ${destroyed} destroying SNVs (each with a control); ` +
      `${withMotif.length} of ${rows.length} sequences carry it in the random part, mean expression ${mean(withMotif.map((r) => r.expression)).toFixed(2)} vs ${mean(rows.filter((r) => !withMotif.includes(r)).map((r) => r.expression)).toFixed(2)} without`,
  );
}
writeFileSync(a.o, out.join("\n") + "\n");
