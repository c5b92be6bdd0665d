// What the Worker described by a wrangler config becomes under plain workerd: Durable Object namespaces, bindings
// and compatibility settings, each mapped to its self-hosted equivalent or, where there is none, to a stated
// absence. Pure: the build reads wrangler.jsonc through wrangler and hands the resolved config here.

/** The parts of wrangler's resolved config (`unstable_readConfig`) this mapping reads. */
export interface WranglerConfig {
  name?: string;
  compatibility_date?: string;
  compatibility_flags?: string[];
  vars?: Record<string, unknown>;
  secrets?: { required?: string[] };
  durable_objects?: { bindings?: { name: string; class_name: string; script_name?: string }[] };
  migrations?: {
    tag: string;
    new_classes?: string[];
    new_sqlite_classes?: string[];
    renamed_classes?: { from: string; to: string }[];
    deleted_classes?: string[];
  }[];
  services?: { binding: string; service: string; entrypoint?: string }[];
  ratelimits?: { name: string; simple: { limit: number; period: number } }[];
  analytics_engine_datasets?: { binding: string; dataset?: string }[];
  triggers?: { crons?: string[] };
  [field: string]: unknown;
}

export type PlannedBinding =
  | { name: string; kind: "text"; value: string }
  | { name: string; kind: "json"; value: string }
  /** A secret: from the environment of the process (TENANTS: from the --tenants file). */
  | { name: string; kind: "secret" }
  | { name: string; kind: "durableObject"; className: string }
  /** Another Worker of the same build (the demo HIS), or nothing: see `absent`. */
  | { name: string; kind: "service"; worker: string; entrypoint?: string }
  /** Cloudflare's rate limiting binding: a fixed window counted in the server's memory. */
  | { name: string; kind: "ratelimit"; limit: number; period: number }
  /** Analytics Engine: each data point becomes a JSON line on stdout. */
  | { name: string; kind: "analytics"; dataset: string }
  /** No self-hosted equivalent: the binding is left out, so `env[name]` is undefined. */
  | { name: string; kind: "absent"; type: string; why: string };

export interface DurableObjectNamespacePlan {
  className: string;
  /** Names the namespace's directory under the data directory: must never change, or the data is orphaned. */
  uniqueKey: string;
  enableSql: boolean;
}

export interface WorkerPlan {
  name: string;
  compatibilityDate: string;
  compatibilityFlags: string[];
  durableObjects: DurableObjectNamespacePlan[];
  bindings: PlannedBinding[];
  /** What differs from Cloudflare, one sentence each (printed by the build, written into the config). */
  notes: string[];
}

/** The one secret the gateway cannot run without; serve reads it from --tenants, never from the environment. */
export const TENANTS = "TENANTS";

/**
 * The each-minute cron trigger (`* * * * *`) under workerd, which has no scheduler: a Durable Object of the Worker
 * (it must export the class: worker/src/durable/cron-alarm.ts) whose alarm runs the scheduled job each minute.
 * Other cron expressions have no stand-in and never fire.
 */
export const CRON_ALARM = { binding: "CRON_ALARM", className: "CronAlarm", cron: "* * * * *" } as const;

/** Binding fields of a wrangler config that have no self-hosted equivalent here, with the binding's name key. */
const WITHOUT_EQUIVALENT: Record<string, { type: string; nameKey: string }> = {
  kv_namespaces: { type: "KV namespace", nameKey: "binding" },
  r2_buckets: { type: "R2 bucket", nameKey: "binding" },
  d1_databases: { type: "D1 database", nameKey: "binding" },
  vectorize: { type: "Vectorize index", nameKey: "binding" },
  hyperdrive: { type: "Hyperdrive", nameKey: "binding" },
  send_email: { type: "Email sender", nameKey: "name" },
  workflows: { type: "Workflow", nameKey: "binding" },
  dispatch_namespaces: { type: "dispatch namespace", nameKey: "binding" },
  mtls_certificates: { type: "mTLS certificate", nameKey: "binding" },
  pipelines: { type: "Pipeline", nameKey: "binding" },
  secrets_store_secrets: { type: "Secrets Store secret", nameKey: "binding" },
  worker_loaders: { type: "Worker loader", nameKey: "binding" },
  vpc_services: { type: "VPC service", nameKey: "binding" },
};
/** Single-object binding fields ({ binding }) without an equivalent. */
const WITHOUT_EQUIVALENT_SINGLE: Record<string, string> = {
  ai: "Workers AI",
  browser: "Browser Rendering",
  images: "Images",
  media: "Media",
  version_metadata: "version metadata",
  assets: "static assets",
};

export class PlanError extends Error {
  override name = "PlanError";
}

/** Durable Object classes after the migrations, in order: the class name today, its first name, SQLite or not. */
function classesFromMigrations(
  migrations: WranglerConfig["migrations"],
): Map<string, { firstName: string; sql: boolean }> {
  const classes = new Map<string, { firstName: string; sql: boolean }>();
  for (const m of migrations ?? []) {
    for (const c of m.new_classes ?? []) classes.set(c, { firstName: c, sql: false });
    for (const c of m.new_sqlite_classes ?? []) classes.set(c, { firstName: c, sql: true });
    for (const { from, to } of m.renamed_classes ?? []) {
      const was = classes.get(from);
      if (!was) throw new PlanError(`migration ${m.tag} renames ${from}, which no earlier migration created`);
      classes.delete(from);
      // A renamed class keeps its storage: the key follows the class's first name.
      classes.set(to, was);
    }
    for (const c of m.deleted_classes ?? []) classes.delete(c);
  }
  return classes;
}

