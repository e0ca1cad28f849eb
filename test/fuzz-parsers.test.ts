import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseJaspar } from "../src/pwm/jaspar-parser.js";
import { parseMotifText } from "../src/pwm/load-motifs.js";
import { parseConsensusList } from "../src/pwm/consensus-list.js";
import { parseMeme } from "../src/pwm/meme-parser.js";
import { parseTransfac } from "../src/pwm/transfac-parser.js";
import { buildFaiIndex } from "../src/io/fai-index.js";
import { parseFasta } from "../src/io/fasta-parser.js";
import { readFasta } from "../src/io/fasta-reader.js";
import { readBed } from "../src/io/bed-reader.js";
import { readGff3 } from "../src/io/gff3-reader.js";
import { readGtf } from "../src/io/gtf-reader.js";
import { readTsv } from "../src/io/tsv-reader.js";
import { readConfigFile } from "../src/model/presets.js";
import { encodeSafetensors, parseSafetensors } from "../src/model/safetensors.js";
import { readTorchCheckpoint } from "../src/model/torch-pickle.js";
import { readCurriculum } from "../src/train/curriculum.js";
import { MINIMAL_BERT_CONFIG } from "./helpers/bert-config.js";
import { readVcfRecords } from "../src/variants/vcf-records.js";
import { fuzzParser, fuzzRuns, mutateJson, type Rng } from "./helpers/fuzz.js";

/**
 * Every parser of user files, fed random bytes and mutated valid files: it parses, or throws the
 * project's typed error (src/errors.ts), never a TypeError/RangeError/plain Error, within 2 s an input.
 * CI runs a fixed seed; FUZZ_RUNS=20000 (and FUZZ_SEED) run longer.
 */
const dir = mkdtempSync(join(tmpdir(), "fuzz-parsers-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const enc = (s: string): Uint8Array => Buffer.from(s, "latin1");
const drain = async (it: AsyncIterable<unknown>): Promise<number> => {
  let n = 0;
  for await (const _ of it) n++;
  return n;
};
/** Writes the input to a file and runs a path-based reader on it. */
const viaFile =
  (name: string, read: (path: string) => Promise<unknown>) =>
  async (bytes: Uint8Array): Promise<unknown> => {
    const p = join(dir, name);
    writeFileSync(p, bytes);
    return read(p);
  };

const FASTA = ">chr1 first contig\nACGTACGTAC\nACGTACGTAC\nACG\n>chr2\nNNNNacgtRY\n;comment\n>chr3\r\nACGT\r\n";
const GFF3 =
  "##gff-version 3\nchr1\tsgd\tgene\t1\t100\t.\t+\t.\tID=g1;Name=ABC1;Note=a%3Bb,c\nchr1\tsgd\tmRNA\t1\t100\t.\t+\t.\tID=t1;Parent=g1\nchr1\tsgd\tCDS\t10\t90\t.\t-\t0\tParent=t1\n##FASTA\n>chr1\nACGT\n";
const GTF =
  'chr1\tens\tgene\t1\t100\t.\t+\t.\tgene_id "g1"; gene_name "ABC1";\nchr1\tens\texon\t1\t50\t.\t+\t.\tgene_id "g1"; transcript_id "t1"; tag "basic"; tag "x";\n';
const BED = "track name=x\nchr1\t0\t100\tr1\t0\t+\nchr1\t100\t250\tr2\t5\t-\textra\nchr2\t5\t6\n";
const VCF =
  '##fileformat=VCFv4.2\n##INFO=<ID=DP,Number=1,Type=Integer,Description="Depth">\n##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n' +
  "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\ts1\nchr1\t10\trs1\tA\tG,T\t50\tPASS\tDP=3\tGT\t0/1\nchr2\t200\t.\tAC\tA\t.\t.\t.\tGT\t1|1\n";
const TSV = "# a table\nid\tspecies\tsequence\ns1\tsp1\tACGT\ns2\tsp2\tNNAC\n";
const MEME =
  "MEME version 4\n\nALPHABET= ACGT\n\nstrands: + -\n\nBackground letter frequencies\nA 0.3 C 0.2 G 0.2 T 0.3\n\n" +
  "MOTIF m1 PUF3\nletter-probability matrix: alength= 4 w= 3 nsites= 20 E= 0\n0.1 0.2 0.3 0.4\n0.25 0.25 0.25 0.25\n1 0 0 0\n\nURL http://example.org\n\n" +
  "MOTIF m2\nletter-probability matrix: alength= 4 w= 2\n0 0 0 1\n0.5 0.5 0 0\n";
const TRANSFAC =
  "AC M00001\nXX\nID TEST1\nNA Puf3\nXX\nP0      A      C      G      T\n01      1      2      3      4      N\n02      4      3      2      1\n03      0      0      10     0\nXX\n//\n" +
  "AC M00002\nID TEST2\nPO A C G T\n1 0.5 0.5 0 0\n2 0 0 0 1\n//\n";
const JASPAR = ">MA0001.1 AGL3\nA  [ 0  3 79 40 ]\nC  [94 75  4  3 ]\nG  [ 1  0  3  4 ]\nT  [ 2 19 11 50 ]\n>MA0002.1 X\nA 1 2\nC 3 4\nG 5 6\nT 7 8\n";
const CONSENSUS = "# consensus list\nTGTAAATA PUF3\nTGCATG\tWHI3\nWWNRYSK other\n";
const SCHEDULE = JSON.stringify(
  {
    stages: [
      { name: "a", share: 0.5, lrScale: 1, warmup: 0.1, decay: "cosine", maskStride: [2, 3], maskReplace: "bert", edges: 0.2 },
      { name: "b", share: 0.5, lrScale: 0.5, lrEnd: 0.1, optimizer: "keep", maskStride: 4 },
    ],
  },
  null,
  1,
);
const CONFIG = JSON.stringify(
  {
    ...MINIMAL_BERT_CONFIG,
    type_vocab_size: 2,
    layer_norm_eps: 1e-12,
    hidden_act: "gelu",
    pad_token_id: 0,
    specieslm_conditioning: "embedding",
    specieslm_num_species: 3,
  },
  null,
  1,
);
const SAFETENSORS = [
  encodeSafetensors(
    new Map([
      ["w", { dtype: "float32", shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) }],
      ["i", { dtype: "int64", shape: [2], data: BigInt64Array.from([1n, -2n]) }],
      ["s", { dtype: "float32", shape: [], data: Float32Array.from([7]) }],
    ] as const),
    { format: "pt" },
  ),
];
/** A safetensors file whose JSON header has a field replaced, deleted or added (data section kept). */
function safetensorsHeaderMutation(rng: Rng): Uint8Array {
  const valid = SAFETENSORS[0]!;
  const n = Number(Buffer.from(valid).readBigUInt64LE(0));
  const header = Buffer.from(JSON.stringify(mutateJson(rng, JSON.parse(Buffer.from(valid.subarray(8, 8 + n)).toString("utf8")))), "utf8");
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(header.length));
  return Buffer.concat([len, header, valid.subarray(8 + n)]);
}
const jsonMutation =
  (text: string) =>
  (rng: Rng): Uint8Array =>
    enc(JSON.stringify(mutateJson(rng, JSON.parse(text))) ?? "");
