import type { HostTensor } from "../../host-tensor.js";
import { type Graph, type GraphNode, MS_DOMAIN, type Value } from "../types.js";
import { consumersOf, dropUnused } from "./graph-edit.js";
import type { GraphPass, PassResult } from "./pass.js";

/**
 * How the quantised weights are stored; both hold the same 255 levels, so every CPU that computes the
 * integer sums exactly gets the same outputs from either.
 * - "u8": uint8 weights with zero point 128. ORT's u8u8 kernels widen to int16 before multiplying:
 *   exact on every CPU, and portable (export-onnx, the browser).
 * - "s8": int8 weights. ORT's x86 u8s8 kernels are exact with VNNI/AMX (int32 dot products) and 1.7x
 *   faster than u8 there, but without VNNI they add uint8 x int8 pairs in a saturating int16
 *   (VPMADDUBSW: 255 * 127 * 2 > 32767) and give wrong sums. Only for CPUs known to have VNNI
 *   (runtime/int8-layout.ts); docs/decisions/int8-weight-layout.md has the measurements.
 */
export type WeightLayout = "u8" | "s8";

export const DEFAULT_WEIGHT_LAYOUT: WeightLayout = "u8";

export interface QuantizeMatMulOptions {
  /** Which weights (initializer names, PyTorch [out, in] layout) to quantise; default: all that match. */
  readonly include?: (weightName: string) => boolean;
  readonly layout?: WeightLayout;
}

/**
 * Symmetric quantised weights of one Linear: `q` is W^T [in, out], `scale` [out] so that
 * W^T ≈ (q - zeroPoint) * scale per column; `zeroPoint` [out] only in the "u8" layout.
 */
export interface QuantizedWeight {
  readonly q: HostTensor<"int8"> | HostTensor<"uint8">;
  readonly scale: HostTensor<"float32">;
  readonly zeroPoint?: HostTensor<"uint8">;
}

/** Largest |q - zeroPoint|: symmetric, so the zero point 128 of "u8" keeps 0 exact. */
const LEVELS = 127;
const U8_ZERO = 128;

/**
 * Per-output-channel symmetric quantisation of a PyTorch Linear weight W [out, in]: scale[o] =
 * max|W[o, :]| / levels, q[i, o] = round(W[o, i] / scale[o]) in [-levels, levels] (+128 for "u8"),
 * stored transposed so that it is the B operand of `x [.., in] @ B [in, out]`. Runs once per graph build.
 */
export function quantizeWeightPerColumn(w: HostTensor<"float32">, layout: WeightLayout = DEFAULT_WEIGHT_LAYOUT): QuantizedWeight {
  const [out, inDim] = w.shape as [number, number];
  const levels = LEVELS;
  const offset = layout === "u8" ? U8_ZERO : 0;
  const q = layout === "u8" ? new Uint8Array(out * inDim) : new Int8Array(out * inDim);
  const scale = new Float32Array(out);
  for (let o = 0; o < out; o++) {
    const row = w.data.subarray(o * inDim, (o + 1) * inDim);
    let m = 0;
    for (let i = 0; i < inDim; i++) m = Math.max(m, Math.abs(row[i]!));
    // An all-zero row keeps scale 1 so that dequantisation stays finite (q is the zero point anyway).
    const s = m > 0 ? m / levels : 1;
    scale[o] = s;
    for (let i = 0; i < inDim; i++) q[i * out + o] = offset + Math.max(-levels, Math.min(levels, Math.round(row[i]! / s)));
  }
  const scaleT: HostTensor<"float32"> = { dtype: "float32", shape: [out], data: scale };
  if (q instanceof Uint8Array) {
    return {
      q: { dtype: "uint8", shape: [inDim, out], data: q },
      scale: scaleT,
      zeroPoint: { dtype: "uint8", shape: [out], data: new Uint8Array(out).fill(U8_ZERO) },
    };
  }
  return { q: { dtype: "int8", shape: [inDim, out], data: q }, scale: scaleT };
}

interface Match {
  readonly matmul: GraphNode;
  readonly weight: string;
  /** The Add of a bias initializer [out] that is the MatMul's only consumer, fused into the new node. */
  readonly biasAdd: GraphNode | undefined;
  readonly bias: string | undefined;
}

