/**
 * One gradient rule per differentiable ONNX op, in one typed record: a missing op is a compile
 * error. A rule gets the upstream gradient `dy` of output 0 (other outputs' gradients are in
 * `n.dys`) and returns, per input, a thunk building that input's gradient or `null` where the
 * input is not differentiable (indices, shapes, conditions). Thunks let the walker build only the
 * gradients a target needs. Rules return gradients in the broadcast (output-side) shape; the
 * walker reduces them to each input's shape. Only standard opset-17 ops are emitted.
 */
import { GradientError } from "../errors.js";
import type { GraphBuilder } from "./builder.js";
import type { HostTensor } from "../host-tensor.js";
import type { DiffOp } from "./ops.js";
import { normAxis } from "./shape-infer.js";
import type { AttrValue, Shape, Value } from "./types.js";

/** A recorded node with its inputs resolved to Values (null for an omitted optional input). */
export interface GradNode {
  readonly op: string;
  readonly name: string;
  readonly inputs: readonly (Value | null)[];
  readonly outputs: readonly Value[];
  readonly attrs: Readonly<Record<string, AttrValue>>;
  /** Initializer data of each input, where the input is a constant (axes, exponents). */
  readonly consts: readonly (HostTensor | undefined)[];
  /** Upstream gradient of each output, null where the loss does not depend on it. */
  readonly dys: readonly (Value | null)[];
}

export type GradThunk = () => Value;
export type GradRule = (b: GraphBuilder, dy: Value, n: GradNode) => readonly (GradThunk | null)[];

// ---- helpers --------------------------------------------------------------------------------

function input(n: GradNode, i: number): Value {
  const v = n.inputs[i];
  if (!v) throw new GradientError(`${n.op} node "${n.name}": input ${i} is missing`);
  return v;
}

function intAttr(n: GradNode, key: string, def: number): number {
  const v = n.attrs[key];
  return typeof v === "number" ? v : def;
}

function floatAttr(n: GradNode, key: string, def: number): number {
  const v = n.attrs[key];
  if (typeof v === "number") return v;
  if (typeof v === "object" && v !== null && "float" in v) return v.float;
  return def;
}

/** Memoises a thunk, so two input gradients can share an intermediate (LayerNorm's x-hat). */
function lazy(f: () => Value): () => Value {
  let v: Value | undefined;
  return () => (v ??= f());
}

/** Swaps the last two axes: [..., m, k] -> [..., k, m]. */
function swapLast(b: GraphBuilder, x: Value): Value {
  const r = x.shape.length;
  const perm = [...Array(r).keys()];
  perm[r - 2] = r - 1;
  perm[r - 1] = r - 2;
  return b.transpose(x, perm);
}