const TORCH_DIR = new URL("./fixtures/model/", import.meta.url);
const TORCH = ["dtypes.pt", "deflated.pt", "wrapped.pt", "noncontiguous.pt", "legacy.pt"].map((f) => new Uint8Array(readFileSync(new URL(f, TORCH_DIR))));

interface Target {
  name: string;
  parse: (bytes: Uint8Array) => unknown;
  valid: Uint8Array[];
  /** CI inputs (sized so the file runs in ~30 s on 2 cores). */
  ci: number;
  maxLen?: number;
  structured?: (rng: Rng) => Uint8Array;
}

const TARGETS: Target[] = [
  { name: "FASTA (parseFasta)", parse: (b) => parseFasta(b, "in.fa"), valid: [enc(FASTA)], ci: 1500 },
  { name: "FASTA (readFasta)", parse: viaFile("in.fa", (p) => drain(readFasta(p))), valid: [enc(FASTA)], ci: 800 },
  { name: "FAI (buildFaiIndex)", parse: viaFile("idx.fa", buildFaiIndex), valid: [enc(FASTA)], ci: 800 },
  { name: "GFF3", parse: viaFile("in.gff3", (p) => drain(readGff3(p))), valid: [enc(GFF3)], ci: 800 },
  { name: "GTF", parse: viaFile("in.gtf", (p) => drain(readGtf(p))), valid: [enc(GTF)], ci: 800 },
  { name: "BED", parse: viaFile("in.bed", (p) => drain(readBed(p))), valid: [enc(BED)], ci: 800 },
  { name: "VCF", parse: viaFile("in.vcf", readVcfRecords), valid: [enc(VCF)], ci: 800 },
  { name: "TSV table", parse: viaFile("in.tsv", (p) => drain(readTsv(p, "table", ["id", "sequence"]))), valid: [enc(TSV)], ci: 800 },
  {
    name: "safetensors",
    parse: (b) => parseSafetensors(b, "in.safetensors"),
    valid: SAFETENSORS,
    ci: 1500,
    structured: safetensorsHeaderMutation,
  },
  { name: "PyTorch pickle", parse: viaFile("in.bin", readTorchCheckpoint), valid: TORCH, ci: 1500, maxLen: 600 },
  { name: "MEME", parse: (b) => parseMeme(Buffer.from(b).toString("utf8"), "in.meme"), valid: [enc(MEME)], ci: 1500 },
  { name: "TRANSFAC", parse: (b) => parseTransfac(Buffer.from(b).toString("utf8"), "in.transfac"), valid: [enc(TRANSFAC)], ci: 1500 },
  { name: "JASPAR", parse: (b) => parseJaspar(Buffer.from(b).toString("utf8"), "in.jaspar"), valid: [enc(JASPAR)], ci: 1500 },
  {
    name: "consensus list",
    parse: (b) => parseConsensusList(Buffer.from(b).toString("utf8"), "in.txt"),
    valid: [enc(CONSENSUS)],
    ci: 1500,
  },
  {
    name: "motif file (detected format)",
    parse: (b) => parseMotifText(Buffer.from(b).toString("utf8"), "in.motifs"),
    valid: [MEME, TRANSFAC, JASPAR, CONSENSUS].map(enc),
    ci: 1500,
  },
  {
    name: "schedule JSON",
    parse: viaFile("schedule.json", readCurriculum),
    valid: [enc(SCHEDULE)],
    ci: 800,
    structured: jsonMutation(SCHEDULE),
  },
  { name: "config JSON", parse: viaFile("config.json", readConfigFile), valid: [enc(CONFIG)], ci: 800, structured: jsonMutation(CONFIG) },
];

