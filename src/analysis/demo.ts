import { join } from "node:path";
import { KmerModel } from "../baselines/index.js";
import { corpusFromTable } from "../corpus/corpus-from-table.js";
import { loadCorpusSplit } from "../corpus/read-corpus.js";
import { type SimulationOptions, simulatedVariants, simulateSpecies, writeSimulationTable } from "../corpus/simulate.js";
import { lmPredictor } from "../infer/lm-predictor.js";
import { writeFileAtomic } from "../io/atomic-write.js";
import type { Conditioning } from "../model/config.js";
import { type EvaluationReport, writeReport } from "../report/index.js";
import type { ReportPaths } from "../report/write-report.js";
import { MaskedLanguageModel } from "../runtime/masked-lm.js";
import { trainSideBySide } from "../train/index.js";
import { defaultRecipe, TRAIN_DEFAULTS } from "../train/train-defaults.js";
import { evaluatePredictors } from "./evaluate.js";
import { type SpeciesSwapResult, speciesSwap } from "./species-swap.js";

export const DEMO_MODELS = {
  aware: "species-aware LM",
  agnostic: "agnostic LM",
  kmer: "k-mer (2,2) per species",
  kmerPooled: "k-mer (2,2) pooled",
} as const;

/**
 * The demo's data: bases drawn at each species' composition around the planted motifs, so beyond
 * composition only the motifs and their species-specific variants are there to learn.
 */
export const DEMO_SIMULATION = {
  species: 4,
  perSpecies: 400,
  length: 120,
  seed: 7,
  background: "composition",
  motifRate: 0.8,
} as const satisfies SimulationOptions;

/** The demo's defaults (`specieslm demo --help` shows them). */
export const DEMO_DEFAULTS = { out: "specieslm-demo", steps: 500, config: "mini" } as const;

export interface DemoOptions {
  /** Working folder: simulated.tsv, corpus/, model-embedding/, model-none/, report*, motif-variant-preference.tsv. */
  readonly out: string;
  /** Optimizer steps per model (at least 2). */
  readonly steps: number;
  /** Model preset (tiny, mini, small). */
  readonly config: string;
  /** ONNX Runtime intra-op threads of the trainings (default: every core) and of the evaluation (default 2). */
  readonly threads?: number;
  /** The simulated data (default DEMO_SIMULATION); smaller data make a quick check of the recipe. */
  readonly simulation?: SimulationOptions;
  readonly onProgress?: (event: DemoProgress) => void;
}

/** What the demo is doing, for a caller's messages and progress bar. */
export type DemoProgress =
  | { kind: "corpus"; dir: string; simulation: SimulationOptions }
  | { kind: "training"; steps: number; config: string }
  /** Optimizer steps done by both models together, out of 2 x steps. */
  | { kind: "step"; done: number; total: number }
  | { kind: "trained" }
  | { kind: "evaluating"; regions: number }
  | { kind: "species-swap" };

export interface DemoHeadline {
  /** Per model: species-average CE and accuracy, over motif bases and over the background. */
  readonly models: {
    name: string;
    crossEntropy: number;
    accuracy: number;
    motif: { crossEntropy: number; accuracy: number };
    backgroundCrossEntropy: number;
  }[];
  /** The paired tests of the species-aware LM against each other model. */
  readonly tests: { against: string; ceDifference: number; ci95: [number, number]; bootstrapP: number; mcnemarP: number }[];
}

export interface DemoResult {
  readonly report: EvaluationReport;
  readonly headline: DemoHeadline;
  readonly swap: SpeciesSwapResult;
  /** (family, species) cells where the species-aware model prefers the species' own motif variant. */
  readonly positive: number;
  readonly seconds: { training: number; total: number };
  readonly files: ReportPaths & { motifVariantPreference: string };
}

/** Per-model CE and accuracy (species average) and the paired tests of the species-aware LM. */
export function demoHeadline(r: EvaluationReport): DemoHeadline {
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const models = r.models.map((m) => ({
    name: m.name,
    crossEntropy: m.speciesAverage.crossEntropy,
    accuracy: m.speciesAverage.accuracy,
    motif: { crossEntropy: mean(m.perSpecies.map((s) => s.motif.crossEntropy)), accuracy: m.speciesAverage.motifAccuracy },
    backgroundCrossEntropy: m.speciesAverage.backgroundCrossEntropy,
  }));
  const tests = r.comparisons
    .filter((c) => c.a === DEMO_MODELS.aware)
    .map((c) => ({ against: c.b, ceDifference: c.ceDifference, ci95: c.ceDifferenceCi95, bootstrapP: c.bootstrapP, mcnemarP: c.mcnemarP }));
  return { models, tests };
}

/** One sentence a newcomer can read: does the species-aware LM beat the agnostic LM and the k-mer tables. */
export function demoVerdict(h: DemoHeadline): string {
  const parts = h.tests.map(
    (t) =>
      `${t.ceDifference < 0 ? "below" : "above"} the ${t.against} by ${Math.abs(t.ceDifference).toFixed(3)} nats (bootstrap p = ${t.bootstrapP.toFixed(3)})`,
  );
  return `species-aware LM cross-entropy is ${parts.join("; ")}`;
}

