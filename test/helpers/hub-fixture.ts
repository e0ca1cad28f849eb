import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { HostTensor } from "../../src/host-tensor.js";
import { readSafetensors } from "../../src/model/safetensors.js";
import { FakeHub, revisionFromDir } from "./hub-server.js";
import { FIXTURE, maxAbsDiff, fixtureCases } from "./shared.js";

export const REPO = "test-org/tiny-specieslm";
export const REV = "downstream_species_lm";
export const GATED = "test-org/gated-specieslm";

/** The fixture model under REPO@REV, plus revisions that are not SpeciesLM folders and a gated copy. */
export function fixtureHub(): FakeHub {
  const model = `${FIXTURE}model`;
  return new FakeHub({
    [REPO]: {
      revisions: {
        [REV]: revisionFromDir(model, "tiny"),
        "no-config": revisionFromDir(model, "no-config", (f) => f !== "config.json"),
        "no-weights": revisionFromDir(model, "no-weights", (f) => !/\.(bin|safetensors)$/.test(f)),
      },
    },
    [GATED]: { gated: true, revisions: { main: revisionFromDir(model, "gated") } },
  });
}

/** A scratch folder with the fixture's case0/1/3 as FASTA, and a check of a reconstruct TSV against the PyTorch reference. */
export async function reconstructionCheck(): Promise<{ dir: string; fasta: string; maxDiff(tsv: string): number; cleanup(): void }> {
  const dir = mkdtempSync(join(tmpdir(), "specieslm-hub-"));
  const cases = fixtureCases(/^case[013]$/);
  const fasta = join(dir, "in.fa");
  writeFileSync(fasta, cases.map((c) => `>${c.name} species=${c.species}\n${c.sequence}\n`).join(""));
  const expected: Map<string, HostTensor> = (await readSafetensors(`${FIXTURE}expected.safetensors`)).tensors;
  return {
    dir,
    fasta,
    maxDiff(tsv) {
      const rows = readFileSync(tsv, "utf8").trim().split("\n");
      if (rows[0] !== "id\tpos\tref\tA\tC\tG\tT") return Infinity;
      return Math.max(
        ...cases.map((c) => {
          const mine = rows.filter((r) => r.startsWith(`${c.name}\t`)).flatMap((r) => r.split("\t").slice(3).map(Number));
          return maxAbsDiff(mine, expected.get(`${c.name}.reconstruction`)!.data as Float32Array);
        }),
      );
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * The environment of a CLI run against the test Hub at `endpoint`: its own cache, HF_HOME, no token and
 * not offline unless `extra` says otherwise.
 */
export function testHubEnv(endpoint: string, home: string, cache: string, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { HF_ENDPOINT: endpoint, HF_HUB_CACHE: cache, HF_HOME: home, HF_TOKEN: undefined, HF_HUB_OFFLINE: undefined, ...extra };
}

/** A URL on 127.0.0.1 where nothing listens (connection refused). */
export async function deadEndpoint(): Promise<string> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return `http://127.0.0.1:${port}`;
}
