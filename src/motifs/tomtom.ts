import { InputError } from "../errors.js";
import type { Motif } from "../pwm/motif.js";
import { reverseComplement } from "./pattern-alignment.js";
import { type ColumnScore, MOTIF_DEFAULTS as D } from "./discovery-defaults.js";

/** Column similarity: Pearson correlation of the two columns' 4 probabilities, or minus their Euclidean distance. */

export interface MatchOptions {
  score?: ColumnScore;
  /** Fewest overlapping columns of an alignment (default 5, lowered to the shorter motif's width). */
  minOverlap?: number;
  /** Also align each target's reverse complement (default true). */
  bothStrands?: boolean;
  /** Column scores are scaled to integers 0..bins before their sums are tabulated (default 100, as Tomtom). */
  bins?: number;
}

export interface MotifMatch {
  readonly query: Motif;
  readonly target: Motif;
  /** Target strand of the best alignment. */
  readonly strand: "+" | "-";
  /** Query column that the target's (oriented) first column sits on; negative when the target starts before the query. */
  readonly offset: number;
  readonly overlap: number;
  /** Best-offset p-value corrected for the offsets (and strands) tried. */
  readonly pValue: number;
  /** pValue x number of database motifs. */
  readonly eValue: number;
  /** Benjamini-Hochberg over this query's matches against the whole database. */
  readonly qValue: number;
}

/**
 * Tomtom-style comparison (Gupta et al. 2007, "incomplete scores"): for one query, every query column is
 * scored against every column of the database (both strands); those scores, scaled to integer bins, are
 * each query column's null distribution. The null of an alignment covering query columns [a, b] is the
 * convolution of those columns' nulls, so a p-value needs no sampling. Each target takes its best
 * offset, corrected for the number of offsets (x2 strands) as 1 - (1 - p)^n.
 * Returns, per query, all database motifs sorted by p-value.
 */
export function matchMotifs(queries: readonly Motif[], db: readonly Motif[], opts: MatchOptions = {}): MotifMatch[][] {
  if (db.length === 0) throw new InputError("motif database is empty: give at least one motif file with motifs (MEME, TRANSFAC, JASPAR or consensus list)");
  const score = opts.score ?? D.matchScore;
  const bins = opts.bins ?? D.matchBins;
  const both = opts.bothStrands ?? D.bothStrands;
  const targets = db.flatMap((m, index): Target[] => [
    { index, strand: "+", width: m.width, probs: m.probs },
    ...(both ? [{ index, strand: "-" as const, width: m.width, probs: reverseComplement(m.probs, m.width) }] : []),
  ]);
  const totalCols = targets.reduce((s, t) => s + t.width, 0);
  return queries.map((q) => {
    const wq = q.width;
    // raw[i * totalCols + c]: query column i vs database column c
    const raw = new Float64Array(wq * totalCols);
    let c0 = 0;
    for (const t of targets) {
      for (let i = 0; i < wq; i++) for (let j = 0; j < t.width; j++) raw[i * totalCols + c0 + j] = columnScore(q.probs, i, t.probs, j, score);
      c0 += t.width;
    }
    let lo = Infinity,
      hi = -Infinity;
    for (const v of raw) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const scale = hi > lo ? bins / (hi - lo) : 0;
    const scaled = new Int32Array(raw.length);
    for (let i = 0; i < raw.length; i++) scaled[i] = Math.round((raw[i]! - lo) * scale);
    const survival = survivalTables(scaled, wq, totalCols, bins);
    const best = new Map<number, { p: number; strand: "+" | "-"; offset: number; overlap: number }>();
    c0 = 0;
    for (const t of targets) {
      const mo = Math.min(opts.minOverlap ?? D.minOverlap, wq, t.width);
      let bestP = Infinity,
        bestOffset = 0,
        bestOverlap = 0;
      // target column j sits on query column j + d
      for (let d = mo - t.width; d <= wq - mo; d++) {
        const a = Math.max(0, d),
          b = Math.min(wq, d + t.width) - 1;
        let s = 0;
        for (let i = a; i <= b; i++) s += scaled[i * totalCols + c0 + (i - d)]!;
        const p = survival[a * wq + b]![s]!;
        if (p < bestP || (p === bestP && b - a + 1 > bestOverlap)) {
          bestP = p;
          bestOffset = d;
          bestOverlap = b - a + 1;
        }
      }
      const configs = (wq + t.width - 2 * mo + 1) * (both ? 2 : 1);
      const p = -Math.expm1(configs * Math.log1p(-Math.min(bestP, 1 - 1e-16)));
      const prev = best.get(t.index);
      if (!prev || p < prev.p) best.set(t.index, { p, strand: t.strand, offset: bestOffset, overlap: bestOverlap });
      c0 += t.width;
    }
    const rows = [...best.entries()].map(([index, b]) => ({ index, ...b })).sort((x, y) => x.p - y.p);
    const qv = benjaminiHochberg(rows.map((r) => r.p));
    return rows.map((r, k) => ({
      query: q,
      target: db[r.index]!,
      strand: r.strand,
      offset: r.offset,
      overlap: r.overlap,
      pValue: r.p,
      eValue: r.p * db.length,
      qValue: qv[k]!,
    }));
  });
}

