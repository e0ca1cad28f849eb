import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { pwmFromConsensus } from "../src/pwm/iupac-codes.js";
import type { Motif } from "../src/pwm/motif.js";
import { readMotifVariants } from "../src/analysis/species-swap-variants.js";
import { trackFromScores, type ScoredSequence } from "../src/motifs/contribution-scores.js";
import { discoverMotifs, type MotifDiscovery } from "../src/motifs/discover-motifs.js";
import { mulberry32 } from "../src/rng.js";
import { HAS_SHARED, SHARED, SKIP_REASON } from "./helpers/shared.js";

const SIM = `${SHARED}bench/sim12/`;
const PER_SPECIES = 150;

/**
 * The algorithm on ideal scores: sim12's sequences with a contribution track built from the truth
 * (about 1 on every planted site base, noise of sd 0.15 everywhere), so what is tested is seqlet calling,
 * clustering and matching, not a model.
 */
function idealTrack(): ScoredSequence[] {
  const sites = new Map<string, Array<[number, number]>>();
  for (const line of readFileSync(`${SIM}sites.tsv`, "utf8").trim().split("\n").slice(1)) {
    const [id, , start, site] = line.split("\t");
    const list = sites.get(id!) ?? [];
    list.push([Number(start), site!.length]);
    sites.set(id!, list);
  }
  const rng = mulberry32(7);
  const taken = new Map<string, number>();
  const out: ScoredSequence[] = [];
  for (const line of readFileSync(`${SIM}sequences.tsv`, "utf8").trim().split("\n").slice(1)) {
    const [species, id, , sequence] = line.split("\t") as [string, string, string, string];
    if ((taken.get(species) ?? 0) >= PER_SPECIES) continue;
    taken.set(species, (taken.get(species) ?? 0) + 1);
    const contrib = Float32Array.from({ length: sequence.length }, () => 0.15 * rng.normal());
    for (const [s, w] of sites.get(id) ?? []) for (let i = s; i < s + w; i++) contrib[i] = 1 + 0.15 * rng.normal();
    out.push({ id, species, sequence, contrib });
  }
  return out;
}

/** Every planted variant (named by family) plus 10 random 6-8-mer decoys. */
async function plantedWithDecoys(): Promise<{ db: Motif[]; ownVariant: Map<string, string> }> {
  const variants = await readMotifVariants(`${SIM}truth.json`);
  const db: Motif[] = [];
  const ownVariant = new Map<string, string>();
  for (const v of variants) {
    if (!db.some((m) => m.id === v.variant))
      db.push({ id: v.variant, name: v.family, source: "planted", width: v.variant.length, probs: pwmFromConsensus(v.variant) });
    for (const sp of v.species) ownVariant.set(`${sp}/${v.family}`, v.variant);
  }
  const rng = mulberry32(99);
  for (let i = 0; i < 10; i++) {
    const c = Array.from({ length: 6 + rng.int(3) }, () => "ACGT"[rng.int(4)]).join("");
    db.push({ id: c, name: `decoy_${i}`, source: "decoy", width: c.length, probs: pwmFromConsensus(c) });
  }
  return { db, ownVariant };
}

const FAMILIES = ["EFF", "NRD", "PRS", "PUF", "WHI"];

function summarise(d: MotifDiscovery) {
  const recovered = new Set<string>();
  let unmatched = 0;
  for (const m of d.motifs) {
    const best = m.matches[0];
    if (best && best.qValue < 0.05 && !best.target.name.startsWith("decoy")) recovered.add(best.target.name);
    else unmatched++;
  }
  return { recovered: [...recovered].sort(), unmatched };
}

describe.skipIf(!HAS_SHARED)(`motif discovery on sim12 with ideal scores${HAS_SHARED ? "" : ` (${SKIP_REASON})`}`, () => {
  const items = HAS_SHARED ? idealTrack() : [];

  it("per species: every family recovered (q < 0.05), at most one pattern matching nothing planted, each species' own variant", async () => {
    const { db, ownVariant } = await plantedWithDecoys();
    // 3' UTR motifs bind RNA: sim12 plants them on the transcript strand, so discovery and matching read that strand only
    const d = discoverMotifs(trackFromScores(items), {
      bySpecies: true,
      bothStrands: false,
      minSeqlets: 10,
      database: db,
      match: { bothStrands: false },
    });
    const s = summarise(d);
    expect(s.recovered).toEqual(FAMILIES);
    expect(s.unmatched).toBeLessThanOrEqual(1);
    // variants told apart: a pattern matched to a family is that species' own variant of it
    let compared = 0,
      own = 0;
    const variantsSeen = new Map<string, Set<string>>();
    for (const m of d.motifs) {
      const best = m.matches[0]!;
      if (best.qValue >= 0.05 || best.target.name.startsWith("decoy")) continue;
      const truth = ownVariant.get(`${m.group}/${best.target.name}`);
      if (!truth) continue;
      compared++;
      if (best.target.id === truth) own++;
      const seen = variantsSeen.get(best.target.name) ?? new Set<string>();
      seen.add(best.target.id);
      variantsSeen.set(best.target.name, seen);
    }
    expect(compared).toBeGreaterThanOrEqual(40);
    expect(own).toBe(compared);
    // every planted variant of every family is among the discovered patterns
    const planted = FAMILIES.map((f) => db.filter((m) => m.name === f).length);
    expect(planted).toEqual([4, 2, 3, 5, 3]);
    expect(FAMILIES.map((f) => variantsSeen.get(f)?.size ?? 0)).toEqual(planted);
  });

  it("pooled over species: every family recovered, at most one unmatched pattern", async () => {
    const { db } = await plantedWithDecoys();
    const d = discoverMotifs(trackFromScores(items), { bothStrands: false, minSeqlets: 20, database: db, match: { bothStrands: false } });
    const s = summarise(d);
    expect(s.recovered).toEqual(FAMILIES);
    expect(s.unmatched).toBeLessThanOrEqual(1);
  });
});
