import { NameRegistry, Parser } from "pickleparser";
import { WeightsError } from "../errors.js";
import type { HostTensor } from "../host-tensor.js";
import { numel } from "../host-tensor.js";
import { decodeTensor } from "./safetensors-parse.js";

/*
 * Reads `torch.save` checkpoints (the zip format, PyTorch >= 1.6) without Python:
 * `<top>/data.pkl` is a pickle of the state dict whose tensors refer, through persistent ids
 * ("storage", <dtype>Storage, key, device, numel), to raw little-endian storages `<top>/data/<key>`.
 * The top folder name varies (archive/, pytorch_model/, ...). Parses bytes in memory and imports
 * nothing from Node (the browser reads pytorch_model.bin too); torch-pickle.ts reads files.
 */

/** Raw DEFLATE decompression (Node's inflateRawSync); without one a deflated entry is an error. */
export type InflateRaw = (raw: Uint8Array) => Uint8Array;

const view = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);
const u16 = (b: Uint8Array, at: number): number => view(b).getUint16(at, true);
const u32 = (b: Uint8Array, at: number): number => view(b).getUint32(at, true);
const u64 = (b: Uint8Array, at: number): number => Number(view(b).getBigUint64(at, true));
const utf8 = (b: Uint8Array, from: number, to: number): string => new TextDecoder().decode(b.subarray(from, to));

interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly localOffset: number;
}

const EOCD_SIG = 0x06054b50;
const CDIR_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;

/** Zip64 sizes/offsets live in extra field 0x0001 when the 32-bit field is 0xffffffff. */
function zip64Values(buf: Uint8Array, at: number, len: number, want: number): number[] {
  const end = at + len;
  while (at + 4 <= end) {
    const id = u16(buf, at);
    const size = u16(buf, at + 2);
    if (id === 0x0001) {
      const vals: number[] = [];
      for (let i = 0; i < want && (i + 1) * 8 <= size; i++) vals.push(u64(buf, at + 4 + i * 8));
      return vals;
    }
    at += 4 + size;
  }
  return [];
}

function findEndOfCentralDirectory(buf: Uint8Array, file: string): { count: number; offset: number } {
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) {
    if (u32(buf, i) !== EOCD_SIG) continue;
    let count = u16(buf, i + 10);
    let offset = u32(buf, i + 16);
    if (offset === 0xffffffff || count === 0xffff) {
      // Zip64 end-of-central-directory locator sits just before the EOCD record.
      const loc = i - 20;
      const rec = u64(buf, loc + 8);
      count = u64(buf, rec + 32);
      offset = u64(buf, rec + 48);
    }
    return { count, offset };
  }
  throw new WeightsError(`${file}: not a zip archive (no end-of-central-directory record); the file may be truncated`);
}

/**
 * Runs a zip-structure read, turning a read past the buffer (offsets or sizes pointing outside a
 * truncated or corrupt file) or a failed inflate into a WeightsError naming the file.
 */
function zipRead<T>(file: string, what: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof WeightsError) throw err;
    const code = String((err as { code?: unknown }).code ?? "");
    if (err instanceof RangeError || code.startsWith("ERR_OUT_OF_RANGE") || code.startsWith("ERR_BUFFER_OUT_OF_BOUNDS") || code.startsWith("Z_")) {
      throw new WeightsError(`${file}: corrupt or truncated zip archive (${what}: ${(err as Error).message}); re-save or re-download the checkpoint`, {
        cause: err,
      });
    }
    throw err;
  }
}

/** Lists a zip's entries from its central directory. */
export function listZip(buf: Uint8Array, file: string): Map<string, ZipEntry> {
  return zipRead(file, "central directory", () => readCentralDirectory(buf, file));
}

