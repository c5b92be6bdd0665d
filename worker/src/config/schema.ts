/**
 * The building blocks of the configuration schemas (TENANTS, a registry record, their keys, alerts and
 * rateLimit), with valibot: checked ahead of any request, no eval (Workers refuse it), and the TypeScript types
 * inferred from the schemas, so nothing restates them.
 *
 * Messages are templates said of the setting's path, which `problem` puts in front: "must be …" follows it after
 * a space, ": …" directly (`TENANTS[0].hisHeaders: "a b" is not a valid header name`). Every schema here names
 * its own message; the fallback never quotes the value either, since a value may be a key or a token.
 */
import * as v from "valibot";
import { isRecord } from "../lib/object.js";

export class ConfigError extends Error {
  override name = "ConfigError";
}

const NOT_VALID = "is not valid";

/** A JSON object whose settings are exactly `entries` (a typo is refused, not ignored); `required` overrides "is required" per setting. */
export function settings<const E extends v.ObjectEntries>(
  entries: E,
  shape = "must be an object",
  required: Partial<Record<keyof E, string>> = {},
) {
  return v.pipe(
    v.unknown(),
    v.guard(isRecord, shape),
    v.strictObject(entries, (issue) => {
      const item = issue.path?.[0];
      if (issue.expected === "never") return "is not a known setting";
      return item ? (required[String(item.key)] ?? "is required") : shape;
    }),
  );
}

/**
 * `schema`, with any fault inside it reported as the one `message` of the whole value: a route or a list of
 * service names is one setting to the operator, and its message says what the whole must look like.
 */
export function whole<const S extends v.GenericSchema>(
  schema: S,
  message: string | ((issue: v.BaseIssue<unknown>) => string),
) {
  return v.pipe(
    v.unknown(),
    v.guard((x): x is v.InferInput<S> => v.is(schema, x), message),
    schema,
  );
}

const NON_EMPTY = "must be a non-empty string";
export const nonEmptyString = v.pipe(v.string(NON_EMPTY), v.nonEmpty(NON_EMPTY));

const POSITIVE_INT = "must be a positive integer";
export const positiveInt = v.pipe(v.number(POSITIVE_INT), v.integer(POSITIVE_INT), v.minValue(1, POSITIVE_INT));

export function isHttpUrl(s: string): boolean {
  if (!URL.canParse(s)) return false;
  const { protocol } = new URL(s);
  return protocol === "http:" || protocol === "https:";
}

/** An http(s) URL: an alert's group robot (a base URL adds its own rule, config/tenants.ts). */
export const httpUrl = (message = "must be an http(s) URL") => v.pipe(v.string(message), v.check(isHttpUrl, message));

/**
 * Where a JSON text fails to parse, as " (line 3 column 14)", from the SyntaxError: only the place, never the text
 * V8 quotes around it, which in a configuration holds keys and tokens.
 */
export function jsonErrorPlace(err: unknown): string {
  const place = err instanceof Error ? /line \d+ column \d+|position \d+/.exec(err.message)?.[0] : undefined;
  return place ? ` (${place})` : "";
}

/** An issue's path as the operator wrote the setting: `.name` for an object's, `[i]` for a list's. */
function pathText(path: readonly v.IssuePathItem[]): string {
  return path.map((item) => (typeof item.key === "number" ? `[${item.key}]` : `.${String(item.key)}`)).join("");
}

/** The first issue of a failed parse as one sentence, naming the exact setting: `TENANTS[0].hisUrl must be …`. */
export function problem(issue: v.BaseIssue<unknown>, at: string): string {
  let path: readonly v.IssuePathItem[] = issue.path ?? [];
  // A record's key refused by its own check (a header name, a service name) is said of the record.
  const last = path.at(-1);
  if (last?.origin === "key" && issue.type !== "strict_object") path = path.slice(0, -1);
  const message = issue.message;
  return `${at}${pathText(path)}${message.startsWith(":") ? "" : " "}${message}`;
}

/** `schema`'s output for `input`, or a ConfigError naming the first fault's setting under `at`. */
export function parseConfig<const S extends v.GenericSchema>(schema: S, input: unknown, at: string): v.InferOutput<S> {
  const result = v.safeParse(schema, input, { abortEarly: true, message: NOT_VALID });
  if (!result.success) throw new ConfigError(problem(result.issues[0], at));
  return result.output;
}

/** Path items for an issue a rawCheck raises below the value it checks: a list's item, an object's setting. */
export const itemAt = (list: readonly unknown[], key: number): v.ArrayPathItem => ({
  type: "array",
  origin: "value",
  input: list,
  key,
  value: list[key],
});
export const settingAt = (entry: Record<string, unknown>, key: string): v.ObjectPathItem => ({
  type: "object",
  origin: "value",
  input: entry,
  key,
  value: entry[key],
});
