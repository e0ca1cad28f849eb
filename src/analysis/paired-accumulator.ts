import type { NucleotideScores } from "./nucleotide-scores.js";
import type { PairedComparison } from "../report/report-types.js";
import { mulberry32 } from "../rng.js";
import { mcnemarTest, quantileSorted } from "../stats/stats.js";

/**
 * Paired comparison of models A and B on the same nucleotides: discordant-correctness counts for
 * McNemar's test, and per-record (sum of CE differences, nucleotide count) for a bootstrap over records:
 * records, not nucleotides, are the independent units (neighbouring nucleotides share context).
 * Memory: two numbers per record.
 */
export class PairedAccumulator {
  readonly a: string;
  readonly b: string;
  private onlyA = 0;
  private onlyB = 0;
  private nucleotides = 0;
  private recDiff = new Float64Array(1024);
  private recN = new Float64Array(1024);
  private records = 0;

  constructor(a: string, b: string) {
    this.a = a;
    this.b = b;
  }

  add(sa: NucleotideScores, sb: NucleotideScores): void {
    let diff = 0,
      n = 0;
    for (let i = 0; i < sa.scored.length; i++) {
      if (!sa.scored[i]) continue;
      const ca = sa.correct[i]!,
        cb = sb.correct[i]!;
      if (ca > cb) this.onlyA++;
      else if (cb > ca) this.onlyB++;
      diff += sa.nll[i]! - sb.nll[i]!;
      n++;
    }
    if (this.records === this.recDiff.length) {
      const grow = (x: Float64Array) => {
        const y = new Float64Array(x.length * 2);
        y.set(x);
        return y;
      };
      this.recDiff = grow(this.recDiff);
      this.recN = grow(this.recN);
    }
    this.recDiff[this.records] = diff;
    this.recN[this.records] = n;
    this.records++;
    this.nucleotides += n;
  }

  /** Percentile bootstrap (resampling records with replacement) of the per-nucleotide CE difference. */
  finish(samples = 1000, seed = 12345): PairedComparison {
    const { p, method } = mcnemarTest(this.onlyA, this.onlyB);
    let totalDiff = 0;
    for (let r = 0; r < this.records; r++) totalDiff += this.recDiff[r]!;
    const mean = this.nucleotides > 0 ? totalDiff / this.nucleotides : NaN;
    const rand = mulberry32(seed).next;
    const boot = new Float64Array(samples);
    const R = this.records;
    for (let s = 0; s < samples; s++) {
      let d = 0,
        n = 0;
      for (let k = 0; k < R; k++) {
        const r = Math.floor(rand() * R);
        d += this.recDiff[r]!;
        n += this.recN[r]!;
      }
      boot[s] = n > 0 ? d / n : 0;
    }
    boot.sort();
    let below = 0,
      above = 0;
    for (const v of boot) {
      if (v <= 0) below++;
      if (v >= 0) above++;
    }
    const bootstrapP = R > 0 ? Math.min(1, (2 * Math.min(below, above) + 1) / (samples + 1)) : 1;
    return {
      a: this.a,
      b: this.b,
      nucleotides: this.nucleotides,
      onlyA: this.onlyA,
      onlyB: this.onlyB,
      mcnemarP: p,
      mcnemarMethod: method,
      ceDifference: mean,
      ceDifferenceCi95: [quantileSorted(boot, 0.025), quantileSorted(boot, 0.975)],
      bootstrapP,
      bootstrapSamples: samples,
      seed,
    };
  }
}
