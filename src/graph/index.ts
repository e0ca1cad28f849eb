// ONNX graph builder, autodiff and serialisation: re-exports only.
export { GraphBuilder } from "./builder.js";
export { ONNX_DTYPE } from "./onnx/dtypes.js";
export { gradient, unbroadcast } from "./gradient.js";
export type { GradientOptions } from "./gradient.js";
export { f32, i64, numel } from "../host-tensor.js";
export type { DataOf, DType, HostTensor } from "../host-tensor.js";
export { describeOnnx, OPSET, serializeGraph } from "./onnx/serialize.js";
export type { SerializeOptions } from "./onnx/serialize.js";
export type { AttrValue, Dim, Graph, GraphNode, Shape, Value } from "./types.js";
export * from "./passes/index.js";
