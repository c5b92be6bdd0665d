/** Per tenant alerting (README, Alerts): the group robot to post to and what counts as an incident. */
export interface TenantAlerts {
  /** A WeCom (企业微信) or DingTalk (钉钉) group robot URL. */
  webhook: string;
  /** Result codes that count as failures (default: the gateway's and the HIS's faults, not business refusals). */
  codes: readonly string[];
  /** Failure share of the window's exchanges that opens an incident (default 0.2). */
  rate: number;
  /** The window the rate is taken over, in minutes (default 5). */
  windowMinutes: number;
  /** Fewest exchanges in the window before a rate means anything (default 5). */
  minRequests: number;
  /** Pending notifications that open an incident (no backlog alert when absent). */
  backlog?: number;
}

/** Failures that are the gateway's or the HIS's, not the platform's input or a business refusal (S…). */
export const DEFAULT_ALERT_CODES: readonly string[] = [
  "SYSTEM_ERROR",
  "SESSION_TIMEOUT",
  "NULL_RESPONSE",
  "ILLEGAL_RESPONSE",
  "ILLEGAL_EXTERFACE",
  "ILLEGAL_SECURITY_KEY",
];

const ALERT_KEYS = new Set(["webhook", "codes", "rate", "windowMinutes", "minRequests", "backlog"]);

const positiveInt = (v: unknown) => typeof v === "number" && Number.isInteger(v) && v > 0;

/** Checks a TENANTS entry's `alerts`; the problem, when there is one, names the exact setting. */
export function parseAlerts(
  raw: unknown,
  at: string,
): { ok: true; value: TenantAlerts } | { ok: false; problem: string } {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    return { ok: false, problem: `${at} must be an object` };
  const a = raw as Record<string, unknown>;
  for (const k of Object.keys(a))
    if (!ALERT_KEYS.has(k)) return { ok: false, problem: `${at}.${k} is not a known setting` };
  let webhook: URL | undefined;
  try {
    webhook = typeof a.webhook === "string" ? new URL(a.webhook) : undefined;
  } catch {
    // reported below
  }
  if (!webhook || (webhook.protocol !== "https:" && webhook.protocol !== "http:"))
    return { ok: false, problem: `${at}.webhook must be an http(s) URL` };
  if (
    a.codes !== undefined &&
    (!Array.isArray(a.codes) || a.codes.some((c) => typeof c !== "string" || !/^[A-Z0-9_]{1,32}$/.test(c)))
  )
    return { ok: false, problem: `${at}.codes must be an array of result codes` };
  if (a.rate !== undefined && (typeof a.rate !== "number" || !(a.rate > 0 && a.rate <= 1)))
    return { ok: false, problem: `${at}.rate must be a number above 0 and at most 1 (0.2 is 20 %)` };
  for (const k of ["windowMinutes", "minRequests", "backlog"])
    if (a[k] !== undefined && !positiveInt(a[k]))
      return { ok: false, problem: `${at}.${k} must be a positive integer` };
  return {
    ok: true,
    value: {
      webhook: a.webhook as string,
      codes: (a.codes as string[] | undefined) ?? DEFAULT_ALERT_CODES,
      rate: (a.rate as number | undefined) ?? 0.2,
      windowMinutes: (a.windowMinutes as number | undefined) ?? 5,
      minRequests: (a.minRequests as number | undefined) ?? 5,
      ...(a.backlog !== undefined ? { backlog: a.backlog as number } : {}),
    },
  };
}
