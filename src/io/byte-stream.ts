import { createReadStream } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { createGunzip } from "node:zlib";
import { ParseError } from "../errors.js";
import { detectCompression, missingFileError } from "./compression.js";

/**
 * Decompressed bytes of a plain, gzip or BGZF file, streamed chunk by chunk (bounded memory).
 * Compression is detected from magic bytes. Truncated or corrupt gzip data becomes a ParseError naming
 * the file; a missing file becomes an InputError naming `what`.
 */
export async function* readDecompressedChunks(path: string, what = "input file"): AsyncGenerator<Buffer> {
  const compression = await detectCompression(path, what);
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  // Gunzip handles multi-member files, so BGZF (a chain of gzip members) decodes the same way.
  const stream = compression === "plain" ? raw : raw.pipe(createGunzip({ chunkSize: 1 << 20 }));
  if (stream !== raw) raw.on("error", (err) => stream.destroy(err));
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } catch (err) {
    const mapped = missingFileError(err, path, what);
    if (mapped !== err) throw mapped;
    const code = (err as NodeJS.ErrnoException).code ?? "";
    if (code.startsWith("Z_") || /unexpected end of file|incorrect header/i.test(String(err))) {
      throw new ParseError(path, `truncated or corrupt gzip data (${(err as Error).message}); re-download or re-compress the file`, undefined, { cause: err });
    }
    throw err;
  } finally {
    stream.destroy();
    raw.destroy();
  }
}

/** One text line without its terminator (`\n` or `\r\n`), with its 1-based line number. */
export interface TextLine {
  readonly text: string;
  readonly lineNo: number;
}

/** Streams the lines of a (possibly compressed) text file as UTF-8. */
export async function* readLines(path: string, what = "input file"): AsyncGenerator<TextLine> {
  const decoder = new StringDecoder("utf8");
  let rest = "";
  let lineNo = 0;
  const emit = function* (text: string): Generator<TextLine> {
    lineNo++;
    yield { text: text.endsWith("\r") ? text.slice(0, -1) : text, lineNo };
  };
  for await (const chunk of readDecompressedChunks(path, what)) {
    const parts = (rest + decoder.write(chunk)).split("\n");
    rest = parts.pop() ?? "";
    for (const p of parts) yield* emit(p);
  }
  rest += decoder.end();
  if (rest.length > 0) yield* emit(rest);
}
