import { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { createGunzip } from "node:zlib";
import { ParseError } from "../errors.js";
import { compressionOfHeader, missingFileError } from "./compression.js";
import { openRawInput } from "./input-stream.js";

/** Bytes enough to classify compression (gzip header through the BGZF `BC` subfield id). */
const HEAD_BYTES = 18;

/**
 * Decompressed bytes of a plain, gzip or BGZF file, FIFO or standard input (`-`), streamed chunk by
 * chunk (bounded memory) in one front-to-back pass. Compression is detected from the first bytes read,
 * never by seeking, so pipes work. Truncated or corrupt gzip data becomes a ParseError naming the file;
 * a missing file becomes an InputError naming `what`.
 */
export async function* readDecompressedChunks(path: string, what = "input file"): AsyncGenerator<Buffer> {
  const raw = openRawInput(path, what);
  const it = raw[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let stream: Readable | undefined;
  try {
    const head: Buffer[] = [];
    let headLen = 0;
    let done = false;
    while (headLen < HEAD_BYTES) {
      const r = await it.next();
      if (r.done) {
        done = true;
        break;
      }
      head.push(r.value);
      headLen += r.value.length;
    }
    const first = Buffer.concat(head);
    const rest = async function* (): AsyncGenerator<Buffer> {
      if (first.length > 0) yield first;
      while (!done) {
        const r = await it.next();
        if (r.done) return;
        yield r.value;
      }
    };
    if (compressionOfHeader(first) === "plain") {
      yield* rest();
      return;
    }
    // Gunzip handles multi-member files, so BGZF (a chain of gzip members) decodes the same way.
    const gunzip = createGunzip({ chunkSize: 1 << 20 });
    stream = Readable.from(rest())
      .on("error", (err) => gunzip.destroy(err))
      .pipe(gunzip);
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
    stream?.destroy();
    if (raw !== process.stdin) raw.destroy();
  }
}

/** One text line without its terminator (`\n` or `\r\n`), with its 1-based line number. */
export interface TextLine {
  readonly text: string;
  readonly lineNo: number;
}

/** Streams the lines of a (possibly compressed) text file, FIFO or standard input as UTF-8. */
export function readLines(path: string, what = "input file"): AsyncGenerator<TextLine> {
  return linesOf(readDecompressedChunks(path, what));
}

/** Splits decompressed chunks into UTF-8 lines. */
export async function* linesOf(chunks: AsyncIterable<Buffer>): AsyncGenerator<TextLine> {
  const decoder = new StringDecoder("utf8");
  let rest = "";
  let lineNo = 0;
  const emit = function* (text: string): Generator<TextLine> {
    lineNo++;
    yield { text: text.endsWith("\r") ? text.slice(0, -1) : text, lineNo };
  };
  for await (const chunk of chunks) {
    const parts = (rest + decoder.write(chunk)).split("\n");
    rest = parts.pop() ?? "";
    for (const p of parts) yield* emit(p);
  }
  rest += decoder.end();
  if (rest.length > 0) yield* emit(rest);
}

/**
 * Reads items until `decided` returns a value (or the items end), then returns that value and a stream of
 * every item from the first: one pass over a source that can be read once (a pipe), with a look ahead.
 */
export async function peekUntil<T, D>(
  items: AsyncGenerator<T>,
  decided: (item: T) => D | undefined,
): Promise<{ decision: D | undefined; items: AsyncGenerator<T> }> {
  const seen: T[] = [];
  let decision: D | undefined;
  let ended = false;
  for (;;) {
    const r = await items.next();
    if (r.done) {
      ended = true;
      break;
    }
    seen.push(r.value);
    decision = decided(r.value);
    if (decision !== undefined) break;
  }
  const replay = async function* (): AsyncGenerator<T> {
    try {
      yield* seen;
      if (!ended) yield* { [Symbol.asyncIterator]: () => items };
    } finally {
      await items.return(undefined);
    }
  };
  return { decision, items: replay() };
}
