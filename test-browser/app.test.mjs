// The browser app end to end in Debian's Chromium (playwright-core, no browser download): opens the
// fixture model and a FASTA through the page's file inputs, reconstructs, and compares the downloaded
// TSV with the PyTorch reference; then the errors the page must show; then a model opened by name
// from a local stand-in for the Hub, and again from Cache Storage with the Hub gone. `npm run test:browser`.
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { buildIfNeeded, CHROMIUM, launchChromium, ROOT, serve } from "./harness.mjs";
import { serveHub } from "./hub-server.mjs";

const FIXTURE = join(ROOT, "../shared/fixtures/tiny-specieslm/");
const ARTIFACTS = join(ROOT, "test-browser/artifacts");
const skip = !existsSync(CHROMIUM)
  ? `${CHROMIUM} is missing (apt-get install chromium): browser test skipped`
  : !existsSync(join(FIXTURE, "expected.safetensors"))
    ? "../shared is absent: browser test skipped"
    : false;
if (skip) console.warn(skip);

/** P(A,C,G,T) rows of a reconstruction TSV by record id. */
function parseTsv(text) {
  const lines = text.trim().split("\n");
  assert.equal(lines[0], "id\tpos\tref\tA\tC\tG\tT");
  const byId = new Map();
  for (const line of lines.slice(1)) {
    const [id, , , ...p] = line.split("\t");
    if (!byId.has(id)) byId.set(id, []);
    byId.get(id).push(...p.map(Number));
  }
  return byId;
}

