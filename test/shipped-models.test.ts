import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { reconstruct } from "../src/infer/reconstruct.js";
import { loadModelFolder } from "../src/model/model-folder.js";
import { MaskedLanguageModel } from "../src/runtime/masked-lm.js";
import { mulberry32 } from "../src/rng.js";
import { cliAsync } from "./helpers/cli.js";

/** Models shipped in models/ (Hugging Face folders with a model card), found by name. */
const SHIPPED = existsSync("models") ? readdirSync("models").filter((d) => existsSync(join("models", d, "config.json"))) : [];

function randomSeq(n: number, seed: number): string {
  const rng = mulberry32(seed);
  return Array.from({ length: n }, () => "ACGT"[rng.int(4)]).join("");
}

const rows = (path: string) => {
  const [head, ...body] = readFileSync(path, "utf8")
    .trim()
    .split("\n")
    .map((l) => l.split("\t"));
  return body.map((r) => Object.fromEntries(head!.map((h, i) => [h, r[i]!])));
};

describe("models shipped with the project", () => {
  const dir = mkdtempSync(join(tmpdir(), "slm-shipped-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("are there, each with a model card and a region", async () => {
    expect(SHIPPED.length, "models/ holds no model").toBeGreaterThan(0);
    for (const name of SHIPPED) {
      expect(existsSync(join("models", name, "README.md")), `${name} has no model card`).toBe(true);
      expect((await loadModelFolder(join("models", name))).config.region, name).toMatch(/^(three|five)_prime$/);
    }
  });

  it.each(SHIPPED)(
    "`variants --model %s` scores a VCF on a genome with no download",
    async (name) => {
      const { config, vocab } = await loadModelFolder(join("models", name));
      // A 4 kb contig with a plus-strand gene (CDS 1,501-1,800, ATG ... TAA): its 3' and 5' regions fit.
      const g = randomSeq(4000, 17).split("");
      g.splice(1500, 3, "A", "T", "G");
      g.splice(1797, 3, "T", "A", "A");
      const genome = g.join("");
      writeFileSync(join(dir, "g.fa"), `>chrI\n${genome}\n`);
      writeFileSync(join(dir, "a.gff3"), "##gff-version 3\nchrI\tt\tgene\t1501\t1800\t.\t+\t.\tID=g1\nchrI\tt\tCDS\t1501\t1800\t.\t+\t0\tID=c1;Parent=g1\n");
      // SNVs 40 nt into the region: upstream of the ATG (5') or past the stop codon (3').
      const at = config.region === "five_prime" ? [1460, 1200] : [1840, 1990];
      const other = (b: string) => (b === "A" ? "C" : "A");
      writeFileSync(
        join(dir, "v.vcf"),
        [
          "##fileformat=VCFv4.2",
          "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO",
          ...at.map((p, i) => `chrI\t${p + 1}\tv${i}\t${genome[p]}\t${other(genome[p]!)}\t.\tPASS\t.`),
        ].join("\n") + "\n",
      );
      // An agnostic model is told no species.
      const species =
        config.conditioning === "none" ? null : vocab.speciesNames.includes("saccharomyces_cerevisiae") ? "saccharomyces_cerevisiae" : vocab.speciesNames[0]!;
      const out = join(dir, `${name}.tsv`);
      // An empty Hub cache and offline: whatever the command needs must come with the repository.
      const r = await cliAsync(
        [
          "variants",
          "--model",
          name,
          "-i",
          join(dir, "v.vcf"),
          "--genome",
          join(dir, "g.fa"),
          "--annotation",
          join(dir, "a.gff3"),
          ...(species ? ["--species", species] : []),
          "--region",
          config.region!,
          "--scores",
          "llr,influence",
          "-o",
          out,
          "--threads",
          "1",
        ],
        { HF_HUB_OFFLINE: "1", HF_HUB_CACHE: join(dir, "empty-cache") },
        300_000,
      );
      expect(r.code, r.stderr).toBe(0);
      const scored = rows(out);
      expect(scored.map((s) => s.ID)).toEqual(["v0", "v1"]); // VCF input: the VCF's columns, then gene, region, offset and the scores
      // llr = ln P(alt) - ln P(ref) of the region's reconstruction at the variant, computed here directly.
      const region = config.region === "five_prime" ? genome.slice(1503 - 1003, 1503) : genome.slice(1797, 1797 + 300);
      const model = await MaskedLanguageModel.load(join("models", name), { threads: 1 });
      try {
        // Only the variants' positions: the rows that serve them are the full recipe's (one span per pass).
        const at = scored.map((x) => Number(x.offset));
        const [probs] = await reconstruct(model, [{ id: "region", sequence: region, species }], { positions: () => at });
        for (const s of scored) {
          const i = Number(s.offset);
          const p = (b: string) => probs![i * 4 + "ACGT".indexOf(b)]!;
          expect(region[i]).toBe(s.REF);
          expect(Number(s.llr), JSON.stringify(s)).toBeCloseTo(Math.log(p(s.ALT!)) - Math.log(p(s.REF!)), 4);
          expect(Number(s.influence)).toBeGreaterThan(0);
        }
      } finally {
        await model.release();
      }
    },
    320_000,
  );
});
