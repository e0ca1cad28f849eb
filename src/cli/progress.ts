import cliProgress from "cli-progress";

export interface Progress {
  update(done: number, total?: number): void;
  stop(): void;
}

/**
 * A progress bar with rate and ETA on a TTY; silent in pipes and under --json, so machine output
 * stays clean.
 */
export function progressBar(label: string, total: number, opts: { quiet?: boolean; unit?: string } = {}): Progress {
  if (opts.quiet || !process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} ${opts.unit ?? "items"} | {speed}/s | ETA {eta_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  const start = Date.now();
  bar.start(total, 0, { speed: "0" });
  return {
    update(done, newTotal) {
      if (newTotal !== undefined) bar.setTotal(newTotal);
      const secs = (Date.now() - start) / 1000;
      bar.update(done, { speed: secs > 0 ? (done / secs).toFixed(1) : "0" });
    },
    stop() {
      bar.stop();
    },
  };
}
