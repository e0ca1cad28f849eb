import { defineCommand } from "citty";
import { InputError } from "../../../errors.js";
import { gatherFiles } from "../../../io/gather.js";
import { jsonArgs } from "../../args.js";

export default defineCommand({
  meta: { name: "gather", description: "Concatenate --shard i/n outputs in order into the unsharded output (one header kept for TSV)" },
  args: {
    files: { type: "positional", description: "shard outputs, in shard order (0/n first)", required: true },
    output: { type: "string", alias: "o", description: "output file (written atomically)", required: true },
    header: {
      type: "boolean",
      description: "inputs start with a header line (TSV of reconstruct, embed); --no-header for FASTA from extract",
      default: true,
    },
    ...jsonArgs,
  },
  async run({ args }) {
    const files = args._;
    if (files.length === 0) throw new InputError("gather needs the shard outputs to concatenate");
    const r = await gatherFiles(files, args.output, { header: args.header });
    if (args.json) process.stdout.write(JSON.stringify({ output: args.output, ...r }) + "\n");
    else process.stderr.write(`gathered ${r.files} files (${r.bytes} bytes) -> ${args.output}\n`);
  },
});
