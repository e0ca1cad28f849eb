import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HostTensor } from "../src/host-tensor.js";
import { loadModelFolder } from "../src/model/model-folder.js";
import { readSafetensors } from "../src/model/safetensors.js";
import { reconstruct } from "../src/infer/reconstruct.js";
import { MaskedLanguageModel } from "../src/runtime/masked-lm.js";
import { encodeBatch } from "../src/tokenizer/batch.js";
import { FIXTURE, HAS_SHARED, maxAbsDiff, SKIP_REASON, fixtureCases, type FixtureCase } from "./helpers/shared.js";

describe.skipIf(!HAS_SHARED)("parity with the PyTorch reference (tiny-specieslm)", () => {
  if (!HAS_SHARED) console.warn(SKIP_REASON);
  let expected: Map<string, HostTensor>;
  let cases: FixtureCase[];
  const models: Record<string, MaskedLanguageModel> = {};

  beforeAll(async () => {
    expected = (await readSafetensors(`${FIXTURE}expected.safetensors`)).tensors;
    cases = fixtureCases(/^case\d$/);
    const folder = await loadModelFolder(`${FIXTURE}model`);
    models.safetensors = new MaskedLanguageModel(folder, { threads: 1 });
    // The same model from pytorch_model.bin alone (a folder without the safetensors file).
    binDir = mkdtempSync(join(tmpdir(), "specieslm-bin-"));
    for (const f of ["config.json", "vocab.txt", "special_tokens_map.json", "tokenizer_config.json", "pytorch_model.bin"]) {
      copyFileSync(`${FIXTURE}model/${f}`, join(binDir, f));
    }
    models.bin = new MaskedLanguageModel(await loadModelFolder(binDir), { threads: 1 });
  });
  let binDir = "";
  afterAll(async () => {
    for (const m of Object.values(models)) await m.release();
    if (binDir) rmSync(binDir, { recursive: true, force: true });
  });

  const exp = (key: string) => {
    const t = expected.get(key);
    if (!t) throw new Error(`expected.safetensors has no ${key}`);
    return t.data as Float32Array;
  };

  it.each(["safetensors", "bin"])("gives the reference logits and every hidden state within 1e-4 (%s weights)", async (which) => {
    const m = models[which]!;
    expect(m.folder.weightsFile.endsWith(which === "bin" ? "pytorch_model.bin" : "model.safetensors")).toBe(true);
    for (const c of cases) {
      const batch = encodeBatch(m.tokenizer, [{ sequence: c.sequence, species: c.species, record: c.name }]);
      const out = await m.run("logits+hidden", batch);
      expect(maxAbsDiff(out.logits!.data as Float32Array, exp(`${c.name}.logits`)), `${c.name} logits`).toBeLessThan(1e-4);
      for (let l = 0; l <= m.config.numHiddenLayers; l++) {
        const d = maxAbsDiff(out[`hidden_states.${l}`]!.data as Float32Array, exp(`${c.name}.hidden_states.${l}`));
        expect(d, `${c.name} hidden_states.${l}`).toBeLessThan(1e-4);
      }
    }
  });

  it("gives the reference embeddings (mean of hidden_states[1:]) within 1e-4", async () => {
    const m = models.safetensors!;
    for (const c of cases) {
      const batch = encodeBatch(m.tokenizer, [{ sequence: c.sequence, species: c.species }]);
      const out = await m.run("embedding@1", batch);
      expect(maxAbsDiff(out.embedding!.data as Float32Array, exp(`${c.name}.embedding`)), c.name).toBeLessThan(1e-4);
    }
  });

  it("gives the reference logits of a right-padded batch within 1e-4", async () => {
    const m = models.safetensors!;
    const ids = expected.get("padded.input_ids")! as HostTensor<"int64">;
    const mask = expected.get("padded.attention_mask")! as HostTensor<"int64">;
    const out = await m.run("logits", { inputIds: ids, attentionMask: mask });
    expect(maxAbsDiff(out.logits!.data as Float32Array, exp("padded.logits"))).toBeLessThan(1e-4);
  });

  it("reconstructs every nucleotide as the published rolling-mask recipe, within 1e-5", async () => {
    const m = models.safetensors!;
    const withRecon = cases.filter((c) => expected.has(`${c.name}.reconstruction`));
    expect(withRecon.map((c) => c.name)).toEqual(["case0", "case1", "case3"]);
    const probs = await reconstruct(
      m,
      withRecon.map((c) => ({ id: c.name, sequence: c.sequence, species: c.species })),
      { batchSize: 32 },
    );
    withRecon.forEach((c, i) => {
      expect(maxAbsDiff(probs[i]!, exp(`${c.name}.reconstruction`)), c.name).toBeLessThan(1e-5);
    });
  });

  it("reconstructs only the requested positions exactly as the full pass does", async () => {
    const m = models.safetensors!;
    const c = cases.find((x) => x.name === "case1")!;
    const wanted = [0, 3, 40, 77, c.sequence.length - 1];
    const [probs] = await reconstruct(m, [{ id: c.name, sequence: c.sequence, species: c.species }], { positions: () => wanted });
    const ref = exp(`${c.name}.reconstruction`);
    for (let p = 0; p < c.sequence.length; p++) {
      for (let b = 0; b < 4; b++) {
        if (wanted.includes(p)) expect(Math.abs(probs![p * 4 + b]! - ref[p * 4 + b]!)).toBeLessThan(1e-5);
        else expect(probs![p * 4 + b]).toBeNaN();
      }
    }
  });
});
