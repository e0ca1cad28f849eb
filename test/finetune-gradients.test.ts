import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildFinetunePredictGraph, buildFinetuneStepGraph, FROZEN_HIDDEN, finetuneLayout, finetuneOutput, taskLoss } from "../src/finetune/finetune-graph.js";
import { FrozenPrefix } from "../src/finetune/frozen-prefix.js";
import { HeadPredictor } from "../src/finetune/predict.js";
import { HEAD_BIAS, HEAD_WEIGHT } from "../src/finetune/head.js";
import { trainableParams } from "../src/finetune/trainable.js";
import { gradient } from "../src/graph/gradient.js";
import { serializeGraph } from "../src/graph/onnx/serialize.js";
import { GraphBuilder } from "../src/graph/builder.js";
import type { Value } from "../src/graph/types.js";
import { f32, i64, type HostTensor } from "../src/host-tensor.js";
import type { BertConfig } from "../src/model/config.js";
import { initWeights } from "../src/model/init-weights.js";
import { saveModelFolder } from "../src/model/model-folder.js";
import { presetConfig } from "../src/model/presets.js";
import { Session } from "../src/runtime/session.js";
import { stepNames } from "../src/train/step-graph.js";
import { buildVocab } from "../src/tokenizer/build-vocab.js";
import { expectGradientsMatch, randomF32 } from "./helpers/finite-diff.js";
import { HAS_SHARED, SHARED } from "./helpers/shared.js";
import { HAS_TORCH, NO_TORCH_REASON, runTorchScript } from "./helpers/torch.js";

/** A BERT small enough that every element of a layer can be perturbed (hidden 8, 2 heads, 2 layers, single nucleotides). */
const vocab = buildVocab({ k: 1, species: ["alpha", "beta"] });
const config: BertConfig = {
  ...presetConfig("tiny", {
    vocabSize: vocab.size,
    conditioning: "token",
    kmerSize: 1,
    species: ["alpha", "beta"],
    maxPositionEmbeddings: 16,
  }),
  hiddenSize: 8,
  numAttentionHeads: 2,
  intermediateSize: 16,
  numHiddenLayers: 2,
  initializerRange: 0.5,
};
const weights = initWeights(config, 11);
/** A head far from zero, so the encoder's gradients (scaled by it) are well above the finite-difference floor. */
const head = { [HEAD_WEIGHT]: randomF32([1, 8], 3), [HEAD_BIAS]: f32([1], [0.1]) };
// Two rows, the second padded: padding must stay out of the pooled mean and of the gradients.
const ids = i64([2, 7], [2, 9, 5, 6, 7, 8, 3, 2, 10, 8, 7, 3, 0, 0]);
const mask = i64([2, 7], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0]);

function inputs(extra: Record<string, HostTensor>): Record<string, HostTensor> {
  const all: Record<string, HostTensor> = { input_ids: ids, attention_mask: mask, ...extra, ...head };
  for (const n of Object.keys(finetuneLayout(config))) if (!(n in all)) all[n] = weights.get(n)!;
  return all;
}

function forwardLoss(task: "regression" | "classification") {
  return (b: GraphBuilder, x: Readonly<Record<string, Value>>): Value => {
    const out = finetuneOutput(b, config, (n) => x[n]!, { inputIds: x.input_ids!, attentionMask: x.attention_mask! });
    return taskLoss(b, task, out, task === "classification" ? x.label! : x.target!);
  };
}

