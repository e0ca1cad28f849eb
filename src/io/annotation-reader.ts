import { basename } from "node:path";
import type { AnnotationFeature } from "./annotation-feature.js";
import { peekUntil, readLines, type TextLine } from "./byte-stream.js";
import { readGff3 } from "./gff3-reader.js";
import { readGtf } from "./gtf-reader.js";

export type AnnotationFormat = "gff3" | "gtf";

/** The format by file name (`.gtf`, `.gff`, `.gff3`, optionally `.gz`), or undefined. */
function formatByName(path: string): AnnotationFormat | undefined {
  const name = basename(path)
    .toLowerCase()
    .replace(/\.(gz|bgz)$/, "");
  if (name.endsWith(".gtf")) return "gtf";
  if (name.endsWith(".gff3") || name.endsWith(".gff")) return "gff3";
  return undefined;
}

/** The format a line settles: a `##gff-version 3` directive, or the first feature row's attribute syntax. */
function formatOfLine({ text }: TextLine): AnnotationFormat | undefined {
  if (text.startsWith("##gff-version 3")) return "gff3";
  if (text === "" || text.startsWith("#")) return undefined;
  const col9 = text.split("\t")[8] ?? "";
  return /^\s*[^\s=;]+\s+"/.test(col9) ? "gtf" : "gff3";
}

/**
 * Opens a GFF3 or GTF file, FIFO or standard input in one pass: the format is `format`, else guessed by
 * file name, else from the first lines (`key "value";` is GTF, `key=value` is GFF3), which are then
 * parsed as well (a pipe cannot be read again).
 */
export async function openAnnotation(
  path: string,
  format?: AnnotationFormat,
): Promise<{ format: AnnotationFormat; features: AsyncGenerator<AnnotationFeature> }> {
  const known = format ?? formatByName(path);
  if (known) return { format: known, features: known === "gtf" ? readGtf(path) : readGff3(path) };
  const peek = await peekUntil(readLines(path, "annotation file"), formatOfLine);
  const fmt = peek.decision ?? "gff3";
  return { format: fmt, features: fmt === "gtf" ? readGtf(path, peek.items) : readGff3(path, peek.items) };
}

/** Guesses GFF3 vs GTF (see `openAnnotation`); reads the first lines of a file without a telling name. */
export async function detectAnnotationFormat(path: string): Promise<AnnotationFormat> {
  const { format, features } = await openAnnotation(path);
  await features.return(undefined);
  return format;
}

/** Streams the features of a GFF3 or GTF file (auto-detected), in 0-based half-open coordinates. */
export async function* readAnnotation(path: string, format?: AnnotationFormat): AsyncGenerator<AnnotationFeature> {
  yield* (await openAnnotation(path, format)).features;
}
