import { readFile } from "node:fs/promises";
import { ParseError, UnknownSpeciesError } from "../errors.js";
import { encodeBases, INVALID_BASE } from "../alphabet/base-codes.js";
import type { NucleotideProbs, NucleotidePredictor, SequenceRecord } from "./nucleotide-predictor.js";

/**
 * The exact reconstruction ceiling for sequences drawn from a known order-2 Markov chain (the sim12
 * background): P(x_i | all other bases) = P(x_i | x_{i-2}, x_{i-1}, x_{i+1}, x_{i+2})
 *   ∝ T(x_i | x_{i-2}, x_{i-1}) · T(x_{i+1} | x_{i-1}, x_i) · T(x_{i+2} | x_i, x_{i+1}),
 * since the joint is π(x_0, x_1) · Π_{j>=2} T(x_j | x_{j-2}, x_{j-1}) and only those factors contain x_i.
 * Positions 0 and 1 use the chain's stationary pair distribution π for the start (an assumption: how the
 * simulator started its chains is not recorded); factors past the sequence end are simply absent.
 * Factors that touch an N are dropped (then it is no longer exact, but sim12 has no N).
 * Motif sites are not drawn from the chain, so the ceiling is exact only on background positions.
 */
export interface Order2Chain {
  /** `[16, 4]` row-major: row prev2*4+prev1, columns A,C,G,T. */
  readonly transition: Float64Array;
  /** `[4, 4]` stationary distribution of consecutive pairs (x_j, x_{j+1}). */
  readonly stationaryPairs: Float64Array;
}

export function order2Chain(rows: readonly (readonly number[])[]): Order2Chain {
  if (rows.length !== 16 || rows.some((r) => r.length !== 4)) throw new RangeError("an order-2 chain needs 16 rows of 4 probabilities");
  const transition = new Float64Array(64);
  rows.forEach((r, i) => {
    const s = r.reduce((a, b) => a + b, 0);
    r.forEach((v, c) => (transition[i * 4 + c] = v / s));
  });
  return { transition, stationaryPairs: stationaryPairs(transition) };
}

/** Power iteration of the pair chain (a,b) -> (b,c) from uniform; these chains mix in tens of steps. */
function stationaryPairs(t: Float64Array): Float64Array {
  let pi: Float64Array = new Float64Array(16).fill(1 / 16);
  for (let it = 0; it < 2000; it++) {
    const next = new Float64Array(16);
    for (let ab = 0; ab < 16; ab++) {
      const b = ab & 3;
      for (let c = 0; c < 4; c++) next[b * 4 + c]! += pi[ab]! * t[ab * 4 + c]!;
    }
    let diff = 0;
    for (let k = 0; k < 16; k++) diff += Math.abs(next[k]! - pi[k]!);
    pi = next;
    if (diff < 1e-14) break;
  }
  return pi;
}

/** Fills `out` (`[L, 4]`) with the exact full conditional of every position under `chain`. */
export function chainConditionals(chain: Order2Chain, x: Uint8Array, out: Float32Array): void {
  const { transition: T, stationaryPairs: pi } = chain;
  const L = x.length;
  const w = new Float64Array(4);
  const y = new Uint8Array(5); // x[i-2..i+2] with x_i substituted; INVALID_BASE outside the sequence
  for (let i = 0; i < L; i++) {
    for (let c = 0; c < 4; c++) {
      for (let k = -2; k <= 2; k++) y[k + 2] = k === 0 ? c : i + k >= 0 && i + k < L ? x[i + k]! : INVALID_BASE;
      let s = 1;
      for (let j = i; j <= i + 2; j++) {
        if (j < 2 || j >= L) continue;
        const a = y[j - i]!,
          b = y[j - i + 1]!,
          d = y[j - i + 2]!;
        if (a === INVALID_BASE || b === INVALID_BASE || d === INVALID_BASE) continue;
        s *= T[(a * 4 + b) * 4 + d]!;
      }
      if (i <= 1) s *= startFactor(pi, y[2 - i]!, y[3 - i]!);
      w[c] = s;
    }
    const z = w[0]! + w[1]! + w[2]! + w[3]!;
    for (let c = 0; c < 4; c++) out[i * 4 + c] = z > 0 ? w[c]! / z : 0.25;
  }
}

/** π(x_0, x_1), marginalising a missing or invalid partner. */
function startFactor(pi: Float64Array, x0: number, x1: number): number {
  if (x0 === INVALID_BASE && x1 === INVALID_BASE) return 1;
  if (x1 === INVALID_BASE) return pi[x0 * 4]! + pi[x0 * 4 + 1]! + pi[x0 * 4 + 2]! + pi[x0 * 4 + 3]!;
  if (x0 === INVALID_BASE) return pi[x1]! + pi[4 + x1]! + pi[8 + x1]! + pi[12 + x1]!;
  return pi[x0 * 4 + x1]!;
}

/** Predictor that applies each species' true chain (unknown species are an error: there is no truth). */
export class MarkovCeilingPredictor implements NucleotidePredictor {
  readonly name: string;
  readonly chains: ReadonlyMap<string, Order2Chain>;

  constructor(chains: ReadonlyMap<string, Order2Chain>, name = "ceiling") {
    this.chains = chains;
    this.name = name;
  }

  predict(record: SequenceRecord): NucleotideProbs {
    const chain = this.chains.get(record.species);
    if (!chain) throw new UnknownSpeciesError(record.species, [...this.chains.keys()].slice(0, 5), `the Markov ceiling (record ${record.id})`);
    const out = new Float32Array(record.sequence.length * 4);
    chainConditionals(chain, encodeBases(record.sequence), out);
    return out;
  }
}

/** Reads sim12-style `truth.json` (`species.<name>.background_order2`: 16 x 4). */
export async function loadMarkovCeiling(truthJsonPath: string): Promise<MarkovCeilingPredictor> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(truthJsonPath, "utf8"));
  } catch (err) {
    throw new ParseError(truthJsonPath, `not valid JSON (${(err as Error).message})`, undefined, { cause: err });
  }
  const species = (raw as { species?: Record<string, { background_order2?: number[][] }> }).species;
  if (!species) throw new ParseError(truthJsonPath, `no "species" object; expected a sim12 truth.json`);
  const chains = new Map<string, Order2Chain>();
  for (const [name, s] of Object.entries(species)) {
    if (!s.background_order2) throw new ParseError(truthJsonPath, `species "${name}" has no background_order2 table`);
    try {
      chains.set(name, order2Chain(s.background_order2));
    } catch (err) {
      throw new ParseError(truthJsonPath, `species "${name}": ${(err as Error).message}`, undefined, { cause: err });
    }
  }
  return new MarkovCeilingPredictor(chains);
}
