import { requestParams, responseParams } from "../../../generated/envelope.js";
import { GatewayError } from "../errors.js";
import { parseJson } from "../payload/json.js";
import { parseXmlDocument } from "../payload/xml.js";
import { sniff, type PayloadFormat } from "./text.js";
import { isObject, isRecord, messageOf } from "../lib/object.js";

/** The base parameters of one platform request, as text, and the format it arrived in. */
export interface InboundEnvelope {
  params: Record<string, string>;
  format: PayloadFormat;
  /** The service spelling from the URL path (GET /wd/api/{service}), when there is one. */
  pathService?: string;
}

const KNOWN = new Set(requestParams.map((p) => p.name));

function collect(source: object): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(source)) {
    // Only the standard's base params are read; anything else (logNo, version, …) is neither signed nor used.
    if (!KNOWN.has(k) || v === undefined || v === null) continue;
    if (typeof v === "string") params[k] = v;
    else if (typeof v === "number") params[k] = String(v);
    else throw new GatewayError("ILLEGAL_REQUEST", `base parameter ${k} must be text`);
  }
  return params;
}

/** Reads a POSTed envelope: XML <root> or a JSON object. */
export function readEnvelopeBody(text: string): InboundEnvelope {
  const format = sniff(text);
  if (text.trim() === "") throw new GatewayError("NULL_REQUEST", "empty body");
  if (!format) throw new GatewayError("ILLEGAL_REQUEST", "the body is neither an XML <root> nor a JSON object");
  if (format === "xml") {
    let doc: { root: string; value: unknown };
    try {
      doc = parseXmlDocument(text);
    } catch (cause) {
      throw new GatewayError("ILLEGAL_REQUEST", messageOf(cause), [], { cause });
    }
    if (doc.root !== "root") throw new GatewayError("ILLEGAL_REQUEST", "the root element must be <root>");
    if (!isObject(doc.value)) throw new GatewayError("NULL_REQUEST", "<root> is empty");
    return { params: collect(doc.value), format };
  }
  let value: unknown;
  try {
    value = parseJson(text);
  } catch (cause) {
    throw new GatewayError("ILLEGAL_REQUEST", messageOf(cause), [], { cause });
  }
  if (!isRecord(value)) throw new GatewayError("ILLEGAL_REQUEST", "the JSON envelope must be an object");
  return { params: collect(value), format };
}

/** GET /wd/api/{service}?partner=…: the base params URL-encoded in the query (§1.2). */
export function readEnvelopeQuery(url: URL, pathService: string): InboundEnvelope {
  const params: Record<string, string> = {};
  for (const [k, v] of url.searchParams) {
    if (KNOWN.has(k)) params[k] = v;
  }
  // An unencoded "+" in base64 reaches us as a space; base64 has no spaces, so put the plus back.
  if (params.requestEncrypted) params.requestEncrypted = params.requestEncrypted.replaceAll(" ", "+");
  if (!params.service) params.service = pathService;
  const stated = params.dataFormat?.toLowerCase();
  return { params, format: stated === "xml" ? "xml" : "json", pathService };
}

/** Replies follow the request's dataFormat; without one, the format the envelope itself came in. */
export function replyFormatOf(envelope: InboundEnvelope): PayloadFormat {
  const stated = envelope.params.dataFormat?.toLowerCase();
  return stated === "xml" || stated === "json" ? stated : envelope.format;
}

/** Lengths and allowed values of the base params (§1.4), checked once the envelope is authenticated. */
export function checkEnvelopeParams(params: Readonly<Record<string, string>>): void {
  for (const p of requestParams) {
    const v = params[p.name];
    if (v === undefined) continue;
    if (p.maxLength !== undefined && v.length > p.maxLength) {
      throw new GatewayError("ILLEGAL_REQUEST", `base parameter ${p.name} exceeds ${p.maxLength} characters`);
    }
  }
  const format = params.dataFormat;
  if (format !== undefined && format !== "" && !["xml", "json"].includes(format.toLowerCase())) {
    throw new GatewayError("ILLEGAL_REQUEST", "dataFormat must be xml or json");
  }
}

const REPLY_NAMES = new Set(responseParams.map((p) => p.name));

/**
 * The base params of a reply envelope (§1.4 基本返回参数), as text, read without trusting anything: the caller
 * verifies the signature before it uses any of them. Malformed text is ILLEGAL_RESPONSE.
 */
export function readReplyParams(text: string): Record<string, string> {
  const format = sniff(text);
  let raw: object;
  try {
    if (format === "xml") {
      const doc = parseXmlDocument(text);
      if (doc.root !== "root" || !isObject(doc.value)) throw new Error("expected <root>");
      raw = doc.value;
    } else if (format === "json") {
      const value = parseJson(text);
      if (!isRecord(value)) throw new Error("expected a JSON object");
      raw = value;
    } else throw new Error("neither XML nor JSON");
  } catch (cause) {
    throw new GatewayError("ILLEGAL_RESPONSE", `the reply is malformed: ${messageOf(cause)}`, [], { cause });
  }
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw))
    if (REPLY_NAMES.has(k) && (typeof v === "string" || typeof v === "number")) params[k] = String(v);
  return params;
}
