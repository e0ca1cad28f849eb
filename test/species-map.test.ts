import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  buildSpeciesMap,
  compareWithReference,
  cosineDistances,
  defaultProbes,
  distanceMatrixTsv,
  meanJensenShannon,
  nearestLabel,
  speciesRowVectors,
} from "../src/phylo/species-map.js";
import { parseNewick, robinsonFoulds, type DistanceMatrix } from "../src/phylo/tree.js";
import { ConfigError, InputError } from "../src/errors.js";
import { TINY_MODEL, pairedRows, tinyModel } from "./helpers/species-models.js";

const SPECIES = ["candida_glabrata", "saccharomyces_paradoxus", "kluyveromyces_lactis", "schizosaccharomyces_pombe", "neurospora_crassa", "candida_albicans"];
const PAIRS = `((${SPECIES[0]},${SPECIES[1]}),(${SPECIES[2]},${SPECIES[3]}),(${SPECIES[4]},${SPECIES[5]}));`;

const at = (d: DistanceMatrix, a: number, b: number) => d.values[a * d.labels.length + b]!;

function expectSymmetricZeroDiagonal(d: DistanceMatrix): void {
  const n = d.labels.length;
  for (let a = 0; a < n; a++) {
    expect(at(d, a, a)).toBe(0);
    for (let b = 0; b < n; b++) expect(at(d, a, b)).toBe(at(d, b, a));
  }
}

describe("species map helpers", () => {
  it("cosine distances: 0 for parallel, 1 for orthogonal, 2 for opposite vectors", () => {
    const d = cosineDistances(
      ["a", "b", "c", "d"],
      [
        [1, 0],
        [2, 0],
        [0, 3],
        [-1, 0],
      ].map((v) => Float32Array.from(v)),
    );
    expect(Array.from(d.values)).toEqual([0, 0, 1, 2, 0, 0, 1, 2, 1, 1, 0, 1, 2, 2, 1, 0]);
  });

  it("JSD is 0 for equal predictions and 1 bit for disjoint ones", () => {
    const p = Float32Array.from([1, 0, 0, 0, 0.25, 0.25, 0.25, 0.25]);
    const q = Float32Array.from([0, 1, 0, 0, 0.25, 0.25, 0.25, 0.25]);
    expect(meanJensenShannon([p], [p])).toBe(0);
    expect(meanJensenShannon([p], [q])).toBeCloseTo(0.5, 12); // (1 + 0) / 2 positions
  });

  it("default probes are deterministic ACGT", () => {
    const a = defaultProbes(3, 40, 1),
      b = defaultProbes(3, 40, 1);
    expect(a).toEqual(b);
    expect(a[0]!.sequence).toMatch(/^[ACGT]{40}$/);
    expect(a[0]!.sequence).not.toBe(a[1]!.sequence);
  });

  it("nearestLabel picks the closest other label, optionally among a subset", () => {
    const d: DistanceMatrix = { labels: ["x", "y", "z"], values: Float64Array.from([0, 1, 2, 1, 0, 3, 2, 3, 0]) };
    expect(nearestLabel(d, "x")).toBe("y");
    expect(nearestLabel(d, "x", new Set(["z"]))).toBe("z");
    expect(() => nearestLabel(d, "w")).toThrow(InputError);
  });

  it("writes the matrix as TSV", () => {
    const d: DistanceMatrix = { labels: ["x", "y"], values: Float64Array.from([0, 1 / 3, 1 / 3, 0]) };
    expect(distanceMatrixTsv(d)).toBe("species\tx\ty\nx\t0\t0.333333\ny\t0.333333\t0\n");
  });
});

describe.skipIf(!existsSync(TINY_MODEL))("species map of the tiny fixture model", () => {
  it("rows of an embedding model: known cosine distances, paired tree, RF 0 to the pairs reference", async () => {
    const model = await tinyModel("embedding");
    const map = await buildSpeciesMap(model, { method: "rows" });
    expect(map.species).toEqual(SPECIES);
    expectSymmetricZeroDiagonal(map.distances);
    expect(at(map.distances, 0, 1)).toBeCloseTo(1 - 4 / 4.36, 6);
    expect(at(map.distances, 0, 2)).toBeCloseTo(1, 6);
    const cmp = compareWithReference(map, parseNewick(PAIRS));
    expect(cmp.upgma.distance).toBe(0);
    expect(cmp.nj.distance).toBe(0);
    expect(cmp.notInReference).toEqual([]);
    await model.release();
  });

  it("rows of a token model are the species-token word embeddings", async () => {
    const model = await tinyModel("token");
    const { vectors } = speciesRowVectors(model);
    const H = model.config.hiddenSize;
    const id = model.tokenizer.vocab.speciesIds.get(SPECIES[3]!)!;
    expect(Array.from(vectors[3]!)).toEqual(Array.from(model.folder.weights.get("bert.embeddings.word_embeddings.weight")!.data.slice(id * H, (id + 1) * H)));
    const map = await buildSpeciesMap(model, { method: "rows" });
    expectSymmetricZeroDiagonal(map.distances);
    await model.release();
  });

  it("behaviour: identical species rows give distance 0, different ones a positive distance", async () => {
    const rows = pairedRows(6, 64);
    rows[1] = [...rows[0]!];
    const model = await tinyModel("embedding", rows);
    const map = await buildSpeciesMap(model, { method: "behaviour", probes: defaultProbes(2, 60), spansPerPass: 8 });
    expectSymmetricZeroDiagonal(map.distances);
    // Embedding-conditioned models see no species token, so identical rows mean identical predictions.
    expect(at(map.distances, 0, 1)).toBe(0);
    for (let b = 2; b < 6; b++) expect(at(map.distances, 0, b)).toBeGreaterThan(1e-5);
    // within-pair distances are below across-pair ones: the rows drive the behaviour
    expect(at(map.distances, 2, 3)).toBeLessThan(at(map.distances, 2, 4));
    expect(map.nucleotides).toBe(120);
    expect(robinsonFoulds(map.upgma, parseNewick(PAIRS)).distance).toBe(0);
    await model.release();
  });

  it("behaviour of the token model: symmetric, zero diagonal, positive off the diagonal", async () => {
    const model = await tinyModel("token");
    const map = await buildSpeciesMap(model, { method: "behaviour", probes: defaultProbes(2, 40), spansPerPass: 8 });
    expectSymmetricZeroDiagonal(map.distances);
    for (let b = 1; b < 6; b++) expect(at(map.distances, 0, b)).toBeGreaterThan(0);
    await model.release();
  });

  it("reference trees: subset leaves prune the map, unknown leaves are an error listing them", async () => {
    const model = await tinyModel("embedding");
    const map = await buildSpeciesMap(model, { method: "rows" });
    const sub = compareWithReference(map, parseNewick(`((${SPECIES[0]},${SPECIES[1]}),(${SPECIES[2]},${SPECIES[4]}));`));
    expect(sub.notInReference).toEqual([SPECIES[3], SPECIES[5]]);
    expect(sub.upgma.distance).toBe(0);
    expect(() => compareWithReference(map, parseNewick("((sp00,sp01),(candida_glabrata,sp02));"), "tree.nwk")).toThrow(
      /tree.nwk: leaves "sp00", "sp01", "sp02" are not species of the model/,
    );
    await model.release();
  });

  it("species-agnostic models have no species map", async () => {
    const model = await tinyModel("none");
    await expect(buildSpeciesMap(model, { method: "rows" })).rejects.toThrow(ConfigError);
  });
});
