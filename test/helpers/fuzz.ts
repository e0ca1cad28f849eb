import fc from "fast-check";
import { SpeciesLmError } from "../../src/errors.js";
import { mulberry32 } from "../../src/rng.js";

/**
 * Property-based fuzzing of parsers with fast-check: inputs are random byte strings (shrunk to a
 * minimal failing input by fast-check), or structured mutations of valid inputs drawn from a seed
 * (truncations, byte flips, inserted, deleted or duplicated lines, numbers replaced by huge or odd
 * ones). The property: the parser returns, or throws one of the project's typed errors
 * (SpeciesLmError), within `maxMs` per input.
 */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 42);
/** Inputs per parser: FUZZ_RUNS for a long run, else the CI count given by the test. */
export const fuzzRuns = (ci: number): number => Number(process.env.FUZZ_RUNS ?? ci);

type Rng = ReturnType<typeof mulberry32>;
export type { Rng };

const TOKENS = [
  "",
  "\t",
  "\n",
  "\r\n",
  " ",
  ">",
  "#",
  "##",
  ";",
  "=",
  ",",
  '"',
  "'",
  ".",
  "+",
  "-",
  "?",
  "%",
  "%zz",
  "0",
  "1",
  "-1",
  "1.5",
  "99999999999999999999",
  "1e400",
  "-1e400",
  "NaN",
  "Infinity",
  "-0",
  "0x10",
  "4294967295",
  "18446744073709551616",
  "9007199254740993",
  "null",
  "true",
  "[]",
  "{}",
  "[[",
  "}}",
  "\u0000",
  "\u00ff",
  "\ud83e\udde9",
  "é",
  "ACGT",
  "NNNN",
  "acgt",
  "XYZ",
  "__proto__",
  "constructor",
];

const HUGE = ["99999999999999999999", "1e400", "-1", "-99999999999", "0", "4294967295", "18446744073709551615", "NaN", "1.5", "1e-400", "2147483648"];

/** One structured mutation of `valid` (a text or binary file's bytes). */
function mutate(rng: Rng, valid: Uint8Array): Uint8Array {
  const kind = rng.int(8);
  if (kind === 0) return valid.subarray(0, rng.int(valid.length + 1)); // truncation
  if (kind === 1) {
    // byte flips
    const out = Uint8Array.from(valid);
    for (let k = 1 + rng.int(4); k > 0 && out.length > 0; k--)
      out[rng.int(out.length)] = rng.next() < 0.5 ? rng.int(256) : out[rng.int(out.length)]! ^ (1 << rng.int(8));
    return out;
  }
  if (kind === 2 && valid.length >= 8) {
    // a little-endian integer field overwritten with an extreme value
    const out = Uint8Array.from(valid);
    const at = rng.int(valid.length - 3);
    const v = [0xffffffff, 0x7fffffff, 0, 0x80000000, rng.int(0x10000)][rng.int(5)]!;
    new DataView(out.buffer).setUint32(at, v >>> 0, true);
    return out;
  }
  const text = Buffer.from(valid).toString("latin1");
  const lines = text.split("\n");
  const at = rng.int(lines.length + 1);
  if (kind === 3)
    lines.splice(at, 0, Array.from({ length: 1 + rng.int(6) }, () => TOKENS[rng.int(TOKENS.length)]).join(rng.next() < 0.5 ? "\t" : "")); // inserted line
  else if (kind === 4)
    lines.splice(at, 1); // deleted line
  else if (kind === 5 && lines.length > 0)
    lines.splice(at, 0, lines[rng.int(lines.length)]!); // duplicated line
  else if (kind === 6) {
    // numbers replaced by huge or odd ones
    let n = 0;
    return Buffer.from(
      text.replace(/-?\d+(\.\d+)?(e-?\d+)?/g, (m) => (rng.next() < 0.3 && n++ < 4 ? HUGE[rng.int(HUGE.length)]! : m)),
      "latin1",
    );
  } else {
    // a token spliced into a line
    const i = rng.int(lines.length),
      line = lines[i] ?? "";
    const p = rng.int(line.length + 1);
    lines[i] = line.slice(0, p) + TOKENS[rng.int(TOKENS.length)] + line.slice(p + (rng.next() < 0.5 ? 0 : 1 + rng.int(3)));
  }
  return Buffer.from(lines.join("\n"), "latin1");
}

