/**
 * A folder of named files that loaders read from, whether it lives on disk (dir-source.ts, Node) or
 * was picked in a browser (`filesSource` below: File objects, nothing leaves the machine). Loaders
 * written against this interface run unchanged in both; this module imports nothing from Node.
 */
export interface FileSource {
  /** The folder's name, for messages. */
  readonly dir: string;
  /** How a file is named in messages (a path on disk, "folder/file" in a browser). */
  path(file: string): string;
  has(file: string): boolean;
  /** Size in bytes without reading the file (to refuse what would not fit before reading it). */
  size(file: string): number;
  /** File names in the folder (no sub-folders). */
  list(): readonly string[];
  text(file: string): Promise<string>;
  bytes(file: string): Promise<Uint8Array>;
}

/** What a browser hands over: File objects (from an <input type=file> or a drop), or anything Blob-like with a name. */
export interface NamedBlob {
  readonly name: string;
  readonly size: number;
  /** "folder/file" when picked with a directory input. */
  readonly webkitRelativePath?: string;
  arrayBuffer(): Promise<ArrayBuffer>;
  text(): Promise<string>;
}

/**
 * A FileSource over picked files. Files are keyed by their base name. With a directory pick the folder
 * name is taken from the relative paths and files in sub-folders are ignored (a Hugging Face snapshot
 * keeps everything at its top level), except for a `specieslm train --out` run folder: without a
 * config.json of its own, its `checkpoint/` sub-folder is the model (as `resolveModelDir` does on disk).
 */
export function filesSource(files: Iterable<NamedBlob>, dir?: string): FileSource {
  const all = [...files].map((f) => ({ f, parts: (f.webkitRelativePath || f.name).split("/") }));
  const top = all.some(({ parts }) => parts.length <= 2 && parts[parts.length - 1] === "config.json");
  const run = !top && all.some(({ parts }) => parts.length === 3 && parts[1] === "checkpoint" && parts[2] === "config.json");
  const byName = new Map<string, NamedBlob>();
  let folder = dir;
  for (const { f, parts } of all) {
    if (run ? parts.length !== 3 || parts[1] !== "checkpoint" : parts.length > 2) continue;
    if (parts.length > 1) folder ??= run ? `${parts[0]}/checkpoint` : parts[0];
    byName.set(f.name, f);
  }
  const name = folder ?? "picked files";
  const get = (file: string): NamedBlob => {
    const f = byName.get(file);
    if (!f) throw new Error(`${name}/${file} was not picked`);
    return f;
  };
  return {
    dir: name,
    path: (file) => `${name}/${file}`,
    has: (file) => byName.has(file),
    size: (file) => get(file).size,
    list: () => [...byName.keys()].sort(),
    text: (file) => get(file).text(),
    bytes: async (file) => new Uint8Array(await get(file).arrayBuffer()),
  };
}
