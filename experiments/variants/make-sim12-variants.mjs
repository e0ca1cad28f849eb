#!/usr/bin/env node
// sim12 variant table: variants that break a planted motif (one base of a site in sites.tsv changed)
// and background variants at least --min-distance nt from every site, matched in number per species,
// on held-out sequences. Columns: id species sequence pos ref alt label family offset variable, where
// label = 1 for motif-breaking variants and variable = 1 when the family's consensus base at that
// offset differs between the species that carry the family (truth.json), the case where telling the
// model the species should matter.
//
//   node experiments/variants/make-sim12-variants.mjs --sequences corpus/test.tsv --sites sites.tsv
//        --truth truth.json [--per-species 25] [--min-distance 10] [--seed 1] -o variants.tsv
import { readFileSync, writeFileSync } from "node:fs";
import { mulberry32 } from "../../dist/rng.js";

const a = { "per-species": "25", "min-distance": "10", seed: "1" };
for (let i = 2; i < process.argv.length; i += 2) a[process.argv[i].replace(/^-+/, "")] = process.argv[i + 1];
for (const k of ["sequences", "sites", "truth", "o"]) if (!a[k]) throw new Error(`--${k} is required`);
const perSpecies = Number(a["per-species"]),
  minDistance = Number(a["min-distance"]);
const rng = mulberry32(Number(a.seed));

const tsv = (path) => {
  const [head, ...rows] = readFileSync(path, "utf8")
    .trim()
    .split("\n")
    .map((l) => l.split("\t"));
  return rows.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]])));
};
const seqs = tsv(a.sequences);
const sitesById = new Map();
for (const s of tsv(a.sites)) sitesById.set(s.id, [...(sitesById.get(s.id) ?? []), { family: s.family, start: Number(s.start), site: s.site }]);
const truth = JSON.parse(readFileSync(a.truth, "utf8"));

/** Consensus bases per family and offset across the species that carry the family. */
const variableAt = (family, offset) => {
  const bases = new Set(
    Object.values(truth.species)
      .filter((s) => s.families[family]?.present)
      .map((s) => s.families[family].consensus[offset]),
  );
  return bases.size > 1 ? 1 : 0;
};
const otherBase = (b) => {
  const opts = [..."ACGT"].filter((c) => c !== b);
  return opts[rng.int(opts.length)];
};
const pick = (xs) => xs[rng.int(xs.length)];

const out = ["id\tspecies\tsequence\tpos\tref\talt\tlabel\tfamily\toffset\tvariable"];
const bySpecies = new Map();
for (const r of seqs) bySpecies.set(r.species, [...(bySpecies.get(r.species) ?? []), r]);
for (const [species, records] of [...bySpecies].sort()) {
  const withSites = records.filter((r) => sitesById.has(r.id));
  const motif = [];
  for (let tries = 0; motif.length < perSpecies && tries < perSpecies * 50; tries++) {
    const r = pick(withSites);
    const s = pick(sitesById.get(r.id));
    const offset = rng.int(s.site.length);
    const pos = s.start + offset;
    if (r.sequence[pos] !== s.site[offset] || motif.some((m) => m.id === r.id && m.pos === pos)) continue;
    motif.push({ id: r.id, sequence: r.sequence, pos, family: s.family, offset, variable: variableAt(s.family, offset) });
  }
  const background = [];
  for (let tries = 0; background.length < motif.length && tries < perSpecies * 200; tries++) {
    const r = pick(records);
    const pos = rng.int(r.sequence.length);
    const near = (sitesById.get(r.id) ?? []).some((s) => pos > s.start - 1 - minDistance && pos < s.start + s.site.length + minDistance);
    if (near || !"ACGT".includes(r.sequence[pos]) || background.some((m) => m.id === r.id && m.pos === pos)) continue;
    background.push({ id: r.id, sequence: r.sequence, pos, family: "none", offset: -1, variable: 0 });
  }
  for (const [label, list] of [
    [1, motif],
    [0, background],
  ]) {
    for (const v of list) {
      const ref = v.sequence[v.pos];
      out.push([`${v.id}:${v.pos}`, species, v.sequence, v.pos, ref, otherBase(ref), label, v.family, v.offset, v.variable].join("\t"));
    }
  }
  console.error(`${species}: ${motif.length} motif-breaking, ${background.length} background variants`);
}
writeFileSync(a.o, out.join("\n") + "\n");
