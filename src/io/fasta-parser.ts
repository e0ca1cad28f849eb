import { ParseError } from "../errors.js";
import { IUPAC_VALID, upperCaseInPlace } from "../alphabet/iupac.js";

/**
 * The FASTA line parser over byte chunks, without I/O: fasta-reader.ts feeds it from files (plain, gzip,
 * BGZF) and the browser from a pasted or picked text. No Node imports.
 */

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

const utf8 = new TextDecoder();

/**
 * Push byte chunks in file order, get the records each chunk completes; `end()` returns the last one.
 * Every sequence byte must be an IUPAC code (see `alphabet/iupac.ts`); anything else is a ParseError
 * naming the file, line, record and character. Lines starting with `;` are comments; LF or CRLF.
 */
export class FastaParser {
  private header: string | null = null;
  private pieces: Uint8Array[] = [];
  private length = 0;
  private carry: Uint8Array = new Uint8Array(0);
  private lineNo = 0;
  private readonly uppercase: boolean;

  constructor(
    private readonly path: string,
    options: FastaReadOptions = {},
  ) {
    this.uppercase = options.uppercase ?? true;
  }

  /** The chunk's bytes must not be reused by the caller: sequence lines are kept as views until their record ends. */
  push(chunk: Uint8Array): FastaRecord[] {
    const buf = this.carry.length > 0 ? concat([this.carry, chunk], this.carry.length + chunk.length) : chunk;
    const done: FastaRecord[] = [];
    let start = 0;
    for (let nl = buf.indexOf(10, start); nl !== -1; nl = buf.indexOf(10, start)) {
      const r = this.line(buf, start, nl, ++this.lineNo);
      if (r) done.push(r);
      start = nl + 1;
    }
    this.carry = buf.subarray(start);
    return done;
  }

  end(): FastaRecord[] {
    const done: FastaRecord[] = [];
    if (this.carry.length > 0) {
      const r = this.line(this.carry, 0, this.carry.length, ++this.lineNo);
      if (r) done.push(r);
      this.carry = new Uint8Array(0);
    }
    if (this.header !== null) done.push(this.finish());
    this.header = null;
    return done;
  }

  /** Handles one line `buf[start, end)`; returns the previous record when this line starts a new one. */
  private line(buf: Uint8Array, start: number, end: number, lineNo: number): FastaRecord | null {
    if (end > start && buf[end - 1] === 13) end--;
    if (end === start || buf[start] === 59 /* ; */) return null;
    if (buf[start] === 62 /* > */) {
      const previous = this.header !== null ? this.finish() : null;
      this.header = utf8.decode(buf.subarray(start + 1, end)).trim();
      if (this.header.length === 0) throw new ParseError(this.path, "empty FASTA header ('>' with no name)", lineNo);
      return previous;
    }
    if (this.header === null) {
      throw new ParseError(this.path, "sequence data before the first '>' header; is this a FASTA file?", lineNo);
    }
    for (let i = start; i < end; i++) {
      if (IUPAC_VALID[buf[i]!] === 0) {
        const ch = JSON.stringify(String.fromCharCode(buf[i]!));
        throw new ParseError(
          this.path,
          `record "${recordId(this.header)}": invalid sequence character ${ch} at column ${i - start + 1}; only IUPAC nucleotide codes are accepted`,
          lineNo,
        );
      }
    }
    this.pieces.push(buf.subarray(start, end));
    this.length += end - start;
    return null;
  }

  private finish(): FastaRecord {
    const header = this.header ?? "";
    const sequence = concat(this.pieces, this.length);
    if (this.uppercase) upperCaseInPlace(sequence);
    this.pieces = [];
    this.length = 0;
    const id = recordId(header);
    return { id, description: header.slice(id.length).trim(), sequence };
  }
}

/** All records of an in-memory FASTA text (a paste, a picked file). */
export function parseFasta(text: string | Uint8Array, path: string, options: FastaReadOptions = {}): FastaRecord[] {
  const parser = new FastaParser(path, options);
  const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
  return [...parser.push(bytes), ...parser.end()];
}

/** A fresh array holding the pieces in order (always a copy, so upper-casing never touches the input). */
function concat(pieces: readonly Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function recordId(header: string): string {
  const m = /^\S+/.exec(header);
  return m ? m[0] : header;
}
