import type { AnnotationFeature } from "../io/annotation-feature.js";
import { attr } from "../io/annotation-feature.js";
import type { AnnotationFormat } from "../io/annotation-reader.js";

/**
 * One protein-coding gene reduced to what region extraction needs: the genomic span of its chosen
 * transcript's CDS, 0-based half-open. For several transcripts per gene we keep the one with the longest
 * (spliced) CDS, ties broken by transcript ID, so each gene yields exactly one region.
 */
export interface GeneModel {
  /** GFF3 `ID` (or `Name` when no ID), GTF `gene_id`. First token of output headers. */
  readonly id: string;
  /** GFF3 `Name`/GTF `gene_name` unless "NA" (in the strain GFFs: the S. cerevisiae systematic ortholog). */
  readonly name: string | undefined;
  /** GFF3 `gene` attribute (SGD standard name such as PAU8), when present. */
  readonly commonName: string | undefined;
  readonly seqid: string;
  readonly strand: "+" | "-";
  /** CDS span start (first base of the start codon on `+`). */
  readonly cdsStart: number;
  readonly cdsEnd: number;
  /** True when explicit `stop_codon` rows were merged into the span; otherwise decided from the sequence. */
  readonly stopFromAnnotation: boolean;
  /** `gene-span` for annotations with bare gene rows (SGD: gene = start codon..stop codon). */
  readonly basis: "cds" | "gene-span";
  readonly transcriptId: string | undefined;
}

/** Genes that could not be modelled, by reason. */
export interface GeneModelSkips {
  /** Genes with transcripts but no CDS, or a biotype other than protein_coding. */
  nonCoding: number;
  /** Genes on strand `.`: no transcript orientation. */
  noStrand: number;
}

export interface GeneModelSet {
  readonly genes: GeneModel[];
  readonly skipped: GeneModelSkips;
}

const GENE_TYPES = new Set(["gene", "protein_coding_gene", "orf"]);
const CODING_BIOTYPES = new Set(["protein_coding", "mrna"]);

/** Coding pieces of one transcript. */
interface TxParts {
  cds: AnnotationFeature[];
  stop: AnnotationFeature[];
}

/** Per-gene collection: the gene row (if any), its transcripts' coding parts, and whether it has children. */
interface GeneAcc {
  id: string;
  row: AnnotationFeature | undefined;
  firstSeen: AnnotationFeature;
  tx: Map<string, TxParts>;
  hasChildren: boolean;
}

/** Builds one model per protein-coding gene from GFF3 (ID/Parent) or GTF (gene_id/transcript_id) rows. */
export function buildGeneModels(features: readonly AnnotationFeature[], format: AnnotationFormat): GeneModelSet {
  const genes = format === "gtf" ? collectGtf(features) : collectGff3(features);
  const out: GeneModel[] = [];
  const skipped: GeneModelSkips = { nonCoding: 0, noStrand: 0 };
  for (const g of genes.values()) {
    const model = modelGene(g, format);
    if (model === "nonCoding" || model === "noStrand") skipped[model]++;
    else out.push(model);
  }
  return { genes: out, skipped };
}

function txParts(g: GeneAcc, txId: string): TxParts {
  let t = g.tx.get(txId);
  if (!t) {
    t = { cds: [], stop: [] };
    g.tx.set(txId, t);
  }
  return t;
}

function addPart(t: TxParts, f: AnnotationFeature): void {
  if (f.type === "CDS") t.cds.push(f);
  else if (f.type === "stop_codon") t.stop.push(f);
}

function collectGff3(features: readonly AnnotationFeature[]): Map<string, GeneAcc> {
  const byId = new Map<string, AnnotationFeature>();
  const genes = new Map<string, GeneAcc>();
  for (const f of features) {
    const id = attr(f, "ID");
    if (id !== undefined) byId.set(id, f);
    if (GENE_TYPES.has(f.type.toLowerCase())) {
      const gid = id ?? attr(f, "Name") ?? `${f.seqid}:${f.start + 1}-${f.end}`;
      genes.set(gid, { id: gid, row: f, firstSeen: f, tx: new Map(), hasChildren: false });
    }
  }
  for (const f of features) {
    for (const p of f.attributes["Parent"] ?? []) {
      const direct = genes.get(p);
      if (direct) direct.hasChildren = true;
      if (f.type !== "CDS" && f.type !== "stop_codon") continue;
      // Parent is either the gene itself or a transcript whose Parent is the gene.
      const g = direct ?? genes.get(byId.get(p)?.attributes["Parent"]?.[0] ?? "");
      if (g) addPart(txParts(g, p), f);
    }
  }
  return genes;
}

function collectGtf(features: readonly AnnotationFeature[]): Map<string, GeneAcc> {
  const genes = new Map<string, GeneAcc>();
  for (const f of features) {
    const gid = attr(f, "gene_id");
    if (gid === undefined) continue;
    let g = genes.get(gid);
    if (!g) {
      g = { id: gid, row: undefined, firstSeen: f, tx: new Map(), hasChildren: false };
      genes.set(gid, g);
    }
    if (f.type === "gene") g.row = f;
    else g.hasChildren = true;
    const tid = attr(f, "transcript_id");
    if (tid !== undefined) addPart(txParts(g, tid), f);
  }
  return genes;
}

/** Longest spliced CDS wins; ties go to the smallest transcript ID, so the choice is deterministic. */
function chooseTranscript(g: GeneAcc): [string, TxParts] | undefined {
  let best: [string, TxParts, number] | undefined;
  for (const [id, t] of g.tx) {
    if (t.cds.length === 0) continue;
    const len = t.cds.reduce((s, c) => s + (c.end - c.start), 0);
    if (!best || len > best[2] || (len === best[2] && id < best[0])) best = [id, t, len];
  }
  return best ? [best[0], best[1]] : undefined;
}

function modelGene(g: GeneAcc, format: AnnotationFormat): GeneModel | "nonCoding" | "noStrand" {
  const ref = g.row ?? g.firstSeen;
  const biotype = attr(ref, "biotype") ?? attr(ref, "gene_biotype") ?? attr(ref, "gene_type");
  if (biotype !== undefined && !CODING_BIOTYPES.has(biotype.toLowerCase())) return "nonCoding";
  const chosen = chooseTranscript(g);
  if (!chosen && (g.hasChildren || !g.row)) return "nonCoding";
  const parts = chosen ? [...chosen[1].cds, ...chosen[1].stop] : [ref];
  const strand = parts[0]!.strand;
  if (strand === ".") return "noStrand";
  const rawName = format === "gtf" ? attr(ref, "gene_name") : attr(ref, "Name");
  const name = rawName === undefined || rawName === "NA" || rawName === "" ? undefined : rawName;
  return {
    id: g.id,
    name,
    commonName: format === "gtf" ? undefined : attr(ref, "gene"),
    seqid: ref.seqid,
    strand,
    cdsStart: Math.min(...parts.map((p) => p.start)),
    cdsEnd: Math.max(...parts.map((p) => p.end)),
    stopFromAnnotation: chosen !== undefined && chosen[1].stop.length > 0,
    basis: chosen ? "cds" : "gene-span",
    transcriptId: chosen?.[0],
  };
}
