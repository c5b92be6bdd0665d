import { str, type Values } from "./args.js";
import { usage } from "./errors.js";
import { pipedStdin, readSource } from "./input.js";

export const TEXT_OPTIONS = {
  file: { type: "string", short: "f" },
  "keep-newline": { type: "boolean" },
} as const;

/**
 * The text to work on: the argument, --file (or '-' for stdin), or piped stdin. A file's or stdin's one final
 * line break is dropped (echo and editors add it; it is not part of the payload) unless --keep-newline.
 */
export async function readText(command: string, values: Values, positionals: string[], what: string): Promise<string> {
  const file = str(values, "file");
  const arg = positionals[0];
  if (file !== undefined && arg !== undefined)
    throw usage(`${command}: give the ${what} as an argument or --file, not both`);
  if (arg !== undefined && arg !== "-") {
    if (arg === "") throw usage(`${command}: the ${what} is empty`);
    return arg;
  }
  let text: string | undefined;
  if (file !== undefined || arg === "-") text = await readSource(file ?? "-", `${what} file`);
  else text = await pipedStdin();
  if (text === undefined) throw usage(`${command}: give the ${what} as an argument, --file <path>, or on stdin`);
  const result = values["keep-newline"] === true ? text : text.replace(/\r?\n$/, "");
  if (result === "") throw usage(`${command}: the ${what} is empty`);
  return result;
}
