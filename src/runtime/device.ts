import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { InputError, SpeciesLmError } from "../errors.js";

/**
 * `--device`: which ONNX Runtime execution providers a session asks for. GPU providers come first
 * with CPU as the fallback for the ops they lack. onnxruntime-node 1.30 bundles the WebGPU provider
 * (Dawn over Vulkan) but downloads the CUDA one only when installed with
 * `--onnxruntime-node-install=cuda12`; `describeDeviceFailure` says which of those pieces is missing.
 */
export const DEVICES = ["cpu", "cuda", "webgpu"] as const;
export type Device = (typeof DEVICES)[number];

export function parseDevice(value: string | undefined): Device {
  if (value === undefined || value === "") return "cpu";
  if ((DEVICES as readonly string[]).includes(value)) return value as Device;
  throw new InputError(`--device must be one of ${DEVICES.join(", ")}, got "${value}"`);
}

export function executionProviders(device: Device): string[] {
  return device === "cpu" ? ["cpu"] : [device, "cpu"];
}

/** Where to look for shared libraries and Vulkan drivers; injectable so tests can stage a machine. */
export interface DeviceEnvironment {
  /** onnxruntime-node's native folder (libonnxruntime.so.1 and, for CUDA, its provider libraries). */
  readonly ortBinDir: string | undefined;
  /** Folders searched for system libraries (LD_LIBRARY_PATH, the linker's standard folders). */
  readonly libraryDirs: readonly string[];
  /** Library file names the dynamic linker's cache knows (`ldconfig -p`). */
  readonly cachedLibraries: ReadonlySet<string>;
  /** Vulkan ICD manifest folders, or the files VK_ICD_FILENAMES / VK_DRIVER_FILES name. */
  readonly icdPaths: readonly string[];
}

/** Provider libraries onnxruntime-node's cuda12 install step puts beside its binding. */
const ORT_CUDA_LIBS = ["libonnxruntime_providers_shared.so", "libonnxruntime_providers_cuda.so"];
/** CUDA 12 / cuDNN 9 libraries the ORT 1.30 CUDA provider links against, and the driver's libcuda. */
const CUDA_SYSTEM_LIBS = ["libcuda.so.1", "libcudart.so.12", "libcublas.so.12", "libcublasLt.so.12", "libcufft.so.11", "libcurand.so.10", "libcudnn.so.9"];
const VULKAN_LOADER = "libvulkan.so.1";

export function currentDeviceEnvironment(): DeviceEnvironment {
  const env = process.env;
  const libraryDirs = [
    ...(env["LD_LIBRARY_PATH"] ?? "").split(":").filter((d) => d !== ""),
    "/lib/x86_64-linux-gnu",
    "/usr/lib/x86_64-linux-gnu",
    "/lib/aarch64-linux-gnu",
    "/usr/lib/aarch64-linux-gnu",
    "/lib64",
    "/usr/lib64",
    "/lib",
    "/usr/lib",
    "/usr/local/lib",
    "/usr/local/cuda/lib64",
  ];
  const explicitIcds = (env["VK_DRIVER_FILES"] ?? env["VK_ICD_FILENAMES"] ?? "").split(":").filter((p) => p !== "");
  const icdPaths =
    explicitIcds.length > 0
      ? explicitIcds
      : [
          ...(env["XDG_CONFIG_DIRS"] ?? "/etc/xdg").split(":"),
          "/etc",
          ...(env["XDG_DATA_HOME"] ? [env["XDG_DATA_HOME"]] : env["HOME"] ? [join(env["HOME"], ".local/share")] : []),
          ...(env["XDG_DATA_DIRS"] ?? "/usr/local/share:/usr/share").split(":"),
        ]
          .filter((d) => d !== "")
          .map((d) => join(d, "vulkan/icd.d"));
  return { ortBinDir: ortNativeDir(), libraryDirs, cachedLibraries: linkerCache(), icdPaths };
}

function ortNativeDir(): string | undefined {
  try {
    const main = createRequire(import.meta.url).resolve("onnxruntime-node");
    return join(dirname(main), "..", "bin", "napi-v6", process.platform, process.arch);
  } catch {
    return undefined;
  }
}

function linkerCache(): Set<string> {
  for (const cmd of ["/sbin/ldconfig", "/usr/sbin/ldconfig", "ldconfig"]) {
    const r = spawnSync(cmd, ["-p"], { encoding: "utf8" });
    if (r.status === 0) return new Set([...r.stdout.matchAll(/^\s*(\S+)\s/gm)].map((m) => m[1]!));
  }
  return new Set();
}

