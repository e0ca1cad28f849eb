import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { InputError, ParseError } from "../errors.js";
import { readLines } from "../io/byte-stream.js";
import { CORPUS_FORMAT_VERSION, SPLIT_NAMES, type Corpus, type CorpusRecord, type SplitName } from "./types.js";
import { CORPUS_TSV_HEADER } from "./write-corpus.js";

/**
 * Reads `DIR/corpus.json` (species, counts per split, seed, region type, sources). Stable API used by
 * training and evaluation; throws InputError when the folder is not a corpus or has another format version.
 */
export async function readCorpus(dir: string): Promise<Corpus> {
  const path = join(dir, "corpus.json");
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new InputError(`not a corpus folder: ${path} is missing. Build one with 'specieslm corpus build' or 'corpus from-table'.`);
  }
  let parsed: Corpus;
  try {
    parsed = JSON.parse(text) as Corpus;
  } catch (err) {
    throw new ParseError(path, `invalid JSON (${(err as Error).message})`);
  }
  if (parsed.formatVersion !== CORPUS_FORMAT_VERSION) {
    throw new InputError(`${path}: corpus format version ${parsed.formatVersion}, this version reads ${CORPUS_FORMAT_VERSION}; rebuild the corpus`);
  }
  return { ...parsed, dir };
}

/**
 * Streams the records of one split (`DIR/<split>.tsv`, columns `id species gene sequence`) in file
 * order (sorted by species, gene, id), without loading the file into memory.
 */
export async function* readCorpusSplit(dir: string, split: SplitName): AsyncGenerator<CorpusRecord> {
  if (!(SPLIT_NAMES as readonly string[]).includes(split)) throw new InputError(`split must be one of ${SPLIT_NAMES.join(", ")}, got "${split}"`);
  const path = join(dir, `${split}.tsv`);
  let first = true;
  for await (const { text, lineNo } of readLines(path, "corpus split file")) {
    if (first) {
      if (text !== CORPUS_TSV_HEADER) throw new ParseError(path, `expected header "${CORPUS_TSV_HEADER.replaceAll("\t", " ")}"`, lineNo);
      first = false;
      continue;
    }
    if (text === "") continue;
    const cols = text.split("\t");
    if (cols.length !== 4) throw new ParseError(path, `expected 4 tab-separated columns, found ${cols.length}`, lineNo);
    yield { id: cols[0]!, species: cols[1]!, gene: cols[2]!, sequence: cols[3]! };
  }
}

/** All records of one split in memory, for jobs that need them together (training, fitting baselines). */
export async function loadCorpusSplit(dir: string, split: SplitName): Promise<CorpusRecord[]> {
  const out: CorpusRecord[] = [];
  for await (const r of readCorpusSplit(dir, split)) out.push(r);
  return out;
}
