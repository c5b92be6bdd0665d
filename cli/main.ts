// hisgate, the integrator's CLI: `npx hisgate <command>` (cli/hisgate.mjs loads this through tsx).
import { readFileSync } from "node:fs";
import { callCommand } from "./commands/call.js";
import { checkCommand } from "./commands/check.js";
import { decryptCommand } from "./commands/decrypt.js";
import { encryptCommand } from "./commands/encrypt.js";
import { profileCommand } from "./commands/profile.js";
import { signCommand } from "./commands/sign.js";
import { tenantsCommand } from "./commands/tenants.js";
import { traceCommand } from "./commands/trace.js";
import { verifyCommand } from "./commands/verify.js";
import type { Command } from "./lib/command.js";
import { CliError, oneLine, usage } from "./lib/errors.js";
import { err, out, pad } from "./lib/output.js";

const COMMANDS: readonly Command[] = [
  signCommand,
  verifyCommand,
  encryptCommand,
  decryptCommand,
  callCommand,
  checkCommand,
  tenantsCommand,
  traceCommand,
  profileCommand,
];

const HELP = `Usage: hisgate <command> [options]     (hisgate <command> --help for its options)

The integrator's tool for the platform <-> hospital interface standard, built on the gateway's own code.

Commands:
${COMMANDS.map((c) => `  ${pad(c.name, 9)} ${c.summary}`).join("\n")}

Keys, URLs and tokens may come from HISGATE_KEY, HISGATE_URL, HISGATE_PARTNER, HISGATE_HOSPITAL and
HISGATE_TOKEN instead of options (keeps the key out of shell history). Exit codes: 0 ok, 1 a check or call
failed, 2 bad input.`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined)
    throw usage(`missing command (${COMMANDS.map((c) => c.name).join(", ")}; see hisgate --help)`);
  if (name === "--help" || name === "-h" || name === "help") {
    const topic = COMMANDS.find((c) => c.name === rest[0]);
    out(topic ? topic.help : HELP);
    return 0;
  }
  if (name === "--version" || name === "-V") return (out(version()), 0);
  const command = COMMANDS.find((c) => c.name === name);
  if (!command)
    throw usage(`unknown command ${JSON.stringify(name)} (commands: ${COMMANDS.map((c) => c.name).join(", ")})`);
  return command.run(rest);
}

// A closed pipe (`hisgate check … | head`) is not an error.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
});

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  if (e instanceof CliError) {
    err(`hisgate: ${oneLine(e)}`);
    process.exitCode = e.exitCode;
  } else {
    // Never a stack trace: one line, and the exit code of an internal software error.
    err(`hisgate: internal error: ${oneLine(e)}`);
    process.exitCode = 70;
  }
}
