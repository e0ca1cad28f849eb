import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consensusFromPwm, pwmFromConsensus } from "../src/pwm/iupac-codes.js";
import { parseJaspar } from "../src/pwm/jaspar-parser.js";
import { detectMotifFormat, parseMotifText, readMotifFile } from "../src/pwm/load-motifs.js";
import { parseMeme } from "../src/pwm/meme-parser.js";
import { renderMemeMinimal } from "../src/pwm/meme-writer.js";
import type { Motif } from "../src/pwm/motif.js";
import { ParseError, InputError } from "../src/errors.js";
import { contributionTrack, trackFromScores, type ScoredSequence } from "../src/motifs/contribution-scores.js";
import { discoverMotifs } from "../src/motifs/discover-motifs.js";
import { informationHeights, smallSampleCorrection } from "../src/report/logo-svg.js";
import { cwmSimilarity } from "../src/motifs/pattern-similarity.js";
import { readReconstructionTsv } from "../src/infer/reconstruction-tsv-reader.js";
import { callSeqlets } from "../src/motifs/seqlets.js";
import { benjaminiHochberg, matchMotifs } from "../src/motifs/tomtom.js";
import { mulberry32 } from "../src/rng.js";

const consensusMotif = (c: string, name = c): Motif => ({ id: c, name, source: "test", width: c.length, probs: pwmFromConsensus(c) });
const randomSeq = (rng: ReturnType<typeof mulberry32>, n: number) => Array.from({ length: n }, () => "ACGT"[rng.int(4)]).join("");
const revComp = (s: string) =>
  [...s]
    .reverse()
    .map((c) => "TGCA"["ACGT".indexOf(c)])
    .join("");

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "motifs-"));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("contribution scores", () => {
  const probs = Float32Array.from([0.7, 0.1, 0.1, 0.1, 0.1, 0.7, 0.1, 0.1, 0.25, 0.25, 0.25, 0.25, 0.4, 0.2, 0.2, 0.2]);
  const rec = { id: "s", sequence: "ACGA", probs };

  it("log-ratio: p_ref * log2(p_ref / mean p of that base over the sequence)", () => {
    const t = contributionTrack([rec], { score: "log-ratio" });
    const pbarA = (0.7 + 0.1 + 0.25 + 0.4) / 4,
      pbarC = (0.1 + 0.7 + 0.25 + 0.2) / 4,
      pbarG = (0.1 + 0.1 + 0.25 + 0.2) / 4;
    expect(t.contrib[0]).toBeCloseTo(0.7 * Math.log2(0.7 / pbarA), 5);
    expect(t.contrib[1]).toBeCloseTo(0.7 * Math.log2(0.7 / pbarC), 5);
    expect(t.contrib[2]).toBeCloseTo(0.25 * Math.log2(0.25 / pbarG), 5);
    expect(t.contrib[3]).toBeCloseTo(0.4 * Math.log2(0.4 / pbarA), 5);
    // hypothetical contributions: every base's own term; the reference column equals contrib
    expect(t.hyp[1]).toBeCloseTo(0.1 * Math.log2(0.1 / pbarC), 5);
    expect(t.hyp[4 + 1]).toBeCloseTo(t.contrib[1]!, 6);
  });

  it("ic: 2 - H(p) in bits, whatever the reference base", () => {
    const t = contributionTrack([rec], { score: "ic" });
    const h = -(0.7 * Math.log2(0.7) + 3 * 0.1 * Math.log2(0.1));
    expect(t.contrib[0]).toBeCloseTo(2 - h, 5);
    expect(t.contrib[2]).toBeCloseTo(0, 6);
    expect(t.hyp[0]).toBeCloseTo(0.7 * (2 - h), 5);
  });

  it("vs-baseline: p_ref * log2(p_ref / q_ref) with q the baseline's prediction there", () => {
    const q = Float32Array.from({ length: 16 }, (_, i) => (i % 4 === 0 ? 0.4 : 0.2));
    const t = contributionTrack([rec], { score: "vs-baseline", baseline: () => q });
    expect(t.contrib[0]).toBeCloseTo(0.7 * Math.log2(0.7 / 0.4), 5);
    expect(t.contrib[1]).toBeCloseTo(0.7 * Math.log2(0.7 / 0.2), 5);
    expect(t.hyp[3]).toBeCloseTo(0.1 * Math.log2(0.1 / 0.2), 5);
    expect(() => contributionTrack([rec], { score: "vs-baseline", baseline: () => new Float32Array(4) })).toThrow(
      /baseline predictions of "s" hold 4 values for 4 bases/,
    );
  });

  it("species come from the map, null otherwise", () => {
    const t = contributionTrack([rec, { ...rec, id: "u" }], { species: new Map([["s", "yeast"]]) });
    expect(t.species).toEqual(["yeast", null]);
    expect(Array.from(t.starts)).toEqual([0, 4, 8]);
  });
});

