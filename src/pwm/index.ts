// Known motifs: the Motif type, motif files (MEME, TRANSFAC, JASPAR, consensus lists, site tables) and scanning: re-exports only.
export { readSitesTsv } from "./sites.js";
export type { MotifSite, SiteIndex } from "./sites.js";
export { readConsensusList, parseConsensusList } from "./consensus-list.js";
export { IUPAC_MASK, consensusFromPwm, consensusMasks, pwmFromConsensus } from "./iupac-codes.js";
export { parseMeme, readMemeFile } from "./meme-parser.js";
export type { MemeFile } from "./meme-parser.js";
export { letterColumn, normaliseRows } from "./motif.js";
export type { Motif } from "./motif.js";
export { compilePwm, DEFAULT_MIN_RELATIVE_SCORE, scanConsensus, scanPwm } from "./motif-scan.js";
export type { CompiledPwm, ConsensusScanOptions, PwmScanOptions } from "./motif-scan.js";
export { parseTransfac, readTransfacFile } from "./transfac-parser.js";
export { detectMotifFormat, parseMotifText, readMotifDatabase, readMotifFile } from "./load-motifs.js";
export type { MotifFormat } from "./load-motifs.js";
export { parseJaspar, readJasparFile } from "./jaspar-parser.js";
export { renderMemeMinimal } from "./meme-writer.js";
