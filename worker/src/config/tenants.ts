import { getService, services } from "../../../generated/registry.js";
import { findProfile, profileNames } from "../his/profiles.js";
import { parseRateLimit, type RateLimit } from "../ratelimit/config.js";
import { parseAlerts, type TenantAlerts } from "./alerts.js";
import { parseKeys, type TenantKey } from "./keys.js";

export type PlatformFormat = "json" | "xml";

export interface HisRoute {
  method: "POST" | "PUT" | "GET";
  /** Path template under hisUrl; {service} is replaced by the service name. */
  path: string;
}

/** One hospital as seen by one platform partner: the TENANTS entry, checked. */
export interface Tenant {
  partner: string;
  hospitalCode: string;
  /** `key` or `keys` of the entry: which one signs what is decided per request (config/keys.ts). */
  keys: readonly TenantKey[];
  /** Set when a key cannot be used for AES-128 (it must be 16 bytes): answered ILLEGAL_SECURITY_KEY. */
  keyProblem?: string;
  hisUrl: string;
  /** Name of a service binding to reach the HIS through instead of the public internet. */
  hisService?: string;
  hisHeaders: Record<string, string>;
  /** A compiled HIS profile (profiles/<name>.yaml): the HIS is spoken to in its own dialect. */
  hisProfile?: string;
  services?: ReadonlySet<string>;
  clientIps?: readonly string[];
  hisTimeoutMs: number;
  maxPageSize?: number;
  routes: Readonly<Record<string, HisRoute>>;
  hisToken?: string;
  platformUrl?: string;
  platformService?: string;
  platformFormat: PlatformFormat;
  platformTimeoutMs: number;
  /** Platform requests per window that reach the HIS (ratelimit/). */
  rateLimit?: RateLimit;
  /** Where and when to alert the hospital's IT (alerts/check.ts). */
  alerts?: TenantAlerts;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

const KNOWN_KEYS = new Set([
  "partner",
  "hospitalCode",
  "key",
  "keys",
  "hisUrl",
  "hisService",
  "hisHeaders",
  "hisProfile",
  "services",
  "clientIps",
  "hisTimeoutMs",
  "maxPageSize",
  "routes",
  "hisToken",
  "platformUrl",
  "platformService",
  "platformFormat",
  "platformTimeoutMs",
  "rateLimit",
  "alerts",
]);

function str(entry: Record<string, unknown>, name: string, at: string, required: true): string;
function str(entry: Record<string, unknown>, name: string, at: string, required: boolean): string | undefined;
function str(entry: Record<string, unknown>, name: string, at: string, required: boolean): string | undefined {
  const v = entry[name];
  if (v === undefined) {
    if (required) throw new ConfigError(`${at}.${name} is required`);
    return undefined;
  }
  if (typeof v !== "string" || v.length === 0) throw new ConfigError(`${at}.${name} must be a non-empty string`);
  return v;
}

function positiveInt(entry: Record<string, unknown>, name: string, at: string): number | undefined {
  const v = entry[name];
  if (v === undefined) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v <= 0)
    throw new ConfigError(`${at}.${name} must be a positive integer`);
  return v;
}

function url(value: string | undefined, at: string): string | undefined {
  if (value === undefined) return undefined;
  try {
    const u = new URL(value);
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error();
  } catch {
    throw new ConfigError(`${at} must be an http(s) URL`);
  }
  return value.replace(/\/+$/, "");
}

