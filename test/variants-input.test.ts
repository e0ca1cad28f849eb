import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MaskedLanguageModel } from "../src/runtime/masked-lm.js";
import { checkVariant, fitToModel, maxSequenceLength, reverseComplementVariant, type Variant } from "../src/variants/variant.js";
import { FIXTURE, HAS_SHARED, SKIP_REASON } from "./helpers/shared.js";

describe.skipIf(!HAS_SHARED)("variants longer than the model reads, and strand flips", () => {
  if (!HAS_SHARED) console.warn(SKIP_REASON);
  let model: MaskedLanguageModel;
  beforeAll(async () => {
    model = await MaskedLanguageModel.load(`${FIXTURE}model`);
  });
  afterAll(async () => {
    await model?.release();
  });
  const seq = Array.from({ length: 1003 }, (_, i) => "ACGT"[(i * 7 + (i >> 3)) % 4]).join("");
  const at = (pos: number): Variant => ({
    id: `v${pos}`,
    species: "candida_glabrata",
    sequence: seq,
    pos,
    ref: seq[pos]!,
    alt: seq[pos] === "A" ? "C" : "A",
  });

  it("a 5' region (1,003 nt) is read in a window of the longest readable length around the variant", () => {
    const max = maxSequenceLength(model); // 512 positions - [CLS], species, [SEP] + k - 1
    expect(max).toBe(514);
    expect(() => checkVariant(model, at(500), "t")).toThrow(
      "t: record v500 has 1003 nt, more than the 514 nt this model reads (512 positions); cut a window of at most 514 nt around variant v500",
    );
    // The rolling-mask check is the model commands' one as well (a k = 6 mask hides a base only in 11 nt).
    expect(() => checkVariant(model, { ...at(3), sequence: seq.slice(0, 10) }, "t")).toThrow("t: record v3 has 10 nt; this model reads at least 11 nt");
    for (const [pos, start] of [
      [10, 0],
      [500, 500 - 257],
      [990, 1003 - 514],
    ] as const) {
      const w = fitToModel(model, at(pos));
      expect(w.sequence).toBe(seq.slice(start, start + 514));
      expect(w.pos).toBe(pos - start);
      expect(w.sequence[w.pos]).toBe(seq[pos]);
      expect(() => checkVariant(model, w, "t")).not.toThrow();
    }
  });

  it("the reverse complement moves the position and complements the alleles", () => {
    const v = { ...at(3), sequence: "ACGTTGCA", alt: "A" };
    const r = reverseComplementVariant({ ...v, ref: "T" });
    expect([r.sequence, r.pos, r.ref, r.alt]).toEqual(["TGCAACGT", 4, "A", "T"]);
  });
});
