import type { Graph } from "../types.js";

/** What a graph pass returns: the rewritten graph (the input object itself when nothing matched). */
export interface PassResult {
  readonly graph: Graph;
  readonly modified: boolean;
}

/** A rewrite of a finished Graph; passes never mutate their input. */
export type GraphPass = (graph: Graph) => PassResult;

/** Runs passes in order; `modified` is true when any of them changed the graph. */
export function runPasses(graph: Graph, passes: readonly GraphPass[]): PassResult {
  let g = graph;
  let modified = false;
  for (const p of passes) {
    const r = p(g);
    g = r.graph;
    modified ||= r.modified;
  }
  return { graph: g, modified };
}
