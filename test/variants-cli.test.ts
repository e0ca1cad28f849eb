import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSafetensors } from "../src/model/safetensors.js";
import { mulberry32 } from "../src/rng.js";
import { reverseComplementString } from "../src/sequence/reverse-complement.js";
import { FIXTURE, HAS_SHARED, SKIP_REASON } from "./helpers/shared.js";
import { cli as runCli, cliPiped } from "./helpers/cli.js";
import { walkBgzf } from "./helpers/bgzf.js";

const CLI = "dist/cli/main.js";
const MODEL = `${FIXTURE}model`;
const SPECIES = "candida_glabrata";

/** Every command here runs on one ORT thread. */
const cli = (args: string[]) => runCli([...args, "--threads", "1"]);

/** TSV rows as records keyed by header name. */
function table(path: string): Record<string, string>[] {
  const [head, ...rows] = readFileSync(path, "utf8")
    .trim()
    .split("\n")
    .map((l) => l.split("\t"));
  return rows.map((r) => Object.fromEntries(head!.map((h, i) => [h, r[i]!])));
}

function randomSeq(n: number, seed: number): string {
  const rng = mulberry32(seed);
  return Array.from({ length: n }, () => "ACGT"[rng.int(4)]).join("");
}

describe.skipIf(!HAS_SHARED || !existsSync(CLI))("specieslm variants / dependency-map / ism (built CLI, fixture model)", () => {
  if (!HAS_SHARED) console.warn(SKIP_REASON);
  let dir = "";
  let genome = "";
  const seq = randomSeq(90, 3);
  const at = (name: string) => join(dir, name);
  /** The base at 0-based position p0 of the test genome. */
  const b = (p0: number) => genome[p0]!;
  /** Where variants lie: the test genome, its annotation and species (and the region, for `place`). */
  const onGenome = () => ["--genome", at("g.fa"), "--annotation", at("a.gff3"), "--species", SPECIES];
  const place = () => [...onGenome(), "--region", "three_prime"];
  const tsv = (rows: string[][]) => ["id\tspecies\tsequence\tpos\tref\talt\tlabel", ...rows.map((r) => r.join("\t"))].join("\n") + "\n";

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "slm-variants-"));
    // A 2 kb contig with a plus-strand gene (CDS 100-400, stop TAA) and a minus-strand gene (CDS 1000-1300,
    // stop TTA = TAA on the minus strand): 3' regions [397, 697) and [703, 1003).
    const g = randomSeq(2000, 11).split("");
    g.splice(397, 3, "T", "A", "A");
    g.splice(1000, 3, "T", "T", "A");
    genome = g.join("");
    writeFileSync(at("g.fa"), `>chrI\n${genome}\n`);
    writeFileSync(
      at("a.gff3"),
      [
        "##gff-version 3",
        "chrI\tt\tgene\t101\t400\t.\t+\t.\tID=gP",
        "chrI\tt\tCDS\t101\t400\t.\t+\t0\tID=cP;Parent=gP",
        "chrI\tt\tgene\t1001\t1300\t.\t-\t.\tID=gM",
        "chrI\tt\tCDS\t1001\t1300\t.\t-\t0\tID=cM;Parent=gM",
      ].join("\n") + "\n",
    );
    // VCF records in both genes' 3' regions, outside them, and ones that cannot be scored (two tests read it).
    const other = (x: string, skip = "") => [..."ACGT"].find((c) => c !== x && !skip.includes(c))!;
    const altsP = `${other(b(450))},${other(b(450), b(450) + other(b(450)))}`;
    writeFileSync(
      at("v.vcf"),
      [
        "##fileformat=VCFv4.2",
        "##contig=<ID=chrI,length=2000>",
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO",
        `chrI\t451\trsP\t${b(450)}\t${altsP}\t.\tPASS\t.`,
        `chrI\t801\trsM\t${b(800)}\t${other(b(800))}\t.\tPASS\tDP=5`,
        `chrI\t1501\trsOut\t${b(1500)}\t${other(b(1500))}\t.\tPASS\t.`,
        `chrI\t501\trsIns\t${b(500)}\t${b(500)}A\t.\tPASS\t.`,
        // a 1-nt deletion on the minus-strand gene, one reaching past the plus region's end, a symbolic allele
        `chrI\t851\trsDel\t${b(850)}${b(851)}\t${b(850)}\t.\tPASS\t.`,
        `chrI\t696\trsEdge\t${genome.slice(695, 698)}\t${b(695)}\t.\tPASS\t.`,
        `chrI\t601\trsSym\t${b(600)}\t<DEL>\t.\tPASS\t.`,
      ].join("\n") + "\n",
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("scores a table: columns, carried label, and llr / influence equal to the ism and dependency-map paths", () => {
    const rows = [
      [5, "A"],
      [40, "C"],
      [41, "G"],
      [88, "T"],
    ].map(([p, alt]) => {
      const pos = p as number;
      const a = (alt as string) === seq[pos] ? ("A" === seq[pos] ? "C" : "A") : (alt as string);
      return [`v${pos}`, SPECIES, seq, String(pos), seq[pos]!, a, String(pos % 2)];
    });
    writeFileSync(at("in.tsv"), tsv(rows));
    writeFileSync(at("in.fa"), `>s species=${SPECIES}\n${seq}\n`);
    expect(cli(["variants", "--model", MODEL, "-i", at("in.tsv"), "-o", at("out.tsv")]).code).toBe(0);
    expect(cli(["ism", "--model", MODEL, "-i", at("in.fa"), "-o", at("ism.tsv")]).code).toBe(0);
    expect(cli(["dependency-map", "--model", MODEL, "-i", at("in.fa"), "-o", at("dep"), "--batch-size", "12"]).code).toBe(0);
    const out = table(at("out.tsv"));
    expect(Object.keys(out[0]!)).toEqual(["id", "pos", "ref", "alt", "llr", "influence", "embedding_distance", "label"]);
    expect(out.map((r) => r.label)).toEqual(rows.map((r) => r[6]));
    const ism = table(at("ism.tsv"));
    return readSafetensors(`${at("dep")}.safetensors`).then((dep) => {
      const influence = dep.tensors.get("s.influence")!.data as Float32Array;
      expect(dep.tensors.get("s.dependency")!.shape).toEqual([90, 90]);
      for (const r of out) {
        const pos = Number(r.pos);
        expect(Math.abs(Number(r.llr) - Number(ism[pos]![r.alt!]))).toBeLessThan(1e-5);
        expect(Math.abs(Number(r.influence) - influence[pos * 4 + "ACGT".indexOf(r.alt!)]!)).toBeLessThan(1e-5);
        expect(Number(r.embedding_distance)).toBeGreaterThan(0);
      }
      expect(readFileSync(`${at("dep")}.s.svg`, "utf8")).toMatch(/^<svg[^>]*>.*<rect/s);
    });
  });

  it("--rc-average gives the same scores for a variant and its reverse complement", () => {
    const rc = reverseComplementString(seq);
    const pos = 30;
    const alt = seq[pos] === "G" ? "T" : "G";
    writeFileSync(
      at("rc.tsv"),
      tsv([
        ["fwd", SPECIES, seq, String(pos), seq[pos]!, alt, "1"],
        ["rev", SPECIES, rc, String(89 - pos), reverseComplementString(seq[pos]!), reverseComplementString(alt), "0"],
      ]),
    );
    expect(cli(["variants", "--model", MODEL, "-i", at("rc.tsv"), "-o", at("rc.out.tsv"), "--rc-average", "--scores", "llr,influence"]).code).toBe(0);
    const [f, r] = table(at("rc.out.tsv"));
    expect(Math.abs(Number(f!.llr) - Number(r!.llr))).toBeLessThan(1e-5);
    expect(Math.abs(Number(f!.influence) - Number(r!.influence))).toBeLessThan(1e-5);
    // without averaging the two strands differ (the fixture model is not strand-free)
    expect(cli(["variants", "--model", MODEL, "-i", at("rc.tsv"), "-o", at("rc1.out.tsv"), "--scores", "llr"]).code).toBe(0);
    const [f1, r1] = table(at("rc1.out.tsv"));
    expect(Math.abs(Number(f1!.llr) - Number(r1!.llr))).toBeGreaterThan(1e-4);
  });

  it("places VCF SNVs and indels in 3' regions in transcript orientation, splits multi-allelic records, counts the rest, writes INFO fields", () => {
    const other = (x: string, skip = "") => [..."ACGT"].find((c) => c !== x && !skip.includes(c))!;
    const altsP = `${other(b(450))},${other(b(450), b(450) + other(b(450)))}`; // rsP's two alts, as v.vcf has them
    const r = cli([
      "variants",
      "--model",
      MODEL,
      "-i",
      at("v.vcf"),
      ...place(),
      "--scores",
      "llr,influence",
      "-o",
      at("v.tsv"),
      "--vcf-out",
      at("v.out.vcf"),
      "--json",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as {
      variants: number;
      scored: number;
      kinds: Record<string, number>;
      placement: Record<string, unknown>;
    };
    expect(summary.placement).toMatchObject({
      records: 7,
      alleles: 8,
      placedAlleles: 5,
      placements: 5,
      outsideRegions: 1,
      regions: { three_prime: 5 },
      kinds: { snv: 4, insertion: 1, deletion: 2, symbolic: 1 },
      unscorable: { "runs off the region": 1, "symbolic or non-ACGT allele": 1 },
    });
    expect([summary.variants, summary.scored, summary.kinds]).toEqual([5, 5, { snv: 3, insertion: 1, deletion: 1 }]);
    const rows = table(at("v.tsv"));
    expect(rows.map((x) => [x["#CHROM"], x.POS, x.ID, x.gene, x.region, x.offset])).toEqual([
      ["chrI", "451", "rsP", "gP", "three_prime", "53"],
      ["chrI", "451", "rsP", "gP", "three_prime", "53"],
      ["chrI", "801", "rsM", "gM", "three_prime", "202"],
      ["chrI", "501", "rsIns", "gP", "three_prime", "103"],
      ["chrI", "851", "rsDel", "gM", "three_prime", "151"],
    ]);
    // the same variants given as a table of extracted regions (minus strand: reverse complement, alleles complemented)
    const plus = genome.slice(397, 697),
      minus = reverseComplementString(genome.slice(703, 1003));
    const alts = altsP.split(",");
    const rc = reverseComplementString;
    writeFileSync(
      at("v.table.tsv"),
      tsv([
        ["p1", SPECIES, plus, "53", b(450), alts[0]!, "1"],
        ["p2", SPECIES, plus, "53", b(450), alts[1]!, "1"],
        ["m", SPECIES, minus, "202", rc(b(800)), rc(other(b(800))), "0"],
        ["ins", SPECIES, plus, "103", b(500), `${b(500)}A`, "0"],
        ["del", SPECIES, minus, "151", rc(b(850) + b(851)), rc(b(850)), "0"],
      ]),
    );
    expect(cli(["variants", "--model", MODEL, "-i", at("v.table.tsv"), "--scores", "llr,influence", "-o", at("v.table.out.tsv")]).code).toBe(0);
    const byTable = table(at("v.table.out.tsv"));
    expect(byTable).toHaveLength(rows.length);
    rows.forEach((x, i) => {
      expect(Math.abs(Number(x.llr) - Number(byTable[i]!.llr))).toBeLessThan(1e-5);
      expect(Math.abs(Number(x.influence) - Number(byTable[i]!.influence))).toBeLessThan(1e-5);
    });
    const vcf = readFileSync(at("v.out.vcf"), "utf8").split("\n");
    expect(vcf.filter((l) => l.startsWith("##INFO=<ID=SLM_"))).toHaveLength(2);
    const rec = (id: string) => vcf.find((l) => l.split("\t")[2] === id)!.split("\t")[7]!;
    expect(rec("rsP")).toBe(`SLM_LLR=${rows[0]!.llr},${rows[1]!.llr};SLM_INFLUENCE=${rows[0]!.influence},${rows[1]!.influence}`);
    expect(rec("rsM")).toBe(`DP=5;SLM_LLR=${rows[2]!.llr};SLM_INFLUENCE=${rows[2]!.influence}`);
    expect(rec("rsDel")).toBe(`SLM_LLR=${rows[4]!.llr};SLM_INFLUENCE=${rows[4]!.influence}`);
    expect(rec("rsOut")).toBe("SLM_LLR=.;SLM_INFLUENCE=.");
    expect(rec("rsSym")).toBe("SLM_LLR=.;SLM_INFLUENCE=.");
  });

  it("a genomic table (mapped id column, gene column) with a k-mer baseline, with and without the LM; evaluate reads kmer_2_2_llr", () => {
    const other = (x: string) => (x === "A" ? "C" : "A");
    writeFileSync(
      at("g.tsv"),
      [
        "name\tchrom\tpos\tref\talt\tgene\tlabel",
        `s1\tI\t451\t${b(450)}\t${other(b(450))}\tgP\t1`,
        `d1\tI\t851\t${b(850)}${b(851)}\t${b(850)}\tgM\t0`,
        `wrong\tI\t451\t${b(450)}\t${other(b(450))}\tgM\t1`,
        `s2\tI\t461\t${b(460)}\t${other(b(460))}\tgP\t0`,
      ].join("\n") + "\n",
    );
    const seqs = [genome.slice(397, 697), reverseComplementString(genome.slice(703, 1003))];
    writeFileSync(at("k.tsv"), ["id\tspecies\tsequence", ...seqs.map((q, i) => `r${i}\t${SPECIES}\t${q}`)].join("\n") + "\n");
    expect(cli(["baseline", "fit", "-i", at("k.tsv"), "--left", "2", "--right", "2", "-o", at("k22")]).code).toBe(0);
    expect(cli(["variants", "--baseline", at("k22"), "-i", at("g.tsv"), ...place(), "-o", at("g.out.tsv")]).stderr).toMatch(
      /missing column\(s\) id.*--columns/,
    );
    const r = cli([
      "variants",
      "--model",
      MODEL,
      "--baseline",
      at("k22"),
      "-i",
      at("g.tsv"),
      ...place(),
      "--columns",
      "id=name",
      "--scores",
      "llr",
      "-o",
      at("g.out.tsv"),
      "--json",
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).placement.unscorable).toEqual({});
    const rows = table(at("g.out.tsv"));
    expect(rows.map((x) => [x.id, x.gene, x.region, x.offset, x.status, x.label])).toEqual([
      ["s1", "gP", "three_prime", "53", "scored", "1"],
      ["d1", "gM", "three_prime", "151", "scored", "0"],
      ["wrong", "gM", ".", ".", "outside every region", "1"],
      ["s2", "gP", "three_prime", "63", "scored", "0"],
    ]);
    expect(rows[2]!.llr).toBe("NA");
    const alone = cli(["variants", "--baseline", at("k22"), "-i", at("g.tsv"), ...place(), "--columns", "id=name", "-o", at("g.k.tsv")]);
    expect(alone.code, alone.stderr).toBe(0);
    expect(table(at("g.k.tsv")).map((x) => x.kmer_2_2_llr)).toEqual(rows.map((x) => x.kmer_2_2_llr));
    expect(Object.keys(table(at("g.k.tsv"))[0]!)).not.toContain("llr");
    const e = cli(["variants", "evaluate", "-i", at("g.out.tsv"), "--label", "label", "-o", at("g.eval"), "--json"]);
    expect(JSON.parse(e.stdout).scores.map((s: { score: string; n: number }) => [s.score, s.n])).toEqual([
      ["-llr", 3],
      ["-kmer_2_2_llr", 3],
    ]);
  });

  it("reads the VCF, genome and annotation from pipes and standard input, byte for byte as from files", () => {
    const base = ["variants", "--model", MODEL, "--species", SPECIES, "--region", "three_prime", "--scores", "llr"];
    let r = cli([...base, "-i", at("v.vcf"), "--genome", at("g.fa"), "--annotation", at("a.gff3"), "-o", at("pf.tsv"), "--vcf-out", at("pf.vcf")]);
    expect(r.code, r.stderr).toBe(0);
    // A FIFO has no .vcf name: the VCF is told by its first line; the annotation comes on standard input.
    r = cliPiped([...base, "-i", at("vfifo"), "--genome", at("gfifo"), "--annotation", "-", "-o", at("pp.tsv"), "--vcf-out", at("pp.vcf"), "--threads", "1"], {
      stdin: readFileSync(at("a.gff3")),
      fifos: { [at("vfifo")]: at("v.vcf"), [at("gfifo")]: at("g.fa") },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(at("pp.tsv"), "utf8")).toBe(readFileSync(at("pf.tsv"), "utf8"));
    expect(readFileSync(at("pp.vcf"), "utf8")).toBe(readFileSync(at("pf.vcf"), "utf8"));
  });

  it("writes --vcf-out x.vcf.gz as sorted BGZF that tabix and bcftools index", () => {
    const other = (x: string) => (x === "A" ? "C" : "A");
    // records out of order, on a contig the header lists second
    writeFileSync(
      at("u.vcf"),
      [
        "##fileformat=VCFv4.2",
        "##contig=<ID=chrI,length=2000>",
        "##contig=<ID=chrII,length=10>",
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO",
        `chrI\t801\trsM\t${b(800)}\t${other(b(800))}\t.\tPASS\t.`,
        `chrI\t451\trsP\t${b(450)}\t${other(b(450))}\t.\tPASS\t.`,
        `chrI\t12\trs12\t${b(11)}\t${other(b(11))}\t.\tPASS\t.`,
      ].join("\n") + "\n",
    );
    const r = cli(["variants", "--model", MODEL, "-i", at("u.vcf"), ...place(), "--scores", "llr", "-o", at("u.tsv.gz"), "--vcf-out", at("u.vcf.gz")]);
    expect(r.code, r.stderr).toBe(0);
    const vcf = walkBgzf(readFileSync(at("u.vcf.gz")))
      .data.toString("utf8")
      .split("\n")
      .filter((l) => l && !l.startsWith("#"));
    expect(vcf.map((l) => l.split("\t")[1])).toEqual(["12", "451", "801"]);
    expect(walkBgzf(readFileSync(at("u.tsv.gz"))).data.toString("utf8")).toMatch(/^#CHROM\tPOS/);
    for (const [tool, args] of [
      ["tabix", ["-f", "-p", "vcf", at("u.vcf.gz")]],
      ["bcftools", ["index", "-f", at("u.vcf.gz")]],
    ] as const) {
      if (spawnSync("which", [tool]).status !== 0) {
        console.warn(`${tool} not installed: its check of the .vcf.gz output is skipped (apt-get install tabix bcftools)`);
        continue;
      }
      const t = spawnSync(tool, args, { encoding: "utf8" });
      expect(t.status, `${tool}: ${t.stderr}`).toBe(0);
    }
    if (spawnSync("which", ["tabix"]).status === 0) {
      const q = spawnSync("tabix", [at("u.vcf.gz"), "chrI:400-500"], { encoding: "utf8" });
      expect(
        q.stdout
          .split("\n")
          .filter(Boolean)
          .map((l) => l.split("\t")[2]),
      ).toEqual(["rsP"]);
    }
  });

  describe("bad input: exit 1, a message naming the record, no output", () => {
    const fails = (args: string[], message: RegExp, out: string) => {
      const r = cli(args);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(existsSync(out)).toBe(false);
    };
    it("ref allele mismatch", () => {
      const wrong = seq[10] === "A" ? "C" : "A";
      writeFileSync(
        at("bad-ref.tsv"),
        tsv([
          ["ok", SPECIES, seq, "3", seq[3]!, seq[3] === "A" ? "C" : "A", "0"],
          ["bad1", SPECIES, seq, "10", wrong, seq[10]!, "1"],
        ]),
      );
      fails(
        ["variants", "--model", MODEL, "-i", at("bad-ref.tsv"), "-o", at("bad-ref.out")],
        /bad-ref\.tsv:3: variant bad1: ref allele . does not match the sequence, which has . at position 10/,
        at("bad-ref.out"),
      );
    });
    it("position outside the sequence", () => {
      writeFileSync(at("bad-pos.tsv"), tsv([["far", SPECIES, seq, "90", "A", "C", "0"]]));
      fails(
        ["variants", "--model", MODEL, "-i", at("bad-pos.tsv"), "-o", at("bad-pos.out")],
        /variant far has position 90, outside its sequence of 90 nt/,
        at("bad-pos.out"),
      );
    });
    it("unknown species", () => {
      writeFileSync(at("bad-sp.tsv"), tsv([["v", "candida_glabrataa", seq, "3", seq[3]!, seq[3] === "A" ? "C" : "A", "0"]]));
      fails(
        ["variants", "--model", MODEL, "-i", at("bad-sp.tsv"), "-o", at("bad-sp.out")],
        /unknown species "candida_glabrataa" for .*bad-sp\.tsv:2 \(variant v\); closest known: candida_glabrata/,
        at("bad-sp.out"),
      );
      writeFileSync(at("bad-sp.fa"), `>s species=yeast_x\n${seq}\n`);
      fails(
        ["dependency-map", "--model", MODEL, "-i", at("bad-sp.fa"), "-o", at("bad-sp-dep")],
        /unknown species "yeast_x"/,
        `${at("bad-sp-dep")}.safetensors`,
      );
    });
    it("VCF record on a chromosome the genome lacks", () => {
      writeFileSync(
        at("bad-chrom.vcf"),
        [
          "##fileformat=VCFv4.2",
          "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO",
          `chrI\t451\trsP\t${genome[450]}\t${genome[450] === "A" ? "C" : "A"}\t.\t.\t.`,
          "chrXV\t20\tx\tA\tC\t.\t.\t.",
        ].join("\n") + "\n",
      );
      fails(
        ["variants", "--model", MODEL, "-i", at("bad-chrom.vcf"), ...onGenome(), "-o", at("bad-chrom.out"), "--vcf-out", at("bad-chrom.vcf.out")],
        /bad-chrom\.vcf: record 2 \(chrXV:20\) is on chromosome "chrXV", which genome .* does not have/,
        at("bad-chrom.out"),
      );
      expect(existsSync(at("bad-chrom.vcf.out"))).toBe(false);
    });
    it("a VCF whose chromosome names match no contig is named as the VCF, not the annotation", () => {
      writeFileSync(
        at("calls_nc.vcf"),
        ["##fileformat=VCFv4.2", "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO", "NC_001133.9\t20\tx\tA\tC\t.\t.\t."].join("\n") + "\n",
      );
      fails(
        ["variants", "--model", MODEL, "-i", at("calls_nc.vcf"), ...onGenome(), "-o", at("nc.out")],
        /no VCF chromosome matches a genome contig \(.*calls_nc\.vcf\)\. VCF: NC_001133\.9; genome: chrI\. Check that the VCF belongs/,
        at("nc.out"),
      );
    });
  });
});

describe.skipIf(!existsSync(CLI))("specieslm variants evaluate (built CLI)", () => {
  it("reads a VCF-style scores table, writes HTML and JSON with the known AUROC of -llr", () => {
    const dir = mkdtempSync(join(tmpdir(), "slm-variants-eval-"));
    try {
      writeFileSync(
        join(dir, "s.tsv"),
        [
          "#CHROM\tPOS\tID\tREF\tALT\tgene\tregion\toffset\tllr\tinfluence\tlabel",
          "I\t1\ta\tA\tC\tg\tthree_prime\t0\t-2\t0.9\t1",
          "I\t2\tb\tA\tC\tg\tthree_prime\t1\t-1\t0.1\t1",
          "I\t3\tc\tA\tC\tg\tthree_prime\t2\t0.5\t0.8\t0",
          "I\t4\td\tA\tC\tg\tthree_prime\t3\t1\tNA\t0",
        ].join("\n") + "\n",
      );
      const r = cli(["variants", "evaluate", "-i", join(dir, "s.tsv"), "-o", join(dir, "rep"), "--json"]);
      expect(r.code, r.stderr).toBe(0);
      const s = JSON.parse(r.stdout) as { kind: string; scores: { score: string; n: number; auroc: number }[] };
      expect(s.kind).toBe("binary");
      expect(s.scores.map((x) => [x.score, x.n, x.auroc])).toEqual([
        ["-llr", 4, 1],
        ["influence", 3, 0.5],
      ]);
      expect(readFileSync(join(dir, "rep.html"), "utf8")).toMatch(/ROC curves/);
      expect(existsSync(join(dir, "rep.json"))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
