import { readFile } from "node:fs/promises";
import { ParseError } from "../errors.js";
import { letterColumn, normaliseRows } from "./motif.js";
import type { Motif } from "./motif.js";

/**
 * TRANSFAC-style matrix files as distributed by rsa-tools (JASPAR, ATtRACT, CIS-BP): records of
 * two-letter-key lines (`AC`, `ID`, `NA`, `DE`, `CC`, `XX`), a matrix header `P0` (JASPAR writes `PO`)
 * naming the columns (A C G T, either case, U accepted as T), numbered rows of counts or frequencies
 * (extra trailing fields such as a consensus letter are ignored), and `//` ending each record.
 */
export async function readTransfacFile(path: string): Promise<Motif[]> {
  return parseTransfac(await readFile(path, "utf8"), path);
}

interface Pending {
  fields: Map<string, string>;
  columns: number[] | undefined;
  rows: number[][];
  startLine: number;
}

export function parseTransfac(text: string, source = "<transfac>"): Motif[] {
  const motifs: Motif[] = [];
  let cur: Pending | undefined;
  const lines = text.split(/\r?\n/);
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k]!;
    const lineNo = k + 1;
    if (line.trim() === "") continue;
    cur ??= { fields: new Map(), columns: undefined, rows: [], startLine: lineNo };
    if (line.startsWith("//")) {
      motifs.push(finishRecord(cur, source, lineNo));
      cur = undefined;
      continue;
    }
    const key = /^([A-Z][A-Z0-9])(\s+(.*))?$/.exec(line);
    if (key && key[1] !== undefined && /^P[0O]$/.test(key[1])) {
      cur.columns = matrixColumns(key[3] ?? "", source, lineNo);
    } else if (/^\d+\s/.test(line)) {
      if (!cur.columns) throw new ParseError(source, "matrix row before the P0 header line", lineNo);
      cur.rows.push(matrixRow(line, cur.columns, source, lineNo));
    } else if (key && key[1] !== undefined) {
      if (key[1] !== "XX" && key[1] !== "CC" && !cur.fields.has(key[1])) cur.fields.set(key[1], (key[3] ?? "").trim());
      if (key[1] === "XX" && cur.columns) cur.columns = cur.rows.length > 0 ? [] : cur.columns; // matrix closed
    } else {
      throw new ParseError(source, `unrecognised line "${line.slice(0, 40)}": expected a two-letter key, a matrix row or //`, lineNo);
    }
  }
  if (cur) throw new ParseError(source, `record starting at line ${cur.startLine} is not terminated by //`, lines.length);
  if (motifs.length === 0) throw new ParseError(source, "no motif records found (is this a TRANSFAC file?)", 1);
  return motifs;
}

function matrixColumns(rest: string, source: string, lineNo: number): number[] {
  const letters = rest.trim().split(/\s+/);
  const cols = letters.map(letterColumn);
  if (letters.length !== 4 || cols.some((c) => c < 0) || new Set(cols).size !== 4) {
    throw new ParseError(source, `matrix header must name the four bases A C G T (or U), got "${rest.trim()}"`, lineNo);
  }
  return cols;
}

function matrixRow(line: string, columns: number[], source: string, lineNo: number): number[] {
  if (columns.length === 0) throw new ParseError(source, "matrix row after the matrix was closed by XX", lineNo);
  const parts = line.trim().split(/\s+/);
  const row = [0, 0, 0, 0];
  for (let j = 0; j < 4; j++) {
    const v = Number(parts[j + 1]);
    if (parts[j + 1] === undefined || !Number.isFinite(v) || v < 0) {
      throw new ParseError(source, `matrix row needs 4 non-negative numbers after the position, got "${line.trim()}"`, lineNo);
    }
    row[columns[j]!] = v;
  }
  return row;
}

function finishRecord(cur: Pending, source: string, lineNo: number): Motif {
  const id = cur.fields.get("AC") || cur.fields.get("ID") || `motif_at_line_${cur.startLine}`;
  if (cur.rows.length === 0) throw new ParseError(source, `record "${id}" has no matrix rows`, lineNo);
  const name = cur.fields.get("NA") || cur.fields.get("ID") || id;
  const probs = normaliseRows(Float64Array.from(cur.rows.flat()));
  return { id, name, source, width: cur.rows.length, probs };
}
