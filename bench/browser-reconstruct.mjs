// Reconstruction of one 300-nt region with a 4 x 256 model (the `small` preset, random weights written
// by saveModelFolder) in Chromium (onnxruntime-web wasm, threads: the page is cross-origin isolated)
// against Node (onnxruntime-node, what `specieslm reconstruct` runs). Both sides time the reconstruction
// only, with the graph built and the session open; the CLI's wall time is printed too.
// Needs /usr/bin/chromium and `npm run build`. Usage: node bench/browser-reconstruct.mjs [repeats=2]
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { buildIfNeeded, launchChromium, ROOT, serve } from "../test-browser/harness.mjs";

buildIfNeeded();
console.log(
  `load average at the start: ${loadavg()
    .map((x) => x.toFixed(1))
    .join(" ")}`,
);
const { initWeights } = await import("../dist/model/init-weights.js");
const { presetConfig } = await import("../dist/model/presets.js");
const { saveModelFolder } = await import("../dist/model/model-folder.js");
const { buildVocab } = await import("../dist/tokenizer/build-vocab.js");
const { MaskedLanguageModel } = await import("../dist/runtime/masked-lm.js");
const { reconstruct } = await import("../dist/infer/reconstruct.js");
const { mulberry32 } = await import("../dist/rng.js");

const repeats = Number(process.argv[2] ?? 2);
const dir = mkdtempSync(join(tmpdir(), "specieslm-bench-web-"));
const species = ["sp_a", "sp_b"];
const vocab = buildVocab({ species });
const config = presetConfig("small", { vocabSize: vocab.size, species });
await saveModelFolder(join(dir, "model"), { config, vocab, weights: initWeights(config, 7) });
const rng = mulberry32(11);
const sequence = Array.from({ length: 300 }, () => "ACGT"[rng.int(4)]).join("");
const fasta = join(dir, "region.fa");
writeFileSync(fasta, `>region species=sp_a\n${sequence}\n`);
const best = (xs) => Math.min(...xs);

// Node: the library with the session open, then the CLI end to end.
const model = await MaskedLanguageModel.load(join(dir, "model"));
await model.session("kmer-nucleotides");
const nodeTimes = [];
let nodeProbs;
for (let r = 0; r < repeats; r++) {
  const t = performance.now();
  [nodeProbs] = await reconstruct(model, [{ id: "region", sequence, species: "sp_a" }], { batchSize: 16 });
  nodeTimes.push((performance.now() - t) / 1000);
}
await model.release();
const t = performance.now();
const cli = JSON.parse(
  execFileSync(
    process.execPath,
    [join(ROOT, "dist/cli/main.js"), "reconstruct", "--model", join(dir, "model"), "-i", fasta, "-o", join(dir, "node.tsv"), "--json"],
    { encoding: "utf8" },
  ),
);
const cliWall = (performance.now() - t) / 1000;

// Chromium: the app, as a user drives it.
const server = await serve();
const browser = await launchChromium();
const page = await browser.newPage({ acceptDownloads: true });
await page.goto(server.url);
await page.setInputFiles("#model-folder", join(dir, "model"));
await page.waitForSelector('body[data-state="loaded"]', { timeout: 600_000 });
const info = await page.textContent("#model-info");
await page.setInputFiles("#fasta-file", fasta);
const webTimes = [];
for (let r = 0; r < repeats; r++) {
  await page.click("#run");
  await page.waitForSelector('body[data-state="done"]', { timeout: 600_000 });
  webTimes.push(Number(await page.getAttribute("#status", "data-seconds")));
}
const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download-tsv")]);
const webRows = readFileSync(await download.path(), "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .flatMap((l) => l.split("\t").slice(3).map(Number));
let maxDiff = 0;
webRows.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - nodeProbs[i]))));
await browser.close();
server.child.kill("SIGTERM");
rmSync(dir, { recursive: true, force: true });

const node = best(nodeTimes);
const web = best(webTimes);
console.log(
  `load average at the end: ${loadavg()
    .map((x) => x.toFixed(1))
    .join(" ")}`,
);
console.log(
  `model: ${config.numHiddenLayers} x ${config.hiddenSize} (small preset), one 300-nt region, ${sequence.length - 10} forward rows, batch 16, ${cpus().length} cores`,
);
console.log(`browser: ${info.match(/runs on(.*?)\(/)?.[1]?.trim() ?? "?"}`);
console.log(`node (onnxruntime-node), reconstruct only:     ${node.toFixed(2)} s  (runs: ${nodeTimes.map((x) => x.toFixed(2)).join(", ")})`);
console.log(`chromium (onnxruntime-web), reconstruct only: ${web.toFixed(2)} s  (runs: ${webTimes.map((x) => x.toFixed(2)).join(", ")})`);
console.log(`specieslm reconstruct CLI: ${cli.seconds.toFixed(2)} s reconstruct incl. graph build, ${cliWall.toFixed(2)} s wall`);
console.log(`max |browser - node| probability: ${maxDiff.toExponential(1)}`);
console.log(`ratio browser / node: ${(web / node).toFixed(2)}x`);
