/** Per tenant alerting (README, Alerts): the group robot to post to and what counts as an incident. */
import * as v from "valibot";
import { httpUrl, positiveInt, settings, whole } from "./schema.js";

/** Failures that are the gateway's or the HIS's, not the platform's input or a business refusal (S…). */
export const DEFAULT_ALERT_CODES: readonly string[] = [
  "SYSTEM_ERROR",
  "SESSION_TIMEOUT",
  "NULL_RESPONSE",
  "ILLEGAL_RESPONSE",
  "ILLEGAL_EXTERFACE",
  "ILLEGAL_SECURITY_KEY",
];

const RATE = "must be a number above 0 and at most 1 (0.2 is 20 %)";
const WEBHOOK = "must be an http(s) URL";

/** A TENANTS entry's `alerts`. */
export const alertsSchema = settings(
  {
    /** A WeCom (企业微信) or DingTalk (钉钉) group robot URL. */
    webhook: httpUrl(WEBHOOK),
    /** Result codes that count as failures (default: the gateway's and the HIS's faults, not business refusals). */
    codes: v.optional(
      whole(v.array(v.pipe(v.string(), v.regex(/^[A-Z0-9_]{1,32}$/))), "must be an array of result codes"),
      () => [...DEFAULT_ALERT_CODES],
    ),
    /** Failure share of the window's exchanges that opens an incident. */
    rate: v.optional(v.pipe(v.number(RATE), v.gtValue(0, RATE), v.maxValue(1, RATE)), 0.2),
    /** The window the rate is taken over, in minutes. */
    windowMinutes: v.optional(positiveInt, 5),
    /** Fewest exchanges in the window before a rate means anything. */
    minRequests: v.optional(positiveInt, 5),
    /** Pending notifications that open an incident (no backlog alert when absent). */
    backlog: v.optional(positiveInt),
  },
  "must be an object",
  { webhook: WEBHOOK },
);

export type TenantAlerts = v.InferOutput<typeof alertsSchema>;
