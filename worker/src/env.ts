import type { TenantKey } from "./config/keys.js";
import type { Tenant } from "./config/tenants.js";

export type { PayloadFormat } from "./protocol/text.js";

/**
 * The Worker's environment: the bindings wrangler.jsonc declares, typed by `wrangler types`
 * (worker-configuration.d.ts, checked by `npm test`), plus the variables and secrets it cannot know.
 */
export interface Bindings extends Omit<Env, "TENANT_REGISTRY" | "DEMO_HIS"> {
  /** JSON array of tenants: a secret in production (`wrangler secret put TENANTS`), .dev.vars locally. */
  TENANTS?: string;
  /**
   * The tenant registry for deployments with more hospitals than TENANTS holds: one sealed record per tenant,
   * written by `hisgate tenants import` (README, Tenant registry). Read only when TENANT_MASTER_KEY is set.
   */
  TENANT_REGISTRY?: KVNamespace;
  /** Base64 of at least 32 random bytes (a secret; `hisgate tenants keygen`): seals the registry's records. */
  TENANT_MASTER_KEY?: string;
  /** Largest accepted request body, in bytes (default 1 MiB). */
  MAX_BODY_BYTES?: string;
  /** How long once-only answers are kept (default 7 days). */
  IDEMPOTENCY_RETENTION_DAYS?: string;
  /** First retry delay of a notification delivery, in ms (default 30000); doubles per attempt, with jitter. */
  NOTIFY_RETRY_BASE_MS?: string;
  /** Longest delay between two delivery attempts, in ms (default one hour). */
  NOTIFY_RETRY_MAX_MS?: string;
  /** For how many days a notification is retried before it is marked failed (default 7). */
  NOTIFY_RETRY_DAYS?: string;
  /** For how many days a delivered notification is kept before it is purged (default 30). */
  NOTIFY_RETENTION_DAYS?: string;
  /** "info" (default): one line per request; "warn": only requests refused or failed. */
  LOG_LEVEL?: string;
  /** "off" disables the /docs TestNet form (POST /docs/try); set it in production. */
  DOCS_TRY?: string;
  /** Service bindings named by a tenant's hisService / platformService. */
  [binding: string]: unknown;
}

export interface Variables {
  requestId: string;
  /** Known once partner and hospitalCode resolve: every reply from then on is signed with its key. */
  tenant?: Tenant;
  /** The key that verified the request: it decrypts it and signs and encrypts the reply (see config/keys.ts). */
  tenantKey?: TenantKey;
  /** For the request log line only. */
  service?: string;
  partner?: string;
  hospitalCode?: string;
  resultCode?: string;
  /** Why a request was refused (no values, only what and where), for the same log line. */
  detail?: string;
  errorPaths?: string[];
}

export interface AppEnv {
  Bindings: Bindings;
  Variables: Variables;
}
