import { ConfigError, parseTenant, type Tenant } from "../config/tenants.js";
import { secretsEqual } from "../crypto/sign.js";
import { log } from "../log.js";
import { open, registryKeys, SealError, tenantRecordName, tokenIndexName, type RegistryKeys } from "./seal.js";

/**
 * How long a record read from KV is used before it is read again, per isolate. Short, because an import must
 * take effect soon; long enough that a busy tenant costs one KV read per isolate per half minute.
 */
export const REGISTRY_CACHE_MS = 30_000;
/** Bounds the isolate's memory whatever names callers try (an unknown tenant is cached too). */
const MAX_CACHED = 10_000;

type Entry<T> = { value: T; expires: number };

const records = new Map<string, Entry<Tenant | undefined | ConfigError>>();
const tokens = new Map<string, Entry<string | null>>();

function remember<T>(cache: Map<string, Entry<T>>, name: string, value: T, now: number): T {
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(name, { value, expires: now + REGISTRY_CACHE_MS });
  return value;
}

/** Empties this isolate's cache (benchmarks of the uncached path; a test that rewrites a record it read). */
export function forgetCachedTenants(): void {
  records.clear();
  tokens.clear();
}

let derived: { secret: string; keys: Promise<RegistryKeys> } | undefined;

/**
 * The tenant registry: one sealed record per tenant in a KV namespace (`tenant/<partner>/<hospitalCode>`) and
 * one index entry per bearer token (`token/<HMAC of the token>` → the record's name), written by
 * `hisgate tenants import`. Every lookup is one KV read by name, whatever the number of tenants.
 */
export class TenantRegistry {
  constructor(
    private readonly kv: KVNamespace,
    private readonly secret: string,
  ) {}

  private keys(): Promise<RegistryKeys> {
    if (!derived || derived.secret !== this.secret) {
      const keys = registryKeys(this.secret).catch((err: unknown) => {
        throw new ConfigError(err instanceof Error ? err.message : String(err));
      });
      derived = { secret: this.secret, keys };
    }
    return derived.keys;
  }

  find(partner: string, hospitalCode: string): Promise<Tenant | undefined> {
    return this.load(tenantRecordName(partner, hospitalCode));
  }

  /** The tenant whose hisToken this is: found through the index, then the whole token compared in constant time. */
  async byToken(token: string): Promise<Tenant | undefined> {
    const index = tokenIndexName(await this.keys(), token);
    const now = Date.now();
    const hit = tokens.get(index);
    const name =
      hit && hit.expires > now ? hit.value : remember(tokens, index, await this.kv.get(index, { cacheTtl: 60 }), now);
    const tenant = name ? await this.load(name) : undefined;
    return tenant?.hisToken !== undefined && secretsEqual(tenant.hisToken, token) ? tenant : undefined;
  }

  /** Every tenant in the registry, page by page (for jobs that visit each hospital, not for requests). */
  async *list(): AsyncGenerator<Tenant> {
    let cursor: string | undefined;
    do {
      const page: KVNamespaceListResult<unknown> = await this.kv.list({
        prefix: "tenant/",
        ...(cursor ? { cursor } : {}),
      });
      for (const key of page.keys) {
        try {
          const tenant = await this.load(key.name);
          if (tenant) yield tenant;
        } catch (err) {
          if (!(err instanceof ConfigError)) throw err;
        }
      }
      cursor = page.list_complete ? undefined : page.cursor;
    } while (cursor);
  }

  private async load(name: string): Promise<Tenant | undefined> {
    const now = Date.now();
    const hit = records.get(name);
    const value = hit && hit.expires > now ? hit.value : remember(records, name, await this.read(name), now);
    if (value instanceof ConfigError) throw value;
    return value;
  }

  private async read(name: string): Promise<Tenant | undefined | ConfigError> {
    const text = await this.kv.get(name, { cacheTtl: 60 });
    if (text === null) return undefined;
    try {
      const entry = await open(await this.keys(), name, text);
      const tenant = parseTenant(entry, name);
      if (tenantRecordName(tenant.partner, tenant.hospitalCode) !== name)
        throw new ConfigError(`${name} holds another tenant's record`);
      return tenant;
    } catch (err) {
      if (!(err instanceof SealError || err instanceof ConfigError)) throw err;
      // Refused, not skipped: a record that does not open is never used, and the operator hears of it.
      log("error", "registry.invalid", { record: name, message: err.message });
      return new ConfigError(err.message);
    }
  }
}
