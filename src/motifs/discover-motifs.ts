import { consensusFromPwm } from "../pwm/iupac-codes.js";
import type { Motif } from "../pwm/motif.js";
import { InputError } from "../errors.js";
import { subTrack, type ScoreTrack } from "./contribution-scores.js";
import { discoverPatterns, type DiscoveryOptions } from "./pattern-discovery.js";
import type { Pattern } from "./pattern.js";
import { cwmSimilarity } from "./pattern-similarity.js";
import { patternSupport, type PatternSupport } from "./pattern-support.js";
import type { Seqlets } from "./seqlets.js";
import { matchMotifs, type MatchOptions, type MotifMatch } from "./tomtom.js";
import { MOTIF_DEFAULTS as D } from "./discovery-defaults.js";

/** A discovered pattern with its motif (PPM), support and best database matches. */
export interface DiscoveredMotif {
  /** Species the pattern was discovered in (by-species mode), null when discovered over all sequences. */
  readonly group: string | null;
  readonly pattern: Pattern;
  readonly motif: Motif & { readonly nsites: number };
  readonly consensus: string;
  readonly support: PatternSupport;
  /** Database matches sorted by p-value (empty without a database). */
  readonly matches: readonly MotifMatch[];
  /**
   * Label shared by the same motif across runs (species): the best match's name when q < 0.05, else
   * that of the pattern whose CWM aligns best with this one, at Jaccard >= 0.5 (a variant differing in
   * a base or two), else a new `family_k`.
   */
  readonly family: string;
}

/** One discovery run (all sequences, or one species) and the seqlets it called. */
export interface DiscoveryGroup {
  readonly group: string | null;
  readonly track: ScoreTrack;
  readonly seqlets: Seqlets;
}

export interface MotifDiscovery {
  readonly groups: readonly DiscoveryGroup[];
  readonly motifs: readonly DiscoveredMotif[];
  readonly database: number;
}

export interface DiscoverMotifsOptions extends DiscoveryOptions {
  /** Discover separately in each species' sequences (needs species on the track). */
  bySpecies?: boolean;
  /** Known motifs to match every pattern against (Tomtom-style). */
  database?: readonly Motif[];
  match?: MatchOptions;
  /** Matches kept per pattern (default 5). */
  keepMatches?: number;
}

/**
 * Motif discovery from contribution scores: seqlets and patterns over all sequences (or per species),
 * each pattern's support, and its best matches in a database when one is given.
 */
export function discoverMotifs(track: ScoreTrack, opts: DiscoverMotifsOptions = {}): MotifDiscovery {
  const groups: Array<{ group: string | null; track: ScoreTrack }> = [];
  if (opts.bySpecies) {
    const bySp = new Map<string, number[]>();
    track.species.forEach((sp, k) => {
      if (sp === null)
        throw new InputError(
          `--by-species needs a species for every sequence; "${track.ids[k]}" has none (pass the sequence file the reconstruction came from)`,
        );
      (bySp.get(sp) ?? bySp.set(sp, []).get(sp)!).push(k);
    });
    for (const [sp, keep] of [...bySp].sort(([a], [b]) => a.localeCompare(b))) groups.push({ group: sp, track: subTrack(track, keep) });
  } else {
    groups.push({ group: null, track });
  }
  const runs: DiscoveryGroup[] = [];
  const found: Array<Omit<DiscoveredMotif, "matches" | "family">> = [];
  for (const g of groups) {
    const { seqlets, patterns } = discoverPatterns(g.track, opts);
    runs.push({ ...g, seqlets });
    for (const pattern of patterns) {
      const id = g.group === null ? pattern.id : `${g.group}.${pattern.id}`;
      const consensus = consensusFromPwm({ probs: pattern.ppm, width: pattern.width });
      found.push({
        group: g.group,
        pattern,
        consensus,
        motif: { id, name: consensus, source: "discovered", width: pattern.width, probs: pattern.ppm, nsites: pattern.members.at.length },
        support: patternSupport(g.track, pattern),
      });
    }
  }
  const db = opts.database ?? [];
  const matches =
    db.length > 0 && found.length > 0
      ? matchMotifs(
          found.map((f) => f.motif),
          db,
          opts.match,
        )
      : [];
  const withMatches = found.map((f, i) => ({ ...f, matches: (matches[i] ?? []).slice(0, opts.keepMatches ?? D.keepMatches) }));
  const families = familyLabels(withMatches, opts.bothStrands ?? D.bothStrands);
  return { groups: runs, motifs: withMatches.map((m, i) => ({ ...m, family: families[i]! })), database: db.length };
}

/**
 * Family labels (see DiscoveredMotif.family). Patterns with a significant match name their families
 * first; every other pattern joins the family (named or not) of the pattern it aligns with best, at
 * Jaccard >= 0.5, or starts a new one.
 */
function familyLabels(motifs: ReadonlyArray<Omit<DiscoveredMotif, "family">>, bothStrands: boolean): string[] {
  const named = motifs.map((m) => (m.matches[0] && m.matches[0].qValue < 0.05 ? m.matches[0].target.name : undefined));
  const reps = motifs.flatMap((m, i) => (named[i] ? [{ label: named[i], pattern: m.pattern }] : []));
  let unnamed = 0;
  return motifs.map((m, i) => {
    if (named[i]) return named[i];
    const p = m.pattern;
    let rep: (typeof reps)[number] | undefined,
      best = 0.5;
    for (const r of reps) {
      const sim = cwmSimilarity(r.pattern.cwm, r.pattern.width, p.cwm, p.width, bothStrands).similarity;
      if (sim >= best) {
        best = sim;
        rep = r;
      }
    }
    if (rep) return rep.label;
    reps.push({ label: `family_${++unnamed}`, pattern: p });
    return reps[reps.length - 1]!.label;
  });
}
