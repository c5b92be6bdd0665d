import type { ServiceDefinition } from "../../../generated/registry.js";
import {
  AnswerFormatError,
  RequestMappingError,
  type CompiledProfile,
  type CompiledService,
  type Reading,
} from "../../../runtime/profile/index.js";
import type { Tenant } from "../config/tenants.js";
import { GatewayError, SUCCESS_MESSAGE } from "../errors.js";
import { log } from "../log.js";
import type { UpstreamSeen } from "../trail/types.js";
import type { Exchange, HisAnswer } from "./answer.js";

// The HIS's own message may name the patient ("张伟 has no record"): neither the log nor the platform gets its text,
// only its length (enough to tell an empty message from a long one when reading the log beside the HIS's own).
const textLength = (s: string | undefined): number | undefined => (s === undefined ? undefined : [...s].length);

/**
 * The HIS's own result code as the message trail may keep it: a short token (KY-HIS's "1", a SOAP resultCode "-101",
 * "E0001", "AA"). The profile's `code` path could point at free text, which may name a patient: anything that is not
 * such a token is left out rather than cut down.
 */
export function hisCodeOf(code: string | undefined): string | undefined {
  const c = code?.trim();
  return c !== undefined && /^[A-Za-z0-9_.:+-]{1,32}$/.test(c) ? c : undefined;
}

/**
 * The profile's mapping of `def`'s service. Each generated profile module types a service by its own request and
 * answer; `body` reaches here as unknown through the HIS client, after `def`'s request validator passed it (and
 * the mapping's output is validated again by the response validator), so the table is read with unknown ones.
 */
const serviceOf = (profile: CompiledProfile, def: ServiceDefinition): CompiledService<unknown, unknown> | undefined =>
  // The one cast: CompiledService<never, …> (any request type) read as taking the validated request.
  profile.services[def.name] as CompiledService<unknown, unknown> | undefined;

/**
 * One service through the tenant's HIS profile: the standard request (already validated) mapped to the HIS's
 * dialect, the HIS's envelope read by the profile's predicates, its data mapped back to the standard. The
 * standard's response validator runs on the result afterwards (sealAnswer), so a mapping mistake or an HIS bug
 * is ILLEGAL_RESPONSE naming the standard's field, never a silent success.
 */
export async function callProfile(
  exchange: Exchange,
  tenant: Tenant,
  profile: CompiledProfile,
  def: ServiceDefinition,
  body: unknown,
  requestId: string,
  extraHeaders: Record<string, string>,
  /** Gets the HIS's own code once its answer is read, for the message trail (the client fills status and time). */
  seen: UpstreamSeen = {},
): Promise<HisAnswer> {
  const service = serviceOf(profile, def);
  if (!service)
    throw new GatewayError("HAS_NO_PRIVILEGE", `the hospital's HIS profile ${profile.name} does not map ${def.name}`);
  let request;
  try {
    request = service.request(body);
  } catch (err) {
    if (!(err instanceof RequestMappingError)) throw err;
    log("error", "profile.request_unmapped", {
      requestId,
      service: def.name,
      profile: profile.name,
      error: err.message,
    });
    throw new GatewayError("SYSTEM_ERROR", `the HIS profile cannot express this request: ${err.message}`);
  }
  const headers: Record<string, string> = {
    ...tenant.hisHeaders,
    "x-request-id": requestId,
    ...extraHeaders,
    ...request.headers,
  };
  const init: RequestInit = {
    method: request.method,
    headers,
    ...(request.body !== undefined ? { body: request.body } : {}),
  };
  const { status, text } = await exchange(`${tenant.hisUrl}${request.path}`, init);
  if (status >= 500) throw new GatewayError("SYSTEM_ERROR", `the HIS answered HTTP ${status}`);
  if (text.trim() === "") throw new GatewayError("NULL_RESPONSE", `the HIS answered HTTP ${status} with an empty body`);
  let reading;
  try {
    reading = service.read(text);
  } catch (err) {
    if (!(err instanceof AnswerFormatError)) throw err;
    throw new GatewayError("ILLEGAL_RESPONSE", `${err.message} (HTTP ${status})`);
  }
  // Before the answer is judged: a refusal the profile maps to no business code (SYSTEM_ERROR) keeps it too.
  const hisCode = hisCodeOf(reading.code);
  if (hisCode !== undefined) seen.hisCode = hisCode;
  const answer = answerFrom(profile, def, reading, status, body);
  const his = { requestId, service: def.name, profile: profile.name, hisCode };
  if (reading.kind === "failure")
    log("info", "his.refused", {
      ...his,
      hisMessageLength: textLength(reading.message),
      resultCode: answer.resultCode,
    });
  else if (reading.kind === "empty")
    log("debug", "his.empty", { ...his, hisMessageLength: textLength(reading.message) });
  return answer;
}

/**
 * What the HIS's answer means in the standard, once its envelope is read: a business code, zero rows, or the
 * mapped data (which the standard's validator checks next). Pure, so `hisgate profile test` replays the same.
 */
export function answerFrom(
  profile: CompiledProfile,
  def: ServiceDefinition,
  reading: Reading,
  status: number,
  body: unknown,
): HisAnswer {
  const service = serviceOf(profile, def)!;
  switch (reading.kind) {
    case "failure": {
      if (reading.business)
        return {
          resultCode: reading.business,
          resultMessage: def.resultCodes[reading.business] ?? reading.business,
          status,
        };
      throw new GatewayError(
        "SYSTEM_ERROR",
        // Only a code that is a short token is named: a profile's code path may point at free text.
        `the HIS refused with its code ${JSON.stringify(hisCodeOf(reading.code) ?? "(not a code)")}, which the profile maps to no business code`,
      );
    }
    case "empty":
      return {
        resultCode: "SUCCESS",
        resultMessage: SUCCESS_MESSAGE,
        status,
        ...(def.hasResponse ? { data: service.empty(body) } : {}),
      };
    case "success": {
      if (!def.hasResponse) return { resultCode: "SUCCESS", resultMessage: SUCCESS_MESSAGE, status };
      const data = reading.data;
      const nothing = data === undefined || data === null || data === "" || (Array.isArray(data) && data.length === 0);
      if (nothing) {
        // "Success, no data" means zero rows for a list; for a single record it is an answer without its data.
        const zero = service.empty(body);
        if (Object.values(zero).some(Array.isArray))
          return { resultCode: "SUCCESS", resultMessage: SUCCESS_MESSAGE, data: zero, status };
        throw new GatewayError("NULL_RESPONSE", `the HIS answered success without data for ${def.name}`);
      }
      if (status >= 400) throw new GatewayError("ILLEGAL_RESPONSE", `the HIS answered success with HTTP ${status}`);
      return { resultCode: "SUCCESS", resultMessage: SUCCESS_MESSAGE, data: service.response(data, body), status };
    }
  }
}
