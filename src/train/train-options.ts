import type { Conditioning } from "../model/config.js";
import type { EmbeddingInit } from "../model/init-weights.js";
import type { MaskReplace } from "./batches.js";
import type { Curriculum } from "./curriculum.js";
import type { MaskStride } from "./masking.js";
import type { DecayKind } from "./schedule.js";
import type { ValidationResult } from "./validate.js";

export interface TrainOptions {
  readonly corpus: string;
  readonly out: string;
  readonly conditioning: Conditioning;
  /** Preset name (tiny, small, base) or a config.json path. */
  readonly config: string;
  readonly steps: number;
  readonly batchSize: number;
  readonly lr: number;
  readonly warmup: number;
  readonly decay: DecayKind;
  readonly seed: number;
  readonly validEvery: number;
  /** Validation sequences per species (fixed masked copies). */
  readonly validPerSpecies: number;
  readonly dropout: number;
  readonly weightDecay: number;
  readonly maxGradNorm: number;
  /**
   * Masked spans start every `maskStride` k-mer tokens (masking.ts), or every s tokens with s drawn
   * per row from a list; absent = 15% random spans.
   */
  readonly maskStride?: MaskStride;
  /**
   * What a masked token becomes: "bert" (default, as published: 80% [MASK], 10% a random k-mer, 10%
   * kept, drawn per token) or "mask" (always [MASK], the layout reconstruction reads). Per token, a
   * span of k is all [MASK] in only 0.8^k = 26% of "bert" spans; in the others a kept token reveals
   * the hidden nucleotide or a random one contradicts its neighbours.
   */
  readonly maskReplace?: MaskReplace;
  /** Starting point of embeddings and attention (model/init-weights.ts); default structured. */
  readonly init?: EmbeddingInit;
  /**
   * Token size: 1 (single nucleotides; the default for a new model: docs/decisions/k1-default.md)
   * or 6 (overlapping 6-mers, the published SpeciesLM). A resume without it keeps the checkpoint's.
   */
  readonly k?: number;
  /**
   * Start from the weights of this checkpoint folder instead of `init` (continued pre-training): same
   * config, conditioning and species; the optimizer and the schedule start afresh.
   */
  readonly initFrom?: string;
  /**
   * Train in stages (train/curriculum.ts; defaultCurriculum(k) is the recipe that works): each stage
   * sets its share of `steps`, learning rate (a factor of `lr`), warmup, decay and masking, and starts
   * a fresh AdamW state or keeps the last stage's. With a schedule, `warmup`, `decay`, `maskStride` and
   * `maskReplace` are not read. Absent: one stage from those options.
   */
  readonly schedule?: Curriculum;
  readonly resume: boolean;
  readonly threads?: number;
  /** ORT execution providers, e.g. ["cuda", "cpu"]; default CPU. */
  readonly providers?: readonly string[];
  /** Aborting (Ctrl-C) writes a checkpoint at the current step and returns. */
  readonly signal?: AbortSignal;
  readonly onLog?: (entry: LogEntry) => void;
}

export type LogEntry =
  | { kind: "step"; step: number; loss: number; lr: number; gradNorm: number; tokensPerSecond: number }
  | {
      kind: "valid";
      step: number;
      loss: number;
      perSpecies: ValidationResult["perSpecies"];
      meanAccuracy: number;
      meanCrossEntropy: number;
    }
  | { kind: "checkpoint"; step: number; dir: string }
  | { kind: "stage"; step: number; stage: number; name: string; steps: number; lr: number };

export interface TrainResult {
  readonly steps: number;
  readonly checkpoint: string;
  readonly lastValidation: ValidationResult | null;
  readonly interrupted: boolean;
}

/** Token size of a new model when none is given. */
