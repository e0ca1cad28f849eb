import { describe, expect, it } from "vitest";
import { positionsFor } from "../src/train/new-model.js";
import { longestRow } from "../src/train/dataset.js";

describe("model positions from the corpus", () => {
  const rec = (n: number) => ({ id: `r${n}`, species: "a", gene: `r${n}`, sequence: "A".repeat(n) });
  it("counts [CLS], [SEP], the species token and the k-mers of the longest record", () => {
    expect(longestRow([rec(300), rec(1003)], 1, "token")).toBe(1006);
    expect(longestRow([rec(300)], 6, "token")).toBe(298);
    expect(longestRow([rec(1003)], 1, "none")).toBe(1005);
  });
  it("keeps the published 512 for 3' regions and doubles for 5' regions", () => {
    expect(positionsFor(303)).toBe(512);
    expect(positionsFor(512)).toBe(512);
    expect(positionsFor(1006)).toBe(1024);
    expect(positionsFor(1025)).toBe(2048);
  });
});
