import { defineCommand } from "citty";
import { writeFileAtomic } from "../../../io/atomic-write.js";
import { InputError } from "../../../errors.js";
import { evaluateVariantScores, joinScoreTables, type PublishedAuroc, readScoreTable } from "../../../variants/variant-evaluation.js";
import { renderVariantReportHtml } from "../../../variants/variant-report-html.js";
import { jsonArgs, listOption } from "../../args.js";

/** "NAME=0.634;NAME=0.576" as published AUROCs. */
function publishedOption(value: string): PublishedAuroc[] {
  return value
    .split(";")
    .filter((x) => x.trim() !== "")
    .map((x) => {
      const m = /^(.+)=([0-9.]+)$/.exec(x.trim());
      const auroc = m ? Number(m[2]) : NaN;
      if (!m || !(auroc >= 0 && auroc <= 1)) throw new InputError(`--published "${x}": expected NAME=AUROC with an AUROC in [0, 1]`);
      return { name: m[1]!.trim(), auroc };
    });
}

const f3 = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? v.toFixed(3) : "-");

export default defineCommand({
  meta: {
    name: "evaluate",
    description:
      "Variant scores against a label column: binary (AUROC and AUPRC with intervals, DeLong tests) or continuous (Pearson, Spearman); HTML and JSON report",
  },
  args: {
    ...jsonArgs,
    input: {
      type: "string",
      alias: "i",
      description:
        "scores TSV from `specieslm variants` with a label column (table inputs carry their extra columns through); NAME=FILE,NAME=FILE compares models scored on the same variants",
      required: true,
    },
    label: { type: "string", description: "label column: 0/1 (binary) or a measured effect (continuous)", default: "label" },
    abs: {
      type: "boolean",
      description: "effect sizes: |label| against |score| (a continuous label such as log2 fold change)",
      default: false,
    },
    scores: { type: "string", description: "score columns (default: every known score column present)" },
    output: { type: "string", alias: "o", description: "report prefix: PREFIX.html and PREFIX.json", required: true },
    title: { type: "string", description: "report title" },
    published: { type: "string", description: 'AUROCs published on the same variants, shown beside ours: "NAME=0.634;NAME=0.576"' },
  },
  run: async ({ args }) => {
    const inputs = listOption(args.input);
    const named = inputs.map((x) => /^([A-Za-z0-9_-]+)=(.+)$/.exec(x));
    const table =
      inputs.length === 1 && !named[0]
        ? await readScoreTable(inputs[0]!)
        : joinScoreTables(
            await Promise.all(
              named.map(async (m, i) => {
                if (!m) throw new InputError(`--input ${inputs[i]}: with several tables give each a name, NAME=FILE (letters, digits, _ or -)`);
                return { name: m[1]!, table: await readScoreTable(m[2]!) };
              }),
            ),
          );
    const scores = listOption(args.scores);
    const e = evaluateVariantScores(table, {
      label: args.label,
      abs: args.abs,
      ...(scores.length ? { scores } : {}),
      ...(args.title ? { title: args.title } : {}),
      ...(args.published ? { published: publishedOption(args.published) } : {}),
    });
    const prefix = args.output.replace(/\.(html|json)$/i, "");
    await writeFileAtomic(`${prefix}.json`, JSON.stringify(e, null, 2) + "\n");
    await writeFileAtomic(`${prefix}.html`, renderVariantReportHtml(e));
    const summary = e.scores.map((s) => ({
      score: s.name,
      n: s.n,
      auroc: s.auroc?.auroc,
      auroc_ci95: s.auroc?.ci95,
      auprc: s.auprc?.auprc,
      pearson: s.pearson?.r,
      spearman: s.spearman?.r,
    }));
    if (args.json)
      process.stdout.write(
        JSON.stringify({ kind: e.kind, label: e.label, scores: summary, published: e.published, files: [`${prefix}.html`, `${prefix}.json`] }) + "\n",
      );
    else {
      const head = e.kind === "binary" ? "score\tn\tAUROC\t95% CI\tAUPRC" : "score\tn\tPearson\tSpearman";
      const rows = e.scores.map((s) =>
        e.kind === "binary"
          ? `${s.name}\t${s.n}\t${f3(s.auroc?.auroc)}\t[${f3(s.auroc?.ci95[0])}, ${f3(s.auroc?.ci95[1])}]\t${f3(s.auprc?.auprc)}`
          : `${s.name}\t${s.n}\t${f3(s.pearson?.r)}\t${f3(s.spearman?.r)}`,
      );
      const published = e.published.map((p) => `${p.name} (published)\t-\t${f3(p.auroc)}\t-\t-`);
      process.stdout.write([head, ...rows, ...published].join("\n") + `\nreport: ${prefix}.html\n`);
    }
  },
});
