import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { leafNames, parseNewick } from "../src/phylo/tree.js";
import { TINY_MODEL } from "./helpers/species-models.js";

const CLI = "dist/cli/main.js";
const SPECIES = ["candida_glabrata", "saccharomyces_paradoxus", "kluyveromyces_lactis", "schizosaccharomyces_pombe", "neurospora_crassa", "candida_albicans"];

describe.skipIf(!existsSync(CLI) || !existsSync(TINY_MODEL))("species-map / species-swap CLI (needs `npm run build` and ../shared)", () => {
  it("species-map --method rows writes a matrix, two trees and an RF summary", async () => {
    const d = await mkdtemp(join(tmpdir(), "slm-species-map-"));
    const ref = join(d, "ref.nwk");
    await writeFile(ref, `((${SPECIES[0]},${SPECIES[1]}),(${SPECIES[2]},${SPECIES[3]}),${SPECIES[4]});\n`);
    const out = join(d, "map");
    const json = JSON.parse(
      execFileSync(
        process.execPath,
        [CLI, "species-map", "--model", TINY_MODEL, "--method", "rows", "--reference", ref, "-o", out, "--json", "--threads", "1"],
        { encoding: "utf8" },
      ),
    );
    expect(json.species).toBe(6);
    expect(json.reference.notInReference).toEqual([SPECIES[5]]);
    expect(json.reference.rfUpgma.max).toBe(4);
    const tsv = readFileSync(`${out}.distances.tsv`, "utf8").trim().split("\n");
    expect(tsv).toHaveLength(7);
    expect(tsv[0]).toBe(["species", ...SPECIES].join("\t"));
    expect(leafNames(parseNewick(readFileSync(`${out}.nj.nwk`, "utf8"))).sort()).toEqual([...SPECIES].sort());
  });

  it("species-map exits 1 before computing when reference leaves are not model species", async () => {
    const d = await mkdtemp(join(tmpdir(), "slm-species-map-"));
    const ref = join(d, "ref.nwk");
    await writeFile(ref, "((sp00,sp01),candida_glabrata);");
    const r = spawnSync(process.execPath, [CLI, "species-map", "--model", TINY_MODEL, "-o", join(d, "m"), "--threads", "1"], {
      encoding: "utf8",
    });
    expect(r.status).toBe(0); // sanity: default behaviour map on random probes runs
    const bad = spawnSync(process.execPath, [CLI, "species-map", "--model", TINY_MODEL, "--reference", ref, "-o", join(d, "m2")], {
      encoding: "utf8",
    });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/leaves "sp00", "sp01" are not species of the model/);
    expect(existsSync(join(d, "m2.distances.tsv"))).toBe(false);
  });

  it("species-swap writes cells, preferences and one heatmap per family", async () => {
    const d = await mkdtemp(join(tmpdir(), "slm-species-swap-"));
    const motifs = join(d, "motifs.tsv");
    await writeFile(motifs, `family\tvariant\tspecies\nPUF\tTGTAAATA\t${SPECIES[0]}\nPUF\tTGTACATA\t${SPECIES[4]}\n`);
    const seqs = join(d, "seqs.fa");
    const bg = "ACGTTGCAAGCTTCGA".repeat(3);
    await writeFile(seqs, `>a species=${SPECIES[0]}\n${bg}TGTAAATA${bg}\n>b species=${SPECIES[4]}\n${bg}TGTACATA${bg}\n`);
    const out = join(d, "swap");
    const json = JSON.parse(
      execFileSync(
        process.execPath,
        [
          CLI,
          "species-swap",
          "--model",
          TINY_MODEL,
          "--input",
          seqs,
          "--species",
          `${SPECIES[0]},${SPECIES[4]}`,
          "--motifs",
          motifs,
          "-o",
          out,
          "--json",
          "--spans-per-pass",
          "8",
          "--threads",
          "1",
        ],
        { encoding: "utf8" },
      ),
    );
    expect(json.instances).toBe(2);
    expect(json.preferences).toHaveLength(2);
    expect(readFileSync(`${out}.cells.tsv`, "utf8").trim().split("\n")).toHaveLength(5);
    expect(readFileSync(`${out}.PUF.svg`, "utf8")).toMatch(/^<svg /);
  });

  it("held-out scores the proxy, the nearest species on the reference tree, the token average and every token", async () => {
    const d = await mkdtemp(join(tmpdir(), "slm-held-out-"));
    const fa = join(d, "h.fa");
    await writeFile(fa, ">h1\nACGTACGGTTACGATCGATCGGATTTACGACGATCGACTAGCATCAGCATTACGAC\n");
    const ref = join(d, "ref.nwk");
    await writeFile(ref, `((new_yeast:0.1,${SPECIES[4]}:0.2):0.1,(${[...SPECIES.slice(0, 4), SPECIES[5]].map((s) => `${s}:0.5`).join(",")}):0.1);`);
    const out = join(d, "h.tsv");
    execFileSync(
      process.execPath,
      [
        CLI,
        "held-out",
        "--model",
        TINY_MODEL,
        "-i",
        fa,
        "--held-out",
        "new_yeast",
        "--proxy",
        SPECIES[1]!,
        "--reference",
        ref,
        "--spans-per-pass",
        "4",
        "-o",
        out,
        "--threads",
        "1",
      ],
      { encoding: "utf8" },
    );
    const rows = readFileSync(out, "utf8")
      .trim()
      .split("\n")
      .map((l) => l.split("\t"));
    expect(rows.map((r) => `${r[0]} ${r[1]}`).slice(1, 4)).toEqual([`proxy ${SPECIES[1]}`, `nearest ${SPECIES[4]}`, "average -"]);
    const tokens = rows.filter((r) => r[0] === "token");
    expect(tokens.map((r) => r[1]).sort()).toEqual([...SPECIES].sort());
    // The proxy row is that token's row: the same predictions, the same numbers.
    expect(rows[1]!.slice(2)).toEqual(tokens.find((r) => r[1] === SPECIES[1])!.slice(2));
  });
});
