import { join } from "node:path";
import { finetuneCvPrefix } from "../readout/finetuned-predictions.js";
import { groupKFold, kFold } from "../readout/folds.js";
import type { ReadoutReport } from "../readout/readout.js";
import { writeReadoutReport } from "../readout/readout-report.js";
import type { ReadoutPaths } from "../readout/report-files.js";
import { bootstrapMetricCis, regressionMetrics } from "../readout/regression-metrics.js";
import { encodeRecords } from "./finetune-data.js";
import { finetune, type FinetuneOptions } from "./finetune.js";
import { FrozenPrefix } from "./frozen-prefix.js";
import { firstTrainedLayer } from "./trainable.js";
import type { HostTensor } from "../host-tensor.js";

export interface CrossValidateOptions extends FinetuneOptions {
  readonly folds: number;
  readonly bootstrapSamples: number;
  /** Group column name (the table's groups make GroupKFold, as `readout --group`). */
  readonly groupColumn?: string;
  readonly onFold?: (fold: number, cpuSeconds: number) => void;
}

export interface CrossValidateResult {
  readonly report: ReadoutReport;
  readonly paths: ReadoutPaths;
  /** CPU seconds (user + system) of each fold's fine-tuning and prediction. */
  readonly cpuSeconds: readonly number[];
  /** CPU seconds of the frozen layers' outputs, computed once for all folds (0 with --layers all). */
  readonly frozenCpuSeconds: number;
}

/**
 * Cross-validated fine-tuning on the folds `readout` uses (GroupKFold with a group column, else KFold
 * with the same seed): each outer fold is fine-tuned from the pretrained model on the other folds (with
 * its own validation split for early stopping, in OUT/fold-F) and predicted by its best model. The
 * out-of-fold predictions are scored and written as a readout report (OUT/cv.*), set "finetune", so
 * they compare record by record with ridge readouts of the same table and seed.
 */
export async function crossValidateFinetune(o: CrossValidateOptions): Promise<CrossValidateResult> {
  const t = o.table;
  const n = t.ids.length;
  const foldOf = t.groups && o.groupColumn ? groupKFold(t.groups, o.folds, o.groupColumn) : kFold(n, o.folds, o.seed);
  const y = t.targets.get(o.target)!;
  const oof = new Float64Array(n);
  const cpuSeconds: number[] = [];
  const foldR2: number[] = [];
  // The frozen part does not depend on the fold: its outputs are computed once, before fold 0.
  const start0 = process.cpuUsage();
  const first = firstTrainedLayer(o.model.config, o.layers);
  const session = { ...(o.threads ? { threads: o.threads } : {}), ...(o.providers ? { providers: o.providers } : {}) };
  const frozen =
    first === null
      ? undefined
      : await FrozenPrefix.create(
          o.model.config,
          first,
          o.model.folder.weights as ReadonlyMap<string, HostTensor<"float32">>,
          encodeRecords(o.model, t, o.speciesProxy),
          session,
        );
  const used0 = process.cpuUsage(start0);
  const frozenSeconds = (used0.user + used0.system) / 1e6;
  try {
    for (let f = 0; f < o.folds; f++) {
      const start = process.cpuUsage();
      const held = Int32Array.from([...foldOf.keys()].filter((i) => foldOf[i] === f));
      const rest = Int32Array.from([...foldOf.keys()].filter((i) => foldOf[i] !== f));
      const r = await finetune({ ...o, rows: rest, predict: held, out: join(o.out, `fold-${f}`), ...(frozen ? { frozen } : {}) });
      const pred = r.predictions;
      held.forEach((i, j) => (oof[i] = pred[j]!));
      foldR2.push(
        regressionMetrics(
          Array.from(held, (i) => y[i]!),
          pred,
        ).r2,
      );
      const used = process.cpuUsage(start);
      cpuSeconds.push((used.user + used.system) / 1e6);
      o.onFold?.(f, cpuSeconds[f]!);
    }
  } finally {
    await frozen?.release();
  }
  const report: ReadoutReport = {
    title: `Fine-tuned ${o.modelName}: ${o.target} from ${t.path}`,
    createdAt: new Date().toISOString(),
    records: n,
    ids: t.ids,
    folds: o.folds,
    foldKind: t.groups && o.groupColumn ? "GroupKFold" : "KFold",
    foldOf,
    seed: o.seed,
    bootstrapSamples: o.bootstrapSamples,
    alphaRange: [0, 0],
    targets: [
      {
        target: o.target,
        measured: y,
        comparisons: [],
        predictions: new Map([["finetune", oof]]),
        sets: [
          {
            name: "finetune",
            features: 0,
            metrics: regressionMetrics(y, oof),
            ci95: bootstrapMetricCis(y, oof, o.bootstrapSamples, o.seed),
            foldR2,
            alphas: [],
          },
        ],
      },
    ],
    notes: [
      `fine-tuned: linear head on the mean-pooled last hidden state, layers ${String(o.layers)} trained, up to ${o.epochs} epochs with early stopping on ${o.validFraction} of each training fold; no ridge penalty (alphas empty)`,
      `CPU seconds per fold: ${cpuSeconds.map((s) => s.toFixed(1)).join(", ")}${frozen ? `; the frozen layers' outputs, computed once for all folds: ${frozenSeconds.toFixed(1)}` : ""}`,
      ...(o.transform === "log" ? ["targets are natural logs of the table's values"] : []),
    ],
  };
  return { report, paths: await writeReadoutReport(report, finetuneCvPrefix(o.out)), cpuSeconds, frozenCpuSeconds: frozenSeconds };
}
