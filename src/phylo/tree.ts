import { InputError, ParseError } from "../errors.js";

/**
 * Phylogenetic trees for the species lens: Newick I/O, UPGMA and neighbour-joining from a distance
 * matrix, Robinson-Foulds distance and patristic (path-length) distances. A tree is a rooted node
 * structure; RF treats it as unrooted (a degree-2 root contributes no split of its own).
 */
export interface TreeNode {
  /** Leaf label, or an internal node's label when the Newick gives one. */
  readonly name?: string;
  /** Length of the branch above this node; undefined when the Newick omits it. */
  readonly length?: number;
  readonly children: readonly TreeNode[];
}

/** A symmetric distance matrix: `values` is `[n, n]` row-major over `labels`. */
export interface DistanceMatrix {
  readonly labels: readonly string[];
  readonly values: Float64Array;
}

const node = (children: TreeNode[], name?: string, length?: number): TreeNode => ({
  children,
  ...(name !== undefined && name !== "" ? { name } : {}),
  ...(length !== undefined ? { length } : {}),
});

/**
 * Parses one Newick tree: nested parentheses, leaf and internal labels (bare or 'quoted', '' escaping
 * a quote), `:length`, `[comments]` skipped, bare underscores kept as written. A trailing `;` is
 * optional; anything after it is an error.
 */
export function parseNewick(text: string, source = "<newick>"): TreeNode {
  let i = 0;
  const fail = (msg: string): never => {
    throw new ParseError(source, `${msg} at character ${i + 1} of the Newick tree`);
  };
  const skip = (): void => {
    for (;;) {
      while (i < text.length && /\s/.test(text[i]!)) i++;
      if (text[i] !== "[") return;
      const end = text.indexOf("]", i);
      if (end < 0) fail("unterminated [comment]");
      i = end + 1;
    }
  };
  const label = (): string => {
    skip();
    if (text[i] === "'") {
      let out = "";
      for (i++; ; i++) {
        if (i >= text.length) fail("unterminated quoted label");
        if (text[i] === "'" && text[i + 1] === "'") {
          out += "'";
          i++;
          continue;
        }
        if (text[i] === "'") {
          i++;
          return out;
        }
        out += text[i];
      }
    }
    const start = i;
    while (i < text.length && !/[\s(),:;[\]']/.test(text[i]!)) i++;
    return text.slice(start, i);
  };
  const branch = (): number | undefined => {
    skip();
    if (text[i] !== ":") return undefined;
    i++;
    skip();
    const m = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) return fail("expected a branch length after ':'");
    i += m[0].length;
    return Number(m[0]);
  };
  const subtree = (depth: number): TreeNode => {
    if (depth > 10_000) fail("tree nested too deeply");
    skip();
    const children: TreeNode[] = [];
    if (text[i] === "(") {
      i++;
      for (;;) {
        children.push(subtree(depth + 1));
        skip();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === ")") {
          i++;
          break;
        }
        fail(`expected ',' or ')' but found ${text[i] === undefined ? "the end" : `'${text[i]}'`}`);
      }
    }
    const name = label();
    if (children.length === 0 && name === "") fail("a leaf without a label");
    return node(children, name, branch());
  };
  const tree = subtree(0);
  skip();
  if (text[i] === ";") i++;
  skip();
  if (i < text.length) fail(`unexpected '${text[i]}' after the tree`);
  return tree;
}

function quoteLabel(name: string): string {
  return /^[^\s(),:;[\]']+$/.test(name) ? name : `'${name.replaceAll("'", "''")}'`;
}

/** Newick text of a tree, ending in `;`; branch lengths with `digits` significant digits (default 6). */
export function writeNewick(tree: TreeNode, opts: { digits?: number } = {}): string {
  const digits = opts.digits ?? 6;
  const write = (n: TreeNode): string => {
    const inner = n.children.length ? `(${n.children.map(write).join(",")})` : "";
    const name = n.name !== undefined ? quoteLabel(n.name) : "";
    const len = n.length !== undefined ? `:${Number(n.length.toPrecision(digits))}` : "";
    return inner + name + len;
  };
  return `${write(tree)};`;
}

/** Leaf labels in left-to-right order. */
export function leafNames(tree: TreeNode): string[] {
  const out: string[] = [];
  const walk = (n: TreeNode): void => {
    if (n.children.length === 0) out.push(n.name ?? "");
    else n.children.forEach(walk);
  };
  walk(tree);
  return out;
}

/** Checks a distance matrix's shape, symmetry and finiteness; names the offending pair. */
export function checkDistanceMatrix(d: DistanceMatrix): void {
  const n = d.labels.length;
  if (d.values.length !== n * n) throw new InputError(`distance matrix over ${n} labels needs ${n * n} values, got ${d.values.length}`);
  if (new Set(d.labels).size !== n) throw new InputError(`distance matrix labels repeat: ${d.labels.join(", ")}`);
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      const v = d.values[a * n + b]!;
      if (!Number.isFinite(v) || Math.abs(v - d.values[b * n + a]!) > 1e-9 * Math.max(1, Math.abs(v))) {
        throw new InputError(`distance matrix is not finite and symmetric at (${d.labels[a]}, ${d.labels[b]})`);
      }
    }
  }
}

