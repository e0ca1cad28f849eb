import { SpeciesLmError } from "../errors.js";

/** Exit codes: 1 for user-facing errors (bad input, files, options), 70 for internal failures. */
export function reportAndExit(err: unknown): never {
  if (err instanceof SpeciesLmError) {
    process.stderr.write(`specieslm: error: ${err.message}\n`);
    process.exit(1);
  }
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e === "object" && (e.code === "ENOENT" || e.code === "EACCES" || e.code === "EISDIR")) {
    process.stderr.write(`specieslm: error: ${e.message}. Check the path and try again.\n`);
    process.exit(1);
  }
  process.stderr.write(`specieslm: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(70);
}
