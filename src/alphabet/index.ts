// The nucleotide alphabet: base codes (A C G T -> 0..3) and IUPAC byte tables: re-exports only.
export { BASE_CODE, BASES, INVALID_BASE, encodeBases } from "./base-codes.js";
