import { basename } from "node:path";
import type { AnnotationFeature } from "./annotation-feature.js";
import { readLines } from "./byte-stream.js";
import { readGff3 } from "./gff3-reader.js";
import { readGtf } from "./gtf-reader.js";

export type AnnotationFormat = "gff3" | "gtf";

/**
 * Guesses GFF3 vs GTF: by file name (`.gtf`, `.gff`, `.gff3`, optionally `.gz`), else from the first
 * feature row's attribute syntax (`key "value";` is GTF, `key=value` is GFF3).
 */
export async function detectAnnotationFormat(path: string): Promise<AnnotationFormat> {
  const name = basename(path).toLowerCase().replace(/\.(gz|bgz)$/, "");
  if (name.endsWith(".gtf")) return "gtf";
  if (name.endsWith(".gff3") || name.endsWith(".gff")) return "gff3";
  for await (const { text } of readLines(path, "annotation file")) {
    if (text.startsWith("##gff-version 3")) return "gff3";
    if (text === "" || text.startsWith("#")) continue;
    const col9 = text.split("\t")[8] ?? "";
    return /^\s*[^\s=;]+\s+"/.test(col9) ? "gtf" : "gff3";
  }
  return "gff3";
}

/** Streams the features of a GFF3 or GTF file (auto-detected), in 0-based half-open coordinates. */
export async function* readAnnotation(path: string, format?: AnnotationFormat): AsyncGenerator<AnnotationFeature> {
  const fmt = format ?? (await detectAnnotationFormat(path));
  yield* fmt === "gtf" ? readGtf(path) : readGff3(path);
}
