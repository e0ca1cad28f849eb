import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkDevice, describeDeviceFailure, executionProviders, missingForDevice, parseDevice, type DeviceEnvironment } from "../src/runtime/device.js";
import { FIXTURE, HAS_SHARED } from "./helpers/shared.js";

const root = mkdtempSync(join(tmpdir(), "specieslm-device-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A staged machine: folders with exactly the given files. */
function machine(files: { ort?: string[]; libs?: string[]; icd?: string[] }): DeviceEnvironment {
  const dir = mkdtempSync(join(root, "m-"));
  const put = (sub: string, names: string[] = []) => {
    mkdirSync(join(dir, sub), { recursive: true });
    for (const n of names) writeFileSync(join(dir, sub, n), "");
    return join(dir, sub);
  };
  return {
    ortBinDir: put("ort", files.ort),
    libraryDirs: [put("lib", files.libs)],
    cachedLibraries: new Set(),
    icdPaths: [put("icd.d", files.icd)],
  };
}

const CUDA_LIBS = ["libcuda.so.1", "libcudart.so.12", "libcublas.so.12", "libcublasLt.so.12", "libcufft.so.11", "libcurand.so.10", "libcudnn.so.9"];
const ORT_CUDA = ["libonnxruntime_providers_shared.so", "libonnxruntime_providers_cuda.so"];

describe("--device", () => {
  it("maps cpu | cuda | webgpu to ORT providers with CPU as the fallback, and rejects others", () => {
    expect(executionProviders(parseDevice(undefined))).toEqual(["cpu"]);
    expect(executionProviders(parseDevice("cuda"))).toEqual(["cuda", "cpu"]);
    expect(executionProviders(parseDevice("webgpu"))).toEqual(["webgpu", "cpu"]);
    expect(() => parseDevice("gpu")).toThrow(/--device must be one of cpu, cuda, webgpu, got "gpu"/);
  });

  it("names exactly the pieces a staged machine lacks", () => {
    const bare = machine({});
    const cuda = missingForDevice("cuda", bare).join("\n");
    expect(cuda).toMatch(/libonnxruntime_providers_shared\.so, libonnxruntime_providers_cuda\.so/);
    expect(cuda).toMatch(/--onnxruntime-node-install=cuda12/);
    for (const lib of CUDA_LIBS) expect(cuda).toContain(lib);
    // only the certain part before a run: ORT's own files
    expect(() => checkDevice("cuda", bare)).toThrow(/--device cuda needs onnxruntime-node's CUDA provider/);
    expect(() => checkDevice("cuda", machine({ ort: ORT_CUDA }))).not.toThrow();
    const partial = missingForDevice("cuda", machine({ ort: ORT_CUDA, libs: CUDA_LIBS.filter((l) => l !== "libcudnn.so.9") }));
    expect(partial).toHaveLength(1);
    expect(partial[0]).toMatch(/libraries libcudnn\.so\.9 \(/);
    expect(missingForDevice("cuda", machine({ ort: ORT_CUDA, libs: CUDA_LIBS }))).toEqual([]);

    const web = missingForDevice("webgpu", bare);
    expect(web).toHaveLength(2);
    expect(web[0]).toMatch(/libvulkan\.so\.1 \(Debian\/Ubuntu: apt-get install libvulkan1\)/);
    expect(web[1]).toMatch(/a Vulkan driver \(no ICD manifest in .*icd\.d\)/);
    expect(missingForDevice("webgpu", machine({ libs: ["libvulkan.so.1"] }))).toHaveLength(1);
    expect(missingForDevice("webgpu", machine({ libs: ["libvulkan.so.1"], icd: ["nvidia_icd.json"] }))).toEqual([]);
    expect(() => checkDevice("webgpu", machine({ icd: ["lvp_icd.x86_64.json"] }))).toThrow(
      /--device webgpu needs the Vulkan loader libvulkan\.so\.1 .*Or run with --device cpu/,
    );
  });

  it("a failure with every piece present points at the driver, not at a library", () => {
    expect(describeDeviceFailure(["cpu"])).toBeUndefined();
    expect(describeDeviceFailure(["webgpu", "cpu"], machine({ libs: ["libvulkan.so.1"], icd: ["x.json"] }))).toMatch(/vulkaninfo --summary/);
    expect(describeDeviceFailure(["cuda", "cpu"], machine({ ort: ORT_CUDA, libs: CUDA_LIBS }))).toMatch(/nvidia-smi/);
  });

  // On this machine (no GPU libraries in CI) the CLI must stop before any work and say what is missing.
  const missing = missingForDevice("webgpu", undefined, "certain");
  it.skipIf(!HAS_SHARED || !existsSync("dist/cli/main.js") || missing.length === 0)(
    "reconstruct --device webgpu stops before reading input, naming what is missing",
    () => {
      const out = join(root, "never.tsv");
      const r = spawnSync(
        process.execPath,
        ["dist/cli/main.js", "reconstruct", "--model", `${FIXTURE}model`, "-i", join(root, "no-such-input.fa"), "-o", out, "--device", "webgpu"],
        { encoding: "utf8" },
      );
      expect(r.status).toBe(1);
      expect(r.stderr).toContain("--device webgpu needs");
      expect(r.stderr).toContain(missing[0]!.slice(0, 40));
      expect(r.stderr).not.toMatch(/no-such-input/);
      expect(existsSync(out)).toBe(false);
    },
  );
});
