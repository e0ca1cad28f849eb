import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { walkBgzf } from "../../test/helpers/bgzf.js";
import { mulberry32 } from "../rng.js";
import { withAtomicWriter, writeFileAtomic } from "./atomic-write.js";
import { compressionOfHeader } from "./compression.js";

describe("BGZF outputs (.gz names)", () => {
  it("writeFileAtomic and the streaming writer write valid BGZF that decodes to the input, for any cut of the input", async () => {
    const dir = mkdtempSync(join(tmpdir(), "slm-bgzf-"));
    try {
      const rng = mulberry32(27);
      // Sizes around the block boundary, empty, and long runs; text-like and random bytes.
      for (const n of [0, 1, 0xff00 - 1, 0xff00, 0xff00 + 1, 3 * 0xff00 + 17, 200_000]) {
        const text = rng.next() < 0.5;
        const data = Uint8Array.from({ length: n }, () => (text ? "ACGT\t\n"[rng.int(6)]!.charCodeAt(0) : rng.int(256)));
        const cuts = Array.from({ length: rng.int(8) }, () => rng.int(n + 1));
        await writeFileAtomic(join(dir, "a.tsv.gz"), data);
        const whole = readFileSync(join(dir, "a.tsv.gz"));
        expect(compressionOfHeader(whole)).toBe("bgzf");
        const walked = walkBgzf(whole);
        expect(walked.data.equals(Buffer.from(data))).toBe(true);
        expect(walked.blocks).toBe(Math.ceil(data.length / 0xff00) + 1);
        expect(gunzipSync(whole).equals(Buffer.from(data))).toBe(true);
        const at = [0, ...cuts.sort((x, y) => x - y), data.length];
        await withAtomicWriter(join(dir, "b.vcf.gz"), async (w) => {
          for (let i = 1; i < at.length; i++) await w.write(data.subarray(at[i - 1]!, at[i]!));
        });
        expect(readFileSync(join(dir, "b.vcf.gz")).equals(whole)).toBe(true);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
