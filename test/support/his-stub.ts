// A stub HIS that runs in Node as a service binding of the worker project (vitest.config.ts). Durable Objects
// reach it through their own env; tests script it through /__control and read what it saw at /__calls.

type Mode = "ok" | "503" | "garbage" | "hang" | "business" | "systemError" | "429";

export interface StubCall {
  service: string;
  idempotencyKey: string | null;
  body: unknown;
  /** How the stub answered this call. */
  mode: Mode;
}

export function createHisStub() {
  let mode: Mode = "ok";
  let calls: StubCall[] = [];
  let tradeSeq = 0;
  const failedOnce = new Set<string>();
  return async function hisStub(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/__control") {
      const body = (await request.json()) as { mode?: Mode; reset?: boolean };
      if (body.reset) calls = [];
      if (body.mode) mode = body.mode;
      return Response.json({ mode });
    }
    if (url.pathname === "/__calls") return Response.json(calls);
    const service = request.headers.get("x-service") ?? "";
    const body = (await request.json()) as Record<string, unknown>;
    const idempotencyKey = request.headers.get("x-idempotency-key");
    // A notification whose key says FAILONCE fails its first delivery and is acknowledged on the next, whatever
    // the mode: a test of retries that does not depend on the shared mode, which tests in other files set too.
    if (idempotencyKey?.includes("FAILONCE")) {
      const first = !failedOnce.has(idempotencyKey);
      failedOnce.add(idempotencyKey);
      calls.push({ service, idempotencyKey, body, mode: first ? "503" : "ok" });
      return first
        ? new Response("service unavailable", { status: 503 })
        : Response.json({ resultCode: "SUCCESS", resultMessage: "成功" });
    }
    calls.push({ service, idempotencyKey, body, mode });
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
