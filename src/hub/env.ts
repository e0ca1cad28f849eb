import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { DEFAULT_HUB_ENDPOINT } from "./endpoint.js";

/** The Hugging Face Hub settings huggingface_hub reads from the environment, read the same way. */
export interface HubEnv {
  /** Base URL without a trailing slash (HF_ENDPOINT; https://huggingface.co by default). */
  readonly endpoint: string;
  /** HF_TOKEN, else the token file huggingface-cli login writes ($HF_HOME/token). */
  readonly token: string | undefined;
  /** HF_HUB_OFFLINE=1: the cache only, no request leaves the machine. */
  readonly offline: boolean;
  /** $HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub (XDG_CACHE_HOME honoured). */
  readonly cacheDir: string;
}

const TRUE_VALUES = new Set(["1", "on", "yes", "true"]);
const truthy = (v: string | undefined): boolean => TRUE_VALUES.has((v ?? "").trim().toLowerCase());

export function hfHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.HF_HOME || join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "huggingface");
}

export function hubEnv(env: NodeJS.ProcessEnv = process.env): HubEnv {
  const home = hfHome(env);
  let token = env.HF_TOKEN || env.HUGGING_FACE_HUB_TOKEN || undefined;
  const tokenFile = env.HF_TOKEN_PATH || join(home, "token");
  if (!token && existsSync(tokenFile)) token = readFileSync(tokenFile, "utf8").trim() || undefined;
  return {
    endpoint: (env.HF_ENDPOINT || DEFAULT_HUB_ENDPOINT).replace(/\/+$/, ""),
    token,
    offline: truthy(env.HF_HUB_OFFLINE) || truthy(env.TRANSFORMERS_OFFLINE),
    cacheDir: env.HF_HUB_CACHE || env.HUGGINGFACE_HUB_CACHE || join(home, "hub"),
  };
}
