import { createHash } from "node:crypto";
import { InputError } from "../errors.js";
import type { SplitName } from "./types.js";

/** Parses "0.8,0.1,0.1" into three non-negative fractions summing to 1 (within 1e-6). */
export function parseSplitFractions(spec: string): [number, number, number] {
  const parts = spec.split(",").map((s) => Number(s.trim()));
  if (parts.length !== 3 || parts.some((p) => !Number.isFinite(p) || p < 0) || Math.abs(parts[0]! + parts[1]! + parts[2]! - 1) > 1e-6) {
    throw new InputError(`--split must be three non-negative fractions summing to 1 (train,valid,test), got "${spec}"`);
  }
  return [parts[0]!, parts[1]!, parts[2]!];
}

/**
 * Split of a gene key: SHA-256 of `seed \t key` mapped to [0, 1), compared with the cumulative
 * fractions. Depends only on (key, seed), never on input order, so a gene lands in the same split in
 * every species, strain and run.
 */
export function assignSplit(key: string, seed: number, fractions: readonly [number, number, number]): SplitName {
  const digest = createHash("sha256").update(`${seed}\t${key}`).digest();
  const u = digest.readUInt32BE(0) / 2 ** 32 + digest.readUInt32BE(4) / 2 ** 64;
  if (u < fractions[0]) return "train";
  if (u < fractions[0] + fractions[1]) return "valid";
  return "test";
}
