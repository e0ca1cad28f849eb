import { InputError } from "../errors.js";
import { readFasta } from "../io/fasta-reader.js";
import { extractRegionsFromFiles } from "../sequence/extract-files.js";
import type { ExtractSummary } from "../sequence/extract-regions.js";
import type { RegionType } from "../sequence/region.js";
import { orthologKey } from "./gene-key.js";
import { readManifest, type ManifestSource } from "./manifest.js";
import type { Corpus } from "./types.js";
import { writeCorpus, type CorpusInput } from "./write-corpus.js";

export interface BuildCorpusOptions {
  readonly manifest: string;
  readonly outDir: string;
  readonly seed?: number;
  readonly splitFractions?: readonly [number, number, number];
  /** Region for extract rows without a `region` column (default three_prime). */
  readonly region?: RegionType;
  /** Called after each manifest row, e.g. for progress output. */
  readonly onSource?: (source: ManifestSource, records: number, summary: ExtractSummary | undefined) => void;
}

export interface BuildCorpusResult {
  readonly corpus: Corpus;
  /** Extraction summaries of the genome + annotation rows, in manifest order. */
  readonly extractSummaries: ExtractSummary[];
}

const decode = (u: Uint8Array): string => Buffer.from(u).toString("latin1");

/** Gene key from a FASTA description: `gene=NAME` (as written by `specieslm extract`) when present. */
function keyFromDescription(id: string, description: string): string {
  const m = /(?:^|\s)gene=(\S+)/.exec(description);
  return orthologKey(m?.[1], id);
}

/** One manifest row's records (read from its FASTA or extracted from its genome) and its extraction summary. */
export async function recordsOf(src: ManifestSource, defaultRegion: RegionType): Promise<[CorpusInput[], ExtractSummary | undefined]> {
  if (src.kind === "fasta") {
    const out: CorpusInput[] = [];
    for await (const r of readFasta(src.fasta)) {
      out.push({ id: r.id, species: src.species, gene: keyFromDescription(r.id, r.description), sequence: decode(r.sequence) });
    }
    return [out, undefined];
  }
  const { regions, summary } = await extractRegionsFromFiles({
    genome: src.genome,
    annotation: src.annotation,
    species: src.species,
    region: src.region ?? defaultRegion,
    length: src.length,
  });
  const records = regions.map((r) => ({
    id: r.geneId,
    species: src.species,
    gene: orthologKey(r.name, r.geneId),
    sequence: decode(r.sequence),
  }));
  return [records, summary];
}

/** The corpus's region type: the one all rows agree on, null when no row says, an error when they differ. */
export function corpusRegion(sources: readonly ManifestSource[], defaultRegion: RegionType): string | null {
  const kinds = new Set(sources.map((s) => s.region ?? (s.kind === "extract" ? defaultRegion : undefined)).filter((r) => r !== undefined));
  if (kinds.size > 1) throw new InputError(`manifest mixes region types (${[...kinds].join(", ")}); build one corpus per region type`);
  return kinds.size === 1 ? [...kinds][0]! : null;
}

/**
 * Builds a corpus folder from a manifest (see `readManifest`): extracts or reads every row's regions,
 * then deduplicates, splits by orthology key and writes it (see `writeCorpus`).
 */
export async function buildCorpus(options: BuildCorpusOptions): Promise<BuildCorpusResult> {
  const sources = await readManifest(options.manifest);
  const defaultRegion = options.region ?? "three_prime";
  const region = corpusRegion(sources, defaultRegion);
  const inputs: CorpusInput[] = [];
  const extractSummaries: ExtractSummary[] = [];
  for (const src of sources) {
    const [records, summary] = await recordsOf(src, defaultRegion);
    for (const r of records) inputs.push(r);
    if (summary) extractSummaries.push(summary);
    options.onSource?.(src, records.length, summary);
  }
  const corpus = await writeCorpus(options.outDir, inputs, {
    region,
    seed: options.seed ?? 42,
    splitFractions: options.splitFractions ?? [0.8, 0.1, 0.1],
    sources: sources.map((s) => s.row),
  });
  return { corpus, extractSummaries };
}
