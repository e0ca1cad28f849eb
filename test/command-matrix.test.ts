// Issue 27: every model command on every kind of model the project makes or loads, on every kind of
// input. Each cell agrees with an independent computation (PyTorch reference, a direct forward pass)
// or holds the command's invariants, or stops with the one-line typed error and no output.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../src/errors.js";
import type { HostTensor } from "../src/host-tensor.js";
import { reconstruct } from "../src/infer/reconstruct.js";
import { readSafetensors } from "../src/model/safetensors.js";
import { mulberry32 } from "../src/rng.js";
import { MaskedLanguageModel } from "../src/runtime/masked-lm.js";
import { fivePrimeFill, leftPadding, maxSequenceLength } from "../src/runtime/sequence-window.js";
import { reconstruct as webReconstruct, WebMaskedLanguageModel } from "../src/web/index.js";
import { cli, tinyTrainArgs } from "./helpers/cli.js";
import { assertClose, assertCleanError, assertFinite, assertOk, type CliRun, limiter, readTsv } from "./helpers/matrix-kit.js";
import { writeRandomModel } from "./helpers/random-model.js";
import { FIXTURE, HAS_SHARED, maxAbsDiff, SKIP_REASON } from "./helpers/shared.js";
import { writeToyTable } from "./helpers/toy-corpus.js";

const MODELS = ["fixture6", "token1", "embedding1", "none1", "five1", "five6"] as const;
const INPUTS = ["three300", "five1003", "short", "toolong"] as const;
const COMMANDS = [
  "reconstruct",
  "embed",
  "logits",
  "variants",
  "dependency-map",
  "ism-llr",
  "ism-influence",
  "evaluate",
  "species-swap",
  "species-map",
  "held-out",
  "readout",
  "sites",
  "export-onnx",
  "web-reconstruct",
] as const;
type ModelKind = (typeof MODELS)[number];
type InputKind = (typeof INPUTS)[number];
type Command = (typeof COMMANDS)[number];

/** Cells that fail because of a product bug not fixed here (see the comment at each). */
const KNOWN_FAILURES = new Set<string>([]);

const RUNNABLE = MODELS.filter((m) => m !== "fixture6" || HAS_SHARED);
const EXPECTED_CELLS = RUNNABLE.length * INPUTS.length * COMMANDS.length;
const WASM_DIR = fileURLToPath(new URL("../node_modules/onnxruntime-web/dist/", import.meta.url));
const run = limiter(2);
let ran = 0;

const root = mkdtempSync(join(tmpdir(), "slm-matrix-"));
const dirs: Record<ModelKind, string> = {
  fixture6: `${FIXTURE}model`,
  token1: join(root, "run-token"),
  embedding1: join(root, "run-embedding"),
  none1: join(root, "run-none"),
  five1: join(root, "five-k1"),
  five6: join(root, "five-k6"),
};
const models = {} as Record<ModelKind, MaskedLanguageModel>;
let case0 = "";
let expected: Map<string, HostTensor> = new Map();

interface Input {
  id: string;
  sequence: string;
  species: string;
}
const inputs = {} as Record<ModelKind, Record<InputKind, Input>>;

const randomSeq = (n: number, seed: number) => {
  const r = mulberry32(seed);
  return Array.from({ length: n }, () => "ACGT"[r.int(4)]).join("");
};
const speciesOf = (m: ModelKind) => (m === "fixture6" ? ["candida_glabrata", "saccharomyces_paradoxus"] : ["alpha", "beta"]);
const at = (...p: string[]) => join(root, ...p);
const fa = (m: ModelKind, i: InputKind) => at(`${m}.${i}.fa`);
const ln = Math.log;

/** The motif species-swap and sites look for: 8 nt of case0, planted in every input. */
const motif = () => case0.slice(100, 108);

function buildInputs(m: ModelKind): void {
  const model = models[m];
  const sp = speciesOf(m)[0]!;
  const long = randomSeq(maxSequenceLength(model) + 1, 7);
  const five = randomSeq(1003, 11);
  inputs[m] = {
    three300: { id: "utr3", sequence: case0, species: sp },
    five1003: { id: "utr5", sequence: five.slice(0, 500) + motif() + five.slice(508), species: sp },
    short: { id: "tiny", sequence: motif(), species: sp },
    toolong: { id: "long", sequence: long.slice(0, 100) + motif() + long.slice(108), species: sp },
  };
  for (const i of INPUTS) {
    const x = inputs[m][i];
    writeFileSync(fa(m, i), `>${x.id} species=${x.species}\n${x.sequence}\n`);
  }
}

