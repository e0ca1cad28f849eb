import { withAtomicWriter } from "../io/atomic-write.js";
import type { ExtractedRegion } from "./extract-regions.js";

const token = (s: string): string => s.replace(/\s+/g, "_");

/**
 * `GENE_ID species=S region=R CHROM:START-END(STRAND) [gene=NAME] [common=NAME]` with 1-based inclusive
 * coordinates. `gene=` is the ortholog/systematic name when the annotation has one (else the common
 * name); `common=` is added when a distinct common name exists (SGD `gene=` attribute).
 */
export function formatRegionHeader(r: ExtractedRegion): string {
  let h = `${token(r.geneId)} species=${token(r.species)} region=${r.region} ${r.contig}:${r.start + 1}-${r.end}(${r.strand})`;
  const gene = r.name ?? r.commonName;
  if (gene !== undefined) h += ` gene=${token(gene)}`;
  if (r.commonName !== undefined && r.commonName !== gene) h += ` common=${token(r.commonName)}`;
  return h;
}

/** Writes regions as FASTA (one sequence line per record) atomically: no partial file on failure. */
export async function writeRegionsFasta(path: string, regions: readonly ExtractedRegion[]): Promise<void> {
  await withAtomicWriter(path, async (w) => {
    const parts: string[] = [];
    for (const r of regions) {
      parts.push(`>${formatRegionHeader(r)}\n${Buffer.from(r.sequence).toString("latin1")}\n`);
      if (parts.length >= 1024) await w.write(parts.splice(0).join(""));
    }
    if (parts.length > 0) await w.write(parts.join(""));
  });
}
