#!/usr/bin/env node
// CPU time of fine-tuning with the frozen layers' outputs computed once per record (the default,
// src/finetune/frozen-prefix.ts) against running the frozen layers again for every batch (the cost every
// step had before: the same arithmetic as one graph over the whole encoder). Same model (the shipped
// yeast-3p, mini), same generated table (random 110-nt sequences, like the DREAM MPRA's, target = GC
// count), same seeds; the two runs' validation losses must agree to float rounding.
//
//   npm run build && node bench/finetune-frozen-cache.mjs [--records 2000] [--epochs 3] [--layers 0,2] [--threads 1]
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? dflt : process.argv[i + 1];
};
const records = Number(arg("records", 2000));
const epochs = Number(arg("epochs", 3));
const layersList = String(arg("layers", "0,2")).split(",").map(Number);
const threads = Number(arg("threads", 1));
const dist = new URL("../dist/", import.meta.url).href;
const { finetune } = await import(`${dist}finetune/finetune.js`);
const { FrozenPrefix } = await import(`${dist}finetune/frozen-prefix.js`);
const { encodeRecords } = await import(`${dist}finetune/finetune-data.js`);
const { readReadoutTable } = await import(`${dist}readout/readout-table.js`);
const { MaskedLanguageModel } = await import(`${dist}runtime/masked-lm.js`);
const { mulberry32 } = await import(`${dist}rng.js`);

const dir = mkdtempSync(join(os.tmpdir(), "bench-ft-cache-"));
const rng = mulberry32(3);
const rows = Array.from({ length: records }, (_, i) => {
  const s = Array.from({ length: 110 }, () => "ACGT"[rng.int(4)]).join("");
  return `r${i}\tsaccharomyces_cerevisiae\t${s}\t${[...s].filter((b) => b === "G" || b === "C").length}`;
});
writeFileSync(join(dir, "t.tsv"), ["id\tspecies\tsequence\ty", ...rows].join("\n") + "\n");
const modelDir = new URL("../models/yeast-3p", import.meta.url).pathname;
const model = await MaskedLanguageModel.load(modelDir, { threads });
const table = await readReadoutTable(join(dir, "t.tsv"), { id: "id", sequence: "sequence", speciesColumn: "species", targets: ["y"] });
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

console.log(
  `load ${os
    .loadavg()
    .map((v) => v.toFixed(1))
    .join(" ")}; ${records} records, ${epochs} epochs, ${threads} thread(s), yeast-3p`,
);
console.log("layers\tmode\tCPU s\tbest valid loss");
for (const layers of layersList) {
  const result = {};
  for (const mode of ["per batch", "cached"]) {
    const t0 = cpu();
    // "per batch": a FrozenPrefix with no memory budget reruns the frozen layers for each batch.
    const frozen =
      mode === "cached"
        ? undefined
        : await FrozenPrefix.create(model.config, model.config.numHiddenLayers - layers, model.folder.weights, encodeRecords(model, table), { threads }, 0);
    const r = await finetune({
      model,
      modelName: "yeast-3p",
      table,
      target: "y",
      out: join(dir, `run-${layers}-${mode.replace(" ", "-")}`),
      layers,
      epochs,
      batchSize: 16,
      lr: layers === 0 ? 3e-3 : 3e-4,
      warmup: 0.1,
      weightDecay: 0.01,
      dropout: 0.1,
      maxGradNorm: 1,
      seed: 1,
      validFraction: 0.1,
      patience: epochs,
      resume: false,
      threads,
      ...(frozen ? { frozen } : {}),
    });
    await frozen?.release();
    result[mode] = { cpu: cpu() - t0, loss: r.bestLoss };
    console.log(`${layers}\t${mode}\t${result[mode].cpu.toFixed(1)}\t${r.bestLoss.toFixed(6)}`);
  }
  const a = result["per batch"];
  const b = result.cached;
  console.log(`layers ${layers}: cached / per batch CPU = ${(b.cpu / a.cpu).toFixed(2)}; |loss difference| ${Math.abs(a.loss - b.loss).toExponential(1)}`);
}
console.log(
  `load ${os
    .loadavg()
    .map((v) => v.toFixed(1))
    .join(" ")}`,
);
await model.release();
rmSync(dir, { recursive: true, force: true });