/**
 * @param config wrangler's resolved config for one environment
 * @param workers the names of the other Workers built alongside (service bindings to them become references)
 */
export function planWorker(config: WranglerConfig, workers: readonly string[] = []): WorkerPlan {
  const name = config.name;
  if (!name) throw new PlanError("wrangler config has no name");
  if (!config.compatibility_date) throw new PlanError(`${name}: wrangler config has no compatibility_date`);
  const notes: string[] = [];
  const bindings: PlannedBinding[] = [];

  for (const [key, value] of Object.entries(config.vars ?? {}))
    bindings.push(
      typeof value === "string"
        ? { name: key, kind: "text", value }
        : { name: key, kind: "json", value: JSON.stringify(value) },
    );
  const secrets = new Set([TENANTS, ...(config.secrets?.required ?? [])]);
  for (const secret of secrets) bindings.push({ name: secret, kind: "secret" });

  const classes = classesFromMigrations(config.migrations);
  const durableObjects: DurableObjectNamespacePlan[] = [...classes].map(([className, c]) => ({
    className,
    uniqueKey: `${name}-${c.firstName}`,
    enableSql: c.sql,
  }));
  for (const d of config.durable_objects?.bindings ?? []) {
    if (d.script_name && d.script_name !== name) {
      bindings.push({
        name: d.name,
        kind: "absent",
        type: "Durable Object of another Worker",
        why: `${d.class_name} lives in ${d.script_name}, which is not part of this server`,
      });
      continue;
    }
    if (!classes.has(d.class_name))
      throw new PlanError(
        `${name}: Durable Object binding ${d.name} names ${d.class_name}, which no migration creates`,
      );
    bindings.push({ name: d.name, kind: "durableObject", className: d.class_name });
  }

  for (const s of config.services ?? []) {
    if (workers.includes(s.service))
      bindings.push({
        name: s.binding,
        kind: "service",
        worker: s.service,
        ...(s.entrypoint ? { entrypoint: s.entrypoint } : {}),
      });
    else
      bindings.push({
        name: s.binding,
        kind: "absent",
        type: "service binding",
        why: `the Worker ${s.service} is not part of this server`,
      });
  }
  for (const r of config.ratelimits ?? []) {
    bindings.push({ name: r.name, kind: "ratelimit", limit: r.simple.limit, period: r.simple.period });
    notes.push(
      `${r.name}: rate limit of ${r.simple.limit} per ${r.simple.period} s counted in this server's memory (per server, reset by a restart)`,
    );
  }
  for (const a of config.analytics_engine_datasets ?? []) {
    bindings.push({ name: a.binding, kind: "analytics", dataset: a.dataset ?? a.binding });
    notes.push(`${a.binding}: Analytics Engine data points are written as JSON lines to stdout (event "analytics")`);
  }

  for (const [field, { type, nameKey }] of Object.entries(WITHOUT_EQUIVALENT)) {
    const list = config[field];
    if (!Array.isArray(list)) continue;
    for (const b of list as Record<string, unknown>[])
      bindings.push({ name: String(b[nameKey]), kind: "absent", type, why: `no ${type} outside Cloudflare` });
  }
  const queues = config.queues as { producers?: { binding: string }[]; consumers?: unknown[] } | undefined;
  for (const q of queues?.producers ?? [])
    bindings.push({ name: q.binding, kind: "absent", type: "Queue producer", why: "no Queues outside Cloudflare" });
  if (queues?.consumers?.length)
    notes.push("queue consumers: no Queues outside Cloudflare, the queue handler never runs");
  for (const [field, type] of Object.entries(WITHOUT_EQUIVALENT_SINGLE)) {
    const b = config[field] as { binding?: string } | undefined;
    if (b && typeof b === "object" && b.binding)
      bindings.push({ name: b.binding, kind: "absent", type, why: `no ${type} outside Cloudflare` });
  }
  const crons = config.triggers?.crons ?? [];
  const eachMinute = crons.filter((c) => c.trim().split(/\s+/).join(" ") === CRON_ALARM.cron);
  if (eachMinute.length && !classes.has(CRON_ALARM.className)) {
    durableObjects.push({
      className: CRON_ALARM.className,
      uniqueKey: `${name}-${CRON_ALARM.className}`,
      enableSql: true,
    });
    bindings.push({ name: CRON_ALARM.binding, kind: "durableObject", className: CRON_ALARM.className });
    notes.push(
      `cron trigger (${CRON_ALARM.cron}): workerd has no scheduler; a Durable Object alarm (${CRON_ALARM.className}, bound as ${CRON_ALARM.binding}) runs the scheduled job each minute instead, armed by the first request and kept across restarts`,
    );
  }
  const never = crons.filter((c) => !eachMinute.includes(c));
  if (never.length) notes.push(`cron triggers (${never.join(", ")}): workerd has no scheduler, they never fire`);

  for (const b of bindings)
    if (b.kind === "absent") notes.push(`${b.name}: ${b.type} left out (${b.why}): env.${b.name} is undefined`);

  return {
    name,
    compatibilityDate: config.compatibility_date,
    compatibilityFlags: config.compatibility_flags ?? [],
    durableObjects,
    bindings,
    notes,
  };
}
