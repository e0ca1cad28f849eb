import { readFile } from "node:fs/promises";
import type { DType, HostTensor } from "../host-tensor.js";
import { numel } from "../host-tensor.js";
import { withAtomicWriter } from "../io/atomic-write.js";
import { parseSafetensors, type SafetensorsFile } from "./safetensors-parse.js";

// Parsing lives in safetensors-parse.ts (no Node imports, shared with the browser); reading and writing files here.
export { decodeTensor, parseSafetensors } from "./safetensors-parse.js";
export type { SafetensorsFile } from "./safetensors-parse.js";

/**
 * Reads a .safetensors file into one Buffer and returns views into it (no per-tensor copies unless a
 * tensor's offset is misaligned for its element type). F16/BF16/F64 are converted to float32.
 */
export async function readSafetensors(path: string): Promise<SafetensorsFile> {
  return parseSafetensors(await readFile(path), path);
}

const DTYPE_CODE: Partial<Record<DType, string>> = {
  float32: "F32",
  int64: "I64",
  int32: "I32",
  uint8: "U8",
  bool: "BOOL",
  int8: "I8",
  float16: "F16",
};

/** What the header needs of a tensor: a HostTensor, or its description when its bytes sit elsewhere. */
export type TensorLayout = Pick<HostTensor, "dtype" | "shape"> & {
  readonly data: { readonly length: number; readonly byteLength: number };
};

/** The header bytes (8-byte length + JSON padded with spaces to 8 bytes) and the sorted tensor order. */
export function encodeHeader(
  tensors: ReadonlyMap<string, TensorLayout>,
  metadata: Record<string, string>,
): { head: Buffer; names: string[]; dataBytes: number } {
  const header: Record<string, unknown> = {};
  const names = [...tensors.keys()].sort();
  let off = 0;
  for (const name of names) {
    const t = tensors.get(name) as TensorLayout;
    const code = DTYPE_CODE[t.dtype];
    if (code === undefined) throw new RangeError(`writeSafetensors: tensor "${name}" has unsupported dtype ${t.dtype}`);
    if (t.data.length !== numel(t.shape)) throw new RangeError(`writeSafetensors: tensor "${name}" data length ${t.data.length} != shape [${t.shape}]`);
    const len = t.data.byteLength;
    header[name] = { dtype: code, shape: [...t.shape], data_offsets: [off, off + len] };
    off += len;
  }
  if (Object.keys(metadata).length > 0) header["__metadata__"] = metadata;
  let json = JSON.stringify(header);
  json += " ".repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const hbytes = Buffer.from(json, "utf8");
  const head = Buffer.allocUnsafe(8 + hbytes.length);
  head.writeBigUInt64LE(BigInt(hbytes.length), 0);
  hbytes.copy(head, 8);
  return { head, names, dataBytes: off };
}

function bytesOf(t: HostTensor): Uint8Array {
  return new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
}

/** Serialises tensors in memory (keys sorted, header space-padded to 8 bytes, as the reference writer does). */
export function encodeSafetensors(tensors: ReadonlyMap<string, HostTensor>, metadata: Record<string, string> = {}): Buffer {
  const { head, names, dataBytes } = encodeHeader(tensors, metadata);
  const out = Buffer.allocUnsafe(head.length + dataBytes);
  head.copy(out, 0);
  let at = head.length;
  for (const name of names) {
    const b = bytesOf(tensors.get(name) as HostTensor);
    out.set(b, at);
    at += b.length;
  }
  return out;
}

/**
 * Writes a .safetensors file atomically (temp file + rename), streaming tensor bytes straight from
 * their arrays so a 400 MB model is not copied into one more buffer first.
 */
export async function writeSafetensors(path: string, tensors: ReadonlyMap<string, HostTensor>, metadata: Record<string, string> = {}): Promise<void> {
  const { head, names } = encodeHeader(tensors, metadata);
  await withAtomicWriter(path, async (w) => {
    await w.write(head);
    for (const name of names) await w.write(bytesOf(tensors.get(name) as HostTensor));
  });
}
