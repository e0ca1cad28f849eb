import { UnknownSpeciesError } from "../errors.js";
import type { MaskedLanguageModel } from "../runtime/masked-lm.js";
import { closestNames } from "../tokenizer/edit-distance.js";

/** The species options a model command may take (comma lists where a command compares several). */
export interface SpeciesArgs {
  readonly species?: string | undefined;
  readonly "species-proxy"?: string | undefined;
  readonly "tell-species"?: string | undefined;
}

const names = (s: string | undefined): string[] =>
  (s ?? "")
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);

/**
 * Checks every species named on the command line against the model's species before any work, with
 * the closest names in the error: `--species-proxy` must be a species the model knows; `--species` and
 * `--tell-species` must be too, unless a proxy stands in for what the model lacks. Before this, a
 * misspelt proxy passed silently whenever every record's species was known. Agnostic models take none.
 */
export function checkSpeciesArgs(model: MaskedLanguageModel, args: SpeciesArgs, modelName: string): void {
  if (model.config.conditioning === "none") return;
  const vocab = model.tokenizer.vocab;
  const check = (name: string, flag: string) => {
    if (!vocab.speciesIds.has(name)) throw new UnknownSpeciesError(name, closestNames(name, vocab.speciesNames), `${flag} (model ${modelName})`);
  };
  const proxies = names(args["species-proxy"]);
  for (const p of proxies) check(p, "--species-proxy");
  if (proxies.length > 0) return;
  for (const s of names(args.species)) check(s, "--species");
  for (const s of names(args["tell-species"])) check(s, "--tell-species");
}
