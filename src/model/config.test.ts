import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors.js";
import { MINIMAL_BERT_CONFIG } from "../../test/helpers/bert-config.js";
import { FIXTURE, HAS_SHARED, SKIP_REASON } from "../../test/helpers/shared.js";
import { bertConfigToJson, parseBertConfig } from "./config.js";
import { presetConfig, readConfigFile } from "./presets.js";

/** Says in the test title why fixture tests were skipped. */
const fixtureTitle = (t: string): string => (HAS_SHARED ? t : `${t} (${SKIP_REASON})`);

const MINIMAL: Record<string, unknown> = MINIMAL_BERT_CONFIG;

describe("parseBertConfig", () => {
  it("fills Hugging Face BertConfig defaults and token conditioning", () => {
    const c = parseBertConfig(MINIMAL, "c.json");
    expect(c).toMatchObject({ typeVocabSize: 2, layerNormEps: 1e-12, padTokenId: 0, hiddenAct: "gelu", conditioning: "token" });
  });

  it("reads and writes the region keys; a published config without them has none", () => {
    const c = parseBertConfig({ ...MINIMAL, specieslm_region: "five_prime", specieslm_region_length: 1003 }, "c.json");
    expect(c).toMatchObject({ region: "five_prime", regionLength: 1003 });
    expect(bertConfigToJson(c)).toMatchObject({ specieslm_region: "five_prime", specieslm_region_length: 1003 });
    expect(parseBertConfig(bertConfigToJson(c), "again.json")).toEqual(c);
    const bare = parseBertConfig(MINIMAL, "c.json");
    expect(bare.region).toBeUndefined();
    expect(Object.keys(bertConfigToJson(bare)).filter((k) => k.startsWith("specieslm_region"))).toEqual([]);
    const bad = () => parseBertConfig({ ...MINIMAL, specieslm_region: "utr5", specieslm_region_length: 0 }, "c.json");
    expect(bad).toThrow(/"specieslm_region" must be "three_prime" or "five_prime"/);
    expect(bad).toThrow(/"specieslm_region_length" must be > 0/);
  });

  it("accepts aliases from the one alias table", () => {
    const c = parseBertConfig({ ...MINIMAL, num_hidden_layers: undefined, n_layer: 3, layer_norm_epsilon: 1e-5 }, "c.json");
    expect(c.numHiddenLayers).toBe(3);
    expect(c.layerNormEps).toBe(1e-5);
  });

  it("lists every missing or bad key at once", () => {
    let msg = "";
    try {
      parseBertConfig({ vocab_size: -1, hidden_size: 64.5, num_attention_heads: 4, hidden_dropout_prob: 2 }, "bad.json");
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      msg = String(e);
    }
    for (const part of [
      "bad.json",
      '"vocab_size" must be > 0',
      '"hidden_size" must be an integer',
      'missing "num_hidden_layers"',
      'missing "intermediate_size"',
      'missing "max_position_embeddings"',
      '"hidden_dropout_prob" must be in [0, 1)',
    ]) {
      expect(msg).toContain(part);
    }
  });

  it("refuses activations the graph builder cannot honour", () => {
    expect(() => parseBertConfig({ ...MINIMAL, hidden_act: "gelu_new" }, "c.json")).toThrow(/hidden_act.*only honour "gelu"/);
    expect(() => parseBertConfig({ ...MINIMAL, position_embedding_type: "relative_key" }, "c.json")).toThrow(/absolute/);
  });

  it("checks heads divide hidden and embedding conditioning has a species count", () => {
    expect(() => parseBertConfig({ ...MINIMAL, num_attention_heads: 5 }, "c.json")).toThrow(/multiple/);
    expect(() => parseBertConfig({ ...MINIMAL, specieslm_conditioning: "embedding" }, "c.json")).toThrow(/specieslm_num_species/);
    const c = parseBertConfig({ ...MINIMAL, specieslm_conditioning: "embedding", specieslm_num_species: 7 }, "c.json");
    expect(c.numSpecies).toBe(7);
  });

  it("round-trips through bertConfigToJson", () => {
    const c = presetConfig("small", { vocabSize: 4101, conditioning: "none", kmerSize: 6, species: ["a"] });
    expect(parseBertConfig(JSON.parse(JSON.stringify(bertConfigToJson(c))), "x")).toEqual(c);
    expect(bertConfigToJson(c)).toMatchObject({ architectures: ["BertForMaskedLM"], model_type: "bert" });
  });

  it("reads a config from a JSON file, naming the file in errors", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cfg-"));
    try {
      writeFileSync(join(dir, "ok.json"), JSON.stringify(MINIMAL));
      expect((await readConfigFile(join(dir, "ok.json"))).vocabSize).toBe(100);
      writeFileSync(join(dir, "bad.json"), "{ nope");
      await expect(readConfigFile(join(dir, "bad.json"))).rejects.toThrow(/bad\.json: not valid JSON/);
      await expect(readConfigFile(join(dir, "absent.json"))).rejects.toThrow(ConfigError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("gives the published sizes for presets", () => {
    expect(presetConfig("base", { vocabSize: 5504 })).toMatchObject({
      numHiddenLayers: 12,
      hiddenSize: 768,
      numAttentionHeads: 12,
      intermediateSize: 3072,
      maxPositionEmbeddings: 512,
    });
    expect(presetConfig("tiny", { vocabSize: 10 }).hiddenSize).toBe(64);
  });
});

describe.skipIf(!HAS_SHARED)(fixtureTitle("config.json of the fixture"), () => {
  it("parses and writes back the same Hugging Face keys", () => {
    const json = JSON.parse(readFileSync(`${FIXTURE}model/config.json`, "utf8")) as Record<string, unknown>;
    const out = bertConfigToJson(parseBertConfig(json, "config.json"));
    for (const [k, v] of Object.entries(json)) expect(out[k], k).toEqual(v);
  });
});
