import { ParseError } from "../errors.js";

export type Strand = "+" | "-" | ".";

/**
 * One annotation row (GFF3 or GTF), in 0-based half-open coordinates: a GFF/GTF row `start=1 end=3`
 * (1-based, inclusive) becomes `start=0 end=3`. Attribute values are lists (GFF3 allows `a=x,y`).
 */
export interface AnnotationFeature {
  readonly seqid: string;
  readonly source: string;
  readonly type: string;
  readonly start: number;
  readonly end: number;
  readonly strand: Strand;
  /** CDS phase 0..2, null when `.`. */
  readonly phase: number | null;
  readonly attributes: Readonly<Record<string, readonly string[]>>;
  /** 1-based line number in the source file, for error messages. */
  readonly line: number;
}

const INT = /^\d+$/;

/**
 * Splits and validates the 8 fixed columns of a GFF3/GTF row and converts 1-based inclusive coordinates
 * to 0-based half-open. `parseAttrs` decodes column 9 in the dialect's syntax.
 */
export function parseFeatureColumns(path: string, text: string, lineNo: number, parseAttrs: (col9: string) => Record<string, string[]>): AnnotationFeature {
  const cols = text.split("\t");
  if (cols.length < 8) {
    throw new ParseError(path, `expected 9 tab-separated columns, found ${cols.length}; is the file tab-delimited?`, lineNo);
  }
  const [seqid, source, type, startS, endS, , strandS, phaseS] = cols as [string, string, string, string, string, string, string, string];
  if (!INT.test(startS) || !INT.test(endS)) {
    throw new ParseError(path, `non-numeric coordinates start="${startS}" end="${endS}" (${type} on ${seqid})`, lineNo);
  }
  const start1 = Number(startS);
  const end1 = Number(endS);
  if (start1 < 1) throw new ParseError(path, `start ${start1} < 1; coordinates are 1-based (${type} on ${seqid})`, lineNo);
  if (end1 < start1) throw new ParseError(path, `end ${end1} < start ${start1} (${type} on ${seqid})`, lineNo);
  if (strandS !== "+" && strandS !== "-" && strandS !== "." && strandS !== "?") {
    throw new ParseError(path, `invalid strand "${strandS}"; expected +, -, . or ?`, lineNo);
  }
  const phase = phaseS === "." || phaseS === undefined ? null : Number(phaseS);
  if (phase !== null && !(phase === 0 || phase === 1 || phase === 2)) {
    throw new ParseError(path, `invalid phase "${phaseS}"; expected 0, 1, 2 or .`, lineNo);
  }
  return {
    seqid,
    source,
    type,
    start: start1 - 1,
    end: end1,
    strand: strandS === "?" ? "." : strandS,
    phase,
    attributes: parseAttrs(cols[8] ?? ""),
    line: lineNo,
  };
}

/** First value of attribute `key`, or undefined. */
export function attr(f: AnnotationFeature, key: string): string | undefined {
  return f.attributes[key]?.[0];
}
