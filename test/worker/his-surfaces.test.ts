// The HIS's own surfaces (/platform, /deliveries, /messages, /status, /status.json, /metrics): sub-apps that answer
// their failures as JSON with one HTTP status per result code (render/his-json.ts), refuse an oversized body before
// anything else, and log an unexpected error with its name and stack, never its message or a stack to the caller.
import { afterEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_TENANT, gateway } from "../support/gateway.js";

const TOKEN = "his-surface-token";
const OPERATOR = "ops-surface-secret";
const tenants = [
  {
    ...DEFAULT_TENANT,
    hospitalCode: "SURFACES",
    hisToken: TOKEN,
    platformUrl: "https://platform.test/wd/api",
    platformService: "PLATFORM",
  },
];
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Every HIS surface, as a POST (the only method with a body), with the tokens each accepts. */
const SURFACES: { path: string; tokens: string[] }[] = [
  { path: "/platform/QueryRefund", tokens: [TOKEN] },
  { path: "/deliveries/NotifyRefund%3A1/replay", tokens: [TOKEN] },
  { path: "/messages", tokens: [TOKEN] },
  { path: "/status/login", tokens: [TOKEN] },
  { path: "/status", tokens: [TOKEN] },
  { path: "/status.json", tokens: [TOKEN] },
  { path: "/metrics", tokens: [TOKEN, OPERATOR] },
];

function capture() {
  const lines: string[] = [];
  for (const level of ["log", "warn", "error", "info", "debug"] as const)
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
  return lines;
}

describe("the HIS's surfaces", () => {
  afterEach(() => vi.restoreAllMocks());

  it("a body past MAX_BODY_BYTES is 413 ILLEGAL_REQUEST in JSON on every one of them, with a token or without", async () => {
    const gw = gateway(() => new Response("unused"), tenants, { MAX_BODY_BYTES: "1024", METRICS_TOKEN: OPERATOR });
    const body = `token=${"x".repeat(2000)}`;
    for (const { path, tokens } of SURFACES)
      for (const token of [...tokens, "wrong", ""]) {
        const res = await gw.fetch(path, {
          method: "POST",
          body,
          headers: { "content-type": "application/x-www-form-urlencoded", ...(token ? bearer(token) : {}) },
        });
        expect(res.status, `${path} ${token}`).toBe(413);
        expect(res.headers.get("content-type"), path).toMatch(/^application\/json/);
        expect(await res.json(), path).toEqual({
          resultCode: "ILLEGAL_REQUEST",
          resultMessage: "the body exceeds 1024 bytes",
        });
      }
    expect(gw.calls).toHaveLength(0);
  });

  it("a body within MAX_BODY_BYTES passes the limit: the route answers it", async () => {
    const gw = gateway(() => new Response("unused"), tenants, { MAX_BODY_BYTES: "1024" });
    const login = await gw.fetch("/status/login", { method: "POST", body: new URLSearchParams({ token: TOKEN }) });
    expect(login.status).toBe(303);
    const wrong = await gw.fetch("/status/login", { method: "POST", body: new URLSearchParams({ token: "nope" }) });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("content-type")).toMatch(/^text\/html/);
  });

  it("ILLEGAL_ARGUMENT is HTTP 400 on every surface that can answer it", async () => {
    const gw = gateway(() => new Response("unused"), tenants);
    const asks: [string, RequestInit][] = [
      [
        "/platform/RefundByHis",
        { method: "POST", body: JSON.stringify({ businessType: 9 }), headers: { "content-type": "application/json" } },
      ],
      ["/deliveries?limit=0", {}],
      ["/deliveries?state=lost", {}],
      ["/deliveries?cursor=@@", {}],
      ["/deliveries/NotifyRefund%3Anone/replay", { method: "POST" }],
      ["/messages?limit=0", {}],
      ["/messages?from=yesterday", {}],
      ["/messages?cursor=@@", {}],
    ];
    for (const [path, init] of asks) {
      const res = await gw.fetch(path, { ...init, headers: { ...init.headers, ...bearer(TOKEN) } });
      const json = (await res.json()) as { resultCode: string; resultMessage: string };
      expect({ path, status: res.status, resultCode: json.resultCode }).toEqual({
        path,
        status: 400,
        resultCode: "ILLEGAL_ARGUMENT",
      });
      // The standard's message for the code, then what was wrong.
      expect(json.resultMessage, path).toMatch(/^参数不正确：\S/);
    }
    expect(gw.calls).toHaveLength(0);
  });

  it("no or an unknown token is 401 ILLEGAL_PARTNER with a Bearer challenge on every token-protected surface", async () => {
    const gw = gateway(() => new Response("unused"), tenants, { METRICS_TOKEN: OPERATOR });
    for (const path of ["/deliveries", "/messages", "/status.json", "/metrics"])
      for (const headers of [{}, bearer("wrong"), { authorization: "Basic eDp5" }]) {
        const res = await gw.fetch(path, { headers });
        expect(res.status, path).toBe(401);
        expect(res.headers.get("www-authenticate"), path).toMatch(/^Bearer /);
        expect(((await res.json()) as { resultCode: string }).resultCode, path).toBe("ILLEGAL_PARTNER");
      }
    // The operator's token opens /metrics (every tenant), and nothing else.
    expect((await gw.fetch("/metrics", { headers: bearer(OPERATOR) })).status).toBe(200);
    for (const path of ["/deliveries", "/messages", "/status.json"])
      expect((await gw.fetch(path, { headers: bearer(OPERATOR) })).status, path).toBe(401);
  });

  it("an unexpected error is 502 SYSTEM_ERROR in JSON, no stack to the caller; the log has its name and stack, not its message", async () => {
    const lines = capture();
    const SECRET = "13800000000 from the payload";
    const broken = {
      idFromName() {
        throw new TypeError(`cannot read ${SECRET}`);
      },
      get() {
        throw new TypeError(`cannot read ${SECRET}`);
      },
    };
    const gw = gateway(() => new Response("unused"), tenants, { MESSAGES: broken, NOTIFICATIONS: broken });
    for (const path of ["/deliveries", "/messages", "/status", "/status.json", "/metrics"]) {
      lines.length = 0;
      const res = await gw.fetch(path, { headers: bearer(TOKEN) });
      expect(res.status, path).toBe(502);
      const text = await res.text();
      expect(JSON.parse(text), path).toEqual({ resultCode: "SYSTEM_ERROR", resultMessage: "系统错误" });
      expect(text).not.toMatch(/TypeError|at |13800000000/);
      const internal = lines
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((l) => l.event === "internal_error");
      expect(internal, path).toHaveLength(1);
      expect(internal[0], path).toMatchObject({ level: "error", error: "TypeError", requestId: expect.any(String) });
      expect(internal[0]!.stack, path).toMatch(/^\s+at /);
      expect(lines.join("\n"), path).not.toContain("13800000000");
    }
  });
});
