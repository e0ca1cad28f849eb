import { readDecompressedChunks } from "./byte-stream.js";
import { FastaParser, type FastaReadOptions, type FastaRecord } from "./fasta-parser.js";

export type { FastaReadOptions, FastaRecord } from "./fasta-parser.js";

/**
 * Streams the records of a plain, gzip or BGZF FASTA file (multi-line, LF or CRLF). Memory is bounded
 * by the largest record. Every sequence byte must be an IUPAC code (see `alphabet/iupac.ts`); anything
 * else is a ParseError naming the file, line, record and character. Lines starting with `;` are comments.
 * `chunks` replaces the file's bytes when the caller has already opened it (a pipe read once).
 */
export async function* readFasta(
  path: string,
  options: FastaReadOptions = {},
  chunks: AsyncIterable<Buffer> = readDecompressedChunks(path, "FASTA file"),
): AsyncGenerator<FastaRecord> {
  const parser = new FastaParser(path, options);
  // Chunks from the stream are fresh buffers that are never reused, so the parser may keep views.
  for await (const chunk of chunks) yield* parser.push(chunk);
  yield* parser.end();
}
