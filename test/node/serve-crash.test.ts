// The gateway on the hospital's own server (`npm run build`, `npm run serve`): the seed's vectors through plain
// workerd, then a crash. A Pay is forwarded once; notifications are queued while the HIS is down; the server is
// killed with SIGKILL and started again on the same data directory; the Pay is replayed from the store while the
// HIS is still down; the HIS comes back and every notification arrives exactly once. Then SIGTERM: a request in
// flight is answered before the server exits.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { build } from "../../selfhost/build.js";
import {
  refDecrypt,
  refEnvelope,
  refPayloadXml,
  refReadReply,
  refReplySignatureOk,
  SEED_KEY,
  type Wire,
} from "../support/reference.js";
import { MockHis, startServe, until, type ServeRun } from "../support/serve.js";
import { SEED_GET, SEED_JSON_REQUEST, SEED_XML_REQUEST, XML_REPLY_CIPHERTEXT } from "../support/seed-vectors.js";
import { envelope, notifyRefundWire, payWire } from "../support/wires.js";

const TOKEN = "crash-test-his-token";

const dir = mkdtempSync(join(tmpdir(), "hisgate-serve-crash-"));
const dist = join(dir, "dist");
const data = join(dir, "data");
const tenantsFile = join(dir, "tenants.json");
const envFile = join(dir, "hisgate.env");

/** Held TestNet answers (the SIGTERM test): released by the test, not by a timer. */
let holdTestNet: Promise<void> | undefined;
const his = new MockHis(async (service, body) => {
  if (service === "TestNet" && body.ip === "10.20.30.40") await holdTestNet;
  if (service === "TestNet")
    return { resultCode: "SUCCESS", resultMessage: "成功", data: { systemTime: "2017-01-19 15:54:42" } };
  if (service === "Pay")
    return { resultCode: "SUCCESS", resultMessage: "成功", data: { hospitalTradeId: `HT-${String(body.outTradeId)}` } };
  return { resultCode: "SUCCESS", resultMessage: "成功" };
});

let server: ServeRun | undefined;
let base = "";

async function serveOnce(): Promise<ServeRun> {
  const run = startServe(
    [
      ...["--tenants", tenantsFile, "--data", data, "--dist", dist, "--port", "0"],
      // Retries a second or so apart, so the test waits on deliveries rather than on the default backoff.
      ...["--env-file", envFile],
    ],
    {},
  );
  const { url } = await run.listening;
  base = url;
  return run;
}

const post = async (path: string, body: string, headers: Record<string, string> = {}) =>
  refReadReply(await (await fetch(`${base}${path}`, { method: "POST", body, headers })).text());

async function deliveries(state: string): Promise<{ id: string; state: string; attempts: number }[]> {
  const res = await fetch(`${base}/deliveries?state=${state}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  const json = (await res.json()) as { data: { deliveries: { id: string; state: string; attempts: number }[] } };
  return json.data.deliveries;
}

beforeAll(async () => {
  await his.up();
  const tenant = (hospitalCode: string, extra: Record<string, unknown> = {}) => ({
    partner: "TEST_WX",
    hospitalCode,
    key: SEED_KEY,
    hisUrl: `http://127.0.0.1:${his.port}/api`,
    hisTimeoutMs: 3000,
    ...extra,
  });
  writeFileSync(
    tenantsFile,
    JSON.stringify([
      tenant("0", { hisToken: TOKEN }),
      tenant("43010001"),
      tenant("7002", { clientIps: ["10.9.9.9"] }),
      tenant("7003", { clientIps: ["127.0.0.1"] }),
    ]),
  );
  writeFileSync(
    envFile,
    "# as the systemd unit's /etc/hisgate/hisgate.env\nNOTIFY_RETRY_BASE_MS=300\nNOTIFY_RETRY_MAX_MS=1000\n",
  );
  await build(dist);
  server = await serveOnce();
}, 600_000);

afterAll(async () => {
  if (server && server.child.exitCode === null) {
    server.child.kill("SIGKILL");
    await server.exited;
  }
  await his.down();
  rmSync(dir, { recursive: true, force: true });
});

