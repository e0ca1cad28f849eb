import type { SequenceRecord } from "../baselines/index.js";
import { compilePwm, DEFAULT_MIN_RELATIVE_SCORE, type MotifSite, readMotifFile, readSitesTsv, scanConsensus, scanPwm } from "../pwm/index.js";
import type { SiteIndex } from "../pwm/sites.js";

/** Motif instances for an evaluation: per record id, or a function finding them in a record; with a line saying where they come from. */
export interface SiteSource {
  readonly sites: SiteIndex | ((r: SequenceRecord) => MotifSite[]) | undefined;
  readonly motifSource: string;
}

/** Where motif instances come from: a sites table, a motif file scanned per record, or nowhere. */
export async function siteSource(
  sitesPath: string | undefined,
  motifsPath: string | undefined,
  minRelativeScore: number = DEFAULT_MIN_RELATIVE_SCORE,
): Promise<SiteSource> {
  if (sitesPath) return { sites: await readSitesTsv(sitesPath), motifSource: sitesPath };
  if (!motifsPath) return { sites: undefined, motifSource: "none" };
  const motifs = await readMotifFile(motifsPath);
  const consensusOnly = motifs.every((m) => m.consensus !== undefined);
  const pwms = consensusOnly ? [] : motifs.map((m) => compilePwm(m));
  const find = (r: SequenceRecord): MotifSite[] => (consensusOnly ? scanConsensus(r.sequence, motifs) : scanPwm(r.sequence, pwms, { minRelativeScore }));
  const how = consensusOnly ? "consensus matches" : `PWM hits, relative score >= ${minRelativeScore}`;
  return { sites: find, motifSource: `${motifs.length} motifs from ${motifsPath} (${how})` };
}
