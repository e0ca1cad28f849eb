#!/usr/bin/env node
// Forward-pass throughput of the published SpeciesLM shape (BERT-base: 12 layers, hidden 768, 12 heads,
// FFN 3072, vocab 5504, 512 positions; random weights) in ONNX Runtime (onnxruntime-node) against the
// PyTorch reference (fp32 and a bfloat16 copy) in one run, plus ORT optimisation levels and the int8 pass.
//
//   npm run build && node bench/forward-vs-pytorch.mjs [--quick] [--runs N] [--batch 32] [--tokens 302]
//        [--threads 2] [--preset base|small|tiny] [--no-torch] [--no-recon] [--json FILE]
//        [--blas-dir /path/to/openblas-pthread]   (see bench/README.md: Debian's torch uses the reference BLAS)
//
// Prints a table (median seconds, tokens/s, ratio to PyTorch fp32), the logits difference ORT vs PyTorch
// (same weights loaded by both sides from the same model.safetensors) and how far int8 moves the
// reconstruction probabilities. See bench/README.md.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { serializeGraph } from "../dist/graph/onnx/serialize.js";
import { quantizeMatMul } from "../dist/graph/passes/quantize-matmul.js";
import { reconstruct } from "../dist/infer/reconstruct.js";
import { initWeights } from "../dist/model/init-weights.js";
import { buildInferenceGraph } from "../dist/model/inference-graph.js";
import { loadModelFolder, saveModelFolder } from "../dist/model/model-folder.js";
import { presetConfig } from "../dist/model/presets.js";
import { MaskedLanguageModel } from "../dist/runtime/masked-lm.js";
import { Session } from "../dist/runtime/session.js";
import { buildVocab } from "../dist/tokenizer/build-vocab.js";

const HERE = dirname(fileURLToPath(import.meta.url));
export const SHARED = join(HERE, "..", "..", "shared");
export const FIXTURE = join(SHARED, "fixtures", "tiny-specieslm");
/** The published vocabulary size: 5 specials + 4096 6-mers + 1403 species tokens. */
export const PUBLISHED_VOCAB = 5504;

// ---- shared with reconstruct-speed.mjs ---------------------------------------------------------

export function parseArgs(argv, defaults) {
  const a = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, "");
    if (!(key in defaults) && !key.startsWith("no-")) throw new Error(`unknown option ${argv[i]}; known: ${Object.keys(defaults).join(", ")}`);
    if (key.startsWith("no-")) a[key.slice(3)] = false;
    else if (typeof defaults[key] === "boolean") a[key] = true;
    else a[key] = typeof defaults[key] === "number" ? Number(argv[++i]) : argv[++i];
  }
  return a;
}

export const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor((xs.length - 1) / 2)];

export function loadNote() {
  const [l1, l5] = os.loadavg();
  return `load ${l1.toFixed(2)} (1 min) ${l5.toFixed(2)} (5 min) on ${os.cpus().length} cores`;
}

/** Seconds of each of `runs` calls after `warmup` untimed ones; returns the last result too. */
export async function timeRuns(fn, warmup, runs) {
  let last;
  for (let i = 0; i < warmup; i++) last = await fn();
  const secs = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    last = await fn();
    secs.push((performance.now() - t0) / 1000);
  }
  return { secs, median: median(secs), last };
}

/**
 * A random-weight model of a preset size with the published vocabulary, written in the Hugging Face
 * layout to a temporary folder and loaded back (so both runtimes read the same model.safetensors).
 */
export async function makeRandomModel(preset, seed = 1) {
  const species = Array.from({ length: PUBLISHED_VOCAB - 5 - 4096 }, (_, i) => `species_${String(i).padStart(4, "0")}`);
  const vocab = buildVocab({ species });
  const config = presetConfig(preset, { vocabSize: vocab.size, species });
  const dir = mkdtempSync(join(os.tmpdir(), `specieslm-bench-${preset}-`));
  await saveModelFolder(dir, { config, vocab, weights: initWeights(config, seed) });
  return { dir, folder: await loadModelFolder(dir) };
}

/** A random DNA sequence (seeded) whose tokenisation with a species token has `tokens` tokens. */
export function randomSequence(tokens, k, seed) {
  return randomDna(tokens - 3 + k - 1, seed); // [CLS] species kmers... [SEP]
}

/** `n` uniform random bases from a seeded xorshift32. */
export function randomDna(n, seed) {
  let x = seed >>> 0 || 1;
  let s = "";
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    s += "ACGT"[x & 3];
  }
  return s;
}