interface Cluster {
  tree: TreeNode;
  size: number;
  height: number;
}

/**
 * UPGMA (average linkage): repeatedly joins the closest pair of clusters at height d/2, distances to the
 * new cluster are size-weighted means. Rooted; exact for ultrametric matrices. Ties go to the first
 * pair in label order, so the output is deterministic.
 */
export function upgma(d: DistanceMatrix): TreeNode {
  checkDistanceMatrix(d);
  const n = d.labels.length;
  if (n === 0) throw new InputError("UPGMA needs at least one label");
  const D = Array.from({ length: n }, (_, a) => Array.from({ length: n }, (_, b) => d.values[a * n + b]!));
  const clusters: (Cluster | null)[] = d.labels.map((name) => ({ tree: node([], name), size: 1, height: 0 }));
  for (let step = 1; step < n; step++) {
    let best = Infinity,
      ba = -1,
      bb = -1;
    for (let a = 0; a < n; a++) {
      if (!clusters[a]) continue;
      for (let b = a + 1; b < n; b++) if (clusters[b] && D[a]![b]! < best) [best, ba, bb] = [D[a]![b]!, a, b];
    }
    const A = clusters[ba]!,
      B = clusters[bb]!;
    const h = best / 2;
    const join = (c: Cluster): TreeNode => node([...c.tree.children], c.tree.name, Math.max(0, h - c.height));
    clusters[ba] = { tree: node([join(A), join(B)]), size: A.size + B.size, height: h };
    clusters[bb] = null;
    for (let c = 0; c < n; c++) {
      if (!clusters[c] || c === ba) continue;
      const v = (A.size * D[ba]![c]! + B.size * D[bb]![c]!) / (A.size + B.size);
      D[ba]![c] = v;
      D[c]![ba] = v;
    }
  }
  return clusters.find((c) => c !== null)!.tree;
}

/**
 * Neighbour-joining (Saitou & Nei 1987, Studier & Keppler's Q criterion). The result is unrooted, written
 * with the last three nodes joined at a trifurcating root. Negative branch lengths (non-additive
 * matrices) are clamped to 0, as most tools do for display. Exact for additive (tree) metrics.
 */
export function neighbourJoining(d: DistanceMatrix): TreeNode {
  checkDistanceMatrix(d);
  const n0 = d.labels.length;
  if (n0 === 0) throw new InputError("neighbour-joining needs at least one label");
  let nodes: TreeNode[] = d.labels.map((name) => node([], name));
  let D = Array.from({ length: n0 }, (_, a) => Array.from({ length: n0 }, (_, b) => d.values[a * n0 + b]!));
  const withLength = (t: TreeNode, len: number): TreeNode => node([...t.children], t.name, Math.max(0, len));
  while (nodes.length > 3) {
    const n = nodes.length;
    const r = D.map((row) => row.reduce((s, v) => s + v, 0));
    let best = Infinity,
      fa = -1,
      fb = -1;
    for (let a = 0; a < n; a++) {
      for (let b = a + 1; b < n; b++) {
        const q = (n - 2) * D[a]![b]! - r[a]! - r[b]!;
        if (q < best - 1e-12) [best, fa, fb] = [q, a, b];
      }
    }
    const dab = D[fa]![fb]!;
    const la = dab / 2 + (r[fa]! - r[fb]!) / (2 * (n - 2));
    const joined = node([withLength(nodes[fa]!, la), withLength(nodes[fb]!, dab - la)]);
    const keep = nodes.map((_, i) => i).filter((i) => i !== fa && i !== fb);
    const du = keep.map((c) => (D[fa]![c]! + D[fb]![c]! - dab) / 2);
    D = [...keep.map((c, i) => [...keep.map((e) => D[c]![e]!), du[i]!]), [...du, 0]];
    nodes = [...keep.map((i) => nodes[i]!), joined];
  }
  if (nodes.length === 1) return nodes[0]!;
  if (nodes.length === 2) return node([withLength(nodes[0]!, D[0]![1]! / 2), withLength(nodes[1]!, D[0]![1]! / 2)]);
  const [x, y, z] = [D[0]![1]!, D[0]![2]!, D[1]![2]!];
  return node([withLength(nodes[0]!, (x + y - z) / 2), withLength(nodes[1]!, (x + z - y) / 2), withLength(nodes[2]!, (y + z - x) / 2)]);
}

