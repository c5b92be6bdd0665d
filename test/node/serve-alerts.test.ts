// Alerts on the hospital's own server (`npm run serve`, plain workerd, which has no cron): the CronAlarm's Durable
// Object alarm runs the same alert check the cron trigger runs on Cloudflare. A failure-rate incident is posted once
// and its recovery once; a notification backlog opened before a SIGKILL is announced as recovered after the restart
// with no request at all, because the alarm lives in workerd's storage on --data. The webhook is a group robot
// stand-in on 127.0.0.1.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { build } from "../../selfhost/build.js";
import { refEnvelope, refPayloadXml, refReadReply, SEED_KEY, type Wire } from "../support/reference.js";
import { MockHis, startServe, until, type ServeRun } from "../support/serve.js";

const dir = mkdtempSync(join(tmpdir(), "hisgate-serve-alerts-"));
const dist = join(dir, "dist");
const data = join(dir, "data");
const tenantsFile = join(dir, "tenants.json");

/** The HIS: answers TestNet with something that is not its contract (ILLEGAL_RESPONSE) while `broken`. */
let broken = true;
const his = new MockHis((service) => {
  if (service === "TestNet" && broken) return { nothing: "here" };
  if (service === "TestNet")
    return { resultCode: "SUCCESS", resultMessage: "成功", data: { systemTime: "2017-01-19 15:54:42" } };
  return { resultCode: "SUCCESS", resultMessage: "成功" };
});

/** A WeCom / DingTalk group robot: keeps what it is sent, answers {"errcode": 0}. */
const posts: { path: string; content: string }[] = [];
let robot: Server | undefined;
let robotPort = 0;

let server: ServeRun | undefined;
let base = "";

async function serveOnce(): Promise<ServeRun> {
  const run = startServe([
    ...["--tenants", tenantsFile, "--data", data, "--dist", dist, "--port", "0"],
    // A second instead of a minute between checks, and notification retries a few hundred ms apart.
    ...["--var", "CRON_ALARM_SECONDS=1", "--var", "NOTIFY_RETRY_BASE_MS=300", "--var", "NOTIFY_RETRY_MAX_MS=600"],
  ]);
  base = (await run.listening).url;
  return run;
}

const testNet = (hospitalCode: string) =>
  refEnvelope({ service: "TestNet", format: "json", hospitalCode, payload: JSON.stringify({ ip: "10.1.1.1" }) }).body;

async function callTestNet(hospitalCode: string): Promise<string> {
  return refReadReply(await (await fetch(`${base}/wd/api`, { method: "POST", body: testNet(hospitalCode) })).text())
    .resultCode!;
}

const postsTo = (path: string) => posts.filter((p) => p.path === path).map((p) => p.content);

