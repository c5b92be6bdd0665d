import { responseParams } from "../../../generated/envelope.js";
import type { ServiceDefinition } from "../../../generated/registry.js";
import { keysValidAt, type TenantKey } from "../config/keys.js";
import type { Tenant } from "../config/tenants.js";
import { decrypt, DecryptError, encrypt } from "../crypto/aes.js";
import { sign, signaturesEqual } from "../crypto/sign.js";
import { sniff } from "../envelope/read.js";
import type { Bindings } from "../env.js";
import { GatewayError } from "../errors.js";
import { isRedirect, transportFor } from "../his/client.js";
import { AnswerTooLarge, maxAnswerBytes, readAnswer } from "../lib/answer.js";
import { DeadlineExceeded, withDeadline } from "../lib/deadline.js";
import { log } from "../log.js";
import { parseJson } from "../payload/json.js";
import { decodePayload, encodePayload } from "../payload/codec.js";
import { parseXmlDocument, writeXmlEnvelope } from "../payload/xml.js";
import type { UpstreamSeen } from "../trail/types.js";
import { validationDetail } from "../validation.js";

/** Builds the signed, encrypted request envelope for one hospital -> platform call (§5, API 调用流程 1-3). */
export function sealRequest(
  def: ServiceDefinition,
  tenant: Pick<Tenant, "partner" | "hospitalCode"> & { key: string },
  request: Record<string, unknown>,
  format: "json" | "xml",
): string {
  const params: Record<string, string> = {
    service: def.wireName,
    partner: tenant.partner,
    hospitalCode: tenant.hospitalCode,
    dataFormat: format,
    inputCharset: "utf-8",
    requestEncrypted: encrypt(encodePayload(def, "request", request, format), tenant.key),
  };
  const signature = sign(params, tenant.key);
  if (format === "json") return JSON.stringify({ ...params, signType: "md5", sign: signature });
  const { requestEncrypted, ...rest } = params;
  return writeXmlEnvelope([
    ...Object.entries(rest),
    ["signType", "md5"],
    ["sign", signature],
    ["requestEncrypted", requestEncrypted!],
  ]);
}

const SIGNED_REPLY = responseParams.filter((p) => p.signed).map((p) => p.name);

export interface PlatformReply {
  resultCode: string;
  resultMessage: string;
  data?: Record<string, unknown>;
}

/**
 * Reads the platform's reply envelope: signature first (nothing in it is trusted before), then decrypt and
 * validate. `keys`: the key the request went out with, then any other key valid now (during a rotation the
 * platform may answer in the other one); the one that verifies decrypts.
 */
export function openReply(text: string, def: ServiceDefinition, keys: string | readonly string[]): PlatformReply {
  const format = sniff(text);
  let raw: Record<string, unknown>;
  try {
    if (format === "xml") {
      const doc = parseXmlDocument(text);
      if (doc.root !== "root" || typeof doc.value !== "object" || doc.value === null)
        throw new Error("expected <root>");
      raw = doc.value as Record<string, unknown>;
    } else if (format === "json") {
      const v = parseJson(text);
      if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error("expected a JSON object");
      raw = v as Record<string, unknown>;
    } else throw new Error("neither XML nor JSON");
  } catch (err) {
    throw new GatewayError("ILLEGAL_RESPONSE", `the platform's reply is malformed: ${(err as Error).message}`);
  }
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (typeof v === "string" || typeof v === "number") params[k] = String(v);
  const signed: Record<string, string> = {};
  for (const name of SIGNED_REPLY) if (params[name] !== undefined) signed[name] = params[name]!;
  const nonEmpty = Object.fromEntries(Object.entries(signed).filter(([, v]) => v !== ""));
  const received = params.sign ?? "";
  let key: string | undefined;
  for (const k of typeof keys === "string" ? [keys] : keys) {
    const ok = signaturesEqual(sign(signed, k), received) || signaturesEqual(sign(nonEmpty, k), received);
    if (ok && key === undefined) key = k;
  }
  if (key === undefined)
    throw new GatewayError("ILLEGAL_SIGN", "the platform's reply signature does not verify; nothing in it was used");
  const resultCode = params.resultCode ?? "";
  if (!resultCode) throw new GatewayError("ILLEGAL_RESPONSE", "the platform's reply has no resultCode");
  const resultMessage = params.resultMessage ?? "";
  if (resultCode !== "SUCCESS" || !def.hasResponse) return { resultCode, resultMessage };
  if (!params.responseEncrypted)
    throw new GatewayError("NULL_RESPONSE", "the platform answered SUCCESS without responseEncrypted");
  let bytes: Uint8Array;
  try {
    bytes = decrypt(params.responseEncrypted, key);
  } catch (err) {
    if (err instanceof DecryptError) throw new GatewayError("ILLEGAL_ENCRYPT", `the platform's reply: ${err.message}`);
    throw err;
  }
  const result = def.validateResponse(decodePayload(bytes, def, "response"));
  if (!result.ok)
    throw new GatewayError(
      "ILLEGAL_RESPONSE",
      `the platform's reply fails validation: ${validationDetail(result.errors)}`,
      result.errors,
    );
  return { resultCode, resultMessage, data: result.value as Record<string, unknown> };
}

