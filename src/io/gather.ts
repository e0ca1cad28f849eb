import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { ParseError } from "../errors.js";
import { withAtomicWriter } from "./atomic-write.js";
import { missingFileError } from "./compression.js";

/** Reads a file's first line (without its newline) and its byte length including the newline. */
async function firstLine(path: string): Promise<{ text: string; bytes: number }> {
  const fh = await open(path, "r").catch((err: unknown) => {
    throw missingFileError(err, path, "shard output");
  });
  try {
    const buf = Buffer.alloc(1 << 16);
    let text = "";
    let at = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, at);
      if (bytesRead === 0) return { text, bytes: at };
      const nl = buf.subarray(0, bytesRead).indexOf(10);
      if (nl >= 0) return { text: text + buf.toString("utf8", 0, nl), bytes: at + nl + 1 };
      text += buf.toString("utf8", 0, bytesRead);
      at += bytesRead;
    }
  } finally {
    await fh.close();
  }
}

export interface GatherOptions {
  /** Each input starts with the same header line: keep the first file's, drop the others' (TSV). */
  readonly header: boolean;
}

/**
 * Concatenates shard outputs in the given order into `output`, atomically, streaming bytes. With a
 * header, every input must start with the first input's header line (a shard of another command or
 * model is refused by name) and only the first copy is kept: the result is the unsharded output.
 */
export async function gatherFiles(inputs: readonly string[], output: string, o: GatherOptions): Promise<{ files: number; bytes: number }> {
  // Every input is opened (and its header checked) before the first byte is written.
  const skip: number[] = [];
  let expected: string | undefined;
  for (const path of inputs) {
    const { text, bytes } = await firstLine(path);
    if (!o.header) {
      skip.push(0);
      continue;
    }
    if (bytes === 0) throw new ParseError(path, "is empty, but every shard output starts with a header line; rerun that shard");
    if (expected !== undefined && text !== expected) {
      throw new ParseError(
        path,
        `header "${text.slice(0, 80)}" differs from "${expected.slice(0, 80)}" of ${inputs[0]}; gather only shards of one command and model` +
          (text.startsWith(">") || expected.startsWith(">") ? ", and pass --no-header for FASTA shards (from extract), which have no header line to drop" : ""),
        1,
      );
    }
    skip.push(expected === undefined ? 0 : bytes);
    expected = text;
  }
  let bytes = 0;
  await withAtomicWriter(output, async (w) => {
    for (let i = 0; i < inputs.length; i++) {
      for await (const chunk of createReadStream(inputs[i]!, { start: skip[i]!, highWaterMark: 1 << 20 })) {
        await w.write(chunk as Buffer);
        bytes += (chunk as Buffer).length;
      }
    }
  });
  return { files: inputs.length, bytes };
}
