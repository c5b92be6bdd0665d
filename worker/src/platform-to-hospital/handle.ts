import type { Context } from "hono";
import { findService, type ServiceDefinition } from "../../../generated/registry.js";
import { keysValidAt, type TenantKey } from "../config/keys.js";
import { tenantSource } from "../config/source.js";
import type { Tenant } from "../config/tenants.js";
import type { AppEnv } from "../env.js";
import { fieldOf } from "../lib/object.js";
import { GatewayError } from "../errors.js";
import { callHis, upstreamFor, type HisAnswer } from "../his/client.js";
import { checkClientIp } from "./client-ip.js";
import { checkEnvelopeParams, type InboundEnvelope } from "../protocol/envelope.js";
import { successReply, type ReplyEnvelope } from "../protocol/reply.js";
import { openRequest } from "../protocol/request.js";
import { verifySignature } from "../protocol/signature.js";
import type { PayloadFormat } from "../protocol/text.js";
import { enforceRateLimit } from "../ratelimit/enforce.js";
import { noteBusinessIds, upstreamOf } from "../trail/record.js";
import { validationDetail } from "../validation.js";
import { acceptNotification, forwardOnce } from "./idempotency.js";

/** Resolves the tenant and authenticates the envelope: nothing is decrypted or parsed before this passes. */
export async function authenticate(
  c: Context<AppEnv>,
  envelope: InboundEnvelope,
): Promise<{ tenant: Tenant; def: ServiceDefinition; key: TenantKey }> {
  const { params } = envelope;
  c.set("partner", params.partner);
  c.set("hospitalCode", params.hospitalCode);
  const tenants = tenantSource(c.env);
  if (!params.partner || !params.hospitalCode)
    throw new GatewayError("ILLEGAL_PARTNER", "partner and hospitalCode are required");
  const tenant = await tenants.find(params.partner, params.hospitalCode);
  if (!tenant) throw new GatewayError("ILLEGAL_PARTNER", "unknown partner or hospitalCode");
  c.set("tenant", tenant);
  if (tenant.keyProblem) throw new GatewayError("ILLEGAL_SECURITY_KEY", "the hospital's key is misconfigured");
  await checkClientIp(c, tenant);

  if ((params.signType ?? "").toLowerCase() !== "md5")
    throw new GatewayError("ILLEGAL_SIGN_TYPE", "signType must be md5");
  if (!params.sign) throw new GatewayError("ILLEGAL_SIGN", "sign is missing");
  const spelling = params.service ?? envelope.pathService ?? "";
  const def = findService("platformToHospital", spelling);
  // Only spellings of the service that will run may verify the signature: a GET whose path names another
  // service than its query must not pass on the path's spelling (it would re-target a captured request).
  const pathDef =
    envelope.pathService === undefined ? undefined : findService("platformToHospital", envelope.pathService);
  const spellings = [
    spelling,
    ...(envelope.pathService !== undefined && pathDef === def ? [envelope.pathService] : []),
    ...(def ? [def.wireName, ...def.aliases] : []),
  ];
  // During a rotation two keys are valid; each is tried in full (no early exit) and the one that verified
  // decrypts the request and signs the reply, so each side of the rotation is answered in its own key.
  const valid = keysValidAt(tenant.keys, Date.now());
  if (valid.length === 0) throw new GatewayError("ILLEGAL_SECURITY_KEY", "no key of this hospital is valid now");
  let key: TenantKey | undefined;
  for (const candidate of valid) if (verifySignature(params, candidate.key, spellings) && !key) key = candidate;
  if (!key) throw new GatewayError("ILLEGAL_SIGN", "the signature does not verify");
  c.set("tenantKey", key);

  if (params.inputCharset !== undefined && params.inputCharset.toLowerCase().replace("-", "") !== "utf8") {
    throw new GatewayError("ILLEGAL_CHARSET", "inputCharset must be utf-8");
  }
  checkEnvelopeParams(params);
  if (envelope.pathService !== undefined && pathDef !== def) {
    throw new GatewayError("ILLEGAL_REQUEST", "the service in the path and the service parameter differ");
  }
  if (!def) throw new GatewayError("ILLEGAL_SERVICE", `unknown service ${JSON.stringify(spelling.slice(0, 32))}`);
  c.set("service", def.name);
  if (tenant.services && !tenant.services.has(def.name))
    throw new GatewayError("HAS_NO_PRIVILEGE", `${def.name} is not enabled for this hospital`);
  return { tenant, def, key };
}

/** The business request, typed, within the tenant's page limit. */
export function tenantRequest(
  envelope: InboundEnvelope,
  tenant: Tenant,
  def: ServiceDefinition,
  key: TenantKey,
): object {
  const request = openRequest(envelope.params, def, key.key);
  if (def.pageSizeField && tenant.maxPageSize !== undefined) {
    const size = fieldOf(request, def.pageSizeField);
    if (typeof size === "number" && size > tenant.maxPageSize)
      throw new GatewayError("PAGE_LIMIT", `pageSize ${size} exceeds ${tenant.maxPageSize}`);
  }
  return request;
}

/** The HIS answer -> the reply envelope: business data validated, encoded in the caller's format, encrypted. */
export function sealAnswer(
  answer: HisAnswer,
  key: TenantKey,
  def: ServiceDefinition,
  format: PayloadFormat,
  /** For the message trail's business ids of the answer. */
  c: Context<AppEnv>,
): ReplyEnvelope {
  if (answer.resultCode !== "SUCCESS") return { resultCode: answer.resultCode, resultMessage: answer.resultMessage };
  if (!def.hasResponse) return { resultCode: "SUCCESS", resultMessage: answer.resultMessage };
  if (answer.data === undefined)
    throw new GatewayError("NULL_RESPONSE", `the HIS answered SUCCESS without data for ${def.name}`);
  const result = def.validateResponse(answer.data);
  if (result.ok) noteBusinessIds(c, def, "response", result.value);
  if (!result.ok)
    throw new GatewayError(
      "ILLEGAL_RESPONSE",
      `the HIS answer fails validation: ${validationDetail(result.errors)}`,
      result.errors,
    );
  return successReply(def, answer.resultMessage, result.value, format, key.key);
}

/** The whole platform -> hospital path for one envelope. */
export async function handlePlatformEnvelope(
  c: Context<AppEnv>,
  envelope: InboundEnvelope,
  format: PayloadFormat,
): Promise<ReplyEnvelope> {
  const { tenant, def, key } = await authenticate(c, envelope);
  await enforceRateLimit(c, tenant, def);
  const request = tenantRequest(envelope, tenant, def, key);
  noteBusinessIds(c, def, "request", request);
  switch (def.idempotency?.mode) {
    case "notify":
      return acceptNotification(c, tenant, def, request);
    case "once":
      return forwardOnce(c, tenant, def, request, (answer) => sealAnswer(answer, key, def, format, c));
    default:
      return sealAnswer(
        await callHis(upstreamFor(c.env, tenant.hisService), tenant, def, request, c.var.requestId, {}, upstreamOf(c)),
        key,
        def,
        format,
        c,
      );
  }
}
