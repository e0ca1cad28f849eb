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

const MB = 1024 * 1024;
const mb = (bytes: number): string => (bytes / MB).toFixed(1);

/**
 * A byte-count bar for downloads (MiB, MiB/s, ETA) on a TTY; silent in pipes. Starts on the first
 * update, so a fully cached model prints nothing.
 */
export function downloadProgress(label: string, opts: { quiet?: boolean } = {}): { update(done: number, total: number): void; stop(): void } {
  if (opts.quiet || !process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  let bar: cliProgress.SingleBar | undefined;
  const start = Date.now();
  return {
    update(done, total) {
      if (!bar) {
        bar = new cliProgress.SingleBar(
          {
            format: `${label} [{bar}] {percentage}% | {value}/{total} MiB | {speed} MiB/s | ETA {eta_formatted}`,
            stream: process.stderr,
            hideCursor: true,
            etaBuffer: 50,
            formatValue: (v, _o, type) => (type === "value" || type === "total" ? mb(v) : String(v)),
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, 0, { speed: "0" });
      }
      const secs = (Date.now() - start) / 1000;
      bar.update(done, { speed: secs > 0 ? mb(done / secs) : "0" });
    },
    stop() {
      bar?.stop();
    },
  };
}
