import { ShapeError } from "../errors.js";
import type { Dim, Shape } from "./types.js";

function dimEq(a: Dim, b: Dim): boolean {
  return a === b;
}

/** Numpy broadcasting of two shapes; symbolic dims must match by name or be 1. */
export function broadcastShapes(op: string, a: Shape, b: Shape): Dim[] {
  const n = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)]!;
    const db = i < n - b.length ? 1 : b[i - (n - b.length)]!;
    if (dimEq(da, db) || db === 1) out.push(da);
    else if (da === 1) out.push(db);
    else throw new ShapeError(`${op}: cannot broadcast [${a.join(",")}] with [${b.join(",")}]`);
  }
  return out;
}

/** ONNX MatMul: batched over leading dims with broadcasting, contracting the last dim of a with b[-2]. */
export function matmulShape(a: Shape, b: Shape): Dim[] {
  if (a.length < 2 || b.length < 2) throw new ShapeError(`MatMul: operands need rank >= 2, got [${a}] and [${b}]`);
  const k1 = a[a.length - 1]!;
  const k2 = b[b.length - 2]!;
  if (!dimEq(k1, k2)) throw new ShapeError(`MatMul: inner dims differ: [${a.join(",")}] x [${b.join(",")}]`);
  const batch = broadcastShapes("MatMul", a.slice(0, -2), b.slice(0, -2));
  return [...batch, a[a.length - 2]!, b[b.length - 1]!];
}

/** Product of dims, symbolic when any is. */
export function dimProduct(dims: readonly Dim[]): Dim {
  let num = 1;
  const syms: string[] = [];
  for (const d of dims) {
    if (typeof d === "number") num *= d;
    else syms.push(d);
  }
  if (syms.length === 0) return num;
  return num === 1 ? syms.join("*") : `${syms.join("*")}*${num}`;
}

/** Reshape target: 0 copies the input dim, -1 takes what is left (symbolic when the input is). */
export function reshapeShape(input: Shape, target: readonly number[]): Dim[] {
  const out: Dim[] = target.map((t, i) => {
    if (t === 0) {
      const d = input[i];
      if (d === undefined) throw new ShapeError(`Reshape: 0 at axis ${i} but input has rank ${input.length}`);
      return d;
    }
    return t;
  });
  const neg = out.indexOf(-1);
  if (neg >= 0) {
    const known = out.filter((_, i) => i !== neg);
    const total = dimProduct(input);
    const rest = dimProduct(known);
    if (typeof total === "number" && typeof rest === "number") out[neg] = total / rest;
    else if (typeof rest === "number" && typeof total === "string") {
      // "batch*tokens*768" / 768 -> "batch*tokens": strip a trailing numeric factor when it divides exactly.
      const m = /^(.*)\*(\d+)$/.exec(total);
      out[neg] = m && Number(m[2]) === rest ? m[1]! : rest === 1 ? total : `(${total})/${rest}`;
    } else out[neg] = `(${String(total)})/(${String(rest)})`;
  }
  return out;
}

export function normAxis(axis: number, rank: number, op: string): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw new ShapeError(`${op}: axis ${axis} out of range for rank ${rank}`);
  return a;
}
