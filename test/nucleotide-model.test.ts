import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluateHeldOutSpecies } from "../src/analysis/held-out-species.js";
import { type HostTensor, i64 } from "../src/host-tensor.js";
import { embedSequences } from "../src/infer/embed.js";
import { type ReconstructItem, reconstruct } from "../src/infer/reconstruct.js";
import { MaskedLanguageModel } from "../src/runtime/masked-lm.js";
import { NUCLEOTIDE_CURRICULUM } from "../src/train/curriculum.js";
import { type TrainOptions, train } from "../src/train/trainer.js";
import { HAS_SHARED, maxAbsDiff, SHARED, SKIP_REASON } from "./helpers/shared.js";
import { makeToyCorpus, toyTrainOptions, writeToyTable } from "./helpers/toy-corpus.js";

// A single-nucleotide (k = 1) model as the newer SpeciesLM checkpoints: vocab `[PAD] [UNK] [CLS] [SEP] [MASK] A C G T <species>`.

const PYTHON = "/usr/bin/python3";
const HAS_TORCH = spawnSync(PYTHON, ["-c", "import torch, numpy"], { stdio: "ignore" }).status === 0;
const TORCH_SKIP = !HAS_SHARED
  ? SKIP_REASON
  : !HAS_TORCH
    ? `no PyTorch for ${PYTHON} (apt-get install python3-torch python3-numpy): the reference comparison is skipped`
    : "";

/** Two species with different base composition, 48-60 nt each. */
const writeNucleotideTable = (path: string) => writeToyTable(path, { seed: 21, gc: [0.25, 0.65], perSpecies: 40, length: (rng) => 48 + rng.int(13) });

const softmax = (x: ArrayLike<number>): number[] => {
  const m = Math.max(...Array.from(x));
  const e = Array.from(x, (v) => Math.exp(v - m));
  const z = e.reduce((a, b) => a + b);
  return e.map((v) => v / z);
};

const ITEMS: ReconstructItem[] = [
  { id: "r1", sequence: "ACGTTGCAAGGCTTANCAGTACGGATCCAT", species: "alpha" },
  { id: "r2", sequence: "GGGCCCATATGCGCA", species: "beta" },
];