describe("reconstruction TSV", () => {
  const header = "id\tpos\tref\tA\tC\tG\tT";
  const row = (id: string, pos: number, ref = "A") => `${id}\t${pos}\t${ref}\t0.7\t0.1\t0.1\t0.1`;

  it("reads records in order", async () => {
    const p = join(dir, "ok.tsv");
    await writeFile(p, [header, row("a", 0), row("a", 1, "C"), row("b", 0, "G")].join("\n") + "\n");
    const r = await readReconstructionTsv(p);
    expect(r.map((x) => [x.id, x.sequence])).toEqual([
      ["a", "AC"],
      ["b", "G"],
    ]);
    expect(Array.from(r[0]!.probs).map((v) => +v.toFixed(2))).toEqual([0.7, 0.1, 0.1, 0.1, 0.7, 0.1, 0.1, 0.1]);
  });

  it("names the record and line of a missing position", async () => {
    const p = join(dir, "gap.tsv");
    await writeFile(p, [header, row("a", 0), row("a", 2)].join("\n") + "\n");
    await expect(readReconstructionTsv(p)).rejects.toThrow(/gap\.tsv:3: "a": expected position 1, found "2"/);
  });

  it("names missing columns", async () => {
    const p = join(dir, "cols.tsv");
    await writeFile(p, "id\tpos\tref\tA\tC\tG\na\t0\tA\t0.5\t0.2\t0.3\n");
    await expect(readReconstructionTsv(p)).rejects.toThrow(ParseError);
    await expect(readReconstructionTsv(p)).rejects.toThrow(/missing column\(s\) T/);
  });

  it("rejects an id that comes back and a value that is not a probability", async () => {
    const p = join(dir, "back.tsv");
    await writeFile(p, [header, row("a", 0), row("b", 0), row("a", 1)].join("\n") + "\n");
    await expect(readReconstructionTsv(p)).rejects.toThrow(/"a" are not contiguous/);
    await writeFile(p, [header, "a\t0\tA\t0.7\tx\t0.1\t0.1"].join("\n") + "\n");
    await expect(readReconstructionTsv(p)).rejects.toThrow(/C = "x" is not a probability/);
    await writeFile(p, header + "\n");
    await expect(readReconstructionTsv(p)).rejects.toThrow(/no rows after the header/);
  });
});

/** Random sequences with sites planted; ideal scores: 1 on site bases, small noise elsewhere. */
function plantedTrack(
  n: number,
  len: number,
  sites: Array<{ motif: string; every: number; reverse?: boolean; scored?: [number, number] }>,
  seed = 3,
): ScoredSequence[] {
  const rng = mulberry32(seed);
  return Array.from({ length: n }, (_, k) => {
    const seq = [...randomSeq(rng, len)];
    const contrib = Float32Array.from({ length: len }, () => 0.1 * rng.normal());
    sites.forEach((s, i) => {
      if (k % s.every !== 0) return;
      const at = 20 + i * 60 + rng.int(30);
      // a third of the sites of a `reverse` motif sit on the other strand
      const site = s.reverse && (k / s.every) % 3 === 1 ? revComp(s.motif) : s.motif;
      // `scored`: only site columns [from, to) carry contribution (what context explains scores ~0)
      const [from, to] = s.scored ?? [0, site.length];
      for (let j = 0; j < site.length; j++) {
        seq[at + j] = site[j]!;
        if (j >= from && j < to) contrib[at + j] = 1 + 0.1 * rng.normal();
      }
    });
    return { id: `s${k}`, species: k % 2 ? "odd" : "even", sequence: seq.join(""), contrib };
  });
}

