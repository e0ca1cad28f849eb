// Training speed: one step (forward, masked-LM loss, gradients, clipping, AdamW) of the same architecture
// in specieslm (one ONNX Runtime run of the step graph) and in PyTorch fp32 (Debian python3-torch), same
// batch and sequence length, 2 threads each, in one run; prints tokens/s and the ratio. Then the peak
// memory of one published-size (base) step with batch 8 in ORT.
// Usage: npm run build && node bench/train-vs-pytorch.mjs [--config small] [--batch 32] [--tokens 300] [--steps 5] [--no-base]
//        [--blas-dir DIR]  (Debian's torch links the reference BLAS; see bench/README.md for OpenBLAS)
import { execFileSync } from "node:child_process";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { f32, i64, initWeights, paramLayout, presetConfig, Session, buildStepGraph } from "../dist/index.js";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const preset = arg("config", "small");
const [B, T, steps] = [Number(arg("batch", 32)), Number(arg("tokens", 300)), Number(arg("steps", 5))];
const vocabSize = 5 + 4096 + 12;

async function ortSteps(name, batch, tokens, n) {
  const config = presetConfig(name, { vocabSize, conditioning: "token", numSpecies: 12 });
  const session = await Session.create(buildStepGraph(config, { batch, tokens, dropout: 0, dropoutSeed: 0, weightDecay: 0.01, maxGradNorm: 1 }), {
    threads: 2,
  });
  let weights = initWeights(config, 1);
  const moments = new Map();
  for (const [p, shape] of Object.entries(paramLayout(config))) {
    moments.set(`adam_m.${p}`, f32(shape));
    moments.set(`adam_v.${p}`, f32(shape));
  }
  const times = [];
  for (let s = 0; s < n + 2; s++) {
    const ids = Array.from({ length: batch * tokens }, () => 5 + Math.floor(Math.random() * 4096));
    const reads = ids.map((_, i) => i).filter(() => Math.random() < 0.15);
    const feeds = {
      input_ids: i64([batch, tokens], ids),
      attention_mask: i64(
        [batch, tokens],
        ids.map(() => 1),
      ),
      read_index: i64([reads.length], reads),
      read_labels: i64(
        [reads.length],
        reads.map((i) => ids[i]),
      ),
      lr: f32([], [1e-4]),
      adam_step: f32([], [s + 1]),
    };
    for (const [k, t] of weights) feeds[k] = t;
    for (const [k, t] of moments) feeds[k] = t;
    const t0 = performance.now();
    const out = await session.run(feeds);
    if (s >= 2) times.push((performance.now() - t0) / 1000);
    const next = new Map();
    for (const k of weights.keys()) {
      next.set(k, out[`new.${k}`]);
      moments.set(`adam_m.${k}`, out[`new_m.${k}`]);
      moments.set(`adam_v.${k}`, out[`new_v.${k}`]);
    }
    weights = next;
  }
  await session.release();
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const c = presetConfig(preset, { vocabSize });
const load0 = loadavg()[0];
const ortMed = await ortSteps(preset, B, T, steps);
const torchOut = JSON.parse(
  execFileSync(
    "/usr/bin/python3",
    [
      fileURLToPath(new URL("./torch_train.py", import.meta.url)),
      "--layers",
      c.numHiddenLayers,
      "--hidden",
      c.hiddenSize,
      "--heads",
      c.numAttentionHeads,
      "--inter",
      c.intermediateSize,
      "--vocab",
      vocabSize,
      "--batch",
      B,
      "--tokens",
      T,
      "--steps",
      steps,
      "--threads",
      2,
    ].map(String),
    {
      encoding: "utf8",
      env: {
        ...process.env,
        OPENBLAS_NUM_THREADS: "2",
        ...(arg("blas-dir") ? { LD_LIBRARY_PATH: [arg("blas-dir"), process.env.LD_LIBRARY_PATH].filter(Boolean).join(":") } : {}),
      },
    },
  ),
);
const ortTps = (B * T) / ortMed;
console.log(
  JSON.stringify(
    {
      config: preset,
      batch: B,
      tokens: T,
      steps,
      loadavg: [load0, loadavg()[0]],
      ort: { median_s: ortMed, tokens_per_s: ortTps },
      pytorch: torchOut,
      ratio_ort_over_pytorch: ortTps / torchOut.tokens_per_s,
    },
    null,
    2,
  ),
);

if (!process.argv.includes("--no-base")) {
  const rssBefore = process.memoryUsage().rss;
  const med = await ortSteps("base", 8, T, 1);
  // VmHWM is the peak resident set of this process (the base step dominates everything before it).
  const hwm = Number(/VmHWM:\s+(\d+)/.exec(await import("node:fs").then((fs) => fs.readFileSync("/proc/self/status", "utf8")))[1]) / 1024;
  console.log(
    JSON.stringify({ base_step_batch8: { seconds: med, tokens_per_s: (8 * T) / med, peak_rss_mb: hwm, rss_before_mb: rssBefore / 2 ** 20 } }, null, 2),
  );
}
