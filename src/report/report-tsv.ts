import type { EvaluationReport, MetricSummary } from "./report-types.js";

/**
 * The report as one long-format TSV, easy to load in R/pandas:
 * `section  model  species  key  n  accuracy  cross_entropy` where section is species_average, pooled
 * (key = all, edge: the first and last 6 nucleotides of each record, or interior),
 * species (key = all|background|motif), family (key = family, species = "*" for all species),
 * position (key = 0-based position) or calibration (key = bin lower bound; accuracy and mean confidence
 * in the cross_entropy column). One table per file: the model comparisons are renderComparisonsTsv's.
 */
export function renderReportTsv(r: EvaluationReport): string {
  const out: string[] = ["section\tmodel\tspecies\tkey\tn\taccuracy\tcross_entropy"];
  const num = (v: number) => (Number.isFinite(v) ? String(Number(v.toPrecision(7))) : "NA");
  const row = (section: string, model: string, species: string, key: string, m: MetricSummary) =>
    out.push([section, model, species, key, String(m.n), num(m.accuracy), num(m.crossEntropy)].join("\t"));
  for (const m of r.models) {
    out.push(["species_average", m.name, "*", "all", "NA", num(m.speciesAverage.accuracy), num(m.speciesAverage.crossEntropy)].join("\t"));
    row("pooled", m.name, "*", "all", m.pooled);
    row("pooled", m.name, "*", "edge", m.edges.edge);
    row("pooled", m.name, "*", "interior", m.edges.interior);
    for (const s of m.perSpecies) {
      row("species", m.name, s.species, "all", s.all);
      row("species", m.name, s.species, "background", s.background);
      row("species", m.name, s.species, "motif", s.motif);
    }
    for (const f of m.perFamily) {
      row("family", m.name, "*", f.family, f.all);
      for (const s of f.perSpecies) row("family", m.name, s.species, f.family, s.metrics);
    }
    m.perPosition.n.forEach((n, i) =>
      row("position", m.name, "*", String(i), { n, accuracy: m.perPosition.accuracy[i]!, crossEntropy: m.perPosition.crossEntropy[i]! }),
    );
    for (const b of m.calibration.bins) {
      out.push(["calibration", m.name, "*", b.lo.toFixed(2), String(b.n), num(b.accuracy), num(b.meanConfidence)].join("\t"));
    }
  }
  return out.join("\n") + "\n";
}

/** Paired model comparisons, one row per pair: ce_difference = CE(a) - CE(b) in nats per nucleotide. */
export function renderComparisonsTsv(r: EvaluationReport): string {
  const num = (v: number) => (Number.isFinite(v) ? String(Number(v.toPrecision(7))) : "NA");
  const out: string[] = [];
  out.push("a\tb\tnucleotides\tonly_a_correct\tonly_b_correct\tmcnemar_p\tce_difference\tci95_low\tci95_high\tbootstrap_p");
  for (const c of r.comparisons) {
    out.push(
      [
        c.a,
        c.b,
        c.nucleotides,
        c.onlyA,
        c.onlyB,
        c.mcnemarP.toExponential(3),
        num(c.ceDifference),
        num(c.ceDifferenceCi95[0]),
        num(c.ceDifferenceCi95[1]),
        c.bootstrapP.toExponential(3),
      ].join("\t"),
    );
  }
  return out.join("\n") + "\n";
}