describe("seqlets", () => {
  it("finds the planted windows and almost nothing else", () => {
    const items = plantedTrack(200, 200, [{ motif: "TGTAAATA", every: 2 }]);
    const s = callSeqlets(trackFromScores(items), { window: 8, flank: 4, fdr: 0.05 });
    expect(s.threshold).toBeGreaterThan(1);
    expect(s.nullPassing / s.passing).toBeLessThanOrEqual(0.05);
    // each of the 100 sites gives one seqlet whose window covers it
    const hits = new Set<number>();
    for (let i = 0; i < s.seq.length; i++) hits.add(s.seq[i]!);
    for (let k = 0; k < 200; k += 2) expect(hits.has(k)).toBe(true);
    expect(s.seq.length).toBeLessThanOrEqual(110);
    // pure noise: the FDR threshold lets (almost) nothing through
    const noise = callSeqlets(trackFromScores(plantedTrack(200, 200, [])), { fdr: 0.05 });
    expect(noise.seq.length).toBeLessThan(5);
  });

  it("a Laplace null gives a threshold of the same order", () => {
    const t = trackFromScores(plantedTrack(200, 200, [{ motif: "TGTAAATA", every: 2 }]));
    const a = callSeqlets(t, { null: "empirical" }),
      b = callSeqlets(t, { null: "laplace" });
    expect(b.threshold).toBeGreaterThan(0.3 * a.threshold);
    expect(b.threshold).toBeLessThan(3 * a.threshold);
  });
});

