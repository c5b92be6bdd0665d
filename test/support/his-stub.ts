// A stub HIS that runs in Node as a service binding of the worker project (vitest.config.ts). Durable Objects
// reach it through their own env; tests script it through /__control and read what it saw at /__calls.
// Test files run side by side and all deliver to this one stub: a test sets how the stub answers its own
// notifications (by idempotency key), never a mode for everyone, and reads only its own calls.

export type Mode = "ok" | "503" | "garbage" | "hang" | "business" | "systemError" | "429";

export interface StubCall {
  service: string;
  /** The X-Idempotency-Key header, decoded: the queue's row id (NotifyRefund:<refundId>). */
  key: string | null;
  body: unknown;
  /** How the stub answered this call. */
  mode: Mode;
}

/** POST /__control body: how to answer the notifications with these keys from now on (unlisted ones: ok). */
export type StubControl = { modes: Record<string, Mode> };

export function createHisStub() {
  const modes = new Map<string, Mode>();
  const calls: StubCall[] = [];
  let tradeSeq = 0;
  const failedOnce = new Set<string>();
  return async function hisStub(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/__control") {
      const body = (await request.json()) as StubControl;
      for (const [key, mode] of Object.entries(body.modes)) modes.set(key, mode);
      return new Response(null, { status: 204 });
    }
    if (url.pathname === "/__calls") {
      const keys = new Set(url.searchParams.getAll("key"));
      return Response.json(calls.filter((c) => c.key !== null && keys.has(c.key)));
    }
    const service = request.headers.get("x-service") ?? "";
    const body = (await request.json()) as Record<string, unknown>;
    const header = request.headers.get("x-idempotency-key");
    const key = header === null ? null : decodeURIComponent(header);
    // A notification whose key says FAILONCE fails its first delivery and is acknowledged on the next.
    if (key?.includes("FAILONCE")) {
      const first = !failedOnce.has(key);
      failedOnce.add(key);
      calls.push({ service, key, body, mode: first ? "503" : "ok" });
      return first
        ? new Response("service unavailable", { status: 503 })
        : Response.json({ resultCode: "SUCCESS", resultMessage: "成功" });
    }
    const mode = (key !== null && modes.get(key)) || "ok";
    calls.push({ service, key, body, mode });
    switch (mode) {
      case "503":
        return new Response("service unavailable", { status: 503 });
      case "garbage":
        return new Response("<html>oops</html>", { status: 200 });
      case "hang":
        return new Promise<Response>(() => {});
      case "business":
        return Response.json({ resultCode: "S02000401", resultMessage: "订单不存在" });
      case "systemError":
        return Response.json({ resultCode: "SYSTEM_ERROR", resultMessage: "db down" });
      case "429":
        return Response.json({ resultCode: "S02000401", resultMessage: "订单不存在" }, { status: 429 });
      default:
        return Response.json({
          resultCode: "SUCCESS",
          resultMessage: "成功",
          ...(service === "Pay" ? { data: { hospitalTradeId: `HT${++tradeSeq}` } } : {}),
        });
    }
  };
}
