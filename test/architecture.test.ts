import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The layout follows the data, one folder per layer, lowest first: a file may import its own folder, the
 * root of src/ (errors, rng, host-tensor: the base everyone may use) and folders on a lower layer, never
 * a folder on its own layer or above. index.ts files only re-export.
 */
const LAYERS: readonly string[] = [
  "alphabet", // base codes, IUPAC byte tables
  "stats", // sign tests, ROC, correlations
  "io", // files, FASTA, annotations, shards, atomic writes
  "hub", // Hugging Face Hub downloads and cache
  "sequence", // regions cut from genomes
  "report", // evaluation report, SVG charts, logos
  "pwm", // known motifs: files (MEME, TRANSFAC, JASPAR), scanning, site tables
  "tokenizer",
  "corpus",
  "graph", // ONNX graph builder and gradients
  "model",
  "runtime", // ONNX Runtime sessions
  "baselines", // k-mer models, Markov ceiling
  "train",
  "infer", // reconstruct, embed
  "phylo", // species trees and maps
  "motifs", // motif discovery and matching
  "analysis", // evaluation, species experiments
  "readout",
  "variants",
  "finetune",
  "web", // browser entry (re-exports only)
  "cli",
];
const ROOT = "(root)";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith(".ts") && !p.endsWith(".test.ts") ? [p] : [];
  });
}

/** Relative imports, re-exports and dynamic imports of a file, resolved to .ts paths under src/. */
function importsOf(file: string): string[] {
  const out = new Set<string>();
  for (const m of readFileSync(file, "utf8").matchAll(/(?:\bfrom|\bimport)\s*\(?\s*"(\.[^"]+)"/g)) {
    out.add(normalize(join(dirname(file), m[1]!)).replace(/\.js$/, ".ts"));
  }
  return [...out];
}

const folderOf = (path: string): string => {
  const parts = relative("src", path).split("/");
  return parts.length > 1 ? parts[0]! : ROOT;
};
const layerOf = (folder: string): number => (folder === ROOT ? -1 : LAYERS.indexOf(folder));

/** One cycle of a directed graph as `a -> b -> ... -> a`, or undefined when it has none. */
function findCycle(graph: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    state.set(node, "open");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (state.get(next) === "open") return [...stack.slice(stack.indexOf(next)), next];
      if (state.get(next) === undefined) {
        const found = visit(next);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(node, "done");
    return undefined;
  };
  for (const node of [...graph.keys()].sort()) {
    if (state.get(node) === undefined) {
      const found = visit(node);
      if (found) return found;
    }
  }
  return undefined;
}

describe("architecture", () => {
  const all = sourceFiles("src");
  const files = all.filter((f) => !f.endsWith("index.ts"));
  const fileGraph = new Map(files.map((f) => [f, importsOf(f)]));

  it("every folder of src/ has its own layer", () => {
    const folders = readdirSync("src").filter((n) => statSync(join("src", n)).isDirectory());
    expect(folders.filter((f) => !LAYERS.includes(f))).toEqual([]);
    expect(LAYERS.filter((f) => !folders.includes(f))).toEqual([]);
    expect(new Set(LAYERS).size).toBe(LAYERS.length);
  });

  it("imports go to strictly lower layers (alphabet -> io -> ... -> model -> runtime -> infer -> analyses -> cli)", () => {
    const bad: string[] = [];
    for (const [f, targets] of fileGraph) {
      const from = folderOf(f);
      for (const t of targets) {
        const to = folderOf(t);
        if (to !== from && layerOf(to) >= layerOf(from)) bad.push(`${f} (${from}) -> ${t} (${to})`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("every import names a file that exists", () => {
    const missing = [...fileGraph].flatMap(([f, ts]) => ts.filter((t) => !existsSync(t)).map((t) => `${f} -> ${t}`));
    expect(missing).toEqual([]);
  });

  it("no cycle between files (index.ts re-export files included)", () => {
    const graph = new Map(all.map((f) => [f, importsOf(f)]));
    const cycle = findCycle(graph);
    expect(cycle, `import cycle: ${cycle?.join(" -> ")}`).toBeUndefined();
  });

  it("no cycle between folders", () => {
    const graph = new Map<string, string[]>();
    for (const [f, ts] of fileGraph) {
      const from = folderOf(f);
      const edges = graph.get(from) ?? [];
      for (const t of ts) if (folderOf(t) !== from && !edges.includes(folderOf(t))) edges.push(folderOf(t));
      graph.set(from, edges);
    }
    const cycle = findCycle(graph);
    expect(cycle, `folder cycle: ${cycle?.join(" -> ")}`).toBeUndefined();
  });

  it("the cycle finder finds a cycle and reports it in order", () => {
    const g = new Map([
      ["a", ["b"]],
      ["b", ["c"]],
      ["c", ["a", "d"]],
      ["d", []],
    ]);
    expect(findCycle(g)).toEqual(["a", "b", "c", "a"]);
    expect(
      findCycle(
        new Map([
          ["a", ["b"]],
          ["b", ["d"]],
          ["d", []],
        ]),
      ),
    ).toBeUndefined();
    expect(findCycle(new Map([["x", ["x"]]]))).toEqual(["x", "x"]);
  });

  // Commands are grouped by pipeline stage, in the order of the layers above; commands/index.ts registers them.
  const COMMAND_STAGES = ["data", "train", "infer", "analysis", "models"];
  const COMMANDS = "src/cli/commands";
  const stageOf = (path: string): string | undefined => {
    const parts = relative(COMMANDS, path).split("/");
    return parts.length > 1 && parts[0] !== ".." ? parts[0] : undefined;
  };
  it("every cli command sits in a pipeline-stage folder and imports no command of another stage", () => {
    const commandFiles = all.filter((f) => f.startsWith(`${COMMANDS}/`) && !f.endsWith("index.ts"));
    expect(commandFiles.filter((f) => !COMMAND_STAGES.includes(stageOf(f) ?? ""))).toEqual([]);
    const bad = commandFiles.flatMap((f) =>
      importsOf(f)
        .filter((t) => stageOf(t) !== undefined && stageOf(t) !== stageOf(f))
        .map((t) => `${f} -> ${t}`),
    );
    expect(bad).toEqual([]);
    expect(COMMAND_STAGES.filter((s) => !existsSync(join(COMMANDS, s)))).toEqual([]);
  });

  // GraphBuilder is one class, a typed method per ONNX op: split, it would be two halves of one table.
  const LONG_ON_PURPOSE = new Set(["src/graph/builder.ts"]);
  it("no source file is over 400 lines (one listed exception)", () => {
    const long = files
      .filter((f) => !LONG_ON_PURPOSE.has(f))
      .map((f) => [f, readFileSync(f, "utf8").split("\n").length] as const)
      .filter(([, n]) => n > 400);
    expect(long).toEqual([]);
  });
});
