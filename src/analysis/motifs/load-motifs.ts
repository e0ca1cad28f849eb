import { readConsensusList } from "./consensus-list.js";
import { readMemeFile } from "./meme-parser.js";
import type { Motif } from "./motif.js";
import { readTransfacFile } from "./transfac-parser.js";

/** Reads a motif file by extension: `.meme`, `.transfac`/`.tf`, anything else as a consensus list. */
export async function readMotifFile(path: string): Promise<Motif[]> {
  if (/\.meme$/i.test(path)) return (await readMemeFile(path)).motifs;
  if (/\.(transfac|tf)$/i.test(path)) return readTransfacFile(path);
  return readConsensusList(path);
}