function constInts(n: GradNode, i: number): number[] | undefined {
  const t = n.consts[i];
  return t ? Array.from(t.data as ArrayLike<number | bigint>, Number) : undefined;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Reshape to `like`'s shape: a constant target when it is static, its runtime shape otherwise. */
export function reshapeTo(b: GraphBuilder, x: Value, like: Value): Value {
  if (sameShape(x.shape, like.shape)) return x;
  const dims = like.shape;
  if (dims.every((d): d is number => typeof d === "number")) return b.reshape(x, dims);
  return b.reshapeLike(x, like);
}

const same: GradRule = (_b, dy) => [() => dy];
const reshapeBack: GradRule = (b, dy, n) => [() => reshapeTo(b, dy, input(n, 0)), null];

// ---- elementwise ----------------------------------------------------------------------------

/** d(x^p)/dx = p x^(p-1); the exponent must be a constant (BERT uses x^2 and x^0.5). */
const pow: GradRule = (b, dy, n) => {
  const [x, p] = [input(n, 0), input(n, 1)];
  return [
    () => b.mul(dy, b.mul(p, b.pow(x, b.sub(p, b.constF32(1))))),
    () => {
      throw new GradientError(`Pow node "${n.name}": gradient with respect to the exponent is not supported; make it a constant`);
    },
  ];
};

/** d erf(x)/dx = 2/sqrt(pi) exp(-x^2). */
const erf: GradRule = (b, dy, n) => {
  const x = input(n, 0);
  return [() => b.mul(dy, b.mul(b.constF32(2 / Math.sqrt(Math.PI)), b.exp(b.neg(b.mul(x, x)))))];
};

const div: GradRule = (b, dy, n) => {
  const da = lazy(() => b.div(dy, input(n, 1)));
  return [da, () => b.neg(b.mul(da(), n.outputs[0]!))]; // d(a/b)/db = -(a/b)/b
};

const cast: GradRule = (b, dy, n) => {
  const x = input(n, 0);
  return [() => (x.dtype === dy.dtype ? dy : b.cast(dy, x.dtype))];
};

const where: GradRule = (b, dy, n) => {
  const cond = input(n, 0);
  const zero = b.constF32(0);
  return [null, () => b.where(cond, dy, zero), () => b.where(cond, zero, dy)];
};

// ---- linear algebra -------------------------------------------------------------------------

/**
 * Y[..., m, n] = A[..., m, k] B[..., k, n]. A 2-D weight B under batched activations gets one
 * Gemm over the flattened batch ([b*t, k]^T [b*t, n]) instead of a batched product and a reduce.
 */
const matmul: GradRule = (b, dy, n) => {
  const [A, B] = [input(n, 0), input(n, 1)];
  if (A.shape.length < 2 || B.shape.length < 2) throw new GradientError(`MatMul node "${n.name}": 1-D operands are not supported`);
  if (B.shape.length !== 2) return [() => b.matmul(dy, swapLast(b, B)), () => b.matmul(swapLast(b, A), dy)];
  const [K, N] = B.shape;
  const dB = (): Value => {
    if (A.shape.length === 2) return b.gemm(A, dy, null, { transA: true });
    if (typeof K === "number" && typeof N === "number") return b.gemm(b.reshape(A, [-1, K]), b.reshape(dy, [-1, N]), null, { transA: true });
    return b.matmul(swapLast(b, A), dy); // the walker sums the batch axes
  };
  const dA = (): Value => (A.shape.length === 2 ? b.gemm(dy, B, null, { transB: true }) : b.matmul(dy, b.transpose(B, [1, 0])));
  return [dA, dB];
};

/** Y = alpha op(A) op(B) + beta C, op = transpose when transA/transB. */
const gemm: GradRule = (b, dy, n) => {
  const [A, B] = [input(n, 0), input(n, 1)];
  const tA = intAttr(n, "transA", 0) === 1;
  const tB = intAttr(n, "transB", 0) === 1;
  const alpha = floatAttr(n, "alpha", 1);
  const beta = floatAttr(n, "beta", 1);
  const o = (transA: boolean, transB: boolean) => ({ transA, transB, ...(alpha !== 1 ? { alpha } : {}) });
  // dop(A) = alpha dy op(B)^T; dop(B) = alpha op(A)^T dy; transposed back where the input was.
  const dA = () => (tA ? b.gemm(B, dy, null, o(tB, true)) : b.gemm(dy, B, null, o(false, !tB)));
  const dB = () => (tB ? b.gemm(dy, A, null, o(true, tA)) : b.gemm(A, dy, null, o(!tA, false)));
  const dC = () => (beta === 1 ? dy : b.mul(dy, b.constF32(beta)));
  return n.inputs.length > 2 ? [dA, dB, dC] : [dA, dB];
};

// ---- movement -------------------------------------------------------------------------------

const transpose: GradRule = (b, dy, n) => {
  const perm = n.attrs.perm as readonly number[] | undefined;
  const rank = dy.shape.length;
  const p = perm ?? [...Array(rank).keys()].reverse();
  const inv = new Array<number>(rank);
  p.forEach((axis, i) => (inv[axis] = i));
  return [() => b.transpose(dy, inv)];
};

/** Embedding lookup data[indices] (axis 0): scatter-add dy rows into zeros of the table's shape. */
const gather: GradRule = (b, dy, n) => {
  const [data, idx] = [input(n, 0), input(n, 1)];
  if (intAttr(n, "axis", 0) !== 0) throw new GradientError(`Gather node "${n.name}": only axis 0 has a gradient rule`);
  return [
    () => {
      const zeros = b.constantOfShape(b.shapeOf(data), data.shape, 0);
      const ids = idx.dtype === "int64" ? idx : b.cast(idx, "int64");
      // [..., 1] index tuples; ScatterND "add" accumulates repeated ids (the same token twice in a
      // batch) and, like Gather, reads negative ids from the end (both checked in the tests).
      return b.scatterND(zeros, b.unsqueeze(ids, [-1]), dy, "add");
    },
    null,
  ];
};

/** Splits dy back into the concatenated pieces (one Split node shared by all inputs). */
const concat: GradRule = (b, dy, n) => {
  const axis = normAxis(intAttr(n, "axis", 0), dy.shape.length, "Concat");
  const xs = n.inputs.map((_, i) => input(n, i));
  let split: Value[] | undefined;
  const pieces = (): Value[] => {
    const dims = xs.map((x) => x.shape[axis]!);
    const sizes = dims.every((d): d is number => typeof d === "number")
      ? b.constI64(dims)
      : b.concat(
          xs.map((x) => b.unsqueeze(b.dimOf(x, axis), [0])),
          0,
        );
    return b.node(
      "Split",
      [dy, sizes],
      xs.map((x) => ({ dtype: dy.dtype, shape: x.shape })),
      { axis },
    );
  };
  return xs.map((_, i) => () => {
    split ??= pieces();
    return split[i]!;
  });
};

// ---- reductions and fused ops ---------------------------------------------------------------

/** Broadcasts dy back over the reduced axes (re-inserting them first when keepdims = 0). */
const reduceSum: GradRule = (b, dy, n) => {
  const x = input(n, 0);
  const rank = x.shape.length;
  if (n.inputs[1] && !n.consts[1]) throw new GradientError(`ReduceSum node "${n.name}": axes must be a constant`);
  const given = constInts(n, 1) ?? [];
  if (given.length === 0 && intAttr(n, "noop_with_empty_axes", 0) === 1) return [() => dy, null];
  const axes = (given.length ? given : [...Array(rank).keys()]).map((a) => normAxis(a, rank, "ReduceSum")).sort((p, q) => p - q);
  const kept = intAttr(n, "keepdims", 1) === 1 ? dy : b.unsqueeze(dy, axes);
  return [() => b.expand(kept, b.shapeOf(x), x.shape), null];
};

/** dx = y (dy - sum(dy y)) along the softmax axis. */
const softmax: GradRule = (b, dy, n) => {
  const y = n.outputs[0]!;
  const axis = intAttr(n, "axis", -1);
  return [() => b.mul(y, b.sub(dy, b.reduceSum(b.mul(dy, y), [axis], true)))];
};

/**
 * LayerNormalization over axes [axis, rank): reuses the forward Mean and InvStdDev outputs.
 * x^ = (x - mean) invStd; dx = invStd (g - mean(g) - x^ mean(g x^)) with g = dy gamma.
 */
const layerNorm: GradRule = (b, dy, n) => {
  const [x, gamma] = [input(n, 0), input(n, 1)];
  const [, mean, invStd] = n.outputs;
  if (!mean || !invStd) throw new GradientError(`LayerNormalization node "${n.name}": the gradient needs its Mean and InvStdDev outputs`);
  if (n.dys[1] || n.dys[2]) throw new GradientError(`LayerNormalization node "${n.name}": Mean/InvStdDev outputs feed the loss; not supported`);
  const rank = x.shape.length;
  const first = normAxis(intAttr(n, "axis", -1), rank, "LayerNormalization");
  const axes = [...Array(rank - first).keys()].map((i) => i + first);
  const dims = axes.map((a) => x.shape[a]!);
  if (!dims.every((d): d is number => typeof d === "number")) throw new GradientError(`LayerNormalization node "${n.name}": normalised dims must be static`);
  const invCount = b.constF32(1 / dims.reduce((p, q) => p * q, 1));
  const meanOf = (v: Value): Value => b.mul(b.reduceSum(v, axes, true), invCount);
  const xhat = lazy(() => b.mul(b.sub(x, mean), invStd));
  const dx = () => {
    const g = b.mul(dy, gamma);
    return b.mul(invStd, b.sub(b.sub(g, meanOf(g)), b.mul(xhat(), meanOf(b.mul(g, xhat())))));
  };
  return [dx, () => b.mul(dy, xhat()), n.inputs[2] ? () => dy : null];
};

/**
 * Dropout(data, ratio = 0.5, training_mode = false) -> (output, mask). In training mode
 * dx = dy mask / (1 - ratio); in inference mode the op is the identity.
 */
const dropout: GradRule = (b, dy, n) => {
  const training = n.inputs[2];
  if (!training) return [() => dy, null, null].slice(0, n.inputs.length);
  const mask = n.outputs[1];
  if (!mask) throw new GradientError(`Dropout node "${n.name}": training mode needs the mask output for its gradient`);
  const ratio = n.inputs[1] ?? b.constF32(0.5);
  const dx = () => {
    const kept = b.div(b.mul(dy, b.cast(mask, dy.dtype)), b.sub(b.constF32(1), ratio));
    return b.where(training, kept, dy);
  };
  return [dx, null, null];
};

/**
 * SoftmaxCrossEntropyLoss(scores [N, C, d...], labels [N, d...]) with ignore_index:
 * dscores = (softmax - onehot(label)) valid / count for "mean" (count = non-ignored labels, at
 * least 1 so an all-ignored batch gets a zero gradient), valid for "sum", valid dy for "none".
 * A gradient on the log_prob output adds dlp - softmax sum_C(dlp).
 */
const crossEntropy: GradRule = (b, _dy, n) => {
  const [scores, labels] = [input(n, 0), input(n, 1)];
  if (n.inputs[2]) throw new GradientError(`SoftmaxCrossEntropyLoss node "${n.name}": class weights are not supported`);
  const C = scores.shape[1];
  if (typeof C !== "number") throw new GradientError(`SoftmaxCrossEntropyLoss node "${n.name}": class count must be static`);
  const logProb = n.outputs[1];
  const dscores = () => {
    const probs = logProb ? b.exp(logProb) : b.softmax(scores, 1);
    const dLogProb = n.dys[1];
    let d: Value | null = null;
    if (n.dys[0]) d = b.mul(b.sub(probs, b.oneHot(labels, C, 1)), b.unsqueeze(ceCoef(b, n, labels, n.dys[0]), [1]));
    if (dLogProb) {
      const viaLp = b.sub(dLogProb, b.mul(probs, b.reduceSum(dLogProb, [1], true)));
      d = d ? b.add(d, viaLp) : viaLp;
    }
    return d ?? b.mul(probs, b.constF32(0));
  };
  return [dscores, null];
};

/** Per-label factor [N, d...]: valid * dy (/ count for mean reduction). */
function ceCoef(b: GraphBuilder, n: GradNode, labels: Value, dy: Value): Value {
  const ignore = n.attrs.ignore_index;
  const valid =
    typeof ignore === "number" ? b.cast(b.not(b.equal(labels, b.constI64(ignore))), "float32") : b.constantOfShape(b.shapeOf(labels), labels.shape, 1);
  const reduction = typeof n.attrs.reduction === "string" ? n.attrs.reduction : "mean";
  const weighted = b.mul(valid, dy);
  if (reduction !== "mean") return weighted;
  const count = b.max(b.reduceSum(valid, [...labels.shape.keys()], false), b.constF32(1));
  return b.div(weighted, count);
}

export const GRAD_RULES: { readonly [K in DiffOp]: GradRule } = {
  Add: (_b, dy) => [() => dy, () => dy],
  Sub: (b, dy) => [() => dy, () => b.neg(dy)],
  Mul: (b, dy, n) => [() => b.mul(dy, input(n, 1)), () => b.mul(dy, input(n, 0))],
  Div: div,
  Pow: pow,
  Neg: (b, dy) => [() => b.neg(dy)],
  Exp: (b, dy, n) => [() => b.mul(dy, n.outputs[0]!)],
  Log: (b, dy, n) => [() => b.div(dy, input(n, 0))],
  Sqrt: (b, dy, n) => [() => b.div(b.mul(dy, b.constF32(0.5)), n.outputs[0]!)],
  Erf: erf,
  Reciprocal: (b, dy, n) => [() => b.neg(b.mul(dy, b.mul(n.outputs[0]!, n.outputs[0]!)))],
  Identity: same,
  Cast: cast,
  Transpose: transpose,
  Reshape: reshapeBack,
  Unsqueeze: reshapeBack,
  Squeeze: reshapeBack,
  Concat: concat,
  Gather: gather,
  ReduceSum: reduceSum,
  MatMul: matmul,
  Gemm: gemm,
  Softmax: softmax,
  LayerNormalization: layerNorm,
  Dropout: dropout,
  SoftmaxCrossEntropyLoss: crossEntropy,
  Where: where,
};
