/**
 * Key rotation. The standard's MD5 envelope carries no key id, so while the platform changes a hospital's key
 * both keys must be tried: a tenant lists its keys with validity windows and hisgate picks per request.
 */
import * as v from "valibot";
import { itemAt, nonEmptyString, settings } from "./schema.js";

/** At most this many keys may be valid at one instant: the old one and the new one of a rotation. */
export const MAX_VALID_KEYS = 2;

// An instant must name its offset: "2026-12-20T00:00:00" alone would be read in the Worker's zone (UTC), eight
// hours off for a platform that means Beijing time.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const INSTANT_MESSAGE = 'must be an ISO 8601 instant with an offset, e.g. "2026-12-20T00:00:00+08:00"';

/** An instant as ms since the epoch. */
const instant = v.pipe(
  v.string(INSTANT_MESSAGE),
  v.regex(INSTANT, INSTANT_MESSAGE),
  v.transform(Date.parse),
  v.check((ms) => !Number.isNaN(ms), INSTANT_MESSAGE),
);

/** One entry of `keys`: the key and the window in which it is accepted (open ends absent). */
const keyWindow = v.pipe(
  settings({ key: nonEmptyString, from: v.optional(instant), until: v.optional(instant) }),
  v.forward(
    v.check((k) => k.from === undefined || k.until === undefined || k.until > k.from, "must be later than from"),
    ["until"],
  ),
);

const validAt = (k: { from?: number | undefined; until?: number | undefined }, now: number): boolean =>
  (k.from === undefined || k.from <= now) && (k.until === undefined || now < k.until);

const KEYS_SHAPE = 'must be a non-empty array of {"key", "from"?, "until"?}';

/**
 * `keys` of a TENANTS entry: each key numbered by its position (what the log names, never the key), at most
 * MAX_VALID_KEYS valid together, none repeated.
 */
export const keyList = v.pipe(
  v.array(keyWindow, KEYS_SHAPE),
  v.nonEmpty(KEYS_SHAPE),
  v.transform((list) => list.map((k, index) => ({ ...k, index }))),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const keys = dataset.value;
    // The most keys valid together is reached at the start of some key's window (or before every start).
    for (const t of [-Infinity, ...keys.map((k) => k.from ?? -Infinity)]) {
      const valid = keys.filter((k) => validAt(k, t));
      if (valid.length > MAX_VALID_KEYS) {
        const when = t === -Infinity ? "from the start" : `at ${new Date(t).toISOString()}`;
        const which = valid.map((k) => k.index).join(", ");
        return addIssue({
          message: `: ${valid.length} keys are valid ${when} (keys ${which}); at most ${MAX_VALID_KEYS} may overlap`,
        });
      }
    }
    const seen = new Set<string>();
    for (const k of keys) {
      if (seen.has(k.key)) return addIssue({ message: "repeats an earlier key", path: [itemAt(keys, k.index)] });
      seen.add(k.key);
    }
  }),
);

/** One of a tenant's keys and the window in which it is accepted (ms since the epoch; open ends absent). */
export type TenantKey = v.InferOutput<typeof keyList>[number];

/**
 * The tenant's keys from `key` (one key, valid always: the shorthand) or `keys`, both already checked, and the
 * problem that makes the tenant answer ILLEGAL_SECURITY_KEY: a key that is not 16 bytes, which AES-128 needs.
 */
export function tenantKeys(entry: { key?: string | undefined; keys?: TenantKey[] | undefined }): {
  keys: TenantKey[];
  keyProblem?: string;
} {
  const keys = entry.keys ?? (entry.key !== undefined ? [{ key: entry.key, index: 0 }] : []);
  for (const k of keys) {
    const bytes = new TextEncoder().encode(k.key).length;
    if (bytes !== 16) return { keys, keyProblem: `key ${k.index} is ${bytes} bytes; AES-128 needs 16` };
  }
  return { keys };
}

/** The keys an inbound envelope may be signed with at `now`: every one whose window holds it (at most two). */
export function keysValidAt(keys: readonly TenantKey[], now: number): TenantKey[] {
  return keys.filter((k) => validAt(k, now));
}

/**
 * The key hisgate signs and encrypts with on its own initiative (hospital -> platform calls, replies to a
 * request no key verified): of the keys valid now, the one whose `from` passed last — the platform switched to
 * it then. Undefined when no key is valid now.
 */
export function currentKey(keys: readonly TenantKey[], now: number): TenantKey | undefined {
  let best: TenantKey | undefined;
  for (const k of keysValidAt(keys, now)) if (!best || (k.from ?? -Infinity) > (best.from ?? -Infinity)) best = k;
  return best;
}
