import { createReadStream, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";
import { ISOLATION_HEADERS } from "../src/cli/static-server.ts";

/**
 * The browser app. ONNX Runtime's wasm glue (.mjs) and binary (.wasm) are served as files under ort/
 * (not bundled): its thread workers load the glue by URL. COOP/COEP make the page cross-origin
 * isolated, which wasm threads (SharedArrayBuffer) need; `specieslm serve` sends the same headers.
 */
const ORT_DIR = fileURLToPath(new URL("../node_modules/onnxruntime-web/dist/", import.meta.url));
const ORT_FILES = ["ort-wasm-simd-threaded.jsep.mjs", "ort-wasm-simd-threaded.jsep.wasm"];

function ortAssets(): Plugin {
  return {
    name: "specieslm-ort-assets",
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const name = req.url?.replace(/^\/ort\//, "").split("?")[0];
        if (!req.url?.startsWith("/ort/") || !name || !ORT_FILES.includes(name)) return next();
        res.setHeader("Content-Type", name.endsWith(".wasm") ? "application/wasm" : "text/javascript");
        for (const [k, v] of Object.entries(ISOLATION_HEADERS)) res.setHeader(k, v);
        createReadStream(ORT_DIR + name).pipe(res);
      });
    },
    generateBundle() {
      for (const f of ORT_FILES) this.emitFile({ type: "asset", fileName: `ort/${f}`, source: readFileSync(ORT_DIR + f) });
    },
  };
}

/** The browser bundle must not pull in Node built-ins: fail the build instead of shipping a stub. */
function noNodeBuiltins(): Plugin {
  return {
    name: "specieslm-no-node-builtins",
    enforce: "pre",
    resolveId(id, importer) {
      if (id.startsWith("node:") || id === "onnxruntime-node") this.error(`${importer ?? "?"} imports ${id}, which the browser bundle cannot hold`);
      return null;
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "./",
  resolve: {
    alias: { "specieslm/web": fileURLToPath(new URL("../src/web/index.ts", import.meta.url)) },
    // ort.min.mjs loads its wasm glue from env.wasm.wasmPaths instead of inlining it.
    conditions: ["onnxruntime-web-use-extern-wasm", "module", "browser", "development|production"],
  },
  plugins: [noNodeBuiltins(), ortAssets()],
  worker: { format: "es", plugins: () => [noNodeBuiltins()] },
  optimizeDeps: { exclude: ["onnxruntime-web"] },
  server: { headers: ISOLATION_HEADERS },
  preview: { headers: ISOLATION_HEADERS },
  build: {
    outDir: "dist", emptyOutDir: true, target: "es2022", chunkSizeWarningLimit: 4000,
    // The bundler's timing report is noise in test logs.
    rolldownOptions: { checks: { pluginTimings: false } },
  },
});
