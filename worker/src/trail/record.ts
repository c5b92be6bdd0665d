import type { Context } from "hono";
import { businessIdFields } from "../../../generated/trail.js";
import type { ServiceDefinition } from "../../../generated/registry.js";
import type { Bindings, AppEnv } from "../env.js";
import { isRecord } from "../lib/object.js";
import { log } from "../log.js";
import type { TrailRecord, UpstreamSeen } from "./types.js";

/** The trail of one tenant (the same name the NotificationQueue uses, in its own namespace). */
export function trailOf(env: Bindings, partner: string, hospitalCode: string) {
  return env.MESSAGES.get(env.MESSAGES.idFromName(`${partner}\u0000${hospitalCode}`));
}

/**
 * Notes the business ids a payload carries, by the generated list of the service's id fields: only those
 * names are read, so nothing else of the payload can reach the trail.
 */
export function noteBusinessIds(
  c: Context<AppEnv>,
  def: ServiceDefinition,
  side: "request" | "response",
  payload: unknown,
): void {
  const ids = businessIdsOf(def, side, payload);
  if (Object.keys(ids).length) c.set("trailIds", { ...c.var.trailIds, ...ids });
}

/** The business ids of one payload, read by the generated list of the service's id fields. */
export function businessIdsOf(
  def: ServiceDefinition,
  side: "request" | "response",
  payload: unknown,
): TrailRecord["ids"] {
  const ids: TrailRecord["ids"] = {};
  if (!isRecord(payload)) return ids;
  for (const name of businessIdFields[def.name][side]) {
    const v = payload[name];
    if (typeof v === "string" && v !== "") ids[name] = v;
  }
  return ids;
}

/** The context's record of the upstream exchange, created on first use; the HIS or platform client fills it. */
export function upstreamOf(c: Context<AppEnv>): UpstreamSeen {
  let seen = c.var.upstream;
  if (!seen) c.set("upstream", (seen = {}));
  return seen;
}

/** Appends to a tenant's trail; a trail that cannot be written is logged, never fatal to the exchange. */
export async function appendTrail(env: Bindings, partner: string, hospitalCode: string, ...records: TrailRecord[]) {
  try {
    await trailOf(env, partner, hospitalCode).record(records);
  } catch (err) {
    log("warn", "trail.write_failed", { records: records.length, error: err instanceof Error ? err.name : typeof err });
  }
}

/** How long the first record of a batch waits for others, and the most one batch carries. */
const BATCH_MS = 50;
const BATCH_MAX = 100;
/** Per tenant, the records of this isolate waiting to be written. Plain data: no I/O object crosses requests. */
const batches = new Map<string, TrailRecord[]>();

/**
 * Records an exchange after its answer, batched: the first request of a batch waits BATCH_MS (through its own
 * waitUntil) and writes everything the isolate's other requests for the tenant added meanwhile in one call, so
 * under load the trail costs one Durable Object call per batch, not per request. A batch is lost only with its
 * isolate, which would lose a waitUntil as well.
 */
export function recordAfterAnswer(
  ctx: Pick<ExecutionContext, "waitUntil">,
  env: Bindings,
  partner: string,
  hospitalCode: string,
  record: TrailRecord,
): void {
  const key = `${partner}\u0000${hospitalCode}`;
  const open = batches.get(key);
  if (open) {
    open.push(record);
    if (open.length >= BATCH_MAX) {
      batches.delete(key);
      ctx.waitUntil(appendTrail(env, partner, hospitalCode, ...open));
    }
    return;
  }
  const batch = [record];
  batches.set(key, batch);
  ctx.waitUntil(
    (async () => {
      await new Promise((resolve) => setTimeout(resolve, BATCH_MS));
      // Already written by the request that filled it up?
      if (batches.get(key) !== batch) return;
      batches.delete(key);
      await appendTrail(env, partner, hospitalCode, ...batch);
    })(),
  );
}
