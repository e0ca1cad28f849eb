import { COMPLEMENT } from "../alphabet/iupac.js";

/** Reverse complement of an IUPAC sequence (new array; case kept; ambiguity codes complemented, N stays N). */
export function reverseComplement(seq: Uint8Array): Uint8Array {
  const n = seq.length;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[n - 1 - i] = COMPLEMENT[seq[i]!]!;
  return out;
}

/** String convenience wrapper over {@link reverseComplement}, for tests and small inputs. */
export function reverseComplementString(seq: string): string {
  return Buffer.from(reverseComplement(Buffer.from(seq, "latin1"))).toString("latin1");
}
