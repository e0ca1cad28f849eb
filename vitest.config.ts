import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // ORT sessions and training steps are CPU-heavy; two CI cores run files one by one.
    pool: "forks",
    poolOptions: { forks: { singleFork: false, maxForks: 2 } },
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
