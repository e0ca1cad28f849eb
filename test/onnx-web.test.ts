import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HostTensor } from "../src/host-tensor.js";
import { loadModelFolder } from "../src/model/model-folder.js";
import { readSafetensors } from "../src/model/safetensors.js";
import { MaskedLanguageModel } from "../src/runtime/masked-lm.js";
import { Session } from "../src/runtime/session.js";
import { WebSession } from "../src/runtime/web-session.js";
import { encodeBatch } from "../src/tokenizer/batch.js";
import { FIXTURE, HAS_SHARED, maxAbsDiff, SKIP_REASON, fixtureCases, type FixtureCase } from "./helpers/shared.js";

const sourceOf = (file: string) => readFileSync(fileURLToPath(new URL(`../src/runtime/${file}`, import.meta.url)), "utf8");
const WASM_DIR = fileURLToPath(new URL("../node_modules/onnxruntime-web/dist/", import.meta.url));

describe("web-session.ts", () => {
  it("has no Node-only imports, nor has the session core it shares with session.ts (they must bundle for browsers)", () => {
    const importsOf = (file: string) => [...sourceOf(file).matchAll(/from\s+"([^"]+)"/g)].map((m) => m[1]!);
    expect(importsOf("web-session.ts")).toContain("onnxruntime-web");
    expect(importsOf("web-session.ts")).toContain("./ort-bridge.js");
    for (const i of [...importsOf("web-session.ts"), ...importsOf("ort-bridge.ts")]) {
      expect(i.startsWith("node:") || i === "onnxruntime-node" || i === "fs" || i === "path", i).toBe(false);
    }
  });
});

describe.skipIf(!HAS_SHARED)("onnxruntime-web (wasm) parity with onnxruntime-node on the exported graph", () => {
  if (!HAS_SHARED) console.warn(SKIP_REASON);
  let model: MaskedLanguageModel;
  let expected: Map<string, HostTensor>;
  let cases: FixtureCase[];
  let web: WebSession;
  let node: Session;

  beforeAll(async () => {
    model = new MaskedLanguageModel(await loadModelFolder(`${FIXTURE}model`), { threads: 1 });
    expected = (await readSafetensors(`${FIXTURE}expected.safetensors`)).tensors;
    cases = fixtureCases(/^case\d$/);
    const bytes = model.onnxBytes("logits");
    web = await WebSession.create(bytes, { threads: 1, wasmPaths: WASM_DIR });
    node = await Session.create(bytes, { threads: 1 });
  });
  afterAll(async () => {
    await web?.release();
    await node?.release();
    await model?.release();
  });

  it("exposes the same inputs and outputs as the node session", () => {
    expect([...web.inputNames]).toEqual([...node.inputNames]);
    expect([...web.outputNames]).toEqual(["logits"]);
  });

  it("gives the node logits within 1e-4, and both give the fixture's reference logits within 1e-4", async () => {
    for (const c of cases) {
      const b = encodeBatch(model.tokenizer, [{ sequence: c.sequence, species: c.species }]);
      const feeds = { input_ids: b.inputIds, attention_mask: b.attentionMask };
      const w = (await web.run(feeds)).logits!;
      const n = (await node.run(feeds)).logits!;
      expect(w.dtype).toBe("float32");
      expect(w.shape).toEqual(n.shape);
      const ref = expected.get(`${c.name}.logits`)!.data as Float32Array;
      expect(maxAbsDiff(w.data as Float32Array, n.data as Float32Array), `${c.name} web vs node`).toBeLessThan(1e-4);
      expect(maxAbsDiff(w.data as Float32Array, ref), `${c.name} web vs reference`).toBeLessThan(1e-4);
      expect(maxAbsDiff(n.data as Float32Array, ref), `${c.name} node vs reference`).toBeLessThan(1e-4);
    }
  });

  it("handles a right-padded batch with its attention mask", async () => {
    const feeds = { input_ids: expected.get("padded.input_ids")!, attention_mask: expected.get("padded.attention_mask")! };
    const w = (await web.run(feeds)).logits!;
    expect(maxAbsDiff(w.data as Float32Array, expected.get("padded.logits")!.data as Float32Array)).toBeLessThan(1e-4);
  });

  it("runs the int8 graph (com.microsoft DynamicQuantizeMatMul) like the node runtime, within 1e-4", async () => {
    const int8 = new MaskedLanguageModel(model.folder, { quantize: "int8" });
    const bytes = int8.onnxBytes("logits");
    const [w8, n8] = [await WebSession.create(bytes, { threads: 1, wasmPaths: WASM_DIR }), await Session.create(bytes, { threads: 1 })];
    try {
      const c = cases[0]!;
      const b = encodeBatch(model.tokenizer, [{ sequence: c.sequence, species: c.species }]);
      const feeds = { input_ids: b.inputIds, attention_mask: b.attentionMask };
      const w = (await w8.run(feeds)).logits!.data as Float32Array;
      const n = (await n8.run(feeds)).logits!.data as Float32Array;
      // Same integer kernels up to rounding of the dequantised sums (measured 1.4e-6).
      expect(maxAbsDiff(w, n)).toBeLessThan(1e-4);
      expect(maxAbsDiff(w, expected.get(`${c.name}.logits`)!.data as Float32Array)).toBeGreaterThan(1e-3); // really int8
    } finally {
      await w8.release();
      await n8.release();
    }
  });

  it("names missing inputs instead of failing inside the runtime", async () => {
    await expect(web.run({ input_ids: expected.get("padded.input_ids")! })).rejects.toThrow(/attention_mask/);
  });
});
