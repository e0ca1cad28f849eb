import { ParseError } from "../errors.js";
import { readDecompressedChunks } from "../io/byte-stream.js";
import { RECONSTRUCTION_TSV_COLUMNS as COLUMNS, type ReconstructionRecord } from "./reconstruction-tsv.js";

const TAB = 9,
  NL = 10,
  CR = 13;

/**
 * Reads the TSV that `specieslm reconstruct` writes (reconstruction-tsv.ts) (`id pos ref A C G T`, plain or gzip). Each id's
 * rows must be contiguous with positions 0, 1, 2, ... in order: a gap, a repeat or an id that comes back
 * later is an error naming the line, since a silently shortened sequence would shift every motif
 * position after it. Parsed from bytes (10,000 x 300 positions are 3 M lines): no string or object per
 * line except where an id changes.
 */
export async function readReconstructionTsv(path: string): Promise<ReconstructionRecord[]> {
  const p = new RowParser(path);
  let rest: Buffer | undefined;
  const emit = (buf: Buffer, s: number, nl: number) => p.line(buf, s, nl > s && buf[nl - 1] === CR ? nl - 1 : nl);
  for await (const buf of readDecompressedChunks(path, "reconstruction TSV")) {
    let start = 0;
    if (rest) {
      // only the line cut by the chunk boundary is copied, not the whole chunk
      const nl = buf.indexOf(NL);
      if (nl < 0) {
        rest = Buffer.concat([rest, buf]);
        continue;
      }
      const joined = Buffer.concat([rest, buf.subarray(0, nl + 1)]);
      emit(joined, 0, joined.length - 1);
      start = nl + 1;
      rest = undefined;
    }
    for (let nl = buf.indexOf(NL, start); nl >= 0; nl = buf.indexOf(NL, start)) {
      emit(buf, start, nl);
      start = nl + 1;
    }
    if (start < buf.length) rest = Buffer.from(buf.subarray(start));
  }
  if (rest) p.line(rest, 0, rest[rest.length - 1] === CR ? rest.length - 1 : rest.length);
  return p.finish();
}

class RowParser {
  private lineNo = 0;
  private col: number[] | undefined;
  private readonly records: ReconstructionRecord[] = [];
  private readonly seen = new Set<string>();
  private id = "";
  private idBytes = Buffer.alloc(0);
  private bases = new Uint8Array(1024);
  private probs = new Float32Array(4096);
  private n = 0;
  private readonly ends = new Int32Array(16);

  constructor(private readonly path: string) {}

  line(buf: Buffer, s: number, e: number): void {
    this.lineNo++;
    if (e <= s || buf[s] === 35 /* # */) return;
    if (!this.col) {
      this.header(buf.toString("utf8", s, e));
      return;
    }
    const col = this.col;
    // field boundaries: field f spans [ends[f-1]+1, ends[f]); ends[-1] = s - 1
    let f = 0;
    for (let i = s; i < e && f < 15; i++) if (buf[i] === TAB) this.ends[f++] = i;
    this.ends[f++] = e;
    if (f < 7) this.fail(`expected ${COLUMNS.length} tab-separated columns (${COLUMNS.join(", ")}), found ${f}`);
    const from = (k: number) => (k === 0 ? s : this.ends[k - 1]! + 1),
      to = (k: number) => this.ends[k]!;
    const i0 = from(col[0]!),
      i1 = to(col[0]!);
    if (i1 - i0 !== this.idBytes.length || buf.compare(this.idBytes, 0, this.idBytes.length, i0, i1) !== 0) this.newRecord(buf.toString("utf8", i0, i1));
    const pos = parseNumber(buf, from(col[1]!), to(col[1]!));
    if (pos !== this.n)
      this.fail(
        `"${this.id}": expected position ${this.n}, found "${buf.toString("utf8", from(col[1]!), to(col[1]!))}" (missing or repeated positions); rerun specieslm reconstruct for this record`,
      );
    if (to(col[2]!) - from(col[2]!) !== 1)
      this.fail(`"${this.id}" position ${pos}: ref must be one base, got "${buf.toString("utf8", from(col[2]!), to(col[2]!))}"`);
    this.grow();
    this.bases[this.n] = buf[from(col[2]!)]! & 0xdf; // upper case
    for (let c = 0; c < 4; c++) {
      const v = parseNumber(buf, from(col[3 + c]!), to(col[3 + c]!));
      if (!(v >= 0 && v <= 1.0001))
        this.fail(
          `"${this.id}" position ${pos}: ${COLUMNS[3 + c]} = "${buf.toString("utf8", from(col[3 + c]!), to(col[3 + c]!))}" is not a probability in [0, 1]`,
        );
      this.probs[this.n * 4 + c] = v;
    }
    this.n++;
  }

