import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { readConsensusList, readMemeFile, readTransfacFile } from "../src/pwm/index.js";

const MOTIFS = resolve(import.meta.dirname, "../../shared/data/motifs");
const count = async (file: string, re: RegExp) => ((await readFile(join(MOTIFS, file), "utf8")).match(re) ?? []).length;

describe.skipIf(!existsSync(MOTIFS))("real motif databases (needs ../shared/data/motifs)", () => {
  it.each(["jaspar2024_core_fungi.transfac", "attract_2017_rbp.transfac", "cisbp2019_scer.transfac"])(
    "%s: one motif per // record, rows are distributions",
    async (file) => {
      const motifs = await readTransfacFile(join(MOTIFS, file));
      expect(motifs.length).toBe(await count(file, /^\/\//gm));
      for (const m of motifs) {
        for (let r = 0; r < m.width; r++) expect(m.probs.subarray(r * 4, r * 4 + 4).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      }
    },
  );
  it("yetfasco.meme: one motif per MOTIF line", async () => {
    const { motifs } = await readMemeFile(join(MOTIFS, "yetfasco.meme"));
    expect(motifs.length).toBe(await count("yetfasco.meme", /^MOTIF /gm));
  });
  it("decay consensus list: every line, RNA letters converted", async () => {
    const motifs = await readConsensusList(join(MOTIFS, "decay_motifs_consensus.txt"));
    const lines = new Set((await readFile(join(MOTIFS, "decay_motifs_consensus.txt"), "utf8")).split(/\s+/).filter(Boolean));
    expect(motifs.length).toBe(lines.size);
    expect(motifs.every((m) => !m.id.includes("U"))).toBe(true);
  });
});
