import { defineCommand } from "citty";
import { DEMO_DEFAULTS, type DemoProgress, demoVerdict, demoPreferenceTable, runDemo } from "../../../analysis/demo.js";
import { SIMULATED_FAMILIES } from "../../../corpus/simulate.js";
import { intOption, jsonArgs } from "../../args.js";
import { formatTable } from "../../evaluation-output.js";
import { type Progress, progressBar } from "../../progress.js";

export default defineCommand({
  meta: {
    name: "demo",
    description:
      "The main job end to end on generated data in about 5 minutes: simulate 4 species with species-specific motif variants, train a species-aware (species embedding) and an agnostic mini model with the default recipe, evaluate both against k-mer tables by the published one-span recipe, and show which motif variant the species-aware model prefers per species",
  },
  args: {
    out: { type: "string", description: "working folder", default: DEMO_DEFAULTS.out },
    steps: { type: "string", description: "training steps per model", default: String(DEMO_DEFAULTS.steps) },
    config: { type: "string", description: "model preset (tiny, mini, small)", default: DEMO_DEFAULTS.config },
    ...jsonArgs,
  },
  run: async ({ args }) => {
    const steps = intOption(args.steps, "steps", 2, 1_000_000)!;
    const say = (s: string) => {
      if (!args.json) process.stderr.write(s + "\n");
    };
    let bar: Progress | undefined;
    const onProgress = (e: DemoProgress) => {
      if (e.kind === "corpus")
        say(
          `corpus: ${e.simulation.species} simulated species x ${e.simulation.perSpecies} regions of ${e.simulation.length} nt (bases at each species' composition), ${(e.simulation.families ?? SIMULATED_FAMILIES).length} motif families in 2 species-specific variants -> ${e.dir}`,
        );
      else if (e.kind === "training") {
        say(`training a ${e.config} species-aware (species embedding) and a species-agnostic model, ${e.steps} steps each, side by side...`);
        bar = progressBar("train", 2 * e.steps, { quiet: args.json, unit: "steps" });
      } else if (e.kind === "step") bar?.update(e.done);
      else if (e.kind === "trained") bar?.stop();
      else if (e.kind === "evaluating") say(`evaluating on ${e.regions} held-out regions (every nucleotide, one masked span per pass)...`);
      else say("species as a lens: the species-aware model told each species, at the variable bases of each motif...");
    };
    let result: Awaited<ReturnType<typeof runDemo>>;
    try {
      result = await runDemo({ out: args.out, steps, config: args.config, onProgress });
    } finally {
      bar?.stop();
    }
    const { headline: h, swap, positive, seconds, files } = result;
    if (args.json) {
      process.stdout.write(
        JSON.stringify(
          {
            ...h,
            seconds,
            steps,
            config: args.config,
            motifVariantPreference: { positive, cells: swap.preferences.length, preferences: swap.preferences },
            files,
          },
          null,
          2,
        ) + "\n",
      );
      return;
    }
    const motifRows = h.models.map(
      (m) => `${m.name}\t${m.motif.accuracy.toFixed(4)}\t${m.motif.crossEntropy.toFixed(4)}\t${m.backgroundCrossEntropy.toFixed(4)}`,
    );
    process.stdout.write(
      formatTable(result.report) +
        "\n" +
        ["model\tmotif acc\tmotif CE\tbackground CE", ...motifRows].join("\n") +
        "\n\n" +
        demoPreferenceTable(swap) +
        `\n${demoVerdict(h)}\nthe species-aware model prefers each species' own motif variant in ${positive} of ${swap.preferences.length} (family, species) cells\n` +
        `${seconds.total.toFixed(0)} s (training ${seconds.training.toFixed(0)} s); report: ${files.html}\n`,
    );
  },
});
