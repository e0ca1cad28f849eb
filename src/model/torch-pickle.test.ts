import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { WeightsError } from "../errors.js";
import { FIXTURE, HAS_SHARED, SKIP_REASON } from "../../test/helpers/shared.js";
import { readSafetensors } from "./safetensors.js";
import { readTorchCheckpoint } from "./torch-pickle.js";

/** Says in the test title why fixture tests were skipped. */
const fixtureTitle = (t: string): string => (HAS_SHARED ? t : `${t} (${SKIP_REASON})`);

// Small checkpoints written by torch 1.13 (test/fixtures/model/make_torch_fixtures.py).
const DIR = fileURLToPath(new URL("../../test/fixtures/model/", import.meta.url));
const expected = JSON.parse(readFileSync(`${DIR}dtypes.expected.json`, "utf8")) as Record<string, number[]>;

describe("readTorchCheckpoint on small torch.save files", () => {
  it("decodes float32, float16, bfloat16 and float64 to float32 and keeps int64", async () => {
    const sd = await readTorchCheckpoint(`${DIR}dtypes.pt`);
    for (const name of ["f32", "f16", "bf16", "f64"]) {
      const t = sd.get(name)!;
      expect(t.dtype, name).toBe("float32");
      expect(t.shape, name).toEqual([4, 6]);
      expect(Array.from(t.data as Float32Array), name).toEqual(expected[name === "f16" || name === "bf16" ? name : "base"]);
    }
    const ints = sd.get("i64")!;
    expect(ints.dtype).toBe("int64");
    expect(Array.from(ints.data as BigInt64Array)).toEqual([-2n, -1n, 0n, 1n, 2n]);
  });

  it("honours storage offsets, Parameters and 0-d tensors", async () => {
    const sd = await readTorchCheckpoint(`${DIR}dtypes.pt`);
    expect(Array.from(sd.get("offset_view")!.data as Float32Array)).toEqual(expected["base"]!.slice(6, 12));
    expect(Array.from(sd.get("param")!.data as Float32Array)).toEqual(expected["base"]!.slice(6, 12));
    const scalar = sd.get("scalar")!;
    expect(scalar.shape).toEqual([]);
    expect(Array.from(scalar.data as Float32Array)).toEqual([3.5]);
  });

  it("reads DEFLATE entries under any top folder name", async () => {
    const a = await readTorchCheckpoint(`${DIR}dtypes.pt`);
    const b = await readTorchCheckpoint(`${DIR}deflated.pt`);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [k, t] of a) expect(Array.from(b.get(k)!.data as ArrayLike<unknown>), k).toEqual(Array.from(t.data as ArrayLike<unknown>));
  });

  it("unwraps {state_dict: ...} checkpoints", async () => {
    const sd = await readTorchCheckpoint(`${DIR}wrapped.pt`);
    expect([...sd.keys()]).toEqual(["w"]);
  });

  it("rejects non-contiguous tensors with advice", async () => {
    await expect(readTorchCheckpoint(`${DIR}noncontiguous.pt`)).rejects.toThrow(/not contiguous.*contiguous\(\)/);
  });

  it("rejects legacy (non-zip) torch.save files, saying to re-save or convert", async () => {
    const err = await readTorchCheckpoint(`${DIR}legacy.pt`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WeightsError);
    expect(String(err)).toMatch(/legacy.*re-save.*safetensors/);
  });
});

describe.skipIf(!HAS_SHARED)(fixtureTitle("readTorchCheckpoint on the fixture model"), () => {
  it("holds the same tensors as model.safetensors plus the tied decoder and position_ids", async () => {
    const pt = await readTorchCheckpoint(`${FIXTURE}model/pytorch_model.bin`);
    const { tensors: st } = await readSafetensors(`${FIXTURE}model/model.safetensors`);
    for (const [k, t] of st) {
      const p = pt.get(k);
      expect(p?.shape, k).toEqual(t.shape);
      expect(
        Buffer.compare(Buffer.from(p!.data.buffer, p!.data.byteOffset, p!.data.byteLength), Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength)),
        k,
      ).toBe(0);
    }
    const extra = [...pt.keys()].filter((k) => !st.has(k)).sort();
    expect(extra).toEqual(["bert.embeddings.position_ids", "cls.predictions.decoder.bias", "cls.predictions.decoder.weight"]);
    expect(pt.get("bert.embeddings.position_ids")!.dtype).toBe("int64");
  });
});
