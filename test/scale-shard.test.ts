import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reconstructionTsvRows, RECONSTRUCTION_TSV_HEADER } from "../src/infer/reconstruction-tsv.js";
import { reconstruct } from "../src/infer/reconstruct.js";
import { readSequenceInput } from "../src/infer/sequence-input.js";
import { chunkRecords, mapChunks } from "../src/io/chunked-pipeline.js";
import { parseShard, shardRange, takeShard } from "../src/io/shard.js";
import type { HostTensor } from "../src/host-tensor.js";
import { encodeSafetensors } from "../src/model/safetensors.js";
import { MaskedLanguageModel } from "../src/runtime/masked-lm.js";
import { writeSimulatedGenome } from "./helpers/genomes.js";
import { FIXTURE, HAS_SHARED, SKIP_REASON } from "./helpers/shared.js";

const CLI = "dist/cli/main.js";
const MODEL = `${FIXTURE}model`;

/** Runs the built CLI without blocking the worker (long sync spawns starve vitest's RPC under load). */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], { encoding: "utf8", maxBuffer: 1 << 26 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === "number" ? err.code : -1, stdout: err.stdout ?? "", stderr: err.stderr ?? "" };
  }
}

async function ok(args: string[]): Promise<string> {
  const r = await cli(args);
  expect(r.code, `${args.join(" ")}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

describe("shard specs", () => {
  it("parse i/n and reject 3/2, 0/0, a/b and friends with a message that says the form", () => {
    expect(parseShard("2/5")).toEqual({ index: 2, count: 5 });
    expect(parseShard(" 0 / 1 ")).toEqual({ index: 0, count: 1 });
    expect(() => parseShard("3/2")).toThrow(/shard index 3 is not below the shard count 2.*i\/n with 0 <= i < n/);
    expect(() => parseShard("2/2")).toThrow(/shard index 2 is not below the shard count 2/);
    expect(() => parseShard("0/0")).toThrow(/shard count must be at least 1/);
    for (const bad of ["a/b", "1", "-1/2", "1/2/3", "1.5/2", ""]) expect(() => parseShard(bad), bad).toThrow(/is not a shard spec/);
  });

  it("blocks cover every record index exactly once, in order, sizes within one", () => {
    for (const total of [0, 1, 7, 100, 101]) {
      for (const count of [1, 2, 3, 8, 13]) {
        const seen: number[] = [];
        const sizes: number[] = [];
        for (let index = 0; index < count; index++) {
          const [s, e] = shardRange(total, { index, count });
          for (let i = s; i < e; i++) seen.push(i);
          sizes.push(e - s);
        }
        expect(seen).toEqual(Array.from({ length: total }, (_, i) => i));
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }
    }
  });

  it("takeShard streams one block and stops reading after it", async () => {
    let read = 0;
    async function* source() {
      for (let i = 0; i < 10; i++) {
        read++;
        yield i;
      }
    }
    const got: number[] = [];
    for await (const x of takeShard(source(), 10, { index: 1, count: 3 })) got.push(x);
    expect(got).toEqual([3, 4, 5]);
    expect(read).toBe(7); // the reader is closed once record 6 (the first of shard 2) shows up
  });
});

describe("chunked record pipeline", () => {
  it("chunks by count and weight, keeps order, runs one chunk at a time", async () => {
    const sizes: number[] = [];
    for await (const c of chunkRecords([5, 5, 5, 20, 1, 1], { maxRecords: 3, maxWeight: 12, weight: (x) => x })) sizes.push(c.length);
    expect(sizes).toEqual([3, 1, 2]);
    let inFlight = 0;
    let maxInFlight = 0;
    const out: number[] = [];
    const process = async (chunk: readonly number[]) => {
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await new Promise((r) => setTimeout(r, 5 * (chunk[0]! % 3)));
      inFlight--;
      return chunk.map((x) => x * 10);
    };
    for await (const { records, results } of mapChunks(
      Array.from({ length: 23 }, (_, i) => i),
      process,
      { maxRecords: 4 },
    )) {
      await new Promise((r) => setTimeout(r, 3)); // a slow writer overlaps the next chunk's processing
      records.forEach((r, i) => expect(results[i]).toBe(r * 10));
      out.push(...results);
    }
    expect(out).toEqual(Array.from({ length: 23 }, (_, i) => i * 10));
    expect(maxInFlight).toBe(1);
  });

  it("a failing chunk fails the stream (no unhandled rejection while the previous chunk is written)", async () => {
    const run = async () => {
      for await (const _ of mapChunks(
        [1, 2, 3, 4],
        async (c) => {
          if (c[0] === 3) throw new Error("chunk 2 broke");
          return c;
        },
        { maxRecords: 2 },
      ))
        await new Promise((r) => setTimeout(r, 10));
    };
    await expect(run()).rejects.toThrow("chunk 2 broke");
  });
});

describe.skipIf(!HAS_SHARED || !existsSync(CLI))("streaming and sharded commands (built CLI, tiny fixture model)", () => {
  let dir = "";
  let input = "";
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "specieslm-shard-"));
    input = join(dir, "in.fa");
    const rng = (() => {
      let s = 3;
      return () => {
        s = (s * 1103515245 + 12345) % 2147483648;
        return s / 2147483648;
      };
    })();
    const species = ["candida_glabrata", "saccharomyces_paradoxus", "kluyveromyces_lactis"];
    const recs = Array.from({ length: 23 }, (_, i) => {
      const L = 14 + Math.floor(rng() * 60); // some shorter than 2k-1 = 11 would get 0.25; all here have rows
      return `>r${i} species=${species[i % 3]}\n${Array.from({ length: L }, () => "ACGT"[Math.floor(rng() * 4)]).join("")}\n`;
    });
    writeFileSync(input, recs.join(""));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reconstruct in chunks writes exactly what one reconstruct() over all records gives", async () => {
    const out = join(dir, "rec.tsv");
    await ok(["reconstruct", "--model", MODEL, "-i", input, "-o", out, "--threads", "1", "--spans-per-pass", "4", "--batch-size", "8", "--chunk-size", "5"]);
    const model = await MaskedLanguageModel.load(MODEL, { threads: 1 });
    const records = [];
    for await (const r of readSequenceInput(input)) records.push(r);
    const probs = await reconstruct(model, records, { spansPerPass: 4, batchSize: 8 });
    await model.release();
    const expected = RECONSTRUCTION_TSV_HEADER + records.map((r, i) => reconstructionTsvRows(r.id, r.sequence, probs[i]!)).join("");
    expect(readFileSync(out, "utf8")).toBe(expected);
  });

  it("reconstruct and embed shards, gathered in order, equal the unsharded output byte for byte", async () => {
    const common = ["--model", MODEL, "-i", input, "--threads", "1"];
    for (const [cmd, extra] of [
      ["reconstruct", ["--spans-per-pass", "8", "--chunk-size", "4"]],
      ["embed", ["--batch-size", "4"]],
    ] as const) {
      const whole = join(dir, `${cmd}-all.tsv`);
      await ok([cmd, ...common, ...extra, "-o", whole]);
      const parts = [0, 1, 2].map((i) => join(dir, `${cmd}-${i}.tsv`));
      for (const [i, p] of parts.entries()) await ok([cmd, ...common, ...extra, "--shard", `${i}/3`, "-o", p]);
      // each shard is a table of its own, with the header
      for (const p of parts) expect(readFileSync(p, "utf8").split("\n")[0]).toBe(readFileSync(whole, "utf8").split("\n")[0]);
      const gathered = join(dir, `${cmd}-gathered.tsv`);
      await ok(["gather", ...parts, "-o", gathered]);
      expect(readFileSync(gathered).equals(readFileSync(whole)), cmd).toBe(true);
    }
  }, 300_000); // 10 CLI runs; minutes on a loaded 2-core machine

  it("logits streams tensors through a spool and writes the same bytes as the in-memory writer", async () => {
    const out = join(dir, "out.safetensors");
    await ok(["logits", "--model", MODEL, "-i", input, "-o", out, "--threads", "1"]);
    const model = await MaskedLanguageModel.load(MODEL, { threads: 1 });
    const tensors = new Map<string, HostTensor>();
    for await (const r of readSequenceInput(input)) {
      const feeds = model.encode([r]);
      const res = await model.run("logits", feeds);
      tensors.set(`${r.id}.input_ids`, { dtype: "int64", shape: [feeds.inputIds.shape[1]!], data: feeds.inputIds.data });
      for (const [name, t] of Object.entries(res)) tensors.set(`${r.id}.${name}`, { ...t, shape: t.shape.slice(1) });
    }
    await model.release();
    expect(readFileSync(out).equals(encodeSafetensors(tensors, { format: "pt", producer: "specieslm" }))).toBe(true);
    expect(readFileSync(out).length).toBeGreaterThan(23 * 4107 * 4 * 10);
  });

  it("extract shards and corpus build parts merge into the unsharded outputs byte for byte", async () => {
    const g = [writeSimulatedGenome(dir, "candida_glabrata", 1, { gc: 0.35 }), writeSimulatedGenome(dir, "kluyveromyces_lactis", 2, { gc: 0.5 })];
    const whole = join(dir, "regions.fa");
    await ok(["extract", "--genome", g[0]!.genome, "--annotation", g[0]!.annotation, "--species", "candida_glabrata", "-o", whole]);
    expect(readFileSync(whole, "utf8").split(">").length - 1).toBe(g[0]!.genes);
    const parts = [0, 1, 2, 3, 4].map((i) => join(dir, `regions-${i}.fa`));
    for (const [i, p] of parts.entries())
      await ok(["extract", "--genome", g[0]!.genome, "--annotation", g[0]!.annotation, "--species", "candida_glabrata", "--shard", `${i}/5`, "-o", p]);
    expect(Buffer.concat(parts.map((p) => readFileSync(p))).equals(readFileSync(whole))).toBe(true);

    const manifest = join(dir, "manifest.tsv");
    writeFileSync(manifest, "species\tgenome\tannotation\n" + g.map((x) => `${x.species}\t${x.genome}\t${x.annotation}`).join("\n") + "\n");
    const opts = ["--manifest", manifest, "--split", "0.5,0.25,0.25", "--seed", "7"];
    await ok(["corpus", "build", ...opts, "-o", join(dir, "corpus")]);
    await ok(["corpus", "build", ...opts, "--shard", "1/2", "-o", join(dir, "part1")]);
    await ok(["corpus", "build", ...opts, "--shard", "0/2", "-o", join(dir, "part0")]);
    let r = await cli(["corpus", "merge", join(dir, "part1"), "-o", join(dir, "merged")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/corpus merge is missing shard\(s\) 0\/2/);
    await ok(["corpus", "merge", join(dir, "part1"), join(dir, "part0"), "-o", join(dir, "merged")]);
    for (const f of ["corpus.json", "train.tsv", "valid.tsv", "test.tsv"]) {
      expect(readFileSync(join(dir, "merged", f), "utf8"), f).toBe(readFileSync(join(dir, "corpus", f), "utf8"));
    }
    r = await cli(["corpus", "merge", join(dir, "part0"), join(dir, "part0"), "-o", join(dir, "merged2")]);
    expect(r.stderr).toMatch(/both shard 0\/2/);
  }, 300_000); // 12 CLI runs

  it("a bad shard spec stops before any work: no model read, no output", async () => {
    const out = join(dir, "never.tsv");
    for (const cmd of ["reconstruct", "embed"]) {
      const r = await cli([cmd, "--model", join(dir, "no-such-model"), "-i", join(dir, "no-such-input.fa"), "--shard", "3/2", "-o", out]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/--shard "3\/2": shard index 3 is not below the shard count 2/);
    }
    let r = await cli(["extract", "--genome", "nope.fa", "--annotation", "nope.gff3", "--species", "x", "--shard", "a/b", "-o", out]);
    expect(r.stderr).toMatch(/--shard "a\/b" is not a shard spec/);
    r = await cli(["corpus", "build", "--manifest", "nope.tsv", "--shard", "0/0", "-o", join(dir, "nope")]);
    expect(r.stderr).toMatch(/--shard "0\/0": the shard count must be at least 1/);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(join(dir, "nope"))).toBe(false);
  });

  it("gather refuses shards with different headers and writes nothing", async () => {
    mkdirSync(join(dir, "g"), { recursive: true });
    writeFileSync(join(dir, "g", "a.tsv"), "id\tpos\n1\t2\n");
    writeFileSync(join(dir, "g", "b.tsv"), "id\tdim0\n1\t2\n");
    const r = await cli(["gather", join(dir, "g", "a.tsv"), join(dir, "g", "b.tsv"), "-o", join(dir, "g", "out.tsv")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/b\.tsv:1: header "id\tdim0" differs from "id\tpos"/);
    expect(existsSync(join(dir, "g", "out.tsv"))).toBe(false);
    // FASTA shards have no header: the message says so (issue 27 #9)
    writeFileSync(join(dir, "g", "a.fa"), ">r1\nACGT\n");
    writeFileSync(join(dir, "g", "b.fa"), ">r2\nTTTT\n");
    const fa = await cli(["gather", join(dir, "g", "a.fa"), join(dir, "g", "b.fa"), "-o", join(dir, "g", "out.fa")]);
    expect(fa.code).toBe(1);
    expect(fa.stderr).toMatch(/pass --no-header for FASTA shards/);
  });
});

if (!HAS_SHARED) describe.skip(`streaming and sharded commands: ${SKIP_REASON}`, () => {});