/** Nucleotides a model actually reads: longer than its window, or than its positions. */
const fits = (m: ModelKind, i: InputKind) => inputs[m][i].sequence.length <= maxSequenceLength(models[m]);
const TOO_LONG = /more than the \d+ nt this model reads|longer than the model takes/;
const TOO_SHORT = /this model reads at least 11 nt/;
/** Commands that read nothing but the forward pass: any record of at least one k-mer is theirs to take. */
const PLAIN_PASS = new Set<Command>(["embed", "logits", "readout"]);

/** The typed error a cell must stop with, or null when it must run. */
function expectedError(c: Command, m: ModelKind, i: InputKind): RegExp | null {
  if (c === "species-map" && m === "none1") return /is species-agnostic \(specieslm_conditioning "none"\): it has no species to map/;
  if (!fits(m, i)) return TOO_LONG;
  // The rolling mask hides a nucleotide only in a window of at least 2k-1 nt (a 5' model's fill counts).
  const window = inputs[m][i].sequence.length + leftPadding(models[m], inputs[m][i].sequence.length);
  if (window < 2 * models[m].tokenizer.k - 1 && !PLAIN_PASS.has(c)) return TOO_SHORT;
  return null;
}

/** P(A,C,G,T) at position p by one direct masked forward pass (k = 1 models): [CLS] (species) fill+seq [SEP]. */
async function directProbs(m: ModelKind, x: Input, p: number): Promise<number[]> {
  const model = models[m];
  const fill = leftPadding(model, x.sequence.length);
  const seq = fivePrimeFill(fill) + x.sequence;
  const feeds = model.encode([{ id: x.id, sequence: seq, species: x.species }]);
  const ids = feeds.inputIds.data as BigInt64Array;
  const lead = model.config.conditioning === "token" ? 2 : 1;
  const v = model.tokenizer.vocab;
  expect(Number(ids[lead + fill + p])).toBe(v.id(x.sequence[p]!)!);
  ids[lead + fill + p] = BigInt(v.maskId);
  const out = await model.run("logits", feeds);
  const V = model.config.vocabSize;
  const row = (out.logits!.data as Float32Array).subarray((lead + fill + p) * V, (lead + fill + p + 1) * V);
  const l = ["A", "C", "G", "T"].map((b) => row[v.id(b)!]!);
  const mx = Math.max(...l);
  const e = l.map((z) => Math.exp(z - mx));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((z) => z / s);
}

/** Library reconstruction at a few positions (one span per pass, exact). */
async function libProbs(m: ModelKind, x: Input, ps: readonly number[]): Promise<Float32Array> {
  const [p] = await reconstruct(models[m], [{ id: x.id, sequence: x.sequence, species: x.species }], { positions: () => ps });
  return p!;
}

const probeSites = (L: number) => [...new Set([0, Math.floor(L / 2), L - 1])];

/** Reconstruction-style TSV (id pos ref A C G T): rows = L, refs = the input, and each row sums to `sum` (or ref column 0). */
function checkPerBaseTsv(path: string, x: Input, kind: "probs" | "llr" | "influence"): number[][] {
  const { rows } = readTsv(path);
  expect(rows.length).toBe(x.sequence.length);
  return rows.map((r, p) => {
    expect(r[0]).toBe(x.id);
    expect(Number(r[1])).toBe(p);
    expect(r[2]).toBe(x.sequence[p]);
    const v = r.slice(3, 7).map(Number);
    assertFinite(v, `${x.id}:${p}`);
    if (kind === "probs")
      assertClose(
        v.reduce((a, b) => a + b, 0),
        1,
        1e-3,
        `row ${p} sums to 1`,
      );
    else expect(v["ACGT".indexOf(x.sequence[p]!)]).toBe(0);
    if (kind === "influence") for (const z of v) expect(z).toBeGreaterThanOrEqual(0);
    return v;
  });
}

