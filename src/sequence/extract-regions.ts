import { InputError } from "../errors.js";
import type { Genome } from "../io/genome.js";
import { shardSlice, type Shard } from "../io/shard.js";
import { resolveContigs } from "./chrom-alias.js";
import type { GeneModel, GeneModelSet } from "./gene-model.js";
import { DEFAULT_REGION_LENGTH, isAnchorCodon, regionInterval, STOP_CODONS, type RegionType } from "./region.js";
import { reverseComplement } from "./reverse-complement.js";

export interface ExtractOptions {
  /** Species label written to headers; no whitespace. */
  readonly species: string;
  readonly region: RegionType;
  /** Total region length; default 300 (three_prime) or 1003 (five_prime). Must be >= 3. */
  readonly length?: number;
  /** Keep regions that run off a contig end, shortened (default: drop them). Both are counted. */
  readonly keepTruncated?: boolean;
  /**
   * Only this contiguous block of the protein-coding genes (annotation order). Each gene gives at most
   * one region, in order, so the shards' outputs concatenated are the unsharded output. Contigs are
   * still matched over all genes, so every shard resolves names alike; the counts are the shard's.
   */
  readonly shard?: Shard | undefined;
}

/** One extracted region. `start`/`end` are genomic, 0-based half-open; `sequence` is in transcript orientation. */
export interface ExtractedRegion {
  readonly geneId: string;
  readonly name: string | undefined;
  readonly commonName: string | undefined;
  readonly species: string;
  readonly region: RegionType;
  readonly contig: string;
  readonly start: number;
  readonly end: number;
  readonly strand: "+" | "-";
  readonly sequence: Uint8Array;
  readonly truncated: boolean;
  /** Stop codon at the start (three_prime) / ATG at the end (five_prime). */
  readonly hasAnchorCodon: boolean;
}

export interface ExtractSummary {
  species: string;
  region: RegionType;
  length: number;
  /** Gene records in the annotation (protein-coding or not). */
  annotationGenes: number;
  written: number;
  /** Regions kept shorter than `length` because of --keep-truncated. */
  truncatedKept: number;
  skipped: { unknownContig: number; offContig: number; nonCoding: number; noStrand: number };
  /** Annotation sequence names absent from the genome (e.g. chrmt when the genome lacks the mitochondrion). */
  unmatchedContigs: string[];
  codon: { expected: string; withCodon: number; withoutCodon: number; withoutCodonExamples: string[] };
  /** CDSs without the stop codon whose next codon is a stop (GTF/Ensembl style): extended by 3 nt. */
  stopCodonAddedFromSequence: number;
}

export interface ExtractResult {
  readonly regions: ExtractedRegion[];
  readonly summary: ExtractSummary;
}

const codonAt = (seq: Uint8Array, i: number): string => Buffer.from(seq.subarray(i, i + 3)).toString("latin1");

/** Codon at genomic `[start, start+3)` read in transcript orientation, or "" when outside the contig. */
async function transcriptCodon(genome: Genome, contig: string, start: number, strand: "+" | "-"): Promise<string> {
  const len = genome.contigLength(contig) ?? 0;
  if (start < 0 || start + 3 > len) return "";
  const raw = await genome.fetch(contig, start, start + 3);
  return codonAt(strand === "+" ? raw : reverseComplement(raw), 0);
}

/**
 * Annotations differ on whether the CDS includes the stop codon. Unless `stop_codon` rows settled it,
 * look: if the CDS's last codon is not a stop but the next one is, the CDS excluded it; extend by 3.
 */
async function withStopCodon(genome: Genome, contig: string, g: GeneModel): Promise<[number, number, boolean]> {
  if (g.stopFromAnnotation) return [g.cdsStart, g.cdsEnd, false];
  const plus = g.strand === "+";
  const last = await transcriptCodon(genome, contig, plus ? g.cdsEnd - 3 : g.cdsStart, g.strand);
  if (STOP_CODONS.has(last)) return [g.cdsStart, g.cdsEnd, false];
  const next = await transcriptCodon(genome, contig, plus ? g.cdsEnd : g.cdsStart - 3, g.strand);
  if (!STOP_CODONS.has(next)) return [g.cdsStart, g.cdsEnd, false];
  return plus ? [g.cdsStart, g.cdsEnd + 3, true] : [g.cdsStart - 3, g.cdsEnd, true];
}