// Reads may be repeated safely; the others move money or orders and are never retried blindly.
const RETRY_ONCE = new Set(["QueryRefund", "DownloadStatement"]);

/**
 * Calls the platform as the hospital, signing and encrypting with `key` (the tenant's current key, see
 * config/keys.ts), and returns its verified, decrypted, validated answer.
 */
export async function callPlatform(
  env: Bindings,
  tenant: Tenant,
  key: TenantKey,
  def: ServiceDefinition,
  request: Record<string, unknown>,
  requestId: string,
  /** Filled with the platform's HTTP status and time, for the message trail. */
  seen: UpstreamSeen = {},
): Promise<PlatformReply> {
  if (!tenant.platformUrl && !tenant.platformService)
    throw new GatewayError("ILLEGAL_EXTERFACE", "no platformUrl is configured for this hospital");
  const transport = transportFor(env, tenant.platformService);
  const others = keysValidAt(tenant.keys, Date.now()).filter((k) => k.index !== key.index);
  const replyKeys = [key.key, ...others.map((k) => k.key)];
  const body = sealRequest(def, { ...tenant, key: key.key }, request, tenant.platformFormat);
  const url = tenant.platformUrl ?? "http://platform/wd/api";
  const attempts = RETRY_ONCE.has(def.name) ? 2 : 1;
  for (let attempt = 1; ; attempt++) {
    let res: Response;
    let text: string;
    const started = Date.now();
    try {
      [res, text] = await withDeadline(tenant.platformTimeoutMs, async (signal) => {
        const r = await transport.fetch(url, {
          method: "POST",
          headers: {
            "content-type":
              tenant.platformFormat === "xml" ? "application/xml; charset=utf-8" : "application/json; charset=utf-8",
            "x-request-id": requestId,
          },
          body,
          signal,
          // A redirect would re-post the signed envelope to wherever the Location points.
          redirect: "manual",
        });
        seen.status = r.status;
        return [r, await readAnswer(r, maxAnswerBytes(env.MAX_ANSWER_BYTES))] as const;
      });
    } catch (err) {
      seen.ms = Date.now() - started;
      if (err instanceof DeadlineExceeded) {
        throw new GatewayError("SESSION_TIMEOUT", `the platform did not answer within ${tenant.platformTimeoutMs} ms`);
      }
      if (err instanceof AnswerTooLarge) throw new GatewayError("ILLEGAL_RESPONSE", `the platform's ${err.message}`);
      log("warn", "platform.unreachable", { requestId, service: def.name, attempt });
      if (attempt < attempts) continue;
      throw new GatewayError("SYSTEM_ERROR", "the platform is unreachable");
    }
    seen.ms = Date.now() - started;
    if (res.status >= 500) throw new GatewayError("SYSTEM_ERROR", `the platform answered HTTP ${res.status}`);
    if (isRedirect(res.status)) {
      log("warn", "platform.redirect", { requestId, service: def.name, status: res.status });
      throw new GatewayError("SYSTEM_ERROR", `the platform answered HTTP ${res.status}, a redirect (not followed)`);
    }
    if (text.trim() === "")
      throw new GatewayError("NULL_RESPONSE", `the platform answered HTTP ${res.status} with an empty body`);
    return openReply(text, def, replyKeys);
  }
}
