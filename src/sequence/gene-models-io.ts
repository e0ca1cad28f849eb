import type { AnnotationFeature } from "../io/annotation-feature.js";
import { openAnnotation, type AnnotationFormat } from "../io/annotation-reader.js";
import { buildGeneModels, type GeneModelSet } from "./gene-model.js";

/** Reads a GFF3/GTF file (plain or gzip, format auto-detected) and builds one model per protein-coding gene. */
export async function loadGeneModels(path: string, format?: AnnotationFormat): Promise<GeneModelSet> {
  const { format: fmt, features: rows } = await openAnnotation(path, format);
  const features: AnnotationFeature[] = [];
  // Only rows that can matter are kept; yeast annotations are small, but human GTFs carry many exon rows.
  for await (const f of rows) {
    if (f.type !== "exon" || fmt === "gtf") features.push(f);
  }
  return buildGeneModels(features, fmt);
}
