import { util as gffUtil } from "@gmod/gff";
import { ParseError } from "../errors.js";
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
    yield parseFeatureColumns(path, text, lineNo, (col9) => parseGff3Attributes(col9, path, lineNo));
  }
}

/**
 * Column 9 as lists of values, in an object without a prototype: @gmod/gff decodes each value, one
 * `key=value` at a time under a placeholder key, since it keeps keys in a plain object where a tag named
 * `constructor` or `toString` finds Object.prototype's member. A malformed percent-escape (`a%zz`, a
 * trailing `%`) is a ParseError naming the line.
 */
export function parseGff3Attributes(col9: string, path = "<gff3>", lineNo?: number): Record<string, string[]> {
  const out = Object.create(null) as Record<string, string[]>;
  const trimmed = col9.trim();
  if (trimmed === "" || trimmed === ".") return out;
  try {
    for (const piece of trimmed.split(";")) {
      const eq = piece.indexOf("=");
      if (eq < 0) continue;
      const values = (gffUtil.parseAttributes(`v=${piece.slice(eq + 1)}`) as Record<string, string[]>)["v"];
      if (!values) continue;
      const key = piece.slice(0, eq).trim();
      out[key] ??= [];
      out[key].push(...values);
    }
    return out;
  } catch (err) {
    if (!(err instanceof URIError)) throw err;
    throw new ParseError(path, `malformed percent-escape in attributes "${trimmed.slice(0, 60)}"; a literal % is written %25`, lineNo, {
      cause: err,
    });
  }
}