describe("the gateway under plain workerd (npm run serve)", () => {
  it("answers /healthz, and logs JSON lines on stdout", async () => {
    expect(await (await fetch(`${base}/healthz`)).text()).toBe("ok");
    expect(server!.lines.find((l) => l.event === "serve.listening")).toMatchObject({ tenants: 4, demo: false });
    expect(server!.lines.filter((l) => "notJson" in l)).toEqual([]);
    // The --env-file variables reached the Worker's bindings.
    const config = readFileSync(join(data, ".serve/hisgate.capnp"), "utf8");
    expect(config).toContain('(name = "NOTIFY_RETRY_BASE_MS", text = "300")');
  });

  it("replays the seed's vectors: XML byte for byte, JSON and GET signed SUCCESS", async () => {
    expect(await post("/wd/api", SEED_XML_REQUEST)).toEqual({
      resultCode: "SUCCESS",
      resultMessage: "成功",
      sign: "5A79CE775EC879E11B88EF71D69F131E",
      signType: "md5",
      responseEncrypted: XML_REPLY_CIPHERTEXT,
    });
    const json = await post("/wd/api", SEED_JSON_REQUEST);
    expect(json.resultCode).toBe("SUCCESS");
    expect(refReplySignatureOk(json)).toBe(true);
    const get = refReadReply(await (await fetch(`${base}${SEED_GET}`)).text());
    expect(get.resultCode).toBe("SUCCESS");
    expect(refReplySignatureOk(get)).toBe(true);
    expect(his.callsTo("TestNet").map((c) => c.headers["x-hospital-code"])).toEqual(["0", "0", "43010001"]);
    // The request log reached stdout as the Worker wrote it.
    await until("the request log lines", () =>
      server!.lines.filter((l) => l.event === "request" && l.service === "TestNet").length >= 3 ? true : undefined,
    );
  });

  it("a client cannot claim an allowed IP with CF-Connecting-IP: the TCP peer is what counts", async () => {
    const testNet = (hospitalCode: string) =>
      refEnvelope({
        service: "TestNet",
        format: "xml",
        hospitalCode,
        payload: refPayloadXml("request", { ip: "127.0.0.1" }),
      }).body;
    const spoofed = await post("/wd/api", testNet("7002"), { "cf-connecting-ip": "10.9.9.9" });
    expect(spoofed.resultCode).toBe("ILLEGAL_CLIENT_IP");
    expect((await post("/wd/api", testNet("7003"))).resultCode).toBe("SUCCESS");
  });

  const payId = `LS${Date.now()}`;
  const pay = envelope("Pay", payWire(payId), "json");
  const refundIds = [1, 2, 3].map((i) => `RF${Date.now()}${i}`);
  const orderId = `ORD${Date.now()}`;
  const registerWire = (notifyType: string): Wire => ({
    notifyType,
    orderId,
    hospitalOrderId: "H1",
    notifyTime: "2017-02-08 15:47:11",
    reason: "用户取消",
  });
  let queued: string[] = [];

  it("forwards a Pay once", async () => {
    const reply = await post("/wd/api", pay);
    expect(reply.resultCode).toBe("SUCCESS");
    expect(JSON.parse(refDecrypt(reply.responseEncrypted!, SEED_KEY))).toEqual({ hospitalTradeId: `HT-${payId}` });
    expect(his.callsTo("Pay")).toHaveLength(1);
  });

  it("acknowledges notifications while the HIS is down, and keeps retrying them", async () => {
    await his.down();
    const bodies = [
      ...refundIds.map((id) => envelope("NotifyRefund", notifyRefundWire(id))),
      envelope("NotifyRegister", registerWire("1")),
      envelope("NotifyRegister", registerWire("2"), "json"),
    ];
    for (const body of bodies) expect((await post("/wd/api", body)).resultCode).toBe("SUCCESS");
    // Every one stored, and at least one delivery attempt failed for each (the HIS refuses connections).
    const pending = await until("five pending deliveries, each tried", async () => {
      const list = await deliveries("pending");
      return list.length === 5 && list.every((d) => d.attempts >= 1) ? list : undefined;
    });
    queued = pending.map((d) => d.id).sort();
  });

  it("survives SIGKILL: restarted on the same data, the Pay is answered from the store without the HIS", async () => {
    const { workerdPid } = await server!.listening;
    server!.child.kill("SIGKILL");
    expect((await server!.exited).signal).toBe("SIGKILL");
    // workerd goes with serve (no orphan holding the data directory).
    await until("workerd to be gone", () => (isGone(workerdPid) ? true : undefined), 30_000);

    server = await serveOnce();
    const again = await post("/wd/api", pay);
    expect(again.resultCode).toBe("SUCCESS");
    expect(refReplySignatureOk(again)).toBe(true);
    expect(JSON.parse(refDecrypt(again.responseEncrypted!, SEED_KEY))).toEqual({ hospitalTradeId: `HT-${payId}` });
    expect(his.callsTo("Pay")).toHaveLength(1);
    expect((await deliveries("pending")).map((d) => d.id).sort()).toEqual(queued);
  });

  it("delivers every queued notification exactly once when the HIS is back, and loses none", async () => {
    await his.up();
    await until(
      "all five delivered",
      async () => ((await deliveries("delivered")).length === 5 ? true : undefined),
      150_000,
    );
    expect((await deliveries("delivered")).map((d) => d.id).sort()).toEqual(queued);
    expect(await deliveries("pending,failed,rejected")).toEqual([]);
    const keys = his.calls.map((c) => c.headers["x-idempotency-key"]).filter((k) => k && !String(k).startsWith("Pay"));
    expect(keys.map((k) => decodeURIComponent(String(k))).sort()).toEqual(queued);
    const refunds = his.callsTo("NotifyRefund").map((c) => c.body.refundId);
    expect(refunds.sort()).toEqual([...refundIds].sort());
    expect(
      his
        .callsTo("NotifyRegister")
        .map((c) => c.body.notifyType)
        .sort(),
    ).toEqual([1, 2]);
  });

  it("SIGTERM: the request in flight is answered, then serve exits 0", async () => {
    let release!: () => void;
    holdTestNet = new Promise<void>((r) => (release = r));
    const before = his.callsTo("TestNet").length;
    const inFlight = post(
      "/wd/api",
      refEnvelope({ service: "TestNet", format: "xml", payload: refPayloadXml("request", { ip: "10.20.30.40" }) }).body,
    );
    await until("the HIS to be called", () => (his.callsTo("TestNet").length > before ? true : undefined));
    server!.child.kill("SIGTERM");
    await until("serve.stopping", () => (server!.lines.some((l) => l.event === "serve.stopping") ? true : undefined));
    release();
    expect((await inFlight).resultCode).toBe("SUCCESS");
    expect(await server!.exited).toEqual({ code: 0, signal: null });
    expect(server!.lines.at(-1)).toMatchObject({ event: "serve.stopped", code: 0 });
  });
});

/** The process is gone, or a zombie waiting for init to reap it. */
function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    return /\) Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true;
  }
}
