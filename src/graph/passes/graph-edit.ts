import type { Graph, GraphNode } from "../types.js";

/** Nodes reading each value name. */
export function consumersOf(g: Pick<Graph, "nodes">): Map<string, GraphNode[]> {
  const users = new Map<string, GraphNode[]>();
  for (const n of g.nodes) {
    for (const i of n.inputs) {
      if (i === "") continue;
      const list = users.get(i);
      if (list) list.push(n);
      else users.set(i, [n]);
    }
  }
  return users;
}

/**
 * Removes nodes none of whose outputs are read (by a node or as a graph output), repeatedly, then
 * initializers and values nobody reads any more. Graph inputs always stay (callers feed them).
 */
export function dropUnused(g: Graph): Graph {
  const outputs = new Set(g.outputs.map((v) => v.name));
  let nodes = [...g.nodes];
  for (;;) {
    const read = new Set<string>(outputs);
    for (const n of nodes) for (const i of n.inputs) read.add(i);
    const kept = nodes.filter((n) => n.outputs.some((o) => read.has(o)));
    if (kept.length === nodes.length) break;
    nodes = kept;
  }
  const read = new Set<string>(outputs);
  for (const n of nodes) for (const i of n.inputs) read.add(i);
  const produced = new Set<string>(g.inputs.map((v) => v.name));
  for (const n of nodes) for (const o of n.outputs) produced.add(o);
  const initializers = new Map([...g.initializers].filter(([name]) => read.has(name)));
  const values = new Map([...g.values].filter(([name]) => produced.has(name) || initializers.has(name)));
  return { ...g, nodes, initializers, values };
}
