import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { corpusFromTable } from "../src/corpus/corpus-from-table.js";
import { loadCorpusSplit } from "../src/corpus/read-corpus.js";
import { i64 } from "../src/host-tensor.js";
import { reconstruct } from "../src/infer/reconstruct.js";
import { readSafetensors } from "../src/model/safetensors.js";
import { mulberry32 } from "../src/rng.js";
import { MaskedLanguageModel } from "../src/runtime/masked-lm.js";
import { fivePrimeFill } from "../src/runtime/sequence-window.js";
import { train } from "../src/train/trainer.js";
import { dependencyMap, unmaskedPredictions } from "../src/variants/unmasked.js";
import { fitToModel } from "../src/variants/variant.js";
import { cli } from "./helpers/cli.js";
import { writeRandomModel } from "./helpers/random-model.js";
import { once } from "./helpers/once.js";
import { HAS_SHARED, maxAbsDiff, SHARED, SKIP_REASON } from "./helpers/shared.js";
import { HAS_TORCH, NO_TORCH_REASON, runTorchScript } from "./helpers/torch.js";

// Sequence lengths against the model's positions, and the published 5' convention (left fill to 1,003 nt).

const randomSeq = (n: number, seed: number): string => {
  const rng = mulberry32(seed);
  return Array.from({ length: n }, () => "ACGT"[rng.int(4)]).join("");
};

describe.skipIf(!existsSync("dist/cli/main.js"))("every model command checks lengths before running (built CLI)", () => {
  let root = "";
  const at = (f: string) => join(root, f);
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "slm-lengths-"));
    await writeRandomModel(at("m512"), { k: 6, positions: 512 });
    writeFileSync(at("long.fa"), `>short species=alpha\n${randomSeq(300, 1)}\n>utr5_long species=alpha\n${randomSeq(1003, 2)}\n`);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  for (const [cmd, out] of [
    ["reconstruct", "r.tsv"],
    ["embed", "e.tsv"],
    ["logits", "l.safetensors"],
    ["ism", "i.tsv"],
    ["dependency-map", "map"],
  ] as const) {
    it(`${cmd}: one typed line naming the record, its length, the limit and the fix; exit 1, no output`, () => {
      const r = cli([cmd, "--model", at("m512"), "-i", at("long.fa"), "-o", at(out), "--threads", "1"]);
      expect(r.code).toBe(1);
      const lines = r.stderr
        .trim()
        .split("\n")
        .filter((l) => !l.startsWith("note:"));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /long\.fa: record utr5_long has 1003 nt, more than the 514 nt this model reads \(512 positions\); cut the regions with `specieslm extract --length 514` or give a shorter window/,
      );
      expect(r.stderr).not.toMatch(/onnxruntime|broadcast|\n\s+at /);
      expect(existsSync(at(out))).toBe(false);
    });
  }
});

