import { cpSync, existsSync, mkdtempSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MODEL_ALIASES } from "../src/hub/aliases.js";
import { hubEnv } from "../src/hub/env.js";
import { mulberry32 } from "../src/rng.js";
import { parseRepoSpec } from "../src/hub/repo-spec.js";
import { DEFAULT_REGION_LENGTH } from "../src/sequence/region.js";
import { cliAsync } from "./helpers/cli.js";
import { deadEndpoint, fixtureHub, GATED, reconstructionCheck, REPO, REV, testHubEnv } from "./helpers/hub-fixture.js";
import { type FakeHub, TOKEN } from "./helpers/hub-server.js";
import { FIXTURE, HAS_SHARED, SKIP_REASON } from "./helpers/shared.js";

describe("Hub names, aliases and environment", () => {
  it("parses ORG/NAME[@REV] with --revision and main as defaults", () => {
    expect(parseRepoSpec("org/name")).toEqual({ repo: "org/name", revision: "main" });
    expect(parseRepoSpec("org/name", "v1")).toEqual({ repo: "org/name", revision: "v1" });
    expect(parseRepoSpec("org/name@refs/pr/1")).toEqual({ repo: "org/name", revision: "refs/pr/1" });
    expect(() => parseRepoSpec("org/name@a", "b")).toThrow(/names revision a but --revision says b/);
    expect(() => parseRepoSpec("org/name@")).toThrow(/nothing after '@'/);
    for (const notHub of ["/abs/dir", "./dir", "a/b/c", "name", "org/-bad", "org/a--b", ""]) expect(parseRepoSpec(notHub), notHub).toBeUndefined();
    // Random valid names round-trip (fast-check is not installed here: a seeded generator instead).
    const rng = mulberry32(7);
    const word = (alphabet: string, n: number) => Array.from({ length: n }, () => alphabet[Math.floor(rng.next() * alphabet.length)]).join("");
    const AN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    for (let i = 0; i < 500; i++) {
      const org = word(AN, 1 + Math.floor(rng.next() * 10)),
        name = word(AN, 1) + word(AN + "_", Math.floor(rng.next() * 8)) + word(AN, 1);
      const rev = word(AN + "_./-", 1 + Math.floor(rng.next() * 20));
      expect(parseRepoSpec(`${org}/${name}@${rev}`)).toEqual({ repo: `${org}/${name}`, revision: rev });
    }
  });

  it("aliases name the four published revisions with region, length and k", () => {
    expect(MODEL_ALIASES.map((a) => [a.alias, `${a.repo}@${a.revision}`])).toEqual([
      ["specieslm-3p", "gagneurlab/SpeciesLM@downstream_species_lm"],
      ["specieslm-3p-agnostic", "gagneurlab/SpeciesLM@downstream_agnostic_lm"],
      ["specieslm-5p", "gagneurlab/SpeciesLM@upstream_species_lm"],
      ["specieslm-5p-agnostic", "gagneurlab/SpeciesLM@upstream_agnostic_lm"],
    ]);
    for (const a of MODEL_ALIASES) {
      expect(a.regionLength).toBe(DEFAULT_REGION_LENGTH[a.region]);
      expect(a.k).toBe(6);
      expect(a.species).toBe(a.alias.endsWith("agnostic") ? "none" : "token");
    }
    expect(parseRepoSpec("specieslm-5p")).toMatchObject({ repo: "gagneurlab/SpeciesLM", revision: "upstream_species_lm" });
    expect(() => parseRepoSpec("specieslm-5p@main")).toThrow(/gagneurlab\/SpeciesLM@REVISION/);
  });

  it("reads the cache folder, endpoint and offline flag as huggingface_hub does", () => {
    expect(hubEnv({ HF_HUB_CACHE: "/c", HF_HOME: "/h" }).cacheDir).toBe("/c");
    expect(hubEnv({ HF_HOME: "/h" }).cacheDir).toBe("/h/hub");
    expect(hubEnv({ XDG_CACHE_HOME: "/x" }).cacheDir).toBe("/x/huggingface/hub");
    expect(hubEnv({ HF_HOME: "/h" }).endpoint).toBe("https://huggingface.co");
    expect(hubEnv({ HF_HOME: "/h", HF_ENDPOINT: "http://m/" }).endpoint).toBe("http://m");
    expect(hubEnv({ HF_HOME: "/h", HF_HUB_OFFLINE: "1" }).offline).toBe(true);
    expect(hubEnv({ HF_HOME: "/h", HF_HUB_OFFLINE: "0" }).offline).toBe(false);
  });
});

