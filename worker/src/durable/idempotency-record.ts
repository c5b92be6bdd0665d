import { resultCodeMessages, type ResultCode } from "../../../generated/enums.js";
import { DurableObject } from "cloudflare:workers";
import type { Bindings } from "../env.js";
import type { HisAnswer } from "../his/client.js";

export type BeginResult =
  | { action: "proceed" }
  | { action: "replay"; answer: HisAnswer }
  | { action: "conflict" }
  | { action: "failed"; resultCode: ResultCode };

const isResultCode = (code: string): code is ResultCode => code in resultCodeMessages;

interface Row {
  fingerprint: string;
  state: "pending" | "done";
  answer: string | null;
  started_at: number;
  expires_at: number;
  [key: string]: SqlStorageValue;
}

/**
 * One effect that must happen once (a payment, a refund, an order), keyed by tenant + service + the service's
 * idempotency key. Like Stripe's idempotency keys: the first request is forwarded, its business answer is
 * kept, and duplicates get that answer again. The state is explicit (pending -> done) because a Durable Object
 * interleaves requests while one of them awaits: duplicates that arrive while the first is pending join it.
 */
export class IdempotencyRecord extends DurableObject<Bindings> {
  private waiters: ((result: BeginResult) => void)[] = [];

  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env);
    ctx.storage.sql.exec(
      `CREATE TABLE IF NOT EXISTS record (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        fingerprint TEXT NOT NULL,
        state TEXT NOT NULL,
        answer TEXT,
        started_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      )`,
    );
  }

  private row(): Row | undefined {
    return this.ctx.storage.sql
      .exec<Row>("SELECT fingerprint, state, answer, started_at, expires_at FROM record WHERE id = 1")
      .toArray()[0];
  }

  /**
   * Claims the key for a request with this fingerprint (a hash of the typed business request).
   * leaseMs: how long a pending claim may stay unanswered before it counts as abandoned (its worker died).
   */
  async begin(fingerprint: string, leaseMs: number): Promise<BeginResult> {
    const now = Date.now();
    let row = this.row();
    if (row && row.state === "done" && row.expires_at <= now) {
      this.ctx.storage.sql.exec("DELETE FROM record WHERE id = 1");
      row = undefined;
    }
    if (!row) {
      this.ctx.storage.sql.exec(
        "INSERT INTO record (id, fingerprint, state, answer, started_at, expires_at) VALUES (1, ?, 'pending', NULL, ?, ?)",
        fingerprint,
        now,
        now + leaseMs,
      );
      return { action: "proceed" };
    }
    if (row.fingerprint !== fingerprint) return { action: "conflict" };
    if (row.state === "done") {
      const answer: HisAnswer = JSON.parse(row.answer!);
      return { action: "replay", answer };
    }
    if (now - row.started_at > leaseMs) {
      this.ctx.storage.sql.exec("UPDATE record SET started_at = ? WHERE id = 1", now);
      return { action: "proceed" };
    }
    // Pending: wait for the first request's answer, but not past its lease.
    return new Promise<BeginResult>((resolve) => {
      const timer = setTimeout(
        () => {
          this.waiters = this.waiters.filter((w) => w !== settle);
          resolve({ action: "failed", resultCode: "SESSION_TIMEOUT" });
        },
        leaseMs - (now - row.started_at),
      );
      const settle = (r: BeginResult) => {
        clearTimeout(timer);
        resolve(r);
      };
      this.waiters.push(settle);
    });
  }

  /** Keeps the HIS's business answer for retentionMs and hands it to every waiting duplicate. */
  async complete(fingerprint: string, answer: HisAnswer, retentionMs: number): Promise<void> {
    const row = this.row();
    if (!row || row.fingerprint !== fingerprint) return;
    const expires = Date.now() + retentionMs;
    this.ctx.storage.sql.exec(
      "UPDATE record SET state = 'done', answer = ?, expires_at = ? WHERE id = 1",
      JSON.stringify(answer),
      expires,
    );
    await this.ctx.storage.setAlarm(expires);
    this.release({ action: "replay", answer });
  }

  /**
   * The HIS failed (timeout, 5xx, garbage) or gave a transient answer: nothing is kept, so a retry asks the HIS
   * again. Duplicates waiting on this request get the transient answer itself when there is one.
   */
  async abandon(fingerprint: string, resultCode: string, answer?: HisAnswer): Promise<void> {
    const row = this.row();
    if (row && row.fingerprint === fingerprint && row.state === "pending")
      this.ctx.storage.sql.exec("DELETE FROM record WHERE id = 1");
    this.release(
      answer
        ? { action: "replay", answer }
        : { action: "failed", resultCode: isResultCode(resultCode) ? resultCode : "SYSTEM_ERROR" },
    );
  }

  override async alarm(): Promise<void> {
    const row = this.row();
    if (row && row.state === "done" && row.expires_at <= Date.now()) await this.ctx.storage.deleteAll();
  }

  private release(result: BeginResult): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w(result);
  }
}
