import { describe, expect, it } from "vitest";
import { pwmFromConsensus } from "../src/pwm/iupac-codes.js";
import type { Motif } from "../src/pwm/motif.js";
import { trackFromScores, type ScoredSequence } from "../src/motifs/contribution-scores.js";
import { discoverMotifs } from "../src/motifs/discover-motifs.js";
import { callSeqlets } from "../src/motifs/seqlets.js";
import { addWordSeqlets } from "../src/motifs/word-seqlets.js";
import { mulberry32 } from "../src/rng.js";

const consensusMotif = (c: string, name = c): Motif => ({ id: c, name, source: "test", width: c.length, probs: pwmFromConsensus(c) });

interface Planted {
  readonly motif: string;
  /** Sequences k with k % every === phase get a site. */
  readonly every: number;
  readonly phase?: number;
  /** Contribution of every site base, and of one more base per site (`spikeAt`, or a random one). */
  readonly base: number;
  readonly spike: number;
  readonly spikeAt?: number;
}

/** Random sequences, N(0, 0.1) scores, sites whose contribution is `base` per base plus one spike. */
function track(n: number, len: number, sites: readonly Planted[], seed = 7): ScoredSequence[] {
  const rng = mulberry32(seed);
  return Array.from({ length: n }, (_, k) => {
    const seq = Array.from({ length: len }, () => "ACGT"[rng.int(4)]!);
    const contrib = Float32Array.from({ length: len }, () => 0.1 * rng.normal());
    sites.forEach((s, i) => {
      if (k % s.every !== (s.phase ?? 0)) return;
      const at = 20 + i * 50 + rng.int(20);
      const spike = s.spikeAt ?? rng.int(s.motif.length);
      for (let j = 0; j < s.motif.length; j++) {
        seq[at + j] = s.motif[j]!;
        contrib[at + j] = s.base + (j === spike ? s.spike : 0) + 0.05 * rng.normal();
      }
    });
    return { id: `s${k}`, species: null, sequence: seq.join(""), contrib };
  });
}

// A faintly learned motif: ~0.8 bits per site, on whichever base the baseline got wrong (a random one).
const faint: Planted = { motif: "TGAATG", every: 2, base: 0.05, spike: 0.5 };

describe("recurrent words", () => {
  it("a faint motif's sites are below the window threshold, its word is not", () => {
    const t = trackFromScores(track(600, 200, [faint]));
    const called = callSeqlets(t);
    expect(called.seq.length).toBeLessThan(30);
    const { seqlets, recurrent } = addWordSeqlets(t, called, { bothStrands: false });
    const code = [..."TGAATG"].reduce((c, b) => c * 4 + "ACGT".indexOf(b), 0);
    expect(recurrent[code]).toBe(1);
    // most of the 300 sites become seqlets; random windows (no recurrent word) hardly any
    const sited = new Set(Array.from(seqlets.seq.subarray(called.seq.length)));
    let hits = 0;
    for (let k = 0; k < 600; k += 2) if (sited.has(k)) hits++;
    expect(hits).toBeGreaterThan(200);
    expect([...sited].filter((k) => k % 2 === 1).length).toBeLessThan(30);
    // pure noise: no recurrent word, no added seqlets
    const noise = trackFromScores(track(600, 200, []));
    const none = addWordSeqlets(noise, callSeqlets(noise), { bothStrands: false });
    expect(none.recurrent.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(2);
    expect(none.seqlets.seq.length - callSeqlets(noise).seq.length).toBeLessThan(20);
  });

  it("discovery recovers the faint motif only with words", () => {
    const t = trackFromScores(track(600, 200, [faint]));
    const db = [consensusMotif("TGAATG", "WHI"), consensusMotif("CCGCGG", "decoy")];
    const without = discoverMotifs(t, { bothStrands: false, words: false, database: db });
    expect(without.motifs).toEqual([]);
    const d = discoverMotifs(t, { bothStrands: false, database: db });
    expect(d.motifs.map((m) => m.consensus)).toEqual(["TGAATG"]);
    expect(d.motifs[0]!.support.sequences).toBeGreaterThan(200);
  });

  it("a lone base recurring in one word (a baseline's error in one context) is not a pattern", () => {
    const lone: Planted = { motif: "AGATAC", every: 2, base: 0, spike: 0.8, spikeAt: 2 };
    const d = discoverMotifs(trackFromScores(track(600, 200, [lone])), { bothStrands: false });
    expect(d.motifs).toEqual([]);
  });

  it("faint instances of a motif found from strong ones join it instead of making a pattern of their piece", () => {
    const strong: Planted = { motif: "TGTAAATA", every: 3, base: 1, spike: 0 };
    const faintPiece: Planted = { motif: "TGTAAATA", every: 3, phase: 1, base: 0.05, spike: 0.5 };
    const d = discoverMotifs(trackFromScores(track(900, 200, [strong, faintPiece])), { bothStrands: false });
    expect(d.motifs.map((m) => m.consensus)).toEqual(["TGTAAATA"]);
    // the 300 strong sites and most of the 300 faint ones
    expect(d.motifs[0]!.support.sequences).toBeGreaterThan(450);
  });
});
