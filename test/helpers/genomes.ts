import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { mulberry32 } from "../../src/rng.js";
import { reverseComplementString } from "../../src/sequence/reverse-complement.js";

export interface SimulatedGenome {
  readonly species: string;
  readonly genome: string;
  readonly annotation: string;
  /** Protein-coding genes written to the GFF3, each with room for a full 3' region. */
  readonly genes: number;
}

/**
 * A small genome FASTA and GFF3 for one species: `contigs` random contigs, each with `genesPerContig`
 * genes alternating strands, a CDS from ATG to TAA with 400 nt of sequence on both sides, so every
 * gene has a full 300-nt 3' region. Gene `Name=` is shared across species (orthology keys), and the
 * species' GC content and seed change the sequence.
 */
export function writeSimulatedGenome(
  dir: string,
  species: string,
  seed: number,
  o: { contigs?: number; genesPerContig?: number; gc?: number } = {},
): SimulatedGenome {
  const rng = mulberry32(seed);
  const gc = o.gc ?? 0.4;
  const base = (): string => {
    const u = rng.next();
    return u < gc / 2 ? "G" : u < gc ? "C" : u < gc + (1 - gc) / 2 ? "A" : "T";
  };
  const random = (n: number): string => Array.from({ length: n }, base).join("");
  const fasta: string[] = [];
  const gff = ["##gff-version 3"];
  let gene = 0;
  for (let c = 0; c < (o.contigs ?? 2); c++) {
    const contig = `chr${c + 1}`;
    let seq = random(400);
    for (let g = 0; g < (o.genesPerContig ?? 6); g++, gene++) {
      const codons = 20 + rng.int(20);
      let cds = "ATG";
      for (let i = 0; i < codons; i++) cds += ["GCT", "GAA", "AAA", "CTG", "TCT", "GGT"][rng.int(6)];
      cds += "TAA";
      const plus = g % 2 === 0;
      const start = seq.length; // 0-based
      seq += plus ? cds : reverseComplementString(cds);
      const id = `${species}_g${gene}`;
      const [s1, e1, strand] = [start + 1, start + cds.length, plus ? "+" : "-"];
      gff.push(`${contig}\tsim\tgene\t${s1}\t${e1}\t.\t${strand}\t.\tID=${id};Name=YSIM${String(gene).padStart(3, "0")}`);
      gff.push(`${contig}\tsim\tmRNA\t${s1}\t${e1}\t.\t${strand}\t.\tID=${id}.t;Parent=${id}`);
      gff.push(`${contig}\tsim\tCDS\t${s1}\t${e1}\t.\t${strand}\t0\tID=${id}.cds;Parent=${id}.t`);
      seq += random(400);
    }
    fasta.push(`>${contig}\n${seq.replace(/(.{60})/g, "$1\n").replace(/\n$/, "")}\n`);
  }
  const genome = join(dir, `${species}.fa`);
  const annotation = join(dir, `${species}.gff3`);
  writeFileSync(genome, fasta.join(""));
  writeFileSync(annotation, gff.join("\n") + "\n");
  return { species, genome, annotation, genes: gene };
}
