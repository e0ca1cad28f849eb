import { Matrix } from "ml-matrix";
import { encodeBases, INVALID_BASE } from "../alphabet/base-codes.js";
import { InputError } from "../errors.js";
import { blockName, type FeatureBlock, type FeatureSet } from "./feature-spec.js";

/** Overlapping k-mer counts (k-mers touching a non-ACGT base are skipped): [records x 4^k]. */
export function kmerCountMatrix(sequences: readonly string[], k: number): Matrix {
  const mod = 4 ** (k - 1);
  return new Matrix(
    sequences.map((s) => {
      const row = new Float64Array(4 ** k);
      const x = encodeBases(s);
      let code = 0,
        valid = 0;
      for (let i = 0; i < x.length; i++) {
        const b = x[i]!;
        if (b === INVALID_BASE) {
          valid = 0;
          continue;
        }
        code = (code % mod) * 4 + b;
        if (++valid >= k) row[code]! += 1;
      }
      return row;
    }),
  );
}

/** Fraction of G and C among the A, C, G, T bases: [records x 1]. */
export function gcMatrix(sequences: readonly string[]): Matrix {
  const counts = kmerCountMatrix(sequences, 1);
  return Matrix.columnVector(
    sequences.map((_, r) => {
      const [a, c, g, t] = counts.getRow(r);
      const n = a! + c! + g! + t!;
      return n > 0 ? (c! + g!) / n : 0;
    }),
  );
}

/** What features read besides the sequences: table columns and precomputed embeddings. */
export interface FeatureSources {
  readonly sequences: readonly string[];
  readonly numeric: ReadonlyMap<string, Float64Array>;
  readonly ids: readonly string[];
  /** Embedding matrices by source name ([records x hidden]). */
  readonly embeddings: ReadonlyMap<string, Matrix>;
}

function covMatrix(b: Extract<FeatureBlock, { kind: "cov" }>, src: FeatureSources): Matrix {
  const cols = b.columns.map((c) => src.numeric.get(c)!);
  const m = new Matrix(src.ids.length, cols.length);
  for (let r = 0; r < src.ids.length; r++) {
    let sum = 0;
    cols.forEach((col) => (sum += col[r]!));
    if (b.fraction && !(sum > 0))
      throw new InputError(
        `feature ${b.label}: record "${src.ids[r]}" has a row sum of ${sum}, so fractions are undefined; use cov: instead or drop the record`,
      );
    cols.forEach((col, j) => m.set(r, j, b.fraction ? col[r]! / sum : col[r]!));
  }
  return m;
}

/** The block's matrix; blocks are cached by name since sets share them. */
export function blockMatrix(b: FeatureBlock, src: FeatureSources, cache: Map<string, Matrix>): Matrix {
  const key = blockName(b);
  let m = cache.get(key);
  if (m) return m;
  switch (b.kind) {
    case "kmer":
      m = kmerCountMatrix(src.sequences, b.k);
      break;
    case "gc":
      m = gcMatrix(src.sequences);
      break;
    case "length":
      m = Matrix.columnVector(src.sequences.map((s) => s.length));
      break;
    case "cov":
      m = covMatrix(b, src);
      break;
    case "finetune":
      throw new TypeError("finetune:RUN sets have predictions, not features (runReadout reads them)");
    case "embed": {
      const e = b.source ? src.embeddings.get(b.source) : undefined;
      if (!e) throw new InputError(`no embeddings computed for ${key}`);
      m = e;
      break;
    }
  }
  cache.set(key, m);
  return m;
}

/** A feature set's design matrix: its blocks side by side. */
export function featureMatrix(set: FeatureSet, src: FeatureSources, cache: Map<string, Matrix>): Matrix {
  const blocks = set.blocks.map((b) => blockMatrix(b, src, cache));
  return blocks.slice(1).reduce(concatColumns, blocks[0]!);
}

function concatColumns(a: Matrix, b: Matrix): Matrix {
  const out = new Matrix(a.rows, a.columns + b.columns);
  out.setSubMatrix(a, 0, 0);
  out.setSubMatrix(b, 0, a.columns);
  return out;
}
