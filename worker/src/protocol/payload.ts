import type { ServiceDefinition, Shape } from "../../../generated/registry.js";
import { GatewayError } from "../errors.js";
import { parseJson } from "../payload/json.js";
import { parseXmlDocument, writeXml } from "../payload/xml.js";
import { decodeUtf8, sniff, type PayloadFormat } from "./text.js";
import { fieldOf, isObject, isRecord, messageOf } from "../lib/object.js";

export type PayloadKind = "request" | "response";

/** Decrypted bytes -> the business payload tree (text leaves), ready for the generated validator. */
export function decodePayload(bytes: Uint8Array, def: ServiceDefinition, kind: PayloadKind): unknown {
  const text = decodeUtf8(bytes, `the decrypted ${kind}`);
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
    } catch (cause) {
      throw new GatewayError(illegalCode, messageOf(cause), [], { cause });
    }
  }
  if (format === "json") {
    let value: unknown;
    try {
      value = parseJson(text);
    } catch (cause) {
      throw new GatewayError(illegalCode, messageOf(cause), [], { cause });
    }
    // Tolerate {"request": {...}} (and the seed's §4.2.3 `"request": [{...}]`) as well as the bare object.
    if (isRecord(value) && Object.keys(value).length === 1 && kind in value) {
      const inner = fieldOf(value, kind);
      value = Array.isArray(inner) && inner.length === 1 ? inner[0] : inner;
    }
    return value;
  }
  throw new GatewayError(illegalCode, `the ${kind} payload is neither XML nor JSON`);
}

/** Typed values -> wire text, in the table's order (the platform's JSON carries every value as text). */
export function toWire(shape: Shape, value: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, children] of shape) {
    const v = fieldOf(value, name);
    if (v === undefined || v === null) continue;
    // A list node's items are objects once validated; anything else has no fields to write.
    out[name] = children
      ? (Array.isArray(v) ? v : [v]).map((item) => (isObject(item) ? toWire(children, item) : {}))
      : String(v);
  }
  return out;
}

export function encodePayload(def: ServiceDefinition, kind: PayloadKind, value: object, format: PayloadFormat): string {
  const shape = kind === "request" ? def.request : def.response;
  return format === "xml" ? writeXml(kind, shape, value) : JSON.stringify(toWire(shape, value));
}
