import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { InputError, ParseError } from "../errors.js";
import { withAtomicWriter, writeFileAtomic } from "../io/atomic-write.js";
import { shardSlice, type Shard } from "../io/shard.js";
import { readTsv } from "../io/tsv-reader.js";
import type { ExtractSummary } from "../sequence/extract-regions.js";
import type { RegionType } from "../sequence/region.js";
import { corpusRegion, recordsOf, type BuildCorpusOptions } from "./build-corpus.js";
import { readManifest } from "./manifest.js";
import type { Corpus } from "./types.js";
import { checkFields, CORPUS_TSV_HEADER, writeCorpus, type CorpusInput } from "./write-corpus.js";

/**
 * A corpus part: the records of one shard of a manifest's rows (one species per part when the
 * manifest has a row per species), before deduplication and splitting. Both of those are per species
 * and independent of input order, so `mergeCorpusParts` over all parts writes exactly the corpus
 * `buildCorpus` writes from the whole manifest; the parts can be built on different machines.
 */
export interface CorpusPartInfo {
  readonly kind: "specieslm-corpus-part";
  readonly formatVersion: 1;
  readonly shard: Shard;
  readonly region: string | null;
  readonly seed: number;
  readonly splitFractions: readonly [number, number, number];
  /** The manifest rows of this part, in manifest order. */
  readonly sources: ReadonlyArray<Readonly<Record<string, string>>>;
  readonly records: number;
}

const PART_JSON = "part.json";
const PART_RECORDS = "records.tsv";

export interface BuildCorpusPartResult {
  readonly part: CorpusPartInfo;
  readonly extractSummaries: ExtractSummary[];
}

/** `corpus build --shard i/n`: extracts or reads the shard's manifest rows and writes them as a part folder. */
export async function buildCorpusPart(options: BuildCorpusOptions & { readonly shard: Shard }): Promise<BuildCorpusPartResult> {
  const all = await readManifest(options.manifest);
  const defaultRegion: RegionType = options.region ?? "three_prime";
  // Over every row, so a mixed manifest fails in each shard before any work, as the unsharded build does.
  const region = corpusRegion(all, defaultRegion);
  const sources = shardSlice(all, options.shard);
  const extractSummaries: ExtractSummary[] = [];
  const inputs: CorpusInput[] = [];
  for (const src of sources) {
    const [records, summary] = await recordsOf(src, defaultRegion);
    for (const r of records) {
      checkFields(r);
      inputs.push(r);
    }
    if (summary) extractSummaries.push(summary);
    options.onSource?.(src, records.length, summary);
  }
  const part: CorpusPartInfo = {
    kind: "specieslm-corpus-part",
    formatVersion: 1,
    shard: options.shard,
    region,
    seed: options.seed ?? 42,
    splitFractions: options.splitFractions ?? [0.8, 0.1, 0.1],
    sources: sources.map((s) => s.row),
    records: inputs.length,
  };
  await withAtomicWriter(join(options.outDir, PART_RECORDS), async (w) => {
    await w.write(CORPUS_TSV_HEADER + "\n");
    for (let i = 0; i < inputs.length; i += 1024) {
      await w.write(
        inputs
          .slice(i, i + 1024)
          .map((r) => `${r.id}\t${r.species}\t${r.gene}\t${r.sequence}\n`)
          .join(""),
      );
    }
  });
  // part.json last: a folder with it is a complete part.
  await writeFileAtomic(join(options.outDir, PART_JSON), JSON.stringify(part, null, 2) + "\n");
  return { part, extractSummaries };
}

async function readPartInfo(dir: string): Promise<CorpusPartInfo> {
  const path = join(dir, PART_JSON);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new InputError(`not a corpus part: ${path} is missing. Build parts with 'specieslm corpus build --shard i/n -o DIR'.`);
  }
  let info: CorpusPartInfo;
  try {
    info = JSON.parse(text) as CorpusPartInfo;
  } catch (err) {
    throw new ParseError(path, `invalid JSON (${(err as Error).message})`);
  }
  if (info.kind !== "specieslm-corpus-part" || info.formatVersion !== 1)
    throw new ParseError(path, "not a specieslm corpus part of format version 1; rebuild it with this version");
  return info;
}

/**
 * `corpus merge`: checks that the parts are shards 0..n-1 of one build (same n, seed, split and
 * region; each shard once, in any order), then deduplicates, splits and writes the corpus.
 */
export async function mergeCorpusParts(partDirs: readonly string[], outDir: string): Promise<Corpus> {
  if (partDirs.length === 0) throw new InputError("corpus merge needs the part folders written by 'corpus build --shard i/n'");
  const parts = await Promise.all(partDirs.map(async (dir) => ({ dir, info: await readPartInfo(dir) })));
  const first = parts[0]!.info;
  const n = first.shard.count;
  const seen = new Map<number, string>();
  for (const { dir, info } of parts) {
    const differs =
      info.shard.count !== n
        ? `shard count ${info.shard.count} vs ${n}`
        : info.seed !== first.seed
          ? `seed ${info.seed} vs ${first.seed}`
          : info.splitFractions.join(",") !== first.splitFractions.join(",")
            ? `split ${info.splitFractions.join(",")} vs ${first.splitFractions.join(",")}`
            : info.region !== first.region
              ? `region ${info.region} vs ${first.region}`
              : undefined;
    if (differs)
      throw new InputError(`corpus part ${dir} is not from the same build as ${parts[0]!.dir} (${differs}); rebuild all parts with the same options`);
    const other = seen.get(info.shard.index);
    if (other !== undefined) throw new InputError(`corpus parts ${other} and ${dir} are both shard ${info.shard.index}/${n}; give each shard once`);
    seen.set(info.shard.index, dir);
  }
  const missing = Array.from({ length: n }, (_, i) => i).filter((i) => !seen.has(i));
  if (missing.length > 0)
    throw new InputError(`corpus merge is missing shard(s) ${missing.map((i) => `${i}/${n}`).join(", ")}; build them with 'corpus build --shard i/${n}'`);
  parts.sort((a, b) => a.info.shard.index - b.info.shard.index);
  const inputs: CorpusInput[] = [];
  for (const { dir, info } of parts) {
    const path = join(dir, PART_RECORDS);
    let count = 0;
    for await (const { values: v } of readTsv(path, "corpus part records", ["id", "species", "gene", "sequence"])) {
      inputs.push({ id: v["id"]!, species: v["species"]!, gene: v["gene"]!, sequence: v["sequence"]! });
      count++;
    }
    if (count !== info.records) throw new ParseError(path, `has ${count} records where part.json says ${info.records}; the part is incomplete, rebuild it`);
  }
  return writeCorpus(outDir, inputs, {
    region: first.region,
    seed: first.seed,
    splitFractions: first.splitFractions,
    sources: parts.flatMap((p) => p.info.sources),
  });
}
