import { ShapeError } from "../errors.js";
import { type DType, type HostTensor, f32, i64 } from "../host-tensor.js";
import { ONNX_DTYPE } from "./onnx/dtypes.js";
import { broadcastShapes, matmulShape, normAxis, reshapeShape } from "./shape-infer.js";
import { type AttrValue, type Dim, type Graph, type GraphNode, MS_DOMAIN, type Shape, type Value } from "./types.js";

/**
 * Typed ONNX graph builder: ops take Values and return Values, shapes are inferred as nodes are
 * added (a failure is a ShapeError naming the op), names are generated and scoped so that
 * parameters carry their Hugging Face state-dict names. Only `onnx/serialize.ts` knows protobuf.
 */
export class GraphBuilder {
  private readonly nodes: GraphNode[] = [];
  private readonly values = new Map<string, Value>();
  private readonly inputs: Value[] = [];
  private readonly initializers = new Map<string, HostTensor>();
  private readonly constCache = new Map<string, Value>();
  private readonly scopes: string[] = [];
  private counter = 0;

  constructor(readonly name = "graph") {}

  // ---- naming and scopes -------------------------------------------------------------------

  /** Runs `fn` with `prefix` pushed: params get `prefix.name`, nodes `prefix/Op_n`. */
  scope<T>(prefix: string, fn: () => T): T {
    this.scopes.push(prefix);
    try {
      return fn();
    } finally {
      this.scopes.pop();
    }
  }

  private scoped(name: string, sep: string): string {
    return this.scopes.length ? `${this.scopes.join(".")}${sep}${name}` : name;
  }

  private fresh(op: string): string {
    return this.scoped(`${op}_${this.counter++}`, "/");
  }

  private register(v: Value): Value {
    if (this.values.has(v.name)) throw new ShapeError(`duplicate value name "${v.name}"`);
    this.values.set(v.name, v);
    return v;
  }

  // ---- leaves ------------------------------------------------------------------------------

  input(name: string, dtype: DType, shape: Shape): Value {
    const v = this.register({ name, dtype, shape });
    this.inputs.push(v);
    return v;
  }

  /** A constant tensor stored as an initializer under an explicit name (weights). */
  initializer(name: string, t: HostTensor): Value {
    const v = this.register({ name, dtype: t.dtype, shape: t.shape });
    this.initializers.set(name, t);
    return v;
  }

  /** Scoped parameter name, e.g. inside scope("bert.encoder.layer.0") -> "bert.encoder.layer.0.attention...". */
  paramName(name: string): string {
    return this.scoped(name, ".");
  }

  /** Small constants, cached by value so the same scalar is stored once. */
  constF32(values: number | readonly number[], shape?: readonly number[]): Value {
    const arr = typeof values === "number" ? [values] : values;
    const shp = shape ?? (typeof values === "number" ? [] : [arr.length]);
    return this.cachedConst(`f32:${shp}:${arr.join(",")}`, () => f32(shp, arr));
  }

  constI64(values: number | readonly number[], shape?: readonly number[]): Value {
    const arr = typeof values === "number" ? [values] : values;
    const shp = shape ?? (typeof values === "number" ? [] : [arr.length]);
    return this.cachedConst(`i64:${shp}:${arr.join(",")}`, () => i64(shp, arr));
  }

  /** A larger constant (filters, index tables); not cached. */
  constTensor(t: HostTensor, hint = "const"): Value {
    return this.initializer(this.fresh(hint), t);
  }

  private cachedConst(key: string, make: () => HostTensor): Value {
    const hit = this.constCache.get(key);
    if (hit) return hit;
    const v = this.initializer(`const_${this.constCache.size}`, make());
    this.constCache.set(key, v);
    return v;
  }

  // ---- generic node ------------------------------------------------------------------------

  /** Appends a node whose output types the caller computed; the typed methods below all use it. */
  node(
    opType: string,
    inputs: readonly (Value | null)[],
    outs: readonly { dtype: DType; shape: Shape; name?: string }[],
    attrs: Record<string, AttrValue> = {},
    domain = "",
  ): Value[] {
    const name = this.fresh(opType);
    const outputs = outs.map((o, i) => this.register({ name: o.name ?? `${name}:${i}`, dtype: o.dtype, shape: o.shape }));
    this.nodes.push({
      opType,
      domain,
      name,
      inputs: inputs.map((v) => (v ? v.name : "")),
      outputs: outputs.map((o) => o.name),
      attrs,
    });
    return outputs;
  }

  private one(opType: string, inputs: readonly (Value | null)[], dtype: DType, shape: Shape, attrs: Record<string, AttrValue> = {}, domain = ""): Value {
    return this.node(opType, inputs, [{ dtype, shape }], attrs, domain)[0]!;
  }