/** MatMul(x, Transpose(W, perm [1,0])) with W a float32 [out, in] initializer: bert.ts's `linear`. */
function findMatches(g: Graph, o: QuantizeMatMulOptions): Match[] {
  const producer = new Map<string, GraphNode>();
  for (const n of g.nodes) for (const out of n.outputs) producer.set(out, n);
  const consumers = consumersOf(g);
  const graphOutputs = new Set(g.outputs.map((v) => v.name));
  const matches: Match[] = [];
  for (const n of g.nodes) {
    if (n.opType !== "MatMul" || n.domain !== "") continue;
    const t = producer.get(n.inputs[1]!);
    if (t?.opType !== "Transpose" || !isPerm10(t.attrs.perm)) continue;
    const weight = t.inputs[0]!;
    const w = g.initializers.get(weight);
    if (w?.dtype !== "float32" || w.shape.length !== 2) continue;
    if (o.include && !o.include(weight)) continue;
    const out = w.shape[0]!;
    const users = consumers.get(n.outputs[0]!) ?? [];
    let biasAdd: GraphNode | undefined;
    let bias: string | undefined;
    if (users.length === 1 && users[0]!.opType === "Add" && users[0]!.domain === "" && !graphOutputs.has(n.outputs[0]!)) {
      const add = users[0]!;
      const other = add.inputs[0] === n.outputs[0] ? add.inputs[1]! : add.inputs[0]!;
      const b = g.initializers.get(other);
      if (b && b.dtype === "float32" && b.shape.length === 1 && b.shape[0] === out) {
        biasAdd = add;
        bias = other;
      }
    }
    matches.push({ matmul: n, weight, biasAdd, bias });
  }
  return matches;
}

function isPerm10(perm: unknown): boolean {
  return Array.isArray(perm) && perm.length === 2 && perm[0] === 1 && perm[1] === 0;
}

/**
 * Graph pass: every Linear (`MatMul(x, Transpose(W))`, optionally followed by `Add(bias)`) becomes
 * one com.microsoft DynamicQuantizeMatMul with int8 weights quantised per output column on the host;
 * activations are quantised to uint8 per tensor by ORT at run time. Transposes and float weights left
 * without users are dropped (the tied word embeddings stay: the embedding Gather still reads them).
 * A graph without the pattern comes back as the same object with `modified: false`.
 */
export function quantizeMatMul(g: Graph, o: QuantizeMatMulOptions = {}): PassResult {
  const matches = findMatches(g, o);
  if (matches.length === 0) return { graph: g, modified: false };
  const initializers = new Map(g.initializers);
  const values = new Map(g.values);
  const quantized = new Map<string, { q: string; scale: string; zeroPoint: string }>();
  const replace = new Map<GraphNode, GraphNode | null>();
  for (const m of matches) {
    let names = quantized.get(m.weight);
    if (!names) {
      const { q, scale, zeroPoint } = quantizeWeightPerColumn(g.initializers.get(m.weight) as HostTensor<"float32">, o.layout);
      names = { q: `${m.weight}.int8_t`, scale: `${m.weight}.int8_scale`, zeroPoint: zeroPoint ? `${m.weight}.int8_zero` : "" };
      const tensors: [string, HostTensor][] = [
        [names.q, q],
        [names.scale, scale],
      ];
      if (zeroPoint) tensors.push([names.zeroPoint, zeroPoint]);
      for (const [name, t] of tensors) {
        initializers.set(name, t);
        values.set(name, { name, dtype: t.dtype, shape: t.shape } satisfies Value);
      }
      quantized.set(m.weight, names);
    }
    const output = m.biasAdd ? m.biasAdd.outputs[0]! : m.matmul.outputs[0]!;
    replace.set(m.matmul, {
      opType: "DynamicQuantizeMatMul",
      domain: MS_DOMAIN,
      name: `${m.matmul.name}/int8`,
      inputs: [m.matmul.inputs[0]!, names.q, names.scale, names.zeroPoint, m.bias ?? ""],
      outputs: [output],
      attrs: {},
    });
    if (m.biasAdd) {
      replace.set(m.biasAdd, null);
      values.delete(m.matmul.outputs[0]!);
    }
  }
  const nodes: GraphNode[] = [];
  for (const n of g.nodes) {
    const r = replace.get(n);
    if (r === undefined) nodes.push(n);
    else if (r !== null) nodes.push(r);
  }
  // Empty trailing optional inputs are dropped, not left as "" (ORT accepts both; keep it tidy).
  const tidy = nodes.map((n) => (n.opType === "DynamicQuantizeMatMul" ? { ...n, inputs: withoutTrailingEmpty(n.inputs) } : n));
  const graph = dropUnused({ ...g, nodes: tidy, initializers, values });
  return { graph, modified: true };
}

function withoutTrailingEmpty(inputs: readonly string[]): string[] {
  let end = inputs.length;
  while (end > 0 && inputs[end - 1] === "") end--;
  return inputs.slice(0, end);
}

export const quantizeMatMulPass: GraphPass = (g) => quantizeMatMul(g);
