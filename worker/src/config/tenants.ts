import { convertIPv6ToBinary, distinctRemoteAddr } from "hono/utils/ipaddr";
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

/** A base URL that paths are appended to: http(s), and no query or fragment (they would end up mid-URL). */
function url(value: string | undefined, at: string): string | undefined {
  if (value === undefined) return undefined;
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new ConfigError(`${at} must be an http(s) URL`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new ConfigError(`${at} must be an http(s) URL`);
  if (u.search !== "" || u.hash !== "" || value.includes("?") || value.includes("#"))
    throw new ConfigError(`${at} must not have a query (?…) or fragment (#…): paths are appended to it`);
  return value.replace(/\/+$/, "");
}

// RFC 9110 token: what a header name may be. A value may not hold CR, LF or NUL (header injection; fetch refuses).
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const HEADER_VALUE_FORBIDDEN = /[\r\n\0]/;

function hisHeaders(value: unknown, at: string): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new ConfigError(`${at} must be an object of header strings`);
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(value)) {
    if (typeof v !== "string") throw new ConfigError(`${at} must be an object of header strings`);
    if (!HEADER_NAME.test(name)) throw new ConfigError(`${at}: ${JSON.stringify(name)} is not a valid header name`);
    // The value is often a secret (an Access service token): named, never repeated.
    if (HEADER_VALUE_FORBIDDEN.test(v)) throw new ConfigError(`${at}.${name} holds a CR, LF or NUL`);
    out[name] = v;
  }
  return out;
}

/** An IP or CIDR as Hono's ipRestriction reads it, checked here so that a bad one fails at load, not per request. */
function clientIp(value: unknown, at: string): string {
  const text = typeof value === "string" ? value : "";
  const [address = "", prefix, ...rest] = text.split("/");
  const kind = distinctRemoteAddr(address);
  let ok = rest.length === 0 && kind !== undefined;
  if (ok && kind === "IPv6") {
    try {
      convertIPv6ToBinary(address);
    } catch {
      ok = false;
    }
  }
  const max = kind === "IPv6" ? 128 : 32;
  const why = ` (an ${kind ?? "IPv4"} prefix is /0 to /${max})`;
  if (ok && prefix !== undefined && !(/^\d{1,3}$/.test(prefix) && Number(prefix) <= max))
    throw new ConfigError(`${at}: ${JSON.stringify(value)} is not an IP or CIDR${why}`);
  if (!ok) throw new ConfigError(`${at}: ${JSON.stringify(value)} is not an IP or CIDR`);
  return text;
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

  const headers = hisHeaders(entry.hisHeaders, `${at}.hisHeaders`);

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
    if (!Array.isArray(entry.clientIps)) throw new ConfigError(`${at}.clientIps must be an array of IPs or CIDRs`);
    clientIps = entry.clientIps.map((ip, i) => clientIp(ip, `${at}.clientIps[${i}]`));
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
    hisHeaders: headers,
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
