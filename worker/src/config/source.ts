import { createHash } from "node:crypto";
import { secretsEqual } from "../crypto/sign.js";
import type { Bindings } from "../env.js";
import { TenantRegistry } from "../registry/registry.js";
import { loadTenants, type Tenant, type TenantDirectory } from "./tenants.js";

/**
 * Where tenants come from, for every part of the gateway that needs one (requests, /platform and /deliveries
 * tokens, the notification queue, scheduled jobs): the TENANTS variable, the KV tenant registry, or both.
 * TENANTS is asked first, so a small deployment or a hospital's own server needs nothing else.
 */
export interface TenantSource {
  find(partner: string, hospitalCode: string): Promise<Tenant | undefined>;
  /** The tenant a bearer hisToken belongs to: one lookup by a hash of it, the whole token compared in constant time. */
  byToken(token: string): Promise<Tenant | undefined>;
  /** Every tenant, TENANTS first (for jobs that visit each hospital; never on a request's path). */
  list(): AsyncGenerator<Tenant>;
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

// Per parsed TENANTS value: its tenants by a hash of their token, so a token costs one lookup, not a scan.
const tokenIndexes = new WeakMap<TenantDirectory, Map<string, Tenant>>();

function byTokenIn(directory: TenantDirectory, token: string): Tenant | undefined {
  let index = tokenIndexes.get(directory);
  if (!index) {
    index = new Map(directory.all.flatMap((t) => (t.hisToken ? [[sha256(t.hisToken), t] as const] : [])));
    tokenIndexes.set(directory, index);
  }
  const tenant = index.get(sha256(token));
  return tenant?.hisToken !== undefined && secretsEqual(tenant.hisToken, token) ? tenant : undefined;
}

/**
 * The registry is on when the TENANT_REGISTRY namespace is bound and TENANT_MASTER_KEY is set; TENANTS is read
 * when set, and required when the registry is off (its absence is then config.invalid, as before).
 */
export function tenantSource(env: Bindings): TenantSource {
  const registry =
    env.TENANT_REGISTRY && env.TENANT_MASTER_KEY
      ? new TenantRegistry(env.TENANT_REGISTRY, env.TENANT_MASTER_KEY)
      : undefined;
  const directory = env.TENANTS !== undefined || !registry ? loadTenants(env.TENANTS) : undefined;
  return {
    async find(partner, hospitalCode) {
      return directory?.find(partner, hospitalCode) ?? (await registry?.find(partner, hospitalCode));
    },
    async byToken(token) {
      return (directory && byTokenIn(directory, token)) ?? (await registry?.byToken(token));
    },
    async *list() {
      if (directory) yield* directory.all;
      if (registry) yield* registry.list();
    },
  };
}
