import { ConfigError, InputError } from "../errors.js";
import type { NucleotideProbs } from "../baselines/nucleotide-predictor.js";
import { reconstruct } from "../infer/reconstruct.js";
import { SPECIES_EMBEDDINGS } from "../model/param-layout.js";
import type { MaskedLanguageModel } from "../runtime/masked-lm.js";
import { mulberry32 } from "../rng.js";
import { leafNames, neighbourJoining, pruneToLeaves, robinsonFoulds, upgma, type DistanceMatrix, type RobinsonFoulds, type TreeNode } from "./tree.js";

/**
 * The model's species as a map: a distance between every pair of species the model knows, and the
 * trees built from it.
 *
 * - "rows": cosine distance between the species' own parameter vectors: rows of
 *   `specieslm.species_embeddings.weight` (conditioning "embedding") or the species-token rows of
 *   `bert.embeddings.word_embeddings.weight` ("token"). Cheap, but only says what the parameters are.
 * - "behaviour": how differently the model predicts when told A vs B: the mean, over every nucleotide
 *   of a fixed probe set, of the Jensen-Shannon divergence (base 2, so in [0, 1]) between the per-
 *   nucleotide P(A,C,G,T) reconstructed under species A and under species B, on the same sequences.
 *   This measures the species' effect on the output, which is what a species lens is about.
 */
export type SpeciesMapMethod = "rows" | "behaviour";

export interface ProbeSequence {
  readonly id: string;
  readonly sequence: string;
}

export interface SpeciesMapOptions {
  readonly method: SpeciesMapMethod;
  /** Probe sequences for "behaviour" (default: `defaultProbes()`). Their species, if any, is ignored. */
  readonly probes?: readonly ProbeSequence[];
  /** Masked spans per forward pass of the reconstructions (default 8; 1 is the exact recipe). */
  readonly spansPerPass?: number;
  readonly batchSize?: number;
  /** Called after each species' reconstruction for "behaviour". */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface SpeciesMap {
  readonly method: SpeciesMapMethod;
  readonly species: readonly string[];
  readonly distances: DistanceMatrix;
  readonly upgma: TreeNode;
  readonly nj: TreeNode;
  /** Nucleotides compared per pair ("behaviour"), 0 for "rows". */
  readonly nucleotides: number;
}

const WORD_EMBEDDINGS = "bert.embeddings.word_embeddings.weight";

/** Species names the model can be told, in vocabulary order. Errors for species-agnostic models. */
export function modelSpecies(model: MaskedLanguageModel): readonly string[] {
  const names = model.tokenizer.vocab.speciesNames;
  if (model.config.conditioning === "none") {
    throw new ConfigError(`${model.folder.dir} is species-agnostic (specieslm_conditioning "none"): it has no species to map`);
  }
  if (names.length < 2) throw new ConfigError(`${model.folder.dir} knows ${names.length} species; a species map needs at least 2`);
  return names;
}

/** `[H]` parameter vector per species: species-embedding rows ("embedding") or species-token rows ("token"). */
export function speciesRowVectors(model: MaskedLanguageModel): { species: readonly string[]; vectors: Float32Array[] } {
  const species = modelSpecies(model);
  const H = model.config.hiddenSize;
  const embedding = model.config.conditioning === "embedding";
  const table = model.folder.weights.get(embedding ? SPECIES_EMBEDDINGS : WORD_EMBEDDINGS);
  if (!table) throw new ConfigError(`${model.folder.weightsFile} has no ${embedding ? SPECIES_EMBEDDINGS : WORD_EMBEDDINGS}`);
  const vectors = species.map((name, i) => {
    const row = embedding ? i : model.tokenizer.vocab.speciesIds.get(name)!;
    return table.data.slice(row * H, (row + 1) * H);
  });
  return { species, vectors };
}

/** 1 - cosine similarity between every pair of vectors (0 on the diagonal, in [0, 2]). */
export function cosineDistances(labels: readonly string[], vectors: readonly Float32Array[]): DistanceMatrix {
  const n = labels.length;
  const norms = vectors.map((v) => Math.sqrt(v.reduce((s, x) => s + x * x, 0)));
  const values = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      let dot = 0;
      const va = vectors[a]!,
        vb = vectors[b]!;
      for (let i = 0; i < va.length; i++) dot += va[i]! * vb[i]!;
      const denom = norms[a]! * norms[b]!;
      values[a * n + b] = values[b * n + a] = denom > 0 ? Math.max(0, 1 - dot / denom) : 1;
    }
  }
  return { labels, values };
}

/** Jensen-Shannon divergence (bits) of two `[4]` distributions at offsets `oa`, `ob`. */
function jsd4(p: Float32Array, oa: number, q: Float32Array, ob: number): number {
  let s = 0;
  for (let c = 0; c < 4; c++) {
    const x = p[oa + c]!,
      y = q[ob + c]!;
    const m = (x + y) / 2;
    if (x > 0) s += x * Math.log2(x / m);
    if (y > 0) s += y * Math.log2(y / m);
  }
  return Math.max(0, s / 2);
}

/** Mean per-nucleotide JSD between two sets of reconstructions of the same sequences. */
export function meanJensenShannon(a: readonly NucleotideProbs[], b: readonly NucleotideProbs[]): number {
  let sum = 0,
    n = 0;
  a.forEach((pa, r) => {
    const pb = b[r]!;
    for (let o = 0; o < pa.length; o += 4) {
      sum += jsd4(pa, o, pb, o);
      n++;
    }
  });
  return n ? sum / n : 0;
}

