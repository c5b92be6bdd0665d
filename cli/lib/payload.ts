import type { ServiceDefinition } from "../../generated/registry.js";
import { parseJson } from "../../worker/src/payload/json.js";
import { usage } from "./errors.js";
import { readSource } from "./input.js";

/** A business payload as JSON: from a file / '-' or an inline --data. {"request": {...}} is unwrapped. */
export async function readPayload(
  command: string,
  source: string | undefined,
  data: string | undefined,
): Promise<Record<string, unknown> | undefined> {
  if (source !== undefined && data !== undefined) throw usage(`${command}: give a payload file or --data, not both`);
  const where = data !== undefined ? "--data" : source === "-" ? "the payload on stdin" : `payload file ${source}`;
  const text = data ?? (source !== undefined ? await readSource(source, "payload file") : undefined);
  if (text === undefined) return undefined;
  if (text.trim() === "") throw usage(`${command}: ${where} is empty`);
  let value: unknown;
  try {
    value = parseJson(text);
  } catch (err) {
    throw usage(`${command}: ${where} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw usage(`${command}: ${where} must be a JSON object (the business request's fields)`);
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 1 && keys[0] === "request" && typeof obj.request === "object" && obj.request !== null)
    return obj.request as Record<string, unknown>;
  return obj;
}

/** The payload through the service's generated request validator: typed, or one line naming every bad field. */
export function validatePayload(command: string, def: ServiceDefinition, payload: Record<string, unknown>): object {
  const result = def.validateRequest(payload);
  if (!result.ok)
    throw usage(
      `${command}: the payload is not a valid ${def.name} request: ${result.errors.map((e) => e.messageEn).join("; ")}`,
    );
  return result.value;
}
