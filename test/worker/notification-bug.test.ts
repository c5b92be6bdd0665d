// A bug in the notification queue's delivery (not the HIS's fault) is logged as one before it is recorded as
// SYSTEM_ERROR: with its name and stack, never its message (which can quote the stored request).
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { afterEach, expect, it, vi } from "vitest";

function capture() {
  const lines: string[] = [];
  for (const level of ["log", "warn", "error", "info", "debug"] as const)
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
  return lines;
}

// A queue of its own, for a tenant no TENANTS lists: nothing else delivers from it.
const hospitalCode = `BUG${Date.now() % 1e8}`;
const queue = env.NOTIFICATIONS.get(env.NOTIFICATIONS.idFromName(`TEST_WX\u0000${hospitalCode}`));

afterEach(async () => {
  vi.restoreAllMocks();
  await runInDurableObject(queue, async (_instance, state) => {
    state.storage.sql.exec("DELETE FROM notification");
    await state.storage.deleteAlarm();
  });
});

it("an unexpected error in a delivery is logged (name, stack, no message) before it is recorded as SYSTEM_ERROR", async () => {
  // A stored request that no longer parses: a bug (or a corrupted row), never the HIS's fault. Written straight
  // into the queue's table, with its alarm far ahead, so that only the run below delivers it.
  await runInDurableObject(queue, async (_instance, state) => {
    const now = Date.now();
    state.storage.sql.exec(
      "INSERT OR IGNORE INTO tenant (id, partner, hospital_code) VALUES (1, 'TEST_WX', ?)",
      hospitalCode,
    );
    state.storage.sql.exec(
      "INSERT INTO notification (id, service, key, fingerprint, request, state, attempts, next_at, created_at, updated_at) VALUES ('NotifyRefund:O1', 'NotifyRefund', 'O1', 'f1', ?, 'pending', 0, ?, ?, ?)",
      '{"name":"张三","mobile":"13800000000",',
      now,
      now,
      now,
    );
    await state.storage.setAlarm(now + 60_000);
  });

  const lines = capture();
  expect(await runDurableObjectAlarm(queue)).toBe(true);

  const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  const internal = events.findIndex((e) => e.event === "internal_error");
  expect(internal).toBeGreaterThanOrEqual(0);
  expect(events[internal]).toMatchObject({
    level: "error",
    error: "SyntaxError",
    id: "NotifyRefund:O1",
    service: "NotifyRefund",
    attempt: 1,
  });
  expect(events[internal]!.stack).toMatch(/^\s+at /);
  expect(events[internal]).not.toHaveProperty("message");
  // Logged first, then recorded and scheduled again like any SYSTEM_ERROR.
  const retry = events.findIndex((e) => e.event === "notify.retry");
  expect(retry).toBeGreaterThan(internal);
  expect(events[retry]).toMatchObject({ id: "NotifyRefund:O1", reason: "SYSTEM_ERROR" });
  const all = lines.join("\n");
  for (const secret of ["张三", "13800000000"]) expect(all).not.toContain(secret);

  const [row] = await queue.list();
  expect(row).toMatchObject({ id: "NotifyRefund:O1", state: "pending", attempts: 1, lastError: "SYSTEM_ERROR" });
});
