import type { ScoreTrack } from "./contribution-scores.js";
import { aggregateWindows } from "./pattern-alignment.js";
import type { Pattern } from "./pattern.js";
import { extendConserved, type ExtensionOptions } from "./pattern-extension.js";
import { reverseComplementCode, seedWindows } from "./seed-kmers.js";
import type { Seqlets } from "./seqlets.js";

type Found = Omit<Pattern, "id">;
type Members = Pattern["members"];

/** A recurrent word (k bases, coded) looked for in the free seqlets of a score track, on one or both strands. */
export interface WordSearch {
  readonly track: ScoreTrack;
  readonly seqlets: Seqlets;
  readonly free: Uint8Array;
  readonly word: number;
  readonly k: number;
  readonly bothStrands: boolean;
}

/**
 * The word's occurrences in the free seqlets (the best one per seqlet, as `seedWindows` picks it),
 * aligned on the word itself, with the seqlet each lies in.
 */
function wordMembers({ track, seqlets, free, word, k, bothStrands }: WordSearch): Members {
  const win = seedWindows(track, seqlets, free, word, k, 0, bothStrands);
  const seqlet: number[] = [];
  // seedWindows yields at most one window per free seqlet, in seqlet order
  for (let s = 0, i = 0; s < free.length && i < win.at.length; s++) {
    if (!free[s]) continue;
    const g0 = track.starts[seqlets.seq[s]!]! + seqlets.start[s]!;
    if (win.at[i]! >= g0 && win.at[i]! < g0 + seqlets.width) {
      seqlet.push(s);
      i++;
    }
  }
  return { ...win, seqlet: Int32Array.from(seqlet), similarity: new Float32Array(seqlet.length).fill(Number.NaN) };
}

/**
 * A pattern read from the sequences of a recurrent word's seqlets, for a word whose contribution is too
 * faint and spiky to align by CWM (a weakly learned motif puts ~1 bit on whichever of its bases the
 * baseline predicts worst, so CWM alignment puts its members on different bases): the word's
 * occurrences, aligned on the word, widened by the columns where they agree. Members carry no
 * similarity (NaN): they joined by sequence.
 */
export function wordPattern(q: WordSearch, extend: ExtensionOptions): Found {
  const members = extendConserved(q.track, q.seqlets, wordMembers(q), extend);
  return { width: members.width, ...aggregateWindows(q.track, members), members };
}

/**
 * A recurrent word that is a piece of a pattern already found (its k bases, or k - 2 of them with the
 * others hanging over an end, equal the pattern's consensus there, on either strand when both are read)
 * is that motif's faint instances or their flanks, not a new motif: its occurrences join the pattern,
 * aligned to it (docs/decisions/motif-recurrent-words.md).
 * Returns the pattern's index and its new members, or undefined when no pattern holds the word.
 */
export function absorbWord(q: WordSearch, found: readonly Found[]): { index: number; members: Members } | undefined {
  const { track, seqlets, word, k, bothStrands } = q;
  for (let index = 0; index < found.length; index++) {
    const p = found[index]!;
    const cons = consensusCodes(p.ppm, p.width);
    for (const rc of bothStrands ? [false, true] : [false]) {
      const offset = placeWord(cons, rc ? reverseComplementCode(word, k) : word, k);
      if (offset === undefined) continue;
      const add = wordMembers(q);
      const w = p.width;
      const at: number[] = [],
        strand: number[] = [],
        seqlet: number[] = [];
      for (let i = 0; i < add.at.length; i++) {
        const g = add.at[i]!;
        // the sequence reads the word forward on strand 0: the pattern lies on the strand where the word
        // reads as the pattern does
        const onReverse = (add.strand[i] === 1) !== rc;
        const start = onReverse ? g + k + offset - w : g - offset;
        const s = seqlets.seq[add.seqlet[i]!]!;
        if (start < track.starts[s]! || start + w > track.starts[s + 1]!) continue;
        at.push(start);
        strand.push(onReverse ? 1 : 0);
        seqlet.push(add.seqlet[i]!);
      }
      const m = p.members;
      return {
        index,
        members: {
          width: w,
          at: Int32Array.from([...m.at, ...at]),
          strand: Uint8Array.from([...m.strand, ...strand]),
          seqlet: Int32Array.from([...m.seqlet, ...seqlet]),
          similarity: Float32Array.from([...m.similarity, ...seqlet.map(() => Number.NaN)]),
        },
      };
    }
  }
  return undefined;
}

function consensusCodes(ppm: Float64Array, width: number): Uint8Array {
  const out = new Uint8Array(width);
  for (let j = 0; j < width; j++) {
    let best = 0;
    for (let c = 1; c < 4; c++) if (ppm[j * 4 + c]! > ppm[j * 4 + best]!) best = c;
    out[j] = best;
  }
  return out;
}

/** Offset of the word's first base in the consensus where it fits (all k bases inside, or k - 2 with the others over an end). */
function placeWord(cons: Uint8Array, word: number, k: number): number | undefined {
  const bases = Array.from({ length: k }, (_, j) => (word >> (2 * (k - 1 - j))) & 3);
  for (let offset = -2; offset <= cons.length - k + 2; offset++) {
    let inside = 0,
      ok = true;
    for (let j = 0; j < k && ok; j++) {
      const c = offset + j;
      if (c < 0 || c >= cons.length) continue;
      inside++;
      ok = cons[c] === bases[j];
    }
    if (ok && inside >= k - 2) return offset;
  }
  return undefined;
}
