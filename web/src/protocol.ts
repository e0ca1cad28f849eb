import type { DownloadProgress, ReconstructItem } from "specieslm/web";

/** Messages between the page (app.ts) and the inference worker (worker.ts). */

export type Backend = "auto" | "wasm" | "webgpu";

export interface ModelInfo {
  readonly dir: string;
  readonly weightsFile: string;
  readonly layers: number;
  readonly hidden: number;
  readonly heads: number;
  readonly parameters: number;
  readonly conditioning: "token" | "embedding" | "none";
  readonly species: readonly string[];
  readonly k: number;
  /** What ONNX Runtime runs on, and with how many wasm threads. */
  readonly backend: "webgpu" | "wasm";
  readonly threads: number;
  readonly loadSeconds: number;
  /** Where a model opened by name came from. */
  readonly hub?: HubSource;
}

export interface HubSource {
  readonly name: string;
  readonly endpoint: string;
  readonly commit: string | undefined;
  readonly fromCache: boolean;
  /** The Hub could not be reached: the cached copy of the revision was used. */
  readonly unreachable: boolean;
  readonly downloadedBytes: number;
}

export type ToWorker =
  | { readonly type: "load"; readonly files: readonly File[]; readonly backend: Backend }
  | { readonly type: "load-hub"; readonly name: string; readonly endpoint: string; readonly backend: Backend }
  | { readonly type: "reconstruct"; readonly items: readonly ReconstructItem[]; readonly spansPerPass: number }
  | { readonly type: "cancel" };

export type FromWorker =
  | { readonly type: "loaded"; readonly info: ModelInfo }
  | { readonly type: "progress"; readonly done: number; readonly total: number }
  | { readonly type: "download"; readonly progress: DownloadProgress }
  | { readonly type: "result"; readonly probs: Float32Array[]; readonly seconds: number }
  | { readonly type: "error"; readonly message: string; readonly cancelled: boolean };
