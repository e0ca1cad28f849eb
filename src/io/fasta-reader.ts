import { ParseError } from "../errors.js";
import { IUPAC_VALID, upperCaseInPlace } from "../sequence/iupac.js";
import { readDecompressedChunks } from "./byte-stream.js";

/**
 * One FASTA record. `id` is the header's first whitespace-delimited token, `description` the rest.
 * `sequence` holds one byte per base (ASCII IUPAC codes), no line breaks.
 */
export interface FastaRecord {
  readonly id: string;
  readonly description: string;
  readonly sequence: Uint8Array;
}

export interface FastaReadOptions {
  /** Upper-case the sequence (soft-masked lowercase becomes upper case). Default true. */
  readonly uppercase?: boolean;
}

/** Mutable parse state for one file: the current record's header and its sequence pieces. */
interface RecordState {
  header: string | null;
  pieces: Uint8Array[];
  length: number;
}

/**
 * Streams the records of a plain, gzip or BGZF FASTA file (multi-line, LF or CRLF). Memory is bounded
 * by the largest record. Every sequence byte must be an IUPAC code (see `sequence/iupac.ts`); anything
 * else is a ParseError naming the file, line, record and character. Lines starting with `;` are comments.
 */
export async function* readFasta(path: string, options: FastaReadOptions = {}): AsyncGenerator<FastaRecord> {
  const uppercase = options.uppercase ?? true;
  const state: RecordState = { header: null, pieces: [], length: 0 };
  let carry: Buffer = Buffer.alloc(0);
  let lineNo = 0;
  for await (const chunk of readDecompressedChunks(path, "FASTA file")) {
    const buf = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    let start = 0;
    for (let nl = buf.indexOf(10, start); nl !== -1; nl = buf.indexOf(10, start)) {
      lineNo++;
      const done = consumeLine(path, buf, start, nl, lineNo, state, uppercase);
      if (done) yield done;
      start = nl + 1;
    }
    carry = buf.subarray(start);
  }
  if (carry.length > 0) {
    const done = consumeLine(path, carry, 0, carry.length, ++lineNo, state, uppercase);
    if (done) yield done;
  }
  if (state.header !== null) yield finishRecord(state, uppercase);
}

/** Handles one line `buf[start, end)`; returns the previous record when this line starts a new one. */
function consumeLine(
  path: string, buf: Buffer, start: number, end: number, lineNo: number, state: RecordState, uppercase: boolean,
): FastaRecord | null {
  if (end > start && buf[end - 1] === 13) end--;
  if (end === start || buf[start] === 59 /* ; */) return null;
  if (buf[start] === 62 /* > */) {
    const previous = state.header !== null ? finishRecord(state, uppercase) : null;
    state.header = buf.toString("utf8", start + 1, end).trim();
    if (state.header.length === 0) throw new ParseError(path, "empty FASTA header ('>' with no name)", lineNo);
    return previous;
  }
  if (state.header === null) {
    throw new ParseError(path, "sequence data before the first '>' header; is this a FASTA file?", lineNo);
  }
  for (let i = start; i < end; i++) {
    if (IUPAC_VALID[buf[i]!] === 0) {
      const ch = JSON.stringify(String.fromCharCode(buf[i]!));
      throw new ParseError(path, `record "${recordId(state.header)}": invalid sequence character ${ch} at column ${i - start + 1}; only IUPAC nucleotide codes are accepted`, lineNo);
    }
  }
  // A view is enough: chunks from the stream are fresh buffers that are never reused.
  state.pieces.push(buf.subarray(start, end));
  state.length += end - start;
  return null;
}

function finishRecord(state: RecordState, uppercase: boolean): FastaRecord {
  const header = state.header ?? "";
  const sequence = Buffer.concat(state.pieces, state.length);
  if (uppercase) upperCaseInPlace(sequence);
  state.pieces = [];
  state.length = 0;
  const id = recordId(header);
  return { id, description: header.slice(id.length).trim(), sequence };
}

function recordId(header: string): string {
  const m = /^\S+/.exec(header);
  return m ? m[0] : header;
}