describe("discovery", () => {
  it("recovers two planted motifs, one planted on both strands, reported on the strand most sites use", () => {
    const items = plantedTrack(300, 200, [
      { motif: "TGTAAATA", every: 2 },
      { motif: "GCATGCC", every: 3, reverse: true },
    ]);
    const d = discoverMotifs(trackFromScores(items), {
      minSeqlets: 20,
      database: [consensusMotif("TGTAAATA", "PUF"), consensusMotif("GCATGCC", "WHI"), consensusMotif("CCCGGG", "decoy")],
    });
    const best = d.motifs.map((m) => m.matches[0]!);
    expect(d.motifs.length).toBe(2);
    expect(best.map((b) => b.target.name).sort()).toEqual(["PUF", "WHI"]);
    expect(d.motifs.map((m) => m.family).sort()).toEqual(["PUF", "WHI"]);
    expect(d.motifs.map((m) => m.consensus).sort()).toEqual(["GCATGCC", "TGTAAATA"]);
    expect(best.every((b) => b.strand === "+")).toBe(true);
    // the sites on the other strand joined too: members on both strands
    const whi = d.motifs.find((m) => m.consensus === "GCATGCC")!;
    expect(whi.support.sequences).toBeGreaterThanOrEqual(90);
    const minus = whi.pattern.members.strand.reduce((s, x) => s + x, 0);
    expect(minus).toBeGreaterThan(20);
    expect(minus).toBeLessThan(45);
    const puf = d.motifs.find((m) => m.consensus === "TGTAAATA")!;
    expect(puf.support.sequences).toBeGreaterThanOrEqual(140);
    expect(puf.support.perSpecies).toEqual([
      { species: "even", sequences: 150, total: 150 },
      { species: "odd", sequences: 0, total: 150 },
    ]);
    // planted at 20..49: the median centre lies there
    expect(puf.support.medianPosition).toBeGreaterThan(20);
    expect(puf.support.medianPosition).toBeLessThan(53);
  });

  it("widens a pattern by the columns where its members' sequences agree, not into random flanks", () => {
    // contribution on TAAA only (columns 2..5 of TGTAAATA): trimming by contribution keeps those columns
    const items = plantedTrack(300, 200, [{ motif: "TGTAAATA", every: 2, scored: [2, 6] }]);
    const narrow = discoverMotifs(trackFromScores(items), { minSeqlets: 20, bothStrands: false, extend: 0 });
    expect(narrow.motifs.map((m) => m.consensus)).toEqual(["TAAA"]);
    const d = discoverMotifs(trackFromScores(items), { minSeqlets: 20, bothStrands: false });
    expect(d.motifs.map((m) => m.consensus)).toEqual(["TGTAAATA"]);
    expect(d.motifs[0]!.support.sequences).toBeGreaterThanOrEqual(140);
  });

  it("by species: one run per species", () => {
    const items = plantedTrack(200, 200, [{ motif: "TGTAAATA", every: 1 }]).map((x, k) => ({ ...x, species: k < 100 ? "a" : "b" }));
    const d = discoverMotifs(trackFromScores(items), { bySpecies: true, minSeqlets: 20 });
    expect(d.groups.map((g) => g.group)).toEqual(["a", "b"]);
    expect(d.motifs.map((m) => [m.group, m.consensus])).toEqual([
      ["a", "TGTAAATA"],
      ["b", "TGTAAATA"],
    ]);
    // without a database the two runs' patterns are one family because their contributions align
    expect(d.motifs.map((m) => m.family)).toEqual(["family_1", "family_1"]);
    expect(() => discoverMotifs(trackFromScores([{ ...items[0]!, species: null }]), { bySpecies: true })).toThrow(/needs a species/);
  });

  it("CWM similarity: 1 for a matrix with itself and its reverse complement, low for unrelated", () => {
    const m = pwmFromConsensus("TGTAAATA"),
      rc = pwmFromConsensus(revComp("TGTAAATA"));
    expect(cwmSimilarity(m, 8, m, 8, true).similarity).toBeCloseTo(1, 9);
    expect(cwmSimilarity(m, 8, rc, 8, true)).toMatchObject({ reverse: true, offset: 0 });
    expect(cwmSimilarity(m, 8, rc, 8, true).similarity).toBeCloseTo(1, 9);
    expect(cwmSimilarity(m, 8, pwmFromConsensus("GGCCGGCC"), 8, true).similarity).toBeLessThan(0.2);
  });
});

describe("matching (Tomtom-style)", () => {
  it("known answer: exact two-column match, p = (1/4)^2 from the database's own columns", () => {
    const [ms] = matchMotifs([consensusMotif("AC")], [consensusMotif("AC"), consensusMotif("GT")], { bothStrands: false, minOverlap: 2 });
    // database columns A, C, G, T: each query column scores its own letter top (1 of 4 columns)
    expect(ms![0]).toMatchObject({ offset: 0, overlap: 2, strand: "+" });
    expect(ms![0]!.target.id).toBe("AC");
    expect(ms![0]!.pValue).toBeCloseTo(1 / 16, 12);
    expect(ms![0]!.eValue).toBeCloseTo(2 / 16, 12);
    expect(ms![1]!.pValue).toBeCloseTo(1, 12);
    // with overlaps of one column allowed, three offsets are tried: 1 - (1 - 1/16)^3
    const [m1] = matchMotifs([consensusMotif("AC")], [consensusMotif("AC"), consensusMotif("GT")], { bothStrands: false, minOverlap: 1 });
    expect(m1![0]!.pValue).toBeCloseTo(1 - (15 / 16) ** 3, 12);
  });

  it("finds the reverse complement and the offset", () => {
    const db = ["TTGACA", "GGGCCC", "ATATAT", "CAGCTG"].map((c) => consensusMotif(c));
    const [ms] = matchMotifs([consensusMotif(revComp("GCTTGACA"))], db);
    expect(ms![0]!.target.id).toBe("TTGACA");
    expect(ms![0]!.strand).toBe("-");
    expect(ms![0]!.overlap).toBe(6);
    const [fwd] = matchMotifs([consensusMotif("GCTTGACA")], db);
    expect(fwd![0]).toMatchObject({ strand: "+", offset: 2 });
  });

  it("Benjamini-Hochberg q-values", () => {
    expect(benjaminiHochberg([0.01, 0.02, 0.03, 0.5])).toEqual([0.04, 0.04, 0.04, 0.5]);
  });

  it("an empty database is a clear error", () => {
    expect(() => matchMotifs([consensusMotif("AC")], [])).toThrow(InputError);
    expect(() => matchMotifs([consensusMotif("AC")], [])).toThrow(/database is empty/);
  });
});

