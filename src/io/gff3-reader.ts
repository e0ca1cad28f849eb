import { util as gffUtil } from "@gmod/gff";
import { readLines, type TextLine } from "./byte-stream.js";
import { parseFeatureColumns, type AnnotationFeature } from "./annotation-feature.js";

/**
 * Streams the feature rows of a GFF3 file (plain or gzip), converting coordinates to 0-based half-open
 * at this boundary (GFF3 is 1-based inclusive). Column 9 is decoded by @gmod/gff's attribute parser
 * (percent-decoding, comma lists). We do not use @gmod/gff's tree builder: it buffers the whole file and
 * drops line numbers, which our error messages need; parent/child links are resolved by the caller.
 * Stops at a `##FASTA` directive; comments and directives are skipped.
 */
export async function* readGff3(path: string, lines: AsyncIterable<TextLine> = readLines(path, "GFF3 file")): AsyncGenerator<AnnotationFeature> {
  for await (const { text, lineNo } of lines) {
    if (text.length === 0) continue;
    if (text.startsWith("#")) {
      if (text.startsWith("##FASTA")) return;
      continue;
    }
    yield parseFeatureColumns(path, text, lineNo, parseGff3Attributes);
  }
}

export function parseGff3Attributes(col9: string): Record<string, string[]> {
  const trimmed = col9.trim();
  if (trimmed === "" || trimmed === ".") return {};
  return gffUtil.parseAttributes(trimmed) as Record<string, string[]>;
}
