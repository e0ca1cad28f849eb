import type { CommandDef } from "citty";
import { describe, expect, it } from "vitest";
import { commands } from "../src/cli/commands/index.js";
import { renderFittedUsage, wrapHelpLine } from "../src/cli/usage.js";

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes start with ESC
const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, "");

/** Every command and subcommand with the parent its usage line is rendered under. */
async function allCommands(): Promise<[string, CommandDef, CommandDef | undefined][]> {
  const out: [string, CommandDef, CommandDef | undefined][] = [];
  const walk = async (name: string, cmd: CommandDef, parent?: CommandDef) => {
    out.push([name, cmd, parent]);
    const subs = cmd.subCommands ? await (typeof cmd.subCommands === "function" ? cmd.subCommands() : cmd.subCommands) : {};
    for (const [n, sub] of Object.entries(subs)) await walk(`${name} ${n}`, (await (typeof sub === "function" ? sub() : sub)) as CommandDef, cmd);
  };
  for (const [n, c] of Object.entries(commands)) await walk(n, (await (typeof c === "function" ? c() : c)) as CommandDef);
  return out;
}

describe("--help", () => {
  it("fits every command's help in 100 columns without trailing padding", async () => {
    const cmds = await allCommands();
    expect(cmds.length).toBeGreaterThan(25);
    for (const [name, cmd, parent] of cmds) {
      for (const line of plain(await renderFittedUsage(cmd, parent, 100)).split("\n")) {
        expect(line.length, `${name}: ${line}`).toBeLessThanOrEqual(100);
        expect(line, name).not.toMatch(/\s$/);
      }
    }
  });

  it("shows a command that runs by itself apart from its subcommand", async () => {
    const variants = (await (typeof commands.variants === "function" ? commands.variants() : commands.variants)) as CommandDef;
    const usage = plain(await renderFittedUsage(variants, undefined, 100));
    expect(usage).toMatch(/USAGE variants \[OPTIONS\]\n\s+variants evaluate \[OPTIONS\]/);
  });

  it("wraps a table row under its description, keeping colour codes whole", () => {
    const row = `    \x1b[36m--name\x1b[39m    ${"word ".repeat(30).trim()}`;
    const lines = wrapHelpLine(row, 60).split("\n");
    expect(lines.length).toBeGreaterThan(2);
    for (const l of lines) expect(plain(l).length).toBeLessThanOrEqual(60);
    expect(lines.slice(1).every((l) => l.startsWith(" ".repeat(14) + "word"))).toBe(true);
    expect(lines[0]).toContain("\x1b[36m--name\x1b[39m");
  });
});
