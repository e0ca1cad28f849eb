import { InputError } from "../errors.js";
import { readFasta } from "./fasta-reader.js";

/**
 * Random access to the contigs of one genome. Coordinates are 0-based half-open: `fetch(c, 0, 3)` is the
 * first three bases. Sequences come back upper-cased.
 */
export interface Genome {
  readonly path: string;
  /** Contig names in file order. */
  readonly contigNames: readonly string[];
  contigLength(name: string): number | undefined;
  /** Bases `[start, end)` of `name`; both ends must lie within the contig. */
  fetch(name: string, start: number, end: number): Promise<Uint8Array>;
}

/** A genome held in memory, one `Uint8Array` per contig (a 12 Mb yeast genome needs ~12 MB). */
export class InMemoryGenome implements Genome {
  readonly path: string;
  readonly contigNames: readonly string[];
  private readonly contigs: ReadonlyMap<string, Uint8Array>;

  constructor(path: string, contigs: ReadonlyMap<string, Uint8Array>) {
    this.path = path;
    this.contigs = contigs;
    this.contigNames = [...contigs.keys()];
  }

  contigLength(name: string): number | undefined {
    return this.contigs.get(name)?.length;
  }

  /** Synchronous fetch: a view into the contig, not a copy. */
  fetchSync(name: string, start: number, end: number): Uint8Array {
    const seq = this.contigs.get(name);
    if (!seq) throw new InputError(`contig "${name}" not in genome ${this.path}; known: ${this.contigNames.join(", ")}`);
    if (start < 0 || end > seq.length || start > end) {
      throw new InputError(`interval ${name}:[${start},${end}) outside contig of length ${seq.length} in ${this.path}`);
    }
    return seq.subarray(start, end);
  }

  async fetch(name: string, start: number, end: number): Promise<Uint8Array> {
    return this.fetchSync(name, start, end);
  }
}

/**
 * Loads every contig of a FASTA file (plain, gzip or BGZF) into memory, streaming record by record.
 * This is the path for plain-gzip genomes, which cannot be randomly accessed without decompressing.
 */
export async function loadGenome(path: string): Promise<InMemoryGenome> {
  const contigs = new Map<string, Uint8Array>();
  for await (const rec of readFasta(path, { uppercase: true })) {
    if (contigs.has(rec.id)) throw new InputError(`duplicate contig name "${rec.id}" in ${path}; contig names must be unique`);
    contigs.set(rec.id, rec.sequence);
  }
  if (contigs.size === 0) throw new InputError(`no FASTA records in genome file ${path}`);
  return new InMemoryGenome(path, contigs);
}
