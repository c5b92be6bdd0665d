import { parseArgs } from "node:util";
import { usage } from "./errors.js";

export type OptionSpec = Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }>;
export type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface Parsed {
  values: Values;
  positionals: string[];
}

/** Options every command takes. */
export const COMMON: OptionSpec = { help: { type: "boolean", short: "h" } };

/** The hospital's key (also HISGATE_KEY). */
export const KEY: OptionSpec = { key: { type: "string", short: "k" } };

/** A hisgate deployment and the tenant the platform calls it as. */
export const PEER: OptionSpec = {
  url: { type: "string" },
  partner: { type: "string" },
  hospital: { type: "string" },
  token: { type: "string" },
  timeout: { type: "string" },
  verbose: { type: "boolean", short: "v" },
};

/**
 * node:util parseArgs, strict, with its errors turned into one short line. `maxPositionals` bounds the
 * positional arguments the command accepts.
 */
export function parse(command: string, argv: string[], options: OptionSpec, maxPositionals: number): Parsed {
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options: { ...COMMON, ...options }, allowPositionals: true, strict: true });
  } catch (err) {
    throw usage(`${command}: ${parseArgsMessage(err)} (see hisgate ${command} --help)`);
  }
  if (!parsed.values.help && parsed.positionals.length > maxPositionals) {
    const extra = parsed.positionals[maxPositionals]!;
    throw usage(`${command}: unexpected argument ${JSON.stringify(extra)} (see hisgate ${command} --help)`);
  }
  return parsed;
}

function parseArgsMessage(err: unknown): string {
  const e = err as { code?: string; message?: string };
  const message = e.message ?? String(err);
  // "Option '-k, --key <value>' argument missing" / "Unknown option '--foo'": the long name when there is one.
  const option = /'(?:-\w, )?(-{1,2}[^' ,]+)/.exec(message)?.[1];
  switch (e.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown option ${option ?? message}`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      return message.includes("does not take an argument")
        ? `option ${option} takes no value`
        : `option ${option} needs a value (write ${option}=<value> when the value starts with -)`;
    default:
      return message.split(/\.\s/)[0]!;
  }
}

export function str(values: Values, name: string): string | undefined {
  const v = values[name];
  return typeof v === "string" ? v : undefined;
}

export function flag(values: Values, name: string): boolean {
  return values[name] === true;
}

export function list(values: Values, name: string): string[] {
  const v = values[name];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === "string");
  return typeof v === "string" ? [v] : [];
}

/** An option restricted to a few values. */
export function choice<T extends string>(
  command: string,
  values: Values,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const v = str(values, name);
  if (v === undefined) return fallback;
  const lower = v.toLowerCase() as T;
  if (!allowed.includes(lower)) throw usage(`${command}: --${name} must be one of ${allowed.join(", ")}, not ${v}`);
  return lower;
}

/** A positive integer option (milliseconds, counts). */
export function positiveInt(command: string, values: Values, name: string, fallback: number): number {
  const v = str(values, name);
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v) || Number(v) <= 0) throw usage(`${command}: --${name} must be a positive integer, not ${v}`);
  return Number(v);
}