beforeAll(async () => {
  await his.up();
  robot = createServer((req, res) => {
    let text = "";
    req.on("data", (d: Buffer) => (text += d.toString()));
    req.on("end", () => {
      const body = JSON.parse(text) as { msgtype: string; text: { content: string } };
      expect(body.msgtype).toBe("text");
      posts.push({ path: req.url ?? "", content: body.text.content });
      res.writeHead(200, { "content-type": "application/json" }).end('{"errcode":0,"errmsg":"ok"}');
    });
  });
  await new Promise<void>((resolve) => robot!.listen(0, "127.0.0.1", resolve));
  robotPort = (robot.address() as AddressInfo).port;
  const tenant = (hospitalCode: string, alerts: Record<string, unknown>) => ({
    partner: "TEST_WX",
    hospitalCode,
    key: SEED_KEY,
    hisUrl: `http://127.0.0.1:${his.port}/api`,
    hisTimeoutMs: 3000,
    alerts: { webhook: `http://127.0.0.1:${robotPort}/${hospitalCode}`, ...alerts },
  });
  writeFileSync(
    tenantsFile,
    JSON.stringify([
      tenant("8001", { rate: 0.5, windowMinutes: 10, minRequests: 4 }),
      // Its delivery attempts fail while the HIS is down: only the backlog may alert here, not the failure rate.
      tenant("8002", { minRequests: 1000, backlog: 1 }),
    ]),
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
  await new Promise((r) => robot?.close(r));
  rmSync(dir, { recursive: true, force: true });
});

describe("alerts under plain workerd (npm run serve), without a cron", () => {
  it("the run's workerd config binds the CronAlarm in place of the cron trigger", () => {
    const config = readFileSync(join(data, ".serve/hisgate.capnp"), "utf8");
    expect(config).toContain('(name = "CRON_ALARM", durableObjectNamespace = "CronAlarm")');
    expect(config).toContain('(className = "CronAlarm", uniqueKey = "hisgate-CronAlarm", enableSql = true)');
    expect(config).toContain("a Durable Object alarm (CronAlarm, bound as CRON_ALARM) runs the scheduled job");
  });

  it("a failure-rate incident is posted once, and its recovery once", async () => {
    for (let i = 0; i < 4; i++) expect(await callTestNet("8001")).toBe("ILLEGAL_RESPONSE");
    await until("the incident's post", () => (postsTo("/8001").length >= 1 ? true : undefined), 30_000);
    expect(postsTo("/8001")[0]).toMatch(/^【hisgate 告警】TEST_WX \/ 8001 交易失败率\n近 10 分钟 4 次交易中 4 次失败/);
    expect(postsTo("/8001")[0]).toContain("ILLEGAL_RESPONSE×4");

    // Checks keep running each second; the open incident is not announced again. Five successes: 4 of 9 < 50 %.
    broken = false;
    for (let i = 0; i < 5; i++) expect(await callTestNet("8001")).toBe("SUCCESS");
    await until("the recovery's post", () => (postsTo("/8001").length >= 2 ? true : undefined), 30_000);
    expect(postsTo("/8001")[1]).toMatch(/^【hisgate 恢复】TEST_WX \/ 8001 交易失败率已恢复/);
    // A few more runs of the check (one a second) change nothing: once per incident, once on recovery.
    await new Promise((r) => setTimeout(r, 3500));
    expect(postsTo("/8001")).toHaveLength(2);
  });

  it("a backlog opened before a SIGKILL is announced recovered after the restart, with no request to wake it", async () => {
    await his.down();
    const refundId = `RF${Date.now()}`;
    const wire: Wire = {
      businessType: "1",
      orderId: `O${Date.now()}`,
      hospitalRefundId: `HR-${refundId}`,
      refundId,
      totalFee: "100",
      refundFee: "50",
      refundTime: "2017-02-07 10:09:33",
    };
    const { body } = refEnvelope({
      service: "NotifyRefund",
      format: "xml",
      hospitalCode: "8002",
      payload: refPayloadXml("request", wire),
    });
    // Stored and acknowledged while the HIS is down: one notification pending.
    expect(refReadReply(await (await fetch(`${base}/wd/api`, { method: "POST", body })).text()).resultCode).toBe(
      "SUCCESS",
    );
    await until("the backlog's post", () => (postsTo("/8002").length >= 1 ? true : undefined), 30_000);
    expect(postsTo("/8002")[0]).toMatch(/^【hisgate 告警】TEST_WX \/ 8002 通知积压\n通知积压 1 条待投递（阈值 1）/);

    server!.child.kill("SIGKILL");
    await server!.exited;
    await his.up();
    server = await serveOnce();
    // Nothing is sent to the restarted server: the queue's alarm delivers, the CronAlarm's alarm sees it.
    await until("the recovery's post", () => (postsTo("/8002").length >= 2 ? true : undefined), 60_000);
    expect(postsTo("/8002")[1]).toMatch(/^【hisgate 恢复】TEST_WX \/ 8002 通知积压已恢复/);
    expect(his.callsTo("NotifyRefund")).toHaveLength(1);
    expect(postsTo("/8002")).toHaveLength(2);
    // The failure-rate tenant stayed quiet meanwhile.
    expect(postsTo("/8001")).toHaveLength(2);
  });
});
