import { readFile } from "node:fs/promises";
import { InputError } from "../errors.js";
import { parseConsensusList } from "./consensus-list.js";
import { parseJaspar } from "./jaspar-parser.js";
import { parseMeme } from "./meme-parser.js";
import type { Motif } from "./motif.js";
import { parseTransfac } from "./transfac-parser.js";

export type MotifFormat = "meme" | "transfac" | "jaspar" | "consensus";

/**
 * Format of a motif file: by extension (`.meme`, `.transfac`/`.tf`, `.jaspar`/`.pfm`), else by content
 * (a `MEME version` line, a `>` header, TRANSFAC `AC`/`ID`/`P0` keys), else a consensus list.
 */
export function detectMotifFormat(path: string, text: string): MotifFormat {
  if (/\.meme$/i.test(path)) return "meme";
  if (/\.(transfac|tf)$/i.test(path)) return "transfac";
  if (/\.(jaspar|pfm)$/i.test(path)) return "jaspar";
  const first =
    text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .find((l) => l !== "" && !l.startsWith("#")) ?? "";
  if (first.startsWith("MEME version")) return "meme";
  if (first.startsWith(">")) return "jaspar";
  if (/^(AC|ID|P0|PO|DE|NA)(\s|$)/.test(first)) return "transfac";
  return "consensus";
}

/** Reads a motif file in any supported format (see detectMotifFormat). */
export async function readMotifFile(path: string): Promise<Motif[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new InputError(`cannot read motif file ${path}: ${(err as Error).message}`);
  }
  return parseMotifText(text, path);
}

/** A motif database from several files (paths in order, e.g. split from FILE[,FILE]); refuses none or an empty one. */
export async function readMotifDatabase(files: readonly string[]): Promise<Motif[]> {
  if (files.length === 0) throw new InputError("--db names no motif file");
  const motifs = (await Promise.all(files.map((f) => readMotifFile(f)))).flat();
  if (motifs.length === 0) throw new InputError(`motif database ${files.join(", ")} holds no motifs`);
  return motifs;
}

export function parseMotifText(text: string, path: string): Motif[] {
  switch (detectMotifFormat(path, text)) {
    case "meme":
      return parseMeme(text, path).motifs;
    case "transfac":
      return parseTransfac(text, path);
    case "jaspar":
      return parseJaspar(text, path);
    case "consensus":
      return parseConsensusList(text, path);
  }
}
