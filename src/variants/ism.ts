import type { ReconstructItem } from "../infer/reconstruct.js";
import { reconstruct } from "../infer/reconstruct.js";
import type { MaskedLanguageModel } from "../runtime/masked-lm.js";
import { dependencyMap } from "./unmasked.js";
import { BASES } from "./variant.js";

export type IsmScore = "llr" | "influence";

/**
 * In-silico mutagenesis matrices, [L*4] per sequence: the score of substituting base c at position p,
 * 0 for the reference base. "llr": ln P(c) - ln P(ref) from one full rolling-mask reconstruction (the
 * pass that hides p gives all four bases at once). "influence": the variant influence of each of the
 * 3L substitutions, from the dependency-map passes. NaN where the reference base is not A/C/G/T.
 */
export async function ismMatrices(
  model: MaskedLanguageModel,
  items: readonly ReconstructItem[],
  o: { score: IsmScore; batchSize?: number; onProgress?: (doneSequences: number) => void },
): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  if (o.score === "llr") {
    const probs = await reconstruct(model, items, o.batchSize ? { batchSize: o.batchSize } : {});
    items.forEach((it, n) => {
      const p = probs[n]!;
      const m = new Float32Array(it.sequence.length * 4);
      for (let i = 0; i < it.sequence.length; i++) {
        const r = BASES.indexOf(it.sequence[i]!);
        for (let c = 0; c < 4; c++) m[i * 4 + c] = r < 0 ? NaN : Math.log(p[i * 4 + c]!) - Math.log(p[i * 4 + r]!);
      }
      out.push(m);
    });
    o.onProgress?.(items.length);
    return out;
  }
  for (const [n, it] of items.entries()) {
    const dep = await dependencyMap(model, it, o.batchSize ? { batchSize: o.batchSize } : {});
    out.push(dep.influence.map((x, a) => (BASES[a % 4] === it.sequence[Math.floor(a / 4)] ? 0 : x)));
    o.onProgress?.(n + 1);
  }
  return out;
}
