// Summary of experiments/sim12/motifs.sh: per run, the families recovered (best match a planted variant
// with q < 0.05), the patterns matching nothing planted (best match a decoy or q >= 0.05), and for
// by-species runs how many recovered patterns are their own species' variant.
// Usage: node experiments/sim12/motifs-summary.mjs OUT   (reads OUT/*.json and ../shared/bench/sim12/truth.json)
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { readMotifVariants } from "../../dist/index.js";

const out = process.argv[2];
const own = new Map();
for (const v of await readMotifVariants(new URL("../../../shared/bench/sim12/truth.json", import.meta.url).pathname)) {
  for (const sp of v.species) own.set(`${sp}/${v.family}`, v.variant);
}
for (const f of (await readdir(out)).filter((x) => x.endsWith(".json")).sort()) {
  const s = JSON.parse(await readFile(join(out, f), "utf8"));
  const families = new Set();
  let unmatched = 0,
    compared = 0,
    ownVariant = 0;
  for (const p of s.patterns) {
    const b = p.bestMatch;
    if (!b || b.qValue >= 0.05 || b.name.startsWith("decoy")) {
      unmatched++;
      continue;
    }
    families.add(b.name);
    const species = p.id.includes(".") ? p.id.split(".")[0] : undefined;
    if (species && own.has(`${species}/${b.name}`)) {
      compared++;
      if (own.get(`${species}/${b.name}`) === b.target) ownVariant++;
    }
  }
  const variants = species(s) ? ` own variant ${ownVariant}/${compared};` : "";
  console.log(
    `${f.replace(/\.json$/, "")}: ${s.seqlets} seqlets, ${s.patterns.length} patterns; families recovered (q < 0.05) ${[...families].sort().join(",") || "none"};${variants} matching nothing planted ${unmatched}`,
  );
}

function species(s) {
  return s.patterns.some((p) => p.id.includes("."));
}
