import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  bipartitions,
  leafNames,
  neighbourJoining,
  parseNewick,
  patristicDistances,
  pruneToLeaves,
  robinsonFoulds,
  upgma,
  writeNewick,
  type DistanceMatrix,
  type TreeNode,
} from "../src/phylo/tree.js";
import { InputError, ParseError } from "../src/errors.js";
import { SHARED } from "./helpers/shared.js";

const matrix = (labels: string[], rows: number[][]): DistanceMatrix => ({ labels, values: Float64Array.from(rows.flat()) });

/** Distance between two leaves through the tree, for checking reconstructed branch lengths. */
const pathLength = (t: TreeNode, a: string, b: string): number => {
  const d = patristicDistances(t);
  const n = d.labels.length;
  return d.values[d.labels.indexOf(a) * n + d.labels.indexOf(b)]!;
};

describe("Newick", () => {
  it("parses labels, lengths, internal names, quotes and comments", () => {
    const t = parseNewick("((a:1,'b c':2.5)X:0.5,[note]d:1e-1)root;");
    expect(leafNames(t)).toEqual(["a", "b c", "d"]);
    expect(t.name).toBe("root");
    expect(t.children[0]!.name).toBe("X");
    expect(t.children[0]!.length).toBe(0.5);
    expect(t.children[0]!.children[1]!.length).toBe(2.5);
    expect(t.children[1]!.length).toBeCloseTo(0.1);
  });

  it("round-trips through writeNewick", () => {
    const text = "((a:1,'b c':2.5)X:0.5,d:0.1,'it''s':3);";
    expect(writeNewick(parseNewick(text))).toBe(text);
    expect(writeNewick(parseNewick("(a,(b,c));"))).toBe("(a,(b,c));");
  });

  it("names the position of malformed input", () => {
    expect(() => parseNewick("(a,b", "t.nwk")).toThrow(ParseError);
    expect(() => parseNewick("(a,b));", "t.nwk")).toThrow(/unexpected '\)'/);
    expect(() => parseNewick("(a:,b);")).toThrow(/branch length/);
    expect(() => parseNewick("(a,);")).toThrow(/leaf without a label/);
  });

  it.skipIf(!existsSync(`${SHARED}bench/sim12/tree.nwk`))("reads the sim12 tree with 12 leaves", () => {
    const t = parseNewick(readFileSync(`${SHARED}bench/sim12/tree.nwk`, "utf8"), "tree.nwk");
    expect(leafNames(t).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `sp${String(i).padStart(2, "0")}`));
    // sp11 and sp08 are siblings at 0.0163 each
    expect(pathLength(t, "sp11", "sp08")).toBeCloseTo(0.0326, 6);
    expect(bipartitions(t, leafNames(t).sort()).size).toBe(9); // binary, rooted: 2n-3 edges, n trivial, root edge counted once
  });
});

describe("UPGMA", () => {
  it("recovers an ultrametric tree exactly, topology and heights", () => {
    const truth = parseNewick("(((a:1,b:1):2,c:3):1,(d:2.5,e:2.5):1.5);");
    const d = patristicDistances(truth);
    const t = upgma(d);
    expect(robinsonFoulds(t, truth).distance).toBe(0);
    const back = patristicDistances(t);
    for (let i = 0; i < d.values.length; i++) expect(back.values[i]).toBeCloseTo(d.values[i]!, 12);
  });

  it("averages distances by cluster size (textbook example)", () => {
    // Wikipedia UPGMA example (5S rRNA of a,b,c,d,e): first a,b at 17/2, then (a,b),e at 22/2 (mean of 21,23).
    const d = matrix(
      ["a", "b", "c", "d", "e"],
      [
        [0, 17, 21, 31, 23],
        [17, 0, 30, 34, 21],
        [21, 30, 0, 28, 39],
        [31, 34, 28, 0, 43],
        [23, 21, 39, 43, 0],
      ],
    );
    const t = upgma(d);
    expect(writeNewick(t)).toBe("(((a:8.5,b:8.5):2.5,e:11):5.5,(c:14,d:14):2.5);");
  });
});