function maxAbsDiff(a, b) {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe("the browser app in Chromium", { skip }, () => {
  let server, browser, page, tmp, expected, cases;
  const pageErrors = [];

  before(async () => {
    buildIfNeeded();
    const { readSafetensors } = await import("../dist/model/safetensors.js");
    expected = (await readSafetensors(join(FIXTURE, "expected.safetensors"))).tensors;
    cases = JSON.parse(readFileSync(join(FIXTURE, "cases.json"), "utf8")).cases.filter((c) => /^case[013]$/.test(c.name));
    tmp = mkdtempSync(join(tmpdir(), "specieslm-browser-"));
    server = await serve();
    browser = await launchChromium();
    page = await browser.newPage({ acceptDownloads: true, viewport: { width: 1440, height: 960 } });
    page.on("pageerror", (e) => pageErrors.push(e.message));
    await page.goto(server.url);
  });

  after(async () => {
    await browser?.close();
    server?.child.kill("SIGTERM");
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  const state = (s, timeout = 120_000) => page.waitForSelector(`body[data-state="${s}"]`, { timeout });
  const download = async (selector) => {
    const [d] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
    return readFileSync(await d.path(), "utf8");
  };
  const errorText = async () => {
    await page.waitForSelector("#error:not([hidden])", { timeout: 60_000 });
    return page.textContent("#error");
  };
  const folder = (name, files) => {
    const dir = join(tmp, name);
    mkdirSync(dir, { recursive: true });
    for (const [f, content] of Object.entries(files)) {
      if (content === null) copyFileSync(join(FIXTURE, "model", f), join(dir, f));
      else writeFileSync(join(dir, f), content);
    }
    return dir;
  };

  it("is cross-origin isolated (COOP/COEP from specieslm serve), so wasm runs threaded", async () => {
    assert.equal(await page.evaluate(() => crossOriginIsolated), true);
  });

  it("opens the model folder and a FASTA, and the downloaded TSV equals the PyTorch reconstruction within 1e-4", async () => {
    await page.setInputFiles("#model-folder", join(FIXTURE, "model"));
    await state("loaded");
    assert.match(await page.textContent("#model-info"), /2 layers × 64 hidden.*token, 6 species/s);
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    assert.match(await page.textContent("#model-info"), new RegExp(`wasm, ${Math.min(cores, 8)} threads?`));
    const fasta = join(tmp, "cases.fa");
    writeFileSync(fasta, cases.map((c) => `>${c.name} species=${c.species}\n${c.sequence.match(/.{1,60}/g).join("\n")}\n`).join(""));
    await page.setInputFiles("#fasta-file", fasta);
    await page.click("#run");
    await state("done");
    const rows = parseTsv(await download("#download-tsv"));
    for (const c of cases) {
      const d = maxAbsDiff(rows.get(c.name), expected.get(`${c.name}.reconstruction`).data);
      assert.ok(d < 1e-4, `${c.name}: max |browser - PyTorch| = ${d}`);
    }
  });

  it("reads every record as two species (the lens), with variant scores of a clicked position, and saves the figure", async () => {
    await page.fill("#species-a", "candida_glabrata");
    await page.fill("#species-b", "saccharomyces_paradoxus");
    await page.click("#run");
    await state("done");
    // case0 is candida_glabrata and case1 saccharomyces_paradoxus in the reference.
    const a = parseTsv(await download("#download-tsv"));
    const b = parseTsv(await download("#download-tsv-b"));
    assert.ok(maxAbsDiff(a.get("case0"), expected.get("case0.reconstruction").data) < 1e-4);
    assert.ok(maxAbsDiff(b.get("case1"), expected.get("case1.reconstruction").data) < 1e-4);
    await page.click('#figure > svg [data-pos="41"]');
    const table = await page.$$eval("#variant table tbody tr", (trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));
    const p = a.get("case0").slice(41 * 4, 41 * 4 + 4);
    const ref = "ACGT".indexOf(cases[0].sequence[41]);
    table.forEach((cells, base) => {
      if (base === ref) return;
      const want = Math.log(p[base]) - Math.log(p[ref]);
      assert.ok(Math.abs(Number(cells[2]) - want) < 2e-3, `score of ${"ACGT"[base]}: page ${cells[2]}, from the TSV ${want}`);
    });
    const svg = await download("#download-svg");
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.match(svg, /position \(nt\)/);
    assert.match(svg, /Δ P\(ref\)/);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, "app.png") });
  });

  it("cancels a running reconstruction (the next test runs again)", async () => {
    await page.fill("#species-b", "");
    await page.fill("#fasta-text", Array.from({ length: 20 }, (_, i) => `>r${i}\n${cases[0].sequence}\n`).join(""));
    await page.click("#run");
    await page.waitForFunction(() => document.querySelector("#progress").value > 0, null, { timeout: 60_000 });
    await page.click("#cancel");
    await page.waitForFunction(() => document.querySelector("#status").textContent === "Cancelled.", null, { timeout: 60_000 });
    assert.equal(await page.getAttribute("body", "data-state"), "loaded");
  });

  it("shows bad input in the page: non-FASTA, non-IUPAC characters, unknown species (with proxies)", async () => {
    await page.fill("#species-a", "");
    await page.fill("#fasta-text", "hello 123\n>x\nACGT\n");
    await page.click("#run");
    assert.match(await errorText(), /pasted sequence:1: sequence data before the first '>' header/);
    await page.fill("#fasta-text", `>x species=candida_glabrata\nACGTACGTXXACGTACGT\n`);
    await page.click("#run");
    assert.match(await errorText(), /record "x": invalid sequence character "X" at column 9/);
    await page.fill("#fasta-text", `>x species=candida_glabrat\n${cases[1].sequence}\n`);
    await page.click("#run");
    assert.match(await errorText(), /unknown species "candida_glabrat".*closest known: candida_glabrata/);
    await page.click("#proxy-choices button:first-child");
    await state("done");
    assert.equal(await page.isHidden("#error"), true);
  });

  it("shows a folder without weights and a model too large for the browser's memory", async () => {
    const tokenizer = { "vocab.txt": null, "special_tokens_map.json": null };
    await page.setInputFiles("#model-folder", folder("no-weights", { "config.json": null, ...tokenizer }));
    assert.match(await errorText(), /a folder without weights: expected model\.safetensors, pytorch_model\.bin or an \.onnx file/);
    const config = JSON.parse(readFileSync(join(FIXTURE, "model/config.json"), "utf8"));
    const big = { ...config, hidden_size: 4096, intermediate_size: 16384, num_hidden_layers: 24, num_attention_heads: 32 };
    await page.setInputFiles("#model-folder", folder("huge", { "config.json": JSON.stringify(big), ...tokenizer, "model.safetensors": null }));
    assert.match(await errorText(), /huge: this model is too large for the browser's memory/);
    assert.equal(await page.getAttribute("body", "data-state"), "empty");
    assert.deepEqual(pageErrors, []);
  });
});

describe("a Hub model opened by name in Chromium (local resolve endpoint, Cache Storage)", { skip }, () => {
  const ALIAS = { name: "specieslm-3p", repo: "gagneurlab/SpeciesLM", branch: "downstream_species_lm" };
  let server, hub, browser, page, nodeProbs, fasta;
  const pageErrors = [];

  before(async () => {
    buildIfNeeded();
    const cases = JSON.parse(readFileSync(join(FIXTURE, "cases.json"), "utf8")).cases.filter((c) => /^case[013]$/.test(c.name));
    fasta = cases.map((c) => `>${c.name} species=${c.species}\n${c.sequence}\n`).join("");
    // The node runtime's reconstruction of the same folder (onnxruntime-node), the independent side.
    const { MaskedLanguageModel } = await import("../dist/runtime/masked-lm.js");
    const { reconstruct } = await import("../dist/infer/reconstruct.js");
    const model = await MaskedLanguageModel.load(join(FIXTURE, "model"));
    const probs = await reconstruct(
      model,
      cases.map((c) => ({ id: c.name, sequence: c.sequence, species: c.species })),
    );
    nodeProbs = new Map(cases.map((c, i) => [c.name, probs[i]]));
    await model.release();
    hub = await serveHub(join(FIXTURE, "model"), ALIAS.repo, ALIAS.branch);
    server = await serve();
    browser = await launchChromium();
    page = await browser.newPage({ acceptDownloads: true });
    page.on("pageerror", (e) => pageErrors.push(e.message));
    await page.goto(new URL(`?hub=${encodeURIComponent(hub.url)}`, server.url).href);
  });

  after(async () => {
    await browser?.close();
    server?.child.kill("SIGTERM");
    await hub?.stop();
  });

  const open = async (name, state) => {
    await page.fill("#hub-name", name);
    await page.click("#hub-open");
    await page.waitForSelector(`body[data-state="${state}"]`, { timeout: 60_000 });
  };
  const reconstructAndCompare = async () => {
    await page.fill("#fasta-text", fasta);
    await page.click("#run");
    await page.waitForSelector('body[data-state="done"]', { timeout: 60_000 });
    const [d] = await Promise.all([page.waitForEvent("download"), page.click("#download-tsv")]);
    const rows = parseTsv(readFileSync(await d.path(), "utf8"));
    for (const [id, want] of nodeProbs) {
      const diff = maxAbsDiff(rows.get(id), want);
      assert.ok(diff < 1e-4, `${id}: max |browser - node runtime| = ${diff}`);
    }
  };

  it("shows an unknown repository as one line in the status area", async () => {
    assert.equal(await page.inputValue("#hub-endpoint"), hub.url);
    await open("test-org/nothing-here", "empty");
    const status = await page.textContent("#status");
    assert.equal(status, `repository test-org/nothing-here not found on ${hub.url}; check the name`);
  });

  it("downloads an alias with progress, keyed by commit in Cache Storage, and reconstructs as the node runtime within 1e-4", async () => {
    // Every text the status line shows while the model downloads.
    await page.evaluate(() => {
      window.statusLog = [];
      const status = document.getElementById("status");
      new MutationObserver(() => window.statusLog.push(status.textContent)).observe(status, {
        childList: true,
        characterData: true,
        subtree: true,
      });
    });
    await open(ALIAS.name, "loaded");
    const log = await page.evaluate(() => window.statusLog);
    assert.ok(
      log.some((t) => /^downloading model\.safetensors \(file 5 of at most 5\): \d+\.\d MB of \d+\.\d MB$/.test(t)),
      log.join("\n"),
    );
    const info = await page.textContent("#model-info");
    assert.match(info, new RegExp(`${ALIAS.repo}@${ALIAS.branch} \\(commit ${hub.commit.slice(0, 8)}\\), downloaded \\d+\\.\\d MB from ${hub.url}`));
    assert.ok(hub.requests.includes(`GET /lfs-blobs/model.safetensors`), "weights came through the redirect");
    assert.ok(!hub.requests.some((r) => r.includes("pytorch_model.bin")), "model.safetensors is preferred");
    const keys = await page.evaluate(async () => (await (await caches.open("specieslm-hub")).keys()).map((r) => r.url));
    assert.ok(keys.includes(`${hub.url}/${ALIAS.repo}/resolve/${hub.commit}/model.safetensors`), keys.join("\n"));
    await reconstructAndCompare();
  });

  it("opens it again from the cache after a reload (one request for the branch's commit), and with the Hub stopped", async () => {
    await page.reload();
    hub.requests.length = 0;
    await open(ALIAS.name, "loaded");
    assert.match(await page.textContent("#model-info"), /, from cache/);
    assert.deepEqual(
      hub.requests.filter((r) => r.startsWith("GET")),
      [`GET /${ALIAS.repo}/resolve/${ALIAS.branch}/config.json`],
    );
    await hub.stop();
    await page.reload();
    await open(ALIAS.name, "loaded");
    assert.match(await page.textContent("#status"), new RegExp(`Model ready \\(from cache \\(the Hub at ${hub.url} cannot be reached\\)\\)`));
    await reconstructAndCompare();
    assert.deepEqual(pageErrors, []);
  });
});
