#!/usr/bin/env node
// Peak memory (max RSS) and CPU time of variant scoring on a 1,024-position model at the default rows
// per forward pass (src/runtime/batch-rows.ts: 8 there) against a fixed batch (32, the default at 512
// positions and below). Each runs in its own child process on the same random mini model (k = 1, 1,024
// positions, a 5' model's shape) and the same random SNVs on 1,003-nt sequences, with the default scores
// (three graphs: llr, influence, embedding_distance). The child reports process.resourceUsage() at
// exit; the score tables must be identical.
//
//   npm run build && node bench/batch-rows-memory.mjs [--variants 48] [--batch-size 32] [--threads 1]
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? dflt : process.argv[i + 1];
};
const n = Number(arg("variants", 48));
const batch = Number(arg("batch-size", 32));
const threads = Number(arg("threads", 1));
const dist = new URL("../dist/", import.meta.url).href;

const child = `
import { saveModelFolder } from "${dist}model/model-folder.js";
import { presetConfig } from "${dist}model/presets.js";
import { initWeights } from "${dist}model/init-weights.js";
import { buildVocab } from "${dist}tokenizer/build-vocab.js";
import { MaskedLanguageModel } from "${dist}runtime/masked-lm.js";
import { scoreVariants } from "${dist}variants/scores.js";
import { mulberry32 } from "${dist}rng.js";
import { existsSync } from "node:fs";
const [dir, batch, n, threads] = process.argv.slice(1);
if (!existsSync(dir + "/config.json")) {
  const species = ["sp_a", "sp_b"];
  const vocab = buildVocab({ k: 1, species });
  const config = presetConfig("mini", { vocabSize: vocab.size, species, kmerSize: 1, maxPositionEmbeddings: 1024 });
  await saveModelFolder(dir, { config, vocab, weights: initWeights(config, 1) });
}
const rand = mulberry32(7);
const dna = (L) => Array.from({ length: L }, () => "ACGT"[rand.int(4)]).join("");
const variants = Array.from({ length: Number(n) }, (_, i) => {
  const sequence = dna(1003), pos = 100 + rand.int(800), ref = sequence[pos];
  return { id: "v" + i, species: "sp_a", sequence, pos, ref, alt: "ACGT".replace(ref, "")[i % 3] };
});
const model = await MaskedLanguageModel.load(dir, { threads: Number(threads) });
const scores = await scoreVariants(model, variants, batch === "default" ? {} : { batchSize: Number(batch) });
const u = process.resourceUsage();
console.log(JSON.stringify({ maxRssMb: u.maxRSS / 1024, cpuS: (u.userCPUTime + u.systemCPUTime) / 1e6, scores }));
`;

const load = () =>
  `load average ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")}`;
console.log(load());
const dir = mkdtempSync(join(os.tmpdir(), "specieslm-batch-rows-"));
try {
  const runs = {};
  for (const b of [String(batch), "default"]) {
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", child, join(dir, "model"), b, n, threads], { encoding: "utf8", maxBuffer: 1 << 28 });
    if (r.status !== 0) throw new Error(`batch ${b}: ${r.stderr}`);
    runs[b] = JSON.parse(r.stdout);
  }
  const [fixed, dflt] = [runs[String(batch)], runs.default];
  const same = JSON.stringify(fixed.scores) === JSON.stringify(dflt.scores);
  console.log(`${n} SNVs, 1,003 nt, mini k=1 1,024 positions, ${threads} thread(s); scores identical: ${same}`);
  for (const [name, r] of [
    [`${batch} rows`, fixed],
    ["default rows", dflt],
  ])
    console.log(`${name.padEnd(13)} max RSS ${r.maxRssMb.toFixed(0).padStart(6)} MB  CPU ${r.cpuS.toFixed(1)} s`);
  console.log(`default / ${batch} rows: memory ${(dflt.maxRssMb / fixed.maxRssMb).toFixed(2)}x, CPU ${(dflt.cpuS / fixed.cpuS).toFixed(2)}x`);
  console.log(load());
  if (!same) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