describe.skipIf(!HAS_SHARED)("Hub errors and `specieslm models`", () => {
  if (!HAS_SHARED) console.warn(SKIP_REASON);
  let hub: FakeHub;
  let check: Awaited<ReturnType<typeof reconstructionCheck>>;
  beforeAll(async () => {
    hub = await fixtureHub().start();
    check = await reconstructionCheck();
  });
  afterAll(async () => {
    await hub?.stop();
    check?.cleanup();
  });
  const env = (cache: string, extra: Record<string, string | undefined> = {}) => testHubEnv(hub.url, check.dir, cache, extra);
  const run = (model: string, extra: Record<string, string | undefined> = {}, cache = mkdtempSync(join(check.dir, "c-"))) =>
    cliAsync(["reconstruct", "--model", model, "-i", check.fasta, "-o", join(cache, "out.tsv")], env(cache, extra)).then((r) => ({
      ...r,
      cache,
    }));

  it.each([
    ["unknown repository", "test-org/nope", {}, /^specieslm: error: repository test-org\/nope not found on http:\/\/127\.0\.0\.1:\d+ .*set HF_TOKEN/],
    ["unknown revision", `${REPO}@nope`, {}, /^specieslm: error: revision nope not found in test-org\/tiny-specieslm/],
    ["gated without a token", `${GATED}`, {}, /^specieslm: error: test-org\/gated-specieslm is gated or private \(HTTP 401\): set HF_TOKEN/],
    ["gated with a wrong token", `${GATED}`, { HF_TOKEN: "hf_wrong" }, /^specieslm: error: access to test-org\/gated-specieslm is denied \(HTTP 401\)/],
    [
      "offline without a cache",
      `${REPO}@${REV}`,
      { HF_HUB_OFFLINE: "1" },
      /^specieslm: error: offline \(HF_HUB_OFFLINE=1\) and test-org\/tiny-specieslm@downstream_species_lm is not in the cache/,
    ],
    [
      "no config.json",
      `${REPO}@no-config`,
      {},
      /^specieslm: error: test-org\/tiny-specieslm@no-config \(commit [0-9a-f]{8}\) on .* is not a SpeciesLM model: no config.json/,
    ],
    [
      "no weights",
      `${REPO}@no-weights`,
      {},
      /is not a SpeciesLM model: no model.safetensors or pytorch_model.bin \(it has config.json, special_tokens_map.json/,
    ],
  ])("%s: one line, exit 1, nothing cached or written", async (_name, model, extra, message) => {
    const r = await run(model, extra as Record<string, string>);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(readdirSync(r.cache)).toEqual([]);
  });

  it("no network: one line naming the endpoint, exit 1", async () => {
    const dead = await deadEndpoint();
    const r = await run(`${REPO}@${REV}`, { HF_ENDPOINT: dead });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `specieslm: error: cannot reach the Hugging Face Hub at ${dead} for ${REPO}@${REV} (ECONNREFUSED); check the network or HF_ENDPOINT, or set HF_HUB_OFFLINE=1 to use the cache\n`,
    );
    expect(readdirSync(r.cache)).toEqual([]);
  });

  it("offline with a cache that lacks a file names the repository, revision and file", async () => {
    const cache = mkdtempSync(join(check.dir, "c-"));
    expect((await run(`${REPO}@${REV}`, {}, cache)).code).toBe(0);
    const commit = hub.repos[REPO]!.revisions[REV]!.commit;
    const { rmSync } = await import("node:fs");
    rmSync(join(cache, "models--test-org--tiny-specieslm", "snapshots", commit, "vocab.txt"));
    const r = await run(`${REPO}@${REV}`, { HF_HUB_OFFLINE: "1" }, cache);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^specieslm: error: offline \(HF_HUB_OFFLINE=1\): test-org\/tiny-specieslm@downstream_species_lm in the cache \(.*\) is not a SpeciesLM model: no vocab.txt/,
    );
  });

  it("a local folder of the same name wins over the Hub (as transformers resolves it)", async () => {
    const cwd = mkdtempSync(join(check.dir, "cwd-"));
    cpSync(`${FIXTURE}model`, join(cwd, GATED), { recursive: true });
    const before = hub.requests.length;
    const r = await cliAsync(["reconstruct", "--model", GATED, "-i", check.fasta, "-o", join(cwd, "out.tsv")], env(join(cwd, "cache")), 60_000, cwd);
    expect(r.code, r.stderr).toBe(0);
    expect(hub.requests.length).toBe(before);
    expect(existsSync(join(cwd, "cache"))).toBe(false);
    expect(check.maxDiff(join(cwd, "out.tsv"))).toBeLessThan(1e-5);
  });

  it("a gated repository loads with HF_TOKEN, sent as a bearer token", async () => {
    const r = await run(GATED, { HF_TOKEN: TOKEN });
    expect(r.code, r.stderr).toBe(0);
    expect(check.maxDiff(join(r.cache, "out.tsv"))).toBeLessThan(1e-5);
    expect(hub.requests.some((q) => q.url.startsWith(`/api/models/${GATED}/revision/main`) && q.auth === `Bearer ${TOKEN}`)).toBe(true);
  });

  it("models pull, list and rm manage the cache", async () => {
    const cache = mkdtempSync(join(check.dir, "c-"));
    const models = (...args: string[]) => cliAsync(["models", ...args], env(cache));
    const pulled = await models("pull", REPO, "--revision", REV, "--json");
    expect(pulled.code, pulled.stderr).toBe(0);
    const p = JSON.parse(pulled.stdout) as { dir: string; commit: string; files: string[]; downloadedBytes: number };
    expect(p.dir).toBe(join(cache, "models--test-org--tiny-specieslm", "snapshots", p.commit));
    expect(p.downloadedBytes).toBe(hub.repos[REPO]!.revisions[REV]!.files.filter((f) => p.files.includes(f.path)).reduce((s, f) => s + f.bytes.length, 0));
    expect((await models("pull", `${REPO}@no-config`)).code).toBe(1);
    expect((await models("pull", `${GATED}@main`)).code).toBe(1);
    const listed = await models("list", "--json");
    const l = JSON.parse(listed.stdout) as {
      repos: { repo: string; bytes: number; revisions: { revision: string; commit: string; bytes: number; files: string[] }[] }[];
    };
    expect(l.repos).toHaveLength(1);
    expect(l.repos[0]!.revisions).toEqual([{ revision: REV, commit: p.commit, files: [...p.files].sort(), bytes: p.downloadedBytes }]);
    expect(l.repos[0]!.bytes).toBe(p.downloadedBytes);
    const text = await models("list");
    expect(text.stdout).toMatch(
      new RegExp(`test-org/tiny-specieslm\\s+${REV}\\s+${p.commit.slice(0, 8)}\\s+5\\s+${(p.downloadedBytes / 2 ** 20).toFixed(1)} MiB`),
    );
    expect(text.stdout).toMatch(/specieslm-3p\s+gagneurlab\/SpeciesLM@downstream_species_lm/);
    expect((await models("rm", `${REPO}@other`)).code).toBe(1);
    const rm = await models("rm", `${REPO}@${REV}`, "--json");
    expect(rm.code, rm.stderr).toBe(0);
    expect(JSON.parse(rm.stdout)).toEqual({ repo: REPO, removed: [REV], freedBytes: p.downloadedBytes });
    const root = join(cache, "models--test-org--tiny-specieslm");
    expect(readdirSync(join(root, "blobs"))).toEqual([]);
    expect(existsSync(join(root, "snapshots", p.commit))).toBe(false);
    expect((await models("pull", `${REPO}@${REV}`)).code).toBe(0);
    expect((await models("rm", REPO)).code).toBe(0);
    expect(existsSync(root)).toBe(false);
  });
});
