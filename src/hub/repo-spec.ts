import { InputError } from "../errors.js";
import { findAlias, type ModelAlias } from "./aliases.js";

/** A model named on the Hub: ORG/NAME at a revision (branch, tag or commit). */
export interface RepoSpec {
  readonly repo: string;
  readonly revision: string;
  readonly alias?: ModelAlias;
}

// The Hub's repo id rule: ORG/NAME of letters, digits, '-', '_', '.'; no '--' or '..', no leading/trailing '-' '.'.
const PART = /^[A-Za-z0-9](?:[\w.-]{0,94}[A-Za-z0-9])?$/;
const isRepoId = (s: string): boolean => {
  const parts = s.split("/");
  return parts.length === 2 && parts.every((p) => PART.test(p) && !p.includes("--") && !p.includes(".."));
};

export const COMMIT_HASH = /^[0-9a-f]{40}$/;

/**
 * Parses `ORG/NAME[@REV]` or an alias (specieslm-3p, ...); `revision` (--revision) applies when the
 * name carries no '@'. Returns undefined when the text is not a Hub name at all (a mistyped path).
 */
export function parseRepoSpec(text: string, revision?: string): RepoSpec | undefined {
  const at = text.indexOf("@");
  const name = at < 0 ? text : text.slice(0, at);
  const rev = at < 0 ? undefined : text.slice(at + 1);
  if (rev === "") throw new InputError(`--model ${text}: nothing after '@'; write ORG/NAME@REVISION (a branch, tag or commit)`);
  if (rev !== undefined && revision !== undefined && rev !== revision) {
    throw new InputError(`--model ${text} names revision ${rev} but --revision says ${revision}; give one`);
  }
  const alias = findAlias(name);
  if (alias) {
    if ((rev ?? revision) !== undefined && (rev ?? revision) !== alias.revision) {
      throw new InputError(`${name} is ${alias.repo}@${alias.revision}; to load another revision write ${alias.repo}@REVISION`);
    }
    return { repo: alias.repo, revision: alias.revision, alias };
  }
  if (!isRepoId(name)) return undefined;
  return { repo: name, revision: rev ?? revision ?? "main" };
}

export const formatSpec = (s: { repo: string; revision: string }): string => `${s.repo}@${s.revision}`;
