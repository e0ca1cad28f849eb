import { readFile } from "node:fs/promises";
import { ParseError } from "../errors.js";
import { consensusMasks, pwmFromConsensus } from "./iupac-codes.js";
import type { Motif } from "./motif.js";

/**
 * A plain list of IUPAC consensus strings, one per line (e.g. decay_motifs_consensus.txt), DNA or RNA
 * letters (U is read as T). Blank lines and `#` comments are skipped; an optional second whitespace-
 * separated field is taken as the motif name. Duplicate consensus strings are kept once.
 */
export async function readConsensusList(path: string): Promise<Motif[]> {
  return parseConsensusList(await readFile(path, "utf8"), path);
}

export function parseConsensusList(text: string, source = "<consensus>"): Motif[] {
  const seen = new Set<string>();
  const motifs: Motif[] = [];
  text.split(/\r?\n/).forEach((raw, k) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const [given, label] = line.split(/\s+/) as [string, string | undefined];
    const bad = consensusMasks(given);
    if (typeof bad === "number") {
      throw new ParseError(source, `"${given}" is not an IUPAC consensus: letter "${given[bad]}" at position ${bad + 1}`, k + 1);
    }
    const consensus = given.toUpperCase().replaceAll("U", "T");
    if (seen.has(consensus)) return;
    seen.add(consensus);
    motifs.push({ id: consensus, name: label ?? given, source, width: consensus.length, probs: pwmFromConsensus(consensus), consensus });
  });
  if (motifs.length === 0) throw new ParseError(source, "no consensus strings found", 1);
  return motifs;
}
