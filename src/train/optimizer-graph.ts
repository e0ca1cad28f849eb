/**
 * The optimizer as graph nodes appended after the gradients, so one ORT run does forward,
 * backward and update: global-norm gradient clipping (torch.nn.utils.clip_grad_norm_) then
 * AdamW with bias correction and decoupled weight decay (torch.optim.AdamW, the Hugging Face
 * Trainer default). State (m, v per parameter), the step count and the learning rate are graph
 * inputs; the new parameters and state are returned for the caller to name as outputs.
 */
import type { GraphBuilder } from "../graph/builder.js";
import type { Value } from "../graph/types.js";
import { GradientError, InputError } from "../errors.js";

export interface AdamWOptions {
  readonly beta1?: number;
  readonly beta2?: number;
  readonly eps?: number;
  /** Decoupled weight decay coefficient (default 0.01). */
  readonly weightDecay?: number;
  /** Which parameters decay; default: all but names ending in ".bias" or containing "LayerNorm". */
  readonly decays?: (paramName: string) => boolean;
  /** Clip the global gradient norm to this (a constant or a scalar float input); null: no clipping. Default 1. */
  readonly maxGradNorm?: number | Value | null;
  /** Graph input names for the state; defaults "lr", "adam_step", "adam_m.<param>", "adam_v.<param>". */
  readonly lrName?: string;
  readonly stepName?: string;
  readonly mName?: (paramName: string) => string;
  readonly vName?: (paramName: string) => string;
}

export interface AdamWGraph {
  /** Scalar float32 inputs: the learning rate and the 1-based step number t of this update. */
  readonly lr: Value;
  readonly step: Value;
  /** State inputs by parameter name (same shapes as the parameters; feed zeros before step 1). */
  readonly mIn: ReadonlyMap<string, Value>;
  readonly vIn: ReadonlyMap<string, Value>;
  /** Updated parameters and state by parameter name. */
  readonly params: ReadonlyMap<string, Value>;
  readonly m: ReadonlyMap<string, Value>;
  readonly v: ReadonlyMap<string, Value>;
  /** Global L2 norm of the gradients before clipping (a scalar, for logging). */
  readonly gradNorm: Value;
}

export const defaultDecays = (name: string): boolean => !name.endsWith(".bias") && !name.includes("LayerNorm");

/**
 * Appends clipping and one AdamW update for `params` (graph inputs, each with a gradient in
 * `grads`, keyed by parameter name as `gradient()` returns them).
 */
export function appendAdamW(b: GraphBuilder, params: readonly Value[], grads: ReadonlyMap<string, Value>, o: AdamWOptions = {}): AdamWGraph {
  const [beta1, beta2, eps, wd] = [o.beta1 ?? 0.9, o.beta2 ?? 0.999, o.eps ?? 1e-8, o.weightDecay ?? 0.01];
  if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1)) throw new InputError(`AdamW betas must lie in [0, 1), got ${beta1}, ${beta2}`);
  const gs = params.map((p) => {
    const g = grads.get(p.name);
    if (!g) throw new GradientError(`no gradient for parameter "${p.name}"; pass it to gradient() as a target`);
    return g;
  });
  const lr = b.input(o.lrName ?? "lr", "float32", []);
  const step = b.input(o.stepName ?? "adam_step", "float32", []);
  const { norm, clipped } = clipByGlobalNorm(b, gs, o.maxGradNorm === undefined ? 1 : o.maxGradNorm);
  const c = (x: number): Value => b.constF32(x);
  // Bias corrections 1 - beta^t; the step size lr / bc1 and sqrt(bc2) are shared by all params.
  const stepSize = b.div(lr, b.sub(c(1), b.pow(c(beta1), step)));
  const sqrtBc2 = b.sqrt(b.sub(c(1), b.pow(c(beta2), step)));
  const shrink = b.sub(c(1), b.mul(lr, c(wd)));
  const decays = o.decays ?? defaultDecays;
  const out = {
    mIn: new Map<string, Value>(),
    vIn: new Map<string, Value>(),
    params: new Map<string, Value>(),
    m: new Map<string, Value>(),
    v: new Map<string, Value>(),
  };
  params.forEach((p, i) => {
    const g = clipped[i]!;
    const mIn = b.input(o.mName?.(p.name) ?? `adam_m.${p.name}`, "float32", p.shape);
    const vIn = b.input(o.vName?.(p.name) ?? `adam_v.${p.name}`, "float32", p.shape);
    const m = b.add(b.mul(mIn, c(beta1)), b.mul(g, c(1 - beta1))); // [same as p]
    const v = b.add(b.mul(vIn, c(beta2)), b.mul(b.mul(g, g), c(1 - beta2)));
    const denom = b.add(b.div(b.sqrt(v), sqrtBc2), c(eps));
    const decayed = decays(p.name) && wd !== 0 ? b.mul(p, shrink) : p;
    out.params.set(p.name, b.sub(decayed, b.mul(stepSize, b.div(m, denom))));
    out.mIn.set(p.name, mIn);
    out.vIn.set(p.name, vIn);
    out.m.set(p.name, m);
    out.v.set(p.name, v);
  });
  return { lr, step, gradNorm: norm, ...out };
}

/**
 * Global-norm clipping: scale = min(1, maxNorm / (norm + 1e-6)) with norm = sqrt(sum of all
 * squared gradient entries), applied to every gradient. `maxNorm` null returns them unscaled.
 */
export function clipByGlobalNorm(b: GraphBuilder, grads: readonly Value[], maxNorm: number | Value | null): { norm: Value; clipped: Value[] } {
  const sq = grads.map((g) => b.reduceSum(b.mul(g, g), [...g.shape.keys()], false));
  const norm = b.sqrt(sq.reduce((a, s) => b.add(a, s)));
  if (maxNorm === null) return { norm, clipped: [...grads] };
  const limit = typeof maxNorm === "number" ? b.constF32(maxNorm) : maxNorm;
  const scale = b.min(b.constF32(1), b.div(limit, b.add(norm, b.constF32(1e-6))));
  return { norm, clipped: grads.map((g) => b.mul(g, scale)) };
}
