import { compilePwm, readMotifFile, readSitesTsv, scanConsensus, scanPwm } from "../pwm/index.js";
import type { EvaluationReport } from "../report/index.js";
import type { MotifSite } from "../pwm/index.js";
import type { SequenceRecord } from "../baselines/index.js";

/** Where motif instances come from: a sites table, a motif file scanned per record, or nowhere. */
export async function siteSource(sitesPath: string | undefined, motifsPath: string | undefined, minRelativeScore: number) {
  if (sitesPath) return { sites: await readSitesTsv(sitesPath), motifSource: sitesPath };
  if (!motifsPath) return { sites: undefined, motifSource: "none" };
  const motifs = await readMotifFile(motifsPath);
  const consensusOnly = motifs.every((m) => m.consensus !== undefined);
  const pwms = consensusOnly ? [] : motifs.map((m) => compilePwm(m));
  const find = (r: SequenceRecord): MotifSite[] => (consensusOnly ? scanConsensus(r.sequence, motifs) : scanPwm(r.sequence, pwms, { minRelativeScore }));
  const how = consensusOnly ? "consensus matches" : `PWM hits, relative score >= ${minRelativeScore}`;
  return { sites: find, motifSource: `${motifs.length} motifs from ${motifsPath} (${how})` };
}

export function summarise(r: EvaluationReport) {
  return {
    records: r.records,
    nucleotides: r.nucleotides,
    notes: r.notes,
    models: r.models.map((m) => ({
      name: m.name,
      speciesAverage: m.speciesAverage,
      pooled: m.pooled,
      edges: m.edges,
      perSpecies: m.perSpecies.map((s) => ({ species: s.species, ...s.all })),
    })),
  };
}

export function formatTable(r: EvaluationReport): string {
  const head = ["species", ...r.models.flatMap((m) => [`${m.name} acc`, `${m.name} CE`])];
  const rows = r.species.map((sp) => [
    sp,
    ...r.models.flatMap((m) => {
      const s = m.perSpecies.find((x) => x.species === sp);
      return s ? [s.all.accuracy.toFixed(4), s.all.crossEntropy.toFixed(4)] : ["-", "-"];
    }),
  ]);
  rows.push(["species avg", ...r.models.flatMap((m) => [m.speciesAverage.accuracy.toFixed(4), m.speciesAverage.crossEntropy.toFixed(4)])]);
  rows.push(["pooled", ...r.models.flatMap((m) => [m.pooled.accuracy.toFixed(4), m.pooled.crossEntropy.toFixed(4)])]);
  rows.push(["edge 6 nt", ...r.models.flatMap((m) => [m.edges.edge.accuracy.toFixed(4), m.edges.edge.crossEntropy.toFixed(4)])]);
  rows.push(["interior", ...r.models.flatMap((m) => [m.edges.interior.accuracy.toFixed(4), m.edges.interior.crossEntropy.toFixed(4)])]);
  const notes = [...new Set(r.notes)].map((n) => `note: ${n}`);
  return [head, ...rows].map((row) => row.join("\t")).join("\n") + "\n" + (notes.length ? notes.join("\n") + "\n" : "");
}
