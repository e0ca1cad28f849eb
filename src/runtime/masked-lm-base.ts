import { InputError } from "../errors.js";
import { i64, type HostTensor } from "../host-tensor.js";
import { serializeGraph } from "../graph/onnx/serialize.js";
import type { BertConfig } from "../model/config.js";
import { buildInferenceGraph, type InferenceOutputs } from "../model/inference-graph.js";
import type { ModelFolder } from "../model/model-loader.js";
import { encodeBatch, type EncodedBatch } from "../tokenizer/batch.js";
import type { KmerTokenizer } from "../tokenizer/kmer-tokenizer.js";
import { DEFAULT_WEIGHT_LAYOUT, quantizeMatMul, type WeightLayout } from "../graph/passes/quantize-matmul.js";
import { modelWindow } from "./sequence-window.js";

/** What both runtimes' sessions offer (Session on onnxruntime-node, WebSession on onnxruntime-web). */
export interface ModelSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Readonly<Record<string, HostTensor>>, fetch?: readonly string[]): Promise<Record<string, HostTensor>>;
  release(): Promise<void>;
}

/** Graph-level choices that change the ONNX bytes a variant is built into. */
export interface GraphOptions {
  /**
   * "int8": every Linear runs as com.microsoft DynamicQuantizeMatMul with per-column int8 weights
   * (src/graph/passes/quantize-matmul.ts); faster on CPUs with VNNI, probabilities move by ~1e-3.
   */
  readonly quantize?: "int8";
  /** Storage of the int8 weights (quantize-matmul.ts); default "u8", exact on every CPU. */
  readonly int8Weights?: WeightLayout;
}

/** Which graph variant a session runs; each is built once and cached per model. */
export type GraphVariant =
  | "logits"
  | "logits+hidden"
  | "hidden"
  | `embedding@${number}`
  | "kmer-nucleotides"
  | "unmasked-log-odds"
  | "unmasked-influence"
  | "unmasked-map";

/** Feeds every inference graph takes; `species_ids` only for embedding-conditioned models. */
export interface ModelFeeds {
  readonly inputIds: HostTensor<"int64">;
  readonly attentionMask: HostTensor<"int64">;
  readonly speciesIds?: HostTensor<"int64">;
}

/**
 * A loaded masked LM: the model folder plus lazily created ORT sessions, one per graph variant.
 * All compute runs in ONNX Runtime; this class only routes tensors. Subclasses say which runtime
 * opens a graph: MaskedLanguageModel (masked-lm.ts, Node) and WebMaskedLanguageModel (the browser);
 * reconstruct and embed take either.
 */
export abstract class MaskedLanguageModelBase {
  private readonly sessions = new Map<GraphVariant, Promise<ModelSession>>();

  constructor(
    readonly folder: ModelFolder,
    private readonly graphOptions: GraphOptions = {},
    /** Ready ONNX graphs by variant (an `export-onnx` file), used instead of building from the weights. */
    private readonly prebuilt: ReadonlyMap<GraphVariant, Uint8Array> = new Map(),
  ) {}

  protected abstract createSession(onnx: Uint8Array): Promise<ModelSession>;

  get config(): BertConfig {
    return this.folder.config;
  }
  get tokenizer(): KmerTokenizer {
    return this.folder.tokenizer;
  }

  outputsOf(variant: GraphVariant): InferenceOutputs {
    if (variant === "logits") return { logits: true };
    if (variant === "logits+hidden") return { logits: true, hiddenStates: true };
    if (variant === "hidden") return { hiddenStates: true };
    if (variant === "kmer-nucleotides") return { kmerNucleotides: { kmerIds: this.tokenizer.vocab.kmerIds, k: this.tokenizer.k } };
    if (variant.startsWith("unmasked-")) {
      const reduce = variant.slice("unmasked-".length) as "log-odds" | "influence" | "map";
      return { unmaskedNucleotides: { kmerIds: this.tokenizer.vocab.kmerIds, k: this.tokenizer.k, reduce } };
    }
    return { embeddingFromLayer: Number(variant.slice("embedding@".length)) };
  }