  finish(): ReconstructionRecord[] {
    if (!this.col) throw new ParseError(this.path, `empty reconstruction TSV: expected the header "${COLUMNS.join("\t")}"`);
    this.flush();
    if (this.records.length === 0) throw new ParseError(this.path, "no rows after the header: nothing to score");
    return this.records;
  }

  private header(text: string): void {
    const header = text.split("\t").map((h) => h.trim());
    const missing = COLUMNS.filter((c) => !header.includes(c));
    if (missing.length) {
      this.fail(
        `missing column(s) ${missing.join(", ")}; a reconstruction TSV has the header "${COLUMNS.join("\t")}" (as written by specieslm reconstruct); header has: ${header.join(", ")}`,
      );
    }
    this.col = COLUMNS.map((c) => header.indexOf(c));
  }

  private newRecord(id: string): void {
    this.flush();
    if (this.seen.has(id)) this.fail(`rows of "${id}" are not contiguous (it appeared before); sort the file by id, then pos`);
    this.seen.add(id);
    this.id = id;
    this.idBytes = Buffer.from(id, "utf8");
  }

  private flush(): void {
    if (this.n > 0) {
      this.records.push({
        id: this.id,
        sequence: Buffer.from(this.bases.subarray(0, this.n)).toString("latin1"),
        probs: this.probs.slice(0, this.n * 4),
      });
    }
    this.n = 0;
  }

  private grow(): void {
    if (this.n < this.bases.length) return;
    const b = new Uint8Array(this.bases.length * 2),
      p = new Float32Array(this.probs.length * 2);
    b.set(this.bases);
    p.set(this.probs);
    this.bases = b;
    this.probs = p;
  }

  private fail(message: string): never {
    throw new ParseError(this.path, message, this.lineNo);
  }
}

const POW10 = Float64Array.from({ length: 23 }, (_, k) => 10 ** k);

/** Decimal number from ASCII bytes (sign, digits, point, exponent); NaN for anything else. */
function parseNumber(buf: Buffer, s: number, e: number): number {
  let i = s,
    neg = false,
    v = 0,
    scale = 0,
    digits = 0;
  if (buf[i] === 45 /* - */) {
    neg = true;
    i++;
  } else if (buf[i] === 43 /* + */) i++;
  for (; i < e && buf[i]! >= 48 && buf[i]! <= 57; i++, digits++) v = v * 10 + (buf[i]! - 48);
  if (i < e && buf[i] === 46 /* . */) {
    for (i++; i < e && buf[i]! >= 48 && buf[i]! <= 57; i++, digits++) {
      v = v * 10 + (buf[i]! - 48);
      scale--;
    }
  }
  if (digits === 0) return NaN;
  if (i < e && (buf[i] === 101 || buf[i] === 69) /* e E */) {
    i++;
    let eneg = false,
      ex = 0,
      edigits = 0;
    if (buf[i] === 45) {
      eneg = true;
      i++;
    } else if (buf[i] === 43) i++;
    for (; i < e && buf[i]! >= 48 && buf[i]! <= 57; i++, edigits++) ex = ex * 10 + (buf[i]! - 48);
    if (edigits === 0) return NaN;
    scale += eneg ? -ex : ex;
  }
  if (i !== e) return NaN;
  const out = scale === 0 ? v : scale < 0 ? (-scale < POW10.length ? v / POW10[-scale]! : v / 10 ** -scale) : v * 10 ** scale;
  return neg ? -out : out;
}
