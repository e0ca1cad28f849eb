import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HostTensor } from "../src/host-tensor.js";
import { loadModelFolder } from "../src/model/model-folder.js";
import { readSafetensors } from "../src/model/safetensors.js";
import { MaskedLanguageModel } from "../src/runtime/masked-lm.js";
import { embedSequences, filesSource, parseSequenceText, reconstruct, reconstructionTsvRows, WebMaskedLanguageModel } from "../src/web/index.js";
import { FIXTURE, HAS_SHARED, maxAbsDiff, SKIP_REASON, fixtureCases, type FixtureCase } from "./helpers/shared.js";

const WASM_DIR = fileURLToPath(new URL("../node_modules/onnxruntime-web/dist/", import.meta.url));
const WEB = { threads: 1, wasmPaths: WASM_DIR } as const;
const NODE_BUILTINS = new Set(builtinModules);

/** Every module the browser entry reaches through value imports (type-only imports are erased). */
function importGraph(entry: string): { files: string[]; bare: Set<string> } {
  const seen = new Set<string>();
  const bare = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const src = readFileSync(file, "utf8");
    for (const m of src.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?from\s+"([^"]+)"/gms)) {
      if (m[1]) continue;
      const spec = m[2]!;
      if (spec.startsWith(".")) visit(normalize(join(dirname(file), spec.replace(/\.js$/, ".ts"))));
      else bare.add(spec);
    }
  };
  visit(entry);
  return { files: [...seen], bare };
}

describe("the browser entry src/web/index.ts", () => {
  it("reaches no Node built-in and not onnxruntime-node", () => {
    const { files, bare } = importGraph("src/web/index.ts");
    expect(files.length).toBeGreaterThan(20);
    expect(files).toContain(normalize("src/model/bert.ts")); // the model is built in the browser from the same code
    const node = [...bare].filter((b) => b.startsWith("node:") || NODE_BUILTINS.has(b) || b === "onnxruntime-node");
    expect(node).toEqual([]);
    expect([...bare].sort()).toEqual(["onnxruntime-web", "pickleparser", "protobufjs"]);
  });
});

describe("FASTA text in the browser", () => {
  it("reads records with species from headers, and names the record and character of bad input", () => {
    const recs = parseSequenceText(">a species=x\nACGT\nacgn\n>b\nTTTT\n", "pasted", { species: "y" });
    expect(recs).toEqual([
      { id: "a", species: "x", sequence: "ACGTACGN" },
      { id: "b", species: "y", sequence: "TTTT" },
    ]);
    expect(() => parseSequenceText(">a\nACGTXACGT\n", "pasted", { species: "y" })).toThrow(/pasted:2: record "a": invalid sequence character "X" at column 5/);
    expect(() => parseSequenceText("hello\n>a\nACGT\n", "in.fa")).toThrow(/in\.fa:1: sequence data before the first '>' header/);
    expect(() => parseSequenceText("", "in.fa")).toThrow(/no FASTA records found/);
    expect(() => parseSequenceText(">a\nACGT\n", "in.fa")).toThrow(/record "a" names no species/);
  });
});

/** The fixture's files as browser File objects, as a directory pick hands them over. */
function picked(dir: string, only?: (name: string) => boolean, extra: File[] = []): File[] {
  const files = readdirSync(dir)
    .filter((n) => !only || only(n))
    .map((n) => new File([readFileSync(join(dir, n))], n));
  return [...files, ...extra];
}