  /** ONNX bytes of a variant (what `export-onnx` writes); int8 Linears when the model was opened with quantize "int8". */
  onnxBytes(variant: GraphVariant): Uint8Array {
    const ready = this.prebuilt.get(variant);
    if (ready) return ready;
    if (this.folder.weights.size === 0) {
      throw new InputError(
        `${this.folder.weightsFile} holds the ${[...this.prebuilt.keys()].join(", ")} graph but this job needs "${variant}": ` +
          `export it with \`specieslm export-onnx --outputs ${variant}\`, or open the folder with model.safetensors`,
      );
    }
    let graph = buildInferenceGraph(this.config, this.folder.weights, this.outputsOf(variant));
    if (this.graphOptions.quantize === "int8") graph = quantizeMatMul(graph, { layout: this.graphOptions.int8Weights ?? DEFAULT_WEIGHT_LAYOUT }).graph;
    return serializeGraph(graph, {
      docString: `specieslm ${variant} graph for ${this.folder.dir}${this.graphOptions.quantize ? ` (${this.graphOptions.quantize})` : ""}`,
    });
  }

  session(variant: GraphVariant): Promise<ModelSession> {
    let s = this.sessions.get(variant);
    if (!s) {
      s = this.createSession(this.onnxBytes(variant));
      // Drop a failed promise so the next call retries instead of failing forever.
      s.catch(() => this.sessions.delete(variant));
      this.sessions.set(variant, s);
    }
    return s;
  }

  /**
   * Tokenizes records the way this model was trained: the species token after [CLS] ("token"),
   * no species token but a species index ("embedding"), or neither ("none"). Each sequence is read
   * as modelWindow gives it: a record longer than the model is an InputError, and a five_prime
   * model's shorter sequences are left-padded (sequence-window.ts).
   */
  encode(items: readonly { id?: string; sequence: string; species: string | null; speciesProxy?: string }[]): ModelFeeds & EncodedBatch {
    const mode = this.config.conditioning;
    const batch = encodeBatch(
      this.tokenizer,
      items.map((it) => ({
        sequence: modelWindow(this, it).item.sequence,
        species: mode === "token" ? it.species : null,
        ...(it.id !== undefined ? { record: it.id } : {}),
        ...(it.speciesProxy !== undefined ? { speciesProxy: it.speciesProxy } : {}),
      })),
    );
    if (mode !== "embedding") return batch;
    return {
      ...batch,
      speciesIds: i64(
        [items.length],
        items.map((it) => this.speciesRow(it)),
      ),
    };
  }

  /** Row of the species-embedding table for a record ("embedding" conditioning). */
  speciesRow(it: { id?: string; species: string | null; speciesProxy?: string }): number {
    if (it.species === null) throw new InputError(`${it.id ?? "a sequence"}: an embedding-conditioned model needs a species for every sequence`);
    return this.tokenizer.vocab.speciesIndex(this.tokenizer.speciesId(it.species, it.speciesProxy));
  }

  async run(variant: GraphVariant, feeds: ModelFeeds, extra: Record<string, HostTensor> = {}): Promise<Record<string, HostTensor>> {
    const s = await this.session(variant);
    const all: Record<string, HostTensor> = { input_ids: feeds.inputIds, attention_mask: feeds.attentionMask, ...extra };
    if (this.config.conditioning === "embedding") {
      if (!feeds.speciesIds) throw new TypeError("an embedding-conditioned model needs species ids");
      all.species_ids = feeds.speciesIds;
    }
    return s.run(all);
  }

  async release(): Promise<void> {
    for (const s of this.sessions.values()) await (await s).release();
    this.sessions.clear();
  }
}
