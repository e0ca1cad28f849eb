import { openGenome } from "../io/open-genome.js";
import { extractRegions, type ExtractOptions, type ExtractResult } from "./extract-regions.js";
import { loadGeneModels } from "./gene-models-io.js";

export interface ExtractFilesOptions extends ExtractOptions {
  /** Genome FASTA (plain, gzip or BGZF). */
  readonly genome: string;
  /** GFF3 or GTF annotation (plain or gzip). */
  readonly annotation: string;
}

/** Opens the genome and annotation files and extracts one region per protein-coding gene. */
export async function extractRegionsFromFiles(options: ExtractFilesOptions): Promise<ExtractResult> {
  const [genome, models] = await Promise.all([openGenome(options.genome), loadGeneModels(options.annotation)]);
  return extractRegions(genome, models, options);
}
