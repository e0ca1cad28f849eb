/**
 * IUPAC nucleotide alphabet as byte lookup tables, so validation, upper-casing and complementing run
 * over `Uint8Array`s without building strings.
 *
 * Accepted letters (either case): A C G T U R Y S W K M B D H V N, plus `-` and `.` (gaps) and `*`.
 */
const IUPAC_LETTERS = "ACGTURYSWKMBDHVN";
const PAIRS: ReadonlyArray<readonly [string, string]> = [
  ["A", "T"],
  ["C", "G"],
  ["U", "A"],
  ["R", "Y"],
  ["S", "S"],
  ["W", "W"],
  ["K", "M"],
  ["B", "V"],
  ["D", "H"],
  ["N", "N"],
];

/** `VALID[byte] === 1` for every accepted sequence byte. */
export const IUPAC_VALID: Uint8Array = (() => {
  const t = new Uint8Array(256);
  for (const ch of IUPAC_LETTERS + "-.*") {
    t[ch.charCodeAt(0)] = 1;
    t[ch.toLowerCase().charCodeAt(0)] = 1;
  }
  return t;
})();

/** Maps each byte to its upper-case form (identity for non-letters). */
export const UPPER: Uint8Array = (() => {
  const t = new Uint8Array(256);
  for (let i = 0; i < 256; i++) t[i] = i >= 97 && i <= 122 ? i - 32 : i;
  return t;
})();

/** Complement per byte, case preserved; U complements to A, A to T (DNA output). */
export const COMPLEMENT: Uint8Array = (() => {
  const t = new Uint8Array(256);
  for (let i = 0; i < 256; i++) t[i] = i;
  const set = (a: string, b: string) => {
    t[a.charCodeAt(0)] = b.charCodeAt(0);
    t[a.toLowerCase().charCodeAt(0)] = b.toLowerCase().charCodeAt(0);
  };
  for (const [a, b] of PAIRS) {
    set(a, b);
    if (a !== "U") set(b, a);
  }
  return t;
})();

/** Index of the first byte in `seq` that is not an IUPAC code, or -1 when all are valid. */
export function firstInvalidByte(seq: Uint8Array, start = 0, end = seq.length): number {
  for (let i = start; i < end; i++) if (IUPAC_VALID[seq[i]!] === 0) return i;
  return -1;
}

/** Upper-cases `seq` in place and returns it. */
export function upperCaseInPlace(seq: Uint8Array): Uint8Array {
  for (let i = 0; i < seq.length; i++) seq[i] = UPPER[seq[i]!]!;
  return seq;
}
