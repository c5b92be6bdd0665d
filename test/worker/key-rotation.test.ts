// Key rotation: a tenant with an old key (until) and a new one (from). The clock is set, never slept on; every
// envelope is built and checked with the independent reference (node:crypto), one key at a time.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_TENANT, gateway, post, success } from "../support/gateway.js";
import { refDecrypt, refEnvelope, refReadReply, refReplySignatureOk, refSign, SEED_KEY } from "../support/reference.js";

const OLD = SEED_KEY;
const NEW = "0123456789ABCDEF";
const NEW_FROM = "2026-12-20T00:00:00+08:00";
const OLD_UNTIL = "2026-12-31T00:00:00+08:00";
const OVERLAP = "2026-12-25T12:00:00+08:00";

const rotating = {
  ...DEFAULT_TENANT,
  key: undefined,
  keys: [
    { key: OLD, until: OLD_UNTIL },
    { key: NEW, from: NEW_FROM },
  ],
  hisToken: "his-secret-1",
  platformService: "PLATFORM",
};

const at = (iso: string) => vi.setSystemTime(new Date(iso));

function testNet(key: string) {
  return refEnvelope({ service: "TestNet", format: "json", payload: '{"ip":"10.0.0.1"}', key }).body;
}

async function send(body: string, extra: Record<string, unknown> = {}) {
  const gw = gateway(() => success({ systemTime: "2026-12-25 12:00:00" }), [rotating], extra);
  const res = await gw.fetch("/wd/api", post(body));
  return { reply: refReadReply(await res.text()), calls: gw.calls };
}

/** A platform peer that accepts either key, records which one signed, and answers signed with that key. */
function platformPeer() {
  const used: string[] = [];
  const PLATFORM = {
    async fetch(input: Request | string, init?: RequestInit): Promise<Response> {
      const params = refReadReply(await new Request(input, init).text());
      const { sign, signType: _, ...signed } = params;
      const key = [OLD, NEW].find((k) => refSign(signed, k) === sign);
      if (!key) return new Response(JSON.stringify({ resultCode: "ILLEGAL_SIGN", resultMessage: "bad" }));
      used.push(key === OLD ? "old" : "new");
      refDecrypt(params.requestEncrypted!, key);
      const reply = { resultCode: "A02000201", resultMessage: "订单不存在" };
      return new Response(JSON.stringify({ ...reply, signType: "md5", sign: refSign(reply, key) }));
    },
  };
  return { PLATFORM, used };
}

async function queryRefund(peer: ReturnType<typeof platformPeer>) {
  const gw = gateway(() => new Response("unused"), [rotating], { PLATFORM: peer.PLATFORM });
  const res = await gw.fetch("/platform/QueryRefund", {
    method: "POST",
    body: JSON.stringify({ businessType: 1, hospitalRefundId: "HR1" }),
    headers: { authorization: "Bearer his-secret-1", "content-type": "application/json" },
  });
  return (await res.json()) as Record<string, unknown>;
}

describe("key rotation", () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ["Date"] }));
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it("during the overlap an old-key and a new-key envelope are each answered in their own key", async () => {
    at(OVERLAP);
    for (const [key, other] of [
      [OLD, NEW],
      [NEW, OLD],
    ] as const) {
      const { reply, calls } = await send(testNet(key));
      expect(reply.resultCode).toBe("SUCCESS");
      expect(calls).toHaveLength(1);
      expect(refReplySignatureOk(reply, key)).toBe(true);
      expect(refReplySignatureOk(reply, other)).toBe(false);
      expect(JSON.parse(refDecrypt(reply.responseEncrypted!, key))).toEqual({ systemTime: "2026-12-25 12:00:00" });
    }
  });

  it("refuses the old key from its until on, and the new key before its from", async () => {
    at("2026-12-31T00:00:00+08:00");
    const late = await send(testNet(OLD));
    expect(late.reply.resultCode).toBe("ILLEGAL_SIGN");
    expect(late.calls).toHaveLength(0);
    // Refused before any key verified: signed with the key that is current then, the new one.
    expect(refReplySignatureOk(late.reply, NEW)).toBe(true);
    expect((await send(testNet(NEW))).reply.resultCode).toBe("SUCCESS");

    at("2026-12-19T23:59:59+08:00");
    const early = await send(testNet(NEW));
    expect(early.reply.resultCode).toBe("ILLEGAL_SIGN");
    expect(refReplySignatureOk(early.reply, OLD)).toBe(true);
    expect((await send(testNet(OLD))).reply.resultCode).toBe("SUCCESS");
  });

  it("/platform switches from the old key to the new one at from", async () => {
    const peer = platformPeer();
    at("2026-12-19T23:59:59.999+08:00");
    expect((await queryRefund(peer)).resultCode).toBe("A02000201");
    at(NEW_FROM);
    expect((await queryRefund(peer)).resultCode).toBe("A02000201");
    at("2027-01-05T00:00:00+08:00");
    expect((await queryRefund(peer)).resultCode).toBe("A02000201");
    expect(peer.used).toEqual(["old", "new", "new"]);
  });

  it("the log names which key verified by its position, never the key", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
    at(OVERLAP);
    await send(testNet(NEW));
    await send(testNet(OLD));
    const requests = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event === "request");
    expect(requests.map((l) => l.key)).toEqual([1, 0]);
    for (const line of lines) {
      expect(line).not.toContain(NEW);
      expect(line).not.toContain(OLD);
    }
  });

  it("three keys valid at once is config.invalid: every request answered SYSTEM_ERROR", async () => {
    const errors: string[] = [];
    vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void errors.push(args.map(String).join(" ")));
    at(OVERLAP);
    const three = { ...rotating, keys: [...rotating.keys, { key: "FEDCBA9876543210", from: "2026-12-24T00:00:00Z" }] };
    const gw = gateway(() => success({ systemTime: "x" }), [three]);
    const reply = refReadReply(await (await gw.fetch("/wd/api", post(testNet(OLD)))).text());
    expect(reply.resultCode).toBe("SYSTEM_ERROR");
    expect(errors.join("\n")).toMatch(/config\.invalid.*3 keys are valid at 2026-12-24T00:00:00\.000Z/);
  });
});
