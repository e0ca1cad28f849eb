import { access } from "node:fs/promises";
import { detectCompression } from "./compression.js";
import { writeFaiIndex } from "./fai-index.js";
import { loadGenome, type Genome } from "./genome.js";
import { IndexedFastaGenome } from "./indexed-genome.js";
import { isSeekableInput } from "./input-stream.js";

export interface OpenGenomeOptions {
  /** Build a missing `.fai` beside a plain FASTA file (default true). If that fails, load into memory. */
  readonly buildIndex?: boolean;
  /** Always load the whole genome into memory (fastest for many small fetches from a small genome). */
  readonly inMemory?: boolean;
}

const exists = (p: string): Promise<boolean> =>
  access(p).then(
    () => true,
    () => false,
  );

/**
 * Opens a genome FASTA for random access, choosing by content (magic bytes):
 * - plain FASTA: `.fai` beside it (built and written atomically when missing) via @gmod/indexedfasta;
 * - BGZF with `.fai` and `.gzi`: read through @gmod/indexedfasta's BGZF reader;
 * - plain gzip (not blocked), or BGZF lacking an index: decompressed and loaded contig by contig into
 *   memory; so is a FIFO or standard input, which cannot be indexed. We load rather than decompress to a cache file: yeast genomes are ~12 MB, reading one takes
 *   well under a second, and there is no cache to invalidate or clean up.
 */
export async function openGenome(path: string, options: OpenGenomeOptions = {}): Promise<Genome> {
  if (!isSeekableInput(path)) return loadGenome(path);
  const compression = await detectCompression(path, "genome FASTA");
  if (options.inMemory || compression === "gzip") return loadGenome(path);
  const fai = `${path}.fai`;
  if (compression === "bgzf") {
    const gzi = `${path}.gzi`;
    if ((await exists(fai)) && (await exists(gzi))) return IndexedFastaGenome.open(path, fai, gzi);
    return loadGenome(path);
  }
  if (!(await exists(fai))) {
    if (options.buildIndex === false) return loadGenome(path);
    try {
      await writeFaiIndex(path, fai);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "EACCES" || code === "EROFS" || code === "EPERM") return loadGenome(path);
      throw err;
    }
  }
  return IndexedFastaGenome.open(path, fai);
}