interface Target {
  readonly index: number;
  readonly strand: "+" | "-";
  readonly width: number;
  readonly probs: Float64Array;
}

function columnScore(a: Float64Array, i: number, b: Float64Array, j: number, score: ColumnScore): number {
  if (score === "euclidean") {
    let s = 0;
    for (let c = 0; c < 4; c++) s += (a[i * 4 + c]! - b[j * 4 + c]!) ** 2;
    return -Math.sqrt(s);
  }
  // Pearson over the 4 letters; both columns sum to 1, so both means are 0.25
  let sab = 0,
    saa = 0,
    sbb = 0;
  for (let c = 0; c < 4; c++) {
    const x = a[i * 4 + c]! - 0.25,
      y = b[j * 4 + c]! - 0.25;
    sab += x * y;
    saa += x * x;
    sbb += y * y;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

/**
 * `tables[a * w + b][s]` = P(sum of the scaled scores of query columns a..b >= s) when each column's
 * score is drawn from its own database column scores (each database column equally likely).
 */
function survivalTables(scaled: Int32Array, w: number, n: number, bins: number): Float64Array[] {
  const hist = Array.from({ length: w }, (_, i) => {
    const h = new Float64Array(bins + 1);
    for (let c = 0; c < n; c++) h[scaled[i * n + c]!]! += 1 / n;
    return h;
  });
  const tables = new Array<Float64Array>(w * w);
  for (let a = 0; a < w; a++) {
    let pmf = Float64Array.of(1);
    for (let b = a; b < w; b++) {
      const next = new Float64Array(pmf.length + bins);
      const h = hist[b]!;
      for (let s = 0; s < pmf.length; s++) {
        const ps = pmf[s]!;
        if (ps === 0) continue;
        for (let v = 0; v <= bins; v++) if (h[v]! > 0) next[s + v]! += ps * h[v]!;
      }
      pmf = next;
      const sv = new Float64Array(pmf.length + 1);
      for (let s = pmf.length - 1; s >= 0; s--) sv[s] = Math.min(1, sv[s + 1]! + pmf[s]!);
      tables[a * w + b] = sv;
    }
  }
  return tables;
}

/** Benjamini-Hochberg q-values of p-values sorted ascending. */
export function benjaminiHochberg(sortedP: readonly number[]): number[] {
  const n = sortedP.length;
  const q = new Array<number>(n);
  let run = 1;
  for (let k = n - 1; k >= 0; k--) {
    run = Math.min(run, (sortedP[k]! * n) / (k + 1));
    q[k] = run;
  }
  return q;
}
