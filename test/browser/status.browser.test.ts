// The status page in a real browser: `wrangler dev` with a tenant that has a hisToken, a tiny HIS on node:http
// (TestNet answers, GetDepartmentInfo fails with 503), Debian's chromium driven by playwright-core. The page is
// reached through its login form; the session cookie is HttpOnly; the figures are what was sent.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refEnvelope, refReadReply, SEED_KEY } from "../support/reference.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const out = fileURLToPath(new URL("./out/", import.meta.url));
const TOKEN = "status-browser-token";

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

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

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child?.pid || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  // wrangler runs workerd as a child: end the process group this test started, by its id.
  process.kill(-child.pid, "SIGTERM");
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // already gone
    }
  }, 10_000);
  await exited;
  clearTimeout(timer);
}

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

describe.skipIf(!existsSync(CHROMIUM))("the status page in chromium", () => {
  let his: { server: Server; url: string };
  let wrangler: ChildProcess | undefined;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    mkdirSync(out, { recursive: true });
    his = await startHis();
    const tenants = [
      { partner: "TEST_WX", hospitalCode: "0", key: SEED_KEY, hisUrl: his.url, hisTimeoutMs: 5000, hisToken: TOKEN },
    ];
    const envFile = `${out}status.env`;
    writeFileSync(envFile, `TENANTS='${JSON.stringify(tenants)}'\n`);
    const [port, inspectorPort] = [await freePort(), await freePort()];
    base = `http://127.0.0.1:${port}`;
    const logFile = `${out}wrangler-status.log`;
    const log = createWriteStream(logFile);
    const state = `${out}wrangler-state-status`;
    rmSync(state, { recursive: true, force: true });
    wrangler = spawn(
      process.execPath,
      [
        `${root}node_modules/wrangler/bin/wrangler.js`,
        "dev",
        "--ip",
        "127.0.0.1",
        "--port",
        String(port),
        "--inspector-port",
        String(inspectorPort),
        "--env-file",
        envFile,
        "--persist-to",
        state,
        "--show-interactive-dev-session=false",
        "--log-level",
        "warn",
      ],
      {
        cwd: root,
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1", NO_COLOR: "1" },
      },
    );
    wrangler.stdout!.pipe(log);
    wrangler.stderr!.pipe(log);
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (wrangler.exitCode !== null || Date.now() > deadline)
        throw new Error(`wrangler dev did not come up:\n${readFileSync(logFile, "utf8").slice(-4000)}`);
      try {
        if ((await fetch(`${base}/healthz`)).ok) break;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run", "--disable-quic"],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await stop(wrangler);
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
