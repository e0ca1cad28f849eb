import { readFile } from "node:fs/promises";
import { ParseError } from "../errors.js";
import { letterColumn, normaliseRows } from "./motif.js";
import type { Motif } from "./motif.js";

/** Motifs and the background letter frequencies (A,C,G,T) of a MEME text-format file, if given. */
export interface MemeFile {
  readonly motifs: Motif[];
  readonly background: Float64Array | undefined;
}

/**
 * MEME minimal/text format: `MEME version N` first, optional `ALPHABET=` (ACGT or ACGU), optional
 * `Background letter frequencies` followed by a line of `letter value` pairs, then per motif
 * `MOTIF id [name]`, `letter-probability matrix: alength= 4 w= W ...` and W rows of 4 numbers.
 * `log-odds matrix` blocks and `URL` lines are skipped.
 */
export async function readMemeFile(path: string): Promise<MemeFile> {
  return parseMeme(await readFile(path, "utf8"), path);
}

export function parseMeme(text: string, source = "<meme>"): MemeFile {
  const lines = text.split(/\r?\n/);
  const motifs: Motif[] = [];
  let background: Float64Array | undefined;
  let current: { id: string; name: string; line: number } | undefined;
  let sawHeader = false;
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k]!.trim();
    const lineNo = k + 1;
    if (line === "") continue;
    if (!sawHeader) {
      if (!line.startsWith("MEME version")) throw new ParseError(source, `expected "MEME version ..." as the first line, got "${line.slice(0, 40)}"`, lineNo);
      sawHeader = true;
    } else if (line.startsWith("Background letter frequencies")) {
      k = nextContentLine(lines, k);
      background = parseBackground(lines[k] ?? "", source, k + 1);
    } else if (line.startsWith("MOTIF")) {
      const parts = line.split(/\s+/);
      if (!parts[1]) throw new ParseError(source, "MOTIF line without an identifier", lineNo);
      current = { id: parts[1], name: parts[2] && parts[2] !== "NA" ? parts[2] : parts[1], line: lineNo };
    } else if (line.startsWith("letter-probability matrix")) {
      if (!current) throw new ParseError(source, "letter-probability matrix before any MOTIF line", lineNo);
      const { rows, lastLine } = readMatrix(lines, k, source);
      motifs.push({ id: current.id, name: current.name, source, width: rows.length / 4, probs: normaliseRows(Float64Array.from(rows)) });
      current = undefined;
      k = lastLine;
    } else if (line.startsWith("log-odds matrix")) {
      k = readMatrix(lines, k, source).lastLine;
    } else if (/^[-+.\d]/.test(line)) {
      throw new ParseError(source, "numbers outside a letter-probability matrix (wrong w= value above?)", lineNo);
    }
    // other lines (ALPHABET, strands, URL, free text) carry nothing we need
  }
  if (!sawHeader) throw new ParseError(source, "empty file: expected a MEME motif file", 1);
  // A MEME file with a header and no motif is valid: what a discovery that found nothing writes.
  return { motifs, background };
}

function nextContentLine(lines: string[], k: number): number {
  let j = k + 1;
  while (j < lines.length && lines[j]!.trim() === "") j++;
  return j;
}

function parseBackground(line: string, source: string, lineNo: number): Float64Array {
  const parts = line.trim().split(/\s+/);
  const bg = new Float64Array(4);
  for (let j = 0; j + 1 < parts.length; j += 2) {
    const col = letterColumn(parts[j]!);
    const v = Number(parts[j + 1]);
    if (col < 0 || !Number.isFinite(v)) throw new ParseError(source, `bad background frequency "${parts[j]} ${parts[j + 1]}"`, lineNo);
    bg[col] = v;
  }
  return bg;
}

/** Reads the `w=` rows after a matrix header at line index k; returns them flattened `[w, 4]`. */
function readMatrix(lines: string[], k: number, source: string): { rows: number[]; lastLine: number } {
  const header = lines[k]!;
  const w = Number(/\bw=\s*(\d+)/.exec(header)?.[1]);
  const alength = Number(/\balength=\s*(\d+)/.exec(header)?.[1] ?? 4);
  if (!Number.isInteger(w) || w <= 0) throw new ParseError(source, "matrix header lacks a positive w= value", k + 1);
  if (alength !== 4) throw new ParseError(source, `alength=${alength}: only 4-letter nucleotide alphabets are supported`, k + 1);
  const rows: number[] = [];
  let j = k;
  for (let r = 0; r < w; r++) {
    j = nextContentLine(lines, j);
    const text = (lines[j] ?? "").trim();
    const values = text.split(/\s+/).map(Number);
    if (values.length !== 4 || values.some((v) => !Number.isFinite(v) || v < 0)) {
      throw new ParseError(source, `matrix row ${r + 1} of ${w} must hold 4 non-negative numbers, got "${text.slice(0, 60)}"`, j + 1);
    }
    rows.push(...values);
  }
  return { rows, lastLine: j };
}