const ODD_VALUES: unknown[] = [
  -1,
  0,
  0.5,
  1.5,
  1e300,
  -1e300,
  2 ** 53 + 1,
  4294967296,
  1e-320,
  "x",
  "",
  "1",
  null,
  true,
  [],
  {},
  [1, 2],
  [-1, 3],
  [0.5],
  [[1]],
  { a: 1 },
  [2 ** 40, 2 ** 40],
];

/** A JSON value with one node replaced by an odd value, deleted, or given an extra key. */
export function mutateJson(rng: Rng, value: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(value)) as unknown;
  const nodes: Array<{ parent: Record<string, unknown> | unknown[]; key: string | number }> = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      v.forEach((x, i) => {
        nodes.push({ parent: v, key: i });
        walk(x);
      });
    } else if (v && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) {
        nodes.push({ parent: v as Record<string, unknown>, key: k });
        walk(x);
      }
    }
  };
  walk(copy);
  if (nodes.length === 0 || rng.next() < 0.05) return ODD_VALUES[rng.int(ODD_VALUES.length)];
  for (let k = 1 + rng.int(3); k > 0; k--) {
    const { parent, key } = nodes[rng.int(nodes.length)]!;
    const op = rng.int(6);
    if (op === 0 && !Array.isArray(parent)) delete (parent as Record<string, unknown>)[key as string];
    else if (op === 1 && !Array.isArray(parent)) (parent as Record<string, unknown>)[`k${rng.int(5)}`] = ODD_VALUES[rng.int(ODD_VALUES.length)];
    else (parent as Record<string | number, unknown>)[key] = ODD_VALUES[rng.int(ODD_VALUES.length)];
  }
  return copy;
}

export interface FuzzFailure {
  /** The input, as a JSON string of its latin1 text (bytes 0-255 one per character). */
  readonly input: string;
  readonly error: string;
}

export interface FuzzReport {
  readonly tried: number;
  readonly accepted: number;
  readonly typed: number;
  readonly untyped: FuzzFailure[];
  readonly slow: FuzzFailure[];
}

/** Runs `parse` on `runs` inputs: a quarter random bytes, the rest mutations of `valid` (byte- or line-level, or `structured`'s). */
export async function fuzzParser(
  parse: (bytes: Uint8Array) => unknown | Promise<unknown>,
  valid: readonly Uint8Array[],
  opts: { runs: number; seed?: number; maxLen?: number; maxMs?: number; structured?: (rng: Rng) => Uint8Array },
): Promise<FuzzReport> {
  const maxMs = opts.maxMs ?? 2000;
  const random = fc.uint8Array({ maxLength: opts.maxLen ?? 300 });
  const mutated = fc.tuple(fc.nat(), fc.integer()).map(([i, seed]) => mutate(mulberry32(seed), valid[i % valid.length]!));
  const structured = opts.structured ? fc.integer().map((seed) => opts.structured!(mulberry32(seed))) : undefined;
  const input =
    valid.length === 0
      ? random
      : fc.oneof({ weight: 1, arbitrary: random }, ...(structured ? [{ weight: 1, arbitrary: structured }] : []), {
          weight: structured ? 1 : 3,
          arbitrary: mutated,
        });
  let accepted = 0,
    typed = 0,
    tried = 0;
  const untyped: FuzzFailure[] = [],
    slow: FuzzFailure[] = [];
  const show = (bytes: Uint8Array) => JSON.stringify(Buffer.from(bytes).toString("latin1"));
  const details = await fc.check(
    fc.asyncProperty(input, async (bytes) => {
      tried++;
      const t0 = performance.now();
      try {
        await parse(bytes);
        accepted++;
      } catch (err) {
        if (!(err instanceof SpeciesLmError)) {
          untyped.push({ input: show(bytes), error: `${(err as Error)?.name}: ${(err as Error)?.message}`.slice(0, 300) });
          return false;
        }
        typed++;
      }
      const ms = performance.now() - t0;
      if (ms > maxMs) {
        slow.push({ input: show(bytes).slice(0, 300), error: `${ms.toFixed(0)} ms` });
        return false;
      }
      return true;
    }),
    { seed: opts.seed ?? FUZZ_SEED, numRuns: opts.runs, endOnFailure: false },
  );
  // fast-check shrinks a failure: its last recorded input is the smallest counterexample.
  if (details.failed && details.counterexample) untyped.push({ input: show(details.counterexample[0]), error: "smallest counterexample" });
  return { tried, accepted, typed, untyped, slow };
}
