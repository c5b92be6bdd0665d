// The notification queue's SQLite schema and reads, apart from the Durable Object that owns the storage and
// delivers (durable/notification-queue.ts).

export type DeliveryState = "pending" | "delivered" | "failed" | "rejected";

export interface Delivery {
  id: string;
  service: string;
  key: string;
  state: DeliveryState;
  attempts: number;
  nextAttemptAt: number | null;
  createdAt: number;
  updatedAt: number;
  lastError: string | null;
  hisResultCode: string | null;
  [key: string]: SqlStorageValue;
}

/** What still needs delivery or the hospital's attention, by state, and when the oldest pending one arrived. */
export interface Backlog {
  pending: number;
  failed: number;
  rejected: number;
  oldestPendingAt: number | null;
}

/** Creates the queue's tables and index when they do not exist yet (every time the object starts). */
export function createNotificationSchema(sql: SqlStorage): void {
  sql.exec(`CREATE TABLE IF NOT EXISTS notification (
    id TEXT PRIMARY KEY,
    service TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    request TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    last_error TEXT,
    his_code TEXT
  )`);
  sql.exec("CREATE INDEX IF NOT EXISTS notification_due ON notification (state, next_at)");
  sql.exec(
    "CREATE TABLE IF NOT EXISTS tenant (id INTEGER PRIMARY KEY CHECK (id = 1), partner TEXT NOT NULL, hospital_code TEXT NOT NULL)",
  );
}

/**
 * The deliveries in these states, oldest first. page: at most `limit` rows after the row `after` (the last one
 * of the previous page), in (createdAt, id) order, so a page boundary never skips or repeats a row.
 */
export function listDeliveries(
  sql: SqlStorage,
  states?: DeliveryState[],
  page?: { limit: number; after?: { createdAt: number; id: string } },
): Delivery[] {
  const where: string[] = [];
  const params: SqlStorageValue[] = [];
  if (states?.length) {
    where.push(`state IN (${states.map(() => "?").join(", ")})`);
    params.push(...states);
  }
  if (page?.after) {
    where.push("(created_at > ? OR (created_at = ? AND id > ?))");
    params.push(page.after.createdAt, page.after.createdAt, page.after.id);
  }
  if (page) params.push(page.limit);
  return sql
    .exec<Delivery>(
      `SELECT id, service, key, state, attempts, next_at AS nextAttemptAt, created_at AS createdAt, updated_at AS updatedAt, last_error AS lastError, his_code AS hisResultCode
       FROM notification ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY created_at, id${page ? " LIMIT ?" : ""}`,
      ...params,
    )
    .toArray();
}

export function backlogOf(sql: SqlStorage): Backlog {
  const out: Backlog = { pending: 0, failed: 0, rejected: 0, oldestPendingAt: null };
  for (const r of sql
    .exec<{ state: "pending" | "failed" | "rejected"; n: number; oldest: number }>(
      "SELECT state, COUNT(*) AS n, MIN(created_at) AS oldest FROM notification WHERE state IN ('pending', 'failed', 'rejected') GROUP BY state",
    )
    .toArray()) {
    out[r.state] = r.n;
    if (r.state === "pending") out.oldestPendingAt = r.oldest;
  }
  return out;
}
