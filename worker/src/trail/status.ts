import type { Tenant } from "../config/tenants.js";
import type { Bindings } from "../env.js";
import { trailOf } from "./record.js";
import type { StatusFigures } from "./types.js";

export interface QueueFigures {
  pending: number;
  failed: number;
  rejected: number;
  /** Age of the oldest notification still waiting for delivery, ms (null: none waiting). */
  oldestPendingMs: number | null;
}

export interface TenantStatus extends StatusFigures {
  partner: string;
  hospitalCode: string;
  notifications: QueueFigures;
}

export function queueOf(env: Bindings, tenant: { partner: string; hospitalCode: string }) {
  return env.NOTIFICATIONS.get(env.NOTIFICATIONS.idFromName(`${tenant.partner}\u0000${tenant.hospitalCode}`));
}

/** What /status and /status.json show: the trail's figures and the notification queue's backlog. */
export async function tenantStatus(env: Bindings, tenant: Tenant, now = Date.now()): Promise<TenantStatus> {
  const [figures, backlog] = await Promise.all([
    trailOf(env, tenant.partner, tenant.hospitalCode).status(now),
    queueOf(env, tenant).backlog(),
  ]);
  return {
    partner: tenant.partner,
    hospitalCode: tenant.hospitalCode,
    ...figures,
    notifications: {
      pending: backlog.pending,
      failed: backlog.failed,
      rejected: backlog.rejected,
      oldestPendingMs: backlog.oldestPendingAt === null ? null : Math.max(0, now - backlog.oldestPendingAt),
    },
  };
}
