import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import type { Motif } from "../src/pwm/motif.js";
import { reverseComplement } from "../src/motifs/pattern-alignment.js";
import type { ColumnScore } from "../src/motifs/discovery-defaults.js";
import { matchMotifs } from "../src/motifs/tomtom.js";
import { mulberry32 } from "../src/rng.js";

const PYTHON = "/usr/bin/python3";
const SCRIPT = resolve(import.meta.dirname, "../bench/tomtom_reference.py");
const HAS_NUMPY = spawnSync(PYTHON, ["-c", "import numpy"], { stdio: "ignore" }).status === 0;

/** Random PPMs: sharpened exponentials, so columns range from near-uniform to near-one-hot. */
function randomMotif(rng: ReturnType<typeof mulberry32>, width: number, id: string): Motif {
  const probs = new Float64Array(width * 4);
  for (let j = 0; j < width; j++) {
    const sharp = 1 + 4 * rng.next();
    let s = 0;
    for (let c = 0; c < 4; c++) s += probs[j * 4 + c] = (-Math.log(1 - rng.next())) ** sharp;
    for (let c = 0; c < 4; c++) probs[j * 4 + c]! /= s;
  }
  return { id, name: id, source: "random", width, probs };
}

/** A query cut from a database motif, perturbed, on either strand. */
function derived(rng: ReturnType<typeof mulberry32>, m: Motif, id: string, reverse: boolean): Motif {
  const width = Math.min(m.width, 6 + rng.int(4));
  const start = rng.int(m.width - width + 1);
  const probs = Float64Array.from(m.probs.subarray(start * 4, (start + width) * 4), (v) => v + 0.1 * rng.next());
  for (let j = 0; j < width; j++) {
    const s = probs[j * 4]! + probs[j * 4 + 1]! + probs[j * 4 + 2]! + probs[j * 4 + 3]!;
    for (let c = 0; c < 4; c++) probs[j * 4 + c]! /= s;
  }
  return { id, name: id, source: "query", width, probs: reverse ? reverseComplement(probs, width) : probs };
}

interface RefRow {
  target: number;
  p: number;
  e: number;
  q: number;
  strand: string;
  offset: number;
  overlap: number;
}

describe.skipIf(!HAS_NUMPY)(
  `motifs match against the numpy reference (bench/tomtom_reference.py)${HAS_NUMPY ? "" : " (skipped: /usr/bin/python3 with numpy is absent)"}`,
  () => {
    const rng = mulberry32(2024);
    const db = Array.from({ length: 60 }, (_, i) => randomMotif(rng, 6 + rng.int(9), `db${i}`));
    const queries = [
      ...[3, 17, 29, 41, 55].map((i, k) => derived(rng, db[i]!, `q_from_db${i}`, k % 2 === 1)),
      ...Array.from({ length: 3 }, (_, k) => randomMotif(rng, 7 + k, `q_random${k}`)),
    ];
    const toRows = (m: Motif) => Array.from({ length: m.width }, (_, j) => Array.from(m.probs.subarray(j * 4, j * 4 + 4)));

    for (const score of ["pearson", "euclidean"] as ColumnScore[]) {
      it(`${score}: same best matches, p-values within a factor of 2`, () => {
        const spec = { queries: queries.map(toRows), db: db.map(toRows), score, min_overlap: 5, both_strands: true, bins: 100 };
        const res = spawnSync(PYTHON, [SCRIPT], { input: JSON.stringify(spec), encoding: "utf8", maxBuffer: 1 << 26 });
        expect(res.status, res.stderr).toBe(0);
        const ref = JSON.parse(res.stdout) as RefRow[][];
        const ours = matchMotifs(queries, db, { score, minOverlap: 5, bothStrands: true });
        queries.forEach((q, k) => {
          const mine = ours[k]!,
            theirs = ref[k]!;
          // derived queries: the motif they were cut from is the best match on both sides
          if (q.id.startsWith("q_from_")) expect(mine[0]!.target.id).toBe(q.id.slice("q_from_".length));
          expect(mine[0]!.target.id).toBe(db[theirs[0]!.target]!.id);
          expect(mine[0]!.strand).toBe(theirs[0]!.strand);
          expect(mine[0]!.offset).toBe(theirs[0]!.offset);
          // every target: p within a factor of 2 (above a floor where both are tiny), E and q consistent
          for (const r of theirs) {
            const m = mine.find((x) => x.target.id === db[r.target]!.id)!;
            const lo = Math.max(Math.min(m.pValue, r.p), 1e-12),
              hi = Math.max(m.pValue, r.p, 1e-12);
            expect(hi / lo, `${q.id} vs ${m.target.id}: ${m.pValue} vs ${r.p}`).toBeLessThanOrEqual(2);
            expect(m.eValue).toBeCloseTo(m.pValue * db.length, 12);
          }
          expect(Math.abs(mine[0]!.qValue - theirs[0]!.q)).toBeLessThanOrEqual(Math.max(mine[0]!.qValue, theirs[0]!.q) / 2 + 1e-12);
        });
      });
    }
  },
);
