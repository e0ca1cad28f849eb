import { join } from "node:path";
import { InputError, ParseError } from "../errors.js";
import { readLines } from "../io/byte-stream.js";
import { PREDICTION_COLUMNS, readoutPaths } from "./report-files.js";

/** Where `finetune --folds K -o RUN` writes its cross-validation report (RUN/cv.*). */
export const finetuneCvPrefix = (run: string): string => join(run, "cv");

/** Out-of-fold predictions of a cross-validated fine-tuning (`finetune --folds K -o RUN`), in a table's record order. */
export interface FinetunedPredictions {
  readonly run: string;
  /** The outer fold of each record, as the fine-tuning assigned it. */
  readonly foldOf: Int32Array;
  /** Per target, the prediction of each record by the fold's model that never saw it. */
  readonly predictions: ReadonlyMap<string, Float64Array>;
}

/**
 * Reads RUN/cv.predictions.tsv (id, fold, then per target the measurement and `TARGET:SET` columns) for
 * the given ids and targets. Every id must be there: the run must have been made on the same table.
 */
export async function readFinetunedPredictions(run: string, ids: readonly string[], targets: readonly string[]): Promise<FinetunedPredictions> {
  const path = readoutPaths(finetuneCvPrefix(run)).predictions;
  const c = PREDICTION_COLUMNS;
  let header: string[] | undefined;
  const rows = new Map<string, string[]>();
  try {
    for await (const { text, lineNo } of readLines(path, "fine-tuning predictions")) {
      if (text.trim() === "") continue;
      const f = text.split("\t");
      if (!header) header = f;
      else if (f.length !== header.length) throw new ParseError(path, `expected ${header.length} columns, found ${f.length}`, lineNo);
      else rows.set(f[0]!, f);
    }
  } catch (err) {
    if (err instanceof ParseError) throw err;
    throw new InputError(`finetune:${run}: cannot read ${path} (${(err as Error).message}); make it with \`specieslm finetune --folds K -o ${run}\``);
  }
  if (header?.[0] !== c.id || header[1] !== c.fold) throw new ParseError(path, `expected a header starting ${c.id}<TAB>${c.fold} (a \`finetune --folds\` run)`);
  const columns = targets.map((t) => {
    const col = header!.findIndex((h) => h.startsWith(c.prediction(t, "")));
    if (col < 0) throw new InputError(`finetune:${run}: no predictions of target "${t}" in ${path}; fine-tune with --target ${t}`);
    return col;
  });
  const foldOf = new Int32Array(ids.length);
  const predictions = new Map(targets.map((t) => [t, new Float64Array(ids.length)] as const));
  ids.forEach((id, i) => {
    const r = rows.get(id);
    if (!r) throw new InputError(`finetune:${run}: record ${id} of the table is not in ${path}; fine-tune on the same table`);
    foldOf[i] = Number(r[1]);
    targets.forEach((t, j) => {
      predictions.get(t)![i] = Number(r[columns[j]!]);
    });
  });
  if (rows.size !== ids.length) throw new InputError(`finetune:${run}: ${path} has ${rows.size} records, the table ${ids.length}; fine-tune on the same table`);
  return { run, foldOf, predictions };
}