/** Runs one CLI cell: the command line, its output paths, and the checks of a successful run. */
interface CliCell {
  args: string[];
  outputs: string[];
  check: (r: CliRun) => Promise<void> | void;
}

function cliCell(c: Command, m: ModelKind, i: InputKind): CliCell {
  const x = inputs[m][i];
  const M = dirs[m];
  const o = at(`${c}.${m}.${i}`);
  const base = ["--model", M, "-i", fa(m, i), "--threads", "1"];
  const L = x.sequence.length;
  const [sp0, sp1] = speciesOf(m) as [string, string];
  switch (c) {
    case "reconstruct":
      return {
        args: ["reconstruct", ...base, "-o", `${o}.tsv`, "--batch-size", "64"],
        outputs: [`${o}.tsv`],
        check: async () => {
          const v = checkPerBaseTsv(`${o}.tsv`, x, "probs");
          if (m === "fixture6" && i === "three300") {
            expect(maxAbsDiff(v.flat(), expected.get("case0.reconstruction")!.data as Float32Array)).toBeLessThan(1e-4);
          } else if (models[m].tokenizer.k === 1) {
            for (const p of probeSites(L)) expect(maxAbsDiff(v[p]!, await directProbs(m, x, p)), `pos ${p}`).toBeLessThan(1e-4);
          } else {
            const lib = await libProbs(m, x, probeSites(L));
            for (const p of probeSites(L)) expect(maxAbsDiff(v[p]!, lib.subarray(p * 4, p * 4 + 4)), `pos ${p}`).toBeLessThan(1e-4);
          }
        },
      };
    case "embed":
      return {
        args: ["embed", ...base, "-o", `${o}.tsv`],
        outputs: [`${o}.tsv`],
        check: () => {
          const { rows } = readTsv(`${o}.tsv`);
          expect(rows.length).toBe(1);
          expect(rows[0]![0]).toBe(x.id);
          const e = rows[0]!.slice(1).map(Number);
          expect(e.length).toBe(models[m].config.hiddenSize);
          assertFinite(e, "embedding");
          if (m === "fixture6" && i === "three300") expect(maxAbsDiff(e, expected.get("case0.embedding")!.data as Float32Array)).toBeLessThan(1e-4);
        },
      };
    case "logits":
      return {
        args: ["logits", ...base, "-o", `${o}.safetensors`],
        outputs: [`${o}.safetensors`],
        check: async () => {
          const t = (await readSafetensors(`${o}.safetensors`)).tensors;
          const lg = t.get(`${x.id}.logits`)!;
          const k = models[m].tokenizer.k;
          const special = models[m].config.conditioning === "token" ? 3 : 2;
          expect(lg.shape).toEqual([L - k + 1 + special, models[m].config.vocabSize]);
          assertFinite(lg.data as Float32Array, "logits");
          if (m === "fixture6" && i === "three300")
            expect(maxAbsDiff(lg.data as Float32Array, expected.get("case0.logits")!.data as Float32Array)).toBeLessThan(1e-4);
        },
      };
    case "variants": {
      const pos = Math.floor(L / 2);
      const ref = x.sequence[pos]!;
      const alt = ref === "A" ? "G" : "A";
      const tsv = at(`${m}.${i}.variants.tsv`);
      writeFileSync(tsv, `id\tspecies\tsequence\tpos\tref\talt\nv1\t${x.species}\t${x.sequence}\t${pos}\t${ref}\t${alt}\n`);
      return {
        args: ["variants", "--model", M, "-i", tsv, "--threads", "1", "--scores", "llr,influence,embedding_distance,delta_prob", "-o", `${o}.tsv`],
        outputs: [`${o}.tsv`],
        check: async () => {
          const { header, rows } = readTsv(`${o}.tsv`);
          expect(rows.length).toBe(1);
          const col = (n: string) => Number(rows[0]![header.indexOf(n)]);
          expect(rows[0]![header.indexOf("id")]).toBe("v1");
          for (const s of ["llr", "influence", "embedding_distance", "delta_prob"])
            expect(Number.isFinite(col(s)), `${s} in ${header.join(",")}: ${rows[0]!.join(",")}`).toBe(true);
          expect(col("influence")).toBeGreaterThan(0);
          expect(col("embedding_distance")).toBeGreaterThan(0);
          const pr = await libProbs(m, x, [pos]);
          assertClose(col("llr"), ln(pr[pos * 4 + "ACGT".indexOf(alt)]!) - ln(pr[pos * 4 + "ACGT".indexOf(ref)]!), 1e-3, "llr = ln P(alt) - ln P(ref)");
        },
      };
    }
    case "dependency-map":
      return {
        args: ["dependency-map", ...base, "-o", o],
        outputs: [`${o}.safetensors`, `${o}.${x.id}.svg`],
        check: async () => {
          const t = (await readSafetensors(`${o}.safetensors`)).tensors;
          expect(t.get(`${x.id}.dependency`)!.shape).toEqual([L, L]);
          expect(t.get(`${x.id}.probs`)!.shape).toEqual([L, 4]);
          const d = t.get(`${x.id}.dependency`)!.data as Float32Array;
          assertFinite(d, "dependency");
          for (const z of d) if (z < 0) throw new Error(`negative dependency ${z}`);
          expect(existsSync(`${o}.${x.id}.svg`)).toBe(true);
        },
      };
    case "ism-llr":
    case "ism-influence":
      return {
        args: ["ism", ...base, "--score", c === "ism-llr" ? "llr" : "influence", "-o", `${o}.tsv`],
        outputs: [`${o}.tsv`],
        check: async () => {
          const v = checkPerBaseTsv(`${o}.tsv`, x, c === "ism-llr" ? "llr" : "influence");
          if (c === "ism-llr") {
            const ps = probeSites(L);
            const pr = await libProbs(m, x, ps);
            for (const p of ps) {
              const r = "ACGT".indexOf(x.sequence[p]!);
              for (let b = 0; b < 4; b++) assertClose(v[p]![b]!, ln(pr[p * 4 + b]!) - ln(pr[p * 4 + r]!), 1e-3, `ism llr ${p}/${b}`);
            }
          }
        },
      };
    case "evaluate":
      return {
        args: ["evaluate", "--model", M, "--names", "lm", "-i", fa(m, i), "--threads", "1", "-o", o, "--json"],
        outputs: [`${o}.tsv`, `${o}.json`, `${o}.html`],
        check: (r) => {
          expect(existsSync(`${o}.html`)).toBe(true);
          const j = JSON.parse(r.stdout) as {
            nucleotides: number;
            models: { name: string; pooled: { n: number; accuracy: number; crossEntropy: number } }[];
          };
          expect(j.nucleotides).toBe(L);
          expect(j.models.map((q) => [q.name, q.pooled.n])).toEqual([["lm", L]]);
          expect(j.models[0]!.pooled.crossEntropy).toBeGreaterThan(0);
          assertFinite([j.models[0]!.pooled.crossEntropy, j.models[0]!.pooled.accuracy], "pooled");
        },
      };
    case "species-swap": {
      const motifs = at(`${m}.motifs.tsv`);
      const mv = motif();
      const other = mv.slice(0, 3) + (mv[3] === "A" ? "C" : "A") + mv.slice(4);
      writeFileSync(motifs, `family\tvariant\tspecies\nM\t${mv}\t${sp0}\nM\t${other}\t${sp1}\n`);
      return {
        args: ["species-swap", ...base, "--species", `${sp0},${sp1}`, "--motifs", motifs, "-o", o, "--json"],
        outputs: [`${o}.cells.tsv`, `${o}.preference.tsv`],
        check: (r) => {
          const j = JSON.parse(r.stdout) as { instances: number };
          expect(j.instances).toBe(1);
          const { rows } = readTsv(`${o}.cells.tsv`);
          expect(rows.length).toBeGreaterThan(0);
          for (const row of rows) for (const f of row) expect(f).not.toMatch(/^(NaN|-?Infinity)$/);
        },
      };
    }
    case "species-map":
      return {
        args: ["species-map", "--model", M, "--probe", fa(m, i), "--threads", "1", "-o", o, "--json"],
        outputs: [`${o}.distances.tsv`],
        check: () => {
          const { rows } = readTsv(`${o}.distances.tsv`);
          const d = rows.flatMap((r) => r.slice(1).map(Number));
          assertFinite(d, "distances");
          expect(Math.max(...d)).toBeGreaterThan(0);
        },
      };
    case "held-out":
      return {
        args: ["held-out", ...base, "--held-out", "novel", "--proxy", sp0, "--spans-per-pass", "8", "-o", `${o}.tsv`],
        outputs: [`${o}.tsv`],
        check: () => {
          const { header, rows } = readTsv(`${o}.tsv`);
          // An agnostic model has one way to read a novel species: without one.
          const proxy = rows.find((r) => r[0] === (m === "none1" ? "agnostic" : "proxy"))!;
          expect(Number(proxy[header.indexOf("nucleotides")])).toBe(L);
          const ce = Number(proxy[header.indexOf("cross_entropy")]);
          expect(ce).toBeGreaterThan(0);
          expect(Number.isFinite(ce)).toBe(true);
        },
      };
    case "readout": {
      const table = at(`${m}.${i}.readout.tsv`);
      const r = mulberry32(3);
      const rowsIn = Array.from({ length: 6 }, (_, j) => `r${j}\t${x.species}\t${x.sequence.slice(j) + x.sequence.slice(0, j)}\t${(r.next() * 10).toFixed(3)}`);
      writeFileSync(table, "id\tspecies\tsequence\ty\n" + rowsIn.join("\n") + "\n");
      return {
        args: [
          "readout",
          "-i",
          table,
          "--target",
          "y",
          "--features",
          "embed",
          "--model",
          M,
          "--names",
          "lm",
          "--folds",
          "3",
          "--bootstrap",
          "10",
          "--threads",
          "1",
          "-o",
          o,
          "--json",
        ],
        outputs: [`${o}.tsv`, `${o}.json`, `${o}.html`, `${o}.predictions.tsv`],
        check: (res) => {
          const sets = (JSON.parse(res.stdout) as { targets: { sets: { name: string; features: number }[] }[] }).targets[0]!.sets;
          expect(sets.map((s) => [s.name, s.features])).toEqual([["embed[lm]", models[m].config.hiddenSize]]);
          const { rows } = readTsv(`${o}.predictions.tsv`);
          expect(rows.map((q) => q[0]).sort()).toEqual(["r0", "r1", "r2", "r3", "r4", "r5"]);
        },
      };
    }
    case "sites": {
      const sites = at(`${m}.${i}.sites.tsv`);
      const s = x.sequence.indexOf(motif());
      writeFileSync(sites, `id\tfamily\tstart\tend\n${x.id}\tM\t${s}\t${s + 8}\n`);
      return {
        args: ["sites", "-i", fa(m, i), "--sites", sites, "--model", M, "--names", "lm", "--threads", "1", "-o", o, "--json"],
        outputs: [`${o}.tsv`, `${o}.json`, `${o}.html`],
        check: async () => {
          const { header, rows } = readTsv(`${o}.tsv`);
          expect(rows.length).toBe(1);
          const got = Number(rows[0]![header.indexOf("lm:mean_p_ref")]);
          const ps = Array.from({ length: 8 }, (_, j) => s + j);
          const pr = await libProbs(m, x, ps);
          const want = ps.reduce((a, p) => a + pr[p * 4 + "ACGT".indexOf(x.sequence[p]!)]!, 0) / 8;
          assertClose(got, want, 1e-4, "mean P(ref) over the site");
        },
      };
    }
    default:
      throw new Error(`${c} is not a CLI cell`);
  }
}

