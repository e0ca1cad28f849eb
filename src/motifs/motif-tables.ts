import { basename } from "node:path";
import { consensusFromPwm } from "../pwm/iupac-codes.js";
import type { MotifDiscovery } from "./discover-motifs.js";
import { informationHeights } from "../report/logo-svg.js";
import type { MotifMatch } from "./tomtom.js";

const g3 = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(3)).toString() : "NA");

/** PREFIX.patterns.tsv: one row per pattern with its support and best match. */
export function patternsTsv(d: MotifDiscovery): string {
  const head = [
    "motif",
    "group",
    "family",
    "consensus",
    "width",
    "bits",
    "seqlets",
    "sequences",
    "median_position",
    "species_sequences",
    "best_match",
    "best_match_name",
    "best_match_source",
    "p_value",
    "e_value",
    "q_value",
    "match_strand",
    "match_offset",
  ];
  const rows = d.motifs.map((m) => {
    const bits = informationHeights(m.pattern.ppm, m.pattern.width, m.motif.nsites).reduce((s, v) => s + v, 0);
    const best = m.matches[0];
    return [
      m.motif.id,
      m.group ?? "all",
      m.family,
      m.consensus,
      m.pattern.width,
      bits.toFixed(2),
      m.support.seqlets,
      m.support.sequences,
      g3(m.support.medianPosition),
      m.support.perSpecies.map((s) => `${s.species}:${s.sequences}/${s.total}`).join(";"),
      best?.target.id ?? "",
      best?.target.name ?? "",
      best ? basename(best.target.source) : "",
      best ? g3(best.pValue) : "",
      best ? g3(best.eValue) : "",
      best ? g3(best.qValue) : "",
      best?.strand ?? "",
      best?.offset ?? "",
    ].join("\t");
  });
  return [head.join("\t"), ...rows].join("\n") + "\n";
}

/**
 * PREFIX.seqlets.tsv: every seqlet; members of a pattern at their aligned window and strand, with their
 * CWM similarity (NA for members that joined by their word's sequence, see word-patterns.ts).
 */
export function seqletsTsv(d: MotifDiscovery): string {
  const lines = ["group\tid\tspecies\tstart\tend\tstrand\tmotif\tsimilarity\twindow_score"];
  for (const g of d.groups) {
    const assigned = new Map<number, { motif: string; at: number; width: number; strand: number; sim: number }>();
    for (const m of d.motifs) {
      if (m.group !== g.group) continue;
      const mem = m.pattern.members;
      for (let i = 0; i < mem.at.length; i++)
        assigned.set(mem.seqlet[i]!, {
          motif: m.motif.id,
          at: mem.at[i]!,
          width: mem.width,
          strand: mem.strand[i]!,
          sim: mem.similarity[i]!,
        });
    }
    const s = g.seqlets;
    for (let i = 0; i < s.seq.length; i++) {
      const k = s.seq[i]!;
      const o = g.track.starts[k]!;
      const a = assigned.get(i);
      const start = a ? a.at - o : s.start[i]!,
        end = a ? a.at - o + a.width : s.start[i]! + s.width;
      lines.push(
        [
          g.group ?? "all",
          g.track.ids[k],
          g.track.species[k] ?? "",
          start,
          end,
          a ? (a.strand ? "-" : "+") : ".",
          a?.motif ?? "",
          a ? (Number.isNaN(a.sim) ? "NA" : a.sim.toFixed(3)) : "",
          s.score[i]!.toFixed(3),
        ].join("\t"),
      );
    }
  }
  return lines.join("\n") + "\n";
}

/** Match table (one row per query x target kept), as `motifs match` writes it. */
export function matchesTsv(matches: readonly (readonly MotifMatch[])[]): string {
  const lines = ["query\tquery_consensus\ttarget\ttarget_name\ttarget_source\ttarget_consensus\tstrand\toffset\toverlap\tp_value\te_value\tq_value"];
  for (const ms of matches) {
    for (const m of ms) {
      lines.push(
        [
          m.query.id,
          consensusFromPwm(m.query),
          m.target.id,
          m.target.name,
          basename(m.target.source),
          m.target.consensus ?? consensusFromPwm(m.target),
          m.strand,
          m.offset,
          m.overlap,
          g3(m.pValue),
          g3(m.eValue),
          g3(m.qValue),
        ].join("\t"),
      );
    }
  }
  return lines.join("\n") + "\n";
}