export function maxAbsDiff(a, b) {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

// ---- this benchmark ----------------------------------------------------------------------------

function batchIds(folder, batch, tokens) {
  const tok = folder.tokenizer;
  const sp = folder.vocab.speciesNames[0];
  const ids = new BigInt64Array(batch * tokens);
  for (let b = 0; b < batch; b++) {
    const e = tok.encode(randomSequence(tokens, tok.k, 1234 + b), sp);
    if (e.ids.length !== tokens) throw new Error(`tokenised to ${e.ids.length} tokens, wanted ${tokens}`);
    for (let t = 0; t < tokens; t++) ids[b * tokens + t] = BigInt(e.ids[t]);
  }
  return ids;
}

async function ortConfigs(folder, ids, a) {
  const [B, T] = [a.batch, a.tokens];
  const feeds = {
    input_ids: { dtype: "int64", shape: [B, T], data: ids },
    attention_mask: { dtype: "int64", shape: [B, T], data: new BigInt64Array(B * T).fill(1n) },
  };
  const graph = buildInferenceGraph(folder.config, folder.weights, { logits: true });
  const fp32 = serializeGraph(graph);
  const configs = [
    { name: "ORT fp32, optimisation disabled", bytes: fp32, optimization: "disabled" },
    { name: "ORT fp32, optimisation basic", bytes: fp32, optimization: "basic" },
    { name: "ORT fp32, optimisation all", bytes: fp32, optimization: "all", key: "ort" },
    { name: "ORT int8 (DynamicQuantizeMatMul), all", bytes: null, optimization: "all", key: "int8" },
  ];
  const rows = [];
  const logits0 = {};
  for (const c of configs) {
    const bytes = c.bytes ?? serializeGraph(quantizeMatMul(graph).graph);
    const s = await Session.create(bytes, { threads: a.threads, optimization: c.optimization });
    const r = await timeRuns(() => s.run(feeds), a.warmup, a.runs);
    if (c.key) logits0[c.key] = r.last.logits.data.slice(0, T * folder.config.vocabSize);
    await s.release();
    rows.push({ name: c.name, secs: r.secs, median: r.median, load: os.loadavg()[0] });
    console.error(`  ${c.name}: median ${r.median.toFixed(2)} s (${loadNote()})`);
  }
  return { rows, logits0 };
}

function torchConfigs(dir, ids, a) {
  const idsFile = join(dir, "bench-ids.bin");
  writeFileSync(idsFile, new Uint8Array(ids.buffer));
  const prefix = join(dir, "bench-torch");
  const args = [
    join(HERE, "torch_forward.py"),
    "--model",
    dir,
    "--ids",
    idsFile,
    "--batch",
    String(a.batch),
    "--tokens",
    String(a.tokens),
    "--runs",
    String(a.runs),
    "--warmup",
    String(a.warmup),
    "--threads",
    String(a.threads),
    "--out-prefix",
    prefix,
    "--reference",
    join(SHARED, "reference"),
  ];
  // Debian's torch links libblas.so.3, the reference BLAS unless an optimised one is installed: --blas-dir
  // puts another libblas.so.3 (e.g. OpenBLAS's openblas-pthread folder) first for this process only.
  const env = { ...process.env, OPENBLAS_NUM_THREADS: String(a.threads), OMP_NUM_THREADS: String(a.threads) };
  if (a["blas-dir"]) env.LD_LIBRARY_PATH = [a["blas-dir"], process.env.LD_LIBRARY_PATH].filter(Boolean).join(":");
  const p = spawnSync("/usr/bin/python3", args, { encoding: "utf8", env, stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 24 });
  if (p.status !== 0) throw new Error(`torch_forward.py failed (exit ${p.status}); run it by hand: /usr/bin/python3 ${args.join(" ")}`);
  const res = JSON.parse(p.stdout);
  console.error(`  PyTorch ${res.torch} BLAS: ${res.blas}`);
  const rows = ["fp32", "bf16"].map((prec) => ({
    name: `PyTorch ${res.torch} ${prec}${prec === "bf16" ? " (model.to(bfloat16))" : ""}`,
    secs: res[prec].seconds,
    median: res[prec].median_s,
    key: `torch-${prec}`,
    load: os.loadavg()[0],
  }));
  const logits0 = Object.fromEntries(["fp32", "bf16"].map((prec) => [prec, new Float32Array(readFileSync(`${prefix}.${prec}.logits0.bin`).buffer.slice(0))]));
  return { rows, logits0, blas: res.blas };
}

/** How far int8 moves reconstruction probabilities: max |p_int8 - p_fp32| over all positions and bases. */
async function reconstructionChange(folder, label, items, threads) {
  const fp = new MaskedLanguageModel(folder, { threads });
  const q8 = new MaskedLanguageModel(folder, { threads, quantize: "int8" });
  const a = await reconstruct(fp, items, { batchSize: 32 });
  const b = await reconstruct(q8, items, { batchSize: 32 });
  await fp.release();
  await q8.release();
  let max = 0;
  let argmaxAgree = 0;
  let n = 0;
  items.forEach((_, i) => {
    max = Math.max(max, maxAbsDiff(a[i], b[i]));
    for (let p = 0; p < a[i].length / 4; p++, n++) argmaxAgree += argmax4(a[i], p) === argmax4(b[i], p) ? 1 : 0;
  });
  return { label, positions: n, maxAbsDiff: max, argmaxAgreement: argmaxAgree / n };
}

export function argmax4(p, pos) {
  let best = 0;
  for (let c = 1; c < 4; c++) if (p[pos * 4 + c] > p[pos * 4 + best]) best = c;
  return best;
}

function printTable(rows, tokens) {
  const torchFp32 = rows.find((r) => r.key === "torch-fp32");
  console.log(`${"configuration".padEnd(42)} ${"median s".padStart(9)} ${"tokens/s".padStart(9)} ${"vs torch fp32".padStart(14)}  runs (s)`);
  for (const r of rows) {
    const ratio = torchFp32 ? (torchFp32.median / r.median).toFixed(2) + "x" : "-";
    console.log(
      `${r.name.padEnd(42)} ${r.median.toFixed(2).padStart(9)} ${(tokens / r.median).toFixed(0).padStart(9)} ${ratio.padStart(14)}  ${r.secs.map((s) => s.toFixed(2)).join(" ")}`,
    );
  }
}

async function main() {
  const a = parseArgs(process.argv.slice(2), {
    quick: false,
    runs: 3,
    warmup: 1,
    batch: 32,
    tokens: 302,
    threads: 2,
    preset: "base",
    torch: true,
    recon: true,
    json: "",
    "blas-dir": "",
  });
  if (a.quick) a.runs = Math.min(a.runs, 1);
  const started = new Date();
  console.log(
    `forward-vs-pytorch: preset ${a.preset}, batch ${a.batch} x ${a.tokens} tokens, ${a.threads} threads, ` +
      `warm-up ${a.warmup}, median of ${a.runs}; ${started.toISOString()}; ${os.cpus()[0]?.model ?? "cpu"}; ${loadNote()}`,
  );
  const { dir, folder } = await makeRandomModel(a.preset);
  try {
    const ids = batchIds(folder, a.batch, a.tokens);
    const ort = await ortConfigs(folder, ids, a);
    const rows = [...ort.rows];
    const checks = {};
    let torchBlas = null;
    if (a.torch) {
      const t = torchConfigs(dir, ids, a);
      torchBlas = t.blas;
      rows.push(...t.rows);
      checks["max |logit| diff ORT fp32 vs PyTorch fp32 (sequence 0)"] = maxAbsDiff(ort.logits0.ort, t.logits0.fp32);
      checks["max |logit| diff PyTorch bf16 vs fp32 (sequence 0)"] = maxAbsDiff(t.logits0.bf16, t.logits0.fp32);
    }
    checks["max |logit| diff ORT int8 vs fp32 (sequence 0)"] = maxAbsDiff(ort.logits0.int8, ort.logits0.ort);
    console.log("");
    printTable(rows, a.batch * a.tokens);
    console.log("");
    for (const [k, v] of Object.entries(checks)) console.log(`${k}: ${v.toExponential(2)}`);
    const recon = [];
    if (a.recon) {
      const sp = folder.vocab.speciesNames[0];
      recon.push(
        await reconstructionChange(folder, `${a.preset} random weights, 1 x 100 nt`, [{ id: "r0", sequence: randomDna(100, 99), species: sp }], a.threads),
      );
      if (existsSync(FIXTURE)) {
        const fx = await loadModelFolder(join(FIXTURE, "model"));
        const cases = JSON.parse(readFileSync(join(FIXTURE, "cases.json"), "utf8")).cases.filter((c) => /^case\d$/.test(c.name));
        recon.push(
          await reconstructionChange(
            fx,
            "tiny fixture cases 0-3",
            cases.map((c) => ({ id: c.name, sequence: c.sequence, species: c.species })),
            a.threads,
          ),
        );
      }
      for (const r of recon) {
        console.log(
          `int8 vs fp32 reconstruction, ${r.label}: max |dp| ${r.maxAbsDiff.toExponential(2)}, argmax base agrees at ${(100 * r.argmaxAgreement).toFixed(2)}% of ${r.positions} positions`,
        );
      }
    }
    console.log(`\nfinished ${new Date().toISOString()} (${((Date.now() - started.getTime()) / 1000).toFixed(0)} s); ${loadNote()}`);
    if (a.json) writeFileSync(a.json, JSON.stringify({ args: a, started, rows, checks, recon, torchBlas, cpu: os.cpus()[0]?.model }, null, 2));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
