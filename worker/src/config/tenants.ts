import { convertIPv6ToBinary, distinctRemoteAddr } from "hono/utils/ipaddr";
import * as v from "valibot";
import { getService, services } from "../../../generated/registry.js";
import { isRecord } from "../lib/object.js";
import type { ServiceName } from "../../../generated/types.js";
import { findProfile, profileNames } from "../his/profiles.js";
import { rateLimitSchema } from "../ratelimit/config.js";
import { alertsSchema } from "./alerts.js";
import { keyList, tenantKeys } from "./keys.js";
import {
  ConfigError,
  isHttpUrl,
  itemAt,
  jsonErrorPlace,
  nonEmptyString,
  parseConfig,
  positiveInt,
  settingAt,
  settings,
  whole,
} from "./schema.js";

export { ConfigError } from "./schema.js";

/** A base URL that paths are appended to: http(s), and no query or fragment (they would end up mid-URL). */
const baseUrl = v.pipe(
  nonEmptyString,
  v.check(isHttpUrl, "must be an http(s) URL"),
  v.check(
    (s) => !s.includes("?") && !s.includes("#"),
    "must not have a query (?…) or fragment (#…): paths are appended to it",
  ),
  v.transform((s) => s.replace(/\/+$/, "")),
);

// RFC 9110 token: what a header name may be. A value may not hold CR, LF or NUL (header injection; fetch refuses).
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const HEADER_VALUE_FORBIDDEN = /[\r\n\0]/;
const HEADERS = "must be an object of header strings";

const hisHeaders = v.pipe(
  v.unknown(),
  v.check((x) => isRecord(x) && Object.values(x).every((h) => typeof h === "string"), HEADERS),
  v.record(
    v.pipe(
      v.string(),
      v.regex(HEADER_NAME, (issue) => `: ${JSON.stringify(issue.input)} is not a valid header name`),
    ),
    // The value is often a secret (an Access service token): named, never repeated.
    v.pipe(
      v.string(HEADERS),
      v.check((h) => !HEADER_VALUE_FORBIDDEN.test(h), "holds a CR, LF or NUL"),
    ),
  ),
);

// RFC 6750 b64token: what `Authorization: Bearer <token>` may carry, and what Hono's bearerAuth accepts.
const BEARER_TOKEN = /^[A-Za-z0-9._~+/-]+=*$/;
const hisToken = v.pipe(
  nonEmptyString,
  v.regex(BEARER_TOKEN, "must be made of letters, digits and -._~+/ (a bearer token), with = only at the end"),
);

/** Why `value` is not an IP or CIDR as Hono's ipRestriction reads it (undefined when it is one). */
function ipProblem(value: unknown): string | undefined {
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
  const said = `: ${JSON.stringify(value)} is not an IP or CIDR`;
  if (!ok) return said;
  if (prefix !== undefined && !(/^\d{1,3}$/.test(prefix) && Number(prefix) <= max))
    return `${said} (an ${kind ?? "IPv4"} prefix is /0 to /${max})`;
  return undefined;
}

/** An IP or CIDR, checked here so that a bad one fails at load, not per request. */
const clientIp = v.custom<string>(
  (x) => ipProblem(x) === undefined,
  (issue) => ipProblem(issue.input) ?? "",
);

const isServiceName = (x: unknown): x is ServiceName => typeof x === "string" && getService(x) !== undefined;
const serviceName = v.custom<ServiceName>(isServiceName);

/** `services`: the only services the tenant's platform may call. */
const serviceSet = v.pipe(
  whole(v.array(serviceName), (issue) =>
    Array.isArray(issue.input)
      ? `: unknown service ${JSON.stringify(issue.input.find((x) => !isServiceName(x)))} (known: ${services.map((s) => s.name).join(", ")})`
      : "must be an array of service names",
  ),
  v.transform((names): ReadonlySet<ServiceName> => new Set(names)),
);

/** How one service reaches an HIS at `hisUrl`: its method, and a path template ({service} is the service's name). */
const route = whole(
  v.strictObject({ method: v.optional(v.picklist(["POST", "PUT", "GET"]), "POST"), path: v.string() }),
  'must be {"method": "POST"|"PUT"|"GET", "path": "/..."}',
);
export type HisRoute = v.InferOutput<typeof route>;

const routes = v.pipe(
  v.unknown(),
  v.guard(isRecord, "must be an object"),
  v.record(
    v.custom<ServiceName>(isServiceName, (issue) => `: unknown service ${JSON.stringify(issue.input)}`),
    route,
  ),
);

