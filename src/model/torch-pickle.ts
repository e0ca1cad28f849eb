import { readFile } from "node:fs/promises";
import { inflateRawSync } from "node:zlib";
import type { HostTensor } from "../host-tensor.js";
import { parseTorchCheckpoint } from "./torch-pickle-parse.js";

// PyTorch checkpoints on disk; the parsing (shared with the browser) lives in torch-pickle-parse.ts.
export { listZip, parseTorchCheckpoint, zipEntryData } from "./torch-pickle-parse.js";

/** Reads a PyTorch zip checkpoint (`pytorch_model.bin`) into tensors by name (deflated entries too). */
export async function readTorchCheckpoint(path: string): Promise<Map<string, HostTensor>> {
  return parseTorchCheckpoint(await readFile(path), path, (raw) => inflateRawSync(raw));
}
