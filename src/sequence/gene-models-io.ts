import type { AnnotationFeature } from "../io/annotation-feature.js";
import { detectAnnotationFormat, readAnnotation, type AnnotationFormat } from "../io/annotation-reader.js";
import { buildGeneModels, type GeneModelSet } from "./gene-model.js";

/** Reads a GFF3/GTF file (plain or gzip, format auto-detected) and builds one model per protein-coding gene. */
export async function loadGeneModels(path: string, format?: AnnotationFormat): Promise<GeneModelSet> {
  const fmt = format ?? (await detectAnnotationFormat(path));
  const features: AnnotationFeature[] = [];
  // Only rows that can matter are kept; yeast annotations are small, but human GTFs carry many exon rows.
  for await (const f of readAnnotation(path, fmt)) {
    if (f.type !== "exon" || fmt === "gtf") features.push(f);
  }
  return buildGeneModels(features, fmt);
}
