import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { publishedCheckpointAt } from "../src/hub/published-region.js";
import { loadModelFolder } from "../src/model/model-folder.js";
import { FIXTURE, HAS_SHARED } from "./helpers/shared.js";

describe.skipIf(!HAS_SHARED)("published checkpoints in the Hugging Face cache get their region", () => {
  const root = mkdtempSync(join(tmpdir(), "slm-published-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  /** A cache snapshot of the fixture under `repo`, with refs pointing revisions at its commit. */
  const snapshot = (repo: string, refs: Record<string, string>, commit = "0123abcd") => {
    const repoDir = join(root, `models--${repo.replace("/", "--")}`);
    const dir = join(repoDir, "snapshots", commit);
    mkdirSync(join(repoDir, "refs"), { recursive: true });
    for (const [rev, c] of Object.entries(refs)) writeFileSync(join(repoDir, "refs", rev), c);
    cpSync(`${FIXTURE}model`, dir, { recursive: true });
    return dir;
  };

  it("a snapshot that upstream_species_lm points to is a 5' model of 1,003 nt", async () => {
    const dir = snapshot("gagneurlab/SpeciesLM", { upstream_species_lm: "0123abcd", main: "ffff" });
    expect(publishedCheckpointAt(dir)?.alias).toBe("specieslm-5p");
    const folder = await loadModelFolder(dir);
    expect(folder.config.region).toBe("five_prime");
    expect(folder.config.regionLength).toBe(1003);
  });

  it("another revision, another repository or a plain folder keeps what config.json says", async () => {
    expect(publishedCheckpointAt(snapshot("gagneurlab/SpeciesLM", { downstream_species_lm: "4567cdef" }, "4567cdef"))?.region).toBe("three_prime");
    expect(publishedCheckpointAt(snapshot("someone/SpeciesLM", { upstream_species_lm: "0123abcd" }))).toBeUndefined();
    expect(publishedCheckpointAt(snapshot("gagneurlab/SpeciesLM", { upstream_species_lm: "99999999" }, "77777777"))).toBeUndefined();
    expect((await loadModelFolder(`${FIXTURE}model`)).config.region).toBeUndefined();
  });
});
