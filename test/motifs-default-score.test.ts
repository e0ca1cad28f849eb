import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { pwmFromConsensus } from "../src/pwm/iupac-codes.js";
import type { Motif } from "../src/pwm/motif.js";
import { readMotifVariants } from "../src/analysis/species-swap-variants.js";
import { KmerModel } from "../src/baselines/kmer-model.js";
import { loadMarkovCeiling } from "../src/baselines/markov-ceiling.js";
import { contributionTrack } from "../src/motifs/contribution-scores.js";
import { discoverMotifs, type MotifDiscovery } from "../src/motifs/discover-motifs.js";
import type { ReconstructionRecord } from "../src/infer/reconstruction-tsv.js";
import { HAS_SHARED, maxAbsDiff, SHARED, SKIP_REASON } from "./helpers/shared.js";

const SIM = `${SHARED}bench/sim12/`;
const SPECIES = ["sp00", "sp01", "sp02", "sp03"];
const PER_SPECIES = 100;
/** Probability a model that learned the planted motifs gives a site's reference base. */
const P_SITE = 0.8;

/**
 * A reconstruction with known motif probabilities: held-out (test split) sim12 sequences; every
 * background position gets the exact full conditional of its species' order-2 chain (what a well-trained
 * model converges to), every planted site base gets P_SITE on the reference (the rest in the chain's
 * proportions). The background is very predictable in GC-rich repeats, which is what log-ratio scores.
 */
async function reconstruction(): Promise<{ records: ReconstructionRecord[]; species: Map<string, string> }> {
  const sites = new Map<string, Array<[number, number]>>();
  for (const line of readFileSync(`${SIM}sites.tsv`, "utf8").trim().split("\n").slice(1)) {
    const [id, , start, site] = line.split("\t");
    (sites.get(id!) ?? sites.set(id!, []).get(id!)!).push([Number(start), site!.length]);
  }
  const ceiling = await loadMarkovCeiling(`${SIM}truth.json`);
  const taken = new Map<string, number>();
  const records: ReconstructionRecord[] = [];
  const species = new Map<string, string>();
  for (const line of readFileSync(`${SIM}sequences.tsv`, "utf8").trim().split("\n").slice(1)) {
    const [sp, id, split, sequence] = line.split("\t") as [string, string, string, string];
    if (split !== "test" || !SPECIES.includes(sp) || (taken.get(sp) ?? 0) >= PER_SPECIES) continue;
    taken.set(sp, (taken.get(sp) ?? 0) + 1);
    const probs = ceiling.predict({ id, species: sp, sequence });
    for (const [s, w] of sites.get(id) ?? []) {
      for (let i = s; i < s + w; i++) {
        const ref = "ACGT".indexOf(sequence[i]!),
          pRef = Math.max(P_SITE, probs[i * 4 + ref]!),
          rest = 1 - probs[i * 4 + ref]!;
        for (let c = 0; c < 4; c++) probs[i * 4 + c] = c === ref ? pRef : rest > 0 ? (probs[i * 4 + c]! / rest) * (1 - pRef) : 0;
      }
    }
    records.push({ id, sequence, probs });
    species.set(id, sp);
  }
  return { records, species };
}

async function planted(): Promise<Motif[]> {
  const db: Motif[] = [];
  for (const v of await readMotifVariants(`${SIM}truth.json`)) {
    if (!db.some((m) => m.id === v.variant))
      db.push({ id: v.variant, name: v.family, source: "planted", width: v.variant.length, probs: pwmFromConsensus(v.variant) });
  }
  return db;
}

/** Families matched at q < 0.05, and the unmatched patterns whose consensus is GC-rich (>= half of its A/C/G/T letters). */
function summarise(d: MotifDiscovery): { families: string[]; spuriousGc: string[] } {
  const families = new Set<string>();
  const spuriousGc: string[] = [];
  for (const m of d.motifs) {
    const best = m.matches[0];
    if (best && best.qValue < 0.05) families.add(best.target.name);
    else {
      const acgt = m.consensus.replace(/[^ACGT]/g, "");
      if (acgt.replace(/[AT]/g, "").length * 2 >= acgt.length) spuriousGc.push(m.consensus);
    }
  }
  return { families: [...families].sort(), spuriousGc };
}

describe.skipIf(!HAS_SHARED)(`motifs discover's default score${HAS_SHARED ? "" : ` (${SKIP_REASON})`}`, () => {
  // 3' UTR motifs are planted on the transcript strand: discovery and matching read that strand only
  const opts = { bothStrands: false, match: { bothStrands: false } };

  it("with no baseline given, finds planted families and no GC-rich artefact, where log-ratio finds only artefacts", async () => {
    const { records, species } = await reconstruction();
    expect(records).toHaveLength(SPECIES.length * PER_SPECIES);
    const db = await planted();
    const byDefault = summarise(discoverMotifs(contributionTrack(records, { species }), { ...opts, database: db }));
    const logRatio = summarise(discoverMotifs(contributionTrack(records, { species, score: "log-ratio" }), { ...opts, database: db }));
    expect(byDefault.families).toEqual(["EFF", "NRD", "PUF", "WHI"]);
    expect(byDefault.spuriousGc).toEqual([]);
    expect(logRatio.spuriousGc.length, logRatio.spuriousGc.join(" ")).toBeGreaterThanOrEqual(8);
    expect(logRatio.families.length).toBeLessThanOrEqual(1);
  });

  it("the default baseline is `baseline fit --left 2 --right 2` on the analysed sequences, per species", async () => {
    const { records, species } = await reconstruction();
    const fitted = await KmerModel.fit(
      records.map((r) => ({ id: r.id, species: species.get(r.id)!, sequence: r.sequence })),
      { kind: "markov", left: 2, right: 2 },
    );
    const explicit = contributionTrack(records, {
      species,
      score: "vs-baseline",
      baseline: (id, s) => fitted.predictSequence(s, species.get(id)!),
    });
    const byDefault = contributionTrack(records, { species });
    expect(maxAbsDiff(byDefault.hyp, explicit.hyp)).toBe(0);
    // per species, not pooled: a pooled table gives other scores
    const pooled = await KmerModel.fit(
      records.map((r) => ({ id: r.id, species: "", sequence: r.sequence })),
      { kind: "markov", left: 2, right: 2 },
    );
    const pooledTrack = contributionTrack(records, { species, score: "vs-baseline", baseline: (_id, s) => pooled.predictSequence(s, "") });
    expect(maxAbsDiff(pooledTrack.hyp, byDefault.hyp)).toBeGreaterThan(0.01);
  });
});
