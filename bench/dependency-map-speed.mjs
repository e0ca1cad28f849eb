#!/usr/bin/env node
// Nucleotide dependency map of one 300-nt region at the published size (12 layers x 768, random
// weights): `dependencyMap` in ONNX Runtime (fp32 and int8) against the same computation in PyTorch fp32
// (bench/torch_dependency_map.py, vectorised torch ops on the reference Bert) in one run.
//
//   npm run build && node bench/dependency-map-speed.mjs [--positions 300] [--length 300] [--batch 30]
//        [--threads 2] [--preset base] [--no-torch] [--no-int8] [--blas-dir DIR]
//
// --positions N maps only the first N mutated positions (rows of the map; 3N + 1 forward passes per
// side) so that a loaded 2-core machine can run it; the ratio is per forward pass either way. Prints
// seconds per side, rows/s, the ratio to PyTorch, and the max |difference| of the map rows ORT vs
// PyTorch (same weights) and int8 vs fp32.
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { LOG_ODDS_EPS } from "../dist/model/nucleotide-dependency.js";
import { MaskedLanguageModel } from "../dist/runtime/masked-lm.js";
import { dependencyMap } from "../dist/variants/unmasked.js";
import { loadNote, makeRandomModel, maxAbsDiff, parseArgs, randomDna } from "./forward-vs-pytorch.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const a = parseArgs(process.argv.slice(2), {
  positions: 300,
  length: 300,
  batch: 30,
  threads: 2,
  preset: "base",
  torch: true,
  int8: true,
  "blas-dir": "",
});

console.error(
  `dependency-map bench: preset ${a.preset}, ${a.length} nt, ${a.positions} mutated positions, batch ${a.batch}, ${a.threads} threads; ${loadNote()}`,
);
const { dir, folder } = await makeRandomModel(a.preset, 1);
const species = folder.vocab.speciesNames[0];
const sequence = randomDna(a.length, 77);
const positions = Array.from({ length: a.positions }, (_, i) => i);
const rows = [];

async function ort(quantize) {
  const model = new MaskedLanguageModel(folder, { threads: a.threads, ...(quantize ? { quantize } : {}) });
  const item = { id: "bench", sequence, species };
  await dependencyMap(model, item, { positions: [0], batchSize: a.batch }); // builds the sessions
  const t0 = performance.now();
  const dep = await dependencyMap(model, item, { positions, batchSize: a.batch });
  const secs = (performance.now() - t0) / 1000;
  await model.release();
  console.error(`  ORT ${quantize ?? "fp32"}: ${secs.toFixed(2)} s; ${loadNote()}`);
  return { secs, map: dep.map.subarray(0, a.positions * a.length) };
}

const fp32 = await ort(undefined);
rows.push(["ORT fp32", fp32.secs]);
let int8;
if (a.int8) {
  int8 = await ort("int8");
  rows.push(["ORT int8", int8.secs]);
}
let torch;
if (a.torch) {
  const out = join(dir, "torch-map.bin");
  const env = { ...process.env, OPENBLAS_NUM_THREADS: String(a.threads), OMP_NUM_THREADS: String(a.threads) };
  if (a["blas-dir"]) env.LD_LIBRARY_PATH = [a["blas-dir"], process.env.LD_LIBRARY_PATH].filter(Boolean).join(":");
  const p = spawnSync(
    "/usr/bin/python3",
    [
      join(HERE, "torch_dependency_map.py"),
      "--model",
      dir,
      "--sequence",
      sequence,
      "--species",
      species,
      "--positions",
      String(a.positions),
      "--batch",
      String(a.batch),
      "--threads",
      String(a.threads),
      "--eps",
      String(LOG_ODDS_EPS),
      "--out",
      out,
    ],
    { encoding: "utf8", env, stdio: ["ignore", "pipe", "inherit"] },
  );
  if (p.status !== 0) throw new Error(`torch_dependency_map.py failed (exit ${p.status})`);
  const res = JSON.parse(p.stdout);
  const buf = readFileSync(out);
  torch = { ...res, map: new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4) };
  console.error(`  PyTorch ${res.torch} fp32 (BLAS ${res.blas}): ${res.seconds.toFixed(2)} s; ${loadNote()}`);
  rows.push(["PyTorch fp32", res.seconds]);
}
const ref = torch?.seconds;
console.log(`\n| configuration | seconds | mutated positions/s | vs PyTorch fp32 |\n| --- | ---: | ---: | ---: |`);
for (const [name, s] of rows) console.log(`| ${name} | ${s.toFixed(2)} | ${(a.positions / s).toFixed(2)} | ${ref ? `${(ref / s).toFixed(2)}x` : "-"} |`);
if (torch)
  console.log(
    `\nmax |map difference| ORT fp32 vs PyTorch fp32: ${maxAbsDiff(fp32.map, torch.map).toExponential(2)} (map max ${Math.max(...torch.map).toFixed(3)})`,
  );
if (int8) console.log(`max |map difference| ORT int8 vs ORT fp32: ${maxAbsDiff(int8.map, fp32.map).toExponential(2)}`);
console.log(`${loadNote()}`);
rmSync(dir, { recursive: true, force: true });
