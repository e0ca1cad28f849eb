import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ParseError } from "../errors.js";
import { writeFileAtomic } from "../io/atomic-write.js";
import { KmerCounts } from "./kmer-counts.js";
import { KmerModel, POOLED_KEY, resolveKmerOptions } from "./kmer-model.js";
import type { KmerKind, KmerModelOptions } from "./kmer-model.js";

/**
 * On-disk form of a k-mer baseline, a directory with two files:
 * - `baseline.json`: header (format, version, options, per-table species name, counted positions,
 *   byte offset and number of non-zero entries in counts.bin);
 * - `counts.bin`: per table, `nnz` pairs of little-endian uint32 (flat index, count), i.e. the sparse
 *   form of `KmerCounts.counts` (a (5, 5) table has 7.45 M cells but at most one per training position).
 * counts.bin is written before the header, each atomically, so a directory with a header is complete.
 */
export const KMER_FORMAT = "specieslm-kmer-baseline";
export const KMER_FORMAT_VERSION = 1;
const HEADER = "baseline.json";
const COUNTS = "counts.bin";

interface TableEntry {
  species: string;
  positions: number;
  sequences: number;
  byteOffset: number;
  nnz: number;
}

interface KmerHeader {
  format: string;
  version: number;
  options: KmerModelOptions;
  countsFile: string;
  tables: TableEntry[];
}

export async function saveKmerModel(model: KmerModel, dir: string): Promise<void> {
  const entries: Array<[string, KmerCounts]> = [...model.perSpecies.entries(), [POOLED_KEY, model.pooledCounts]];
  const chunks: Uint32Array[] = [];
  const tables: TableEntry[] = [];
  let byteOffset = 0;
  for (const [species, counts] of entries) {
    const sparse = toSparse(counts.counts);
    tables.push({ species, positions: counts.positions, sequences: counts.sequences, byteOffset, nnz: sparse.length / 2 });
    chunks.push(sparse);
    byteOffset += sparse.byteLength;
  }
  const bin = new Uint8Array(byteOffset);
  let at = 0;
  for (const c of chunks) {
    bin.set(new Uint8Array(c.buffer, c.byteOffset, c.byteLength), at);
    at += c.byteLength;
  }
  const header: KmerHeader = { format: KMER_FORMAT, version: KMER_FORMAT_VERSION, options: model.options, countsFile: COUNTS, tables };
  await writeFileAtomic(join(dir, COUNTS), bin);
  await writeFileAtomic(join(dir, HEADER), JSON.stringify(header, null, 2) + "\n");
}

export async function loadKmerModel(dir: string): Promise<KmerModel> {
  const headerPath = join(dir, HEADER);
  const header = parseHeader(headerPath, await readFile(headerPath, "utf8"));
  const { left, right } = header.options;
  const binPath = join(dir, header.countsFile);
  const bin = await readFile(binPath);
  const perSpecies = new Map<string, KmerCounts>();
  let pooled: KmerCounts | undefined;
  for (const t of header.tables) {
    if (t.byteOffset + t.nnz * 8 > bin.length) {
      throw new ParseError(binPath, `table "${t.species}" runs past the end of the file; re-run 'specieslm baseline fit'`);
    }
    const counts = new KmerCounts(left, right);
    fromSparse(bin, t.byteOffset, t.nnz, counts.counts, binPath);
    counts.positions = t.positions;
    counts.sequences = t.sequences;
    if (t.species === POOLED_KEY) pooled = counts;
    else perSpecies.set(t.species, counts);
  }
  if (!pooled) throw new ParseError(headerPath, `no pooled table listed; re-run 'specieslm baseline fit'`);
  return new KmerModel(header.options, perSpecies, pooled);
}

function toSparse(counts: Uint32Array): Uint32Array {
  let nnz = 0;
  for (let k = 0; k < counts.length; k++) if (counts[k] !== 0) nnz++;
  const out = new Uint32Array(nnz * 2);
  let j = 0;
  for (let k = 0; k < counts.length; k++) {
    const v = counts[k]!;
    if (v !== 0) {
      out[j++] = k;
      out[j++] = v;
    }
  }
  return out;
}

function fromSparse(bin: Buffer, byteOffset: number, nnz: number, into: Uint32Array, file: string): void {
  for (let j = 0; j < nnz; j++) {
    const k = bin.readUInt32LE(byteOffset + j * 8);
    if (k >= into.length) throw new ParseError(file, `index ${k} out of range for the table layout; the file is corrupt`);
    into[k] = bin.readUInt32LE(byteOffset + j * 8 + 4);
  }
}

function parseHeader(path: string, text: string): KmerHeader {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ParseError(path, `not valid JSON (${(err as Error).message})`, undefined, { cause: err });
  }
  const h = raw as Partial<KmerHeader>;
  if (h.format !== KMER_FORMAT) throw new ParseError(path, `not a k-mer baseline header (format "${String(h.format)}")`);
  if (h.version !== KMER_FORMAT_VERSION) {
    throw new ParseError(path, `header version ${String(h.version)} is not supported (expected ${KMER_FORMAT_VERSION}); re-fit the baseline`);
  }
  if (!h.options || !Array.isArray(h.tables) || typeof h.countsFile !== "string") {
    throw new ParseError(path, "header lacks options, tables or countsFile; re-fit the baseline");
  }
  const o = h.options;
  const options = resolveKmerOptions({ ...o, kind: o.kind as KmerKind });
  return { format: h.format, version: h.version, options, countsFile: h.countsFile, tables: h.tables };
}
