import { ParseError } from "../errors.js";
import { readLines, type TextLine } from "./byte-stream.js";

/** One data row of a TSV table keyed by header name, with its line number. */
export interface TsvRow {
  readonly values: Readonly<Record<string, string>>;
  readonly line: number;
}

/**
 * Streams a tab-separated table (plain or gzip) with a header line. Blank lines and lines starting with
 * `#` are skipped; a row with a different column count than the header is a ParseError.
 */
export async function* readTsv(
  path: string,
  what: string,
  required: readonly string[] = [],
  lines: AsyncIterable<TextLine> = readLines(path, what),
): AsyncGenerator<TsvRow> {
  let header: string[] | undefined;
  for await (const { text, lineNo } of lines) {
    if (text.trim() === "" || text.startsWith("#")) continue;
    const cols = text.split("\t");
    if (!header) {
      header = cols.map((c) => c.trim());
      const missing = required.filter((r) => !header!.includes(r));
      if (missing.length) throw new ParseError(path, `missing column(s) ${missing.join(", ")}; header has: ${header.join(", ")}`, lineNo);
      continue;
    }
    if (cols.length !== header.length) {
      throw new ParseError(path, `expected ${header.length} tab-separated columns (${header.join(", ")}), found ${cols.length}`, lineNo);
    }
    const values: Record<string, string> = {};
    header.forEach((h, i) => (values[h] = cols[i]!.trim()));
    yield { values, line: lineNo };
  }
  if (!header) throw new ParseError(path, `empty ${what}: expected a header line`);
}
