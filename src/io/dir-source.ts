import { existsSync, readdirSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { FileSource } from "./file-source.js";

/** A FileSource over a folder on disk (Node). */
export function dirSource(dir: string): FileSource {
  return {
    dir,
    path: (file) => join(dir, file),
    has: (file) => existsSync(join(dir, file)),
    size: (file) => statSync(join(dir, file)).size,
    list: () =>
      readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isFile() || (e.isSymbolicLink() && existsSync(join(dir, e.name)) && statSync(join(dir, e.name)).isFile()))
        .map((e) => e.name)
        .sort(),
    text: (file) => readFile(join(dir, file), "utf8"),
    bytes: (file) => readFile(join(dir, file)),
  };
}