describe("fine-tuning gradients against central finite differences", () => {
  it("regression (MSE): the head and the last encoder layer, with the layer below frozen", async () => {
    const wrt = trainableParams(config, 1);
    expect(wrt.some((n) => n.startsWith("bert.encoder.layer.0."))).toBe(false);
    expect(wrt).toContain("bert.encoder.layer.1.attention.self.query.weight");
    const r = await expectGradientsMatch(
      { inputs: inputs({ target: f32([2], [0.7, -1.3]) }), wrt, build: forwardLoss("regression") },
      { rtol: 2e-2, atol: 2e-3 },
    );
    expect(r.checked).toBeGreaterThan(500);
  }, 120_000);

  it("classification (BCE as two-class cross-entropy): the head and the embeddings' LayerNorm under --layers all", async () => {
    const all = trainableParams(config, "all");
    expect(all).toContain("bert.embeddings.word_embeddings.weight");
    expect(all.some((n) => n.startsWith("cls."))).toBe(false);
    const wrt = [HEAD_WEIGHT, HEAD_BIAS, "bert.embeddings.LayerNorm.weight", "bert.encoder.layer.0.output.dense.bias"];
    await expectGradientsMatch({ inputs: inputs({ label: i64([2], [1, 0]) }), wrt, build: forwardLoss("classification") }, { rtol: 2e-2, atol: 2e-3 });
  }, 120_000);

  it("the step graph updates only the trainable parameters and reads the frozen part's output, not its parameters", async () => {
    const trainable = trainableParams(config, 1);
    const s = await Session.create(buildFinetuneStepGraph(config, { batch: 2, tokens: 7, task: "regression", layers: 1, weightDecay: 0.01, maxGradNorm: 1 }));
    const updated = s.outputNames
      .filter((n) => n.startsWith("new."))
      .map((n) => n.slice(4))
      .sort();
    expect(updated).toEqual([...trainable].sort());
    expect(s.inputNames.filter((n) => n.startsWith(stepNames.m(""))).length).toBe(trainable.length);
    expect(s.inputNames).toContain(FROZEN_HIDDEN);
    expect(s.inputNames.filter((n) => n.startsWith("bert.encoder.layer.0.") || n.startsWith("bert.embeddings."))).toEqual([]);
    await s.release();
  });

  for (const [layers, maxBytes] of [
    [0, 2 ** 31],
    [1, 2 ** 31],
    [2, 2 ** 31],
    [1, 0],
  ] as const) {
    it(`--layers ${layers}${maxBytes ? ", frozen output cached" : ", frozen part rerun per batch"}: the step graph's output is the whole model's prediction`, async () => {
      const all = inputs({});
      const w = new Map(Object.entries(all).filter(([, t]) => t.dtype === "float32") as [string, HostTensor<"float32">][]);
      const encoded = { rows: 2, tokens: 7, ids: ids.data, mask: mask.data };
      const frozen = await FrozenPrefix.create(config, config.numHiddenLayers - layers, w, encoded, { threads: 1 }, maxBytes);
      expect(frozen.cached).toBe(maxBytes > 0);
      const step = await Session.create(buildFinetuneStepGraph(config, { batch: 2, tokens: 7, task: "regression", layers, weightDecay: 0, maxGradNorm: 1 }), {
        threads: 1,
      });
      const feeds: Record<string, HostTensor> = {
        [FROZEN_HIDDEN]: await frozen.hidden([1, 0]),
        attention_mask: i64([2, 7], BigInt64Array.from([...mask.data.slice(7), ...mask.data.slice(0, 7)])),
        target: f32([2], [0, 0]),
        lr: f32([], [0]),
        adam_step: f32([], [1]),
      };
      for (const n of trainableParams(config, layers)) {
        feeds[n] = w.get(n)!;
        feeds[stepNames.m(n)] = f32(w.get(n)!.shape);
        feeds[stepNames.v(n)] = f32(w.get(n)!.shape);
      }
      const got = (await step.run(feeds)).output!.data as Float32Array;
      const predict = await Session.create(buildFinetunePredictGraph(config), { threads: 1 });
      const want = (await predict.run(all)).output!.data as Float32Array;
      // rows were fed in the order 1, 0
      expect(Math.abs(got[0]! - want[1]!)).toBeLessThan(1e-5);
      expect(Math.abs(got[1]! - want[0]!)).toBeLessThan(1e-5);
      // Validation reads the same store: the trained part alone predicts what the whole model does.
      const fromStore = await HeadPredictor.create(config, encoded, frozen, { threads: 1 });
      const z = await fromStore.outputs(w, [1, 0], 1);
      expect(Math.abs(z[0]! - want[1]!)).toBeLessThan(1e-5);
      expect(Math.abs(z[1]! - want[0]!)).toBeLessThan(1e-5);
      await Promise.all([step.release(), predict.release(), frozen.release(), fromStore.release()]);
    });
  }
});

describe.skipIf(!HAS_TORCH || !HAS_SHARED)("fine-tuning loss and gradients against the PyTorch reference", () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "ft-grad-"));
    await saveModelFolder(dir, { config, vocab, weights });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const task of ["regression", "classification"] as const) {
    it(`${task}: loss, outputs and the gradients of the head and the last layer within relative 1e-4`, async () => {
      const target = task === "classification" ? i64([2], [1, 0]) : f32([2], [0.7, -1.3]);
      const names = trainableParams(config, 1);
      const b = new GraphBuilder("check");
      const x: Record<string, Value> = {};
      const feeds = inputs(task === "classification" ? { label: target } : { target });
      for (const [n, t] of Object.entries(feeds)) x[n] = b.input(n, t.dtype, t.shape);
      const out = finetuneOutput(b, config, (n) => x[n]!, { inputIds: x.input_ids!, attentionMask: x.attention_mask! });
      const loss = taskLoss(b, task, out, x[task === "classification" ? "label" : "target"]!);
      const grads = gradient(
        b,
        loss,
        names.map((n) => x[n]!),
      );
      const outputs: Record<string, Value> = { loss, output: out };
      names.forEach((n, i) => (outputs[`g${i}`] = grads.get(n)!));
      const s = await Session.create(serializeGraph(b.build(outputs)), { threads: 1 });
      const ours = await s.run(feeds);
      await s.release();
      const ref = runTorchScript<{ loss: number; output: number[]; grads: Record<string, number[]> }>("test/helpers/torch_finetune.py", {
        model: dir,
        reference: `${SHARED}reference`,
        task,
        names,
        ids: [[...ids.data.slice(0, 7)].map(Number), [...ids.data.slice(7)].map(Number)],
        mask: [[...mask.data.slice(0, 7)].map(Number), [...mask.data.slice(7)].map(Number)],
        head_weight: [...head[HEAD_WEIGHT].data],
        head_bias: head[HEAD_BIAS].data[0],
        target: [...target.data].map(Number),
      });
      expect(Math.abs((ours.loss!.data as Float32Array)[0]! - ref.loss)).toBeLessThan(1e-4 * Math.max(1, ref.loss));
      expect(Math.max(...ref.output.map((v, i) => Math.abs(v - (ours.output!.data as Float32Array)[i]!)))).toBeLessThan(1e-4);
      names.forEach((n, i) => {
        const a = ours[`g${i}`]!.data as Float32Array;
        const r = ref.grads[n]!;
        // The key bias gets no gradient in exact arithmetic (softmax ignores a shift shared by a query's
        // scores), so both sides hold float noise there: an absolute floor of 1e-6.
        const scale = Math.max(...r.map(Math.abs));
        const diff = Math.max(...r.map((v, j) => Math.abs(v - a[j]!)));
        expect(diff, n).toBeLessThan(1e-4 * scale + 1e-6);
      });
    });
  }
});

if (!HAS_TORCH) console.warn(NO_TORCH_REASON);
