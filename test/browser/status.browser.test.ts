// The status page in a real browser: `wrangler dev` with a tenant that has a hisToken, a tiny HIS on node:http
// (TestNet answers, GetDepartmentInfo fails with 503), Debian's chromium driven by playwright-core. The page is
// reached through its login form; the session cookie is HttpOnly; the figures are what was sent.
import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { out, startWranglerDev, stopWranglerDev } from "./wrangler-dev.js";
import { refEnvelope, refReadReply, SEED_KEY } from "../support/reference.js";

const TOKEN = "status-browser-token";

function startHis(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const path = new URL(req.url ?? "/", "http://his").pathname;
      if (path.endsWith("/GetDepartmentInfo")) return res.writeHead(503).end("down");
      res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
      res.end(
        JSON.stringify({ resultCode: "SUCCESS", resultMessage: "成功", data: { systemTime: "2026-11-28 10:00:00" } }),
      );
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  );
}

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

describe.skipIf(!existsSync(CHROMIUM))("the status page in chromium", () => {
  let his: { server: Server; url: string };
  let wrangler: ChildProcess | undefined;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    his = await startHis();
    const tenants = [
      { partner: "TEST_WX", hospitalCode: "0", key: SEED_KEY, hisUrl: his.url, hisTimeoutMs: 5000, hisToken: TOKEN },
    ];
    const dev = await startWranglerDev("status", tenants);
    wrangler = dev.process;
    base = dev.base;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run", "--disable-quic"],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await stopWranglerDev(wrangler);
    await new Promise((resolve) => his?.server.close(resolve));
  });

  it("login form, then the figures of what was sent; the cookie is HttpOnly; sign out ends the session", async () => {
    const send = async (service: string, payload: string) =>
      refReadReply(
        await (
          await fetch(`${base}/wd/api`, {
            method: "POST",
            body: refEnvelope({ service, format: "json", payload }).body,
          })
        ).text(),
      ).resultCode;
    for (let i = 0; i < 3; i++) expect(await send("TestNet", JSON.stringify({ ip: "127.0.0.1" }))).toBe("SUCCESS");
    expect(await send("GetDepartmentInfo", JSON.stringify({ currentPage: "1", pageSize: "10" }))).toBe("SYSTEM_ERROR");
    // The trail is written after the answer: wait until /status.json has all four.
    for (let i = 0; i < 100; i++) {
      const s = (await (
        await fetch(`${base}/status.json`, { headers: { authorization: `Bearer ${TOKEN}` } })
      ).json()) as {
        windows: { hour: { count: number }[] };
      };
      if (s.windows.hour.reduce((n, r) => n + r.count, 0) >= 4) break;
      await new Promise((r) => setTimeout(r, 100));
    }

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "zh-CN" });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    const first = await page.goto(`${base}/status`);
    expect(first?.status()).toBe(401);
    await page.fill("#token", "wrong-token");
    await page.click("button[type=submit]");
    await expect.poll(() => page.locator("[role=alert]").count()).toBe(1);

    await page.fill("#token", TOKEN);
    await page.click("button[type=submit]");
    await page.locator("#notifications").waitFor();
    expect(page.url()).toBe(`${base}/status`);
    const hour = page.locator("section", { hasText: "Last hour" });
    const testNet = hour.locator('tr[data-service="TestNet"] td');
    expect((await testNet.allTextContents()).map((s) => s.trim())).toEqual(
      expect.arrayContaining(["TestNet", "3", "100.0 %"]),
    );
    const dept = hour.locator('tr[data-service="GetDepartmentInfo"] td');
    expect((await dept.allTextContents()).map((s) => s.trim())).toEqual(
      expect.arrayContaining(["GetDepartmentInfo", "1", "0.0 %"]),
    );
    expect(await page.locator("#failures").textContent()).toContain("SYSTEM_ERROR");
    expect((await page.locator(`[data-k="pending"]`).textContent())?.trim()).toBe("0");

    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === "hisgate_status");
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe("Strict");
    expect(await page.evaluate("document.cookie")).toBe("");
    await page.screenshot({ path: `${out}status.png`, fullPage: true });

    await page.click("header button[type=submit]");
    await page.locator("#token").waitFor();
    expect((await context.cookies()).find((c) => c.name === "hisgate_status")).toBeUndefined();
    expect(errors).toEqual([]);
    await context.close();
  });
});
