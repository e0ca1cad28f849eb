import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliAsync } from "./helpers/cli.js";
import { deadEndpoint, fixtureHub, reconstructionCheck, REPO, REV, testHubEnv } from "./helpers/hub-fixture.js";
import type { FakeHub } from "./helpers/hub-server.js";
import { FIXTURE, HAS_SHARED, SKIP_REASON } from "./helpers/shared.js";

// The etags are computed independently of src/hub: git's own blob hash and sha256 of the fixture files.
const gitHashObject = (path: string): string => execFileSync("git", ["hash-object", path], { encoding: "utf8" }).trim();
const sha256File = (path: string): string => createHash("sha256").update(readFileSync(path)).digest("hex");
const SNAPSHOT_FILES = ["config.json", "model.safetensors", "special_tokens_map.json", "tokenizer_config.json", "vocab.txt"];
const expectedEtag = (f: string): string => (f.endsWith(".safetensors") ? sha256File(`${FIXTURE}model/${f}`) : gitHashObject(`${FIXTURE}model/${f}`));
const repoDir = (cache: string): string => join(cache, "models--test-org--tiny-specieslm");

describe.skipIf(!HAS_SHARED)("reconstruct --model ORG/NAME@REV from a Hub (local test server)", () => {
  if (!HAS_SHARED) console.warn(SKIP_REASON);
  let hub: FakeHub;
  let check: Awaited<ReturnType<typeof reconstructionCheck>>;
  const newCache = () => mkdtempSync(join(check.dir, "cache-"));
  const envFor = (cache: string, extra: Record<string, string | undefined> = {}) => testHubEnv(hub.url, check.dir, cache, extra);
  const reconstruct = (cache: string, out: string, extra: Record<string, string | undefined> = {}, model = `${REPO}@${REV}`) =>
    cliAsync(["reconstruct", "--model", model, "-i", check.fasta, "-o", join(check.dir, out), "--threads", "1"], envFor(cache, extra));
  const bodyRequests = () => hub.requests.filter((r) => r.method === "GET" && (r.url.includes("/resolve/") || r.url.startsWith("/lfs-blobs/")));

  beforeAll(async () => {
    expect(existsSync("dist/cli/main.js"), "run `npm run build` first").toBe(true);
    hub = await fixtureHub().start();
    check = await reconstructionCheck();
  });
  afterAll(async () => {
    await hub?.stop();
    check?.cleanup();
  });

  it("downloads into the huggingface_hub layout, equals the PyTorch reference, then runs offline and with the Hub gone", async () => {
    const cache = newCache();
    const first = await reconstruct(cache, "online.tsv");
    expect(first.stderr, "no progress bar in a pipe").not.toMatch(/download|MiB|ETA/);
    expect(first.code).toBe(0);
    expect(check.maxDiff(join(check.dir, "online.tsv"))).toBeLessThan(1e-5);

    // refs/REV holds the commit (no newline); snapshots/COMMIT/FILE -> ../../blobs/ETAG; blobs are the bytes.
    const root = repoDir(cache);
    const commit = readFileSync(join(root, "refs", REV), "utf8");
    expect(commit).toMatch(/^[0-9a-f]{40}$/);
    expect(commit).toBe(hub.repos[REPO]!.revisions[REV]!.commit);
    const snap = join(root, "snapshots", commit);
    expect(readdirSync(snap).sort()).toEqual(SNAPSHOT_FILES);
    for (const f of SNAPSHOT_FILES) {
      expect(lstatSync(join(snap, f)).isSymbolicLink(), f).toBe(true);
      expect(readlinkSync(join(snap, f)), f).toBe(`../../blobs/${expectedEtag(f)}`);
      expect(readFileSync(join(snap, f)).equals(readFileSync(`${FIXTURE}model/${f}`)), f).toBe(true);
    }
    expect(readdirSync(join(root, "blobs")).sort()).toEqual(SNAPSHOT_FILES.map(expectedEtag).sort());
    // Only the preferred weight file was fetched: model.safetensors, not pytorch_model.bin.
    expect(bodyRequests().some((r) => r.url.includes("pytorch_model.bin"))).toBe(false);

    const seen = hub.requests.length;
    const offline = await reconstruct(cache, "offline.tsv", { HF_HUB_OFFLINE: "1" });
    expect(offline.code, offline.stderr).toBe(0);
    expect(hub.requests.length).toBe(seen);
    expect(readFileSync(join(check.dir, "offline.tsv"), "utf8")).toBe(readFileSync(join(check.dir, "online.tsv"), "utf8"));

    const gone = await reconstruct(cache, "gone.tsv", { HF_ENDPOINT: await deadEndpoint() });
    expect(gone.code, gone.stderr).toBe(0);
    expect(gone.stderr).toMatch(/cannot be reached; using the cached test-org\/tiny-specieslm@downstream_species_lm/);
    expect(readFileSync(join(check.dir, "gone.tsv"), "utf8")).toBe(readFileSync(join(check.dir, "online.tsv"), "utf8"));
  });

  it("reuses a cache laid out as huggingface_hub documents it, downloading no file", async () => {
    const cache = newCache();
    const root = repoDir(cache);
    const commit = hub.repos[REPO]!.revisions[REV]!.commit;
    mkdirSync(join(root, "blobs"), { recursive: true });
    mkdirSync(join(root, "refs"), { recursive: true });
    mkdirSync(join(root, "snapshots", commit), { recursive: true });
    writeFileSync(join(root, "refs", REV), commit);
    for (const f of SNAPSHOT_FILES) {
      writeFileSync(join(root, "blobs", expectedEtag(f)), readFileSync(`${FIXTURE}model/${f}`));
      symlinkSync(`../../blobs/${expectedEtag(f)}`, join(root, "snapshots", commit, f));
    }
    const before = bodyRequests().length;
    const r = await reconstruct(cache, "reuse.tsv");
    expect(r.code, r.stderr).toBe(0);
    expect(bodyRequests().length).toBe(before);
    expect(check.maxDiff(join(check.dir, "reuse.tsv"))).toBeLessThan(1e-5);
  });

  it("resumes an interrupted download with a Range request", async () => {
    const cache = newCache();
    const sha = expectedEtag("model.safetensors");
    const size = statSync(`${FIXTURE}model/model.safetensors`).size;
    hub.cutOnce.add("model.safetensors");
    const cut = await reconstruct(cache, "cut.tsv");
    expect(cut.code).toBe(1);
    expect(cut.stderr).toMatch(
      new RegExp(
        `^specieslm: error: download of ${REPO}@${REV} model.safetensors was interrupted after \\d+ of ${size} bytes; run the command again to resume it\\n$`,
      ),
    );
    const partial = join(repoDir(cache), "blobs", `${sha}.incomplete`);
    const have = statSync(partial).size;
    expect(have).toBeGreaterThan(0);
    expect(have).toBeLessThan(size);
    expect(existsSync(join(repoDir(cache), "snapshots")), "no snapshot before every file is complete").toBe(false);
    expect(existsSync(join(repoDir(cache), "refs"))).toBe(false);
    expect(existsSync(join(check.dir, "cut.tsv"))).toBe(false);

    const again = await reconstruct(cache, "resumed.tsv");
    expect(again.code, again.stderr).toBe(0);
    expect(hub.requests.some((r) => r.url === `/lfs-blobs/${sha}` && r.range === `bytes=${have}-`)).toBe(true);
    expect(sha256File(join(repoDir(cache), "blobs", sha))).toBe(sha);
    expect(existsSync(partial)).toBe(false);
    expect(check.maxDiff(join(check.dir, "resumed.tsv"))).toBeLessThan(1e-5);
  });

  it("refuses a corrupted large file (sha256 mismatch) and leaves no snapshot or partial blob", async () => {
    const cache = newCache();
    const sha = expectedEtag("model.safetensors");
    hub.corrupt.add("model.safetensors");
    try {
      const r = await reconstruct(cache, "corrupt.tsv");
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        new RegExp(`^specieslm: error: ${REPO}@${REV} model.safetensors: downloaded file has sha256 [0-9a-f]{64} but the Hub says ${sha}; .*\\n$`),
      );
    } finally {
      hub.corrupt.delete("model.safetensors");
    }
    expect(existsSync(join(repoDir(cache), "snapshots"))).toBe(false);
    expect(existsSync(join(repoDir(cache), "refs"))).toBe(false);
    expect(readdirSync(join(repoDir(cache), "blobs")).filter((b) => b.startsWith(sha))).toEqual([]);
    expect(existsSync(join(check.dir, "corrupt.tsv"))).toBe(false);
  });
});
