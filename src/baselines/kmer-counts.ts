import { INVALID_BASE } from "../alphabet/base-codes.js";

/**
 * Counts of (context, centre base) for a bidirectional k-mer model with up to `left` bases of left
 * context and `right` bases of right context, for ONE species (or the pooled set).
 *
 * Every context shape (l, r) with l <= left and r <= right gets its own table, and each training position
 * is counted into every shape that fits around it. So a position 2 nt from the sequence start (or from an
 * N) still contributes to all shapes with l <= 2, and prediction there uses the largest shape that fits:
 * no special edge rules, and near-end predictions use tables estimated from all positions.
 *
 * Layout: one flat `Uint32Array`; shape (l, r) starts at `shapeOffset[l * (right + 1) + r]` and holds
 * `4^(l + r) * 4` counts indexed `(leftCode * 4^r + rightCode) * 4 + centre`, where
 * leftCode = sum_{k=1..l} x[i-k] * 4^(k-1) (nearest base least significant) and likewise rightCode
 * = sum_{k=1..r} x[i+k] * 4^(k-1). Bases are coded A=0, C=1, G=2, T=3.
 * Memory: 4 * (sum_l 4^l) * (sum_r 4^r) counts, e.g. 7.45 M (30 MB) for (5, 5), 1,764 for (2, 2).
 */
export const MAX_SIDE_ORDER = 6;

export class KmerCounts {
  readonly left: number;
  readonly right: number;
  readonly counts: Uint32Array;
  readonly shapeOffset: Int32Array;
  /** Positions counted (centre base valid), i.e. entries added to the (0, 0) table. */
  positions = 0;
  sequences = 0;
  private readonly pow4: Int32Array;
  private readonly lc: Int32Array;
  private readonly rc: Int32Array;

  constructor(left: number, right: number, counts?: Uint32Array) {
    if (!Number.isInteger(left) || !Number.isInteger(right) || left < 0 || right < 0 || left > MAX_SIDE_ORDER || right > MAX_SIDE_ORDER) {
      throw new RangeError(`k-mer context sizes must be integers in 0..${MAX_SIDE_ORDER}, got left=${left} right=${right}`);
    }
    this.left = left;
    this.right = right;
    this.pow4 = new Int32Array(2 * MAX_SIDE_ORDER + 2);
    for (let k = 0; k < this.pow4.length; k++) this.pow4[k] = 4 ** k;
    this.shapeOffset = new Int32Array((left + 1) * (right + 1));
    let total = 0;
    for (let l = 0; l <= left; l++) {
      for (let r = 0; r <= right; r++) {
        this.shapeOffset[l * (right + 1) + r] = total;
        total += 4 ** (l + r) * 4;
      }
    }
    if (counts && counts.length !== total) {
      throw new RangeError(`counts length ${counts.length} does not match (${left}, ${right}) layout of ${total}`);
    }
    this.counts = counts ?? new Uint32Array(total);
    this.lc = new Int32Array(left + 1);
    this.rc = new Int32Array(right + 1);
  }

  /** Adds every position of one coded sequence (see `encodeBases`); invalid centres are skipped. */
  addSequence(x: Uint8Array): void {
    const L = x.length;
    const runRight = validRunsToTheRight(x, this.right);
    const { counts, shapeOffset, pow4, lc, rc, right } = this;
    let runLeft = 0; // valid bases immediately left of i, capped at `left`
    for (let i = 0; i < L; i++) {
      const c = x[i]!;
      if (c !== INVALID_BASE) {
        const a = runLeft;
        const b = runRight[i + 1]!;
        this.fillCodes(x, i, a, b);
        for (let l = 0; l <= a; l++) {
          const rowBase = l * (right + 1);
          const lcode = lc[l]!;
          for (let r = 0; r <= b; r++) {
            const idx = shapeOffset[rowBase + r]! + (lcode * pow4[r]! + rc[r]!) * 4 + c;
            counts[idx]!++;
          }
        }
        this.positions++;
        runLeft = runLeft < this.left ? runLeft + 1 : this.left;
      } else {
        runLeft = 0;
      }
    }
    this.sequences++;
  }

  /**
   * Writes into `lc[0..a]` and `rc[0..b]` the left/right context codes of position i for every
   * context length up to the available a, b.
   */
  private fillCodes(x: Uint8Array, i: number, a: number, b: number): void {
    const { lc, rc, pow4 } = this;
    lc[0] = 0;
    for (let k = 1; k <= a; k++) lc[k] = lc[k - 1]! + x[i - k]! * pow4[k - 1]!;
    rc[0] = 0;
    for (let k = 1; k <= b; k++) rc[k] = rc[k - 1]! + x[i + k]! * pow4[k - 1]!;
  }

