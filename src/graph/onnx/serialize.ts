import protobuf from "protobufjs";
import { ONNX_DTYPE } from "./dtypes.js";
import type { HostTensor } from "../../host-tensor.js";
import type { AttrValue, Graph, Value } from "../types.js";
import { MS_DOMAIN } from "../types.js";
import { ONNX_PROTO } from "./onnx-schema.js";

/** Opset 17 gives LayerNormalization; IR version 8 is the one that goes with it. */
export const OPSET = 17;
const IR_VERSION = 8;

let root: protobuf.Root | undefined;
function modelType(): protobuf.Type {
  root ??= protobuf.parse(ONNX_PROTO, { keepCase: true }).root;
  return root.lookupType("onnx.ModelProto");
}

// TextEncoder rather than Buffer: this module also runs in the browser.
const utf8 = new TextEncoder();

const ATTR = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

function isTensor(v: AttrValue): v is HostTensor {
  return typeof v === "object" && v !== null && "dtype" in v && "data" in v;
}

function attribute(name: string, v: AttrValue): Record<string, unknown> {
  if (typeof v === "number") {
    if (!Number.isInteger(v)) throw new TypeError(`attribute ${name}: float attributes must be passed as {float: x}`);
    return { name, type: ATTR.INT, i: v };
  }
  if (typeof v === "string") return { name, type: ATTR.STRING, s: utf8.encode(v) };
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === "string")) return { name, type: ATTR.STRINGS, strings: v.map((s) => utf8.encode(s as string)) };
    return { name, type: ATTR.INTS, ints: v };
  }
  if (isTensor(v)) return { name, type: ATTR.TENSOR, t: tensorProto("", v) };
  if ("float" in v) return { name, type: ATTR.FLOAT, f: v.float };
  if ("floats" in v) return { name, type: ATTR.FLOATS, floats: v.floats };
  throw new TypeError(`attribute ${name}: unsupported value`);
}

/** Tensor data as little-endian raw bytes (a view, no copy: this machine and ONNX are both little-endian). */
function tensorProto(name: string, t: HostTensor): Record<string, unknown> {
  const d = t.data;
  return {
    name,
    dims: t.shape,
    data_type: ONNX_DTYPE[t.dtype],
    raw_data: new Uint8Array(d.buffer, d.byteOffset, d.byteLength),
  };
}

function valueInfo(v: Value): Record<string, unknown> {
  return {
    name: v.name,
    type: {
      tensor_type: {
        elem_type: ONNX_DTYPE[v.dtype],
        shape: { dim: v.shape.map((d) => (typeof d === "number" ? { dim_value: d } : { dim_param: d })) },
      },
    },
  };
}

export interface SerializeOptions {
  /** Also record the inferred shapes of intermediate values (helps debugging in Netron; ORT re-infers). */
  readonly valueInfo?: boolean;
  readonly docString?: string;
  readonly metadata?: Readonly<Record<string, string>>;
}

/** Graph -> ONNX ModelProto bytes. Symbolic dims become dim_params, so batch and length stay dynamic. */
export function serializeGraph(g: Graph, o: SerializeOptions = {}): Uint8Array {
  const graphInputs = new Set(g.inputs.map((v) => v.name));
  const outputNames = new Set(g.outputs.map((v) => v.name));
  const usesMs = g.nodes.some((n) => n.domain === MS_DOMAIN);
  const msg = {
    ir_version: IR_VERSION,
    producer_name: "specieslm",
    producer_version: "0.1.0",
    doc_string: o.docString ?? "",
    opset_import: [{ domain: "", version: OPSET }, ...(usesMs ? [{ domain: MS_DOMAIN, version: 1 }] : [])],
    metadata_props: Object.entries(o.metadata ?? {}).map(([key, value]) => ({ key, value })),
    graph: {
      name: g.name,
      node: g.nodes.map((n) => ({
        name: n.name,
        op_type: n.opType,
        domain: n.domain,
        input: n.inputs,
        output: n.outputs,
        attribute: Object.entries(n.attrs).map(([k, v]) => attribute(k, v)),
      })),
      initializer: [...g.initializers].map(([name, t]) => tensorProto(name, t)),
      input: g.inputs.map(valueInfo),
      output: g.outputs.map(valueInfo),
      value_info: o.valueInfo
        ? [...g.values.values()].filter((v) => !graphInputs.has(v.name) && !outputNames.has(v.name) && !g.initializers.has(v.name)).map(valueInfo)
        : [],
    },
  };
  const T = modelType();
  return T.encode(T.fromObject(msg)).finish();
}

/** Decodes a model (for tests and `export-onnx` checks): op types, inputs and outputs by name. */
export function describeOnnx(bytes: Uint8Array): {
  opTypes: string[];
  inputs: string[];
  outputs: string[];
  initializers: string[];
  docString: string;
} {
  const m = modelType().decode(bytes) as unknown as {
    doc_string?: string;
    graph: { node: { op_type: string }[]; input: { name: string }[]; output: { name: string }[]; initializer: { name: string }[] };
  };
  return {
    opTypes: m.graph.node.map((n) => n.op_type),
    inputs: m.graph.input.map((v) => v.name),
    outputs: m.graph.output.map((v) => v.name),
    initializers: m.graph.initializer.map((t) => t.name),
    docString: m.doc_string ?? "",
  };
}
