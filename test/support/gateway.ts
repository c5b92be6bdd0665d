// Drives the real worker app in workerd with a stub HIS behind a service binding that each test scripts.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { app } from "../../worker/src/app.js";
import { SEED_KEY } from "./reference.js";

export interface HisCall {
  service: string;
  url: string;
  method: string;
  headers: Record<string, string>;
  /** The body parsed as JSON when it is JSON (the native contract), else undefined. */
  body: unknown;
  /** The body as sent (XML, form, SOAP: HIS profiles). */
  text: string;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export type HisHandler = (call: HisCall) => Response | Promise<Response>;

export const hisJson = (value: unknown, status = 200): Response =>
  new Response(JSON.stringify(value), { status, headers: { "content-type": "application/json" } });

export const success = (data?: unknown): Response =>
  hisJson({ resultCode: "SUCCESS", resultMessage: "成功", ...(data === undefined ? {} : { data }) });

export const DEFAULT_TENANT = {
  partner: "TEST_WX",
  hospitalCode: "0",
  key: SEED_KEY,
  hisUrl: "http://his.test/api",
  hisService: "HIS",
};

export interface Gateway {
  fetch(input: string | Request, init?: RequestInit): Promise<Response>;
  calls: HisCall[];
}

export function gateway(
  his: HisHandler,
  tenants: Record<string, unknown>[] = [DEFAULT_TENANT],
  extra: Record<string, unknown> = {},
): Gateway {
  const calls: HisCall[] = [];
  const HIS = {
    async fetch(input: Request | string, init?: RequestInit): Promise<Response> {
      const req = new Request(input, init);
      const text = req.method === "GET" ? "" : await req.text();
      const call: HisCall = {
        service: req.headers.get("x-service") ?? "",
        url: req.url,
        method: req.method,
        headers: Object.fromEntries(req.headers),
        body: text ? parseJson(text) : undefined,
        text,
      };
      calls.push(call);
      return his(call);
    },
  };
  const bindings = { ...env, TENANTS: JSON.stringify(tenants), HIS, ...extra };
  return {
    calls,
    async fetch(input, init) {
      const req = typeof input === "string" ? new Request(new URL(input, "https://gateway.test"), init) : input;
      const ctx = createExecutionContext();
      const res = await app.fetch(req, bindings, ctx);
      await waitOnExecutionContext(ctx);
      return res;
    },
  };
}

export function post(body: string, headers: Record<string, string> = {}): RequestInit {
  return { method: "POST", body, headers: { "content-type": "text/plain", ...headers } };
}
