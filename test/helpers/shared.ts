import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** ../shared beside the repository root (present in CI; tests that need it skip without it). */
export const SHARED = fileURLToPath(new URL("../../../shared/", import.meta.url));
export const FIXTURE = `${SHARED}fixtures/tiny-specieslm/`;
export const HAS_SHARED = existsSync(`${SHARED}fixtures/tiny-specieslm/expected.safetensors`);
export const SKIP_REASON = "../shared is absent: fixture and data tests skipped";

/** One of the fixture's reference sequences (cases.json); species null: none given. */
export interface FixtureCase {
  name: string;
  sequence: string;
  species: string | null;
}

/** The fixture's cases whose name matches `names`, in file order. */
export function fixtureCases(names: RegExp): FixtureCase[] {
  return (JSON.parse(readFileSync(`${FIXTURE}cases.json`, "utf8")) as { cases: FixtureCase[] }).cases.filter((c) => names.test(c.name));
}

/** Largest absolute difference, for messages that say how far off a comparison was. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
