import type { ServiceDefinition, Shape } from "../../../generated/registry.js";
import { sniff } from "../envelope/read.js";
import type { PayloadFormat } from "../env.js";
import { GatewayError } from "../errors.js";
import { parseJson } from "./json.js";
import { parseXmlDocument, writeXml } from "./xml.js";

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

export type PayloadKind = "request" | "response";

/** Decrypted bytes -> the business payload tree (text leaves), ready for the generated validator. */
export function decodePayload(bytes: Uint8Array, def: ServiceDefinition, kind: PayloadKind): unknown {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new GatewayError("ILLEGAL_ENCODING", `the decrypted ${kind} is not UTF-8`);
  }
  const nullCode = kind === "request" ? "NULL_REQUEST" : "NULL_RESPONSE";
  const illegalCode = kind === "request" ? "ILLEGAL_REQUEST" : "ILLEGAL_RESPONSE";
  if (text.trim() === "") throw new GatewayError(nullCode, `the ${kind} payload is empty`);
  // The payload's own first character decides how it is read, whatever dataFormat says.
  const format = sniff(text);
  if (format === "xml") {
    try {
      const doc = parseXmlDocument(text, def.listPaths);
      if (doc.root !== kind) throw new Error(`the payload's root element must be <${kind}>`);
      return doc.value;
    } catch (err) {
      throw new GatewayError(illegalCode, (err as Error).message);
    }
  }
  if (format === "json") {
    let value: unknown;
    try {
      value = parseJson(text);
    } catch (err) {
      throw new GatewayError(illegalCode, (err as Error).message);
    }
    // Tolerate {"request": {...}} (and the seed's §4.2.3 `"request": [{...}]`) as well as the bare object.
    if (
      value &&
      typeof value === "object" &&
      !Array.isArray(value) &&
      Object.keys(value).length === 1 &&
      kind in value
    ) {
      const inner = (value as Record<string, unknown>)[kind];
      value = Array.isArray(inner) && inner.length === 1 ? inner[0] : inner;
    }
    return value;
  }
  throw new GatewayError(illegalCode, `the ${kind} payload is neither XML nor JSON`);
}

/** Typed values -> wire text, in the table's order (the platform's JSON carries every value as text). */
export function toWire(shape: Shape, value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, children] of shape) {
    const v = value[name];
    if (v === undefined || v === null) continue;
    out[name] = children
      ? (Array.isArray(v) ? v : [v]).map((item) => toWire(children, item as Record<string, unknown>))
      : String(v);
  }
  return out;
}

export function encodePayload(
  def: ServiceDefinition,
  kind: PayloadKind,
  value: Record<string, unknown>,
  format: PayloadFormat,
): string {
  const shape = kind === "request" ? def.request : def.response;
  return format === "xml" ? writeXml(kind, shape, value) : JSON.stringify(toWire(shape, value));
}