/** The motif-variant preference table (TSV with a header): which variant the species-aware model prefers per species. */
export function demoPreferenceTable(swap: SpeciesSwapResult): string {
  const rows = swap.preferences.map(
    (p) =>
      `${p.family}\t${p.sequenceSpecies}\t${p.instances}\t${p.own.toFixed(3)}\t${p.other.toFixed(3)}\t${p.preference >= 0 ? "+" : ""}${p.preference.toFixed(3)}`,
  );
  return ["family\tspecies\tinstances\tP(own variant) told own species\ttold other species\tpreference", ...rows].join("\n") + "\n";
}

/** Simulates the species, writes the table and builds the corpus from it; returns the corpus folder and the planted sites. */
async function demoCorpus(out: string, simulation: SimulationOptions) {
  const table = join(out, "simulated.tsv");
  const simulated = simulateSpecies(simulation);
  await writeSimulationTable(table, simulated);
  const corpus = join(out, "corpus");
  await corpusFromTable({ table, outDir: corpus, seed: 1 });
  return { corpus, sites: new Map(simulated.map((r) => [r.id, r.sites])) };
}

/**
 * Trains the species-aware (species embedding) and the agnostic model side by side (one process
 * each) with the default recipe, 6-mer tokens (docs/decisions/demo-6mers.md); returns the run folders.
 */
async function trainDemoModels(corpus: string, o: DemoOptions): Promise<string[]> {
  const conditionings: Conditioning[] = ["embedding", "none"];
  const runs = conditionings.map((c) => join(o.out, `model-${c}`));
  const total = conditionings.length * o.steps;
  let done = 0;
  const k = 6;
  await trainSideBySide(
    conditionings.map((conditioning, i) => ({
      ...defaultRecipe(k),
      lr: TRAIN_DEFAULTS.lr,
      dropout: TRAIN_DEFAULTS.dropout,
      weightDecay: TRAIN_DEFAULTS.weightDecay,
      maxGradNorm: TRAIN_DEFAULTS.maxGradNorm,
      init: TRAIN_DEFAULTS.init,
      corpus,
      out: runs[i]!,
      conditioning,
      config: o.config,
      steps: o.steps,
      batchSize: 32,
      validEvery: o.steps,
      validPerSpecies: 8,
      seed: 1,
      k,
      resume: false,
      ...(o.threads ? { threads: o.threads } : {}),
      onLog: (e) => {
        if (e.kind === "step") o.onProgress?.({ kind: "step", done: ++done, total });
      },
    })),
  );
  return runs;
}

/**
 * The main job end to end on generated data: simulate 4 species with species-specific motif variants,
 * train a species-aware and an agnostic model, evaluate both against k-mer tables by the one-span
 * recipe (report in `out`), and measure which motif variant the species-aware model prefers per species.
 */
export async function runDemo(o: DemoOptions): Promise<DemoResult> {
  const started = Date.now();
  const progress = o.onProgress ?? (() => {});
  const simulation = o.simulation ?? DEMO_SIMULATION;
  const { corpus, sites } = await demoCorpus(o.out, simulation);
  progress({ kind: "corpus", dir: corpus, simulation });
  progress({ kind: "training", steps: o.steps, config: o.config });
  const runs = await trainDemoModels(corpus, o);
  progress({ kind: "trained" });
  const trainSeconds = (Date.now() - started) / 1000;

  const threads = o.threads ?? 2;
  const [aware, agnostic] = await Promise.all(runs.map((dir) => MaskedLanguageModel.load(join(dir, "checkpoint"), { threads })));
  try {
    const trainRecords = await loadCorpusSplit(corpus, "train");
    const test = await loadCorpusSplit(corpus, "test");
    const { aware: AWARE, agnostic: AGNOSTIC, kmer: KMER, kmerPooled: KMER_POOLED } = DEMO_MODELS;
    const predictors = [
      lmPredictor(aware!, { name: AWARE }),
      lmPredictor(agnostic!, { name: AGNOSTIC }),
      (await KmerModel.fit(trainRecords, { kind: "markov", left: 2, right: 2 })).asPredictor(KMER),
      (await KmerModel.fit(trainRecords, { kind: "markov", left: 2, right: 2, pooled: true })).asPredictor(KMER_POOLED),
    ];
    progress({ kind: "evaluating", regions: test.length });
    const report = await evaluatePredictors({
      predictors,
      records: test,
      sites,
      motifSource: "planted by the simulation",
      title: "specieslm demo: species-aware vs agnostic vs k-mer",
      comparisons: [
        [AWARE, AGNOSTIC],
        [AWARE, KMER],
        [AWARE, KMER_POOLED],
        [AGNOSTIC, KMER],
      ],
    });
    const paths = await writeReport(report, join(o.out, "report"));

    progress({ kind: "species-swap" });
    const species = [...new Set(test.map((r) => r.species))];
    const swap = await speciesSwap(aware!, test, { told: species, variants: simulatedVariants(simulation), maxSequencesPerSpecies: 12 });
    const swapPath = join(o.out, "motif-variant-preference.tsv");
    await writeFileAtomic(swapPath, demoPreferenceTable(swap));
    return {
      report,
      headline: demoHeadline(report),
      swap,
      positive: swap.preferences.filter((p) => p.preference > 0).length,
      seconds: { training: trainSeconds, total: (Date.now() - started) / 1000 },
      files: { ...paths, motifVariantPreference: swapPath },
    };
  } finally {
    await Promise.all([aware!.release(), agnostic!.release()]);
  }
}
