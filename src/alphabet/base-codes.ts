/**
 * Nucleotide byte -> code table: A=0, C=1, G=2, T/U=3 (either case); every other byte (N, IUPAC
 * ambiguity codes, gaps) maps to 255 so models treat it as "no information" rather than guessing.
 */
export const INVALID_BASE = 255;

export const BASE_CODE: Uint8Array = (() => {
  const t = new Uint8Array(256).fill(INVALID_BASE);
  const set = (ch: string, code: number) => {
    t[ch.charCodeAt(0)] = code;
    t[ch.toLowerCase().charCodeAt(0)] = code;
  };
  set("A", 0);
  set("C", 1);
  set("G", 2);
  set("T", 3);
  set("U", 3);
  return t;
})();

export const BASES = "ACGT";

/** Encodes a sequence string into base codes (0..3, or INVALID_BASE). */
export function encodeBases(sequence: string): Uint8Array {
  const out = new Uint8Array(sequence.length);
  for (let i = 0; i < sequence.length; i++) {
    const c = sequence.charCodeAt(i);
    out[i] = c < 256 ? BASE_CODE[c]! : INVALID_BASE;
  }
  return out;
}
