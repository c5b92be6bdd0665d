// The tenant registry: 2,000 sealed records in KV, found per request by (partner, hospitalCode) and by hisToken
// through the token index, and a record that was changed or moved refused. Envelopes are built and checked
// with the independent reference.
import { env } from "cloudflare:test";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { registryEntries } from "../../worker/src/registry/records.js";
import { tenantRecordName } from "../../worker/src/registry/seal.js";
import { tenantSource } from "../../worker/src/config/source.js";
import { gateway, post, success } from "../support/gateway.js";
import { refDecrypt, refEnvelope, refReadReply, refReplySignatureOk, refSign } from "../support/reference.js";

const MASTER = Buffer.alloc(32, 7).toString("base64");
const COUNT = 2000;
const keyOf = (i: number) => `K${String(i).padStart(15, "0")}`;
const tokenOf = (i: number) => `his-token-${i}-${"x".repeat(20)}`;
const entry = (i: number) => ({
  partner: "PROVINCE_WX",
  hospitalCode: `H${i}`,
  key: keyOf(i),
  hisUrl: "http://his.test/api",
  hisService: "HIS",
  hisToken: tokenOf(i),
  platformService: "PLATFORM",
});

// Registry only: no TENANTS at all, as a province-wide deployment runs.
const registryOnly = { TENANTS: undefined, TENANT_MASTER_KEY: MASTER };
const kv = () => env.TENANT_REGISTRY!;

const testNet = (i: number) =>
  refEnvelope({
    service: "TestNet",
    format: "json",
    payload: '{"ip":"10.0.0.1"}',
    partner: "PROVINCE_WX",
    hospitalCode: `H${i}`,
    key: keyOf(i),
  }).body;

async function sendTestNet(i: number) {
  const gw = gateway(() => success({ systemTime: "2026-12-25 08:00:00" }), [], registryOnly);
  const reply = refReadReply(await (await gw.fetch("/wd/api", post(testNet(i)))).text());
  return { reply, calls: gw.calls };
}

