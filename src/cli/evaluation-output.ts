import type { EvaluationReport } from "../report/index.js";

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
