import { readFile } from "node:fs/promises";
import { ParseError } from "../errors.js";
import { letterColumn, normaliseRows } from "./motif.js";
import type { Motif } from "./motif.js";

/**
 * JASPAR matrix files (`.jaspar`, `.pfm`): per motif a `>ID NAME` header and four rows of counts, one
 * per base, either labelled with brackets (`A [ 4 19 0 ]`, the JASPAR download format) or bare numbers
 * in the order A, C, G, T (the raw `.pfm` format). Counts become probabilities per column.
 */
export async function readJasparFile(path: string): Promise<Motif[]> {
  return parseJaspar(await readFile(path, "utf8"), path);
}

export function parseJaspar(text: string, source = "<jaspar>"): Motif[] {
  const motifs: Motif[] = [];
  let cur: { id: string; name: string; line: number; rows: Array<number[] | undefined>; next: number } | undefined;
  const finish = (lineNo: number) => {
    if (!cur) return;
    const rows = cur.rows;
    if (rows.some((r) => r === undefined))
      throw new ParseError(source, `motif "${cur.id}" needs four rows (A, C, G, T), found ${rows.filter(Boolean).length}`, lineNo);
    const width = rows[0]!.length;
    if (width === 0 || rows.some((r) => r!.length !== width))
      throw new ParseError(
        source,
        `motif "${cur.id}": the four rows must have the same, non-zero number of columns (${rows.map((r) => r!.length).join(", ")})`,
        cur.line,
      );
    const counts = new Float64Array(width * 4);
    for (let c = 0; c < 4; c++) for (let j = 0; j < width; j++) counts[j * 4 + c] = rows[c]![j]!;
    motifs.push({ id: cur.id, name: cur.name, source, width, probs: normaliseRows(counts) });
    cur = undefined;
  };
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, k) => {
    const line = raw.trim();
    const lineNo = k + 1;
    if (line === "" || line.startsWith("#")) return;
    if (line.startsWith(">")) {
      finish(lineNo);
      const [id, ...name] = line.slice(1).trim().split(/\s+/);
      if (!id) throw new ParseError(source, 'header line ">" without a motif identifier', lineNo);
      cur = { id, name: name.join(" ") || id, line: lineNo, rows: [undefined, undefined, undefined, undefined], next: 0 };
      return;
    }
    if (!cur) throw new ParseError(source, `expected a ">ID NAME" header before matrix rows, got "${line.slice(0, 40)}"`, lineNo);
    const labelled = /^([ACGTUacgtu])\s*\[?(.*?)\]?$/.exec(line);
    const col = labelled ? letterColumn(labelled[1]!) : cur.next;
    if (col > 3) throw new ParseError(source, `motif "${cur.id}" has more than four rows`, lineNo);
    const values = (labelled ? labelled[2]! : line).replace(/[[\]]/g, " ").trim().split(/\s+/).map(Number);
    if (values.some((v) => !Number.isFinite(v) || v < 0))
      throw new ParseError(source, `matrix row must hold non-negative numbers, got "${line.slice(0, 60)}"`, lineNo);
    cur.rows[col] = values;
    cur.next++;
  });
  finish(lines.length);
  if (motifs.length === 0) throw new ParseError(source, 'no JASPAR motifs found (expected ">ID NAME" headers followed by four rows)', 1);
  return motifs;
}
