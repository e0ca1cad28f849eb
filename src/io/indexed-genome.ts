import { BgzipIndexedFasta, IndexedFasta } from "@gmod/indexedfasta";
import { InputError } from "../errors.js";
import { upperCaseInPlace } from "../alphabet/iupac.js";
import type { Genome } from "./genome.js";

/**
 * A genome read on demand through `.fai` (plain FASTA) or `.fai` + `.gzi` (BGZF) with @gmod/indexedfasta:
 * only the requested bases are read, so memory stays small for large genomes.
 */
export class IndexedFastaGenome implements Genome {
  readonly path: string;
  readonly contigNames: readonly string[];
  private readonly sizes: Readonly<Record<string, number>>;
  private readonly reader: IndexedFasta;

  private constructor(path: string, reader: IndexedFasta, sizes: Record<string, number>, names: string[]) {
    this.path = path;
    this.reader = reader;
    this.sizes = sizes;
    this.contigNames = names;
  }

  /** Opens `path` with `faiPath` (and `gziPath` for BGZF). Index files must exist. */
  static async open(path: string, faiPath: string, gziPath?: string): Promise<IndexedFastaGenome> {
    const reader = gziPath ? new BgzipIndexedFasta({ path, faiPath, gziPath }) : new IndexedFasta({ path, faiPath });
    const [names, sizes] = await Promise.all([reader.getSequenceNames(), reader.getSequenceSizes()]);
    return new IndexedFastaGenome(path, reader, sizes, names);
  }

  contigLength(name: string): number | undefined {
    return Object.hasOwn(this.sizes, name) ? this.sizes[name] : undefined;
  }

  async fetch(name: string, start: number, end: number): Promise<Uint8Array> {
    const len = this.contigLength(name);
    if (len === undefined) throw new InputError(`contig "${name}" not in genome ${this.path}; known: ${this.contigNames.join(", ")}`);
    if (start < 0 || end > len || start > end) {
      throw new InputError(`interval ${name}:[${start},${end}) outside contig of length ${len} in ${this.path}`);
    }
    if (start === end) return new Uint8Array(0);
    const s = (await this.reader.getSequence(name, start, end)) ?? "";
    return upperCaseInPlace(Buffer.from(s, "latin1"));
  }
}
