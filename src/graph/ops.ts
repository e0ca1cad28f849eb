/**
 * The small set of ONNX ops the project emits, in named groups, so that the gradient walker and
 * its rules ask "is this a movement op?" instead of repeating lists of op types.
 */
import type { DType } from "../host-tensor.js";

/** Elementwise with numpy broadcasting: the walker reduces their input gradients to the input shapes. */
export const BINARY_OPS = ["Add", "Sub", "Mul", "Div", "Pow"] as const;
export const UNARY_OPS = ["Neg", "Exp", "Log", "Sqrt", "Erf", "Reciprocal", "Identity", "Cast"] as const;
/** Ops that only move or re-view data; their gradients move it back. */
export const MOVEMENT_OPS = ["Transpose", "Reshape", "Unsqueeze", "Squeeze", "Concat", "Gather"] as const;
export const REDUCE_OPS = ["ReduceSum"] as const;
export const LINALG_OPS = ["MatMul", "Gemm"] as const;
/** Fused forward ops whose outputs the gradient rules reuse (Mean/InvStdDev, log_prob, the dropout mask). */
export const FUSED_OPS = ["Softmax", "LayerNormalization", "Dropout", "SoftmaxCrossEntropyLoss", "Where"] as const;

/** Every op with a gradient rule; `GRAD_RULES` is keyed by exactly this union. */
export const DIFF_OPS = [...BINARY_OPS, ...UNARY_OPS, ...MOVEMENT_OPS, ...REDUCE_OPS, ...LINALG_OPS, ...FUSED_OPS] as const;
export type DiffOp = (typeof DIFF_OPS)[number];

/**
 * Ops whose outputs carry no gradient (shapes, indices, masks, comparisons, constants). A node of
 * this group on a path from a parameter is skipped rather than reported as missing a rule.
 */
export const NON_DIFF_OPS: ReadonlySet<string> = new Set(["Shape", "Range", "ConstantOfShape", "Equal", "Less", "Greater", "Not", "And", "Or", "OneHot"]);

const DIFF_SET: ReadonlySet<string> = new Set(DIFF_OPS);
export function isDiffOp(op: string): op is DiffOp {
  return DIFF_SET.has(op);
}

/** Only floating-point values carry gradients. */
export function isFloat(dtype: DType): boolean {
  return dtype === "float32" || dtype === "float16";
}
