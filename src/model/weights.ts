import { WeightsError } from "../errors.js";
import type { HostTensor } from "../host-tensor.js";
import type { BertConfig } from "./config.js";
import { paramLayout, TIED_DECODER_BIAS, TIED_DECODER_WEIGHT } from "./param-layout.js";

/** Parameters by Hugging Face state-dict name, all float32, shapes as in `paramLayout(config)`. */
export type Weights = Map<string, HostTensor<"float32">>;

/** Buffers and heads that Hugging Face itself ignores when loading BertForMaskedLM. */
const IGNORED = [/^bert\.embeddings\.position_ids$/, /^bert\.pooler\./, /^cls\.seq_relationship\./];

/** HF's own renames for old checkpoints: `bert.` prefix for BertModel-only dicts, gamma/beta LayerNorms. */
function canonicalName(name: string): string {
  let n = name;
  if (/^(embeddings|encoder|pooler)\./.test(n)) n = `bert.${n}`;
  n = n.replace(/\.LayerNorm\.gamma$/, ".LayerNorm.weight").replace(/\.LayerNorm\.beta$/, ".LayerNorm.bias");
  return n;
}

function sameValues(a: HostTensor, b: HostTensor): boolean {
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) return false;
  const x = a.data;
  const y = b.data;
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

function asFloat32(name: string, t: HostTensor, file: string): HostTensor<"float32"> {
  if (t.dtype === "float32") return t as HostTensor<"float32">;
  throw new WeightsError(`${file}: parameter "${name}" has dtype ${t.dtype}; expected a floating-point tensor`);
}

/** Drops ignored buffers, renames, and folds the tied decoder keys in after checking they are tied. */
function normaliseNames(raw: ReadonlyMap<string, HostTensor>, file: string): Map<string, HostTensor> {
  const out = new Map<string, HostTensor>();
  for (const [name, t] of raw) {
    const n = canonicalName(name);
    if (IGNORED.some((re) => re.test(n))) continue;
    out.set(n, t);
  }
  const dec = out.get(TIED_DECODER_WEIGHT);
  if (dec !== undefined) {
    const word = out.get("bert.embeddings.word_embeddings.weight");
    if (word !== undefined && !sameValues(dec, word)) {
      throw new WeightsError(
        `${file}: "${TIED_DECODER_WEIGHT}" differs from the word embeddings: untied decoders are not supported ` +
          `(SpeciesLM ties the MLM decoder to bert.embeddings.word_embeddings.weight)`,
      );
    }
    out.delete(TIED_DECODER_WEIGHT);
  }
  const decBias = out.get(TIED_DECODER_BIAS);
  if (decBias !== undefined) {
    const bias = out.get("cls.predictions.bias");
    if (bias === undefined) out.set("cls.predictions.bias", decBias);
    else if (!sameValues(decBias, bias)) {
      throw new WeightsError(`${file}: "${TIED_DECODER_BIAS}" differs from "cls.predictions.bias"; the checkpoint is inconsistent`);
    }
    out.delete(TIED_DECODER_BIAS);
  }
  return out;
}

/**
 * Turns a raw state dict (from safetensors or pytorch_model.bin) into checked float32 weights:
 * names normalised as Hugging Face does, tied keys verified and dropped, and every name and shape
 * compared with `paramLayout(config)`; all missing, unexpected and mis-shaped keys are listed at once.
 */
export function normaliseWeights(raw: ReadonlyMap<string, HostTensor>, config: BertConfig, file: string): Weights {
  const named = normaliseNames(raw, file);
  const layout = paramLayout(config);
  const missing: string[] = [];
  const misShaped: string[] = [];
  const weights: Weights = new Map();
  for (const [name, shape] of Object.entries(layout)) {
    const t = named.get(name);
    if (t === undefined) missing.push(name);
    else if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      misShaped.push(`${name}: [${t.shape}] but the config needs [${shape}]`);
    } else weights.set(name, asFloat32(name, t, file));
  }
  const unexpected = [...named.keys()].filter((n) => !(n in layout));
  const word = named.get("bert.embeddings.word_embeddings.weight");
  if (word !== undefined && word.shape[0] !== config.vocabSize) {
    throw new WeightsError(
      `${file}: vocab does not match the weights: word embeddings have ${word.shape[0]} rows but config.json ` + `vocab_size is ${config.vocabSize}`,
    );
  }
  if (missing.length + misShaped.length + unexpected.length > 0) {
    const parts = [
      missing.length ? `missing (${missing.length}): ${missing.join(", ")}` : "",
      unexpected.length ? `unexpected (${unexpected.length}): ${unexpected.join(", ")}` : "",
      misShaped.length ? `wrong shape (${misShaped.length}): ${misShaped.join("; ")}` : "",
    ].filter(Boolean);
    throw new WeightsError(
      `${file}: the weights do not match config.json (a BertForMaskedLM with ${config.numHiddenLayers} layers, ` +
        `hidden ${config.hiddenSize}, conditioning "${config.conditioning}"):\n  - ${parts.join("\n  - ")}\n` +
        `Check that config.json belongs to these weights.`,
    );
  }
  return weights;
}

/** Weights in the form Hugging Face saves to model.safetensors: every parameter once, tied keys left out. */
export function weightsForSaving(weights: ReadonlyMap<string, HostTensor<"float32">>, config: BertConfig): Map<string, HostTensor> {
  const layout = paramLayout(config);
  const out = new Map<string, HostTensor>();
  for (const name of Object.keys(layout)) {
    const t = weights.get(name);
    if (t === undefined) throw new WeightsError(`cannot save: parameter "${name}" is missing from the weights`);
    const shape = layout[name] as number[];
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      throw new WeightsError(`cannot save: parameter "${name}" has shape [${t.shape}] but the config needs [${shape}]`);
    }
    out.set(name, t);
  }
  return out;
}
