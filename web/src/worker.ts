/// <reference lib="webworker" />
import { countParams, type FileSource, formatSpec, openHubSnapshot, paramLayout, reconstruct, WebMaskedLanguageModel } from "specieslm/web";
import type { Backend, FromWorker, HubSource, ModelInfo, ToWorker } from "./protocol.ts";

/**
 * Inference off the page's thread: loads the model from the picked files or the Hub (by name, through
 * Cache Storage), builds its graph, and runs
 * the reconstruction with progress; "cancel" aborts between forward passes.
 */
declare const self: DedicatedWorkerGlobalScope;

let model: WebMaskedLanguageModel | undefined;
let running: AbortController | undefined;
const post = (m: FromWorker, transfer: Transferable[] = []) => self.postMessage(m, transfer);

async function hasWebGpu(): Promise<boolean> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return false;
  try {
    return (await gpu.requestAdapter()) !== null;
  } catch {
    return false;
  }
}

async function loadHub(name: string, endpoint: string, backend: Backend): Promise<void> {
  const started = performance.now();
  let last = 0;
  const snap = await openHubSnapshot(name, {
    endpoint,
    onProgress: (progress) => {
      const now = performance.now();
      if (now - last > 100 || progress.done === progress.total) post({ type: "download", progress });
      last = now;
    },
  });
  const hub: HubSource = {
    name: formatSpec(snap.spec),
    endpoint: snap.endpoint,
    commit: snap.commit,
    fromCache: snap.fromCache,
    unreachable: snap.unreachable,
    downloadedBytes: snap.downloadedBytes,
  };
  await load(snap.source, backend, started, hub);
}

async function load(files: readonly File[] | FileSource, backend: Backend, started = performance.now(), hub?: HubSource): Promise<void> {
  await model?.release();
  model = undefined;
  const gpu = backend === "webgpu" || (backend === "auto" && (await hasWebGpu()));
  const threads = self.crossOriginIsolated ? Math.max(1, Math.min(navigator.hardwareConcurrency || 1, 8)) : 1;
  const m = await WebMaskedLanguageModel.load(files, {
    wasmPaths: new URL(/* @vite-ignore */ "../ort/", import.meta.url).href,
    threads,
    providers: gpu ? ["webgpu", "wasm"] : ["wasm"],
  });
  // Build the graph and open the session now, so a wrong file fails here and runs start at once.
  await m.session("kmer-nucleotides");
  model = m;
  const c = m.config;
  const info: ModelInfo = {
    dir: m.folder.dir,
    weightsFile: m.folder.weightsFile,
    layers: c.numHiddenLayers,
    hidden: c.hiddenSize,
    heads: c.numAttentionHeads,
    parameters: countParams(paramLayout(c)),
    conditioning: c.conditioning,
    species: [...m.tokenizer.vocab.speciesNames],
    k: m.tokenizer.k,
    backend: gpu ? "webgpu" : "wasm",
    threads,
    loadSeconds: (performance.now() - started) / 1000,
    ...(hub ? { hub } : {}),
  };
  post({ type: "loaded", info });
}

async function run(items: Parameters<typeof reconstruct>[1], spansPerPass: number): Promise<void> {
  if (!model) throw new Error("open a model first");
  running = new AbortController();
  const started = performance.now();
  let last = 0;
  const probs = await reconstruct(model, items, {
    batchSize: 16,
    spansPerPass,
    signal: running.signal,
    onProgress: (done, total) => {
      const now = performance.now();
      if (now - last > 100 || done === total) post({ type: "progress", done, total });
      last = now;
    },
  });
  post(
    { type: "result", probs, seconds: (performance.now() - started) / 1000 },
    probs.map((p) => p.buffer as ArrayBuffer),
  );
}

self.onmessage = async (e: MessageEvent<ToWorker>) => {
  const msg = e.data;
  if (msg.type === "cancel") {
    running?.abort(new Error("cancelled"));
    return;
  }
  try {
    if (msg.type === "load") await load(msg.files, msg.backend);
    else if (msg.type === "load-hub") await loadHub(msg.name, msg.endpoint, msg.backend);
    else await run(msg.items, msg.spansPerPass);
  } catch (err) {
    post({ type: "error", message: (err as Error).message ?? String(err), cancelled: running?.signal.aborted ?? false });
  } finally {
    if (msg.type === "reconstruct") running = undefined;
  }
};
