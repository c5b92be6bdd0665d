/**
 * Key rotation. The standard's MD5 envelope carries no key id, so while the platform changes a hospital's key
 * both keys must be tried: a tenant lists its keys with validity windows and hisgate picks per request.
 */

/** One of a tenant's keys and the window in which it is accepted (ms since the epoch; open ends absent). */
export interface TenantKey {
  key: string;
  from?: number;
  until?: number;
  /** Its position in the tenant's `keys` (0 for the `key` shorthand): what the log names, never the key. */
  index: number;
}

/** The parse of `key` / `keys` of one TENANTS entry. */
export interface ParsedKeys {
  keys: TenantKey[];
  /** Set when a key cannot be used for AES-128 (it must be 16 bytes): the tenant answers ILLEGAL_SECURITY_KEY. */
  keyProblem?: string;
}

/** At most this many keys may be valid at one instant: the old one and the new one of a rotation. */
export const MAX_VALID_KEYS = 2;

// An instant must name its offset: "2026-12-20T00:00:00" alone would be read in the Worker's zone (UTC), eight
// hours off for a platform that means Beijing time.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function instant(value: unknown, at: string, fail: (message: string) => never): number | undefined {
  if (value === undefined) return undefined;
  const ms = typeof value === "string" && INSTANT.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) fail(`${at} must be an ISO 8601 instant with an offset, e.g. "2026-12-20T00:00:00+08:00"`);
  return ms;
}

const validAt = (k: TenantKey, now: number): boolean =>
  (k.from === undefined || k.from <= now) && (k.until === undefined || now < k.until);

/**
 * Reads `key` (one key, valid always) or `keys` (a list with `from` / `until`) of a TENANTS entry. `fail`
 * throws the configuration error of the caller's validation, with the message given.
 */
export function parseKeys(entry: Record<string, unknown>, at: string, fail: (message: string) => never): ParsedKeys {
  if (entry.key !== undefined && entry.keys !== undefined) fail(`${at}: give key or keys, not both`);
  let keys: TenantKey[];
  if (entry.keys === undefined) {
    if (typeof entry.key !== "string" || entry.key === "")
      fail(entry.key === undefined ? `${at}.key (or keys) is required` : `${at}.key must be a non-empty string`);
    keys = [{ key: entry.key as string, index: 0 }];
  } else {
    if (!Array.isArray(entry.keys) || entry.keys.length === 0)
      fail(`${at}.keys must be a non-empty array of {"key", "from"?, "until"?}`);
    keys = (entry.keys as unknown[]).map((raw, index) => {
      const here = `${at}.keys[${index}]`;
      if (typeof raw !== "object" || raw === null || Array.isArray(raw)) fail(`${here} must be an object`);
      const k = raw as Record<string, unknown>;
      for (const name of Object.keys(k))
        if (name !== "key" && name !== "from" && name !== "until") fail(`${here}.${name} is not a known setting`);
      if (typeof k.key !== "string" || k.key === "") fail(`${here}.key must be a non-empty string`);
      const from = instant(k.from, `${here}.from`, fail);
      const until = instant(k.until, `${here}.until`, fail);
      if (from !== undefined && until !== undefined && until <= from) fail(`${here}.until must be later than from`);
      return {
        key: k.key as string,
        index,
        ...(from !== undefined ? { from } : {}),
        ...(until !== undefined ? { until } : {}),
      };
    });
    // The most keys valid together is reached at the start of some key's window (or before every start).
    const starts = [-Infinity, ...keys.map((k) => k.from ?? -Infinity)];
    for (const t of starts) {
      const valid = keys.filter((k) => validAt(k, t));
      if (valid.length > MAX_VALID_KEYS) {
        const when = t === -Infinity ? "from the start" : `at ${new Date(t).toISOString()}`;
        fail(
          `${at}.keys: ${valid.length} keys are valid ${when} (keys ${valid.map((k) => k.index).join(", ")}); at most ${MAX_VALID_KEYS} may overlap`,
        );
      }
    }
    const seen = new Set<string>();
    for (const k of keys) {
      if (seen.has(k.key)) fail(`${at}.keys[${k.index}] repeats an earlier key`);
      seen.add(k.key);
    }
  }
  const bad = keys.find((k) => new TextEncoder().encode(k.key).length !== 16);
  return bad
    ? {
        keys,
        keyProblem: `key ${bad.index} is ${new TextEncoder().encode(bad.key).length} bytes; AES-128 needs 16`,
      }
    : { keys };
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
