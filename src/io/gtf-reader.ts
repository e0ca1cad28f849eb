import { ParseError } from "../errors.js";
import { readLines, type TextLine } from "./byte-stream.js";
import { parseFeatureColumns, type AnnotationFeature } from "./annotation-feature.js";

/**
 * Streams the rows of a GTF (GFF2.5) file, converting coordinates to 0-based half-open here (GTF is
 * 1-based inclusive). Attributes `key "value"; key2 "v2";` become lists; repeated keys (e.g. `tag`) append.
 */
export async function* readGtf(path: string, lines: AsyncIterable<TextLine> = readLines(path, "GTF file")): AsyncGenerator<AnnotationFeature> {
  for await (const { text, lineNo } of lines) {
    if (text.length === 0 || text.startsWith("#")) continue;
    yield parseFeatureColumns(path, text, lineNo, (col9) => parseGtfAttributes(path, col9, lineNo));
  }
}

const PAIR = /\s*([^\s;]+)\s+(?:"([^"]*)"|([^\s;]+))\s*(?:;|$)/y;

export function parseGtfAttributes(path: string, col9: string, lineNo: number): Record<string, string[]> {
  // no prototype: a tag named "constructor" or "toString" must not find Object.prototype's member
  const out = Object.create(null) as Record<string, string[]>;
  const s = col9.trim();
  PAIR.lastIndex = 0;
  while (PAIR.lastIndex < s.length) {
    const m = PAIR.exec(s);
    if (!m) throw new ParseError(path, `malformed GTF attributes near "${s.slice(PAIR.lastIndex, PAIR.lastIndex + 30)}"; expected key "value";`, lineNo);
    const key = m[1]!;
    out[key] ??= [];
    out[key].push(m[2] ?? m[3] ?? "");
  }
  return out;
}