function hasLibrary(name: string, e: DeviceEnvironment): boolean {
  return e.cachedLibraries.has(name) || e.libraryDirs.some((d) => existsSync(join(d, name)));
}

function hasIcd(e: DeviceEnvironment): boolean {
  return e.icdPaths.some((p) => {
    if (p.endsWith(".json")) return existsSync(p);
    try {
      return readdirSync(p).some((f) => f.endsWith(".json"));
    } catch {
      return false;
    }
  });
}

/**
 * What a machine lacks for `device`, as sentences naming the missing pieces and how to get them;
 * empty when every piece this can check is present (the failure is then the driver or the GPU).
 */
export function missingForDevice(device: Device, e: DeviceEnvironment = currentDeviceEnvironment(), scope: "all" | "certain" = "all"): string[] {
  const missing: string[] = [];
  if (device === "cuda") {
    const ortLibs = ORT_CUDA_LIBS.filter((f) => e.ortBinDir === undefined || !existsSync(join(e.ortBinDir, f)));
    if (ortLibs.length > 0) {
      missing.push(
        `onnxruntime-node's CUDA provider (${ortLibs.join(", ")} in ${e.ortBinDir ?? "onnxruntime-node/bin"}): it is downloaded at install time, ` +
          `so reinstall it where the network allows with \`npm rebuild onnxruntime-node --onnxruntime-node-install=cuda12\` ` +
          `(this project's .npmrc sets onnxruntime-node-install=skip)`,
      );
    }
    // ORT finds its provider files beside itself, always; CUDA libraries it finds wherever dlopen
    // does, which this search may not cover (a RUNPATH), so before a run only the former are certain.
    const sys = scope === "certain" ? [] : CUDA_SYSTEM_LIBS.filter((l) => !hasLibrary(l, e));
    if (sys.length > 0) {
      missing.push(
        `CUDA 12 / cuDNN 9 libraries ${sys.join(", ")} (not on LD_LIBRARY_PATH or in the linker cache): ` +
          `install the NVIDIA driver (libcuda.so.1), the CUDA 12 runtime with cuBLAS/cuFFT/cuRAND and cuDNN 9, or run in an nvidia/cuda:12-cudnn9 container`,
      );
    }
  } else if (device === "webgpu") {
    if (!hasLibrary(VULKAN_LOADER, e)) missing.push(`the Vulkan loader ${VULKAN_LOADER} (Debian/Ubuntu: apt-get install libvulkan1)`);
    if (!hasIcd(e)) {
      missing.push(
        `a Vulkan driver (no ICD manifest in ${e.icdPaths.join(", ")}): the NVIDIA driver's nvidia_icd.json (e.g. libnvidia-gl), ` +
          `mesa-vulkan-drivers for AMD/Intel; in a container, mount the host's ICD and driver libraries (NVIDIA_DRIVER_CAPABILITIES=compute,graphics)`,
      );
    }
  }
  return missing;
}

/**
 * Before any work: stops with the message naming what is missing when a piece `--device` certainly
 * needs is absent (the provider files, the Vulkan loader, a Vulkan driver manifest).
 */
export function checkDevice(device: Device, e?: DeviceEnvironment): void {
  if (device === "cpu") return;
  const missing = missingForDevice(device, e ?? currentDeviceEnvironment(), "certain");
  if (missing.length > 0) throw new SpeciesLmError("RUNTIME", `--device ${device} needs ${missing.join("; and ")}. Or run with --device cpu.`);
}

/** The message for a session that failed to start on `providers`; undefined for a CPU-only session. */
export function describeDeviceFailure(providers: readonly string[], e?: DeviceEnvironment): string | undefined {
  const device = providers.find((p) => p === "cuda" || p === "webgpu") as Device | undefined;
  if (!device) return undefined;
  const missing = missingForDevice(device, e);
  if (missing.length > 0) return `--device ${device} needs ${missing.join("; and ")}. Or run with --device cpu.`;
  return device === "cuda"
    ? "--device cuda: the CUDA libraries were found, so the driver or GPU refused; check `nvidia-smi` and that the driver supports CUDA 12. Or run with --device cpu."
    : "--device webgpu: the Vulkan loader and a driver were found but no adapter was usable; check `vulkaninfo --summary`. Or run with --device cpu.";
}
