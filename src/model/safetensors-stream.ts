import { randomBytes } from "node:crypto";
import { mkdir, open, rm, type FileHandle } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { HostTensor } from "../host-tensor.js";
import { withAtomicWriter } from "../io/atomic-write.js";
import { encodeHeader, type TensorLayout } from "./safetensors.js";

interface Spooled extends TensorLayout {
  /** Byte offset of the tensor's data in the spool file. */
  readonly at: number;
}

/** Bytes copied from the spool per read: bounds memory for tensors of any size. */
const COPY_BYTES = 8 << 20;

/**
 * Writes a safetensors file from tensors that arrive one by one, in bounded memory. The header
 * (which lists every tensor, sorted by name, before any data) can only be written at the end, so
 * tensor bytes go to a spool file beside the output as they arrive; `commit` writes the header and
 * copies the bytes over in header order. The result is byte-identical to `writeSafetensors` of the
 * same tensors (a later tensor of the same name replaces the earlier one, as a Map would), and
 * appears atomically. Costs one extra copy of the data on disk while it runs.
 */
export class SafetensorsStreamWriter {
  private readonly entries = new Map<string, Spooled>();
  private size = 0;
  private closed = false;

  private constructor(
    private readonly path: string,
    private readonly spoolPath: string,
    private readonly spool: FileHandle,
  ) {}

  static async open(path: string): Promise<SafetensorsStreamWriter> {
    await mkdir(dirname(path), { recursive: true });
    const spoolPath = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.spool`);
    return new SafetensorsStreamWriter(path, spoolPath, await open(spoolPath, "w+"));
  }

  get tensorCount(): number {
    return this.entries.size;
  }

  async add(name: string, t: HostTensor): Promise<void> {
    const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    await this.spool.write(bytes, 0, bytes.length, this.size);
    this.entries.set(name, {
      dtype: t.dtype,
      shape: [...t.shape],
      data: { length: t.data.length, byteLength: t.data.byteLength },
      at: this.size,
    });
    this.size += bytes.length;
  }

  async commit(metadata: Record<string, string> = {}): Promise<void> {
    const { head, names } = encodeHeader(this.entries, metadata);
    try {
      await withAtomicWriter(this.path, async (w) => {
        await w.write(head);
        for (const name of names) {
          const e = this.entries.get(name)!;
          for (let off = 0; off < e.data.byteLength; off += COPY_BYTES) {
            const n = Math.min(COPY_BYTES, e.data.byteLength - off);
            const buf = Buffer.allocUnsafe(n);
            await this.spool.read(buf, 0, n, e.at + off);
            await w.write(buf);
          }
        }
      });
    } finally {
      await this.close();
    }
  }

  /** Drops the spool; nothing appears under the output path. */
  async abort(): Promise<void> {
    await this.close();
  }

  private async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.spool.close();
    await rm(this.spoolPath, { force: true });
  }
}