function readCentralDirectory(buf: Uint8Array, file: string): Map<string, ZipEntry> {
  const { count, offset } = findEndOfCentralDirectory(buf, file);
  const entries = new Map<string, ZipEntry>();
  let at = offset;
  for (let n = 0; n < count; n++) {
    if (u32(buf, at) !== CDIR_SIG) throw new WeightsError(`${file}: corrupt zip central directory at byte ${at}`);
    const method = u16(buf, at + 10);
    const nameLen = u16(buf, at + 28);
    const extraLen = u16(buf, at + 30);
    const commentLen = u16(buf, at + 32);
    const name = utf8(buf, at + 46, at + 46 + nameLen);
    let compressedSize = u32(buf, at + 20);
    const uncompressed = u32(buf, at + 24);
    let localOffset = u32(buf, at + 42);
    if (compressedSize === 0xffffffff || uncompressed === 0xffffffff || localOffset === 0xffffffff) {
      // Zip64 values appear in this order, each only when its 32-bit field overflowed.
      const vals = zip64Values(buf, at + 46 + nameLen, extraLen, 3);
      let v = 0;
      if (uncompressed === 0xffffffff) v++;
      if (compressedSize === 0xffffffff) compressedSize = vals[v++] ?? compressedSize;
      if (localOffset === 0xffffffff) localOffset = vals[v++] ?? localOffset;
    }
    entries.set(name, { name, method, compressedSize, localOffset });
    at += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** An entry's bytes: a view for STORED entries (as torch writes them), inflated for DEFLATE. */
export function zipEntryData(buf: Uint8Array, e: ZipEntry, file: string, inflateRaw?: InflateRaw): Uint8Array {
  return zipRead(file, `entry ${e.name}`, () => entryData(buf, e, file, inflateRaw));
}

function entryData(buf: Uint8Array, e: ZipEntry, file: string, inflateRaw?: InflateRaw): Uint8Array {
  if (u32(buf, e.localOffset) !== LOCAL_SIG) throw new WeightsError(`${file}: corrupt zip local header for ${e.name}`);
  const start = e.localOffset + 30 + u16(buf, e.localOffset + 26) + u16(buf, e.localOffset + 28);
  const raw = buf.subarray(start, start + e.compressedSize);
  if (e.method === 0) return raw;
  if (e.method === 8 && inflateRaw) return inflateRaw(raw);
  if (e.method === 8)
    throw new WeightsError(
      `${file}: zip entry ${e.name} is deflated, which this reader cannot inflate here (torch.save stores entries uncompressed); convert it to model.safetensors`,
    );
  throw new WeightsError(`${file}: zip entry ${e.name} uses compression method ${e.method}; only stored and deflate are supported`);
}

/** torch storage class -> safetensors dtype code (decoded by the same routine). */
const STORAGE_DTYPES: Record<string, string> = {
  FloatStorage: "F32",
  HalfStorage: "F16",
  BFloat16Storage: "BF16",
  DoubleStorage: "F64",
  LongStorage: "I64",
  IntStorage: "I32",
  ByteStorage: "U8",
  CharStorage: "I8",
  BoolStorage: "BOOL",
};
const ITEM: Record<string, number> = { F32: 4, F16: 2, BF16: 2, F64: 8, I64: 8, I32: 4, U8: 1, I8: 1, BOOL: 1 };

interface StorageRef {
  readonly dtype: string;
  readonly key: string;
}
/** GLOBAL torch.<X>Storage pushes a marker function; this maps each marker to its dtype code. */
const STORAGE_MARKERS = new Map<unknown, string>(Object.values(STORAGE_DTYPES).map((dtype) => [() => dtype, dtype] as const));
const MARKER_OF = new Map<string, () => string>([...STORAGE_MARKERS].map(([f, d]) => [d, f as () => string]));

function isContiguous(shape: readonly number[], stride: readonly number[]): boolean {
  let expect = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if ((shape[i] as number) !== 1 && stride[i] !== expect) return false;
    expect *= shape[i] as number;
  }
  return true;
}

/** Builds the class registry for the globals a state-dict pickle uses. */
function registry(file: string, storages: (ref: StorageRef) => Uint8Array): NameRegistry {
  const reg = new NameRegistry();
  const rebuild = (storage: StorageRef, offset: number, shape: number[], stride: number[]): HostTensor => {
    if (!isContiguous(shape, stride)) {
      throw new WeightsError(
        `${file}: a tensor of shape [${shape}] has strides [${stride}] (not contiguous); re-save it with .contiguous() or convert to safetensors`,
      );
    }
    const bytes = storages(storage);
    const item = ITEM[storage.dtype] as number;
    if ((offset + numel(shape)) * item > bytes.length) throw new WeightsError(`${file}: tensor overruns its storage data/${storage.key}`);
    return decodeTensor(bytes, offset * item, storage.dtype, shape);
  };
  reg.register("torch._utils", "_rebuild_tensor_v2", rebuild);
  reg.register("torch._utils", "_rebuild_tensor", rebuild);
  reg.register("torch._utils", "_rebuild_parameter", (t: HostTensor) => t);
  reg.register("torch._utils", "_rebuild_parameter_with_state", (t: HostTensor) => t);
  reg.register("collections", "OrderedDict", () => {
    // state_dict() carries `_metadata` as instance state: BUILD hands it to __setstate__, which we ignore.
    const m = new Map<unknown, unknown>();
    Object.defineProperty(m, "__setstate__", { value: () => undefined, enumerable: false });
    return m;
  });
  for (const [cls, dtype] of Object.entries(STORAGE_DTYPES)) reg.register("torch", cls, MARKER_OF.get(dtype) as () => string);
  return reg;
}

function storageTypeFrom(v: unknown, file: string): string {
  const dtype = STORAGE_MARKERS.get(v);
  if (dtype !== undefined) return dtype;
  throw new WeightsError(`${file}: unsupported storage type in checkpoint (${String(v)}); convert it to safetensors`);
}

/** The archive's top folder: the prefix of its data.pkl entry. */
function topFolder(entries: Map<string, ZipEntry>, file: string): string {
  for (const name of entries.keys()) if (name.endsWith("/data.pkl") || name === "data.pkl") return name.slice(0, -"data.pkl".length);
  throw new WeightsError(`${file}: zip archive without data.pkl; not a torch.save checkpoint`);
}

/**
 * Parses a PyTorch zip checkpoint (`pytorch_model.bin`) into tensors by name. Float16/bfloat16/float64
 * become float32; tensors must be contiguous. Legacy (pre-1.6, non-zip) files raise a WeightsError.
 */
export function parseTorchCheckpoint(buf: Uint8Array, path: string, inflateRaw?: InflateRaw): Map<string, HostTensor> {
  if (buf.length < 4 || u32(buf, 0) !== LOCAL_SIG) {
    throw new WeightsError(
      `${path}: not a zip-format torch.save file (legacy PyTorch < 1.6 serialization or not PyTorch at all); ` +
        `re-save it with a recent PyTorch or convert it to model.safetensors`,
    );
  }
  const entries = listZip(buf, path);
  const top = topFolder(entries, path);
  const order = entries.get(`${top}byteorder`);
  if (order && new TextDecoder().decode(zipEntryData(buf, order, path, inflateRaw)) !== "little")
    throw new WeightsError(`${path}: big-endian checkpoints are not supported`);
  const cache = new Map<string, Uint8Array>();
  const storages = (ref: StorageRef): Uint8Array => {
    let b = cache.get(ref.key);
    if (b === undefined) {
      const e = entries.get(`${top}data/${ref.key}`);
      if (e === undefined) throw new WeightsError(`${path}: storage data/${ref.key} is missing from the archive`);
      b = zipEntryData(buf, e, path, inflateRaw);
      cache.set(ref.key, b);
    }
    return b;
  };
  const parser = new Parser({
    nameResolver: registry(path, storages),
    persistentResolver: {
      resolve: (pid: unknown): StorageRef => {
        const t = pid as unknown[];
        if (!Array.isArray(t) || t[0] !== "storage") throw new WeightsError(`${path}: unknown persistent id ${JSON.stringify(pid)}`);
        return { dtype: storageTypeFrom(t[1], path), key: String(t[2]) };
      },
    },
    unpicklingTypeOfDictionary: "Map",
  });
  const pkl = entries.get(`${top}data.pkl`) as ZipEntry;
  let root: unknown;
  try {
    root = parser.parse(zipEntryData(buf, pkl, path, inflateRaw));
  } catch (err) {
    if (err instanceof WeightsError) throw err;
    throw new WeightsError(`${path}: cannot unpickle the state dict (${(err as Error).message}); convert it to safetensors`, {
      cause: err,
    });
  }
  return stateDictFrom(root, path);
}

/** Accepts a bare state dict or a {state_dict: ...} / {model: ...} wrapper, keeping tensor entries. */
function stateDictFrom(root: unknown, path: string): Map<string, HostTensor> {
  if (!(root instanceof Map)) throw new WeightsError(`${path}: the checkpoint does not hold a state dict (a mapping of names to tensors)`);
  for (const key of ["state_dict", "model_state_dict", "model"]) {
    const inner = root.get(key);
    if (inner instanceof Map) return stateDictFrom(inner, path);
  }
  const out = new Map<string, HostTensor>();
  for (const [k, v] of root) {
    if (typeof k === "string" && typeof v === "object" && v !== null && "dtype" in v && "data" in v) out.set(k, v as HostTensor);
  }
  return out;
}
