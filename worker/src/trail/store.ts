import { businessIdNames, type BusinessIdName } from "../../../generated/trail.js";
import type { ServiceFigures, StatusFigures, StoredMessage, TrailDirection, TrailRecord } from "./types.js";

// The message trail's SQLite schema and reads, apart from the Durable Object that owns the storage.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Creates the trail's tables and indexes when they do not exist yet (every time the object starts). */
export function createTrailSchema(sql: SqlStorage): void {
  sql.exec(`CREATE TABLE IF NOT EXISTS message (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    request_id TEXT NOT NULL,
    direction TEXT NOT NULL,
    service TEXT NOT NULL,
    transport TEXT NOT NULL,
    format TEXT NOT NULL,
    result_code TEXT NOT NULL,
    his_code TEXT,
    upstream_status INTEGER,
    upstream_ms INTEGER,
    total_ms INTEGER NOT NULL,
    ids TEXT NOT NULL,
    paths TEXT,
    attempt INTEGER,
    expires_at INTEGER NOT NULL
  )`);
  sql.exec("CREATE INDEX IF NOT EXISTS message_at ON message (at)");
  sql.exec("CREATE INDEX IF NOT EXISTS message_service_at ON message (service, at)");
  sql.exec("CREATE INDEX IF NOT EXISTS message_expires ON message (expires_at)");
  sql.exec(
    "CREATE TABLE IF NOT EXISTS message_id (name TEXT NOT NULL, value TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (name, value, seq)) WITHOUT ROWID",
  );
  sql.exec("CREATE INDEX IF NOT EXISTS message_id_seq ON message_id (seq)");
  sql.exec(`CREATE TABLE IF NOT EXISTS counter (
    direction TEXT NOT NULL, service TEXT NOT NULL, result_code TEXT NOT NULL,
    count INTEGER NOT NULL, total_ms_sum INTEGER NOT NULL,
    PRIMARY KEY (direction, service, result_code)) WITHOUT ROWID`);
  sql.exec(
    "CREATE TABLE IF NOT EXISTS bucket (service TEXT NOT NULL, le INTEGER NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (service, le)) WITHOUT ROWID",
  );
  sql.exec(
    "CREATE TABLE IF NOT EXISTS alert (kind TEXT PRIMARY KEY, open_since INTEGER NOT NULL, detail TEXT NOT NULL)",
  );
}

export const MESSAGE_COLUMNS = `seq, at, request_id, direction, service, transport, format, result_code, his_code,
  upstream_status, upstream_ms, total_ms, ids, paths, attempt`;

/** A row as `sql.exec<MessageRow>` reads it back: the columns hold only what recordMessages wrote. */
export interface MessageRow {
  seq: number;
  at: number;
  request_id: string;
  direction: TrailDirection;
  service: string;
  transport: string;
  format: string;
  result_code: string;
  his_code: string | null;
  upstream_status: number | null;
  upstream_ms: number | null;
  total_ms: number;
  ids: string;
  paths: string | null;
  attempt: number | null;
  [key: string]: SqlStorageValue;
}

export function toMessage(r: MessageRow): StoredMessage {
  return {
    seq: r.seq,
    at: r.at,
    requestId: r.request_id,
    direction: r.direction,
    service: r.service,
    transport: r.transport,
    format: r.format,
    resultCode: r.result_code,
    ...(r.his_code !== null ? { hisCode: r.his_code } : {}),
    ...(r.upstream_status !== null ? { upstreamStatus: r.upstream_status } : {}),
    ...(r.upstream_ms !== null ? { upstreamMs: r.upstream_ms } : {}),
    totalMs: r.total_ms,
    // Both columns hold JSON this module wrote (recordMessages), from values of these very types.
    ids: JSON.parse(r.ids) as StoredMessage["ids"],
    ...(r.paths !== null ? { paths: JSON.parse(r.paths) as string[] } : {}),
    ...(r.attempt !== null ? { attempt: r.attempt } : {}),
  };
}

/** Keeps only the spec's business ids, as short strings: whatever a caller passes, nothing else is stored. */
export function cleanIds(ids: TrailRecord["ids"]): Partial<Record<BusinessIdName, string>> {
  const out: Partial<Record<BusinessIdName, string>> = {};
  for (const name of businessIdNames) {
    const v = ids?.[name];
    if (typeof v === "string" && v !== "") out[name] = v.slice(0, 64);
  }
  return out;
}

/** Per service and direction over the last hour and day: count, success rate, p50/p99; the latest failures. */
export function statusFigures(sql: SqlStorage, now: number): StatusFigures {
  return {
    generatedAt: now,
    windows: { hour: figures(sql, now - HOUR), day: figures(sql, now - DAY) },
    latestFailures: sql
      .exec<MessageRow>(
        `SELECT ${MESSAGE_COLUMNS} FROM message WHERE result_code != 'SUCCESS' AND at >= ? ORDER BY at DESC, seq DESC LIMIT 20`,
        now - DAY,
      )
      .toArray()
      .map((r) => {
        const m = toMessage(r);
        return {
          at: m.at,
          requestId: m.requestId,
          service: m.service,
          direction: m.direction,
          resultCode: m.resultCode,
          ...(m.hisCode ? { hisCode: m.hisCode } : {}),
          ...(m.paths ? { paths: m.paths } : {}),
        };
      }),
  };
}

function figures(sql: SqlStorage, since: number): ServiceFigures[] {
  const groups = sql
    .exec<{ service: string; direction: TrailDirection; n: number; ok: number }>(
      `SELECT service, direction, COUNT(*) AS n, SUM(result_code = 'SUCCESS') AS ok
       FROM message WHERE at >= ? GROUP BY service, direction ORDER BY service, direction`,
      since,
    )
    .toArray();
  // Nearest-rank percentiles, read through the (service, at) index: no row leaves SQLite but the one wanted.
  const rank = (service: string, direction: string, n: number, q: number): number =>
    sql
      .exec<{ ms: number }>(
        "SELECT total_ms AS ms FROM message WHERE service = ? AND direction = ? AND at >= ? ORDER BY total_ms LIMIT 1 OFFSET ?",
        service,
        direction,
        since,
        Math.max(0, Math.ceil(q * n) - 1),
      )
      .one().ms;
  return groups.map((g) => ({
    service: g.service,
    direction: g.direction,
    count: g.n,
    succeeded: g.ok,
    successRate: g.n ? g.ok / g.n : null,
    p50Ms: rank(g.service, g.direction, g.n, 0.5),
    p99Ms: rank(g.service, g.direction, g.n, 0.99),
  }));
}
