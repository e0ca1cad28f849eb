import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, WeightsError } from "../errors.js";
import { FIXTURE, HAS_SHARED, SKIP_REASON } from "../../test/helpers/shared.js";
import { buildVocab } from "../tokenizer/build-vocab.js";
import { initWeights } from "./init-weights.js";
import { loadModelFolder, saveModelFolder } from "./model-folder.js";
import { paramLayout } from "./param-layout.js";
import { presetConfig } from "./presets.js";
import { encodeSafetensors, readSafetensors } from "./safetensors.js";

/** Says in the test title why fixture tests were skipped. */
const fixtureTitle = (t: string): string => (HAS_SHARED ? t : `${t} (${SKIP_REASON})`);

const tmp = mkdtempSync(join(tmpdir(), "model-folder-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => join(tmp, `m${n++}`);

const species = ["sp_one", "sp_two", "sp_three"];

async function tinyFolder(): Promise<string> {
  const vocab = buildVocab({ k: 3, species });
  const config = presetConfig("tiny", { vocabSize: vocab.size, kmerSize: 3, species });
  const dir = fresh();
  await saveModelFolder(dir, { config, vocab, weights: initWeights(config, 1) });
  return dir;
}

describe("saveModelFolder / loadModelFolder", () => {
  it("writes a folder that loads back bit-identically", async () => {
    const vocab = buildVocab({ k: 3, species });
    const config = presetConfig("tiny", { vocabSize: vocab.size, kmerSize: 3, species, conditioning: "embedding" });
    const weights = initWeights(config, 42);
    const dir = fresh();
    await saveModelFolder(dir, { config, vocab, weights });
    const m = await loadModelFolder(dir);
    expect(m.config).toEqual(config);
    expect(m.vocab.tokens).toEqual(vocab.tokens);
    expect(m.vocab.speciesNames).toEqual(species);
    expect([...m.weights.keys()].sort()).toEqual(Object.keys(paramLayout(config)).sort());
    for (const [k, t] of weights) expect(m.weights.get(k)!.data, k).toEqual(t.data);
  });

  it("writes a Hugging Face style config.json", async () => {
    const json = JSON.parse(readFileSync(join(await tinyFolder(), "config.json"), "utf8"));
    expect(json).toMatchObject({
      architectures: ["BertForMaskedLM"],
      model_type: "bert",
      hidden_act: "gelu",
      specieslm_conditioning: "token",
    });
  });

  it("accepts BertModel-style names without the bert. prefix", async () => {
    const dir = await tinyFolder();
    const { tensors } = await readSafetensors(join(dir, "model.safetensors"));
    const renamed = new Map([...tensors].map(([k, t]) => [k.replace(/^bert\./, ""), t]));
    writeFileSync(join(dir, "model.safetensors"), encodeSafetensors(renamed));
    expect((await loadModelFolder(dir)).weights.size).toBe(tensors.size);
  });

  it("fails clearly on a missing folder, a missing config and a folder without weights", async () => {
    await expect(loadModelFolder(join(tmp, "nope"))).rejects.toThrow(/does not exist/);
    const empty = fresh();
    mkdirSync(empty);
    await expect(loadModelFolder(empty)).rejects.toThrow(/no config.json/);
    const dir = await tinyFolder();
    rmSync(join(dir, "model.safetensors"));
    const err = await loadModelFolder(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WeightsError);
    expect(String(err)).toContain(`a folder without weights: expected model.safetensors or pytorch_model.bin in ${dir}`);
  });

  it("fails when vocab.txt does not match the weights", async () => {
    const dir = await tinyFolder();
    const text = readFileSync(join(dir, "vocab.txt"), "utf8");
    writeFileSync(join(dir, "vocab.txt"), text + "sp_four\n");
    await expect(loadModelFolder(dir)).rejects.toThrow(/vocab does not match the weights/);
  });

  it("fails when config and vocab agree but the word embeddings have another row count", async () => {
    const dir = await tinyFolder();
    const cfg = JSON.parse(readFileSync(join(dir, "config.json"), "utf8"));
    writeFileSync(join(dir, "config.json"), JSON.stringify({ ...cfg, vocab_size: cfg.vocab_size + 1 }));
    writeFileSync(join(dir, "vocab.txt"), readFileSync(join(dir, "vocab.txt"), "utf8") + "sp_four\n");
    await expect(loadModelFolder(dir)).rejects.toThrow(/vocab does not match the weights: word embeddings have 72 rows/);
  });

  it("fails on a config the builder cannot honour", async () => {
    const dir = await tinyFolder();
    const cfg = JSON.parse(readFileSync(join(dir, "config.json"), "utf8"));
    writeFileSync(join(dir, "config.json"), JSON.stringify({ ...cfg, hidden_act: "relu" }));
    const err = await loadModelFolder(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(String(err)).toMatch(/hidden_act.*"relu"/);
  });

  it("lists all missing, unexpected and mis-shaped keys at once", async () => {
    const dir = await tinyFolder();
    const { tensors } = await readSafetensors(join(dir, "model.safetensors"));
    tensors.delete("bert.encoder.layer.0.attention.self.query.bias");
    tensors.delete("cls.predictions.transform.dense.weight");
    tensors.set("bert.encoder.layer.7.output.dense.bias", tensors.get("cls.predictions.transform.dense.bias")!);
    const q = tensors.get("bert.encoder.layer.1.attention.self.key.weight")!;
    tensors.set("bert.encoder.layer.1.attention.self.key.weight", { ...q, shape: [32, 128] });
    writeFileSync(join(dir, "model.safetensors"), encodeSafetensors(tensors));
    const msg = String(await loadModelFolder(dir).catch((e: unknown) => e));
    expect(msg).toContain("missing (2): bert.encoder.layer.0.attention.self.query.bias, cls.predictions.transform.dense.weight");
    expect(msg).toContain("unexpected (1): bert.encoder.layer.7.output.dense.bias");
    expect(msg).toContain("wrong shape (1): bert.encoder.layer.1.attention.self.key.weight: [32,128] but the config needs [64,64]");
  });

  it("rejects an untied decoder", async () => {
    const dir = await tinyFolder();
    const { tensors } = await readSafetensors(join(dir, "model.safetensors"));
    const word = tensors.get("bert.embeddings.word_embeddings.weight")!;
    const dec = Float32Array.from(word.data as Float32Array);
    dec[5] = (dec[5] as number) + 1;
    tensors.set("cls.predictions.decoder.weight", { dtype: "float32", shape: word.shape, data: dec });
    writeFileSync(join(dir, "model.safetensors"), encodeSafetensors(tensors));
    await expect(loadModelFolder(dir)).rejects.toThrow(/untied decoders are not supported/);
  });

  it("writes and reloads a model of the published shape (12 x 768, vocab 5504)", async () => {
    const vocab = buildVocab({ k: 6, species: Array.from({ length: 5504 - 4101 }, (_, i) => `species_${i}`) });
    const config = presetConfig("base", { vocabSize: vocab.size, kmerSize: 6 });
    expect(vocab.size).toBe(5504);
    const dir = fresh();
    const weights = initWeights(config, 7);
    await saveModelFolder(dir, { config, vocab, weights });
    const m = await loadModelFolder(dir);
    expect(m.weights.size).toBe(5 + 16 * 12 + 5);
    for (const name of ["bert.embeddings.word_embeddings.weight", "bert.encoder.layer.11.output.dense.weight"]) {
      expect(
        Buffer.from(m.weights.get(name)!.data.buffer, m.weights.get(name)!.data.byteOffset, m.weights.get(name)!.data.byteLength).equals(
          Buffer.from(weights.get(name)!.data.buffer),
        ),
        name,
      ).toBe(true);
    }
  });
});

describe.skipIf(!HAS_SHARED)(fixtureTitle("loadModelFolder on the fixture"), () => {
  it("loads identical tensors from model.safetensors and pytorch_model.bin", async () => {
    const st = await loadModelFolder(`${FIXTURE}model`);
    expect(st.weightsFile.endsWith("model.safetensors")).toBe(true);
    const dir = fresh();
    mkdirSync(dir);
    for (const f of ["config.json", "vocab.txt", "special_tokens_map.json", "tokenizer_config.json", "pytorch_model.bin"]) {
      copyFileSync(`${FIXTURE}model/${f}`, join(dir, f));
    }
    const pt = await loadModelFolder(dir);
    expect(pt.weightsFile.endsWith("pytorch_model.bin")).toBe(true);
    expect([...pt.weights.keys()].sort()).toEqual([...st.weights.keys()].sort());
    for (const [k, t] of st.weights) {
      expect(pt.weights.get(k)!.shape, k).toEqual(t.shape);
      expect(pt.weights.get(k)!.data, k).toEqual(t.data);
    }
    expect(st.vocab.speciesNames).toContain("candida_glabrata");
  });
});