describe("parsers under fuzzing: parse or a typed error, never an untyped exception, under 2 s an input", () => {
  for (const t of TARGETS) {
    it(t.name, async () => {
      // the valid inputs parse: the mutations start from files the parser accepts
      for (const v of t.valid.filter((_, i) => t.name !== "PyTorch pickle" || i < 3)) await t.parse(v);
      const runs = fuzzRuns(t.ci);
      const r = await fuzzParser(t.parse, t.valid, {
        runs,
        ...(t.maxLen ? { maxLen: t.maxLen } : {}),
        ...(t.structured ? { structured: t.structured } : {}),
      });
      if (process.env.FUZZ_RUNS)
        console.log(`fuzz ${t.name}: ${r.tried} inputs, ${r.accepted} parsed, ${r.typed} typed errors, ${r.untyped.length} untyped, ${r.slow.length} slow`);
      expect(
        r.untyped.slice(0, 3).map((u) => `${u.error} <- ${u.input.slice(0, 160)}`),
        `${r.untyped.length} untyped of ${r.tried}`,
      ).toEqual([]);
      expect(r.slow.slice(0, 3)).toEqual([]);
      expect(r.accepted + r.typed).toBe(runs);
    }, 600_000);
  }
});

describe("GFF3 and GTF attributes named like Object.prototype members", () => {
  it("a tag named constructor, toString or __proto__ is read as any other (fuzzing found constructor=t1 threw TypeError)", async () => {
    const p = join(dir, "proto.gff3");
    writeFileSync(p, "chr1\tsgd\tmRNA\t1\t100\t.\t+\t.\tID=t1;constructor=a,b;toString=x%3By;__proto__=z;Note=p=q;Empty=\n");
    const rows = [];
    for await (const f of readGff3(p)) rows.push(f);
    expect(Object.entries(rows[0]!.attributes)).toEqual([
      ["ID", ["t1"]],
      ["constructor", ["a", "b"]],
      ["toString", ["x;y"]],
      ["__proto__", ["z"]],
      ["Note", ["p"]],
    ]);
  });

  it("GTF: constructor and toString tags are read as any other (they threw TypeError: out[key].push is not a function)", async () => {
    const p = join(dir, "proto.gtf");
    writeFileSync(p, 'chr1\tens\texon\t1\t50\t.\t+\t.\tgene_id "g1"; constructor "x"; toString "y"; constructor "z";\n');
    const rows = [];
    for await (const f of readGtf(p)) rows.push(f);
    expect(Object.entries(rows[0]!.attributes)).toEqual([
      ["gene_id", ["g1"]],
      ["constructor", ["x", "z"]],
      ["toString", ["y"]],
    ]);
  });
});
