import type { Context } from "hono";
import { createHash } from "node:crypto";
import type { ServiceDefinition } from "../../../generated/registry.js";
import type { Tenant } from "../config/tenants.js";
import type { ReplyEnvelope } from "../protocol/reply.js";
import type { AppEnv } from "../env.js";
import { GatewayError, SUCCESS_MESSAGE } from "../errors.js";
import type { BeginResult } from "../durable/idempotency-record.js";
import { callHis, upstreamFor, isDefinite, type HisAnswer } from "../his/client.js";
import { fieldOf } from "../lib/object.js";
import { upstreamOf } from "../trail/record.js";

const DAY = 24 * 60 * 60 * 1000;

/**
 * What tells two requests with the same key apart as different events: the fields the spec names for the service
 * (a resent notification's new notifyTime is not among them), or the whole request. The typed request's JSON is
 * canonical: the validator fixes key order.
 */
export function fingerprint(def: ServiceDefinition, request: object): string {
  const fields = def.idempotency?.fingerprint;
  const identity = fields ? fields.map((f) => fieldOf(request, f) ?? null) : request;
  return createHash("sha256").update(JSON.stringify(identity)).digest("hex");
}

export function idempotencyKey(def: ServiceDefinition, request: object): string {
  return def.idempotency!.key.map((k) => String(fieldOf(request, k) ?? "")).join(":");
}

const tenantName = (tenant: Tenant) => `${tenant.partner}\u0000${tenant.hospitalCode}`;

/**
 * Forwards a request whose effect must happen once. The first is forwarded; concurrent and later duplicates get
 * its business answer (sealed afresh by the caller); the same key with another payload is REPEAT_TRANSACTION.
 * Only a definite answer is kept (isDefinite): HIS failures and transient answers are not, so a retry asks again.
 */
export async function forwardOnce(
  c: Context<AppEnv>,
  tenant: Tenant,
  def: ServiceDefinition,
  request: object,
  accept: (answer: HisAnswer) => ReplyEnvelope,
): Promise<ReplyEnvelope> {
  const key = idempotencyKey(def, request);
  const fp = fingerprint(def, request);
  const ns = c.env.IDEMPOTENCY;
  const stub = ns.get(ns.idFromName(`${tenantName(tenant)}\u0000${def.name}\u0000${key}`));
  // A claim outlives the HIS timeout, so a live first request is never taken over.
  const lease = tenant.hisTimeoutMs + 5_000;
  // Typed back to BeginResult: workers-types' RPC stub cannot express HisAnswer's unknown `data` as serializable.
  const claim = (await stub.begin(fp, lease)) as BeginResult;
  if (claim.action === "conflict")
    throw new GatewayError(
      "REPEAT_TRANSACTION",
      `${def.idempotency!.key.join("+")} ${key} was already used with a different request`,
    );
  if (claim.action === "failed")
    throw new GatewayError(claim.resultCode, "the first request with this key failed; retry");
  if (claim.action === "replay") return accept(claim.answer);

  let reply: ReplyEnvelope;
  let answer: HisAnswer;
  try {
    answer = await callHis(
      upstreamFor(c.env, tenant.hisService),
      tenant,
      def,
      request,
      c.var.requestId,
      { "x-idempotency-key": encodeURIComponent(`${def.name}:${key}`) },
      upstreamOf(c),
    );
    // Validating the answer is part of accepting it: an answer that fails validation is not kept.
    reply = accept(answer);
  } catch (err) {
    await stub.abandon(fp, err instanceof GatewayError ? err.resultCode : "SYSTEM_ERROR");
    throw err;
  }
  if (!isDefinite(def, answer)) {
    // Passed on to this caller and to the duplicates waiting on it, but not kept: the next retry asks the HIS.
    await stub.abandon(fp, answer.resultCode, answer);
    return reply;
  }
  const retention = (Number(c.env.IDEMPOTENCY_RETENTION_DAYS) || 7) * DAY;
  await stub.complete(fp, answer, retention);
  return reply;
}

/** Stores a notification and acknowledges it; the tenant's NotificationQueue delivers it to the HIS. */
export async function acceptNotification(
  c: Context<AppEnv>,
  tenant: Tenant,
  def: ServiceDefinition,
  request: object,
): Promise<ReplyEnvelope> {
  const ns = c.env.NOTIFICATIONS;
  const queue = ns.get(ns.idFromName(tenantName(tenant)));
  const key = idempotencyKey(def, request);
  const result = await queue.enqueue({
    partner: tenant.partner,
    hospitalCode: tenant.hospitalCode,
    service: def.name,
    key,
    fingerprint: fingerprint(def, request),
    request,
  });
  if (result.status === "conflict")
    throw new GatewayError(
      "REPEAT_TRANSACTION",
      `${def.idempotency!.key.join("+")} ${key} was already notified with different content`,
    );
  return { resultCode: "SUCCESS", resultMessage: SUCCESS_MESSAGE };
}
