import { InputError } from "../errors.js";

/**
 * Matches annotation sequence names to genome contig names across naming conventions:
 * `chrI`/`I`, `chr1`/`1`/`chr01`, `chrmt`/`Mito`/`MT`/`chrM`, and as a fallback roman/arabic numerals
 * (`chrX` <-> `10`). Exact names always win.
 */
export interface ContigResolution {
  /** annotation seqid -> genome contig name, for every seqid that matched. */
  readonly map: ReadonlyMap<string, string>;
  /** Annotation seqids with no genome contig (their genes are skipped and counted). */
  readonly unmatched: readonly string[];
}

const MITO = new Set(["m", "mt", "mito", "mitochondrion", "mitochondrial", "mtdna"]);

function normalize(name: string): string {
  let n = name.toLowerCase().replace(/^(chromosome|chrom|chr)[_-]?/, "");
  if (MITO.has(n)) return "mt";
  n = n.replace(/^0+(?=\d)/, "");
  return n;
}

const ROMAN: Record<string, number> = { i: 1, v: 5, x: 10, l: 50 };

function romanToArabic(n: string): string | undefined {
  if (!/^[ivxl]+$/.test(n)) return undefined;
  let total = 0;
  for (let i = 0; i < n.length; i++) {
    const v = ROMAN[n[i]!]!;
    const next = ROMAN[n[i + 1] ?? ""] ?? 0;
    total += v < next ? -v : v;
  }
  return String(total);
}

function indexBy(names: readonly string[], key: (n: string) => string | undefined): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const n of names) {
    const k = key(n);
    if (k !== undefined) m.set(k, [...(m.get(k) ?? []), n]);
  }
  return m;
}

/**
 * Resolves names; throws InputError listing both name sets when not a single seqid matches. `source`
 * says whose names `seqids` are (the annotation's, a VCF's), so the message blames the right file.
 */
export function resolveContigs(seqids: readonly string[], contigs: readonly string[], where: string, source = "annotation"): ContigResolution {
  const exact = new Set(contigs);
  const byNorm = indexBy(contigs, normalize);
  const byArabic = indexBy(contigs, (c) => romanToArabic(normalize(c)) ?? normalize(c));
  const map = new Map<string, string>();
  const unmatched: string[] = [];
  for (const s of seqids) {
    const norm = normalize(s);
    const candidates = exact.has(s) ? [s] : (byNorm.get(norm) ?? byArabic.get(romanToArabic(norm) ?? norm) ?? []);
    if (candidates.length === 1) map.set(s, candidates[0]!);
    else unmatched.push(s);
  }
  if (map.size === 0 && seqids.length > 0) {
    throw new InputError(
      `no ${source} chromosome matches a genome contig (${where}). ` +
        `${source[0]!.toUpperCase()}${source.slice(1)}: ${seqids.slice(0, 30).join(", ")}; genome: ${contigs.slice(0, 30).join(", ")}. ` +
        `Check that the ${source} belongs to this genome assembly (chromosome names: RefSeq NC_..., UCSC chrI, Ensembl I).`,
    );
  }
  return { map, unmatched };
}
