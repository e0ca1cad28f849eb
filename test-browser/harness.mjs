// What the browser test and bench/browser-reconstruct.mjs share: build the app when its sources are
// newer, serve it with `specieslm serve --port 0`, and launch Debian's Chromium through playwright-core.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

/** Newest modification time under a path (files only). */
function newest(path) {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((n) => newest(join(path, n))));
}

/** Builds the library (the CLI's serve) and the app when they are missing or older than their sources. */
export function buildIfNeeded() {
  const opts = { cwd: ROOT, stdio: "inherit" };
  const lib = newest(join(ROOT, "src"));
  if (!existsSync(join(ROOT, "dist/cli/main.js")) || newest(join(ROOT, "dist")) < lib) {
    execFileSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], opts);
  }
  const app = Math.max(lib, ...["web/src", "web/index.html", "web/vite.config.ts"].map((p) => newest(join(ROOT, p))));
  if (!existsSync(join(ROOT, "web/dist/index.html")) || newest(join(ROOT, "web/dist")) < app) {
    execFileSync(process.execPath, [join(ROOT, "node_modules/vite/bin/vite.js"), "build", "--config", "web/vite.config.ts", "--logLevel", "warn"], opts);
  }
}

/** `specieslm serve` on 127.0.0.1 and a free port: resolves to { child, url } once it listens. */
export function serve() {
  const child = spawn(process.execPath, [join(ROOT, "dist/cli/main.js"), "serve", "--port", "0", "--host", "127.0.0.1", "--json"], {
    cwd: ROOT,
  });
  process.once("exit", () => child.kill("SIGTERM"));
  return new Promise((ok, fail) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      if (out.includes("\n")) ok({ child, url: JSON.parse(out.split("\n")[0]).url });
    });
    child.stderr.on("data", (d) => process.stderr.write(d));
    child.on("exit", (code) => fail(new Error(`specieslm serve exited with ${code}`)));
  });
}

/** Headless Chromium; without its sandbox when running as root (CI containers), where it refuses to start otherwise. */
export async function launchChromium() {
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: process.getuid?.() === 0 ? ["--no-sandbox"] : [] });
}
