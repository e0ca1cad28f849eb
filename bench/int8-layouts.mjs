#!/usr/bin/env node
// int8 weight layouts (src/graph/passes/quantize-matmul.ts): logits agreement with fp32 on the
// tiny-specieslm fixture and forward-pass speed of a random model, as ratios to fp32 in the same run.
// "s8" is only exact on CPUs with VNNI/AMX; on others its numbers here are the saturated, wrong ones.
//
//   npm run build && node bench/int8-layouts.mjs [--preset small|base] [--threads 1]
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { quantizeMatMul } from "../dist/graph/passes/quantize-matmul.js";
import { serializeGraph } from "../dist/graph/onnx/serialize.js";
import { buildInferenceGraph } from "../dist/model/inference-graph.js";
import { loadModelFolder } from "../dist/model/model-folder.js";
import { int8LayoutForThisCpu } from "../dist/runtime/int8-layout.js";
import { Session } from "../dist/runtime/session.js";
import { encodeBatch } from "../dist/tokenizer/batch.js";
import { FIXTURE, makeRandomModel, maxAbsDiff, median, parseArgs, randomDna } from "./forward-vs-pytorch.mjs";

const a = parseArgs(process.argv.slice(2), { preset: "small", threads: 1 });
const LAYOUTS = [null, "s8", "u8"];
const name = (l) => l ?? "fp32";
async function session(folder, layout) {
  let g = buildInferenceGraph(folder.config, folder.weights, { logits: true });
  if (layout) g = quantizeMatMul(g, { layout }).graph;
  return Session.create(serializeGraph(g), { threads: Number(a.threads) });
}
const feeds = (b) => ({ input_ids: b.inputIds, attention_mask: b.attentionMask });
const logits = async (s, b) => Object.values(await s.run(feeds(b)))[0].data;

console.log(`this CPU's layout: ${int8LayoutForThisCpu()}`);
const fx = await loadModelFolder(join(FIXTURE, "model"));
const cases = JSON.parse(readFileSync(join(FIXTURE, "cases.json"), "utf8")).cases.filter((c) => /^case\d$/.test(c.name));
const fxs = await Promise.all(LAYOUTS.map((l) => session(fx, l)));
for (let i = 1; i < LAYOUTS.length; i++) {
  let d = 0;
  for (const c of cases) {
    const b = encodeBatch(fx.tokenizer, [{ sequence: c.sequence, species: c.species }]);
    d = Math.max(d, maxAbsDiff(await logits(fxs[0], b), await logits(fxs[i], b)));
  }
  console.log(`fixture, ${name(LAYOUTS[i])}: max |logit - fp32 logit| ${d.toFixed(4)}`);
}

const { folder } = await makeRandomModel(a.preset);
const b = encodeBatch(
  folder.tokenizer,
  Array.from({ length: 16 }, (_, i) => ({ sequence: randomDna(300, i + 1), species: folder.vocab.speciesNames[0] })),
);
const ss = await Promise.all(LAYOUTS.map((l) => session(folder, l)));
for (const s of ss) await s.run(feeds(b));
const times = LAYOUTS.map(() => []);
for (let r = 0; r < 7; r++) {
  for (let i = 0; i < ss.length; i++) {
    const t0 = performance.now();
    await ss[i].run(feeds(b));
    times[i].push(performance.now() - t0);
  }
}
for (let i = 0; i < LAYOUTS.length; i++) {
  console.log(
    `${a.preset}, 16 x 300 nt, ${name(LAYOUTS[i])}: median ${median(times[i]).toFixed(0)} ms, speed vs fp32 ${(median(times[0]) / median(times[i])).toFixed(2)}x`,
  );
}
