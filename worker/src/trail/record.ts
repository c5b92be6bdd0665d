import type { Context } from "hono";
import { businessIdFields } from "../../../generated/trail.js";
import type { ServiceDefinition } from "../../../generated/registry.js";
import type { Bindings, AppEnv } from "../env.js";
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
  if (typeof payload !== "object" || payload === null) return ids;
  for (const name of businessIdFields[def.name][side]) {
    const v = (payload as Record<string, unknown>)[name];
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

/** Appends to a tenant's trail without holding anything up; a trail that cannot be written is logged, not fatal. */
export async function appendTrail(env: Bindings, partner: string, hospitalCode: string, record: TrailRecord) {
  try {
    await trailOf(env, partner, hospitalCode).record([record]);
  } catch (err) {
    log("warn", "trail.write_failed", { requestId: record.requestId, error: (err as Error)?.name });
  }
}
