import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The layout follows the data: imports go down this chain, never up. Files at the root of src/
 * (errors, rng, host-tensor) are the base everyone may use; index.ts files only re-export.
 */
const LAYERS: Record<string, number> = {
  alphabet: 1, stats: 1, io: 1, hub: 1, sequence: 1, report: 2, tokenizer: 2, corpus: 3, graph: 4, model: 5, runtime: 6,
  baselines: 7, train: 7, infer: 8, phylo: 9, motifs: 9, analysis: 10, readout: 10, variants: 10, finetune: 11, cli: 12,
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith(".ts") && !p.endsWith(".test.ts") ? [p] : [];
  });
}

const layerOf = (path: string): [string, number] => {
  const top = relative("src", path).split("/")[0]!;
  return [top, LAYERS[top] ?? 0];
};

describe("architecture", () => {
  const files = sourceFiles("src").filter((f) => !f.endsWith("index.ts"));

  it("imports go down the layer chain (sequence -> tokenizer -> corpus -> graph -> model -> runtime -> jobs -> finetune -> cli)", () => {
    const upward: string[] = [];
    for (const f of files) {
      const [top, level] = layerOf(f);
      for (const m of readFileSync(f, "utf8").matchAll(/from "(\.[^"]+)"/g)) {
        const target = normalize(join(dirname(f), m[1]!));
        const [tTop, tLevel] = layerOf(target);
        if (tTop !== top && tLevel > level) upward.push(`${f} -> ${target}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it("no source file is over 400 lines", () => {
    const long = files.map((f) => [f, readFileSync(f, "utf8").split("\n").length] as const).filter(([, n]) => n > 400);
    expect(long).toEqual([]);
  });
});
