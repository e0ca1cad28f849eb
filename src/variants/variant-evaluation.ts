import { InputError, ParseError } from "../errors.js";
import { readLines } from "../io/byte-stream.js";
import { auprc, auroc, delongTest, pearson, spearman, type AurocResult, type Correlation } from "../stats/roc.js";
import { SCORE_NAMES } from "./scores.js";

/** A scores table as `variants` writes it (the header may start with #CHROM for VCF input). */
export interface ScoreTable {
  readonly path: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

export async function readScoreTable(path: string): Promise<ScoreTable> {
  let columns: string[] | undefined;
  const rows: string[][] = [];
  for await (const { text, lineNo } of readLines(path, "variant scores table")) {
    if (text.trim() === "" || text.startsWith("##")) continue;
    const f = text.split("\t").map((x) => x.trim());
    if (!columns) {
      columns = f.map((c) => c.replace(/^#/, ""));
      continue;
    }
    if (f.length !== columns.length) throw new ParseError(path, `expected ${columns.length} columns (${columns.join(", ")}), found ${f.length}`, lineNo);
    rows.push(f);
  }
  if (!columns) throw new ParseError(path, "empty table: expected a header line");
  return { path, columns, rows };
}

export interface ScoreEvaluation {
  /** Score column, with "-" in front when negated (llr: lower = larger predicted effect). */
  readonly name: string;
  readonly n: number;
  readonly auroc?: AurocResult;
  readonly auprc?: { auprc: number; ci95: readonly [number, number] };
  readonly pearson?: Correlation;
  readonly spearman?: Correlation;
  /** ROC curve points (false positive rate, true positive rate), binary labels only. */
  readonly roc?: { fpr: number[]; tpr: number[] };
}

export interface PublishedAuroc {
  readonly name: string;
  readonly auroc: number;
}

export interface VariantEvaluation {
  readonly title: string;
  readonly input: string;
  readonly label: string;
  readonly kind: "binary" | "continuous";
  readonly rows: number;
  readonly scores: readonly ScoreEvaluation[];
  /** Paired DeLong tests between scores on the rows every score covers (binary labels). */
  readonly comparisons: readonly { a: string; b: string; difference: number; p: number; n: number }[];
  /** AUROCs published elsewhere on the same variants, shown beside ours (binary labels). */
  readonly published: readonly PublishedAuroc[];
  readonly createdAt: string;
}

/** A model's own score column (llr, influence, ..., llr_calibrated). */
const isModelScore = (c: string): boolean => (SCORE_NAMES as readonly string[]).includes(c) || c === "llr_calibrated";
/** A k-mer baseline's column (`variants --baseline`: kmer_2_2_llr). */
const isBaselineScore = (c: string): boolean => !isModelScore(c) && /^[a-z0-9_]+_llr$/.test(c);
/** Score columns, also as MODEL.score in joined tables (joinScoreTables). */
const isScoreColumn = (c: string): boolean => {
  const base = c.slice(c.lastIndexOf(".") + 1);
  return isModelScore(base) || isBaselineScore(base);
};

/**
 * Several models' score tables on the same variants as one table, joined on the id column: each
 * model's scores become NAME.score; k-mer baseline columns are kept once, from the first table that has
 * them; the other columns come from the first table. Every table must hold the same ids; an id listed
 * more than once (a variant in two genes' promoters) is matched occurrence by occurrence.
 */
export function joinScoreTables(tables: readonly { name: string; table: ScoreTable }[]): ScoreTable {
  const first = tables[0];
  if (!first) throw new InputError("no score tables to join");
  /** Row keys: the id, and for its n-th repeat the id with n. */
  const keysOf = (t: ScoreTable): string[] => {
    const k = ["id", "ID"].map((c) => t.columns.indexOf(c)).find((i) => i >= 0);
    if (k === undefined) throw new InputError(`${t.path}: no id column to join the score tables on`);
    const seenIds = new Map<string, number>();
    return t.rows.map((r) => {
      const n = seenIds.get(r[k]!) ?? 0;
      seenIds.set(r[k]!, n + 1);
      return n ? `${r[k]}\u0000${n}` : r[k]!;
    });
  };
  const firstKeys = keysOf(first.table);
  const columns = first.table.columns.filter((c) => !isModelScore(c));
  const sources: { rowsByKey: Map<string, readonly string[]> | null; col: number }[] = first.table.columns.flatMap((c, col) =>
    isModelScore(c) ? [] : [{ rowsByKey: null, col }],
  );
  const seen = new Set(columns);
  for (const { name, table } of tables) {
    const keys = keysOf(table);
    const byKey = new Map(keys.map((key, i) => [key, table.rows[i]!] as const));
    if (byKey.size !== firstKeys.length || firstKeys.some((key) => !byKey.has(key)))
      throw new InputError(`${table.path}: holds other variants than ${first.table.path}; score the same input with each model`);
    table.columns.forEach((c, col) => {
      const joined = isModelScore(c) ? `${name}.${c}` : c;
      if (!isScoreColumn(c) || seen.has(joined)) return;
      seen.add(joined);
      columns.push(joined);
      sources.push({ rowsByKey: byKey, col });
    });
  }
  const rows = first.table.rows.map((r, i) => sources.map((s) => (s.rowsByKey ? s.rowsByKey.get(firstKeys[i]!)! : r)[s.col]!));
  return { path: tables.map((t) => `${t.name}=${t.table.path}`).join(", "), columns, rows };
}

/** llr-like columns (llr, llr_calibrated, model.llr, kmer_2_2_llr) are negated: low llr = larger effect; *_llr columns are scores by default. */
const isNegated = (name: string): boolean => /(^|[._])llr([._]|$)/.test(name);
const BINARY: Record<string, boolean> = { "0": false, "1": true, false: false, true: true };

/**
 * Scores each score column against a label column: binary labels (0/1, true/false) by AUROC with
 * DeLong's interval, AUPRC with a bootstrap interval and paired DeLong tests between scores; numeric
 * labels by Pearson and Spearman correlation. Rows with NA in a score or label are left out of that
 * score. llr columns are negated so that for every score larger means a larger predicted effect.
 */
/**
 * `abs`: effect sizes instead of signed effects: |label| against |score| (a continuous label, e.g. the
 * |log2 fold change| of a reporter assay against |llr|).
 */
export function evaluateVariantScores(
  t: ScoreTable,
  o: { label: string; scores?: readonly string[]; title?: string; abs?: boolean; published?: readonly PublishedAuroc[] },
): VariantEvaluation {
  const li = t.columns.indexOf(o.label);
  if (li < 0) throw new InputError(`${t.path}: no label column "${o.label}"; columns: ${t.columns.join(", ")} (pick one with --label)`);
  const names = o.scores ?? t.columns.filter(isScoreColumn);
  if (names.length === 0) throw new InputError(`${t.path}: no score columns (${SCORE_NAMES.join(", ")}); pass --scores`);
  const idx = names.map((n) => {
    const i = t.columns.indexOf(n);
    if (i < 0) throw new InputError(`${t.path}: no score column "${n}"; columns: ${t.columns.join(", ")}`);
    return i;
  });
  const rawLabels = t.rows.map((r) => r[li]!);
  const present = rawLabels.filter((x) => x !== "" && x !== "NA" && x !== ".");
  const kind = present.every((x) => x.toLowerCase() in BINARY) ? "binary" : "continuous";
  if (o.published?.length && kind !== "binary") throw new InputError(`${t.path}: published AUROCs need a 0/1 label, but "${o.label}" is continuous`);
  if (o.abs && kind === "binary") throw new InputError(`${t.path}: --abs needs a continuous label, but "${o.label}" is 0/1`);
  const label = (x: string): number =>
    x === "" || x === "NA" || x === "." ? NaN : kind === "binary" ? (BINARY[x.toLowerCase()] ? 1 : 0) : o.abs ? Math.abs(Number(x)) : Number(x);
  const y = rawLabels.map(label);
  if (kind === "continuous") {
    const bad = rawLabels.findIndex((x, i) => x !== "" && x !== "NA" && x !== "." && !Number.isFinite(y[i]));
    if (bad >= 0) throw new InputError(`${t.path}: label "${rawLabels[bad]}" in row ${bad + 1} is neither 0/1 nor a number`);
  }
  const value = (row: number, s: number) => {
    const v = Number(t.rows[row]![idx[s]!]);
    if (o.abs) return Math.abs(v);
    return isNegated(names[s]!) ? -v : v;
  };
  const scores = names.map((name, s) => {
    const rows = t.rows.map((_, r) => r).filter((r) => Number.isFinite(y[r]) && Number.isFinite(value(r, s)));
    const x = rows.map((r) => value(r, s));
    const display = o.abs ? `|${name}|` : isNegated(name) ? `-${name}` : name;
    if (kind === "continuous")
      return {
        name: display,
        n: rows.length,
        pearson: pearson(
          x,
          rows.map((r) => y[r]!),
        ),
        spearman: spearman(
          x,
          rows.map((r) => y[r]!),
        ),
      };
    const lab = rows.map((r) => y[r] === 1);
    return { name: display, n: rows.length, auroc: auroc(x, lab), auprc: auprc(x, lab), roc: rocCurve(x, lab) };
  });
  const comparisons: VariantEvaluation["comparisons"][number][] = [];
  if (kind === "binary") {
    const common = t.rows.map((_, r) => r).filter((r) => Number.isFinite(y[r]) && names.every((_, s) => Number.isFinite(value(r, s))));
    const lab = common.map((r) => y[r] === 1);
    for (let a = 0; a < names.length; a++)
      for (let b = a + 1; b < names.length; b++) {
        const d = delongTest(
          common.map((r) => value(r, a)),
          common.map((r) => value(r, b)),
          lab,
        );
        comparisons.push({ a: scores[a]!.name, b: scores[b]!.name, difference: d.difference, p: d.p, n: common.length });
      }
  }
  return {
    title: o.title ?? `Variant scores against ${o.label}: ${t.path}`,
    input: t.path,
    label: o.label,
    kind,
    rows: t.rows.length,
    scores,
    comparisons,
    published: o.published ?? [],
    createdAt: new Date().toISOString(),
  };
}

/** ROC points at every distinct threshold, from (0,0) to (1,1). */
function rocCurve(x: readonly number[], lab: readonly boolean[]): { fpr: number[]; tpr: number[] } {
  const order = x.map((_, i) => i).sort((a, b) => x[b]! - x[a]!);
  const P = lab.filter(Boolean).length,
    N = lab.length - P;
  const fpr = [0],
    tpr = [0];
  let tp = 0,
    fp = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    for (; j < order.length && x[order[j]!] === x[order[i]!]; j++) {
      if (lab[order[j]!]) tp++;
      else fp++;
    }
    fpr.push(N ? fp / N : NaN);
    tpr.push(P ? tp / P : NaN);
    i = j;
  }
  return { fpr, tpr };
}
