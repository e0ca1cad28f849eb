import { readFileSync } from "node:fs";
import { expect } from "vitest";

/**
 * Checks that a TSV file is one rectangular table, as pandas and R read it: no blank lines, and every
 * line has as many tab-separated fields as the header. Returns the rows (header first).
 */
export function expectOneTable(path: string): string[][] {
  const text = readFileSync(path, "utf8");
  expect(text.endsWith("\n"), `${path} ends with a newline`).toBe(true);
  const rows = text
    .slice(0, -1)
    .split("\n")
    .map((l) => l.split("\t"));
  rows.forEach((r, i) => {
    expect(r.join("\t").trim(), `${path}: line ${i + 1} is blank`).not.toBe("");
    expect(r.length, `${path}: line ${i + 1} has ${r.length} fields, the header ${rows[0]!.length}`).toBe(rows[0]!.length);
  });
  return rows;
}
