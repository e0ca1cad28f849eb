#!/usr/bin/env node
// Peak memory (max RSS) of `specieslm reconstruct` against the number of input records: the streaming
// command reads, runs and writes records chunk by chunk, so its peak should not grow with the input.
// Each size runs the real CLI in a child process on generated short regions (random ACGT, lengths
// uniform in [LEN-20, LEN], three species of the tiny fixture model); the child reports its own
// process.resourceUsage().maxRSS at exit (ONNX Runtime's threads and buffers included). The reference
// in the same run is today's pre-streaming behaviour, every record in one chunk (--chunk-size = N),
// at the sizes where that still fits (--reference-max).
//
//   npm run build && node bench/reconstruct-memory.mjs [--sizes 1000,100000] [--length 80]
//        [--spans-per-pass 64] [--batch-size 64] [--threads 2] [--reference-max 10000] [--model DIR] [--json FILE]
import { spawnSync } from "node:child_process";
import { createWriteStream, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { once } from "node:events";

const argv = process.argv.slice(2);
const args = Object.fromEntries(argv.flatMap((a, i) => (a.startsWith("--") ? [[a.slice(2), argv[i + 1]]] : [])));
const sizes = (args.sizes ?? "1000,100000").split(",").map(Number);
const length = Number(args.length ?? 80);
const spans = Number(args["spans-per-pass"] ?? 64);
const threads = Number(args.threads ?? 2);
const batch = Number(args["batch-size"] ?? 64);
const referenceMax = Number(args["reference-max"] ?? 10000);
const model = args.model ?? new URL("../../shared/fixtures/tiny-specieslm/model", import.meta.url).pathname;
const CLI = new URL("../dist/cli/main.js", import.meta.url).pathname;
if (!existsSync(CLI)) throw new Error("run `npm run build` first");
if (!existsSync(`${model}/config.json`)) throw new Error(`no model at ${model}; pass --model DIR (the tiny fixture lives in ../shared)`);

const SPECIES = ["candida_glabrata", "saccharomyces_paradoxus", "kluyveromyces_lactis"];
// Written by the child at exit: peak RSS in kB (Linux getrusage ru_maxrss).
const HOOK = `data:text/javascript,process.on("exit",()=>process.stderr.write("PEAK_RSS_KB "+process.resourceUsage().maxRSS+"\\n"))`;

async function writeInput(path, n) {
  const out = createWriteStream(path);
  let s = 12345;
  const rnd = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 4294967296;
  };
  for (let i = 0; i < n; i++) {
    const L = length - Math.floor(rnd() * 21);
    let seq = "";
    for (let j = 0; j < L; j++) seq += "ACGT"[Math.floor(rnd() * 4)];
    if (!out.write(`>r${i} species=${SPECIES[i % 3]}\n${seq}\n`)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

function run(input, output, chunkSize) {
  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    [
      "--import",
      HOOK,
      CLI,
      "reconstruct",
      "--model",
      model,
      "-i",
      input,
      "-o",
      output,
      "--spans-per-pass",
      String(spans),
      "--threads",
      String(threads),
      "--batch-size",
      String(batch),
      ...(chunkSize ? ["--chunk-size", String(chunkSize)] : []),
      "--json",
    ],
    { encoding: "utf8", maxBuffer: 1 << 24 },
  );
  if (r.status !== 0) throw new Error(`reconstruct failed (${r.status}): ${r.stderr}`);
  const kb = Number(/PEAK_RSS_KB (\d+)/.exec(r.stderr)?.[1]);
  const summary = JSON.parse(r.stdout);
  return {
    peakMB: kb / 1024,
    seconds: (performance.now() - t0) / 1000,
    records: summary.records,
    nucleotides: summary.nucleotides,
    outputMB: statSync(output).size / 2 ** 20,
  };
}

const dir = mkdtempSync(join(os.tmpdir(), "specieslm-mem-"));
const rows = [];
console.log(
  `reconstruct peak RSS; regions ${length - 20}-${length} nt, --spans-per-pass ${spans}, --batch-size ${batch}, --threads ${threads}, model ${model}`,
);
console.log(
  `load at start: ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(" ")}`,
);
try {
  for (const n of sizes) {
    const input = join(dir, `in-${n}.fa`);
    await writeInput(input, n);
    const modes = [["streaming (default chunks)", undefined], ...(n <= referenceMax ? [["one chunk (pre-streaming)", n]] : [])];
    for (const [mode, chunk] of modes) {
      const output = join(dir, "out.tsv");
      const m = run(input, output, chunk);
      rmSync(output, { force: true });
      rows.push({ records: n, mode, ...m });
      console.log(
        `${String(n).padStart(7)} records  ${mode.padEnd(26)} peak RSS ${m.peakMB.toFixed(0).padStart(6)} MB  ${m.seconds.toFixed(1).padStart(7)} s  (${m.nucleotides} nt, output ${m.outputMB.toFixed(0)} MB)  load ${os.loadavg()[0].toFixed(1)}`,
      );
    }
    rmSync(input, { force: true });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const stream = rows.filter((r) => r.mode.startsWith("streaming"));
if (stream.length > 1) {
  const [a, b] = [stream[0], stream[stream.length - 1]];
  console.log(
    `streaming: ${b.records / a.records}x the records -> ${(b.peakMB / a.peakMB).toFixed(2)}x the peak RSS (${a.peakMB.toFixed(0)} -> ${b.peakMB.toFixed(0)} MB)`,
  );
}
for (const r of rows.filter((x) => !x.mode.startsWith("streaming"))) {
  const s = stream.find((x) => x.records === r.records);
  if (s) console.log(`${r.records} records: one chunk peaks at ${(r.peakMB / s.peakMB).toFixed(2)}x the streaming peak`);
}
const limit = stream.find((r) => r.records >= 100000);
if (limit) console.log(`100,000-record target (< 1024 MB): ${limit.peakMB < 1024 ? "met" : "MISSED"} at ${limit.peakMB.toFixed(0)} MB`);
if (args.json) writeFileSync(args.json, JSON.stringify({ length, spans, batch, threads, rows }, null, 2) + "\n");
