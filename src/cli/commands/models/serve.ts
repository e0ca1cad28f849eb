import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineCommand } from "citty";
import { InputError } from "../../../errors.js";
import { intOption, jsonArgs } from "../../args.js";
import { listen, staticServer } from "../../static-server.js";

/** web/dist of this package: dist/cli/commands/models/ -> the package root. */
const BUILT_APP = fileURLToPath(new URL("../../../../web/dist/", import.meta.url));

export default defineCommand({
  meta: {
    name: "serve",
    description: "Serve the browser app (web/dist) cross-origin isolated, so models run locally in the browser with wasm threads",
  },
  args: {
    ...jsonArgs,
    dir: { type: "string", description: "folder to serve (default: the built app, web/dist)" },
    port: { type: "string", description: "port (0 = any free port)", default: "8080" },
    host: { type: "string", description: "interface to listen on", default: "127.0.0.1" },
  },
  run: async ({ args }) => {
    const dir = args.dir ?? BUILT_APP;
    if (!existsSync(join(dir, "index.html"))) {
      throw new InputError(`no built app in ${dir} (index.html missing): run \`npm run web:build\` first, or pass --dir`);
    }
    const port = intOption(args.port, "port", 0, 65535) ?? 8080;
    const server = staticServer(dir);
    const url = await listen(server, port, args.host);
    if (args.json) process.stdout.write(JSON.stringify({ url, dir }) + "\n");
    else process.stderr.write(`serving ${dir} at ${url} (Ctrl-C to stop)\n`);
    await new Promise<void>((done) => {
      const stop = () => server.close(() => done());
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
  },
});
