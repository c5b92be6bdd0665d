import { responseParams } from "../../generated/envelope.js";
import { readEnvelopeBody, readEnvelopeQuery, sniff, unwrapSoap } from "../../worker/src/protocol/index.js";
import { GatewayError } from "../../worker/src/errors.js";
import { parseJson } from "../../worker/src/payload/json.js";
import { parseXmlDocument } from "../../worker/src/payload/xml.js";
import { usage } from "./errors.js";

/** An envelope read for signing or verifying: a request (§1.4 基本请求参数) or a reply (基本返回参数). */
export interface LoadedEnvelope {
  kind: "request" | "reply";
  /** The base params, as text. */
  params: Record<string, string>;
  /** GET /wd/api|spi/{service}: the service spelling of the path. */
  pathService?: string;
  /** The query carried no service: it is the path's, as the gateway reads it. */
  serviceFromPath?: boolean;
  /** How it was given. */
  source: "xml" | "json" | "soap" | "query" | "params";
}

const REPLY_NAMES = new Set(responseParams.map((p) => p.name));

/** Reads an envelope: XML <root>, JSON object, a SOAP Invoke carrying either, or a GET URL / query string. */
export function parseEnvelopeText(input: string): LoadedEnvelope {
  const text = input.replace(/^\uFEFF/, "");
  if (text.trim() === "") throw usage("the envelope is empty");
  const format = sniff(text);
  if (format === undefined) return parseQuery(text);
  const raw = format === "xml" ? xmlValues(text) : jsonValues(text);
  if (raw === "soap") return { ...parseEnvelopeText(soapInner(text)), source: "soap" };
  if (isReply(raw)) return { kind: "reply", params: collect(raw, REPLY_NAMES), source: format };
  try {
    // The gateway's own reader, so what is signed here is what the gateway reads.
    return { kind: "request", params: readEnvelopeBody(text).params, source: format };
  } catch (err) {
    if (err instanceof GatewayError) throw usage(`the envelope is not usable: ${err.detail ?? err.resultCode}`);
    throw err;
  }
}

/** Envelope params given one by one (--param k=v); a reply when resultCode is among them. */
export function paramsEnvelope(params: Record<string, string>): LoadedEnvelope {
  return { kind: isReply(params) ? "reply" : "request", params, source: "params" };
}

export function parseParamOption(spec: string): [string, string] {
  const i = spec.indexOf("=");
  if (i <= 0) throw usage(`--param must be name=value, not ${JSON.stringify(spec)}`);
  return [spec.slice(0, i), spec.slice(i + 1)];
}

function isReply(raw: Record<string, unknown>): boolean {
  return "resultCode" in raw && !("requestEncrypted" in raw) && !("service" in raw);
}

function collect(raw: Record<string, unknown>, names: ReadonlySet<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (!names.has(k) || v === undefined || v === null) continue;
    if (typeof v === "string" || typeof v === "number") out[k] = String(v);
    else throw usage(`the envelope's ${k} must be text`);
  }
  return out;
}

function xmlValues(text: string): Record<string, unknown> | "soap" {
  let doc: { root: string; value: unknown };
  try {
    doc = parseXmlDocument(text);
  } catch (err) {
    throw usage(`the envelope is not well-formed XML: ${(err as Error).message}`);
  }
  if (doc.root.endsWith(":Envelope") || doc.root === "Envelope") return "soap";
  if (doc.root !== "root") throw usage(`the envelope's root element must be <root>, not <${doc.root}>`);
  if (typeof doc.value !== "object" || doc.value === null) throw usage("the envelope's <root> is empty");
  return doc.value as Record<string, unknown>;
}

function jsonValues(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = parseJson(text);
  } catch (err) {
    throw usage(`the envelope is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw usage("the JSON envelope must be an object");
  return value as Record<string, unknown>;
}

/** The envelope text a SOAP request or response carries (Invoke/request, InvokeResponse/InvokeResult). */
export function soapInner(text: string): string {
  try {
    return unwrapSoap(text).envelope;
  } catch (err) {
    if (err instanceof GatewayError) throw usage(`the SOAP message: ${err.detail ?? err.resultCode}`);
    throw err;
  }
}

/**
 * A GET envelope: a full URL (http://host/wd/spi/testnet?partner=…), a path with its query, or the bare query.
 * White space is dropped first: URLs pasted from a document arrive broken across lines (the seed's own is).
 */
function parseQuery(input: string): LoadedEnvelope {
  const text = input.replace(/\s+/g, "");
  let url: URL;
  try {
    // Only the path and the query matter; the host may be a placeholder such as the seed's ip:port.
    const path = text.replace(/^https?:\/\/[^/?#]*/i, "");
    if (path !== text || text.startsWith("/")) url = new URL(path || "/", "http://hisgate.invalid");
    else if (text.includes("=")) url = new URL(`http://hisgate.invalid/?${text.replace(/^\?/, "")}`);
    else throw new Error();
  } catch {
    throw usage("the envelope is neither XML, JSON, nor a GET URL or query string");
  }
  const match = /\/wd\/(?:api|spi)\/([^/]+)\/?$/i.exec(url.pathname);
  const pathService = match ? decodeURIComponent(match[1]!) : undefined;
  const sentService = url.searchParams.get("service");
  const params = readEnvelopeQuery(url, pathService ?? "").params;
  if (pathService === undefined && params.service === "") delete params.service;
  if (Object.keys(params).length === 0) throw usage("the query string carries none of the envelope's parameters");
  return {
    kind: "request",
    params,
    ...(pathService ? { pathService, serviceFromPath: !sentService } : {}),
    source: "query",
  };
}