  // ---- elementwise -------------------------------------------------------------------------

  private binary(op: string, a: Value, b: Value): Value {
    return this.one(op, [a, b], a.dtype, broadcastShapes(op, a.shape, b.shape));
  }
  add(a: Value, b: Value): Value {
    return this.binary("Add", a, b);
  }
  sub(a: Value, b: Value): Value {
    return this.binary("Sub", a, b);
  }
  mul(a: Value, b: Value): Value {
    return this.binary("Mul", a, b);
  }
  div(a: Value, b: Value): Value {
    return this.binary("Div", a, b);
  }
  pow(a: Value, b: Value): Value {
    return this.binary("Pow", a, b);
  }
  max(a: Value, b: Value): Value {
    return this.binary("Max", a, b);
  }
  min(a: Value, b: Value): Value {
    return this.binary("Min", a, b);
  }
  equal(a: Value, b: Value): Value {
    return this.one("Equal", [a, b], "bool", broadcastShapes("Equal", a.shape, b.shape));
  }
  less(a: Value, b: Value): Value {
    return this.one("Less", [a, b], "bool", broadcastShapes("Less", a.shape, b.shape));
  }
  where(cond: Value, a: Value, b: Value): Value {
    return this.one("Where", [cond, a, b], a.dtype, broadcastShapes("Where", cond.shape, broadcastShapes("Where", a.shape, b.shape)));
  }

  private unary(op: string, x: Value): Value {
    return this.one(op, [x], x.dtype, x.shape);
  }
  erf(x: Value): Value {
    return this.unary("Erf", x);
  }
  sqrt(x: Value): Value {
    return this.unary("Sqrt", x);
  }
  exp(x: Value): Value {
    return this.unary("Exp", x);
  }
  log(x: Value): Value {
    return this.unary("Log", x);
  }
  neg(x: Value): Value {
    return this.unary("Neg", x);
  }
  reciprocal(x: Value): Value {
    return this.unary("Reciprocal", x);
  }
  identity(x: Value): Value {
    return this.unary("Identity", x);
  }
  not(x: Value): Value {
    return this.unary("Not", x);
  }
  abs(x: Value): Value {
    return this.unary("Abs", x);
  }

  cast(x: Value, to: DType): Value {
    return this.one("Cast", [x], to, x.shape, { to: ONNX_DTYPE[to] });
  }

  /** Exact (erf) GELU as Hugging Face computes `gelu`: 0.5 x (1 + erf(x / sqrt 2)). */
  gelu(x: Value): Value {
    const inner = this.erf(this.mul(x, this.constF32(Math.SQRT1_2)));
    return this.mul(this.mul(x, this.constF32(0.5)), this.add(inner, this.constF32(1)));
  }

  // ---- linear algebra ----------------------------------------------------------------------

  matmul(a: Value, b: Value): Value {
    return this.one("MatMul", [a, b], a.dtype, matmulShape(a.shape, b.shape));
  }

  /** Gemm on 2-D operands: alpha * op(A) @ op(B) (+ C). */
  gemm(a: Value, b: Value, c: Value | null, o: { transA?: boolean; transB?: boolean; alpha?: number } = {}): Value {
    if (a.shape.length !== 2 || b.shape.length !== 2) throw new ShapeError(`Gemm needs 2-D operands, got [${a.shape}] and [${b.shape}]`);
    const [m, k1] = o.transA ? [a.shape[1]!, a.shape[0]!] : [a.shape[0]!, a.shape[1]!];
    const [k2, n] = o.transB ? [b.shape[1]!, b.shape[0]!] : [b.shape[0]!, b.shape[1]!];
    if (k1 !== k2) throw new ShapeError(`Gemm: inner dims differ (${k1} vs ${k2})`);
    const attrs: Record<string, AttrValue> = {};
    if (o.transA) attrs.transA = 1;
    if (o.transB) attrs.transB = 1;
    if (o.alpha !== undefined) attrs.alpha = { float: o.alpha };
    return this.one("Gemm", c ? [a, b, c] : [a, b], a.dtype, [m, n], attrs);
  }

  // ---- shape ops ---------------------------------------------------------------------------

  transpose(x: Value, perm: readonly number[]): Value {
    if (perm.length !== x.shape.length) throw new ShapeError(`Transpose: perm [${perm}] for rank ${x.shape.length}`);
    return this.one(
      "Transpose",
      [x],
      x.dtype,
      perm.map((p) => x.shape[p]!),
      { perm },
    );
  }

  reshape(x: Value, target: readonly number[]): Value {
    return this.one("Reshape", [x, this.constI64(target)], x.dtype, reshapeShape(x.shape, target));
  }

