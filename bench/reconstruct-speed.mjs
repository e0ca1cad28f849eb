#!/usr/bin/env node
// Reconstruction throughput (nucleotides/s) of the rolling-mask recipe in ONNX Runtime: the exact recipe
// (one masked 6-token span per forward pass) at batch sizes 16/32/64, several spans per pass (2, 4, 8)
// with their agreement with the exact recipe, and the int8 graph. Agreement is measured twice: on the
// random-weight benchmark model (near-uniform predictions: optimistic or pessimistic in unknown ways)
// and on the tiny-specieslm fixture (weights ~N(0, 0.2), sharper predictions).
//
//   npm run build && node bench/reconstruct-speed.mjs [--preset small|base] [--sequences 2] [--length 300]
//        [--threads 2] [--quick] [--json FILE]
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { reconstruct } from "../dist/infer/reconstruct.js";
import { loadModelFolder } from "../dist/model/model-folder.js";
import { MaskedLanguageModel } from "../dist/runtime/masked-lm.js";
import { argmax4, FIXTURE, loadNote, makeRandomModel, parseArgs, randomDna } from "./forward-vs-pytorch.mjs";

/** Mean and max |p - q| over every position and base, and the share of positions with the same argmax base. */
function agreement(exact, other) {
  let sum = 0;
  let max = 0;
  let n = 0;
  let same = 0;
  let positions = 0;
  exact.forEach((p, i) => {
    const q = other[i];
    for (let j = 0; j < p.length; j++) {
      const d = Math.abs(p[j] - q[j]);
      sum += d;
      max = Math.max(max, d);
      n++;
    }
    for (let pos = 0; pos < p.length / 4; pos++, positions++) same += argmax4(p, pos) === argmax4(q, pos) ? 1 : 0;
  });
  return { meanAbs: sum / n, maxAbs: max, argmax: same / positions };
}

async function timed(model, items, opts) {
  const t0 = performance.now();
  const probs = await reconstruct(model, items, opts);
  return { secs: (performance.now() - t0) / 1000, probs };
}

/** Runs every configuration on one model; the first row (exact, batch 64) is the reference for agreement. */
async function measure(folder, items, a, label) {
  const nt = items.reduce((s, it) => s + it.sequence.length, 0);
  const fp = new MaskedLanguageModel(folder, { threads: a.threads });
  const q8 = new MaskedLanguageModel(folder, { threads: a.threads, quantize: "int8" });
  // Build both sessions outside the timings (graph build + ORT optimisation take seconds on BERT-base).
  const warm = [{ id: "warm", sequence: items[0].sequence.slice(0, 20), species: items[0].species }];
  await reconstruct(fp, warm);
  await reconstruct(q8, warm);
  const configs = [
    { name: "exact (1 span/pass), batch 64", model: fp, opts: { spansPerPass: 1, batchSize: 64 } },
    ...(a.quick
      ? []
      : [
          { name: "exact, batch 32", model: fp, opts: { spansPerPass: 1, batchSize: 32 } },
          { name: "exact, batch 16", model: fp, opts: { spansPerPass: 1, batchSize: 16 } },
        ]),
    { name: "2 spans/pass, batch 64", model: fp, opts: { spansPerPass: 2, batchSize: 64 } },
    { name: "4 spans/pass, batch 64", model: fp, opts: { spansPerPass: 4, batchSize: 64 } },
    { name: "8 spans/pass, batch 64", model: fp, opts: { spansPerPass: 8, batchSize: 64 } },
    { name: "int8 exact, batch 64", model: q8, opts: { spansPerPass: 1, batchSize: 64 } },
    { name: "int8 + 4 spans/pass, batch 64", model: q8, opts: { spansPerPass: 4, batchSize: 64 } },
  ];
  const rows = [];
  let ref;
  for (const c of configs) {
    const r = await timed(c.model, items, c.opts);
    ref ??= r;
    rows.push({
      model: label,
      name: c.name,
      secs: r.secs,
      ntPerSec: nt / r.secs,
      speedup: ref.secs / r.secs,
      ...agreement(ref.probs, r.probs),
      load: os.loadavg()[0],
    });
    console.error(`  ${label}: ${c.name}: ${r.secs.toFixed(1)} s (${loadNote()})`);
  }
  await fp.release();
  await q8.release();
  return { nt, rows };
}

function print(title, nt, rows, showSpeed) {
  console.log(`\n${title} (${nt} nt)`);
  console.log(
    `${"configuration".padEnd(32)} ${showSpeed ? `${"s".padStart(7)} ${"nt/s".padStart(8)} ${"speed-up".padStart(8)} ` : ""}${"mean|dp|".padStart(9)} ${"max|dp|".padStart(9)} ${"argmax agree".padStart(12)}`,
  );
  for (const r of rows) {
    const speed = showSpeed ? `${r.secs.toFixed(1).padStart(7)} ${r.ntPerSec.toFixed(1).padStart(8)} ${(r.speedup.toFixed(2) + "x").padStart(8)} ` : "";
    console.log(
      `${r.name.padEnd(32)} ${speed}${r.meanAbs.toExponential(2).padStart(9)} ${r.maxAbs.toExponential(2).padStart(9)} ${(100 * r.argmax).toFixed(2).padStart(11)}%`,
    );
  }
}

async function main() {
  const a = parseArgs(process.argv.slice(2), {
    preset: "small",
    sequences: 2,
    length: 300,
    threads: 2,
    quick: false,
    fixture: true,
    json: "",
  });
  const started = new Date();
  console.log(
    `reconstruct-speed: preset ${a.preset}, ${a.sequences} x ${a.length} nt, ${a.threads} threads; ${started.toISOString()}; ` +
      `${os.cpus()[0]?.model ?? "cpu"}; ${loadNote()}`,
  );
  const { dir, folder } = await makeRandomModel(a.preset);
  const out = {};
  try {
    const sp = folder.vocab.speciesNames[0];
    const items = Array.from({ length: a.sequences }, (_, i) => ({ id: `s${i}`, species: sp, sequence: randomDna(a.length, 777 + i) }));
    out.random = await measure(folder, items, a, `${a.preset} random`);
    print(`${a.preset} model, random weights (initializer_range 0.02)`, out.random.nt, out.random.rows, true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (a.fixture && existsSync(FIXTURE)) {
    const fx = await loadModelFolder(join(FIXTURE, "model"));
    const cases = JSON.parse(readFileSync(join(FIXTURE, "cases.json"), "utf8")).cases.filter((c) => /^case\d$/.test(c.name));
    const items = cases.map((c) => ({ id: c.name, sequence: c.sequence, species: c.species }));
    // Eight more 300-nt sequences for the fixture's species so that agreement rests on ~3,000 positions.
    fx.vocab.speciesNames
      .slice(0, 4)
      .forEach((s, i) =>
        items.push({ id: `r${i}a`, species: s, sequence: randomDna(300, 31 + i) }, { id: `r${i}b`, species: s, sequence: randomDna(300, 131 + i) }),
      );
    out.fixture = await measure(fx, items, { ...a, quick: true }, "tiny fixture");
    print("tiny-specieslm fixture (agreement only; 2 layers x 64 hidden, speed not meaningful)", out.fixture.nt, out.fixture.rows, false);
  }
  console.log(`\nfinished ${new Date().toISOString()} (${((Date.now() - started.getTime()) / 1000).toFixed(0)} s); ${loadNote()}`);
  if (a.json) writeFileSync(a.json, JSON.stringify({ args: a, started, ...out }, null, 2));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
