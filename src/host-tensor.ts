/**
 * A tensor in host memory: the currency between weight files, the graph builder (initializers)
 * and ONNX Runtime (inputs/outputs). Row-major, like ONNX and PyTorch.
 */
export type DType = "float32" | "int64" | "int32" | "bool" | "uint8" | "int8" | "float16";

export interface DataOf {
  float32: Float32Array;
  int64: BigInt64Array;
  int32: Int32Array;
  bool: Uint8Array;
  uint8: Uint8Array;
  int8: Int8Array;
  float16: Uint16Array;
}

export interface HostTensor<D extends DType = DType> {
  readonly dtype: D;
  readonly shape: readonly number[];
  readonly data: DataOf[D];
}

export function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function f32(shape: readonly number[], data?: Float32Array | readonly number[]): HostTensor<"float32"> {
  const n = numel(shape);
  const arr = data === undefined ? new Float32Array(n) : data instanceof Float32Array ? data : Float32Array.from(data);
  if (arr.length !== n) throw new RangeError(`f32: shape [${shape}] needs ${n} values, got ${arr.length}`);
  return { dtype: "float32", shape: [...shape], data: arr };
}

export function i64(shape: readonly number[], data: BigInt64Array | readonly number[]): HostTensor<"int64"> {
  const arr = data instanceof BigInt64Array ? data : BigInt64Array.from(data, (x) => BigInt(x));
  if (arr.length !== numel(shape)) throw new RangeError(`i64: shape [${shape}] needs ${numel(shape)} values, got ${arr.length}`);
  return { dtype: "int64", shape: [...shape], data: arr };
}