describe("a single-nucleotide (k = 1) model written by train (the default curriculum)", () => {
  let root = "";
  let ckpt = "";
  let model: MaskedLanguageModel;
  const options = (out: string, over: Partial<TrainOptions> = {}): TrainOptions =>
    toyTrainOptions(join(root, "corpus"), out, { steps: 12, lr: 5e-3, schedule: NUCLEOTIDE_CURRICULUM, validEvery: 12, k: 1, ...over });

  beforeAll(async () => {
    ({ root } = await makeToyCorpus("specieslm-k1-", writeNucleotideTable));
    ckpt = (await train(options(join(root, "run")))).checkpoint;
    model = await MaskedLanguageModel.load(ckpt, { threads: 1 });
  });
  afterAll(async () => {
    await model?.release();
    rmSync(root, { recursive: true, force: true });
  });

  /**
   * Per item, the probabilities of A C G T at every base read straight from the full logits: each row of
   * the batch is the item's tokens with the bases of one pass set to [MASK], as `passes` lists them.
   */
  async function direct(item: ReconstructItem, passes: readonly (readonly number[])[]): Promise<Float32Array> {
    const enc = model.tokenizer.encode(item.sequence, item.species);
    const T = enc.ids.length;
    const head = 2; // [CLS] <species>
    const ids = new BigInt64Array(passes.length * T);
    passes.forEach((bases, r) => {
      enc.ids.forEach((id, t) => (ids[r * T + t] = BigInt(id)));
      for (const p of bases) ids[r * T + head + p] = BigInt(model.tokenizer.vocab.maskId);
    });
    const out = await model.run("logits", {
      inputIds: i64([passes.length, T], ids),
      attentionMask: i64([passes.length, T], new BigInt64Array(passes.length * T).fill(1n)),
    });
    const logits = out.logits!.data as Float32Array;
    const V = model.config.vocabSize;
    const baseIds = Array.from(model.tokenizer.vocab.kmerIds);
    const probs = new Float32Array(item.sequence.length * 4);
    passes.forEach((bases, r) => {
      for (const p of bases) probs.set(softmax(baseIds.map((id) => logits[(r * T + head + p) * V + id]!)), p * 4);
    });
    return probs;
  }

  it("writes a Hugging Face folder with A C G T after the specials and k = 1 in config.json and the run key", () => {
    expect(readFileSync(join(ckpt, "vocab.txt"), "utf8").split("\n").slice(0, 11)).toEqual([
      "[PAD]",
      "[UNK]",
      "[CLS]",
      "[SEP]",
      "[MASK]",
      "A",
      "C",
      "G",
      "T",
      "alpha",
      "beta",
    ]);
    const config = JSON.parse(readFileSync(join(ckpt, "config.json"), "utf8")) as Record<string, unknown>;
    expect(config.specieslm_kmer_size).toBe(1);
    expect(config.vocab_size).toBe(11);
    expect(model.tokenizer.k).toBe(1);
    expect((JSON.parse(readFileSync(join(ckpt, "trainer_state.json"), "utf8")) as { run: { k: number } }).run.k).toBe(1);
  });

  it("refuses to resume a k = 1 run as a 6-mer one, naming k", async () => {
    await expect(train(options(join(root, "run"), { k: 6, resume: true }))).rejects.toThrow(/k: checkpoint 1, now undefined/);
  });

  it("reconstructs each base as the forward pass with that one token masked (softmax over A C G T)", async () => {
    const got = await reconstruct(model, ITEMS, { batchSize: 7 });
    for (const [i, item] of ITEMS.entries()) {
      const want = await direct(
        item,
        Array.from(item.sequence, (_, p) => [p]),
      );
      expect(maxAbsDiff(got[i]!, want)).toBeLessThan(1e-5);
      // Trained, not uniform: the known answer is informative.
      expect(maxAbsDiff(want, new Float32Array(want.length).fill(0.25))).toBeGreaterThan(0.02);
    }
    // One token hides one base: there are no edge layouts, so minimal edge masks change nothing.
    const minimal = await reconstruct(model, ITEMS, { batchSize: 7, edges: "minimal" });
    ITEMS.forEach((_, i) => expect(Array.from(minimal[i]!)).toEqual(Array.from(got[i]!)));
  });

  it("several bases per pass: each pass masks every ceil(L / spans)-th base together, as the direct pass with those tokens masked", async () => {
    const got = await reconstruct(model, ITEMS, { spansPerPass: 4 });
    for (const [i, item] of ITEMS.entries()) {
      const L = item.sequence.length;
      const stride = Math.ceil(L / 4);
      const passes = Array.from({ length: stride }, (_, r) => Array.from({ length: L }, (_, p) => p).filter((p) => p % stride === r));
      expect(maxAbsDiff(got[i]!, await direct(item, passes))).toBeLessThan(1e-5);
    }
  });

  it("reads only the positions asked for (as species-swap does), equal to the full pass there", async () => {
    const full = await reconstruct(model, ITEMS);
    const only = await reconstruct(model, ITEMS, { positions: (i) => (i === 0 ? [0, 7, 29] : [14]) });
    for (const p of [0, 7, 29]) expect(Array.from(only[0]!.subarray(p * 4, p * 4 + 4))).toEqual(Array.from(full[0]!.subarray(p * 4, p * 4 + 4)));
    expect(Number.isNaN(only[0]![4])).toBe(true);
    expect(Array.from(only[1]!.subarray(56, 60))).toEqual(Array.from(full[1]!.subarray(56, 60)));
  });

  it("held-out: each species token's cross-entropy is the one of the direct per-base masked passes told that species", async () => {
    const records = ITEMS.map((it) => ({ id: it.id, sequence: it.sequence.replace("N", "A") }));
    const res = await evaluateHeldOutSpecies(model, records, { heldOut: "gamma", proxy: "beta" });
    for (const sp of ["alpha", "beta"]) {
      let ce = 0,
        n = 0;
      for (const r of records) {
        const p = await direct(
          { ...r, species: sp },
          Array.from(r.sequence, (_, i) => [i]),
        );
        [...r.sequence].forEach((b, i) => {
          ce -= Math.log(p[i * 4 + "ACGT".indexOf(b)]!);
          n++;
        });
      }
      const got = res.perToken.find((t) => t.species === sp)!;
      expect(got.nucleotides).toBe(n);
      expect(got.crossEntropy).toBeCloseTo(ce / n, 5);
    }
    expect(res.strategies.find((s) => s.strategy === "proxy")!.crossEntropy).toBe(res.perToken.find((t) => t.species === "beta")!.crossEntropy);
  });

  it("embeds a sequence as the mean over tokens of the mean of hidden_states[K:]", async () => {
    const item = ITEMS[1]!;
    let embedding: Float32Array = new Float32Array(0);
    for await (const e of embedSequences(model, [{ id: item.id, sequence: item.sequence, species: item.species }], { fromLayer: 1 })) embedding = e.embedding;
    const out = await model.run("logits+hidden", model.encode([item]));
    const H = model.config.hiddenSize;
    const L = model.config.numHiddenLayers;
    const T = model.tokenizer.tokenCount(item.sequence.length, true);
    const want = new Float32Array(H);
    for (let l = 1; l <= L; l++) {
      const h = out[`hidden_states.${l}`]!.data as Float32Array;
      for (let t = 0; t < T; t++) for (let j = 0; j < H; j++) want[j]! += h[t * H + j]! / (T * L);
    }
    expect(maxAbsDiff(embedding, want)).toBeLessThan(1e-5);
  });

  it("loads as a published Hugging Face folder: config.json without our keys, k read from the vocab", async () => {
    const hf = join(root, "hf-safetensors");
    mkdirSync(hf);
    for (const f of ["vocab.txt", "special_tokens_map.json", "tokenizer_config.json", "model.safetensors"]) copyFileSync(join(ckpt, f), join(hf, f));
    writeFileSync(join(hf, "config.json"), JSON.stringify(publishedConfig(ckpt)));
    const again = await MaskedLanguageModel.load(hf, { threads: 1 });
    try {
      expect(again.tokenizer.k).toBe(1);
      expect(again.config.conditioning).toBe("token");
      expect(Array.from((await reconstruct(again, ITEMS))[0]!)).toEqual(Array.from((await reconstruct(model, ITEMS))[0]!));
    } finally {
      await again.release();
    }
  });

  describe.skipIf(TORCH_SKIP !== "")(`the PyTorch reference${TORCH_SKIP ? ` (skipped: ${TORCH_SKIP})` : ""}`, () => {
    it("reads the k = 1 checkpoint with logits equal to ours within 1e-4, padded and masked; its pytorch_model.bin loads back", async () => {
      const feeds = model.encode([...ITEMS, { id: "r3", sequence: "TTAGC", species: "beta" }]);
      const [B, T] = feeds.inputIds.shape as [number, number];
      const ids = feeds.inputIds.data as BigInt64Array;
      for (const t of [3, 9, 10]) ids[t] = BigInt(model.tokenizer.vocab.maskId); // row 0: bases 1, 7 and 8 hidden
      const ours = (await model.run("logits", feeds)).logits!;
      const hf = join(root, "hf-bin");
      mkdirSync(hf);
      const theirs = torchLogits(ckpt, feeds.inputIds, feeds.attentionMask, join(root, "torch"), hf);
      expect(theirs.length).toBe(B * T * model.config.vocabSize);
      expect(maxAbsDiff(ours.data as Float32Array, theirs)).toBeLessThan(1e-4);

      // The same weights as Hugging Face's torch.save writes them, with a published-style config: the 6-mer loading path.
      for (const f of ["vocab.txt", "special_tokens_map.json", "tokenizer_config.json"]) copyFileSync(join(ckpt, f), join(hf, f));
      writeFileSync(join(hf, "config.json"), JSON.stringify(publishedConfig(ckpt)));
      const fromBin = await MaskedLanguageModel.load(hf, { threads: 1 });
      try {
        expect(fromBin.folder.weightsFile.endsWith("pytorch_model.bin")).toBe(true);
        expect(fromBin.tokenizer.k).toBe(1);
        expect(maxAbsDiff((await fromBin.run("logits", feeds)).logits!.data as Float32Array, theirs)).toBeLessThan(1e-4);
      } finally {
        await fromBin.release();
      }
    });
  });
});

