import type { PlacedVariant } from "./genomic-placement.js";
import type { ScoreColumn, VariantScores } from "./scores.js";
import type { GenomicTableRow, TableVariant } from "./variant-table.js";

/** Six significant digits; NA where a score is undefined (e.g. llr_calibrated at a sequence edge). */
export const formatScore = (x: number | undefined): string => (x !== undefined && Number.isFinite(x) ? String(Number(x.toPrecision(6))) : "NA");

type Scores = Readonly<VariantScores>;

/** TSV for table input: id pos ref alt, the scores, then the table's other columns. */
export function tableScoresTsv(variants: readonly TableVariant[], extraColumns: readonly string[], cols: readonly string[], scores: readonly Scores[]): string {
  const lines = [["id", "pos", "ref", "alt", ...cols, ...extraColumns].join("\t")];
  variants.forEach((v, i) =>
    lines.push([v.id, v.pos, v.ref, v.alt, ...cols.map((c) => formatScore(scores[i]![c])), ...extraColumns.map((c) => v.extra[c] ?? "")].join("\t")),
  );
  return lines.join("\n") + "\n";
}

/** TSV for VCF input: one row per placement, alleles as the VCF writes them, offset in the region. */
export function vcfScoresTsv(variants: readonly PlacedVariant[], cols: readonly string[], scores: readonly Scores[]): string {
  const lines = [["#CHROM", "POS", "ID", "REF", "ALT", "gene", "region", "offset", ...cols].join("\t")];
  variants.forEach((v, i) =>
    lines.push([v.chrom, v.vcfPos, v.vcfId, v.vcfRef, v.vcfAlt, v.gene, v.region, v.offset, ...cols.map((c) => formatScore(scores[i]![c]))].join("\t")),
  );
  return lines.join("\n") + "\n";
}

/**
 * TSV for a genomic table: one row per placement (`status` "scored", or why the placed variant was not
 * scored) and one row with NA scores for each row that was not placed (`status` says why), then the
 * table's other columns; chrom, pos, ref and alt as the table writes them, offset in the region.
 */
export function genomicScoresTsv(
  rows: readonly GenomicTableRow[],
  status: readonly (readonly string[])[],
  variants: readonly PlacedVariant[],
  variantStatus: readonly string[],
  extraColumns: readonly string[],
  cols: readonly string[],
  scores: readonly Scores[],
): string {
  const lines = [["id", "chrom", "pos", "ref", "alt", "gene", "region", "offset", "status", ...cols, ...extraColumns].join("\t")];
  const byRecord = new Map<number, number[]>();
  variants.forEach((v, i) => byRecord.set(v.record, [...(byRecord.get(v.record) ?? []), i]));
  rows.forEach((r, n) => {
    const head = [r.id, r.chrom, r.pos, r.ref, r.alts[0] ?? "."];
    const extra = extraColumns.map((c) => r.extra[c] ?? "");
    const placed = byRecord.get(n) ?? [];
    if (placed.length === 0) lines.push([...head, r.gene ?? ".", ".", ".", status[n]?.[0] ?? "not placed", ...cols.map(() => "NA"), ...extra].join("\t"));
    for (const i of placed) {
      const v = variants[i]!;
      lines.push([...head, v.gene, v.region, v.offset, variantStatus[i]!, ...cols.map((c) => formatScore(scores[i]![c])), ...extra].join("\t"));
    }
  });
  return lines.join("\n") + "\n";
}

/** INFO key of a score column: SLM_ + upper case. */
export const infoKey = (c: string): string => `SLM_${c.toUpperCase()}`;

const INFO_DESCRIPTION: Record<ScoreColumn, string> = {
  llr: "SNVs ln P(alt) - ln P(ref) at the variant by the rolling-mask recipe; indels and MNVs the PLL difference over a window",
  llr_calibrated: "llr minus the mean llr of the same central 5-mer and alt over the scored regions",
  influence: "mean over unchanged aligned positions of max over bases of |log-odds change| between unmasked ref and alt",
  embedding_distance: "1 - cosine of the ref and alt sequence embeddings",
  delta_prob: "mean total-variation change of the reconstructed base probabilities around the variant",
};

/**
 * The input VCF with the scores as INFO fields (Number=A, one value per ALT; `.` for alleles that
 * were not scored). An allele placed in several regions gets the scores of its first placement
 * (the TSV output lists them all); `model` names the model in the header descriptions. Records come out
 * sorted by contig (the header's ##contig order, then first appearance) and position, as tabix needs.
 */
export function vcfWithScores(
  headerLines: readonly string[],
  dataLines: readonly string[],
  variants: readonly PlacedVariant[],
  cols: readonly string[],
  scores: readonly Scores[],
  model: string,
): string {
  const first = new Map<string, number>();
  variants.forEach((v, i) => {
    const key = `${v.record}:${v.altIndex}`;
    if (!first.has(key)) first.set(key, i);
  });
  const info = cols.map(
    (c) =>
      `##INFO=<ID=${infoKey(c)},Number=A,Type=Float,Description="specieslm ${c} (${INFO_DESCRIPTION[c as ScoreColumn] ?? "k-mer baseline analogue of llr"}; model ${model.replace(/"/g, "'")}; first region when an allele is in several)">`,
  );
  const chromLine = headerLines.findIndex((l) => l.startsWith("#CHROM"));
  const meta = headerLines.slice(0, chromLine).filter((l) => !cols.some((c) => l.startsWith(`##INFO=<ID=${infoKey(c)},`)));
  if (!meta[0]?.startsWith("##fileformat=")) meta.unshift("##fileformat=VCFv4.2");
  const header = [...meta, ...info, ...headerLines.slice(chromLine)];
  const body = dataLines.map((line, record) => {
    const f = line.split("\t");
    const nAlt = f[4] === "." ? 0 : f[4]!.split(",").length;
    if (nAlt === 0) return line;
    const own = cols.map((c) => {
      const values = Array.from({ length: nAlt }, (_, a) => {
        const i = first.get(`${record}:${a}`);
        return i === undefined ? "." : formatScore(scores[i]![c]).replace("NA", ".");
      });
      return `${infoKey(c)}=${values.join(",")}`;
    });
    const kept = (f[7] ?? ".") === "." ? [] : f[7]!.split(";").filter((kv) => !cols.some((c) => kv.startsWith(`${infoKey(c)}=`)));
    while (f.length < 8) f.push(".");
    f[7] = [...kept, ...own].join(";");
    return f.join("\t");
  });
  return [...header, ...sortedRecords(headerLines, body)].join("\n") + "\n";
}

/** Data lines by contig (##contig order, then first appearance) and POS; ties keep their input order. */
function sortedRecords(headerLines: readonly string[], lines: readonly string[]): string[] {
  const rank = new Map<string, number>();
  for (const l of headerLines) {
    const m = /^##contig=<ID=([^,>]+)/.exec(l);
    if (m && !rank.has(m[1]!)) rank.set(m[1]!, rank.size);
  }
  const keyed = lines.map((line, i) => {
    const [chrom = "", pos = "0"] = line.split("\t", 2);
    if (!rank.has(chrom)) rank.set(chrom, rank.size);
    return { line, i, chrom: rank.get(chrom)!, pos: Number(pos) };
  });
  keyed.sort((a, b) => a.chrom - b.chrom || a.pos - b.pos || a.i - b.i);
  return keyed.map((k) => k.line);
}
