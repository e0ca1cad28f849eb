import { readFile } from "node:fs/promises";
import { ConfigError, InputError } from "../errors.js";
import type { MaskReplace } from "./batches.js";
import { type MaskStride, ONE_SPAN } from "./masking.js";
import { type DecayKind, learningRate } from "./schedule.js";

/**
 * One stage of a training curriculum. Lengths, warmups and learning rates are relative (a share of
 * the run's steps, a share of the stage, a factor of the run's peak --lr) so one schedule serves any
 * budget. A stage starts a fresh AdamW state unless it keeps the previous stage's
 * (docs/decisions/kmer-curriculum.md, k1-curriculum.md).
 */
export interface Stage {
  readonly name: string;
  /** Share of the run's steps (the shares of a curriculum sum to 1). */
  readonly share: number;
  /** Peak learning rate as a factor of the run's --lr. */
  readonly lrScale: number;
  /** Linear warmup as a share of the stage's steps. */
  readonly warmup: number;
  readonly decay: DecayKind;
  /** A masked span every `maskStride` tokens (or one drawn per row from a list); absent = 15% random spans. */
  readonly maskStride?: MaskStride;
  readonly maskReplace: MaskReplace;
  /** Probability per row and end of a masked span at the region's edge, in the layouts reconstruction reads there. */
  readonly edges: number;
  /** Learning rate at the stage's end as a factor of --lr (absent: 0, the decay ends at zero). */
  readonly lrEnd?: number;
  /** "keep" carries the previous stage's AdamW moments and step count on (absent: "fresh", new moments). */
  readonly optimizer?: OptimizerStart;
}

export type OptimizerStart = "fresh" | "keep";

export interface Curriculum {
  readonly stages: readonly Stage[];
}

/**
 * The 6-mer recipe as one run: a span every 13 tokens with BERT's 80/10/10 replacement at the full
 * learning rate (from scratch, kept tokens help the model learn to read k-mers), then every masked
 * token [MASK] at half the rate, drawing stride 13 or a single span per row (the published one-span
 * layout). Both stages show the edge layouts. Evidence: docs/decisions/kmer-curriculum.md.
 */
export const KMER_CURRICULUM: Curriculum = {
  stages: [
    { name: "strided", share: 0.7, lrScale: 1, warmup: 0.05, decay: "linear", maskStride: 13, maskReplace: "bert", edges: 0.5 },
    { name: "all-mask", share: 0.3, lrScale: 0.5, warmup: 0.05, decay: "linear", maskStride: [13, ONE_SPAN], maskReplace: "mask", edges: 0.5 },
  ],
};

/**
 * The single-nucleotide recipe: one base in 3 hidden (80/10/10), so every hidden base keeps the two
 * bases either side visible and a row scores ~100 bases where a 6-mer row scores ~23 (one per span of
 * 6 tokens); then every masked token [MASK], drawing per row one base in 3, one in 8 (one hole per
 * motif-sized window, closer to the one-span reading) or one base (the published one-span layout).
 * One linear decay runs through both stages and the second keeps the AdamW state, so the second stage
 * does not spend itself recovering from a restart. No edge spans: at k = 1 a masked token hides its
 * own base only. Evidence: docs/decisions/k1-curriculum.md.
 */
export const NUCLEOTIDE_CURRICULUM: Curriculum = {
  stages: [
    { name: "strided", share: 0.7, lrScale: 1, lrEnd: 0.3, warmup: 0.05, decay: "linear", maskStride: 3, maskReplace: "bert", edges: 0 },
    {
      name: "all-mask",
      share: 0.3,
      lrScale: 0.3,
      warmup: 0,
      decay: "linear",
      maskStride: [3, 8, ONE_SPAN],
      maskReplace: "mask",
      edges: 0,
      optimizer: "keep",
    },
  ],
};

/** The built-in recipe for tokens of k nucleotides (`train` without --schedule). */
export function defaultCurriculum(k: number): Curriculum {
  return k === 1 ? NUCLEOTIDE_CURRICULUM : KMER_CURRICULUM;
}

