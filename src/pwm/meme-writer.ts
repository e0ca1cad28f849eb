import type { Motif } from "./motif.js";

/**
 * MEME minimal motif format (readable by the MEME suite, Tomtom and parseMeme): one
 * `letter-probability matrix` per motif; `nsites` when known (it sets the small-sample correction of
 * logos drawn by MEME tools). `strands` is `+` for motifs found on the given strand only (--single-strand).
 */
export function renderMemeMinimal(
  motifs: readonly (Motif & { nsites?: number })[],
  background: ArrayLike<number> = [0.25, 0.25, 0.25, 0.25],
  strands: "+" | "+ -" = "+ -",
): string {
  const bg = Array.from(background, (v) => v.toFixed(4));
  const out = [
    "MEME version 5",
    "",
    "ALPHABET= ACGT",
    "",
    `strands: ${strands}`,
    "",
    "Background letter frequencies",
    `A ${bg[0]} C ${bg[1]} G ${bg[2]} T ${bg[3]}`,
    "",
  ];
  for (const m of motifs) {
    out.push(`MOTIF ${m.id}${m.name && m.name !== m.id ? ` ${m.name.replace(/\s+/g, "_")}` : ""}`);
    out.push(`letter-probability matrix: alength= 4 w= ${m.width} nsites= ${m.nsites ?? 20} E= 0`);
    for (let j = 0; j < m.width; j++) out.push(Array.from(m.probs.subarray(j * 4, j * 4 + 4), (v) => v.toFixed(6)).join(" "));
    out.push("");
  }
  return out.join("\n");
}
