import { ParseError } from "../errors.js";
import type { DType, HostTensor } from "../host-tensor.js";
import { numel } from "../host-tensor.js";

/**
 * safetensors: 8-byte little-endian header length N, N bytes of JSON
 * `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {str: str}}`, then the raw
 * little-endian tensor bytes; offsets are relative to the start of the data section.
 */
export interface SafetensorsFile {
  readonly tensors: Map<string, HostTensor>;
  readonly metadata: Record<string, string>;
}

const ITEM_BYTES: Record<string, number> = { F32: 4, F16: 2, BF16: 2, F64: 8, I64: 8, I32: 4, U8: 1, I8: 1, BOOL: 1 };

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  throw new Error("specieslm reads weight files as little-endian and needs a little-endian host");
}

interface Entry {
  dtype: string;
  shape: number[];
  begin: number;
  end: number;
}

function parseHeader(buf: Uint8Array, file: string): { entries: Map<string, Entry>; metadata: Record<string, string>; dataStart: number } {
  if (buf.length < 8) throw new ParseError(file, "too short for a safetensors file (no 8-byte header length)");
  const n = Number(new DataView(buf.buffer, buf.byteOffset, 8).getBigUint64(0, true));
  if (n > buf.length - 8) throw new ParseError(file, `header length ${n} exceeds the file size; the file is truncated or not safetensors`);
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(buf.subarray(8, 8 + n)));
  } catch (err) {
    throw new ParseError(file, "safetensors header is not valid JSON", undefined, { cause: err });
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new ParseError(file, "safetensors header is not a JSON object");
  const entries = new Map<string, Entry>();
  let metadata: Record<string, string> = {};
  const dataLen = buf.length - 8 - n;
  for (const [name, v] of Object.entries(raw as Record<string, unknown>)) {
    if (name === "__metadata__") {
      if (typeof v !== "object" || v === null || Array.isArray(v) || Object.values(v).some((x) => typeof x !== "string")) {
        throw new ParseError(file, `"__metadata__" must map names to strings`);
      }
      metadata = { ...(v as Record<string, string>) };
      continue;
    }
    const e = (typeof v === "object" && v !== null ? v : {}) as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const offs = e.data_offsets as number[] | undefined;
    if (typeof e.dtype !== "string" || !Array.isArray(e.shape) || !Array.isArray(offs) || offs.length !== 2) {
      throw new ParseError(file, `tensor "${name}": header entry needs dtype, shape and data_offsets`);
    }
    const [begin, end] = offs as [number, number];
    const item = ITEM_BYTES[e.dtype];
    if (item === undefined) throw new ParseError(file, `tensor "${name}": unsupported dtype ${e.dtype}`);
    const shape = e.shape as number[];
    if (![begin, end, ...shape].every((x) => Number.isSafeInteger(x) && x >= 0)) {
      throw new ParseError(file, `tensor "${name}": shape [${shape}] and data_offsets [${offs}] must be non-negative integers`);
    }
    if (end < begin || end > dataLen || end - begin !== numel(shape) * item) {
      throw new ParseError(file, `tensor "${name}": data_offsets [${begin}, ${end}] do not fit shape [${shape}] of ${e.dtype} or the file size`);
    }
    entries.set(name, { dtype: e.dtype, shape, begin, end });
  }
  return { entries, metadata, dataStart: 8 + n };
}

/** A typed view on buf[at, at+bytes) when aligned, else a copy (safetensors does not promise alignment). */
function view<T>(buf: Uint8Array, at: number, bytes: number, item: number, Ctor: new (b: ArrayBuffer, o: number, n: number) => T): T {
  const off = buf.byteOffset + at;
  if (off % item === 0) return new Ctor(buf.buffer as ArrayBuffer, off, bytes / item);
  const copy = new ArrayBuffer(bytes);
  new Uint8Array(copy).set(buf.subarray(at, at + bytes));
  return new Ctor(copy, 0, bytes / item);
}

/** float16 bit pattern -> value, built on first use: a table lookup is ~20x faster than decoding each half. */
let HALF_TABLE: Float32Array | undefined;
function halfTable(): Float32Array {
  if (HALF_TABLE === undefined) {
    HALF_TABLE = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) HALF_TABLE[h] = halfToFloat(h);
  }
  return HALF_TABLE;
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

/** Decodes raw little-endian bytes of one dtype to a HostTensor; F16/BF16/F64 become float32. */
export function decodeTensor(buf: Uint8Array, at: number, dtype: string, shape: readonly number[]): HostTensor {
  const n = numel(shape);
  const bytes = n * (ITEM_BYTES[dtype] ?? 0);
  const t = <D extends DType>(d: D, data: HostTensor<D>["data"]): HostTensor<D> => ({ dtype: d, shape: [...shape], data });
  switch (dtype) {
    case "F32":
      return t("float32", view(buf, at, bytes, 4, Float32Array));
    case "I64":
      return t("int64", view(buf, at, bytes, 8, BigInt64Array));
    case "I32":
      return t("int32", view(buf, at, bytes, 4, Int32Array));
    case "U8":
      return t("uint8", new Uint8Array(buf.buffer, buf.byteOffset + at, bytes));
    case "BOOL":
      return t("bool", new Uint8Array(buf.buffer, buf.byteOffset + at, bytes));
    case "I8":
      return t("int8", view(buf, at, bytes, 1, Int8Array));
    case "F64":
      return t("float32", Float32Array.from(view(buf, at, bytes, 8, Float64Array)));
    case "F16": {
      const src = view(buf, at, bytes, 2, Uint16Array);
      const out = new Float32Array(n);
      const table = halfTable();
      for (let i = 0; i < n; i++) out[i] = table[src[i] as number] as number;
      return t("float32", out);
    }
    case "BF16": {
      // bfloat16 is the top half of a float32: shift it into place.
      const src = view(buf, at, bytes, 2, Uint16Array);
      const bits = new Uint32Array(n);
      for (let i = 0; i < n; i++) bits[i] = (src[i] as number) << 16;
      return t("float32", new Float32Array(bits.buffer));
    }
    default:
      throw new RangeError(`decodeTensor: unsupported dtype ${dtype}`);
  }
}

/** Parses an in-memory safetensors file; tensors are views into `buf` wherever alignment allows. */
export function parseSafetensors(buf: Uint8Array, file: string): SafetensorsFile {
  const { entries, metadata, dataStart } = parseHeader(buf, file);
  const tensors = new Map<string, HostTensor>();
  for (const [name, e] of entries) tensors.set(name, decodeTensor(buf, dataStart + e.begin, e.dtype, e.shape));
  return { tensors, metadata };
}
