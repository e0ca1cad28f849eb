import type { DType, HostTensor } from "../host-tensor.js";

/** A dimension: a number when known when the graph is built, a symbol ("batch", "tokens", "batch*tokens") when not. */
export type Dim = number | string;
export type Shape = readonly Dim[];

/** An edge of the graph: every node output, graph input and initializer is a Value. */
export interface Value {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: Shape;
}

export type AttrValue =
  | number
  | string
  | readonly number[]
  | readonly string[]
  | HostTensor
  | { readonly float: number }
  | { readonly floats: readonly number[] };

export interface GraphNode {
  readonly opType: string;
  readonly domain: string;
  readonly name: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs: Readonly<Record<string, AttrValue>>;
}

/** A finished graph, ready for serialisation or for the gradient walker. */
export interface Graph {
  readonly name: string;
  readonly inputs: readonly Value[];
  readonly outputs: readonly Value[];
  readonly initializers: ReadonlyMap<string, HostTensor>;
  readonly nodes: readonly GraphNode[];
  readonly values: ReadonlyMap<string, Value>;
}

export const MS_DOMAIN = "com.microsoft";
