import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";

/**
 * A local stand-in for the Hugging Face Hub (127.0.0.1, random port): the resolve endpoint with LFS
 * redirects and etag headers, the model API (revision, tree), 401 for gated repositories, 404 with
 * X-Error-Code, and knobs to cut a body midway or corrupt it. Every request is logged.
 */
export interface HubFile {
  path: string;
  bytes: Buffer;
  lfs: boolean;
  gitSha1: string;
  sha256: string;
}
export interface HubRevision {
  commit: string;
  files: HubFile[];
}
export interface HubRepo {
  gated?: boolean;
  revisions: Record<string, HubRevision>;
}
export interface LoggedRequest {
  method: string;
  url: string;
  range?: string;
  auth?: string;
}

export const TOKEN = "hf_test_token";
const LFS_SUFFIXES = [".bin", ".safetensors"]; // the Hub's default .gitattributes puts these in LFS

export const gitSha1 = (b: Buffer): string => createHash("sha1").update(`blob ${b.length}\0`).update(b).digest("hex");
export const sha256 = (b: Buffer): string => createHash("sha256").update(b).digest("hex");
const commitOf = (seed: string): string => createHash("sha1").update(`commit ${seed}`).digest("hex");

export function hubFile(path: string, bytes: Buffer): HubFile {
  return { path, bytes, lfs: LFS_SUFFIXES.some((s) => path.endsWith(s)), gitSha1: gitSha1(bytes), sha256: sha256(bytes) };
}

/** A revision from a folder's files (or a subset), with a commit hash derived from the seed. */
export function revisionFromDir(dir: string, seed: string, only?: (f: string) => boolean): HubRevision {
  const files = readdirSync(dir)
    .filter((f) => !only || only(f))
    .sort()
    .map((f) => hubFile(f, readFileSync(join(dir, f))));
  return { commit: commitOf(seed), files };
}

/** LFS pointer text, whose git sha1 is the ETag the Hub sends beside X-Linked-Etag. */
const pointer = (f: HubFile): Buffer => Buffer.from(`version https://git-lfs.github.com/spec/v1\noid sha256:${f.sha256}\nsize ${f.bytes.length}\n`);

export class FakeHub {
  readonly requests: LoggedRequest[] = [];
  /** Files whose next body is cut after half its bytes (the connection dropped). */
  readonly cutOnce = new Set<string>();
  /** Files served with one byte flipped (headers and metadata stay right). */
  readonly corrupt = new Set<string>();
  private server: Server;
  url = "";

  constructor(readonly repos: Record<string, HubRepo>) {
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.requestTimeout = 10_000;
    this.server.headersTimeout = 5_000;
  }

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private fail(res: ServerResponse, status: number, code: string): void {
    res.writeHead(status, { "x-error-code": code, "content-type": "application/json" }).end(JSON.stringify({ error: code }));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? "/", this.url);
    this.requests.push({
      method: req.method ?? "",
      url: url.pathname + url.search,
      ...(req.headers.range ? { range: req.headers.range } : {}),
      ...(req.headers.authorization ? { auth: req.headers.authorization } : {}),
    });
    const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    if (parts[0] === "lfs-blobs") {
      this.sendBody(req, res, this.findBlob(parts[1]!), {});
      return;
    }
    const api = parts[0] === "api" && parts[1] === "models";
    const [org, name, kind, rev, ...rest] = api ? parts.slice(2) : parts;
    const repoId = `${org}/${name}`;
    const repo = this.repos[repoId];
    if (!repo) {
      this.fail(res, 404, "RepoNotFound");
      return;
    }
    if (repo.gated && req.headers.authorization !== `Bearer ${TOKEN}`) {
      this.fail(res, 401, "GatedRepo");
      return;
    }
    const revision = rev === undefined ? undefined : (repo.revisions[rev] ?? Object.values(repo.revisions).find((r) => r.commit === rev));
    if (!revision) {
      this.fail(res, 404, "RevisionNotFound");
      return;
    }
    const json = (body: unknown): void => void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (api && kind === "revision") {
      json({ id: repoId, sha: revision.commit, siblings: revision.files.map((f) => ({ rfilename: f.path })) });
      return;
    }
    if (api && kind === "tree") {
      json(
        revision.files.map((f) => ({
          type: "file",
          path: f.path,
          oid: f.lfs ? gitSha1(pointer(f)) : f.gitSha1,
          size: f.bytes.length,
          ...(f.lfs ? { lfs: { oid: f.sha256, size: f.bytes.length, pointerSize: pointer(f).length } } : {}),
        })),
      );
      return;
    }
    if (api || kind !== "resolve") {
      this.fail(res, 404, "EntryNotFound");
      return;
    }
    const file = revision.files.find((f) => f.path === rest.join("/"));
    if (!file) {
      this.fail(res, 404, "EntryNotFound");
      return;
    }
    const headers = { "x-repo-commit": revision.commit };
    if (file.lfs) {
      res
        .writeHead(302, {
          ...headers,
          location: `${this.url}/lfs-blobs/${file.sha256}`,
          etag: `"${gitSha1(pointer(file))}"`,
          "x-linked-etag": `"${file.sha256}"`,
          "x-linked-size": String(file.bytes.length),
        })
        .end();
      return;
    }
    this.sendBody(req, res, file, { ...headers, etag: `"${file.gitSha1}"` });
  }

  private findBlob(sha: string): HubFile | undefined {
    for (const repo of Object.values(this.repos)) for (const r of Object.values(repo.revisions)) for (const f of r.files) if (f.sha256 === sha) return f;
    return undefined;
  }

  /** The file's bytes with Range support; cut midway or corrupted when the test asked for it. */
  private sendBody(req: IncomingMessage, res: ServerResponse, file: HubFile | undefined, headers: Record<string, string>): void {
    if (!file) {
      this.fail(res, 404, "EntryNotFound");
      return;
    }
    let body = file.bytes;
    if (this.corrupt.has(file.path)) {
      body = Buffer.from(body);
      body[body.length >> 1]! ^= 0xff;
    }
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? "");
    const start = m ? Number(m[1]) : 0;
    if (start > body.length) return void res.writeHead(416, { "content-range": `bytes */${body.length}` }).end();
    const part = body.subarray(start);
    res.writeHead(m ? 206 : 200, {
      ...headers,
      "content-length": String(part.length),
      "accept-ranges": "bytes",
      ...(m ? { "content-range": `bytes ${start}-${body.length - 1}/${body.length}` } : {}),
    });
    if (req.method === "HEAD") return void res.end();
    if (this.cutOnce.delete(file.path)) {
      res.write(part.subarray(0, part.length >> 1), () => res.destroy());
      return;
    }
    res.end(part);
  }
}
