import type { ServiceDefinition } from "../../generated/registry.js";
import { sealRequest, SERVICE_NS, wrapSoapRequest } from "../../worker/src/protocol/index.js";
import { failure, oneLine, usage } from "./errors.js";
import { soapInner } from "./envelope.js";
import { keyOption } from "./key.js";
import { positiveInt, str, type Values } from "./args.js";

export type Transport = "json" | "xml" | "get" | "soap";
export const TRANSPORTS: readonly Transport[] = ["json", "xml", "get", "soap"];

/** A hisgate (or any standard-conforming hospital) deployment, and the tenant the platform calls it as. */
export interface Peer {
  /** Base URL, without a trailing slash or endpoint path. */
  url: string;
  partner: string;
  hospitalCode: string;
  key: string;
  timeoutMs: number;
  verbose: boolean;
}

export interface HttpRequest {
  method: "GET" | "POST";
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface HttpReply {
  status: number;
  text: string;
  ms: number;
}

const DEFAULT_TIMEOUT_MS = 20_000;

/** --url as the deployment's base: an endpoint path pasted with it (/wd/api, /ApiService.asmx) is dropped. */
export function baseUrl(command: string, values: Values): string {
  const raw = str(values, "url") ?? process.env.HISGATE_URL;
  if (!raw) throw usage(`${command}: missing --url (the deployment's base URL, e.g. https://his-gw.example.cn)`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw usage(`${command}: --url ${JSON.stringify(raw)} is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw usage(`${command}: --url must be http(s), not ${url.protocol}`);
  if (url.search || url.hash) throw usage(`${command}: --url must be a base URL, without a query`);
  return url.href.replace(/\/+$/, "").replace(/\/(wd\/api|wd\/spi|ApiService\.asmx|platform)$/i, "");
}

export function timeoutOption(command: string, values: Values): number {
  return positiveInt(command, values, "timeout", DEFAULT_TIMEOUT_MS);
}

/** --url, --partner, --hospital, --key: everything needed to play the platform against a deployment. */
export function peerOptions(command: string, values: Values): Peer {
  const url = baseUrl(command, values);
  const partner = str(values, "partner") ?? process.env.HISGATE_PARTNER;
  const hospitalCode = str(values, "hospital") ?? process.env.HISGATE_HOSPITAL;
  if (!partner) throw usage(`${command}: missing --partner (the platform's partner id, e.g. TEST_WX)`);
  if (!hospitalCode) throw usage(`${command}: missing --hospital (the hospitalCode)`);
  return {
    url,
    partner,
    hospitalCode,
    key: keyOption(command, values),
    timeoutMs: timeoutOption(command, values),
    verbose: values.verbose === true,
  };
}

/**
 * The platform's request for one platform -> hospital call, built by the worker's own sealRequest (sign over the
 * wire name, encrypt, envelope): XML or JSON POSTed to /wd/api, the JSON envelope's params as a GET query on
 * /wd/api/{service}, or the XML envelope as text in a SOAP 1.1 Invoke on /ApiService.asmx.
 */
export function platformRequest(
  def: ServiceDefinition,
  peer: Pick<Peer, "url" | "partner" | "hospitalCode" | "key">,
  payload: object,
  transport: Transport,
): HttpRequest {
  const tenant = { partner: peer.partner, hospitalCode: peer.hospitalCode, key: peer.key };
  switch (transport) {
    case "json":
    case "xml":
      return {
        method: "POST",
        url: `${peer.url}/wd/api`,
        headers: {
          "content-type": transport === "xml" ? "application/xml; charset=utf-8" : "application/json; charset=utf-8",
        },
        body: sealRequest(def, tenant, payload, transport),
      };
    case "get": {
      const params = JSON.parse(sealRequest(def, tenant, payload, "json")) as Record<string, string>;
      return {
        method: "GET",
        url: `${peer.url}/wd/api/${encodeURIComponent(def.wireName)}?${new URLSearchParams(params).toString()}`,
        headers: {},
      };
    }
    case "soap": {
      const envelope = sealRequest(def, tenant, payload, "xml");
      return {
        method: "POST",
        url: `${peer.url}/ApiService.asmx`,
        headers: { "content-type": "text/xml; charset=utf-8", soapaction: `"${SERVICE_NS}Invoke"` },
        body: wrapSoapRequest(envelope),
      };
    }
  }
}

/** The HIS's own call to the platform through the gateway: plain JSON, Bearer hisToken (README, Hospital -> platform). */
export function hospitalRequest(url: string, def: ServiceDefinition, token: string, payload: unknown): HttpRequest {
  return {
    method: "POST",
    url: `${url}/platform/${encodeURIComponent(def.name)}`,
    headers: { "content-type": "application/json; charset=utf-8", authorization: `Bearer ${token}` },
    body: JSON.stringify(payload),
  };
}

/** Sends one request. A peer that cannot be reached or does not answer in time is a one-line failure. */
export async function send(req: HttpRequest, timeoutMs: number, verbose = false): Promise<HttpReply> {
  if (verbose) process.stderr.write(`> ${req.method} ${req.url}\n${req.body ? `${req.body}\n` : ""}`);
  const started = performance.now();
  let res: Response;
  let text: string;
  try {
    res = await fetch(req.url, {
      method: req.method,
      headers: req.headers,
      ...(req.body !== undefined ? { body: req.body } : {}),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: "manual",
    });
    text = await res.text();
  } catch (err) {
    throw failure(unreachable(req.url, err, timeoutMs));
  }
  const ms = Math.round(performance.now() - started);
  if (verbose) process.stderr.write(`< HTTP ${res.status} (${ms} ms)\n${text}\n`);
  return { status: res.status, text, ms };
}

function unreachable(url: string, err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; cause?: { code?: string; message?: string } };
  if (e.name === "TimeoutError" || e.name === "AbortError") return `no answer from ${url} within ${timeoutMs} ms`;
  if (e.cause?.message === "bad port") return `cannot reach ${url}: fetch refuses that port ("bad port")`;
  const cause = e.cause?.code ?? (e.cause?.message ? oneLine(e.cause.message) : oneLine(err));
  return `cannot reach ${url}: ${cause}`;
}

/** The envelope text of a reply (a SOAP InvokeResult's content for SOAP), or why there is none. */
export function replyEnvelope(transport: Transport, reply: HttpReply): string | { problem: string } {
  if (transport !== "soap") return reply.text;
  try {
    return soapInner(reply.text);
  } catch (err) {
    return { problem: `${reply.status === 200 ? "" : `HTTP ${reply.status}: `}${oneLine(err)}` };
  }
}

export function tokenOption(values: Values): string | undefined {
  return str(values, "token") ?? process.env.HISGATE_TOKEN;
}
