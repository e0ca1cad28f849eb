import { Matrix } from "ml-matrix";
import { InputError, SpeciesLmError } from "../errors.js";
import { embedSequences } from "../infer/embed.js";
import type { MaskedLanguageModel, MaskedLanguageModelBase } from "../runtime/masked-lm.js";

/** One way of embedding the records: a model, optionally with a species proxy and a layer. */
export interface EmbeddingSource {
  readonly name: string;
  readonly model: MaskedLanguageModel;
  /** Species told for records of a species the model lacks. */
  readonly speciesProxy?: string;
  readonly fromLayer?: number;
}

export interface EmbeddableRecords {
  readonly path: string;
  readonly ids: readonly string[];
  readonly sequences: readonly string[];
  readonly species: readonly (string | null)[];
}

/**
 * Checks up front what the model cannot take (too short, longer than its positions, no species for a
 * conditioned model), so a long run does not stop half-way; the error names the file, record and fix.
 */
export function checkEmbeddable(model: MaskedLanguageModelBase, t: EmbeddableRecords): void {
  const tok = model.tokenizer;
  const conditioned = model.config.conditioning !== "none";
  const max = model.config.maxPositionEmbeddings;
  const maxNt = max - 2 - (model.config.conditioning === "token" ? 1 : 0) + tok.k - 1;
  t.sequences.forEach((s, i) => {
    const where = `${t.path}: record "${t.ids[i]}"`;
    if (s.length < tok.k)
      throw new InputError(`${where}: sequence of ${s.length} nt is shorter than the model's k-mer (${tok.k} nt); drop it or use longer regions`);
    if (s.length > maxNt)
      throw new InputError(
        `${where}: sequence of ${s.length} nt is longer than the model takes (${maxNt} nt, ${max} positions); trim the regions (e.g. stop codon + 297 nt for 3' regions) or drop it`,
      );
    if (conditioned && t.species[i] === null)
      throw new InputError(`${where} names no species and the model is species-conditioned; add a species column or pass --species`);
  });
}

/** Embeddings of every record ([records x hidden]), in table order. */
export async function embeddingMatrix(
  src: EmbeddingSource,
  t: EmbeddableRecords,
  o: { batchSize?: number; onProgress?: (done: number) => void } = {},
): Promise<Matrix> {
  checkEmbeddable(src.model, t);
  const agnostic = src.model.config.conditioning === "none";
  const records = t.ids.map((id, i) => ({ id, sequence: t.sequences[i]!, species: agnostic ? null : t.species[i]! }));
  const rows: Float64Array[] = [];
  try {
    for await (const { embedding } of embedSequences(src.model, records, {
      ...(o.batchSize ? { batchSize: o.batchSize } : {}),
      ...(src.fromLayer !== undefined ? { fromLayer: src.fromLayer } : {}),
      ...(src.speciesProxy ? { speciesProxy: src.speciesProxy } : {}),
    })) {
      rows.push(Float64Array.from(embedding));
      o.onProgress?.(rows.length);
    }
  } catch (err) {
    if (err instanceof SpeciesLmError) throw new InputError(`${t.path} (embedding with ${src.name}): ${err.message}`);
    throw err;
  }
  return new Matrix(rows);
}

/** What a proxied source's model was actually told: the proxy for the species it lacks, or each record's own. */
export function speciesToldNote(s: EmbeddingSource, species: readonly (string | null)[]): string {
  if (!s.speciesProxy) return "";
  const lacking = [...new Set(species.filter((x): x is string => x !== null && !s.model.tokenizer.vocab.speciesIds.has(x)))];
  return lacking.length
    ? `; species the model lacks (${lacking.join(", ")}) told as ${s.speciesProxy}`
    : `; the model knows every record's species and was told each record's own (--species-proxy ${s.speciesProxy} unused)`;
}
