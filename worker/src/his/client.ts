import type { ServiceDefinition } from "../../../generated/registry.js";
import type { Tenant } from "../config/tenants.js";
import type { Bindings } from "../env.js";
import { GatewayError, SUCCESS_MESSAGE } from "../errors.js";
import { AnswerTooLarge, maxAnswerBytes, readAnswer } from "../lib/answer.js";
import { DeadlineExceeded, withDeadline } from "../lib/deadline.js";
import { fieldOf, isObject, isRecord, messageOf } from "../lib/object.js";
import { log } from "../log.js";
import { parseJson } from "../payload/json.js";
import { callProfile } from "./profile-call.js";
import { findProfile } from "./profiles.js";
import type { UpstreamSeen } from "../trail/types.js";

import type { Exchange, HisAnswer } from "./answer.js";

export type { Exchange, HisAnswer } from "./answer.js";

/**
 * Only a definite answer may be kept as final (a once-only request's replay, a notification's end): HTTP below 400
 * and a code the spec marks final. A unified error code, a 4xx, a transient business code (Pay's 支付状态未知) or
 * a code the standard does not list may be answered otherwise next time, so it is passed on but never kept.
 */
export function isDefinite(def: ServiceDefinition, answer: HisAnswer): boolean {
  return answer.status < 400 && def.finalResultCodes.has(answer.resultCode);
}

export interface Fetcher {
  fetch(input: Request | string, init?: RequestInit): Promise<Response>;
}

/** Outbound fetches use redirect: "manual", so a 3xx arrives as itself and is refused, never followed. */
export const isRedirect = (status: number): boolean => status >= 300 && status < 400;

const isFetcher = (value: unknown): value is Fetcher =>
  isObject(value) && typeof fieldOf(value, "fetch") === "function";

/** Where a call goes (a service binding named by the tenant, or the global fetch) and how much of its answer is read. */
export interface Upstream {
  fetcher: Fetcher;
  /** MAX_ANSWER_BYTES: past it the answer is ILLEGAL_RESPONSE, unread. */
  maxAnswerBytes: number;
}

export function upstreamFor(env: Bindings, binding: string | undefined): Upstream {
  return { fetcher: transportFor(env, binding), maxAnswerBytes: maxAnswerBytes(env.MAX_ANSWER_BYTES) };
}

/** A service binding named by the tenant, or the global fetch. */
function transportFor(env: Bindings, binding: string | undefined): Fetcher {
  if (binding === undefined) return { fetch: (input, init) => fetch(input, init) };
  const bound = env[binding];
  if (!isFetcher(bound)) {
    log("error", "config.binding_missing", { binding });
    throw new GatewayError("ILLEGAL_EXTERFACE", `service binding ${binding} is not configured`);
  }
  return bound;
}

function hisRequest(
  tenant: Tenant,
  def: ServiceDefinition,
  body: unknown,
  requestId: string,
  extraHeaders: Record<string, string>,
): { url: string; init: RequestInit } {
  const route = tenant.routes[def.name];
  const path = route ? route.path.replaceAll("{service}", def.name) : `/${def.name}`;
  const method = route?.method ?? "POST";
  const headers: Record<string, string> = {
    ...tenant.hisHeaders,
    accept: "application/json",
    "x-request-id": requestId,
    "x-partner": tenant.partner,
    "x-hospital-code": tenant.hospitalCode,
    "x-service": def.name,
    ...extraHeaders,
  };
  let url = `${tenant.hisUrl}${path.startsWith("/") ? path : `/${path}`}`;
  if (method === "GET") {
    // A GET route carries the business request as one JSON-valued query parameter.
    url += `${url.includes("?") ? "&" : "?"}request=${encodeURIComponent(JSON.stringify(body))}`;
    return { url, init: { method, headers, redirect: "manual" } };
  }
  headers["content-type"] = "application/json";
  // Never follow a redirect: it would carry hisHeaders (and, on 307/308, the patient's request) to another host.
  return { url, init: { method, headers, body: JSON.stringify(body), redirect: "manual" } };
}

