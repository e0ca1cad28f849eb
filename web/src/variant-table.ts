import { baseIndex } from "specieslm/web";

/**
 * The variant scores of one position: for each alternative base, log P(alt) - log P(ref) from the
 * reconstruction (natural log; > 0: the model prefers the alternative in this context), per species read.
 */
export interface PositionReading {
  readonly label: string;
  /** P(A,C,G,T) at the position. */
  readonly probs: Float32Array;
}

const BASES = ["A", "C", "G", "T"] as const;

/** log P(alt) - log P(ref) for each base (0 for the reference); null when the reference is not A/C/G/T. */
export function variantScores(ref: string, probs: ArrayLike<number>): number[] | null {
  const r = baseIndex(ref);
  if (r < 0) return null;
  return BASES.map((_, b) => Math.log(probs[b]!) - Math.log(probs[r]!));
}

export function variantTable(ref: string, readings: readonly PositionReading[]): HTMLElement {
  const table = document.createElement("table");
  table.className = "scores";
  const head = ["base", ...readings.flatMap((r) => [`P · ${r.label}`, `log P(alt) − log P(ref) · ${r.label}`])];
  table
    .createTHead()
    .insertRow()
    .append(...head.map((h) => Object.assign(document.createElement("th"), { textContent: h })));
  const body = table.createTBody();
  const scores = readings.map((r) => variantScores(ref, r.probs));
  BASES.forEach((base, b) => {
    const row = body.insertRow();
    const isRef = base === ref.toUpperCase();
    if (isRef) row.className = "ref";
    row.insertCell().innerHTML = `<span class="base">${base}</span>${isRef ? " (ref)" : ""}`;
    readings.forEach((r, k) => {
      row.insertCell().textContent = r.probs[b]!.toFixed(4);
      const s = scores[k]?.[b];
      const cell = row.insertCell();
      if (isRef || s === undefined) cell.textContent = "–";
      else {
        cell.textContent = `${s > 0 ? "+" : ""}${s.toFixed(3)}`;
        cell.className = s > 0 ? "pos" : "neg";
      }
    });
  });
  if (scores.some((s) => s === null)) {
    const note = Object.assign(document.createElement("p"), {
      className: "muted",
      textContent: `The reference ${ref} is not A, C, G or T: no variant score.`,
    });
    const wrap = document.createElement("div");
    wrap.append(table, note);
    return wrap;
  }
  return table;
}
