/**
 * Reverse-mode autodiff over a GraphBuilder's recorded nodes. The walker does the bookkeeping
 * (which nodes lie between the targets and the loss, fan-in sums, undoing broadcasting, arity);
 * the per-op rules in `grad-rules.ts` only say how one node passes its output gradient back.
 * Gradient nodes are appended to the same builder, so `b.build({ loss, ...grads })` is one
 * training graph.
 */
import { GradientError } from "../errors.js";
import type { GraphBuilder } from "./builder.js";
import { GRAD_RULES, type GradNode, reshapeTo, sameShape } from "./grad-rules.js";
import type { HostTensor } from "../host-tensor.js";
import { isDiffOp, isFloat, NON_DIFF_OPS } from "./ops.js";
import type { GraphNode, Value } from "./types.js";

export interface GradientOptions {
  /** Upstream gradient of the loss; default 1 (a constant of the loss's shape). */
  readonly seed?: Value;
  /**
   * What to return for a target the loss does not depend on: a zero tensor of its shape
   * ("zeros", the default, convenient for optimizers), nothing ("omit") or a GradientError ("error").
   */
  readonly unused?: "zeros" | "omit" | "error";
}

/**
 * d loss / d target for each target, keyed by the target's name. `loss` must hold one element
 * (shape [] or all dims 1). Targets are usually graph inputs or initializers (parameters).
 */
export function gradient(b: GraphBuilder, loss: Value, wrt: readonly Value[], opts: GradientOptions = {}): Map<string, Value> {
  if (!isFloat(loss.dtype)) throw new GradientError(`loss "${loss.name}" is ${loss.dtype}; it must be a float scalar`);
  if (!loss.shape.every((d) => d === 1)) {
    throw new GradientError(`loss "${loss.name}" has shape [${loss.shape}]; reduce it to a scalar (ReduceSum/ReduceMean) first`);
  }
  const { nodes, values, initializers } = b.snapshot();
  const needs = forwardReach(nodes, values, wrt);
  const grads = new Map<string, Value>();
  const accumulate = (target: Value, g: Value): void => {
    const fitted = unbroadcast(b, g, target);
    const prev = grads.get(target.name);
    grads.set(target.name, prev ? b.add(prev, fitted) : fitted);
  };
  accumulate(
    loss,
    opts.seed ??
      b.constF32(
        1,
        loss.shape.map(() => 1),
      ),
  );
  for (let i = nodes.length - 1; i >= 0; i--) {
    const raw = nodes[i]!;
    const dys = raw.outputs.map((o) => grads.get(o) ?? null);
    if (dys.every((d) => d === null) || !raw.inputs.some((n) => needs.has(n))) continue;
    const n = resolveNode(raw, values, initializers, dys);
    for (const [input, g] of backOne(b, n, needs)) accumulate(input, g);
  }
  return collect(b, wrt, grads, opts.unused ?? "zeros");
}

/** Float values that depend on a target: only nodes reading one of them need a gradient rule. */
function forwardReach(nodes: readonly GraphNode[], values: ReadonlyMap<string, Value>, wrt: readonly Value[]): Set<string> {
  const needs = new Set(wrt.map((v) => v.name));
  for (const n of nodes) {
    if (!n.inputs.some((i) => needs.has(i))) continue;
    for (const o of n.outputs) if (isFloat(values.get(o)!.dtype)) needs.add(o);
  }
  return needs;
}

function resolveNode(
  raw: GraphNode,
  values: ReadonlyMap<string, Value>,
  initializers: ReadonlyMap<string, HostTensor>,
  dys: readonly (Value | null)[],
): GradNode {
  return {
    op: raw.opType,
    name: raw.name,
    inputs: raw.inputs.map((n) => (n === "" ? null : values.get(n)!)),
    outputs: raw.outputs.map((n) => values.get(n)!),
    attrs: raw.attrs,
    consts: raw.inputs.map((n) => initializers.get(n)),
    dys,
  };
}

/** Runs one node's rule and returns (input, gradient) pairs for the inputs that need one. */
function backOne(b: GraphBuilder, n: GradNode, needs: ReadonlySet<string>): [Value, Value][] {
  if (NON_DIFF_OPS.has(n.op)) return [];
  if (n.dys[0] === null && n.op !== "SoftmaxCrossEntropyLoss") {
    throw new GradientError(`${n.op} node "${n.name}": gradient arrives only at a secondary output; the rule needs output 0 to be used`);
  }
  if (!isDiffOp(n.op)) throw new GradientError(`no gradient rule for ${n.op} (node "${n.name}"); add one to GRAD_RULES in src/graph/grad-rules.ts`);
  const thunks = GRAD_RULES[n.op](b, n.dys[0]!, n);
  if (thunks.length !== n.inputs.length) {
    throw new GradientError(`${n.op} rule returned ${thunks.length} gradients for ${n.inputs.length} inputs (node "${n.name}")`);
  }
  const out: [Value, Value][] = [];
  n.inputs.forEach((input, i) => {
    if (!input || !needs.has(input.name)) return;
    const thunk = thunks[i];
    if (!thunk) throw new GradientError(`${n.op} node "${n.name}": input ${i} ("${input.name}") is not differentiable but a target depends on it`);
    const g = thunk();
    if (g.dtype !== input.dtype) throw new GradientError(`${n.op} node "${n.name}": gradient of input ${i} is ${g.dtype}, input is ${input.dtype}`);
    out.push([input, g]);
  });
  return out;
}

function collect(b: GraphBuilder, wrt: readonly Value[], grads: ReadonlyMap<string, Value>, unused: "zeros" | "omit" | "error"): Map<string, Value> {
  const res = new Map<string, Value>();
  for (const v of wrt) {
    const g = grads.get(v.name);
    if (g) res.set(v.name, g);
    else if (unused === "error") throw new GradientError(`the loss does not depend on "${v.name}"; drop it from the targets or pass unused: "zeros"`);
    else if (unused === "zeros") res.set(v.name, b.constantOfShape(b.shapeOf(v), v.shape, 0));
  }
  return res;
}

/**
 * The one place broadcasting is undone: sums `g` over the axes along which `target` was
 * broadcast (leading extra axes, and axes where the target has extent 1), then reshapes to the
 * target's shape. Dims are compared by equality, so symbolic dims match only by name; when the
 * names differ but ranks agree, a runtime reshape to the target's shape relabels them.
 */
export function unbroadcast(b: GraphBuilder, g: Value, target: Value): Value {
  if (sameShape(g.shape, target.shape)) return g;
  const lead = g.shape.length - target.shape.length;
  if (lead < 0) throw new GradientError(`gradient of "${target.name}" has rank ${g.shape.length} < rank ${target.shape.length}`);
  const axes: number[] = [];
  g.shape.forEach((d, i) => {
    if (i < lead) axes.push(i);
    else if (target.shape[i - lead] === 1 && d !== 1) axes.push(i);
  });
  const summed = axes.length ? b.reduceSum(g, axes, true) : g;
  if (sameShape(summed.shape, target.shape)) return summed;
  return reshapeTo(b, summed, target);
}