/**
 * Random uniform ACGT probes (deterministic seed). A neutral default: the model's species effect shows on
 * any input; real 3'/5' regions (`--probe`) make it more representative of the data.
 */
export function defaultProbes(count = 12, length = 150, seed = 7): ProbeSequence[] {
  const rand = mulberry32(seed).next;
  return Array.from({ length: count }, (_, i) => ({
    id: `probe${i}`,
    sequence: Array.from({ length }, () => "ACGT"[Math.floor(rand() * 4)]).join(""),
  }));
}

/** Per-species reconstructions of the probes: `[species][probe]` -> `[L*4]`. */
export async function reconstructUnderEachSpecies(
  model: MaskedLanguageModel,
  species: readonly string[],
  probes: readonly ProbeSequence[],
  o: Pick<SpeciesMapOptions, "spansPerPass" | "batchSize" | "onProgress"> = {},
): Promise<NucleotideProbs[][]> {
  const out: NucleotideProbs[][] = [];
  for (const sp of species) {
    const items = probes.map((p) => ({ id: p.id, sequence: p.sequence, species: sp }));
    out.push(await reconstruct(model, items, { spansPerPass: o.spansPerPass ?? 8, ...(o.batchSize ? { batchSize: o.batchSize } : {}) }));
    o.onProgress?.(out.length, species.length);
  }
  return out;
}

/** Builds the species map of a model by the chosen method, with its UPGMA and NJ trees. */
export async function buildSpeciesMap(model: MaskedLanguageModel, o: SpeciesMapOptions): Promise<SpeciesMap> {
  const species = modelSpecies(model);
  let distances: DistanceMatrix;
  let nucleotides = 0;
  if (o.method === "rows") {
    distances = cosineDistances(species, speciesRowVectors(model).vectors);
  } else {
    const probes = o.probes ?? defaultProbes();
    if (probes.length === 0) throw new InputError("the behaviour species map needs at least one probe sequence");
    const recs = await reconstructUnderEachSpecies(model, species, probes, o);
    const n = species.length;
    const values = new Float64Array(n * n);
    for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) values[a * n + b] = values[b * n + a] = meanJensenShannon(recs[a]!, recs[b]!);
    distances = { labels: species, values };
    nucleotides = probes.reduce((s, p) => s + p.sequence.length, 0);
  }
  return { method: o.method, species, distances, upgma: upgma(distances), nj: neighbourJoining(distances), nucleotides };
}

export interface ReferenceComparison {
  /** Leaves compared (reference leaves; the map's trees are pruned to them). */
  readonly leaves: readonly string[];
  /** Model species that the reference does not have (left out of the comparison). */
  readonly notInReference: readonly string[];
  readonly upgma: RobinsonFoulds;
  readonly nj: RobinsonFoulds;
}

/** Leaves of a reference tree, after checking each is a model species by exact name (cheap: run it before the map). */
export function checkReferenceLeaves(species: readonly string[], reference: TreeNode, source = "reference tree"): string[] {
  const leaves = leafNames(reference);
  const known = new Set(species);
  const unmatched = leaves.filter((l) => !known.has(l));
  if (unmatched.length) {
    throw new InputError(
      `${source}: leaves ${unmatched.map((l) => `"${l}"`).join(", ")} are not species of the model; ` +
        `rename them to the model's species names (${species.join(", ")})`,
    );
  }
  return leaves;
}

/**
 * Robinson-Foulds distances of the map's trees to a reference tree. Reference leaves must be model
 * species by exact name (an error lists those that are not, and the model's names); model species
 * missing from the reference are pruned from the map's trees and reported.
 */
export function compareWithReference(map: SpeciesMap, reference: TreeNode, source = "reference tree"): ReferenceComparison {
  const leaves = checkReferenceLeaves(map.species, reference, source);
  const keep = new Set(leaves);
  const notInReference = map.species.filter((s) => !keep.has(s));
  const rf = (t: TreeNode): RobinsonFoulds => robinsonFoulds(pruneToLeaves(t, keep), reference);
  return { leaves, notInReference, upgma: rf(map.upgma), nj: rf(map.nj) };
}

/** Distance matrix as TSV: a header `species` + labels, then one row per label (6 significant digits). */
export function distanceMatrixTsv(d: DistanceMatrix): string {
  const n = d.labels.length;
  const rows = d.labels.map((l, a) => [l, ...Array.from({ length: n }, (_, b) => Number(d.values[a * n + b]!.toPrecision(6)))].join("\t"));
  return [["species", ...d.labels].join("\t"), ...rows].join("\n") + "\n";
}

/** The nearest other label to `label` in a distance matrix (ties: first in label order), among `among` if given. */
export function nearestLabel(d: DistanceMatrix, label: string, among?: ReadonlySet<string>): string {
  const n = d.labels.length;
  const a = d.labels.indexOf(label);
  if (a < 0) throw new InputError(`"${label}" is not in the distance matrix (labels: ${d.labels.join(", ")})`);
  let best = "",
    bestD = Infinity;
  d.labels.forEach((l, b) => {
    if (b === a || (among && !among.has(l))) return;
    if (d.values[a * n + b]! < bestD) [best, bestD] = [l, d.values[a * n + b]!];
  });
  if (best === "") throw new InputError(`no candidate label near "${label}" in the distance matrix`);
  return best;
}
