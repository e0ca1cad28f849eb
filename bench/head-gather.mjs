// The MLM head only at the read (masked) tokens vs at every token: one batch of 32 masked rows x 298
// tokens, the full logits graph against the reconstruction graph (head on 6 rows per sequence, k-mer
// softmax folded to bases in-graph), small and base presets, 2 threads, median of 3.
// Usage: npm run build && node bench/head-gather.mjs
import { initWeights, presetConfig, serializeGraph, Session, i64, buildVocab } from "../dist/index.js";
import { buildInferenceGraph } from "../dist/model/inference-graph.js";
const vocab = buildVocab({ k: 6, species: ["a", "b"] });
for (const preset of ["small", "base"]) {
  const c = presetConfig(preset, { vocabSize: vocab.size });
  const w = initWeights(c, 1);
  const B = 32,
    T = 298;
  const ids = i64(
    [B, T],
    Array.from({ length: B * T }, () => 5 + Math.floor(Math.random() * 4096)),
  );
  const mask = i64(
    [B, T],
    Array.from({ length: B * T }, () => 1),
  );
  const reads = i64(
    [B * 6],
    Array.from({ length: B * 6 }, (_, j) => Math.floor(j / 6) * T + 100 + (j % 6)),
  );
  const full = await Session.create(serializeGraph(buildInferenceGraph(c, w, { logits: true })), { threads: 2 });
  const gathered = await Session.create(serializeGraph(buildInferenceGraph(c, w, { kmerNucleotides: { kmerIds: vocab.kmerIds, k: 6 } })), {
    threads: 2,
  });
  const t = { full: [], gathered: [] };
  for (let r = 0; r < 3; r++) {
    let t0 = performance.now();
    await full.run({ input_ids: ids, attention_mask: mask });
    t.full.push(performance.now() - t0);
    t0 = performance.now();
    await gathered.run({ input_ids: ids, attention_mask: mask, read_index: reads });
    t.gathered.push(performance.now() - t0);
  }
  const med = (a) => a.sort((x, y) => x - y)[1] / 1000;
  console.log(
    preset,
    "32 rows x 298 tokens: full head",
    med(t.full).toFixed(2),
    "s; head on the 6 masked tokens",
    med(t.gathered).toFixed(2),
    "s; speed-up",
    (med(t.full) / med(t.gathered)).toFixed(2),
  );
}
