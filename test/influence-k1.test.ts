import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Conditioning } from "../src/model/config.js";
import { LOG_ODDS_EPS } from "../src/model/nucleotide-dependency.js";
import { mulberry32 } from "../src/rng.js";
import { MaskedLanguageModel } from "../src/runtime/masked-lm.js";
import { dependencyMap } from "../src/variants/unmasked.js";
import { cli, tinyTrainArgs } from "./helpers/cli.js";
import { writeRandomModel } from "./helpers/random-model.js";
import { maxAbsDiff } from "./helpers/shared.js";

// Variant influence and dependency maps of single-nucleotide (k = 1) models, against a direct forward pass.

const SEQ = "ACGTTGCAAGGCTTAACAGTACGGA";
const ITEM = { id: "s1", sequence: SEQ, species: "beta" };

/** Smoothed log-odds of P(A,C,G,T) at every base of the unmasked sequence, from the full logits. */
async function directLogOdds(model: MaskedLanguageModel, sequence: string): Promise<number[][]> {
  const out = await model.run("logits", model.encode([{ ...ITEM, sequence }]));
  const logits = out.logits!.data as Float32Array;
  const V = model.config.vocabSize;
  const head = model.config.conditioning === "token" ? 2 : 1;
  const ids = Array.from(model.tokenizer.vocab.kmerIds);
  return Array.from(sequence, (_, p) => {
    const z = ids.map((id) => logits[(head + p) * V + id]!);
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b);
    return e.map((v) => {
      const q = (v / s + LOG_ODDS_EPS) / (1 + 4 * LOG_ODDS_EPS);
      return Math.log(q) - Math.log(1 - q);
    });
  });
}