/** config.json as a published checkpoint has it: our specieslm_* keys left out. */
function publishedConfig(dir: string): Record<string, unknown> {
  const c = JSON.parse(readFileSync(join(dir, "config.json"), "utf8")) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(c).filter(([k]) => !k.startsWith("specieslm_")));
}

/** Logits [B*T*V] of the PyTorch reference for these ids and mask (test/helpers/torch_logits.py). */
function torchLogits(model: string, ids: HostTensor, mask: HostTensor, prefix: string, saveBin: string): Float32Array {
  const [B, T] = ids.shape as [number, number];
  const bytes = (t: HostTensor) => Buffer.from((t.data as BigInt64Array).buffer);
  writeFileSync(`${prefix}.ids`, bytes(ids));
  writeFileSync(`${prefix}.mask`, bytes(mask));
  const args = [
    "test/helpers/torch_logits.py",
    "--model",
    model,
    "--reference",
    `${SHARED}reference`,
    "--ids",
    `${prefix}.ids`,
    "--mask",
    `${prefix}.mask`,
    "--batch",
    String(B),
    "--tokens",
    String(T),
    "--out",
    `${prefix}.logits`,
    "--save-bin",
    saveBin,
  ];
  const p = spawnSync(PYTHON, args, { encoding: "utf8" });
  if (p.status !== 0) throw new Error(`torch_logits.py failed (exit ${p.status}): ${p.stderr}`);
  const buf = readFileSync(`${prefix}.logits`);
  return new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
}
