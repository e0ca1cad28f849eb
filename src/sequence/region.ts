/** Which end of a gene a region covers, as in the SpeciesLM paper. */
export type RegionType = "three_prime" | "five_prime";

export const REGION_TYPES: readonly RegionType[] = ["three_prime", "five_prime"];

/** three_prime: stop codon + 297 nt downstream; five_prime: 1000 nt upstream + start codon. */
export const DEFAULT_REGION_LENGTH: Readonly<Record<RegionType, number>> = { three_prime: 300, five_prime: 1003 };

export const STOP_CODONS: ReadonlySet<string> = new Set(["TAA", "TAG", "TGA"]);

/**
 * Genomic interval (0-based half-open, may extend past contig ends) of a region of total `length`, given
 * the CDS span `[cdsStart, cdsEnd)` that includes both start and stop codons. The region always contains
 * its anchor codon: three_prime starts at the stop codon's first base (in transcript orientation),
 * five_prime ends at the start codon's last base.
 */
export function regionInterval(cdsStart: number, cdsEnd: number, strand: "+" | "-", region: RegionType, length: number): { start: number; end: number } {
  const downstreamOfStop = (strand === "+") === (region === "three_prime");
  // On "+" three_prime and on "-" five_prime the region begins at the CDS end's last codon.
  if (downstreamOfStop) return { start: cdsEnd - 3, end: cdsEnd - 3 + length };
  return { start: cdsStart + 3 - length, end: cdsStart + 3 };
}

/** True when `codon` (upper case, transcript orientation) is the anchor codon expected for `region`. */
export function isAnchorCodon(region: RegionType, codon: string): boolean {
  return region === "three_prime" ? STOP_CODONS.has(codon) : codon === "ATG";
}
