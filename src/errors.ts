/**
 * Typed errors. Library code throws these; only `cli/` turns them into exit codes.
 * Every message says what went wrong, where (file, record, line) and what to do next.
 */
export type ErrorCode = "PARSE" | "CONFIG" | "WEIGHTS" | "SHAPE" | "GRADIENT" | "INPUT" | "SPECIES" | "IO" | "RUNTIME" | "HUB";

export class SpeciesLmError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A malformed file: names the file and, where known, the line or record. */
export class ParseError extends SpeciesLmError {
  readonly file: string;
  readonly line: number | undefined;
  constructor(file: string, message: string, line?: number, options?: { cause?: unknown }) {
    super("PARSE", `${file}${line !== undefined ? `:${line}` : ""}: ${message}`, options);
    this.file = file;
    this.line = line;
  }
}

export class ConfigError extends SpeciesLmError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("CONFIG", message, options);
  }
}

export class WeightsError extends SpeciesLmError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("WEIGHTS", message, options);
  }
}

export class ShapeError extends SpeciesLmError {
  constructor(message: string) {
    super("SHAPE", message);
  }
}

export class GradientError extends SpeciesLmError {
  constructor(message: string) {
    super("GRADIENT", message);
  }
}

/** Bad user input that is not a file format problem: options out of range, sequences too short. */
export class InputError extends SpeciesLmError {
  constructor(message: string) {
    super("INPUT", message);
  }
}

/** A species the model or corpus does not know; the message lists the closest known names. */
export class UnknownSpeciesError extends SpeciesLmError {
  readonly species: string;
  readonly suggestions: readonly string[];
  constructor(species: string, suggestions: readonly string[], where: string) {
    super(
      "SPECIES",
      `unknown species "${species}" for ${where}; closest known: ${suggestions.join(", ") || "(none)"}. ` +
        `Use one of those names, or pass --species-proxy NAME to stand in for it.`,
    );
    this.species = species;
    this.suggestions = suggestions;
  }
}

/** The Hugging Face Hub or its cache: names the repository, revision and file, and what to do. */
export class HubError extends SpeciesLmError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("HUB", message, options);
  }
}
