/**
 * Base-4 codes of k-mers: A=0, C=1, G=2, T=3, first base most significant, so the codes of all
 * 4^k k-mers run in ACGT lexicographic order (AAAAAA = 0, AAAAAC = 1, ..., TTTTTT = 4^k - 1).
 */

/** Per character code: 0..3 for A/C/G/T (either case), 4 for other IUPAC codes (N, R, Y, ..., U), -1 otherwise. */
export const BASE_CLASS: Int8Array = (() => {
  const t = new Int8Array(128).fill(-1);
  for (const c of "RYSWKMBDHVNU") {
    t[c.charCodeAt(0)] = 4;
    t[c.toLowerCase().charCodeAt(0)] = 4;
  }
  "ACGT".split("").forEach((c, i) => {
    t[c.charCodeAt(0)] = i;
    t[c.toLowerCase().charCodeAt(0)] = i;
  });
  return t;
})();

export const NUCLEOTIDES = "ACGT";

/** The base-4 code of an ACGT string; throws RangeError on any other character. */
export function kmerCode(kmer: string): number {
  let code = 0;
  for (let i = 0; i < kmer.length; i++) {
    const c = BASE_CLASS[kmer.charCodeAt(i)] ?? -1;
    if (c < 0 || c > 3) throw new RangeError(`kmerCode: "${kmer}" is not an ACGT k-mer`);
    code = code * 4 + c;
  }
  return code;
}

/** The k-mer string of a base-4 code. */
export function kmerString(code: number, k: number): string {
  let s = "";
  for (let i = k - 1; i >= 0; i--) s += NUCLEOTIDES[Math.floor(code / 4 ** i) % 4];
  return s;
}

/** All 4^k k-mers in ACGT lexicographic order (index = code). */
export function allKmers(k: number): string[] {
  const out = new Array<string>(4 ** k);
  for (let c = 0; c < out.length; c++) out[c] = kmerString(c, k);
  return out;
}
