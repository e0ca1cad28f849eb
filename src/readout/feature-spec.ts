import { InputError } from "../errors.js";

/** One block of features; a feature set is one or more blocks side by side. */
export type FeatureBlock =
  | { readonly kind: "kmer"; readonly k: number }
  | { readonly kind: "gc" }
  | { readonly kind: "length" }
  /** Table columns as they are, or as fractions of their row sum (codon counts -> codon usage). */
  | { readonly kind: "cov"; readonly columns: readonly string[]; readonly fraction: boolean; readonly label: string }
  /** Model embeddings; `source` names one model (and species proxy) among those computed. */
  | { readonly kind: "embed"; readonly source?: string }
  /** No features: the out-of-fold predictions of a cross-validated fine-tuning run (finetune --folds). */
  | { readonly kind: "finetune"; readonly run: string };

export interface FeatureSet {
  readonly name: string;
  readonly blocks: readonly FeatureBlock[];
  /** The name was given (NAME=...), not derived from the blocks. */
  readonly given?: boolean;
}

export const FEATURE_SYNTAX =
  "feature sets separated by ',', blocks inside a set joined by '+': kmerK (K = 1..6), gc, length, embed, " +
  "cov:COL or cov:FIRST..LAST (table columns), covfrac:FIRST..LAST (as fractions of their row sum); NAME=... names a set; " +
  "finetune:RUN (the out-of-fold predictions of `finetune --folds` into RUN, on the same folds); " +
  "e.g. kmer3+gc+length,embed,codons=covfrac:TTT..GGG";

export function blockName(b: FeatureBlock): string {
  switch (b.kind) {
    case "kmer":
      return `kmer${b.k}`;
    case "cov":
      return b.label;
    case "embed":
      return b.source ? `embed[${b.source}]` : "embed";
    case "finetune":
      return `finetune[${b.run.replace(/\/+$/, "").split("/").pop()}]`;
    default:
      return b.kind;
  }
}

/** Columns a `cov:` spec names: one column, or an inclusive range in header order. */
function covColumns(spec: string, header: readonly string[]): string[] {
  const [first, last] = spec.split("..");
  const i = header.indexOf(first!);
  if (i < 0) throw new InputError(`feature "${spec}": no column "${first}" in the table (header: ${header.join(", ")})`);
  if (last === undefined) return [first!];
  const j = header.indexOf(last);
  if (j < i)
    throw new InputError(`feature "${spec}": column "${last}" ${j < 0 ? "is not in the table" : `comes before "${first}"`}; give FIRST..LAST in header order`);
  return header.slice(i, j + 1) as string[];
}

/**
 * Parses --features against the table's header. `embed` blocks are expanded later, once per model
 * (and species proxy), by expandEmbeddings.
 */
export function parseFeatureSets(spec: string, header: readonly string[]): FeatureSet[] {
  const sets = spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (!sets.length) throw new InputError(`--features is empty; give ${FEATURE_SYNTAX}`);
  return sets.map((item) => {
    const named = /^([^=:]+)=(.+)$/.exec(item);
    const set = named ? named[2]! : item;
    const blocks = set.split("+").map((tok): FeatureBlock => {
      const t = tok.trim();
      const kmer = /^kmer([1-6])$/.exec(t);
      if (kmer) return { kind: "kmer", k: Number(kmer[1]) };
      if (t === "gc" || t === "length" || t === "embed") return { kind: t };
      const ft = /^finetune:(.+)$/.exec(t);
      if (ft) {
        if (set.includes("+")) throw new InputError(`feature set "${item}": finetune:RUN is a set of its own (predictions, not features to join)`);
        return { kind: "finetune", run: ft[1]! };
      }
      const cov = /^(cov|covfrac):(.+)$/.exec(t);
      if (cov) return { kind: "cov", columns: covColumns(cov[2]!, header), fraction: cov[1] === "covfrac", label: t };
      throw new InputError(`unknown feature "${t}"; ${FEATURE_SYNTAX}`);
    });
    return { name: named ? named[1]!.trim() : blocks.map(blockName).join("+"), blocks, ...(named ? { given: true } : {}) };
  });
}

/** One set per embedding source for every set that holds `embed`; other sets as they are. */
export function expandEmbeddings(sets: readonly FeatureSet[], sources: readonly string[]): FeatureSet[] {
  return sets.flatMap((s) => {
    if (!s.blocks.some((b) => b.kind === "embed")) return [s];
    if (!sources.length) throw new InputError(`feature set "${s.name}" uses embed: give --model`);
    return sources.map((source) => {
      const blocks = s.blocks.map((b) => (b.kind === "embed" ? { kind: "embed" as const, source } : b));
      return { name: s.given ? `${s.name}[${source}]` : blocks.map(blockName).join("+"), blocks, ...(s.given ? { given: true } : {}) };
    });
  });
}

/** Table columns every set reads. */
export function covariateColumns(sets: readonly FeatureSet[]): string[] {
  return [...new Set(sets.flatMap((s) => s.blocks.flatMap((b) => (b.kind === "cov" ? b.columns : []))))];
}