/** A compiled HIS profile (profiles/<name>.yaml): the HIS is spoken to in its own dialect. */
const hisProfile = v.pipe(
  nonEmptyString,
  v.check(
    (name) => findProfile(name) !== undefined,
    (issue) => `: unknown profile ${JSON.stringify(issue.input)} (compiled: ${profileNames().join(", ") || "none"})`,
  ),
);

/** One hospital as seen by one platform partner: a TENANTS entry, or a registry record. */
export const tenantSchema = v.pipe(
  settings({
    partner: nonEmptyString,
    hospitalCode: nonEmptyString,
    /** One key, valid always: the shorthand for `keys` (config/keys.ts decides which key signs what). */
    key: v.optional(nonEmptyString),
    keys: v.optional(keyList),
    hisUrl: v.optional(baseUrl),
    /** Name of a service binding to reach the HIS through instead of the public internet. */
    hisService: v.optional(nonEmptyString),
    hisHeaders: v.optional(hisHeaders, () => ({})),
    hisProfile: v.optional(hisProfile),
    services: v.optional(serviceSet),
    clientIps: v.optional(v.array(clientIp, "must be an array of IPs or CIDRs")),
    hisTimeoutMs: v.optional(positiveInt, 10_000),
    maxPageSize: v.optional(positiveInt),
    routes: v.optional(routes, () => ({})),
    hisToken: v.optional(hisToken),
    platformUrl: v.optional(baseUrl),
    platformService: v.optional(nonEmptyString),
    platformFormat: v.optional(v.picklist(["json", "xml"], 'must be "json" or "xml"'), "json"),
    platformTimeoutMs: v.optional(positiveInt, 15_000),
    /** Platform requests per window that reach the HIS (ratelimit/). */
    rateLimit: v.optional(rateLimitSchema),
    /** Where and when to alert the hospital's IT (alerts/check.ts). */
    alerts: v.optional(alertsSchema),
  }),
  v.check((e) => e.key === undefined || e.keys === undefined, ": give key or keys, not both"),
  v.forward(
    v.check((e) => e.key !== undefined || e.keys !== undefined, "(or keys) is required"),
    ["key"],
  ),
  v.forward(
    v.check((e) => e.hisUrl !== undefined || e.hisService !== undefined, "is required"),
    ["hisUrl"],
  ),
  // keyProblem is set when a key cannot be used for AES-128: the tenant answers ILLEGAL_SECURITY_KEY. Over a
  // service binding the host of hisUrl is never looked up.
  v.transform(({ key, keys, hisUrl, ...rest }) => ({
    ...rest,
    ...tenantKeys({ key, keys }),
    hisUrl: hisUrl ?? "http://his",
  })),
);

export type Tenant = v.InferOutput<typeof tenantSchema>;
export type PlatformFormat = Tenant["platformFormat"];

const NON_EMPTY_ARRAY = "must be a non-empty JSON array";

/** TENANTS as a whole: its entries, each (partner, hospitalCode) once, each hisToken one tenant's. */
const tenantsSchema = v.pipe(
  v.array(tenantSchema, NON_EMPTY_ARRAY),
  v.nonEmpty(NON_EMPTY_ARRAY),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const all = dataset.value;
    const ids = new Set<string>();
    for (const [i, t] of all.entries()) {
      const id = `${t.partner}\u0000${t.hospitalCode}`;
      if (ids.has(id))
        return addIssue({
          message: `: partner ${t.partner} with hospitalCode ${t.hospitalCode} appears twice`,
          path: [itemAt(all, i)],
        });
      ids.add(id);
    }
    const tokens = new Set<string>();
    for (const [i, t] of all.entries()) {
      if (t.hisToken === undefined) continue;
      if (tokens.has(t.hisToken))
        return addIssue({ message: "is used by another tenant", path: [itemAt(all, i), settingAt(t, "hisToken")] });
      tokens.add(t.hisToken);
    }
  }),
);

/** One tenant entry, checked; `at` names it in errors (TENANTS[3], or a registry record's name). */
export function parseTenant(raw: unknown, at: string): Tenant {
  return parseConfig(tenantSchema, raw, at);
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
    // V8 quotes the text around a syntax error, and TENANTS holds keys and tokens: only the position is said.
    throw new ConfigError(`TENANTS is not valid JSON${jsonErrorPlace(err)}`);
  }
  const all = parseConfig(tenantsSchema, raw, "TENANTS");
  const index = new Map(all.map((t) => [`${t.partner}\u0000${t.hospitalCode}`, t]));
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