describe("motif files", () => {
  it("JASPAR with brackets and bare .pfm rows", () => {
    const [a] = parseJaspar(">MA0001.1 AGL3\nA [ 0 3 ]\nC [ 10 0 ]\nG [ 0 7 ]\nT [ 0 0 ]\n");
    expect(a).toMatchObject({ id: "MA0001.1", name: "AGL3", width: 2 });
    expect(Array.from(a!.probs)).toEqual([0, 1, 0, 0, 0.3, 0, 0.7, 0]);
    const [b] = parseJaspar(">x\n1 0\n0 1\n0 0\n0 0\n");
    expect(consensusFromPwm(b!)).toBe("AC");
    expect(() => parseJaspar(">x\nA [ 1 2 ]\nC [ 1 ]\nG [ 1 2 ]\nT [ 1 2 ]\n", "bad.jaspar")).toThrow(/bad\.jaspar.*same, non-zero number of columns/);
    expect(() => parseJaspar(">x\nA [ 1 2 ]\n", "short.jaspar")).toThrow(/needs four rows/);
  });

  it("detects the format from the content when the extension says nothing", () => {
    expect(detectMotifFormat("m.txt", "MEME version 4\n")).toBe("meme");
    expect(detectMotifFormat("m.txt", ">MA1 X\nA [1]\n")).toBe("jaspar");
    expect(detectMotifFormat("m.txt", "AC  M1\nXX\nP0 A C G T\n")).toBe("transfac");
    expect(detectMotifFormat("m.txt", "TGTAAATA\n")).toBe("consensus");
  });

  it("an unparsable motif file names the file and line", async () => {
    const p = join(dir, "broken.meme");
    await writeFile(p, "MEME version 4\n\nMOTIF m1\nletter-probability matrix: alength= 4 w= 2\n0.1 0.2 0.3\n");
    await expect(readMotifFile(p)).rejects.toThrow(/broken\.meme:5: matrix row 1 of 2 must hold 4 non-negative numbers/);
    await expect(readMotifFile(join(dir, "absent.meme"))).rejects.toThrow(/cannot read motif file/);
    expect(() => parseMotifText("XYZ!!\n", "junk.txt")).toThrow(/junk\.txt:1: "XYZ!!" is not an IUPAC consensus/);
  });

  it("MEME minimal output reads back", () => {
    const m = [{ ...consensusMotif("TGTAAATA"), id: "pattern_1", name: "TGTAAATA", nsites: 12 }];
    const back = parseMeme(renderMemeMinimal(m)).motifs;
    expect(back[0]).toMatchObject({ id: "pattern_1", name: "TGTAAATA", width: 8 });
    expect(Array.from(back[0]!.probs)).toEqual(Array.from(m[0]!.probs));
  });
});

describe("logos", () => {
  it("information content in bits with the small-sample correction", () => {
    expect(smallSampleCorrection(10)).toBeCloseTo(3 / (2 * Math.LN2 * 10), 12);
    const h = informationHeights(Float64Array.from([1, 0, 0, 0, 0.25, 0.25, 0.25, 0.25]), 2, 1e9);
    expect(h[0]).toBeCloseTo(2, 6);
    expect(h[4]! + h[5]! + h[6]! + h[7]!).toBeCloseTo(0, 9);
    expect(informationHeights(Float64Array.from([1, 0, 0, 0]), 1, 10)[0]).toBeCloseTo(2 - smallSampleCorrection(10), 9);
  });
});
