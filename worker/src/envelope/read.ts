import { requestParams } from "../../../generated/envelope.js";
import { GatewayError } from "../errors.js";
import { parseJson } from "../payload/json.js";
import { parseXmlDocument } from "../payload/xml.js";
import type { PayloadFormat } from "../env.js";

/** The base parameters of one platform request, as text, and the format it arrived in. */
export interface InboundEnvelope {
  params: Record<string, string>;
  format: PayloadFormat;
  /** The service spelling from the URL path (GET /wd/api/{service}), when there is one. */
  pathService?: string;
}

const KNOWN = new Set(requestParams.map((p) => p.name));

/** XML or JSON, told apart by the first significant character rather than the content type. */
export function sniff(text: string): PayloadFormat | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0xfeff) continue;
    return c === 0x3c ? "xml" : c === 0x7b ? "json" : undefined;
  }
  return undefined;
}

function collect(source: Record<string, unknown>): Record<string, string> {
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
    } catch (err) {
      throw new GatewayError("ILLEGAL_REQUEST", (err as Error).message);
    }
    if (doc.root !== "root") throw new GatewayError("ILLEGAL_REQUEST", "the root element must be <root>");
    if (typeof doc.value !== "object" || doc.value === null) throw new GatewayError("NULL_REQUEST", "<root> is empty");
    return { params: collect(doc.value as Record<string, unknown>), format };
  }
  let value: unknown;
  try {
    value = parseJson(text);
  } catch (err) {
    throw new GatewayError("ILLEGAL_REQUEST", (err as Error).message);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new GatewayError("ILLEGAL_REQUEST", "the JSON envelope must be an object");
  }
  return { params: collect(value as Record<string, unknown>), format };
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
