import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ParseError } from "../errors.js";
import type { HostTensor } from "../host-tensor.js";
import { encodeSafetensors, parseSafetensors, readSafetensors, writeSafetensors } from "./safetensors.js";

function rawFile(header: Record<string, unknown>, data: Uint8Array): Buffer {
  const h = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(h.length));
  return Buffer.concat([len, h, data]);
}

describe("safetensors", () => {
  const tensors = new Map<string, HostTensor>([
    ["b.f32", { dtype: "float32", shape: [2, 3], data: Float32Array.from([1, -2, 3.5, 0, 1e-8, 7]) }],
    ["a.i64", { dtype: "int64", shape: [3], data: BigInt64Array.from([1n, -1n, 9007199254740993n]) }],
    ["c.u8", { dtype: "uint8", shape: [3], data: Uint8Array.from([0, 255, 7]) }],
    ["d.i32", { dtype: "int32", shape: [1], data: Int32Array.from([-5]) }],
  ]);

  it("round-trips tensors and metadata through an atomic write", async () => {
    const dir = mkdtempSync(join(tmpdir(), "st-"));
    try {
      const path = join(dir, "m.safetensors");
      await writeSafetensors(path, tensors, { format: "pt" });
      const back = await readSafetensors(path);
      expect(back.metadata).toEqual({ format: "pt" });
      expect([...back.tensors.keys()].sort()).toEqual([...tensors.keys()].sort());
      for (const [k, t] of tensors) expect(back.tensors.get(k), k).toEqual(t);
      // Keys sorted and header padded to 8 bytes, like the reference writer.
      const buf = readFileSync(path);
      const n = Number(buf.readBigUInt64LE(0));
      expect(n % 8).toBe(0);
      expect(Object.keys(JSON.parse(buf.toString("utf8", 8, 8 + n)))).toEqual(["a.i64", "b.f32", "c.u8", "d.i32", "__metadata__"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("returns views into the file buffer when aligned", () => {
    const buf = encodeSafetensors(tensors);
    const parsed = parseSafetensors(buf, "mem");
    expect(parsed.tensors.get("b.f32")!.data.buffer).toBe(buf.buffer);
  });

  it("copies tensors whose offset is misaligned", () => {
    // one byte of U8 first puts the F32 at offset 1 of the data section
    const data = new Uint8Array(1 + 8);
    new DataView(data.buffer).setFloat32(1, 1.5, true);
    new DataView(data.buffer).setFloat32(5, -3, true);
    const buf = rawFile({ a: { dtype: "U8", shape: [1], data_offsets: [0, 1] }, b: { dtype: "F32", shape: [2], data_offsets: [1, 9] } }, data);
    expect(Array.from(parseSafetensors(buf, "mem").tensors.get("b")!.data as Float32Array)).toEqual([1.5, -3]);
  });

  it("converts F16 and BF16 to float32", () => {
    const data = new Uint8Array(8);
    const dv = new DataView(data.buffer);
    dv.setUint16(0, 0x3c00, true); // f16 1.0
    dv.setUint16(2, 0xc100, true); // f16 -2.5
    dv.setUint16(4, 0x3fc0, true); // bf16 1.5
    dv.setUint16(6, 0x0001, true); // f16 smallest subnormal 2^-24
    const buf = rawFile(
      {
        h: { dtype: "F16", shape: [2], data_offsets: [0, 4] },
        b: { dtype: "BF16", shape: [1], data_offsets: [4, 6] },
        s: { dtype: "F16", shape: [1], data_offsets: [6, 8] },
      },
      data,
    );
    const t = parseSafetensors(buf, "mem").tensors;
    expect(Array.from(t.get("h")!.data as Float32Array)).toEqual([1, -2.5]);
    expect(Array.from(t.get("b")!.data as Float32Array)).toEqual([1.5]);
    expect(Array.from(t.get("s")!.data as Float32Array)).toEqual([2 ** -24]);
  });

  it("rejects truncated files and offsets that do not fit the shape", () => {
    expect(() => parseSafetensors(Buffer.alloc(4), "x.safetensors")).toThrow(ParseError);
    const buf = rawFile({ a: { dtype: "F32", shape: [3], data_offsets: [0, 8] } }, new Uint8Array(8));
    expect(() => parseSafetensors(buf, "x.safetensors")).toThrow(/do not fit shape/);
  });
});
