import { defineConfig } from "vitest/config";

/**
 * Files left out of the fast lane (`npm run test:fast`, what a developer runs while editing): each took
 * 10 s or more in a CI run on 2 cores (whole CLI runs, training, downloads, long models). `npm test` runs all.
 */
const SLOW = [
  "test/command-matrix.test.ts",
  "test/workflow-snakemake.test.ts",
  "test/variants-parity.test.ts",
  "test/hub-errors.test.ts",
  "test/readout-cli.test.ts",
  "test/scale-shard.test.ts",
  "test/five-prime.test.ts",
  "test/variants-cli.test.ts",
  "test/hub.test.ts",
  "test/train-crash.test.ts",
  "test/finetune-cli.test.ts",
  "test/io-pipes-cli.test.ts",
  "test/demo.test.ts",
];

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    exclude: ["**/node_modules/**", ...(process.env["SPECIESLM_TEST_LANE"] === "fast" ? SLOW : [])],
    // ORT sessions and training steps are CPU-heavy; two CI cores run files one by one.
    pool: "forks",
    poolOptions: { forks: { singleFork: false, maxForks: 2 } },
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
