// A minimal stand-in for the Hugging Face Hub's resolve endpoint, for the browser test (the vitest
// FakeHub in test/helpers/hub-server.ts is TypeScript, which this plain Node test cannot import):
// one folder served as ORG/NAME at one branch and its commit, with the Hub's CORS headers, its
// X-Repo-Commit, 302 redirects for weight files (LFS), and 404s with X-Error-Code.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";

const CORS = {
  "access-control-allow-origin": "*",
  "access-control-expose-headers": "X-Repo-Commit, X-Error-Code, X-Linked-Size, X-Linked-ETag, ETag, Content-Length",
};

/** Serves `dir` as `repo` at `branch` on 127.0.0.1; resolves to { url, commit, requests, stop() }. */
export async function serveHub(dir, repo, branch) {
  const files = new Map(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f))]));
  const commit = createHash("sha1").update(`commit ${repo}@${branch}`).digest("hex");
  const requests = [];
  const fail = (res, status, code) => res.writeHead(status, { ...CORS, "x-error-code": code }).end(code);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    requests.push(`${req.method} ${path}`);
    if (req.method === "OPTIONS") return res.writeHead(204, { ...CORS, "access-control-allow-headers": "*" }).end();
    const blob = /^\/lfs-blobs\/(.+)$/.exec(path);
    if (blob && files.has(blob[1])) return res.writeHead(200, { ...CORS, "content-length": files.get(blob[1]).length }).end(files.get(blob[1]));
    const m = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(path);
    if (!m || m[1] !== repo) return fail(res, 404, "RepoNotFound");
    if (m[2] !== branch && m[2] !== commit) return fail(res, 404, "RevisionNotFound");
    const body = files.get(m[3]);
    if (!body) return fail(res, 404, "EntryNotFound");
    const head = { ...CORS, "x-repo-commit": commit };
    if (/\.(bin|safetensors)$/.test(m[3])) return res.writeHead(302, { ...head, location: `/lfs-blobs/${m[3]}` }).end();
    res.writeHead(200, { ...head, "content-length": body.length }).end(body);
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    commit,
    requests,
    stop: () =>
      new Promise((ok) => {
        server.closeAllConnections();
        server.close(ok);
      }),
  };
}
