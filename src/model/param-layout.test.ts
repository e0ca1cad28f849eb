import { describe, expect, it } from "vitest";
import { FIXTURE, HAS_SHARED, SKIP_REASON } from "../../test/helpers/shared.js";
import { readModelConfig } from "./model-folder.js";
import { countParams, paramLayout, SPECIES_EMBEDDINGS } from "./param-layout.js";
import { presetConfig } from "./presets.js";
import { readSafetensors } from "./safetensors.js";

/** Says in the test title why fixture tests were skipped. */
const fixtureTitle = (t: string): string => (HAS_SHARED ? t : `${t} (${SKIP_REASON})`);

describe("paramLayout", () => {
  it("has 5 + 16 per layer + 5 parameters with PyTorch [out, in] Linear shapes", () => {
    const c = presetConfig("tiny", { vocabSize: 100 });
    const l = paramLayout(c);
    expect(Object.keys(l).length).toBe(5 + 16 * 2 + 5);
    expect(l["bert.encoder.layer.1.intermediate.dense.weight"]).toEqual([128, 64]);
    expect(l["bert.encoder.layer.1.output.dense.weight"]).toEqual([64, 128]);
    expect(l["cls.predictions.bias"]).toEqual([100]);
    expect(l["cls.predictions.decoder.weight"]).toBeUndefined();
  });

  it("counts BERT-base with the published vocabulary at about 90M parameters", () => {
    // 12 x 7,087,872 encoder + 4,623,360 embeddings + 597,632 MLM head (5504 tokens)
    expect(countParams(paramLayout(presetConfig("base", { vocabSize: 5504 })))).toBe(90_275_456);
  });

  it("adds the species table only for embedding conditioning", () => {
    const c = presetConfig("tiny", { vocabSize: 100, conditioning: "embedding", numSpecies: 7 });
    expect(paramLayout(c)[SPECIES_EMBEDDINGS]).toEqual([7, 64]);
    expect(paramLayout(presetConfig("tiny", { vocabSize: 100 }))[SPECIES_EMBEDDINGS]).toBeUndefined();
  });
});

describe.skipIf(!HAS_SHARED)(fixtureTitle("paramLayout vs the fixture's model.safetensors"), () => {
  it("names and shapes every saved tensor exactly", async () => {
    const config = await readModelConfig(`${FIXTURE}model`);
    const { tensors } = await readSafetensors(`${FIXTURE}model/model.safetensors`);
    const fromFile = Object.fromEntries([...tensors].map(([k, t]) => [k, [...t.shape]]));
    expect(paramLayout(config)).toEqual(fromFile);
  });
});
