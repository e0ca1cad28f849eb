#!/usr/bin/env node
import { defineCommand, runMain } from "citty";
import { commands } from "./commands/index.js";
import { reportAndExit } from "./errors.js";
import { showFittedUsage } from "./usage.js";

const main = defineCommand({
  meta: {
    name: "specieslm",
    version: "0.1.0",
    description: "Species-aware DNA language models: corpora, training, reconstruction, embeddings, motifs",
  },
  subCommands: commands,
});

process.on("unhandledRejection", reportAndExit);
runMain(main, { showUsage: showFittedUsage }).catch(reportAndExit);
