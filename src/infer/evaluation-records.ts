import { readCorpusSplit } from "../corpus/read-corpus.js";
import type { SplitName } from "../corpus/types.js";
import { InputError } from "../errors.js";
import { readSequenceInput } from "./sequence-input.js";

export interface EvaluationRecord {
  readonly id: string;
  readonly species: string;
  readonly sequence: string;
}

/**
 * Records to evaluate: a corpus split, or a FASTA/TSV input; at most `perSpecies` per species (the
 * first ones in file order, so the subset is the same for every model), optionally one species only.
 */
export async function loadEvaluationRecords(o: {
  corpus?: string;
  split?: SplitName;
  input?: string;
  species?: string;
  perSpecies?: number;
  onlySpecies?: readonly string[];
}): Promise<EvaluationRecord[]> {
  let source: AsyncIterable<{ id: string; species: string | null; sequence: string }>;
  if (o.corpus) source = readCorpusSplit(o.corpus, o.split ?? "test");
  else if (o.input) source = readSequenceInput(o.input, o.species ? { species: o.species } : {});
  else throw new InputError("give --corpus DIR (with --split) or --input FILE");
  const counts = new Map<string, number>();
  const out: EvaluationRecord[] = [];
  for await (const r of source) {
    const sp = r.species;
    if (sp === null) throw new InputError(`record ${r.id} names no species`);
    if (o.onlySpecies && !o.onlySpecies.includes(sp)) continue;
    const n = counts.get(sp) ?? 0;
    if (o.perSpecies !== undefined && n >= o.perSpecies) continue;
    counts.set(sp, n + 1);
    out.push({ id: r.id, species: sp, sequence: r.sequence });
  }
  if (out.length === 0) throw new InputError("no records to evaluate (check --split, --species and the input)");
  return out;
}
