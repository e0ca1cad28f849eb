import { type ArgsDef, type CommandDef, renderUsage } from "citty";

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes start with ESC
const ANSI = /\x1b\[[0-9;]*m/g;
const visibleLength = (s: string): number => s.replace(ANSI, "").length;

/** Raw index in `s` (which may hold ANSI colour codes) of its `n`-th visible character. */
function rawIndex(s: string, n: number): number {
  let seen = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "\x1b") {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes start with ESC
      const m = /^\x1b\[[0-9;]*m/.exec(s.slice(i));
      if (m) {
        i += m[0].length - 1;
        continue;
      }
    }
    if (seen === n) return i;
    seen++;
  }
  return s.length;
}

/**
 * One help line without trailing padding, wrapped at word boundaries to `width` columns; a table row
 * (name, 3+ spaces, description) continues under its description.
 */
export function wrapHelpLine(line: string, width: number): string {
  const trimmed = line.replace(/\s+$/, "");
  if (visibleLength(trimmed) <= width) return trimmed;
  const column = /^\s*\S.*?\s{3,}(?=\S)/.exec(trimmed.replace(ANSI, ""));
  const indent = column && column[0].length <= width / 2 ? column[0].length : 0;
  const cut = rawIndex(trimmed, indent);
  const out: string[] = [];
  let current = trimmed.slice(0, cut);
  let used = indent;
  for (const word of trimmed.slice(cut).split(/ +/)) {
    const w = visibleLength(word);
    if (used > indent && used + 1 + w > width) {
      out.push(current);
      current = " ".repeat(indent) + word;
      used = indent + w;
    } else {
      current += (used > indent ? " " : "") + word;
      used += (used > indent ? 1 : 0) + w;
    }
  }
  out.push(current);
  return out.join("\n");
}

/**
 * citty's usage text, fitted to the terminal (100 columns in a pipe): its tables pad every row to the
 * longest description. A command that runs by itself and also has subcommands shows both forms,
 * instead of a USAGE line that makes the subcommand look required.
 */
export async function renderFittedUsage<T extends ArgsDef>(cmd: CommandDef<T>, parent?: CommandDef<T>, width = terminalWidth()): Promise<string> {
  let text = await renderUsage(cmd, parent);
  const subs = cmd.subCommands ? Object.keys(await (typeof cmd.subCommands === "function" ? cmd.subCommands() : cmd.subCommands)) : [];
  // A long list of subcommands on the USAGE line cannot wrap; the COMMANDS table lists them.
  if (subs.length > 4) text = text.replace(subs.join("|"), "<command>");
  if (cmd.run && subs.length) {
    const names = subs.join("|");
    text = text.replace(/^(.*USAGE.*?)(\S*) \[OPTIONS\] (.*?)(\S*)$/m, (line) => {
      const head = line.replace(` ${names}`, "");
      const pad = " ".repeat(visibleLength(line.slice(0, line.indexOf("USAGE") + 5)) - visibleLength(line.slice(0, line.indexOf("USAGE"))) + 1);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes start with ESC
      const cmdName = /USAGE\S*\s+(?:\x1b\[[0-9;]*m)*(\S+(?: \S+)*?) \[OPTIONS\]/.exec(line)?.[1] ?? "";
      return `${head}\n${pad}${cmdName} ${names} [OPTIONS]`;
    });
  }
  return text
    .split("\n")
    .map((l) => wrapHelpLine(l, width))
    .join("\n");
}

function terminalWidth(): number {
  return Math.max(60, process.stdout.isTTY && process.stdout.columns ? process.stdout.columns : 100);
}

export async function showFittedUsage<T extends ArgsDef>(cmd: CommandDef<T>, parent?: CommandDef<T>): Promise<void> {
  process.stdout.write((await renderFittedUsage(cmd, parent)) + "\n\n");
}
