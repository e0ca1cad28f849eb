import VCF from "@gmod/vcf";
import { ParseError } from "../errors.js";
import { readLines, type TextLine } from "../io/byte-stream.js";

/** The fields of one VCF data line that variant placement reads. */
export interface VcfRecord {
  readonly CHROM: string;
  readonly POS: number;
  readonly REF: string;
  readonly ALT: string[] | undefined;
  readonly ID: string[] | undefined;
}

/**
 * Reads a VCF (plain or gzip): its header lines, data lines and the records parsed by @gmod/vcf. A file
 * without a #CHROM line, or a record without CHROM, a positive POS or REF, is a ParseError naming it.
 */
export async function readVcfRecords(
  path: string,
  lines: AsyncIterable<TextLine> = readLines(path, "VCF"),
): Promise<{ headerLines: string[]; dataLines: string[]; records: VcfRecord[] }> {
  const headerLines: string[] = [];
  const dataLines: string[] = [];
  for await (const { text } of lines) {
    if (text.startsWith("#")) headerLines.push(text);
    else if (text.trim() !== "") dataLines.push(text);
  }
  if (!headerLines.some((l) => l.startsWith("#CHROM"))) throw new ParseError(path, "no #CHROM header line: not a VCF file");
  let parser: VCF;
  try {
    parser = new VCF({ header: headerLines.join("\n"), strict: false });
  } catch (err) {
    throw new ParseError(path, `malformed VCF header: ${(err as Error).message.replace(/\s+/g, " ").slice(0, 200)}`, undefined, {
      cause: err,
    });
  }
  const records = dataLines.map((line, i): VcfRecord => {
    let v: ReturnType<typeof parser.parseLine>;
    try {
      v = parser.parseLine(line);
    } catch (err) {
      throw new ParseError(path, `data record ${i + 1} is not a valid VCF line: ${(err as Error).message}`);
    }
    if (!v.CHROM || !v.REF || !Number.isInteger(v.POS) || v.POS! < 1) throw new ParseError(path, `data record ${i + 1} lacks CHROM, a positive POS or REF`);
    return { CHROM: v.CHROM, POS: v.POS!, REF: v.REF, ALT: v.ALT, ID: v.ID };
  });
  return { headerLines, dataLines, records };
}