/** A stage placed in a run of `steps` steps: [start, end). */
export interface PlacedStage {
  readonly stage: Stage;
  readonly index: number;
  readonly start: number;
  readonly end: number;
  readonly warmupSteps: number;
}

/**
 * Stage boundaries for a run of `steps`: each stage gets round(share * steps) steps, at least one
 * (the last one takes what rounding leaves), and a warmup of round(warmup * its steps).
 */
export function placeStages(c: Curriculum, steps: number): PlacedStage[] {
  if (steps < c.stages.length)
    throw new InputError(`--steps ${steps} is fewer than the ${c.stages.length} stages of the schedule; give at least one step per stage`);
  const placed: PlacedStage[] = [];
  let start = 0;
  c.stages.forEach((stage, index) => {
    const left = c.stages.length - index - 1;
    const n = index === c.stages.length - 1 ? steps - start : Math.min(Math.max(1, Math.round(stage.share * steps)), steps - start - left);
    placed.push({ stage, index, start, end: start + n, warmupSteps: Math.min(n, Math.round(stage.warmup * n)) });
    start += n;
  });
  return placed;
}

export function stageAt(placed: readonly PlacedStage[], step: number): PlacedStage {
  return placed.find((p) => step < p.end) ?? placed[placed.length - 1]!;
}

/** Learning rate at global `step` (0-based): the stage's warmup and decay over its own steps, from lrScale down to lrEnd. */
export function curriculumLr(p: PlacedStage, peak: number, step: number): number {
  const floor = (p.stage.lrEnd ?? 0) / p.stage.lrScale;
  return learningRate({ peak: peak * p.stage.lrScale, warmupSteps: p.warmupSteps, totalSteps: p.end - p.start, decay: p.stage.decay, floor }, step - p.start);
}

/** The step at which the AdamW state in use at `p` was started: its own start, or an earlier stage's when it keeps the state. */
export function optimizerOrigin(placed: readonly PlacedStage[], p: PlacedStage): number {
  let i = p.index;
  while (i > 0 && placed[i]!.stage.optimizer === "keep") i--;
  return placed[i]!.start;
}

/** The run-key entries of a curriculum, one per stage field, so a refused --resume names the field that differs. */
export function curriculumKey(c: Curriculum): Record<string, string | number> {
  const key: Record<string, string | number> = { stages: c.stages.length };
  c.stages.forEach((s, i) => {
    const at = `stage${i + 1}`;
    key[`${at}.name`] = s.name;
    key[`${at}.share`] = s.share;
    key[`${at}.lrScale`] = s.lrScale;
    key[`${at}.warmup`] = s.warmup;
    key[`${at}.decay`] = s.decay;
    key[`${at}.maskStride`] = s.maskStride === undefined ? "random-15%" : typeof s.maskStride === "number" ? s.maskStride : s.maskStride.join(",");
    key[`${at}.maskReplace`] = s.maskReplace;
    key[`${at}.edges`] = s.edges;
    // Keyed only when set, so runs started before these fields existed still resume.
    if (s.lrEnd !== undefined && s.lrEnd !== 0) key[`${at}.lrEnd`] = s.lrEnd;
    if (s.optimizer === "keep") key[`${at}.optimizer`] = s.optimizer;
  });
  return key;
}

const FIELDS: Record<keyof Stage, string> = {
  name: "a name (string)",
  share: "the share of the run's steps, in (0, 1]",
  lrScale: "the peak learning rate as a factor of --lr, in (0, 10]",
  warmup: "linear warmup as a share of the stage, in [0, 1)",
  decay: "linear | cosine | constant",
  maskStride: "a stride above k, or a list of them (absent: 15% random spans)",
  maskReplace: "bert | mask",
  edges: "probability of an edge span per row and end, in [0, 1]",
  lrEnd: "the learning rate at the stage's end as a factor of --lr, in [0, 10] (absent: 0)",
  optimizer: "fresh | keep (keep: carry the previous stage's AdamW state on; absent: fresh)",
};

/**
 * Parses a schedule (JSON: `{"stages": [{...}, ...]}` with the fields of Stage; `warmup`, `decay`,
 * `maskReplace` and `edges` may be left out). `where` names the file in errors.
 */
