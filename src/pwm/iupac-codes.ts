import type { Motif } from "./motif.js";

/**
 * IUPAC nucleotide codes as 4-bit masks (bit 0 = A, 1 = C, 2 = G, 3 = T; U is T), used to match
 * consensus strings and to summarise PWMs. `IUPAC_MASK[charCode]` is 0 for letters that are not codes.
 */
const CODES: Record<string, number> = {
  A: 1,
  C: 2,
  G: 4,
  T: 8,
  U: 8,
  R: 1 | 4,
  Y: 2 | 8,
  S: 2 | 4,
  W: 1 | 8,
  K: 4 | 8,
  M: 1 | 2,
  B: 2 | 4 | 8,
  D: 1 | 4 | 8,
  H: 1 | 2 | 8,
  V: 1 | 2 | 4,
  N: 15,
};

export const IUPAC_MASK: Uint8Array = (() => {
  const t = new Uint8Array(256);
  for (const [ch, m] of Object.entries(CODES)) {
    t[ch.charCodeAt(0)] = m;
    t[ch.toLowerCase().charCodeAt(0)] = m;
  }
  return t;
})();

const MASK_TO_CODE: string[] = (() => {
  const out = new Array<string>(16).fill("N");
  for (const [ch, m] of Object.entries(CODES)) if (ch !== "U") out[m] = ch;
  return out;
})();

/** Masks of a consensus string; returns the index of the first non-IUPAC letter instead, if any. */
export function consensusMasks(consensus: string): Uint8Array | number {
  const masks = new Uint8Array(consensus.length);
  for (let i = 0; i < consensus.length; i++) {
    const c = consensus.charCodeAt(i);
    const m = c < 256 ? IUPAC_MASK[c]! : 0;
    if (m === 0) return i;
    masks[i] = m;
  }
  return masks;
}

/** PWM with each position uniform over the bases its IUPAC code allows. */
export function pwmFromConsensus(consensus: string): Float64Array {
  const masks = consensusMasks(consensus);
  if (typeof masks === "number") throw new RangeError(`"${consensus}" has a non-IUPAC letter at position ${masks + 1}`);
  const probs = new Float64Array(masks.length * 4);
  masks.forEach((m, i) => {
    const k = (m & 1) + ((m >> 1) & 1) + ((m >> 2) & 1) + ((m >> 3) & 1);
    for (let c = 0; c < 4; c++) probs[i * 4 + c] = (m >> c) & 1 ? 1 / k : 0;
  });
  return probs;
}

/**
 * IUPAC consensus of a PWM, per column: the single base if it has >= 0.6 of the mass, else the smallest
 * set of top bases reaching 0.8 (two bases) or 0.95 (three), else N. Thresholds follow the spirit of
 * Cavener's rules; they only label motifs in reports, scanning uses the matrix itself.
 */
export function consensusFromPwm(motif: Pick<Motif, "probs" | "width">): string {
  let out = "";
  for (let r = 0; r < motif.width; r++) {
    const col = [0, 1, 2, 3].map((c) => ({ c, p: motif.probs[r * 4 + c]! })).sort((a, b) => b.p - a.p);
    const [a, b, c] = col as [{ c: number; p: number }, { c: number; p: number }, { c: number; p: number }];
    let mask: number;
    if (a.p >= 0.6) mask = 1 << a.c;
    else if (a.p + b.p >= 0.8) mask = (1 << a.c) | (1 << b.c);
    else if (a.p + b.p + c.p >= 0.95) mask = (1 << a.c) | (1 << b.c) | (1 << c.c);
    else mask = 15;
    out += MASK_TO_CODE[mask];
  }
  return out;
}
