import type { TenantKey } from "./config/keys.js";
import type { Tenant } from "./config/tenants.js";
import type { PayloadFormat } from "./protocol/text.js";
import type { TrailRecord, UpstreamSeen } from "./trail/types.js";

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
  /** Largest HIS or platform answer read, in bytes (default 8 MiB); past it the answer is ILLEGAL_RESPONSE. */
  MAX_ANSWER_BYTES?: string;
  /** Days a successful exchange stays in the trail (default 30). */
  MESSAGE_RETENTION_DAYS?: string;
  /** Days a failed exchange stays in the trail (default 90). */
  MESSAGE_FAILED_RETENTION_DAYS?: string;
  /** "off": no message trail is written (its /messages, /status and /metrics figures stay empty). */
  MESSAGE_TRAIL?: string;
  /**
   * Self-hosted only: the Durable Object whose alarm runs the alert checks each minute, where workerd has no cron
   * (bound by selfhost/plan.ts, never in wrangler.jsonc). Typed where it is used (durable/cron-alarm.ts): naming
   * the class here would make env.ts and the class import each other.
   */
  CRON_ALARM?: DurableObjectNamespace;
  /** Seconds between the CronAlarm's runs (default 60, the cron's each minute). */
  CRON_ALARM_SECONDS?: string;
  /**
   * Operator bearer token for GET /metrics of every tenant (a tenant's hisToken gives that tenant's); a token68
   * (letters, digits and `-._~+/`), as any bearer token.
   */
  METRICS_TOKEN?: string;
  /** Workers Analytics Engine dataset: one data point per exchange when bound. */
  METRICS?: AnalyticsEngineDataset;
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
  /** The caller gave the operator's token (METRICS_TOKEN on /metrics): no tenant of its own, every tenant's view. */
  operator?: boolean;
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
  /** For the message trail: the business ids seen in the request and the answer (generated/trail.ts). */
  trailIds?: TrailRecord["ids"];
  /** For the message trail: the HIS's (or the platform's) HTTP status and time. */
  upstream?: UpstreamSeen;
  /** For the message trail: how the envelope reply went out (set by render/envelope.ts, never read to render). */
  answeredAs?: { format: PayloadFormat; soap: boolean };
}

export interface AppEnv {
  Bindings: Bindings;
  Variables: Variables;
}