describe("neighbour-joining", () => {
  // Saitou & Nei / Wikipedia example; the matrix is additive, so NJ recovers the tree exactly.
  const wiki = matrix(
    ["a", "b", "c", "d", "e"],
    [
      [0, 5, 9, 9, 8],
      [5, 0, 10, 10, 9],
      [9, 10, 0, 8, 7],
      [9, 10, 8, 0, 3],
      [8, 9, 7, 3, 0],
    ],
  );

  it("recovers the textbook tree and branch lengths", () => {
    const t = neighbourJoining(wiki);
    const expected = parseNewick("((a:2,b:3):3,c:4,(d:2,e:1):2);");
    expect(robinsonFoulds(t, expected).distance).toBe(0);
    const back = patristicDistances(t);
    const n = 5;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        expect(back.values[back.labels.indexOf(wiki.labels[i]!) * n + back.labels.indexOf(wiki.labels[j]!)]).toBeCloseTo(wiki.values[i * n + j]!, 12);
      }
    // the a,b cherry: a 2, b 3 as in the worked example
    const find = (x: TreeNode): TreeNode | undefined => (leafNames(x).sort().join() === "a,b" ? x : x.children.map(find).find((c) => c !== undefined));
    const ab = find(t)!;
    expect(ab.children.map((c) => [c.name, c.length])).toEqual([
      ["a", 2],
      ["b", 3],
    ]);
  });

  it("handles 1, 2 and 3 labels", () => {
    expect(leafNames(neighbourJoining(matrix(["x"], [[0]])))).toEqual(["x"]);
    expect(
      writeNewick(
        neighbourJoining(
          matrix(
            ["x", "y"],
            [
              [0, 4],
              [4, 0],
            ],
          ),
        ),
      ),
    ).toBe("(x:2,y:2);");
    expect(
      writeNewick(
        neighbourJoining(
          matrix(
            ["x", "y", "z"],
            [
              [0, 3, 4],
              [3, 0, 5],
              [4, 5, 0],
            ],
          ),
        ),
      ),
    ).toBe("(x:1,y:2,z:3);");
  });

  it("rejects asymmetric or non-finite matrices", () => {
    expect(() =>
      neighbourJoining(
        matrix(
          ["x", "y"],
          [
            [0, 1],
            [2, 0],
          ],
        ),
      ),
    ).toThrow(InputError);
    expect(() =>
      upgma(
        matrix(
          ["x", "y"],
          [
            [0, NaN],
            [NaN, 0],
          ],
        ),
      ),
    ).toThrow(/finite/);
  });
});

describe("Robinson-Foulds", () => {
  it("is 0 for a tree and itself, whatever the rooting or child order", () => {
    const a = parseNewick("((a,b),(c,d),e);");
    expect(robinsonFoulds(a, a)).toEqual({ distance: 0, max: 4, normalised: 0 });
    expect(robinsonFoulds(a, parseNewick("(e,((d,c),(b,a)));")).distance).toBe(0);
    expect(robinsonFoulds(a, parseNewick("(a,(b,((c,d),e)));")).distance).toBe(0); // rerooted on a
  });

  it("counts splits present in only one tree (known answers)", () => {
    // 5 leaves: AB|CDE and DE|ABC vs AC|BDE and DE|ABC -> one split differs each way.
    expect(robinsonFoulds(parseNewick("((A,B),C,(D,E));"), parseNewick("((A,C),B,(D,E));"))).toEqual({
      distance: 2,
      max: 4,
      normalised: 0.5,
    });
    // 6 leaves, maximally different caterpillars: 2(n-3) = 6
    const r = robinsonFoulds(parseNewick("(((((A,B),C),D),E),F);"), parseNewick("(((((A,C),E),B),F),D);"));
    expect(r.max).toBe(6);
    expect(r.distance).toBe(6);
    expect(r.normalised).toBe(1);
    // star tree has no splits: distance = splits of the other tree
    expect(robinsonFoulds(parseNewick("(A,B,C,D,E);"), parseNewick("((A,B),C,(D,E));")).distance).toBe(2);
  });

  it("errors for different leaf sets, naming them", () => {
    expect(() => robinsonFoulds(parseNewick("((a,b),(c,d));"), parseNewick("((a,b),(c,x));"))).toThrow(/only in the first: d; only in the second: x/);
    expect(() => robinsonFoulds(parseNewick("((a,a),(c,d));"), parseNewick("((a,a),(c,d));"))).toThrow(/twice/);
  });

  it("prunes leaves and merges unary nodes", () => {
    const t = pruneToLeaves(parseNewick("((a:1,b:1):2,(c:1,d:1):1);"), new Set(["a", "c", "d"]));
    expect(writeNewick(t)).toBe("(a:3,(c:1,d:1):1);");
  });
});
