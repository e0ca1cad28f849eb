import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultBatchRows } from "../src/runtime/batch-rows.js";

describe("default rows per forward pass", () => {
  it("keeps the default up to 512 positions and scales it by (512 / positions)^2 above", () => {
    expect([300, 512].map((p) => defaultBatchRows(p, 32))).toEqual([32, 32]);
    expect(defaultBatchRows(1024, 32)).toBe(8);
    expect(defaultBatchRows(1024, 30)).toBe(7);
    expect(defaultBatchRows(2048, 32)).toBe(2);
    expect(defaultBatchRows(100_000, 64)).toBe(1);
  });

  it("keeps rows x positions^2 (attention memory) within the 512-position budget, and at least one row", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 1, max: 256 }), (positions, rows) => {
        const r = defaultBatchRows(positions, rows);
        expect(r).toBeGreaterThanOrEqual(1);
        expect(r).toBeLessThanOrEqual(rows);
        if (r > 1) expect(r * Math.max(positions, 512) ** 2).toBeLessThanOrEqual(rows * 512 ** 2);
      }),
    );
  });
});