describe("tenant registry (KV, sealed records)", () => {
  beforeAll(async () => {
    const entries = await registryEntries(JSON.stringify(Array.from({ length: COUNT }, (_, i) => entry(i))), MASTER);
    expect(entries).toHaveLength(2 * COUNT);
    for (let i = 0; i < entries.length; i += 200)
      await Promise.all(
        entries.slice(i, i + 200).map((e) => kv().put(e.key, e.value, e.metadata ? { metadata: e.metadata } : {})),
      );
  }, 120_000);
  afterEach(() => vi.restoreAllMocks());

  it("keeps keys and tokens encrypted at rest: no record holds them in the clear", async () => {
    const text = (await kv().get(tenantRecordName("PROVINCE_WX", "H7")))!;
    expect(text).not.toContain(keyOf(7));
    expect(text).not.toContain(tokenOf(7));
    expect(text).not.toContain("his.test");
    const { metadata } = await kv().getWithMetadata(tenantRecordName("PROVINCE_WX", "H7"));
    expect(metadata).toMatchObject({ partner: "PROVINCE_WX", hospitalCode: "H7", keys: 1, hisToken: true });
    expect(JSON.stringify(metadata)).not.toContain(keyOf(7));
  });

  it("answers a hospital among 2,000, signed and encrypted with its own key", async () => {
    for (const i of [0, 1234, COUNT - 1]) {
      const { reply, calls } = await sendTestNet(i);
      expect(reply.resultCode).toBe("SUCCESS");
      expect(refReplySignatureOk(reply, keyOf(i))).toBe(true);
      expect(JSON.parse(refDecrypt(reply.responseEncrypted!, keyOf(i)))).toEqual({ systemTime: "2026-12-25 08:00:00" });
      expect(calls[0]!.headers["x-hospital-code"]).toBe(`H${i}`);
    }
    const unknown = await sendTestNet(COUNT + 5);
    expect(unknown.reply.resultCode).toBe("ILLEGAL_PARTNER");
  });

  it("finds the tenant of a /platform token among 2,000 through the index, and refuses a near miss", async () => {
    const seen: Record<string, string>[] = [];
    const PLATFORM = {
      async fetch(input: Request | string, init?: RequestInit) {
        const params = refReadReply(await new Request(input, init).text());
        seen.push(params);
        const reply = { resultCode: "A02000201", resultMessage: "订单不存在" };
        return new Response(JSON.stringify({ ...reply, signType: "md5", sign: refSign(reply, keyOf(1717)) }));
      },
    };
    const gw = gateway(() => new Response("unused"), [], { ...registryOnly, PLATFORM });
    const call = (token: string) =>
      gw.fetch("/platform/QueryRefund", {
        method: "POST",
        body: JSON.stringify({ businessType: 1, hospitalRefundId: "HR1" }),
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      });
    const res = await call(tokenOf(1717));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { resultCode: string }).resultCode).toBe("A02000201");
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ partner: "PROVINCE_WX", hospitalCode: "H1717" });
    const { sign, signType: _, ...signed } = seen[0]!;
    expect(sign).toBe(refSign(signed, keyOf(1717)));

    expect((await call(`${tokenOf(1717)}y`)).status).toBe(401);
    expect((await call("nobody")).status).toBe(401);
    expect(seen).toHaveLength(1);
  });

  it("an index entry pointing a token at another tenant lets nothing through", async () => {
    // Whoever can write KV but has not the master secret cannot name the index entry of a token they choose;
    // even a hand-made entry only leads to a record whose token differs.
    const records = await registryEntries(JSON.stringify([{ ...entry(3000), hisToken: "forged-token" }]), MASTER);
    const index = records.find((r) => r.key.startsWith("token/"))!;
    await kv().put(index.key, tenantRecordName("PROVINCE_WX", "H5"));
    const gw = gateway(() => new Response("unused"), [], registryOnly);
    const res = await gw.fetch("/deliveries", { headers: { authorization: "Bearer forged-token" } });
    expect(res.status).toBe(401);
  });

  it("refuses a tampered record and a record moved under another hospital's name, without calling the HIS", async () => {
    const errors: string[] = [];
    vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void errors.push(a.map(String).join(" ")));
    const name = tenantRecordName("PROVINCE_WX", "H42");
    const sealed = JSON.parse((await kv().get(name))!) as { v: number; iv: string; data: string };
    const bytes = Buffer.from(sealed.data, "base64");
    bytes[5] ^= 1;
    await kv().put(name, JSON.stringify({ ...sealed, data: bytes.toString("base64") }));
    const tampered = await sendTestNet(42);
    expect(tampered.reply.resultCode).toBe("SYSTEM_ERROR");
    expect(tampered.calls).toHaveLength(0);

    await kv().put(tenantRecordName("PROVINCE_WX", "H44"), (await kv().get(tenantRecordName("PROVINCE_WX", "H43")))!);
    const moved = await sendTestNet(44);
    expect(moved.reply.resultCode).toBe("SYSTEM_ERROR");
    expect(moved.calls).toHaveLength(0);

    const logged = errors.filter((l) => l.includes("registry.invalid"));
    expect(logged.join("\n")).toContain("tenant/PROVINCE_WX/H42 fails its integrity check");
    expect(logged.join("\n")).toContain("tenant/PROVINCE_WX/H44 fails its integrity check");
    for (const line of errors) expect(line).not.toContain(keyOf(42));
    // Its neighbours are untouched.
    expect((await sendTestNet(41)).reply.resultCode).toBe("SUCCESS");
  });

  it("TENANTS and the registry together: TENANTS first, then the registry; list() visits both", async () => {
    const small = { ...entry(0), partner: "SMALL", hospitalCode: "1", key: "2098D32C4D1399EC" };
    const source = tenantSource({ ...env, TENANTS: JSON.stringify([small]), TENANT_MASTER_KEY: MASTER });
    expect((await source.find("SMALL", "1"))?.partner).toBe("SMALL");
    expect((await source.find("PROVINCE_WX", "H9"))?.hospitalCode).toBe("H9");
    expect((await source.byToken(tokenOf(9)))?.hospitalCode).toBe("H9");
    let n = 0;
    for await (const t of source.list()) if (t.partner === "PROVINCE_WX" || t.partner === "SMALL") n++;
    // Every record but the two refused above (H42 tampered, H44 moved), plus the TENANTS one.
    expect(n).toBe(COUNT - 2 + 1);
  }, 60_000);
});