  /** Reshape to the runtime shape of `like` (for gradients whose target has symbolic dims). */
  reshapeLike(x: Value, like: Value): Value {
    return this.one("Reshape", [x, this.shapeOf(like)], x.dtype, like.shape);
  }

  shapeOf(x: Value): Value {
    return this.one("Shape", [x], "int64", [x.shape.length]);
  }

  unsqueeze(x: Value, axes: readonly number[]): Value {
    const rank = x.shape.length + axes.length;
    const norm = axes.map((a) => normAxis(a, rank, "Unsqueeze")).sort((a, b) => a - b);
    const out: Dim[] = [...x.shape];
    for (const a of norm) out.splice(a, 0, 1);
    return this.one("Unsqueeze", [x, this.constI64(axes)], x.dtype, out);
  }

  squeeze(x: Value, axes: readonly number[]): Value {
    const norm = new Set(axes.map((a) => normAxis(a, x.shape.length, "Squeeze")));
    return this.one(
      "Squeeze",
      [x, this.constI64(axes)],
      x.dtype,
      x.shape.filter((_, i) => !norm.has(i)),
    );
  }

  concat(xs: readonly Value[], axis: number): Value {
    const first = xs[0];
    if (!first) throw new ShapeError("Concat of nothing");
    const ax = normAxis(axis, first.shape.length, "Concat");
    const dims = xs.map((x) => x.shape[ax]!);
    const sum = dims.every((d) => typeof d === "number") ? (dims as number[]).reduce((a, b) => a + b, 0) : dims.join("+");
    const shape = first.shape.map((d, i) => (i === ax ? sum : d));
    return this.one("Concat", xs, first.dtype, shape, { axis });
  }

  /** Gather along `axis`: data[..., indices, ...]. */
  gather(data: Value, indices: Value, axis = 0): Value {
    const ax = normAxis(axis, data.shape.length, "Gather");
    const shape = [...data.shape.slice(0, ax), ...indices.shape, ...data.shape.slice(ax + 1)];
    return this.one("Gather", [data, indices], data.dtype, shape, { axis });
  }

  /** ScatterND with reduction "add" (the gradient of Gather) or none. */
  scatterND(data: Value, indices: Value, updates: Value, reduction: "add" | "none" = "none"): Value {
    return this.one("ScatterND", [data, indices, updates], data.dtype, data.shape, reduction === "none" ? {} : { reduction });
  }

  /**
   * Slice along one axis, [start, end) with numpy meaning of negative ends; `length` is the resulting
   * dim (a name when symbolic).
   */
  slice(x: Value, axis: number, start: number, end: number, length: Dim): Value {
    const ax = normAxis(axis, x.shape.length, "Slice");
    const shape = x.shape.map((d, i) => (i === ax ? length : d));
    return this.one("Slice", [x, this.constI64([start]), this.constI64([end]), this.constI64([ax])], x.dtype, shape);
  }

  /** Constant zero padding: `before[i]` / `after[i]` entries on axis i; `shape` is the padded shape. */
  pad(x: Value, before: readonly number[], after: readonly number[], shape: Shape): Value {
    if (before.length !== x.shape.length || after.length !== x.shape.length)
      throw new ShapeError(`Pad: pads for rank ${x.shape.length}, got ${before.length}+${after.length}`);
    return this.one("Pad", [x, this.constI64([...before, ...after])], x.dtype, shape, { mode: "constant" });
  }

  /** [0, 1, ..., n-1] for a scalar int64 `n`. */
  range(n: Value, length: Dim): Value {
    return this.one("Range", [this.constI64(0), n, this.constI64(1)], "int64", [length]);
  }

  /** Runtime size of axis `axis` of x as an int64 scalar. */
  dimOf(x: Value, axis: number): Value {
    return this.gather(this.shapeOf(x), this.constI64(axis), 0);
  }

  constantOfShape(shapeTensor: Value, shape: Shape, value = 0): Value {
    return this.one("ConstantOfShape", [shapeTensor], "float32", shape, { value: f32([1], [value]) });
  }

  expand(x: Value, shapeTensor: Value, shape: Shape): Value {
    return this.one("Expand", [x, shapeTensor], x.dtype, shape);
  }

  // ---- reductions and normalisation --------------------------------------------------------

  reduceSum(x: Value, axes: readonly number[], keepdims: boolean): Value {
    const norm = new Set(axes.map((a) => normAxis(a, x.shape.length, "ReduceSum")));
    const shape = keepdims ? x.shape.map((d, i) => (norm.has(i) ? 1 : d)) : x.shape.filter((_, i) => !norm.has(i));
    return this.one("ReduceSum", [x, this.constI64(axes)], x.dtype, shape, { keepdims: keepdims ? 1 : 0 });
  }

