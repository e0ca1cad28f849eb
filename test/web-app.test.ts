import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseIndex, letterHeights, sequenceLogoSvg } from "../src/report/sequence-logo.js";
import { listen, staticServer } from "../src/cli/static-server.js";
import { filesSource, type NamedBlob } from "../src/io/file-source.js";

/** A picked file as a directory input hands it over. */
const picked = (path: string, text = path): NamedBlob => {
  const blob = new Blob([text]);
  return {
    name: path.split("/").pop()!,
    size: blob.size,
    webkitRelativePath: path,
    text: () => blob.text(),
    arrayBuffer: () => blob.arrayBuffer(),
  };
};

describe("picked files as a model folder", () => {
  it("keys a directory pick by file name, ignores sub-folders, and names files folder/file", async () => {
    const src = filesSource([picked("snap/config.json"), picked("snap/vocab.txt"), picked("snap/extra/config.json", "nested")]);
    expect(src.dir).toBe("snap");
    expect(src.list()).toEqual(["config.json", "vocab.txt"]);
    expect(await src.text("config.json")).toBe("snap/config.json");
    expect(src.path("vocab.txt")).toBe("snap/vocab.txt");
    expect(src.has("model.safetensors")).toBe(false);
  });

  it("takes a training run folder's checkpoint/ as the model, as resolveModelDir does on disk", async () => {
    const src = filesSource([
      picked("run/train_log.jsonl"),
      picked("run/checkpoint/config.json"),
      picked("run/checkpoint/vocab.txt"),
      picked("run/stage-1/config.json", "old"),
    ]);
    expect(src.dir).toBe("run/checkpoint");
    expect(src.list()).toEqual(["config.json", "vocab.txt"]);
    expect(await src.text("config.json")).toBe("run/checkpoint/config.json");
  });
});

describe("sequence logo", () => {
  it("letter heights are probabilities, or probabilities times the information content (2 bits at most)", () => {
    expect(letterHeights([0.1, 0.2, 0.3, 0.4], "probability")).toEqual([0.1, 0.2, 0.3, 0.4]);
    expect(letterHeights([1, 0, 0, 0], "information")).toEqual([2, 0, 0, 0]);
    expect(letterHeights([0.25, 0.25, 0.25, 0.25], "information")).toEqual([0, 0, 0, 0]);
    const h = letterHeights([0.5, 0.5, 0, 0], "information"); // 1 bit left, split evenly
    expect(h[0]).toBeCloseTo(0.5, 12);
    expect(baseIndex("g")).toBe(2);
    expect(baseIndex("N")).toBe(-1);
  });

  it("draws one stack per position, the reference letter opaque, axes labelled, a difference track for a second species", () => {
    const sequence = "ACGTN";
    const probs = new Float32Array([0.7, 0.1, 0.1, 0.1, 0.1, 0.7, 0.1, 0.1, 0.6, 0.2, 0.1, 0.1, 0.25, 0.25, 0.25, 0.25, 0.4, 0.3, 0.2, 0.1]);
    const one = sequenceLogoSvg({ title: "t", sequence, probs, label: "sp_a", columnWidth: 10 });
    expect(one.width).toBe(one.gutter + 5 * 10 + 12);
    expect(one.svg.match(/data-pos="/g)).toHaveLength(5);
    // 20 letters, 4 legend glyphs; of the 20, the 4 reference letters (not at N) are opaque.
    expect(one.svg.match(/<path /g)).toHaveLength(24);
    expect(one.svg.match(/fill-opacity="0.35"/g)).toHaveLength(16);
    for (const label of ["probability", "P(ref)", "position (nt)", "reference"]) expect(one.svg).toContain(`>${label}<`);
    expect(one.svg).not.toContain("Δ P(ref)");
    const two = sequenceLogoSvg({
      title: "t",
      sequence,
      probs,
      label: "sp_a",
      compare: { label: "sp_b", probs: probs.map((p) => 1 - p) },
      letterHeight: "information",
    });
    expect(two.svg).toContain(">Δ P(ref)<");
    expect(two.svg).toContain(">information (bits)<");
    expect(two.height).toBeGreaterThan(one.height);
  });
});

describe("specieslm serve's static server", () => {
  let dir = "";
  let url = "";
  let s: ReturnType<typeof staticServer>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "specieslm-serve-"));
    mkdirSync(join(dir, "app/ort"), { recursive: true });
    writeFileSync(join(dir, "app/index.html"), "<!doctype html>");
    writeFileSync(join(dir, "app/ort/x.wasm"), "\0asm");
    writeFileSync(join(dir, "secret.txt"), "no");
    s = staticServer(join(dir, "app"));
    url = await listen(s, 0, "127.0.0.1");
  });
  afterAll(() => {
    s.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const get = (path: string) =>
    new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((ok, fail) => {
      request(new URL(url), { path, method: "GET" }, (res) => {
        let body = "";
        res.on("data", (d) => (body += d));
        res.on("end", () => ok({ status: res.statusCode!, headers: res.headers, body }));
      })
        .on("error", fail)
        .end();
    });

  it("serves index.html and wasm with the headers that make the page cross-origin isolated", async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const index = await get("/");
    expect(index.status).toBe(200);
    expect(index.headers["content-type"]).toMatch(/text\/html/);
    expect(index.headers["cross-origin-opener-policy"]).toBe("same-origin");
    expect(index.headers["cross-origin-embedder-policy"]).toBe("require-corp");
    expect((await get("/ort/x.wasm")).headers["content-type"]).toBe("application/wasm");
  });

  it("reads a path starting with // as a path (it was taken for a host name: 400)", async () => {
    expect((await get("//?x")).status).toBe(200);
    expect((await get("//ort/x.wasm")).status).toBe(200);
  });

  it("answers 404 for missing files and never serves outside its folder", async () => {
    expect((await get("/nope.js")).status).toBe(404);
    const up = await get("/%2e%2e/secret.txt");
    expect([403, 404]).toContain(up.status);
    expect(up.body).not.toBe("no");
  });
});