/**
 * Extracts one region per gene model from `genome`, in transcript orientation (minus strand reverse-
 * complemented). Annotation chromosome names are matched to contigs through `resolveContigs`.
 */
export async function extractRegions(genome: Genome, models: GeneModelSet, options: ExtractOptions): Promise<ExtractResult> {
  const length = options.length ?? DEFAULT_REGION_LENGTH[options.region];
  if (!Number.isInteger(length) || length < 3) throw new InputError(`region length must be an integer >= 3, got ${length}`);
  if (!/^\S+$/.test(options.species)) throw new InputError(`species name "${options.species}" must be non-empty without whitespace; use underscores`);
  const seqids = [...new Set(models.genes.map((g) => g.seqid))];
  const resolution = resolveContigs(seqids, genome.contigNames, genome.path);
  const summary: ExtractSummary = {
    species: options.species,
    region: options.region,
    length,
    annotationGenes: models.genes.length + models.skipped.nonCoding + models.skipped.noStrand,
    written: 0,
    truncatedKept: 0,
    skipped: { unknownContig: 0, offContig: 0, ...models.skipped },
    unmatchedContigs: [...resolution.unmatched],
    codon: {
      expected: options.region === "three_prime" ? "TAA/TAG/TGA at start" : "ATG at end",
      withCodon: 0,
      withoutCodon: 0,
      withoutCodonExamples: [],
    },
    stopCodonAddedFromSequence: 0,
  };
  const regions: ExtractedRegion[] = [];
  for (const g of shardSlice(models.genes, options.shard)) {
    const contig = resolution.map.get(g.seqid);
    if (contig === undefined) {
      summary.skipped.unknownContig++;
      continue;
    }
    const r = await extractOne(genome, contig, g, options, length, summary);
    if (r) regions.push(r);
  }
  return { regions, summary };
}

async function extractOne(
  genome: Genome,
  contig: string,
  g: GeneModel,
  options: ExtractOptions,
  length: number,
  summary: ExtractSummary,
): Promise<ExtractedRegion | undefined> {
  const contigLen = genome.contigLength(contig) ?? 0;
  let [cdsStart, cdsEnd] = [g.cdsStart, g.cdsEnd];
  if (options.region === "three_prime") {
    const [s, e, added] = await withStopCodon(genome, contig, g);
    [cdsStart, cdsEnd] = [s, e];
    if (added) summary.stopCodonAddedFromSequence++;
  }
  let { start, end } = regionInterval(cdsStart, cdsEnd, g.strand, options.region, length);
  const truncated = start < 0 || end > contigLen;
  if (truncated) {
    start = Math.max(0, start);
    end = Math.min(contigLen, end);
    if (!options.keepTruncated || end - start < 3) {
      summary.skipped.offContig++;
      return undefined;
    }
    summary.truncatedKept++;
  }
  const raw = await genome.fetch(contig, start, end);
  const sequence = g.strand === "+" ? Uint8Array.from(raw) : reverseComplement(raw);
  const codon = options.region === "three_prime" ? codonAt(sequence, 0) : codonAt(sequence, sequence.length - 3);
  const hasAnchorCodon = isAnchorCodon(options.region, codon);
  if (hasAnchorCodon) summary.codon.withCodon++;
  else {
    summary.codon.withoutCodon++;
    if (summary.codon.withoutCodonExamples.length < 20) summary.codon.withoutCodonExamples.push(g.id);
  }
  summary.written++;
  return {
    geneId: g.id,
    name: g.name,
    commonName: g.commonName,
    species: options.species,
    region: options.region,
    contig,
    start,
    end,
    strand: g.strand,
    sequence,
    truncated,
    hasAnchorCodon,
  };
}