describe("a five_prime model reads shorter sequences left-filled to its region length", () => {
  let root = "";
  let model: MaskedLanguageModel;
  const user = randomSeq(800, 11);
  const padded = fivePrimeFill(203) + user;
  const item = (sequence: string, id = "r") => ({ id, sequence, species: "beta" });

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "slm-5p-"));
    // The published layout (6-mer vocabulary, species token) with 1,024 positions, as train makes for 5' corpora;
    // one narrow layer, so 1,000-token passes take milliseconds.
    await writeRandomModel(join(root, "m"), {
      k: 6,
      positions: 1024,
      config: { region: "five_prime", regionLength: 1003, numHiddenLayers: 1, hiddenSize: 32, numAttentionHeads: 2, intermediateSize: 64 },
    });
    model = await MaskedLanguageModel.load(join(root, "m"), { threads: 1 });
  });
  afterAll(async () => {
    await model?.release();
    rmSync(root, { recursive: true, force: true });
  });

  it("writes and reads the region keys of config.json", () => {
    expect(model.config.region).toBe("five_prime");
    expect(model.config.regionLength).toBe(1003);
  });

  it("train writes the corpus's region and its longest training record", async () => {
    const rows = ["species\tid\tsequence", ...Array.from({ length: 16 }, (_, i) => `${i % 2 ? "alpha" : "beta"}\tg${i}\t${randomSeq(40 + i, 30 + i)}`)];
    writeFileSync(join(root, "t.tsv"), rows.join("\n") + "\n");
    await corpusFromTable({ table: join(root, "t.tsv"), outDir: join(root, "corpus"), seed: 1, region: "five_prime" });
    const { checkpoint } = await train({
      corpus: join(root, "corpus"),
      out: join(root, "run"),
      conditioning: "token",
      config: "tiny",
      steps: 1,
      batchSize: 4,
      lr: 1e-3,
      warmup: 0,
      decay: "linear",
      seed: 1,
      validEvery: 1,
      validPerSpecies: 0,
      dropout: 0,
      weightDecay: 0,
      maxGradNorm: 1,
      resume: false,
      threads: 1,
      k: 6,
    });
    const longest = Math.max(...(await loadCorpusSplit(join(root, "corpus"), "train")).map((r) => r.sequence.length));
    expect(JSON.parse(readFileSync(join(checkpoint, "config.json"), "utf8"))).toMatchObject({
      specieslm_region: "five_prime",
      specieslm_region_length: longest,
    });
  });

  it("the fill is a fixed A/C/G/T sequence, the same prefix at every length", () => {
    expect(fivePrimeFill(203)).toMatch(/^[ACGT]{203}$/);
    expect(fivePrimeFill(2000).slice(0, 203)).toBe(fivePrimeFill(203));
    for (const b of "ACGT") expect(fivePrimeFill(1000).split(b).length - 1).toBeGreaterThan(200);
  });

  // Positions read (one masked pass each): the ends of the sequence and of the fill, and samples between.
  const USER = [0, 1, 2, 3, 4, 5, 6, 100, 250, 400, 555, 700, 793, 794, 795, 796, 797, 798, 799];
  const FILL = [0, 1, 2, 5, 100, 197, 198, 199, 200, 201, 202];
  const FILLED = [...FILL, ...USER.map((p) => p + 203)];
  /** The explicitly filled 1,003-nt reconstruction at FILLED, which the recipe and PyTorch tests check. */
  const filledReconstruction = once(async () => (await reconstruct(model, [item(padded, "long")], { batchSize: 16, positions: () => FILLED }))[0]!);
  it("reconstructs an 800-nt region as the last 800 positions of the explicitly filled 1,003-nt one", { timeout: 60_000 }, async () => {
    const [short, long] = await reconstruct(model, [item(user, "short"), item(padded, "long")], {
      batchSize: 16,
      positions: (i) => (i === 0 ? USER : FILLED),
    });
    expect(short).toHaveLength(800 * 4);
    expect(long).toHaveLength(1003 * 4);
    for (const p of USER) expect(Array.from(short!.subarray(p * 4, p * 4 + 4))).toEqual(Array.from(long!.subarray((p + 203) * 4, (p + 204) * 4)));
    expect(Number.isNaN(short![10 * 4])).toBe(true);
    // Reading the 800 nt unfilled gives other numbers: the fill is what makes them equal.
    const bare = new MaskedLanguageModel({ ...model.folder, config: { ...model.config, region: "three_prime" } }, { threads: 1 });
    try {
      const [unfilled] = await reconstruct(bare, [item(user)], { batchSize: 16, positions: () => [400] });
      expect(Math.abs(unfilled![400 * 4]! - short![400 * 4]!) + Math.abs(unfilled![400 * 4 + 1]! - short![400 * 4 + 1]!)).toBeGreaterThan(1e-4);
    } finally {
      await bare.release();
    }
    // Only the user's positions are asked for and returned.
  });

  it("the 1,003-nt reconstruction is the published recipe read from direct forward passes (the full logits)", async () => {
    const full = await filledReconstruction();
    const enc = model.tokenizer.encode(padded, "beta");
    const T = enc.ids.length;
    const V = model.config.vocabSize;
    const kmerIds = Array.from(model.tokenizer.vocab.kmerIds);
    const L = padded.length;
    for (const p of [0, 5, 202, 203, 603, 1002]) {
      // Row max(0, min(p-5, L-11)) masks the 6 k-mer tokens row..row+5; P(base at p) sums the k-mer mass at p's offset over the masked tokens covering p.
      const row = Math.min(Math.max(p - 5, 0), L - 11);
      const ids = BigInt64Array.from(enc.ids, (x) => BigInt(x));
      for (let m = 0; m < 6; m++) ids[2 + row + m] = BigInt(model.tokenizer.vocab.maskId);
      const logits = (await model.run("logits", { inputIds: i64([1, T], ids), attentionMask: i64([1, T], new BigInt64Array(T).fill(1n)) })).logits!
        .data as Float32Array;
      const sum = [0, 0, 0, 0];
      for (let q = Math.max(0, p - 5); q <= Math.min(L - 6, p); q++) {
        const z = kmerIds.map((id) => logits[(2 + q) * V + id]!);
        const mx = Math.max(...z);
        const e = z.map((v) => Math.exp(v - mx));
        const tot = e.reduce((a, b) => a + b);
        e.forEach((v, j) => (sum[Math.floor(j / 4 ** (5 - (p - q))) % 4]! += v / tot));
      }
      const z = sum.reduce((a, b) => a + b);
      expect(
        maxAbsDiff(
          full.subarray(p * 4, p * 4 + 4),
          sum.map((v) => v / z),
        ),
      ).toBeLessThan(1e-5);
    }
  });

  it("unmasked predictions and a dependency map of the 800 nt are the filled sequence's, in the user's coordinates", {
    timeout: 60_000,
  }, async () => {
    const shortSeq = user.slice(0, 40);
    const filled = fivePrimeFill(1003 - 40) + shortSeq;
    const [a, b] = await unmaskedPredictions(model, [item(shortSeq), item(filled)]);
    expect(a!.probs).toHaveLength(40 * 4);
    expect(maxAbsDiff(a!.logOdds, b!.logOdds.subarray((1003 - 40) * 4))).toBeLessThan(1e-5);
    const dep = await dependencyMap(model, item(shortSeq), { positions: [3, 20] });
    const depFilled = await dependencyMap(model, item(filled), { positions: [963 + 3, 963 + 20] });
    expect(dep.length).toBe(40);
    for (const i of [3, 20]) {
      // The same row restricted to the user's positions (the filled map also counts changes in the fill).
      expect(maxAbsDiff(dep.map.subarray(i * 40, (i + 1) * 40), depFilled.map.subarray((963 + i) * 1003 + 963, (963 + i + 1) * 1003))).toBeLessThan(1e-5);
      expect(dep.map[i * 40 + i]).toBe(0);
      const row = dep.map.subarray(i * 40, (i + 1) * 40);
      for (let c = 0; c < 4; c++) {
        if ("ACGT"[c] === shortSeq[i]) continue;
        const mean = Array.from(row).reduce((s, x) => s + x, 0) / 39;
        // influence = mean over the user's other positions of the change (max over the 3 alternatives bounds it).
        expect(dep.influence[i * 4 + c]).toBeLessThanOrEqual(mean + 1e-5);
      }
    }
  });

  it.skipIf(!existsSync("dist/cli/main.js"))("logits (built CLI) writes the record's own tokens: the filled pass without the fill's k-mers", async () => {
    const short = user.slice(0, 60);
    writeFileSync(join(root, "s.fa"), `>short species=beta\n${short}\n>filled species=beta\n${fivePrimeFill(943)}${short}\n`);
    const r = cli(["logits", "--model", join(root, "m"), "-i", join(root, "s.fa"), "-o", join(root, "l.safetensors"), "--threads", "1"]);
    expect(r.code).toBe(0);
    const t = (await readSafetensors(join(root, "l.safetensors"))).tensors;
    const V = model.config.vocabSize;
    const ids = t.get("short.input_ids")!;
    expect(ids.shape).toEqual([60 - 5 + 3]);
    const own = model.tokenizer.encode(short, "beta").ids;
    expect(Array.from(ids.data as BigInt64Array, Number)).toEqual(Array.from(own));
    const a = t.get("short.logits")!.data as Float32Array;
    const b = t.get("filled.logits")!.data as Float32Array;
    expect(t.get("filled.logits")!.shape).toEqual([1003 - 5 + 3, V]);
    // [CLS] <species> | the record's k-mers and [SEP]: the filled pass's first two and last 56 tokens.
    expect(maxAbsDiff(a.subarray(0, 2 * V), b.subarray(0, 2 * V))).toBeLessThan(1e-6);
    expect(maxAbsDiff(a.subarray(2 * V), b.subarray((1001 - 56) * V))).toBeLessThan(1e-6);
  });

  it("variants in a sequence longer than the model reads keep the start codon end when they lie in it", () => {
    const seq = randomSeq(1100, 8);
    const v = (pos: number) => ({ id: "v", species: "beta", sequence: seq, pos, ref: seq[pos]!, alt: seq[pos] === "A" ? "C" : "A" });
    expect(fitToModel(model, v(600))).toMatchObject({ sequence: seq.slice(74), pos: 600 - 74 });
    // Outside the last 1,026 nt the window is centred on the variant, as for other models.
    expect(fitToModel(model, v(40))).toMatchObject({ sequence: seq.slice(0, 1026), pos: 40 });
  });

  it("a sequence longer than the model reads is the typed error, not padded or cut", async () => {
    await expect(reconstruct(model, [item(randomSeq(1100, 5), "too_long")])).rejects.toThrow(
      /record too_long has 1100 nt, more than the 1026 nt this model reads \(1024 positions\)/,
    );
  });

  describe.skipIf(!HAS_SHARED || !HAS_TORCH)(
    `the PyTorch reference${!HAS_SHARED ? ` (skipped: ${SKIP_REASON})` : !HAS_TORCH ? ` (skipped: ${NO_TORCH_REASON})` : ""}`,
    () => {
      it("reconstructs the 1,003-nt region as the reference within 1e-4", { timeout: 300_000 }, async () => {
        const full = await filledReconstruction();
        const positions = FILLED;
        const res = runTorchScript<{ probs: number[][] }>("test/helpers/torch_reconstruct.py", {
          model: join(root, "m"),
          reference: `${SHARED}reference`,
          records: [{ sequence: padded, species: "beta" }],
          positions,
        });
        const at = positions.flatMap((p) => [0, 1, 2, 3].map((c) => p * 4 + c));
        expect(
          maxAbsDiff(
            at.map((j) => full[j]!),
            res.probs[0]!,
          ),
        ).toBeLessThan(1e-4);
      });
    },
  );
});
