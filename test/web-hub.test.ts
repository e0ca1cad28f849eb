import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HubError, InputError } from "../src/errors.js";
import { loadModelFolder } from "../src/model/model-folder.js";
import { type HubCache, openHubSnapshot, WebMaskedLanguageModel } from "../src/web/index.js";
import { deadEndpoint, fixtureHub, GATED, REPO, REV } from "./helpers/hub-fixture.js";
import { type FakeHub, revisionFromDir } from "./helpers/hub-server.js";
import { FIXTURE, HAS_SHARED, maxAbsDiff, SKIP_REASON } from "./helpers/shared.js";

/** Cache Storage as the page has it, in memory: responses by URL. */
class MemoryCache implements HubCache {
  readonly entries = new Map<string, ArrayBuffer>();
  async match(req: RequestInfo | URL): Promise<Response | undefined> {
    const b = this.entries.get(String(req));
    return b ? new Response(b.slice(0)) : undefined;
  }
  async put(req: RequestInfo | URL, res: Response): Promise<void> {
    this.entries.set(String(req), await res.arrayBuffer());
  }
}

const fixtureBytes = (f: string): Buffer => readFileSync(`${FIXTURE}model/${f}`);
const ALIAS_REPO = "gagneurlab/SpeciesLM";

describe.skipIf(!HAS_SHARED)("a Hub model by name in the browser (openHubSnapshot on a local Hub)", () => {
  if (!HAS_SHARED) console.warn(SKIP_REASON);
  let hub: FakeHub;
  const resolves = () => hub.requests.filter((r) => r.method === "GET" && r.url.includes("/resolve/"));
  beforeAll(async () => {
    hub = fixtureHub();
    // specieslm-3p's repo and branch, holding pytorch_model.bin as the published revisions do.
    hub.repos[ALIAS_REPO] = {
      revisions: { downstream_species_lm: revisionFromDir(`${FIXTURE}model`, "alias", (f) => f !== "model.safetensors") },
    };
    await hub.start();
  });
  afterAll(async () => hub?.stop());

  it("downloads the folder once, keyed by commit, then opens it from the cache with one request, and from the ref when the Hub is gone", async () => {
    const cache = new MemoryCache();
    const progress: string[] = [];
    const first = await openHubSnapshot(`${REPO}@${REV}`, {
      endpoint: `${hub.url}/`,
      cache,
      onProgress: (p) => progress.push(`${p.file}:${p.done}/${p.total}`),
    });
    const commit = hub.repos[REPO]!.revisions[REV]!.commit;
    expect(first).toMatchObject({ commit, fromCache: false, unreachable: false });
    expect([...first.files].sort()).toEqual(["config.json", "model.safetensors", "special_tokens_map.json", "tokenizer_config.json", "vocab.txt"]);
    for (const f of first.files) expect(Buffer.from(await first.source.bytes(f)).equals(fixtureBytes(f)), f).toBe(true);
    expect(first.downloadedBytes).toBe(first.files.reduce((s, f) => s + fixtureBytes(f).length, 0));
    const size = fixtureBytes("model.safetensors").length;
    expect(progress).toContain(`model.safetensors:${size}/${size}`);
    // Files are stored under their resolve URL at the commit, not the branch.
    expect(cache.entries.has(`${hub.url}/${REPO}/resolve/${commit}/model.safetensors`)).toBe(true);
    expect([...cache.entries.keys()].some((k) => k.includes(`/resolve/${REV}/`))).toBe(false);

    hub.requests.length = 0;
    const second = await openHubSnapshot(`${REPO}@${REV}`, { endpoint: hub.url, cache });
    expect(second).toMatchObject({ commit, fromCache: true, unreachable: false, downloadedBytes: 0 });
    expect(resolves().map((r) => r.url)).toEqual([`/${REPO}/resolve/${REV}/config.json`]);
    expect(Buffer.from(await second.source.bytes("vocab.txt")).equals(fixtureBytes("vocab.txt"))).toBe(true);

    // The commit itself: no request at all.
    hub.requests.length = 0;
    expect(await openHubSnapshot(`${REPO}@${commit}`, { endpoint: hub.url, cache })).toMatchObject({ fromCache: true });
    expect(hub.requests).toEqual([]);

    // The Hub gone (fetch rejects as a browser's does): the branch's last commit from the cache.
    const down: typeof fetch = () => Promise.reject(new TypeError("Failed to fetch"));
    const offline = await openHubSnapshot(`${REPO}@${REV}`, { endpoint: hub.url, cache, fetch: down });
    expect(offline).toMatchObject({ commit, fromCache: true, unreachable: true });
    expect(Buffer.from(await offline.source.bytes("model.safetensors")).equals(fixtureBytes("model.safetensors"))).toBe(true);
    const never = await openHubSnapshot(`${REPO}@other`, { endpoint: hub.url, cache, fetch: down }).catch((e: unknown) => e as Error);
    expect((never as Error).message).toMatch(/cannot reach the Hub at .* \(Failed to fetch\), and this browser has no copy of it/);
  }, 30_000);

  it("re-downloads when the branch moved to another commit", async () => {
    const cache = new MemoryCache();
    await openHubSnapshot(`${REPO}@${REV}`, { endpoint: hub.url, cache });
    const before = hub.repos[REPO]!.revisions[REV]!;
    hub.repos[REPO]!.revisions[REV] = revisionFromDir(`${FIXTURE}model`, "moved");
    try {
      const moved = await openHubSnapshot(`${REPO}@${REV}`, { endpoint: hub.url, cache });
      expect(moved).toMatchObject({ fromCache: false, commit: hub.repos[REPO]!.revisions[REV]!.commit });
      expect(moved.commit).not.toBe(before.commit);
    } finally {
      hub.repos[REPO]!.revisions[REV] = before;
    }
  });

  it("opens an alias (specieslm-3p) from its repo and branch, reading pytorch_model.bin when there is no model.safetensors", async () => {
    const snap = await openHubSnapshot("specieslm-3p", { endpoint: hub.url, cache: null });
    expect(snap.spec).toMatchObject({ repo: ALIAS_REPO, revision: "downstream_species_lm" });
    expect(snap.files).toContain("pytorch_model.bin");
    const web = await WebMaskedLanguageModel.load(snap.source);
    expect(web.folder.weightsFile).toBe(`${ALIAS_REPO}@downstream_species_lm/pytorch_model.bin`);
    const node = await loadModelFolder(`${FIXTURE}model`);
    for (const [name, t] of node.weights) expect(maxAbsDiff(web.folder.weights.get(name)!.data as Float32Array, t.data), name).toBe(0);
  });

  it("answers the Hub's errors and an unreachable Hub with one line each", async () => {
    const open = (name: string, endpoint = hub.url) =>
      openHubSnapshot(name, { endpoint, cache: new MemoryCache() }).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
    const cases: [string, string | undefined, RegExp][] = [
      ["not a name", "no org/slash", /"no org\/slash" is not a Hub model name: write ORG\/NAME, ORG\/NAME@REVISION or one of specieslm-3p, /],
      ["unknown repo", "test-org/nothing-here", /^repository test-org\/nothing-here not found on http:\/\/127\.0\.0\.1:\d+; check the name$/],
      ["unknown revision", `${REPO}@no-such-branch`, /^revision no-such-branch not found in test-org\/tiny-specieslm on /],
      [
        "gated",
        GATED,
        /^test-org\/gated-specieslm is gated or private on .* \(HTTP 401\): this page cannot sign in; download it with `specieslm models pull test-org\/gated-specieslm@main`/,
      ],
      ["no config", `${REPO}@no-config`, /has no config\.json; is it a SpeciesLM model\?/],
      ["no weights", `${REPO}@no-weights`, /is not a SpeciesLM model: no model\.safetensors or pytorch_model\.bin$/],
    ];
    for (const [what, name, want] of cases) {
      const err = await open(name!);
      expect(err, what).toBeInstanceOf(what === "not a name" ? InputError : HubError);
      expect(err!.message, what).toMatch(want);
      expect(err!.message, what).not.toContain("\n");
    }
    const dead = await open(`${REPO}@${REV}`, await deadEndpoint());
    expect(dead).toBeInstanceOf(HubError);
    expect(dead!.message).toMatch(
      /^cannot reach the Hub at http:\/\/127\.0\.0\.1:\d+ for test-org\/tiny-specieslm@downstream_species_lm \(.*\), and this browser has no copy of it; check the network or the Hub address$/,
    );
  });

  it("keeps nothing of a download cut midway, and the next try completes it", async () => {
    const cache = new MemoryCache();
    hub.cutOnce.add("model.safetensors");
    const err = await openHubSnapshot(`${REPO}@${REV}`, { endpoint: hub.url, cache }).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(HubError);
    expect((err as Error).message).toMatch(
      /download of test-org\/tiny-specieslm@downstream_species_lm model\.safetensors from .* (was interrupted|ended after)/,
    );
    expect(cache.entries.size).toBe(0);
    const again = await openHubSnapshot(`${REPO}@${REV}`, { endpoint: hub.url, cache });
    expect(Buffer.from(await again.source.bytes("model.safetensors")).equals(fixtureBytes("model.safetensors"))).toBe(true);
  });
});
