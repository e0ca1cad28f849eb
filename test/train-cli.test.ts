import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const CLI = "dist/cli/main.js";

describe.skipIf(!existsSync(CLI))("specieslm train options (built CLI; run `npm run build` first)", () => {
  it.each([
    ["13,", /--mask-stride has an empty entry in "13,"/],
    ["13,x", /--mask-stride must be an integer in \[1, 100000\], got "x"/],
  ])("--mask-stride %s exits 1 with a clear error before reading the corpus", async (value, message) => {
    const d = await mkdtemp(join(tmpdir(), "slm-train-cli-"));
    const out = join(d, "run");
    const r = spawnSync(process.execPath, [CLI, "train", "--corpus", join(d, "no-corpus"), "--out", out, "--mask-stride", value], {
      encoding: "utf8",
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });
});