/**
 * Non-trivial bipartitions (splits) of the unrooted tree over `leaves`: each as a bit string over
 * `leaves`, oriented so the first leaf is on the 0 side. Trivial splits (one leaf vs the rest) are left out.
 */
export function bipartitions(tree: TreeNode, leaves: readonly string[]): Set<string> {
  const index = new Map(leaves.map((l, i) => [l, i]));
  const n = leaves.length;
  const splits = new Set<string>();
  const walk = (t: TreeNode): Uint8Array => {
    const bits = new Uint8Array(n);
    if (t.children.length === 0) bits[index.get(t.name ?? "")!] = 1;
    for (const c of t.children)
      walk(c).forEach((v, i) => {
        if (v) bits[i] = 1;
      });
    const size = bits.reduce((s, v) => s + v, 0);
    if (t !== tree && size >= 2 && size <= n - 2) splits.add(bits.map((v) => (bits[0] ? 1 - v : v)).join(""));
    return bits;
  };
  walk(tree);
  return splits;
}

export interface RobinsonFoulds {
  /** Splits in one tree but not the other, both directions counted. */
  readonly distance: number;
  /** Largest possible value for these two trees: splits of A plus splits of B (2(n-3) for binary trees). */
  readonly max: number;
  /** distance / max in [0, 1]; 0 when neither tree has a non-trivial split. */
  readonly normalised: number;
}

/** Robinson-Foulds distance of two unrooted trees over the same leaf set (error listing the differences otherwise). */
export function robinsonFoulds(a: TreeNode, b: TreeNode): RobinsonFoulds {
  const la = leafNames(a),
    lb = leafNames(b);
  for (const [t, names] of [
    ["first", la],
    ["second", lb],
  ] as const) {
    const dup = names.find((x, i) => names.indexOf(x) !== i);
    if (dup !== undefined) throw new InputError(`the ${t} tree has leaf "${dup}" twice; Robinson-Foulds needs unique leaf labels`);
  }
  const sb = new Set(lb);
  const onlyA = la.filter((x) => !sb.has(x));
  const onlyB = lb.filter((x) => !la.includes(x));
  if (onlyA.length || onlyB.length) {
    throw new InputError(`trees have different leaf sets: only in the first: ${onlyA.join(", ") || "-"}; only in the second: ${onlyB.join(", ") || "-"}`);
  }
  const leaves = [...la].sort();
  const A = bipartitions(a, leaves),
    B = bipartitions(b, leaves);
  let distance = 0;
  for (const s of A) if (!B.has(s)) distance++;
  for (const s of B) if (!A.has(s)) distance++;
  const max = A.size + B.size;
  return { distance, max, normalised: max === 0 ? 0 : distance / max };
}

/** The tree restricted to `keep` leaves: other leaves removed, unary nodes merged (lengths summed). */
export function pruneToLeaves(tree: TreeNode, keep: ReadonlySet<string>): TreeNode {
  const prune = (t: TreeNode): TreeNode | null => {
    if (t.children.length === 0) return keep.has(t.name ?? "") ? t : null;
    const kids = t.children.map(prune).filter((c): c is TreeNode => c !== null);
    if (kids.length === 0) return null;
    if (kids.length === 1) {
      const only = kids[0]!;
      const len = only.length !== undefined || t.length !== undefined ? (only.length ?? 0) + (t.length ?? 0) : undefined;
      return node([...only.children], only.name, len);
    }
    return node(kids, t.name, t.length);
  };
  const out = prune(tree);
  if (!out) throw new InputError("pruning removed every leaf of the tree");
  return out;
}

/** Patristic distances: sum of branch lengths on the path between each pair of leaves (missing lengths count 0). */
export function patristicDistances(tree: TreeNode): DistanceMatrix {
  const labels = leafNames(tree);
  const n = labels.length;
  const index = new Map(labels.map((l, i) => [l, i]));
  const values = new Float64Array(n * n);
  // Each subtree returns its leaves with their depth below it; pairs meeting here get summed depths.
  const walk = (t: TreeNode): Array<[number, number]> => {
    if (t.children.length === 0) return [[index.get(t.name ?? "")!, 0]];
    const groups = t.children.map((c) => walk(c).map(([i, h]): [number, number] => [i, h + (c.length ?? 0)]));
    for (let g = 0; g < groups.length; g++) {
      for (let h = g + 1; h < groups.length; h++) {
        for (const [i, di] of groups[g]!) for (const [j, dj] of groups[h]!) values[i * n + j] = values[j * n + i] = di + dj;
      }
    }
    return groups.flat();
  };
  walk(tree);
  return { labels, values };
}