/** export-onnx (kmer-nucleotides graph) or the weights, run by the browser's reconstruct on onnxruntime-web. */
const exported = new Map<ModelKind, Promise<void>>();
async function webCell(c: Command, m: ModelKind, i: InputKind): Promise<void> {
  const x = inputs[m][i];
  const files = ["config.json", "vocab.txt", "special_tokens_map.json"].map((n) => new File([readFileSync(join(models[m].folder.dir, n))], n));
  if (c === "export-onnx") {
    const onnx = at(`${m}.onnx`);
    if (!exported.has(m)) exported.set(m, run(["export-onnx", "--model", dirs[m], "--outputs", "kmer-nucleotides", "-o", onnx]).then(assertOk));
    await exported.get(m);
    files.push(new File([readFileSync(onnx)], "model.onnx"));
  } else {
    files.push(new File([readFileSync(join(models[m].folder.dir, "model.safetensors"))], "model.safetensors"));
  }
  const web = await WebMaskedLanguageModel.load(files, { threads: 1, wasmPaths: WASM_DIR });
  try {
    const item = { id: x.id, sequence: x.sequence, species: x.species };
    const ps = probeSites(x.sequence.length);
    if (expectedError(c, m, i)) {
      const err = await webReconstruct(web, [item], { positions: () => ps }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(InputError);
      expect((err as Error).message).toMatch(expectedError(c, m, i)!);
      expect((err as Error).message).not.toContain("\n");
      return;
    }
    const [p] = await webReconstruct(web, [item], { positions: () => ps });
    const lib = await libProbs(m, x, ps);
    for (const q of ps) {
      expect(maxAbsDiff(p!.subarray(q * 4, q * 4 + 4), lib.subarray(q * 4, q * 4 + 4)), `pos ${q}`).toBeLessThan(1e-4);
      assertClose(
        p!.subarray(q * 4, q * 4 + 4).reduce((a, b) => a + b, 0),
        1,
        1e-4,
        "sums to 1",
      );
    }
    if (m === "fixture6" && i === "three300") {
      const ref = expected.get("case0.reconstruction")!.data as Float32Array;
      for (const q of ps) expect(maxAbsDiff(p!.subarray(q * 4, q * 4 + 4), ref.subarray(q * 4, q * 4 + 4))).toBeLessThan(1e-4);
    }
  } finally {
    await web.release();
  }
}

async function runCell(c: Command, m: ModelKind, i: InputKind): Promise<void> {
  ran++;
  if (c === "export-onnx" || c === "web-reconstruct") return webCell(c, m, i);
  const cell = cliCell(c, m, i);
  const r = await run(cell.args);
  const err = expectedError(c, m, i);
  if (err) return assertCleanError(r, err, cell.outputs);
  assertOk(r);
  await cell.check(r);
}

describe("the command matrix: every model command x every model kind x every input kind", () => {
  if (!HAS_SHARED) console.warn(`${SKIP_REASON}: the 6-mer fixture's ${INPUTS.length * COMMANDS.length} cells`);

  beforeAll(async () => {
    if (HAS_SHARED) {
      expected = (await readSafetensors(`${FIXTURE}expected.safetensors`)).tensors;
      case0 = (JSON.parse(readFileSync(`${FIXTURE}cases.json`, "utf8")) as { cases: { name: string; sequence: string }[] }).cases.find(
        (q) => q.name === "case0",
      )!.sequence;
    } else case0 = randomSeq(300, 3);
    writeToyTable(at("toy.tsv"));
    expect(cli(["corpus", "from-table", at("toy.tsv"), "-o", at("corpus")]).code).toBe(0);
    await Promise.all(
      (["token", "embedding", "none"] as const).map(async (cond) => {
        assertOk(await run([...tinyTrainArgs(at("corpus"), at(`run-${cond}`)), "--conditioning", cond]));
      }),
    );
    for (const k of [1, 6]) {
      await writeRandomModel(at(`five-k${k}`), {
        k,
        positions: 1024,
        config: {
          numHiddenLayers: 1,
          hiddenSize: 16,
          numAttentionHeads: 1,
          intermediateSize: 16,
          region: "five_prime",
          regionLength: 1003,
        },
      });
    }
    for (const m of RUNNABLE) {
      models[m] = await MaskedLanguageModel.load(dirs[m], { threads: 1 });
      buildInputs(m);
    }
  }, 480_000);

  afterAll(async () => {
    for (const m of Object.values(models)) await m.release();
    rmSync(root, { recursive: true, force: true });
    console.log(`command matrix: ${ran} cells ran of ${EXPECTED_CELLS} (${COMMANDS.length} commands x ${RUNNABLE.length} models x ${INPUTS.length} inputs)`);
    expect(ran).toBe(EXPECTED_CELLS);
  });

  for (const m of MODELS) {
    describe.skipIf(!RUNNABLE.includes(m)).concurrent(m, () => {
      for (const c of COMMANDS) {
        for (const i of INPUTS) {
          const name = `${c} x ${m} x ${i}`;
          (KNOWN_FAILURES.has(name) ? it.fails : it)(name, () => runCell(c, m, i), 480_000);
        }
      }
    });
  }
});