describe.skipIf(!HAS_SHARED)("WebMaskedLanguageModel on the PyTorch fixture (onnxruntime-web wasm)", () => {
  if (!HAS_SHARED) console.warn(SKIP_REASON);
  let expected: Map<string, HostTensor>;
  let cases: FixtureCase[];
  let web: WebMaskedLanguageModel;
  const dir = `${FIXTURE}model`;
  beforeAll(async () => {
    expected = (await readSafetensors(`${FIXTURE}expected.safetensors`)).tensors;
    cases = fixtureCases(/^case[013]$/);
    web = await WebMaskedLanguageModel.load(
      picked(dir, (n) => n !== "pytorch_model.bin"),
      WEB,
    );
  });
  afterAll(async () => web?.release());
  const exp = (k: string) => expected.get(k)!.data as Float32Array;

  it("reconstructs from picked files as the PyTorch reference, within 1e-5, and writes the CLI's TSV rows", async () => {
    expect(web.folder.weightsFile).toBe("picked files/model.safetensors");
    const probs = await reconstruct(
      web,
      cases.map((c) => ({ id: c.name, sequence: c.sequence, species: c.species })),
      { batchSize: 32 },
    );
    cases.forEach((c, i) => expect(maxAbsDiff(probs[i]!, exp(`${c.name}.reconstruction`)), c.name).toBeLessThan(1e-5));
    const rows = reconstructionTsvRows("case3", cases[2]!.sequence, probs[2]!).trim().split("\n");
    expect(rows).toHaveLength(11);
    expect(rows[0]!.split("\t").slice(0, 3)).toEqual(["case3", "0", "C"]);
  });

  it("embeds as the reference (mean of hidden_states[1:]) within 1e-4", async () => {
    const recs = cases.map((c) => ({ id: c.name, sequence: c.sequence, species: c.species }));
    for await (const e of embedSequences(web, recs, { fromLayer: 1 })) expect(maxAbsDiff(e.embedding, exp(`${e.id}.embedding`)), e.id).toBeLessThan(1e-4);
  });

  it("stops between passes when the signal is aborted", async () => {
    const ac = new AbortController();
    ac.abort(new Error("cancelled by the user"));
    await expect(reconstruct(web, [{ id: "c", sequence: cases[0]!.sequence, species: cases[0]!.species }], { signal: ac.signal })).rejects.toThrow(
      /cancelled by the user/,
    );
  });

  it("runs an export-onnx graph in place of the weights, and says which graph a job needs", async () => {
    const node = await MaskedLanguageModel.load(dir);
    const kmer = new File([node.onnxBytes("kmer-nucleotides") as Uint8Array<ArrayBuffer>], "model.onnx");
    const fromOnnx = await WebMaskedLanguageModel.load(
      picked(dir, (n) => !n.startsWith("model.") && !n.startsWith("pytorch"), [kmer]),
      WEB,
    );
    const c = cases[1]!;
    const [p] = await reconstruct(fromOnnx, [{ id: c.name, sequence: c.sequence, species: c.species }]);
    expect(maxAbsDiff(p!, exp(`${c.name}.reconstruction`))).toBeLessThan(1e-5);
    const logits = new File([node.onnxBytes("logits") as Uint8Array<ArrayBuffer>], "model.onnx");
    const wrong = await WebMaskedLanguageModel.load(
      picked(dir, (n) => n.endsWith(".json") || n.endsWith(".txt"), [logits]),
      WEB,
    );
    await expect(reconstruct(wrong, [{ id: c.name, sequence: c.sequence, species: c.species }])).rejects.toThrow(
      /holds the logits graph.*export-onnx --outputs kmer-nucleotides/,
    );
    await Promise.all([fromOnnx.release(), wrong.release(), node.release()]);
  });

  it("refuses a folder without weights, naming the fix, and reads pytorch_model.bin alone as the Node loader does", async () => {
    await expect(
      WebMaskedLanguageModel.load(
        picked(dir, (n) => !n.startsWith("model.") && !n.startsWith("pytorch")),
        WEB,
      ),
    ).rejects.toThrow(/a folder without weights: expected model\.safetensors, pytorch_model\.bin or an \.onnx file/);
    // The published SpeciesLM revisions ship pytorch_model.bin only.
    const fromBin = await WebMaskedLanguageModel.load(
      picked(dir, (n) => !n.startsWith("model.")),
      WEB,
    );
    expect(fromBin.folder.weightsFile).toBe("picked files/pytorch_model.bin");
    const nodeFolder = await loadModelFolder(dir);
    for (const [name, t] of nodeFolder.weights) expect(maxAbsDiff(fromBin.folder.weights.get(name)!.data as Float32Array, t.data), name).toBe(0);
    await fromBin.release();
  });

  it("refuses a model too large for the browser's memory from its config, before reading weights", async () => {
    const config = JSON.parse(readFileSync(join(dir, "config.json"), "utf8")) as Record<string, unknown>;
    const big = new File(
      [JSON.stringify({ ...config, hidden_size: 4096, intermediate_size: 16384, num_hidden_layers: 24, num_attention_heads: 32 })],
      "config.json",
    );
    // No weights at all: the size error must come first.
    const files = picked(dir, (n) => n.endsWith(".txt") || n === "special_tokens_map.json", [big]);
    await expect(WebMaskedLanguageModel.load(files, WEB)).rejects.toThrow(/too large for the browser's memory: its float32 weights take 18\d\d\d MB/);
    // The fixture itself is refused under a tiny limit, and the folder name is in the message.
    await expect(WebMaskedLanguageModel.load(filesSource(picked(dir), "tiny"), { ...WEB, maxWeightBytes: 1e5 })).rejects.toThrow(
      /^tiny: this model is too large/,
    );
  });

  it("loads the same weights as the Node loader", async () => {
    const nodeFolder = await loadModelFolder(dir);
    for (const [name, t] of nodeFolder.weights) expect(maxAbsDiff(web.folder.weights.get(name)!.data as Float32Array, t.data), name).toBe(0);
  });
});
