/**
 * Orthology group key for splitting. The strain GFFs name each gene by its S. cerevisiae systematic
 * ortholog (`Name=YAL068C`, or `YAL068C/YJL223C` for duplicated genes, or `NA`); SGD names are the
 * systematic names themselves. Key = first systematic name when present and not NA, else the gene ID.
 */
export function orthologKey(name: string | undefined, id: string): string {
  const first = name?.split("/")[0]?.trim();
  return first === undefined || first === "" || first.toUpperCase() === "NA" ? id : first;
}
