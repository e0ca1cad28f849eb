/**
 * The published SpeciesLM checkpoints (Karollus et al. 2024) by short name: one Hub repository, one
 * revision (branch) per model. Each record also says what a user must otherwise know: the region the
 * model was trained on, its length in nucleotides, k, and how the species is given.
 */
export interface ModelAlias {
  readonly alias: string;
  readonly repo: string;
  readonly revision: string;
  /** Region type as src/sequence/region.ts names it. */
  readonly region: "three_prime" | "five_prime";
  /** Region length in nucleotides: 3' = stop codon + 297 nt; 5' = 1,000 nt + start codon. */
  readonly regionLength: number;
  readonly k: number;
  /** "token": the species is a token after [CLS]; "none": species-agnostic. */
  readonly species: "token" | "none";
  readonly description: string;
}

export const MODEL_ALIASES: readonly ModelAlias[] = [
  {
    alias: "specieslm-3p",
    repo: "gagneurlab/SpeciesLM",
    revision: "downstream_species_lm",
    region: "three_prime",
    regionLength: 300,
    k: 6,
    species: "token",
    description: "3' region (stop codon + 297 nt), species-aware",
  },
  {
    alias: "specieslm-3p-agnostic",
    repo: "gagneurlab/SpeciesLM",
    revision: "downstream_agnostic_lm",
    region: "three_prime",
    regionLength: 300,
    k: 6,
    species: "none",
    description: "3' region (stop codon + 297 nt), species-agnostic",
  },
  {
    alias: "specieslm-5p",
    repo: "gagneurlab/SpeciesLM",
    revision: "upstream_species_lm",
    region: "five_prime",
    regionLength: 1003,
    k: 6,
    species: "token",
    description: "5' region (1,000 nt + start codon), species-aware",
  },
  {
    alias: "specieslm-5p-agnostic",
    repo: "gagneurlab/SpeciesLM",
    revision: "upstream_agnostic_lm",
    region: "five_prime",
    regionLength: 1003,
    k: 6,
    species: "none",
    description: "5' region (1,000 nt + start codon), species-agnostic",
  },
];

export function findAlias(name: string): ModelAlias | undefined {
  return MODEL_ALIASES.find((a) => a.alias === name);
}

/** The alias of a published repo@revision, if it is one (for listings and notes). */
export function aliasOf(repo: string, revision: string): ModelAlias | undefined {
  return MODEL_ALIASES.find((a) => a.repo === repo && a.revision === revision);
}
