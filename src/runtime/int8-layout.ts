import { readFileSync } from "node:fs";
import { arch, platform } from "node:os";
import { ConfigError } from "../errors.js";
import type { WeightLayout } from "../graph/passes/quantize-matmul.js";

/** CPU flags (Linux /proc/cpuinfo names) whose int8 dot products accumulate in int32 without saturating. */
const EXACT_U8S8_FLAGS = ["avx512_vnni", "avx_vnni", "amx_int8"] as const;

/**
 * The int8 weight layout for a CPU: "s8" (fast) only where ORT's u8s8 kernel is known to be exact
 * (x86 with VNNI or AMX), "u8" (exact everywhere) otherwise, including CPUs whose flags are unknown.
 */
export function int8LayoutFor(cpuArch: string, flags: ReadonlySet<string>): WeightLayout {
  return cpuArch === "x64" && EXACT_U8S8_FLAGS.some((f) => flags.has(f)) ? "s8" : "u8";
}

/** The flags of the first CPU in /proc/cpuinfo; empty where there is none (macOS, Windows). */
export function cpuFlags(cpuinfo?: string): Set<string> {
  let text = cpuinfo;
  if (text === undefined) {
    if (platform() !== "linux") return new Set();
    try {
      text = readFileSync("/proc/cpuinfo", "utf8");
    } catch {
      return new Set();
    }
  }
  const line = text.split("\n").find((l) => /^flags\s*:/.test(l));
  return new Set(
    line
      ? line
          .slice(line.indexOf(":") + 1)
          .trim()
          .split(/\s+/)
      : [],
  );
}

let cached: WeightLayout | undefined;

/** This machine's layout; `SPECIESLM_INT8_WEIGHTS=u8|s8` overrides it (benchmarks, tests). */
export function int8LayoutForThisCpu(): WeightLayout {
  const forced = process.env["SPECIESLM_INT8_WEIGHTS"];
  if (forced !== undefined && forced !== "") {
    if (forced !== "u8" && forced !== "s8") throw new ConfigError(`SPECIESLM_INT8_WEIGHTS must be u8 or s8, got "${forced}"`);
    return forced;
  }
  cached ??= int8LayoutFor(arch(), cpuFlags());
  return cached;
}
