import type { ServiceDefinition } from "../../../generated/registry.js";
import { keysValidAt, type TenantKey } from "../config/keys.js";
import type { Tenant } from "../config/tenants.js";
import type { Bindings } from "../env.js";
import { GatewayError } from "../errors.js";
import { isRedirect, upstreamFor } from "../his/client.js";
import { AnswerTooLarge, readAnswer } from "../lib/answer.js";
import { DeadlineExceeded, withDeadline } from "../lib/deadline.js";
import { log } from "../log.js";
import { openReply, type OpenedReply } from "../protocol/reply.js";
import { sealRequest } from "../protocol/request.js";
import type { UpstreamSeen } from "../trail/types.js";

/** The platform's answer to one call: verified, decrypted, validated. */
export type PlatformReply = OpenedReply;

/**
 * Calls the platform as the hospital, signing and encrypting with `key` (the tenant's current key, see
 * config/keys.ts), and returns its verified, decrypted, validated answer.
 */
export async function callPlatform(
  env: Bindings,
  tenant: Tenant,
  key: TenantKey,
  def: ServiceDefinition,
  request: object,
  requestId: string,
  /** Filled with the platform's HTTP status and time, for the message trail. */
  seen: UpstreamSeen = {},
): Promise<PlatformReply> {
  if (!tenant.platformUrl && !tenant.platformService)
    throw new GatewayError("ILLEGAL_EXTERFACE", "no platformUrl is configured for this hospital");
  const { fetcher: transport, maxAnswerBytes } = upstreamFor(env, tenant.platformService);
  // The key the request went out with, then any other key valid now (during a rotation the platform may answer
  // in the other one); the one that verifies decrypts.
  const others = keysValidAt(tenant.keys, Date.now()).filter((k) => k.index !== key.index);
  const replyKeys = [key.key, ...others.map((k) => k.key)];
  const body = sealRequest(def, { ...tenant, key: key.key }, request, tenant.platformFormat);
  const url = tenant.platformUrl ?? "http://platform/wd/api";
  // A read (spec: sideEffects none) may be repeated safely; the others move money or orders and are never
  // retried blindly.
  const attempts = def.sideEffects === "none" ? 2 : 1;
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
        return [r, await readAnswer(r, maxAnswerBytes)] as const;
      });
    } catch (err) {
      seen.ms = Date.now() - started;
      if (err instanceof DeadlineExceeded) {
        throw new GatewayError(
          "SESSION_TIMEOUT",
          `the platform did not answer within ${tenant.platformTimeoutMs} ms`,
          [],
          { cause: err },
        );
      }
      if (err instanceof AnswerTooLarge)
        throw new GatewayError("ILLEGAL_RESPONSE", `the platform's ${err.message}`, [], { cause: err });
      log("warn", "platform.unreachable", { requestId, service: def.name, attempt });
      if (attempt < attempts) continue;
      throw new GatewayError("SYSTEM_ERROR", "the platform is unreachable", [], { cause: err });
    }
    seen.ms = Date.now() - started;
    if (res.status >= 500) throw new GatewayError("SYSTEM_ERROR", `the platform answered HTTP ${res.status}`);
    if (isRedirect(res.status)) {
      log("warn", "platform.redirect", { requestId, service: def.name, status: res.status });
      throw new GatewayError("SYSTEM_ERROR", `the platform answered HTTP ${res.status}, a redirect (not followed)`);
    }
    if (text.trim() === "")
      throw new GatewayError("NULL_RESPONSE", `the platform answered HTTP ${res.status} with an empty body`);
    return openReply(text, def, replyKeys, "the platform's reply");
  }
}