function exchangeWith(
  transport: Fetcher,
  tenant: Tenant,
  def: ServiceDefinition,
  requestId: string,
  seen: UpstreamSeen,
  maxBytes: number,
): Exchange {
  return async (url, init) => {
    const started = Date.now();
    try {
      // The deadline covers the whole answer, body included: a HIS that stalls mid-body is as late as a silent one.
      const result = await withDeadline(tenant.hisTimeoutMs, async (signal) => {
        const r = await transport.fetch(url, { ...init, redirect: "manual", signal });
        seen.status = r.status;
        return { status: r.status, text: await readAnswer(r, maxBytes) };
      });
      seen.ms = Date.now() - started;
      if (result.status >= 500) throw new GatewayError("SYSTEM_ERROR", `the HIS answered HTTP ${result.status}`);
      if (isRedirect(result.status)) {
        // The Location is not logged: it may carry a token or the patient's query.
        log("warn", "his.redirect", { requestId, service: def.name, status: result.status });
        throw new GatewayError("SYSTEM_ERROR", `the HIS answered HTTP ${result.status}, a redirect (not followed)`);
      }
      return result;
    } catch (err) {
      seen.ms ??= Date.now() - started;
      if (err instanceof GatewayError) throw err;
      if (err instanceof DeadlineExceeded)
        throw new GatewayError("SESSION_TIMEOUT", `the HIS did not answer within ${tenant.hisTimeoutMs} ms`, [], {
          cause: err,
        });
      if (err instanceof AnswerTooLarge)
        throw new GatewayError("ILLEGAL_RESPONSE", `the HIS ${err.message}`, [], { cause: err });
      log("warn", "his.unreachable", {
        requestId,
        service: def.name,
        error: err instanceof Error ? err.name : typeof err,
      });
      throw new GatewayError("SYSTEM_ERROR", "the HIS is unreachable or closed the connection", [], { cause: err });
    }
  };
}

/**
 * Forwards one business request to the HIS and reads its answer: as typed JSON in hisgate's own contract, or
 * through the tenant's HIS profile (hisProfile) in the HIS's own dialect, over `upstream` (the tenant's hisService
 * binding or the global fetch, see upstreamFor). Faults map to the standard's codes: no answer in time is
 * SESSION_TIMEOUT, unreachable or 5xx is SYSTEM_ERROR, an answer that is not the contract's JSON is
 * ILLEGAL_RESPONSE, an empty one NULL_RESPONSE.
 */
export async function callHis(
  upstream: Upstream,
  tenant: Tenant,
  def: ServiceDefinition,
  body: unknown,
  requestId: string,
  extraHeaders: Record<string, string> = {},
  /** Filled with the HIS's HTTP status and time, for the message trail. */
  seen: UpstreamSeen = {},
): Promise<HisAnswer> {
  const exchange = exchangeWith(upstream.fetcher, tenant, def, requestId, seen, upstream.maxAnswerBytes);
  if (tenant.hisProfile !== undefined) {
    const profile = findProfile(tenant.hisProfile);
    if (!profile) throw new GatewayError("SYSTEM_ERROR", `HIS profile ${tenant.hisProfile} is not compiled in`);
    return callProfile(exchange, tenant, profile, def, body, requestId, extraHeaders, seen);
  }
  const { url, init } = hisRequest(tenant, def, body, requestId, extraHeaders);
  const { status, text } = await exchange(url, init);
  if (text.trim() === "") throw new GatewayError("NULL_RESPONSE", `the HIS answered HTTP ${status} with an empty body`);
  let answer: unknown;
  try {
    // The same reader as every other JSON the gateway takes in: linear time, and no __proto__/constructor keys
    // for the validators to copy.
    answer = parseJson(text);
  } catch (cause) {
    throw new GatewayError("ILLEGAL_RESPONSE", `the HIS answer (HTTP ${status}) is not JSON: ${messageOf(cause)}`, [], {
      cause,
    });
  }
  if (!isRecord(answer)) throw new GatewayError("ILLEGAL_RESPONSE", "the HIS answer must be a JSON object");
  const resultCode = fieldOf(answer, "resultCode");
  const resultMessage = fieldOf(answer, "resultMessage");
  const data = fieldOf(answer, "data");
  if (typeof resultCode !== "string" || !/^[A-Z0-9_]{1,32}$/.test(resultCode)) {
    throw new GatewayError("ILLEGAL_RESPONSE", "the HIS answer has no valid resultCode");
  }
  if (status >= 400 && resultCode === "SUCCESS")
    throw new GatewayError("ILLEGAL_RESPONSE", `the HIS answered SUCCESS with HTTP ${status}`);
  const message =
    typeof resultMessage === "string" && resultMessage !== ""
      ? resultMessage
      : resultCode === "SUCCESS"
        ? SUCCESS_MESSAGE
        : resultCode;
  return {
    resultCode,
    resultMessage: message,
    ...(data !== undefined && data !== null ? { data } : {}),
    status: status,
  };
}
