import { parseTenants } from "../config/tenants.js";
import { registryKeys, seal, tenantRecordName, tokenIndexName } from "./seal.js";

/** One KV entry as `wrangler kv bulk put` takes it. */
export interface KvEntry {
  key: string;
  value: string;
  metadata?: Record<string, unknown>;
}

/** What `tenants list` shows of a record: its KV metadata, written beside it, without any secret. */
// A type, not an interface: it is then a Record<string, unknown> as KV metadata is typed.
export type TenantSummary = {
  partner: string;
  hospitalCode: string;
  his: string;
  keys: number;
  hisToken: boolean;
  platform?: string;
  rateLimit?: string;
  services?: number;
};

const clip = (s: string) => (s.length > 200 ? `${s.slice(0, 199)}…` : s);

/**
 * The registry entries for a TENANTS-format file: validated exactly as the Worker validates TENANTS, then one
 * sealed record per tenant (the entry as written, key and secrets included) and one index entry per hisToken.
 */
export async function registryEntries(json: string, masterSecret: string): Promise<KvEntry[]> {
  const directory = parseTenants(json);
  // The entries as written (parseTenants has just read the same text as a JSON array).
  const raw: unknown = JSON.parse(json);
  const entries = Array.isArray(raw) ? raw : [];
  const keys = await registryKeys(masterSecret);
  const out: KvEntry[] = [];
  for (const [i, tenant] of directory.all.entries()) {
    const name = tenantRecordName(tenant.partner, tenant.hospitalCode);
    const summary: TenantSummary = {
      partner: tenant.partner,
      hospitalCode: tenant.hospitalCode,
      his: clip(tenant.hisService ? `service:${tenant.hisService}` : tenant.hisUrl),
      keys: tenant.keys.length,
      hisToken: tenant.hisToken !== undefined,
      ...(tenant.platformUrl || tenant.platformService
        ? { platform: clip(tenant.platformUrl ?? `service:${tenant.platformService}`) }
        : {}),
      ...(tenant.rateLimit ? { rateLimit: `${tenant.rateLimit.requests}/${tenant.rateLimit.periodSeconds}s` } : {}),
      ...(tenant.services ? { services: tenant.services.size } : {}),
    };
    out.push({
      key: name,
      value: await seal(keys, name, entries[i]),
      metadata: summary,
    });
    if (tenant.hisToken) out.push({ key: tokenIndexName(keys, tenant.hisToken), value: name });
  }
  return out;
}
