import { loadCorpusSplit } from "../corpus/read-corpus.js";
import { InputError } from "../errors.js";
import { f32, type HostTensor } from "../host-tensor.js";
import { Session, type SessionOptions } from "../runtime/session.js";
import { KmerTokenizer } from "../tokenizer/kmer-tokenizer.js";
import { kmerSpanMasker, maskedBatch, type MaskedBatch, type RowMasker, rowsForStep } from "./batches.js";
import type { PlacedStage } from "./curriculum.js";
import { tokenizeSplit, type TokenizedSplit } from "./dataset.js";
import type { RunCorpus, RunState } from "./run-state.js";
import { buildEvalGraph, buildStepGraph, stepNames } from "./step-graph.js";
import type { TrainOptions } from "./train-options.js";
import { firstBaseTable, validate, type ValidationResult, type ValidationSplit } from "./validate.js";

/** Mixed into the run's seed for the validation masks, so they differ from every training step's. */
const VALIDATION_SEED_SALT = 0x7a11d;

/** What one training step reports. */
export interface StepResult {
  readonly loss: number;
  readonly gradNorm: number;
}

/** A stage's masking layout (stride and edge spans), as its training masks and the validation masks use it. */
const layoutOf = (p: PlacedStage) => ({
  ...(p.stage.maskStride !== undefined ? { stride: p.stage.maskStride } : {}),
  edges: p.stage.edges,
});

/**
 * The ONNX sessions of a run with the data they read: the step graph over the tokenized train split
 * (one masker per stage) and the eval graph over fixed masked validation batches.
 */
export class TrainSessions {
  private constructor(
    private readonly o: TrainOptions,
    private readonly run: RunState,
    private readonly masks: readonly RowMasker[],
    private readonly trainSplit: TokenizedSplit,
    private readonly stepSession: Session,
    private readonly validation: { session: Session; batches: MaskedBatch[]; split: ValidationSplit } | null,
    private readonly species: readonly string[],
  ) {}

  static async open(o: TrainOptions, run: RunState, stages: readonly PlacedStage[], corpus: RunCorpus): Promise<TrainSessions> {
    const { vocab, config } = run;
    const { species } = corpus;
    // Built before the splits are tokenized so a bad stride fails at once.
    const masks = stages.map((p) => kmerSpanMasker(vocab, { ...layoutOf(p), replace: p.stage.maskReplace }));
    const tok = new KmerTokenizer(vocab);
    const trainSplit = tokenizeSplit(corpus.train, tok, species, config.conditioning, config.maxPositionEmbeddings);
    const validSplit = tokenizeSplit(await loadCorpusSplit(o.corpus, "valid"), tok, species, config.conditioning, config.maxPositionEmbeddings);
    if (trainSplit.rows < o.batchSize)
      throw new InputError(`the train split of ${o.corpus} has ${trainSplit.rows} sequences, fewer than one batch of ${o.batchSize}`);
    const sessionOpts: SessionOptions = { ...(o.threads ? { threads: o.threads } : {}), ...(o.providers ? { providers: o.providers } : {}) };
    const stepGraph = buildStepGraph(config, {
      batch: o.batchSize,
      tokens: trainSplit.tokens,
      dropout: o.dropout,
      dropoutSeed: o.seed,
      weightDecay: o.weightDecay,
      maxGradNorm: o.maxGradNorm,
    });
    const stepSession = await Session.create(stepGraph, sessionOpts);
    // Validation keeps one layout for the whole run, the last stage's: the one the model is left for.
    const validMask = kmerSpanMasker(vocab, { ...layoutOf(stages[stages.length - 1]!), replace: "mask" });
    const batches = validationBatches(validSplit, o.validPerSpecies, o.batchSize, validMask, o.seed, species.length);
    const validation = batches.length
      ? {
          session: await Session.create(buildEvalGraph(config, "batch", validSplit.tokens, vocab.kmerIds, vocab.k), sessionOpts),
          batches,
          split: { ids: validSplit.ids, species: validSplit.species, head: validSplit.head, firstBase: firstBaseTable(vocab.kmerIds, vocab.size, vocab.k) },
        }
      : null;
    return new TrainSessions(o, run, masks, trainSplit, stepSession, validation, species);
  }

  /** Tokens one step reads (batch rows times row length), for the throughput in the log. */
  get tokensPerStep(): number {
    return this.o.batchSize * this.trainSplit.tokens;
  }

  /** Runs training step `step` (0-based) of stage `placed` and takes its weights and moments into the run state. */
  async step(placed: PlacedStage, step: number, lr: number, adamStep: number): Promise<StepResult> {
    const { o, run } = this;
    const batch = maskedBatch(this.trainSplit, rowsForStep(this.trainSplit, o.batchSize, step, o.seed), this.masks[placed.index]!, o.seed, step);
    const feeds: Record<string, HostTensor> = { ...this.batchFeeds(batch), lr: f32([], [lr]), adam_step: f32([], [adamStep]) };
    for (const [n, t] of run.weights) feeds[n] = t;
    for (const [n, t] of run.moments) feeds[n] = t;
    const out = await this.stepSession.run(feeds);
    for (const n of run.weights.keys()) {
      run.weights.set(n, out[stepNames.newParam(n)] as HostTensor<"float32">);
      run.moments.set(stepNames.m(n), out[stepNames.newM(n)] as HostTensor<"float32">);
      run.moments.set(stepNames.v(n), out[stepNames.newV(n)] as HostTensor<"float32">);
    }
    return { loss: (out.loss!.data as Float32Array)[0]!, gradNorm: (out.grad_norm!.data as Float32Array)[0]! };
  }

  /** Scores the current weights on the validation batches; null when the valid split is empty. */
  async validate(): Promise<ValidationResult | null> {
    if (!this.validation) return null;
    const { session, batches, split } = this.validation;
    return validate(session, this.run.weights, batches, (b) => this.batchFeeds(b), split, this.species, this.run.vocab.k);
  }

  async release(): Promise<void> {
    await this.stepSession.release();
    await this.validation?.session.release();
  }

  private batchFeeds(b: MaskedBatch): Record<string, HostTensor> {
    return {
      input_ids: b.inputIds,
      attention_mask: b.attentionMask,
      read_index: b.readIndex,
      read_labels: b.readLabels,
      ...(this.run.config.conditioning === "embedding" ? { species_ids: b.speciesIds } : {}),
    };
  }
}

/**
 * Validation rows: the first `n` valid records of each species, masked once with a fixed seed in the
 * training layout (a model trained on strided spans scores worse on random ones, which can touch and
 * hide neighbouring nucleotides together, than by the reconstruction recipes it is used with).
 */
function validationBatches(split: TokenizedSplit, n: number, batch: number, mask: RowMasker, seed: number, numSpecies: number): MaskedBatch[] {
  const perSpecies = new Array<number>(numSpecies).fill(0);
  const rows: number[] = [];
  for (let r = 0; r < split.rows; r++) {
    const s = split.species[r]!;
    if (perSpecies[s]! < n) {
      perSpecies[s]!++;
      rows.push(r);
    }
  }
  const out: MaskedBatch[] = [];
  for (let i = 0; i < rows.length; i += batch) out.push(maskedBatch(split, Int32Array.from(rows.slice(i, i + batch)), mask, seed ^ VALIDATION_SEED_SALT, i));
  return out;
}