export function parseCurriculum(json: unknown, where: string): Curriculum {
  const fail = (msg: string): never => {
    throw new ConfigError(`${where}: ${msg}`);
  };
  if (typeof json !== "object" || json === null || !Array.isArray((json as { stages?: unknown }).stages))
    fail(`expected {"stages": [...]} with one object per stage`);
  const extra = Object.keys(json as object).filter((k) => k !== "stages");
  if (extra.length) fail(`unknown field ${extra.map((k) => `"${k}"`).join(", ")} at the top level; only "stages" is read`);
  const raw = (json as { stages: unknown[] }).stages;
  if (raw.length === 0) fail("the schedule has no stages");
  const stages = raw.map((s, i): Stage => {
    const at = `stage ${i + 1}`;
    if (typeof s !== "object" || s === null || Array.isArray(s)) return fail(`${at} is not an object`);
    const o = s as Record<string, unknown>;
    const unknown = Object.keys(o).filter((k) => !(k in FIELDS));
    if (unknown.length) fail(`${at} has unknown field ${unknown.map((k) => `"${k}"`).join(", ")}; the fields are ${Object.keys(FIELDS).join(", ")}`);
    const num = (k: keyof Stage, lo: number, hi: number, fallback?: number, openLow = false): number => {
      const v = o[k] ?? fallback;
      if (typeof v !== "number" || !Number.isFinite(v) || v > hi || (openLow ? v <= lo : v < lo))
        return fail(`${at}.${k} must be ${FIELDS[k]}, got ${JSON.stringify(o[k])}`);
      return v;
    };
    const oneOf = <T extends string>(k: keyof Stage, allowed: readonly T[], fallback: T): T => {
      const v = o[k] ?? fallback;
      if (typeof v !== "string" || !(allowed as readonly string[]).includes(v)) return fail(`${at}.${k} must be ${FIELDS[k]}, got ${JSON.stringify(o[k])}`);
      return v as T;
    };
    if (typeof o.name !== "string" || o.name === "") fail(`${at}.name must be ${FIELDS.name}`);
    const stride = o.maskStride;
    const strideOk = (v: unknown) => typeof v === "number" && Number.isInteger(v) && v > 1;
    if (stride !== undefined && !(strideOk(stride) || (Array.isArray(stride) && stride.length > 0 && stride.every(strideOk)))) {
      fail(`${at}.maskStride must be ${FIELDS.maskStride}, got ${JSON.stringify(stride)}`);
    }
    const warmup = num("warmup", 0, 0.999, 0.05);
    return {
      name: o.name as string,
      share: num("share", 0, 1, undefined, true),
      lrScale: num("lrScale", 0, 10, undefined, true),
      warmup,
      decay: oneOf<DecayKind>("decay", ["linear", "cosine", "constant"], "linear"),
      ...(stride !== undefined ? { maskStride: stride as MaskStride } : {}),
      maskReplace: oneOf<MaskReplace>("maskReplace", ["bert", "mask"], "bert"),
      edges: num("edges", 0, 1, 0),
      ...(o.lrEnd !== undefined ? { lrEnd: num("lrEnd", 0, 10) } : {}),
      ...(o.optimizer !== undefined ? { optimizer: oneOf<OptimizerStart>("optimizer", ["fresh", "keep"], "fresh") } : {}),
    };
  });
  if (stages[0]!.optimizer === "keep") fail(`stage 1.optimizer is "keep", but there is no earlier stage whose AdamW state it could keep`);
  const total = stages.reduce((a, s) => a + s.share, 0);
  if (Math.abs(total - 1) > 1e-6) fail(`the stage shares sum to ${total.toFixed(4)}; they must sum to 1`);
  return { stages };
}

export async function readCurriculum(path: string): Promise<Curriculum> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new InputError(`--schedule ${path}: cannot read it (${(err as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`--schedule ${path}: not valid JSON (${(err as Error).message})`, { cause: err });
  }
  return parseCurriculum(json, `--schedule ${path}`);
}
