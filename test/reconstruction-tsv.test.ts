import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RECONSTRUCTION_TSV_HEADER, reconstructionTsvRows } from "../src/infer/reconstruction-tsv.js";
import { readReconstructionTsv } from "../src/infer/reconstruction-tsv-reader.js";

// The writer and the reader of the reconstruction table are one format: what one writes, the other reads back.
describe("reconstruction TSV", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "recon-tsv-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const record = fc
    .tuple(fc.stringMatching(/^[A-Za-z0-9_.:-]{1,12}$/), fc.array(fc.constantFrom("A", "C", "G", "T"), { minLength: 1, maxLength: 40 }))
    .chain(([id, bases]) =>
      fc
        .array(
          fc.tuple(
            fc.double({ min: 1e-6, max: 1, noNaN: true }),
            fc.double({ min: 1e-6, max: 1, noNaN: true }),
            fc.double({ min: 1e-6, max: 1, noNaN: true }),
            fc.double({ min: 1e-6, max: 1, noNaN: true }),
          ),
          { minLength: bases.length, maxLength: bases.length },
        )
        .map((rows) => ({
          id,
          sequence: bases.join(""),
          probs: Float32Array.from(
            rows.flatMap((r) => {
              const s = r[0] + r[1] + r[2] + r[3];
              return r.map((v) => v / s);
            }),
          ),
        })),
    );

  it("reads back the ids, bases and probabilities (6 significant digits) it writes", async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(record, { selector: (r) => r.id, minLength: 1, maxLength: 4 }), async (records) => {
        const path = join(dir, `r${n++}.tsv`);
        await writeFile(path, RECONSTRUCTION_TSV_HEADER + records.map((r) => reconstructionTsvRows(r.id, r.sequence, r.probs)).join(""));
        const back = await readReconstructionTsv(path);
        expect(back.map((r) => [r.id, r.sequence])).toEqual(records.map((r) => [r.id, r.sequence]));
        back.forEach((r, i) =>
          r.probs.forEach((v, j) => expect(Math.abs(v - records[i]!.probs[j]!)).toBeLessThanOrEqual(1e-6 * Math.max(1, records[i]!.probs[j]!) + 1e-12)),
        );
      }),
      { numRuns: 40 },
    );
  });
});