  reduceMax(x: Value, axes: readonly number[], keepdims: boolean): Value {
    const norm = new Set(axes.map((a) => normAxis(a, x.shape.length, "ReduceMax")));
    const shape = keepdims ? x.shape.map((d, i) => (norm.has(i) ? 1 : d)) : x.shape.filter((_, i) => !norm.has(i));
    // ReduceMax takes its axes as an attribute until opset 18.
    return this.one("ReduceMax", [x], x.dtype, shape, { axes, keepdims: keepdims ? 1 : 0 });
  }

  softmax(x: Value, axis = -1): Value {
    normAxis(axis, x.shape.length, "Softmax");
    return this.one("Softmax", [x], x.dtype, x.shape, { axis });
  }

  /** LayerNormalization over the last axis; also returns Mean and InvStdDev (kept for the gradient). */
  layerNorm(x: Value, gamma: Value, beta: Value, eps: number): { y: Value; mean: Value; invStd: Value } {
    const stat = [...x.shape.slice(0, -1), 1];
    const [y, mean, invStd] = this.node(
      "LayerNormalization",
      [x, gamma, beta],
      [
        { dtype: x.dtype, shape: x.shape },
        { dtype: "float32", shape: stat },
        { dtype: "float32", shape: stat },
      ],
      { axis: -1, epsilon: { float: eps } },
    );
    return { y: y!, mean: mean!, invStd: invStd! };
  }

  /** Dropout in training mode with its mask output (ratio as a float scalar Value; seed fixed for reproducibility). */
  dropout(x: Value, ratio: Value, seed?: number): { y: Value; mask: Value } {
    const [y, mask] = this.node(
      "Dropout",
      [x, ratio, this.constBool(true)],
      [
        { dtype: x.dtype, shape: x.shape },
        { dtype: "bool", shape: x.shape },
      ],
      seed === undefined ? {} : { seed },
    );
    return { y: y!, mask: mask! };
  }

  constBool(value: boolean): Value {
    return this.cachedConst(`bool:${value}`, () => ({ dtype: "bool", shape: [], data: Uint8Array.of(value ? 1 : 0) }));
  }

  /** Mean cross-entropy over labels != ignoreIndex; returns the scalar loss and the log-probabilities. */
  softmaxCrossEntropy(scores: Value, labels: Value, ignoreIndex = -100): { loss: Value; logProb: Value } {
    const [loss, logProb] = this.node(
      "SoftmaxCrossEntropyLoss",
      [scores, labels],
      [
        { dtype: "float32", shape: [] },
        { dtype: "float32", shape: scores.shape },
      ],
      { reduction: "mean", ignore_index: ignoreIndex },
    );
    return { loss: loss!, logProb: logProb! };
  }

  /** com.microsoft DynamicQuantizeMatMul: int8 weights with per-column scales, activations quantised at run time. */
  dynamicQuantizeMatMul(a: Value, bQ: Value, bScale: Value, bZero: Value | null, bias: Value | null): Value {
    const n = bQ.shape[bQ.shape.length - 1]!;
    return this.one("DynamicQuantizeMatMul", [a, bQ, bScale, bZero, bias], "float32", [...a.shape.slice(0, -1), n], {}, MS_DOMAIN);
  }

  /** OneHot along `axis` (0/1 float32 values) for int64 indices; out-of-range indices give all zeros. */
  oneHot(indices: Value, depth: number, axis = -1): Value {
    const rank = indices.shape.length + 1;
    const ax = normAxis(axis, rank, "OneHot");
    const shape: Dim[] = [...indices.shape];
    shape.splice(ax, 0, depth);
    return this.one("OneHot", [indices, this.constI64(depth), this.constF32([0, 1])], "float32", shape, { axis });
  }

  // ---- finishing ---------------------------------------------------------------------------

  /** Read-only view of what has been recorded so far (the gradient walker reads nodes and constants). */
  snapshot(): { nodes: readonly GraphNode[]; values: ReadonlyMap<string, Value>; initializers: ReadonlyMap<string, HostTensor> } {
    return { nodes: [...this.nodes], values: this.values, initializers: this.initializers };
  }

  valueOf(name: string): Value {
    const v = this.values.get(name);
    if (!v) throw new ShapeError(`no value named "${name}"`);
    return v;
  }

  build(outputs: Readonly<Record<string, Value>>): Graph {
    const outs: Value[] = [];
    for (const [name, v] of Object.entries(outputs)) {
      // Graph outputs get the caller's names through an Identity, so internal names stay free to change.
      const [o] = this.node("Identity", [v], [{ dtype: v.dtype, shape: v.shape, name }]);
      outs.push(o!);
    }
    return {
      name: this.name,
      inputs: [...this.inputs],
      outputs: outs,
      initializers: new Map(this.initializers),
      nodes: [...this.nodes],
      values: new Map(this.values),
    };
  }
}