/** One tenant entry, checked; `at` names it in errors (TENANTS[3], or a registry record's name). */
export function parseTenant(raw: unknown, at: string): Tenant {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new ConfigError(`${at} must be an object`);
  const entry = raw as Record<string, unknown>;
  for (const k of Object.keys(entry))
    if (!KNOWN_KEYS.has(k)) throw new ConfigError(`${at}.${k} is not a known setting`);

  const { keys, keyProblem } = parseKeys(entry, at, (message) => {
    throw new ConfigError(message);
  });
  const hisService = str(entry, "hisService", at, false);
  const hisUrl = url(str(entry, "hisUrl", at, hisService === undefined), `${at}.hisUrl`) ?? "http://his";

  const headers = entry.hisHeaders ?? {};
  if (
    typeof headers !== "object" ||
    headers === null ||
    Array.isArray(headers) ||
    Object.values(headers).some((v) => typeof v !== "string")
  ) {
    throw new ConfigError(`${at}.hisHeaders must be an object of header strings`);
  }

  let allowed: Set<string> | undefined;
  if (entry.services !== undefined) {
    if (!Array.isArray(entry.services)) throw new ConfigError(`${at}.services must be an array of service names`);
    allowed = new Set();
    for (const name of entry.services) {
      if (typeof name !== "string" || !getService(name)) {
        throw new ConfigError(
          `${at}.services: unknown service ${JSON.stringify(name)} (known: ${services.map((s) => s.name).join(", ")})`,
        );
      }
      allowed.add(name);
    }
  }

  let clientIps: string[] | undefined;
  if (entry.clientIps !== undefined) {
    if (!Array.isArray(entry.clientIps) || entry.clientIps.some((ip) => typeof ip !== "string")) {
      throw new ConfigError(`${at}.clientIps must be an array of IPs or CIDRs`);
    }
    clientIps = entry.clientIps as string[];
  }

  const routes: Record<string, HisRoute> = {};
  if (entry.routes !== undefined) {
    if (typeof entry.routes !== "object" || entry.routes === null)
      throw new ConfigError(`${at}.routes must be an object`);
    for (const [name, r] of Object.entries(entry.routes as Record<string, unknown>)) {
      const route = r as Partial<HisRoute> | null;
      if (!getService(name)) throw new ConfigError(`${at}.routes: unknown service ${JSON.stringify(name)}`);
      if (!route || typeof route.path !== "string" || !["POST", "PUT", "GET"].includes(route.method ?? "POST")) {
        throw new ConfigError(`${at}.routes.${name} must be {"method": "POST"|"PUT"|"GET", "path": "/..."}`);
      }
      routes[name] = { method: route.method ?? "POST", path: route.path };
    }
  }

  const hisProfile = str(entry, "hisProfile", at, false);
  if (hisProfile !== undefined && !findProfile(hisProfile))
    throw new ConfigError(
      `${at}.hisProfile: unknown profile ${JSON.stringify(hisProfile)} (compiled: ${profileNames().join(", ") || "none"})`,
    );

  const platformFormat = entry.platformFormat ?? "json";
  if (platformFormat !== "json" && platformFormat !== "xml")
    throw new ConfigError(`${at}.platformFormat must be "json" or "xml"`);

  return {
    partner: str(entry, "partner", at, true),
    hospitalCode: str(entry, "hospitalCode", at, true),
    keys,
    ...(keyProblem ? { keyProblem } : {}),
    hisUrl,
    ...(hisService ? { hisService } : {}),
    hisHeaders: headers as Record<string, string>,
    ...(hisProfile ? { hisProfile } : {}),
    ...(allowed ? { services: allowed } : {}),
    ...(clientIps ? { clientIps } : {}),
    hisTimeoutMs: positiveInt(entry, "hisTimeoutMs", at) ?? 10_000,
    ...(positiveInt(entry, "maxPageSize", at) !== undefined
      ? { maxPageSize: positiveInt(entry, "maxPageSize", at)! }
      : {}),
    routes,
    ...(str(entry, "hisToken", at, false) ? { hisToken: str(entry, "hisToken", at, false)! } : {}),
    ...(url(str(entry, "platformUrl", at, false), `${at}.platformUrl`)
      ? { platformUrl: url(str(entry, "platformUrl", at, false), `${at}.platformUrl`)! }
      : {}),
    ...(str(entry, "platformService", at, false) ? { platformService: str(entry, "platformService", at, false)! } : {}),
    platformFormat,
    platformTimeoutMs: positiveInt(entry, "platformTimeoutMs", at) ?? 15_000,
    ...(entry.rateLimit !== undefined
      ? {
          rateLimit: parseRateLimit(entry.rateLimit, `${at}.rateLimit`, (message) => {
            throw new ConfigError(message);
          })!,
        }
      : {}),
    ...(entry.alerts !== undefined ? { alerts: checkedAlerts(entry.alerts, `${at}.alerts`) } : {}),
  };
}

function checkedAlerts(raw: unknown, at: string): TenantAlerts {
  const result = parseAlerts(raw, at);
  if (!result.ok) throw new ConfigError(result.problem);
  return result.value;
}

export interface TenantDirectory {
  find(partner: string, hospitalCode: string): Tenant | undefined;
  all: readonly Tenant[];
}

export function parseTenants(json: string | undefined): TenantDirectory {
  if (json === undefined || json.trim() === "")
    throw new ConfigError("TENANTS is not set (a JSON array; see README, Configuration)");
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    throw new ConfigError(`TENANTS is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!Array.isArray(raw) || raw.length === 0) throw new ConfigError("TENANTS must be a non-empty JSON array");
  const all = raw.map((entry, i) => parseTenant(entry, `TENANTS[${i}]`));
  const index = new Map<string, Tenant>();
  all.forEach((t, i) => {
    const id = `${t.partner}\u0000${t.hospitalCode}`;
    if (index.has(id))
      throw new ConfigError(`TENANTS[${i}]: partner ${t.partner} with hospitalCode ${t.hospitalCode} appears twice`);
    index.set(id, t);
  });
  const tokens = new Set<string>();
  all.forEach((t, i) => {
    if (!t.hisToken) return;
    if (tokens.has(t.hisToken)) throw new ConfigError(`TENANTS[${i}].hisToken is used by another tenant`);
    tokens.add(t.hisToken);
  });
  return { all, find: (partner, hospitalCode) => index.get(`${partner}\u0000${hospitalCode}`) };
}

// TENANTS is parsed once per isolate per value: the secret's text is the cache key.
let cached: { json: string | undefined; result: TenantDirectory | ConfigError } | undefined;

export function loadTenants(json: string | undefined): TenantDirectory {
  if (!cached || cached.json !== json) {
    try {
      cached = { json, result: parseTenants(json) };
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      cached = { json, result: err };
      console.error(JSON.stringify({ level: "error", event: "config.invalid", message: err.message }));
    }
  }
  if (cached.result instanceof ConfigError) throw cached.result;
  return cached.result;
}