describe("influence and dependency maps of k = 1 models (every conditioning)", () => {
  let root = "";
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "slm-k1-influence-"));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  for (const conditioning of ["token", "embedding", "none"] as Conditioning[]) {
    it(`${conditioning}: the map and every substitution's influence equal the direct mutant passes`, async () => {
      const dir = join(root, conditioning);
      await writeRandomModel(dir, { k: 1, conditioning });
      const model = await MaskedLanguageModel.load(dir, { threads: 1 });
      try {
        const dep = await dependencyMap(model, ITEM, { batchSize: 12 });
        const ref = await directLogOdds(model, SEQ);
        const L = SEQ.length;
        const wantMap = new Float32Array(L * L);
        const wantInf = new Float32Array(L * 4).fill(NaN);
        for (let i = 0; i < L; i++) {
          for (let c = 0; c < 4; c++) {
            if ("ACGT"[c] === SEQ[i]) continue;
            const mut = await directLogOdds(model, SEQ.slice(0, i) + "ACGT"[c] + SEQ.slice(i + 1));
            let sum = 0;
            for (let j = 0; j < L; j++) {
              if (j === i) continue;
              const change = Math.max(...mut[j]!.map((v, b) => Math.abs(v - ref[j]![b]!)));
              sum += change;
              wantMap[i * L + j] = Math.max(wantMap[i * L + j]!, change);
            }
            wantInf[i * 4 + c] = sum / (L - 1);
          }
        }
        expect(maxAbsDiff(dep.map, wantMap)).toBeLessThan(1e-3);
        const inf = Array.from(dep.influence).map((x) => (Number.isNaN(x) ? -1 : x));
        expect(
          maxAbsDiff(
            inf,
            Array.from(wantInf).map((x) => (Number.isNaN(x) ? -1 : x)),
          ),
        ).toBeLessThan(1e-4);
        // Informative, not a trivially zero map.
        expect(Math.max(...wantMap)).toBeGreaterThan(0.05);
      } finally {
        await model.release();
      }
    });
  }

  it.skipIf(!existsSync("dist/cli/main.js"))(
    "the CLI on a `specieslm train` default (k = 1) model: variants, dependency-map and ism --score influence run",
    () => {
      const rng = mulberry32(4);
      const rows = ["species\tid\tsequence"];
      for (const sp of ["alpha", "beta"])
        for (let i = 0; i < 12; i++) rows.push(`${sp}\t${sp}${i}\t${Array.from({ length: 40 }, () => "ACGT"[rng.int(4)]).join("")}`);
      writeFileSync(join(root, "t.tsv"), rows.join("\n") + "\n");
      const at = (f: string) => join(root, f);
      expect(cli(["corpus", "from-table", at("t.tsv"), "-o", at("corpus")]).code).toBe(0);
      const tr = cli([...tinyTrainArgs(at("corpus"), at("run"), 2, 4), "--valid-per-species", "0"]);
      expect(tr.stderr).not.toMatch(/error/);
      expect(JSON.parse(readFileSync(at("run/checkpoint/config.json"), "utf8")).specieslm_kmer_size).toBe(1);
      writeFileSync(at("s.fa"), `>s1 species=beta\n${SEQ}\n`);
      writeFileSync(at("v.tsv"), `id\tspecies\tsequence\tpos\tref\talt\nv1\tbeta\t${SEQ}\t5\tG\tA\n`);
      for (const args of [
        ["variants", "-i", at("v.tsv"), "-o", at("scores.tsv")],
        ["dependency-map", "-i", at("s.fa"), "-o", at("map")],
        ["ism", "--score", "influence", "-i", at("s.fa"), "-o", at("ism.tsv")],
      ]) {
        const r = cli([...args, "--model", at("run"), "--threads", "1"]);
        expect(r.stderr).not.toMatch(/Pad|error/);
        expect(r.code).toBe(0);
      }
      const [head, row] = readFileSync(at("scores.tsv"), "utf8")
        .trim()
        .split("\n")
        .map((l) => l.split("\t"));
      expect(Number(row![head!.indexOf("influence")])).toBeGreaterThan(0);
      // A VCF on a genome with every score: a 1 kb contig, a plus-strand gene (CDS 101-400, stop TAA).
      const g = Array.from({ length: 1000 }, () => "ACGT"[rng.int(4)]);
      g.splice(397, 3, "T", "A", "A");
      writeFileSync(at("g.fa"), `>chrI\n${g.join("")}\n`);
      writeFileSync(at("a.gff3"), "##gff-version 3\nchrI\tt\tgene\t101\t400\t.\t+\t.\tID=g1\nchrI\tt\tCDS\t101\t400\t.\t+\t0\tID=c1;Parent=g1\n");
      const alt = (b: string) => (b === "A" ? "C" : "A");
      writeFileSync(
        at("v.vcf"),
        `##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\nchrI\t451\tsnv\t${g[450]}\t${alt(g[450]!)}\t.\tPASS\t.\nchrI\t501\tins\t${g[500]}\t${g[500]}A\t.\tPASS\t.\n`,
      );
      const place = ["--genome", at("g.fa"), "--annotation", at("a.gff3"), "--species", "beta", "--region", "three_prime"];
      const scores = "llr,influence,embedding_distance,delta_prob";
      const r = cli(["variants", "--model", at("run"), "-i", at("v.vcf"), ...place, "--scores", scores, "-o", at("vcf.tsv"), "--threads", "1"]);
      expect(r.code, r.stderr).toBe(0);
      const [h, ...vs] = readFileSync(at("vcf.tsv"), "utf8")
        .trim()
        .split("\n")
        .map((l) => l.split("\t"));
      const col = (v: string[], c: string) => Number(v[h!.indexOf(c)]);
      expect(vs).toHaveLength(2);
      for (const c of ["llr", "influence", "embedding_distance", "delta_prob"]) expect(Number.isFinite(col(vs[0]!, c)), `snv ${c}`).toBe(true);
      for (const c of ["llr", "influence", "embedding_distance"]) expect(Number.isFinite(col(vs[1]!, c)), `insertion ${c}`).toBe(true);
      expect(Number.isNaN(col(vs[1]!, "delta_prob"))).toBe(true); // undefined for a change of length
    },
  );
});