  /** Adds another table of the same shape into this one (pooling species). */
  addCounts(other: KmerCounts): void {
    if (other.left !== this.left || other.right !== this.right) {
      throw new RangeError(`cannot add (${other.left}, ${other.right}) counts to (${this.left}, ${this.right}) counts`);
    }
    const a = this.counts;
    const b = other.counts;
    for (let k = 0; k < a.length; k++) a[k]! += b[k]!;
    this.positions += other.positions;
    this.sequences += other.sequences;
  }

  /**
   * Fills `out[o..o+4]` with P(x_i | context) for every position of `x` (writes `[L, 4]` into out).
   * Uses the largest shape (a, b) that fits (a = valid bases to the left capped at `left`, same right),
   * smoothed along a chain of shrinking shapes: p_s(c) = (n_s(c) + 4·alpha·p_{s'}(c)) / (N_s + 4·alpha),
   * where s' drops one base from the longer side of s (left on ties) and p below (0, 0) is uniform.
   * With `prior: "uniform"` every shape is smoothed straight towards 1/4 (classic add-alpha).
   */
  predictSequence(x: Uint8Array, out: Float32Array, alpha: number, uniformPrior: boolean): void {
    const L = x.length;
    const runRight = validRunsToTheRight(x, this.right);
    const p = new Float64Array(4);
    let runLeft = 0;
    for (let i = 0; i < L; i++) {
      const a = runLeft;
      const b = runRight[i + 1]!;
      this.fillCodes(x, i, a, b);
      this.smoothedDistribution(a, b, alpha, uniformPrior, p);
      const o = i * 4;
      out[o] = p[0]!;
      out[o + 1] = p[1]!;
      out[o + 2] = p[2]!;
      out[o + 3] = p[3]!;
      runLeft = x[i] === INVALID_BASE ? 0 : Math.min(runLeft + 1, this.left);
    }
  }

  /** Distribution for shape (a, b) with codes already in lc/rc; see predictSequence. */
  private smoothedDistribution(a: number, b: number, alpha: number, uniformPrior: boolean, p: Float64Array): void {
    p.fill(0.25);
    const chain = uniformPrior ? [[a, b] as const] : backoffChain(a, b);
    const { counts, shapeOffset, pow4, lc, rc, right } = this;
    const prior = 4 * alpha;
    for (const [l, r] of chain) {
      const base = shapeOffset[l * (right + 1) + r]! + (lc[l]! * pow4[r]! + rc[r]!) * 4;
      const n0 = counts[base]!,
        n1 = counts[base + 1]!,
        n2 = counts[base + 2]!,
        n3 = counts[base + 3]!;
      const denom = n0 + n1 + n2 + n3 + prior;
      if (denom === 0) continue; // alpha 0 and unseen context: keep the shorter context's estimate
      p[0] = (n0 + prior * p[0]!) / denom;
      p[1] = (n1 + prior * p[1]!) / denom;
      p[2] = (n2 + prior * p[2]!) / denom;
      p[3] = (n3 + prior * p[3]!) / denom;
    }
  }
}

/** Shapes from (0, 0) up to (a, b); read downwards, each step drops a base from the longer side (left on ties). */
export function backoffChain(a: number, b: number): Array<readonly [number, number]> {
  const key = a * 16 + b;
  const cached = CHAINS.get(key);
  if (cached) return cached;
  const chain: Array<readonly [number, number]> = [];
  let l = a,
    r = b;
  for (;;) {
    chain.push([l, r]);
    if (l === 0 && r === 0) break;
    if (l >= r && l > 0) l--;
    else r--;
  }
  chain.reverse();
  CHAINS.set(key, chain);
  return chain;
}
const CHAINS = new Map<number, Array<readonly [number, number]>>();

/** runs[j] = number of consecutive valid bases starting at j, capped at `cap` (runs[L] = 0). */
function validRunsToTheRight(x: Uint8Array, cap: number): Uint8Array {
  const runs = new Uint8Array(x.length + 1);
  for (let j = x.length - 1; j >= 0; j--) {
    runs[j] = x[j] === INVALID_BASE ? 0 : Math.min(runs[j + 1]! + 1, cap);
  }
  return runs;
}
